// docs/rbac.md against the real kube-apiserver: its roles (parsed from the document itself) are
// bound to the control plane's "restricted" user, and csi-top (the bundle, and the TUI's header and
// action checks) works with exactly them:
// - nothing bound: one `forbidden` line, exit 1;
// - csi-top-read: doctor and export say what they say for the admin, nothing unavailable except
//   volume usage, which is `forbidden (nodes/proxy)`; no action is offered;
// - csi-top-actions bound in one namespace: actions there, nowhere else;
// - the namespace-only Role with `-n`: works, the cluster-scoped kinds listed as forbidden with
//   the apiserver's reason (doctor's `unavailable` and `not checked:` lines, the TUI header);
//   without `-n` it stops with one line.
// Its own control plane with the demo cluster (every scenario) loaded: bindings change per test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startControlPlane, waitFor, type ControlPlane, type KubeHttp } from './harness';
import { kubeconfigFile } from './objects';
import { loadScenario, type LoadResult } from './scenario-load';
import { buildScenarios } from '../../src/sim/scenarios/index';
import { runCli } from '../helpers/run-cli';
import { Connection } from '../../src/kube/connection';
import { mount } from '../views/harness';

const RBAC_DOC = path.resolve(__dirname, '../../docs/rbac.md');
const RBAC_API = '/apis/rbac.authorization.k8s.io/v1';
const RESTRICTED = { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'restricted' };
/** The namespace the namespace-only Role is bound in (the ceph-rbd scenario's). */
const TEAM_NS = 'db';

let cp: ControlPlane;
let admin: KubeHttp;
let dir: string;
let load: LoadResult;
let restrictedKc: string;
let adminKc: string;

/** Every object of docs/rbac.md's YAML blocks, by `Kind/name`. */
function docObjects(): Map<string, any> {
  const text = fs.readFileSync(RBAC_DOC, 'utf8');
  const out = new Map<string, any>();
  for (const block of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    for (const d of parseAllDocuments(block[1])) {
      const o = d.toJSON();
      if (o) out.set(`${o.kind}/${o.metadata.name}`, o);
    }
  }
  return out;
}
const doc = docObjects();
const fromDoc = (key: string) => {
  const o = doc.get(key);
  if (!o) throw new Error(`docs/rbac.md has no ${key}`);
  return structuredClone(o);
};

/** Binds exactly these roles of the document to "restricted" (every earlier binding removed). */
async function bindOnly(bindings: Array<{ role: string; namespace?: string }>): Promise<void> {
  for (const kind of ['clusterrolebindings', 'rolebindings']) {
    const list = await admin.get<{ items: any[] }>(`${RBAC_API}/${kind}`, { labelSelector: 'e2e=rbac' });
    for (const b of list.items) await admin.request('DELETE', `${RBAC_API}/${b.metadata.namespace ? `namespaces/${b.metadata.namespace}/` : ''}${kind}/${b.metadata.name}`);
  }
  for (const b of bindings) {
    const [kind, name] = b.role.split('/');
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: b.namespace ? 'RoleBinding' : 'ClusterRoleBinding',
      metadata: { name: `${name}-restricted`, labels: { e2e: 'rbac' }, ...(b.namespace ? { namespace: b.namespace } : {}) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
      subjects: [RESTRICTED],
    };
    await admin.create(binding);
  }
}

/** Waits until the authorizer answers `allowed` for the restricted user (its caches follow RBAC changes within moments). */
async function settle(verb: string, resource: string, allowed: boolean, namespace = ''): Promise<void> {
  await waitFor(
    async () => {
      const r = await cp.restricted.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, resource, namespace } } },
      });
      return !!r.status.allowed === allowed;
    },
    { timeoutMs: 20_000, what: `${verb} ${resource} to be ${allowed ? 'allowed' : 'denied'}` },
  );
}

async function csiTop(args: string[], kubeconfig: string): Promise<{ code: number | null; stdout: string; stderr: string; json?: any }> {
  const r = await runCli([...args, '--kubeconfig', kubeconfig], { timeoutMs: 150_000 });
  let json: any;
  if (args.includes('json') && r.stdout.trim().startsWith('{')) json = JSON.parse(r.stdout);
  return { ...r, json };
}

/** A document with the uids mapped back to the scenario's, context and generation time cleared, ages blanked. */
function comparable(d: any): any {
  let text = JSON.stringify({ ...d, context: '<context>', generatedAt: undefined });
  for (const [scenarioUid, serverUid] of load.uids) text = text.split(serverUid).join(scenarioUid);
  return JSON.parse(text.replace(/\b\d+[smhd]\b/g, '<t>'));
}

beforeAll(async () => {
  cp = await startControlPlane();
  admin = cp.admin;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-e2e-rbac-'));
  load = await loadScenario(admin, buildScenarios('all', { seed: 1, now: Date.now() }));
  for (const key of ['ClusterRole/csi-top-read', 'ClusterRole/csi-top-usage', 'ClusterRole/csi-top-actions']) await admin.create(fromDoc(key));
  await admin.create({ ...fromDoc('Role/csi-top-read'), metadata: { name: 'csi-top-read', namespace: TEAM_NS } });
  restrictedKc = kubeconfigFile(cp, dir, 'restricted');
  adminKc = kubeconfigFile(cp, dir, 'admin');
});

afterAll(async () => {
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('docs/rbac.md on the real apiserver', () => {
  it('the document binds its roles to a group: the bindings this test makes differ only in the subject', () => {
    for (const name of ['csi-top-read', 'csi-top-usage', 'csi-top-actions']) {
      expect(fromDoc(`ClusterRoleBinding/${name}`).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name });
    }
    expect(fromDoc('RoleBinding/csi-top-read').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'csi-top-read' });
    // No Secrets, no wildcards.
    for (const o of doc.values()) {
      for (const r of o.rules ?? []) {
        expect(r.resources).not.toContain('secrets');
        expect([...r.resources, ...r.verbs, ...r.apiGroups]).not.toContain('*');
      }
    }
  });

  it('nothing bound: csi-top stops with one forbidden line', async () => {
    await bindOnly([]);
    const r = await csiTop(['doctor', '-A', '--no-usage'], restrictedKc);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^csi-top: forbidden: pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope\n$/);
  });

  it('csi-top-read: doctor and export are what the admin gets; only volume usage is forbidden', async () => {
    await bindOnly([{ role: 'ClusterRole/csi-top-read' }]);
    await settle('list', 'persistentvolumeclaims', true);
    const args = (cmd: string) => [cmd, '-o', 'json', '-A', '--no-usage'];
    const [mineDoctor, adminDoctor, mineExport, adminExport] = await Promise.all([
      csiTop(args('doctor'), restrictedKc),
      csiTop(args('doctor'), adminKc),
      csiTop(args('export'), restrictedKc),
      csiTop(args('export'), adminKc),
    ]);
    for (const r of [mineDoctor, adminDoctor]) expect(r.code, r.stderr).toBe(2);
    expect(mineDoctor.json.unavailable).toBeUndefined();
    expect(comparable(mineDoctor.json)).toEqual(comparable(adminDoctor.json));
    expect(mineDoctor.json.findings.length).toBeGreaterThan(5);
    expect(comparable(mineExport.json)).toEqual(comparable(adminExport.json));

    // With usage on: the kubelet Summary API needs get nodes/proxy, which csi-top-read leaves out.
    const withUsage = await csiTop(['export', '-o', 'json', '-A'], restrictedKc);
    expect(withUsage.code, withUsage.stderr).toBe(0);
    expect(withUsage.json.unavailable).toEqual([
      { kind: 'VolumeUsage', state: 'forbidden', message: expect.stringMatching(/nodes "[^"]+" is forbidden: User "restricted" cannot get resource "nodes\/proxy" in API group "" at the cluster scope/) },
    ]);
    const reasons = new Set(withUsage.json.volumes.map((v: any) => v.usageUnknownReason));
    expect(reasons).toContain('forbidden (nodes/proxy)');
    expect(withUsage.json.volumes.every((v: any) => v.usage === null)).toBe(true);
    const text = await csiTop(['doctor', '-A'], restrictedKc);
    expect(text.stdout).toMatch(/\nnot checked: VolumeUsage \(forbidden: GET on nodes\/proxy \(the kubelet stats\/summary\) is forbidden: nodes "[^"]+" is forbidden: User "restricted" cannot get resource "nodes\/proxy" in API group "" at the cluster scope \(see docs\/rbac\.md\)\)\n/);

    // No action is offered: the access reviews say no.
    const conn = await Connection.open({ kubeconfig: restrictedKc, allNamespaces: true, usage: { disabled: 'not needed here' } });
    try {
      expect(await conn.actions.access('patch', 'persistentvolumeclaims', 'db')).toEqual({ allowed: false, reason: 'not allowed: you cannot patch persistentvolumeclaims in namespace "db"' });
      expect(await conn.actions.access('delete', 'pods', 'kube-system')).toEqual({ allowed: false, reason: 'not allowed: you cannot delete pods in namespace "kube-system"' });
    } finally {
      await conn.close();
    }
  });

  it('csi-top-actions bound in one namespace: resize and delete offered there only', async () => {
    await bindOnly([{ role: 'ClusterRole/csi-top-read' }, { role: 'ClusterRole/csi-top-actions', namespace: 'db' }]);
    await settle('patch', 'persistentvolumeclaims', true, 'db');
    const conn = await Connection.open({ kubeconfig: restrictedKc, allNamespaces: true, usage: { disabled: 'not needed here' } });
    try {
      const reason = 'RBAC: allowed by RoleBinding "csi-top-actions-restricted/db" of ClusterRole "csi-top-actions" to User "restricted"';
      expect(await conn.actions.access('patch', 'persistentvolumeclaims', 'db')).toEqual({ allowed: true, reason });
      expect(await conn.actions.access('delete', 'pods', 'db')).toEqual({ allowed: true, reason });
      expect((await conn.actions.access('patch', 'persistentvolumeclaims', 'web')).allowed).toBe(false);
      expect((await conn.actions.access('delete', 'pods', 'kube-system')).allowed).toBe(false);
    } finally {
      await conn.close();
    }
  });

  it(`the namespace-only Role with -n ${TEAM_NS}: works, the cluster-scoped kinds are listed as forbidden with the apiserver's reason`, async () => {
    await bindOnly([{ role: 'Role/csi-top-read', namespace: TEAM_NS }]);
    await settle('list', 'persistentvolumeclaims', true, TEAM_NS);
    await settle('list', 'persistentvolumes', false);
    const r = await csiTop(['doctor', '-o', 'json', '-n', TEAM_NS, '--no-usage'], restrictedKc);
    expect([0, 2], r.stderr).toContain(r.code);
    const clusterKinds: Array<[string, string, string]> = [
      ['PersistentVolume', 'persistentvolumes', ''],
      ['StorageClass', 'storageclasses', 'storage.k8s.io'],
      ['CSIDriver', 'csidrivers', 'storage.k8s.io'],
      ['CSINode', 'csinodes', 'storage.k8s.io'],
      ['VolumeAttachment', 'volumeattachments', 'storage.k8s.io'],
      ['Node', 'nodes', ''],
      ['Namespace', 'namespaces', ''],
    ];
    const forbidden = (list: any[]) => list.filter((u) => u.state === 'forbidden');
    expect(forbidden(r.json.unavailable)).toEqual(
      clusterKinds.map(([kind, resource, group]) => ({
        kind,
        state: 'forbidden',
        message: `${resource}${group ? `.${group}` : ''} is forbidden: User "restricted" cannot list resource "${resource}" in API group "${group}" at the cluster scope`,
      })),
    );
    // Namespaced kinds csi-top could read in this namespace only (when it tries every namespace
    // first) are listed as such, with the reason; nothing else is missing.
    for (const u of r.json.unavailable.filter((x: any) => x.state !== 'forbidden')) expect(u).toEqual({ kind: u.kind, state: 'namespaceOnly', message: expect.stringContaining(`only namespace ${TEAM_NS}`) });
    // Only the namespace's objects are judged.
    for (const f of r.json.findings) for (const a of [f.object, ...f.affects]) if (a.namespace) expect(a.namespace).toBe(TEAM_NS);
    const text = await csiTop(['doctor', '-n', TEAM_NS, '--no-usage'], restrictedKc);
    for (const [kind, resource] of clusterKinds) expect(text.stdout).toContain(`\nnot checked: ${kind} (forbidden: ${resource}`);
    // Volume usage needs nodes/proxy, cluster-scoped: off, and said so.
    const exp = await csiTop(['export', '-o', 'json', '-n', TEAM_NS], restrictedKc);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.json.volumes.map((v: any) => `${v.pvc?.namespace}/${v.pvc?.name}`).sort()).toEqual(['db/data-postgres-0', 'db/data-postgres-1', 'db/redis-data']);
    expect(exp.json.volumes.find((v: any) => v.pvc.name === 'data-postgres-0').usageUnknownReason).toBe('forbidden (nodes/proxy)');
    expect(forbidden(exp.json.unavailable).map((u: any) => u.kind)).toEqual([...clusterKinds.map(([k]) => k), 'VolumeUsage']);

    // Every namespace: nothing that matters is readable, one line says so.
    const all = await csiTop(['doctor', '-A', '--no-usage'], restrictedKc);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/^csi-top: forbidden: pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope\n$/);

    // The TUI: the header names the kinds it cannot read.
    const conn = await Connection.open({ kubeconfig: restrictedKc, namespace: TEAM_NS, usage: { disabled: 'not needed here' } });
    try {
      conn.start();
      expect(await conn.waitForSync(60_000)).toBe(true);
      const m = mount(conn, { realClock: true, columns: 160, rows: 30 });
      try {
        const f = await m.waitFor(/forbidden: /, 10_000);
        expect(f.split('\n')[0]).toMatch(/synced forbidden: pv,sc,csidrivers,csinodes,va,nodes,namespaces\b/);
        expect(f).toMatch(/postgres-0/);
      } finally {
        m.unmount();
      }
    } finally {
      await conn.close();
    }
  });
});
