// A fake kubelet the real kube-apiserver's node proxy reaches: HTTPS on this machine's first
// non-loopback IPv4 address (the apiserver refuses loopback node addresses: 400 "address not
// allowed"), published as the Node's only address (InternalIP) and its status.daemonEndpoints
// kubelet port. kube-apiserver runs without --kubelet-certificate-authority here, so it does not
// verify the kubelet's certificate (as in many clusters), and it sends no client certificate.
//
// It serves what csi-top asks a kubelet for through the apiserver:
//  - GET /stats/summary: the simulator's Summary (src/sim/stats.ts) over the real server's pods on
//    this node, their claims and volumes, with `stats` for the numbers;
//  - GET /containerLogs/NS/POD/CONTAINER: the simulator's kubelet part of pod logs
//    (serveContainerLogs in src/sim/http/pod-logs.ts) from `logs`, for the pod as the real server
//    has it; its refusals as the kubelet words them (400, text/plain), a pod it does not know
//    404 `pod "x" does not exist`.
// So the kubelet's behaviour is the simulator's own; what these tests check independently is the
// apiserver's half: node address and port resolution, the proxy, option validation and container
// choice, query parameters passed on, streaming, and how kubelet errors come back.
import https from 'node:https';
import os from 'node:os';
import type { AddressInfo, Socket } from 'node:net';
import { generatePki } from '../../src/sim/tls';
import { LogStore } from '../../src/sim/logs';
import { kubeletForbidden, StatsConfig, summarize } from '../../src/sim/stats';
import { ObjectStore } from '../../src/sim/objects';
import { serveContainerLogs } from '../../src/sim/http/pod-logs';
import type { Exchange } from '../../src/sim/http/respond';
import { ApiError } from '../../src/sim/errors';
import type { KubeHttp } from './harness';

/** This machine's first non-loopback IPv4 address, or undefined when it has none. */
export function hostAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

export class FakeKubelet {
  readonly logs = new LogStore();
  readonly stats = new StatsConfig();
  /** Requests received (method and path with query), oldest first. */
  readonly requests: string[] = [];
  /** Answer nothing at all (a node that does not respond). */
  hang = false;
  /**
   * Refuse everything as a kubelet whose authorizer denies the apiserver's identity does (403,
   * text): the node proxy passes that through as it is, pod logs wrap it in a Status.
   */
  refuse = false;
  port = 0;
  private server: https.Server | undefined;
  private readonly open = new Set<Socket>();
  private readonly hanging = new Set<Exchange>();

  constructor(
    readonly node: string,
    private readonly api: KubeHttp,
    readonly address: string,
  ) {}

  /** Listens (on the same port again after stop(), when it had one). */
  async start(): Promise<void> {
    const pki = generatePki();
    const server = https.createServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
      this.requests.push(`${req.method} ${req.url}`);
      if (this.hang) return;
      void this.handle(req, res).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(e?.message ?? e));
      });
    });
    server.on('connection', (s: Socket) => {
      this.open.add(s);
      s.on('close', () => this.open.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '0.0.0.0', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every connection (a kubelet that went away). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.open) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Creates (or updates) the Node: Ready, this kubelet's address and port, no taints. */
  async register(): Promise<void> {
    const status = {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: this.address }],
      daemonEndpoints: { kubeletEndpoint: { Port: this.port } },
    };
    const res = await this.api.request('GET', `/api/v1/nodes/${this.node}`);
    if (res.status === 404) await this.api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: this.node, labels: { 'kubernetes.io/hostname': this.node } } });
    await this.api.patch(`/api/v1/nodes/${this.node}/status`, { status }, 'merge');
    // TaintNodesByCondition's not-ready taint, which the node lifecycle controller would remove.
    await this.api.patch(`/api/v1/nodes/${this.node}`, { spec: { taints: null } }, 'merge');
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const text = (code: number, body: string) => {
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(body);
    };
    if (this.refuse) {
      return text(403, kubeletForbidden(url.pathname.startsWith('/stats') ? 'stats' : 'proxy'));
    }
    if (req.method === 'GET' && url.pathname === '/stats/summary') {
      const [pods, claims, volumes, node] = await Promise.all([
        this.api.get('/api/v1/pods', { fieldSelector: `spec.nodeName=${this.node}` }),
        this.api.get('/api/v1/persistentvolumeclaims'),
        this.api.get('/api/v1/persistentvolumes'),
        this.api.get(`/api/v1/nodes/${this.node}`),
      ]);
      // The simulator's store as a read-only index over what the real server holds.
      const store = new ObjectStore();
      const typed = (list: any, kind: string) => list.items.map((o: any) => ({ ...o, kind, apiVersion: 'v1' }));
      store.load([...typed(pods, 'Pod'), ...typed(claims, 'PersistentVolumeClaim'), ...typed(volumes, 'PersistentVolume')]);
      const body = JSON.stringify(summarize(this.stats, store, node));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
      return;
    }
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const [ns, name, container] = [m[1], m[2], m[3]].map((x) => decodeURIComponent(x ?? ''));
      const got = await this.api.request('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
      if (got.status !== 200 || got.body.spec?.nodeName !== this.node) return text(404, `pod "${name}" does not exist`);
      const pod = got.body;
      const ex: Exchange = { req, res, path: url.pathname, query: url.searchParams, user: 'kube-apiserver' };
      // The kubelet ends a followed stream when its pod goes away.
      const watchPod = (gone: () => void) => {
        const timer = setInterval(() => {
          void this.api.request('GET', `/api/v1/namespaces/${ns}/pods/${name}`).then((r) => {
            if (r.status === 404 || r.body?.metadata?.uid !== pod.metadata.uid) gone();
          });
        }, 200);
        return () => clearInterval(timer);
      };
      try {
        serveContainerLogs({ logs: this.logs, hanging: this.hanging }, ex, pod, container, watchPod);
      } catch (e) {
        if (e instanceof ApiError) return text(e.status.code, e.status.message ?? '');
        throw e;
      }
      return;
    }
    text(404, '404 page not found\n');
  }
}
