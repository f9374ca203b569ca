// Harness for the end-to-end tests: a real kube-apiserver (built from k8s.io/kubernetes by
// test/e2e/build.sh) with an embedded etcd, on loopback ports, plus a small raw HTTP client.
//
// Deliberately independent of csi-top's own client code (src/kube): the e2e tests exercise that
// client against this server, so the harness must not share its mistakes. Node's https only.
//
//   const cp = await startControlPlane();
//   const ns = await cp.admin.createNamespace('e2e');          // + its "default" ServiceAccount
//   await cp.admin.apply({ apiVersion: 'v1', kind: 'Pod', ..., status: { phase: 'Running' } });
//   const r = await cp.restricted.request('GET', '/api/v1/pods'); // r.status === 403
//   await cp.compact(); await cp.restartApiserver(); await cp.stop();
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BUILD_SCRIPT = path.join(HERE, 'build.sh');

/** Finalizers that only kube-controller-manager removes; there is none here. */
export const CONTROLLER_FINALIZERS = ['kubernetes.io/pvc-protection', 'kubernetes.io/pv-protection'];

// ---------------------------------------------------------------------------------------------
// Locating the binary

/**
 * The control plane binary: $CSI_TOP_E2E_CONTROLPLANE (set by the e2e global setup), or the
 * cached build if there is one. Never builds here (a cold build takes minutes; run
 * `bash test/e2e/build.sh` or `npm run test:e2e`).
 */
export function controlPlaneBinary(): string {
  const fromEnv = process.env.CSI_TOP_E2E_CONTROLPLANE;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CSI_TOP_E2E_CONTROLPLANE=${fromEnv} does not exist`);
    return fromEnv;
  }
  try {
    const out = execFileSync('bash', [BUILD_SCRIPT, '--check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim().split('\n').pop()!;
  } catch (err) {
    const e = err as { stderr?: string };
    throw new Error(`the e2e control plane is not built: run \`npm run test:e2e\` (or \`bash test/e2e/build.sh\`) first\n${e.stderr ?? ''}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP client

export interface KubeResponse<T = any> {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the response is JSON, else the text. */
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Defaults to application/json for bodies; pass e.g. application/merge-patch+json. */
  contentType?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';
const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** A Kubernetes Status from a failed request, with the status code. */
export class KubeError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly response: KubeResponse,
  ) {
    const s = response.body as { reason?: string; message?: string } | string;
    const detail = typeof s === 'object' && s ? `${s.reason ?? ''}: ${s.message ?? ''}` : String(s).slice(0, 500);
    super(`${method} ${path} -> ${response.status} ${detail}`);
  }
  get status(): number {
    return this.response.status;
  }
  get reason(): string | undefined {
    return (this.response.body as { reason?: string })?.reason;
  }
}

export interface WatchEvent<T = any> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface Watch<T = any> {
  /** HTTP status of the watch response (200 even when the first event is a 410 ERROR). */
  status: number;
  /** The next event; rejects after timeoutMs, or when the stream ends before one arrives. */
  next(timeoutMs?: number): Promise<WatchEvent<T>>;
  /** Every event received so far (including ones already returned by next()). */
  readonly received: WatchEvent<T>[];
  readonly ended: boolean;
  close(): void;
}

interface ResourceInfo {
  name: string;
  namespaced: boolean;
  kind: string;
}

export interface ObjectLike {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string; [k: string]: any };
  [k: string]: any;
}

/** A raw client for one user (bearer token). */
export class KubeHttp {
  private agent: https.Agent;
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(
    readonly server: string,
    readonly token: string,
    readonly caPem: string,
  ) {
    this.agent = new https.Agent({ ca: caPem, keepAlive: true, maxSockets: 16 });
  }

  /** Drops pooled connections (the next request opens a new one). */
  close(): void {
    this.agent.destroy();
    this.agent = new https.Agent({ ca: this.caPem, keepAlive: true, maxSockets: 16 });
  }

  /** Any request; never throws for HTTP status codes. */
  request<T = any>(method: string, urlPath: string, opts: RequestOptions = {}): Promise<KubeResponse<T>> {
    const url = new URL(urlPath, this.server);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let payload: Buffer | undefined;
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.token}`, ...opts.headers };
    if (opts.body !== undefined) {
      payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.agent, timeout: opts.timeoutMs ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) {
            try {
              body = JSON.parse(text);
            } catch {
              /* keep text */
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like request(), but throws KubeError unless the status is 2xx; returns the body. */
  async call<T = any>(method: string, urlPath: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.request<T>(method, urlPath, opts);
    if (res.status < 200 || res.status > 299) throw new KubeError(method, urlPath, res);
    return res.body;
  }

  get<T = any>(urlPath: string, query?: RequestOptions['query']): Promise<T> {
    return this.call<T>('GET', urlPath, { query });
  }

  patch<T = any>(urlPath: string, body: unknown, type: PatchType = 'merge', query?: RequestOptions['query']): Promise<T> {
    return this.call<T>('PATCH', urlPath, { body, contentType: PATCH_CONTENT_TYPE[type], query });
  }

  /** Streams a watch (`?watch=1` is added). */
  watch<T = any>(urlPath: string, query: RequestOptions['query'] = {}): Promise<Watch<T>> {
    const url = new URL(urlPath, this.server);
    for (const [k, v] of Object.entries({ ...query, watch: 1 })) if (v !== undefined) url.searchParams.set(k, String(v));
    return new Promise((resolve, reject) => {
      const received: WatchEvent<T>[] = [];
      const queue: WatchEvent<T>[] = [];
      const waiters: Array<{ resolve: (e: WatchEvent<T>) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }> = [];
      let ended = false;
      let endError: Error | undefined;
      const finish = (err?: Error) => {
        if (ended) return;
        ended = true;
        endError = err;
        for (const w of waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(err ?? new Error(`watch ${url.pathname}${url.search} ended`));
        }
      };
      const push = (e: WatchEvent<T>) => {
        received.push(e);
        const w = waiters.shift();
        if (w) {
          clearTimeout(w.timer);
          w.resolve(e);
        } else queue.push(e);
      };
      const req = https.request(
        url,
        { method: 'GET', agent: false, ca: this.caPem, headers: { Accept: 'application/json', Authorization: `Bearer ${this.token}` } },
        (res) => {
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              try {
                push(JSON.parse(line) as WatchEvent<T>);
              } catch {
                push({ type: 'ERROR', object: { kind: 'Status', message: `unparsable watch line: ${line}` } as any });
              }
            }
          });
          res.on('end', () => {
            // A non-200 response is one Status object, not newline-terminated events.
            if (buf.trim() && res.statusCode !== 200) {
              try {
                push({ type: 'ERROR', object: JSON.parse(buf) });
              } catch {
                /* ignore */
              }
            }
            finish();
          });
          res.on('error', (e) => finish(e));
          resolve({
            status: res.statusCode ?? 0,
            received,
            get ended() {
              return ended;
            },
            next(timeoutMs = 10_000) {
              const e = queue.shift();
              if (e) return Promise.resolve(e);
              if (ended) return Promise.reject(endError ?? new Error(`watch ${url.pathname}${url.search} ended`));
              return new Promise((res2, rej2) => {
                const timer = setTimeout(() => {
                  const i = waiters.findIndex((w) => w.timer === timer);
                  if (i >= 0) waiters.splice(i, 1);
                  rej2(new Error(`no watch event on ${url.pathname}${url.search} within ${timeoutMs} ms`));
                }, timeoutMs);
                waiters.push({ resolve: res2, reject: rej2, timer });
              });
            },
            close() {
              req.destroy();
              finish();
            },
          });
        },
      );
      req.on('error', (e) => {
        finish(e);
        reject(e);
      });
      req.end();
    });
  }

  // ---- object helpers (discovery-based: any kind the server serves) ----

  private resources(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    let p = this.discovery.get(apiVersion);
    if (!p) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.get<{ resources: ResourceInfo[] }>(base).then((list) => {
        const byKind = new Map<string, ResourceInfo>();
        for (const r of list.resources) if (!r.name.includes('/')) byKind.set(r.kind, r);
        return byKind;
      });
      p.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  /** The collection path for a kind, e.g. /api/v1/namespaces/ns/pods. */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const info = (await this.resources(apiVersion)).get(kind);
    if (!info) throw new Error(`the server does not serve kind ${kind} in ${apiVersion}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    if (info.namespaced) {
      if (!namespace) throw new Error(`${kind} is namespaced: metadata.namespace is required`);
      return `${base}/namespaces/${encodeURIComponent(namespace)}/${info.name}`;
    }
    return `${base}/${info.name}`;
  }

  /** The object's own path, e.g. /api/v1/namespaces/ns/pods/name. */
  async objectPath(obj: ObjectLike): Promise<string> {
    if (!obj.metadata.name) throw new Error(`${obj.kind} has no metadata.name`);
    return `${await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace)}/${encodeURIComponent(obj.metadata.name)}`;
  }

  /** POST the object (without status); returns what the server stored. */
  async create<T extends ObjectLike = any>(obj: ObjectLike, query?: RequestOptions['query']): Promise<T> {
    const { status: _status, ...spec } = obj;
    return this.call<T>('POST', await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace), { body: spec, query });
  }

  /**
   * Sets the object's status through the status subresource (merge patch of `status`; lists in
   * status are replaced as a whole).
   */
  async setStatus<T extends ObjectLike = any>(obj: ObjectLike, status: unknown): Promise<T> {
    return this.patch<T>(`${await this.objectPath(obj)}/status`, { status }, 'merge');
  }

  /**
   * Creates the object, then (if it has one) sets its status through /status, as the controllers
   * and the kubelet would. Returns the stored object. Admission applies: a PVC or PV comes back
   * with the kubernetes.io/pvc-protection or pv-protection finalizer (see removeObject).
   */
  async apply<T extends ObjectLike = any>(obj: ObjectLike): Promise<T> {
    const created = await this.create<T>(obj);
    if (obj.status !== undefined && obj.status !== null && Object.keys(obj.status).length > 0) {
      return this.setStatus<T>({ ...obj, metadata: { ...obj.metadata, name: created.metadata.name } }, obj.status);
    }
    return created;
  }

  /** apply() for each object in order. */
  async applyAll(objs: ObjectLike[]): Promise<any[]> {
    const out = [];
    for (const o of objs) out.push(await this.apply(o));
    return out;
  }

  /** GET the object's current state. */
  async read<T extends ObjectLike = any>(obj: ObjectLike): Promise<T> {
    return this.get<T>(await this.objectPath(obj));
  }

  /**
   * Removes the finalizers only kube-controller-manager would remove (pvc-protection,
   * pv-protection) from the object, keeping any others. Returns the updated object, or null if it
   * is gone. Harmless when there are none.
   */
  async stripControllerFinalizers<T extends ObjectLike = any>(obj: ObjectLike): Promise<T | null> {
    const p = await this.objectPath(obj);
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await this.request<T>('GET', p);
      if (res.status === 404) return null;
      if (res.status !== 200) throw new KubeError('GET', p, res);
      const cur = res.body;
      const finalizers: string[] = cur.metadata.finalizers ?? [];
      const keep = finalizers.filter((f) => !CONTROLLER_FINALIZERS.includes(f));
      if (keep.length === finalizers.length) return cur;
      // A JSON patch guarded by resourceVersion: no lost update with a concurrent writer.
      const upd = await this.request<T>('PATCH', p, {
        body: [
          { op: 'test', path: '/metadata/resourceVersion', value: cur.metadata.resourceVersion },
          { op: 'replace', path: '/metadata/finalizers', value: keep },
        ],
        contentType: PATCH_CONTENT_TYPE.json,
      });
      if (upd.status === 200) return upd.body;
      if (upd.status === 404) return null;
      if (upd.status !== 409 && upd.status !== 422) throw new KubeError('PATCH', p, upd);
    }
    throw new Error(`could not strip finalizers from ${p}: it keeps changing`);
  }

  /**
   * Deletes the object for good, as a cluster with controllers and kubelets would end up doing:
   * strips the controller-only finalizers, and deletes pods with gracePeriodSeconds=0 by default
   * (no kubelet here finishes a graceful deletion). Resolves once the object is gone (404).
   */
  async removeObject(obj: ObjectLike, opts: { gracePeriodSeconds?: number; timeoutMs?: number } = {}): Promise<void> {
    const p = await this.objectPath(obj);
    const grace = opts.gracePeriodSeconds ?? (obj.kind === 'Pod' ? 0 : undefined);
    const res = await this.request('DELETE', p, { query: { gracePeriodSeconds: grace } });
    if (res.status === 404) return;
    if (res.status !== 200 && res.status !== 202) throw new KubeError('DELETE', p, res);
    await this.stripControllerFinalizers(obj);
    await waitFor(async () => (await this.request('GET', p)).status === 404, { timeoutMs: opts.timeoutMs ?? 10_000, what: `${p} to be gone` });
  }

  /**
   * Creates a namespace (name + random suffix unless exact) and its "default" ServiceAccount:
   * the ServiceAccount admission plugin (on, as in any cluster) refuses pods in a namespace
   * without one, and there is no controller-manager here to create it. Namespaces cannot be
   * deleted for good (no namespace controller finalizes them): use a fresh one per test.
   */
  async createNamespace(name: string, opts: { exact?: boolean; labels?: Record<string, string> } = {}): Promise<string> {
    const ns = opts.exact ? name : `${name}-${randomBytes(3).toString('hex')}`;
    await this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: opts.labels } });
    await this.ensureDefaultServiceAccount(ns);
    return ns;
  }

  /** Creates the "default" ServiceAccount in a namespace if it is missing. */
  async ensureDefaultServiceAccount(namespace: string): Promise<void> {
    const res = await this.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts`, {
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } },
    });
    if (res.status !== 201 && res.status !== 409) throw new KubeError('POST', 'serviceaccounts', res);
  }

  /** The server's current resourceVersion (from a cheap list). */
  async currentResourceVersion(): Promise<string> {
    const list = await this.get<{ metadata: { resourceVersion: string } }>('/api/v1/namespaces', { limit: 1 });
    return list.metadata.resourceVersion;
  }
}

/** Polls until fn() is true. */
export async function waitFor(fn: () => Promise<boolean> | boolean, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

// ---------------------------------------------------------------------------------------------
// The control plane

export interface ControlPlaneOptions {
  /** kube-apiserver --watch-cache (default true, as in real clusters). */
  watchCache?: boolean;
  /** Extra kube-apiserver flags, e.g. ['--feature-gates=Foo=true']. */
  apiserverArgs?: string[];
  /** kube-apiserver log verbosity (default 1); the log is in <dataDir>/logs/kube-apiserver.log. */
  verbosity?: number;
  /** Time allowed for start-up (default 120 s: the machines are slow and shared). */
  timeoutMs?: number;
  /** Keep the data dir (etcd, certificates, logs) after stop(); also CSI_TOP_E2E_KEEP=1. */
  keepData?: boolean;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port>; stays the same across restartApiserver(). */
  server: string;
  /** Kubeconfig files (token auth, CA embedded, context namespace "default"). */
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  /** "admin" is in system:masters; "restricted" only in system:authenticated (no RBAC at all). */
  adminToken: string;
  restrictedToken: string;
  caPem: string;
  /** The CA certificate file (PEM). */
  caFile: string;
  dataDir: string;
  logDir: string;
  etcdUrl: string;
  /** Raw clients for the two users. */
  admin: KubeHttp;
  restricted: KubeHttp;
  /** A raw client with any bearer token (e.g. a ServiceAccount token). */
  client(token: string): KubeHttp;
  /** Compacts etcd at its current revision; returns that revision. */
  compact(): Promise<number>;
  /**
   * Stops kube-apiserver and starts it again on the same port with the same certificates and
   * tokens; etcd (and so every object and the revision) is kept. Open watches end. Resolves when
   * /readyz is 200 again. `watchCache` changes --watch-cache for the new process.
   */
  restartApiserver(opts?: { watchCache?: boolean }): Promise<void>;
  /** etcd's revision and compacted revision, the apiserver's pid. */
  status(): Promise<{ etcdRevision: number; etcdCompactRevision: number; apiserverPid: number; watchCache: boolean }>;
  /** The last `lines` lines of kube-apiserver's log. */
  apiserverLog(lines?: number): string;
  stop(): Promise<void>;
}

interface ReadyLine {
  ready: boolean;
  server: string;
  etcdUrl: string;
  controlUrl: string;
  controlToken: string;
  adminKubeconfig: string;
  restrictedKubeconfig: string;
  adminToken: string;
  restrictedToken: string;
  caFile: string;
  dataDir: string;
  logDir: string;
  startupMillis: number;
}

const running = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts the control plane (the cached binary from test/e2e/build.sh): embedded etcd, then
 * kube-apiserver. Resolves when it is ready (/readyz 200 and the default namespace exists).
 */
export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const bin = controlPlaneBinary();
  const root = mkdtempSync(path.join(os.tmpdir(), 'csi-top-e2e-'));
  const dataDir = path.join(root, 'data');
  const kubeconfigDir = path.join(root, 'kubeconfig');
  const keep = opts.keepData || process.env.CSI_TOP_E2E_KEEP === '1';
  const args = ['-kubeconfig-dir', kubeconfigDir, '-data-dir', dataDir, `-watch-cache=${opts.watchCache ?? true}`, '-v', String(opts.verbosity ?? 1)];
  if (opts.apiserverArgs?.length) args.push('--', ...opts.apiserverArgs);
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));
  const apiserverLogFile = path.join(dataDir, 'logs', 'kube-apiserver.log');

  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    let out = '';
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const timer = setTimeout(() => fail(new Error(`the control plane was not ready within ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const log = tail(apiserverLogFile, 30);
      err.message += `\n--- controlplane stderr ---\n${stderr.slice(-4000)}${log ? `\n--- kube-apiserver.log (tail) ---\n${log}` : ''}`;
      if (!keep) rmSync(root, { recursive: true, force: true });
      reject(err);
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl).trim();
        out = out.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(line) as ReadyLine;
          if (parsed.ready) {
            clearTimeout(timer);
            resolve(parsed);
          }
        } catch {
          /* not ours */
        }
      }
    });
    void exited.then((code) => fail(new Error(`the control plane exited with code ${code} before it was ready`)));
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end(); // the control plane exits on stdin EOF
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    }
    if (!keep) rmSync(root, { recursive: true, force: true });
  };
  try {
    return await controlPlaneFrom(ready, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Where a worker finds the run's shared control plane (set by the e2e global setup). */
export const SHARED_ENV = 'CSI_TOP_E2E_SHARED';

/**
 * The control plane the e2e global setup started for the whole run (one etcd + kube-apiserver
 * shared by every file that does not need an empty cluster; files run one at a time). stop()
 * only drops this worker's connections: the global setup's teardown ends the process. A file
 * that restarts the apiserver or changes RBAC puts it back as it was.
 */
export async function sharedControlPlane(): Promise<ControlPlane> {
  const raw = process.env[SHARED_ENV];
  if (!raw) throw new Error(`${SHARED_ENV} is not set: run e2e tests with \`npm run test:e2e\` (vitest.e2e.config.ts starts the shared control plane)`);
  return controlPlaneFrom(JSON.parse(raw) as ReadyLine, async () => {});
}

/** The ready line of a started control plane, for sharedControlPlane() in the test workers. */
export function readyLineOf(cp: ControlPlane): string {
  return JSON.stringify(readyLines.get(cp));
}

const readyLines = new WeakMap<ControlPlane, ReadyLine>();

async function controlPlaneFrom(ready: ReadyLine, stopProcess: () => Promise<void>): Promise<ControlPlane> {
  const apiserverLogFile = path.join(ready.logDir, 'kube-apiserver.log');
  const caPem = readFileSync(ready.caFile, 'utf8');
  const clients: KubeHttp[] = [];
  const client = (token: string) => {
    const c = new KubeHttp(ready.server, token, caPem);
    clients.push(c);
    return c;
  };
  const admin = client(ready.adminToken);
  const restricted = client(ready.restrictedToken);

  const control = async (method: string, p: string, body?: unknown): Promise<any> => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        new URL(p, ready.controlUrl),
        {
          method,
          agent: false,
          headers: { Authorization: `Bearer ${ready.controlToken}`, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            let parsed: any = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              /* text */
            }
            if ((res.statusCode ?? 0) >= 300) reject(new Error(`control ${method} ${p} -> ${res.statusCode}: ${parsed?.error ?? text}\n${tail(apiserverLogFile, 20)}`));
            else resolve(parsed);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  };

  // The ready line is printed after /readyz; check once more from this side (TLS with our CA).
  await waitFor(async () => (await admin.request('GET', '/readyz').catch(() => ({ status: 0 }))).status === 200, {
    timeoutMs: 30_000,
    what: '/readyz',
  });

  let stopped: Promise<void> | undefined;
  const cp: ControlPlane = {
    server: ready.server,
    adminKubeconfig: ready.adminKubeconfig,
    restrictedKubeconfig: ready.restrictedKubeconfig,
    adminToken: ready.adminToken,
    restrictedToken: ready.restrictedToken,
    caPem,
    caFile: ready.caFile,
    dataDir: ready.dataDir,
    logDir: ready.logDir,
    etcdUrl: ready.etcdUrl,
    admin,
    restricted,
    client,
    async compact() {
      const r = await control('POST', '/compact');
      return r.revision as number;
    },
    async restartApiserver(o = {}) {
      for (const c of clients) c.close(); // idle keep-alive sockets would point at the old process
      await control('POST', '/restart-apiserver', o.watchCache === undefined ? undefined : { watchCache: o.watchCache });
      await waitFor(async () => (await admin.request('GET', '/readyz').catch(() => ({ status: 0 }))).status === 200, {
        timeoutMs: 30_000,
        what: '/readyz after restart',
      });
    },
    status() {
      return control('GET', '/status');
    },
    apiserverLog(lines = 50) {
      return tail(apiserverLogFile, lines);
    },
    stop() {
      stopped ??= (async () => {
        for (const c of clients) c.close();
        await stopProcess();
      })();
      return stopped;
    },
  };
  readyLines.set(cp, ready);
  return cp;
}
