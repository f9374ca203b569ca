// Where usage numbers come from. `kubeletSource`: the kubelet Summary API through the apiserver's
// node proxy, one GET per node (`nodes/proxy` get). `prometheusSource`: one instant query to a
// Prometheus that scrapes kubelets (`kubelet_volume_stats_*`). Both return samples keyed
// `namespace/claim`; failures are errors with an HTTP `status` (0 for transport) and a `code`.
import http from 'node:http';
import https from 'node:https';
import type { UsageSample } from './types';

/** What the poller needs of the Kubernetes client (src/kube/client.ts KubeClient fits). */
export interface Requester {
  request<T = unknown>(method: string, path: string, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<T>;
}

export interface UsageSource {
  /** `kubelet` or `prometheus <url>`. */
  readonly name: string;
  /** One fetch per node (kubelet) or one for everything (prometheus). */
  readonly perNode: boolean;
  /** For perNode sources `target` is the node name; otherwise ignored. */
  fetch(target: string, signal: AbortSignal, timeoutMs: number): Promise<Map<string, UsageSample>>;
}

export class SourceError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code = '',
  ) {
    super(message);
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The PVC volumes of a kubelet `stats/summary` body. Volumes without byte figures are left out. */
export function parseSummary(body: unknown, node: string, now = Date.now()): Map<string, UsageSample> {
  const out = new Map<string, UsageSample>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pods: any[] = Array.isArray((body as any)?.pods) ? (body as any).pods : [];
  for (const p of pods) {
    for (const v of Array.isArray(p?.volume) ? p.volume : []) {
      const ref = v?.pvcRef;
      if (!ref?.name || typeof ref.name !== 'string') continue;
      const used = num(v.usedBytes);
      const capacity = num(v.capacityBytes);
      if (used === undefined || capacity === undefined) continue;
      const time = typeof v.time === 'string' ? Date.parse(v.time) : NaN;
      const s: UsageSample = {
        usedBytes: used,
        capacityBytes: capacity,
        availableBytes: num(v.availableBytes) ?? Math.max(0, capacity - used),
        inodesUsed: num(v.inodesUsed),
        inodes: num(v.inodes),
        inodesFree: num(v.inodesFree),
        time: Number.isFinite(time) ? time : now,
        node,
      };
      const key = `${ref.namespace ?? ''}/${ref.name}`;
      const had = out.get(key);
      if (!had || had.time < s.time) out.set(key, s);
    }
  }
  return out;
}

export function kubeletSource(client: () => Requester): UsageSource {
  return {
    name: 'kubelet',
    perNode: true,
    async fetch(node, signal, timeoutMs) {
      const body = await client().request('GET', `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`, { signal, timeoutMs });
      return parseSummary(body, node);
    },
  };
}

// ---- Prometheus ----

const METRICS: Readonly<Record<string, keyof Omit<UsageSample, 'time' | 'node'>>> = {
  kubelet_volume_stats_used_bytes: 'usedBytes',
  kubelet_volume_stats_capacity_bytes: 'capacityBytes',
  kubelet_volume_stats_available_bytes: 'availableBytes',
  kubelet_volume_stats_inodes: 'inodes',
  kubelet_volume_stats_inodes_used: 'inodesUsed',
  kubelet_volume_stats_inodes_free: 'inodesFree',
};

/** The one instant query: every kubelet_volume_stats_* series but the health one. */
export const PROMETHEUS_QUERY = `{__name__=~"${Object.keys(METRICS).join('|')}"}`;

/** Samples from a Prometheus instant-query response (`data.result` vector). */
export function parsePrometheus(body: unknown): Map<string, UsageSample> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const b = body as any;
  if (b?.status !== 'success' || b?.data?.resultType !== 'vector' || !Array.isArray(b.data.result)) {
    throw new SourceError(`unexpected Prometheus answer${typeof b?.error === 'string' ? `: ${b.error}` : ''}`, 200, 'EBADANSWER');
  }
  const partial = new Map<string, { fields: Partial<Record<string, number>>; time: number; node: string }>();
  for (const r of b.data.result) {
    const m = r?.metric ?? {};
    const field = METRICS[m.__name__];
    if (!field || !m.persistentvolumeclaim) continue;
    const [ts, text] = Array.isArray(r.value) ? r.value : [];
    const value = Number(text);
    if (!Number.isFinite(value)) continue;
    const key = `${m.namespace ?? ''}/${m.persistentvolumeclaim}`;
    let p = partial.get(key);
    if (!p) partial.set(key, (p = { fields: {}, time: 0, node: String(m.node ?? '') }));
    // Several series per PVC (scraped twice, or the pod moved): keep the newest value of each metric.
    const time = Number(ts) * 1000;
    if (p.fields[field] === undefined || time >= p.time) p.fields[field] = value;
    if (time > p.time) p.time = time;
  }
  const out = new Map<string, UsageSample>();
  for (const [key, p] of partial) {
    const f = p.fields;
    if (f.usedBytes === undefined || f.capacityBytes === undefined) continue;
    out.set(key, {
      usedBytes: f.usedBytes,
      capacityBytes: f.capacityBytes,
      availableBytes: f.availableBytes ?? Math.max(0, f.capacityBytes - f.usedBytes),
      inodesUsed: f.inodesUsed,
      inodes: f.inodes,
      inodesFree: f.inodesFree,
      time: p.time || Date.now(),
      node: p.node,
    });
  }
  return out;
}

/** GET of a URL as text, with basic auth from the URL's user:password, a timeout and an abort signal. */
function getText(url: URL, signal: AbortSignal, timeoutMs: number): Promise<{ status: number; text: string }> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'csi-top' };
    if (url.username) headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    const req = mod.get({ protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers, signal, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(e));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new SourceError(`Prometheus at ${url.origin}: ${e.message}`, 0, e.code ?? (signal.aborted ? 'ABORT_ERR' : 'EUNKNOWN'))));
  });
}

export function prometheusSource(base: string): UsageSource {
  const root = new URL(base);
  const url = new URL(`${root.pathname.replace(/\/$/, '')}/api/v1/query`, root);
  url.username = root.username;
  url.password = root.password;
  url.searchParams.set('query', PROMETHEUS_QUERY);
  return {
    name: `prometheus ${root.origin}${root.pathname.replace(/\/$/, '')}`,
    perNode: false,
    async fetch(_target, signal, timeoutMs) {
      const { status, text } = await getText(url, signal, timeoutMs);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new SourceError(`Prometheus at ${root.origin} answered ${status}: ${text.trim().split('\n')[0].slice(0, 200)}`, status || 200, 'EBADANSWER');
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      if (status < 200 || status >= 300) throw new SourceError(`Prometheus at ${root.origin} answered ${status}: ${(body as any)?.error ?? ''}`.trim(), status);
      return parsePrometheus(body);
    },
  };
}
