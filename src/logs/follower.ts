// Follows a pod's container logs into a LogBuffer like `kubectl logs -f`, and better on a bad
// link: when a stream drops or the container restarts it reconnects with sinceTime from the last
// line's second and drops the lines of that second it already has (no duplicates, no gaps),
// marks restarts, waits for containers that have not started, and reports errors as lines and
// states instead of throwing.
import { LogBuffer, type NewLine } from './buffer';
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
  /** running, waiting, terminated, unknown. */
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
  /** Characters kept of one line (default 4096); longer lines end in '…'. */
  maxLineLength?: number;
  /** First reconnect delay, doubled per failure (default 1000 ms). */
  retryMs?: number;
  backoffMaxMs?: number;
  /** How often a container that is not running is asked again (default 2000 ms; poke() asks at once). */
  waitMs?: number;
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

/** A line without its end can be this long before the rest of it is dropped (memory stays bounded). */
const MAX_PENDING = 64 * 1024;

/** A line of cluster text made safe to draw (sanitize: no terminal controls, no bidi controls), capped. */
export function cleanLine(raw: string, max: number): string {
  const text = sanitize(raw.length > max * 4 ? raw.slice(0, max * 4) : raw);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** RFC3339Nano as the kubelet writes it → a fixed-width string that sorts in time order (UTC only). */
export function sortableTs(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`;
}

/** The whole second of an epoch-ms time as the apiserver's sinceTime (RFC 3339, seconds). */
export function sinceTimeOf(second: number): string {
  return new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class LogFollower {
  private stopped = false;
  private readonly aborts = new Set<AbortController>();
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
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

  /** Aborts every request and timer; resolves when every stream has let go. Never rejects. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
    for (const s of this.sleeps) s.wake();
    await Promise.allSettled(this.runs);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Something changed (the pod in the store): retry waiting containers now instead of at the next poll. */
  poke(): void {
    for (const s of this.sleeps) s.wake();
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
    this.emit([{ ts: Date.now(), tsText: '', container, text: cleanLine(text, 4096), kind }]);
  }

  private emit(lines: NewLine[]) {
    if (!lines.length || this.stopped) return;
    if (this.opts.containers.length > 1) this.buffer.pushMerged(lines);
    else for (const l of lines) this.buffer.push(l);
    this.onChange();
  }

  /** Waits `ms`, or less when poked or stopped. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const s = {
        timer: setTimeout(() => s.wake(), ms),
        wake: () => {
          clearTimeout(s.timer);
          this.sleeps.delete(s);
          resolve();
        },
      };
      this.sleeps.add(s);
    });
  }

  private async run(container: string): Promise<void> {
    const o = this.opts;
    const follow = o.follow !== false && !o.previous;
    const path = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/log`;
    const max = o.maxLineLength ?? 4096;
    const retryMs = o.retryMs ?? 1000;
    // Resume point: the second of the newest line kept, and how many of each line (timestamp and
    // text) were kept in that second. A reconnect asks from that second (sinceTime has whole
    // seconds) and skips exactly those lines when they come again; a restarted container's
    // lines carry other timestamps, and repeated identical lines are counted, not collapsed.
    let lastSecond = -1;
    let seen = new Map<string, number>();
    let replay: Map<string, number> | null = null;
    let restarts = o.containerInfo?.(container)?.restarts ?? 0;
    let failures = 0;
    let opened = false;
    let idle = 0;

    const restarted = (): boolean => {
      const now = o.containerInfo?.(container)?.restarts ?? restarts;
      if (now <= restarts) return false;
      this.note(container, `── container ${container} restarted (restart #${now}) ──`, 'marker');
      restarts = now;
      return true;
    };

    const accept = (line: string, out: NewLine[]) => {
      const sp = line.indexOf(' ');
      const tsText = sp > 0 && line.charCodeAt(0) >= 0x30 && line.charCodeAt(0) <= 0x39 && line.charCodeAt(4) === 0x2d ? line.slice(0, sp) : '';
      const raw = tsText ? line.slice(sp + 1) : line;
      const ts = tsText ? Date.parse(tsText) : NaN;
      if (!Number.isNaN(ts)) {
        const second = Math.floor(ts / 1000);
        const id = `${tsText} ${raw}`;
        if (replay) {
          if (second < lastSecond) return; // before the resume point: had it
          if (second === lastSecond) {
            const n = replay.get(id);
            if (n) {
              if (n > 1) replay.set(id, n - 1);
              else replay.delete(id);
              return;
            }
          } else replay = null;
        }
        if (second !== lastSecond) {
          lastSecond = second;
          seen = new Map();
        }
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      out.push({ ts: Number.isNaN(ts) ? 0 : ts, tsText: Number.isNaN(ts) ? '' : tsText, container, text: cleanLine(raw, max), kind: 'log' });
    };

    while (!this.stopped) {
      const query: Record<string, string | number | boolean | undefined> = { container, timestamps: true, follow: follow || undefined, previous: o.previous || undefined };
      if (follow && restarted()) {
        // A new instance: all of it (none of its lines can be ours yet), whatever its clock says.
        lastSecond = -1;
        seen = new Map();
        replay = null;
      } else if (lastSecond >= 0) {
        query.sinceTime = sinceTimeOf(lastSecond);
        replay = seen.size ? new Map(seen) : null;
      } else if (o.window?.tailLines !== undefined) query.tailLines = o.window.tailLines;
      else if (o.window?.sinceSeconds !== undefined) query.sinceSeconds = o.window.sinceSeconds;
      const ac = new AbortController();
      this.aborts.add(ac);
      let rest = '';
      if (!failures && this.status(container).state !== 'waiting') this.setStatus(container, 'connecting');
      try {
        await this.client.stream(
          path,
          {
            query,
            signal: ac.signal,
            timeoutMs: 0,
            onOpen: () => {
              if (this.stopped) return;
              opened = true;
              idle = 0;
              if (failures) this.note(container, '── reconnected ──', 'marker');
              failures = 0;
              this.setStatus(container, 'streaming');
            },
          },
          (chunk) => {
            if (this.stopped) return;
            const out: NewLine[] = [];
            let start = 0;
            for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
              let line = chunk.slice(start, nl);
              if (rest) (line = rest + line), (rest = '');
              accept(line.endsWith('\r') ? line.slice(0, -1) : line, out);
              start = nl + 1;
            }
            if (start < chunk.length && rest.length < MAX_PENDING) rest += chunk.slice(start, start + MAX_PENDING - rest.length);
            this.emit(out);
          },
        );
        if (this.stopped) return;
        if (rest) {
          const out: NewLine[] = [];
          accept(rest, out);
          this.emit(out);
        }
        failures = 0;
        if (!follow) {
          this.setStatus(container, 'ended', o.previous ? 'previous instance' : '');
          return;
        }
        if (o.podExists && !o.podExists()) return this.podGone(container);
        // The stream ended while following: the container stopped. Ask again for the next
        // instance (a restart), every waitMs while it is not running.
        const info = o.containerInfo?.(container);
        if (info?.state === 'terminated') {
          // Finished (an init container, a job's): it may never run again; asked again rarely
          // (a change of the pod pokes us at once).
          idle++;
          this.setStatus(container, 'ended', info.reason || 'terminated');
          await this.sleep(Math.min(30_000, (o.waitMs ?? 2000) * idle));
        } else if (info && info.state !== 'running') {
          idle++;
          this.setStatus(container, 'waiting', `${info.reason || `container ${info.state}`}: waiting for a restart`);
          await this.sleep(Math.min(o.waitMs ?? 2000, retryMs * idle));
        } else await this.sleep(retryMs);
      } catch (err) {
        if (this.stopped) return;
        // A line cut by the drop is dropped too: it comes again whole after the reconnect.
        rest = '';
        const e = err as ErrorLike;
        const msg = sanitize(e.message ?? String(err));
        if (e.status === 400 && /waiting to start|ContainerCreating|PodInitializing/.test(msg)) {
          const reason = o.containerInfo?.(container)?.reason || /waiting to start: (.*)$/.exec(msg)?.[1] || '';
          this.setStatus(container, 'waiting', `waiting for the container to start${reason ? ` (${reason})` : ''}`);
          await this.sleep(o.waitMs ?? 2000);
          continue;
        }
        if (e.status === 400 && /previous terminated container/.test(msg)) {
          this.note(container, `no previous instance of container ${container} (it has not restarted)`, 'error');
          this.setStatus(container, 'ended', 'no previous instance');
          return;
        }
        if (e.status === 404) {
          if (opened) return this.podGone(container);
          this.note(container, `pod ${o.namespace}/${o.pod} not found`, 'error');
          this.setStatus(container, 'error', 'pod not found');
          return;
        }
        if (e.status && e.status >= 400 && e.status < 500) {
          this.note(container, msg, 'error');
          this.setStatus(container, 'error', e.status === 403 ? 'forbidden' : e.status === 401 ? 'unauthorized' : msg);
          return;
        }
        if (!failures && opened) this.note(container, `── stream lost (${msg}); reconnecting ──`, 'marker');
        failures++;
        const delay = Math.min(o.backoffMaxMs ?? 30_000, retryMs * 2 ** Math.min(failures - 1, 5));
        this.setStatus(container, 'reconnecting', msg);
        await this.sleep(delay);
      } finally {
        this.aborts.delete(ac);
      }
    }
  }

  private podGone(container: string): void {
    this.note(container, `── pod ${this.opts.namespace}/${this.opts.pod} was deleted ──`, 'marker');
    this.setStatus(container, 'ended', 'pod deleted');
  }
}
