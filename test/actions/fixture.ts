// A simulator (optionally with the demo world's controllers), a real Connection to it over HTTP,
// and an action log in a temporary directory: what the action tests drive and inspect.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator, type SimOptions } from '../../src/sim/index';
import { startWorld, type World } from '../../src/sim/world';
import { buildScenarios, type KObj } from '../../src/sim/scenarios';
import { Connection } from '../../src/kube/connection';
import { FileAuditLog, readActionLog, type AuditEntry } from '../../src/actions';
import type { RecordedRequest } from '../../src/sim/index';
import type { Mounted } from '../views/harness';

export interface SimSession {
  sim: Simulator;
  world: World | undefined;
  conn: Connection;
  logFile: string;
  log(): AuditEntry[];
  /** Requests that change something (not reads, not SelfSubjectAccessReviews). */
  mutations(): RecordedRequest[];
  reviews(): RecordedRequest[];
  close(): Promise<void>;
}

export interface SimSessionOptions {
  scenarios?: string[] | 'all';
  /** Run the demo world's controllers (resizer, kubelet, workloads), at `tickMs` (default 20 ms) a tick. */
  live?: boolean;
  tickMs?: number;
  readonly?: boolean;
  /** Changes the scenario objects before they are loaded (without the world). */
  edit?: (objects: KObj[]) => void;
  sim?: SimOptions;
}

export const isMutation = (r: RecordedRequest): boolean => r.method !== 'GET' && !r.path.endsWith('/selfsubjectaccessreviews');

export async function simSession(o: SimSessionOptions = {}): Promise<SimSession> {
  const sim = await startSimulator({ tls: false, podDeletionDelayMs: 30, bookmarkIntervalMs: 500, ...o.sim });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-actions-'));
  const logFile = path.join(dir, 'state', 'csi-top', 'actions.log');
  let world: World | undefined;
  let conn: Connection | undefined;
  try {
    if (o.live) world = await startWorld(sim, { scenarios: o.scenarios ?? 'all', tickMs: o.tickMs ?? 20 });
    else {
      const built = buildScenarios(o.scenarios ?? 'all', { now: Date.now(), seed: 1 });
      o.edit?.(built.objects);
      sim.objects.load(built.objects);
    }
    conn = await Connection.open({ kubeconfigText: sim.kubeconfig({ https: false }), allNamespaces: true, readonly: !!o.readonly, audit: new FileAuditLog(logFile), usage: { disabled: 'tests' } });
    conn.start();
    if (!(await conn.waitForSync(20_000))) throw new Error('the connection did not sync');
  } catch (e) {
    world?.stop();
    await conn?.close();
    await sim.close();
    throw e;
  }
  sim.clearRequests();
  const c = conn;
  return {
    sim,
    world,
    conn: c,
    logFile,
    log: () => readActionLog(logFile),
    mutations: () => sim.requests.filter(isMutation),
    reviews: () => sim.requests.filter((r) => r.path.endsWith('/selfsubjectaccessreviews')),
    async close() {
      world?.stop();
      await c.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `cond` until true (throws with `what` after `ms`). */
export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The resize dialog's size field, once the server answered whether the user may patch claims. */
export const SIZE_FIELD = /New size:(?![\s\S]*checking permission)/;

/** x on the selected object, the size typed, Enter: the frame asking y/N (or saying why not). */
export async function askResize(m: Mounted, size: string): Promise<string> {
  await m.press('x');
  await m.waitFor(SIZE_FIELD);
  await m.type(size);
  await m.press('enter');
  return m.waitFor(/\(y\/N\)/);
}
