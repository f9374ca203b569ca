// Volume usage: logging/loki-0's Ceph RBD volume is 94% full (kubelet's volume stats), its
// inodes fine. Nothing is broken yet; csi-top must warn before the writes start failing.
import { appTemplate, baseNodes } from './base';
import type { Cluster } from './cluster';
import { statefulSet } from './apps';
import { installCephRbd, rbdClaim, volumeAttachment } from './deploy-ceph';
import { usage } from './storage';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const { storageClass: sc } = installCephRbd(c);
  const loki = statefulSet(c, {
    namespace: 'logging',
    name: 'loki',
    labels: { app: 'loki' },
    replicas: 1,
    createdAgo: 86400 * 40,
    claimTemplates: [{ name: 'storage', storageClass: sc.metadata.name, size: '100Gi' }],
    template: appTemplate({ name: 'loki', image: 'grafana/loki:3.3.2', ports: [3100] }, []),
  });
  loki.statefulSet.spec.template.spec.containers[0].volumeMounts = [{ name: 'storage', mountPath: '/var/loki' }];
  const { pvc, pv } = rbdClaim(c, { namespace: 'logging', name: 'storage-loki-0', storageClass: sc, size: '100Gi', createdAgo: 86400 * 40, labels: { app: 'loki' } });
  loki.pod(0, { node: 'n1', createdAgo: 86400 * 9 });
  volumeAttachment(c, pv, 'n1', { createdAgo: 86400 * 9 - 1 });
  usage(c, pvc, 100 * 2 ** 30, 0.94);
  c.expect.push({ code: 'VolumeNearlyFull', severity: 'warning', object: { kind: 'PersistentVolumeClaim', namespace: 'logging', name: 'storage-loki-0' } });
}

export const volumeNearlyFullScenario: Scenario = {
  name: 'volume-nearly-full',
  description: 'a Ceph RBD volume 94% full (VolumeNearlyFull from kubelet volume stats)',
  build,
};
