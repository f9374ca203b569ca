// A connection to one context: the client, the store and one reflector per kind. Context and
// namespace switches tear everything down (sockets, timers) and build it again.
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient, ApiError } from './client';
import { loadKubeConfig, selectContext, type ConnectionFlags, type LoadedConfig } from './config';
import { CliError } from '../util/errors';
import { Store } from '../store/store';
import { Reflector, type ReflectorOptions } from '../store/reflector';
import { KINDS, KIND_NAMES, objectPath } from '../store/kinds';
import type { KindName } from '../store/records';
import type { RawObject } from '../store/project';
import type { LogClient } from '../logs/follower';
import { UsagePoller, kubeletSource, prometheusSource, type UsagePollerOptions, type UsageSource } from '../store/usage';
import { FileAuditLog, KubeActions, type AuditSink } from '../actions';

export interface OpenOptions extends ConnectionFlags {
  /** A kubeconfig given as text (the demo simulator) instead of files. */
  kubeconfigText?: string;
  reflector?: ReflectorOptions;
  kinds?: readonly KindName[];
  log?: (msg: string) => void;
  /** Volume usage polling (kubelet stats/summary, or Prometheus with metricsUrl). */
  usage?: UsagePollerOptions & { metricsUrl?: string };
  /** --readonly: every action refuses without sending anything. */
  readonly?: boolean;
  /** Where mutations are logged (default: <XDG state dir>/csi-top/actions.log). */
  audit?: AuditSink;
}

const DONE_STATES = new Set(['synced', 'forbidden', 'notServed']);

export class Connection {
  readonly store: Store;
  /** Volume usage per PVC; polls only after startUsage() (TUI) or pollUsageOnce() (doctor/export). */
  readonly usage: UsagePoller;
  /** Resize, delete, restart: over this connection's current client, all refused under --readonly. */
  readonly actions: KubeActions;
  private usageLive = false;
  private reflectors: Reflector[] = [];
  private listeners = new Set<() => void>();
  /** Log streams through the current client (a context switch moves them to the new one). */
  readonly logClient: LogClient = { stream: (path, opts, onData) => this.client.stream(path, opts, onData) };

  private constructor(
    public config: LoadedConfig,
    public client: KubeClient,
    public serverVersion: string,
    private readonly opts: OpenOptions,
    store?: Store,
  ) {
    this.store = store ?? new Store();
    this.usage = new UsagePoller(this.store, { ...opts.usage, scope: () => this.config.namespace });
    this.actions = new KubeActions({ client: () => this.client, context: () => this.contextName, readonly: !!opts.readonly, audit: opts.audit ?? new FileAuditLog(undefined, opts.log) });
  }

  static async open(opts: OpenOptions): Promise<Connection> {
    const config = loadConfig(opts);
    const { client, version } = await connectClient(config);
    return new Connection(config, client, version, opts);
  }

  get contextName(): string {
    return this.config.contextName;
  }
  get namespace(): string | null {
    return this.config.namespace;
  }
  contexts(): string[] {
    return this.config.kc.contexts.map((c) => c.name);
  }

  /** Told when the context or namespace changes (the store is cleared and refilled). */
  onSwitch(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Watches every namespace even when scoped to one: judging a namespace's pods takes their
   * driver's pods (node plugins, JuiceFS mount pods, controllers, their Leases), which live in
   * other namespaces. The scope narrows what is shown (views, doctor, export). A kind that may
   * not be listed cluster-wide falls back to the scoped namespace, and its status says so.
   */
  start(): void {
    const kinds = this.opts.kinds ?? KIND_NAMES;
    for (const k of kinds) {
      const r = new Reflector(this.client, this.store, KINDS[k], { ...this.opts.reflector, namespace: null, fallbackNamespace: this.config.namespace, log: this.opts.log });
      this.reflectors.push(r);
      r.start();
    }
  }

  private usageSource(): UsageSource {
    const url = this.opts.usage?.metricsUrl;
    return url ? prometheusSource(url) : kubeletSource(() => this.client);
  }

  /** Polls volume usage until close (restarted, with nothing kept, on context/namespace switches). */
  startUsage(): void {
    this.usageLive = true;
    this.usage.start(this.usageSource());
  }

  /** One usage round over every node with PVC pods, within the deadline (doctor/export). */
  pollUsageOnce(deadlineMs: number): Promise<void> {
    return this.usage.pollOnce(this.usageSource(), { deadlineMs });
  }

  private restartUsage() {
    if (this.usageLive) this.usage.start(this.usageSource());
  }

  /** Every kind started is synced, forbidden or not served (or the timeout passed). */
  isSynced(): boolean {
    return this.reflectors.every((r) => DONE_STATES.has(this.store.status(r.kind).state));
  }

  async waitForSync(timeoutMs: number, onProgress?: () => void): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isSynced()) {
      if (Date.now() > deadline) return false;
      onProgress?.();
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  /** GETs the live object (for the YAML view); never used for Secrets, which csi-top does not read. */
  async getObject(kind: KindName, namespace: string, name: string): Promise<RawObject> {
    return this.client.request<RawObject>('GET', objectPath(KINDS[kind], namespace, name));
  }

  private async stopReflectors() {
    const rs = this.reflectors;
    this.reflectors = [];
    await Promise.all(rs.map((r) => r.stop()));
  }

  async switchNamespace(namespace: string | null): Promise<void> {
    await this.usage.stop();
    // Every kind is watched cluster-wide: a new scope needs no new list, unless some kind fell
    // back to the old namespace (its reflectors must read the new one).
    const narrowed = KIND_NAMES.some((k) => this.store.status(k).onlyNamespace !== undefined);
    if (!narrowed && this.reflectors.length > 0) {
      this.config = { ...this.config, namespace };
      this.restartUsage();
      for (const l of this.listeners) l();
      return;
    }
    await this.stopReflectors();
    this.config = { ...this.config, namespace };
    this.store.clear();
    this.start();
    this.restartUsage();
    for (const l of this.listeners) l();
  }

  async switchContext(name: string): Promise<void> {
    const config = selectContext(this.config.kc, this.config.files, { context: name });
    const { client, version } = await connectClient(config);
    await this.usage.stop();
    await this.stopReflectors();
    this.client.close();
    this.config = config;
    this.client = client;
    this.serverVersion = version;
    this.store.clear();
    this.start();
    this.restartUsage();
    for (const l of this.listeners) l();
  }

  async close(): Promise<void> {
    await this.usage.stop();
    await this.stopReflectors();
    this.client.close();
    this.store.dispose();
  }
}

function loadConfig(opts: OpenOptions): LoadedConfig {
  if (opts.kubeconfigText === undefined) return loadKubeConfig(opts);
  const kc = new KubeConfig();
  kc.loadFromString(opts.kubeconfigText);
  return selectContext(kc, ['(in-memory)'], opts);
}

/** Builds the client and checks that the API server answers and accepts our credentials. */
async function connectClient(config: LoadedConfig): Promise<{ client: KubeClient; version: string }> {
  let client: KubeClient;
  try {
    client = await KubeClient.create(config.kc);
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    // OpenSSL's words ("PEM routines::no start line") do not say which data is wrong.
    const pem = /PEM routines|DECODER routines|ASN1|bad base64|no start line/i.test(why) ? 'its certificate-authority, client-certificate or client-key data is not a valid PEM: ' : '';
    throw new CliError(`cannot use the credentials of context "${config.contextName}": ${pem}${why}`);
  }
  try {
    // Both at once (one round trip less before the lists, on a far cluster): /version is often
    // public, discovery needs a valid identity, so 401 shows up there; /version's error first.
    const [v, api] = await Promise.allSettled([client.request<{ gitVersion?: string }>('GET', '/version', { timeoutMs: 15_000 }), client.request('GET', '/api', { timeoutMs: 15_000 })]);
    if (v.status === 'rejected') throw v.reason;
    if (api.status === 'rejected') throw api.reason;
    return { client, version: v.value?.gitVersion ?? '' };
  } catch (e) {
    client.close();
    const err = e as ApiError;
    if (err.status === 401) throw new CliError(`the API server at ${config.server} rejected the credentials of context "${config.contextName}" (401 Unauthorized)`);
    if (err.status === 403) throw new CliError(`the API server at ${config.server} refused context "${config.contextName}": ${err.message}`);
    if (!err.status) throw new CliError(`${err.message} (context "${config.contextName}"); is the cluster up? try --demo to see csi-top without a cluster`);
    throw new CliError(`the API server at ${config.server} answered ${err.status}: ${err.message}`);
  }
}

/** True when every kind csi-top needs most is forbidden: nothing useful can be shown. */
export function allForbidden(store: Store, kinds: readonly KindName[] = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume']): string | null {
  const st = kinds.map((k) => store.status(k));
  return st.every((s) => s.state === 'forbidden') ? st[0].message : null;
}
