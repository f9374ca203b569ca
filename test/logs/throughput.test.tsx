// 5000 lines/s into a followed log, through the real render path (Ink → ScreenWriter → a
// counting terminal): frames stay near 10 per second however fast lines come, the newest line is
// on screen once they stop, and keys still act within a frame or two.
import { afterEach, describe, expect, it } from 'vitest';
import type { RawObject } from '../../src/store/project';
import { fakeSession } from '../views/fake-session';
import { setClock } from '../../src/views/hooks';
import { FRAME_MS } from '../../src/views/logs';
import { NS, startLogSim, type LogSim } from './sim';
import { renderShell, type Rendered } from './terminal';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let s: LogSim | undefined;
let ui: Rendered | undefined;
afterEach(async () => {
  ui?.unmount();
  ui = undefined;
  await s?.close();
  s = undefined;
  setClock(undefined);
});

describe('log pane under a flood', () => {
  it('5000 lines/s: about 1000/FRAME_MS frames a second, nothing left behind, keys answered', async () => {
    s = await startLogSim();
    const pod = 'juicefs-n1-pvc-flood';
    s.pod(pod, ['jfs-mount']);
    const raw = structuredClone(s.sim.objects.get('pods', NS, pod));
    raw.metadata.labels = { 'app.kubernetes.io/name': 'juicefs-mount' };
    const session = fakeSession([{ ...raw, kind: 'Pod', apiVersion: 'v1' } as RawObject], { logClient: s.client });
    ui = renderShell(session, { start: 'mounts' });
    await sleep(500);
    ui.stdin.type('l');
    await sleep(500);
    let n = 0;
    const t0 = performance.now();
    const flood = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * 5000);
      const now = Date.now();
      while (n < due) s!.append(pod, 'jfs-mount', `read (${++n}) ino=${n * 7} off=${n * 4096} size=4096 OK`, now);
    }, 10);
    try {
      await sleep(500);
      const w0 = ui.tty.writes;
      const start = performance.now();
      await sleep(2500);
      const perSecond = ((ui.tty.writes - w0) * 1000) / (performance.now() - start);
      expect(perSecond).toBeLessThanOrEqual((1000 / FRAME_MS) * 1.5);
      expect(perSecond).toBeGreaterThan(2);
      const latencies: number[] = [];
      for (let i = 0; i < 3; i++) {
        latencies.push(await ui.latency('k', /paused/));
        await sleep(200);
        latencies.push(await ui.latency('G', /· follow/));
        await sleep(200);
      }
      // Generous: React's development build, the simulator in this process, a shared machine.
      expect(Math.max(...latencies)).toBeLessThan(1000);
    } finally {
      clearInterval(flood);
    }
    let last = '';
    ui.tty.probe = (w) => (last += w);
    await sleep(1500);
    expect(last).toContain(`read (${n}) `);
  }, 30_000);
});
