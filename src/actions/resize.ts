// What the resize dialog checks before anything is sent: the claim can be expanded at all (bound,
// a StorageClass with allowVolumeExpansion, not --readonly, allowed by RBAC) and the typed size is
// a Kubernetes quantity strictly larger than the current request. Pure: store records in, a
// sentence out; the apiserver's own refusals are shown verbatim by the dialog afterwards.
import type { PodRec, PVCRec, StorageClassRec } from '../store/records';
import type { StoreReader } from '../store/store';
import { isActivePod } from '../store/topology/pod-index';
import { compareQuantities, parseQuantity, QuantityError, type Quantity } from '../util/quantity';
import { READONLY_MESSAGE, type Access } from './types';

export interface ClaimFacts {
  readonly namespace: string;
  readonly name: string;
  readonly pvc: PVCRec | undefined;
  /** The claim's StorageClass when the store has it. */
  readonly sc: StorageClassRec | undefined;
  /** StorageClasses were listed: a missing one does not exist (rather than being unreadable). */
  readonly classesKnown: boolean;
  /** The CSI driver of the bound volume ('' when none or not CSI). */
  readonly driver: string;
  /** Active pods using the claim. */
  readonly pods: readonly PodRec[];
}

export function claimFacts(store: StoreReader, namespace: string, name: string): ClaimFacts {
  const pvc = store.get('PersistentVolumeClaim', namespace, name);
  const sc = pvc?.storageClass ? store.get('StorageClass', '', pvc.storageClass) : undefined;
  const pv = pvc?.volumeName ? store.get('PersistentVolume', '', pvc.volumeName) : undefined;
  return {
    namespace,
    name,
    pvc,
    sc,
    classesKnown: store.status('StorageClass').state === 'synced',
    driver: pv?.driver ?? '',
    pods: store.podsUsingClaim(namespace, name).filter(isActivePod),
  };
}

/** Why this claim cannot be resized now (undefined: it can, the size decides). */
export function resizeBlocker(f: ClaimFacts, o: { readonly: boolean; access?: Access }): string | undefined {
  if (o.readonly) return READONLY_MESSAGE;
  const id = `${f.namespace}/${f.name}`;
  const pvc = f.pvc;
  if (!pvc) return `PVC ${id} is gone`;
  if (pvc.deleting) return `PVC ${id} is being deleted`;
  if (pvc.phase !== 'Bound') return `PVC ${id} is ${pvc.phase || 'not bound'}: only bound claims can be expanded`;
  if (!pvc.storageClass) return `PVC ${id} has no StorageClass: only dynamically provisioned claims can be expanded`;
  if (!f.sc && f.classesKnown) return `StorageClass ${pvc.storageClass} does not exist: only claims whose StorageClass allows expansion can be expanded`;
  if (f.sc && !f.sc.allowVolumeExpansion) return `StorageClass ${pvc.storageClass} does not allow volume expansion (allowVolumeExpansion is not true)`;
  if (o.access && !o.access.allowed) return o.access.reason;
  return undefined;
}

export type SizeCheck = { readonly ok: true; readonly size: string; readonly quantity: Quantity } | { readonly ok: false; readonly message: string };

/** Validates the typed size against the claim's current request. */
export function checkSize(text: string, pvc: PVCRec): SizeCheck {
  const size = text.trim();
  if (size === '') return { ok: false, message: 'type the new size, e.g. 20Gi, 1.5Ti, 500G or 21474836480 (bytes)' };
  let q: Quantity;
  try {
    q = parseQuantity(size);
  } catch (e) {
    if (e instanceof QuantityError) return { ok: false, message: e.message };
    throw e;
  }
  if (q.num <= 0n) return { ok: false, message: `"${size}": a size must be greater than zero` };
  if (q.num % 10n ** BigInt(q.scale) !== 0n) return { ok: false, message: `"${size}" is not a whole number of bytes` };
  let current: Quantity | undefined;
  try {
    current = parseQuantity(pvc.requested);
  } catch {
    current = undefined;
  }
  if (current) {
    const c = compareQuantities(q, current);
    if (c === 0) return { ok: false, message: `${size} is the current request (${pvc.requested}): type a larger size` };
    if (c < 0) return { ok: false, message: `${size} is smaller than the current request ${pvc.requested}: volumes can only grow` };
  }
  return { ok: true, size, quantity: q };
}
