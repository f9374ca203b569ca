// Where the user is: a history of locations (a list, or an object's detail, tree or YAML), each
// with the state its view keeps (selection, sort, scroll, filter). `[`/`]` move through it, Esc
// goes back, opening something new drops what was ahead.
import { sameRef, type ObjRef } from '../store/topology/refs';

export type Location =
  | { readonly kind: 'list'; readonly list: string }
  | { readonly kind: 'detail' | 'tree' | 'yaml'; readonly ref: ObjRef };

export interface Entry {
  readonly loc: Location;
  /** The view's own remembered state (mutable, not rendered from). */
  readonly state: Record<string, unknown>;
  filter: string;
}

export interface History {
  readonly entries: readonly Entry[];
  readonly index: number;
}

export const entry = (loc: Location): Entry => ({ loc, state: {}, filter: '' });

export function startHistory(loc: Location): History {
  return { entries: [entry(loc)], index: 0 };
}

const MAX = 50;

export function push(h: History, loc: Location): History {
  const kept = h.entries.slice(0, h.index + 1);
  const cur = kept[kept.length - 1];
  if (cur && sameLocation(cur.loc, loc)) return h;
  const entries = [...kept, entry(loc)].slice(-MAX);
  return { entries, index: entries.length - 1 };
}

export function back(h: History): History {
  return h.index > 0 ? { ...h, index: h.index - 1 } : h;
}

export function forward(h: History): History {
  return h.index < h.entries.length - 1 ? { ...h, index: h.index + 1 } : h;
}

export function current(h: History): Entry {
  return h.entries[h.index];
}

export function sameLocation(a: Location, b: Location): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'list' && b.kind === 'list') return a.list === b.list;
  if (a.kind === 'list' || b.kind === 'list') return false;
  return sameRef(a.ref, b.ref);
}

export function describeLocation(l: Location): string {
  if (l.kind === 'list') return `:${l.list}`;
  return `${l.kind} ${l.ref.kind} ${l.ref.namespace ? `${l.ref.namespace}/` : ''}${l.ref.name}`;
}
