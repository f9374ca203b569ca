// How often a list redraws under churn: at most once a second while changes keep coming (a list
// changing faster cannot be read faster, and each refresh rebuilds its rows), at once for a
// change on a quiet cluster.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, scenarioSession, type Mounted } from './harness';
import { project, type RawObject } from '../../src/store/project';
import { BUSY_REFRESH_MS } from '../../src/views/hooks';

let m: Mounted | undefined;
afterEach(() => m?.unmount());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('list refresh pace', () => {
  it('redraws a churning pod at most once a second, a lone change at once', async () => {
    const session = scenarioSession();
    m = mount(session, { columns: 160, rows: 40, start: 'pods' });
    await m.waitFor(/RESTARTS/);
    const frame = m.frame();
    const raw = (session.objects as RawObject[]).find((o) => o.kind === 'Pod' && frame.includes(String(o.metadata?.name)) && o.status?.phase === 'Running')!;
    const name = String(raw.metadata!.name);
    let restarts = 1000;
    const bump = () => {
      const o = structuredClone(raw);
      o.metadata!.resourceVersion = String(restarts);
      o.status!.containerStatuses = (o.status!.containerStatuses as Record<string, unknown>[]).map((c) => ({ ...c, restartCount: restarts }));
      session.store.apply('MODIFIED', project('Pod', o)!);
      restarts++;
    };
    const shown = () => /\b(1\d\d\d)\b/.exec(m!.frame().split('\n').find((l) => l.includes(name)) ?? '')?.[1];
    // 20 changes a second for 3 s: the row shows a few of the counts, spaced a second apart.
    const seen: { value: string; at: number }[] = [];
    const t0 = Date.now();
    while (Date.now() - t0 < 3000) {
      bump();
      await sleep(50);
      const v = shown();
      if (v && v !== seen.at(-1)?.value) seen.push({ value: v, at: Date.now() });
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < seen.length; i++) expect(seen[i].at - seen[i - 1].at).toBeGreaterThan(BUSY_REFRESH_MS - 150);
    // The last count is drawn once the churn stops, then a lone change after a quiet spell at
    // once. The pace is 1-2 s (40x the last refresh's cost, which a loaded machine raises), so
    // the quiet spell is the longest pace.
    await m.waitFor(new RegExp(`${name}.*\\b${restarts - 1}\\b`), 2500);
    await sleep(2000 + 100);
    const t1 = Date.now();
    bump();
    await m.waitFor(new RegExp(`${name}.*\\b${restarts - 1}\\b`), 2000);
    expect(Date.now() - t1).toBeLessThan(BUSY_REFRESH_MS * 0.7); // well before a paced refresh would come
  });
});
