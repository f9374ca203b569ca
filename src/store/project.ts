// Raw API objects → compact records (records.ts). Everything not listed here is dropped on
// arrival: managedFields, last-applied annotations, unused spec, every Secret-shaped thing.
import type {
  AnyRecord,
  Condition,
  ContainerRec,
  EventRec,
  KindName,
  Labels,
  Meta,
  OwnerRef,
  PodRec,
  PodVolumeRec,
} from './records';
import { EMPTY, intern, internMap, share } from './intern';
import { extractCsiHints } from './csi-hints';

/** The loose shape of any Kubernetes object as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawObject = { metadata?: any; spec?: any; status?: any; [k: string]: any };

export function time(s: unknown): number {
  if (typeof s !== 'string' || !s) return 0;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : 0;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function owner(refs: unknown): OwnerRef | undefined {
  if (!Array.isArray(refs) || refs.length === 0) return undefined;
  const r = refs.find((x) => x && x.controller) ?? refs[0];
  const kind = str(r.kind);
  const name = str(r.name);
  const uid = str(r.uid);
  const controller = !!r.controller;
  // Every pod of a ReplicaSet or DaemonSet points at the same owner: one shared object.
  return share(`o\0${uid}\0${kind}\0${name}\0${controller}`, () => ({ kind: intern(kind), name, uid, controller }));
}

function meta<K extends KindName>(kind: K, o: RawObject): Meta & { kind: K } {
  const m = o.metadata ?? {};
  return {
    kind,
    uid: str(m.uid),
    name: str(m.name),
    namespace: intern(str(m.namespace)),
    resourceVersion: str(m.resourceVersion),
    created: time(m.creationTimestamp),
    deleting: time(m.deletionTimestamp),
    labels: sharedLabels(m.labels),
    owner: m.ownerReferences ? owner(m.ownerReferences) : undefined,
  };
}

/** Label sets are shared: the pods of one template carry the same one. */
function sharedLabels(m: Record<string, string> | undefined | null): Labels {
  if (!m) return EMPTY;
  const keys = Object.keys(m);
  if (keys.length === 0) return EMPTY;
  let key = 'l';
  for (const k of keys) key += `\0${k}\0${m[k]}`;
  return share(key, () => internMap(m));
}

const NO_CONDITIONS: readonly Condition[] = Object.freeze([]);

/**
 * Pod conditions other than Ready, in their healthy state (status True), are shared and keep no
 * transition time: on a big cluster nearly every pod has the same ones, and only Ready and the
 * unhealthy ones need a "since". Other kinds keep every time (resize conditions are True).
 */
const shareableTrue = (type: string) => type !== 'Ready';
const keepAll = () => false;

function conditions(list: unknown, timeless: (type: string) => boolean = keepAll): readonly Condition[] {
  if (!Array.isArray(list) || list.length === 0) return NO_CONDITIONS;
  let allShared = true;
  let key = 'C';
  const out = list.map((c) => {
    const type = str(c.type);
    const status = str(c.status);
    const reason = str(c.reason);
    const message = str(c.message);
    if (status === 'True' && timeless(type)) {
      const k = `c\0${type}\0${reason}\0${message}`;
      key += `\0${k}`;
      return share(k, () => ({ type: intern(type), status: 'True', reason: intern(reason), message, lastTransition: 0 }));
    }
    allShared = false;
    return { type: intern(type), status: intern(status), reason: intern(reason), message, lastTransition: time(c.lastTransitionTime ?? c.lastProbeTime ?? c.lastHeartbeatTime) };
  });
  return allShared ? share(key, () => out) : out;
}

/** Annotations a pod record keeps: JuiceFS references and the default container. */
function podAnnotations(a: Record<string, string> | undefined): Labels {
  if (!a) return EMPTY;
  let out: Record<string, string> | undefined;
  for (const k of Object.keys(a)) {
    if (k.startsWith('juicefs-') || k === 'kubectl.kubernetes.io/default-container') {
      (out ??= {})[intern(k)] = str(a[k]);
    }
  }
  return out ?? EMPTY;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function container(spec: any, st: any, init: boolean): ContainerRec {
  const state = st?.state ?? {};
  const which = state.running ? 'running' : state.terminated ? 'terminated' : state.waiting ? 'waiting' : 'unknown';
  const s = state[which] ?? {};
  const lt = st?.lastState?.terminated;
  return {
    name: intern(str(spec?.name ?? st?.name)),
    image: intern(str(spec?.image ?? st?.image)),
    init,
    sidecar: init && spec?.restartPolicy === 'Always',
    ready: !!st?.ready,
    started: !!st?.started,
    restarts: num(st?.restartCount),
    state: which,
    reason: intern(str(s.reason)),
    message: str(s.message),
    exitCode: typeof s.exitCode === 'number' ? s.exitCode : undefined,
    startedAt: time(s.startedAt),
    last: lt ? { reason: intern(str(lt.reason)), message: str(lt.message), exitCode: typeof lt.exitCode === 'number' ? lt.exitCode : undefined, finishedAt: time(lt.finishedAt) } : undefined,
  };
}

/** Volume names every one of whose mounts propagates host mounts into the container. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function propagatingVolumes(containers: any[]): Set<string> {
  const yes = new Set<string>();
  const no = new Set<string>();
  for (const c of containers) {
    for (const m of Array.isArray(c?.volumeMounts) ? c.volumeMounts : []) {
      const p = m?.mountPropagation;
      (p === 'HostToContainer' || p === 'Bidirectional' ? yes : no).add(str(m?.name));
    }
  }
  for (const n of no) yes.delete(n);
  return yes;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function podVolumes(podName: string, vols: any[] | undefined, containers: any[]): readonly PodVolumeRec[] {
  if (!Array.isArray(vols)) return NO_VOLUMES;
  let key = 'V';
  for (const v of vols) {
    if (v?.persistentVolumeClaim || v?.ephemeral || v?.csi) key += `\0${str(v.name)}\0${str(v.persistentVolumeClaim?.claimName)}\0${v.persistentVolumeClaim?.readOnly || v.csi?.readOnly ? 1 : 0}\0${str(v.csi?.driver)}\0${v.ephemeral ? podName : ''}`;
  }
  if (key === 'V') return NO_VOLUMES;
  key += `\0${[...propagatingVolumes(containers)].join(',')}`;
  // Pods of one template (and of one shared claim) have the same volume list: share it.
  return share(key, () => buildVolumes(podName, vols, containers));
}

const NO_VOLUMES: readonly PodVolumeRec[] = Object.freeze([]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function buildVolumes(podName: string, vols: any[], containers: any[]): PodVolumeRec[] {
  const out: PodVolumeRec[] = [];
  let propagating: Set<string> | undefined;
  const flag = (name: string) => ((propagating ??= propagatingVolumes(containers)).has(name) ? { hostToContainer: true } : {});
  for (const v of vols) {
    if (v?.persistentVolumeClaim) {
      out.push({ name: str(v.name), claim: str(v.persistentVolumeClaim.claimName), ...(v.persistentVolumeClaim.readOnly ? { readOnly: true } : {}), ...flag(str(v.name)) });
    } else if (v?.ephemeral) {
      out.push({ name: str(v.name), claim: `${podName}-${str(v.name)}`, ephemeral: true, ...flag(str(v.name)) });
    } else if (v?.csi) {
      out.push({ name: str(v.name), csiDriver: intern(str(v.csi.driver)), ...(v.csi.readOnly ? { readOnly: true } : {}), ...flag(str(v.name)) });
    }
  }
  return out;
}

/** kubectl's STATUS column, following `kubectl get pods` (printPod). */
export function podStatus(phase: string, reason: string, deleting: boolean, inits: readonly ContainerRec[], mains: readonly ContainerRec[], readyCond: boolean): string {
  let r = reason || phase || 'Unknown';
  let initializing = false;
  const regularInits = inits.filter((c) => !c.sidecar);
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    if (c.sidecar && c.started) continue;
    if (c.state === 'terminated' && c.exitCode === 0) continue;
    if (c.state === 'terminated') {
      r = c.reason ? `Init:${c.reason}` : `Init:ExitCode:${c.exitCode ?? 0}`;
    } else if (c.state === 'waiting' && c.reason && c.reason !== 'PodInitializing') {
      r = `Init:${c.reason}`;
    } else {
      r = `Init:${regularInits.filter((x) => x.state === 'terminated' && x.exitCode === 0).length}/${regularInits.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    for (let i = mains.length - 1; i >= 0; i--) {
      const c = mains[i];
      if (c.state === 'waiting' && c.reason) r = c.reason;
      else if (c.state === 'terminated' && c.reason) r = c.reason;
      else if (c.state === 'terminated') r = `ExitCode:${c.exitCode ?? 0}`;
      else if (c.state === 'running' && c.ready) hasRunning = true;
    }
    if (r === 'Completed' && hasRunning) r = readyCond ? 'Running' : 'NotReady';
  }
  if (deleting) r = reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return intern(r);
}

function projectPod(o: RawObject): PodRec {
  const m = meta('Pod', o);
  const spec = o.spec ?? {};
  const st = o.status ?? {};
  const statusByName = (list: unknown) => {
    const map = new Map<string, unknown>();
    if (Array.isArray(list)) for (const s of list) map.set(s?.name, s);
    return map;
  };
  const initSt = statusByName(st.initContainerStatuses);
  const mainSt = statusByName(st.containerStatuses);
  const specInits: unknown[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const specMains: unknown[] = Array.isArray(spec.containers) ? spec.containers : [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const inits = specInits.map((c: any) => container(c, initSt.get(c?.name), true));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const mains = specMains.map((c: any) => container(c, mainSt.get(c?.name), false));
  const conds = conditions(st.conditions, shareableTrue);
  const readyCond = conds.some((c) => c.type === 'Ready' && c.status === 'True');
  const phase = intern(str(st.phase) || 'Pending');
  const reason = intern(str(st.reason));
  const sidecarInits = inits.filter((c) => c.sidecar);
  const counted = [...mains, ...sidecarInits];
  const csi = extractCsiHints([...(specInits as object[]), ...(specMains as object[])]);
  // One literal with every field (no spread) so all pod records share one compact shape.
  return {
    kind: m.kind,
    uid: m.uid,
    name: m.name,
    namespace: m.namespace,
    resourceVersion: m.resourceVersion,
    created: m.created,
    deleting: m.deleting,
    labels: m.labels,
    owner: m.owner,
    node: intern(str(spec.nodeName)),
    phase,
    status: podStatus(phase, reason, m.deleting > 0, inits, mains, readyCond),
    reason,
    message: str(st.message),
    readyCount: counted.filter((c) => c.ready).length,
    containerCount: counted.length,
    restarts: counted.reduce((a, c) => a + c.restarts, 0),
    ready: readyCond,
    containers: [...inits, ...mains],
    volumes: podVolumes(m.name, spec.volumes, [...specInits, ...specMains]),
    annotations: podAnnotations(o.metadata?.annotations),
    conditions: conds,
    csi,
    hostIP: intern(str(st.hostIP)),
    startTime: time(st.startTime),
  };
}

const storage = (res: unknown): string => str((res as Record<string, unknown> | undefined)?.storage);

const PV_SOURCES = ['nfs', 'hostPath', 'local', 'iscsi', 'rbd', 'cephfs', 'fc', 'awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk', 'azureFile', 'glusterfs', 'cinder', 'vsphereVolume', 'flexVolume'];

/** Only the JuiceFS attributes (mount pod sharing) are kept; others can hold credentials' names. */
const PV_ATTRIBUTES = ['juicefs/mount-image', 'juicefs/clean-cache', 'storage.kubernetes.io/csiProvisionerIdentity'];

export function project(kind: KindName, o: RawObject): AnyRecord | null {
  const spec = o.spec ?? {};
  const st = o.status ?? {};
  const ann: Record<string, string> = o.metadata?.annotations ?? {};
  if (kind === 'Pod') return projectPod(o);
  if (kind === 'Event') return projectEvent(o);
  // Every record is one object literal listing the meta fields: spreading `meta` and adding
  // more fields made V8 fall back to slow dictionary-mode objects (~40 µs and ~1 KiB each).
  const m = meta(kind, o);
  switch (kind) {
    case 'PersistentVolumeClaim':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        phase: intern(str(st.phase) || 'Pending'),
        storageClass: intern(str(spec.storageClassName ?? ann['volume.beta.kubernetes.io/storage-class'])),
        volumeName: str(spec.volumeName),
        requested: storage(spec.resources?.requests),
        capacity: storage(st.capacity),
        accessModes: (spec.accessModes ?? []).map((x: string) => intern(str(x))),
        volumeMode: intern(str(spec.volumeMode) || 'Filesystem'),
        conditions: conditions(st.conditions),
        resizeStatus: intern(str(st.allocatedResourceStatuses?.storage ?? st.resizeStatus)),
        allocated: storage(st.allocatedResources),
        provisioner: intern(str(ann['volume.kubernetes.io/storage-provisioner'] ?? ann['volume.beta.kubernetes.io/storage-provisioner'])),
        selectedNode: intern(str(ann['volume.kubernetes.io/selected-node'])),
      };
    case 'PersistentVolume': {
      const csi = spec.csi;
      const attrs: Record<string, string> = {};
      for (const k of PV_ATTRIBUTES) if (csi?.volumeAttributes?.[k] != null) attrs[k] = str(csi.volumeAttributes[k]);
      const ref = spec.claimRef;
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        phase: intern(str(st.phase) || 'Pending'),
        phaseSince: time(st.lastPhaseTransitionTime),
        reason: intern(str(st.reason)),
        message: str(st.message),
        capacity: storage(spec.capacity),
        driver: intern(str(csi?.driver)),
        volumeHandle: str(csi?.volumeHandle),
        source: intern(csi ? 'csi' : (PV_SOURCES.find((s) => spec[s]) ?? '')),
        claim: ref ? { namespace: intern(str(ref.namespace)), name: str(ref.name), uid: str(ref.uid) } : undefined,
        storageClass: intern(str(spec.storageClassName)),
        reclaimPolicy: intern(str(spec.persistentVolumeReclaimPolicy) || 'Retain'),
        accessModes: (spec.accessModes ?? []).map((x: string) => intern(str(x))),
        volumeMode: intern(str(spec.volumeMode) || 'Filesystem'),
        attributes: Object.keys(attrs).length ? internMap(attrs) : EMPTY,
      };
    }
    case 'StorageClass':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        provisioner: intern(str(o.provisioner)),
        allowVolumeExpansion: o.allowVolumeExpansion === true,
        reclaimPolicy: intern(str(o.reclaimPolicy) || 'Delete'),
        bindingMode: intern(str(o.volumeBindingMode) || 'Immediate'),
        isDefault: ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true',
        parameters: internMap(o.parameters),
      };
    case 'CSIDriver':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        attachRequired: spec.attachRequired !== false,
        podInfoOnMount: spec.podInfoOnMount === true,
        lifecycleModes: (spec.volumeLifecycleModes ?? ['Persistent']).map((x: string) => intern(str(x))),
        fsGroupPolicy: intern(str(spec.fsGroupPolicy) || 'ReadWriteOnceWithFSType'),
        storageCapacity: spec.storageCapacity === true,
        requiresRepublish: spec.requiresRepublish === true,
      };
    case 'CSINode':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        drivers: (spec.drivers ?? []).map((d: RawObject) => ({
          name: intern(str(d.name)),
          nodeID: str(d.nodeID),
          allocatable: typeof d.allocatable?.count === 'number' ? d.allocatable.count : undefined,
        })),
      };
    case 'VolumeAttachment':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        attacher: intern(str(spec.attacher)),
        node: intern(str(spec.nodeName)),
        pv: str(spec.source?.persistentVolumeName),
        attached: st.attached === true,
        attachError: str(st.attachError?.message),
        attachErrorTime: time(st.attachError?.time),
        detachError: str(st.detachError?.message),
      };
    case 'Node': {
      const conds = conditions(st.conditions);
      const ready = conds.find((c) => c.type === 'Ready');
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        ready: ready?.status ?? 'Unknown',
        readyReason: ready?.reason ?? '',
        readyMessage: ready?.message ?? '',
        unschedulable: spec.unschedulable === true,
        taints: (spec.taints ?? []).map((t: RawObject) => ({ key: intern(str(t.key)), value: intern(str(t.value)), effect: intern(str(t.effect)) })),
        kubeletVersion: intern(str(st.nodeInfo?.kubeletVersion)),
        conditions: conds,
      };
    }
    case 'DaemonSet':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        desired: num(st.desiredNumberScheduled),
        ready: num(st.numberReady),
        available: num(st.numberAvailable),
        updated: num(st.updatedNumberScheduled),
      };
    case 'StatefulSet':
    case 'Deployment':
    case 'ReplicaSet':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        desired: typeof spec.replicas === 'number' ? spec.replicas : 1,
        ready: num(st.readyReplicas),
        available: num(st.availableReplicas),
        updated: num(st.updatedReplicas),
      };
    case 'Lease':
      return {
        kind, uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, created: m.created, deleting: m.deleting, labels: m.labels, owner: m.owner,
        holder: str(spec.holderIdentity),
        renewTime: time(spec.renewTime),
        durationSeconds: num(spec.leaseDurationSeconds),
      };
    case 'Namespace':
      return { ...meta(kind, o), phase: intern(str(st.phase) || 'Active') };
  }
}

/** Kinds whose events csi-top keeps; events about anything else only when the reason is a storage one. */
const EVENT_KINDS = new Set(['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'VolumeAttachment', 'Node', 'CSINode', 'CSIDriver', 'StorageClass', 'DaemonSet', 'StatefulSet', 'Deployment', 'ReplicaSet']);
const STORAGE_REASON = /Mount|Attach|Provision|Resiz|Volume|Expand|Detach|Map/;

export function isStorageRelevantEvent(involvedKind: string, reason: string): boolean {
  return EVENT_KINDS.has(involvedKind) || STORAGE_REASON.test(reason);
}

function projectEvent(o: RawObject): EventRec | null {
  const io = o.involvedObject ?? o.regarding ?? {};
  const reason = str(o.reason);
  if (!isStorageRelevantEvent(str(io.kind), reason)) return null;
  const m = meta('Event', o);
  const last = time(o.lastTimestamp) || time(o.eventTime) || time(o.series?.lastObservedTime) || m.created;
  return {
    kind: 'Event',
    uid: m.uid,
    name: m.name,
    namespace: m.namespace,
    resourceVersion: m.resourceVersion,
    created: m.created,
    deleting: m.deleting,
    labels: EMPTY,
    owner: m.owner,
    type: intern(str(o.type) || 'Normal'),
    reason: intern(reason),
    message: str(o.message ?? o.note),
    count: num(o.count) || num(o.series?.count) || 1,
    first: time(o.firstTimestamp) || time(o.eventTime) || last,
    last,
    source: intern(str(o.source?.component ?? o.reportingComponent ?? o.reportingController)),
    involved: { kind: intern(str(io.kind)), namespace: intern(str(io.namespace)), name: str(io.name), uid: str(io.uid) },
  };
}
