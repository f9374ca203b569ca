// The API resources csi-top keeps, and how each is reached. Secrets are deliberately absent.
import type { KindName } from './records';

export interface KindSpec {
  readonly kind: KindName;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** What the lists and watches leave out (a field selector the apiserver applies). */
  readonly fieldSelector?: string;
}

export const KINDS: Readonly<Record<KindName, KindSpec>> = {
  Pod: { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true },
  PersistentVolumeClaim: { kind: 'PersistentVolumeClaim', group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  PersistentVolume: { kind: 'PersistentVolume', group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false },
  StorageClass: { kind: 'StorageClass', group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false },
  CSIDriver: { kind: 'CSIDriver', group: 'storage.k8s.io', version: 'v1', plural: 'csidrivers', namespaced: false },
  CSINode: { kind: 'CSINode', group: 'storage.k8s.io', version: 'v1', plural: 'csinodes', namespaced: false },
  VolumeAttachment: { kind: 'VolumeAttachment', group: 'storage.k8s.io', version: 'v1', plural: 'volumeattachments', namespaced: false },
  Node: { kind: 'Node', group: '', version: 'v1', plural: 'nodes', namespaced: false },
  Event: { kind: 'Event', group: '', version: 'v1', plural: 'events', namespaced: true },
  DaemonSet: { kind: 'DaemonSet', group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true },
  StatefulSet: { kind: 'StatefulSet', group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  Deployment: { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  ReplicaSet: { kind: 'ReplicaSet', group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  // Node heartbeats are Leases too: one per node in kube-node-lease, renewed every 10 s. csi-top
  // reads node health from Node objects; watching them would change Leases ~100 times a second on
  // a 1000-node cluster, and every Lease change rebuilds the driver index and re-judges.
  Lease: { kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true, fieldSelector: 'metadata.namespace!=kube-node-lease' },
  Namespace: { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false },
};

export const KIND_NAMES = Object.keys(KINDS) as KindName[];

/** The collection URL of a kind, namespaced when `namespace` is given and the kind is namespaced. */
export function collectionPath(spec: KindSpec, namespace?: string): string {
  const base = spec.group ? `/apis/${spec.group}/${spec.version}` : `/api/${spec.version}`;
  if (spec.namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${spec.plural}`;
  return `${base}/${spec.plural}`;
}

/** What a client lists to hold what csi-top holds: the collection with the kind's field selector. */
export function listPath(spec: KindSpec): string {
  return spec.fieldSelector ? `${collectionPath(spec)}?fieldSelector=${encodeURIComponent(spec.fieldSelector)}` : collectionPath(spec);
}

export function objectPath(spec: KindSpec, namespace: string, name: string): string {
  return `${collectionPath(spec, spec.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
}
