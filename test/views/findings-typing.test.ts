// Re-judging the findings (~85 ms at 10k pods) waits for a pause in typing, so a key's frame is
// not held up behind it; typing without a pause puts it off 5 s at most.
import { afterEach, describe, expect, it } from 'vitest';
import { NOW } from './harness';
import { buildScenarios } from '../../src/sim/scenarios';
import { Store } from '../../src/store/store';
import { project, type RawObject } from '../../src/store/project';
import { KIND_NAMES } from '../../src/store/kinds';
import type { KindName } from '../../src/store/records';
import { findingsView, onFindings } from '../../src/views/selectors/findings';
import { noteInput } from '../../src/views/input-activity';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stops: (() => void)[] = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

/** A synced store of the scenarios without the pod named `held`, and a function that adds it. */
function storeWithout(held: string): { store: Store; add: () => void } {
  const objects = buildScenarios('all', { now: NOW, seed: 1 }).objects as unknown as RawObject[];
  const store = new Store({ now: () => NOW, notifyMs: 5 });
  for (const k of KIND_NAMES) store.setStatus(k, { state: 'synced' });
  const isHeld = (o: RawObject) => o.kind === 'Pod' && String(o.metadata?.name).startsWith(held);
  for (const o of objects) {
    if (!(KIND_NAMES as readonly string[]).includes(o.kind) || isHeld(o)) continue;
    const rec = project(o.kind as KindName, o);
    if (rec) store.apply('ADDED', rec);
  }
  store.flush();
  return {
    store,
    add: () => {
      for (const o of objects.filter(isHeld)) store.apply('ADDED', project('Pod', o)!);
      store.flush();
    },
  };
}

/** Presses a key every 100 ms for `ms`; returns when done. */
async function typeFor(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    noteInput();
    await sleep(100);
  }
}

describe('findings while typing', () => {
  it('judge a change once typing pauses, not while keys arrive', async () => {
    const { store, add } = storeWithout('trainer');
    const aboutTrainer = () => findingsView(store).all.filter((f) => [f.object, ...f.affects].some((r) => r.name.startsWith('trainer'))).length;
    expect(aboutTrainer()).toBe(0);
    let told = 0;
    stops.push(onFindings(store, () => told++));
    noteInput();
    add();
    await typeFor(1200);
    expect(told).toBe(0);
    expect(aboutTrainer()).toBe(0);
    const t = performance.now();
    while (told === 0 && performance.now() - t < 3000) await sleep(20);
    expect(told).toBe(1);
    expect(aboutTrainer()).toBeGreaterThan(0);
  });

  it('typing without a pause puts a judgement off 5 s at most', async () => {
    const { store, add } = storeWithout('trainer');
    findingsView(store);
    let told = 0;
    stops.push(onFindings(store, () => told++));
    const t = performance.now();
    noteInput();
    add();
    let at = 0;
    const end = t + 7000;
    while (performance.now() < end && told === 0) {
      noteInput();
      await sleep(100);
      if (told) at = performance.now() - t;
    }
    expect(told).toBe(1);
    expect(at).toBeGreaterThan(4500);
    expect(at).toBeLessThan(6500);
  });
});
