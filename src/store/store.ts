// The central store: compact records per kind, incremental indexes, per-kind versions and
// statuses, and coalesced change notifications. It knows nothing of HTTP or of Ink: reflectors
// feed it (apply/replace), selectors and views read it through StoreReader.
import { noteDerived } from './list-diff';
import type { AnyRecord, EventRec, KindName, PodRec, PVRec, RecordByKind, StorageClassRec, VolumeAttachmentRec } from './records';
import { keyOf } from './records';
import { KIND_NAMES } from './kinds';
import { Index } from './indexes';

export type KindState = 'pending' | 'syncing' | 'synced' | 'reconnecting' | 'forbidden' | 'notServed' | 'error';

export interface KindStatus {
  readonly state: KindState;
  /** Records received so far in the current (re)list. */
  readonly listed: number;
  /** How many the server says the list holds (0 while unknown). */
  readonly expected: number;
  /** When the current reconnecting/error state began (epoch ms). */
  readonly since: number;
  /** The last error or the apiserver's message (forbidden, not served). */
  readonly message: string;
  /** When the kind was last fully in sync. */
  readonly syncedAt: number;
  /**
   * Set when csi-top wanted every namespace but may only list this one: the kind's objects in
   * other namespaces (a driver's pods in kube-system) are missing from the store.
   */
  readonly onlyNamespace?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What changed since the last notification: kinds whose data changed, and whether any status changed. */
export interface Change {
  readonly kinds: ReadonlySet<KindName>;
  readonly status: boolean;
}

/** The read side every selector and view uses. */
export interface StoreReader {
  list<K extends KindName>(kind: K): readonly RecordByKind[K][];
  get<K extends KindName>(kind: K, namespace: string, name: string): RecordByKind[K] | undefined;
  count(kind: KindName): number;
  byUid(uid: string): AnyRecord | undefined;
  podsOnNode(node: string): readonly PodRec[];
  podsInNamespace(namespace: string): readonly PodRec[];
  /** Pods whose volumes use the claim `namespace/claim`. */
  podsUsingClaim(namespace: string, claim: string): readonly PodRec[];
  /** The PV whose claimRef points at `namespace/claim`. */
  pvForClaim(namespace: string, claim: string): PVRec | undefined;
  pvsByDriver(driver: string): readonly PVRec[];
  storageClassesByProvisioner(provisioner: string): readonly StorageClassRec[];
  attachmentsForPV(pv: string): readonly VolumeAttachmentRec[];
  /** Records whose owner reference points at `uid`. */
  ownedBy(uid: string): readonly AnyRecord[];
  /** Events about an object (by uid, else by kind/namespace/name), newest first. */
  eventsFor(o: { kind: string; namespace: string; name: string; uid?: string }): readonly EventRec[];
  /** Incremented whenever a kind's records change. */
  version(kind: KindName): number;
  status(kind: KindName): KindStatus;
}

export interface StoreOptions {
  /** Coalescing window for notifications (ms). */
  notifyMs?: number;
  /** Most events kept; the oldest (by last seen) are dropped beyond it. */
  maxEvents?: number;
  /** Events older than this (by last seen) are dropped (ms). */
  maxEventAgeMs?: number;
  now?: () => number;
}

const INITIAL_STATUS: KindStatus = { state: 'pending', listed: 0, expected: 0, since: 0, message: '', syncedAt: 0 };
const refKey = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

export class Store implements StoreReader {
  private readonly data = new Map<KindName, Map<string, AnyRecord>>();
  private readonly versions = new Map<KindName, number>();
  private readonly statuses = new Map<KindName, KindStatus>();
  /**
   * The last list of each kind, and the keys of the records updated in place since (null once one
   * was added or deleted): the next list is then that one with those records replaced.
   */
  private readonly listCache = new Map<KindName, { version: number; items: readonly AnyRecord[]; updated: Set<string> | null; places?: Map<string, number> }>();
  private readonly uids = new Map<string, AnyRecord>();
  private readonly idx = {
    podsByNode: new Index<PodRec>(),
    podsByNs: new Index<PodRec>(),
    podsByClaim: new Index<PodRec>(),
    pvByClaim: new Index<PVRec>(),
    pvsByDriver: new Index<PVRec>(),
    scByProvisioner: new Index<StorageClassRec>(),
    vaByPV: new Index<VolumeAttachmentRec>(),
    byOwner: new Index<AnyRecord>(),
    eventsByUid: new Index<EventRec>(),
    eventsByRef: new Index<EventRec>(),
  };
  private readonly listeners = new Set<(c: Change) => void>();
  private pendingKinds = new Set<KindName>();
  private pendingStatus = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly notifyMs: number;
  private readonly maxEvents: number;
  private readonly maxEventAgeMs: number;
  private readonly now: () => number;

  constructor(opts: StoreOptions = {}) {
    this.notifyMs = opts.notifyMs ?? 100;
    this.maxEvents = opts.maxEvents ?? 20_000;
    this.maxEventAgeMs = opts.maxEventAgeMs ?? 3 * 3600_000;
    this.now = opts.now ?? Date.now;
    for (const k of KIND_NAMES) {
      this.data.set(k, new Map());
      this.versions.set(k, 0);
      this.statuses.set(k, INITIAL_STATUS);
    }
  }

  // ---- write side (reflectors) ----

  /** Applies one watch event. Returns whether anything changed. */
  apply(type: WatchEventType, rec: AnyRecord, key: string = keyOf(rec.namespace, rec.name)): boolean {
    const map = this.data.get(rec.kind)!;
    const old = map.get(key);
    const cached = this.listCache.get(rec.kind);
    if (type === 'DELETED') {
      if (!old) return false;
      map.delete(key);
      this.unindex(old, key);
      if (cached) cached.updated = null;
    } else {
      if (old && old.resourceVersion === rec.resourceVersion && old.uid === rec.uid) return false;
      if (old) this.unindex(old, key);
      // A Map keeps an updated key in its place: the list order only changes on add and delete.
      if (cached) old ? cached.updated?.add(key) : (cached.updated = null);
      map.set(key, rec);
      this.index(rec, key);
      if (rec.kind === 'Event' && map.size > this.maxEvents) this.trimEvents();
    }
    this.touch(rec.kind);
    return true;
  }

  /**
   * Replaces every record of a kind with a fresh list (after a relist), applying only the
   * difference: unchanged records stay, changed ones update, missing ones are deleted.
   */
  replace(kind: KindName, recs: readonly AnyRecord[]): { added: number; updated: number; deleted: number } {
    const map = this.data.get(kind)!;
    const seen = new Set<string>();
    let added = 0;
    let updated = 0;
    let deleted = 0;
    for (const r of recs) {
      const key = keyOf(r.namespace, r.name);
      seen.add(key);
      const had = map.has(key);
      if (this.apply('ADDED', r)) had ? updated++ : added++;
    }
    for (const [key, old] of [...map]) {
      if (!seen.has(key)) {
        this.apply('DELETED', old);
        deleted++;
      }
    }
    return { added, updated, deleted };
  }

  setStatus(kind: KindName, patch: Partial<KindStatus>): void {
    const cur = this.statuses.get(kind)!;
    const next = { ...cur, ...patch };
    if (next.state !== cur.state && patch.since === undefined) next.since = this.now();
    if (next.state === 'synced' && cur.state !== 'synced') next.syncedAt = this.now();
    if (next.state === cur.state && next.listed === cur.listed && next.expected === cur.expected && next.message === cur.message && next.since === cur.since && next.onlyNamespace === cur.onlyNamespace) return;
    this.statuses.set(kind, next);
    this.pendingStatus = true;
    this.schedule();
  }

  /** Drops every record and status (context or namespace switch). */
  clear(): void {
    this.listCache.clear();
    for (const k of KIND_NAMES) {
      if (this.data.get(k)!.size) this.touch(k);
      this.data.get(k)!.clear();
      this.statuses.set(k, INITIAL_STATUS);
    }
    this.uids.clear();
    for (const i of Object.values(this.idx)) i.clear();
    this.pendingStatus = true;
    this.schedule();
  }

  subscribe(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Delivers pending notifications now (tests, headless commands). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingKinds.size === 0 && !this.pendingStatus) return;
    const change: Change = { kinds: this.pendingKinds, status: this.pendingStatus };
    this.pendingKinds = new Set();
    this.pendingStatus = false;
    for (const l of this.listeners) l(change);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  // ---- read side ----

  list<K extends KindName>(kind: K): readonly RecordByKind[K][] {
    const v = this.versions.get(kind)!;
    const hit = this.listCache.get(kind);
    if (hit && hit.version === v) return hit.items as RecordByKind[K][];
    const map = this.data.get(kind)!;
    // A few records updated in place: copy the last list and put them in (a 50k-pod list under
    // churn), noting the places for the walks that compare lists (list-diff).
    if (hit?.updated && hit.updated.size * 8 < hit.items.length) {
      const places = (hit.places ??= new Map(hit.items.map((r, i) => [keyOf(r.namespace, r.name), i])));
      const items = hit.items.slice();
      const changed = new Int32Array(hit.updated.size);
      let n = 0;
      for (const key of hit.updated) (changed[n++] = places.get(key)!), (items[places.get(key)!] = map.get(key)!);
      noteDerived(hit.items, items, changed.sort());
      this.listCache.set(kind, { version: v, items, updated: new Set(), places });
      return items as RecordByKind[K][];
    }
    const items = [...map.values()];
    this.listCache.set(kind, { version: v, items, updated: new Set() });
    return items as RecordByKind[K][];
  }

  get<K extends KindName>(kind: K, namespace: string, name: string): RecordByKind[K] | undefined {
    return this.data.get(kind)!.get(keyOf(namespace, name)) as RecordByKind[K] | undefined;
  }

  count(kind: KindName): number {
    return this.data.get(kind)!.size;
  }

  byUid(uid: string): AnyRecord | undefined {
    return uid ? this.uids.get(uid) : undefined;
  }

  podsOnNode(node: string) {
    return this.idx.podsByNode.get(node);
  }
  podsInNamespace(namespace: string) {
    return this.idx.podsByNs.get(namespace);
  }
  podsUsingClaim(namespace: string, claim: string) {
    return this.idx.podsByClaim.get(`${namespace}/${claim}`);
  }
  pvForClaim(namespace: string, claim: string) {
    return this.idx.pvByClaim.get(`${namespace}/${claim}`)[0];
  }
  pvsByDriver(driver: string) {
    return this.idx.pvsByDriver.get(driver);
  }
  storageClassesByProvisioner(provisioner: string) {
    return this.idx.scByProvisioner.get(provisioner);
  }
  attachmentsForPV(pv: string) {
    return this.idx.vaByPV.get(pv);
  }
  ownedBy(uid: string) {
    return this.idx.byOwner.get(uid);
  }

  eventsFor(o: { kind: string; namespace: string; name: string; uid?: string }): readonly EventRec[] {
    const byUid = o.uid ? this.idx.eventsByUid.get(o.uid) : [];
    const byRef = this.idx.eventsByRef.get(refKey(o.kind, o.namespace, o.name));
    // Events without an involved uid (or recorded before the object was recreated) match by reference.
    const out = byUid.length === 0 ? [...byRef] : [...byUid, ...byRef.filter((e) => !e.involved.uid || e.involved.uid === o.uid).filter((e) => !byUid.includes(e))];
    return out.sort((a, b) => b.last - a.last);
  }

  version(kind: KindName): number {
    return this.versions.get(kind)!;
  }

  status(kind: KindName): KindStatus {
    return this.statuses.get(kind)!;
  }

  // ---- internals ----

  private touch(kind: KindName) {
    this.versions.set(kind, this.versions.get(kind)! + 1);
    this.pendingKinds.add(kind);
    this.schedule();
  }

  private schedule() {
    if (this.timer || this.listeners.size === 0) return;
    this.timer = setTimeout(() => this.flush(), this.notifyMs);
    this.timer.unref?.();
  }

  // Indexes reuse the record's store key (one string per record, not one per index); the
  // owner index keys by the record's uid, which is unique across kinds.
  private index(r: AnyRecord, key: string) {
    if (r.uid) this.uids.set(r.uid, r);
    if (r.owner) this.idx.byOwner.add(r.owner.uid, r.uid || key, r);
    switch (r.kind) {
      case 'Pod':
        if (r.node) this.idx.podsByNode.add(r.node, key, r);
        this.idx.podsByNs.add(r.namespace, key, r);
        for (const v of r.volumes) if (v.claim) this.idx.podsByClaim.add(`${r.namespace}/${v.claim}`, key, r);
        break;
      case 'PersistentVolume':
        if (r.claim) this.idx.pvByClaim.add(`${r.claim.namespace}/${r.claim.name}`, key, r);
        if (r.driver) this.idx.pvsByDriver.add(r.driver, key, r);
        break;
      case 'StorageClass':
        this.idx.scByProvisioner.add(r.provisioner, key, r);
        break;
      case 'VolumeAttachment':
        if (r.pv) this.idx.vaByPV.add(r.pv, key, r);
        break;
      case 'Event':
        if (r.involved.uid) this.idx.eventsByUid.add(r.involved.uid, key, r);
        this.idx.eventsByRef.add(refKey(r.involved.kind, r.involved.namespace, r.involved.name), key, r);
        break;
    }
  }

  private unindex(r: AnyRecord, key: string) {
    if (r.uid && this.uids.get(r.uid) === r) this.uids.delete(r.uid);
    if (r.owner) this.idx.byOwner.remove(r.owner.uid, r.uid || key);
    switch (r.kind) {
      case 'Pod':
        if (r.node) this.idx.podsByNode.remove(r.node, key);
        this.idx.podsByNs.remove(r.namespace, key);
        for (const v of r.volumes) if (v.claim) this.idx.podsByClaim.remove(`${r.namespace}/${v.claim}`, key);
        break;
      case 'PersistentVolume':
        if (r.claim) this.idx.pvByClaim.remove(`${r.claim.namespace}/${r.claim.name}`, key);
        if (r.driver) this.idx.pvsByDriver.remove(r.driver, key);
        break;
      case 'StorageClass':
        this.idx.scByProvisioner.remove(r.provisioner, key);
        break;
      case 'VolumeAttachment':
        if (r.pv) this.idx.vaByPV.remove(r.pv, key);
        break;
      case 'Event':
        if (r.involved.uid) this.idx.eventsByUid.remove(r.involved.uid, key);
        this.idx.eventsByRef.remove(refKey(r.involved.kind, r.involved.namespace, r.involved.name), key);
        break;
    }
  }

  /** Drops events past the age bound, then the oldest tenth beyond the count bound (amortized). */
  private trimEvents() {
    const events = [...this.data.get('Event')!.values()] as EventRec[];
    const cutoff = this.now() - this.maxEventAgeMs;
    events.sort((a, b) => a.last - b.last);
    let drop = events.findIndex((e) => e.last >= cutoff);
    if (drop < 0) drop = events.length;
    const over = events.length - drop - Math.floor(this.maxEvents * 0.9);
    if (over > 0) drop += over;
    for (let i = 0; i < drop; i++) this.apply('DELETED', events[i]);
  }
}
