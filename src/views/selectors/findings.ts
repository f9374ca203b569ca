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
const latest = new WeakMap<object, { view: FindingsView; at: number }>();

/** Findings are judged from the whole cluster: in the UI they are refreshed at most this often. */
export const FINDINGS_REFRESH_MS = 3000;

export function findingsView(store: StoreReader): FindingsView {
  const pinned = pinnedTime();
  const last = latest.get(store);
  // A busy cluster changes every 100 ms; judging 10k pods that often would starve the keyboard.
  if (pinned === undefined && last && Date.now() - last.at < FINDINGS_REFRESH_MS) return last.view;
  const all = computeFindings(store, pinned === undefined ? {} : { now: pinned });
  let v = views.get(all);
  if (!v) views.set(all, (v = buildView(all)));
  latest.set(store, { view: v, at: Date.now() });
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
