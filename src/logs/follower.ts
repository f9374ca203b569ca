// Follows a pod's container logs into a LogBuffer like `kubectl logs -f`, and better on a bad
// link: when a stream drops or the container restarts it reconnects with sinceTime from the last
// line's timestamp and drops the lines it already has (no duplicates, no gaps), marks restarts,
// waits for containers that have not started, and reports errors as lines instead of throwing.
import { LogBuffer } from './buffer';
import { sanitize } from '../util/sanitize';

export interface LogClient {
  stream(
    path: string,
    opts: { query?: Record<string, string | number | boolean | undefined>; signal?: AbortSignal; timeoutMs?: number; onOpen?: () => void },
    onData: (chunk: string) => void,
  ): Promise<void>;
}

/** k9s's log windows: 0 tail, 1 head, 2–6 since 1m … 1h. */
export interface LogWindow {
  readonly label: string;
  readonly tailLines?: number;
  readonly sinceSeconds?: number;
}

export const LOG_WINDOWS: readonly LogWindow[] = [
  { label: 'tail', tailLines: 100 },
  { label: 'head' },
  { label: '1m', sinceSeconds: 60 },
  { label: '5m', sinceSeconds: 300 },
  { label: '15m', sinceSeconds: 900 },
  { label: '30m', sinceSeconds: 1800 },
  { label: '1h', sinceSeconds: 3600 },
];

export interface ContainerInfo {
  readonly state: string;
  readonly reason: string;
  readonly restarts: number;
}

export interface FollowOptions {
  namespace: string;
  pod: string;
  /** One container, or several for the interleaved "all containers" mode. */
  containers: readonly string[];
  previous?: boolean;
  follow?: boolean;
  window?: LogWindow;
  maxLineLength?: number;
  retryMs?: number;
  backoffMaxMs?: number;
  /** The container's state as the store sees it (restart markers, waiting). */
  containerInfo?: (container: string) => ContainerInfo | undefined;
  /** Whether the pod still exists (a deleted pod ends the stream for good). */
  podExists?: () => boolean;
}

export type StreamState = 'connecting' | 'streaming' | 'waiting' | 'reconnecting' | 'ended' | 'error';

export interface StreamStatus {
  readonly state: StreamState;
  readonly message: string;
}

interface ErrorLike {
  status?: number;
  message?: string;
  code?: string;
}

/** RFC3339Nano as the kubelet writes it → a fixed-width string that sorts in time order. */
export function sortableTs(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`;
}

export class LogFollower {
  private stopped = false;
  private readonly aborts = new Set<AbortController>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly statuses = new Map<string, StreamStatus>();
  private readonly runs: Promise<void>[] = [];

  constructor(
    private readonly client: LogClient,
    readonly buffer: LogBuffer,
    readonly opts: FollowOptions,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    for (const c of this.opts.containers) this.runs.push(this.run(c));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled(this.runs);
  }

  status(container: string): StreamStatus {
    return this.statuses.get(container) ?? { state: 'connecting', message: '' };
  }

  /** The least healthy state across containers, for the pane's title. */
  overall(): StreamStatus {
    const order: StreamState[] = ['error', 'reconnecting', 'waiting', 'connecting', 'streaming', 'ended'];
    let best: StreamStatus = { state: 'ended', message: '' };
    for (const c of this.opts.containers) {
      const s = this.status(c);
      if (order.indexOf(s.state) < order.indexOf(best.state)) best = s;
    }
    return best;
  }

  private setStatus(container: string, state: StreamState, message = '') {
    const cur = this.statuses.get(container);
    if (cur?.state === state && cur.message === message) return;
    this.statuses.set(container, { state, message });
    this.onChange();
  }

  private note(container: string, text: string, kind: 'marker' | 'error') {
    this.buffer.push({ ts: Date.now(), tsText: '', container, text, kind });
    this.onChange();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async run(container: string): Promise<void> {
    const o = this.opts;
    const follow = o.follow !== false && !o.previous;
    const path = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/log`;
    const max = o.maxLineLength ?? 4096;
    // Resume point: the newest timestamp kept, and the lines already kept at that exact second.
    let lastKey = '';
    let lastTs = '';
    let atLastSecond = new Set<string>();
    let restarts = o.containerInfo?.(container)?.restarts ?? 0;
    let failures = 0;

    const accept = (line: string) => {
      const sp = line.indexOf(' ');
      const tsText = sp > 0 && /^\d{4}-/.test(line) ? line.slice(0, sp) : '';
      const raw = tsText ? line.slice(sp + 1) : line;
      if (tsText) {
        const key = sortableTs(tsText);
        if (lastKey && key < lastKey) return; // older than what we have: a replay after sinceTime
        const id = `${key} ${raw}`;
        if (key.slice(0, 19) === lastKey.slice(0, 19)) {
          if (atLastSecond.has(id)) return;
        } else {
          atLastSecond = new Set();
        }
        atLastSecond.add(id);
        lastKey = key;
        lastTs = tsText;
      }
      let text = sanitize(raw);
      if (text.length > max) text = `${text.slice(0, max)}…`;
      this.buffer.push({ ts: tsText ? Date.parse(tsText) || 0 : 0, tsText, container, text, kind: 'log' });
    };

    while (!this.stopped) {
      const query: Record<string, string | number | boolean | undefined> = { container, timestamps: true, follow: follow || undefined, previous: o.previous || undefined };
      if (lastTs) query.sinceTime = lastTs.replace(/\.\d+Z$/, 'Z');
      else if (o.window?.tailLines !== undefined) query.tailLines = o.window.tailLines;
      else if (o.window?.sinceSeconds !== undefined) query.sinceSeconds = o.window.sinceSeconds;
      const ac = new AbortController();
      this.aborts.add(ac);
      let rest = '';
      this.setStatus(container, failures ? 'reconnecting' : 'connecting');
      try {
        await this.client.stream(path, { query, signal: ac.signal, timeoutMs: 0, onOpen: () => this.setStatus(container, 'streaming') }, (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop()!;
          for (const l of lines) accept(l.endsWith('\r') ? l.slice(0, -1) : l);
          this.onChange();
        });
        if (rest) accept(rest);
        failures = 0;
        if (!follow) {
          this.setStatus(container, 'ended', o.previous ? 'previous instance' : '');
          return;
        }
        if (o.podExists && !o.podExists()) {
          this.note(container, `── pod ${o.pod} was deleted ──`, 'marker');
          this.setStatus(container, 'ended', 'pod deleted');
          return;
        }
        // The stream ended while following: the container stopped or restarted. Pick up the new instance.
        await this.sleep(o.retryMs ?? 1000);
        const now = o.containerInfo?.(container)?.restarts ?? restarts;
        if (now > restarts) {
          this.note(container, `── container ${container} restarted (restart #${now}) ──`, 'marker');
          restarts = now;
        }
      } catch (err) {
        if (this.stopped) return;
        if (rest) accept(rest);
        const e = err as ErrorLike;
        const msg = e.message ?? String(err);
        if (e.status === 400 && /waiting to start|ContainerCreating|PodInitializing/.test(msg)) {
          const reason = o.containerInfo?.(container)?.reason;
          this.setStatus(container, 'waiting', `waiting for the container to start${reason ? ` (${reason})` : ''}`);
          await this.sleep(o.retryMs ?? 2000);
          continue;
        }
        if (e.status === 400 && /previous terminated container/.test(msg)) {
          this.note(container, `no previous instance of container ${container}`, 'error');
          this.setStatus(container, 'ended', 'no previous instance');
          return;
        }
        if (e.status === 404) {
          this.note(container, `pod ${o.namespace}/${o.pod} not found`, 'error');
          this.setStatus(container, 'error', 'pod not found');
          return;
        }
        if (e.status === 403 || e.status === 401 || (e.status && e.status >= 400 && e.status < 500)) {
          this.note(container, sanitize(msg), 'error');
          this.setStatus(container, 'error', e.status === 403 ? 'forbidden' : msg);
          return;
        }
        failures++;
        const delay = Math.min(o.backoffMaxMs ?? 30_000, (o.retryMs ?? 1000) * 2 ** Math.min(failures - 1, 5));
        this.note(container, `── stream lost (${sanitize(msg)}); reconnecting ──`, 'marker');
        this.setStatus(container, 'reconnecting', msg);
        await this.sleep(delay);
      } finally {
        this.aborts.delete(ac);
      }
    }
  }
}
