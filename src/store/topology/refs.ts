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

/** `Kind ns/name` or `Kind name`, as people read it. */
export const refText = (r: ObjRef): string => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

export function lookup(store: StoreReader, ref: ObjRef): AnyRecord | undefined {
  if (!Object.prototype.hasOwnProperty.call(KINDS, ref.kind)) return undefined;
  return store.get(ref.kind as KindName, ref.namespace, ref.name);
}

/** Kubernetes quantity ("10Gi", "500M", "1.5Ti", "1e9") in bytes; NaN when unparseable or empty. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.exec(q.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  const mult: Record<string, number> = {
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
    m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  };
  return n * (m[2] ? mult[m[2]] : 1);
}
