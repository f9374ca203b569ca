// A small cluster in the simulator for the usage tests: nodes, CSI (or hostPath) volumes bound to
// PVCs, pods on nodes, and a Connection to it over HTTPS with the store synced.
import { randomUUID } from 'node:crypto';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { Connection, type OpenOptions } from '../../src/kube/connection';

export const GiB = 2 ** 30;
const past = new Date(Date.now() - 3600_000).toISOString();
const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), uid: randomUUID(), creationTimestamp: past });

export class Builder {
  constructor(readonly sim: Simulator) {}

  private put(o: Record<string, unknown>) {
    this.sim.objects.create(o as never, { seed: true });
  }

  namespace(name: string): this {
    if (!this.sim.objects.list('namespaces').items.some((n) => n.metadata.name === name)) this.put({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(name), status: { phase: 'Active' } });
    return this;
  }

  node(name: string): this {
    this.put({ apiVersion: 'v1', kind: 'Node', metadata: meta(name), status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } });
    return this;
  }

  /** A PVC bound to a PV of `driver` (null: hostPath). */
  volume(namespace: string, claim: string, o: { driver?: string | null; size?: string } = {}): this {
    this.namespace(namespace);
    const pv = `pvc-${claim}-${namespace}`;
    const size = o.size ?? '10Gi';
    const source = o.driver === null ? { hostPath: { path: `/data/${claim}` } } : { csi: { driver: o.driver ?? 'csi.example.com', volumeHandle: pv } };
    this.put({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta(pv), spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], claimRef: { namespace, name: claim }, ...source }, status: { phase: 'Bound' } });
    this.put({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(claim, namespace), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, volumeName: pv }, status: { phase: 'Bound', capacity: { storage: size } } });
    return this;
  }

  pod(namespace: string, name: string, node: string, claims: string[], phase = 'Running'): this {
    this.namespace(namespace);
    this.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta(name, namespace),
      spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox' }], volumes: claims.map((c) => ({ name: `v-${c}`, persistentVolumeClaim: { claimName: c } })) },
      status: { phase, startTime: past, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }], containerStatuses: [{ name: 'app', ready: phase === 'Running', restartCount: 0, image: 'busybox', state: phase === 'Running' ? { running: { startedAt: past } } : { waiting: { reason: 'ContainerCreating' } } }] },
    });
    return this;
  }
}

export interface TestCluster {
  sim: Simulator;
  b: Builder;
  conn: Connection;
  close(): Promise<void>;
}

export async function startCluster(build: (b: Builder) => void, usage: OpenOptions['usage'] = {}): Promise<TestCluster> {
  const sim = await startSimulator({ bookmarkIntervalMs: 200 });
  const b = new Builder(sim);
  build(b);
  const conn = await Connection.open({ kubeconfigText: sim.kubeconfig(), allNamespaces: true, usage: { notifyMs: 10, ...usage } });
  conn.start();
  if (!(await conn.waitForSync(10_000))) throw new Error('store did not sync');
  return {
    sim,
    b,
    conn,
    async close() {
      await conn.close();
      await sim.close();
    },
  };
}

export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Timers alive in this process (what a leaked poller would keep). */
export const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** Summary requests the simulator received, per node. */
export function summaryCalls(sim: Simulator): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of sim.requests) {
    const x = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/stats\/summary/.exec(r.path);
    if (x) m.set(x[1], (m.get(x[1]) ?? 0) + 1);
  }
  return m;
}
