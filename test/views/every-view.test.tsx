// Every list view, and the detail, tree and YAML of its first rows, render without failing on
// the whole scenario cluster; a view that throws shows its error and the shell lives on.
import { afterEach, describe, expect, it } from 'vitest';
import { LIST_VIEWS } from '../../src/views/lists';
import { mount, scenarioSession, type Mounted } from './harness';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

describe('every view opens', () => {
  for (const spec of LIST_VIEWS.filter((v) => v.name !== 'ctx' && v.name !== 'ns')) {
    it(`:${spec.name} → detail, tree and YAML of its first rows`, async () => {
      m = mount(scenarioSession('all'), { columns: 100, rows: 30, start: spec.name });
      const title = new RegExp(`^${spec.title.replace(/[()]/g, '.')}`);
      const onList = (fr: string) => title.test(fr.split('\n')[1] ?? '');
      let f = await m.press();
      expect(f.split('\n')[1]).toMatch(title);
      for (const row of [0, 2]) {
        await m.press('g', ...Array(row).fill('j'));
        f = await m.press('enter');
        expect(f).not.toMatch(/This view failed/);
        f = await m.press('esc', 't');
        expect(f).not.toMatch(/This view failed/);
        f = await m.press('esc', 'y');
        expect(f).not.toMatch(/This view failed/);
        f = await m.press('esc');
        // Under load a frame can come late: wait for the list to be back rather than race it.
        for (let i = 0; i < 100 && !onList(f); i++) f = await m.press();
        expect(f.split('\n')[1]).toMatch(title);
      }
    });
  }

  it('a view that throws shows the error in its place', async () => {
    const s = scenarioSession(['healthy']);
    const orig = s.store.eventsFor.bind(s.store);
    s.store.eventsFor = () => {
      throw new Error('boom');
    };
    m = mount(s);
    let f = await m.press('enter');
    expect(f).toMatch(/This view failed: boom/);
    expect(f.split('\n')[0]).toMatch(/^csi-top/);
    s.store.eventsFor = orig;
    f = await m.press('esc');
    expect(f.split('\n')[1]).toMatch(/^Pods/);
  });
});
