// `--scale N`: N generated app pods with their claims and volumes on ~N/30 extra nodes, owned by
// StatefulSets (RBD, one claim per pod, VolumeAttachments) and Deployments (a shared NFS or
// JuiceFS claim; JuiceFS pods get a mount pod per node). Written straight into the object store
// (no HTTP, no validation) and lean: pods of one workload share their spec and status parts,
// which is safe because stored objects are never mutated.
import { attachmentName, csiTargetPath, imageID, iso, juicefsRefKey, KObj } from './scenarios/kube';
import { Rand } from './scenarios/rand';
import { mountPod, settingHashOf } from './scenarios/deploy-juicefs';
import { podFromTemplate } from './scenarios/workload';
import { podQosClass } from './strategy';
import type { UsageSeed } from './scenarios/types';
import type { SimulatorLike, WorldApi } from './world-api';

export interface ScaleResult {
  pods: number;
  nodes: number;
  objects: number;
  usage: UsageSeed[];
  ms: number;
}

const GI = 2 ** 30;
const DRIVERS = [
  { sc: 'csi-rbd-sc', driver: 'rbd.csi.ceph.com', share: false, weight: 0.6 },
  { sc: 'nfs-csi', driver: 'nfs.csi.k8s.io', share: true, weight: 0.25 },
  { sc: 'juicefs-sc', driver: 'csi.juicefs.com', share: true, weight: 0.15 },
];

export function generateScale(api: WorldApi, o: { count: number; seed: number; now: number; sim?: SimulatorLike }): ScaleResult {
  const t0 = Date.now();
  const r = new Rand(`scale:${o.seed}`);
  let objects = 0;
  const put = (obj: KObj) => {
    objects++;
    if (o.sim) o.sim.objects.create(obj, { seed: true, owned: true });
    else api.create(obj);
  };
  const drivers = DRIVERS.filter((d) => api.get('StorageClass', undefined, d.sc));
  if (!drivers.length) throw new Error('--scale needs the drivers of a scenario (e.g. healthy) installed');
  const nodes = stampNodes(api, r, Math.max(1, Math.ceil(o.count / 30)), o.now, put);
  const usage: UsageSeed[] = [];
  const created = iso(o.now - 86400_000 * 7);
  const ready = iso(o.now - 86400_000 * 7 + 20_000);
  const conditions = [
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: created },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: created },
    { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: ready },
    { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: ready },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: created },
  ];
  const runningState = { running: { startedAt: ready } };
  let made = 0;
  let w = 0;
  let nodeCursor = 0;
  while (made < o.count) {
    w++;
    const ns = `team-${String(1 + Math.floor(w / 40)).padStart(3, '0')}`;
    const d = pickDriver(r, drivers);
    const size = Math.min(d.share ? 5 : 3, o.count - made);
    const name = `${d.share ? 'web' : 'db'}-${String(w).padStart(5, '0')}`;
    const image = d.share ? 'nginx:1.27.3' : 'postgres:16.4';
    const labels = { app: name };
    const container = { name: d.share ? 'web' : 'db', image, imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', volumeMounts: [{ name: 'data', mountPath: '/data' }] };
    const claimOf = (i: number) => (d.share ? `${name}-data` : `data-${name}-${i}`);
    const ownerTemplate = { metadata: { labels }, spec: { containers: [container], ...(d.share ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claimOf(0) } }] } : {}) } };
    const owner = d.share ? replicaSetFor(put, r, ns, name, labels, size, created, ownerTemplate) : statefulSetFor(put, r, ns, name, labels, size, created, d.sc, ownerTemplate);
    // The JuiceFS node plugin labels the app pods it mounts for (`juicefs-uniqueid: ""`).
    const podLabels = d.share ? { ...labels, 'pod-template-hash': owner.metadata.labels!['pod-template-hash'], ...(d.driver === 'csi.juicefs.com' ? { 'juicefs-uniqueid': '' } : {}) } : labels;
    const template = { metadata: { labels: podLabels }, spec: { containers: [container], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claimOf(0) } }] } };
    const claims = new Map<string, KObj>();
    const mounts = new Map<string, KObj>();
    let base: KObj | undefined;
    for (let i = 0; i < size; i++) {
      const claim = claimOf(i);
      let pv = claims.get(claim);
      if (!pv) {
        pv = boundPair(put, r, ns, claim, d.sc, d.driver, d.share ? '20Gi' : '10Gi', created);
        claims.set(claim, pv);
        usage.push({ key: `${ns}/${claim}`, capacityBytes: (d.share ? 20 : 10) * GI, usedBytes: Math.floor(r.range(0.05, 0.8) * (d.share ? 20 : 10) * GI), inodes: 655360, inodesUsed: 1000 + r.int(50000) });
      }
      const node = nodes[nodeCursor++ % nodes.length];
      const podName = d.share ? `${owner.metadata.name}-${r.nameSuffix()}` : `${name}-${i}`;
      // The workload's first pod is stamped in full; the others share its spec parts (containers,
      // volumes, tolerations are the same JSON) and differ in metadata, node and their claim.
      base ??= podFromTemplate(template, { name: podName, namespace: ns, uid: '', createdMs: o.now - 86400_000 * 7, owner, apiSuffix: r.nameSuffix() });
      const volumes = d.share ? base.spec.volumes : [{ name: 'data', persistentVolumeClaim: { claimName: claim } }, base.spec.volumes[1]];
      const pod: KObj = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace: ns,
          uid: r.uid(),
          creationTimestamp: base.metadata.creationTimestamp,
          labels: d.share ? base.metadata.labels : { ...labels, 'statefulset.kubernetes.io/pod-name': podName, 'controller-revision-hash': `${name}-6c8d9f7b5` },
          ...(d.share ? { generateName: base.metadata.generateName } : {}),
          ownerReferences: base.metadata.ownerReferences,
        },
        spec: { ...base.spec, volumes, nodeName: node },
      };
      const ip = `10.${100 + (nodeCursor % 100)}.${(made >> 8) & 255}.${made & 255}`;
      // One pod in four was (re)started in the last hour: its events have not expired yet.
      const recent = made % 4 === 0;
      const startMs = recent ? o.now - (60 + r.int(3000)) * 1000 : 0;
      if (recent) pod.metadata.creationTimestamp = iso(startMs);
      pod.status = {
        phase: 'Running',
        conditions: recent ? conditions.map((c) => ({ ...c, lastTransitionTime: iso(startMs + (c.type.endsWith('Ready') ? 15_000 : 0)) })) : conditions,
        hostIP: `10.1.${(nodeCursor % nodes.length) >> 8}.${(nodeCursor % nodes.length) & 255}`,
        podIP: ip,
        podIPs: [{ ip }],
        startTime: created,
        containerStatuses: [{ name: container.name, state: recent ? { running: { startedAt: iso(startMs + 10_000) } } : runningState, lastState: EMPTY, ready: true, restartCount: 0, image, imageID: imageID(image), containerID: `containerd://${r.hex(64)}`, started: true }],
        qosClass: 'BestEffort',
      };
      put(pod);
      if (recent) for (const e of podEvents(r, pod, node, startMs, image)) put(e);
      if (d.driver === 'rbd.csi.ceph.com') put(attachment(pv, node, created));
      if (d.driver === 'csi.juicefs.com') addMountRef(mounts, r, node, pv, pod, o.now);
      made++;
    }
    for (const mp of mounts.values()) put(mp);
  }
  return { pods: made, nodes: nodes.length, objects, usage, ms: Date.now() - t0 };
}

const KUBELET = { component: 'kubelet' };

/** Scheduled, Pulled and Started: what a pod started within the hour still shows. */
function podEvents(r: Rand, pod: KObj, node: string, startMs: number, image: string): KObj[] {
  const involved = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: '' };
  const make = (reason: string, message: string, at: number, source: Record<string, string>, fieldPath?: string): KObj => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.${(BigInt(at) * 1_000_000n + BigInt(r.int(999_999))).toString(16)}`, namespace: pod.metadata.namespace, uid: r.uid(), creationTimestamp: iso(at) },
    involvedObject: fieldPath ? { ...involved, fieldPath } : involved,
    reason,
    message,
    source,
    firstTimestamp: iso(at),
    lastTimestamp: iso(at),
    count: 1,
    type: 'Normal',
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  });
  const fp = `spec.containers{${pod.spec.containers[0].name}}`;
  const onNode = { ...KUBELET, host: node };
  return [
    make('Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, startMs, { component: 'default-scheduler' }),
    make('Pulled', `Container image "${image}" already present on machine`, startMs + 9000, onNode, fp),
    make('Started', `Started container ${pod.spec.containers[0].name}`, startMs + 10_000, onNode, fp),
  ];
}

function pickDriver(r: Rand, drivers: typeof DRIVERS) {
  const total = drivers.reduce((s, d) => s + d.weight, 0);
  let x = r.next() * total;
  for (const d of drivers) if ((x -= d.weight) < 0) return d;
  return drivers[drivers.length - 1];
}

function stampNodes(api: WorldApi, r: Rand, count: number, now: number, put: (o: KObj) => void): string[] {
  const model = api.get('Node', undefined, 'n1') ?? api.list('Node').find((n) => !n.spec?.taints?.length);
  const daemonSets = api.list('DaemonSet').filter((ds) => !(ds.spec.template.spec.tolerations ?? []).some((t: Record<string, any>) => t.key === 'nvidia.com/gpu'));
  const csiDrivers = new Set(api.list('CSINode').flatMap((c) => (c.spec?.drivers ?? []).map((d: Record<string, any>) => d.name)));
  const driverList = [...csiDrivers].filter((d) => d !== 'hostpath.csi.k8s.io').sort();
  const names: string[] = [];
  const used = new Set<string>();
  const bases: KObj[] = [];
  for (let i = 0; i < count; i++) {
    const name = `scale-${String(i + 1).padStart(5, '0')}`;
    names.push(name);
    const hostIP = `10.1.${i >> 8}.${i & 255}`;
    put({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { ...model?.metadata.labels, 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `eu-west-1${'abc'[i % 3]}` }, annotations: model?.metadata.annotations },
      spec: { podCIDR: `10.${100 + (i % 100)}.0.0/24` },
      status: { ...model?.status, addresses: [{ type: 'InternalIP', address: hostIP }, { type: 'Hostname', address: name }] },
    });
    put({ apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', metadata: { name }, spec: { drivers: driverList.map((d) => ({ name: d, nodeID: name, topologyKeys: null })) } });
    daemonSets.forEach((ds, k) => {
      // Thousands of pods share one prefix: generated suffixes would collide (birthday bound).
      let podName = `${ds.metadata.name}-${r.nameSuffix()}`;
      while (used.has(podName) || api.get('Pod', ds.metadata.namespace, podName)) podName = `${ds.metadata.name}-${r.nameSuffix()}`;
      used.add(podName);
      const base = (bases[k] ??= daemonPodBase(ds, r, now));
      const spec = { ...base.spec, nodeName: name, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] }] } } } };
      put({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { ...base.metadata, name: podName, uid: r.uid() },
        spec,
        status: {
          ...base.status,
          hostIP,
          podIP: ds.spec.template.spec.hostNetwork ? hostIP : `10.${100 + (i % 100)}.0.${2 + k}`,
          containerStatuses: base.status.containerStatuses.map((c: Record<string, any>) => ({ ...c, containerID: `containerd://${r.hex(64)}` })),
        },
      });
    });
  }
  return names;
}

/** A DaemonSet's pod as on any node: the per-node pods share its parts. */
function daemonPodBase(ds: KObj, r: Rand, now: number): KObj {
  const pod = podFromTemplate(ds.spec.template, { name: '', namespace: ds.metadata.namespace!, uid: '', createdMs: now - 86400_000 * 8, owner: ds, labels: { 'controller-revision-hash': 'scale', 'pod-template-generation': '1' }, apiSuffix: r.nameSuffix() });
  const at = iso(now - 86400_000 * 8);
  const state = { running: { startedAt: at } };
  pod.status = {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: at }, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at }],
    startTime: at,
    containerStatuses: pod.spec.containers.map((c: Record<string, any>) => ({ name: c.name, state, lastState: EMPTY, ready: true, restartCount: 0, image: c.image, imageID: imageID(c.image), started: true })),
    qosClass: podQosClass(pod.spec),
  };
  return pod;
}

function replicaSetFor(put: (o: KObj) => void, r: Rand, ns: string, name: string, labels: Record<string, string>, replicas: number, created: string, template: Record<string, any>): KObj {
  const hash = r.templateHash();
  const dep: KObj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, uid: r.uid(), generation: 1, creationTimestamp: created, labels }, spec: { replicas, selector: { matchLabels: labels }, template }, status: { replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, observedGeneration: 1 } };
  put(dep);
  const rsLabels = { ...labels, 'pod-template-hash': hash };
  const rs: KObj = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${name}-${hash}`, namespace: ns, uid: r.uid(), generation: 1, creationTimestamp: created, labels: rsLabels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: dep.metadata.uid!, controller: true, blockOwnerDeletion: true }] },
    spec: { replicas, selector: { matchLabels: rsLabels }, template: { ...template, metadata: { labels: rsLabels } } },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas, observedGeneration: 1 },
  };
  put(rs);
  return rs;
}

function statefulSetFor(put: (o: KObj) => void, r: Rand, ns: string, name: string, labels: Record<string, string>, replicas: number, created: string, sc: string, template: Record<string, any>): KObj {
  const sts: KObj = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns, uid: r.uid(), generation: 1, creationTimestamp: created, labels },
    spec: { replicas, serviceName: name, selector: { matchLabels: labels }, template, volumeClaimTemplates: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: sc } }] },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas, currentReplicas: replicas, updatedReplicas: replicas, observedGeneration: 1, currentRevision: `${name}-6c8d9f7b5`, updateRevision: `${name}-6c8d9f7b5` },
  };
  put(sts);
  return sts;
}

const EMPTY = {};
const RWO = ['ReadWriteOnce'];
const RWX = ['ReadWriteMany'];
const PVC_FINALIZERS = ['kubernetes.io/pvc-protection'];
const PV_FINALIZERS = ['kubernetes.io/pv-protection'];
/** Per-driver (and per-size) parts every generated claim and volume shares. */
const shared = new Map<string, any>();
function once<T>(key: string, make: () => T): T {
  let v = shared.get(key);
  if (v === undefined) shared.set(key, (v = make()));
  return v;
}

function boundPair(put: (o: KObj) => void, r: Rand, ns: string, claim: string, sc: string, driver: string, size: string, created: string): KObj {
  const uid = r.uid();
  const pvName = `pvc-${uid}`;
  const modes = driver === 'rbd.csi.ceph.com' ? RWO : RWX;
  put({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claim, namespace: ns, uid, creationTimestamp: created, annotations: once(`pvc-ann:${driver}`, () => ({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/storage-provisioner': driver })), finalizers: PVC_FINALIZERS },
    spec: { accessModes: modes, resources: once(`res:${size}`, () => ({ requests: { storage: size } })), storageClassName: sc, volumeMode: 'Filesystem', volumeName: pvName },
    status: once(`pvc-status:${driver}:${size}`, () => ({ phase: 'Bound', accessModes: modes, capacity: { storage: size } })),
  });
  const pv: KObj = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: pvName, uid: r.uid(), creationTimestamp: created, annotations: once(`pv-ann:${driver}`, () => ({ 'pv.kubernetes.io/provisioned-by': driver })), finalizers: PV_FINALIZERS },
    spec: { accessModes: modes, capacity: once(`cap:${size}`, () => ({ storage: size })), claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim, namespace: ns, uid }, csi: { driver, volumeHandle: pvName }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: sc, volumeMode: 'Filesystem' },
    status: once('pv-status', () => ({ phase: 'Bound' })),
  };
  put(pv);
  return pv;
}

function attachment(pv: KObj, node: string, created: string): KObj {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'VolumeAttachment',
    metadata: { name: attachmentName(pv.metadata.name, pv.spec.csi.driver, node), creationTimestamp: created, annotations: { 'csi.alpha.kubernetes.io/node-id': node } },
    spec: { attacher: pv.spec.csi.driver, nodeName: node, source: { persistentVolumeName: pv.metadata.name } },
    status: { attached: true },
  };
}

/** One mount pod per (node, volume), with a reference annotation per app pod on that node. */
function addMountRef(mounts: Map<string, KObj>, r: Rand, node: string, pv: KObj, pod: KObj, now: number): void {
  const key = `${node}/${pv.metadata.name}`;
  const target = csiTargetPath(pod.metadata.uid!, pv.metadata.name);
  const existing = mounts.get(key);
  if (existing) {
    existing.metadata.annotations![juicefsRefKey(target)] = target;
    return;
  }
  const uniqueId = pv.spec.csi.volumeHandle;
  const createdMs = now - 86400_000 * 7 + 5000;
  const mp = mountPod({ node, uniqueId, suffix: r.letters(6), uid: r.uid(), createdMs, refs: [{ podUid: pod.metadata.uid!, pv: pv.metadata.name }], fsUuid: r.uid(), settingHash: settingHashOf(uniqueId) });
  const at = iso(createdMs + 8000);
  mp.status = {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: at }, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(createdMs) }],
    hostIP: pod.status.hostIP,
    startTime: iso(createdMs),
    containerStatuses: [{ name: 'jfs-mount', state: { running: { startedAt: iso(createdMs + 2000) } }, lastState: {}, ready: true, restartCount: 0, image: mp.spec.containers[0].image, imageID: imageID(mp.spec.containers[0].image), containerID: `containerd://${r.hex(64)}`, started: true }],
    qosClass: podQosClass(mp.spec),
  };
  mounts.set(key, mp);
}
