// A PVC Pending on ProvisioningFailed: the StorageClass csi-rbd-ssd names a pool the Ceph cluster
// does not have; the provisioner retries with back-off and the StatefulSet's pod stays unscheduled.
import { appTemplate, baseNodes } from './base';
import type { Cluster } from './cluster';
import { statefulSet } from './apps';
import { CEPH_CLUSTER_ID, CEPH_NS, installCephRbd, RBD_DRIVER } from './deploy-ceph';
import { klog } from './logtext';
import { pendingClaim, storageClass } from './storage';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const { storageClass: base } = installCephRbd(c);
  const sc = storageClass(c, {
    name: 'csi-rbd-ssd',
    provisioner: RBD_DRIVER,
    expandable: true,
    parameters: { ...base.parameters, clusterID: CEPH_CLUSTER_ID, pool: 'ssd-pool' },
  });
  const ch = statefulSet(c, {
    namespace: 'analytics',
    name: 'clickhouse',
    labels: { app: 'clickhouse' },
    replicas: 1,
    createdAgo: 1900,
    claimTemplates: [{ name: 'data', storageClass: 'csi-rbd-ssd', size: '200Gi' }],
    template: appTemplate({ name: 'clickhouse', image: 'clickhouse/clickhouse-server:24.8', ports: [8123, 9000] }, []),
  });
  const pvc = pendingClaim(c, { namespace: 'analytics', name: 'data-clickhouse-0', storageClass: sc, size: '200Gi', createdAgo: 1899, labels: { app: 'clickhouse' } });
  const pod = ch.pod(0, { state: 'pending', createdAgo: 1899 });
  pod.status = {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: pod.metadata.creationTimestamp,
        reason: 'Unschedulable',
        message: '0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
      },
    ],
    qosClass: pod.status.qosClass,
  };
  c.event(pod, {
    type: 'Warning',
    reason: 'FailedScheduling',
    message: '0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    component: 'default-scheduler',
    count: 6,
    firstAgo: 1899,
    lastAgo: 290,
  });
  const provisioner = c.list('Pod').find((p) => p.metadata.name.startsWith('csi-rbdplugin-provisioner-'))!.metadata.name;
  const component = `${RBD_DRIVER}_${provisioner}_${c.rand.uid()}`;
  const claim = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
  const why = `rpc error: code = Internal desc = pool not found: pool (ssd-pool) not found in Ceph cluster`;
  const failed = `failed to provision volume with StorageClass "csi-rbd-ssd": ${why}`;
  c.faults.provision.push({ storageClass: 'csi-rbd-ssd', message: failed });
  c.event(pvc, { reason: 'ExternalProvisioning', message: `Waiting for a volume to be created either by the external provisioner '${RBD_DRIVER}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`, component: 'persistentvolume-controller', count: 127, firstAgo: 1899, lastAgo: 6 });
  c.event(pvc, { reason: 'Provisioning', message: `External provisioner is provisioning volume for claim "${claim}"`, component, count: 12, firstAgo: 1898, lastAgo: 130 });
  c.event(pvc, { type: 'Warning', reason: 'ProvisioningFailed', message: failed, component, count: 12, firstAgo: 1895, lastAgo: 128 });
  c.log(CEPH_NS, provisioner, 'csi-provisioner', [
    [c.ago(1898), klog(c.ago(1898), 'I', 1, 'controller.go:1366', `provision "${claim}" class "csi-rbd-ssd": started`)],
    [c.ago(1895), klog(c.ago(1895), 'W', 1, 'controller.go:934', `Retrying syncing claim "${pvc.metadata.uid}", failure 0`)],
    [c.ago(1895), klog(c.ago(1895), 'E', 1, 'controller.go:957', `error syncing claim "${pvc.metadata.uid}": ${failed}`)],
    [c.ago(130), klog(c.ago(130), 'I', 1, 'controller.go:1366', `provision "${claim}" class "csi-rbd-ssd": started`)],
    [c.ago(128), klog(c.ago(128), 'W', 1, 'controller.go:934', `Retrying syncing claim "${pvc.metadata.uid}", failure 11`)],
    [c.ago(128), klog(c.ago(128), 'E', 1, 'controller.go:957', `error syncing claim "${pvc.metadata.uid}": ${failed}`)],
  ]);
  c.log(CEPH_NS, provisioner, 'csi-rbdplugin', [
    [c.ago(128), klog(c.ago(128), 'E', 1, 'utils.go:203', `ID: 2291 Req-ID: pvc-${pvc.metadata.uid} GRPC error: ${why}`)],
  ]);
  c.expect.push({ code: 'PVCPending', object: { kind: 'PersistentVolumeClaim', namespace: 'analytics', name: 'data-clickhouse-0' } });
}

export const provisioningFailedScenario: Scenario = {
  name: 'provisioning-failed',
  description: 'A PVC Pending on ProvisioningFailed: its StorageClass names a Ceph pool that does not exist',
  build,
};
