// Object references shared by the topology, the verdicts and the reports.
import type { AnyRecord, KindName } from '../records';
import type { StoreReader } from '../store';
import { KINDS } from '../kinds';

export interface ObjRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export const refOf = (r: ObjRef): ObjRef => ({ kind: r.kind, namespace: r.namespace, name: r.name });

export const refKey = (r: ObjRef): string => `${r.kind}/${r.namespace}/${r.name}`;

/** The same object named (records or refs), without building keys. */
export const sameRef = (a: ObjRef, b: ObjRef): boolean => a === b || (a.kind === b.kind && a.namespace === b.namespace && a.name === b.name);

/** `Kind ns/name` or `Kind name`, as people read it. */
export const refText = (r: ObjRef): string => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

export function lookup(store: StoreReader, ref: ObjRef): AnyRecord | undefined {
  if (!Object.prototype.hasOwnProperty.call(KINDS, ref.kind)) return undefined;
  return store.get(ref.kind as KindName, ref.namespace, ref.name);
}
