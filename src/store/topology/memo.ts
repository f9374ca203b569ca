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
 * and `extra` (an option object or value compared by identity, or an array of them compared
 * element by element) is the same.
 */
export function memo<T>(store: StoreReader, key: string, kinds: readonly KindName[], compute: () => T, extra?: unknown): T {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const versions = kinds.map((k) => store.version(k));
  const hit = cache.get(key);
  if (hit && sameExtra(hit.extra, extra) && hit.versions.every((v, i) => v === versions[i])) return hit.value as T;
  const value = compute();
  cache.set(key, { versions, extra, value });
  return value;
}

function sameExtra(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
