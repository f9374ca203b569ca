// Ceph RBD: postgres-0 on n1 is fine; postgres-1 on n3 cannot `rbd map` (n3 cannot reach the
// Ceph monitors: Connection timed out); redis-0's VolumeAttachment on n2 carries an attach error.
import { appTemplate, baseNodes, mountTimeout, scheduled } from './base';
import type { Cluster } from './cluster';
import { deployment, statefulSet } from './apps';
import { CEPH_NS, installCephRbd, rbdClaim, volumeAttachment } from './deploy-ceph';
import { klog, rbdMapError } from './logtext';
import { usage } from './storage';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const { storageClass: sc } = installCephRbd(c);

  // --- postgres: a StatefulSet whose second replica cannot map its image -------------------------
  const pg = statefulSet(c, {
    namespace: 'db',
    name: 'postgres',
    labels: { app: 'postgres' },
    replicas: 2,
    createdAgo: 86400 * 12,
    claimTemplates: [{ name: 'data', storageClass: sc.metadata.name, size: '50Gi' }],
    template: appTemplate({ name: 'postgres', image: 'postgres:16.4', ports: [5432] }, [], {}),
  });
  pg.statefulSet.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/var/lib/postgresql/data' }];
  const claims = [0, 1].map((i) => rbdClaim(c, { namespace: 'db', name: `data-postgres-${i}`, storageClass: sc, size: '50Gi', createdAgo: 86400 * 12 - i * 40, labels: { app: 'postgres' } }));
  pg.pod(0, { node: 'n1', createdAgo: 86400 * 3 });
  volumeAttachment(c, claims[0].pv, 'n1', { createdAgo: 86400 * 3 - 1 });
  usage(c, claims[0].pvc, 50 * 2 ** 30, 0.63);
  // postgres-1 was rescheduled to n3 18 minutes ago; attach succeeded, NodeStage's rbd map times out.
  const stuck = pg.pod(1, { node: 'n3', state: 'creating', createdAgo: 1080 });
  volumeAttachment(c, claims[1].pv, 'n3', { createdAgo: 1078 });
  const pv1 = claims[1].pv.metadata.name;
  const mapErr = rbdMapError(claims[1].image);
  c.faults.mount.push({ pv: pv1, node: 'n3', message: mapErr });
  scheduled(c, stuck, 1080);
  c.event(stuck, { reason: 'SuccessfulAttachVolume', message: `AttachVolume.Attach succeeded for volume "${pv1}" `, component: 'attachdetach-controller', firstAgo: 1076 });
  c.event(stuck, { type: 'Warning', reason: 'FailedMount', message: `MountVolume.MountDevice failed for volume "${pv1}" : ${mapErr}`, component: 'kubelet', host: 'n3', count: 8, firstAgo: 1000, lastAgo: 64 });
  mountTimeout(c, stuck, ['data'], { count: 7, firstAgo: 955, lastAgo: 30 });
  const nodePlugin = c.lazyPodName(CEPH_NS, 'csi-rbdplugin', 'n3');
  c.log(CEPH_NS, nodePlugin, 'csi-rbdplugin', [
    [c.ago(1074), klog(c.ago(1074), 'I', 1, 'utils.go:198', `ID: 412 Req-ID: ${claims[1].pv.spec.csi.volumeHandle} GRPC call: /csi.v1.Node/NodeStageVolume`)],
    [c.ago(1074), klog(c.ago(1074), 'I', 1, 'rbd_util.go:1316', `ID: 412 Req-ID: ${claims[1].pv.spec.csi.volumeHandle} setting disableInUseChecks: false image features: [layering] mounter: rbd`)],
    [c.ago(1074), klog(c.ago(1074), 'I', 1, 'cephcmds.go:105', `ID: 412 Req-ID: ${claims[1].pv.spec.csi.volumeHandle} command succeeded: rbd [device list --format=json --device-type krbd]`)],
    [c.ago(64), klog(c.ago(64), 'E', 1, 'utils.go:203', `ID: 431 Req-ID: ${claims[1].pv.spec.csi.volumeHandle} GRPC error: ${mapErr.replace(/\n/g, '\\n')}`)],
  ]);
  c.expect.push({ code: 'AttachFailed', severity: 'error', object: { kind: 'Pod', namespace: 'db', name: stuck.metadata.name } });

  // --- redis: csi-attacher cannot complete ControllerPublish for n2 ------------------------------
  const redisData = rbdClaim(c, { namespace: 'db', name: 'redis-data', storageClass: sc, size: '8Gi', createdAgo: 86400 * 5 });
  const redis = deployment(c, {
    namespace: 'db',
    name: 'redis',
    labels: { app: 'redis' },
    replicas: 1,
    createdAgo: 86400 * 5,
    template: appTemplate({ name: 'redis', image: 'redis:7.4', ports: [6379] }, [{ volume: 'data', claim: 'redis-data', mountPath: '/data' }]),
  });
  const waiting = redis.pod({ node: 'n2', state: 'creating', createdAgo: 720 });
  const attachErr = 'rpc error: code = DeadlineExceeded desc = context deadline exceeded';
  const va = volumeAttachment(c, redisData.pv, 'n2', { createdAgo: 718, error: attachErr });
  c.faults.attach.push({ pv: redisData.pv.metadata.name, node: 'n2', message: attachErr });
  scheduled(c, waiting, 720);
  c.event(waiting, { type: 'Warning', reason: 'FailedAttachVolume', message: `AttachVolume.Attach failed for volume "${redisData.pv.metadata.name}" : ${attachErr}`, component: 'attachdetach-controller', count: 9, firstAgo: 560, lastAgo: 45 });
  mountTimeout(c, waiting, ['data'], { count: 5, firstAgo: 597, lastAgo: 50, unattached: ['data'] });
  const attacherPod = c.list('Pod').find((p) => p.metadata.name.startsWith('csi-rbdplugin-provisioner-'))!;
  c.log(CEPH_NS, attacherPod.metadata.name, 'csi-attacher', [
    [c.ago(560), klog(c.ago(560), 'I', 1, 'csi_handler.go:261', `Attaching "${va.metadata.name}"`)],
    [c.ago(410), klog(c.ago(410), 'E', 1, 'csi_handler.go:716', `Failed to attach "${va.metadata.name}": ${attachErr}`)],
    [c.ago(45), klog(c.ago(45), 'E', 1, 'csi_handler.go:716', `Failed to attach "${va.metadata.name}": ${attachErr}`)],
  ]);
  c.expect.push({ code: 'AttachFailed', severity: 'error', object: { kind: 'VolumeAttachment', name: va.metadata.name } });
}

export const cephRbdScenario: Scenario = {
  name: 'ceph-rbd',
  description: 'Ceph RBD: an rbd map timing out on one node (Connection timed out) and a VolumeAttachment with an attach error',
  build,
};
