// Container logs as the kubelet would serve them: per container a current instance and, after a
// restart, the previous one. Lines are raw bytes (terminal escapes and invalid UTF-8 included),
// each with a nanosecond timestamp; buffers are bounded. Followers see appended lines live and
// are ended when the instance they follow is replaced.

export interface LogLine {
  /** Epoch nanoseconds as a bigint-free pair: ms and the nanoseconds within that ms. */
  ms: number;
  nanos: number;
  data: Buffer;
}

export interface LogFollower {
  line(l: LogLine): void;
  end(): void;
}

interface Instance {
  lines: LogLine[];
  followers: Set<LogFollower>;
}

interface ContainerLogs {
  current: Instance;
  previous?: Instance;
}

const newInstance = (): Instance => ({ lines: [], followers: new Set() });

/** RFC 3339 with nine fractional digits, like the kubelet's timestamps=true prefix. */
export function logTimestamp(l: Pick<LogLine, 'ms' | 'nanos'>): string {
  const whole = Math.floor(l.ms / 1000) * 1000;
  const frac = (l.ms - whole) * 1e6 + l.nanos;
  const digits = String(Math.round(frac)).padStart(9, '0').slice(0, 9);
  return new Date(whole).toISOString().replace(/\.\d{3}Z$/, `.${digits}Z`);
}

export class LogStore {
  private readonly containers = new Map<string, ContainerLogs>();

  /** Lines kept per container instance; older ones are dropped. */
  maxLines = 50_000;

  private key(ns: string, pod: string, container: string): string {
    return `${ns}/${pod}/${container}`;
  }

  private entry(ns: string, pod: string, container: string): ContainerLogs {
    const k = this.key(ns, pod, container);
    let e = this.containers.get(k);
    if (!e) this.containers.set(k, (e = { current: newInstance() }));
    return e;
  }

  /**
   * Appends to the current instance. A string containing newlines becomes several lines with the
   * same timestamp; `tsMs` may carry a fraction for sub-millisecond timestamps (a double
   * resolves about 0.25 µs at today's epoch).
   */
  append(ns: string, pod: string, container: string, line: string | Buffer, tsMs: number = Date.now()): void {
    const inst = this.entry(ns, pod, container).current;
    const buf = typeof line === 'string' ? Buffer.from(line) : line;
    let parts: Buffer[] = [buf];
    if (buf.includes(10)) {
      parts = [];
      let start = 0;
      for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, start)) {
        parts.push(buf.subarray(start, i));
        start = i + 1;
      }
      if (start < buf.length) parts.push(buf.subarray(start));
    }
    const ms = Math.floor(tsMs);
    const nanos = Math.round((tsMs - ms) * 1e6);
    for (const data of parts) {
      const l: LogLine = { ms, nanos, data };
      inst.lines.push(l);
      for (const f of inst.followers) f.line(l);
    }
    if (inst.lines.length > this.maxLines * 1.1) inst.lines.splice(0, inst.lines.length - this.maxLines);
  }

  /** The container restarted: the current instance becomes the previous one, and a new one starts empty. */
  restart(ns: string, pod: string, container: string): void {
    const e = this.entry(ns, pod, container);
    for (const f of e.current.followers) f.end();
    e.current.followers.clear();
    e.previous = e.current;
    e.current = newInstance();
  }

  /** Forgets logs: of one container, of a pod, of a namespace, or everything. */
  clear(ns?: string, pod?: string, container?: string): void {
    const prefix = [ns, pod, container].filter((x) => x !== undefined).join('/');
    for (const [k, e] of this.containers) {
      if (prefix && k !== prefix && !k.startsWith(prefix + '/')) continue;
      for (const f of e.current.followers) f.end();
      this.containers.delete(k);
    }
  }

  lines(ns: string, pod: string, container: string, previous = false): LogLine[] {
    const e = this.containers.get(this.key(ns, pod, container));
    return (previous ? e?.previous?.lines : e?.current.lines) ?? [];
  }

  /** Subscribes to the current instance; returns the unsubscribe function. */
  follow(ns: string, pod: string, container: string, f: LogFollower): () => void {
    const inst = this.entry(ns, pod, container).current;
    inst.followers.add(f);
    return () => inst.followers.delete(f);
  }

  /** Ends every follower (server shutdown). */
  endAll(): void {
    for (const e of this.containers.values()) {
      for (const f of e.current.followers) f.end();
      e.current.followers.clear();
    }
  }
}
