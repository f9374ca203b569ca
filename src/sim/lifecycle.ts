// DELETE semantics. Pods are deleted gracefully (deletionTimestamp + deletionGracePeriodSeconds,
// then, after podDeletionDelayMs, the kubelet's final grace-0 delete); unscheduled or finished
// pods and gracePeriodSeconds=0 go at once (after the same deletionTimestamp write). Objects with finalizers
// get a deletionTimestamp and stay until the last finalizer is removed by an update. A
// namespace turns Terminating, its contents are removed (simplified: all at once, finalizers
// ignored) and then it goes. The answer is the object, or a Success Status for kinds whose
// registry does not return deleted objects.
import { conflict, type GroupResource, notFound, type Status } from './errors';
import type { ObjectStore } from './objects';
import { RESOURCES, type ResourceInfo } from './resources';
import type { KubeObject } from './types';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Accepted for compatibility; there is no garbage collector in the simulator. */
  propagationPolicy?: string;
}

export type DeleteResult = KubeObject | Status;

export interface Lifecycle {
  store: ObjectStore;
  timers: Set<NodeJS.Timeout>;
  podDeletionDelayMs?: number;
}

function later(lc: Lifecycle, ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    lc.timers.delete(t);
    fn();
  }, ms);
  t.unref?.();
  lc.timers.add(t);
}

function successStatus(gr: GroupResource, o: KubeObject): Status {
  const details: Status['details'] = { name: o.metadata.name };
  if (gr.group) details.group = gr.group;
  details.kind = gr.resource;
  details.uid = o.metadata.uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } as Status;
}

/** metav1.Time (RFC 3339, seconds) of a moment in ms. */
const timestampAt = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
/** metav1.MicroTime-free RFC 3339 (seconds) of now + s. */
const timestampIn = (s: number) => timestampAt(Date.now() + s * 1000);

function podGrace(pod: KubeObject, requested: number | undefined): number {
  // pod strategy CheckGracefulDelete: unscheduled and finished pods need no grace.
  if (!pod.spec?.nodeName) return 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  return Math.max(0, requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
}

export function deleteObject(lc: Lifecycle, info: ResourceInfo, ns: string | undefined, name: string, opts: DeleteOptions, gr: GroupResource): DeleteResult {
  const store = lc.store;
  const cur = store.find(info, ns, name);
  if (!cur) throw notFound(gr, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== cur.metadata.uid) throw conflict(gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
  if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
    throw conflict(gr, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`);
  }
  if (info.kind === 'Namespace' && info.group === '') return deleteNamespace(lc, info, cur);
  if (info.kind === 'Pod' && info.group === '') return deletePod(lc, info, cur, opts.gracePeriodSeconds, gr);

  const finalizers = cur.metadata.finalizers?.length ?? 0;
  const terminating = !!cur.metadata.deletionTimestamp;
  if (finalizers > 0) {
    if (terminating && cur.metadata.deletionGracePeriodSeconds === 0) return cur;
    const next = { ...cur, metadata: { ...cur.metadata, deletionTimestamp: cur.metadata.deletionTimestamp ?? timestampIn(0), deletionGracePeriodSeconds: 0 } };
    return store.commit(info, 'MODIFIED', next, cur);
  }
  const gone = store.commit(info, 'DELETED', cur, cur);
  return info.returnDeletedObject ? gone : successStatus(gr, gone);
}

/**
 * Pods are the one kind with graceful deletion (rest.BeforeDelete + the registry's
 * updateForGracefulDeletionAndFinalizers): every DELETE first writes deletionTimestamp and
 * deletionGracePeriodSeconds (a MODIFIED event, generation + 1), even with grace 0; with grace 0
 * and no finalizers the pod then goes (DELETED). A later DELETE may only shorten the grace period
 * (the kubelet's final grace-0 delete does), moving the deletionTimestamp back by the difference.
 */
function deletePod(lc: Lifecycle, info: ResourceInfo, cur: KubeObject, requested: number | undefined, gr: GroupResource): DeleteResult {
  const store = lc.store;
  const m = cur.metadata;
  let next: KubeObject;
  let grace: number;
  if (m.deletionTimestamp) {
    const curGrace = m.deletionGracePeriodSeconds;
    if (curGrace === undefined || curGrace === 0) {
      // Deletion already due: only finalizers can hold the pod now.
      if (m.finalizers?.length) return cur;
      return store.commit(info, 'DELETED', cur, cur);
    }
    if (requested === undefined || Math.max(0, requested) >= curGrace) return cur; // pending: nothing changes
    grace = Math.max(0, requested);
    let at = Date.parse(m.deletionTimestamp) - curGrace * 1000 + grace * 1000;
    if (at < Date.now()) {
      at = Date.now();
      if (grace !== 0) grace = 1;
    }
    next = { ...cur, metadata: { ...m, deletionTimestamp: timestampAt(at), deletionGracePeriodSeconds: grace } };
  } else {
    grace = podGrace(cur, requested);
    next = { ...cur, metadata: { ...m, deletionTimestamp: timestampIn(grace), deletionGracePeriodSeconds: grace } };
    if (m.generation) next.metadata.generation = m.generation + 1;
  }
  const stored = store.commit(info, 'MODIFIED', next, cur);
  if (grace > 0) {
    const delayMs = lc.podDeletionDelayMs ?? Math.min(grace, 2) * 1000;
    later(lc, delayMs, () => finishPodDeletion(lc, info, stored, gr));
    return stored;
  }
  if (stored.metadata.finalizers?.length) return stored;
  return store.commit(info, 'DELETED', stored, stored);
}

/** The kubelet's part: once the containers stopped, it deletes the pod with grace 0 (uid-preconditioned). */
function finishPodDeletion(lc: Lifecycle, info: ResourceInfo, deleted: KubeObject, gr: GroupResource): void {
  const cur = lc.store.find(info, deleted.metadata.namespace, deleted.metadata.name);
  if (!cur || cur.metadata.uid !== deleted.metadata.uid || !cur.metadata.deletionTimestamp) return;
  deletePod(lc, info, cur, 0, gr);
}

const NAMESPACE_CLEANUP_MS = 1000;

function deleteNamespace(lc: Lifecycle, info: ResourceInfo, ns: KubeObject): KubeObject {
  if (ns.metadata.deletionTimestamp) return ns;
  const next = { ...ns, metadata: { ...ns.metadata, deletionTimestamp: timestampIn(0) }, status: { ...ns.status, phase: 'Terminating' } };
  const stored = lc.store.commit(info, 'MODIFIED', next, ns);
  // The namespace controller takes its time; a second stays visible as Terminating.
  later(lc, NAMESPACE_CLEANUP_MS, () => {
    const name = ns.metadata.name;
    for (const r of RESOURCES) {
      if (!r.namespaced || r.virtual || r.fromView) continue;
      const table = lc.store.table(r);
      for (const [key, o] of [...table.items]) if (key.startsWith(`${name}/`)) lc.store.commit(r, 'DELETED', o, o);
    }
    const cur = lc.store.find(info, undefined, name);
    if (cur && cur.metadata.uid === ns.metadata.uid) lc.store.commit(info, 'DELETED', cur, cur);
  });
  return stored;
}
