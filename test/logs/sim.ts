// A simulator with a namespace, a node and pods whose container states the tests set, and a real
// KubeClient over HTTP to it: what the log follower and the pane run against.
import { KubeConfig } from '@kubernetes/client-node';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { KubeClient } from '../../src/kube/client';
import type { ContainerInfo } from '../../src/logs/follower';

export { until } from '../usage/fixture';

export const NS = 'logs';

export interface LogSim {
  sim: Simulator;
  client: KubeClient;
  /** A pod on node-1 with these containers, all running unless `states` says otherwise. */
  pod(name: string, containers: string[], o?: { init?: string[]; states?: Record<string, ContainerState> }): void;
  /** Sets one container's state (and restart count) in the pod's status. */
  setState(pod: string, container: string, state: ContainerState): void;
  /** The container as the store would see it. */
  info(pod: string): (container: string) => ContainerInfo | undefined;
  exists(pod: string): boolean;
  append(pod: string, container: string, line: string | Buffer, tsMs?: number): void;
  close(): Promise<void>;
}

export type ContainerState = { running: true; restarts?: number } | { waiting: string; restarts?: number; terminatedBefore?: boolean } | { terminated: string; restarts?: number };

function status(name: string, s: ContainerState) {
  const restartCount = s.restarts ?? 0;
  const lastState = restartCount > 0 || ('terminatedBefore' in s && s.terminatedBefore) ? { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-05-10T11:00:00Z' } } : {};
  if ('terminated' in s) return { name, ready: false, started: false, restartCount, image: 'i', imageID: '', state: { terminated: { exitCode: 0, reason: s.terminated } }, lastState };
  if ('running' in s) return { name, ready: true, started: true, restartCount, image: 'i', imageID: '', state: { running: { startedAt: '2026-05-10T11:00:00Z' } }, lastState };
  return { name, ready: false, started: false, restartCount, image: 'i', imageID: '', state: { waiting: { reason: s.waiting } }, lastState };
}

export async function startLogSim(): Promise<LogSim> {
  const sim = await startSimulator({ tls: false, podDeletionDelayMs: 20, bookmarkIntervalMs: 200 });
  sim.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  sim.objects.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '10.1.2.3' }] } });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig({ https: false }));
  const client = await KubeClient.create(kc);
  const get = (pod: string) => {
    try {
      return sim.objects.get('pods', NS, pod);
    } catch {
      return undefined;
    }
  };
  return {
    sim,
    client,
    pod(name, containers, o = {}) {
      const states = o.states ?? {};
      const all = [...(o.init ?? []), ...containers];
      sim.objects.create(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: NS },
          spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c, image: 'i' })), ...(o.init ? { initContainers: o.init.map((c) => ({ name: c, image: 'i' })) } : {}) },
          status: {
            phase: 'Running',
            containerStatuses: containers.map((c) => status(c, states[c] ?? { running: true })),
            ...(o.init ? { initContainerStatuses: o.init.map((c) => ({ ...status(c, states[c] ?? { waiting: 'x' }), state: { terminated: { exitCode: 0, reason: 'Completed' } } })) } : {}),
          },
        },
        { seed: true },
      );
      void all;
    },
    setState(pod, container, state) {
      const p = get(pod)!;
      const st = structuredClone(p.status);
      const list = st.containerStatuses.map((c: { name: string }) => (c.name === container ? status(container, state) : c));
      sim.objects.updateStatus({ ...p, status: { ...st, containerStatuses: list } });
    },
    info(pod) {
      return (container) => {
        const c = (get(pod)?.status?.containerStatuses ?? []).find((x: { name: string }) => x.name === container);
        if (!c) return undefined;
        const state = Object.keys(c.state ?? {})[0] ?? 'unknown';
        return { state, reason: c.state?.[state]?.reason ?? '', restarts: c.restartCount ?? 0 };
      };
    },
    exists: (pod) => !!get(pod),
    append: (pod, container, line, tsMs) => sim.logs.append(NS, pod, container, line, tsMs),
    async close() {
      client.close();
      await sim.close();
    },
  };
}
