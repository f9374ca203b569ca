// The log pane in a real terminal (tmux) on the demo cluster: from the stuck app pod in the pods
// list, `t` then `l` open the crash-looping JuiceFS mount pod's log, where the metadata engine
// error is; the next crash is marked and its lines follow; esc gives the tree back.
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, startTerm, type Term } from '../pty/tmux';

let term: Term | undefined;
afterEach(() => {
  term?.kill();
  term = undefined;
});

const READY = /synced[\s\S]*Pods\(all\)\[\d+\][\s\S]*trainer-/;

describe.skipIf(!hasTmux)('log pane in a real terminal (tmux, --demo)', () => {
  it(
    'stuck pod → t → l: the mount pod’s jfs-mount log with its metadata engine error, restarts marked live',
    async () => {
      term = startTerm({ columns: 120, rows: 36 });
      await term.waitFor(READY);
      term.text('/trainer');
      term.keys('Enter');
      await term.waitFor(/Pods\(all\)\[2\/\d+\]/);
      // Two keys from the stuck pod's row.
      term.keys('t');
      await term.waitFor(/Tree pod ml\/trainer-/);
      term.keys('l');
      let s = await term.waitFor(/<FATAL>: Meta redis:\S+ is not available:/, 20_000);
      expect(s).toMatch(/<WARNING>: Get info: dial tcp \S+: i\/o timeout/);
      expect(s).toMatch(/^Logs kube-system\/juicefs-n3-\S+ \[jfs-mount\] +! CrashLoopBackOff: waiting for a restart/m);
      // The tree stays above, the pane's keys below.
      expect(s).toMatch(/^Tree pod ml\/trainer-/m);
      expect(s.trimEnd().split('\n').at(-1)).toMatch(/<esc>close <s>pause <c>container/);
      // The demo's kubelet crashes it again every few seconds: marked, then the new instance.
      s = await term.waitFor(/── container jfs-mount restarted \(restart #\d+\) ──\n.*Meta address/, 30_000);
      // w wraps: the whole FATAL line
      term.keys('w');
      s = await term.waitFor(/\[interface\.go:525\]/);
      expect(s.replace(/\n/g, '')).toMatch(/<FATAL>: Meta redis:\S+ is not available: dial tcp \S+: i\/o timeout/);
      // Nothing but text: no escape sequence of the log reached the screen as anything but our colours.
      expect(term.screen(true)).not.toMatch(/\x1b\](?:0|52);/);
      term.keys('Escape');
      // The tree alone again (the pane's line gone: the screen before esc also has the tree).
      s = await term.waitFor(/^Tree pod ml\/trainer-(?![\s\S]*^Logs )/m);
      expect(s).toMatch(/mount pod kube-system\/juicefs-n3-/);
      term.text(':q');
      term.keys('Enter');
      await term.waitFor(/EXIT=0/, 20_000);
    },
    120_000,
  );
});
