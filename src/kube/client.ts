// A small Kubernetes HTTP client: one keep-alive agent per context, auth from the kubeconfig
// (tokens, client certs, exec plugins, proxy-url via @kubernetes/client-node's KubeConfig),
// timeouts on everything, and streaming for watches and logs.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { bodyText } from '../util/body-text';
import { KubeConfig } from '@kubernetes/client-node';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string;
  /** Whole-request timeout for plain requests; idle timeout for streams. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A failed API call: an HTTP status with the apiserver's Status, or a transport error (status 0). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string = '',
    /** Transport error code (ECONNREFUSED, ETIMEDOUT, …) when status is 0. */
    readonly code: string = '',
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  object: any;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const AUTH_REUSE_MS = 5 * 60_000;

function describeTransportError(e: NodeJS.ErrnoException, server: string): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot reach the API server at ${server}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach the API server at ${server}: host not found`;
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return `cannot reach the API server at ${server}: timed out`;
    case 'ECONNRESET':
      return `connection to ${server} was reset`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach the API server at ${server}: network unreachable`;
    default:
      if (e.code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(e.code)) return `TLS error talking to ${server}: ${e.message}`;
      return `request to ${server} failed: ${e.message}`;
  }
}

/** The message of a Kubernetes Status body, else a short description of the HTTP status. */
export function statusMessage(status: number, text: string): { message: string; reason: string; body?: unknown } {
  try {
    const body = JSON.parse(text);
    if (body && typeof body.message === 'string') return { message: body.message, reason: String(body.reason ?? ''), body };
  } catch {
    // not JSON: fall through
  }
  const snippet = text.trim().split('\n')[0].slice(0, 200);
  return { message: `${status} ${http.STATUS_CODES[status] ?? ''}${snippet ? `: ${snippet}` : ''}`.trim(), reason: http.STATUS_CODES[status] ?? '' };
}

export function buildQuery(q: Query | undefined): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The headers client-node's auth put in request options (bearer token, basic auth). */
function headersOf(o: https.RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
  return headers;
}

export class KubeClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly authConfig: KubeConfig;
  private closed = false;
  private auth: { at: number; headers: Record<string, string> } | undefined;
  /** Whether the latest request went out with a reused credential (a 401 then merits one retry). */
  private reusedAuth = false;

  private constructor(kc: KubeConfig, agent: http.Agent, authConfig: KubeConfig, first: https.RequestOptions) {
    this.url = new URL(kc.getCurrentCluster()!.server);
    this.agent = agent;
    this.authConfig = authConfig;
    // The credential that building the client got is the first requests' (a plugin runs once).
    this.auth = { at: Date.now(), headers: headersOf(first) };
  }

  /** Builds the client for the kubeconfig's current context. */
  static async create(kc: KubeConfig): Promise<KubeClient> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ApiError('no cluster in the current context', 0, '', 'ECONFIG');
    const server = cluster.server;
    // client-node refuses plain-http servers without skip-tls-verify (kubectl does not, e.g. `kubectl proxy`):
    // apply auth through a copy that marks the cluster as not verifying TLS, which plain http never does anyway.
    let authConfig = kc;
    if (server.startsWith('http:') && !cluster.skipTLSVerify) {
      authConfig = new KubeConfig();
      authConfig.loadFromOptions({
        clusters: kc.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
        users: kc.users,
        contexts: kc.contexts,
        currentContext: kc.currentContext,
      });
    }
    const opts: https.RequestOptions = {};
    await authConfig.applyToHTTPSOptions(opts);
    let agent: http.Agent;
    if (cluster.proxyUrl) {
      agent = opts.agent as http.Agent; // client-node's proxy agent, made once and reused
    } else if (server.startsWith('http:')) {
      agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 30_000 });
    } else {
      // One TLS context for every connection, made once: with ca/cert/key as options instead, the
      // agent turns those Buffers into a string on every request (its pool key) and each new
      // connection parses the CA and key again (a usage round opens many).
      agent = new https.Agent({
        keepAlive: true,
        keepAliveMsecs: 30_000,
        secureContext: tls.createSecureContext({ ca: opts.ca, cert: opts.cert, key: opts.key }),
        ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
        ...(opts.servername ? { servername: opts.servername } : {}),
      });
    }
    return new KubeClient(kc, agent, authConfig, opts);
  }

  get server(): string {
    return this.url.origin;
  }

  /**
   * Auth headers, reused for a while: client-node runs an exec credential plugin again on every
   * call when the credential has no expirationTimestamp, and plugins like `aws eks get-token`
   * take a second. kubectl keeps such credentials until the server answers 401; so do we.
   */
  private async authHeaders(): Promise<Record<string, string>> {
    const now = Date.now();
    if (this.auth && now - this.auth.at < AUTH_REUSE_MS) {
      this.reusedAuth = true;
      return this.auth.headers;
    }
    this.reusedAuth = false;
    // Requests sent together (the lists of every kind) share one run of the plugin.
    this.authPending ??= this.freshAuth(now).finally(() => (this.authPending = undefined));
    return this.authPending;
  }

  private authPending: Promise<Record<string, string>> | undefined;

  private async freshAuth(now: number): Promise<Record<string, string>> {
    const o: https.RequestOptions = {};
    await this.authConfig.applyToHTTPSOptions(o);
    const headers = headersOf(o);
    this.auth = { at: now, headers };
    return headers;
  }

  private async headers(extra: Record<string, string>): Promise<Record<string, string>> {
    return { 'User-Agent': 'csi-top', ...(await this.authHeaders()), ...extra };
  }

  /** A 401 means the credential expired or was revoked: get a fresh one next time. */
  private rejected(status: number) {
    if (status === 401) this.auth = undefined;
  }

  private async open(method: string, path: string, opts: RequestOptions, accept: string): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    if (this.closed) throw new ApiError('client closed', 0, '', 'ECLOSED');
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers = await this.headers({
      Accept: accept,
      ...(body !== undefined ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': String(Buffer.byteLength(body)) } : {}),
    });
    const mod = this.url.protocol === 'https:' ? https : http;
    const basePath = this.url.pathname.replace(/\/$/, '');
    return await new Promise((resolve, reject) => {
      const req = mod.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          method,
          path: basePath + path + buildQuery(opts.query),
          headers,
          agent: this.agent,
        },
        (res) => resolve({ req, res }),
      );
      req.on('error', (e: NodeJS.ErrnoException) => reject(this.transportError(e, opts.signal)));
      const signal = opts.signal;
      if (signal) {
        if (signal.aborted) req.destroy(new Error('aborted'));
        else {
          const onAbort = () => req.destroy(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
          signal.addEventListener('abort', onAbort, { once: true });
          // One signal serves many requests (a list's pages): let go of each when it is done.
          req.on('close', () => signal.removeEventListener('abort', onAbort));
        }
      }
      req.setTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.end(body);
    });
  }

  private transportError(e: NodeJS.ErrnoException, signal?: AbortSignal): ApiError {
    if (e instanceof ApiError) return e;
    if (signal?.aborted || e.code === 'ABORT_ERR') return new ApiError('aborted', 0, '', 'ABORT_ERR');
    return new ApiError(describeTransportError(e, this.server), 0, '', e.code ?? 'EUNKNOWN');
  }

  private async readAll(res: http.IncomingMessage, signal?: AbortSignal): Promise<Buffer> {
    const chunks: Buffer[] = [];
    try {
      for await (const c of res) chunks.push(c as Buffer);
    } catch (e) {
      throw this.transportError(e as NodeJS.ErrnoException, signal);
    }
    return Buffer.concat(chunks);
  }

  /** Sends a request and returns the body parsed as JSON; non-2xx becomes an ApiError with the Status message. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const text = bodyText(await this.requestBytes(method, path, opts));
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The JSON body's bytes, unparsed: a list page's head is read before the page is parsed. */
  async requestBytes(method: string, path: string, opts: RequestOptions = {}): Promise<Buffer> {
    try {
      return await this.requestBody(method, path, opts, 'application/json');
    } catch (e) {
      // One retry with a fresh credential when a reused one was refused.
      if ((e as ApiError).status !== 401 || !this.reusedAuth) throw e;
      return await this.requestBody(method, path, opts, 'application/json');
    }
  }

  private async requestBody(method: string, path: string, opts: RequestOptions, accept: string): Promise<Buffer> {
    const { req, res } = await this.open(method, path, opts, accept);
    // The socket timeout guards connecting and each read; the whole body must also arrive in time.
    const buf = await this.readAll(res, opts.signal);
    req.setTimeout(0);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      this.rejected(status);
      const m = statusMessage(status, bodyText(buf));
      throw new ApiError(m.message, status, m.reason, '', m.body);
    }
    return buf;
  }

  /**
   * Streams a response body chunk by chunk (logs). Resolves when the server ends the stream;
   * rejects with ApiError on non-2xx, transport errors, or `timeoutMs` of silence.
   */
  async stream(path: string, opts: RequestOptions & { onOpen?: () => void }, onData: (chunk: string) => void, accept = '*/*'): Promise<void> {
    const { req, res } = await this.open('GET', path, opts, accept);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      this.rejected(status);
      const text = (await this.readAll(res, opts.signal)).toString('utf8');
      const m = statusMessage(status, text);
      throw new ApiError(m.message, status, m.reason, '', m.body);
    }
    opts.onOpen?.();
    res.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      // An error thrown by the consumer ends the stream and is passed on unchanged.
      let consumerError: unknown;
      const fail = (e: NodeJS.ErrnoException) => reject(consumerError ?? this.transportError(e, opts.signal));
      res.on('data', (c: string) => {
        if (consumerError) return;
        try {
          onData(c);
        } catch (e) {
          // Destroy without the error: Node re-emits it on the socket, where nobody listens.
          consumerError = e;
          reject(e);
          req.destroy();
        }
      });
      res.on('end', () => (consumerError ? reject(consumerError) : resolve()));
      res.on('error', fail);
      res.on('aborted', () => fail(Object.assign(new Error('stream aborted'), { code: 'ECONNRESET' })));
      req.on('error', fail);
      // A server that closes the socket without ending the chunked body leaves only 'close'.
      res.on('close', () => (res.complete ? undefined : fail(Object.assign(new Error('stream closed'), { code: 'ECONNRESET' }))));
    });
  }

  /** Runs a watch request, calling onEvent per line of the stream; resolves when the server ends it. */
  async watch(path: string, query: Query, onEvent: (e: WatchEvent) => void, opts: { signal?: AbortSignal; idleTimeoutMs?: number; onOpen?: () => void } = {}): Promise<void> {
    let rest = '';
    await this.stream(path, { query: { ...query, watch: 'true' }, signal: opts.signal, timeoutMs: opts.idleTimeoutMs ?? 5 * 60_000, onOpen: opts.onOpen }, (chunk) => {
      if (chunk.indexOf('\n') < 0) {
        rest += chunk;
        return;
      }
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as WatchEvent);
    }, 'application/json');
    if (rest.trim()) onEvent(JSON.parse(rest) as WatchEvent);
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }
}
