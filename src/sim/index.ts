// The Kubernetes API simulator: an in-process kube-apiserver (v1.34 behaviour) over HTTP and
// HTTPS on 127.0.0.1, for csi-top's tests and its --demo cluster. See README.md in this folder
// for what is faithful and what is simplified.
import { Faults } from './faults';
import { createHandler, type RecordedRequest } from './http/router';
import type { Exchange } from './http/respond';
import { kubeconfigYaml } from './kubeconfig';
import { LogStore } from './logs';
import { ObjectStore } from './objects';
import { Rbac } from './rbac';
import { Listeners } from './server';
import { StatsConfig } from './stats';
import { generatePki } from './tls';
import type { FeatureGates } from './validation';

export interface SimOptions {
  /** Also serve HTTPS on 127.0.0.1 with a generated CA (default true); plain HTTP always. */
  tls?: boolean;
  /** Default 0 = ephemeral. */
  port?: number;
  httpsPort?: number;
  /** Watch history kept (events), default 100_000; older resourceVersions get 410. */
  historySize?: number;
  /** BOOKMARK interval for watches that allow them, default 1000 (real apiserver ~60 s); 0 disables. */
  bookmarkIntervalMs?: number;
  /** How long a gracefully deleted pod stays with deletionTimestamp (default min(grace, 2 s)). */
  podDeletionDelayMs?: number;
  /** Bearer token → user name; default { 'admin-token': 'admin' }. */
  users?: Record<string, string>;
  /** Feature gates that change validation (defaults as in v1.34). */
  featureGates?: Partial<FeatureGates>;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** https://127.0.0.1:PORT */
  httpsUrl?: string;
  caPem?: string;
  /** Kubeconfig YAML for a user (by token; default the first configured) over HTTPS when available. */
  kubeconfig(opts?: { user?: string; https?: boolean; context?: string; namespace?: string }): string;
  objects: ObjectStore;
  logs: LogStore;
  stats: StatsConfig;
  rbac: Rbac;
  faults: Faults;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const users = opts.users ?? { 'admin-token': 'admin' };
  const objects = new ObjectStore({ historySize: opts.historySize, podDeletionDelayMs: opts.podDeletionDelayMs, featureGates: opts.featureGates });
  const logs = new LogStore();
  const stats = new StatsConfig();
  const rbac = new Rbac();
  const requests: RecordedRequest[] = [];
  const openWatches = new Set<Exchange>();
  const hanging = new Set<Exchange>();
  const pki = opts.tls === false ? undefined : generatePki();

  let listeners: Listeners | undefined;
  const faults = new Faults({
    dropWatches: () => {
      for (const ex of [...openWatches]) ex.res.socket?.destroy();
    },
    compact: () => objects.compact(),
    down: (ms) => listeners!.down(ms),
  });
  const handler = createHandler({ store: objects, logs, stats, rbac, faults, users, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 1000, requests, openWatches, hanging });
  listeners = new Listeners(handler, pki);
  const [port, httpsPort] = await listeners.listen([opts.port ?? 0, opts.httpsPort ?? 0]);
  const url = `http://127.0.0.1:${port}`;
  const httpsUrl = pki ? `https://127.0.0.1:${httpsPort}` : undefined;

  return {
    url,
    httpsUrl,
    caPem: pki?.caPem,
    kubeconfig(k = {}) {
      const token = k.user ?? Object.keys(users)[0];
      const useHttps = (k.https ?? true) && !!httpsUrl;
      return kubeconfigYaml({ server: useHttps ? httpsUrl! : url, caPem: pki?.caPem, token, user: users[token] ?? 'user', context: k.context, namespace: k.namespace });
    },
    objects,
    logs,
    stats,
    rbac,
    faults,
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    async close() {
      objects.close();
      logs.endAll();
      for (const ex of [...openWatches, ...hanging]) ex.res.socket?.destroy();
      await listeners!.close();
    },
  };
}

export { ApiError } from './errors';
export type { Status } from './errors';
export type { RecordedRequest } from './http/router';
export type { KubeObject, WatchEvent } from './types';
export type { ObjectStore, ListOptions, ListResult, WatchFilter, DeleteOptions } from './objects';
export type { LogStore } from './logs';
export type { StatsConfig, NodeBehaviour, VolumeUsage } from './stats';
export type { Rbac, DenyRule } from './rbac';
export type { Faults, FailSpec } from './faults';
export { RESOURCES, type ResourceInfo } from './resources';
