// Restarting the app pods behind a recreated JuiceFS mount pod (R) and deleting a pod (ctrl-d),
// against the simulator over HTTP: every pod listed with what recreates it, pods without a
// controller skipped unless included, y/N defaulting to No, deletes carrying the pod's uid, the
// server's refusals verbatim, every deletion in the action log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mount, type Mounted } from '../views/harness';
import { simSession, until, type SimSession } from './fixture';
import { fakeSession } from '../views/fake-session';
import { buildScenarios, type KObj } from '../../src/sim/scenarios';
import { csiTargetPath, juicefsRefKey } from '../../src/sim/scenarios/kube';
import type { RawObject } from '../../src/store/project';

const CTRL_D = '\x04';
let s: SimSession;
let m: Mounted | undefined;
let staleApp = '';
let mountPod = '';

/** A second app pod on n2 mounting jfs-data through the recreated mount pod, with no controller. */
function addBarePod(objects: KObj[]): void {
  const mp = objects.find((o) => o.kind === 'Pod' && o.metadata.namespace === 'kube-system' && /^juicefs-n2-/.test(o.metadata.name) && Object.keys(o.metadata.annotations ?? {}).some((k) => /^juicefs-[0-9a-f]{55}$/.test(k)))!;
  const app = objects.find((o) => o.kind === 'Pod' && o.metadata.namespace === 'web' && o.spec?.nodeName === 'n2')!;
  const bare = structuredClone(app);
  bare.metadata.name = 'web-debug';
  bare.metadata.uid = '0b5e2c1d-9a1f-4c3e-8e51-5b8f1e0d7a11';
  delete bare.metadata.ownerReferences;
  bare.metadata.annotations = {};
  objects.push(bare);
  const pv = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.namespace === 'web' && o.metadata.name === 'jfs-data')!.spec.volumeName;
  const target = csiTargetPath(bare.metadata.uid, pv);
  mp.metadata.annotations = { ...mp.metadata.annotations, [juicefsRefKey(target)]: target };
  staleApp = app.metadata.name;
  mountPod = mp.metadata.name;
}

beforeAll(async () => {
  s = await simSession({ edit: addBarePod });
});
afterAll(async () => {
  await s?.close();
});
afterEach(() => {
  m?.unmount();
  m = undefined;
  s.sim.rbac.reset();
});

async function onRow(list: string, filter: string): Promise<Mounted> {
  m = mount(s.conn, { realClock: true, columns: 150, rows: 34 });
  await m.press(':', list, 'enter');
  await m.press('/', filter, 'enter');
  await m.waitFor(/\(all\)\[1\//);
  return m;
}

describe('R: restart the pods behind a recreated mount pod', () => {
  it('lists every pod with what recreates it; anything but y sends nothing; y deletes only the controlled ones', async () => {
    await onRow('mounts', mountPod);
    expect(m!.frame().split('\n').at(-1)).toMatch(/<shift-R>restart pods/);
    let f = await m!.press('R');
    f = await m!.waitFor(/\(y\/N\)/);
    expect(f).toMatch(new RegExp(`── Restart 2 pods for pod kube-system/${mountPod}`));
    expect(f).toMatch(/was recreated after 2 app pod\(s\) mounted through it: their mounts are dead/);
    expect(f).toMatch(new RegExp(`\\[delete\\]\\s+web/${staleApp} on n2 · Running · recreated by Deployment web \\(ReplicaSet web-`));
    expect(f).toMatch(/\[skip\]\s+web\/web-debug on n2 · Running · no controller: skipped \(a includes it\)/);
    expect(f).toMatch(new RegExp(`Delete 1 pod \\(web/${staleApp}\\); its controller recreates it\\? \\(y/N\\)`));
    f = await m!.press('n');
    expect(f).not.toMatch(/── Restart/);
    expect(f).toMatch(/restart cancelled: nothing was sent/);
    await m!.press('R');
    await m!.waitFor(/\(y\/N\)/);
    f = await m!.press('enter');
    expect(f).toMatch(/restart cancelled: nothing was sent/);
    expect(s.mutations()).toEqual([]);
    await m!.press('R');
    await m!.waitFor(/\(y\/N\)/);
    await m!.press('y');
    f = await m!.waitFor(/restarted 1 pod/);
    expect(f).toMatch(new RegExp(`\\[deleted\\]\\s+web/${staleApp}`));
    expect(s.mutations().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`DELETE /api/v1/namespaces/web/pods/${staleApp} 200`]);
    expect(s.mutations()[0].body).toMatchObject({ kind: 'DeleteOptions', preconditions: { uid: expect.any(String) } });
    expect(s.log()).toMatchObject([{ action: 'restart', verb: 'delete', object: { kind: 'Pod', namespace: 'web', name: staleApp }, result: { ok: true }, reason: expect.stringMatching(/mount pod .* was recreated/) }]);
  });

  it('a pod without a controller is deleted only once included with a', async () => {
    await until(() => !s.conn.store.get('Pod', 'web', staleApp), 'the deleted pod to leave the store');
    s.sim.clearRequests();
    await onRow('mounts', mountPod);
    let f = await m!.press('R');
    f = await m!.waitFor(/No pod with a controller/);
    expect(f).toMatch(/\[skip\]\s+web\/web-debug/);
    f = await m!.press('y');
    expect(f).toMatch(/no pod with a controller to restart: a includes the pods without one/);
    expect(s.mutations()).toEqual([]);
    f = await m!.press('a');
    expect(f).toMatch(/\[delete\]\s+web\/web-debug on n2 · Running · no controller: it will NOT come back/);
    expect(f).toMatch(/Delete 1 pod \(web\/web-debug\); nothing recreates it\? \(y\/N\)/);
    await m!.press('y');
    await m!.waitFor(/restarted 1 pod/);
    expect(s.mutations().map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/v1/namespaces/web/pods/web-debug']);
  });
});

describe('ctrl-d: delete a pod', () => {
  it('asks y/N naming it; anything else sends nothing; y deletes that very pod', async () => {
    s.sim.clearRequests();
    const before = s.log().length;
    await onRow('pods', 'mariadb-0');
    expect(m!.frame().split('\n').at(-1)).toMatch(/<ctrl-d>delete/);
    let f = await m!.press(CTRL_D);
    f = await m!.waitFor(/\(y\/N\)/);
    expect(f).toMatch(/── Delete pod wiki\/mariadb-0/);
    expect(f).toMatch(/Running on n\d · app pod/);
    expect(f).toMatch(/recreated by StatefulSet mariadb/);
    expect(f).toMatch(/Delete pod wiki\/mariadb-0\? \(y\/N\)/);
    for (const key of ['n', 'N', 'enter', 'esc', 'q', ' ']) {
      f = await m!.press(key);
      expect(f, key).not.toMatch(/── Delete/);
      expect(f).toMatch(/not deleted: wiki\/mariadb-0 \(nothing was sent\)/);
      await m!.press(CTRL_D);
      await m!.waitFor(/\(y\/N\)/);
    }
    expect(s.mutations()).toEqual([]);
    const uid = s.conn.store.get('Pod', 'wiki', 'mariadb-0')!.uid;
    f = await m!.press('y');
    f = await m!.waitFor(/deleted pod wiki\/mariadb-0: StatefulSet mariadb recreates it/);
    expect(f).not.toMatch(/── Delete/);
    expect(s.mutations()).toMatchObject([{ method: 'DELETE', path: '/api/v1/namespaces/wiki/pods/mariadb-0', status: 200, body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } } }]);
    expect(s.reviews().at(-1)!.body).toMatchObject({ spec: { resourceAttributes: { namespace: 'wiki', verb: 'delete', resource: 'pods' } } });
    const log = s.log().slice(before);
    expect(log).toMatchObject([{ action: 'delete', verb: 'delete', object: { kind: 'Pod', namespace: 'wiki', name: 'mariadb-0' }, request: { method: 'DELETE', body: { preconditions: { uid } } }, result: { ok: true, status: 200 } }]);
  });

  it('a mount pod: the driver recreates it', async () => {
    await onRow('mounts', 'juicefs-n3');
    await m!.press(CTRL_D);
    const f = await m!.waitFor(/\(y\/N\)/);
    expect(f).toMatch(/mount pod of csi\.juicefs\.com/);
    expect(f).toMatch(/recreated by the csi\.juicefs\.com node plugin/);
    await m!.press('n');
  });

  it('forbidden by RBAC: the reason, no question, nothing sent', async () => {
    s.sim.clearRequests();
    s.sim.rbac.deny({ verb: 'delete', resource: 'pods', namespace: 'db' });
    await onRow('pods', 'postgres-0');
    await m!.press(CTRL_D);
    let f = await m!.waitFor(/not possible/);
    expect(f).toMatch(/not possible: not allowed: you cannot delete pods in namespace "db"/);
    expect(f).not.toMatch(/\(y\/N\)/);
    f = await m!.press('y');
    expect(f).toMatch(/── Delete pod db\/postgres-0/);
    expect(s.mutations()).toEqual([]);
    f = await m!.press('esc');
    expect(f).not.toMatch(/── Delete/);
  });

  it('the pod was recreated under the same name meanwhile: the server refuses, shown verbatim', async () => {
    s.sim.clearRequests();
    // What this csi-top saw: the pods before someone replaced docs' pod with a new one of the same name.
    const seen = buildScenarios('all', { now: Date.now(), seed: 1 }).objects as unknown as RawObject[];
    const old = seen.find((o) => o.kind === 'Pod' && o.metadata?.namespace === 'db' && o.metadata?.name === 'postgres-1')!;
    const cur = s.sim.objects.get('pods', 'db', 'postgres-1');
    s.sim.objects.delete('pods', 'db', 'postgres-1', { gracePeriodSeconds: 0 });
    const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = cur.metadata;
    s.sim.objects.create({ ...cur, metadata: meta, status: undefined });
    const fresh = s.sim.objects.get('pods', 'db', 'postgres-1').metadata.uid;
    m = mount({ ...fakeSession(seen), actions: s.conn.actions }, { columns: 150, rows: 34 });
    await m.press('/', 'postgres-1', 'enter');
    await m.press(CTRL_D);
    await m.waitFor(/\(y\/N\)/);
    await m.press('y');
    const f = (await m.waitFor(/Precondition failed/)).replace(/\n /g, ' ');
    expect(f).toMatch(new RegExp(`Operation cannot be fulfilled on pods "postgres-1": Precondition failed: UID in precondition: ${old.metadata!.uid}, UID in object meta: ${fresh}`));
    expect(s.sim.objects.get('pods', 'db', 'postgres-1').metadata.uid).toBe(fresh);
    expect(s.mutations()).toMatchObject([{ method: 'DELETE', status: 409 }]);
    expect(s.log().at(-1)).toMatchObject({ action: 'delete', result: { ok: false, status: 409 } });
  });
});
