// csi-driver-nfs installed with its Helm chart (kubernetes-csi/csi-driver-nfs charts/): Deployment
// csi-nfs-controller, DaemonSet csi-nfs-node. The chart's node tolerations default to "Exists";
// this cluster's operators overrode `node.tolerations` with the controller's control-plane list (a
// common narrowing), so csi-nfs-node skips nodes with any other NoSchedule taint.
import type { Cluster } from './cluster';
import type { KObj } from './kube';
import { deployment } from './apps';
import { leaseFor } from './deploy-juicefs';
import { boundClaim, type ClaimOpts, storageClass } from './storage';
import type { Toleration } from './workload';

export const NFS_DRIVER = 'nfs.csi.k8s.io';
const NFS_NS = 'kube-system';
const PLUGIN_IMAGE = 'registry.k8s.io/sig-storage/nfsplugin:v4.9.0';
export const NFS_SERVER = 'nfs-server.storage.svc.cluster.local';

const HELM = {
  'app.kubernetes.io/instance': 'csi-driver-nfs',
  'app.kubernetes.io/managed-by': 'Helm',
  'app.kubernetes.io/name': 'csi-driver-nfs',
  'app.kubernetes.io/version': 'v4.9.0',
  'helm.sh/chart': 'csi-driver-nfs-v4.9.0',
};

const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });

function nfsContainer(args: string[]): Record<string, any> {
  return {
    name: 'nfs',
    image: PLUGIN_IMAGE,
    args,
    env: [fieldEnv('NODE_ID', 'spec.nodeName'), { name: 'CSI_ENDPOINT', value: 'unix:///csi/csi.sock' }],
    securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] }, allowPrivilegeEscalation: true },
    livenessProbe: { failureThreshold: 5, httpGet: { host: 'localhost', path: '/healthz', port: 29653, scheme: 'HTTP' }, initialDelaySeconds: 30, periodSeconds: 30, successThreshold: 1, timeoutSeconds: 10 },
    volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }, { name: 'pods-mount-dir', mountPath: '/var/lib/kubelet/pods', mountPropagation: 'Bidirectional' }],
  };
}

/** `<server>#<share>#<subdir>##`: csi-driver-nfs's volume id. */
export function nfsHandle(pvName: string): string {
  return `${NFS_SERVER}#exports#${pvName}##`;
}

const CONTROL_PLANE_TOLERATIONS: Toleration[] = [
  { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node-role.kubernetes.io/controlplane', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
];

/** A bound RWX claim on an NFS StorageClass, with the volume context csi-driver-nfs returns. */
export function nfsClaim(c: Cluster, o: Omit<ClaimOpts, 'handle' | 'volumeAttributes' | 'accessModes'>): { pvc: KObj; pv: KObj } {
  return boundClaim(c, {
    ...o,
    accessModes: ['ReadWriteMany'],
    handle: nfsHandle,
    volumeAttributes: (pv, pvc) => ({
      'csi.storage.k8s.io/pv/name': pv,
      'csi.storage.k8s.io/pvc/name': pvc.metadata.name,
      'csi.storage.k8s.io/pvc/namespace': pvc.metadata.namespace!,
      server: NFS_SERVER,
      share: '/exports',
      subdir: pv,
    }),
  });
}

export function installNfs(c: Cluster): { storageClass: KObj } {
  const sc = storageClass(c, {
    name: 'nfs-csi',
    provisioner: NFS_DRIVER,
    reclaimPolicy: 'Delete',
    mountOptions: ['nfsvers=4.1'],
    parameters: { server: NFS_SERVER, share: '/exports' },
  });
  if (c.get('CSIDriver', undefined, NFS_DRIVER)) return { storageClass: sc };
  c.add({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name: NFS_DRIVER, labels: HELM, annotations: { 'meta.helm.sh/release-name': 'csi-driver-nfs', 'meta.helm.sh/release-namespace': NFS_NS } },
    spec: { attachRequired: false, fsGroupPolicy: 'File', podInfoOnMount: false, requiresRepublish: false, seLinuxMount: false, storageCapacity: false, volumeLifecycleModes: ['Persistent'] },
  });
  const ctrl = deployment(c, {
    namespace: NFS_NS,
    name: 'csi-nfs-controller',
    labels: { app: 'csi-nfs-controller' },
    metaLabels: HELM,
    replicas: 1,
    createdAgo: 86400 * 20,
    template: {
      metadata: { labels: { ...HELM, app: 'csi-nfs-controller' } },
      spec: {
        hostNetwork: true,
        dnsPolicy: 'ClusterFirstWithHostNet',
        serviceAccountName: 'csi-nfs-controller-sa',
        priorityClassName: 'system-cluster-critical',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: CONTROL_PLANE_TOLERATIONS,
        containers: [
          { name: 'csi-provisioner', image: 'registry.k8s.io/sig-storage/csi-provisioner:v5.0.2', args: ['-v=2', '--csi-address=$(ADDRESS)', '--leader-election', '--leader-election-namespace=kube-system', '--extra-create-metadata=true', '--feature-gates=HonorPVReclaimPolicy=true', '--timeout=1200s'], env: [{ name: 'ADDRESS', value: '/csi/csi.sock' }], volumeMounts: [{ mountPath: '/csi', name: 'socket-dir' }] },
          { name: 'csi-resizer', image: 'registry.k8s.io/sig-storage/csi-resizer:v1.11.1', args: ['-csi-address=$(ADDRESS)', '-v=2', '-leader-election', '--leader-election-namespace=kube-system', '-handle-volume-inuse-error=false'], env: [{ name: 'ADDRESS', value: '/csi/csi.sock' }], volumeMounts: [{ mountPath: '/csi', name: 'socket-dir' }] },
          { name: 'liveness-probe', image: 'registry.k8s.io/sig-storage/livenessprobe:v2.13.1', args: ['--csi-address=/csi/csi.sock', '--probe-timeout=3s', '--http-endpoint=localhost:29652', '--v=2'], volumeMounts: [{ mountPath: '/csi', name: 'socket-dir' }] },
          nfsContainer(['--v=5', '--nodeid=$(NODE_ID)', '--endpoint=$(CSI_ENDPOINT)', '--drivername=nfs.csi.k8s.io', '--mount-permissions=0', '--working-mount-dir=/tmp', '--default-ondelete-policy=delete']),
        ],
        volumes: [{ name: 'pods-mount-dir', hostPath: { path: '/var/lib/kubelet/pods', type: 'Directory' } }, { name: 'socket-dir', emptyDir: {} }],
      },
    },
  });
  const worker = c.nodes().find((n) => !n.spec?.taints?.length)!.metadata.name;
  const pod = ctrl.pod({ node: worker, createdAgo: 86400 * 20 - 15 });
  leaseFor(c, NFS_NS, 'nfs-csi-k8s-io', pod.metadata.name);
  leaseFor(c, NFS_NS, 'external-resizer-nfs-csi-k8s-io', pod.metadata.name);
  c.daemonSet({
    registers: NFS_DRIVER,
    obj: {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'csi-nfs-node', namespace: NFS_NS, generation: 1, labels: HELM, annotations: { 'deprecated.daemonset.template.generation': '1', 'meta.helm.sh/release-name': 'csi-driver-nfs', 'meta.helm.sh/release-namespace': NFS_NS } },
      spec: {
        selector: { matchLabels: { app: 'csi-nfs-node' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        revisionHistoryLimit: 10,
        template: {
          metadata: { labels: { ...HELM, app: 'csi-nfs-node' } },
          spec: {
            hostNetwork: true,
            dnsPolicy: 'ClusterFirstWithHostNet',
            serviceAccountName: 'csi-nfs-node-sa',
            priorityClassName: 'system-cluster-critical',
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: CONTROL_PLANE_TOLERATIONS,
            containers: [
              { name: 'liveness-probe', image: 'registry.k8s.io/sig-storage/livenessprobe:v2.13.1', args: ['--csi-address=/csi/csi.sock', '--probe-timeout=3s', '--http-endpoint=localhost:29653', '--v=2'], volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }] },
              {
                name: 'node-driver-registrar',
                image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.11.1',
                args: ['--v=2', '--csi-address=/csi/csi.sock', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)'],
                env: [{ name: 'DRIVER_REG_SOCK_PATH', value: '/var/lib/kubelet/plugins/csi-nfsplugin/csi.sock' }, fieldEnv('KUBE_NODE_NAME', 'spec.nodeName')],
                volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }, { name: 'registration-dir', mountPath: '/registration' }],
              },
              nfsContainer(['--v=5', '--nodeid=$(NODE_ID)', '--endpoint=$(CSI_ENDPOINT)', '--drivername=nfs.csi.k8s.io', '--mount-permissions=0']),
            ],
            volumes: [
              { name: 'socket-dir', hostPath: { path: '/var/lib/kubelet/plugins/csi-nfsplugin', type: 'DirectoryOrCreate' } },
              { name: 'pods-mount-dir', hostPath: { path: '/var/lib/kubelet/pods', type: 'Directory' } },
              { name: 'registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry', type: 'Directory' } },
            ],
          },
        },
      },
    },
  });
  return { storageClass: sc };
}
