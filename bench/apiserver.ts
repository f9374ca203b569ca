// The real kube-apiserver (the e2e control plane, test/e2e/harness.ts) loaded with the same
// objects as bench/sim-server.ts: namespaces (with their default ServiceAccount), nodes, PVs,
// PVCs, pods and events, each created and then given its status through /status as controllers
// and kubelets do. Plus steady pod status churn (N updates/s, PATCH of a restart count).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { controlPlaneBinary, startControlPlane, type ControlPlane, type KubeHttp } from '../test/e2e/harness';
import { benchEvent, benchNode, benchPod, benchPV, benchPVC } from './objects';

export function apiserverAvailable(): string | undefined {
  try {
    controlPlaneBinary();
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

type Obj = { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string; namespace?: string }; status?: unknown; [k: string]: unknown };

/** What a client sends on create: no server-owned metadata. */
function forCreate<T extends Obj>(o: T): T {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata } as T;
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export interface LoadedApiserver {
  server: string;
  token: string;
  caFile: string;
  kubeconfig: string;
  pods: number;
  loadMs: number;
  /** Steady pod status updates per second (0 stops). */
  rate(perS: number): void;
  /** Updates done by rate() so far, and failures. */
  counts(): { done: number; failed: number };
  stop(): Promise<void>;
}

export async function startLoadedApiserver(pods: number, log: (s: string) => void): Promise<LoadedApiserver> {
  const cp: ControlPlane = await startControlPlane({ timeoutMs: 180_000 });
  const t0 = performance.now();
  try {
    const c = cp.admin;
    const claims = Math.ceil(pods / 2);
    const nodes = Math.max(1, Math.ceil(pods / 30));
    await pool(
      Array.from({ length: 20 }, (_, i) => `team-${i}`),
      8,
      async (ns) => {
        await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
        await c.ensureDefaultServiceAccount(ns);
      },
    );
    const apply = (o: Obj) => c.apply(forCreate(o));
    await pool(Array.from({ length: nodes }, (_, i) => benchNode(i) as Obj), 16, apply);
    await pool(Array.from({ length: claims }, (_, i) => benchPV(i) as unknown as Obj), 16, apply);
    await pool(Array.from({ length: claims }, (_, i) => benchPVC(i) as unknown as Obj), 16, apply);
    log(`apiserver: ${nodes} nodes, ${claims} PVs and PVCs in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const podObjs = Array.from({ length: pods }, (_, i) => {
      const p = benchPod(i, nodes, `data-${Math.floor(i / 2)}`);
      p.metadata.namespace = `team-${(Math.floor(i / 2) * 2) % 20}`;
      return p;
    });
    await pool(podObjs as unknown as Obj[], 16, apply);
    log(`apiserver: ${pods} pods in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await pool(
      Array.from({ length: 2 * pods }, (_, i) => i),
      16,
      (i) => c.create(forCreate(benchEvent(i, podObjs[i % pods]) as unknown as Obj)),
    );
    const loadMs = performance.now() - t0;
    log(`apiserver: loaded ${pods} pods, ${claims} PVCs/PVs, ${2 * pods} events, ${nodes} nodes in ${(loadMs / 1000).toFixed(0)} s`);
    const caFile = path.join(os.tmpdir(), `csi-top-bench-ca-${process.pid}.pem`);
    writeFileSync(caFile, cp.caPem);

    let timer: NodeJS.Timeout | undefined;
    let done = 0;
    let failed = 0;
    let inflight = 0;
    const churn: KubeHttp = cp.client(cp.adminToken);
    return {
      server: cp.server,
      token: cp.adminToken,
      caFile,
      kubeconfig: cp.adminKubeconfig,
      pods,
      loadMs,
      rate(perS) {
        clearInterval(timer);
        timer = undefined;
        if (!(perS > 0)) return;
        let last = performance.now();
        let credit = 0;
        let k = 0;
        timer = setInterval(() => {
          const t = performance.now();
          credit += ((t - last) / 1000) * perS;
          last = t;
          // Never more than 64 requests in flight: a saturated server shows as a lower rate.
          while (credit >= 1 && inflight < 64) {
            credit -= 1;
            const p = podObjs[(k++ * 7919) % pods];
            const cs = p.status.containerStatuses[0];
            cs.restartCount++;
            inflight++;
            churn
              .setStatus(p as unknown as Obj, { containerStatuses: [cs] })
              .then(
                () => done++,
                () => failed++,
              )
              .finally(() => inflight--);
          }
          if (credit > perS) credit = perS; // drop what could not be sent
        }, 10);
      },
      counts: () => ({ done, failed }),
      async stop() {
        clearInterval(timer);
        await cp.stop();
      },
    };
  } catch (e) {
    await cp.stop();
    throw e;
  }
}
