// --readonly: every action refuses with a message, and the server receives no mutating request —
// nor even a SelfSubjectAccessReview — whether asked through the keys or the actions API; the
// action log is not written.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mount, type Mounted } from '../views/harness';
import { simSession, type SimSession } from './fixture';
import { READONLY_MESSAGE } from '../../src/actions';

const CTRL_D = '\x04';
let s: SimSession;
let m: Mounted | undefined;
beforeAll(async () => {
  s = await simSession({ readonly: true });
});
afterAll(async () => {
  await s?.close();
});
afterEach(() => {
  m?.unmount();
  m = undefined;
});

describe('--readonly', () => {
  it('x, R and ctrl-d refuse with a message and send nothing', async () => {
    m = mount(s.conn, { realClock: true, columns: 150, rows: 30, opts: { readonly: true } });
    let f = await m.press();
    expect(f.split('\n')[0]).toMatch(/READ-ONLY/);
    await m.press(':', 'pvc', 'enter', '/', 'data-mariadb-0', 'enter');
    f = await m.press('x');
    expect(f).toMatch(/resize: csi-top runs with --readonly: actions are off and nothing was sent/);
    expect(f).not.toMatch(/── Resize/);
    await m.press('esc', ':', 'pods', 'enter', '/', 'mariadb-0', 'enter');
    f = await m.press(CTRL_D);
    expect(f).toMatch(/delete: csi-top runs with --readonly/);
    expect(f).not.toMatch(/── Delete/);
    await m.press('esc', ':', 'mounts', 'enter', '/', 'juicefs-n2', 'enter');
    f = await m.press('R');
    expect(f).toMatch(/restart: csi-top runs with --readonly/);
    expect(f).not.toMatch(/── Restart/);
    // and y, in case anything asked
    await m.press('y');
    expect(s.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('the connection refuses too, even when the UI forgot the flag: the dialogs say why', async () => {
    m = mount(s.conn, { realClock: true, columns: 150, rows: 30 });
    await m.press(':', 'pvc', 'enter', '/', 'data-postgres-0', 'enter');
    const f = await m.press('x');
    expect(f).toMatch(/resize: csi-top runs with --readonly/);
    expect(s.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('the actions API sends nothing at all and logs nothing', async () => {
    const a = s.conn.actions;
    expect(a.readonly).toBe(true);
    expect(await a.access('patch', 'persistentvolumeclaims', 'wiki')).toEqual({ allowed: false, reason: READONLY_MESSAGE });
    expect(await a.resizeClaim('wiki', 'data-mariadb-0', '40Gi')).toEqual({ ok: false, status: 0, sent: false, message: READONLY_MESSAGE });
    expect(await a.deletePod('wiki', 'mariadb-0')).toMatchObject({ ok: false, sent: false });
    expect(await a.deletePod('web', 'web-x', { action: 'restart' })).toMatchObject({ ok: false, sent: false });
    expect(s.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(s.sim.objects.get('persistentvolumeclaims', 'wiki', 'data-mariadb-0').spec.resources.requests.storage).toBe('20Gi');
    expect(fs.existsSync(s.logFile)).toBe(false);
  });
});
