// All findings for a store, memoized on the store's versions (and the options), sorted by
// severity, code and object. The TUI, `doctor` and `export` all call computeFindings.
import type { KindName } from '../records';
import type { StoreReader } from '../store';
import { memo } from '../topology/memo';
import { refKey, type ObjRef } from '../topology/refs';
import type { ChainMark } from '../topology/chain';
import { makeCtx, seesAllPods } from './context';
import { checkNodePlugins } from './node-plugins';
import { checkControllers } from './controllers';
import { checkClaims } from './claims';
import { checkMounts } from './mounts';
import { checkAttachments, checkMountFailures } from './failures';
import { checkResizes } from './resize';
import { checkHealth, nearlyFull } from './health';
import { FINDING_CODES, SEVERITY_RANK, type Finding, type FindingCode, type VerdictOptions } from './types';

export type { Finding, FindingCode, Severity, VerdictOptions, VolumeUsage } from './types';
export { FINDING_CODES } from './types';

const READS: readonly KindName[] = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'Node', 'Event', 'DaemonSet', 'Lease'];

/** Findings that explain why a pod cannot mount, so a generic MountFailed would only repeat them. */
const UNRELATED_TO_MOUNTING: readonly FindingCode[] = ['OrphanPV', 'StaleMount', 'MountFailed', 'ResizePending', 'ResizeFailed', 'VolumeAbnormal', 'VolumeNearlyFull'];
const EXPLAINS_MOUNTS: ReadonlySet<FindingCode> = new Set(FINDING_CODES.filter((c) => !UNRELATED_TO_MOUNTING.includes(c)));

/** What VolumeNearlyFull reads of the store besides the usage input. */
const NEARLY_FULL_READS: readonly KindName[] = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'];

/**
 * Without an explicit `now`, results are reused for 15 s of wall-clock time (grace periods are
 * minutes). VolumeNearlyFull is judged apart from the rest: a usage round changes the usage input
 * every few hundred milliseconds, and at 50k pods re-judging the whole store for each change
 * kept a tenth of a core busy for the whole round; now only the usage verdict is redone.
 */
export function computeFindings(store: StoreReader, opts: VerdictOptions = {}): readonly Finding[] {
  const now = opts.now ?? Date.now();
  const clock = opts.now !== undefined ? `at ${opts.now}` : `~${Math.floor(now / 15_000)}`;
  const rest = memo(store, 'findings', READS, () => compute(store, { now }), `${clock}|${seesAllPods(store) ? '' : 'ns-only'}`);
  if (!opts.usage) return rest;
  const extra = `${idOf(opts.usage)}|${opts.fullThreshold ?? 0.9}|${idOf(rest)}`;
  return memo(store, 'findings+usage', NEARLY_FULL_READS, () => {
    const full = nearlyFull(store, opts.usage, opts.fullThreshold);
    // The rest is sorted already; the same findings keep the same array (no redraw downstream).
    return full.length ? sortFindings([...rest, ...full]) : rest;
  }, extra);
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

function compute(store: StoreReader, opts: VerdictOptions): Finding[] {
  const ctx = makeCtx(store, opts);
  const specific = [...checkNodePlugins(ctx), ...checkControllers(ctx), ...checkClaims(ctx), ...checkMounts(ctx), ...checkAttachments(ctx), ...checkResizes(ctx), ...checkHealth(ctx)];
  const staleListed = new Set<string>();
  for (const f of specific) {
    if (f.code === 'StaleMount' && refKey(f.object) !== refKey(f.affects[0] ?? f.object)) for (const a of f.affects) staleListed.add(refKey(a));
  }
  // Which pods other findings already explain: asked only about pods with mount failures (few),
  // so the set (every pod a missing driver affects, say) is built only when one is asked about.
  let explainedSet: Set<string> | undefined;
  const explained = (ref: ObjRef): boolean => {
    if (!explainedSet) {
      explainedSet = new Set();
      for (const f of specific) if (EXPLAINS_MOUNTS.has(f.code)) for (const a of f.affects) explainedSet.add(refKey(a));
    }
    return explainedSet.has(refKey(ref));
  };
  // A pod's own dead-mount events repeat a mount pod's StaleMount that already lists it.
  const kept = specific.filter((f) => !(f.code === 'StaleMount' && f.object.kind === 'Pod' && staleListed.has(refKey(f.object))));
  return sortFindings([...kept, ...checkMountFailures(ctx, explained)]);
}

const CODE_RANK = new Map<string, number>(FINDING_CODES.map((c, i) => [c, i]));

export function sortFindings(fs: Finding[]): Finding[] {
  return fs.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      CODE_RANK.get(a.code)! - CODE_RANK.get(b.code)! ||
      refKey(a.object).localeCompare(refKey(b.object)),
  );
}

/** Findings about an object, or that affect it. */
export function findingsFor(findings: readonly Finding[], ref: ObjRef): Finding[] {
  const k = refKey(ref);
  return findings.filter((f) => refKey(f.object) === k || f.affects.some((a) => refKey(a) === k));
}

/** A marks function for chainFor: each object's own findings as {code, severity}. */
export function marksOf(findings: readonly Finding[]): (ref: ObjRef) => readonly ChainMark[] {
  const by = new Map<string, ChainMark[]>();
  for (const f of findings) {
    const k = refKey(f.object);
    const l = by.get(k);
    const m = { code: f.code, severity: f.severity };
    l ? l.push(m) : by.set(k, [m]);
  }
  return (ref) => by.get(refKey(ref)) ?? [];
}

export function summarize(findings: readonly Finding[]): { error: number; warning: number; info: number } {
  const s = { error: 0, warning: 0, info: 0 };
  for (const f of findings) s[f.severity]++;
  return s;
}
