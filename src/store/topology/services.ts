// What serves one volume of one app pod on its node (node plugin, CSINode registration,
// VolumeAttachments, mount pods, controllers), and the reverse: what a node plugin serves.
import type { PodRec, PVRec, VolumeAttachmentRec } from '../records';
import type { StoreReader } from '../store';
import { driverIndex, type DriverInfo } from './driver-index';
import { mountPodsOfAppPod, type ServingMountPod } from './mount-index';
import { consumers, type VolumeLink } from './volumes';

export interface VolumeServices {
  readonly driver?: DriverInfo;
  readonly nodePlugins: readonly PodRec[];
  /** The driver in the node's CSINode; undefined when unknown. */
  readonly registered: boolean | undefined;
  readonly attachments: readonly VolumeAttachmentRec[];
  readonly mountPods: readonly ServingMountPod[];
  readonly controllers: readonly PodRec[];
  /** Whether the driver's client would run in mount pods for this pod (not in a sidecar). */
  readonly usesMountPods: boolean;
  /** The pod's own mount sidecar container (JuiceFS sidecar mode). */
  readonly mountSidecar?: string;
}

export function volumeServices(store: StoreReader, pod: PodRec, link: VolumeLink): VolumeServices {
  const idx = driverIndex(store);
  const driver = idx.drivers.get(link.driver);
  const node = pod.node;
  const sidecar = idx.classOf(pod).mountSidecar;
  const usesMountPods = !!driver?.profile.mountPods && !sidecar;
  return {
    ...(driver ? { driver } : {}),
    nodePlugins: node && driver ? idx.nodePluginsOn(driver.name, node) : [],
    registered: node && link.driver ? idx.registered(link.driver, node) : undefined,
    attachments: link.pv ? store.attachmentsForPV(link.pv.name).filter((va) => !node || va.node === node) : [],
    mountPods: usesMountPods && node ? mountPodsOfAppPod(store, pod, link.pv) : [],
    controllers: driver?.controllers ?? [],
    usesMountPods,
    ...(sidecar ? { mountSidecar: sidecar } : {}),
  };
}

/** App pods on a node plugin's node using its driver, and the PVs they mount there. */
export function servedByNodePlugin(store: StoreReader, plugin: PodRec): { pods: readonly PodRec[]; pvs: readonly PVRec[] } {
  const driver = driverIndex(store).classOf(plugin).driver;
  const c = consumers(store);
  const pods = plugin.node && driver ? c.onNode(plugin.node, driver) : [];
  const pvs = new Map<string, PVRec>();
  for (const p of pods) for (const l of c.linksOf(p)) if (l.pv && l.driver === driver) pvs.set(l.pv.name, l.pv);
  return { pods, pvs: [...pvs.values()] };
}
