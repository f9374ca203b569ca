// Volume usage on screen, from a real Connection polling the simulator's kubelet stats: USED% and
// INODES% in :pvc and :pods (the reason in place of the number), the usage bar in the PVC and pod
// detail (ASCII with --ascii), and VolumeNearlyFull among the findings.
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Shell } from '../../src/views/shell';
import type { UiOptions } from '../../src/views/session';
import { GiB, startCluster, until, type TestCluster } from './fixture';

let c: TestCluster | undefined;
let r: ReturnType<typeof render> | undefined;
afterEach(async () => {
  r?.unmount();
  r = undefined;
  await c?.close();
  c = undefined;
});

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const SEQ: Record<string, string> = { enter: '\r', esc: '\x1b' };

async function screen(o: { start: string; ascii?: boolean; columns?: number; rows?: number; noUsage?: boolean }) {
  c = await startCluster(
    (b) =>
    b
      .node('n1')
      .volume('shop', 'full')
      .volume('shop', 'half')
      .volume('shop', 'nostats', { driver: 'nfs.csi.k8s.io' })
      .volume('shop', 'idle')
      .pod('shop', 'db-0', 'n1', ['full', 'half', 'nostats']),
    o.noUsage ? { disabled: 'turned off with --no-usage' } : {},
  );
  c.sim.stats.driversWithoutStats.add('nfs.csi.k8s.io');
  c.sim.stats.usage.set('shop/full', { usedBytes: 9.5 * GiB, capacityBytes: 10 * GiB, inodes: 1000, inodesUsed: 120 });
  c.sim.stats.usage.set('shop/half', { usedBytes: 4 * GiB, capacityBytes: 10 * GiB, inodes: 1000, inodesUsed: 950 });
  c.conn.startUsage();
  if (!o.noUsage) await until(() => !!c!.conn.usage.get('shop', 'full').sample, 'usage');
  const opts: UiOptions = { readonly: false, color: false, ascii: !!o.ascii, demo: false };
  r = render(<Shell session={c.conn} opts={opts} onQuit={() => {}} size={{ columns: o.columns ?? 160, rows: o.rows ?? 40 }} start={o.start} />);
  const frame = () => r!.lastFrame() ?? '';
  return {
    frame,
    async waitFor(re: RegExp) {
      for (let i = 0; i < 150 && !re.test(frame()); i++) await sleep(20);
      expect(frame()).toMatch(re);
      return frame();
    },
    async press(...keys: string[]) {
      for (const k of keys) {
        r!.stdin.write(SEQ[k] ?? k);
        await sleep(k === 'esc' ? 80 : 30);
      }
      await sleep(60);
      return frame();
    },
  };
}

const row = (f: string, text: string) => f.split('\n').find((l) => l.includes(text)) ?? '';

describe('usage on screen', () => {
  it(':pvc shows USED% and INODES%, or why there is no number', async () => {
    const s = await screen({ start: 'pvc' });
    const f = await s.waitFor(/nostats.*no stats/);
    expect(f.split('\n')[2]).toMatch(/SC\s+USED%\s+INODES%\s+RESIZE/);
    expect(row(f, 'full')).toMatch(/\s95%\s+12%\s/);
    expect(row(f, 'half')).toMatch(/\s40%\s+95%\s/);
    expect(row(f, 'idle')).toMatch(/\sunmounted\s/);
    expect(row(f, 'nostats')).toMatch(/\sno stats\s/);
    // VolumeNearlyFull marks the rows (bytes for full, inodes for half).
    expect(row(f, 'full')).toMatch(/^[✗!]/);
    expect(row(f, 'half')).toMatch(/^[✗!]/);
    const d = await s.press(':', 'doctor', 'enter');
    expect(d).toMatch(/VolumeNearlyFull.*shop\/full/);
    expect(d).toMatch(/VolumeNearlyFull.*shop\/half/);
  });

  it(':pods shows the fullest claim of each pod', async () => {
    const s = await screen({ start: 'pods' });
    const f = await s.waitFor(/db-0.*95%/);
    expect(f.split('\n')[2]).toMatch(/USED%\s+INODES%\s+AGE/);
    expect(row(f, 'db-0')).toMatch(/\s95%\s+95%\s/);
  });

  it('--no-usage: no USED% or INODES% columns', async () => {
    const s = await screen({ start: 'pvc', noUsage: true });
    let f = await s.waitFor(/nostats/);
    expect(f.split('\n')[2]).toMatch(/SC\s+RESIZE/);
    expect(f).not.toMatch(/USED%|INODES%|\boff\b/);
    f = await s.press(':', 'pods', 'enter');
    f = await s.waitFor(/db-0/);
    expect(f).not.toMatch(/USED%|INODES%/);
  });

  it('the PVC detail draws a usage bar; the pod detail lists each claim with its reason', async () => {
    const s = await screen({ start: 'pvc', rows: 70 });
    await s.waitFor(/nostats.*no stats/);
    let f = await s.press('/', 'full', 'enter', 'enter');
    f = await s.waitFor(/Usage/);
    expect(f).toMatch(/bytes\s+\[█{29}░\]\s+95%\s+9\.50 GiB of 10\.0 GiB, 512 MiB free/);
    expect(f).toMatch(/inodes\s+\[█{4}░{26}\]\s+12%\s+120 of 1,000/);
    expect(f).toMatch(/from kubelet on n1, measured \d+s ago/);
    f = await s.press('esc', 'esc', ':', 'pods', 'enter');
    await s.waitFor(/db-0/);
    f = await s.press('enter');
    f = await s.waitFor(/Volume usage \(3\)/);
    expect(f).toMatch(/pvc\/nostats\n\s+the node's kubelet did not report this volume \(driver without volume stats\)\n\s+kubelet on n1 answered .* without it: the CSI driver nfs\.csi\.k8s\.io/);
  });

  it('--ascii draws the bar with # and -', async () => {
    const s = await screen({ start: 'pvc', ascii: true });
    await s.waitFor(/nostats.*no stats/);
    await s.press('/', 'full', 'enter', 'enter');
    const f = await s.waitFor(/Usage/);
    expect(f).toMatch(/bytes\s+\[#{29}-\]\s+95%/);
    expect(f).not.toMatch(/[█░]/);
  });
});
