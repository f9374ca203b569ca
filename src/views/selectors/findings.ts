// The findings as the views read them: per object, worst severity, chain marks, counts. Built
// once per findings list (computeFindings memoizes on store versions and a 15 s clock).
import type { StoreReader } from '../../store/store';
import { computeFindings, marksOf, summarize, type Finding, type Severity } from '../../store/verdicts';
import { refKey, type ObjRef } from '../../store/topology/refs';
import type { ChainMark } from '../../store/topology/chain';
import { SEVERITY_RANK } from '../../store/verdicts/types';
import { pinnedTime } from '../hooks';

export interface FindingsView {
  readonly all: readonly Finding[];
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
  /** Findings about the object itself. */
  on(ref: ObjRef): readonly Finding[];
  /** Findings about other objects that break or endanger this one (its `affects`). */
  affecting(ref: ObjRef): readonly Finding[];
  /** Worst severity of the object's own findings and of those affecting it. */
  worst(ref: ObjRef): Severity | undefined;
  marks: (ref: ObjRef) => readonly ChainMark[];
}

const NONE: readonly Finding[] = [];
const views = new WeakMap<readonly Finding[], FindingsView>();

export function findingsView(store: StoreReader): FindingsView {
  const now = pinnedTime();
  const all = computeFindings(store, now === undefined ? {} : { now });
  let v = views.get(all);
  if (!v) views.set(all, (v = buildView(all)));
  return v;
}

function buildView(all: readonly Finding[]): FindingsView {
  const on = new Map<string, Finding[]>();
  const affecting = new Map<string, Finding[]>();
  const worst = new Map<string, Severity>();
  const push = (m: Map<string, Finding[]>, k: string, f: Finding) => {
    const l = m.get(k);
    l ? l.push(f) : m.set(k, [f]);
  };
  const mark = (k: string, s: Severity) => {
    const cur = worst.get(k);
    if (!cur || SEVERITY_RANK[s] < SEVERITY_RANK[cur]) worst.set(k, s);
  };
  for (const f of all) {
    const k = refKey(f.object);
    push(on, k, f);
    mark(k, f.severity);
    for (const a of f.affects) {
      const ak = refKey(a);
      if (ak === k) continue;
      push(affecting, ak, f);
      mark(ak, f.severity);
    }
  }
  return {
    all,
    counts: summarize(all),
    on: (ref) => on.get(refKey(ref)) ?? NONE,
    affecting: (ref) => affecting.get(refKey(ref)) ?? NONE,
    worst: (ref) => worst.get(refKey(ref)),
    marks: marksOf(all),
  };
}
