// Watch fan-out. Each committed change is offered to the watchers of its table in commit order
// (re-entrant commits from inside a watcher are queued, never interleaved), filtered by each
// watcher's namespace/label/field predicate the way the watch cache filters: an object that
// stops matching is delivered as DELETED (its previous state at the new resourceVersion), one
// that starts matching as ADDED. The JSON line of an event is built once and shared.
import type { Change } from './history';
import type { ResourceInfo } from './resources';
import type { KubeObject, WatchEvent, WatchEventType } from './types';

export type Predicate = (o: KubeObject) => boolean;

/** Receives an event and, lazily, its newline-terminated JSON (shared between watchers). */
export type WatchListener = (event: WatchEvent, line: () => string) => void;

export interface Watcher {
  info: ResourceInfo;
  pred: Predicate;
  /** Changes at or below this version were already delivered (replayed or as initial state). */
  startRv: number;
  listener: WatchListener;
  stopped: boolean;
}

export function eventLine(type: WatchEventType, obj: KubeObject): string {
  return `{"type":"${type}","object":${JSON.stringify(obj)}}\n`;
}

function withRv(o: KubeObject, rv: number): KubeObject {
  return { ...o, metadata: { ...o.metadata, resourceVersion: String(rv) } };
}

/** What a watcher with this predicate sees of a change, if anything. */
export function project(c: Change, info: ResourceInfo, pred: Predicate): { type: WatchEventType; variant: 'obj' | 'prev' } | null {
  switch (c.type) {
    case 'ADDED':
      return pred(c.obj) ? { type: 'ADDED', variant: 'obj' } : null;
    case 'DELETED':
      return pred(c.prev ?? c.obj) ? { type: 'DELETED', variant: 'obj' } : null;
    case 'MODIFIED': {
      const now = pred(c.obj);
      const before = c.prev ? pred(c.prev) : false;
      if (now) return { type: before ? 'MODIFIED' : 'ADDED', variant: 'obj' };
      return before ? { type: 'DELETED', variant: 'prev' } : null;
    }
  }
}

/** Delivers one change to one watcher, building (and caching) the view object and JSON line. */
export function deliver(c: Change, w: Watcher): void {
  if (w.stopped || c.rv <= w.startRv) return;
  const p = project(c, w.info, w.pred);
  if (!p) return;
  const cacheKey = `${w.info.group}|${p.type}|${p.variant}`;
  let base = p.variant === 'prev' ? withRv(c.prev!, c.rv) : c.obj;
  if (w.info.toView) base = w.info.toView(base);
  const obj = base;
  const line = () => {
    c.lines ??= new Map();
    let s = c.lines.get(cacheKey);
    if (s === undefined) {
      s = eventLine(p.type, obj);
      c.lines.set(cacheKey, s);
    }
    return s;
  };
  w.listener({ type: p.type, object: obj }, line);
}

export class WatchHub {
  private readonly byStorage = new Map<string, Set<Watcher>>();
  private readonly queue: Change[] = [];
  private draining = false;

  add(w: Watcher): () => void {
    let set = this.byStorage.get(w.info.storage);
    if (!set) this.byStorage.set(w.info.storage, (set = new Set()));
    set.add(w);
    return () => {
      w.stopped = true;
      set!.delete(w);
    };
  }

  /** Queues a change and delivers everything queued, in order, unless already delivering. */
  publish(c: Change): void {
    this.queue.push(c);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const set = this.byStorage.get(this.queue[i].storage);
        if (!set) continue;
        for (const w of [...set]) {
          try {
            deliver(this.queue[i], w);
          } catch {
            // A failing listener must not starve the others.
          }
        }
      }
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  /** Number of open watchers, for tests and stats. */
  count(): number {
    let n = 0;
    for (const s of this.byStorage.values()) n += s.size;
    return n;
  }

  /** Stops every watcher (their listeners get no further events). */
  all(): Watcher[] {
    return [...this.byStorage.values()].flatMap((s) => [...s]);
  }
}
