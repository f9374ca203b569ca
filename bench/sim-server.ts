// A simulator loaded with benchmark objects, in its own process so that serving JSON does not
// share the measured client's event loop. Prints {url, token} when ready; reads commands on
// stdin: `churn N` (N pod updates as fast as the store takes them, then prints `churned`);
// `rate N` (N pod status updates per second from now on, a container restart count each, spread
// over all pods; `rate 0` stops; prints `rate N`); `logs N NS/POD/CONTAINER` (N log lines per
// second appended to that container; `logs 0` stops); `count` (prints `count <updates> <lines>`:
// rate updates and log lines done so far); `polled [reset]` (prints `polled <asked> <nodes>`: nodes
// running a pod with a claim whose kubelet stats were asked for since the last reset). Exits when
// stdin closes.
// With --tls it serves HTTPS too (kubectl and k9s send tokens only over TLS) and the ready line
// adds {httpsUrl, caFile, kubeconfig} (files removed on exit).
// Two control-plane leader Leases are renewed every 2 s, as on any real cluster.
// Usage: tsx bench/sim-server.ts --pods 10000 --events 20000 [--tls]
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator } from '../src/sim/index';
import { benchEvent, benchNode, benchPod, benchPV, benchPVC } from './objects';

const { values } = parseArgs({ options: { pods: { type: 'string' }, events: { type: 'string' }, history: { type: 'string' }, tls: { type: 'boolean' } } });
const pods = Number(values.pods ?? 10_000);
const events = Number(values.events ?? 2 * pods);
const claims = Math.ceil(pods / 2);
const nodes = Math.max(1, Math.ceil(pods / 30));

const sim = await startSimulator({ tls: !!values.tls, bookmarkIntervalMs: 0, historySize: Number(values.history ?? 200_000) });
const files = values.tls ? { caFile: path.join(os.tmpdir(), `csi-top-sim-${process.pid}-ca.pem`), kubeconfig: path.join(os.tmpdir(), `csi-top-sim-${process.pid}.kubeconfig`) } : undefined;
if (files) {
  writeFileSync(files.caFile, sim.caPem!);
  writeFileSync(files.kubeconfig, sim.kubeconfig({ https: true }));
}
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
// Every real cluster's control plane renews its leader Leases every 2 s (kube-controller-manager,
// kube-scheduler): an "idle" cluster is never quite still.
const CONTROL_PLANE_LEASES = ['kube-controller-manager', 'kube-scheduler'];
const leaseOf = (name: string) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'kube-system', uid: `lease-${name}` },
  spec: { holderIdentity: `master-0_${name}`, leaseDurationSeconds: 15, renewTime: new Date().toISOString().replace('Z', '000Z') },
});
for (const name of CONTROL_PLANE_LEASES) put(leaseOf(name));
setInterval(() => {
  for (const name of CONTROL_PLANE_LEASES) {
    const cur = sim.objects.get('leases', 'kube-system', name);
    sim.objects.update({ ...cur, spec: { ...leaseOf(name).spec } } as never);
  }
}, 2000).unref();
process.stdout.write(JSON.stringify({ url: sim.url, token: 'admin-token', pods, claims, events, nodes, ...(files ? { httpsUrl: sim.httpsUrl, ...files } : {}) }) + '\n');

// Requests are recorded for tests; a long benchmark does not need them. Before they go, the
// nodes whose kubelet stats were asked for are noted (`polled`: a client's first usage round).
const SUMMARY = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/stats\/summary/;
const polledNodes = new Set<string>();
const notePolls = () => {
  for (const r of sim.requests) {
    const x = SUMMARY.exec(r.path);
    if (x) polledNodes.add(x[1]);
  }
};
// Nodes running a pod with a claim: the ones a usage round polls.
const pollable = new Set(podObjs.filter((p) => p.status.phase === 'Running' && p.spec.volumes.some((v: { persistentVolumeClaim?: unknown }) => v.persistentVolumeClaim)).map((p) => p.spec.nodeName));
setInterval(() => (notePolls(), sim.clearRequests()), 5000).unref();

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
  } else if (cmd === 'rate') {
    startRate(Number(arg));
    process.stdout.write(`rate ${Number(arg)}\n`);
  } else if (cmd === 'logs') {
    startLogs(Number(arg), line.trim().split(/\s+/)[2] ?? '');
    process.stdout.write(`logs ${Number(arg)}\n`);
  } else if (cmd === 'polled') {
    // `polled reset` forgets the nodes asked so far (a new client starts).
    if (arg === 'reset') (polledNodes.clear(), sim.clearRequests());
    notePolls();
    process.stdout.write(`polled ${[...pollable].filter((n) => polledNodes.has(n)).length} ${pollable.size}\n`);
  } else if (cmd === 'count') {
    process.stdout.write(`count ${rateDone} ${linesDone}\n`);
  }
});

/** Calls `tick(n)` every 10 ms with the number of operations due at `perS` per second. */
function steady(perS: number, tick: (n: number) => void): NodeJS.Timeout | undefined {
  if (!(perS > 0)) return undefined;
  let last = performance.now();
  let credit = 0;
  return setInterval(() => {
    const t = performance.now();
    credit += ((t - last) / 1000) * perS;
    last = t;
    const n = Math.floor(credit);
    credit -= n;
    if (n) tick(n);
  }, 10);
}

let rateTimer: NodeJS.Timeout | undefined;
let rateDone = 0;
/** Status updates as a kubelet sends them: a container's restart count goes up. */
function startRate(perS: number) {
  clearInterval(rateTimer);
  rateTimer = steady(perS, (n) => {
    for (let k = 0; k < n; k++, rateDone++) {
      // A stride coprime with the pod count visits every pod, scattered over the sorted list.
      const p = podObjs[(rateDone * 7919) % pods];
      const cur = sim.objects.get('pods', p.metadata.namespace, p.metadata.name) as unknown as ReturnType<typeof benchPod>;
      const cs = cur.status.containerStatuses[0];
      // Through /status, as the kubelet writes it: an update of the pod itself keeps the old status.
      sim.objects.updateStatus({ ...cur, status: { ...cur.status, containerStatuses: [{ ...cs, restartCount: cs.restartCount + 1 }] } } as never);
    }
  });
}

let logTimer: NodeJS.Timeout | undefined;
let linesDone = 0;
function startLogs(perS: number, target: string) {
  clearInterval(logTimer);
  const [ns, pod, container] = target.split('/');
  logTimer = steady(perS, (n) => {
    const t = Date.now();
    for (let k = 0; k < n; k++, linesDone++) {
      sim.logs.append(ns, pod, container, `${new Date(t).toISOString()} INFO request ${linesDone} served path=/api/v1/items/${linesDone % 977} status=200 bytes=${(linesDone * 37) % 65536} duration_ms=${linesDone % 250}`, t + k / n);
    }
  });
}
rl.on('close', async () => {
  clearInterval(rateTimer);
  clearInterval(logTimer);
  if (files) for (const f of Object.values(files)) rmSync(f, { force: true });
  await sim.close();
  process.exit(0);
});
