// A PV left behind: the team removed CephFS CSI (and the claim) twelve days ago; with no driver
// to run DeleteVolume, the Released PV with reclaimPolicy Delete stays forever (seed 003).
import { baseNodes } from './base';
import type { Cluster } from './cluster';
import { iso } from './kube';
import { CEPH_CLUSTER_ID } from './deploy-ceph';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const claimUid = c.rand.uid();
  const name = `pvc-${claimUid}`;
  const subvolume = c.rand.uid();
  c.add(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: { 'pv.kubernetes.io/provisioned-by': 'cephfs.csi.ceph.com', 'volume.kubernetes.io/provisioner-deletion-secret-name': 'csi-cephfs-secret', 'volume.kubernetes.io/provisioner-deletion-secret-namespace': 'ceph-csi-cephfs' },
        finalizers: ['kubernetes.io/pv-protection', 'external-provisioner.volume.kubernetes.io/finalizer'],
      },
      spec: {
        accessModes: ['ReadWriteMany'],
        capacity: { storage: '10Gi' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'shared-uploads', namespace: 'legacy', uid: claimUid, resourceVersion: '1184321' },
        csi: {
          driver: 'cephfs.csi.ceph.com',
          volumeHandle: `0001-0024-${CEPH_CLUSTER_ID}-0000000000000001-${subvolume}`,
          volumeAttributes: {
            clusterID: CEPH_CLUSTER_ID,
            fsName: 'cephfs',
            subvolumeName: `csi-vol-${subvolume}`,
            subvolumePath: `/volumes/csi/csi-vol-${subvolume}/${c.rand.uid()}`,
            'storage.kubernetes.io/csiProvisionerIdentity': `${c.ago(86400 * 200)}-7184-cephfs.csi.ceph.com`,
          },
          nodeStageSecretRef: { name: 'csi-cephfs-secret', namespace: 'ceph-csi-cephfs' },
          controllerExpandSecretRef: { name: 'csi-cephfs-secret', namespace: 'ceph-csi-cephfs' },
        },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'csi-cephfs-sc',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Released', lastPhaseTransitionTime: iso(c.ago(86400 * 12)) },
    },
    c.ago(86400 * 180),
  );
  c.expect.push({ code: 'OrphanPV', object: { kind: 'PersistentVolume', name } });
  c.expect.push({ code: 'DriverNotInstalled', severity: 'warning', object: { kind: 'CSIDriver', name: 'cephfs.csi.ceph.com' } });
}

export const releasedPvScenario: Scenario = {
  name: 'released-pv',
  description: 'A Released PV left behind after its claim and its driver (CephFS CSI) were removed',
  build,
};
