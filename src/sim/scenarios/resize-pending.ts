// A resize waiting on the node: shop/data-orders-db-0 was grown from 20Gi to 40Gi while the
// orders-db StatefulSet was scaled to zero. external-resizer expanded the RBD image and the PV;
// the file system grows only when a pod mounts the volume again (FileSystemResizePending).
import { appTemplate, baseNodes } from './base';
import type { Cluster } from './cluster';
import { iso } from './kube';
import { statefulSet } from './apps';
import { installCephRbd, RBD_DRIVER, rbdClaim } from './deploy-ceph';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const { storageClass: sc } = installCephRbd(c);
  const db = statefulSet(c, {
    namespace: 'shop',
    name: 'orders-db',
    labels: { app: 'orders-db' },
    replicas: 0,
    createdAgo: 86400 * 21,
    claimTemplates: [{ name: 'data', storageClass: sc.metadata.name, size: '20Gi' }],
    template: appTemplate({ name: 'mysql', image: 'mysql:8.4', ports: [3306] }, []),
  });
  db.statefulSet.metadata.generation = 2;
  const { pvc, pv } = rbdClaim(c, { namespace: 'shop', name: 'data-orders-db-0', storageClass: sc, size: '20Gi', createdAgo: 86400 * 21, labels: { app: 'orders-db' } });
  const grownAgo = 1260;
  pvc.spec.resources.requests.storage = '40Gi';
  pvc.status = {
    ...pvc.status,
    capacity: { storage: '20Gi' },
    allocatedResources: { storage: '40Gi' },
    allocatedResourceStatuses: { storage: 'NodeResizePending' },
    conditions: [
      {
        type: 'FileSystemResizePending',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: iso(c.ago(grownAgo - 4)),
        message: 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.',
      },
    ],
  };
  pv.spec.capacity.storage = '40Gi';
  const resizer = `external-resizer ${RBD_DRIVER}`;
  c.event(pvc, { type: 'Warning', reason: 'ExternalExpanding', message: 'waiting for an external controller to expand this PVC', component: 'volume_expand', firstAgo: grownAgo });
  c.event(pvc, { reason: 'Resizing', message: `External resizer is resizing volume ${pv.metadata.name}`, component: resizer, firstAgo: grownAgo - 1 });
  c.event(pvc, { reason: 'FileSystemResizeRequired', message: 'Require file system resize of volume on node', component: resizer, firstAgo: grownAgo - 4 });
  c.expect.push({ code: 'ResizePending', object: { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-orders-db-0' } });
}

export const resizePendingScenario: Scenario = {
  name: 'resize-pending',
  description: 'A PVC grown while no pod uses it: PV already 40Gi, claim at 20Gi with FileSystemResizePending',
  build,
};
