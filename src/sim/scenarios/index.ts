// The scenario registry: names and one-line descriptions for `--help`, and the function that
// builds any selection of them into one cluster.
import { Cluster } from './cluster';
import type { KObj } from './kube';
import type { ClusterFaults, ExpectedFinding, LogSeed, Scenario, UsageSeed } from './types';
import { juicefsScenario } from './juicefs';
import { cephRbdScenario } from './ceph-rbd';
import { nfsScenario } from './nfs';
import { provisioningFailedScenario } from './provisioning-failed';
import { resizePendingScenario } from './resize-pending';
import { volumeAbnormalScenario } from './volume-abnormal';
import { releasedPvScenario } from './released-pv';
import { volumeNearlyFullScenario } from './volume-nearly-full';
import { healthyScenario } from './healthy';

export type { ExpectedFinding, LogSeed, Scenario, UsageSeed, ClusterFaults } from './types';
export type { KObj } from './kube';

export const SCENARIOS: readonly Scenario[] = [
  healthyScenario,
  juicefsScenario,
  cephRbdScenario,
  nfsScenario,
  provisioningFailedScenario,
  resizePendingScenario,
  volumeAbnormalScenario,
  releasedPvScenario,
  volumeNearlyFullScenario,
];

/** `{name, description}` of every scenario, for `--help`. */
export function scenarioList(): Array<{ name: string; description: string }> {
  return SCENARIOS.map(({ name, description }) => ({ name, description }));
}

export interface BuiltCluster {
  objects: KObj[];
  logs: LogSeed[];
  usage: UsageSeed[];
  faults: ClusterFaults;
  expectFindings: ExpectedFinding[];
  /** The moment the scenarios describe (epoch ms, whole seconds). */
  now: number;
}

/** Resolves `'all'` or a list of names; throws with the known names on an unknown one. */
export function selectScenarios(names: readonly string[] | 'all'): Scenario[] {
  if (names === 'all') return [...SCENARIOS];
  return names.map((n) => {
    const s = SCENARIOS.find((x) => x.name === n);
    if (!s) throw new Error(`unknown scenario "${n}" (known: ${SCENARIOS.map((x) => x.name).join(', ')})`);
    return s;
  });
}

/** Builds the selected scenarios into one cluster, deterministically from `seed` and `now`. */
export function buildScenarios(names: readonly string[] | 'all', o: { seed?: number; now?: number } = {}): BuiltCluster {
  const c = new Cluster(o.seed ?? 1, o.now ?? Date.now());
  for (const s of selectScenarios(names)) s.build(c);
  const objects = c.finish();
  return { objects, logs: c.logs, usage: c.usage, faults: c.faults, expectFindings: c.expect, now: c.now };
}
