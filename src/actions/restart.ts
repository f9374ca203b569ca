// Which pods a restart deletes, and what brings each back. A mount pod recreated (or a FUSE client
// restarted) under running app pods leaves them dead mounts: the StaleMount finding lists them in
// `affects`. A node plugin gathers the stale mounts of its driver on its node; an app pod with a
// dead mount restarts itself; a claim whose file system resize waits for a mount restarts the pods
// using it. Pods that no controller recreates are listed apart: the dialog skips them unless asked.
import type { PodRec } from '../store/records';
import type { StoreReader } from '../store/store';
import { driverIndex } from '../store/topology/driver-index';
import { isActivePod } from '../store/topology/pod-index';
import { refKey, type ObjRef } from '../store/topology/refs';
import type { Finding } from '../store/verdicts/types';
import { claimResize } from './resize-state';

export interface RestartPod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly node: string;
  readonly status: string;
  /** What recreates the pod once deleted; undefined when nothing does. */
  readonly recreatedBy?: string;
}

export interface RestartPlan {
  /** Why these pods need a restart (one sentence). */
  readonly reason: string;
  readonly pods: readonly RestartPod[];
}

/** What recreates a deleted pod: its controller (the Deployment above a ReplicaSet), or the driver for mount pods. */
export function recreator(store: StoreReader, pod: PodRec): string | undefined {
  const o = pod.owner;
  if (o?.controller) {
    if (o.kind === 'ReplicaSet') {
      const rs = store.get('ReplicaSet', pod.namespace, o.name);
      if (rs?.owner?.controller) return `${rs.owner.kind} ${rs.owner.name} (ReplicaSet ${o.name})`;
    }
    return `${o.kind} ${o.name}`;
  }
  const cls = driverIndex(store).classOf(pod);
  if (cls.role === 'mountPod') return `the ${cls.driver || 'CSI'} node plugin (it recreates mount pods still in use)`;
  return undefined;
}

export function restartPod(store: StoreReader, p: PodRec): RestartPod {
  const by = recreator(store, p);
  return { namespace: p.namespace, name: p.name, uid: p.uid, node: p.node, status: p.status, ...(by ? { recreatedBy: by } : {}) };
}

/** The pods to restart from `ref` (a mount pod, node plugin, app pod or claim), undefined when none. */
export function restartPlan(store: StoreReader, findings: readonly Finding[], ref: ObjRef, now: number): RestartPlan | undefined {
  if (ref.kind === 'PersistentVolumeClaim') {
    const pvc = store.get('PersistentVolumeClaim', ref.namespace, ref.name);
    if (!pvc || claimResize(store, pvc, now).stage !== 'fs-pending') return undefined;
    const pods = store.podsUsingClaim(pvc.namespace, pvc.name).filter((p) => isActivePod(p) && !p.deleting);
    if (pods.length === 0) return undefined;
    return { reason: `the file system resize of PVC ${pvc.namespace}/${pvc.name} finishes when a pod mounts it again`, pods: pods.map((p) => restartPod(store, p)) };
  }
  if (ref.kind !== 'Pod') return undefined;
  const pod = store.get('Pod', ref.namespace, ref.name);
  if (!pod) return undefined;
  // Only a stale mount makes a restart plan: without one, the pod's class is not looked up (the
  // footer asks for the selected row on every draw; classifying rebuilds the pod index after churn).
  const stale = findings.filter((f) => f.code === 'StaleMount');
  if (stale.length === 0) return undefined;
  const key = refKey(ref);
  const cls = driverIndex(store).classOf(pod);
  const own = stale.filter((f) => refKey(f.object) === key || (cls.role === 'nodePlugin' && f.node === pod.node && (!cls.driver || f.driver === cls.driver)));
  let targets: ObjRef[] = own.flatMap((f) => f.affects);
  let reason = own[0]?.message;
  if (targets.length === 0) {
    // An app pod holding a dead mount: itself.
    const hit = stale.find((f) => f.affects.some((a) => refKey(a) === key));
    if (hit) (targets = [ref]), (reason = hit.message);
  }
  const seen = new Set<string>();
  const pods: RestartPod[] = [];
  for (const t of targets) {
    const p = store.get('Pod', t.namespace, t.name);
    if (!p || p.deleting || !isActivePod(p) || seen.has(p.uid)) continue;
    seen.add(p.uid);
    pods.push(restartPod(store, p));
  }
  return pods.length && reason ? { reason, pods } : undefined;
}
