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
