// Where `x` applies and what it resizes: a PVC; a pod's PVC (a choice when it has several); a PV's
// claim; a tree line. Over an in-memory store with actions that only record what they were asked.
import { afterEach, describe, expect, it } from 'vitest';
import { askResize, SIZE_FIELD } from './fixture';
import { mount, NOW, type Mounted } from '../views/harness';
import { fakeSession } from '../views/fake-session';
import { buildScenarios } from '../../src/sim/scenarios';
import type { RawObject } from '../../src/store/project';
import type { Actions } from '../../src/actions';
import type { UiSession } from '../../src/views/session';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

function session(): UiSession & { calls: string[] } {
  const objects = buildScenarios('all', { now: NOW, seed: 1 }).objects as unknown as RawObject[];
  // postgres-0 also mounts redis-data: two claims to choose from.
  const pg = objects.find((o) => o.kind === 'Pod' && o.metadata?.name === 'postgres-0') as { spec: { volumes: unknown[] } } | undefined;
  pg!.spec.volumes.push({ name: 'cache', persistentVolumeClaim: { claimName: 'redis-data' } });
  const calls: string[] = [];
  const actions: Actions = {
    readonly: false,
    access: async (verb, resource, ns) => (calls.push(`access ${verb} ${resource} ${ns}`), { allowed: true, reason: '' }),
    resizeClaim: async (ns, name, size) => (calls.push(`resize ${ns}/${name} ${size}`), { ok: true, status: 200, sent: true, message: '' }),
    deletePod: async (ns, name) => (calls.push(`delete ${ns}/${name}`), { ok: true, status: 200, sent: true, message: '' }),
  };
  return Object.assign(fakeSession(objects, { now: NOW }), { actions, calls });
}

describe('x: which claim', () => {
  it('a pod with several claims: choose one, then the dialog is for that claim', async () => {
    const s = session();
    m = mount(s, { columns: 140, rows: 30 });
    await m.press('/', 'postgres-0', 'enter');
    let f = await m.press('x');
    expect(f).toMatch(/This pod uses several claims: choose the one to resize/);
    expect(f).toMatch(/> db\/data-postgres-0\s+50Gi of 50Gi requested · csi-rbd-sc/);
    expect(f).toMatch(/ {2}db\/redis-data\s+8Gi of 8Gi requested/);
    expect(s.calls).toEqual([]);
    await m.press('j');
    f = await m.press('enter');
    expect(f).toMatch(/── Resize PVC db\/redis-data/);
    await m.waitFor(SIZE_FIELD);
    await m.type('16Gi');
    await m.press('enter');
    await m.waitFor(/\(y\/N\)/);
    await m.press('y');
    await m.waitFor(/Progress:/);
    expect(s.calls).toEqual(['access patch persistentvolumeclaims db', 'resize db/redis-data 16Gi']);
  });

  it('a PV resizes its claim; objects without a claim do not offer x', async () => {
    const s = session();
    m = mount(s, { columns: 140, rows: 30, start: 'pv' });
    let f = await m.press('/', 'data-mariadb', 'enter');
    expect(f.split('\n').at(-1)).toMatch(/<x>resize/);
    f = await m.press('x');
    expect(f).toMatch(/── Resize PVC wiki\/data-mariadb-0/);
    await m.press('esc', 'esc', ':', 'nodes', 'enter');
    f = await m.press();
    expect(f.split('\n').at(-1)).not.toMatch(/<x>resize/);
    f = await m.press('x');
    expect(f).not.toMatch(/── Resize/);
  });

  it('from a tree line', async () => {
    const s = session();
    m = mount(s, { columns: 140, rows: 30 });
    await m.press('/', 'mariadb-0', 'enter');
    let f = await m.press('t');
    expect(f).toMatch(/Tree pod wiki\/mariadb-0/);
    // the first line is the pod itself: its one claim
    await m.press('g');
    f = await m.press('x');
    expect(f).toMatch(/── Resize PVC wiki\/data-mariadb-0/);
  });

  it('esc closes the dialog without sending anything', async () => {
    const s = session();
    m = mount(s, { columns: 140, rows: 30, start: 'pvc' });
    await m.press('/', 'data-postgres-0', 'enter');
    await m.press('x');
    await m.waitFor(SIZE_FIELD);
    await m.type('99Gi');
    const f = await m.press('esc');
    expect(f).not.toMatch(/── Resize/);
    expect(s.calls).toEqual(['access patch persistentvolumeclaims db']);
  });
});

describe('--ascii', () => {
  it('the dialogs draw ASCII only', async () => {
    const s = session();
    m = mount(s, { columns: 100, rows: 30, start: 'pvc', opts: { ascii: true } });
    await m.press('/', 'data-postgres-0', 'enter');
    await m.press('x');
    await m.waitFor(SIZE_FIELD);
    await m.type('64Gi');
    let f = await m.press('enter');
    expect(f).toMatch(/Resize db\/data-postgres-0 50Gi -> 64Gi\? \(y\/N\)/);
    expect(f).not.toMatch(/[^\x20-\x7e\n]/);
    f = await m.press('y');
    f = await m.waitFor(/Progress:/);
    expect(f).toMatch(/Progress: requested -> expanding -> FileSystemResizePending -> done/);
    expect(f).not.toMatch(/[^\x20-\x7e\n]/);
  });
});

describe('context switches', () => {
  it('close an open dialog: its claim belongs to the other cluster', async () => {
    const s = session();
    m = mount(s, { columns: 120, rows: 30, start: 'pvc' });
    await m.press('/', 'data-postgres-0', 'enter');
    await askResize(m, '64Gi');
    await s.switchContext('prod-eu');
    const f = await m.press();
    expect(f).not.toMatch(/── Resize/);
    await m.press('y');
    expect(s.calls).toEqual(['access patch persistentvolumeclaims db']);
  });
});
