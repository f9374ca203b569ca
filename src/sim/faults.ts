// Fault injection for client tests: added latency, watches cut mid-stream, history compaction,
// the whole server going away and coming back on the same ports, and scripted error responses.
import { generic, type Status } from './errors';

export interface FailSpec {
  status: number;
  /** Only requests whose path starts with this count (and fail). */
  pathPrefix?: string;
  /** Message for the Status body; the apiserver's generic one for the code otherwise. */
  message?: string;
}

export interface FaultHooks {
  dropWatches(): void;
  compact(): void;
  down(ms: number): Promise<void>;
}

export class Faults {
  /** Added before every response. */
  latencyMs = 0;
  private failures: Array<FailSpec & { left: number }> = [];

  constructor(private readonly hooks: FaultHooks) {}

  /** Ends every open watch abruptly (the socket is destroyed mid-stream). */
  dropWatches(): void {
    this.hooks.dropWatches();
  }

  /** Drops all watch history, as ObjectStore.compact(). */
  compact(): void {
    this.hooks.compact();
  }

  /** Stops listening and destroys every connection; listens again on the same ports after `ms`. */
  down(ms: number): Promise<void> {
    return this.hooks.down(ms);
  }

  /** The next `n` matching requests get `status` with a Status body. */
  failNext(n: number, spec: FailSpec): void {
    this.failures.push({ ...spec, left: n });
  }

  reset(): void {
    this.latencyMs = 0;
    this.failures = [];
  }

  /** @internal The scripted failure for this request, if any (consumes one). */
  take(path: string): Status | undefined {
    const f = this.failures.find((x) => x.left > 0 && (!x.pathPrefix || path.startsWith(x.pathPrefix)));
    if (!f) return undefined;
    f.left--;
    if (f.left === 0) this.failures.splice(this.failures.indexOf(f), 1);
    const s = generic(f.status, f.message ?? '').status;
    if (f.message) s.message = f.message;
    return s;
  }
}
