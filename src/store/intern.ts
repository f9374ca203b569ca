// Repeated strings (namespaces, node names, images, label keys, reasons) are shared so that
// 100k records hold one copy of each. Bounded so unique values (uids, messages) never leak in.
const MAX = 200_000;
let table = new Map<string, string>();

export function intern(s: string): string {
  const hit = table.get(s);
  if (hit !== undefined) return hit;
  if (table.size >= MAX) table = new Map();
  table.set(s, s);
  return s;
}

/** Interns keys and values of a string map; returns one shared frozen object when empty. */
export function internMap(m: Record<string, string> | undefined | null): Readonly<Record<string, string>> {
  if (!m) return EMPTY;
  const keys = Object.keys(m);
  if (keys.length === 0) return EMPTY;
  const out: Record<string, string> = {};
  for (const k of keys) out[intern(k)] = intern(String(m[k]));
  return out;
}

export const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Shares equal immutable sub-records (a ReplicaSet's label set, its owner reference, the usual
 * "all True" pod conditions) between records: one object instead of one per pod. Bounded like
 * the string table; callers build the key from every field of the value.
 */
const MAX_SHARED = 100_000;
let shared = new Map<string, unknown>();

export function share<T>(key: string, make: () => T): T {
  const hit = shared.get(key);
  if (hit !== undefined) return hit as T;
  if (shared.size >= MAX_SHARED) shared = new Map();
  const v = Object.freeze(make());
  shared.set(key, v);
  return v;
}
