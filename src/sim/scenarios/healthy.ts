// A clean multi-driver cluster: JuiceFS (mount pod mode), Ceph RBD and NFS all serving running
// app pods. csi-top must report no error finding here: anything it reports is a false alarm.
import { appTemplate, baseNodes } from './base';
import type { Cluster } from './cluster';
import { runningStatus } from './kube';
import { deployment, statefulSet } from './apps';
import { installJuiceFS, mountPod, settingHashOf } from './deploy-juicefs';
import { CEPH_CLUSTER_ID, installCephRbd, rbdHandle, volumeAttachment } from './deploy-ceph';
import { installNfs, NFS_SERVER, nfsHandle } from './deploy-nfs';
import { boundClaim, usage } from './storage';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const jfs = installJuiceFS(c).storageClass;
  const rbd = installCephRbd(c).storageClass;
  const nfs = installNfs(c).storageClass;

  // wiki: two replicas sharing an NFS export.
  const uploads = boundClaim(c, {
    namespace: 'wiki',
    name: 'uploads',
    storageClass: nfs,
    size: '50Gi',
    accessModes: ['ReadWriteMany'],
    createdAgo: 86400 * 25,
    handle: nfsHandle,
    volumeAttributes: (pv, pvc) => ({ 'csi.storage.k8s.io/pv/name': pv, 'csi.storage.k8s.io/pvc/name': pvc.metadata.name, 'csi.storage.k8s.io/pvc/namespace': 'wiki', server: NFS_SERVER, share: '/exports', subdir: pv }),
  });
  const wiki = deployment(c, {
    namespace: 'wiki',
    name: 'wiki',
    labels: { app: 'wiki' },
    replicas: 2,
    createdAgo: 86400 * 25,
    template: appTemplate({ name: 'wiki', image: 'requarks/wiki:2.5', ports: [3000] }, [{ volume: 'uploads', claim: 'uploads', mountPath: '/wiki/data/uploads' }]),
  });
  wiki.pod({ node: 'n1', createdAgo: 86400 * 6 });
  wiki.pod({ node: 'n2', createdAgo: 86400 * 6 - 40 });
  usage(c, uploads.pvc, 50 * 2 ** 30, 0.18);

  // mariadb: one RBD volume, attached to n2.
  const db = statefulSet(c, {
    namespace: 'wiki',
    name: 'mariadb',
    labels: { app: 'mariadb' },
    replicas: 1,
    createdAgo: 86400 * 25,
    claimTemplates: [{ name: 'data', storageClass: rbd.metadata.name, size: '20Gi' }],
    template: appTemplate({ name: 'mariadb', image: 'mariadb:11.4', ports: [3306] }, []),
  });
  const h = rbdHandle(c);
  const dbData = boundClaim(c, {
    namespace: 'wiki',
    name: 'data-mariadb-0',
    storageClass: rbd,
    size: '20Gi',
    createdAgo: 86400 * 25,
    labels: { app: 'mariadb' },
    handle: () => h.handle,
    volumeAttributes: () => ({ clusterID: CEPH_CLUSTER_ID, imageFeatures: 'layering', imageName: h.image, journalPool: 'replicapool', pool: 'replicapool' }),
  });
  db.pod(0, { node: 'n2', createdAgo: 86400 * 6 });
  volumeAttachment(c, dbData.pv, 'n2', { createdAgo: 86400 * 6 - 1 });
  usage(c, dbData.pvc, 20 * 2 ** 30, 0.34);

  // docs: a JuiceFS volume on n3 through one healthy mount pod.
  const site = boundClaim(c, { namespace: 'docs', name: 'site', storageClass: jfs, size: '10Gi', accessModes: ['ReadWriteMany'], createdAgo: 86400 * 25 });
  const docs = deployment(c, {
    namespace: 'docs',
    name: 'docs',
    labels: { app: 'docs' },
    replicas: 1,
    createdAgo: 86400 * 25,
    template: appTemplate({ name: 'nginx', image: 'nginx:1.27.3', ports: [80] }, [{ volume: 'site', claim: 'site', mountPath: '/usr/share/nginx/html', readOnly: true }]),
  });
  const app = docs.pod({ node: 'n3', createdAgo: 86400 * 6 });
  app.metadata.labels!['juicefs-uniqueid'] = '';
  const uniqueId = site.pv.spec.csi.volumeHandle as string;
  const createdMs = c.ago(86400 * 6 - 3);
  const mp = mountPod({
    node: 'n3',
    uniqueId,
    suffix: c.rand.letters(6),
    uid: c.rand.uid(),
    createdMs,
    refs: [{ podUid: app.metadata.uid!, pv: site.pv.metadata.name }],
    fsUuid: c.rand.uid(),
    settingHash: settingHashOf(uniqueId),
  });
  const cid = c.containerId();
  mp.status = { ...runningStatus(mp.spec, { hostIP: c.hostIP('n3'), podIP: c.podIP('n3') }, createdMs + 1000, createdMs + 9000, () => cid), qosClass: 'Burstable' };
  c.add(mp, createdMs);
  usage(c, site.pvc, 10 * 2 ** 30, 0.52);
}

export const healthyScenario: Scenario = {
  name: 'healthy',
  description: 'A clean cluster with JuiceFS, Ceph RBD and NFS serving running pods: must yield no error findings',
  build,
};
