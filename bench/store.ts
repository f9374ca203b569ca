// Store benchmarks against the simulator (in its own process), as ratios to a baseline measured
// in the same run:
//  1. initial sync of pods + PVCs + PVs + events vs the bare floor: paged GET + JSON.parse;
//  2. watch events applied and indexed per second (and per CPU-second) with one subscriber;
//  3. retained heap per pod after sync (needs --expose-gc).
// Usage: node --expose-gc --import tsx bench/store.ts [--pods 10000] [--heap-pods 50000,100000] [--runs 5]
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../src/kube/client';
import { Store } from '../src/store/store';
import { Reflector } from '../src/store/reflector';
import { KINDS, collectionPath } from '../src/store/kinds';
import type { KindName } from '../src/store/records';
import { keyOf } from '../src/store/records';
import { project } from '../src/store/project';
import { benchEvent, benchPod, benchPV, benchPVC } from './objects';

const { values } = parseArgs({ options: { pods: { type: 'string' }, 'heap-pods': { type: 'string' }, runs: { type: 'string' }, churn: { type: 'string' } } });
const PODS = Number(values.pods ?? 10_000);
const HEAP_PODS = (values['heap-pods'] ?? '50000').split(',').filter(Boolean).map(Number);
const RUNS = Number(values.runs ?? 5);
const CHURN = Number(values.churn ?? 50_000);
const gc = (globalThis as { gc?: () => void }).gc;

interface Server {
  url: string;
  token: string;
  child: ChildProcess;
  lines: AsyncIterator<string>;
}

async function startServer(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', 'bench/sim-server.ts', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  const info = JSON.parse(first.value);
  return { url: info.url, token: info.token, child, lines };
}

function stopServer(s: Server) {
  s.child.stdin!.end();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The floor: paged GET + JSON.parse of the same lists, kinds in parallel, one keep-alive agent. */
async function floor(s: Server, kinds: KindName[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true });
  const get = (path: string) =>
    new Promise<unknown>((resolve, reject) => {
      http
        .get(`${s.url}${path}`, { agent, headers: { Authorization: `Bearer ${s.token}`, Accept: 'application/json' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          res.on('error', reject);
        })
        .on('error', reject);
    });
  let items = 0;
  await Promise.all(
    kinds.map(async (k) => {
      let cont = '';
      do {
        const page = (await get(`${collectionPath(KINDS[k])}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)) as { items: unknown[]; metadata: { continue?: string } };
        items += page.items.length;
        cont = page.metadata.continue ?? '';
      } while (cont);
    }),
  );
  agent.destroy();
  return items;
}

async function client(s: Server): Promise<KubeClient> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'b', server: s.url, skipTLSVerify: true }],
    users: [{ name: 'b', token: s.token }],
    contexts: [{ name: 'b', cluster: 'b', user: 'b' }],
    currentContext: 'b',
  });
  return KubeClient.create(kc);
}

/** csi-top's sync: one reflector per kind into a Store, until every kind is synced. */
async function syncStore(s: Server, kinds: KindName[]): Promise<{ store: Store; stop: () => Promise<void> }> {
  const c = await client(s);
  const store = new Store();
  const rs = kinds.map((k) => new Reflector(c, store, KINDS[k], { idleTimeoutMs: 600_000 }));
  rs.forEach((r) => r.start());
  while (!kinds.every((k) => store.status(k).state === 'synced')) await new Promise((r) => setTimeout(r, 2));
  return {
    store,
    stop: async () => {
      await Promise.all(rs.map((r) => r.stop()));
      c.close();
    },
  };
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await f();
  return [performance.now() - t, v];
}

async function syncBench() {
  const s = await startServer(['--pods', String(PODS), '--events', String(PODS * 2)]);
  const kinds: KindName[] = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'Event'];
  const base: number[] = [];
  const ours: number[] = [];
  let items = 0;
  await floor(s, kinds); // warm both paths once
  await (await syncStore(s, kinds)).stop();
  for (let i = 0; i < RUNS; i++) {
    const [tb, n] = await timed(() => floor(s, kinds));
    items = n;
    base.push(tb);
    const [to, r] = await timed(() => syncStore(s, kinds));
    ours.push(to);
    await r.stop();
  }
  stopServer(s);
  const b = median(base);
  const o = median(ours);
  console.log(`\n### Initial sync: ${PODS} pods + ${PODS / 2} PVCs + ${PODS / 2} PVs + ${PODS * 2} events (${items} objects), median of ${RUNS}\n`);
  console.log('| client | time | ratio |\n|---|---|---|');
  console.log(`| paged GET + JSON.parse (floor) | ${b.toFixed(0)} ms | 1.00 |`);
  console.log(`| csi-top store (project + index) | ${o.toFixed(0)} ms | ${(o / b).toFixed(2)}× |`);
}

async function watchBench() {
  const s = await startServer(['--pods', '2000', '--events', '0', '--history', String(CHURN * 2)]);
  const { store, stop } = await syncStore(s, ['Pod']);
  let applied = 0;
  let notified = 0;
  store.subscribe(() => notified++);
  const apply = store.apply.bind(store);
  let first = 0;
  let last = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  store.apply = (t, r) => {
    if (applied === 0) {
      first = performance.now();
      cpu0 = process.cpuUsage();
    }
    const changed = apply(t, r);
    applied++;
    last = performance.now();
    return changed;
  };
  (s.child.stdin as NodeJS.WritableStream).write(`churn ${CHURN}\n`);
  while (applied < CHURN) await new Promise((r) => setTimeout(r, 5));
  const cpu = process.cpuUsage(cpu0);
  await stop();
  stopServer(s);
  const secs = (last - first) / 1000;
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  console.log(`\n### Watch: ${CHURN} pod updates streamed by the simulator, one subscriber\n`);
  console.log('| measure | value |\n|---|---|');
  console.log(`| events applied and indexed per second (wall; the simulator is the producer) | ${Math.round(CHURN / secs)} |`);
  console.log(`| events per CPU-second of the csi-top process (parse + project + index) | ${Math.round(CHURN / cpuSecs)} |`);
  console.log(`| subscriber notifications (coalesced) | ${notified} |`);
}

async function heapBench(pods: number) {
  if (!gc) throw new Error('run with --expose-gc');
  const s = await startServer(['--pods', String(pods), '--events', '0']);
  const settle = () => {
    for (let i = 0; i < 4; i++) gc();
  };
  settle();
  const before = process.memoryUsage().heapUsed;
  const [ms, r] = await timed(() => syncStore(s, ['Pod']));
  await r.stop();
  settle();
  const after = process.memoryUsage().heapUsed;
  const perPod = (after - before) / r.store.count('Pod');
  stopServer(s);
  console.log(`| ${pods} | ${(perPod / 1024).toFixed(2)} KiB | ${((after - before) / 2 ** 20).toFixed(0)} MiB | ${ms.toFixed(0)} ms |`);
  return r.store; // keep it alive until measured
}

/**
 * The client's own cost without a server: the same pages and watch lines from memory, parsed
 * (the floor) or parsed, projected and indexed (csi-top), alternated so drift hits both alike.
 */
function clientOnlyBench() {
  const n = PODS;
  const pages: { kind: KindName; text: string }[] = [];
  const mk = (kind: KindName, count: number, f: (i: number) => object) => {
    for (let i = 0; i < count; i += 500) {
      const items = [];
      for (let j = i; j < Math.min(count, i + 500); j++) items.push(f(j));
      pages.push({ kind, text: JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items }) });
    }
  };
  const pods: ReturnType<typeof benchPod>[] = [];
  mk('Pod', n, (i) => (pods[i] = benchPod(i, Math.ceil(n / 30), `data-${i >> 1}`)));
  mk('PersistentVolumeClaim', n / 2, benchPVC);
  mk('PersistentVolume', n / 2, benchPV);
  mk('Event', n * 2, (i) => benchEvent(i, pods[i % n]));
  const watchLines = pods.slice(0, 5000).map((p, i) => JSON.stringify({ type: 'MODIFIED', object: { ...p, metadata: { ...p.metadata, resourceVersion: String(10 + i) } } }));
  const floorSync = () => {
    let c = 0;
    for (const p of pages) c += (JSON.parse(p.text) as { items: unknown[] }).items.length;
    return c;
  };
  const oursSync = () => {
    const store = new Store();
    for (const p of pages) {
      const items = (JSON.parse(p.text) as { items: object[] }).items;
      for (const it of items) {
        const rec = project(p.kind, it);
        if (rec) store.apply('ADDED', rec, keyOf(rec.namespace, rec.name));
      }
    }
    return store;
  };
  const store = oursSync();
  store.subscribe(() => undefined);
  const floorWatch = () => {
    for (const l of watchLines) JSON.parse(l);
  };
  const oursWatch = () => {
    for (const l of watchLines) {
      const e = JSON.parse(l) as { type: 'MODIFIED'; object: object };
      const rec = project('Pod', e.object);
      if (rec) store.apply(e.type, rec);
    }
  };
  const time = (f: () => unknown) => {
    const t = performance.now();
    f();
    return performance.now() - t;
  };
  const fs: number[] = [];
  const os: number[] = [];
  const fw: number[] = [];
  const ow: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    fs.push(time(floorSync));
    os.push(time(oursSync));
    fw.push(time(floorWatch));
    ow.push(time(oursWatch));
  }
  const [a, b, c, d] = [fs, os, fw, ow].map((x) => median(x.slice(1)));
  console.log(`\n### Client cost alone (pages and watch lines from memory, median of ${RUNS})\n`);
  console.log('| work | floor: JSON.parse only | csi-top: parse + project + index | ratio |\n|---|---|---|---|');
  console.log(`| initial sync, ${pages.length} pages | ${a.toFixed(0)} ms | ${b.toFixed(0)} ms | ${(b / a).toFixed(2)}× |`);
  console.log(`| watch events | ${Math.round(watchLines.length / (c / 1000))}/s | ${Math.round(watchLines.length / (d / 1000))}/s | ${(d / c).toFixed(2)}× |`);
  store.dispose();
}

clientOnlyBench();
await syncBench();
await watchBench();
console.log('\n### Retained heap per pod after sync (heap after − heap before, / pods; --expose-gc)\n');
console.log('| pods | per pod | total | sync time |\n|---|---|---|---|');
for (const n of HEAP_PODS) await heapBench(n);
process.exit(0);
