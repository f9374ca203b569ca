// StorageClasses, PVCs and PVs as the external-provisioner and the PV controller leave them.
import type { Cluster } from './cluster';
import { iso, KObj } from './kube';

export interface ClassOpts {
  name: string;
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: 'Delete' | 'Retain';
  expandable?: boolean;
  bindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  isDefault?: boolean;
  mountOptions?: string[];
}

export function storageClass(c: Cluster, o: ClassOpts): KObj {
  return c.ensure('StorageClass', undefined, o.name, () => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: o.name,
      ...(o.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    provisioner: o.provisioner,
    ...(o.parameters ? { parameters: o.parameters } : {}),
    reclaimPolicy: o.reclaimPolicy ?? 'Delete',
    volumeBindingMode: o.bindingMode ?? 'Immediate',
    ...(o.expandable ? { allowVolumeExpansion: true } : {}),
    ...(o.mountOptions ? { mountOptions: o.mountOptions } : {}),
  }));
}

export interface ClaimOpts {
  namespace: string;
  name: string;
  storageClass: KObj;
  size: string;
  accessModes?: string[];
  createdAgo: number;
  /** The driver's volume handle for this claim's PV (default: the PV name). */
  handle?: (pvName: string) => string;
  volumeAttributes?: (pvName: string, claim: KObj) => Record<string, string>;
  labels?: Record<string, string>;
}

/** A dynamically provisioned claim and its PV, bound both ways. */
export function boundClaim(c: Cluster, o: ClaimOpts): { pvc: KObj; pv: KObj } {
  const driver: string = o.storageClass.provisioner;
  const uid = c.rand.uid();
  const pvName = `pvc-${uid}`;
  const modes = o.accessModes ?? ['ReadWriteOnce'];
  const created = c.ago(o.createdAgo);
  const pvc = c.add(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: o.name,
        namespace: o.namespace,
        uid,
        ...(o.labels ? { labels: o.labels } : {}),
        annotations: {
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
          'volume.beta.kubernetes.io/storage-provisioner': driver,
          'volume.kubernetes.io/storage-provisioner': driver,
        },
        finalizers: ['kubernetes.io/pvc-protection'],
      },
      spec: {
        accessModes: modes,
        resources: { requests: { storage: o.size } },
        storageClassName: o.storageClass.metadata.name,
        volumeMode: 'Filesystem',
        volumeName: pvName,
      },
      status: { phase: 'Bound', accessModes: modes, capacity: { storage: o.size } },
    },
    created,
  );
  const pv = c.add(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name: pvName,
        annotations: { 'pv.kubernetes.io/provisioned-by': driver, 'volume.kubernetes.io/provisioner-deletion-secret-name': '', 'volume.kubernetes.io/provisioner-deletion-secret-namespace': '' },
        finalizers: ['external-provisioner.volume.kubernetes.io/finalizer', 'kubernetes.io/pv-protection'],
      },
      spec: {
        accessModes: modes,
        capacity: { storage: o.size },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: o.name, namespace: o.namespace, uid, resourceVersion: String(1000 + c.rand.int(90000)) },
        csi: {
          driver,
          volumeHandle: o.handle?.(pvName) ?? pvName,
          ...(driver === 'rbd.csi.ceph.com' ? { fsType: 'ext4' } : {}),
          volumeAttributes: {
            ...(o.volumeAttributes?.(pvName, pvc) ?? {}),
            'storage.kubernetes.io/csiProvisionerIdentity': `${c.ago(86400 * 30)}-${1000 + c.rand.int(9000)}-${driver}`,
          },
        },
        persistentVolumeReclaimPolicy: o.storageClass.reclaimPolicy ?? 'Delete',
        storageClassName: o.storageClass.metadata.name,
        volumeMode: 'Filesystem',
        ...(o.storageClass.mountOptions ? { mountOptions: o.storageClass.mountOptions } : {}),
      },
      status: { phase: 'Bound', lastPhaseTransitionTime: iso(created + 3000) },
    },
    created + 2000,
  );
  return { pvc, pv };
}

/** A claim the provisioner has not (yet) satisfied. */
export function pendingClaim(c: Cluster, o: Omit<ClaimOpts, 'handle' | 'volumeAttributes'>): KObj {
  const driver: string = o.storageClass.provisioner;
  const modes = o.accessModes ?? ['ReadWriteOnce'];
  return c.add(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: o.name,
        namespace: o.namespace,
        annotations: { 'volume.beta.kubernetes.io/storage-provisioner': driver, 'volume.kubernetes.io/storage-provisioner': driver },
        finalizers: ['kubernetes.io/pvc-protection'],
      },
      spec: { accessModes: modes, resources: { requests: { storage: o.size } }, storageClassName: o.storageClass.metadata.name, volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    },
    c.ago(o.createdAgo),
  );
}

/** `usedFraction` of the claim's capacity in use, as kubelet's volume stats would report. */
export function usage(c: Cluster, pvc: KObj, capacityBytes: number, usedFraction: number): void {
  const inodes = Math.max(65536, Math.floor(capacityBytes / 16384));
  c.usage.push({
    key: `${pvc.metadata.namespace}/${pvc.metadata.name}`,
    capacityBytes,
    usedBytes: Math.floor(capacityBytes * usedFraction),
    inodes,
    inodesUsed: Math.floor(inodes * usedFraction * 0.3) + 11,
  });
}
