// False alarms are bugs: a healthy cluster, each driver alone, and the same cluster later in
// time raise no finding at all.
import { describe, expect, it } from 'vitest';
import { computeFindings } from '../../src/store/verdicts';
import { FIXTURE_NOW, HEALTHY, fixtureStore } from '../fixtures/load';
import { brief } from './helpers';

describe('a healthy cluster', () => {
  it('raises no finding with every driver deployed together', () => {
    expect(computeFindings(fixtureStore(...HEALTHY), { now: FIXTURE_NOW }).map(brief)).toEqual([]);
  });

  it.each(HEALTHY.filter((n) => n !== 'cluster'))('raises no finding with only %s deployed', (driver) => {
    expect(computeFindings(fixtureStore('cluster', driver), { now: FIXTURE_NOW }).map(brief)).toEqual([]);
  });

  it('stays quiet as time passes (grace periods long over, old events still around)', () => {
    const s = fixtureStore(...HEALTHY);
    for (const later of [60_000, 3_600_000, 86_400_000]) expect(computeFindings(s, { now: FIXTURE_NOW + later }).map(brief)).toEqual([]);
  });

  it('memoizes on store versions and options', () => {
    const s = fixtureStore(...HEALTHY);
    const a = computeFindings(s, { now: FIXTURE_NOW });
    expect(computeFindings(s, { now: FIXTURE_NOW })).toBe(a);
    expect(computeFindings(s, { now: FIXTURE_NOW + 1 })).not.toBe(a);
  });
});
