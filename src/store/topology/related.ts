// Flat "related objects" for a detail view: the object's chain without its root, each entry with
// how it relates to its parent in the chain and how deep it sits.
import type { StoreReader } from '../store';
import { chainFor, type ChainNode, type ChainOptions } from './chain';
import { sameRef, type ObjRef } from './refs';

export interface RelatedObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly relation: string;
  readonly status: string;
  /** 1 for direct relations, 2 for theirs, … */
  readonly depth: number;
  readonly missing: boolean;
}

export function relatedObjects(store: StoreReader, ref: ObjRef, opts?: ChainOptions): RelatedObject[] {
  const root = chainFor(store, ref, opts);
  if (!root) return [];
  const out: RelatedObject[] = [];
  const seen = new Set<string>();
  const walk = (n: ChainNode, depth: number) => {
    for (const c of n.children) {
      const key = `${c.kind}/${c.namespace}/${c.name}/${c.relation}`;
      if (!c.name && !c.missing) continue;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ kind: c.kind, namespace: c.namespace, name: c.name, relation: c.relation, status: c.status, depth, missing: !!c.missing });
      }
      walk(c, depth + 1);
    }
  };
  walk(root, 1);
  return out;
}

/** The nodes from the root down to the first node naming `target` (inclusive), or [] when absent. */
export function pathTo(root: ChainNode, target: ObjRef): ChainNode[] {
  const hit = (n: ChainNode) => sameRef(n, target);
  const walk = (n: ChainNode, trail: ChainNode[]): ChainNode[] | undefined => {
    const here = [...trail, n];
    if (hit(n)) return here;
    for (const c of n.children) {
      const found = walk(c, here);
      if (found) return found;
    }
    return undefined;
  };
  return walk(root, []) ?? [];
}
