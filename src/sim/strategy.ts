// Per-kind create/update preparation, like the registry strategies' PrepareForCreate and
// PrepareForUpdate plus the scheme's defaulting: server-owned metadata, status reset on create,
// status kept on main-resource updates (and only status taken on /status updates), generation
// bumps on spec changes, and the handful of defaults csi-top reads.
import { parseQuantity } from './quantity';
import type { ResourceInfo } from './resources';
import type { KubeObject } from './types';

/** metav1.Time: RFC 3339 with second precision. */
let lastSecond = -1;
let lastIso = '';
export function isoSeconds(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSecond) {
    lastSecond = sec;
    lastIso = new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastIso;
}

/** Status a freshly created object starts with (the strategies reset whatever the client sent). */
function initialStatus(info: ResourceInfo, obj: KubeObject): unknown {
  switch (info.kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: podQosClass(obj.spec ?? {}) };
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return { phase: 'Pending' };
    case 'Namespace':
      return { phase: 'Active' };
    case 'VolumeAttachment':
      return { attached: false };
    case 'Deployment':
      return {};
    case 'ReplicaSet':
      return { replicas: 0 };
    case 'StatefulSet':
      return { replicas: 0, availableReplicas: 0 };
    case 'DaemonSet':
      return { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    default:
      return obj.status;
  }
}

/**
 * qos.ComputePodQOS: cpu and memory only, summed over containers and init containers (requests
 * default to limits). None at all: BestEffort; every container limits both and the sums of
 * requests equal the sums of limits: Guaranteed; else Burstable.
 */
export function podQosClass(spec: { containers?: any[]; initContainers?: any[] }): string {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const lim: Record<string, unknown> = c?.resources?.limits ?? {};
    const req: Record<string, unknown> = { ...lim, ...c?.resources?.requests };
    let limited = 0;
    for (const k of ['cpu', 'memory']) {
      const r = parseQuantity(req[k]);
      if (r > 0) add(requests, k, r);
      const l = parseQuantity(lim[k]);
      if (l > 0) {
        add(limits, k, l);
        limited++;
      }
    }
    if (limited < 2) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed && requests.size === limits.size && [...requests].every(([k, v]) => limits.get(k) === v)) return 'Guaranteed';
  return 'Burstable';
}

function defaultPod(spec: any): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    if (!c.imagePullPolicy) {
      const tag = /:([^/:@]+)$/.exec(String(c.image ?? ''))?.[1];
      c.imagePullPolicy = !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
    }
  }
}

/** The scheme defaults for the fields csi-top shows. */
export function applyDefaults(info: ResourceInfo, obj: KubeObject): void {
  switch (info.kind) {
    case 'Pod':
      if (obj.spec) defaultPod(obj.spec);
      break;
    case 'PersistentVolumeClaim':
      obj.spec ??= {};
      obj.spec.volumeMode ??= 'Filesystem';
      break;
    case 'PersistentVolume':
      obj.spec ??= {};
      obj.spec.volumeMode ??= 'Filesystem';
      obj.spec.persistentVolumeReclaimPolicy ??= 'Retain';
      break;
    case 'StorageClass':
      obj.reclaimPolicy ??= 'Delete';
      obj.volumeBindingMode ??= 'Immediate';
      break;
    case 'CSIDriver':
      obj.spec ??= {};
      obj.spec.attachRequired ??= true;
      obj.spec.podInfoOnMount ??= false;
      obj.spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
      obj.spec.volumeLifecycleModes ??= ['Persistent'];
      obj.spec.requiresRepublish ??= false;
      obj.spec.storageCapacity ??= false;
      obj.spec.seLinuxMount ??= false;
      break;
    case 'Namespace':
      obj.spec ??= {};
      obj.spec.finalizers ??= ['kubernetes'];
      break;
  }
}

/** Condition time fields per kind: metav1.Time without omitempty effect, so unset ones print as null. */
const CONDITION_TIMES: Record<string, string[]> = {
  Pod: ['lastProbeTime', 'lastTransitionTime'],
  PersistentVolumeClaim: ['lastProbeTime', 'lastTransitionTime'],
  Node: ['lastHeartbeatTime', 'lastTransitionTime'],
};

/** ObjectMeta fields tagged omitempty that are collections: an empty one is not serialized. */
const OMIT_EMPTY_META = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const;

/**
 * What a round trip through the Go types does to fields csi-top reads: empty metadata
 * collections disappear (omitempty), and a status condition's unset metav1.Time fields come
 * back as null (a struct is never "empty" for omitempty).
 */
function normalizeAsTyped(info: ResourceInfo, obj: KubeObject): void {
  const m = obj.metadata as Record<string, unknown>;
  for (const k of OMIT_EMPTY_META) {
    const v = m[k];
    if (v === null || (Array.isArray(v) && v.length === 0) || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) delete m[k];
  }
  const times = info.group === '' ? CONDITION_TIMES[info.kind] : undefined;
  const conditions = (obj.status as { conditions?: unknown } | undefined)?.conditions;
  if (!times || !Array.isArray(conditions)) return;
  (obj.status as { conditions: unknown[] }).conditions = conditions.map((c) => {
    if (!c || typeof c !== 'object') return c;
    const out = { ...(c as Record<string, unknown>) };
    for (const t of times) if (out[t] === undefined) out[t] = null;
    return out;
  });
}

/** PrepareForCreate for a client's object: server-owned metadata set, status reset. */
export function prepareForCreate(info: ResourceInfo, obj: KubeObject, uid: string, nowMs: number): void {
  const m = obj.metadata;
  m.uid = uid;
  m.creationTimestamp = isoSeconds(nowMs);
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.resourceVersion;
  delete m.selfLink;
  if (info.generation) m.generation = 1;
  else delete m.generation;
  applyDefaults(info, obj);
  const status = initialStatus(info, obj);
  if (status === undefined) delete obj.status;
  else obj.status = status;
  normalizeAsTyped(info, obj);
}

const SYSTEM_META = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink'] as const;

/** Everything but metadata and status: what a generation bump tracks. */
export function specPart(o: KubeObject): string {
  // Only the top-level metadata and status are left out (pod templates have their own metadata).
  return JSON.stringify(o, function (this: unknown, k, v) {
    return this === o && (k === 'metadata' || k === 'status') ? undefined : v;
  });
}

/** Kinds whose status can be written only through /status. */
export const hasStatusSubresource = (info: ResourceInfo) => 'status' in info.subresources;

/** Metadata a /status write may not change, per kind (the status strategies' PrepareForUpdate). */
function statusMetadataResets(info: ResourceInfo): readonly string[] {
  if (info.group === '' && info.kind === 'Pod') return ['ownerReferences'];
  if (info.group === 'apps' && info.kind === 'Deployment') return ['labels'];
  // metav1.ResetObjectMetaForStatus
  if (info.group === 'storage.k8s.io' && info.kind === 'VolumeAttachment') return ['labels', 'annotations', 'finalizers', 'ownerReferences'];
  return [];
}

/**
 * PrepareForUpdate: the next object keeps the server-owned metadata of the previous one; a
 * main-resource update keeps the old status, a /status update keeps the old spec. As in
 * kube-apiserver, a /status write takes the sent metadata (labels, annotations, finalizers…)
 * except what the kind's status strategy resets.
 */
export function prepareForUpdate(info: ResourceInfo, next: KubeObject, prev: KubeObject, subresource?: string): KubeObject {
  let out: KubeObject;
  if (subresource === 'status') {
    out = { ...next };
    if (prev.spec === undefined) delete out.spec;
    else out.spec = prev.spec;
    const meta: Record<string, unknown> = { ...next.metadata };
    for (const k of statusMetadataResets(info)) {
      if ((prev.metadata as Record<string, unknown>)[k] === undefined) delete meta[k];
      else meta[k] = (prev.metadata as Record<string, unknown>)[k];
    }
    out.metadata = meta as KubeObject['metadata'];
    // The QoS class is set at creation; a status write without one keeps it (podStatusStrategy).
    if (info.group === '' && info.kind === 'Pod' && !out.status?.qosClass && prev.status?.qosClass) out.status = { ...out.status, qosClass: prev.status.qosClass };
  } else {
    out = next;
    if (hasStatusSubresource(info)) {
      if (prev.status === undefined) delete out.status;
      else out.status = prev.status;
    }
  }
  const m = { ...out.metadata };
  for (const k of SYSTEM_META) {
    if (prev.metadata[k] === undefined) delete m[k];
    else (m as Record<string, unknown>)[k] = prev.metadata[k];
  }
  m.name = prev.metadata.name;
  if (prev.metadata.namespace !== undefined) m.namespace = prev.metadata.namespace;
  out = { ...out, apiVersion: prev.apiVersion, kind: prev.kind, metadata: m };
  if (subresource !== 'status') applyDefaults(info, out);
  normalizeAsTyped(info, out);
  if (info.generation && subresource !== 'status' && specPart(out) !== specPart(prev)) m.generation = (prev.metadata.generation ?? 0) + 1;
  return out;
}
