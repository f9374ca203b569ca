// After `y`: the claim's row (RESIZE) and the dialog follow the expansion as the demo world's
// external-resizer and kubelet move it — expanding, FileSystemResizePending while no pod mounts
// the claim, done once one does — and a refusal by the server (another client got there first) is
// shown verbatim with nothing else sent.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, type Mounted } from '../views/harness';
import { SIZE_FIELD, askResize, simSession, type SimSession, until } from './fixture';
import { fakeSession } from '../views/fake-session';
import { buildScenarios } from '../../src/sim/scenarios';
import type { RawObject } from '../../src/store/project';

let s: SimSession | undefined;
let m: Mounted | undefined;
afterEach(async () => {
  m?.unmount();
  m = undefined;
  await s?.close();
  s = undefined;
});

const MERGE = 'application/merge-patch+json';
/** The RESIZE cell of a claim's row in :pvc (read under the column header). */
const resizeCell = (frame: string, claim: string): string => {
  const table = frame.split('── Resize')[0];
  const header = table.split('\n').find((l) => /NAMESPACE\s+NAME/.test(l)) ?? '';
  const row = table.split('\n').find((l) => l.includes(` ${claim} `)) ?? '';
  const at = header.indexOf('RESIZE');
  const end = header.indexOf('PODS');
  return at < 0 || end < 0 ? '' : row.slice(at, end).trim();
};

describe('resize progress, live', () => {
  it('expanding → FileSystemResizePending (no pod mounts it) → done when the StatefulSet runs a pod again', async () => {
    s = await simSession({ live: true, scenarios: ['healthy'], tickMs: 150 });
    const sim = s.sim;
    // The only user goes away first: the node-side resize then waits for a pod.
    sim.objects.patch('statefulsets', 'wiki', 'mariadb', MERGE, { spec: { replicas: 0 } });
    sim.objects.delete('pods', 'wiki', 'mariadb-0', { gracePeriodSeconds: 0 });
    await until(() => !s!.conn.store.get('Pod', 'wiki', 'mariadb-0'), 'mariadb-0 gone from the store');
    m = mount(s.conn, { realClock: true, columns: 140, rows: 34 });
    await m.press(':', 'pvc', 'enter');
    await m.press('/', 'data-mariadb-0', 'enter');
    await m.waitFor(/PVCs\(all\)\[1\//);
    await m.press('x');
    await m.waitFor(SIZE_FIELD);
    expect(m.frame()).toMatch(/used by no pod/);
    await m.type('32Gi');
    await m.press('enter');
    await m.waitFor(/Resize wiki\/data-mariadb-0 20Gi → 32Gi\? \(y\/N\)/);
    await m.press('y');
    const seen: string[] = [];
    const sample = () => {
      const c = resizeCell(m!.frame(), 'data-mariadb-0');
      if (c && c !== seen.at(-1)) seen.push(c);
    };
    const watch = setInterval(sample, 10);
    try {
      let f = await m.waitFor(/finishes when a pod mounts it: no pod uses it now, start one/, 8000);
      expect(f).toMatch(/Progress: requested → expanding → FileSystemResizePending → done/);
      // The list refreshes at its own pace (up to 40× its cost), the dialog at once.
      await until(() => resizeCell(m!.frame(), 'data-mariadb-0') === 'fs pending', 'the row to show fs pending', 5000);
      expect(f).toMatch(/last event .*FileSystemResizeRequired/);
      const pvc = sim.objects.get('persistentvolumeclaims', 'wiki', 'data-mariadb-0');
      expect(pvc.status.capacity.storage).toBe('20Gi');
      expect(pvc.status.allocatedResourceStatuses.storage).toBe('NodeResizePending');
      // A pod mounts it again: kubelet grows the file system.
      sim.objects.patch('statefulsets', 'wiki', 'mariadb', MERGE, { spec: { replicas: 1 } });
      f = await m.waitFor(/done: capacity 32Gi/, 10_000);
      await until(() => resizeCell(m!.frame(), 'data-mariadb-0') === 'done', 'the row to show done', 5000);
    } finally {
      clearInterval(watch);
      sample();
    }
    expect(seen[0]).toMatch(/requested|expanding/);
    expect(seen).toContain('expanding');
    expect(seen.slice(seen.indexOf('expanding'))).toEqual(['expanding', 'fs pending', 'done']);
    // exactly one patch went out, and it is in the action log
    expect(s.mutations().map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`)).toEqual([`PATCH /api/v1/namespaces/wiki/persistentvolumeclaims/data-mariadb-0 {"spec":{"resources":{"requests":{"storage":"32Gi"}}}}`]);
    expect(s.log().map((e) => `${e.action} ${e.object.namespace}/${e.object.name} ${e.result.status}`)).toEqual(['resize wiki/data-mariadb-0 200']);
    // the detail tells the same story
    await m.press('esc');
    const detail = await m.press('enter');
    expect(detail).toMatch(/Resize:\s+done: grew to 32Gi \(FileSystemResizeSuccessful/);
    expect(s.world!.errors).toEqual([]);
  }, 40_000);

  it('a failing controller resize shows failed with the resizer\'s message', async () => {
    s = await simSession({ live: true, scenarios: ['ceph-rbd'], tickMs: 50 });
    s.world!.faults.expand.push({ driver: 'rbd.csi.ceph.com', message: 'rpc error: code = Internal desc = rbd: resize of image failed: quota exceeded' });
    m = mount(s.conn, { realClock: true, columns: 140, rows: 34 });
    await m.press(':', 'pvc', 'enter');
    await m.press('/', 'data-postgres-0', 'enter');
    await m.waitFor(/PVCs\(all\)\[1\//);
    await m.press('x');
    await m.waitFor(SIZE_FIELD);
    await m.type('60Gi');
    await m.press('enter', 'y');
    const f = await m.waitFor(/could not expand the volume/, 8000);
    expect(f.replace(/\n /g, ' ')).toMatch(/the controller \(external-resizer\) could not expand the volume: see the events and the resizer logs: failed to expand pvc with rpc error: code = Internal desc = rbd: resize of image failed: quota exceeded/);
    // The list behind the dialog follows at its refresh pace (1-2 s while changes keep coming).
    expect(resizeCell(await m.waitFor(/failed \(ctrl\)/, 3000), 'data-postgres-0')).toBe('failed (ctrl)');
  }, 30_000);
});

describe('refusals by the server, verbatim', () => {
  it('another client grew the claim first: the server refuses the smaller size, shown as it said it', async () => {
    s = await simSession({ scenarios: ['ceph-rbd'] });
    // What this csi-top saw: the claims before the other client's change (a store that lags).
    const seen = buildScenarios(['ceph-rbd'], { now: Date.now(), seed: 1 }).objects as unknown as RawObject[];
    const session = { ...fakeSession(seen), actions: s.conn.actions };
    // The other client: 80Gi requested, and the volume already grew to it.
    const cur = s.sim.objects.get('persistentvolumeclaims', 'db', 'data-postgres-1');
    s.sim.objects.update({ ...cur, spec: { ...cur.spec, resources: { requests: { storage: '80Gi' } } } });
    const grown = s.sim.objects.get('persistentvolumeclaims', 'db', 'data-postgres-1');
    s.sim.objects.updateStatus({ ...grown, status: { ...grown.status, capacity: { storage: '80Gi' } } });
    m = mount(session, { columns: 160, rows: 34 });
    await m.press(':', 'pvc', 'enter');
    await m.press('/', 'data-postgres-1', 'enter');
    await m.press('x');
    await m.waitFor(SIZE_FIELD);
    await m.type('64Gi');
    let f = await m.press('enter');
    expect(f).toMatch(/Resize db\/data-postgres-1 50Gi → 64Gi\? \(y\/N\)/);
    await m.press('y');
    f = await m.waitFor(/is invalid/);
    expect(f).toMatch(/PersistentVolumeClaim "data-postgres-1" is invalid: spec\.resources\.requests\.storage: Forbidden: field can not be less than status\.capacity/);
    expect(f).not.toMatch(/Progress:/);
    expect(s.mutations()).toHaveLength(1);
    expect(s.mutations()[0].status).toBe(422);
    expect(s.log()).toMatchObject([{ action: 'resize', result: { ok: false, status: 422, message: expect.stringMatching(/field can not be less than status\.capacity/) } }]);
  });
});

describe('a file system resize waiting for a mount', () => {
  it('the dialog offers to restart the pod using the claim (R), which deletes it for its StatefulSet to recreate', async () => {
    s = await simSession({ scenarios: ['healthy'] });
    m = mount(s.conn, { realClock: true, columns: 150, rows: 34 });
    await m.press(':', 'pvc', 'enter');
    await m.press('/', 'data-mariadb-0', 'enter');
    await m.waitFor(/PVCs\(all\)\[1\//);
    await askResize(m, '24Gi');
    await m.press('y');
    await m.waitFor(/Progress:/);
    // No resizer here: play external-resizer's part and leave the claim waiting for kubelet.
    const cur = s.sim.objects.get('persistentvolumeclaims', 'wiki', 'data-mariadb-0');
    const condition = { type: 'FileSystemResizePending', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString(), message: 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.' };
    s.sim.objects.updateStatus({ ...cur, status: { ...cur.status, conditions: [condition], allocatedResources: { storage: '24Gi' }, allocatedResourceStatuses: { storage: 'NodeResizePending' } } });
    let f = await m.waitFor(/restart wiki\/mariadb-0\? \(R\)/);
    expect(f).toMatch(/finishes when a pod mounts it: restart wiki\/mariadb-0\? \(R\)/);
    f = await m.waitFor(/<shift-R>restart its pods <esc>close/);
    expect(f.split('\n').at(-1)).toMatch(/<shift-R>restart its pods <esc>close/);
    f = await m.press('R');
    f = await m.waitFor(/\(y\/N\)/);
    expect(f).toMatch(/── Restart 1 pod for PVC wiki\/data-mariadb-0/);
    expect(f).toMatch(/the file system resize of PVC wiki\/data-mariadb-0 finishes when a pod mounts it again/);
    expect(f).toMatch(/\[delete\]\s+wiki\/mariadb-0 on \S+ · Running · recreated by StatefulSet mariadb/);
    await m.press('y');
    await m.waitFor(/restarted 1 pod/);
    expect(s.mutations().map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /api/v1/namespaces/wiki/persistentvolumeclaims/data-mariadb-0', 'DELETE /api/v1/namespaces/wiki/pods/mariadb-0']);
    expect(s.log().map((e) => e.action)).toEqual(['resize', 'restart']);
    // The claim's detail says the same, with R offered there too.
    await until(() => !s!.conn.store.get('Pod', 'wiki', 'mariadb-0'), 'the pod to go');
  });

  it('the PVC detail explains the wait and offers R while a pod uses the claim', async () => {
    s = await simSession({ scenarios: ['healthy'] });
    const cur = s.sim.objects.get('persistentvolumeclaims', 'wiki', 'data-mariadb-0');
    s.sim.objects.update({ ...cur, spec: { ...cur.spec, resources: { requests: { storage: '24Gi' } } } });
    const grown = s.sim.objects.get('persistentvolumeclaims', 'wiki', 'data-mariadb-0');
    s.sim.objects.updateStatus({ ...grown, status: { ...grown.status, conditions: [{ type: 'FileSystemResizePending', status: 'True', lastTransitionTime: new Date().toISOString() }], allocatedResourceStatuses: { storage: 'NodeResizePending' } } });
    await until(() => s!.conn.store.get('PersistentVolumeClaim', 'wiki', 'data-mariadb-0')?.resizeStatus === 'NodeResizePending', 'the store to see it');
    m = mount(s.conn, { realClock: true, columns: 150, rows: 34 });
    await m.press(':', 'pvc', 'enter');
    await m.press('/', 'data-mariadb-0', 'enter');
    let f = await m.waitFor(/fs pending/);
    expect(f.split('\n').at(-1)).toMatch(/<x>resize <shift-R>restart pods/);
    f = await m.press('enter');
    expect(f.replace(/\n\s+/g, ' ')).toMatch(/Resize:\s+fs pending: the volume grew, its file system not yet \(FileSystemResizePending\) \(NodeResizePending\); finishes when a pod mounts it: restart wiki\/mariadb-0\? \(R\)/);
    f = await m.press('R');
    expect(await m.waitFor(/\(y\/N\)/)).toMatch(/── Restart 1 pod for PVC wiki\/data-mariadb-0/);
    await m.press('n');
    expect(s.mutations()).toEqual([]);
  });
});
