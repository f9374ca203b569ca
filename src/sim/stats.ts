// The kubelet's /stats/summary as seen through the apiserver's node proxy. Like the kubelet,
// only volumes mounted by Running pods on that node are reported, and only when the driver
// answers NodeGetVolumeStats (not for drivers listed in driversWithoutStats, never for hostPath
// or local PVs). Usage numbers come from `usage` or are derived deterministically from the PV's
// capacity. Each node can misbehave: slow, timing out, or unreachable.
import { createHash } from 'node:crypto';
import type { ObjectStore } from './objects';
import { parseQuantity } from './quantity';
import type { KubeObject } from './types';

/**
 * 'refuses': the kubelet's authorizer denies the apiserver's own identity (a misconfigured
 * cluster): 403 as the kubelet words it, whatever the user's RBAC.
 */
export type NodeBehaviour = 'ok' | 'slow' | 'timeout' | 'unreachable' | 'refuses';

/** What a kubelet answers a caller its authorizer denies (kubelet server's authorization filter). */
export function kubeletForbidden(subresource: 'stats' | 'proxy'): string {
  return `Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=${subresource})`;
}

export interface VolumeUsage {
  usedBytes?: number;
  capacityBytes?: number;
  availableBytes?: number;
  inodesUsed?: number;
  inodes?: number;
  inodesFree?: number;
}

export interface VolumeStats {
  time: string;
  availableBytes: number;
  capacityBytes: number;
  usedBytes: number;
  inodesFree: number;
  inodes: number;
  inodesUsed: number;
  name: string;
  pvcRef: { name: string; namespace: string };
}

export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: Array<{ name: string; startTime: string }>;
  volume?: VolumeStats[];
}

export interface Summary {
  node: { nodeName: string; systemContainers: unknown[]; startTime: string; fs: Record<string, unknown> };
  pods: PodStats[];
}

export class StatsConfig {
  /** Usage per PVC, keyed `namespace/name`. Missing fields are derived from the others. */
  readonly usage = new Map<string, VolumeUsage>();
  /** CSI drivers that do not implement NodeGetVolumeStats. */
  readonly driversWithoutStats = new Set<string>();
  readonly nodeBehaviour = new Map<string, NodeBehaviour>();
  /** Delay of a 'slow' node, also applied to its logs. */
  slowMs = 3000;

  behaviour(node: string): NodeBehaviour {
    return this.nodeBehaviour.get(node) ?? 'ok';
  }
}

/** A stable fraction in [0,1) per key, so default usage does not jump between scrapes. */
function fraction(key: string, salt: string): number {
  return createHash('sha256').update(salt + key).digest().readUInt32BE(0) / 2 ** 32;
}

const isoNow = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function volumeStats(cfg: StatsConfig, key: string, name: string, pvc: KubeObject, pv: KubeObject): VolumeStats {
  const u = cfg.usage.get(key) ?? {};
  const capacityBytes = u.capacityBytes ?? (parseQuantity(pv.spec?.capacity?.storage ?? pvc.status?.capacity?.storage ?? 0) || 0);
  const usedBytes = u.usedBytes ?? Math.floor(capacityBytes * (0.05 + 0.6 * fraction(key, 'used')));
  const inodes = u.inodes ?? Math.max(1024, Math.floor(capacityBytes / 32768));
  const inodesUsed = u.inodesUsed ?? Math.floor(inodes * (0.01 + 0.3 * fraction(key, 'inodes')));
  return {
    time: isoNow(),
    availableBytes: u.availableBytes ?? Math.max(0, capacityBytes - usedBytes),
    capacityBytes,
    usedBytes,
    inodesFree: u.inodesFree ?? Math.max(0, inodes - inodesUsed),
    inodes,
    inodesUsed,
    name,
    pvcRef: { name: pvc.metadata.name, namespace: pvc.metadata.namespace ?? '' },
  };
}

/** The claim a pod volume mounts: a PVC reference or a generic ephemeral volume's `<pod>-<volume>` claim. */
function claimOf(pod: KubeObject, v: any): string | undefined {
  if (v.persistentVolumeClaim?.claimName) return v.persistentVolumeClaim.claimName;
  if (v.ephemeral) return `${pod.metadata.name}-${v.name}`;
  return undefined;
}

export function summarize(cfg: StatsConfig, store: ObjectStore, node: KubeObject): Summary {
  const nodeName = node.metadata.name;
  const pods = store.list('pods', { fieldSelector: `spec.nodeName=${nodeName}` }).items;
  const out: PodStats[] = [];
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) continue;
    const ns = pod.metadata.namespace ?? '';
    const started = pod.status?.startTime ?? pod.metadata.creationTimestamp ?? isoNow();
    const volumes: VolumeStats[] = [];
    for (const v of pod.spec?.volumes ?? []) {
      const claim = claimOf(pod, v);
      if (!claim) continue;
      const pvc = store.find(store.info('persistentvolumeclaims'), ns, claim);
      const pvName = pvc?.spec?.volumeName;
      if (!pvc || !pvName) continue;
      const pv = store.find(store.info('persistentvolumes'), undefined, pvName);
      const driver = pv?.spec?.csi?.driver;
      if (!pv || !driver || cfg.driversWithoutStats.has(driver)) continue;
      volumes.push(volumeStats(cfg, `${ns}/${claim}`, v.name, pvc, pv));
    }
    const stats: PodStats = {
      podRef: { name: pod.metadata.name, namespace: ns, uid: pod.metadata.uid ?? '' },
      startTime: started,
      containers: (pod.spec?.containers ?? []).map((c: any) => ({ name: c.name, startTime: started })),
    };
    if (volumes.length) stats.volume = volumes;
    out.push(stats);
  }
  return {
    node: { nodeName, systemContainers: [], startTime: node.metadata.creationTimestamp ?? isoNow(), fs: { time: isoNow(), availableBytes: 80e9, capacityBytes: 100e9, usedBytes: 20e9 } },
    pods: out,
  };
}

/** The kubelet's port the apiserver dials: status.daemonEndpoints.kubeletEndpoint.Port (10250 when unset). */
export function kubeletPort(node: KubeObject): number {
  return Number(node.status?.daemonEndpoints?.kubeletEndpoint?.Port) || 10250;
}

/** The node's InternalIP, as the apiserver's proxy would dial it. */
export function nodeAddress(node: KubeObject): string {
  const addrs: Array<{ type?: string; address?: string }> = node.status?.addresses ?? [];
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? addrs[0]?.address ?? '10.0.0.1';
}
