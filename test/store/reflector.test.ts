// The store's reflectors against the simulator over real HTTP: paging, continue expiry, bookmarks,
// dropped watches, 410 relists, downtime, RBAC, latency, namespace scope, and a randomized run
// of changes and faults that must end with the store equal to the server.
import { afterEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { KubeClient } from '../../src/kube/client';
import { Store } from '../../src/store/store';
import { Reflector, type ReflectorOptions } from '../../src/store/reflector';
import { KINDS } from '../../src/store/kinds';
import type { KindName } from '../../src/store/records';
import { keyOf } from '../../src/store/records';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function sim(opts: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const s = await startSimulator({ tls: false, bookmarkIntervalMs: 200, ...opts });
  cleanups.push(() => s.close());
  return s;
}

async function clientFor(s: Simulator): Promise<KubeClient> {
  const kc = new KubeConfig();
  kc.loadFromString(s.kubeconfig({ https: false }));
  const c = await KubeClient.create(kc);
  cleanups.push(() => c.close());
  return c;
}

const FAST: ReflectorOptions = { backoffInitialMs: 50, backoffMaxMs: 400, retryDeniedMs: 300 };

async function reflect(s: Simulator, kind: KindName, opts: ReflectorOptions = {}) {
  const store = new Store();
  const r = new Reflector(await clientFor(s), store, KINDS[kind], { ...FAST, ...opts });
  r.start();
  cleanups.push(() => r.stop());
  return { store, r };
}

function pod(ns: string, name: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: name.split('-')[0] } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] }, ...extra };
}

function ns(name: string) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function seedPods(s: Simulator, n: number, namespace = 'app') {
  if (!s.objects.find(s.objects.info('namespaces'), undefined, namespace)) s.objects.create(ns(namespace));
  for (let i = 0; i < n; i++) s.objects.create(pod(namespace, `p-${String(i).padStart(5, '0')}`));
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The server's pods as keys with resourceVersions, for comparing with the store. */
function serverPods(s: Simulator, namespace?: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of s.objects.list('pods', { namespace }).items) out.set(keyOf(o.metadata.namespace ?? '', o.metadata.name ?? ''), o.metadata.resourceVersion ?? '');
  return out;
}

function storePods(store: Store): Map<string, string> {
  return new Map(store.list('Pod').map((p) => [keyOf(p.namespace, p.name), p.resourceVersion]));
}

const lists = (s: Simulator, path = '/api/v1/pods') => s.requests.filter((r) => r.path === path && r.method === 'GET' && !r.query.watch);
const watches = (s: Simulator, path = '/api/v1/pods') => s.requests.filter((r) => r.path === path && (r.query.watch === 'true' || r.query.watch === '1'));

describe('reflector', () => {
  it('lists in pages of 500 with continue, then watches from the list version', async () => {
    const s = await sim();
    seedPods(s, 1201);
    const { store } = await reflect(s, 'Pod');
    await until(() => store.status('Pod').state === 'synced', 'sync');
    expect(store.count('Pod')).toBe(1201);
    const l = lists(s);
    expect(l.map((r) => r.query.limit)).toEqual(['500', '500', '500']);
    expect(l[0].query.continue).toBeUndefined();
    expect(l[1].query.continue).toBeTruthy();
    await until(() => watches(s).length > 0, 'watch');
    const w = watches(s)[0];
    expect(w.query.allowWatchBookmarks).toBe('true');
    expect(Number(w.query.timeoutSeconds)).toBeGreaterThanOrEqual(300);
    expect(Number(w.query.timeoutSeconds)).toBeLessThanOrEqual(600);
    expect(w.query.resourceVersion).toBe(String(s.objects.currentRv()));
    s.objects.create(pod('app', 'late'));
    await until(() => store.count('Pod') === 1202, 'watched add');
  });

  it('leaves node heartbeat Leases (kube-node-lease) to the server: not listed, not watched', async () => {
    const s = await sim();
    const lease = (namespace: string, name: string, holder: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: { holderIdentity: holder, leaseDurationSeconds: 40 } });
    for (const n of ['kube-system', 'kube-node-lease']) if (!s.objects.find(s.objects.info('namespaces'), undefined, n)) s.objects.create(ns(n));
    s.objects.create(lease('kube-system', 'external-resizer-csi-juicefs-com', 'juicefs-csi-controller-0'));
    s.objects.create(lease('kube-node-lease', 'node-1', 'node-1'));
    const { store } = await reflect(s, 'Lease');
    await until(() => store.status('Lease').state === 'synced', 'sync');
    const path = '/apis/coordination.k8s.io/v1/leases';
    await until(() => watches(s, path).length > 0, 'watch');
    s.objects.create(lease('kube-node-lease', 'node-2', 'node-2'));
    s.objects.create(lease('kube-system', 'external-attacher-csi-juicefs-com', 'juicefs-csi-controller-0'));
    await until(() => store.count('Lease') === 2, 'watched add');
    expect(store.list('Lease').map((l) => `${l.namespace}/${l.name}`)).toEqual(['kube-system/external-resizer-csi-juicefs-com', 'kube-system/external-attacher-csi-juicefs-com']);
    expect(lists(s, path)[0].query.fieldSelector).toBe('metadata.namespace!=kube-node-lease');
    expect(watches(s, path)[0].query.fieldSelector).toBe('metadata.namespace!=kube-node-lease');
  });

  it('reads pages with non-ASCII text (names, messages) as UTF-8, and ASCII pages alike', async () => {
    const s = await sim();
    seedPods(s, 3);
    // Pages are decoded as Latin-1 when pure ASCII (cheaper): one multi-byte character must
    // switch the whole page to UTF-8.
    const event = (name: string, message: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'app' }, involvedObject: { kind: 'Pod', namespace: 'app', name: 'p-00001' }, reason: 'FailedMount', type: 'Warning', message });
    s.objects.create(event('e-ascii', 'MountVolume.SetUp failed'));
    s.objects.create(event('e-utf8', '挂载失败: Größe überschritten ✗'));
    const { store } = await reflect(s, 'Event');
    await until(() => store.status('Event').state === 'synced', 'sync');
    expect(store.get('Event', 'app', 'e-utf8')?.message).toBe('挂载失败: Größe überschritten ✗');
    expect(store.get('Event', 'app', 'e-ascii')?.message).toBe('MountVolume.SetUp failed');
  });

  it('restarts the list when the continue token expires mid-paging', async () => {
    const s = await sim();
    seedPods(s, 1000);
    s.faults.latencyMs = 40;
    const { store } = await reflect(s, 'Pod', { pageSize: 100 });
    await until(() => lists(s).some((r) => r.query.continue), 'a continued page');
    s.objects.create(pod('app', 'created-while-paging'));
    s.faults.compact();
    await until(() => store.status('Pod').state === 'synced', 'sync', 20_000);
    expect(storePods(store)).toEqual(serverPods(s));
    const l = lists(s);
    const restarted = l.findIndex((r, i) => i > 0 && !r.query.continue);
    expect(restarted).toBeGreaterThan(0);
  });

  it('advances its resume version on bookmarks', async () => {
    const s = await sim({ bookmarkIntervalMs: 100 });
    seedPods(s, 3);
    const { store, r } = await reflect(s, 'Pod');
    await until(() => store.status('Pod').state === 'synced', 'sync');
    await until(() => watches(s).length > 0, 'watch');
    const before = Number(r.lastResourceVersion);
    // Changes to another kind move the global resourceVersion; only a bookmark tells the pod watch.
    s.objects.create(ns('other'));
    s.objects.create(ns('other2'));
    await until(() => Number(r.lastResourceVersion) >= s.objects.currentRv(), 'bookmark');
    expect(Number(r.lastResourceVersion)).toBeGreaterThan(before);
  });

  it('resumes a dropped watch from the last version without a gap or a relist', async () => {
    const s = await sim();
    seedPods(s, 10);
    const { store } = await reflect(s, 'Pod');
    await until(() => store.status('Pod').state === 'synced' && watches(s).length === 1, 'watch');
    s.objects.create(pod('app', 'before-drop'));
    await until(() => store.count('Pod') === 11, 'event');
    const rvSeen = store.get('Pod', 'app', 'before-drop')!.resourceVersion;
    s.faults.dropWatches();
    s.objects.create(pod('app', 'during-drop'));
    s.objects.delete('pods', 'app', 'p-00000', { gracePeriodSeconds: 0 });
    await until(() => store.count('Pod') === 11 && !!store.get('Pod', 'app', 'during-drop'), 'resumed');
    expect(lists(s)).toHaveLength(1);
    expect(watches(s)[1].query.resourceVersion).toBe(rvSeen);
    expect(storePods(store)).toEqual(serverPods(s));
  });

  it('relists after 410 and applies only the difference: no duplicate, no ghost, unchanged records kept', async () => {
    const s = await sim();
    seedPods(s, 50);
    const { store } = await reflect(s, 'Pod');
    await until(() => store.status('Pod').state === 'synced' && watches(s).length === 1, 'watch');
    const unchanged = store.get('Pod', 'app', 'p-00010')!;
    let applied = 0;
    const apply = store.apply.bind(store);
    store.apply = (t, rec) => {
      const changed = apply(t, rec);
      if (changed) applied++;
      return changed;
    };
    // Cut the watch, change things, and compact so the resume version is gone: 410 → relist.
    s.faults.latencyMs = 200;
    s.faults.dropWatches();
    s.objects.create(pod('app', 'new-one'));
    s.objects.delete('pods', 'app', 'p-00001', { gracePeriodSeconds: 0 });
    const p2 = s.objects.get('pods', 'app', 'p-00002');
    s.objects.update({ ...p2, metadata: { ...p2.metadata, labels: { changed: 'yes' } } });
    s.faults.compact();
    s.faults.latencyMs = 0;
    await until(() => lists(s).length === 2 && store.status('Pod').state === 'synced', 'relist');
    // The state stays synced through a relist: wait for its outcome (the ghost goes last).
    await until(() => !!store.get('Pod', 'app', 'new-one') && !store.get('Pod', 'app', 'p-00001'), 'converged');
    expect(storePods(store)).toEqual(serverPods(s));
    expect(store.get('Pod', 'app', 'p-00010')).toBe(unchanged);
    expect(store.get('Pod', 'app', 'p-00002')!.labels).toEqual({ changed: 'yes' });
    expect(applied).toBe(3);
  });

  it('reports reconnecting while the apiserver is down and converges when it is back', async () => {
    const s = await sim();
    seedPods(s, 20);
    const { store } = await reflect(s, 'Pod');
    await until(() => store.status('Pod').state === 'synced' && watches(s).length === 1, 'watch');
    const down = s.faults.down(20_000);
    await until(() => store.status('Pod').state === 'reconnecting', 'reconnecting');
    const st = store.status('Pod');
    expect(st.message).toMatch(/connection refused|reset|closed/);
    expect(st.since).toBeGreaterThan(0);
    // Changes made "while down" (straight into the store behind the server) must show up after.
    s.objects.create(pod('app', 'while-down'));
    s.objects.delete('pods', 'app', 'p-00003', { gracePeriodSeconds: 0 });
    await down;
    await until(() => store.status('Pod').state === 'synced' && storePods(store).size === serverPods(s).size, 'converged', 15_000);
    expect(storePods(store)).toEqual(serverPods(s));
  }, 60_000);

  it('marks a forbidden kind and keeps the others working', async () => {
    const s = await sim();
    seedPods(s, 5);
    s.objects.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    s.rbac.deny({ verb: 'list', resource: 'nodes' });
    const nodes = await reflect(s, 'Node');
    const pods = await reflect(s, 'Pod');
    await until(() => nodes.store.status('Node').state === 'forbidden', 'forbidden');
    expect(nodes.store.status('Node').message).toBe('nodes is forbidden: User "admin" cannot list resource "nodes" in API group "" at the cluster scope');
    await until(() => pods.store.count('Pod') === 5, 'pods');
    // Permission granted later: the reflector tries again and syncs.
    s.rbac.reset();
    await until(() => nodes.store.status('Node').state === 'synced' && nodes.store.count('Node') === 1, 'retry after grant');
  });

  it('syncs through a slow server', async () => {
    const s = await sim();
    seedPods(s, 600);
    s.faults.latencyMs = 300;
    const { store } = await reflect(s, 'Pod');
    await until(() => store.status('Pod').state === 'synced', 'sync');
    expect(store.count('Pod')).toBe(600);
  });

  it('uses namespaced URLs for namespaced kinds under -n', async () => {
    const s = await sim();
    seedPods(s, 3, 'team-a');
    seedPods(s, 4, 'team-b');
    const { store } = await reflect(s, 'Pod', { namespace: 'team-a' });
    await until(() => store.status('Pod').state === 'synced', 'sync');
    expect(store.count('Pod')).toBe(3);
    expect(lists(s, '/api/v1/namespaces/team-a/pods')).toHaveLength(1);
    expect(lists(s)).toHaveLength(0);
    await until(() => watches(s, '/api/v1/namespaces/team-a/pods').length === 1, 'namespaced watch');
  });

  it('reconnects a watch that has gone silent past the watchdog bound, from the same version', async () => {
    const s = await sim({ bookmarkIntervalMs: 0 });
    seedPods(s, 2);
    const { store } = await reflect(s, 'Pod', { idleTimeoutMs: 300 });
    await until(() => store.status('Pod').state === 'synced' && watches(s).length >= 3, 'watchdog reconnects', 5000);
    const w = watches(s);
    expect(new Set(w.map((r) => r.query.resourceVersion)).size).toBe(1);
    expect(lists(s)).toHaveLength(1);
  });

  it('stops for good: no request after stop()', async () => {
    const s = await sim();
    seedPods(s, 3);
    const { store, r } = await reflect(s, 'Pod');
    await until(() => store.status('Pod').state === 'synced' && watches(s).length === 1, 'watch');
    await r.stop();
    const n = s.requests.length;
    s.faults.dropWatches();
    s.objects.create(pod('app', 'after-stop'));
    await new Promise((res) => setTimeout(res, 300));
    expect(s.requests.length).toBe(n);
    expect(store.get('Pod', 'app', 'after-stop')).toBeUndefined();
  });

  it('ends equal to the server after a random run of changes and faults', async () => {
    const s = await sim({ historySize: 200 });
    seedPods(s, 40);
    const { store } = await reflect(s, 'Pod', { pageSize: 7 });
    await until(() => store.status('Pod').state === 'synced', 'sync');
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let n = 0;
    for (let step = 0; step < 300; step++) {
      const names = [...serverPods(s).keys()].map((k) => k.split('/')[1]);
      const x = rand();
      if (x < 0.35 || names.length === 0) s.objects.create(pod('app', `r-${n++}`));
      else if (x < 0.6) s.objects.delete('pods', 'app', names[Math.floor(rand() * names.length)], { gracePeriodSeconds: 0 });
      else if (x < 0.9) {
        const o = s.objects.get('pods', 'app', names[Math.floor(rand() * names.length)]);
        s.objects.update({ ...o, metadata: { ...o.metadata, labels: { step: String(step) } } });
      } else if (x < 0.95) s.faults.dropWatches();
      else s.faults.compact();
      if (step % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => {
      const a = storePods(store);
      const b = serverPods(s);
      return a.size === b.size && [...b].every(([k, v]) => a.get(k) === v);
    }, 'store equal to server', 20_000);
  });
});
