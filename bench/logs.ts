// Log pane benchmark: a JuiceFS mount pod writes N lines/s (default 5000) for S seconds (default
// 30) while its log is followed in the pane, drawn through the real render path (Ink in debug
// mode → ScreenWriter → a counting fake terminal, colour on, 120x40). The simulator runs in its
// own process (bench/logs-sim.ts), so the figures are the UI's: CPU, heap growth, bytes and
// frames written to the terminal, keystroke latency (k pauses, G follows again: time from the
// key to the frame showing it), and whether the pane kept up (newest line drawn vs written).
// A quiet phase with the pane open first gives the baseline.
//   npx tsx bench/logs.ts [seconds=30] [rate=5000]
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import v8 from 'node:v8';
import vm from 'node:vm';

process.env.FORCE_COLOR = '3'; // a terminal would get colours: count their bytes too
process.env.NODE_ENV = 'production'; // as in the bundle (React's development build is several times slower)
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const seconds = Number(process.argv[2] ?? 30);
const rate = Number(process.argv[3] ?? 5000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the simulator, in its own process ----
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/logs-sim.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
const out = readline.createInterface({ input: child.stdout! });
const replies: string[] = [];
let wake: (() => void) | undefined;
out.on('line', (l) => {
  replies.push(l);
  wake?.();
});
async function reply(): Promise<string> {
  while (!replies.length) await new Promise<void>((r) => (wake = r));
  return replies.shift()!;
}
const { kubeconfig } = JSON.parse(await reply()) as { kubeconfig: string };
const command = (c: string) => child.stdin!.write(`${c}\n`);

// ---- the UI ----
const { renderShell } = await import('../test/logs/terminal');
const { Connection } = await import('../src/kube/connection');

const conn = await Connection.open({ kubeconfigText: kubeconfig, allNamespaces: true, usage: { disabled: 'bench' } });
conn.start();
if (!(await conn.waitForSync(20_000))) throw new Error('store did not sync');
const ui = renderShell(conn, { start: 'mounts', columns: 120, rows: 40 });
const { tty, stdin, latency } = ui;
// The newest "read (N)" line drawn so far.
let drawnNewest = 0;
const count = tty.write.bind(tty);
tty.write = (s: string) => {
  for (const m of s.matchAll(/read \((\d+)\)/g)) drawnNewest = Math.max(drawnNewest, Number(m[1]));
  return count(s);
};
await sleep(1000);
stdin.type('l');
await sleep(1000);

interface Phase {
  cpuMs: number;
  wallMs: number;
  bytes: number;
  writes: number;
  heapStart: number;
  heapEnd: number;
  latencies: number[];
}

async function phase(ms: number, keys: boolean): Promise<Phase> {
  gc();
  const heapStart = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const b0 = tty.bytes;
  const w0 = tty.writes;
  const latencies: number[] = [];
  while (performance.now() - t0 < ms) {
    if (keys) {
      latencies.push(await latency('k', /paused/));
      await sleep(400);
      latencies.push(await latency('G', /· follow/));
      await sleep(400);
    } else await sleep(200);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const bytes = tty.bytes - b0;
  const writes = tty.writes - w0;
  gc();
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, bytes, writes, heapStart, heapEnd: process.memoryUsage().heapUsed, latencies };
}

const quiet = await phase(10_000, true);
command(`flood ${rate}`);
await sleep(2000); // the stream settles, the ring fills
const heapWarm = (gc(), process.memoryUsage().heapUsed);
const busy = await phase(seconds * 1000, true);
command('flood 0');
await sleep(1500);
command('count');
const written = Number((await reply()).split(' ')[1]);

const pct = (p: Phase) => (100 * p.cpuMs) / p.wallMs;
const perSec = (n: number, p: Phase) => (n * 1000) / p.wallMs;
const q = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))];
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const rows = [
  ['', 'quiet (pane open)', `flood ${rate}/s`, 'ratio'],
  ['CPU (% of one core)', pct(quiet).toFixed(1), pct(busy).toFixed(1), (pct(busy) / Math.max(0.1, pct(quiet))).toFixed(1) + 'x'],
  ['bytes to the terminal /s', perSec(quiet.bytes, quiet).toFixed(0), perSec(busy.bytes, busy).toFixed(0), ''],
  ['frames (writes) /s', perSec(quiet.writes, quiet).toFixed(1), perSec(busy.writes, busy).toFixed(1), ''],
  ['key latency p50 / p95 / max (ms)', `${q(quiet.latencies, 0.5).toFixed(0)} / ${q(quiet.latencies, 0.95).toFixed(0)} / ${Math.max(...quiet.latencies).toFixed(0)}`, `${q(busy.latencies, 0.5).toFixed(0)} / ${q(busy.latencies, 0.95).toFixed(0)} / ${Math.max(...busy.latencies).toFixed(0)}`, (q(busy.latencies, 0.5) / Math.max(1, q(quiet.latencies, 0.5))).toFixed(1) + 'x'],
  ['heap at start / end (MB, after gc)', `${mb(quiet.heapStart)} / ${mb(quiet.heapEnd)}`, `${mb(heapWarm)} / ${mb(busy.heapEnd)}`, `${((busy.heapEnd / heapWarm - 1) * 100).toFixed(1)}% growth`],
];
for (const r of rows) console.log(`${r[0].padEnd(36)} ${r[1].padStart(20)} ${r[2].padStart(20)} ${r[3].padStart(14)}`);
const logBytes = written * 130;
console.log(`lines written ${written} (~${mb(logBytes)} MB of log); newest line drawn: ${drawnNewest} (${written - drawnNewest} behind after the flood stopped)`);
console.log(`terminal bytes per log byte during the flood: ${(busy.bytes / (rate * 130 * (busy.wallMs / 1000))).toFixed(3)}`);
console.log(`rss ${mb(process.memoryUsage().rss)} MB`);

ui.unmount();
await conn.close();
child.stdin!.end();
await new Promise((r) => child.once('exit', r));
process.exit(0);
