// The kubelet summary through the node proxy: which volumes are reported (running pods on the
// node, CSI drivers with stats, never hostPath), the numbers, and node misbehaviour. The usage
// numbers and node behaviours are the simulator's knobs: sim-only.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Api, simIt, simOf, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
let ns: string;
const GiB = 2 ** 30;

async function pv(name: string, source: Record<string, unknown>) {
  const r = await api.post('/api/v1/persistentvolumes', { metadata: { name }, spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], ...source } });
  expect(r.status).toBe(201);
}

async function boundPvc(name: string, pvName: string) {
  await api.post(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, { metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, volumeName: pvName } });
  await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}/status`, { status: { phase: 'Bound', capacity: { storage: '10Gi' } } });
}

async function runningPod(name: string, node: string, claims: string[], phase = 'Running') {
  const volumes = claims.map((c) => ({ name: `vol-${c}`, persistentVolumeClaim: { claimName: c } }));
  await api.post(`/api/v1/namespaces/${ns}/pods`, { metadata: { name }, spec: { nodeName: node, containers: [{ name: 'app', image: 'i' }], volumes } });
  await api.patch(`/api/v1/namespaces/${ns}/pods/${name}/status`, { status: { phase } });
}

const summary = (node: string) => api.get(`/api/v1/nodes/${node}/proxy/stats/summary`);

beforeAll(async () => {
  t = await startTarget();
  api = new Api(t.url, t.token, t.caPem);
  ns = await api.namespace('stats');
  for (const n of ['node-a', 'node-b']) await api.post('/api/v1/nodes', { metadata: { name: n }, status: { addresses: [{ type: 'InternalIP', address: n === 'node-a' ? '10.0.0.10' : '10.0.0.11' }] } });
  await pv('pv-csi', { csi: { driver: 'csi.juicefs.com', volumeHandle: 'h1' } });
  await pv('pv-nostats', { csi: { driver: 'nfs.csi.k8s.io', volumeHandle: 'h2' } });
  await pv('pv-host', { hostPath: { path: '/data' } });
  await pv('pv-csi2', { csi: { driver: 'csi.juicefs.com', volumeHandle: 'h3' } });
  await boundPvc('data', 'pv-csi');
  await boundPvc('nostats', 'pv-nostats');
  await boundPvc('host', 'pv-host');
  await boundPvc('other', 'pv-csi2');
  await runningPod('app', 'node-a', ['data', 'nostats', 'host']);
  await runningPod('pending', 'node-a', ['other'], 'Pending');
  await runningPod('elsewhere', 'node-b', ['other']);
  simOf(t).stats.driversWithoutStats.add('nfs.csi.k8s.io');
  simOf(t).stats.usage.set(`${ns}/data`, { usedBytes: 3 * GiB, capacityBytes: 10 * GiB, inodes: 1000, inodesUsed: 10 });
});
afterAll(() => t?.close());

describe('stats summary', () => {
  simIt('reports CSI volumes of running pods on the node, in the kubelet Summary shape', async () => {
    const r = await summary('node-a');
    expect(r.status).toBe(200);
    expect(r.body.node.nodeName).toBe('node-a');
    const mine = r.body.pods.filter((p: any) => p.podRef.namespace === ns);
    expect(mine.map((p: any) => p.podRef.name)).toEqual(['app']);
    expect(mine[0].podRef.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine[0].volume).toEqual([
      {
        time: expect.stringMatching(/Z$/), availableBytes: 7 * GiB, capacityBytes: 10 * GiB, usedBytes: 3 * GiB,
        inodesFree: 990, inodes: 1000, inodesUsed: 10, name: 'vol-data', pvcRef: { name: 'data', namespace: ns },
      },
    ]);
  });

  simIt('derives stable usage from the PV capacity when none was set', async () => {
    const a = await summary('node-b');
    const vol = a.body.pods.find((p: any) => p.podRef.name === 'elsewhere').volume[0];
    expect(vol.capacityBytes).toBe(10 * GiB);
    expect(vol.usedBytes + vol.availableBytes).toBe(10 * GiB);
    expect(vol.inodesUsed + vol.inodesFree).toBe(vol.inodes);
    const b = await summary('node-b');
    expect(b.body.pods.find((p: any) => p.podRef.name === 'elsewhere').volume[0].usedBytes).toBe(vol.usedBytes);
  });

  simIt('answers 404 for an unknown node and 404 text for unknown kubelet paths', async () => {
    const r = await summary('ghost');
    expect(r.body).toMatchObject({ code: 404, reason: 'NotFound', message: 'nodes "ghost" not found' });
    const other = await api.get('/api/v1/nodes/node-a/proxy/nothing');
    expect([other.status, other.text]).toEqual([404, '404 page not found\n']);
  });

  simIt('fails like the apiserver proxy for an unreachable node', async () => {
    const sim = simOf(t);
    sim.stats.nodeBehaviour.set('node-b', 'unreachable');
    try {
      const r = await summary('node-b');
      expect(r.status).toBe(503);
      expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'error trying to reach service: dial tcp 10.0.0.11:10250: connect: connection refused', reason: 'ServiceUnavailable', code: 503 });
    } finally {
      sim.stats.nodeBehaviour.delete('node-b');
    }
  });

  simIt('answers slowly for a slow node and never for a timing-out one', async () => {
    const sim = simOf(t);
    sim.stats.slowMs = 300;
    sim.stats.nodeBehaviour.set('node-b', 'slow');
    const started = Date.now();
    expect((await summary('node-b')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    sim.stats.nodeBehaviour.set('node-b', 'timeout');
    const s = api.stream('/api/v1/nodes/node-b/proxy/stats/summary').catch((e) => e);
    // No headers ever come: the request is still pending after a while.
    const outcome = await Promise.race([s, new Promise((r) => setTimeout(() => r('pending'), 300))]);
    expect(outcome).toBe('pending');
    sim.stats.nodeBehaviour.delete('node-b');
  });
});
