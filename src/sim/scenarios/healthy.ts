// A clean multi-driver cluster: JuiceFS (mount pod mode), Ceph RBD and NFS all serving running
// app pods. csi-top must report no error finding here: anything it reports is a false alarm.
import { appTemplate, baseNodes } from './base';
import type { Cluster } from './cluster';
import { deployment, statefulSet } from './apps';
import { installJuiceFS, placeMountPod } from './deploy-juicefs';
import { installCephRbd, rbdClaim, volumeAttachment } from './deploy-ceph';
import { installNfs, nfsClaim } from './deploy-nfs';
import { boundClaim, usage } from './storage';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const jfs = installJuiceFS(c).storageClass;
  const rbd = installCephRbd(c).storageClass;
  const nfs = installNfs(c).storageClass;

  // wiki: two replicas sharing an NFS export.
  const uploads = nfsClaim(c, { namespace: 'wiki', name: 'uploads', storageClass: nfs, size: '50Gi', createdAgo: 86400 * 25 });
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
  const dbData = rbdClaim(c, { namespace: 'wiki', name: 'data-mariadb-0', storageClass: rbd, size: '20Gi', createdAgo: 86400 * 25, labels: { app: 'mariadb' } });
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
  placeMountPod(c, { node: 'n3', uniqueId: site.pv.spec.csi.volumeHandle, refs: [app], pv: site.pv.metadata.name, createdAgo: 86400 * 6 - 3 });
  usage(c, site.pvc, 10 * 2 ** 30, 0.52);
}

export const healthyScenario: Scenario = {
  name: 'healthy',
  description: 'A clean cluster with JuiceFS, Ceph RBD and NFS serving running pods: must yield no error findings',
  build,
};
