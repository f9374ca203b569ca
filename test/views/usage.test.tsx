// Volume usage in the views: the USED column, the reason when there is no number, the PVC
// detail line, findings fed with usage, and the PVCs on screen handed to the poller.
import { afterEach, describe, expect, it } from 'vitest';
import type { UsageInfo, UsageSample, UsageView } from '../../src/store/usage';
import { mount, NOW, rowWith, scenarioSession, type Mounted } from './harness';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

function fakeUsage(samples: Record<string, Partial<UsageSample>>): UsageView & { focused: string[][] } {
  const full = (s: Partial<UsageSample>): UsageSample => ({ usedBytes: 0, capacityBytes: 100 * 2 ** 30, availableBytes: 0, time: NOW - 5000, node: 'n1', ...s });
  const u = {
    threshold: 0.9,
    focused: [] as string[][],
    state: () => ({ status: 'ok' as const, source: 'kubelet', message: '', since: NOW }),
    version: () => 1,
    subscribe: () => () => {},
    get(namespace: string, claim: string): UsageInfo {
      const s = samples[`${namespace}/${claim}`];
      return s ? { sample: full(s) } : { reason: { code: 'notMounted', text: 'not mounted by any running pod', detail: 'no running pod mounts it' } };
    },
    snapshot: () => new Map(Object.entries(samples).map(([k, s]) => [k, full(s)])),
    focus(keys: Iterable<string> | null) {
      if (keys) u.focused.push([...keys]);
    },
  };
  return u;
}

describe('volume usage', () => {
  it('USED shows the fuller of bytes and inodes, or why there is no number; the detail says more', async () => {
    const s = scenarioSession(['juicefs']);
    const usage = fakeUsage({ 'web/jfs-data': { usedBytes: 41 * 2 ** 30, availableBytes: 59 * 2 ** 30, inodes: 1000, inodesUsed: 30 }, 'ml/datasets': { usedBytes: 95 * 2 ** 30, availableBytes: 5 * 2 ** 30 } });
    (s as { usage?: UsageView }).usage = usage;
    m = mount(s, { columns: 140, rows: 30, start: 'pvc' });
    let f = await m.press();
    expect(f.split('\n')[2]).toMatch(/USED/);
    expect(rowWith(f, 'jfs-data')).toMatch(/\b41%/);
    expect(rowWith(f, 'datasets')).toMatch(/\b95%/);
    expect(usage.focused.at(-1)).toEqual(expect.arrayContaining(['web/jfs-data', 'ml/datasets']));
    await m.press('/', 'jfs-data', 'enter');
    f = await m.press('enter');
    expect(f).toMatch(/Used:\s+41% used, 41\.0 GiB of 100 GiB \(59\.0 GiB free\); inodes 3% of 1,000 on n1/);
  });

  it('without usage the column is left out', async () => {
    m = mount(scenarioSession(['juicefs']), { columns: 140, rows: 30, start: 'pvc' });
    expect((await m.press()).split('\n')[2]).not.toMatch(/USED/);
  });
});
