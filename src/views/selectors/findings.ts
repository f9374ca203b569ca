// The findings as the views read them: per object, worst severity, chain marks, counts, fed to
// components through a subscription (useFindings) like the store itself.
import { useSyncExternalStore } from 'react';
import type { Change, StoreReader } from '../../store/store';
import type { KindName } from '../../store/records';
import type { UsageView } from '../../store/usage';
import { computeFindings, marksOf, summarize, type Finding, type Severity } from '../../store/verdicts';
import { refKey, sameRef, type ObjRef } from '../../store/topology/refs';
import type { ChainMark } from '../../store/topology/chain';
import { SEVERITY_RANK } from '../../store/verdicts/types';
import { pinnedTime } from '../hooks';
import { anyFirstList } from '../../store/sync';
import { versionsOf } from '../../store/topology/memo';

export interface FindingsView {
  /** False until the store has been judged once (the first lists are in and judged). */
  readonly judged: boolean;
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

/** How long after the first lists are in the first judgement waits: the complete lists draw first. */
const AFTER_FIRST_LISTS_MS = 100;

interface Feedable extends StoreReader {
  subscribe(fn: (c: Change) => void): () => void;
}

/**
 * Least time between two judgements while store changes keep coming. The lists show a change
 * within a second; its verdict follows within two (at once on a quiet cluster).
 */
export const BUSY_JUDGE_MS = 2000;

/**
 * Least time between two judgements while only volume usage keeps changing (a usage round answers
 * node after node for minutes at 50k pods). VolumeNearlyFull moves as fast as a disk fills; each
 * judgement copies the usage snapshot and reads every claim's numbers (~7 ms at 25k claims).
 */
export const USAGE_JUDGE_MS = 5000;

/**
 * Judgements under steady churn are at least this many times their cost apart: judging stays
 * under 1% of a core. At 50k pods a judgement costs ~40 ms (was ~200 ms): at 50x it ran every
 * 2 s and took 2% of a core of the ~12% churn costs there; a verdict now shows ~4 s late at most.
 */
const JUDGE_COST_FACTOR = 100;

/**
 * The findings of one store, kept outside React: re-judged after the kinds the verdicts read
 * change (and every 15 s for grace periods), no more often than JUDGE_COST_FACTOR times the
 * cost of judging (2 s to 10 s after store changes, 5 s after usage changes alone: judging 10k
 * pods on every 100 ms watch batch would starve the keyboard; at 50k pods a 3-s ceiling once
 * kept 7-9% of a core judging), and subscribers are told only when the findings changed.
 */
class FindingsFeed {
  private view: FindingsView | undefined;
  private at = 0;
  /** The last judgement's cost after a store change, and after a usage change alone. */
  private cost = 0;
  private usageCost = 0;
  /** Whether the store (or the clock) changed since the last judgement, not only usage. */
  private storeChanged = true;
  /** The versions of the kinds judged, as memos read them (a Lease renewal alone moves none). */
  private reads = '';

  private readsMoved(): boolean {
    const v = versionsOf(this.store, READS);
    if (v === this.reads) return false;
    this.reads = v;
    return true;
  }
  private timer: NodeJS.Timeout | undefined;
  /** A change came while some first list was arriving: judge once they are all in. */
  private afterLists = false;
  private tick: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly store: Feedable) {}

  /** Volume usage feeds VolumeNearlyFull; its changes re-judge too. */
  usage: UsageView | undefined;
  private unsubscribeUsage: (() => void) | undefined;

  get = (): FindingsView => this.view ?? (anyFirstList(this.store) ? this.waitForLists() : this.refresh());

  /** Nothing judged yet: the first lists are arriving. */
  private waitForLists(): FindingsView {
    this.afterLists = true;
    return (this.view = EMPTY_VIEW);
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    if (!this.unsubscribe) {
      this.unsubscribe = this.store.subscribe((c) => {
        if (this.afterLists && !anyFirstList(this.store)) {
          // The first lists are in: judge the complete store, once the views have drawn it
          // (judging 10k pods takes ~150 ms; until then the header says "judging").
          this.afterLists = false;
          this.schedule(AFTER_FIRST_LISTS_MS);
        } else if (READS.some((k) => c.kinds.has(k)) && this.readsMoved()) {
          this.storeChanged = true;
          this.schedule();
        }
      });
      this.unsubscribeUsage = this.usage?.subscribe(() => this.schedule());
      this.tick = setInterval(() => ((this.storeChanged = true), this.schedule()), 15_000);
      this.tick.unref?.();
    }
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.stop();
    };
  };

  private schedule(atLeastMs = 0) {
    if (this.timer) return;
    // While a first list arrives the store is partial: its verdicts would be wrong (a claim whose
    // PV has not arrived yet is not lost) and judging 10k pods would slow the lists down.
    if (anyFirstList(this.store)) {
      this.afterLists = true;
      return;
    }
    // A usage change alone re-judges VolumeNearlyFull only (computeFindings): paced by that cost.
    const cost = this.storeChanged ? this.cost : this.usageCost;
    const interval = Math.min(10_000, Math.max(this.storeChanged ? BUSY_JUDGE_MS : USAGE_JUDGE_MS, cost * JUDGE_COST_FACTOR));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const before = this.view;
      if (this.refresh() !== before) for (const l of this.listeners) l();
    }, Math.max(atLeastMs, this.at + interval - Date.now()));
    this.timer.unref?.();
  }

  private refresh(): FindingsView {
    const started = performance.now();
    const pinned = pinnedTime();
    const u = this.usage;
    const all = computeFindings(this.store, { ...(pinned === undefined ? {} : { now: pinned }), ...(u ? { usage: u.snapshot(), fullThreshold: u.threshold } : {}) });
    let v = views.get(all);
    // Churn that changes no verdict judges the same findings again: the view (and every
    // component reading it) stays as it is instead of being rebuilt and redrawn.
    // (Not the placeholder shown before the first judgement: that one is not judged.)
    if (!v && this.view?.judged && sameFindings(this.view.all, all)) v = this.view;
    if (!v) v = buildView(all);
    views.set(all, v);
    if (this.storeChanged) this.cost = performance.now() - started;
    else this.usageCost = performance.now() - started;
    this.storeChanged = false;
    this.at = Date.now();
    this.view = v;
    return v;
  }

  private stop() {
    this.unsubscribe?.();
    this.unsubscribeUsage?.();
    this.unsubscribe = this.unsubscribeUsage = undefined;
    if (this.timer) clearTimeout(this.timer);
    if (this.tick) clearInterval(this.tick);
    this.timer = this.tick = undefined;
  }
}

const READS: readonly KindName[] = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'Node', 'Event', 'DaemonSet', 'Lease'];
const views = new WeakMap<readonly Finding[], FindingsView>();
const EMPTY_VIEW = buildView(NONE, false);
const feeds = new WeakMap<object, FindingsFeed>();

function feedOf(store: StoreReader): FindingsFeed {
  let f = feeds.get(store);
  if (!f) feeds.set(store, (f = new FindingsFeed(store as Feedable)));
  return f;
}

/** Tells the findings of a store where its volume usage comes from (the shell does, once). */
export function setFindingsUsage(store: StoreReader, usage: UsageView | undefined): void {
  const feed = feedOf(store);
  if (feed.usage !== usage) feed.usage = usage;
}

/** The latest findings (computed now if there are none yet). */
export function findingsView(store: StoreReader): FindingsView {
  return feedOf(store).get();
}

/** The findings of a store as a subscription (what useFindings reads; scripts and tests too). */
export function findingsFeed(store: StoreReader): { subscribe(fn: () => void): () => void; get(): FindingsView } {
  const feed = feedOf(store);
  return { subscribe: feed.subscribe, get: feed.get };
}

/** The findings for a component: it re-renders when they change. */
export function useFindings(store: StoreReader): FindingsView {
  const feed = feedOf(store);
  return useSyncExternalStore(feed.subscribe, feed.get);
}

const eq = <T>(a: T, b: T) => a === b;
const sameList = <T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean) => a === b || (a.length === b.length && a.every((x, i) => same(x, b[i])));
// Every field of a Finding, each with its comparison (a field added to the type must be added here).
const SAME_FIELD: { readonly [K in keyof Finding]-?: (a: Finding[K], b: Finding[K]) => boolean } = {
  code: eq,
  severity: eq,
  object: sameRef,
  driver: eq,
  node: eq,
  message: eq,
  evidence: (a, b) => sameList(a, b, eq),
  affects: (a, b) => sameList(a, b, sameRef),
};
const FIELDS = Object.keys(SAME_FIELD) as (keyof Finding)[];

/** Whether two judgements found the same: every field of every finding, in order. */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return sameList(a, b, (x, y) => x === y || FIELDS.every((k) => (SAME_FIELD[k] as (a: unknown, b: unknown) => boolean)(x[k], y[k])));
}

function buildView(all: readonly Finding[], judged = true): FindingsView {
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
    judged,
    all,
    counts: summarize(all),
    on: (ref) => on.get(refKey(ref)) ?? NONE,
    affecting: (ref) => affecting.get(refKey(ref)) ?? NONE,
    worst: (ref) => worst.get(refKey(ref)),
    marks: marksOf(all),
  };
}

/**
 * The finding a list shows under the table for its selected row: the worst of the object's own
 * findings and of those affecting it (own first on a tie), and how many others there are.
 */
export function problemOf(findings: FindingsView, ref: ObjRef): { readonly finding: Finding; readonly others: number } | undefined {
  const all = [...findings.on(ref), ...findings.affecting(ref)];
  let best: Finding | undefined;
  for (const f of all) if (!best || SEVERITY_RANK[f.severity] < SEVERITY_RANK[best.severity]) best = f;
  return best && { finding: best, others: new Set(all.map((f) => `${f.code} ${f.object.kind} ${f.object.namespace} ${f.object.name}`)).size - 1 };
}
