// A simulator loaded with benchmark objects, in its own process so that serving JSON does not
// share the measured client's event loop. Prints {url, token} when ready; reads commands on
// stdin: `churn N` (N pod updates as fast as the store takes them, then prints `churned`).
// Exits when stdin closes. Usage: tsx bench/sim-server.ts --pods 10000 --events 20000
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { startSimulator } from '../src/sim/index';
import { benchEvent, benchNode, benchPod, benchPV, benchPVC } from './objects';

const { values } = parseArgs({ options: { pods: { type: 'string' }, events: { type: 'string' }, history: { type: 'string' } } });
const pods = Number(values.pods ?? 10_000);
const events = Number(values.events ?? 2 * pods);
const claims = Math.ceil(pods / 2);
const nodes = Math.max(1, Math.ceil(pods / 30));

const sim = await startSimulator({ tls: false, bookmarkIntervalMs: 0, historySize: Number(values.history ?? 200_000) });
const put = (o: object) => sim.objects.create(o as never, { seed: true, owned: true });
for (let i = 0; i < 20; i++) put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${i}`, uid: `ns-${i}` }, status: { phase: 'Active' } });
for (let i = 0; i < nodes; i++) put(benchNode(i));
for (let i = 0; i < claims; i++) {
  put(benchPVC(i));
  put(benchPV(i));
}
const podObjs: ReturnType<typeof benchPod>[] = [];
for (let i = 0; i < pods; i++) {
  const p = benchPod(i, nodes, `data-${Math.floor(i / 2)}`);
  // Pods of a claim live in its namespace.
  p.metadata.namespace = `team-${(Math.floor(i / 2) * 2) % 20}`;
  podObjs.push(p);
  put(p);
}
for (let i = 0; i < events; i++) put(benchEvent(i, podObjs[i % pods]));
process.stdout.write(JSON.stringify({ url: sim.url, token: 'admin-token', pods, claims, events, nodes }) + '\n');

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'churn') {
    const n = Number(arg);
    let done = 0;
    const step = () => {
      for (let k = 0; k < 500 && done < n; k++, done++) {
        const p = podObjs[done % pods];
        const cur = sim.objects.get('pods', p.metadata.namespace, p.metadata.name);
        sim.objects.update({ ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, rev: String(done) } } } as never);
      }
      if (done < n) setImmediate(step);
      else process.stdout.write('churned\n');
    };
    step();
  }
});
rl.on('close', async () => {
  await sim.close();
  process.exit(0);
});
