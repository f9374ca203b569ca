// Pod volumes → PVC → PV → StorageClass → driver, and the reverse indexes the views and the
// verdicts need (pods per node and driver, PVCs per StorageClass).
import type { PodRec, PVCRec, PVRec, StorageClassRec } from '../records';
import type { StoreReader } from '../store';
import { memo } from './memo';
import { registry } from '../drivers/registry';
import { podIndex, sameRefs } from './pod-index';
import { reuseByPosition } from '../list-diff';

export type VolumeSource = 'pvc' | 'ephemeral' | 'inline';

export interface VolumeLink {
  /** The pod's volume name. */
  readonly volume: string;
  readonly source: VolumeSource;
  /** Claim name ('' for inline CSI volumes). */
  readonly claim: string;
  readonly pvc?: PVCRec;
  readonly pv?: PVRec;
  readonly storageClass?: StorageClassRec;
  /** The CSI driver, or the provisioner while unbound; '' for in-tree or unknown volumes. */
  readonly driver: string;
}

export { isActivePod } from './pod-index';

export function pvOfClaim(store: StoreReader, pvc: PVCRec): PVRec | undefined {
  if (pvc.volumeName) {
    const pv = store.get('PersistentVolume', '', pvc.volumeName);
    if (pv) return pv;
  }
  const pv = store.pvForClaim(pvc.namespace, pvc.name);
  return pv && (!pv.claim?.uid || !pvc.uid || pv.claim.uid === pvc.uid) ? pv : undefined;
}

/** The PVC a PV's claimRef names, if it is still that claim (same uid). */
export function claimOfPV(store: StoreReader, pv: PVRec): PVCRec | undefined {
  if (!pv.claim) return undefined;
  const pvc = store.get('PersistentVolumeClaim', pv.claim.namespace, pv.claim.name);
  return pvc && (!pv.claim.uid || pvc.uid === pv.claim.uid) ? pvc : undefined;
}

export function driverOfClaim(store: StoreReader, pvc: PVCRec | undefined, pv?: PVRec): string {
  if (pv) return pv.driver; // an in-tree PV has none, whatever its class says
  if (!pvc) return '';
  const sc = pvc.storageClass ? store.get('StorageClass', '', pvc.storageClass) : undefined;
  return sc?.provisioner || pvc.provisioner;
}

export function volumeLinks(store: StoreReader, pod: PodRec): VolumeLink[] {
  const out: VolumeLink[] = [];
  for (const v of pod.volumes) {
    if (v.csiDriver) {
      out.push({ volume: v.name, source: 'inline', claim: '', driver: v.csiDriver });
      continue;
    }
    const claim = v.claim ?? '';
    const pvc = claimIndex(store).get(pod.namespace, claim);
    const pv = pvc ? pvOfClaim(store, pvc) : undefined;
    const scName = pvc?.storageClass || pv?.storageClass || '';
    const storageClass = scName ? store.get('StorageClass', '', scName) : undefined;
    out.push({
      volume: v.name,
      source: v.ephemeral ? 'ephemeral' : 'pvc',
      claim,
      ...(pvc ? { pvc } : {}),
      ...(pv ? { pv } : {}),
      ...(storageClass ? { storageClass } : {}),
      driver: driverOfClaim(store, pvc, pv),
    });
  }
  return out;
}

export interface Consumers {
  /** Active pods with storage volumes. */
  readonly pods: readonly PodRec[];
  /** Those still waiting to start on their node. */
  readonly waiting: readonly PodRec[];
  /** Those whose storage client runs in mount pods or in a mount sidecar (the same array while they stay the same). */
  readonly mountClients: readonly PodRec[];
  linksOf(pod: PodRec): readonly VolumeLink[];
  /** Active pods scheduled on `node` with a volume of `driver`. */
  onNode(node: string, driver: string): readonly PodRec[];
  /** The waiting ones among them. */
  waitingOn(node: string, driver: string): readonly PodRec[];
  /** Active pods with a volume of `driver`. */
  ofDriver(driver: string): readonly PodRec[];
  /** Pods per node per driver in use: node → driver → pods. */
  readonly nodeDrivers: ReadonlyMap<string, ReadonlyMap<string, readonly PodRec[]>>;
}

const NONE: readonly never[] = [];

/** Links per pod record, valid while claims, volumes and classes keep their versions. */
const linkCache = new WeakMap<PodRec, { readonly stamp: string; readonly links: VolumeLink[] }>();

/** What consumers keeps of one pod, reused while the pod and the stamp stay the same. */
interface Entry {
  readonly node: string;
  readonly waiting: boolean;
  readonly client: boolean;
  /** The distinct drivers of its volumes. */
  readonly drivers: readonly string[];
}

/** What volumeLinks reads besides the pod record: while it keeps its versions, links are reused. */
const linkStamp = (store: StoreReader) => `${store.version('PersistentVolumeClaim')}:${store.version('PersistentVolume')}:${store.version('StorageClass')}`;

/**
 * A pod's volume links, as consumers(store).linksOf gives them, without building the consumers
 * index: a cell drawing a pod's drivers must not rebuild an index of every pod after each pod
 * update (at 50k pods under churn that was most of a list refresh).
 */
export function linksOf(store: StoreReader, pod: PodRec): readonly VolumeLink[] {
  return cachedLinks(store, pod, linkStamp(store));
}

function cachedLinks(store: StoreReader, pod: PodRec, stamp: string): VolumeLink[] {
  const hit = linkCache.get(pod);
  if (hit && hit.stamp === stamp) return hit.links;
  const links = volumeLinks(store, pod);
  linkCache.set(pod, { stamp, links });
  return links;
}

const previous = new WeakMap<StoreReader, { readonly stamp: string; readonly items: readonly PodRec[]; readonly values: readonly Entry[]; readonly mountClients: readonly PodRec[] }>();

function entryOf(store: StoreReader, pod: PodRec, stamp: string): Entry {
  // A cell may have drawn this pod's links already (linksOf): not worked out twice.
  const links = cachedLinks(store, pod, stamp);
  const drivers = [...new Set(links.map((l) => l.driver).filter(Boolean))];
  return {
    node: pod.node,
    waiting: pod.phase === 'Pending' && !!pod.node && !pod.deleting,
    client: !!registry.classify(pod).mountSidecar || drivers.some((d) => !!registry.mountHooksFor(d)),
    drivers,
  };
}

export function consumers(store: StoreReader): Consumers {
  return memo(store, 'consumers', ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'], () => {
    const stamp = linkStamp(store);
    const pods = podIndex(store).withVolumes;
    const prev = previous.get(store);
    const entries = reuseByPosition(prev?.stamp === stamp ? prev : undefined, pods, (pod) => entryOf(store, pod, stamp));
    const waiting: PodRec[] = [];
    const mountClients: PodRec[] = [];
    const nodeDrivers = new Map<string, Map<string, PodRec[]>>();
    const waitingDrivers = new Map<string, Map<string, PodRec[]>>();
    const byDriver = new Map<string, PodRec[]>();
    const add = (m: Map<string, Map<string, PodRec[]>>, node: string, driver: string, p: PodRec) => {
      let byD = m.get(node);
      if (!byD) m.set(node, (byD = new Map()));
      const l = byD.get(driver);
      l ? l.push(p) : byD.set(driver, [p]);
    };
    for (let k = 0; k < pods.length; k++) {
      const e = entries[k];
      const pod = pods[k];
      if (e.waiting) waiting.push(pod);
      if (e.client) mountClients.push(pod);
      for (const d of e.drivers) {
        const l = byDriver.get(d);
        l ? l.push(pod) : byDriver.set(d, [pod]);
        if (!e.node) continue;
        add(nodeDrivers, e.node, d, pod);
        if (e.waiting) add(waitingDrivers, e.node, d, pod);
      }
    }
    // The same array while the same pods use mount clients, so mount verdicts can be reused.
    const clients = prev && sameRefs(prev.mountClients, mountClients) ? prev.mountClients : mountClients;
    previous.set(store, { stamp, items: pods, values: entries, mountClients: clients });
    return {
      pods,
      waiting,
      mountClients: clients,
      linksOf: (pod) => cachedLinks(store, pod, stamp),
      onNode: (node, driver) => nodeDrivers.get(node)?.get(driver) ?? NONE,
      waitingOn: (node, driver) => waitingDrivers.get(node)?.get(driver) ?? NONE,
      ofDriver: (driver) => byDriver.get(driver) ?? NONE,
      nodeDrivers,
    };
  });
}

export interface ClaimIndex {
  get(namespace: string, name: string): PVCRec | undefined;
  readonly byStorageClass: ReadonlyMap<string, readonly PVCRec[]>;
  /** Claims not simply Bound at their requested size: pending, lost, resizing, deleting. */
  readonly unusual: readonly PVCRec[];
}

/** One pass over the claims per PVC version (nested maps: no key strings built per lookup). */
export function claimIndex(store: StoreReader): ClaimIndex {
  return memo(store, 'claimIndex', ['PersistentVolumeClaim'], () => {
    const byNs = new Map<string, Map<string, PVCRec>>();
    const bySc = new Map<string, PVCRec[]>();
    const unusual: PVCRec[] = [];
    for (const c of store.list('PersistentVolumeClaim')) {
      let m = byNs.get(c.namespace);
      if (!m) byNs.set(c.namespace, (m = new Map()));
      m.set(c.name, c);
      const l = bySc.get(c.storageClass);
      l ? l.push(c) : bySc.set(c.storageClass, [c]);
      if (c.phase !== 'Bound' || c.deleting || c.conditions.length > 0 || c.resizeStatus || c.requested !== c.capacity) unusual.push(c);
    }
    return { get: (ns, name) => byNs.get(ns)?.get(name), byStorageClass: bySc, unusual };
  });
}

export interface VolumeIndex {
  /** CSI drivers named by PVs, with their PVs. */
  readonly byDriver: ReadonlyMap<string, readonly PVRec[]>;
  /** PVs Released or Failed. */
  readonly released: readonly PVRec[];
}

export function volumeIndex(store: StoreReader): VolumeIndex {
  return memo(store, 'volumeIndex', ['PersistentVolume'], () => {
    const byDriver = new Map<string, PVRec[]>();
    const released: PVRec[] = [];
    for (const pv of store.list('PersistentVolume')) {
      if (pv.driver) {
        const l = byDriver.get(pv.driver);
        l ? l.push(pv) : byDriver.set(pv.driver, [pv]);
      }
      if (pv.phase === 'Released' || pv.phase === 'Failed') released.push(pv);
    }
    return { byDriver, released };
  });
}

/** PVCs per StorageClass name. */
export function claimsByStorageClass(store: StoreReader): ReadonlyMap<string, readonly PVCRec[]> {
  return claimIndex(store).byStorageClass;
}
