// The object store: kube-apiserver's registry semantics over in-memory tables. Objects are plain
// JSON, stored once and never mutated after storing (a write replaces them), so list snapshots
// and watch events can share them. One global resourceVersion counter, like etcd's revision.
// Every method throws ApiError carrying the Status body the HTTP layer would return.
import { randomUUID } from 'node:crypto';
import { admitCreate, admitUpdate } from './admission';
import { alreadyExists, conflict, expired, failure, notFound, pathNotFound, STALE_OBJECT } from './errors';
import { History, type Change, type ChangeType } from './history';
import { compileFilter, listObjects, type ListOptions, type ListResult, type WatchFilter } from './lists';
import { applyPatch, type PatchType } from './patch';
import { apiVersionOf, groupResource, resolveResource, resourceForKind, RESOURCES, type ResourceInfo } from './resources';
import { isoSeconds, prepareForCreate, prepareForUpdate } from './strategy';
import { objectKey, Table } from './table';
import type { KubeObject } from './types';
import { defaultFeatureGates, validateCreate, validateUpdate, type FeatureGates } from './validation';
import { deleteObject, type DeleteOptions, type DeleteResult, type Lifecycle } from './lifecycle';
import { deliver, WatchHub, type Watcher, type WatchListener } from './watch-hub';

export type { DeleteOptions, DeleteResult, ListOptions, ListResult, WatchFilter };

export interface ObjectStoreOptions {
  historySize?: number;
  podDeletionDelayMs?: number;
  featureGates?: Partial<FeatureGates>;
}

export interface WriteOptions {
  /** Subresource the write goes through ('status' for updateStatus). */
  subresource?: string;
  /**
   * Seed the object as given (uid, creationTimestamp, status kept; no defaulting, validation or
   * admission): for scenario loaders that build a cluster's past state directly.
   */
  seed?: boolean;
  /** The object is a fresh copy the store may keep (the HTTP layer's parsed bodies). */
  owned?: boolean;
}

type ResourceRef = string | ResourceInfo;

export class ObjectStore {
  private rv = 0;
  private readonly tables = new Map<string, Table>();
  readonly history: History;
  readonly hub = new WatchHub();
  readonly gates: FeatureGates;
  /** @internal deletion timers and namespace cleanup. */
  readonly lifecycle: Lifecycle;

  constructor(opts: ObjectStoreOptions = {}) {
    this.history = new History(opts.historySize ?? 100_000);
    this.gates = { ...defaultFeatureGates, ...opts.featureGates };
    this.lifecycle = { timers: new Set(), podDeletionDelayMs: opts.podDeletionDelayMs, store: this };
    for (const r of RESOURCES) if (!r.virtual && !this.tables.has(r.storage)) this.tables.set(r.storage, new Table(r.storage));
  }

  currentRv(): number {
    return this.rv;
  }

  /** Resolves 'pods', 'Pod', 'po', 'storageclasses.storage.k8s.io' or a ResourceInfo. */
  info(ref: ResourceRef): ResourceInfo {
    return typeof ref === 'string' ? resolveResource(ref) : ref;
  }

  /** @internal */
  table(info: ResourceInfo): Table {
    const t = this.tables.get(info.storage);
    if (!t) throw pathNotFound();
    return t;
  }

  private infoOf(obj: KubeObject): ResourceInfo {
    const info = resourceForKind(obj?.apiVersion, obj?.kind);
    if (!info || info.virtual) throw pathNotFound();
    return info;
  }

  private view(info: ResourceInfo, o: KubeObject): KubeObject {
    return info.toView ? info.toView(o) : o;
  }

  private keyOf(info: ResourceInfo, ns: string | undefined, name: string): string {
    return objectKey(info.namespaced ? ns : undefined, name);
  }

  // ---- commits ----

  /** @internal Stores a change: assigns the next resourceVersion, records it and fans it out. */
  commit(info: ResourceInfo, type: ChangeType, obj: KubeObject, prev?: KubeObject): KubeObject {
    const table = this.table(info);
    const rv = ++this.rv;
    const stored = normalize(obj, String(rv));
    const key = this.keyOf(info, stored.metadata.namespace, stored.metadata.name);
    if (type === 'DELETED') table.delete(key, rv);
    else table.set(key, stored, rv);
    const change: Change = { rv, storage: table.name, key, type, obj: stored, prev };
    this.history.push(change);
    this.hub.publish(change);
    return stored;
  }

  // ---- reads ----

  /** @internal The stored object or undefined. */
  find(info: ResourceInfo, ns: string | undefined, name: string): KubeObject | undefined {
    return this.table(info).items.get(this.keyOf(info, ns, name));
  }

  get(resource: ResourceRef, ns: string | undefined, name: string): KubeObject {
    const info = this.info(resource);
    const o = this.find(info, ns, name);
    if (!o) throw notFound(groupResource(info), name);
    return this.view(info, o);
  }

  list(resource: ResourceRef, opts: ListOptions = {}): ListResult {
    const info = this.info(resource);
    return listObjects({ info, table: this.table(info), history: this.history, rv: this.rv }, opts);
  }

  /**
   * Watches a resource. fromRv unset, '' or '0': synthetic ADDED events for the current objects
   * first, then changes; a version: every change after it (410 Expired if it was compacted).
   */
  watch(resource: ResourceRef, fromRv: string | number | undefined, filter: WatchFilter, onEvent: WatchListener): () => void {
    const info = this.info(resource);
    const table = this.table(info);
    const pred = compileFilter(info, filter);
    const w: Watcher = { info, pred, startRv: this.rv, listener: onEvent, stopped: false };
    const from = fromRv === undefined || fromRv === '' || fromRv === '0' || fromRv === 0 ? null : Number(fromRv);
    if (from === null) {
      for (const o of table.snapshot().objs) {
        if (!pred(o)) continue;
        const v = this.view(info, o);
        onEvent({ type: 'ADDED', object: v }, () => `{"type":"ADDED","object":${JSON.stringify(v)}}\n`);
      }
    } else {
      if (!Number.isFinite(from)) throw failure(400, 'BadRequest', `invalid resource version: ${String(fromRv)}`);
      if (from < this.history.compactedRv) throw expired(`too old resource version: ${from} (${this.history.compactedRv})`);
      const replay: Watcher = { ...w, startRv: from };
      for (const c of this.history.since(from)) if (c.storage === table.name) deliver(c, replay);
      // A version from the future: changes up to it are skipped, as the watch cache waits for it.
      w.startRv = Math.max(this.rv, from);
    }
    return this.hub.add(w);
  }

  // ---- writes ----

  create(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const viewInfo = this.infoOf(obj);
    let o: KubeObject = opts.owned ? obj : structuredClone(obj);
    if (viewInfo.fromView) o = viewInfo.fromView(o);
    const info = viewInfo.fromView ? this.infoOf(o) : viewInfo;
    o.metadata ??= { name: '' };
    if (!info.namespaced) delete o.metadata.namespace;
    if (!opts.seed) {
      if (o.metadata.resourceVersion) throw failure(500, '', 'resourceVersion should not be set on objects to be created');
      if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + randomSuffix();
      prepareForCreate(info, o, randomUUID(), Date.now());
      const invalid = validateCreate(info, o);
      if (invalid) throw invalid;
      const denied = admitCreate(info, o, this.lookup);
      if (denied) throw denied;
    } else {
      o.metadata.uid ??= randomUUID();
      o.metadata.creationTimestamp ??= isoSeconds(Date.now());
      if (info.generation) o.metadata.generation ??= 1;
    }
    if (this.find(info, o.metadata.namespace, o.metadata.name)) throw alreadyExists(groupResource(viewInfo), o.metadata.name);
    return this.view(viewInfo, this.commit(info, 'ADDED', o));
  }

  /** Seeds many objects at once (see WriteOptions.seed). */
  load(objs: KubeObject[]): void {
    for (const o of objs) this.create(o, { seed: true });
  }

  update(obj: KubeObject, opts: WriteOptions = {}): KubeObject {
    const viewInfo = this.infoOf(obj);
    let next: KubeObject = opts.owned ? obj : structuredClone(obj);
    const info = viewInfo.fromView ? this.infoOf((next = viewInfo.fromView(next))) : viewInfo;
    const name = next.metadata?.name ?? '';
    const prev = this.find(info, next.metadata?.namespace, name);
    if (!prev) throw notFound(groupResource(viewInfo), name);
    const wanted = next.metadata.resourceVersion;
    if (wanted && wanted !== prev.metadata.resourceVersion) throw conflict(groupResource(viewInfo), name, STALE_OBJECT);
    return this.view(viewInfo, this.replace(info, next, prev, opts));
  }

  updateStatus(obj: KubeObject, opts: Omit<WriteOptions, 'subresource'> = {}): KubeObject {
    return this.update(obj, { ...opts, subresource: 'status' });
  }

  /** @internal PrepareForUpdate, validation, admission, no-op detection, finalizer-driven deletion. */
  replace(info: ResourceInfo, next: KubeObject, prev: KubeObject, opts: WriteOptions = {}): KubeObject {
    const prepared = opts.seed ? { ...next, metadata: { ...next.metadata, uid: prev.metadata.uid, creationTimestamp: prev.metadata.creationTimestamp } } : prepareForUpdate(info, next, prev, opts.subresource);
    if (!opts.seed) {
      const invalid = validateUpdate(info, prepared, prev, this.gates, opts.subresource);
      if (invalid) throw invalid;
      const denied = admitUpdate(info, prepared, prev, this.lookup, opts.subresource);
      if (denied) throw denied;
    }
    // The last finalizer removed from an object whose deletion only waited for finalizers
    // (grace period 0): the update deletes it (genericregistry shouldDeleteDuringUpdate).
    const pm = prev.metadata;
    if (pm.deletionTimestamp && pm.deletionGracePeriodSeconds === 0 && pm.finalizers?.length && !prepared.metadata.finalizers?.length) {
      return this.commit(info, 'DELETED', { ...prepared }, prev);
    }
    prepared.metadata.resourceVersion = prev.metadata.resourceVersion;
    if (JSON.stringify(prepared) === JSON.stringify(prev)) return prev;
    return this.commit(info, 'MODIFIED', prepared, prev);
  }

  patch(resource: ResourceRef, ns: string | undefined, name: string, patchType: PatchType, body: unknown, opts: { subresource?: string } = {}): KubeObject {
    const viewInfo = this.info(resource);
    const info = viewInfo.fromView ? this.infoOf(viewInfo.fromView({ apiVersion: apiVersionOf(viewInfo), kind: viewInfo.kind, metadata: { name } })) : viewInfo;
    const prev = this.find(info, ns, name);
    if (!prev) throw notFound(groupResource(viewInfo), name);
    const patched = applyPatch(patchType, this.view(viewInfo, prev), body) as KubeObject;
    if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    let next = viewInfo.fromView ? viewInfo.fromView(patched) : patched;
    next = { ...next, apiVersion: prev.apiVersion, kind: prev.kind, metadata: { ...next.metadata, name, namespace: prev.metadata.namespace } };
    if (!info.namespaced) delete next.metadata.namespace;
    const wanted = next.metadata.resourceVersion;
    if (wanted && wanted !== prev.metadata.resourceVersion) throw conflict(groupResource(viewInfo), name, STALE_OBJECT);
    return this.view(viewInfo, this.replace(info, next, prev, { subresource: opts.subresource }));
  }

  delete(resource: ResourceRef, ns: string | undefined, name: string, opts: DeleteOptions = {}): DeleteResult {
    const info = this.info(resource);
    const r = deleteObject(this.lifecycle, info.fromView ? this.info('events') : info, ns, name, opts, groupResource(info));
    return 'metadata' in r && r.kind !== 'Status' ? this.view(info, r as KubeObject) : r;
  }

  /** Forgets all history: watches and continue tokens from before now get 410 Expired. */
  compact(): void {
    this.history.compact(this.rv);
  }

  /** Stops pending deletions and every watch; the store stays readable. */
  close(): void {
    for (const t of this.lifecycle.timers) clearTimeout(t);
    this.lifecycle.timers.clear();
    for (const w of this.hub.all()) w.stopped = true;
  }

  private readonly lookup = {
    namespace: (n: string) => this.find(this.info('namespaces'), undefined, n),
    storageClass: (n: string) => this.find(this.info('storageclasses'), undefined, n),
  };
}

/** Go's field order: kind and apiVersion first, metadata fields as in ObjectMeta. */
const META_ORDER = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

function normalize(obj: KubeObject, rv: string): KubeObject {
  // Plain loops: object rest/spread with excluded keys is slow in V8, and this runs per write.
  const m = obj.metadata as Record<string, unknown>;
  const meta: Record<string, unknown> = {};
  for (const k of META_ORDER) {
    const v = k === 'resourceVersion' ? rv : m[k];
    if (v !== undefined) meta[k] = v;
  }
  for (const k in m) if (m[k] !== undefined && !(k in meta)) meta[k] = m[k];
  const out = { kind: obj.kind, apiVersion: obj.apiVersion, metadata: meta } as KubeObject;
  for (const k in obj) if (k !== 'kind' && k !== 'apiVersion' && k !== 'metadata') out[k] = obj[k];
  return out;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** generateName's 5 random characters, from the apiserver's alphabet (no vowels, no 0/1/3). */
function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return s;
}

export type { ChangeType };
