// Pod volumes → PVC → PV → StorageClass → driver, and the reverse indexes the views and the
// verdicts need (pods per node and driver, PVCs per StorageClass).
import type { PodRec, PVCRec, PVRec, StorageClassRec } from '../records';
import type { StoreReader } from '../store';
import { memo } from './memo';

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

/** Pods that hold or will hold their volumes: everything but finished pods. */
export const isActivePod = (p: PodRec): boolean => p.phase !== 'Succeeded' && p.phase !== 'Failed';

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
    const pvc = store.get('PersistentVolumeClaim', pod.namespace, claim);
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
  linksOf(pod: PodRec): readonly VolumeLink[];
  /** Active pods scheduled on `node` with a volume of `driver`. */
  onNode(node: string, driver: string): readonly PodRec[];
  /** Active pods with a volume of `driver`. */
  ofDriver(driver: string): readonly PodRec[];
  /** (node, driver) pairs in use: `node\ndriver` keys. */
  readonly nodeDrivers: ReadonlyMap<string, readonly PodRec[]>;
}

const NONE: readonly never[] = [];

export function consumers(store: StoreReader): Consumers {
  return memo(store, 'consumers', ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'], () => {
    const pods: PodRec[] = [];
    const links = new Map<PodRec, VolumeLink[]>();
    const nodeDrivers = new Map<string, PodRec[]>();
    const byDriver = new Map<string, PodRec[]>();
    const add = (m: Map<string, PodRec[]>, k: string, p: PodRec) => {
      const l = m.get(k);
      if (!l) m.set(k, [p]);
      else if (l[l.length - 1] !== p) l.push(p);
    };
    for (const pod of store.list('Pod')) {
      if (pod.volumes.length === 0 || !isActivePod(pod)) continue;
      const ls = volumeLinks(store, pod);
      pods.push(pod);
      links.set(pod, ls);
      for (const l of ls) {
        if (!l.driver) continue;
        add(byDriver, l.driver, pod);
        if (pod.node) add(nodeDrivers, `${pod.node}\n${l.driver}`, pod);
      }
    }
    return {
      pods,
      linksOf: (pod) => links.get(pod) ?? volumeLinks(store, pod),
      onNode: (node, driver) => nodeDrivers.get(`${node}\n${driver}`) ?? NONE,
      ofDriver: (driver) => byDriver.get(driver) ?? NONE,
      nodeDrivers,
    };
  });
}

/** PVCs per StorageClass name. */
export function claimsByStorageClass(store: StoreReader): ReadonlyMap<string, readonly PVCRec[]> {
  return memo(store, 'claimsByStorageClass', ['PersistentVolumeClaim'], () => {
    const m = new Map<string, PVCRec[]>();
    for (const c of store.list('PersistentVolumeClaim')) {
      const l = m.get(c.storageClass);
      l ? l.push(c) : m.set(c.storageClass, [c]);
    }
    return m;
  });
}
