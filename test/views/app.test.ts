// The terminal around the UI: runTui refuses to run without a terminal, and the restore that
// every exit path calls (quit, crash, signals) leaves the alternate screen exactly once.
import { mkdtempSync, openSync, readFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTui, takeOverTerminal } from '../../src/app';
import { CliError } from '../../src/util/errors';
import { storeSummary } from '../../src/views/header';
import { Store } from '../../src/store/store';
import { scenarioSession } from './harness';

describe('terminal take-over', () => {
  it('enters the alternate screen and restores it once, with the cursor shown', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'csitop-')), 'tty');
    const fd = openSync(file, 'w');
    let raw: boolean | undefined;
    const restore = takeOverTerminal({
      stdout: { fd } as unknown as NodeJS.WriteStream,
      stdin: { isTTY: true, setRawMode: (v: boolean) => (raw = v) } as unknown as NodeJS.ReadStream,
    });
    restore();
    restore();
    closeSync(fd);
    const out = readFileSync(file, 'utf8');
    expect(out.startsWith('\x1b[?1049h')).toBe(true);
    expect(out).toContain('\x1b[?25l');
    expect(out.match(/\x1b\[\?1049l/g)).toHaveLength(1);
    expect(out.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(raw).toBe(false);
  });

  it('refuses to run without a terminal', async () => {
    const s = scenarioSession(['healthy']);
    await expect(runTui(s, { readonly: false, color: false, ascii: false, demo: false }, { stdout: { isTTY: false } as NodeJS.WriteStream, stdin: { isTTY: false } as NodeJS.ReadStream })).rejects.toBeInstanceOf(CliError);
  });
});

describe('store status in the header', () => {
  it('says synced, syncing with pod progress, reconnecting and forbidden kinds', () => {
    const store = new Store({ now: () => 100_000 });
    expect(storeSummary(store, 100_000).text).toMatch(/^syncing 0\/15/);
    for (const k of ['Pod', 'PersistentVolumeClaim'] as const) store.setStatus(k, { state: 'synced' });
    store.setStatus('Pod', { state: 'syncing', listed: 500, expected: 10_000 });
    expect(storeSummary(store, 100_000).text).toMatch(/syncing \d+\/15 \(pods 500\/10000\)/);
    store.setStatus('Lease', { state: 'forbidden' });
    store.setStatus('Pod', { state: 'reconnecting', since: 40_000 });
    const s = storeSummary(store, 100_000);
    expect(s.text).toBe('reconnecting 60s (pods) forbidden: leases');
    expect(s.tone).toBe('error');
  });
});
