// Ceph CSI RBD as ceph/ceph-csi's deploy/rbd/kubernetes manifests install it: DaemonSet
// csi-rbdplugin (node plugin + registrar) and Deployment csi-rbdplugin-provisioner (provisioner,
// attacher, resizer, snapshotter sidecars, leader Leases), attachRequired: true.
import type { Cluster } from './cluster';
import { attachmentName, iso, KObj } from './kube';
import { deployment } from './apps';
import { leaseFor } from './deploy-juicefs';
import { boundClaim, type ClaimOpts, storageClass } from './storage';

export const RBD_DRIVER = 'rbd.csi.ceph.com';
export const CEPH_NS = 'ceph-csi';
const CEPHCSI_IMAGE = 'quay.io/cephcsi/cephcsi:v3.12.2';
export const CEPH_CLUSTER_ID = 'b9127830-b0cc-4e34-aa47-9d1a2e9949a8';

const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
const sock = (name: string) => ({ name: 'socket-dir', mountPath: name });

function sidecar(name: string, image: string, args: string[], address: string): Record<string, any> {
  return { name, image, args, env: [{ name: 'ADDRESS', value: address }, fieldEnv('POD_IP', 'status.podIP')], volumeMounts: [sock('/csi')] };
}

/** The RBD volume handle: `0001-0024-<clusterID>-<pool id>-<image uuid>`. */
export function rbdHandle(c: Cluster): { handle: string; image: string } {
  const id = c.rand.uid();
  return { handle: `0001-0024-${CEPH_CLUSTER_ID}-0000000000000002-${id}`, image: `csi-vol-${id}` };
}

/** The volume context ceph-csi's CreateVolume returns for an RBD image. */
export function rbdAttributes(image: string): Record<string, string> {
  return { clusterID: CEPH_CLUSTER_ID, imageFeatures: 'layering', imageName: image, journalPool: 'replicapool', pool: 'replicapool' };
}

/** A bound claim on an RBD StorageClass, with a Ceph volume handle and image. */
export function rbdClaim(c: Cluster, o: Omit<ClaimOpts, 'handle' | 'volumeAttributes'>): { pvc: KObj; pv: KObj; image: string } {
  const h = rbdHandle(c);
  return { ...boundClaim(c, { ...o, handle: () => h.handle, volumeAttributes: () => rbdAttributes(h.image) }), image: h.image };
}

export function installCephRbd(c: Cluster): { storageClass: KObj } {
  const sc = storageClass(c, {
    name: 'csi-rbd-sc',
    provisioner: RBD_DRIVER,
    expandable: true,
    mountOptions: ['discard'],
    parameters: {
      clusterID: CEPH_CLUSTER_ID,
      pool: 'replicapool',
      imageFeatures: 'layering',
      'csi.storage.k8s.io/fstype': 'ext4',
      'csi.storage.k8s.io/provisioner-secret-name': 'csi-rbd-secret',
      'csi.storage.k8s.io/provisioner-secret-namespace': CEPH_NS,
      'csi.storage.k8s.io/controller-expand-secret-name': 'csi-rbd-secret',
      'csi.storage.k8s.io/controller-expand-secret-namespace': CEPH_NS,
      'csi.storage.k8s.io/node-stage-secret-name': 'csi-rbd-secret',
      'csi.storage.k8s.io/node-stage-secret-namespace': CEPH_NS,
    },
  });
  if (c.get('CSIDriver', undefined, RBD_DRIVER)) return { storageClass: sc };
  c.add({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name: RBD_DRIVER },
    spec: { attachRequired: true, podInfoOnMount: false, seLinuxMount: true, fsGroupPolicy: 'File', requiresRepublish: false, storageCapacity: false, volumeLifecycleModes: ['Persistent'] },
  });
  const prov = deployment(c, {
    namespace: CEPH_NS,
    name: 'csi-rbdplugin-provisioner',
    labels: { app: 'csi-rbdplugin-provisioner' },
    replicas: 3,
    createdAgo: 86400 * 40,
    template: {
      spec: {
        serviceAccountName: 'rbd-csi-provisioner',
        priorityClassName: 'system-cluster-critical',
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['csi-rbdplugin-provisioner'] }] }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
        containers: [
          {
            name: 'csi-rbdplugin',
            image: CEPHCSI_IMAGE,
            args: ['--nodeid=$(NODE_ID)', '--type=rbd', '--controllerserver=true', '--endpoint=$(CSI_ENDPOINT)', '--csi-addons-endpoint=$(CSI_ADDONS_ENDPOINT)', '--v=5', '--drivername=rbd.csi.ceph.com', '--pidlimit=-1', '--rbdhardmaxclonedepth=8', '--rbdsoftmaxclonedepth=4', '--enableprofiling=false', '--setmetadata=true'],
            env: [fieldEnv('POD_IP', 'status.podIP'), fieldEnv('NODE_ID', 'spec.nodeName'), fieldEnv('POD_NAMESPACE', 'metadata.namespace'), { name: 'CSI_ENDPOINT', value: 'unix:///csi/csi-provisioner.sock' }, { name: 'CSI_ADDONS_ENDPOINT', value: 'unix:///csi/csi-addons.sock' }],
            volumeMounts: [sock('/csi'), { mountPath: '/dev', name: 'host-dev' }, { mountPath: '/etc/ceph-csi-config/', name: 'ceph-csi-config' }],
          },
          sidecar('csi-provisioner', 'registry.k8s.io/sig-storage/csi-provisioner:v5.0.1', ['--csi-address=$(ADDRESS)', '--v=1', '--timeout=150s', '--retry-interval-start=500ms', '--leader-election=true', '--feature-gates=HonorPVReclaimPolicy=true', '--prevent-volume-mode-conversion=true', '--default-fstype=ext4', '--extra-create-metadata=true', '--immediate-topology=false', '--http-endpoint=$(POD_IP):8090'], 'unix:///csi/csi-provisioner.sock'),
          sidecar('csi-snapshotter', 'registry.k8s.io/sig-storage/csi-snapshotter:v8.0.1', ['--csi-address=$(ADDRESS)', '--v=1', '--timeout=150s', '--leader-election=true', '--extra-create-metadata=true', '--http-endpoint=$(POD_IP):8092'], 'unix:///csi/csi-provisioner.sock'),
          sidecar('csi-attacher', 'registry.k8s.io/sig-storage/csi-attacher:v4.6.1', ['--v=1', '--csi-address=$(ADDRESS)', '--leader-election=true', '--retry-interval-start=500ms', '--default-fstype=ext4', '--http-endpoint=$(POD_IP):8093'], '/csi/csi-provisioner.sock'),
          sidecar('csi-resizer', 'registry.k8s.io/sig-storage/csi-resizer:v1.11.1', ['--csi-address=$(ADDRESS)', '--v=1', '--timeout=150s', '--leader-election', '--retry-interval-start=500ms', '--handle-volume-inuse-error=false', '--feature-gates=RecoverVolumeExpansionFailure=true', '--http-endpoint=$(POD_IP):8091'], 'unix:///csi/csi-provisioner.sock'),
          { name: 'csi-rbdplugin-controller', image: CEPHCSI_IMAGE, args: ['--type=controller', '--v=5', '--drivername=rbd.csi.ceph.com', '--drivernamespace=$(DRIVER_NAMESPACE)', '--setmetadata=true'], env: [fieldEnv('DRIVER_NAMESPACE', 'metadata.namespace')] },
          { name: 'liveness-prometheus', image: CEPHCSI_IMAGE, args: ['--type=liveness', '--endpoint=$(CSI_ENDPOINT)', '--metricsport=8680', '--metricspath=/metrics', '--polltime=60s', '--timeout=3s'], env: [{ name: 'CSI_ENDPOINT', value: 'unix:///csi/csi-provisioner.sock' }, fieldEnv('POD_IP', 'status.podIP')], ports: [{ containerPort: 8680, name: 'http-metrics', protocol: 'TCP' }], volumeMounts: [sock('/csi')] },
        ],
        volumes: [{ name: 'socket-dir', emptyDir: { medium: 'Memory' } }, { name: 'host-dev', hostPath: { path: '/dev', type: '' } }, { name: 'ceph-csi-config', configMap: { name: 'ceph-csi-config', defaultMode: 420 } }],
      },
    },
  });
  const workers = c.nodes().filter((n) => !n.spec?.taints?.length).map((n) => n.metadata.name);
  const replicas = workers.slice(0, 3).map((node, i) => prov.pod({ node, createdAgo: 86400 * 40 - 20 - i * 7 }));
  const leader = replicas[0]?.metadata.name ?? 'csi-rbdplugin-provisioner';
  leaseFor(c, CEPH_NS, 'rbd-csi-ceph-com', leader);
  leaseFor(c, CEPH_NS, 'external-attacher-leader-rbd-csi-ceph-com', leader);
  leaseFor(c, CEPH_NS, 'external-resizer-rbd-csi-ceph-com', replicas[1]?.metadata.name ?? leader);
  leaseFor(c, CEPH_NS, 'external-snapshotter-leader-rbd-csi-ceph-com', leader);
  c.daemonSet({
    registers: RBD_DRIVER,
    obj: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'csi-rbdplugin', namespace: CEPH_NS, generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } },
      spec: {
        selector: { matchLabels: { app: 'csi-rbdplugin' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        revisionHistoryLimit: 10,
        template: {
          metadata: { labels: { app: 'csi-rbdplugin' } },
          spec: {
            serviceAccountName: 'rbd-csi-nodeplugin',
            hostNetwork: true,
            hostPID: true,
            priorityClassName: 'system-node-critical',
            dnsPolicy: 'ClusterFirstWithHostNet',
            containers: [
              {
                name: 'csi-rbdplugin',
                image: CEPHCSI_IMAGE,
                securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] }, allowPrivilegeEscalation: true },
                args: ['--nodeid=$(NODE_ID)', '--pluginpath=/var/lib/kubelet/plugins', '--stagingpath=/var/lib/kubelet/plugins/kubernetes.io/csi/', '--type=rbd', '--nodeserver=true', '--endpoint=$(CSI_ENDPOINT)', '--csi-addons-endpoint=$(CSI_ADDONS_ENDPOINT)', '--v=5', '--drivername=rbd.csi.ceph.com', '--enableprofiling=false'],
                env: [fieldEnv('POD_IP', 'status.podIP'), fieldEnv('NODE_ID', 'spec.nodeName'), fieldEnv('POD_NAMESPACE', 'metadata.namespace'), { name: 'CSI_ENDPOINT', value: 'unix:///csi/csi.sock' }, { name: 'CSI_ADDONS_ENDPOINT', value: 'unix:///csi/csi-addons.sock' }],
                volumeMounts: [sock('/csi'), { mountPath: '/dev', name: 'host-dev' }, { mountPath: '/var/lib/kubelet/plugins', mountPropagation: 'Bidirectional', name: 'plugin-dir' }, { mountPath: '/var/lib/kubelet/pods', mountPropagation: 'Bidirectional', name: 'mountpoint-dir' }],
              },
              {
                name: 'driver-registrar',
                image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.11.1',
                securityContext: { privileged: true, allowPrivilegeEscalation: true },
                args: ['--v=1', '--csi-address=/csi/csi.sock', '--kubelet-registration-path=/var/lib/kubelet/plugins/rbd.csi.ceph.com/csi.sock'],
                env: [fieldEnv('KUBE_NODE_NAME', 'spec.nodeName')],
                volumeMounts: [sock('/csi'), { mountPath: '/registration', name: 'registration-dir' }],
              },
              { name: 'liveness-prometheus', image: CEPHCSI_IMAGE, securityContext: { privileged: true, allowPrivilegeEscalation: true }, args: ['--type=liveness', '--endpoint=$(CSI_ENDPOINT)', '--metricsport=8680', '--metricspath=/metrics', '--polltime=60s', '--timeout=3s'], env: [{ name: 'CSI_ENDPOINT', value: 'unix:///csi/csi.sock' }, fieldEnv('POD_IP', 'status.podIP')], volumeMounts: [sock('/csi')] },
            ],
            volumes: [
              { name: 'socket-dir', hostPath: { path: '/var/lib/kubelet/plugins/rbd.csi.ceph.com', type: 'DirectoryOrCreate' } },
              { name: 'plugin-dir', hostPath: { path: '/var/lib/kubelet/plugins', type: 'Directory' } },
              { name: 'mountpoint-dir', hostPath: { path: '/var/lib/kubelet/pods', type: 'DirectoryOrCreate' } },
              { name: 'registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry/', type: 'Directory' } },
              { name: 'host-dev', hostPath: { path: '/dev', type: '' } },
            ],
          },
        },
      },
    },
  });
  return { storageClass: sc };
}

/** The VolumeAttachment the attach/detach controller creates and csi-attacher fills in. */
export function volumeAttachment(c: Cluster, pv: KObj, node: string, o: { createdAgo: number; error?: string }): KObj {
  const driver: string = pv.spec.csi.driver;
  return c.add(
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'VolumeAttachment',
      metadata: {
        name: attachmentName(pv.metadata.name, driver, node),
        annotations: { 'csi.alpha.kubernetes.io/node-id': node },
        finalizers: [`external-attacher/${driver.replace(/\./g, '-')}`],
      },
      spec: { attacher: driver, nodeName: node, source: { persistentVolumeName: pv.metadata.name } },
      status: o.error ? { attached: false, attachError: { time: iso(c.ago(Math.min(60, o.createdAgo))), message: o.error } } : { attached: true },
    },
    c.ago(o.createdAgo),
  );
}
