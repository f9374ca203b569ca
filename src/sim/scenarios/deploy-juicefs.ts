// JuiceFS CSI in mount pod mode, as juicedata/juicefs-csi-driver's deploy/k8s.yaml installs it
// (StatefulSet juicefs-csi-controller, DaemonSet juicefs-csi-node), and its mount pods as the node
// plugin's pod builder makes them (pkg/juicefs/mount/builder, pkg/common).
import type { Cluster } from './cluster';
import { csiTargetPath, iso, juicefsRefKey, KObj, runningStatus } from './kube';
import { sha256hex } from './rand';
import { statefulSet } from './apps';
import { storageClass } from './storage';

export const JUICEFS_DRIVER = 'csi.juicefs.com';
export const JUICEFS_NS = 'kube-system';
export const MOUNT_IMAGE = 'juicedata/mount:ce-v1.2.3';
const CSI_IMAGE = 'juicedata/juicefs-csi-driver:v0.26.2';
const META_URL = 'redis://:****@redis.juicefs.svc.cluster.local:6379/1';

const INSTANCE = { 'app.kubernetes.io/instance': 'juicefs-csi-driver', 'app.kubernetes.io/name': 'juicefs-csi-driver', 'app.kubernetes.io/version': 'v0.26.2' };

const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });

function pluginContainer(args: string[], endpoint: string, mounts: Array<Record<string, any>>): Record<string, any> {
  return {
    name: 'juicefs-plugin',
    image: CSI_IMAGE,
    args,
    env: [
      { name: 'CSI_ENDPOINT', value: endpoint },
      fieldEnv('NODE_NAME', 'spec.nodeName'),
      fieldEnv('JUICEFS_MOUNT_NAMESPACE', 'metadata.namespace'),
      fieldEnv('POD_NAME', 'metadata.name'),
      { name: 'JUICEFS_MOUNT_PATH', value: '/var/lib/juicefs/volume' },
      { name: 'JUICEFS_CONFIG_PATH', value: '/var/lib/juicefs/config' },
    ],
    livenessProbe: { failureThreshold: 5, httpGet: { path: '/healthz', port: 'healthz', scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 3 },
    ports: [{ containerPort: 9909, name: 'healthz', protocol: 'TCP' }],
    resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m', memory: '512Mi' } },
    securityContext: { privileged: true },
    volumeMounts: mounts,
  };
}

const sidecar = (name: string, image: string, args: string[], address: string, mountPath: string, volume: string) => ({
  name,
  image,
  args,
  env: [{ name: 'ADDRESS', value: address }, ...(name === 'liveness-probe' ? [{ name: 'HEALTH_PORT', value: '9909' }] : [])],
  volumeMounts: [{ mountPath, name: volume }],
});

/** Installs the driver once: CSIDriver, controller StatefulSet + Leases, node DaemonSet, StorageClass. */
export function installJuiceFS(c: Cluster): { storageClass: KObj } {
  const sc = storageClass(c, {
    name: 'juicefs-sc',
    provisioner: JUICEFS_DRIVER,
    reclaimPolicy: 'Delete',
    expandable: true,
    parameters: {
      'csi.storage.k8s.io/provisioner-secret-name': 'juicefs-secret',
      'csi.storage.k8s.io/provisioner-secret-namespace': JUICEFS_NS,
      'csi.storage.k8s.io/node-publish-secret-name': 'juicefs-secret',
      'csi.storage.k8s.io/node-publish-secret-namespace': JUICEFS_NS,
      'csi.storage.k8s.io/controller-expand-secret-name': 'juicefs-secret',
      'csi.storage.k8s.io/controller-expand-secret-namespace': JUICEFS_NS,
    },
  });
  if (c.get('CSIDriver', undefined, JUICEFS_DRIVER)) return { storageClass: sc };
  c.add({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name: JUICEFS_DRIVER, labels: INSTANCE },
    spec: { attachRequired: false, podInfoOnMount: true, fsGroupPolicy: 'ReadWriteOnceWithFSType', requiresRepublish: false, storageCapacity: false, seLinuxMount: false, volumeLifecycleModes: ['Persistent', 'Ephemeral'] },
  });
  const socket = '/var/lib/csi/sockets/pluginproxy/csi.sock';
  const ctrl = statefulSet(c, {
    namespace: JUICEFS_NS,
    name: 'juicefs-csi-controller',
    labels: { app: 'juicefs-csi-controller', ...INSTANCE },
    metaLabels: { 'app.kubernetes.io/component': 'controller', ...INSTANCE },
    replicas: 2,
    createdAgo: 86400 * 30,
    template: {
      spec: {
        serviceAccountName: 'juicefs-csi-controller-sa',
        priorityClassName: 'system-cluster-critical',
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        containers: [
          pluginContainer(['--endpoint=$(CSI_ENDPOINT)', '--logtostderr', '--nodeid=$(NODE_NAME)', '--leader-election', '--config=/etc/config/config.yaml', '--v=5'], `unix://${socket}`, [
            { mountPath: '/var/lib/csi/sockets/pluginproxy/', name: 'socket-dir' },
            { mountPath: '/jfs', mountPropagation: 'Bidirectional', name: 'jfs-dir' },
          ]),
          sidecar('csi-provisioner', 'registry.k8s.io/sig-storage/csi-provisioner:v3.6.0', ['--csi-address=$(ADDRESS)', '--timeout=60s', '--leader-election', '--v=5'], socket, '/var/lib/csi/sockets/pluginproxy/', 'socket-dir'),
          sidecar('csi-resizer', 'registry.k8s.io/sig-storage/csi-resizer:v1.9.0', ['--csi-address=$(ADDRESS)', '--timeout=20s', '--leader-election', '--v=2'], socket, '/var/lib/csi/sockets/pluginproxy/', 'socket-dir'),
          sidecar('liveness-probe', 'registry.k8s.io/sig-storage/livenessprobe:v2.11.0', ['--csi-address=$(ADDRESS)', '--health-port=$(HEALTH_PORT)'], '/csi/csi.sock', '/csi', 'socket-dir'),
        ],
        volumes: [
          { name: 'socket-dir', emptyDir: {} },
          { name: 'jfs-dir', hostPath: { path: '/var/lib/juicefs/volume', type: 'DirectoryOrCreate' } },
        ],
      },
    },
  });
  const workers = c.nodes().filter((n) => !n.spec?.taints?.length);
  const replicas = [ctrl.pod(0, { node: workers[0]?.metadata.name, createdAgo: 86400 * 30 - 10 }), ctrl.pod(1, { node: workers[1 % workers.length]?.metadata.name, createdAgo: 86400 * 30 - 40 })];
  for (const lease of ['csi-juicefs-com', 'external-resizer-csi-juicefs-com']) leaseFor(c, JUICEFS_NS, lease, replicas[0].metadata.name);
  c.daemonSet({
    registers: JUICEFS_DRIVER,
    obj: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'juicefs-csi-node', namespace: JUICEFS_NS, generation: 1, labels: { 'app.kubernetes.io/component': 'node', ...INSTANCE }, annotations: { 'deprecated.daemonset.template.generation': '1' } },
      spec: {
        selector: { matchLabels: { app: 'juicefs-csi-node', ...INSTANCE } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '50%' } },
        revisionHistoryLimit: 10,
        template: {
          metadata: { labels: { app: 'juicefs-csi-node', ...INSTANCE } },
          spec: {
            serviceAccountName: 'juicefs-csi-node-sa',
            priorityClassName: 'system-node-critical',
            dnsPolicy: 'ClusterFirstWithHostNet',
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
            containers: [
              pluginContainer(['--endpoint=$(CSI_ENDPOINT)', '--logtostderr', '--nodeid=$(NODE_NAME)', '--enable-manager=true', '--config=/etc/config/config.yaml', '--v=5'], 'unix:/csi/csi.sock', [
                { mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional', name: 'kubelet-dir' },
                { mountPath: '/csi', name: 'plugin-dir' },
                { mountPath: '/jfs', mountPropagation: 'Bidirectional', name: 'jfs-dir' },
              ]),
              {
                name: 'node-driver-registrar',
                image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.9.0',
                args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)', '--v=5'],
                env: [{ name: 'ADDRESS', value: '/csi/csi.sock' }, { name: 'DRIVER_REG_SOCK_PATH', value: '/var/lib/kubelet/csi-plugins/csi.juicefs.com/csi.sock' }],
                volumeMounts: [{ mountPath: '/csi', name: 'plugin-dir' }, { mountPath: '/registration', name: 'registration-dir' }],
              },
              sidecar('liveness-probe', 'registry.k8s.io/sig-storage/livenessprobe:v2.11.0', ['--csi-address=$(ADDRESS)', '--health-port=$(HEALTH_PORT)'], '/csi/csi.sock', '/csi', 'plugin-dir'),
            ],
            volumes: [
              { name: 'kubelet-dir', hostPath: { path: '/var/lib/kubelet', type: 'Directory' } },
              { name: 'plugin-dir', hostPath: { path: '/var/lib/kubelet/csi-plugins/csi.juicefs.com/', type: 'DirectoryOrCreate' } },
              { name: 'registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry/', type: 'Directory' } },
              { name: 'jfs-dir', hostPath: { path: '/var/lib/juicefs/volume', type: 'DirectoryOrCreate' } },
            ],
          },
        },
      },
    },
  });
  return { storageClass: sc };
}

/** A leader-election Lease held by `holder` (renewed a moment ago). */
export function leaseFor(c: Cluster, namespace: string, name: string, holder: string, durationS = 15): KObj {
  return c.ensure('Lease', namespace, name, () => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: durationS,
      acquireTime: `${iso(c.ago(86400 * 29)).replace('Z', '.000000Z')}`,
      renewTime: `${iso(c.ago(2)).replace('Z', '.000000Z')}`,
      leaseTransitions: 1,
    },
  }));
}

export interface MountPodOpts {
  node: string;
  uniqueId: string;
  /** Full random suffix of the name (6 lower-case letters). */
  suffix: string;
  uid: string;
  createdMs: number;
  /** App pods served, with the PV they mount: one reference annotation each. */
  refs: ReadonlyArray<{ podUid: string; pv: string }>;
  /** The volume's file-system UUID (`juicefs-uuid`). */
  fsUuid: string;
  /** `juicefs-hash`: sha256 of the mount settings, hex cut to 63. */
  settingHash: string;
  shareMode?: 'storageClassShareMount' | 'fsShareMount';
}

/** The settings hash a mount pod carries; stable per uniqueId so recreations keep it. */
export function settingHashOf(uniqueId: string): string {
  return sha256hex(`jfs-setting:${uniqueId}:${MOUNT_IMAGE}`).slice(0, 63);
}

/** `juicefs-<node>-<uniqueId>-<6 letters>` (GenPodNameByUniqueId). */
export function mountPodName(node: string, uniqueId: string, suffix: string): string {
  return `juicefs-${node}-${uniqueId}-${suffix}`;
}

/** A mount pod as the JuiceFS node plugin creates it (before kubelet reports any status). */
export function mountPod(o: MountPodOpts): KObj {
  const name = mountPodName(o.node, o.uniqueId, o.suffix);
  const mountPath = `/jfs/${o.uniqueId}-${o.suffix}`;
  const annotations: Record<string, string> = { 'juicefs-uuid': o.fsUuid, 'juicefs-uniqueid': o.uniqueId };
  if (o.shareMode) annotations['juicefs/mount-share-mode'] = o.shareMode;
  for (const r of o.refs) {
    const target = csiTargetPath(r.podUid, r.pv);
    annotations[juicefsRefKey(target)] = target;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: JUICEFS_NS,
      uid: o.uid,
      creationTimestamp: iso(o.createdMs),
      labels: { 'app.kubernetes.io/name': 'juicefs-mount', 'juicefs-hash': o.settingHash, 'juicefs-upgrade-uuid': '', 'volume-id': o.uniqueId },
      annotations,
      finalizers: ['juicefs.com/finalizer'],
    },
    spec: {
      containers: [
        {
          name: 'jfs-mount',
          image: MOUNT_IMAGE,
          command: ['sh', '-c', `exec /bin/mount.juicefs \${metaurl} ${mountPath} -o metrics=0.0.0.0:9567`],
          env: [
            { name: 'JFS_INSIDE_CONTAINER', value: '1' },
            { name: 'metaurl', valueFrom: { secretKeyRef: { key: 'metaurl', name: `${name}-secret` } } },
          ],
          lifecycle: { preStop: { exec: { command: ['sh', '-c', '+e', `umount ${mountPath} -l; rmdir ${mountPath}; exit 0`] } } },
          ports: [{ containerPort: 9567, name: 'metrics', protocol: 'TCP' }],
          resources: { limits: { cpu: '5', memory: '5Gi' }, requests: { cpu: '1', memory: '1Gi' } },
          securityContext: { privileged: true, runAsUser: 0 },
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [
            { mountPath: '/jfs', mountPropagation: 'Bidirectional', name: 'jfs-dir' },
            { mountPath: '/etc/updatedb.conf', name: 'updatedb' },
            { mountPath: '/var/jfsCache', name: 'cachedir-0' },
          ],
        },
      ],
      nodeName: o.node,
      hostname: o.uniqueId.slice(0, 63),
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 10,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [{ operator: 'Exists' }],
      volumes: [
        { name: 'jfs-dir', hostPath: { path: '/var/lib/juicefs/volume', type: 'DirectoryOrCreate' } },
        { name: 'updatedb', hostPath: { path: '/etc/updatedb.conf', type: 'FileOrCreate' } },
        { name: 'cachedir-0', hostPath: { path: '/var/jfsCache', type: 'DirectoryOrCreate' } },
      ],
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

export interface PlacedMount {
  pod: KObj;
  path: string;
}

/** A mount pod on `node` for `uniqueId`, started `createdAgo` seconds ago, serving `refs`. */
export function placeMountPod(c: Cluster, o: { node: string; uniqueId: string; refs: KObj[]; pv: string; createdAgo: number }): PlacedMount {
  const suffix = c.rand.letters(6);
  const createdMs = c.ago(o.createdAgo);
  const pod = mountPod({
    node: o.node,
    uniqueId: o.uniqueId,
    suffix,
    uid: c.rand.uid(),
    createdMs,
    refs: o.refs.map((p) => ({ podUid: p.metadata.uid!, pv: o.pv })),
    fsUuid: c.rand.uid(),
    settingHash: settingHashOf(o.uniqueId),
  });
  const cid = c.containerId();
  pod.status = { ...runningStatus(pod.spec, { hostIP: c.hostIP(o.node), podIP: c.podIP(o.node) }, createdMs + 1000, Math.min(c.now, createdMs + 12_000), () => cid) };
  c.add(pod, createdMs);
  return { pod, path: `/jfs/${o.uniqueId}-${suffix}` };
}

/** The metadata URL (password masked) the mount pods of the demo file system use. */
export const JUICEFS_META_URL = META_URL;
