// The resize dialog against the simulator over real HTTP: every refusal the dialog makes itself
// (grammar, shrink, equal size, class without expansion, unbound claim, RBAC) shows its message
// and sends nothing; a valid size asks y/N, `y` sends exactly one merge patch and anything else
// sends nothing; a refusal by the server is shown verbatim.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mount, type Mounted } from '../views/harness';
import { SIZE_FIELD, simSession, type SimSession } from './fixture';

let s: SimSession;
let m: Mounted | undefined;
beforeAll(async () => {
  s = await simSession();
});
afterAll(async () => {
  await s?.close();
});
afterEach(() => {
  m?.unmount();
  m = undefined;
  s.sim.rbac.reset();
  s.sim.clearRequests();
});

/** Opens :pvc, selects the claim and presses x; waits for the size field. */
async function openDialog(claim: string): Promise<Mounted> {
  m = mount(s.conn, { realClock: true, columns: 120, rows: 30 });
  await m.press(':', 'pvc', 'enter');
  await m.press('/', claim, 'enter');
  await m.waitFor(new RegExp(`PVCs\\(all\\)\\[1/`));
  await m.press('x');
  await m.waitFor(/New size:/);
  return m;
}

describe('resize dialog: what it refuses itself, sending nothing', () => {
  it('shows the claim: capacity, request, class and expansion, driver, pods', async () => {
    const f = await (await openDialog('data-mariadb-0')).waitFor(/allows expansion/);
    expect(f).toMatch(/── Resize PVC wiki\/data-mariadb-0/);
    expect(f).toMatch(/Bound · capacity 20Gi · requested 20Gi\n\s*class csi-rbd-sc \(allows expansion\) · driver rbd\.csi\.ceph\.com/);
    expect(f).toMatch(/used by wiki\/mariadb-0 \(Running\)/);
    expect(f).toMatch(/New size:\s+current request 20Gi/);
    // the permission was asked of the server before anything is offered
    await m!.waitFor(SIZE_FIELD);
    expect(s.reviews().map((r) => r.body)).toEqual([
      { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'wiki', verb: 'patch', group: '', resource: 'persistentvolumeclaims' } } },
    ]);
  });

  const bad: [string, RegExp][] = [
    ['', /type the new size, e\.g\. 20Gi/],
    ['20GB', /"20GB" is not a quantity \(e\.g\. 20Gi, 1\.5Ti, 500G, 21474836480\)/],
    ['20gi', /"20gi" is not a quantity/],
    ['20 Gi', /"20 Gi" is not a quantity/],
    ['1.2.3Gi', /"1\.2\.3Gi" is not a quantity/],
    ['Gi', /"Gi" is not a quantity/],
    ['1e99999', /exponent out of range/],
    ['-30Gi', /"-30Gi": a size must be greater than zero/],
    ['0', /"0": a size must be greater than zero/],
    ['100m', /"100m" is not a whole number of bytes/],
    ['10Gi', /10Gi is smaller than the current request 20Gi: volumes can only grow/],
    ['20Gi', /20Gi is the current request \(20Gi\): type a larger size/],
    ['21474836480', /21474836480 is the current request \(20Gi\)/],
    ['20480Mi', /20480Mi is the current request/],
  ];
  for (const [text, message] of bad) {
    it(`"${text}": ${message.source.slice(0, 40)}`, async () => {
      await openDialog('data-mariadb-0');
      await m!.waitFor(SIZE_FIELD);
      if (text) await m!.type(text);
      const f = await m!.press('enter');
      expect(f).toMatch(message);
      expect(f).not.toMatch(/\(y\/N\)/);
      expect(s.mutations()).toEqual([]);
    });
  }

  it('a StorageClass without allowVolumeExpansion: greyed out with the reason, nothing sent', async () => {
    await openDialog('uploads');
    let f = await m!.waitFor(/not possible/);
    expect(f).toMatch(/class nfs-csi \(no expansion\)/);
    expect(f).toMatch(/not possible: StorageClass nfs-csi does not allow volume expansion \(allowVolumeExpansion is not true\)/);
    await m!.type('100Gi');
    f = await m!.press('enter');
    expect(f).not.toMatch(/100Gi/);
    expect(f).not.toMatch(/\(y\/N\)/);
    expect(s.mutations()).toEqual([]);
  });

  it('an unbound claim: refused with the reason, nothing sent', async () => {
    await openDialog('data-clickhouse-0');
    const f = await m!.waitFor(/not possible/);
    expect(f).toMatch(/not possible: PVC analytics\/data-clickhouse-0 is Pending: only bound claims can be expanded/);
    await m!.press('enter');
    expect(s.mutations()).toEqual([]);
  });

  it('RBAC: when the server says the user may not patch claims there, greyed out with the reason', async () => {
    s.sim.rbac.deny({ verb: 'patch', resource: 'persistentvolumeclaims', namespace: 'wiki' });
    await openDialog('data-mariadb-0');
    let f = await m!.waitFor(/not possible/);
    expect(f).toMatch(/not possible: not allowed: you cannot patch persistentvolumeclaims in namespace "wiki"/);
    await m!.type('40Gi');
    f = await m!.press('enter');
    expect(f).not.toMatch(/\(y\/N\)/);
    expect(s.reviews()).toHaveLength(1);
    expect(s.mutations()).toEqual([]);
  });
});

describe('resize dialog: the question and the patch', () => {
  it('anything but y cancels and sends nothing; y sends exactly one merge patch', async () => {
    await openDialog('data-postgres-0');
    await m!.waitFor(SIZE_FIELD);
    await m!.type('64Gi');
    let f = await m!.press('enter');
    expect(f).toMatch(/Resize db\/data-postgres-0 50Gi → 64Gi\? \(y\/N\)/);
    for (const key of ['n', 'N', 'enter', 'esc', 'q', 'x', ' ']) {
      f = await m!.press(key);
      expect(f).toMatch(/cancelled: nothing was sent/);
      expect(f).not.toMatch(/\(y\/N\)/);
      f = await m!.press('enter');
      expect(f).toMatch(/\(y\/N\)/);
    }
    expect(s.mutations()).toEqual([]);
    f = await m!.press('y');
    f = await m!.waitFor(/Progress:/);
    const sent = s.mutations();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'PATCH', path: '/api/v1/namespaces/db/persistentvolumeclaims/data-postgres-0', status: 200, body: { spec: { resources: { requests: { storage: '64Gi' } } } } });
    expect(s.sim.objects.get('persistentvolumeclaims', 'db', 'data-postgres-0').spec.resources.requests.storage).toBe('64Gi');
    // no resizer runs in this cluster: the claim stays requested
    f = await m!.waitFor(/Progress: (\S+ )*requested/);
    expect(f).toMatch(/64Gi was requested; no resizer has picked it up yet/);
    const log = s.log();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      action: 'resize',
      verb: 'patch',
      object: { kind: 'PersistentVolumeClaim', namespace: 'db', name: 'data-postgres-0' },
      request: { method: 'PATCH', path: '/api/v1/namespaces/db/persistentvolumeclaims/data-postgres-0', contentType: 'application/merge-patch+json', body: { spec: { resources: { requests: { storage: '64Gi' } } } } },
      result: { ok: true, status: 200 },
    });
    expect(Date.parse(log[0].time)).toBeGreaterThan(Date.now() - 60_000);
    expect(log[0].context).toBe(s.conn.contextName);
  });
});
