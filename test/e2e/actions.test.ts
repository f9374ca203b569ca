// The resize action (src/actions, and the TUI's dialog over it) against the real kube-apiserver:
// the merge patch csi-top sends is accepted on a bound claim of an expanding StorageClass; the
// server's refusals (shrink below the capacity, unbound claim, StorageClass without
// allowVolumeExpansion, no RBAC) come back as the apiserver words them, in the Outcome, the action
// log and the dialog; the SelfSubjectAccessReview check follows real RBAC.
//
// The shared control plane; everything lives in a fresh namespace and classes named after it,
// and the RBAC objects made here are deleted at the end.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedControlPlane, type ControlPlane, type KubeHttp } from './harness';
import { appPod, boundClaim, grantRole, kubeconfigFile, readyNode } from './objects';
import { Connection } from '../../src/kube/connection';
import { FileAuditLog, readActionLog } from '../../src/actions';
import { mount, type Mounted } from '../views/harness';
import { fakeSession } from '../views/fake-session';
import { SIZE_FIELD } from '../actions/fixture';
import type { RawObject } from '../../src/store/project';

let cp: ControlPlane;
let admin: KubeHttp;
let ns: string;
let dir: string;
let expand: string;
let fixed: string;
const conns: Connection[] = [];
let m: Mounted | undefined;
const rbacObjects: string[] = [];

const claimPath = (name: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`;
const grow = (size: string) => ({ spec: { resources: { requests: { storage: size } } } });

/** A csi-top connection (admin, or the restricted user) scoped to the test's namespace, with its own action log. */
async function connect(user: 'admin' | 'restricted'): Promise<{ conn: Connection; logFile: string }> {
  const logFile = path.join(dir, `${user}-${conns.length}.log`);
  const conn = await Connection.open({ kubeconfig: kubeconfigFile(cp, dir, user), namespace: ns, audit: new FileAuditLog(logFile), usage: { disabled: 'not needed here' }, reflector: { retryDeniedMs: 60_000 } });
  conns.push(conn);
  conn.start();
  expect(await conn.waitForSync(60_000)).toBe(true);
  return { conn, logFile };
}

/** What the apiserver answers to the same patch sent raw (the refusals have no side effect). */
async function serverRefusal(client: KubeHttp, name: string, size: string): Promise<{ status: number; message: string }> {
  const r = await client.request('PATCH', claimPath(name), { body: grow(size), contentType: 'application/merge-patch+json' });
  expect(r.status).toBeGreaterThanOrEqual(400);
  return { status: r.status, message: r.body.message };
}

/** Grants the restricted user a Role in the test namespace (deleted in afterAll). */
async function grantRestricted(name: string, rules: unknown[]): Promise<void> {
  rbacObjects.push(...(await grantRole(admin, ns, name, rules)));
}

beforeAll(async () => {
  cp = await sharedControlPlane();
  admin = cp.admin;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-e2e-actions-'));
  ns = await admin.createNamespace('resize');
  expand = `${ns}-expand`;
  fixed = `${ns}-fixed`;
  await admin.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: expand }, provisioner: 'e2e.csi.example.com', allowVolumeExpansion: true });
  await admin.create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: fixed }, provisioner: 'e2e.csi.example.com' });
  for (const c of ['grow', 'shrink', 'ui', 'stale', 'denied']) await boundClaim(admin, ns, c, expand);
  await boundClaim(admin, ns, 'fixed', fixed);
  await admin.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'loose', namespace: ns }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: expand } });
  await readyNode(admin, `${ns}-n1`);
  await admin.apply(appPod(ns, 'app', `${ns}-n1`, ['ui']));
});

afterEach(() => {
  m?.unmount();
  m = undefined;
});

afterAll(async () => {
  for (const c of conns) await c.close();
  for (const p of rbacObjects) await admin.request('DELETE', p);
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('resize through the action code', () => {
  it('the merge patch is accepted on a bound claim of a class with allowVolumeExpansion', async () => {
    const { conn, logFile } = await connect('admin');
    const out = await conn.actions.resizeClaim(ns, 'grow', '2Gi');
    expect(out).toEqual({ ok: true, status: 200, sent: true, message: '' });
    const pvc = await admin.get(claimPath('grow'));
    expect(pvc.spec.resources.requests.storage).toBe('2Gi');
    expect(readActionLog(logFile)).toMatchObject([
      {
        action: 'resize',
        verb: 'patch',
        object: { kind: 'PersistentVolumeClaim', namespace: ns, name: 'grow' },
        request: { method: 'PATCH', path: claimPath('grow'), contentType: 'application/merge-patch+json', body: grow('2Gi') },
        result: { ok: true, status: 200 },
      },
    ]);
  });

  it("the server's refusals come back verbatim: shrink below the capacity, unbound claim, class without expansion", async () => {
    const { conn, logFile } = await connect('admin');
    // Grow first (the capacity stays 1Gi: no resizer here), then ask for less than the capacity.
    expect((await conn.actions.resizeClaim(ns, 'shrink', '3Gi')).ok).toBe(true);
    const cases: Array<[string, string, number, RegExp]> = [
      ['shrink', '1Gi', 422, /^PersistentVolumeClaim "shrink" is invalid: spec\.resources\.requests\.storage: Forbidden: field can not be less than status\.capacity$/],
      ['loose', '2Gi', 422, /^PersistentVolumeClaim "loose" is invalid: spec: Forbidden: spec is immutable after creation except resources\.requests and volumeAttributesClassName for bound claims\n/],
      ['fixed', '2Gi', 403, /^persistentvolumeclaims "fixed" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize$/],
    ];
    for (const [claim, size, status, wording] of cases) {
      const out = await conn.actions.resizeClaim(ns, claim, size);
      expect(out, claim).toMatchObject({ ok: false, status, sent: true });
      expect(out.message, claim).toMatch(wording);
      // The same request sent raw gets the same words (the unbound claim's message ends with a
      // go-cmp diff whose spacing go-cmp randomises on purpose: compare its first line).
      const raw = await serverRefusal(admin, claim, size);
      expect(raw.status).toBe(status);
      if (claim === 'loose') expect(out.message.split('\n')[0]).toBe(raw.message.split('\n')[0]);
      else expect(out.message).toBe(raw.message);
    }
    const log = readActionLog(logFile);
    expect(log.map((e) => [e.object.name, e.result.ok, e.result.status])).toEqual([['shrink', true, 200], ['shrink', false, 422], ['loose', false, 422], ['fixed', false, 403]]);
    expect(log[3].result.message).toMatch(cases[2][3]);
  });

  it('no RBAC: the review says no, and the patch is refused with the apiserver\'s words', async () => {
    await grantRestricted('read', [{ apiGroups: [''], resources: ['pods', 'persistentvolumeclaims', 'events'], verbs: ['get', 'list', 'watch'] }]);
    const { conn, logFile } = await connect('restricted');
    const access = await conn.actions.access('patch', 'persistentvolumeclaims', ns);
    expect(access).toEqual({ allowed: false, reason: `not allowed: you cannot patch persistentvolumeclaims in namespace "${ns}"` });
    const out = await conn.actions.resizeClaim(ns, 'denied', '2Gi');
    const words = `persistentvolumeclaims "denied" is forbidden: User "restricted" cannot patch resource "persistentvolumeclaims" in API group "" in the namespace "${ns}"`;
    expect(out).toEqual({ ok: false, status: 403, sent: true, message: words });
    expect(readActionLog(logFile)).toMatchObject([{ object: { name: 'denied' }, result: { ok: false, status: 403, message: words } }]);
    expect((await admin.get(claimPath('denied'))).spec.resources.requests.storage).toBe('1Gi');
  });

  it('the SelfSubjectAccessReview follows RBAC as granted and in which namespace', async () => {
    const { conn } = await connect('restricted');
    expect((await conn.actions.access('patch', 'persistentvolumeclaims', ns)).allowed).toBe(false);
    await grantRestricted('resize', [{ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['patch'] }]);
    // Asked anew at every dialog: a permission just granted counts.
    const allowed = await conn.actions.access('patch', 'persistentvolumeclaims', ns);
    expect(allowed).toEqual({ allowed: true, reason: `RBAC: allowed by RoleBinding "resize/${ns}" of Role "resize" to User "restricted"` });
    expect((await conn.actions.access('patch', 'persistentvolumeclaims', 'default')).allowed).toBe(false);
    expect((await conn.actions.access('delete', 'pods', ns)).allowed).toBe(false);
  });
});

describe('the resize dialog against the real apiserver', () => {
  async function openDialog(session: Parameters<typeof mount>[0], claim: string): Promise<Mounted> {
    m = mount(session, { realClock: true, columns: 220, rows: 40 });
    await m.press(':', 'pvc', 'enter');
    await m.press('/', claim, 'enter');
    await m.waitFor(new RegExp(`PVCs\\(${ns}\\)\\[1/`), 10_000);
    await m.press('x');
    await m.waitFor(/New size:/, 10_000);
    return m;
  }
  const flat = (f: string) => f.replace(/\n\s*/g, ' ');

  it('x, a size, y: the claim is patched on the server and the dialog follows it', async () => {
    const { conn, logFile } = await connect('admin');
    await openDialog(conn, 'ui');
    await m!.waitFor(SIZE_FIELD, 10_000);
    await m!.type('5Gi');
    let f = await m!.press('enter');
    expect(f).toMatch(new RegExp(`Resize ${ns}/ui 1Gi → 5Gi\\? \\(y/N\\)`));
    await m!.press('y');
    f = await m!.waitFor(/Progress: (\S+ )*requested/, 15_000);
    expect(f).toMatch(/5Gi was requested; no resizer has picked it up yet/);
    expect((await admin.get(claimPath('ui'))).spec.resources.requests.storage).toBe('5Gi');
    expect(readActionLog(logFile)).toMatchObject([{ object: { name: 'ui' }, result: { ok: true, status: 200 } }]);
  });

  it('a refusal by the server is shown as the server words it (csi-top saw the claim before another client grew it)', async () => {
    const { conn, logFile } = await connect('admin');
    // What this csi-top saw: the objects before the other client's change.
    const objects = (await Promise.all([`/api/v1/namespaces/${ns}/persistentvolumeclaims`, '/api/v1/persistentvolumes', '/apis/storage.k8s.io/v1/storageclasses'].map((p) => admin.get(p)))).flatMap(
      (l: any, i) => l.items.map((o: any) => ({ ...o, kind: ['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'][i], apiVersion: i === 2 ? 'storage.k8s.io/v1' : 'v1' })),
    ) as RawObject[];
    // The other client: 8Gi requested, and the volume already grew to it.
    await admin.patch(claimPath('stale'), grow('8Gi'));
    await admin.patch(`${claimPath('stale')}/status`, { status: { capacity: { storage: '8Gi' } } });
    const session = { ...fakeSession(objects, { namespace: ns }), actions: conn.actions };
    await openDialog(session, 'stale');
    await m!.waitFor(SIZE_FIELD, 10_000);
    await m!.type('4Gi');
    let f = await m!.press('enter');
    expect(f).toMatch(new RegExp(`Resize ${ns}/stale 1Gi → 4Gi\\? \\(y/N\\)`));
    await m!.press('y');
    f = await m!.waitFor(/is invalid/, 15_000);
    expect(flat(f)).toMatch(/PersistentVolumeClaim "stale" is invalid: spec\.resources\.requests\.storage: Forbidden: field can not be less than status\.capacity/);
    expect(f).not.toMatch(/Progress:/);
    expect(readActionLog(logFile)).toMatchObject([{ object: { name: 'stale' }, result: { ok: false, status: 422, message: 'PersistentVolumeClaim "stale" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity' } }]);
  });

  it('a user who may not patch claims: greyed out with the reason, nothing sent', async () => {
    const { conn, logFile } = await connect('restricted');
    // 'resize' (patch) was granted above: take it away again for this user's view.
    await admin.request('DELETE', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/resize`);
    await openDialog(conn, 'denied');
    const f = await m!.waitFor(/not possible/, 10_000);
    expect(flat(f)).toMatch(new RegExp(`not possible: not allowed: you cannot patch persistentvolumeclaims in namespace "${ns}"`));
    await m!.type('2Gi');
    expect(await m!.press('enter')).not.toMatch(/\(y\/N\)/);
    expect(fs.existsSync(logFile) ? readActionLog(logFile) : []).toEqual([]);
  });
});
