// The CSI hostpath driver as kubernetes-csi/csi-driver-host-path deploys it: one StatefulSet pod
// (csi-hostpathplugin) running the plugin with every sidecar, including the external health
// monitor, on a single node; its volumes live on that node only.
import type { Cluster } from './cluster';
import type { KObj } from './kube';
import { statefulSet } from './apps';
import { leaseFor } from './deploy-juicefs';
import { storageClass } from './storage';

export const HOSTPATH_DRIVER = 'hostpath.csi.k8s.io';
const NS = 'default';
const LABELS = {
  'app.kubernetes.io/instance': HOSTPATH_DRIVER,
  'app.kubernetes.io/part-of': 'csi-driver-host-path',
  'app.kubernetes.io/name': 'csi-hostpathplugin',
  'app.kubernetes.io/component': 'plugin',
};

const side = (name: string, image: string, args: string[]) => ({
  name,
  image: `registry.k8s.io/sig-storage/${image}`,
  args,
  env: [{ name: 'ADDRESS', value: '/csi/csi.sock' }],
  volumeMounts: [{ mountPath: '/csi', name: 'socket-dir' }],
});

/** Installs the driver with its plugin pod on `node`. */
export function installHostpath(c: Cluster, node: string): { storageClass: KObj; node: string } {
  const sc = storageClass(c, { name: 'csi-hostpath-sc', provisioner: HOSTPATH_DRIVER, expandable: true, bindingMode: 'WaitForFirstConsumer' });
  if (c.get('CSIDriver', undefined, HOSTPATH_DRIVER)) return { storageClass: sc, node };
  c.add({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name: HOSTPATH_DRIVER, labels: { 'app.kubernetes.io/instance': HOSTPATH_DRIVER, 'app.kubernetes.io/part-of': 'csi-driver-host-path', 'app.kubernetes.io/name': HOSTPATH_DRIVER, 'app.kubernetes.io/component': 'csi-driver' } },
    spec: { attachRequired: true, podInfoOnMount: true, fsGroupPolicy: 'File', requiresRepublish: false, seLinuxMount: false, storageCapacity: false, volumeLifecycleModes: ['Persistent', 'Ephemeral'] },
  });
  const sts = statefulSet(c, {
    namespace: NS,
    name: 'csi-hostpathplugin',
    labels: LABELS,
    replicas: 1,
    serviceName: 'csi-hostpathplugin',
    createdAgo: 86400 * 15,
    template: {
      spec: {
        serviceAccountName: 'csi-hostpathplugin-sa',
        containers: [
          {
            name: 'hostpath',
            image: 'registry.k8s.io/sig-storage/hostpathplugin:v1.15.0',
            args: ['--drivername=hostpath.csi.k8s.io', '--v=5', '--endpoint=$(CSI_ENDPOINT)', '--nodeid=$(KUBE_NODE_NAME)'],
            env: [{ name: 'CSI_ENDPOINT', value: 'unix:///csi/csi.sock' }, { name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
            securityContext: { privileged: true },
            ports: [{ containerPort: 9898, name: 'healthz', protocol: 'TCP' }],
            volumeMounts: [{ mountPath: '/csi', name: 'socket-dir' }, { mountPath: '/var/lib/kubelet/pods', mountPropagation: 'Bidirectional', name: 'mountpoint-dir' }, { mountPath: '/csi-data-dir', name: 'csi-data-dir' }],
          },
          side('csi-external-health-monitor-controller', 'csi-external-health-monitor-controller:v0.12.1', ['--v=5', '--csi-address=$(ADDRESS)', '--leader-election']),
          { ...side('node-driver-registrar', 'csi-node-driver-registrar:v2.11.1', ['--v=5', '--csi-address=/csi/csi.sock', '--kubelet-registration-path=/var/lib/kubelet/plugins/csi-hostpath/csi.sock']), securityContext: { privileged: true } },
          side('liveness-probe', 'livenessprobe:v2.13.1', ['--csi-address=/csi/csi.sock', '--health-port=9898']),
          side('csi-attacher', 'csi-attacher:v4.6.1', ['--v=5', '--csi-address=/csi/csi.sock']),
          side('csi-provisioner', 'csi-provisioner:v5.0.2', ['-v=5', '--csi-address=/csi/csi.sock', '--feature-gates=Topology=true']),
          side('csi-resizer', 'csi-resizer:v1.11.2', ['-v=5', '-csi-address=/csi/csi.sock']),
        ],
        volumes: [
          { name: 'socket-dir', hostPath: { path: '/var/lib/kubelet/plugins/csi-hostpath', type: 'DirectoryOrCreate' } },
          { name: 'mountpoint-dir', hostPath: { path: '/var/lib/kubelet/pods', type: 'DirectoryOrCreate' } },
          { name: 'csi-data-dir', hostPath: { path: '/var/lib/csi-hostpath-data/', type: 'DirectoryOrCreate' } },
        ],
      },
    },
  });
  const pod = sts.pod(0, { node, createdAgo: 86400 * 15 - 10 });
  c.registered(node, HOSTPATH_DRIVER);
  leaseFor(c, NS, 'external-health-monitor-leader-hostpath-csi-k8s-io', pod.metadata.name);
  return { storageClass: sc, node };
}
