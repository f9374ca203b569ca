// The simulator for bench/logs.ts, in its own process so that serving the log stream does not
// share the measured UI's event loop. One node and one running JuiceFS mount pod
// `kube-system/juicefs-n1-pvc-bench-flood` (container `jfs-mount`, listed in :mounts). Prints {"url": …} when ready. Commands on stdin:
// `flood N` appends N lines/s (JuiceFS debug lines, ~130 bytes) from now on, `flood 0` stops;
// `count` prints `count <lines appended>`. Exits when stdin closes.
// Usage: node --import tsx bench/logs-sim.ts
import readline from 'node:readline';
import { startSimulator } from '../src/sim/index';
import { jfs } from '../src/sim/scenarios/logtext';

const sim = await startSimulator({ tls: false, bookmarkIntervalMs: 0 });
const NS = 'kube-system';
const POD = 'juicefs-n1-pvc-bench-flood';
sim.objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
sim.objects.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } });
sim.logs.maxLines = 20_000;
sim.objects.create(
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: POD, namespace: NS, labels: { 'app.kubernetes.io/name': 'juicefs-mount', 'volume-id': 'pvc-bench' }, annotations: { 'juicefs-uniqueid': 'pvc-bench' } },
    spec: { nodeName: 'n1', containers: [{ name: 'jfs-mount', image: 'juicedata/mount:ce-v1.2.3' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'jfs-mount', ready: true, started: true, restartCount: 0, image: 'i', imageID: '', state: { running: { startedAt: new Date().toISOString() } } }],
    },
  },
  { seed: true },
);

let lines = 0;
let timer: NodeJS.Timeout | undefined;
function flood(rate: number) {
  if (timer) clearInterval(timer);
  timer = undefined;
  if (!rate) return;
  const start = performance.now();
  const base = lines;
  // Every 10 ms, as many lines as the rate says by now: smooth, and exact over time.
  timer = setInterval(() => {
    const due = base + Math.floor(((performance.now() - start) / 1000) * rate);
    const now = Date.now();
    while (lines < due) {
      lines++;
      sim.logs.append(NS, POD, 'jfs-mount', jfs(now, 7, 'DEBUG', `read (${lines}): ino=${(lines * 2654435761) % 1_000_003} off=${lines * 4096} size=4096 OK <0.000${lines % 997}>`, 'vfs.go:1137'), now);
    }
  }, 10);
}

process.stdout.write(JSON.stringify({ url: sim.url, kubeconfig: sim.kubeconfig({ https: false }) }) + '\n');
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (l) => {
  const [cmd, arg] = l.trim().split(/\s+/);
  if (cmd === 'flood') flood(Number(arg));
  else if (cmd === 'count') process.stdout.write(`count ${lines}\n`);
});
rl.on('close', async () => {
  flood(0);
  await sim.close();
  process.exit(0);
});
