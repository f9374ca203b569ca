// Pod volumes → PVC → PV → StorageClass → driver, and the reverse indexes the views and the
// verdicts need (pods per node and driver, PVCs per StorageClass).
import type { PodRec, PVCRec, PVRec, StorageClassRec } from '../records';
import type { StoreReader } from '../store';
import { memo } from './memo';
import { registry } from '../drivers/registry';
import { podIndex } from './pod-index';

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
  /** Those whose storage client runs in mount pods or in a mount sidecar. */
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

export function consumers(store: StoreReader): Consumers {
  return memo(store, 'consumers', ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'], () => {
    const stamp = `${store.version('PersistentVolumeClaim')}:${store.version('PersistentVolume')}:${store.version('StorageClass')}`;
    const pods = podIndex(store).withVolumes;
    const links = new Map<PodRec, VolumeLink[]>();
    const waiting: PodRec[] = [];
    const mountClients: PodRec[] = [];
    const nodeDrivers = new Map<string, Map<string, PodRec[]>>();
    const waitingDrivers = new Map<string, Map<string, PodRec[]>>();
    const byDriver = new Map<string, PodRec[]>();
    const add = (m: Map<string, PodRec[]>, k: string, p: PodRec) => {
      const l = m.get(k);
      if (!l) m.set(k, [p]);
      else if (l[l.length - 1] !== p) l.push(p);
    };
    for (const pod of pods) {
      const hit = linkCache.get(pod);
      const ls = hit && hit.stamp === stamp ? hit.links : volumeLinks(store, pod);
      if (ls !== hit?.links) linkCache.set(pod, { stamp, links: ls });
      links.set(pod, ls);
      const isWaiting = pod.phase === 'Pending' && !!pod.node && !pod.deleting;
      if (isWaiting) waiting.push(pod);
      let client = !!registry.classify(pod).mountSidecar;
      for (const l of ls) {
        if (!l.driver) continue;
        client ||= !!registry.mountHooksFor(l.driver);
        add(byDriver, l.driver, pod);
        if (pod.node) {
          for (const [on, yes] of [[nodeDrivers, true], [waitingDrivers, isWaiting]] as const) {
            if (!yes) continue;
            let m = on.get(pod.node);
            if (!m) on.set(pod.node, (m = new Map()));
            add(m, l.driver, pod);
          }
        }
      }
      if (client) mountClients.push(pod);
    }
    return {
      pods,
      waiting,
      mountClients,
      linksOf: (pod) => links.get(pod) ?? volumeLinks(store, pod),
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
