// Create and update validation for the kinds csi-top's tests write, with kube-apiserver's field
// paths and messages (pkg/apis/core/validation, pkg/apis/storage/validation). PVC updates follow
// ValidatePersistentVolumeClaimUpdate of v1.34, where RecoverVolumeExpansionFailure is GA: a
// shrink is refused only down to status.capacity unless the gate is turned off in SimOptions.
import { invalid, type ApiError, type FieldError } from './errors';
import { isDNS1123Label, isDNS1123Subdomain } from './names';
import { goDiff, GoMap } from './go-diff';
import { canonicalQuantity, parseQuantity } from './quantity';
import type { ResourceInfo } from './resources';
import type { KubeObject } from './types';

export interface FeatureGates {
  /** v1.34 default: true (GA). Off, a shrink fails with "field can not be less than previous value". */
  RecoverVolumeExpansionFailure: boolean;
}

export const defaultFeatureGates: FeatureGates = { RecoverVolumeExpansionFailure: true };

const kindOf = (info: ResourceInfo) => ({ group: info.group, kind: info.kind });

function fail(info: ResourceInfo, name: string, errs: FieldError[]): ApiError | null {
  return errs.length ? invalid(kindOf(info), name, errs) : null;
}

function nameErrors(info: ResourceInfo, obj: KubeObject): FieldError[] {
  const m = obj.metadata ?? ({} as KubeObject['metadata']);
  if (!m.name && !m.generateName) return [{ type: 'Required', field: 'metadata.name', detail: 'name or generateName is required' }];
  if (!m.name) return [];
  const msgs = info.nameFormat === 'label' ? isDNS1123Label(m.name) : isDNS1123Subdomain(m.name);
  return msgs.map((detail) => ({ type: 'Invalid', field: 'metadata.name', badValue: m.name, detail }));
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function pvcSpecErrors(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  const modes: unknown[] = spec?.accessModes ?? [];
  if (!modes.length) errs.push({ type: 'Required', field: 'spec.accessModes', detail: 'at least 1 access mode is required' });
  for (const m of modes) {
    if (!ACCESS_MODES.includes(String(m))) errs.push({ type: 'NotSupported', field: 'spec.accessModes', badValue: m, detail: `supported values: ${ACCESS_MODES.map((a) => `"${a}"`).join(', ')}` });
  }
  const storage = spec?.resources?.requests?.storage;
  if (storage === undefined) errs.push({ type: 'Required', field: 'spec.resources[storage]', detail: '' });
  else if (!(parseQuantity(storage) > 0)) errs.push({ type: 'Invalid', field: 'spec.resources[storage]', badValue: String(storage), detail: 'must be greater than zero' });
  return errs;
}

function podSpecErrors(spec: any): FieldError[] {
  const containers: any[] = spec?.containers ?? [];
  if (!containers.length) return [{ type: 'Required', field: 'spec.containers', detail: '' }];
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    if (!c?.name) errs.push({ type: 'Required', field: `spec.containers[${i}].name`, detail: '' });
    if (!c?.image) errs.push({ type: 'Required', field: `spec.containers[${i}].image`, detail: '' });
  });
  return errs;
}

/** Validation of a new object (after defaulting). Returns the 422 to throw, or null. */
export function validateCreate(info: ResourceInfo, obj: KubeObject): ApiError | null {
  const errs = nameErrors(info, obj);
  if (info.kind === 'PersistentVolumeClaim') errs.push(...pvcSpecErrors(obj.spec));
  if (info.kind === 'Pod') errs.push(...podSpecErrors(obj.spec));
  if (info.kind === 'StorageClass' && !obj.provisioner) errs.push({ type: 'Required', field: 'provisioner', detail: '' });
  return fail(info, obj.metadata?.name ?? '', errs);
}

// ---- PVC update ----

/** Deep equality where resource quantities compare by value ("1Gi" == "1073741824"), like Semantic.DeepEqual. */
export function semanticEqual(a: unknown, b: unknown, path = ''): boolean {
  if (/\.(requests|limits|capacity)\.[^.]+$/.test(path) && a !== undefined && b !== undefined) return parseQuantity(a) === parseQuantity(b);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return (a ?? null) === (b ?? null);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => semanticEqual((a as any)[k], (b as any)[k], `${path}.${k}`));
}

/** The v1 claim spec as the internal core.PersistentVolumeClaimSpec marshals (Go field names, nil as null). */
function internalPvcSpec(spec: any): unknown {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const quantities = (m: unknown) => (m && typeof m === 'object' ? new GoMap(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, canonicalQuantity(String(v))]))) : null);
  const selector = (sel: any) => {
    if (!sel || typeof sel !== 'object') return null;
    const out: Record<string, unknown> = {};
    if (sel.matchLabels && Object.keys(sel.matchLabels).length) out.matchLabels = new GoMap(sel.matchLabels);
    if (Array.isArray(sel.matchExpressions) && sel.matchExpressions.length) {
      out.matchExpressions = sel.matchExpressions.map((r: any) => ({ key: r.key ?? '', operator: r.operator ?? '', ...(r.values?.length ? { values: r.values } : {}) }));
    }
    return out;
  };
  const ref = (r: any, withNamespace: boolean) => {
    if (!r || typeof r !== 'object') return null;
    const out: Record<string, unknown> = { APIGroup: str(r.apiGroup), Kind: r.kind ?? '', Name: r.name ?? '' };
    if (withNamespace) out.Namespace = str(r.namespace);
    return out;
  };
  return {
    AccessModes: Array.isArray(spec?.accessModes) ? spec.accessModes : null,
    Selector: selector(spec?.selector),
    Resources: { Limits: quantities(spec?.resources?.limits), Requests: quantities(spec?.resources?.requests) },
    VolumeName: spec?.volumeName ?? '',
    StorageClassName: str(spec?.storageClassName),
    VolumeMode: str(spec?.volumeMode),
    DataSource: ref(spec?.dataSource, false),
    DataSourceRef: ref(spec?.dataSourceRef, true),
    VolumeAttributesClassName: str(spec?.volumeAttributesClassName),
  };
}

/** diff.Diff(oldPvcClone.Spec, newPvcClone.Spec): the unified JSON diff v1.34 appends. */
function specDiff(oldSpec: any, newSpec: any): string {
  return goDiff(internalPvcSpec(oldSpec), internalPvcSpec(newSpec));
}

const BETA_SC_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

function pvcUpdateErrors(next: KubeObject, prev: KubeObject, gates: FeatureGates): FieldError[] {
  const errs = pvcSpecErrors(next.spec);
  const newSpec = structuredClone(next.spec ?? {});
  const oldSpec = structuredClone(prev.spec ?? {});
  // volumeName may be set once (the PV controller binds the claim).
  if (!oldSpec.volumeName) oldSpec.volumeName = newSpec.volumeName;
  // storageClassName may go from unset to the class the beta annotation named (or any, without one).
  const oldAnn = prev.metadata.annotations?.[BETA_SC_ANNOTATION];
  if (oldSpec.storageClassName == null && newSpec.storageClassName != null && (oldAnn === undefined || oldAnn === newSpec.storageClassName)) {
    oldSpec.storageClassName = newSpec.storageClassName;
  }
  // Bound claims may change requests.storage; the size rules below judge it.
  if (next.status?.phase === 'Bound' && newSpec.resources?.requests) newSpec.resources.requests.storage = prev.spec?.resources?.requests?.storage;
  if (next.status?.phase === 'Bound') newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (!semanticEqual(newSpec, oldSpec)) {
    errs.push({ type: 'Forbidden', field: 'spec', detail: `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(oldSpec, newSpec)}` });
  }
  const oldSize = parseQuantity(prev.spec?.resources?.requests?.storage ?? 0);
  const newSize = parseQuantity(next.spec?.resources?.requests?.storage ?? 0);
  const statusSize = parseQuantity(prev.status?.capacity?.storage ?? 0);
  if (newSize < oldSize) {
    if (!gates.RecoverVolumeExpansionFailure) errs.push({ type: 'Forbidden', field: 'spec.resources.requests.storage', detail: 'field can not be less than previous value' });
    else if (newSize <= statusSize) errs.push({ type: 'Forbidden', field: 'spec.resources.requests.storage', detail: 'field can not be less than status.capacity' });
  }
  if ((next.spec?.volumeMode ?? null) !== (prev.spec?.volumeMode ?? null)) {
    errs.push({ type: 'Invalid', field: 'volumeMode', badValue: next.spec?.volumeMode ?? null, detail: 'field is immutable' });
  }
  return errs;
}

function storageClassUpdateErrors(next: KubeObject, prev: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(next.parameters ?? {}, prev.parameters ?? {})) errs.push({ type: 'Forbidden', field: 'parameters', detail: 'updates to parameters are forbidden.' });
  if (next.provisioner !== prev.provisioner) errs.push({ type: 'Forbidden', field: 'provisioner', detail: 'updates to provisioner are forbidden.' });
  if (next.reclaimPolicy !== prev.reclaimPolicy) errs.push({ type: 'Forbidden', field: 'reclaimPolicy', detail: 'updates to reclaimPolicy are forbidden.' });
  if (next.volumeBindingMode !== prev.volumeBindingMode) errs.push({ type: 'Invalid', field: 'volumeBindingMode', badValue: next.volumeBindingMode ?? null, detail: 'field is immutable' });
  return errs;
}

/** ValidatePodStatusUpdate, the part a status writer can get wrong: the QoS class never changes. */
function podStatusUpdateErrors(next: KubeObject, prev: KubeObject): FieldError[] {
  const was = prev.status?.qosClass ?? '';
  const now = next.status?.qosClass ?? '';
  return now !== was ? [{ type: 'Invalid', field: 'status.qosClass', badValue: now, detail: 'field is immutable' }] : [];
}

/** Validation of a main-resource update (after PrepareForUpdate). Returns the 422 to throw, or null. */
export function validateUpdate(info: ResourceInfo, next: KubeObject, prev: KubeObject, gates: FeatureGates, subresource?: string): ApiError | null {
  if (subresource === 'status' && info.group === '' && info.kind === 'Pod') return fail(info, prev.metadata.name, podStatusUpdateErrors(next, prev));
  if (subresource) return null;
  if (info.kind === 'PersistentVolumeClaim') return fail(info, prev.metadata.name, pvcUpdateErrors(next, prev, gates));
  if (info.kind === 'StorageClass') return fail(info, prev.metadata.name, storageClassUpdateErrors(next, prev));
  return null;
}
