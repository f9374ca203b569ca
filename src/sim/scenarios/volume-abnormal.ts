// Volume health: the hostpath driver's external health monitor reports the backing directory of
// metrics/prometheus-data-prometheus-0 gone (VolumeConditionAbnormal on the PVC, repeating).
import { appTemplate, baseNodes } from './base';
import type { Cluster } from './cluster';
import { statefulSet } from './apps';
import { installHostpath } from './deploy-hostpath';
import { volumeAttachment } from './deploy-ceph';
import { boundClaim, usage } from './storage';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const { storageClass: sc, node } = installHostpath(c, 'n2');
  const prom = statefulSet(c, {
    namespace: 'metrics',
    name: 'prometheus',
    labels: { app: 'prometheus' },
    replicas: 1,
    createdAgo: 86400 * 6,
    claimTemplates: [{ name: 'prometheus-data', storageClass: sc.metadata.name, size: '30Gi' }],
    template: appTemplate({ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1', ports: [9090], args: ['--storage.tsdb.path=/prometheus'] }, []),
  });
  const { pvc, pv } = boundClaim(c, { namespace: 'metrics', name: 'prometheus-data-prometheus-0', storageClass: sc, size: '30Gi', createdAgo: 86400 * 6, labels: { app: 'prometheus' } });
  // Hostpath volumes live on one node: the PV says so through node affinity.
  pv.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.hostpath.csi/node', operator: 'In', values: [node] }] }] } };
  pvc.metadata.annotations!['volume.kubernetes.io/selected-node'] = node;
  prom.pod(0, { node, createdAgo: 86400 * 6 - 20 });
  volumeAttachment(c, pv, node, { createdAgo: 86400 * 6 - 19 });
  usage(c, pvc, 30 * 2 ** 30, 0.22);
  c.event(pvc, {
    type: 'Warning',
    reason: 'VolumeConditionAbnormal',
    message: `Volume ${pv.metadata.name}: The source path of the volume doesn't exist`,
    component: 'csi-pv-monitor-controller-hostpath.csi.k8s.io',
    count: 14,
    firstAgo: 3300,
    lastAgo: 40,
  });
  c.expect.push({ code: 'VolumeAbnormal', severity: 'error', object: { kind: 'PersistentVolumeClaim', namespace: 'metrics', name: 'prometheus-data-prometheus-0' } });
}

export const volumeAbnormalScenario: Scenario = {
  name: 'volume-abnormal',
  description: 'Volume health: the external health monitor reports a hostpath volume abnormal (VolumeConditionAbnormal)',
  build,
};
