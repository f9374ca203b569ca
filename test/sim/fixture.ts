// The seam between the API protocol tests and the server they run against. Today that is the
// simulator; the same tests are meant to run against a real kube-apiserver later, so everything
// server-specific lives here: starting the server, the admin token, and `sim` (present only for
// the simulator) for fault injection and direct seeding. Tests that need `sim` use `simIt`.
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

export async function startTarget(opts: SimOptions = {}): Promise<Target> {
  if (external) {
    const caPem = process.env.KUBE_TEST_CA ? readFileSync(process.env.KUBE_TEST_CA, 'utf8') : undefined;
    return { url: external, caPem, token: process.env.KUBE_TEST_TOKEN ?? '', close: async () => {} };
  }
  const sim = await startSimulator({ tls: false, ...opts, users: { 'admin-token': 'admin', 'restricted-token': 'restricted', ...opts.users } });
  return { url: sim.url, httpsUrl: sim.httpsUrl, caPem: sim.caPem, token: 'admin-token', sim, close: () => sim.close() };
}

/** `it` for tests that inject faults, seed state or read logs/stats through the simulator. */
export const simIt = external ? it.skip : it;

/** The simulator behind a target, for sim-only tests. */
export function simOf(t: Target): Simulator {
  if (!t.sim) throw new Error('this test needs the simulator');
  return t.sim;
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
    payload = Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
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

  /** Creates a namespace with a unique name for one test. */
  async namespace(prefix = 'test'): Promise<string> {
    const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
    const r = await this.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (r.status !== 201) throw new Error(`namespace ${name}: ${r.status} ${r.text}`);
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

export const pod = (name: string, extra: Record<string, any> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(extra.metadata ?? {}) },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...(extra.spec ?? {}) },
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
