// The resize end to end in a real terminal (tmux) on `csi-top --demo`: keys only, the demo
// world's external-resizer and kubelet doing their part at their real pace, the RESIZE column
// changing under the dialog, and the action log written under XDG_STATE_HOME.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, startTerm, type Term } from '../pty/tmux';
import { readActionLog } from '../../src/actions';

let term: Term | undefined;
let dir = '';
afterEach(() => {
  term?.kill();
  term = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const READY = /synced[\s\S]*Pods\(all\)\[\d+\]/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The RESIZE cell of a claim's row on the :pvc screen (read under the column header). */
function resizeCell(screen: string, claim: string): string | undefined {
  const lines = screen.split('\n');
  const header = lines.find((l) => /NAMESPACE\s+NAME/.test(l));
  const row = lines.find((l) => l.includes(` ${claim} `));
  if (!header || !row) return undefined;
  return row.slice(header.indexOf('RESIZE'), header.indexOf('PODS')).trim();
}

describe.skipIf(!hasTmux)('resize in a real terminal (tmux, --demo)', () => {
  it(
    'x, a size, Enter, y: the RESIZE column goes from expanding to done, one line in the action log',
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-pty-'));
      term = startTerm({ columns: 150, rows: 36, env: { XDG_STATE_HOME: dir } });
      await term.waitFor(READY);
      term.text(':pvc');
      term.keys('Enter');
      await term.waitFor(/PVCs\(all\)/);
      term.text('/data-mariadb-0');
      term.keys('Enter');
      await term.waitFor(/PVCs\(all\)\[1\/\d+\]/);
      expect(resizeCell(term.screen(), 'data-mariadb-0')).toBe('');
      term.keys('x');
      let s = await term.waitFor(/New size:(?![\s\S]*checking permission)/);
      expect(s).toMatch(/── Resize PVC wiki\/data-mariadb-0/);
      expect(s).toMatch(/capacity 20Gi · requested 20Gi\n\s*class csi-rbd-sc \(allows expansion\) · driver rbd\.csi\.ceph\.com/);
      // a bad size first: the message, nothing sent
      term.text('20GB');
      term.keys('Enter');
      await term.waitFor(/"20GB" is not a quantity/);
      term.keys('BSpace', 'BSpace', 'BSpace', 'BSpace');
      term.text('32Gi');
      term.keys('Enter');
      await term.waitFor(/Resize wiki\/data-mariadb-0 20Gi → 32Gi\? \(y\/N\)/);
      term.keys('y');
      const seen: string[] = [];
      const end = Date.now() + 60_000;
      while (Date.now() < end) {
        const c = resizeCell(term.screen(), 'data-mariadb-0');
        if (c !== undefined && c !== '' && c !== seen.at(-1)) seen.push(c);
        if (c === 'done') break;
        await sleep(100);
      }
      expect(seen).toContain('expanding');
      expect(seen.at(-1)).toBe('done');
      s = await term.waitFor(/done: capacity 32Gi/, 10_000);
      expect(s).toMatch(/Progress: requested → expanding → FileSystemResizePending → done/);
      const log = readActionLog(path.join(dir, 'csi-top', 'actions.log'));
      expect(log).toMatchObject([{ action: 'resize', verb: 'patch', context: 'csi-top-demo', object: { namespace: 'wiki', name: 'data-mariadb-0' }, request: { body: { spec: { resources: { requests: { storage: '32Gi' } } } } }, result: { ok: true } }]);
      term.keys('Escape');
      await term.waitFor(/PVCs\(all\)\[1\/\d+\](?![\s\S]*── Resize)/);
      term.text(':q');
      term.keys('Enter');
      expect(await term.waitFor(/EXIT=\d+/, 20_000)).toMatch(/EXIT=0/);
    },
    120_000,
  );

  it(
    '--readonly: x only says so',
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-pty-'));
      term = startTerm({ columns: 120, rows: 30, args: ['--readonly'], env: { XDG_STATE_HOME: dir } });
      let s = await term.waitFor(READY);
      expect(s.split('\n')[0]).toMatch(/READ-ONLY/);
      term.text(':pvc');
      term.keys('Enter');
      term.text('/data-mariadb-0');
      term.keys('Enter');
      await term.waitFor(/PVCs\(all\)\[1\/\d+\]/);
      term.keys('x');
      s = await term.waitFor(/resize: csi-top runs with --readonly: actions are off and nothing was sent/);
      expect(s).not.toMatch(/── Resize/);
      expect(fs.existsSync(path.join(dir, 'csi-top', 'actions.log'))).toBe(false);
    },
    120_000,
  );
});
