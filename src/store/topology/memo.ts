// Memoization on the store's per-kind versions: a derived structure is rebuilt only when a kind
// it reads has changed. Keyed by store object, so several stores (tests, contexts) never mix.
import type { KindName } from '../records';
import type { StoreReader } from '../store';

interface Entry {
  readonly versions: readonly number[];
  readonly extra: unknown;
  readonly value: unknown;
}

const caches = new WeakMap<object, Map<string, Entry>>();

/**
 * Returns `compute()`'s value, reusing the last one while every kind in `kinds` keeps its version
 * (`kindVersion`) and `extra` (an option object or value, compared by identity) is the same.
 */
export function memo<T>(store: StoreReader, key: string, kinds: readonly KindName[], compute: () => T, extra?: unknown): T {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const versions = kinds.map((k) => kindVersion(store, k));
  const hit = cache.get(key);
  if (hit && hit.extra === extra && hit.versions.every((v, i) => v === versions[i])) return hit.value as T;
  const value = compute();
  cache.set(key, { versions, extra, value });
  return value;
}

/**
 * A kind's version as everything derived from the store reads it (memos, views, the findings).
 * Leader electors renew their Leases every few seconds on every cluster (the control plane's own
 * every 2 s, apiservers' every 10 s); only a Lease appearing, going or changing hands says
 * anything csi-top derives, so the Lease version read here moves only then. (A renewal's time is
 * read from the live record where it is shown.)
 */
export function kindVersion(store: StoreReader, kind: KindName): number {
  return kind === 'Lease' ? leaseHoldersVersion(store) : store.version(kind);
}

/** The versions of `kinds` as one string: changes exactly when one of them moved (`kindVersion`). */
export function versionsOf(store: StoreReader, kinds: readonly KindName[]): string {
  return kinds.map((k) => kindVersion(store, k)).join('.');
}

const holders = new WeakMap<StoreReader, { readonly raw: number; readonly key: string; readonly version: number }>();
let holdersVersion = 0;

function leaseHoldersVersion(store: StoreReader): number {
  const raw = store.version('Lease');
  const last = holders.get(store);
  if (last?.raw === raw) return last.version;
  let key = '';
  for (const l of store.list('Lease')) key += `${l.namespace}/${l.name}=${l.holder}\n`;
  const version = last?.key === key ? last.version : ++holdersVersion;
  holders.set(store, { raw, key, version });
  return version;
}
