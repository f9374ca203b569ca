import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, rowWith, scenarioSession, type Mounted } from './harness';
import { SearchIndexBuilder } from '../../src/views/filter';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

describe('shell', () => {
  it('starts on :pods with header, rows, markers and footer', async () => {
    m = mount(scenarioSession('all'));
    const f = await m.press();
    const lines = f.split('\n');
    expect(lines[0]).toMatch(/csi-top ctx:kind-demo v1\.31\.2 ns:all synced/);
    expect(lines[0]).toMatch(/✗ \d+ errors/);
    expect(lines[1]).toMatch(/^Pods\(all\)\[\d+\]/);
    expect(lines[2]).toMatch(/NAME.*READY.*STATUS.*MOUNT PODS.*AGE/);
    // A trainer waits on a crash-looping mount pod: error marker, status and mount pod state.
    expect(rowWith(f, 'trainer')).toMatch(/^✗ .*ContainerCreating.*0\/1 Crash/);
    expect(lines.length).toBe(23); // rows - 1: the frame never reaches the last terminal row
    expect(lines[22]).toMatch(/<⏎>detail <t>tree .*<\?>help/);
  });

  it('shows READ-ONLY and DEMO badges', async () => {
    m = mount(scenarioSession(['healthy']), { opts: { readonly: true, demo: true } });
    expect(await m.press()).toMatch(/^csi-top DEMO READ-ONLY ctx:/);
  });

  it(': switches views, completes with tab, and reports unknown commands', async () => {
    m = mount(scenarioSession('all'));
    let f = await m.press(':', 'mo');
    expect(f).toMatch(/:mo.*unts/);
    f = await m.press('tab', 'enter');
    expect(f.split('\n')[1]).toMatch(/^Mount pods\(all\)/);
    f = await m.press(':', 'pv', 'enter');
    expect(f.split('\n')[1]).toMatch(/^PVs\(all\)/);
    f = await m.press(':', 'bogus', 'enter');
    expect(f).toMatch(/unknown command "bogus"/);
    f = await m.press(':', 'no', 'enter');
    expect(f.split('\n')[1]).toMatch(/^Nodes/);
    f = await m.press(':', 'q', 'enter');
    expect(m.quit.count).toBe(1);
  });

  it('k9s aliases and [ ] history', async () => {
    m = mount(scenarioSession('all'));
    await m.press(':', 'ev', 'enter');
    let f = await m.press(':', 'sc', 'enter');
    expect(f.split('\n')[1]).toMatch(/^StorageClasses/);
    f = await m.press('[');
    expect(f.split('\n')[1]).toMatch(/^Events/);
    f = await m.press('[');
    expect(f.split('\n')[1]).toMatch(/^Pods/);
    f = await m.press(']');
    expect(f.split('\n')[1]).toMatch(/^Events/);
    f = await m.press('esc');
    expect(f.split('\n')[1]).toMatch(/^Pods/);
  });

  it('/ filters fuzzily with highlights kept in table order; ! inverts; -l selects labels; esc clears', async () => {
    m = mount(scenarioSession('all'));
    let f = await m.press('/', 'trainer');
    expect(f).toMatch(/^Pods\(all\)\[2\/\d+\]  \/trainer/m);
    expect(f.split('\n').filter((l) => /trainer-/.test(l))).toHaveLength(2);
    f = await m.press('enter');
    expect(f).toMatch(/filter \/trainer/);
    f = await m.press('esc');
    expect(f).not.toMatch(/\/trainer/);
    f = await m.press('/', '!web', 'enter');
    expect(f).not.toMatch(/ web-/);
    expect(f).toMatch(/trainer/);
    f = await m.press('esc', '/', '-l app=web', 'enter');
    expect(f.split('\n').filter((l) => /^. .* web-/.test(l)).length).toBeGreaterThan(0);
    expect(f).not.toMatch(/trainer/);
  });

  it('/ builds the search index ahead of the first character, which then finds the same rows', async () => {
    m = mount(scenarioSession('all'));
    const typedAtOnce = await m.press('/', 'trainer');
    m.unmount();
    const finish = vi.spyOn(SearchIndexBuilder.prototype, 'finish');
    try {
      m = mount(scenarioSession('all'));
      await m.press('/');
      // The prompt is open, nothing typed: the rows are indexed meanwhile.
      expect(finish).toHaveBeenCalled();
      const f = await m.press('trainer');
      expect(f.split('\n').filter((l) => /trainer-/.test(l))).toEqual(typedAtOnce.split('\n').filter((l) => /trainer-/.test(l)));
      expect(f).toMatch(/^Pods\(all\)\[2\/\d+\]  \/trainer/m);
    } finally {
      finish.mockRestore();
    }
  });

  it('shift-letters sort like k9s and o opens the sort picker', async () => {
    m = mount(scenarioSession('all'));
    let f = await m.press('A');
    expect(f.split('\n')[2]).toMatch(/AGE↑/);
    f = await m.press('A');
    expect(f.split('\n')[2]).toMatch(/AGE↓/);
    f = await m.press('o');
    expect(f).toMatch(/Sort by/);
    f = await m.press('g', 'down', 'enter');
    expect(f.split('\n')[2]).toMatch(/NAME↑/);
  });

  it('? shows the help from the same key table as the footer', async () => {
    m = mount(scenarioSession(['healthy']));
    const f = await m.press('?');
    expect(f).toMatch(/Help/);
    expect(f).toMatch(/⏎ d\s+describe the selected object/);
    expect(f).toMatch(/t\s+storage topology tree/);
    expect(f).toMatch(/:\s+command bar/);
    expect(await m.press('pgdn')).toMatch(/shift-N\s+sort by NAME/);
    expect(await m.press('esc')).toMatch(/^Pods/m);
  });

  it('says so when the terminal is too small, and quits with ctrl-c', async () => {
    m = mount(scenarioSession(['healthy']), { columns: 70, rows: 20 });
    expect(await m.press()).toMatch(/Terminal too small: 70x20.*80x24/s);
    await m.press('ctrl-c');
    expect(m.quit.count).toBe(1);
  });
});
