// The demo world: scenarios loaded into a simulator (directly into its object store, no HTTP),
// optional --scale app pods, and the controllers that keep it moving. `startWorld` is what tests
// and `csi-top --demo` use; `world.stop()` clears every timer and watch it made.
import { buildScenarios, scenarioList, type BuiltCluster, type ClusterFaults, type ExpectedFinding } from './scenarios/index';
import type { KObj } from './scenarios/kube';
import { memoryApi, simulatorApi, type SimulatorLike, type WorldApi } from './world-api';
import { Runtime } from './world-runtime';
import { kubelet } from './world-kubelet';
import { pluginRegistration, workloads } from './world-workloads';
import { juicefsMounts } from './world-juicefs';
import { attacher, provisioner, resizer } from './world-storage';
import { leaseRenewal, logChatter, usageDrift } from './world-activity';
import { generateScale, type ScaleResult } from './world-scale';
import { startSimulator, type Simulator } from './index';

export { scenarioList, memoryApi };
import { hostileLogLine, logFlood } from './world-activity';
export { hostileLogLine, logFlood };

export interface WorldOptions {
  scenarios: readonly string[] | 'all';
  /** Generated app pods (with claims and volumes) added on top of the scenarios. */
  scale?: number;
  /** Run the controllers (default true). */
  live?: boolean;
  seed?: number;
  /** Milliseconds per controller tick (default 1000; tests use ~20). */
  tickMs?: number;
  /** The moment the scenarios describe (default now). */
  now?: number;
  /** Append a line of terminal-hostile bytes (hostileLogLine) to every seeded container log. */
  hostileLogs?: boolean;
}

export interface World {
  /** What the scenarios expect csi-top to find. */
  readonly expectFindings: readonly ExpectedFinding[];
  /** The scenario objects as loaded (before any controller touched them). */
  readonly objects: readonly KObj[];
  readonly api: WorldApi;
  readonly scale: ScaleResult | undefined;
  /** The outside-world faults the controllers honour; add to them to break things live. */
  readonly faults: ClusterFaults;
  /** Errors the controllers ran into (kept, never thrown). */
  readonly errors: readonly string[];
  /** Appends N lines/s to a container's log until the returned function (or stop()) is called. */
  flood(target: { namespace: string; pod: string; container: string }, linesPerSecond: number): () => void;
  stop(): void;
}

/** Loads the scenarios (and scale) into a running simulator and starts its controllers. */
export async function startWorld(sim: SimulatorLike, opts: WorldOptions): Promise<World> {
  return startWorldOn(simulatorApi(sim), opts, sim);
}

/** The same on any WorldApi (an in-memory one for controller unit tests). */
export async function startWorldOn(api: WorldApi, opts: WorldOptions, sim?: SimulatorLike): Promise<World> {
  const seed = opts.seed ?? 1;
  // Generated pods need drivers: with no scenario chosen, --scale stands on the healthy one.
  const names = opts.scale && opts.scenarios !== 'all' && opts.scenarios.length === 0 ? ['healthy'] : opts.scenarios;
  const built = buildScenarios(names, { seed, now: opts.now });
  load(api, built, sim);
  if (opts.hostileLogs) {
    for (const l of new Set(built.logs.map((x) => `${x.namespace}\n${x.pod}\n${x.container}`))) {
      const [ns, pod, container] = l.split('\n');
      api.appendLog(ns, pod, container, hostileLogLine());
    }
  }
  const scale = opts.scale ? generateScale(api, { count: opts.scale, seed, now: built.now, sim }) : undefined;
  const usage = [...built.usage, ...(scale?.usage ?? [])];
  const rt = new Runtime(api, built.faults, seed, opts.tickMs ?? 1000);
  for (const u of usage) api.setUsage(u.key, { usedBytes: u.usedBytes, capacityBytes: u.capacityBytes, availableBytes: u.capacityBytes - u.usedBytes, inodes: u.inodes, inodesUsed: u.inodesUsed, inodesFree: u.inodes - u.inodesUsed });
  if (opts.live !== false) {
    const k = kubelet(rt);
    rt.add(k);
    rt.add(workloads(rt));
    rt.add(pluginRegistration(rt));
    rt.add(juicefsMounts(rt));
    rt.add(provisioner(rt));
    rt.add(attacher(rt));
    rt.add(resizer(rt));
    rt.add(usageDrift(rt, built.usage));
    rt.add(leaseRenewal(rt));
    rt.add(logChatter(rt));
    rt.start();
  }
  const floods = new Set<() => void>();
  return {
    expectFindings: built.expectFindings,
    objects: built.objects,
    api,
    scale,
    faults: built.faults,
    errors: rt.errors,
    flood(target, rate) {
      const stop = logFlood(api, target, rate);
      floods.add(stop);
      return () => {
        stop();
        floods.delete(stop);
      };
    },
    stop() {
      rt.stop();
      for (const f of floods) f();
      floods.clear();
    },
  };
}

/** Objects go in as seeds (uids, timestamps and statuses as built); logs in order, previous instances first. */
function load(api: WorldApi, built: BuiltCluster, sim?: SimulatorLike): void {
  if (sim?.objects.load) sim.objects.load(built.objects);
  else if (sim) for (const o of built.objects) sim.objects.create(o, { seed: true });
  else for (const o of built.objects) api.create(o);
  const byContainer = new Map<string, typeof built.logs>();
  for (const l of built.logs) {
    const k = `${l.namespace}/${l.pod}/${l.container}`;
    byContainer.set(k, [...(byContainer.get(k) ?? []), l]);
  }
  for (const seeds of byContainer.values()) {
    const ordered = [...seeds].sort((a, b) => Number(b.previous) - Number(a.previous));
    let restarted = false;
    for (const s of ordered) {
      if (!s.previous && !restarted && ordered[0].previous) {
        api.restartLog(s.namespace, s.pod, s.container);
        restarted = true;
      }
      for (const line of [...s.lines].sort((a, b) => a.ms - b.ms)) api.appendLog(s.namespace, s.pod, s.container, line.line, line.ms);
    }
  }
}

export interface Demo {
  sim: Simulator;
  world: World;
  /** Kubeconfig YAML pointing at the demo simulator. */
  kubeconfig: string;
  close(): Promise<void>;
}

/** What `csi-top --demo [--scale N]` runs: a simulator with every scenario (or some), live. */
export async function startDemo(o: { scale?: number; scenarios?: readonly string[] | 'all'; seed?: number; tickMs?: number } = {}): Promise<Demo> {
  const sim = await startSimulator({ bookmarkIntervalMs: 5000 });
  try {
    const world = await startWorld(sim, { scenarios: o.scenarios ?? 'all', scale: o.scale, seed: o.seed, tickMs: o.tickMs });
    return {
      sim,
      world,
      kubeconfig: sim.kubeconfig({ context: 'csi-top-demo' }),
      async close() {
        world.stop();
        await sim.close();
      },
    };
  } catch (err) {
    await sim.close();
    throw err;
  }
}
