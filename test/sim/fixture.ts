// The seam between the API protocol tests and the server they run against: the simulator, or a
// real kube-apiserver (the differential suite: `npm run test:e2e` runs test/sim/api-*.test.ts
// unchanged against the e2e control plane). Everything server-specific lives here: starting the
// server, the admin token, `sim` (present only for the simulator) for fault injection and direct
// seeding — tests that need `sim` use `simIt` — and the setup a real server needs that the
// simulator does not (see startTarget).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { it } from 'vitest';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/index';

export interface Target {
  url: string;
  httpsUrl?: string;
  caPem?: string;
  token: string;
  /** The simulator behind the URL, when it is one. */
  sim?: Simulator;
  close(): Promise<void>;
}

/** A real server to run against instead: KUBE_TEST_SERVER (URL), KUBE_TEST_TOKEN, KUBE_TEST_CA (PEM file). */
const external = process.env.KUBE_TEST_SERVER;
/** The e2e control plane behind KUBE_TEST_SERVER (test/e2e/setup.ts), which can compact and restart. */
const controlPlane = external && process.env.CSI_TOP_E2E_SHARED;

/**
 * The server the tests talk to. A real one gets, from here, what the simulator does by itself:
 * - a `default` ServiceAccount in every namespace `Api.namespace()` creates (the ServiceAccount
 *   admission plugin refuses pods without one; no controller-manager creates it);
 * - a stand-in kubelet that finishes graceful pod deletions (the final grace-0 DELETE) after
 *   `podDeletionDelayMs`, or min(grace, 2 s) — the simulator's own default.
 * Other options only configure the simulator (a real apiserver sends bookmarks about every
 * minute whatever `bookmarkIntervalMs` says).
 */
export async function startTarget(opts: SimOptions = {}): Promise<Target> {
  if (external) {
    const caPem = process.env.KUBE_TEST_CA ? readFileSync(process.env.KUBE_TEST_CA, 'utf8') : undefined;
    const token = process.env.KUBE_TEST_TOKEN ?? '';
    const kubelet = new PodFinisher(new Api(external, token, caPem), opts.podDeletionDelayMs);
    return { url: external, caPem, token, close: async () => kubelet.stop() };
  }
  const sim = await startSimulator({ tls: false, ...opts, users: { 'admin-token': 'admin', 'restricted-token': 'restricted', ...opts.users } });
  return { url: sim.url, httpsUrl: sim.httpsUrl, caPem: sim.caPem, token: 'admin-token', sim, close: () => sim.close() };
}

/** `it` for tests that inject faults, seed state or read logs/stats through the simulator. */
export const simIt = external ? it.skip : it;

/** `it` for tests that need expireHistory(): the simulator, or the e2e control plane. */
export const expiryIt = external && !controlPlane ? it.skip : it;

/**
 * Makes every resourceVersion so far too old, as a long disconnection from a real cluster does:
 * watches from them and continue tokens get 410. The simulator compacts its history; the e2e
 * control plane compacts etcd and restarts kube-apiserver (its watch cache otherwise keeps
 * serving them; see docs/testing.md). Returns the first resourceVersion still served.
 */
export async function expireHistory(t: Target): Promise<number> {
  if (t.sim) {
    t.sim.faults.compact();
    return t.sim.objects.currentRv();
  }
  if (!controlPlane) throw new Error('expireHistory needs the simulator or the e2e control plane');
  const { sharedControlPlane } = await import('../e2e/harness');
  const cp = await sharedControlPlane();
  try {
    const rv = await cp.compact();
    await cp.restartApiserver();
    return rv;
  } finally {
    await cp.stop();
  }
}

/**
 * The bearer token of "restricted", a user with no rights at all (only what every authenticated
 * user gets: discovery, /version, SelfSubjectAccessReview), or undefined when the target has no
 * such user: on the simulator every right is denied to it; the e2e control plane's
 * "restricted" user is bound to nothing (KUBE_TEST_RESTRICTED_TOKEN).
 */
export function restrictedUser(t: Target): string | undefined {
  if (t.sim) {
    t.sim.rbac.deny({ user: 'restricted', verb: '*', resource: '*' });
    return 'restricted-token';
  }
  return process.env.KUBE_TEST_RESTRICTED_TOKEN || undefined;
}

/** `it` for tests that need restrictedUser(). */
export const restrictedIt = external && !process.env.KUBE_TEST_RESTRICTED_TOKEN ? it.skip : it;

/** The simulator behind a target, for sim-only tests. */
export function simOf(t: Target): Simulator {
  if (!t.sim) throw new Error('this test needs the simulator');
  return t.sim;
}

/**
 * The kubelet's last step for a real server without kubelets: a pod bound to a node and deleted
 * gracefully keeps its deletionTimestamp until its kubelet deletes it with grace 0. Polls the pods
 * and does that after `delayMs` (the simulator's podDeletionDelayMs), uid-preconditioned.
 */
class PodFinisher {
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly api: Api,
    private readonly delayMs?: number,
  ) {
    this.schedule();
  }

  private schedule(): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.tick().finally(() => this.schedule()), 150);
  }

  private async tick(): Promise<void> {
    const list = await this.api.get('/api/v1/pods').catch(() => undefined);
    if (list?.status !== 200) return; // e.g. while the apiserver restarts
    const now = Date.now();
    for (const p of list.body.items ?? []) {
      const m = p.metadata;
      if (!m.deletionTimestamp || !p.spec?.nodeName) continue;
      const first = this.seen.get(m.uid) ?? now;
      this.seen.set(m.uid, first);
      const delay = this.delayMs ?? Math.min(m.deletionGracePeriodSeconds ?? 0, 2) * 1000;
      if (now - first < delay) continue;
      const path = `/api/v1/namespaces/${m.namespace}/pods/${m.name}`;
      await this.api.delete(path, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: m.uid } }).catch(() => undefined);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

export interface Reply<T = any> {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: T;
}

export interface RequestOpts {
  body?: unknown;
  contentType?: string;
  /** null: no Authorization header. */
  token?: string | null;
  ca?: string;
}

const agentless = { agent: false as const };

function send(base: string, method: string, path: string, o: RequestOpts & { defaultToken: string }): Promise<http.IncomingMessage> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = o.token === undefined ? o.defaultToken : o.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload: Buffer | undefined;
  if (o.body !== undefined) {
    payload = Buffer.isBuffer(o.body) ? o.body : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
    headers['Content-Type'] = o.contentType ?? 'application/json';
    // Node sends DELETE bodies without framing unless told their length.
    headers['Content-Length'] = String(payload.length);
  }
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers, ca: o.ca, ...agentless }, resolve);
    req.on('error', reject);
    req.end(payload);
  });
}

export class Api {
  constructor(
    readonly base: string,
    readonly token: string,
    private readonly ca?: string,
  ) {}

  async request<T = any>(method: string, path: string, o: RequestOpts = {}): Promise<Reply<T>> {
    const res = await send(this.base, method, path, { ca: this.ca, ...o, defaultToken: this.token });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: any = text;
    if (String(res.headers['content-type']).startsWith('application/json')) body = JSON.parse(text);
    return { status: res.statusCode ?? 0, headers: res.headers, text, body };
  }

  get = <T = any>(path: string, o?: RequestOpts) => this.request<T>('GET', path, o);
  post = <T = any>(path: string, body: unknown, o?: RequestOpts) => this.request<T>('POST', path, { ...o, body });
  put = <T = any>(path: string, body: unknown, o?: RequestOpts) => this.request<T>('PUT', path, { ...o, body });
  patch = <T = any>(path: string, body: unknown, contentType = 'application/merge-patch+json', o?: RequestOpts) => this.request<T>('PATCH', path, { ...o, body, contentType });
  delete = <T = any>(path: string, body?: unknown, o?: RequestOpts) => this.request<T>('DELETE', path, { ...o, body });

  /** Opens a watch (or any streaming GET) and collects its newline-delimited JSON events. */
  async watch(path: string, o: RequestOpts = {}): Promise<WatchStream> {
    const res = await send(this.base, 'GET', path, { ca: this.ca, ...o, defaultToken: this.token });
    return new WatchStream(res);
  }

  /** A streaming GET whose body the test reads itself (pod logs). */
  async stream(path: string, o: RequestOpts = {}): Promise<RawStream> {
    return new RawStream(await send(this.base, 'GET', path, { ca: this.ca, ...o, defaultToken: this.token }));
  }

  /** Creates a namespace with a unique name for one test (and, on a real server, its default ServiceAccount). */
  async namespace(prefix = 'test'): Promise<string> {
    const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
    const r = await this.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (r.status !== 201) throw new Error(`namespace ${name}: ${r.status} ${r.text}`);
    if (external) {
      const sa = await this.post(`/api/v1/namespaces/${name}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
      if (sa.status !== 201) throw new Error(`serviceaccount ${name}/default: ${sa.status} ${sa.text}`);
    }
    return name;
  }
}

export class WatchStream {
  readonly events: any[] = [];
  ended = false;
  error?: Error;
  private buf = '';
  private waiters: Array<() => void> = [];

  constructor(readonly res: http.IncomingMessage) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      this.buf += chunk;
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        if (line.trim()) this.events.push(JSON.parse(line));
      }
      this.wake();
    });
    res.on('end', () => {
      this.ended = true;
      this.wake();
    });
    res.on('error', (e) => {
      this.error = e;
      this.ended = true;
      this.wake();
    });
    res.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits until `pred` holds for the events so far (or the stream ends, or the timeout passes). */
  async until(pred: (events: any[]) => boolean, timeoutMs = 5000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.events)) {
      if (this.ended) throw new Error(`stream ended before the condition held; events: ${JSON.stringify(this.events.map((e) => e.type))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; events: ${JSON.stringify(this.events.map((e) => [e.type, e.object?.metadata?.name]))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.events;
  }

  /** Waits for the stream to end. */
  async end(timeoutMs = 5000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.events;
  }

  close(): void {
    this.res.destroy();
  }

  /** Object names of events of a type, in order. */
  names(type?: string): string[] {
    return this.events.filter((e) => !type || e.type === type).map((e) => e.object?.metadata?.name);
  }
}

/** A response body collected as raw bytes as it arrives. */
export class RawStream {
  private readonly chunks: Buffer[] = [];
  ended = false;

  constructor(readonly res: http.IncomingMessage) {
    res.on('data', (c: Buffer) => this.chunks.push(c));
    res.on('end', () => (this.ended = true));
    res.on('close', () => (this.ended = true));
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }

  close(): void {
    this.res.destroy();
  }
}

// ---- object builders (plain API JSON) ----

// automountServiceAccountToken: false keeps the ServiceAccount admission plugin of a real server
// from adding a projected token volume (the simulator has no such plugin; see src/sim/README.md).
export const pod = (name: string, extra: Record<string, any> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(extra.metadata ?? {}) },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], automountServiceAccountToken: false, ...(extra.spec ?? {}) },
});

export const pvc = (name: string, size = '1Gi', storageClassName?: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...(storageClassName ? { storageClassName } : {}) },
});

export const configMap = (name: string, labels?: Record<string, string>, data?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data: data ?? { k: 'v' },
});
