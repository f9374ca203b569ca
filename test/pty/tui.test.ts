// The whole program in a real terminal on the demo cluster: the triage flow by keys at 80x24 and
// 160x50, colours on and off, ASCII mode, resizing, a too-small terminal, and the terminal
// given back after quitting or SIGTERM.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, startTerm, type Term } from './tmux';

let term: Term | undefined;
afterEach(() => {
  term?.kill();
  term = undefined;
});

const T = 120_000;
const READY = /synced[\s\S]*Pods\(all\)\[\d+\][\s\S]*trainer-/;
// Colour SGR parameters: 30–38 and 40–48 (38/48 extended), 90–97, 100–107 — not 39/49, the
// defaults tmux's capture writes everywhere.
// eslint-disable-next-line no-control-regex
const COLOUR = /\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function triage(t: Term, wide: boolean): Promise<void> {
  await t.waitFor(READY);
  t.text('/trainer');
  t.keys('Enter');
  await t.waitFor(/Pods\(all\)\[2\/\d+\]/);
  // 1: the tree of the stuck app pod, the crash-looping mount pod and the node plugin in it
  t.keys('t');
  let s = await t.waitFor(/Tree pod ml\/trainer-/);
  expect(s).toMatch(/node plugin kube-system\/juicefs-csi-node-\S+\s+Running/);
  expect(s).toMatch(/mount pod kube-system\/juicefs-n3-.*CrashLoopBackOff/);
  // 2: Enter describes the mount pod the cursor starts on
  t.keys('Enter');
  s = await t.waitFor(/Role:\s+mount pod of csi\.juicefs\.com/);
  expect(s.split('\n')[1]).toMatch(/^pod kube-system\/juicefs-n3-/);
  expect(s).toMatch(/MountPodNotReady/);
  // what explains it is on that screen already: the mount pod's own error, from its events
  expect(s).toMatch(/i\/o timeout/);
  // the events section, newest first, a page or two down
  for (let i = 0; i < 4 && !/Events \(\d+\)/.test(t.screen()); i++) {
    t.keys('PageDown');
    await sleep(300);
  }
  s = await t.waitFor(/Events \(\d+\)/);
  expect(s).toMatch(/BackOff|Back-off/);
  void wide;
  // back in the tree, up to the node plugin, its detail
  t.keys('Escape');
  await t.waitFor(/Tree pod ml\/trainer-/);
  t.keys('k', 'k', 'Enter');
  s = await t.waitFor(/Role:\s+node plugin of csi\.juicefs\.com/);
  expect(s.split('\n')[1]).toMatch(/^pod kube-system\/juicefs-csi-node-/);
}

async function quit(t: Term): Promise<string> {
  t.text(':q');
  t.keys('Enter');
  const s = await t.waitFor(/EXIT=\d+/, 20_000);
  return s;
}

describe.skipIf(!hasTmux)('csi-top in a real terminal (tmux)', () => {
  it(
    'stuck app pod → mount pod → node plugin → events at 80x24, with colour; :q restores the terminal',
    async () => {
      term = startTerm({ columns: 80, rows: 24 });
      await term.waitFor(READY);
      expect(term.pane('#{alternate_on}')).toBe('1');
      const first = term.screen().split('\n');
      expect(first[0]).toMatch(/^csi-top DEMO ctx:\S+ v\d+\.\d+\.\d+ ns:all synced/);
      expect(first[22]).toMatch(/<⏎>detail <t>tree .*<\?>help/);
      expect(first[23]).toBe(''); // the last row stays empty: nothing ever scrolls
      const coloured = term.screen(true);
      expect(coloured).toMatch(COLOUR);
      expect(coloured).toMatch(/\x1b\[[0-9;]*7m/); // the selected row is drawn inverse
      await triage(term, false);
      const after = await quit(term);
      expect(after).toMatch(/EXIT=0/);
      expect(term.pane('#{alternate_on}')).toBe('0');
      expect(term.pane('#{cursor_flag}')).toBe('1');
      expect(after).not.toMatch(/csi-top DEMO/);
    },
    T,
  );

  it(
    'the same flow at 160x50 without colour (--no-color), and NO_COLOR',
    async () => {
      term = startTerm({ columns: 160, rows: 50, args: ['--no-color'] });
      await term.waitFor(READY);
      const s = term.screen();
      expect(s.split('\n')[2]).toMatch(/NAMESPACE\s+NAME↑\s+READY\s+STATUS\s+RESTARTS\s+NODE\s+PVCS\s+DRIVER\s+MOUNT PODS\s+USED%\s+INODES%\s+AGE/);
      expect(term.screen(true)).not.toMatch(COLOUR);
      await triage(term, true);
      expect(term.screen(true)).not.toMatch(COLOUR);
      term.kill();
      term = startTerm({ columns: 100, rows: 30, env: { NO_COLOR: '1' } });
      await term.waitFor(READY);
      expect(term.screen(true)).not.toMatch(COLOUR);
    },
    T,
  );

  it(
    '--ascii draws no box drawing and no unicode markers',
    async () => {
      term = startTerm({ columns: 100, rows: 30, args: ['--ascii'] });
      await term.waitFor(READY);
      term.text('/trainer');
      term.keys('Enter', 't');
      const s = await term.waitFor(/Tree pod ml\/trainer-/);
      expect(s).toMatch(/\|- node plugin/);
      expect(s).toMatch(/^X /m);
      expect(s).not.toMatch(/[^\x20-\x7e\n]/);
    },
    T,
  );

  it(
    'follows resizes, says when the terminal is too small, and comes back',
    async () => {
      term = startTerm({ columns: 80, rows: 24 });
      await term.waitFor(READY);
      term.resize(120, 40);
      let s = await term.waitFor(/NAMESPACE\s+NAME/);
      let lines = s.split('\n');
      expect(lines[0]).toMatch(/^csi-top DEMO/);
      expect(lines[38]).toMatch(/<⏎>detail/);
      term.resize(60, 20);
      s = await term.waitFor(/Terminal too small: 60x20/);
      term.resize(100, 30);
      s = await term.waitFor(READY);
      lines = s.split('\n');
      expect(lines[0]).toMatch(/^csi-top DEMO/);
      expect(lines[28]).toMatch(/<⏎>detail/);
      expect(s).not.toMatch(/Terminal too small/);
    },
    T,
  );

  it(
    'SIGTERM gives the terminal back',
    async () => {
      term = startTerm({ columns: 80, rows: 24 });
      await term.waitFor(READY);
      const shell = term.pane('#{pane_pid}');
      const pid = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0];
      process.kill(Number(pid), 'SIGTERM');
      const s = await term.waitFor(/EXIT=\d+/, 20_000);
      expect(s).toMatch(/EXIT=143/);
      await sleep(100);
      expect(term.pane('#{alternate_on}')).toBe('0');
      expect(term.pane('#{cursor_flag}')).toBe('1');
    },
    T,
  );
});
