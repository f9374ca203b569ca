// Realistic API objects for benchmarks: pods as the apiserver returns them (managedFields,
// last-applied annotations, conditions, container statuses), with claims, volumes and events.
// Sizes match what real clusters send (~4 KiB a pod), so parse and projection costs are honest.

const T = '2026-11-20T08:00:00Z';

function managedFields(manager: string) {
  return [
    { manager, operation: 'Update', apiVersion: 'v1', time: T, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} }, 'f:ownerReferences': { '.': {}, 'k:{"uid":"x"}': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:ports': {}, 'f:resources': {}, 'f:volumeMounts': {} } }, 'f:volumes': {} } } },
    { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: T, fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:podIPs': {}, 'f:startTime': {} } } },
  ];
}

export function benchPod(i: number, nodes: number, claim: string) {
  const name = `app-${Math.floor(i / 2)}-${i % 2 === 0 ? 'a' : 'b'}x${i.toString(36)}`;
  const ns = `team-${i % 20}`;
  const node = `node-${i % nodes}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      resourceVersion: '1',
      creationTimestamp: T,
      generateName: `app-${Math.floor(i / 2)}-`,
      labels: { app: `app-${Math.floor(i / 20)}`, 'pod-template-hash': '5d8f7c9b4', tier: 'backend', 'app.kubernetes.io/part-of': 'shop' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': T, 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${Math.floor(i / 20)}-5d8f7c9b4`, uid: `rs-${Math.floor(i / 20)}`, controller: true, blockOwnerDeletion: true }],
      managedFields: managedFields('kube-controller-manager'),
    },
    spec: {
      nodeName: node,
      serviceAccountName: 'default',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      containers: [
        {
          name: 'app',
          image: `registry.example.com/shop/app-${i % 7}:v1.${i % 13}.0`,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
          volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: claim } },
        { name: 'kube-api-access-abcde', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: `10.0.${(i % nodes) >> 8}.${(i % nodes) & 255}`,
      podIP: `10.244.${(i >> 8) & 255}.${i & 255}`,
      podIPs: [{ ip: `10.244.${(i >> 8) & 255}.${i & 255}` }],
      startTime: T,
      qosClass: 'Burstable',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: T })),
      containerStatuses: [
        { name: 'app', ready: true, started: true, restartCount: i % 3, image: `registry.example.com/shop/app-${i % 7}:v1.${i % 13}.0`, imageID: `registry.example.com/shop/app@sha256:${'ab'.repeat(32)}`, containerID: `containerd://${'cd'.repeat(32)}`, state: { running: { startedAt: T } }, lastState: {} },
      ],
    },
  };
}

export function benchPVC(i: number) {
  const ns = `team-${(i * 2) % 20}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `data-${i}`,
      namespace: ns,
      uid: `10000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      creationTimestamp: T,
      annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.beta.kubernetes.io/storage-provisioner': 'rbd.csi.ceph.com', 'volume.kubernetes.io/storage-provisioner': 'rbd.csi.ceph.com' },
      finalizers: ['kubernetes.io/pvc-protection'],
      managedFields: managedFields('kube-controller-manager'),
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'csi-rbd-sc', volumeMode: 'Filesystem', volumeName: `pvc-${i}` },
    status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } },
  };
}

export function benchPV(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `pvc-${i}`,
      uid: `20000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      creationTimestamp: T,
      annotations: { 'pv.kubernetes.io/provisioned-by': 'rbd.csi.ceph.com', 'volume.kubernetes.io/provisioner-deletion-secret-name': 'csi-rbd-secret', 'volume.kubernetes.io/provisioner-deletion-secret-namespace': 'ceph-csi' },
      finalizers: ['kubernetes.io/pv-protection'],
      managedFields: managedFields('csi-provisioner'),
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Gi' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: `data-${i}`, namespace: `team-${(i * 2) % 20}`, uid: `10000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, resourceVersion: '1' },
      csi: { driver: 'rbd.csi.ceph.com', fsType: 'ext4', volumeHandle: `0001-0009-rook-ceph-0000000000000002-${i.toString(16).padStart(8, '0')}`, volumeAttributes: { clusterID: 'rook-ceph', imageFeatures: 'layering', imageName: `csi-vol-${i}`, journalPool: 'replicapool', pool: 'replicapool' } },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'csi-rbd-sc',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound', lastPhaseTransitionTime: T },
  };
}

export function benchEvent(i: number, pod: { metadata: { name: string; namespace: string; uid: string } }) {
  const reasons = [
    ['Normal', 'Pulled', 'Container image "registry.example.com/shop/app:v1.2.0" already present on machine'],
    ['Normal', 'Started', 'Started container app'],
    ['Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "pvc-1" : rpc error: code = Internal desc = rbd: map failed: (110) Connection timed out'],
    ['Normal', 'SuccessfulAttachVolume', 'AttachVolume.Attach succeeded for volume "pvc-1"'],
  ];
  const [type, reason, message] = reasons[i % reasons.length];
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.metadata.name}.${(0x1800000000000 + i).toString(16)}`, namespace: pod.metadata.namespace, uid: `30000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, creationTimestamp: T },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, resourceVersion: '1', fieldPath: 'spec.containers{app}' },
    reason,
    message,
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: T,
    lastTimestamp: T,
    count: 1 + (i % 5),
    type,
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  };
}

export function benchNode(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i}`, uid: `40000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, creationTimestamp: T, labels: { 'kubernetes.io/hostname': `node-${i}`, 'kubernetes.io/os': 'linux' } },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: T, lastTransitionTime: T }], nodeInfo: { kubeletVersion: 'v1.34.1' } },
  };
}
