// Loads a simulator scenario (src/sim/scenarios) into an API server through its HTTP API, as a
// cluster's users, controllers and kubelets would have written it: the real kube-apiserver, or the
// simulator itself (so that both receive exactly the same requests).
//
// What a real apiserver does differently from the scenario's seeded objects, and how it is met:
// - uids and creationTimestamps are the server's own (FillObjectMetaSystemFields): objects are
//   created in an order where every object whose uid another one mentions (ownerReferences, PV
//   claimRef, event involvedObject, JuiceFS mount pod reference annotations, CSINode owner) comes
//   first, and the scenario's uids are replaced by the server's before sending;
// - status goes through /status after the create (the registry strategies drop it on create);
// - ServiceAccount admission refuses pods without their ServiceAccount: each one a pod names
//   (and `default`) is created first, as the ServiceAccount controller and the installs would;
// - TaintNodesByCondition gives every new Node `node.kubernetes.io/not-ready:NoSchedule`; the node
//   lifecycle controller removes it once the node is Ready: the node's taints are put back to the
//   scenario's after its status is set;
// - namespaces that exist already (default, kube-system, …) are kept.
import type { BuiltCluster, KObj } from '../../src/sim/scenarios/index';
import type { KubeHttp, ObjectLike } from './harness';
import { KubeError } from './harness';

/** Kinds written first, in this order (what later objects' admission or validation needs). */
const FIRST = ['Namespace', 'ServiceAccount', 'Node', 'CSIDriver', 'StorageClass'];
/** Kinds written last (they only refer to others). */
const LAST = ['Event'];
/** Kinds with a status subresource among the scenario kinds (the others keep status in the object or have none). */
const STATUS_KINDS = new Set(['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'Node', 'VolumeAttachment', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Namespace']);

const keyOf = (o: KObj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export interface LoadResult {
  /** Scenario uid → server uid. */
  uids: Map<string, string>;
  /** Objects as the server stored them, by `Kind/namespace/name`. */
  stored: Map<string, any>;
}

/** Orders the objects so that each comes after every object whose uid it mentions. */
export function creationOrder(objects: readonly KObj[]): KObj[] {
  const byUid = new Map<string, KObj>();
  for (const o of objects) if (o.metadata.uid) byUid.set(o.metadata.uid, o);
  const uidRe = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const deps = new Map<KObj, KObj[]>();
  for (const o of objects) {
    const text = JSON.stringify({ ...o, metadata: { ...o.metadata, uid: undefined } });
    const mine: KObj[] = [];
    for (const m of text.match(uidRe) ?? []) {
      const d = byUid.get(m);
      if (d && d !== o && !mine.includes(d)) mine.push(d);
    }
    deps.set(o, mine);
  }
  const rank = (o: KObj) => (FIRST.includes(o.kind) ? FIRST.indexOf(o.kind) : LAST.includes(o.kind) ? 100 : 50);
  const sorted = [...objects].sort((a, b) => rank(a) - rank(b));
  const out: KObj[] = [];
  const state = new Map<KObj, 'visiting' | 'done'>();
  const visit = (o: KObj) => {
    const s = state.get(o);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`scenario objects refer to each other's uids in a cycle through ${keyOf(o)}`);
    state.set(o, 'visiting');
    for (const d of deps.get(o)!) visit(d);
    state.set(o, 'done');
    out.push(o);
  };
  for (const o of sorted) visit(o);
  return out;
}

/** Replaces every scenario uid the text mentions by the server's. */
function remap(o: KObj, uids: Map<string, string>): KObj {
  let text = JSON.stringify(o);
  for (const [from, to] of uids) if (text.includes(from)) text = text.split(from).join(to);
  return JSON.parse(text);
}

async function ensureServiceAccount(client: KubeHttp, namespace: string, name: string): Promise<void> {
  const res = await client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts`, {
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
  });
  if (res.status !== 201 && res.status !== 409) throw new KubeError('POST', 'serviceaccounts', res);
}

/** Creates the scenario's objects (then their status) through the API. */
export async function loadScenario(client: KubeHttp, built: Pick<BuiltCluster, 'objects'>): Promise<LoadResult> {
  const uids = new Map<string, string>();
  const stored = new Map<string, any>();
  const accounts = new Set<string>();
  for (const original of creationOrder(built.objects)) {
    const oldUid = original.metadata.uid;
    // Before the create, every uid but the object's own is known.
    const o = remap(original, uids);
    const { uid: _u, creationTimestamp: _c, resourceVersion: _r, generation: _g, ...metadata } = o.metadata;
    const obj = { ...o, metadata } as ObjectLike;
    // A bound claim names its PV, and a provisioned PV is named after the claim's uid
    // (pvc-<uid>): the claim is created unbound and bound once its uid is known, as the PV
    // controller does.
    const volumeName = o.kind === 'PersistentVolumeClaim' ? o.spec?.volumeName : undefined;
    if (volumeName) obj.spec = { ...o.spec, volumeName: undefined };
    if (oldUid && JSON.stringify({ ...obj, status: undefined }).includes(oldUid)) {
      throw new Error(`${keyOf(o)} mentions its own uid outside its status: the loader cannot create it with the server's`);
    }
    if (o.kind === 'Pod') {
      const ns = o.metadata.namespace!;
      for (const sa of new Set(['default', o.spec.serviceAccountName ?? o.spec.serviceAccount ?? 'default'])) {
        if (accounts.has(`${ns}/${sa}`)) continue;
        await ensureServiceAccount(client, ns, sa);
        accounts.add(`${ns}/${sa}`);
      }
    }
    let out: any;
    if (o.kind === 'Namespace') {
      const res = await client.request('POST', '/api/v1/namespaces', { body: { ...obj, status: undefined } });
      if (res.status === 409) out = await client.get(`/api/v1/namespaces/${o.metadata.name}`);
      else if (res.status === 201) out = res.body;
      else throw new KubeError('POST', '/api/v1/namespaces', res);
    } else {
      out = await client.create(obj);
    }
    if (oldUid) uids.set(oldUid, out.metadata.uid);
    // After it, the object's own uid too (a claim's PV name, a pod's uid in its status messages).
    const done = remap(original, uids);
    if (volumeName) out = await client.patch(await client.objectPath(obj), { spec: { volumeName: done.spec.volumeName } }, 'merge');
    if (o.kind !== 'Namespace' && STATUS_KINDS.has(o.kind) && done.status && Object.keys(done.status).length > 0) out = await client.setStatus(obj, done.status);
    if (o.kind === 'Node') {
      // The node lifecycle controller's part: taints follow the (now Ready) conditions.
      const taints = o.spec?.taints ?? [];
      if (JSON.stringify(out.spec?.taints ?? []) !== JSON.stringify(taints)) {
        out = await client.patch(`/api/v1/nodes/${o.metadata.name}`, { spec: { taints: taints.length ? taints : null } }, 'merge');
      }
    }
    stored.set(keyOf(o), out);
  }
  return { uids, stored };
}
