// One reflector per kind: paged LIST, then WATCH from the list's resourceVersion, resuming from
// the last version seen (bookmarks included), relisting on 410 and applying only the difference,
// reconnecting with jittered exponential backoff, and a watchdog for silent streams. The same
// semantics as client-go's reflector, written for csi-top's store.
import type { KindName } from './records';
import { keyOf } from './records';
import { collectionPath, type KindSpec } from './kinds';
import { project, type RawObject } from './project';
import type { Store } from './store';
import { parseListPage, peekListMeta, type ListMeta, type ListPage } from './list-page';

/** What a reflector needs from an HTTP client (src/kube/client.ts implements it). */
export interface ListWatchClient {
  /** A JSON body's bytes (list pages: their head is read before they are parsed). */
  requestBytes(method: string, path: string, opts?: { query?: Record<string, string | number | boolean | undefined>; signal?: AbortSignal; timeoutMs?: number }): Promise<Buffer>;
  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (e: { type: string; object: RawObject }) => void,
    opts?: { signal?: AbortSignal; idleTimeoutMs?: number; onOpen?: () => void },
  ): Promise<void>;
}

/** The error shape reflectors inspect: an HTTP status (0 for transport errors) and the apiserver's reason. */
interface StatusLike {
  status?: number;
  reason?: string;
  code?: string;
  message?: string;
}

export interface ReflectorOptions {
  /** Namespace for namespaced kinds; null/undefined = all namespaces. */
  namespace?: string | null;
  /**
   * With all namespaces: the namespace to fall back to when listing every namespace is
   * forbidden (a user with a namespaced Role). The store status says so (onlyNamespace).
   */
  fallbackNamespace?: string | null;
  pageSize?: number;
  /** Watch timeoutSeconds, drawn per watch (default 300–600 s, jittered). */
  watchTimeoutSeconds?: () => number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** A watch silent (no event, no bookmark) this long is reconnected. */
  idleTimeoutMs?: number;
  /** How long to wait before trying a forbidden or unserved kind again. */
  retryDeniedMs?: number;
  requestTimeoutMs?: number;
  log?: (msg: string) => void;
}

class WatchExpired extends Error {}

export class Reflector {
  private stopped = false;
  private abort: AbortController | undefined;
  private sleepTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private resourceVersion = '';
  private path: string;
  private fallbackNamespace: string | undefined;
  private readonly opts: Required<Omit<ReflectorOptions, 'namespace' | 'fallbackNamespace' | 'log'>> & Pick<ReflectorOptions, 'log'>;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: ListWatchClient,
    private readonly store: Store,
    private readonly spec: KindSpec,
    options: ReflectorOptions = {},
  ) {
    this.path = collectionPath(spec, options.namespace ?? undefined);
    this.fallbackNamespace = spec.namespaced && !options.namespace ? options.fallbackNamespace ?? undefined : undefined;
    this.opts = {
      pageSize: options.pageSize ?? 500,
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? (() => 300 + Math.floor(Math.random() * 300)),
      backoffInitialMs: options.backoffInitialMs ?? 800,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 150_000,
      retryDeniedMs: options.retryDeniedMs ?? 300_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      log: options.log,
    };
  }

  get kind(): KindName {
    return this.spec.kind;
  }

  /** The version the next watch resumes from ('' = relist). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  start(): void {
    if (!this.running) this.running = this.run();
  }

  /** Stops for good: aborts the open request and any pending timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.wake?.();
    await this.running;
  }

  private log(msg: string) {
    this.opts.log?.(`${this.spec.kind}: ${msg}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.sleepTimer = setTimeout(resolve, ms);
    });
  }

  private backoff(failures: number): number {
    const base = Math.min(this.opts.backoffMaxMs, this.opts.backoffInitialMs * 2 ** Math.max(0, failures - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) this.resourceVersion = await this.list();
        await this.watchOnce();
        failures = 0; // the server ended the watch normally: resume at once
      } catch (err) {
        if (this.stopped) return;
        const e = err as StatusLike;
        if (err instanceof WatchExpired || e.status === 410) {
          this.log(`resource version expired; relisting`);
          this.resourceVersion = '';
          continue;
        }
        if (e.status === 403 && this.fallbackNamespace) {
          // Not allowed cluster-wide: what this namespace holds is still worth having.
          this.log(`403 in all namespaces (${e.message}); watching namespace ${this.fallbackNamespace} only`);
          this.path = collectionPath(this.spec, this.fallbackNamespace);
          this.store.setStatus(this.spec.kind, { onlyNamespace: this.fallbackNamespace });
          this.fallbackNamespace = undefined;
          this.resourceVersion = '';
          continue;
        }
        if (e.status === 403 || e.status === 404) {
          // 404 on a collection means the API group/version is not served by this cluster.
          this.store.setStatus(this.spec.kind, { state: e.status === 403 ? 'forbidden' : 'notServed', message: e.message ?? '' });
          this.log(`${e.status}: ${e.message}`);
          this.resourceVersion = '';
          await this.sleep(this.opts.retryDeniedMs);
          continue;
        }
        failures++;
        const delay = this.backoff(failures);
        this.store.setStatus(this.spec.kind, { state: 'reconnecting', message: e.message ?? String(err) });
        this.log(`${e.message ?? err}; retrying in ${delay} ms`);
        await this.sleep(delay);
      }
    }
  }

  private async list(): Promise<string> {
    const kind = this.spec.kind;
    const prev = this.store.status(kind);
    this.store.setStatus(kind, { state: prev.state === 'synced' || prev.state === 'reconnecting' ? prev.state : 'syncing', listed: 0, expected: 0 });
    let seen = new Set<string>();
    let rv = '';
    const abort = (this.abort = new AbortController());
    type Fetched = { body: Buffer; head: ListMeta | null };
    const fetchPage = (cont: string | undefined): Promise<Fetched> => {
      const p = this.client
        .requestBytes('GET', this.path, { query: { limit: this.opts.pageSize, continue: cont, fieldSelector: this.spec.fieldSelector }, signal: abort.signal, timeoutMs: this.opts.requestTimeoutMs })
        .then((body) => ({ body, head: peekListMeta(body) }));
      p.catch(() => undefined); // awaited below; a prefetch that fails before then is not unhandled
      return p;
    };
    let next = fetchPage(undefined);
    let sentContinue = false;
    for (;;) {
      let fetched: Fetched;
      try {
        fetched = await next;
      } catch (err) {
        if ((err as StatusLike).status === 410 && sentContinue) {
          // The continue token expired mid-paging: start the list again from the top.
          this.log('continue token expired; restarting list');
          seen = new Set();
          sentContinue = false;
          next = fetchPage(undefined);
          continue;
        }
        throw err;
      }
      // Ask for the next page before parsing this one: the server works while we do.
      if (fetched.head?.continue) {
        next = fetchPage(fetched.head.continue);
        sentContinue = true;
      }
      const page: ListPage = parseListPage(fetched.body);
      const cont = page.metadata?.continue || undefined;
      if (cont && cont !== fetched.head?.continue) {
        next = fetchPage(cont);
        sentContinue = true;
      }
      const items = page.items ?? [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        // Drop each raw object once projected, so garbage collections during the page do not
        // keep copying the part already done.
        items[i] = undefined as unknown as RawObject;
        const rec = project(kind, item);
        if (!rec) continue;
        const key = keyOf(rec.namespace, rec.name);
        seen.add(key);
        this.store.apply('ADDED', rec, key);
      }
      rv = page.metadata?.resourceVersion ?? '';
      const listed = seen.size;
      const remaining = page.metadata?.remainingItemCount ?? 0;
      if (!cont) break;
      this.store.setStatus(kind, { listed, expected: listed + remaining });
    }
    // Whatever the store holds that the fresh list did not contain was deleted meanwhile.
    for (const rec of this.store.list(kind)) {
      if (!seen.has(keyOf(rec.namespace, rec.name))) this.store.apply('DELETED', rec);
    }
    this.store.setStatus(kind, { state: 'synced', listed: seen.size, expected: seen.size, message: '' });
    return rv;
  }

  private async watchOnce(): Promise<void> {
    const kind = this.spec.kind;
    this.abort = new AbortController();
    let opened = false;
    try {
      await this.watchStream(kind, () => (opened = true));
    } catch (err) {
      // The watchdog cut a stream that had gone silent: resume at once, it is not an outage.
      if (opened && (err as StatusLike).code === 'ETIMEDOUT') {
        this.log('watch silent past the watchdog bound; resuming');
        return;
      }
      throw err;
    }
  }

  private async watchStream(kind: KindName, onOpened: () => void): Promise<void> {
    const signal = this.abort!.signal;
    await this.client.watch(
      this.path,
      { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.opts.watchTimeoutSeconds(), fieldSelector: this.spec.fieldSelector },
      (ev) => {
        const obj = ev.object ?? {};
        if (ev.type === 'ERROR') {
          if (obj.code === 410) throw new WatchExpired(String(obj.message ?? 'expired'));
          throw Object.assign(new Error(String(obj.message ?? 'watch error')), { status: Number(obj.code) || 500, reason: obj.reason });
        }
        const rv = obj.metadata?.resourceVersion;
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') {
          const rec = project(kind, obj);
          if (rec) this.store.apply(ev.type, rec);
        }
        if (rv) this.resourceVersion = rv;
      },
      {
        signal,
        idleTimeoutMs: this.opts.idleTimeoutMs,
        onOpen: () => {
          onOpened();
          this.store.setStatus(kind, { state: 'synced', message: '' });
        },
      },
    );
  }
}
