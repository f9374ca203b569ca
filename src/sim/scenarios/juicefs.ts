// JuiceFS in mount pod mode with three stories:
// - web/jfs-data on n1: one mount pod shared by two app pods (two reference annotations);
// - web/jfs-data on n2: its mount pod was recreated 8 minutes ago, long after the app pod there
//   mounted through the old one: that app pod holds a dead FUSE mount (StaleMount);
// - ml/datasets on n3 (own file system, own Redis): Redis is unreachable, the mount pod crash-loops
//   on `i/o timeout`, both trainer pods wait in ContainerCreating with FailedMount events.
import { appTemplate, baseNodes, containerStarted, mountTimeout, scheduled } from './base';
import type { Cluster } from './cluster';
import { crashLoopStatus } from './kube';
import { deployment } from './apps';
import { installJuiceFS, JUICEFS_DRIVER, JUICEFS_META_URL, MOUNT_IMAGE, mountPodName, placeMountPod } from './deploy-juicefs';
import { juicefsMountMetaTimeout, juicefsMountOk, klog } from './logtext';
import { boundClaim, storageClass, usage } from './storage';
import type { Scenario } from './types';

const ML_META_URL = 'redis://:****@redis-ml.ml.svc.cluster.local:6379/2';
const ML_META_ADDR = '10.96.48.211:6379';

function build(c: Cluster): void {
  baseNodes(c);
  const { storageClass: sc } = installJuiceFS(c);
  const nginx = { name: 'nginx', image: 'nginx:1.27.3', ports: [80] };

  // --- web: a shared mount pod on n1, a recreated one on n2 -------------------------------------
  const data = boundClaim(c, { namespace: 'web', name: 'jfs-data', storageClass: sc, size: '100Gi', accessModes: ['ReadWriteMany'], createdAgo: 86400 * 9 });
  const web = deployment(c, {
    namespace: 'web',
    name: 'web',
    labels: { app: 'web' },
    replicas: 3,
    createdAgo: 86400 * 2,
    template: appTemplate(nginx, [{ volume: 'html', claim: 'jfs-data', mountPath: '/usr/share/nginx/html' }]),
  });
  // The node plugin labels every app pod it mounts through a mount pod (setMountLabel).
  const jfsLabel = { 'juicefs-uniqueid': '' };
  const onN1 = [0, 1].map(() => web.pod({ node: 'n1', createdAgo: 86400 * 2 - 30 }));
  const onN2 = web.pod({ node: 'n2', createdAgo: 86400 * 2 - 31 });
  for (const p of [...onN1, onN2]) Object.assign(p.metadata.labels!, jfsLabel);
  const uid = data.pv.spec.csi.volumeHandle as string;
  const shared = placeMountPod(c, { node: 'n1', uniqueId: uid, refs: onN1, pv: data.pv.metadata.name, createdAgo: 86400 * 2 - 33 });
  c.log(shared.pod.metadata.namespace!, shared.pod.metadata.name, 'jfs-mount', juicefsMountOk(c.ago(86400 * 2 - 34), { metaUrl: JUICEFS_META_URL, mountPath: shared.path, fsName: 'jfs-prod', uuid: shared.pod.metadata.annotations!['juicefs-uuid'] }));
  usage(c, data.pvc, 100 * 2 ** 30, 0.41);

  // The first mount pod on n2 was OOM-killed and deleted; the node plugin's pod manager made a
  // new one 8 minutes ago with the same references. The app pod on n2 still has the old FUSE mount.
  const oldName = mountPodName('n2', uid, c.rand.letters(6));
  const oldUid = c.rand.uid();
  const fresh = placeMountPod(c, { node: 'n2', uniqueId: uid, refs: [onN2], pv: data.pv.metadata.name, createdAgo: 480 });
  containerStarted(c, fresh.pod, 'jfs-mount', MOUNT_IMAGE, { firstAgo: 478 });
  c.event(
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: oldName, namespace: 'kube-system', uid: oldUid } },
    { reason: 'Killing', message: 'Stopping container jfs-mount', component: 'kubelet', host: 'n2', firstAgo: 490, fieldPath: 'spec.containers{jfs-mount}' },
  );
  c.log('kube-system', fresh.pod.metadata.name, 'jfs-mount', juicefsMountOk(c.ago(476), { metaUrl: JUICEFS_META_URL, mountPath: fresh.path, fsName: 'jfs-prod', uuid: fresh.pod.metadata.annotations!['juicefs-uuid'] }));
  c.log('web', onN2.metadata.name, 'nginx', [
    [c.ago(300), `2026/01/01 00:00:00 [error] 29#29: *1043 open() "/usr/share/nginx/html/index.html" failed (107: Transport endpoint is not connected), client: 10.244.2.1, server: localhost, request: "GET / HTTP/1.1", host: "${onN2.status.podIP}"`],
    [c.ago(120), `2026/01/01 00:00:00 [error] 29#29: *1187 open() "/usr/share/nginx/html/index.html" failed (107: Transport endpoint is not connected), client: 10.244.2.1, server: localhost, request: "GET / HTTP/1.1", host: "${onN2.status.podIP}"`],
  ].map(([ms, line]) => [ms as number, fixNginxDate(ms as number, line as string)] as const));
  c.log('kube-system', nodePluginName(c, 'n2'), 'juicefs-plugin', [
    [c.ago(492), klog(c.ago(492), 'I', 7, 'pod_driver.go:160', `"Pod is deleted, recreate it" logger="pod-driver" podName="${oldName}"`)],
    [c.ago(481), klog(c.ago(481), 'I', 7, 'pod_driver.go:502', `"recreate mount pod" logger="pod-driver" podName="${oldName}" newPodName="${fresh.pod.metadata.name}"`)],
    [c.ago(470), klog(c.ago(470), 'I', 7, 'pod_driver.go:540', `"mount pod is ready" logger="pod-driver" podName="${fresh.pod.metadata.name}"`)],
  ]);
  // Driver versions that annotate app pods with their mount pod leave the old name behind.
  onN2.metadata.annotations = { ...onN2.metadata.annotations, [`juicefs-mountpod-${data.pv.metadata.name}`]: `kube-system/${oldName}` };
  for (const p of onN1) p.metadata.annotations = { ...p.metadata.annotations, [`juicefs-mountpod-${data.pv.metadata.name}`]: `kube-system/${shared.pod.metadata.name}` };
  c.expect.push({ code: 'StaleMount', severity: 'error', object: { kind: 'Pod', namespace: 'kube-system', name: fresh.pod.metadata.name } });

  // --- ml: the metadata engine of its own file system times out ---------------------------------
  const mlClass = storageClass(c, {
    name: 'juicefs-ml',
    provisioner: JUICEFS_DRIVER,
    reclaimPolicy: 'Retain',
    parameters: {
      'csi.storage.k8s.io/provisioner-secret-name': 'juicefs-ml-secret',
      'csi.storage.k8s.io/provisioner-secret-namespace': 'ml',
      'csi.storage.k8s.io/node-publish-secret-name': 'juicefs-ml-secret',
      'csi.storage.k8s.io/node-publish-secret-namespace': 'ml',
    },
  });
  const datasets = boundClaim(c, { namespace: 'ml', name: 'datasets', storageClass: mlClass, size: '1Ti', accessModes: ['ReadWriteMany'], createdAgo: 86400 * 14 });
  const trainer = deployment(c, {
    namespace: 'ml',
    name: 'trainer',
    labels: { app: 'trainer' },
    replicas: 2,
    createdAgo: 1500,
    template: appTemplate({ name: 'trainer', image: 'registry.example.com/ml/trainer:3.1' }, [{ volume: 'datasets', claim: 'datasets', mountPath: '/data', readOnly: true }]),
  });
  const stuck = [0, 1].map(() => trainer.pod({ node: 'n3', state: 'creating', createdAgo: 1490 }));
  for (const p of stuck) Object.assign(p.metadata.labels!, jfsLabel);
  const mlId = datasets.pv.spec.csi.volumeHandle as string;
  const broken = placeMountPod(c, { node: 'n3', uniqueId: mlId, refs: stuck, pv: datasets.pv.metadata.name, createdAgo: 1485 });
  const restarts = 7;
  const lastStart = c.ago(150);
  broken.pod.status = crashLoopStatus(broken.pod.status, { name: broken.pod.metadata.name, namespace: 'kube-system', uid: broken.pod.metadata.uid! }, 'jfs-mount', restarts, { startedMs: lastStart, finishedMs: lastStart + 30_000, exitCode: 1 }, c.containerId());
  c.faults.metaEngine.push({ uniqueId: mlId, metaUrl: ML_META_URL, address: ML_META_ADDR });
  const fatal = juicefsMountMetaTimeout(lastStart, { metaUrl: ML_META_URL, address: ML_META_ADDR });
  c.log('kube-system', broken.pod.metadata.name, 'jfs-mount', juicefsMountMetaTimeout(lastStart - 330_000, { metaUrl: ML_META_URL, address: ML_META_ADDR }), true);
  c.log('kube-system', broken.pod.metadata.name, 'jfs-mount', fatal);
  containerStarted(c, broken.pod, 'jfs-mount', MOUNT_IMAGE, { count: restarts + 1, firstAgo: 1483, lastAgo: 150 });
  c.event(broken.pod, {
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off restarting failed container jfs-mount in pod ${broken.pod.metadata.name}_kube-system(${broken.pod.metadata.uid})`,
    component: 'kubelet',
    host: 'n3',
    count: 96,
    firstAgo: 1380,
    lastAgo: 9,
    fieldPath: 'spec.containers{jfs-mount}',
  });
  const lastLog = fatal[fatal.length - 1][1];
  for (const p of stuck) {
    scheduled(c, p, 1489);
    c.event(p, {
      type: 'Warning',
      reason: 'FailedMount',
      message: `MountVolume.SetUp failed for volume "${datasets.pv.metadata.name}" : rpc error: code = Internal desc = Could not mount juicefs: wait for mount ${ML_META_URL} ready failed, err: mount point is not ready in 60s, mountpod: ${broken.pod.metadata.name}, log: ${lastLog}`,
      component: 'kubelet',
      host: 'n3',
      count: 11,
      firstAgo: 1420,
      lastAgo: 75,
    });
    mountTimeout(c, p, ['datasets'], { count: 10, firstAgo: 1366, lastAgo: 40 });
  }
  c.log('kube-system', nodePluginName(c, 'n3'), 'juicefs-plugin', [
    [c.ago(1488), klog(c.ago(1488), 'I', 7, 'node.go:128', `"NodePublishVolume: volume_id is ${mlId}" logger="juicefs-node"`)],
    [c.ago(1486), klog(c.ago(1486), 'I', 7, 'pod_mount.go:473', `"create mount pod" logger="juicefs-mount" podName="${broken.pod.metadata.name}"`)],
    [c.ago(75), klog(c.ago(75), 'E', 7, 'pod_mount.go:583', `"wait for mount error" err="mount point is not ready in 60s, mountpod: ${broken.pod.metadata.name}" logger="juicefs-mount" podName="${broken.pod.metadata.name}"`)],
    [c.ago(75), klog(c.ago(75), 'E', 7, 'node.go:230', `"NodePublishVolume: could not mount juicefs" err="wait for mount ${ML_META_URL} ready failed" logger="juicefs-node" volumeId="${mlId}"`)],
  ]);
  c.expect.push({ code: 'MountPodNotReady', severity: 'error', object: { kind: 'Pod', namespace: 'kube-system', name: broken.pod.metadata.name } });
}

/** Nginx error-log date for a line (its own format, local time of the container: UTC). */
function fixNginxDate(ms: number, line: string): string {
  const d = new Date(ms).toISOString();
  return line.replace(/^\S+ \S+/, `${d.slice(0, 10).replace(/-/g, '/')} ${d.slice(11, 19)}`);
}

/** Name of the DaemonSet pod on a node, known only after finish(); log lines address it lazily. */
function nodePluginName(c: Cluster, node: string): string {
  return c.lazyPodName('kube-system', 'juicefs-csi-node', node);
}

export const juicefsScenario: Scenario = {
  name: 'juicefs',
  description: 'JuiceFS mount pods: one shared by two app pods, one recreated under its app pod (stale mount), one crash-looping on a Redis i/o timeout',
  build,
};
