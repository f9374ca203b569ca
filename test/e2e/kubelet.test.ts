// Volume usage and pod logs through the real kube-apiserver's proxy to a kubelet (a fake one,
// test/e2e/kubelet.ts, on this machine's non-loopback address):
// - csi-top's usage poller (export/doctor, the bundle) reads /api/v1/nodes/<node>/proxy/stats/summary:
//   the numbers, VolumeNearlyFull, a kubelet that is down ("node unreachable") and one that does
//   not answer ("timed out");
// - csi-top's log follower (src/logs, as the log pane runs it, the pod's state from csi-top's own
//   store) reads /api/v1/namespaces/<ns>/pods/<pod>/log: the tail then live lines, the previous
//   instance, a restart followed, a container that has not started, a dropped stream resumed
//   with nothing twice, a deleted pod, and the apiserver's refusals;
// - the TUI: `l` on a pod shows its log.
// The shared control plane; its own namespace and nodes named after it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedControlPlane, waitFor, type ControlPlane, type KubeHttp } from './harness';
import { FakeKubelet, hostAddress } from './kubelet';
import { kubeletForbidden } from '../../src/sim/stats';
import { boundClaim, grantRole, kubeconfigFile } from './objects';
import { runCli } from '../helpers/run-cli';
import { Connection } from '../../src/kube/connection';
import { LogBuffer } from '../../src/logs/buffer';
import { LOG_WINDOWS, LogFollower, type FollowOptions } from '../../src/logs/follower';
import { podFacts } from '../../src/views/logs';
import { mount } from '../views/harness';

const GiB = 2 ** 30;
let cp: ControlPlane;
let admin: KubeHttp;
let ns: string;
let dir: string;
let adminKc: string;
let conn: Connection;
let ok: FakeKubelet;
let down: FakeKubelet;
let hung: FakeKubelet;
let denying: FakeKubelet;
const followers: LogFollower[] = [];
const rbacPaths: string[] = [];

type State = { running: true; restarts?: number } | { waiting: string; restarts?: number } | { terminated: string };
const stamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
function containerStatus(name: string, s: State) {
  const restartCount = 'restarts' in s ? (s.restarts ?? 0) : 0;
  const lastState = restartCount > 0 ? { terminated: { exitCode: 1, reason: 'Error', startedAt: stamp(Date.now() - 60_000), finishedAt: stamp(Date.now() - 30_000) } } : {};
  const base = { name, image: 'busybox:1.36', imageID: '', restartCount, lastState };
  if ('running' in s) return { ...base, ready: true, started: true, state: { running: { startedAt: stamp() } } };
  if ('terminated' in s) return { ...base, ready: false, started: false, state: { terminated: { exitCode: 0, reason: s.terminated, startedAt: stamp(Date.now() - 5000), finishedAt: stamp() } } };
  return { ...base, ready: false, started: false, state: { waiting: { reason: s.waiting } } };
}

/** A pod on a fake kubelet's node with these containers (running unless `states` says otherwise) and claims. */
async function pod(name: string, node: string, containers: string[], o: { states?: Record<string, State>; claims?: string[] } = {}): Promise<void> {
  const claims = o.claims ?? [];
  await admin.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      nodeName: node,
      automountServiceAccountToken: false,
      containers: containers.map((c) => ({ name: c, image: 'busybox:1.36', volumeMounts: claims.map((cl) => ({ name: cl, mountPath: `/data/${cl}` })) })),
      volumes: claims.map((cl) => ({ name: cl, persistentVolumeClaim: { claimName: cl } })),
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], startTime: stamp(), containerStatuses: containers.map((c) => containerStatus(c, o.states?.[c] ?? { running: true })) },
  });
}

async function setState(name: string, container: string, s: State): Promise<void> {
  const p = await admin.get(`/api/v1/namespaces/${ns}/pods/${name}`);
  const list = p.status.containerStatuses.map((c: { name: string }) => (c.name === container ? containerStatus(container, s) : c));
  await admin.patch(`/api/v1/namespaces/${ns}/pods/${name}/status`, { status: { containerStatuses: list } });
}

/** The follower as the log pane runs it: over the connection's client, the pod's state from csi-top's store. */
function follow(podName: string, containers: string[], o: Partial<FollowOptions> = {}, c: Connection = conn) {
  const buffer = new LogBuffer(1000);
  const facts = () => podFacts(c.store.get('Pod', ns, podName));
  const f = new LogFollower(c.logClient, buffer, { namespace: ns, pod: podName, containers, retryMs: 100, waitMs: 200, containerInfo: (x) => facts()?.info(x), podExists: () => facts() !== undefined, ...o }, () => {});
  followers.push(f);
  f.start();
  const texts = (kind = 'log') => buffer.toArray().filter((l) => l.kind === kind).map((l) => l.text);
  return { f, buffer, texts };
}

const until = (cond: () => boolean, what: string, timeoutMs = 20_000) => waitFor(cond, { timeoutMs, intervalMs: 25, what });

beforeAll(async () => {
  const address = hostAddress();
  if (!address) throw new Error('this machine has no non-loopback IPv4 address: the apiserver refuses loopback node addresses, so no fake kubelet can be reached');
  cp = await sharedControlPlane();
  admin = cp.admin;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-e2e-kubelet-'));
  adminKc = kubeconfigFile(cp, dir, 'admin');
  ns = await admin.createNamespace('kubelet');
  [ok, down, hung, denying] = ['ok', 'down', 'hung', 'denying'].map((n) => new FakeKubelet(`${ns}-${n}`, admin, address));
  for (const k of [ok, down, hung, denying]) {
    await k.start();
    await k.register();
  }
  await down.stop();
  hung.hang = true;
  denying.refuse = true;

  await admin.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: `${ns}-sc` }, provisioner: 'e2e.csi.example.com', allowVolumeExpansion: true });
  for (const c of ['full', 'half', 'down-data', 'hung-data', 'denied-data']) await boundClaim(admin, ns, c, `${ns}-sc`, '10Gi');
  await pod('db', ok.node, ['db'], { claims: ['full', 'half'] });
  await pod('down-app', down.node, ['app'], { claims: ['down-data'] });
  await pod('hung-app', hung.node, ['app'], { claims: ['hung-data'] });
  await pod('denied-app', denying.node, ['app'], { claims: ['denied-data'] });
  ok.stats.usage.set(`${ns}/full`, { usedBytes: 9.5 * GiB, capacityBytes: 10 * GiB, inodes: 655360, inodesUsed: 1200 });
  ok.stats.usage.set(`${ns}/half`, { usedBytes: 5 * GiB, capacityBytes: 10 * GiB, inodes: 1000, inodesUsed: 995 });

  conn = await Connection.open({ kubeconfig: adminKc, namespace: ns, usage: { disabled: 'the usage tests run the CLI' }, reflector: { backoffInitialMs: 100 } });
  conn.start();
  expect(await conn.waitForSync(60_000)).toBe(true);
});

afterEach(async () => {
  await Promise.all(followers.splice(0).map((f) => f.stop()));
});

afterAll(async () => {
  await conn?.close();
  for (const p of rbacPaths) await admin.request('DELETE', p);
  for (const k of [ok, down, hung, denying]) {
    if (k) k.hang = false;
    await k?.stop();
  }
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('volume usage through the apiserver node proxy', () => {
  it('export and doctor: the kubelet numbers, VolumeNearlyFull, a kubelet down, one that does not answer, one that refuses', async () => {
    const r = await runCli(['export', '-o', 'json', '-n', ns, '--kubeconfig', adminKc], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const vol = (claim: string) => doc.volumes.find((v: any) => v.pvc?.name === claim);
    expect(vol('full').usage).toEqual({
      usedBytes: 9.5 * GiB, capacityBytes: 10 * GiB, availableBytes: 0.5 * GiB,
      inodesUsed: 1200, inodes: 655360, inodesFree: 654160, usedPercent: 95, inodesUsedPercent: 0.2,
      node: ok.node, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(vol('half').usage).toMatchObject({ usedPercent: 50, inodesUsedPercent: 99.5, node: ok.node });
    expect(vol('down-data')).toMatchObject({ usage: null, usageUnknownReason: 'node unreachable' });
    expect(vol('hung-data')).toMatchObject({ usage: null, usageUnknownReason: 'timed out' });
    // One kubelet refusing the apiserver (its 403 passed through) is that node's problem, not the
    // user's RBAC: usage stays on for the others.
    expect(vol('denied-data')).toMatchObject({ usage: null, usageUnknownReason: 'node unreachable' });
    expect(doc.unavailable).toBeUndefined();
    const nearlyFull = doc.findings.filter((f: any) => f.code === 'VolumeNearlyFull').map((f: any) => `${f.severity} ${f.object.name}`).sort();
    expect(nearlyFull).toEqual(['error half', 'warning full']);
    expect(ok.requests).toContain('GET /stats/summary');
    expect(hung.requests).toContain('GET /stats/summary');
  });

  it("a kubelet that is down: the apiserver's answers for stats and logs (the simulator's 'unreachable' node says the same)", async () => {
    const host = `${down.address}:${down.port}`;
    const stats = await admin.request('GET', `/api/v1/nodes/${down.node}/proxy/stats/summary`);
    expect([stats.status, stats.body]).toEqual([503, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `error trying to reach service: dial tcp ${host}: connect: connection refused`, reason: 'ServiceUnavailable', code: 503 }]);
    const logs = await admin.request('GET', `/api/v1/namespaces/${ns}/pods/down-app/log`, { query: { timestamps: true, follow: true, sinceTime: '2026-05-10T11:00:00Z', tailLines: 10 } });
    const url = `https://${host}/containerLogs/${ns}/down-app/app?follow=true&sinceTime=2026-05-10T11%3A00%3A00Z&tailLines=10&timestamps=true`;
    expect([logs.status, logs.body]).toEqual([500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Get "${url}": dial tcp ${host}: connect: connection refused`, code: 500 }]);
  });

  it("a kubelet that refuses the apiserver: its 403 passed through for stats, wrapped for logs (the simulator's 'refuses' node says the same)", async () => {
    const stats = await admin.request('GET', `/api/v1/nodes/${denying.node}/proxy/stats/summary`);
    expect([stats.status, stats.headers['content-type'], stats.text]).toEqual([403, 'text/plain; charset=utf-8', kubeletForbidden('stats')]);
    const logs = await admin.request('GET', `/api/v1/namespaces/${ns}/pods/denied-app/log`, { query: { follow: true } });
    expect([logs.status, logs.body]).toEqual([
      403,
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${kubeletForbidden('proxy')} ( pods/log denied-app)`, reason: 'Forbidden', details: { name: 'denied-app', kind: 'pods/log' }, code: 403 },
    ]);
  });
});

describe('pod logs through the apiserver', () => {
  it('the tail, then live lines with their timestamps', async () => {
    await pod('web', ok.node, ['app']);
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 150; i++) ok.logs.append(ns, 'web', 'app', `old ${i}`, t0 + i);
    await until(() => !!conn.store.get('Pod', ns, 'web'), 'the pod in the store');
    const { f, buffer, texts } = follow('web', ['app'], { window: LOG_WINDOWS[0] });
    await until(() => f.status('app').state === 'streaming' && buffer.length === 100, 'the tail');
    expect(texts()[0]).toBe('old 50');
    ok.logs.append(ns, 'web', 'app', 'live one', Date.now());
    ok.logs.append(ns, 'web', 'app', 'live two\nlive three', Date.now());
    await until(() => texts().length === 103, 'live lines');
    expect(texts().slice(-3)).toEqual(['live one', 'live two', 'live three']);
    expect(buffer.at(buffer.length - 1)!.tsText).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(ok.requests.some((r) => /^GET \/containerLogs\/[^/]+\/web\/app\?.*follow=true/.test(r) && /tailLines=100/.test(r) && /timestamps=true/.test(r))).toBe(true);
  });

  it('the previous instance, and a line (not an exception) when there is none', async () => {
    await pod('crashy', ok.node, ['app'], { states: { app: { waiting: 'CrashLoopBackOff', restarts: 3 } } });
    ok.logs.append(ns, 'crashy', 'app', 'before the crash: NOAUTH', Date.now() - 40_000);
    ok.logs.restart(ns, 'crashy', 'app');
    ok.logs.append(ns, 'crashy', 'app', 'after the restart', Date.now() - 20_000);
    await pod('fresh', ok.node, ['app']);
    await until(() => !!conn.store.get('Pod', ns, 'crashy') && !!conn.store.get('Pod', ns, 'fresh'), 'the pods in the store');
    const prev = follow('crashy', ['app'], { previous: true });
    await until(() => prev.f.status('app').state === 'ended', 'previous');
    expect(prev.texts()).toEqual(['before the crash: NOAUTH']);
    const none = follow('fresh', ['app'], { previous: true });
    await until(() => none.f.status('app').state === 'ended', 'no previous');
    expect(none.texts('error')).toEqual(['no previous instance of container app (it has not restarted)']);
  });

  it('a restart: the end of one instance, a marker, the next instance followed', async () => {
    await pod('mp', ok.node, ['jfs-mount']);
    ok.logs.append(ns, 'mp', 'jfs-mount', 'first instance', Date.now() - 2000);
    await until(() => !!conn.store.get('Pod', ns, 'mp'), 'the pod in the store');
    const { f, texts } = follow('mp', ['jfs-mount']);
    await until(() => f.status('jfs-mount').state === 'streaming' && texts().length === 1, 'first');
    ok.logs.restart(ns, 'mp', 'jfs-mount');
    await setState('mp', 'jfs-mount', { waiting: 'CrashLoopBackOff', restarts: 1 });
    await until(() => f.status('jfs-mount').state === 'waiting', 'waiting for the restart');
    expect(f.status('jfs-mount').message).toBe('CrashLoopBackOff: waiting for a restart');
    ok.logs.append(ns, 'mp', 'jfs-mount', 'second instance', Date.now());
    await setState('mp', 'jfs-mount', { running: true, restarts: 1 });
    f.poke();
    await until(() => texts().length === 2 && f.status('jfs-mount').state === 'streaming', 'the next instance');
    ok.logs.append(ns, 'mp', 'jfs-mount', 'second instance, live', Date.now());
    await until(() => texts().length === 3, 'live');
    expect(f.buffer.toArray().map((l) => l.text)).toEqual(['first instance', '── container jfs-mount restarted (restart #1) ──', 'second instance', 'second instance, live']);
  });

  it('ContainerCreating: waiting for the container to start (the kubelet refuses, the apiserver says why), then attached', async () => {
    await pod('new', ok.node, ['app'], { states: { app: { waiting: 'ContainerCreating' } } });
    await until(() => !!conn.store.get('Pod', ns, 'new'), 'the pod in the store');
    const raw = await admin.request('GET', `/api/v1/namespaces/${ns}/pods/new/log`);
    expect([raw.status, raw.body.reason, raw.body.message]).toEqual([400, 'BadRequest', 'container "app" in pod "new" is waiting to start: ContainerCreating']);
    const { f, texts } = follow('new', ['app']);
    await until(() => f.status('app').state === 'waiting', 'waiting');
    expect(f.status('app').message).toBe('waiting for the container to start (ContainerCreating)');
    await setState('new', 'app', { running: true });
    ok.logs.append(ns, 'new', 'app', 'hello', Date.now());
    f.poke();
    await until(() => f.status('app').state === 'streaming' && texts().length === 1, 'attached');
    expect(texts()).toEqual(['hello']);
  });

  it('a dropped stream resumes from the last second: nothing twice, nothing lost', async () => {
    await pod('steady', ok.node, ['app']);
    const sec = Math.floor(Date.now() / 1000) * 1000 - 5000;
    for (const t of ['a', 'b', 'same', 'same']) ok.logs.append(ns, 'steady', 'app', t, sec + 100);
    await until(() => !!conn.store.get('Pod', ns, 'steady'), 'the pod in the store');
    const { f, texts } = follow('steady', ['app'], { window: LOG_WINDOWS[1] });
    await until(() => f.status('app').state === 'streaming' && texts().length === 4, 'first lines');
    // The kubelet goes away (its connections with it), the container keeps writing, the kubelet comes back.
    await ok.stop();
    await until(() => f.status('app').state === 'reconnecting', 'the drop');
    ok.logs.append(ns, 'steady', 'app', 'same', sec + 100);
    ok.logs.append(ns, 'steady', 'app', 'c (same second)', sec + 700);
    ok.logs.append(ns, 'steady', 'app', 'd (next second)', sec + 1200);
    await ok.start();
    await until(() => f.status('app').state === 'streaming' && texts().length === 7, 'the reconnect', 30_000);
    ok.logs.append(ns, 'steady', 'app', 'e (live again)', Date.now());
    await until(() => texts().length === 8, 'live after reconnect');
    expect(texts()).toEqual(['a', 'b', 'same', 'same', 'same', 'c (same second)', 'd (next second)', 'e (live again)']);
    expect(ok.requests.some((r) => r.includes('/steady/app?') && r.includes(`sinceTime=${encodeURIComponent(new Date(sec).toISOString().replace('.000Z', 'Z'))}`))).toBe(true);
  });

  it('a pod deleted while followed: ended, said so', async () => {
    await pod('doomed', ok.node, ['app']);
    ok.logs.append(ns, 'doomed', 'app', 'last words', Date.now());
    await until(() => !!conn.store.get('Pod', ns, 'doomed'), 'the pod in the store');
    const d = follow('doomed', ['app']);
    await until(() => d.f.status('app').state === 'streaming' && d.texts().length === 1, 'streaming');
    await admin.removeObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'doomed', namespace: ns } });
    await until(() => d.f.status('app').state === 'ended', 'ended');
    expect(d.f.status('app').message).toBe('pod deleted');
    expect(d.texts('marker')).toEqual([`── pod ${ns}/doomed was deleted ──`]);
  });

  it("no get on pods/log: a line with the apiserver's words, no retry", async () => {
    const name = 'no-logs';
    rbacPaths.push(...(await grantRole(admin, ns, name, [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }])));
    const c = await Connection.open({ kubeconfig: kubeconfigFile(cp, dir, 'restricted'), namespace: ns, usage: { disabled: 'not needed here' } });
    try {
      c.start();
      await until(() => !!c.store.get('Pod', ns, 'web'), 'the pod in the restricted store');
      const before = ok.requests.length;
      const { f, texts } = follow('web', ['app'], {}, c);
      await until(() => f.status('app').state === 'error', 'forbidden');
      expect(f.status('app').message).toBe('forbidden');
      expect(texts('error')).toEqual([`pods "web" is forbidden: User "restricted" cannot get resource "pods/log" in API group "" in the namespace "${ns}"`]);
      expect(ok.requests.length).toBe(before);
    } finally {
      await c.close();
    }
  });

  it('the TUI: l on a pod opens its log', async () => {
    ok.logs.append(ns, 'db', 'db', 'database system is ready to accept connections', Date.now());
    const m = mount(conn, { realClock: true, columns: 160, rows: 30 });
    try {
      await m.press('/', 'db', 'enter');
      await m.waitFor(/db\s+1\/1\s+Running/, 10_000);
      await m.press('l');
      const f = await m.waitFor(/database system is ready to accept connections/, 15_000);
      expect(f).toMatch(new RegExp(`Logs ${ns}/db \\[db\\]`));
    } finally {
      m.unmount();
    }
  });
});
