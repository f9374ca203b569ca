// Volume usage in `export` and `doctor` (the built CLI against the simulator over HTTPS): numbers
// for mounted PVCs, the reason for the others, VolumeNearlyFull at the default and a configured
// threshold, RBAC denial; the flags; and Prometheus as the source (a tiny fake Prometheus).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { runCli } from '../helpers/run-cli';
import { parseCli } from '../../src/cli';
import { PROMETHEUS_QUERY } from '../../src/store/usage';
import { Builder, GiB, startCluster, until, type TestCluster } from './fixture';

let sim: Simulator;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  sim = await startSimulator();
  new Builder(sim)
    .node('n1')
    .node('n2')
    .volume('shop', 'full', { size: '10Gi' })
    .volume('shop', 'half', { size: '10Gi' })
    .volume('shop', 'inodes', { size: '10Gi' })
    .volume('shop', 'idle')
    .volume('shop', 'nfs', { driver: 'nfs.csi.k8s.io' })
    .pod('shop', 'db-0', 'n1', ['full', 'half'])
    .pod('shop', 'files-0', 'n2', ['inodes', 'nfs']);
  sim.stats.driversWithoutStats.add('nfs.csi.k8s.io');
  sim.stats.usage.set('shop/full', { usedBytes: 9.5 * GiB, capacityBytes: 10 * GiB, inodes: 655360, inodesUsed: 1200 });
  sim.stats.usage.set('shop/half', { usedBytes: 6 * GiB, capacityBytes: 10 * GiB, inodes: 655360, inodesUsed: 1000 });
  sim.stats.usage.set('shop/inodes', { usedBytes: 1 * GiB, capacityBytes: 10 * GiB, inodes: 1000, inodesUsed: 995 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-usage-'));
  kubeconfig = path.join(dir, 'config');
  fs.writeFileSync(kubeconfig, sim.kubeconfig());
});
afterAll(async () => {
  await sim?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const r = await runCli([...args, '-A', '--kubeconfig', kubeconfig], { timeoutMs: 30_000 });
  if (r.code !== 0 && r.code !== 2) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
}

const vol = (doc: any, claim: string) => doc.volumes.find((v: any) => v.pvc?.name === claim);
const nearlyFull = (doc: any) => doc.findings.filter((f: any) => f.code === 'VolumeNearlyFull').map((f: any) => `${f.severity} ${f.object.name}`).sort();

describe('usage in export and doctor', () => {
  it('export: usage of mounted PVCs, the reason for the others, and VolumeNearlyFull', async () => {
    const doc = JSON.parse((await cli(['export'])).stdout);
    expect(vol(doc, 'full').usage).toEqual({
      usedBytes: 9.5 * GiB, capacityBytes: 10 * GiB, availableBytes: 0.5 * GiB,
      inodesUsed: 1200, inodes: 655360, inodesFree: 654160, usedPercent: 95, inodesUsedPercent: 0.2,
      node: 'n1', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    expect(vol(doc, 'full').usageUnknownReason).toBeNull();
    expect(vol(doc, 'half').usage).toMatchObject({ usedPercent: 60, node: 'n1' });
    expect(vol(doc, 'inodes').usage).toMatchObject({ usedPercent: 10, inodesUsedPercent: 99.5, node: 'n2' });
    expect(vol(doc, 'idle')).toMatchObject({ usage: null, usageUnknownReason: 'not mounted by any running pod' });
    expect(vol(doc, 'nfs')).toMatchObject({ usage: null, usageUnknownReason: "the node's kubelet did not report this volume (driver without volume stats)" });
    expect(nearlyFull(doc)).toEqual(['error inodes', 'warning full']);
    const f = doc.findings.find((x: any) => x.code === 'VolumeNearlyFull' && x.object.name === 'full');
    expect(f.message).toBe('PVC shop/full is 95% full (9.50 GiB of 10.0 GiB)');
    expect(f.next[0]).toMatch(/kubectl -n shop patch pvc full/);
  });

  it('doctor: VolumeNearlyFull at a configured threshold, none above it', async () => {
    let doc = JSON.parse((await cli(['doctor', '-o', 'json', '--usage-threshold', '50%'])).stdout);
    expect(nearlyFull(doc)).toEqual(['error inodes', 'warning full', 'warning half']);
    doc = JSON.parse((await cli(['doctor', '-o', 'json', '--usage-threshold', '1'])).stdout);
    expect(nearlyFull(doc)).toEqual([]);
    const text = (await cli(['doctor'])).stdout;
    expect(text).toMatch(/VolumeNearlyFull/);
    expect(text).toMatch(/shop\/full is 95% full/);
  });

  it('--no-usage: nothing polled, no finding, usage null', async () => {
    sim.clearRequests();
    const doc = JSON.parse((await cli(['export', '--no-usage'])).stdout);
    expect(sim.requests.some((r) => r.path.includes('/proxy/'))).toBe(false);
    expect(nearlyFull(doc)).toEqual([]);
    expect(vol(doc, 'full')).toMatchObject({ usage: null, usageUnknownReason: 'usage polling is off' });
  });

  it('forbidden nodes/proxy: usage turned off, said once, reports still work', async () => {
    sim.rbac.deny({ verb: 'get', resource: 'nodes/proxy' });
    try {
      sim.clearRequests();
      const r = await cli(['export']);
      const doc = JSON.parse(r.stdout);
      expect(vol(doc, 'full')).toMatchObject({ usage: null, usageUnknownReason: 'forbidden (nodes/proxy)' });
      expect(vol(doc, 'idle').usageUnknownReason).toBe('not mounted by any running pod');
      expect(doc.unavailable).toEqual([{ kind: 'VolumeUsage', state: 'forbidden', message: expect.stringMatching(/^GET on nodes\/proxy .* is forbidden: User "admin" cannot get resource "nodes\/proxy" .* \(see docs\/rbac\.md\)$/) }]);
      // One request per node at most: the first 403 stops the round.
      expect(sim.requests.filter((x) => x.path.includes('/proxy/stats/summary')).length).toBeLessThanOrEqual(2);
      const text = (await cli(['doctor'])).stdout;
      expect(text).toMatch(/not checked: VolumeUsage \(forbidden: GET on nodes\/proxy/);
    } finally {
      sim.rbac.reset();
    }
  });

  it("a kubelet refusing the apiserver (its 403 passed through) is that node's failure, not the user's RBAC", async () => {
    sim.stats.nodeBehaviour.set('n2', 'refuses');
    try {
      const doc = JSON.parse((await cli(['export'])).stdout);
      expect(doc.unavailable).toBeUndefined();
      expect(vol(doc, 'full').usage).toMatchObject({ usedPercent: 95, node: 'n1' });
      expect(vol(doc, 'inodes')).toMatchObject({ usage: null, usageUnknownReason: 'node unreachable' });
    } finally {
      sim.stats.nodeBehaviour.delete('n2');
    }
  });
});

describe('usage flags', () => {
  it('parses the threshold, interval and metrics URL', () => {
    expect(parseCli([], {})).toMatchObject({ usage: true, usageThreshold: 0.9, usageIntervalMs: 30_000 });
    expect(parseCli(['doctor', '--usage-threshold', '0.8', '--usage-interval', '10', '--metrics-url', 'http://prom:9090'], {})).toMatchObject({ usageThreshold: 0.8, usageIntervalMs: 10_000, metricsUrl: 'http://prom:9090' });
    expect(parseCli(['--usage-threshold', '95%'], {})).toMatchObject({ usageThreshold: 0.95 });
    expect(parseCli(['--no-usage'], {})).toMatchObject({ usage: false });
    expect(() => parseCli(['--usage-threshold', '1.5'], {})).toThrow(/--usage-threshold takes a fraction above 0 and at most 1/);
    expect(() => parseCli(['--usage-threshold', 'lots'], {})).toThrow(/--usage-threshold/);
    expect(() => parseCli(['--usage-interval', '0'], {})).toThrow(/--usage-interval takes seconds from 1 to 3600/);
    expect(() => parseCli(['--metrics-url', 'prom:9090'], {})).toThrow(/--metrics-url takes an http\(s\) URL/);
    expect(() => parseCli(['--no-usage', '--metrics-url', 'http://p'], {})).toThrow(/--no-usage cannot be used/);
  });
});

describe('Prometheus as the source', () => {
  let prom: http.Server;
  let promUrl: string;
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const queries: string[] = [];
  let c: TestCluster | undefined;
  const now = Date.now() / 1000;
  const series = (name: string, pvc: string, value: number, t = now) => ({ metric: { __name__: `kubelet_volume_stats_${name}`, namespace: 'shop', persistentvolumeclaim: pvc, node: 'n1', job: 'kubelet' }, value: [t, String(value)] });

  beforeAll(async () => {
    prom = http.createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      queries.push(`${u.pathname} ${u.searchParams.get('query')}`);
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => prom.listen(0, '127.0.0.1', r));
    promUrl = `http://127.0.0.1:${(prom.address() as { port: number }).port}/prom`;
  });
  afterAll(() => new Promise<void>((r) => prom.close(() => r())));
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('reads every PVC in one instant query, and says why the others have none', async () => {
    answer = {
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            series('used_bytes', 'data', 8 * GiB), series('capacity_bytes', 'data', 10 * GiB), series('available_bytes', 'data', 2 * GiB),
            series('inodes', 'data', 1000), series('inodes_used', 'data', 400), series('inodes_free', 'data', 600),
            // An older duplicate series (pod moved): the newest value wins.
            series('used_bytes', 'data', 1 * GiB, now - 120),
          ],
        },
      },
    };
    c = await startCluster((b) => b.node('n1').node('n2').volume('shop', 'data').volume('shop', 'gone').volume('shop', 'idle').pod('shop', 'a', 'n1', ['data']).pod('shop', 'b', 'n2', ['gone']), { metricsUrl: promUrl });
    c.sim.clearRequests();
    await c.conn.pollUsageOnce(5000);
    expect(queries).toEqual([`/prom/api/v1/query ${PROMETHEUS_QUERY}`]);
    expect(c.sim.requests.some((r) => r.path.includes('/proxy/'))).toBe(false);
    expect(c.conn.usage.get('shop', 'data').sample).toMatchObject({ usedBytes: 8 * GiB, capacityBytes: 10 * GiB, availableBytes: 2 * GiB, inodes: 1000, inodesUsed: 400, inodesFree: 600, node: 'n1' });
    expect(c.conn.usage.get('shop', 'gone').reason?.text).toBe('not in Prometheus (kubelet did not report this volume)');
    expect(c.conn.usage.get('shop', 'idle').reason?.text).toBe('not mounted by any running pod');
    expect(c.conn.usage.state().source).toMatch(/^prometheus http:\/\/127\.0\.0\.1:\d+\/prom$/);
  });

  it('a failing Prometheus is one reason for every mounted PVC', async () => {
    answer = { status: 503, body: { status: 'error', error: 'overloaded' } };
    c = await startCluster((b) => b.node('n1').volume('shop', 'data').pod('shop', 'a', 'n1', ['data']), { metricsUrl: promUrl, intervalMs: 100 });
    c.conn.startUsage();
    await until(() => c!.conn.usage.get('shop', 'data').reason?.code === 'unreachable', 'failure');
    expect(c.conn.usage.get('shop', 'data').reason).toMatchObject({ text: 'Prometheus unreachable', detail: expect.stringMatching(/answered 503: overloaded/) });
    answer = { status: 403, body: { status: 'error', error: 'no' } };
    await until(() => c!.conn.usage.state().status === 'forbidden', 'forbidden', 3000);
    expect(c.conn.usage.get('shop', 'data').reason?.text).toBe('forbidden (Prometheus)');
  });
});
