// The admission plugins whose refusals csi-top must recognise: NamespaceLifecycle (no new
// objects in missing or terminating namespaces) and PersistentVolumeClaimResize (growth only for
// bound claims whose StorageClass sets allowVolumeExpansion). Messages as the plugins word them.
import { forbidden, notFound, type ApiError } from './errors';
import { parseQuantity } from './quantity';
import type { ResourceInfo } from './resources';
import type { KubeObject } from './types';

export interface AdmissionLookup {
  namespace(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
}

const gr = (info: ResourceInfo) => ({ group: info.group, resource: info.plural });

export function admitCreate(info: ResourceInfo, obj: KubeObject, lookup: AdmissionLookup): ApiError | null {
  if (!info.namespaced || info.virtual) return null;
  const nsName = obj.metadata.namespace ?? '';
  const ns = lookup.namespace(nsName);
  if (!ns) return notFound({ group: '', resource: 'namespaces' }, nsName);
  if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
    return forbidden(gr(info), obj.metadata.name ?? '', `unable to create new content in namespace ${nsName} because it is being terminated`);
  }
  return null;
}

/** apihelper.GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName. */
function claimClass(pvc: KubeObject): string {
  return pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
}

export function admitUpdate(info: ResourceInfo, next: KubeObject, prev: KubeObject, lookup: AdmissionLookup, subresource?: string): ApiError | null {
  if (info.kind !== 'PersistentVolumeClaim' || info.group !== '' || subresource) return null;
  const oldSize = parseQuantity(prev.spec?.resources?.requests?.storage ?? 0);
  const newSize = parseQuantity(next.spec?.resources?.requests?.storage ?? 0);
  if (!(newSize > oldSize)) return null;
  const name = prev.metadata.name;
  if (prev.status?.phase !== 'Bound') return forbidden(gr(info), name, 'Only bound persistent volume claims can be expanded');
  const cls = claimClass(next);
  const sc = cls && cls === claimClass(prev) ? lookup.storageClass(cls) : undefined;
  if (sc?.allowVolumeExpansion !== true) {
    return forbidden(gr(info), name, 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
  }
  return null;
}
