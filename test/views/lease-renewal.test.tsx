// Leader Leases are renewed every few seconds on every cluster. A renewal changes nothing on
// screen, so it must not redraw the list; a change of hands moves the LEADER cell.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, rowWith, scenarioSession, type Mounted } from './harness';
import { project, type RawObject } from '../../src/store/project';

let m: Mounted | undefined;
afterEach(() => m?.unmount());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('leader Lease renewals in the views', () => {
  it('draw nothing; a new holder moves the LEADER cell', async () => {
    const session = scenarioSession();
    m = mount(session, { columns: 180, rows: 40, start: 'controllers' });
    await m.waitFor(/LEADER/);
    // A controller row that holds a provisioner Lease.
    const raw = (session.objects as RawObject[]).find((o) => o.kind === 'Lease' && !/^external-/.test(String(o.metadata?.name)) && o.spec?.holderIdentity && rowWith(m!.frame(), String(o.spec.holderIdentity))?.includes('provisioner'));
    expect(raw, 'a controller holding a provisioner Lease').toBeDefined();
    const holder = String(raw!.spec!.holderIdentity);
    let rv = 5000;
    const write = (holderIdentity: string) => {
      const o = structuredClone(raw!);
      o.metadata!.resourceVersion = String(rv++);
      o.spec = { ...o.spec, holderIdentity, renewTime: new Date(Date.parse('2026-05-10T12:00:00Z') + rv).toISOString() };
      session.store.apply('MODIFIED', project('Lease', o)!);
    };
    await m.press(); // settled
    const before = m.frames();
    for (let i = 0; i < 5; i++) {
      write(holder);
      await sleep(300);
    }
    await m.press();
    expect(m.frames()).toBe(before);
    expect(rowWith(m.frame(), holder)).toContain('provisioner');

    // Another replica (not listed) takes the Lease: this row no longer leads.
    write(`${holder}-elsewhere`);
    await m.waitFor(new RegExp(`${holder} .*`), 100);
    for (let i = 0; i < 150 && rowWith(m.frame(), holder)?.includes('provisioner'); i++) await sleep(20);
    expect(rowWith(m.frame(), holder)).not.toContain('provisioner');
  });
});
