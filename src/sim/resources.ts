// Every kind the simulator serves, described once: its group/version/kind, URL plural,
// scope, short names, subresources and verbs (for discovery), the field labels its field
// selectors accept (as kube-apiserver's field label conversions do), and storage quirks.
// Secrets are deliberately absent: csi-top must never read them, so they 404 like an unknown kind.
import { convertCoreEventToEventsV1, convertEventsV1ToCoreEvent } from './event-convert';
import type { KubeObject } from './types';

export type FieldGetter = (o: KubeObject) => string;

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** URL segment and RBAC resource name. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served, with their discovery verbs. */
  subresources: Record<string, string[]>;
  verbs: string[];
  /** Field labels accepted by field selectors besides metadata.name and metadata.namespace. */
  fields: Record<string, FieldGetter>;
  /** Whether metadata.generation is maintained (bumped on spec changes). */
  generation: boolean;
  /** DELETE answers with the object rather than a Status (genericregistry.Store.ReturnDeletedObject). */
  returnDeletedObject: boolean;
  /** Name validation: DNS-1123 subdomain (most kinds) or label (namespaces). */
  nameFormat: 'subdomain' | 'label';
  /** Table the objects live in; `${group}/${plural}` of another resource when this one is a view of it. */
  storage: string;
  /** For views over another resource's storage: conversion to and from the stored form. */
  toView?: (stored: KubeObject) => KubeObject;
  fromView?: (view: KubeObject) => KubeObject;
  /** Virtual resources (reviews) accept only POST and store nothing. */
  virtual?: boolean;
}

export const apiVersionOf = (r: { group: string; version: string }): string => (r.group ? `${r.group}/${r.version}` : r.version);

const rw = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const statusVerbs = ['get', 'patch', 'update'];

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const at = (o: KubeObject, ...path: string[]): unknown => {
  let cur: unknown = o;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
};
const field = (...path: string[]): FieldGetter => (o) => str(at(o, ...path));

const podFields: Record<string, FieldGetter> = {
  'spec.nodeName': field('spec', 'nodeName'),
  'spec.restartPolicy': field('spec', 'restartPolicy'),
  'spec.schedulerName': field('spec', 'schedulerName'),
  'spec.serviceAccountName': field('spec', 'serviceAccountName'),
  'spec.hostNetwork': (o) => String(at(o, 'spec', 'hostNetwork') === true),
  'status.phase': field('status', 'phase'),
  'status.podIP': field('status', 'podIP'),
  'status.podIPs': (o) => str((at(o, 'status', 'podIPs') as Array<{ ip?: string }> | undefined)?.[0]?.ip),
  'status.nominatedNodeName': field('status', 'nominatedNodeName'),
};

const involved = (k: string): FieldGetter => field('involvedObject', k);
const coreEventFields: Record<string, FieldGetter> = {
  'involvedObject.kind': involved('kind'),
  'involvedObject.namespace': involved('namespace'),
  'involvedObject.name': involved('name'),
  'involvedObject.uid': involved('uid'),
  'involvedObject.apiVersion': involved('apiVersion'),
  'involvedObject.resourceVersion': involved('resourceVersion'),
  'involvedObject.fieldPath': involved('fieldPath'),
  reason: field('reason'),
  reportingComponent: field('reportingComponent'),
  // The apiserver falls back to the reporting controller when source.component is empty.
  source: (o) => str(at(o, 'source', 'component')) || str(at(o, 'reportingComponent')),
  type: field('type'),
};
// events.k8s.io/v1 selects on the same stored (core) event under the new field names.
const eventsV1Fields: Record<string, FieldGetter> = {
  ...Object.fromEntries(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((k) => [`regarding.${k}`, involved(k)])),
  reportingController: field('reportingComponent'),
  reason: field('reason'),
  source: coreEventFields.source,
  type: field('type'),
};

interface Decl {
  group?: string;
  version?: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: Record<string, string[]>;
  verbs?: string[];
  fields?: Record<string, FieldGetter>;
  generation?: boolean;
  returnDeletedObject?: boolean;
  nameFormat?: 'subdomain' | 'label';
  storage?: string;
  toView?: (stored: KubeObject) => KubeObject;
  fromView?: (view: KubeObject) => KubeObject;
  virtual?: boolean;
}

function declare(d: Decl): ResourceInfo {
  const group = d.group ?? '';
  return {
    group,
    version: d.version ?? 'v1',
    kind: d.kind,
    plural: d.plural,
    singular: d.kind.toLowerCase(),
    namespaced: d.namespaced,
    shortNames: d.shortNames ?? [],
    categories: d.categories ?? [],
    subresources: d.subresources ?? {},
    verbs: d.verbs ?? rw,
    fields: d.fields ?? {},
    generation: d.generation ?? false,
    returnDeletedObject: d.returnDeletedObject ?? false,
    nameFormat: d.nameFormat ?? 'subdomain',
    storage: d.storage ?? `${group}/${d.plural}`,
    toView: d.toView,
    fromView: d.fromView,
    virtual: d.virtual,
  };
}

export const RESOURCES: ResourceInfo[] = [
  // core/v1
  declare({
    kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: { status: statusVerbs, log: ['get'] }, fields: podFields, generation: true, returnDeletedObject: true,
  }),
  declare({ kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'], subresources: { status: statusVerbs }, returnDeletedObject: true }),
  declare({ kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], subresources: { status: statusVerbs }, returnDeletedObject: true }),
  declare({
    kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'],
    subresources: { status: statusVerbs, proxy: ['create', 'delete', 'get', 'patch', 'update'] },
    fields: { 'spec.unschedulable': (o) => String(at(o, 'spec', 'unschedulable') === true) },
  }),
  declare({ kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], fields: coreEventFields }),
  declare({
    kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], subresources: { status: statusVerbs, finalize: ['update'] },
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], fields: { 'status.phase': field('status', 'phase') }, nameFormat: 'label',
    returnDeletedObject: true,
  }),
  declare({ kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] }),
  declare({ kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'], returnDeletedObject: true }),
  // storage.k8s.io/v1
  declare({ group: 'storage.k8s.io', kind: 'StorageClass', plural: 'storageclasses', namespaced: false, shortNames: ['sc'], returnDeletedObject: true }),
  // ReturnDeletedObject as each kind's registry sets it (pkg/registry/storage/*/storage in v1.34).
  declare({ group: 'storage.k8s.io', kind: 'CSIDriver', plural: 'csidrivers', namespaced: false, returnDeletedObject: true }),
  declare({ group: 'storage.k8s.io', kind: 'CSINode', plural: 'csinodes', namespaced: false, returnDeletedObject: true }),
  declare({ group: 'storage.k8s.io', kind: 'VolumeAttachment', plural: 'volumeattachments', namespaced: false, subresources: { status: statusVerbs }, returnDeletedObject: true }),
  // apps/v1
  ...(['DaemonSet:daemonsets:ds', 'StatefulSet:statefulsets:sts', 'Deployment:deployments:deploy', 'ReplicaSet:replicasets:rs'].map((s) => {
    const [kind, plural, short] = s.split(':');
    return declare({
      group: 'apps', kind, plural, namespaced: true, shortNames: [short], categories: ['all'], generation: true,
      subresources: { status: statusVerbs, ...(kind === 'DaemonSet' ? {} : { scale: statusVerbs }) },
      fields: kind === 'ReplicaSet' ? { 'status.replicas': (o) => str(at(o, 'status', 'replicas') ?? 0) } : {},
    });
  })),
  // events.k8s.io/v1: a second view of the core events (the apiserver stores both in /registry/events).
  declare({
    group: 'events.k8s.io', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], fields: eventsV1Fields,
    storage: '/events', toView: convertCoreEventToEventsV1, fromView: convertEventsV1ToCoreEvent,
  }),
  declare({ group: 'coordination.k8s.io', kind: 'Lease', plural: 'leases', namespaced: true }),
  declare({
    group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false,
    verbs: ['create'], virtual: true,
  }),
];

const byPath = new Map<string, ResourceInfo>(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]));

/** The resource served at /api[s]/GROUP/VERSION/PLURAL, if any. */
export function lookupResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

/**
 * Finds a resource by plural ("pods"), `plural.group` ("storageclasses.storage.k8s.io"), kind
 * ("Pod") or short name, for in-process callers. Core wins over other groups on ambiguity.
 */
export function resolveResource(name: string): ResourceInfo {
  const lower = name.toLowerCase();
  const hit =
    RESOURCES.find((r) => `${r.plural}${r.group ? '.' + r.group : ''}` === lower) ??
    RESOURCES.find((r) => r.plural === lower || r.singular === lower || r.shortNames.includes(lower));
  if (!hit) throw new Error(`simulator: unknown resource ${JSON.stringify(name)}`);
  return hit;
}

/** The resource whose stored objects have this apiVersion and kind. */
export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

/** Field selector getter for a label, or undefined when the kind does not support it. */
export function fieldGetter(r: ResourceInfo, label: string): FieldGetter | undefined {
  if (label === 'metadata.name') return (o) => o.metadata.name;
  if (label === 'metadata.namespace') return (o) => o.metadata.namespace ?? '';
  return r.fields[label];
}

export const groupResource = (r: ResourceInfo) => ({ group: r.group, resource: r.plural });
