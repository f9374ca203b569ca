// The machinery the world's controllers share: one clock tick, unref'd timers that stop() clears,
// and per-controller work queues fed by watches (a watch callback only marks keys dirty; the
// work happens on a later turn, so controllers never write from inside another write).
import type { ClusterFaults } from './scenarios/types';
import { keyOf, KObj } from './scenarios/kube';
import { Rand } from './scenarios/rand';
import type { WorldApi } from './world-api';
import { EventRecorder } from './world-events';
import { WorldIndex } from './world-index';

export interface Controller {
  name: string;
  /** Kinds whose changes make this controller look at an object. */
  watches: readonly string[];
  /** Maps a changed object to the keys (`Kind/ns/name`) this controller reconciles; default: itself. */
  keysFor?(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObj): string[];
  reconcile(key: string): void;
  /** Work done once per tick regardless of changes (leases, usage, logs). */
  tick?(): void;
}

export class Runtime {
  readonly events: EventRecorder;
  readonly index: WorldIndex;
  readonly rand: Rand;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queues = new Map<Controller, Set<string>>();
  private readonly unwatch: Array<() => void> = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Errors controllers hit (a conflict, a rejected update): kept for tests, never thrown. */
  readonly errors: string[] = [];

  constructor(
    readonly api: WorldApi,
    readonly faults: ClusterFaults,
    seed: number,
    /** Milliseconds per tick: the pace of every transition (1000 for the demo, ~20 in tests). */
    readonly tickMs: number,
  ) {
    this.events = new EventRecorder(api);
    this.index = new WorldIndex(api);
    this.rand = new Rand(`world:${seed}`);
  }

  add(c: Controller): void {
    const q = new Set<string>();
    this.queues.set(c, q);
    this.unwatch.push(
      this.api.watch(c.watches, (type, obj) => {
        for (const k of c.keysFor ? c.keysFor(type, obj) : [keyOf(obj)]) q.add(k);
        this.scheduleFlush();
      }),
    );
  }

  /** Queues `key` for `c` now (and reconciles it on the next turn). */
  dirty(c: Controller, key: string): void {
    this.queues.get(c)?.add(key);
    this.scheduleFlush();
  }

  /** Runs `fn` after `ticks` ticks, unless stopped first. */
  after(ticks: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) this.guard('timer', fn);
    }, Math.max(0, ticks * this.tickMs));
    t.unref();
    this.timers.add(t);
  }

  /** Starts the tick loop and queues every existing object of each controller's kinds once. */
  start(): void {
    for (const c of this.queues.keys()) {
      for (const kind of c.watches) for (const o of this.api.list(kind)) for (const k of c.keysFor ? c.keysFor('ADDED', o) : [keyOf(o)]) this.queues.get(c)!.add(k);
    }
    this.scheduleFlush();
    const loop = setInterval(() => {
      for (const c of this.queues.keys()) if (c.tick) this.guard(c.name, () => c.tick!());
    }, this.tickMs);
    loop.unref();
    this.timers.add(loop);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const u of this.unwatch.splice(0)) u();
    this.index.stop();
    for (const q of this.queues.values()) q.clear();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.stopped) return;
    this.flushTimer = setTimeout(() => this.flush(), 0);
    this.flushTimer.unref();
  }

  /**
   * Reconciles queued keys for up to ~10 ms, then yields to I/O (HTTP requests, watches) and
   * continues on a later turn: at --scale the first pass touches every object.
   */
  private flush(): void {
    this.flushTimer = undefined;
    const deadline = Date.now() + 10;
    for (const [c, q] of this.queues) {
      for (const k of q) {
        if (this.stopped) return;
        q.delete(k);
        this.guard(c.name, () => c.reconcile(k));
        if (Date.now() > deadline) return this.scheduleFlush();
      }
    }
    for (const q of this.queues.values()) if (q.size) return this.scheduleFlush();
  }

  private guard(where: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.errors.length < 100) this.errors.push(`${where}: ${(err as Error).message}`);
    }
  }
}

/** `Kind/namespace/name` → its parts. */
export function parseKey(key: string): { kind: string; namespace: string | undefined; name: string } {
  const [kind, ns, ...rest] = key.split('/');
  return { kind, namespace: ns || undefined, name: rest.join('/') };
}
