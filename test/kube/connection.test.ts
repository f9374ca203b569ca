// A Connection over real HTTPS to simulators: kubeconfig with several contexts, an exec credential
// plugin, context and namespace switches that leave no socket or request behind.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { Connection } from '../../src/kube/connection';
import { runCli } from '../helpers/run-cli';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function sim(users?: Record<string, string>): Promise<Simulator> {
  const s = await startSimulator({ bookmarkIntervalMs: 200, ...(users ? { users } : {}) });
  cleanups.push(() => s.close());
  return s;
}

function seed(s: Simulator, namespace: string, names: string[]) {
  s.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  for (const name of names) s.objects.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-conn-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
};

/** A kubeconfig with one context per simulator (HTTPS with its CA) and a user per token. */
function kubeconfig(dir: string, entries: { name: string; sim: Simulator; user: string; namespace?: string }[], users: Record<string, string>): string {
  const file = path.join(dir, 'config');
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: ${entries[0].name}`, 'clusters:'];
  for (const e of entries) lines.push(`- name: ${e.name}`, '  cluster:', `    server: ${e.sim.httpsUrl}`, `    certificate-authority-data: ${b64(e.sim.caPem!)}`);
  lines.push('users:');
  for (const [name, body] of Object.entries(users)) lines.push(`- name: ${name}`, '  user:', ...body.split('\n').map((l) => `    ${l}`));
  lines.push('contexts:');
  for (const e of entries) lines.push(`- name: ${e.name}`, '  context:', `    cluster: ${e.name}`, `    user: ${e.user}`, ...(e.namespace ? [`    namespace: ${e.namespace}`] : []));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function until(cond: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Open TCP sockets of this process to a port (what a leaked agent or watch would keep). */
function socketsTo(url: string): number {
  const port = Number(new URL(url).port);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const handles: any[] = (process as any)._getActiveHandles();
  return handles.filter((h) => h && h.remotePort === port && !h.destroyed).length;
}

describe('Connection', () => {
  it('switches context: the old server gets no request and no socket stays open to it', async () => {
    const a = await sim();
    const b = await sim();
    seed(a, 'team-a', ['a1', 'a2']);
    seed(b, 'team-b', ['b1']);
    const dir = tmp();
    const file = kubeconfig(dir, [{ name: 'ctx-a', sim: a, user: 'admin' }, { name: 'ctx-b', sim: b, user: 'admin' }], { admin: 'token: admin-token' });
    const conn = await Connection.open({ kubeconfig: file, allNamespaces: true, reflector: { backoffInitialMs: 50 } });
    cleanups.push(() => conn.close());
    expect(conn.contextName).toBe('ctx-a');
    expect(conn.serverVersion).toMatch(/^v1\.\d+/);
    conn.start();
    await until(() => conn.isSynced() && conn.store.count('Pod') === 2, 'sync a');
    expect(socketsTo(a.httpsUrl!)).toBeGreaterThan(0);

    let switched = 0;
    conn.onSwitch(() => switched++);
    await conn.switchContext('ctx-b');
    expect(switched).toBe(1);
    expect(conn.contextName).toBe('ctx-b');
    await until(() => conn.isSynced() && conn.store.count('Pod') === 1, 'sync b');
    expect(conn.store.list('Pod').map((p) => p.name)).toEqual(['b1']);

    await until(() => socketsTo(a.httpsUrl!) === 0, 'sockets to a closed', 3000);
    const before = a.requests.length;
    a.objects.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a3', namespace: 'team-a' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } });
    await new Promise((r) => setTimeout(r, 400));
    expect(a.requests.length).toBe(before);
    expect(conn.store.get('Pod', 'team-a', 'a3')).toBeUndefined();
  });

  it('switches namespace: the scope changes, every namespace is still watched (a driver\'s pods live elsewhere)', async () => {
    const a = await sim();
    seed(a, 'team-a', ['a1', 'a2']);
    seed(a, 'team-b', ['b1']);
    const file = kubeconfig(tmp(), [{ name: 'ctx', sim: a, user: 'admin' }], { admin: 'token: admin-token' });
    const conn = await Connection.open({ kubeconfig: file, reflector: { backoffInitialMs: 50 } });
    cleanups.push(() => conn.close());
    expect(conn.namespace).toBeNull(); // the context sets none: all namespaces
    conn.start();
    await until(() => conn.isSynced() && conn.store.count('Pod') === 3, 'sync all');
    a.clearRequests();
    await conn.switchNamespace('team-b');
    expect(conn.namespace).toBe('team-b');
    // Nothing to list again: the store already holds every namespace.
    expect(conn.store.count('Pod')).toBe(3);
    expect(a.requests.filter((r) => r.path.endsWith('/pods') && r.query.watch !== 'true')).toEqual([]);
    expect(conn.store.status('Pod').onlyNamespace).toBeUndefined();
    // A pod created in another namespace still arrives (the driver's pods live elsewhere).
    a.objects.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a3', namespace: 'team-a' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    await until(() => conn.store.count('Pod') === 4, 'a3 watched');
  });

  it('falls back to the scoped namespace for a kind it may not list cluster-wide, and says so', async () => {
    const a = await sim({ 'admin-token': 'admin', 'dev-token': 'dev' });
    seed(a, 'team-a', ['a1', 'a2']);
    seed(a, 'team-b', ['b1']);
    // A namespaced Role's user: pods readable in team-b only.
    a.rbac.deny({ user: 'dev', verb: '*', resource: 'pods', namespace: '' });
    a.rbac.deny({ user: 'dev', verb: '*', resource: 'pods', namespace: 'team-a' });
    const file = kubeconfig(tmp(), [{ name: 'ctx', sim: a, user: 'dev', namespace: 'team-b' }], { dev: 'token: dev-token' });
    const conn = await Connection.open({ kubeconfig: file, reflector: { backoffInitialMs: 50 } });
    cleanups.push(() => conn.close());
    conn.start();
    await until(() => conn.isSynced() && conn.store.count('Pod') === 1, 'sync team-b pods');
    expect(conn.store.list('Pod').map((p) => p.name)).toEqual(['b1']);
    expect(conn.store.status('Pod')).toMatchObject({ state: 'synced', onlyNamespace: 'team-b' });
    // Other kinds are still read cluster-wide.
    expect(conn.store.status('PersistentVolumeClaim').onlyNamespace).toBeUndefined();
    // Live: a pod added in team-b arrives through the namespaced watch.
    a.objects.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b2', namespace: 'team-b' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    await until(() => conn.store.count('Pod') === 2, 'b2 watched');
    // A new scope is read again: the fallback follows it.
    await conn.switchNamespace('team-a');
    await until(() => conn.store.status('Pod').state === 'forbidden', 'team-a pods forbidden');
    expect(conn.store.count('Pod')).toBe(0);
  });

  it('takes the context namespace as the default scope', async () => {
    const a = await sim();
    seed(a, 'team-a', ['a1']);
    seed(a, 'team-b', ['b1']);
    const file = kubeconfig(tmp(), [{ name: 'ctx', sim: a, user: 'admin', namespace: 'team-a' }], { admin: 'token: admin-token' });
    const conn = await Connection.open({ kubeconfig: file });
    cleanups.push(() => conn.close());
    expect(conn.namespace).toBe('team-a');
    const all = await Connection.open({ kubeconfig: file, allNamespaces: true });
    cleanups.push(() => all.close());
    expect(all.namespace).toBeNull();
  });

  it('authenticates with an exec credential plugin, in the shipped bundle too', async () => {
    const a = await sim();
    seed(a, 'team-a', ['a1']);
    const dir = tmp();
    const plugin = path.join(dir, 'cred.mjs');
    const runs = path.join(dir, 'runs');
    // Counts its runs: requests sent together (/version and /api, then every kind's list) share one.
    fs.writeFileSync(plugin, `import fs from 'node:fs';\nfs.appendFileSync(${JSON.stringify(runs)}, 'x');\nprocess.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'admin-token' } }));\n`);
    const exec = ['exec:', '  apiVersion: client.authentication.k8s.io/v1', `  command: ${process.execPath}`, '  args:', `  - ${plugin}`, '  interactiveMode: Never'].join('\n');
    const file = kubeconfig(dir, [{ name: 'ctx', sim: a, user: 'via-exec' }], { 'via-exec': exec });
    const conn = await Connection.open({ kubeconfig: file });
    cleanups.push(() => conn.close());
    conn.start();
    await until(() => conn.store.count('Pod') === 1, 'pods via exec credentials');
    expect(a.requests.find((r) => r.path === '/api/v1/pods')?.user).toBe('admin');
    expect(fs.readFileSync(runs, 'utf8')).toBe('x');

    const r = await runCli(['export', '--kubeconfig', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).kind).toBe('Export');
  });

  it('fails with one line when the credentials are rejected', async () => {
    const a = await sim();
    const file = kubeconfig(tmp(), [{ name: 'ctx', sim: a, user: 'bad' }], { bad: 'token: not-a-token' });
    const r = await runCli(['doctor', '--kubeconfig', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`csi-top: the API server at ${a.httpsUrl} rejected the credentials of context "ctx" (401 Unauthorized)`);
  });

  it('fails with one line when everything is forbidden', async () => {
    const a = await sim();
    seed(a, 'team-a', ['a1']);
    for (const resource of ['pods', 'persistentvolumeclaims', 'persistentvolumes']) a.rbac.deny({ verb: 'list', resource });
    const file = kubeconfig(tmp(), [{ name: 'ctx', sim: a, user: 'admin' }], { admin: 'token: admin-token' });
    const r = await runCli(['doctor', '--kubeconfig', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('csi-top: forbidden: pods is forbidden: User "admin" cannot list resource "pods" in API group "" at the cluster scope');
  });
});
