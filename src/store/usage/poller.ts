// The usage poller: asks a source (kubelet stats/summary per node, or one Prometheus query) for
// volume usage, for the nodes that run pods with PVCs. Bounded concurrency and a timeout per
// request, so a slow or dead node never holds up the others; nodes whose PVCs are not on screen
// are polled less often; failing nodes back off; a 403 turns usage off (one state, one message)
// and is retried rarely. Versioned with coalesced notifications like the store. Ink-free.
import { ShardedMap } from '../../util/sharded-map';
import type { PodRec } from '../records';
import type { Change, StoreReader } from '../store';
import type { UsageSource } from './sources';
import { inFirstSync } from '../sync';
import { diffByPosition } from '../list-diff';
import { USAGE_REASONS, type UsageInfo, type UsageReason, type UsageReasonCode, type UsageSample, type UsageState, type UsageStatus, type UsageView } from './types';

export interface UsagePollerOptions {
  /** Poll period of nodes whose PVCs are on screen (default 30 s). */
  intervalMs?: number;
  /** Nodes not on screen are polled every intervalMs × this (default 4). */
  backgroundFactor?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /**
   * Least time between two background re-polls: nodes already polled once whose PVCs are not on
   * screen (default 300 ms). A kubelet answer costs ~3 ms of CPU (HTTPS through the apiserver,
   * JSON): at 1667 nodes (50k pods) unpaced rounds kept ~10% of a core busy for 40 s every 2 min;
   * paced, the background stays near 1% and a round takes nodes × this when that is longer than
   * the interval. First polls and nodes on screen are not paced.
   */
  backgroundGapMs?: number;
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number;
  /** VolumeNearlyFull threshold (default 0.9). */
  threshold?: number;
  /** After a 403, one probe this often (default 10 min). */
  forbiddenRetryMs?: number;
  /** Longest wait between retries of a failing node (default 5 min). */
  maxBackoffMs?: number;
  /** Numbers of a node whose latest poll failed are kept this long (default 3 intervals). */
  staleMs?: number;
  /** Coalescing window of change notifications (default 100 ms; while changes keep coming, one per 10 windows). */
  notifyMs?: number;
  /** Usage is off (the message says why, e.g. `--no-usage`). */
  disabled?: string;
  /** The namespace scope: only nodes running its pods are polled (null = every namespace). */
  scope?: () => string | null;
  now?: () => number;
}

/** The store as the poller reads it: records, and Pod changes to find new nodes. */
export interface UsageStore extends StoreReader {
  subscribe(fn: (c: Change) => void): () => void;
}

interface TargetState {
  attemptAt: number;
  doneAt: number;
  okAt: number;
  failures: number;
  error?: { readonly code: 'timeout' | 'unreachable'; readonly message: string };
  samples: ReadonlyMap<string, UsageSample>;
}

/** The single target of a source that is not per node. */
const ALL = '*';
const STOP = 'stop';
const TIMEOUT = 'timeout';
/** A walk over the pods for the nodes to poll cheaper than this is redone at every change. */
const TARGETS_THROTTLE_MIN_MS = 2;
/** The longest the poller waits for the store's first lists before polling anyway. */
const SYNC_WAIT_MS = 30_000;

export const isRunningPod = (p: PodRec): boolean => p.phase === 'Running' && !p.deleting && !!p.node;

const ago = (ms: number) => (ms < 90_000 ? `${Math.max(0, Math.round(ms / 1000))}s ago` : ms < 90 * 60_000 ? `${Math.round(ms / 60_000)}m ago` : `${Math.round(ms / 3_600_000)}h ago`);

function sameSamples(a: ReadonlyMap<string, UsageSample>, b: ReadonlyMap<string, UsageSample>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (!y || x.usedBytes !== y.usedBytes || x.capacityBytes !== y.capacityBytes || x.availableBytes !== y.availableBytes || x.inodesUsed !== y.inodesUsed || x.inodes !== y.inodes || x.inodesFree !== y.inodesFree || x.node !== y.node) return false;
  }
  return true;
}

/** Adds the claims of the pods that differ between two store lists of pods (updated, added, deleted). */
export function claimsOfChangedPods(before: readonly PodRec[], after: readonly PodRec[], out: Set<string>): void {
  const add = (p: PodRec) => {
    for (const v of p.volumes) if (v.claim) out.add(`${p.namespace}/${v.claim}`);
  };
  diffByPosition(before, after, add, add);
}

export class UsagePoller implements UsageView {
  readonly threshold: number;
  private readonly o: Required<Omit<UsagePollerOptions, 'disabled' | 'threshold'>>;
  private source: UsageSource | undefined;
  private generation = 0;
  private readonly targetsState = new Map<string, TargetState>();
  private readonly inflight = new Map<string, { ac: AbortController; done: Promise<void> }>();
  private running = false;
  /** When start() was called, and whether the poller is waiting for the first lists. */
  private startedAt = 0;
  private waitingForSync = false;
  private timer: NodeJS.Timeout | undefined;
  private wakeAt = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: NodeJS.Timeout | undefined;
  private notifiedAt = -Infinity;
  private ver = 0;
  private st: UsageState;
  private forbidden: { message: string; retryAt: number } | undefined;
  private focused: Set<string> | null = null;
  private focusGen = 0;
  private targetsMemo: { pods: number; scope: string | null; list: string[]; members: readonly PodRec[]; counts: Map<string, number>; at: number; cost: number } | undefined;
  private viewMemo: { key: string; nodes: Set<string> } | undefined;
  private snapMemo: { ver: number; base: string; pods: readonly PodRec[]; map: ShardedMap<UsageSample> } | undefined;
  /** Targets whose samples or state changed since the last snapshot, with the samples they had then. */
  private readonly dirty = new Map<string, ReadonlyMap<string, UsageSample>>();

  constructor(
    private readonly store: UsageStore,
    opts: UsagePollerOptions = {},
  ) {
    const intervalMs = opts.intervalMs ?? 30_000;
    this.o = {
      intervalMs,
      backgroundFactor: opts.backgroundFactor ?? 4,
      concurrency: Math.max(1, opts.concurrency ?? 8),
      backgroundGapMs: opts.backgroundGapMs ?? 300,
      timeoutMs: opts.timeoutMs ?? 5_000,
      forbiddenRetryMs: opts.forbiddenRetryMs ?? 10 * 60_000,
      maxBackoffMs: opts.maxBackoffMs ?? 5 * 60_000,
      staleMs: opts.staleMs ?? 3 * intervalMs,
      notifyMs: opts.notifyMs ?? 100,
      now: opts.now ?? Date.now,
      scope: opts.scope ?? (() => null),
    };
    this.threshold = opts.threshold ?? 0.9;
    this.st = opts.disabled !== undefined ? { status: 'off', source: '', message: opts.disabled, since: this.o.now() } : { status: 'idle', source: '', message: '', since: this.o.now() };
  }

  // ---- read side ----

  state(): UsageState {
    return this.st;
  }

  version(): number {
    return this.ver;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  focus(keys: Iterable<string> | null): void {
    const next = keys === null ? null : new Set(keys);
    const cur = this.focused;
    if (next === null ? cur === null : cur !== null && cur.size === next.size && [...next].every((k) => cur.has(k))) return;
    this.focused = next;
    this.focusGen++;
    if (this.running) this.wake(0);
  }

  get(namespace: string, claim: string): UsageInfo {
    const key = `${namespace}/${claim}`;
    if (this.st.status === 'off') return { reason: this.reason('off', `volume usage is off: ${this.st.message}`) };
    const pods = this.store.podsUsingClaim(namespace, claim).filter(isRunningPod);
    if (pods.length === 0) return { reason: this.notMounted(namespace, claim) };
    const source = this.source;
    if (!source) return { reason: this.reason('pending', 'volume usage has not been polled yet') };
    const prom = !source.perNode;
    if (this.forbidden) return { reason: this.reason('forbidden', `volume usage is off: ${this.forbidden.message}`) };
    const now = this.o.now();
    const targets = prom ? [ALL] : [...new Set(pods.map((p) => p.node))];
    const best = this.latest(key, targets, now);
    if (best) {
      const failed = best.st.error;
      return { sample: best.s, ...(failed ? { note: `the latest poll of ${prom ? 'Prometheus' : `node ${best.t}`} failed (${failed.message}); these numbers are from ${ago(now - best.st.okAt)}` } : {}) };
    }
    const started = (p: PodRec) => p.startTime || p.created;
    // A reachable kubelet that answered after a pod using the claim started, without the volume.
    for (const t of targets) {
      const st = this.targetsState.get(t);
      if (!st?.okAt || st.error) continue;
      if (prom || pods.some((p) => p.node === t && started(p) <= st.okAt)) return { reason: this.notReported(namespace, claim, prom ? undefined : t, now - st.okAt) };
    }
    for (const t of targets) {
      const err = this.targetsState.get(t)?.error;
      if (err) return { reason: this.reason(err.code, `${prom ? source.name : `node ${t}`}: ${err.message}`, prom) };
    }
    const where = prom ? source.name : `node${targets.length > 1 ? 's' : ''} ${targets.join(', ')}`;
    return { reason: this.reason('pending', `${where} not polled yet since the pod${pods.length > 1 ? 's' : ''} using it started`) };
  }

  /** The newest sample of a claim among the targets polling its pods' nodes, unless too stale. */
  private latest(key: string, targets: readonly string[], now: number): { s: UsageSample; t: string; st: TargetState } | undefined {
    let best: { s: UsageSample; t: string; st: TargetState } | undefined;
    for (const t of targets) {
      const s = this.sampleOf(key, t, now);
      if (s && (!best || s.time > best.s.time)) best = { s, t, st: this.targetsState.get(t)! };
    }
    return best;
  }

  /** A target's sample of a claim, unless too stale. */
  private sampleOf(key: string, t: string, now: number): UsageSample | undefined {
    const st = this.targetsState.get(t);
    const s = st?.samples.get(key);
    return !st || !s || (st.error && now - st.okAt > this.o.staleMs) ? undefined : s;
  }

  /**
   * Every claim's sample as get() gives it (without composing the reasons of those without). The
   * same map while no claim's numbers changed: an answer with the same numbers is not a change, so
   * for a claim used from several nodes the node and time may be those of an earlier answer. While
   * claims keep their version, only the claims of the nodes that answered since and of the pods
   * that changed since are looked at again (a usage round at 50k pods changes one node's numbers
   * at a time, and pod churn a few pods at a time: redoing 25k claims for each cost most of it).
   */
  snapshot(): ReadonlyMap<string, UsageSample> {
    const base = `${this.generation}|${this.st.status === 'off'}|${!!this.forbidden}|${this.store.version('PersistentVolumeClaim')}`;
    // The store's list is the same array while the pods keep their version.
    const pods = this.store.list('Pod');
    const m = this.snapMemo;
    if (m?.ver === this.ver && m.base === base && m.pods === pods) return m.map;
    const source = this.source;
    const live = this.st.status !== 'off' && !!source && !this.forbidden;
    if (m && m.base === base && live) {
      const claims = new Set<string>();
      if (m.pods !== pods) claimsOfChangedPods(m.pods, pods, claims);
      // Numbers of failing nodes go stale with time, not with an answer: look at them too.
      for (const [t, st] of this.targetsState) if (st.error && !this.dirty.has(t)) this.dirty.set(t, st.samples);
      for (const [t, before] of this.dirty) {
        const after = this.targetsState.get(t)?.samples;
        for (const keys of after && after !== before ? [before, after] : [before]) for (const claim of keys.keys()) claims.add(claim);
      }
      this.dirty.clear();
      const now = this.o.now();
      // A new version shares the entries of the claims that kept their sample.
      const map = m.map.with([...claims].map((claim) => [claim, this.bestOf(claim, now)] as const));
      this.snapMemo = { ver: this.ver, base, pods, map };
      return map;
    }
    this.dirty.clear();
    const entries: [string, UsageSample][] = [];
    if (live) {
      const now = this.o.now();
      for (const pvc of this.store.list('PersistentVolumeClaim')) {
        const claim = `${pvc.namespace}/${pvc.name}`;
        const best = this.bestOf(claim, now, pvc.namespace, pvc.name);
        if (best) entries.push([claim, best]);
      }
    }
    const map = ShardedMap.of(entries);
    this.snapMemo = { ver: this.ver, base, pods, map };
    return map;
  }

  /**
   * As get() picks a claim's sample, without its arrays and sets: the newest sample of the nodes
   * of the claim's running pods (the first such node on a tie).
   */
  private bestOf(claim: string, now: number, namespace?: string, name?: string): UsageSample | undefined {
    if (namespace === undefined || name === undefined) {
      const slash = claim.indexOf('/');
      namespace = claim.slice(0, slash);
      name = claim.slice(slash + 1);
      if (!this.store.get('PersistentVolumeClaim', namespace, name)) return undefined;
    }
    const perNode = this.source!.perNode;
    let best: UsageSample | undefined;
    for (const p of this.store.podsUsingClaim(namespace, name)) {
      if (!isRunningPod(p)) continue;
      const s = this.sampleOf(claim, perNode ? p.node : ALL, now);
      if (s && (!best || s.time > best.time)) best = s;
      if (!perNode) break;
    }
    return best;
  }

  // ---- reasons ----

  private reason(code: UsageReasonCode, detail: string, prom = !!this.source && !this.source.perNode): UsageReason {
    const text = prom ? PROM_TEXT[code] ?? USAGE_REASONS[code] : USAGE_REASONS[code];
    return { code, text, detail };
  }

  private notMounted(namespace: string, claim: string): UsageReason {
    const users = this.store.podsUsingClaim(namespace, claim);
    const why = users.length ? `pod ${users[0].name} is ${users[0].deleting ? 'terminating' : users[0].phase || 'not running'}${users.length > 1 ? ` (and ${users.length - 1} more pods, none running)` : ''}` : 'no pod uses it';
    return this.reason('notMounted', `${why}; kubelet reports usage only for volumes that running pods mount`);
  }

  private notReported(namespace: string, claim: string, node: string | undefined, age: number): UsageReason {
    const pvc = this.store.get('PersistentVolumeClaim', namespace, claim);
    const pv = (pvc?.volumeName ? this.store.get('PersistentVolume', '', pvc.volumeName) : undefined) ?? this.store.pvForClaim(namespace, claim);
    const why = pv?.driver
      ? `the CSI driver ${pv.driver} does not answer NodeGetVolumeStats (no VOLUME_STATS node capability)`
      : pv?.source
        ? `${pv.source} volumes have no volume stats`
        : 'the volume has no volume stats';
    if (!node) return this.reason('notReported', `Prometheus has no kubelet_volume_stats_* series for it (${ago(age)}): ${why}, or Prometheus does not scrape that node's kubelet`);
    return this.reason('notReported', `kubelet on ${node} answered ${ago(age)} without it: ${why}; kubelet also needs about a minute to measure a newly mounted volume`);
  }

  // ---- polling ----

  /** Starts polling continuously from `source` (after a reset): the TUI. */
  start(source: UsageSource): void {
    if (this.st.status === 'off') return;
    this.reset(source);
    this.running = true;
    this.startedAt = this.o.now();
    this.unsubscribe = this.store.subscribe((c) => {
      if (this.waitingForSync && !inFirstSync(this.store)) this.wake(0);
      else if (c.kinds.has('Pod')) this.wake(200);
    });
    this.wake(0);
  }

  /** Stops polling: no timer, no request left. The numbers stay readable. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = [...this.inflight.values()];
    for (const f of pending) f.ac.abort(STOP);
    await Promise.allSettled(pending.map((f) => f.done));
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
  }

  /**
   * One round over every node (headless `doctor`/`export`): resolves when each has answered,
   * failed, or the deadline passed (those count as timed out).
   */
  async pollOnce(source: UsageSource, o: { deadlineMs?: number } = {}): Promise<void> {
    if (this.st.status === 'off') return;
    this.reset(source);
    const gen = this.generation;
    const deadline = this.o.now() + (o.deadlineMs ?? 20_000);
    const queue = [...this.targets()];
    const worker = async () => {
      while (queue.length && !this.forbidden && gen === this.generation) {
        const t = queue.shift()!;
        const left = deadline - this.o.now();
        if (left <= 0) {
          this.recordFailure(t, 'timeout', `not polled within the ${Math.round((o.deadlineMs ?? 20_000) / 1000)} s deadline`);
          continue;
        }
        await this.launch(t, Math.min(this.o.timeoutMs, left));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, queue.length) }, worker));
    if (!this.forbidden) this.setState('ok', this.summaryMessage());
  }

  /** Timers and requests alive now (a stopped poller has none). */
  activity(): { timers: number; requests: number } {
    const requests = this.inflight.size;
    return { timers: (this.timer ? 1 : 0) + (this.notifyTimer ? 1 : 0) + requests, requests };
  }

  /** Drops every number and starts over with `source` (context or namespace switch). */
  private reset(source: UsageSource): void {
    this.generation++;
    for (const f of this.inflight.values()) f.ac.abort(STOP);
    this.inflight.clear();
    this.targetsState.clear();
    this.forbidden = undefined;
    this.source = source;
    this.targetsMemo = undefined;
    this.viewMemo = undefined;
    this.st = { status: 'idle', source: source.name, message: '', since: this.o.now() };
    this.changed();
  }

  /** Nodes that run pods with claims, of the scope (or the single Prometheus target). */
  private targets(): string[] {
    if (this.source && !this.source.perNode) return [ALL];
    const pods = this.store.version('Pod');
    const scope = this.o.scope();
    const m = this.targetsMemo;
    if (m?.scope === scope) {
      if (m.pods === pods) return m.list;
      // Under churn every pass (each finished request, each pod change) would look at the pods
      // again: a look that costs is redone at most every 200x its cost, and pass() wakes up for
      // it then. Following the changed pods alone (below) costs far less than that bound.
      if (m.cost >= TARGETS_THROTTLE_MIN_MS && this.o.now() < this.targetsRecheckAt()) return m.list;
    }
    const started = performance.now();
    const candidates = scope === null ? this.store.list('Pod') : this.store.podsInNamespace(scope);
    // Running pods with claims per node, kept up to date from the pods that changed.
    const same = m?.scope === scope ? m : undefined;
    const counts = same ? same.counts : new Map<string, number>();
    let nodesChanged = !same;
    const count = (p: PodRec, by: 1 | -1) => {
      if (!isRunningPod(p) || !p.volumes.some((v) => v.claim)) return;
      const n = (counts.get(p.node) ?? 0) + by;
      if (n <= 0) (counts.delete(p.node), (nodesChanged = true));
      else (counts.set(p.node, n), n === 1 && by === 1 && (nodesChanged = true));
    };
    if (same) diffByPosition(same.members, candidates, (p) => count(p, -1), (p) => count(p, 1));
    else for (const p of candidates) count(p, 1);
    const list = same && !nodesChanged ? same.list : [...counts.keys()].sort();
    this.targetsMemo = { pods, scope, list, members: candidates, counts, at: this.o.now(), cost: performance.now() - started };
    // Nodes that no longer run a PVC pod: their numbers can never be read again.
    if (nodesChanged) for (const t of this.targetsState.keys()) if (!counts.has(t) && !this.inflight.has(t)) this.targetsState.delete(t);
    return list;
  }

  /** When targets() walks the pods again after a change (see there). */
  private targetsRecheckAt(): number {
    const m = this.targetsMemo;
    return m ? m.at + m.cost * 200 : 0;
  }

  /** Whether targets() is holding back a walk over changed pods. */
  private targetsStale(): boolean {
    const m = this.targetsMemo;
    return !!m && m.pods !== this.store.version('Pod') && m.cost >= TARGETS_THROTTLE_MIN_MS;
  }

  private inView(t: string): boolean {
    if (this.focused === null || t === ALL) return true;
    const key = `${this.store.version('Pod')}|${this.focusGen}`;
    if (this.viewMemo?.key !== key) {
      const nodes = new Set<string>();
      for (const k of this.focused) {
        const slash = k.indexOf('/');
        for (const p of this.store.podsUsingClaim(k.slice(0, slash), k.slice(slash + 1))) if (isRunningPod(p)) nodes.add(p.node);
      }
      this.viewMemo = { key, nodes };
    }
    return this.viewMemo.nodes.has(t);
  }

  /** When the next background re-poll may start. */
  private nextBackgroundAt = 0;

  /** A re-poll of a node none of whose PVCs is on screen (paced by backgroundGapMs). */
  private background(t: string): boolean {
    const s = this.targetsState.get(t);
    return !!s?.doneAt && !s.failures && !this.inView(t);
  }

  private dueAt(t: string): number {
    const s = this.targetsState.get(t);
    if (!s || !s.doneAt) return 0;
    if (s.failures > 0) return s.doneAt + Math.min(this.o.maxBackoffMs, this.o.intervalMs * 2 ** (s.failures - 1));
    return s.doneAt + (this.inView(t) ? this.o.intervalMs : this.o.intervalMs * this.o.backgroundFactor);
  }

  private wake(ms: number): void {
    if (!this.running) return;
    const at = this.o.now() + ms;
    if (this.timer && this.wakeAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = setTimeout(() => this.pass(), ms);
    this.timer.unref?.();
  }

  private pass(): void {
    this.timer = undefined;
    this.wakeAt = 0;
    if (!this.running || !this.source) return;
    const now = this.o.now();
    // The first lists come first: kubelets polled while they arrive would slow them down (the
    // apiserver serves both) and the nodes to poll are not all known yet. The end of the sync
    // wakes the poller; a sync that never ends holds it back SYNC_WAIT_MS at most.
    this.waitingForSync = inFirstSync(this.store) && now - this.startedAt < SYNC_WAIT_MS;
    if (this.waitingForSync) return this.wake(SYNC_WAIT_MS - (now - this.startedAt));
    const targets = this.targets();
    if (this.forbidden) {
      // One probe now and then, never a storm.
      if (now >= this.forbidden.retryAt && this.inflight.size === 0 && targets.length) {
        this.forbidden.retryAt = now + this.o.forbiddenRetryMs;
        void this.launch(targets[0]);
      }
      this.wake(Math.max(50, this.forbidden.retryAt - now));
      return;
    }
    const due: { t: string; at: number }[] = [];
    let next = Infinity;
    for (const t of targets) {
      if (this.inflight.has(t)) continue;
      const at = this.dueAt(t);
      if (at <= now) due.push({ t, at });
      else next = Math.min(next, at);
    }
    if (this.targetsStale()) next = Math.min(next, this.targetsRecheckAt());
    due.sort((a, b) => a.at - b.at || (a.t < b.t ? -1 : 1));
    for (const d of due) {
      if (this.inflight.size >= this.o.concurrency) break; // a finishing request runs the next pass
      if (this.background(d.t)) {
        if (now < this.nextBackgroundAt) {
          next = Math.min(next, this.nextBackgroundAt);
          continue;
        }
        this.nextBackgroundAt = now + this.o.backgroundGapMs;
      }
      void this.launch(d.t);
    }
    if (this.st.status === 'idle' && this.inflight.size) this.setState('polling', '');
    if (next < Infinity) this.wake(Math.max(50, next - now));
  }

  private launch(t: string, timeoutMs = this.o.timeoutMs): Promise<void> {
    const source = this.source!;
    const gen = this.generation;
    const ac = new AbortController();
    const st = this.state0(t);
    st.attemptAt = this.o.now();
    const timer = setTimeout(() => ac.abort(TIMEOUT), timeoutMs);
    timer.unref?.();
    const done = source
      .fetch(t, ac.signal, timeoutMs)
      .then(
        (samples) => {
          if (gen === this.generation) this.recordSuccess(t, samples);
        },
        (e: { status?: number; code?: string; message?: string; body?: unknown }) => {
          if (gen !== this.generation || ac.signal.reason === STOP) return;
          // The user may not: the apiserver's own Status. A kubelet refusing the apiserver
          // (its 403 text passed through the node proxy) is that node's failure, not RBAC.
          if (e?.status === 403 && (!source.perNode || (e.body as { kind?: string } | undefined)?.kind === 'Status')) return this.turnOffForbidden(e.message ?? 'forbidden');
          const timedOut = ac.signal.reason === TIMEOUT || e?.code === 'ETIMEDOUT';
          this.recordFailure(t, timedOut ? 'timeout' : 'unreachable', timedOut ? `no answer within ${Math.round(timeoutMs / 100) / 10} s` : e?.message || 'request failed');
        },
      )
      .finally(() => {
        clearTimeout(timer);
        if (this.inflight.get(t)?.ac === ac) this.inflight.delete(t);
        this.wake(0);
      });
    this.inflight.set(t, { ac, done });
    return done;
  }

  private state0(t: string): TargetState {
    let s = this.targetsState.get(t);
    if (!s) this.targetsState.set(t, (s = { attemptAt: 0, doneAt: 0, okAt: 0, failures: 0, samples: new Map() }));
    return s;
  }

  private recordSuccess(t: string, samples: Map<string, UsageSample>): void {
    const s = this.state0(t);
    const now = this.o.now();
    const changed = !s.okAt || !!s.error || !sameSamples(s.samples, samples);
    if (changed && !this.dirty.has(t)) this.dirty.set(t, s.samples);
    s.doneAt = s.okAt = now;
    s.failures = 0;
    s.error = undefined;
    s.samples = samples;
    if (this.forbidden) {
      this.forbidden = undefined;
      for (const x of this.targetsState.values()) if (x !== s) x.doneAt = 0; // everything is due again
      this.wake(0);
    }
    if (this.running) this.setState('ok', '');
    if (changed) this.changed();
  }

  private recordFailure(t: string, code: 'timeout' | 'unreachable', message: string): void {
    const s = this.state0(t);
    const changed = s.error?.code !== code || s.error.message !== message;
    if (!this.dirty.has(t)) this.dirty.set(t, s.samples);
    s.doneAt = this.o.now();
    s.failures++;
    s.error = { code, message };
    if (changed) this.changed();
  }

  private turnOffForbidden(message: string): void {
    const first = !this.forbidden;
    this.forbidden = { message, retryAt: this.o.now() + this.o.forbiddenRetryMs };
    if (first) for (const f of this.inflight.values()) f.ac.abort(STOP);
    const what = this.source?.perNode ? 'GET on nodes/proxy (the kubelet stats/summary) is forbidden' : `${this.source?.name} refused the query`;
    const retry = this.running ? `; retrying every ${Math.round(this.o.forbiddenRetryMs / 60_000)} min` : '';
    this.setState('forbidden', `${what}: ${message}${retry} (see docs/rbac.md)`);
  }

  private summaryMessage(): string {
    let ok = 0;
    let failed = 0;
    for (const s of this.targetsState.values()) s.error ? failed++ : s.okAt && ok++;
    if (!this.source?.perNode) return failed ? 'the Prometheus query failed' : '';
    return failed ? `${ok} of ${ok + failed} nodes answered` : '';
  }

  private setState(status: UsageStatus, message: string): void {
    if (this.st.status === status && this.st.message === message) return;
    this.st = { status, source: this.source?.name ?? '', message, since: this.o.now() };
    this.changed();
  }

  private changed(): void {
    this.ver++;
    if (this.notifyTimer || this.listeners.size === 0) return;
    // A round brings one node's numbers after another (1667 nodes at 50k pods, for a minute):
    // while they stream in, listeners (the list redrawn, the verdicts) hear of them at most every
    // 10 coalescing windows (1 s); a lone change is told after one window.
    const wait = Math.max(this.o.notifyMs, this.notifiedAt + this.o.notifyMs * 10 - performance.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.notifiedAt = performance.now();
      for (const l of this.listeners) l();
    }, wait);
    this.notifyTimer.unref?.();
  }
}

const PROM_TEXT: Partial<Record<UsageReasonCode, string>> = {
  notReported: 'not in Prometheus (kubelet did not report this volume)',
  unreachable: 'Prometheus unreachable',
  forbidden: 'forbidden (Prometheus)',
};
