// `npm run bench`: csi-top side by side with the floor (paged GET + JSON.parse), kubectl and k9s,
// on the same server (the simulator in its own process, and the real kube-apiserver of the e2e
// suite when it is built), each TUI in a real pseudo-terminal (bench/pty.ts). See
// docs/performance.md for what is measured and how to read it.
//
//   npm run bench                 quick mode (< 2 min): 1k and 10k pods on the simulator, one run,
//                                 churn at 100/s only, kubectl at 1k only (CI runs it to see it work)
//   npm run bench -- --full       1k, 10k, 50k pods on the simulator and the real apiserver
//   options: --scales 1000,10000  --runs N  --window MS  --no-k9s  --k9s PATH  --no-kubectl  --no-logs
//            --apiserver / --no-apiserver  --apiserver-scales 1000  --no-build  --out FILE.json
//            --profile DIR (csi-top runs with --cpu-prof into DIR)  --only csi-top,k9s
//            --bundle FILE (another build of csi-top, for before/after; its dir needs "type": "module")
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { KINDS, listPath } from '../src/store/kinds';
import { Pty, cpuSeconds, median, now, percentile, rssMiB, sampleWindow } from './pty';
import { apiserverAvailable, startLoadedApiserver } from './apiserver';

const { values: a } = parseArgs({
  options: {
    full: { type: 'boolean' },
    quick: { type: 'boolean' },
    scales: { type: 'string' },
    'apiserver-scales': { type: 'string' },
    runs: { type: 'string' },
    window: { type: 'string' },
    keys: { type: 'string' },
    k9s: { type: 'string' },
    'no-k9s': { type: 'boolean' },
    'no-kubectl': { type: 'boolean' },
    apiserver: { type: 'boolean' },
    'no-apiserver': { type: 'boolean' },
    'no-build': { type: 'boolean' },
    'no-logs': { type: 'boolean' },
    out: { type: 'string' },
    profile: { type: 'string' },
    only: { type: 'string' },
    bundle: { type: 'string' },
  },
});

const FULL = !!a.full;
const SCALES = (a.scales ?? (FULL ? '1000,10000,50000' : '1000,10000')).split(',').filter(Boolean).map(Number);
const API_SCALES = (a['apiserver-scales'] ?? (FULL ? '1000,10000' : '')).split(',').filter(Boolean).map(Number);
const RUNS = Number(a.runs ?? (FULL ? 3 : 1));
const WINDOW = Number(a.window ?? (FULL ? 10_000 : 2_000));
const KEYS = Number(a.keys ?? (FULL ? 40 : 10));
/** Churn rates measured (updates/s); quick mode keeps the one with a target. */
const CHURN = FULL ? [100, 1000] : [100];
/** Churn runs this long before its window is measured. */
const CHURN_WARMUP_MS = FULL ? 5000 : 2000;
/** kubectl takes 10-20 s at 10k pods: quick mode times it at the smallest scale only. */
const KUBECTL_MAX_PODS = FULL ? Infinity : Math.min(...SCALES);
const COLS = 200;
const ROWS = 50;
const K9S_VERSION = 'v0.51.0';
const ROOT = path.resolve(import.meta.dirname, '..');
const CACHE = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'csi-top', 'bench');
const TMP = mkdtempSync(path.join(os.tmpdir(), 'csi-top-bench-'));
const log = (s: string) => process.stderr.write(`[bench ${((now() - T0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
const T0 = now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const only = (who: string) => !a.only || a.only.split(',').includes(who);

// ---------------------------------------------------------------------------------------------
// Servers

interface Server {
  kind: 'simulator' | 'kube-apiserver';
  pods: number;
  server: string;
  token: string;
  caFile: string | null;
  kubeconfig: string;
  rate(perS: number): Promise<void>;
  /** Updates done by rate() so far. */
  updates(): Promise<number>;
  logs?(perS: number, target: string): Promise<void>;
  /** Nodes running a pod with a claim whose kubelet stats were asked for (the simulator only). */
  polled?(reset?: boolean): Promise<{ polled: number; nodes: number }>;
  stop(): Promise<void>;
}

async function startSim(pods: number): Promise<Server> {
  const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', 'bench/sim-server.ts', '--pods', String(pods), '--tls'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the simulator exited before it was ready');
  // HTTPS: kubectl and k9s (client-go) send a bearer token only over TLS.
  const info = JSON.parse(first.value) as { httpsUrl: string; token: string; caFile: string; kubeconfig: string };
  const command = async (line: string, reply: string) => {
    child.stdin!.write(line + '\n');
    for (;;) {
      const r = await lines.next();
      if (r.done) throw new Error('the simulator exited');
      if (r.value.startsWith(reply)) return r.value;
    }
  };
  return {
    kind: 'simulator',
    pods,
    server: info.httpsUrl,
    token: info.token,
    caFile: info.caFile,
    kubeconfig: info.kubeconfig,
    rate: async (n) => void (await command(`rate ${n}`, 'rate')),
    updates: async () => Number((await command('count', 'count')).split(' ')[1]),
    logs: async (n, target) => void (await command(`logs ${n} ${target}`, 'logs')),
    polled: async (reset) => {
      const [, asked, nodes] = (await command(reset ? 'polled reset' : 'polled', 'polled')).split(' ');
      return { polled: Number(asked), nodes: Number(nodes) };
    },
    stop: async () => {
      child.stdin!.end();
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function startApi(pods: number): Promise<Server> {
  const s = await startLoadedApiserver(pods, log);
  return {
    kind: 'kube-apiserver',
    pods,
    server: s.server,
    token: s.token,
    caFile: s.caFile,
    kubeconfig: s.kubeconfig,
    rate: async (n) => s.rate(n),
    updates: async () => s.counts().done,
    stop: async () => {
      await s.stop();
      rmSync(s.caFile, { force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Batch baselines: the floor and kubectl

const CSI_TOP_PATHS = Object.values(KINDS).map((k) => listPath(k));

function timeProcess(cmd: string, args: string[], env?: NodeJS.ProcessEnv): { ms: number; out: string } {
  const t = now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr?.slice(0, 500)}`);
  return { ms, out: r.stdout };
}

function floor(s: Server, paths: string[]): { ms: number; items: number; bytes: number } {
  const r = timeProcess(process.execPath, ['bench/floor.mjs', JSON.stringify({ server: s.server, token: s.token, ca: s.caFile, paths })]);
  const info = JSON.parse(r.out.trim()) as { items: number; bytes: number };
  return { ms: r.ms, items: info.items, bytes: info.bytes };
}

/** kubectl from PATH, if there is one. */
function findKubectl(): { bin?: string; why?: string } {
  if (a['no-kubectl']) return { why: 'skipped (--no-kubectl)' };
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const bin = path.join(dir, 'kubectl');
    if (existsSync(bin)) return { bin };
  }
  return { why: 'not found in PATH' };
}
const KUBECTL_FOUND = findKubectl();
const KUBECTL = KUBECTL_FOUND.bin ?? 'kubectl';
const kubectlEnv = () => ({ ...process.env, KUBECACHEDIR: path.join(TMP, 'kubectl-cache'), HOME: TMP });
function kubectl(s: Server): number {
  // Its own cache dir (discovery), warmed by the first run; output to a pipe we drop.
  return timeProcess(KUBECTL, ['--kubeconfig', s.kubeconfig, 'get', 'pods', '-A', '-o', 'json'], kubectlEnv()).ms;
}

// ---------------------------------------------------------------------------------------------
// k9s: built once from its Go module into a cache dir outside the clone

function k9sBinary(): { bin?: string; why?: string } {
  if (a['no-k9s']) return { why: 'skipped (--no-k9s)' };
  if (a.k9s) return existsSync(a.k9s) ? { bin: path.resolve(a.k9s) } : { why: `--k9s ${a.k9s} does not exist` };
  const dir = path.join(CACHE, `k9s-${K9S_VERSION}`);
  const bin = path.join(dir, 'k9s');
  if (existsSync(bin)) return { bin };
  if (!FULL) return { why: `not built (quick mode never builds; \`npm run bench -- --full\` runs \`go install github.com/derailed/k9s@${K9S_VERSION}\` into ${dir})` };
  log(`building k9s ${K9S_VERSION} (go install, niced; takes several minutes)…`);
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('nice', ['-n', '10', 'go', 'install', `github.com/derailed/k9s@${K9S_VERSION}`], { env: { ...process.env, GOBIN: dir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status === 0 && existsSync(bin)) return { bin };
  return { why: `\`go install github.com/derailed/k9s@${K9S_VERSION}\` failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-2).join(' ')}` };
}

// ---------------------------------------------------------------------------------------------
// The TUIs in a pseudo-terminal

interface Tui {
  name: 'csi-top' | 'k9s';
  argv(s: Server): string[];
  env(): Record<string, string>;
  /** The first complete pods screen: every pod counted, rows drawn, nothing still syncing. */
  ready(s: string, pods: number): boolean;
  quit: string;
}

let PROFILE_BUNDLE: string | undefined;
// k9s groups digits: pods(all)[10,000].
const podTitle = (s: string) => Number(/Pods\(all\)\[([\d,]+)\]/i.exec(s)?.[1].replace(/,/g, '') ?? -1);
const rowsShown = (s: string) => s.split('\n').filter((l) => /\bteam-\d+\b.*\bapp-\d+/.test(l)).length;

/** With --profile: a bundle that keeps function names (scripts/build.mjs CSI_TOP_BUILD_NAMES). */
function profileBundle(): string {
  const dir = path.join(TMP, 'named');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  const out = path.join(dir, 'csi-top.js');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, env: { ...process.env, CSI_TOP_BUILD_OUT: out, CSI_TOP_BUILD_NAMES: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

const csiTop = (profileDir?: string): Tui => ({
  name: 'csi-top',
  argv: (s) => [
    process.execPath,
    '--expose-gc',
    '--import',
    path.join(ROOT, 'bench/heap-probe.mjs'),
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir)] : []),
    profileDir ? (PROFILE_BUNDLE ??= profileBundle()) : a.bundle ? path.resolve(a.bundle) : path.join(ROOT, 'dist/csi-top.js'),
    '--kubeconfig',
    s.kubeconfig,
    '-A',
  ],
  env: () => ({ CSI_TOP_BENCH_HEAP: path.join(TMP, 'heap.json') }),
  ready: (s, pods) => podTitle(s) === pods && /\bsynced\b/.test(s.split('\n')[0]) && rowsShown(s) >= Math.min(pods, 5),
  quit: ':q\r',
});

const k9s = (bin: string): Tui => ({
  name: 'k9s',
  argv: (s) => [bin, '--kubeconfig', s.kubeconfig, '-c', 'pods', '-A'],
  env: () => {
    const home = path.join(TMP, 'k9s-home');
    const x = (d: string) => {
      const p = path.join(home, d);
      mkdirSync(p, { recursive: true });
      return p;
    };
    // Its own empty config, data, state and cache: it never reads or writes the user's.
    return { HOME: home, K9S_CONFIG_DIR: x('config'), XDG_CONFIG_HOME: x('xdg-config'), XDG_DATA_HOME: x('xdg-data'), XDG_STATE_HOME: x('xdg-state'), XDG_CACHE_HOME: x('xdg-cache'), KUBECACHEDIR: x('kube-cache') };
  },
  ready: (s, pods) => podTitle(s) === pods && rowsShown(s) >= Math.min(pods, 5),
  quit: '\x03',
});

interface Session {
  firstScreenMs: number;
  rssMiB?: number;
  heapMiB?: number;
  heapAfterGcMiB?: number;
  windows?: Record<string, { cpuPct: number; bytesPerS: number; rate?: number }>;
  keys?: Record<string, KeyStats>;
  keysError?: string;
  /** Time from the first screen until it was calm (see settle()). */
  settleMs?: number;
  /** csi-top's first volume-usage round (one kubelet per node), from the first screen. */
  usageRound?: { ms: number; cpuPct: number; polled: number; nodes: number };
}

async function launch(t: Tui, s: Server): Promise<{ p: Pty; pid: number; firstScreenMs: number }> {
  const p = new Pty({ argv: t.argv(s), cols: COLS, rows: ROWS, env: t.env(), cwd: ROOT });
  const pid = await p.pid();
  const ready = await p.waitFor((scr) => t.ready(scr, s.pods), s.pods >= 50_000 ? 300_000 : 120_000, `${t.name}'s pods screen`);
  return { p, pid, firstScreenMs: ready - p.started };
}

async function quit(t: Tui, p: Pty) {
  p.send(t.quit);
  // A CPU profile is written on the way out: give it time.
  const gone = await Promise.race([p.exit.then(() => true), sleep(a.profile ? 60_000 : 5000).then(() => false)]);
  if (!gone) await p.kill();
  else p.term.dispose();
}

/**
 * One keystroke: from sending it to the last byte of the frame it caused (the screen, colours
 * included, changed, then no output for 50 ms). Also the CPU the program spent on it (from
 * /proc, 10 ms ticks).
 */
interface Key {
  ms: number;
  cpuMs: number;
  /** No change within the timeout: `ms` is the timeout, a lower bound. */
  timedOut?: boolean;
}

async function keystroke(p: Pty, pid: number, key: string, timeoutMs = 10_000): Promise<Key> {
  await p.quiet(50, 60_000);
  // Colours count: k9s moves its cursor by highlight only.
  const before = p.styledScreen();
  const c0 = cpuSeconds(pid);
  const t0 = now();
  p.send(key);
  try {
    await p.waitFor(() => p.styledScreen() !== before, timeoutMs, `a change after ${JSON.stringify(key)}`);
  } catch {
    // Counted at the timeout (a lower bound); let it finish before the next key.
    await p.quiet(300, 60_000).catch(() => 0);
    return { ms: timeoutMs, cpuMs: (cpuSeconds(pid) - c0) * 1000, timedOut: true };
  }
  const last = await p.quiet(50, 60_000);
  return { ms: last - t0, cpuMs: (cpuSeconds(pid) - c0) * 1000 };
}

interface KeyStats {
  p50: number;
  p95: number;
  max: number;
  n: number;
  /** Mean CPU milliseconds per keystroke. */
  cpuMs: number;
  /** Keys that changed nothing within their timeout (counted at the timeout). */
  timedOut: number;
  /** Each key's milliseconds, in the order sent (which key of a word is slow). */
  each: number[];
}

const summarize = (xs: Key[]): KeyStats => ({
  p50: median(xs.map((x) => x.ms)),
  p95: percentile(
    xs.map((x) => x.ms),
    95,
  ),
  max: Math.max(...xs.map((x) => x.ms)),
  n: xs.length,
  cpuMs: xs.reduce((s, x) => s + x.cpuMs, 0) / xs.length,
  timedOut: xs.filter((x) => x.timedOut).length,
  each: xs.map((x) => Math.round(x.ms)),
});

async function keystrokes(p: Pty, pid: number): Promise<Record<string, KeyStats>> {
  const key = (k: string, timeoutMs?: number) => keystroke(p, pid, k, timeoutMs);
  const cursor: Key[] = [];
  const filter: typeof cursor = [];
  const views: typeof cursor = [];
  for (let i = 0; i < KEYS; i++) cursor.push(await key(i % 10 < 7 ? 'j' : 'k'));
  const word = 'app-12';
  while (filter.length < KEYS) {
    await key('/');
    for (const ch of word) filter.push(await key(ch));
    // Leave the filter prompt, then clear the filter (k9s and csi-top both clear it on esc).
    await key('\r');
    await key('\x1b');
    await p.quiet(200, 60_000);
  }
  for (let i = 0; views.length < Math.max(4, Math.floor(KEYS / 4)); i++) {
    await key(':');
    for (const ch of i % 2 === 0 ? 'pvc' : 'pods') await key(ch);
    // A view switch lists another kind: slow clients get a minute.
    views.push(await key('\r', 60_000));
    await p.quiet(300, 60_000);
  }
  return { cursor: summarize(cursor), filter: summarize(filter), views: summarize(views) };
}

async function heap(pid: number): Promise<{ before: number; after: number } | undefined> {
  const f = path.join(TMP, 'heap.json');
  rmSync(f, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(f); i++) await sleep(50);
  if (!existsSync(f)) return undefined;
  await sleep(20);
  const m = JSON.parse(readFileSync(f, 'utf8')) as { before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage };
  return { before: m.before.heapUsed / 2 ** 20, after: m.after.heapUsed / 2 ** 20 };
}

/** First screen, then memory, idle and churn windows, keystrokes (when asked), then quit. */
async function session(t: Tui, s: Server, o: { keys: boolean; churn: number[] }): Promise<Session> {
  if (t.name === 'csi-top' && s.polled) await s.polled(true);
  const { p, pid, firstScreenMs } = await launch(t, s);
  try {
    const out: Session = { firstScreenMs, windows: {} };
    // csi-top asks every node's kubelet for volume usage once after start (k9s reads none): that
    // round is measured on its own, and the idle and churn windows come after it.
    if (t.name === 'csi-top' && s.polled) out.usageRound = await firstUsageRound(s, pid);
    // Settle: late kinds, the first usage round (a kubelet per node: ~1700 at 50k pods), GC. Idle
    // is measured once the program has been quiet for two seconds running (or SETTLE_MS passed).
    out.settleMs = await settle(p, pid);
    out.rssMiB = rssMiB(pid).rss;
    if (t.name === 'csi-top') {
      const h = await heap(pid);
      if (h) (out.heapMiB = h.before), (out.heapAfterGcMiB = h.after);
    }
    out.windows!.idle = await sampleWindow(p, pid, WINDOW);
    for (const rate of o.churn) {
      const u0 = await s.updates();
      await s.rate(rate);
      // Steady state: the first seconds of churn also pay V8 compiling the code it makes hot
      // (about 10 functions a second on its helper threads, settling within ~8 s).
      await sleep(CHURN_WARMUP_MS);
      const w = await sampleWindow(p, pid, WINDOW);
      await s.rate(0);
      const done = (await s.updates()) - u0;
      out.windows![`churn ${rate}/s`] = { ...w, rate: done / ((WINDOW + CHURN_WARMUP_MS) / 1000) };
      await sleep(1000);
      await p.quiet(300, 30_000).catch(() => 0);
    }
    if (o.keys) {
      // Keys that fail lose their own figures only, not the session's.
      try {
        out.keys = await keystrokes(p, pid);
      } catch (e) {
        out.keysError = (e as Error).message.split('\n')[0];
        log(`${t.name} keystrokes failed: ${out.keysError}`);
      }
    }
    await quit(t, p);
    return out;
  } catch (e) {
    await p.kill();
    throw e;
  }
}

const SETTLE_MS = FULL ? 30_000 : 10_000;
/** Longest wait for csi-top's first usage round (~40 s at 50k pods, 1667 nodes). */
const USAGE_ROUND_MAX_MS = 180_000;

/** Waits until every node running a pod with a claim has been polled once (or the bound passed). */
async function firstUsageRound(s: Server, pid: number): Promise<Session['usageRound']> {
  const t0 = now();
  const c0 = cpuSeconds(pid);
  for (;;) {
    const x = await s.polled!();
    if (x.polled >= x.nodes || now() - t0 > USAGE_ROUND_MAX_MS) {
      const ms = now() - t0;
      return { ms, cpuPct: ((cpuSeconds(pid) - c0) * 100_000) / Math.max(1, ms), ...x };
    }
    await sleep(250);
  }
}

/** Waits until two 1-s windows in a row use under 3% of a core and write nothing (SETTLE_MS at most). */
async function settle(p: Pty, pid: number): Promise<number> {
  const t0 = now();
  let calm = 0;
  await sleep(1000);
  while (calm < 2 && now() - t0 < SETTLE_MS) {
    const w = await sampleWindow(p, pid, 1000);
    calm = w.cpuPct < 3 && w.bytes === 0 ? calm + 1 : 0;
  }
  return now() - t0;
}

async function firstScreenOnly(t: Tui, s: Server): Promise<{ ms: number; rss: number }> {
  const { p, pid, firstScreenMs } = await launch(t, s);
  const rss = rssMiB(pid).rss;
  await quit(t, p);
  return { ms: firstScreenMs, rss };
}

// ---------------------------------------------------------------------------------------------
// One server at one scale

interface ScaleResult {
  server: Server['kind'];
  pods: number;
  floorMs: number;
  floorPodsMs: number;
  floorItems: number;
  floorMiB: number;
  kubectlMs?: number;
  csiTop?: Session & { firstScreenRuns: number[] };
  k9s?: (Session & { firstScreenRuns: number[] }) | { error: string };
  /** The log view of one pod while the server appends LOG_RATES lines/s (simulator, smallest scale). */
  logs?: Record<string, LogFlood | { error: string }>;
}

interface LogFlood {
  rate: number;
  cpuPct: number;
  bytesPerS: number;
  /** Whether a line of the flood ever showed (k9s drops lines for a slow consumer and may show none). */
  shown: boolean;
}

/** Lines per second appended to the pod's log: the target's rate, and (full mode) a tenth of it. */
const LOG_RATES = FULL ? [500, 5000] : [5000];
/** The first pod in both TUIs' default order (csi-top: NAME; k9s: NAMESPACE, NAME), its container. */
const LOG_TARGET = 'team-0/app-0-ax0/app';
const logLine = /request \d+ served/;

/**
 * `l` on the first pod of the list while the server appends LOG_RATES lines/s to its log: CPU and
 * bytes written over a window once the lines show (csi-top's pane below the list, k9s's log view).
 */
async function logFlood(t: Tui, s: Server, rate: number): Promise<LogFlood> {
  const { p, pid } = await launch(t, s);
  try {
    await sleep(2000);
    await p.quiet(300, 30_000).catch(() => 0);
    await s.logs!(rate, LOG_TARGET);
    p.send('l');
    // A view that never shows a line is still measured: that is what its user gets.
    const shown = await p.waitFor((scr) => logLine.test(scr), 30_000, `${t.name}'s log view of ${LOG_TARGET}`).then(
      () => true,
      () => false,
    );
    await sleep(1000);
    const w = await sampleWindow(p, pid, WINDOW);
    await s.logs!(0, LOG_TARGET);
    await quit(t, p);
    return { rate, cpuPct: w.cpuPct, bytesPerS: w.bytesPerS, shown };
  } catch (e) {
    await s.logs!(0, LOG_TARGET).catch(() => undefined);
    await p.kill();
    throw e;
  }
}

async function measure(s: Server, k9sBin: string | undefined): Promise<ScaleResult> {
  const keys = s.pods === 10_000 || (FULL && s.pods === 50_000);
  const churn = CHURN;
  const withKubectl = !!KUBECTL_FOUND.bin && s.pods <= KUBECTL_MAX_PODS;
  const tuis: Tui[] = [];
  if (only('csi-top')) tuis.push(csiTop(a.profile));
  if (k9sBin && only('k9s')) tuis.push(k9s(k9sBin));
  const floors: number[] = [];
  const floorsPods: number[] = [];
  const kubectls: number[] = [];
  const first: Record<string, number[]> = {};
  const sessions: Record<string, Session | { error: string }> = {};
  const logs: Record<string, LogFlood | { error: string }> = {};
  let items = 0;
  let bytes = 0;
  // Warm-up: the server's first list of each collection, kubectl's discovery cache.
  floor(s, CSI_TOP_PATHS);
  if (withKubectl) timeProcess(KUBECTL, ['--kubeconfig', s.kubeconfig, 'get', 'namespaces'], kubectlEnv());
  log('warmed up');
  for (let r = 0; r < RUNS; r++) {
    const f = floor(s, CSI_TOP_PATHS);
    floors.push(f.ms);
    items = f.items;
    bytes = f.bytes;
    floorsPods.push(floor(s, ['/api/v1/pods']).ms);
    if (withKubectl) kubectls.push(kubectl(s));
    for (const t of tuis) {
      if (sessions[t.name] && 'error' in sessions[t.name]) continue;
      try {
        if (r === 0) {
          log(`${t.name} at ${s.pods} pods (${s.kind}): session`);
          const ses = await session(t, s, { keys, churn });
          sessions[t.name] = ses;
          (first[t.name] ??= []).push(ses.firstScreenMs);
        } else (first[t.name] ??= []).push((await firstScreenOnly(t, s)).ms);
      } catch (e) {
        log(`${t.name} failed: ${(e as Error).message}`);
        sessions[t.name] = { error: (e as Error).message.split('\n').slice(0, 3).join(' ') };
      }
    }
    if (r === 0 && s.logs && s.pods === Math.min(...SCALES) && !a['no-logs']) {
      for (const rate of LOG_RATES) {
        for (const t of tuis) {
          const k = `${t.name} ${rate}`;
          try {
            log(`${t.name} at ${s.pods} pods (${s.kind}): log view under ${rate} lines/s`);
            logs[k] = await logFlood(t, s, rate);
          } catch (e) {
            log(`${t.name} log view failed: ${(e as Error).message}`);
            logs[k] = { error: (e as Error).message.split('\n').slice(0, 3).join(' ') };
          }
        }
      }
    }
    log(`${s.kind} ${s.pods} run ${r + 1}/${RUNS}: floor ${f.ms.toFixed(0)} ms, csi-top ${first['csi-top']?.[r]?.toFixed(0) ?? '-'} ms, k9s ${first.k9s?.[r]?.toFixed(0) ?? '-'} ms, kubectl ${kubectls[r]?.toFixed(0) ?? '-'} ms`);
  }
  const withRuns = (name: string) => {
    const ses = sessions[name];
    if (!ses) return undefined;
    if ('error' in ses) return ses;
    return { ...ses, firstScreenMs: median(first[name]), firstScreenRuns: first[name] };
  };
  return {
    server: s.kind,
    pods: s.pods,
    floorMs: median(floors),
    floorPodsMs: median(floorsPods),
    floorItems: items,
    floorMiB: bytes / 2 ** 20,
    kubectlMs: kubectls.length ? median(kubectls) : undefined,
    csiTop: withRuns('csi-top') as ScaleResult['csiTop'],
    k9s: withRuns('k9s') as ScaleResult['k9s'],
    ...(Object.keys(logs).length ? { logs } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const f0 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(0));
const f1 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
const ratio = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined || !y ? '—' : `${(x / y).toFixed(2)}×`);
const kb = (n: number | undefined) => (n === undefined ? '—' : n < 1024 ? `${n.toFixed(0)} B/s` : `${(n / 1024).toFixed(1)} KiB/s`);

function report(results: ScaleResult[], k9sWhy: string | undefined, loadavg: number[][]): string {
  const out: string[] = [];
  const k9sOk = (r: ScaleResult) => (r.k9s && !('error' in r.k9s) ? r.k9s : undefined);
  out.push(`Command: \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` · ${new Date().toISOString().slice(0, 16)}Z · ${os.cpus().length} cores · Node ${process.version} · load average ${loadavg.map((l) => l[0].toFixed(1)).join(' → ')} (1 min, at each scale)`);
  out.push(`Terminal ${COLS}×${ROWS}; first screen = median of ${RUNS} runs; CPU and bytes over ${WINDOW / 1000} s windows (churn after ${CHURN_WARMUP_MS / 1000} s of it); keystrokes: ${KEYS} cursor moves, ${KEYS} filter characters, view switches.`);
  if (k9sWhy) out.push(`k9s: ${k9sWhy}.`);
  if (KUBECTL_FOUND.why) out.push(`kubectl: ${KUBECTL_FOUND.why}.`);
  else if (KUBECTL_MAX_PODS < Infinity) out.push(`kubectl: timed at ${KUBECTL_MAX_PODS / 1000}k pods only (quick mode).`);
  out.push('');
  out.push('| server | pods | measure | csi-top | floor | ÷ floor | k9s | ÷ k9s | kubectl | ÷ kubectl |');
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const c = r.csiTop && !('error' in r.csiTop) ? r.csiTop : undefined;
    const k = k9sOk(r);
    const row = (m: string, cv: string, fv: string, fr: string, kv: string, kr: string, xv = '', xr = '') => out.push(`| ${r.server} | ${r.pods / 1000}k | ${m} | ${cv} | ${fv} | ${fr} | ${kv} | ${kr} | ${xv} | ${xr} |`);
    row('first pods screen (ms)', f0(c?.firstScreenMs), f0(r.floorMs), ratio(c?.firstScreenMs, r.floorMs), f0(k?.firstScreenMs), ratio(c?.firstScreenMs, k?.firstScreenMs), f0(r.kubectlMs), ratio(c?.firstScreenMs, r.kubectlMs));
    row('RSS after sync (MiB)', f0(c?.rssMiB), '', '', f0(k?.rssMiB), ratio(c?.rssMiB, k?.rssMiB));
    const u = c?.usageRound;
    if (u) row(`first volume-usage round (${u.polled} of ${u.nodes} nodes, ${f1(u.ms / 1000)} s): CPU % of a core`, f1(u.cpuPct), '', '', 'reads none', '');
    for (const w of Object.keys(c?.windows ?? {})) {
      const cw = c!.windows![w];
      const kw = k?.windows?.[w];
      const rate = cw.rate !== undefined ? ` (${f0(cw.rate)}/s done)` : '';
      row(`${w}${rate}: CPU % of a core`, f1(cw.cpuPct), '', '', f1(kw?.cpuPct), ratio(cw.cpuPct, kw?.cpuPct));
      row(`${w}: bytes written`, kb(cw.bytesPerS), '', '', kb(kw?.bytesPerS), ratio(cw.bytesPerS, kw?.bytesPerS));
    }
    for (const [name, ks] of Object.entries(c?.keys ?? {})) {
      const kk = k?.keys?.[name];
      const pp = (x: KeyStats) => `${f0(x.p50)} / ${x.timedOut ? '≥ ' : ''}${f0(x.p95)} / ${f0(x.max)}${x.timedOut ? ` (${x.timedOut} of ${x.n} timed out)` : ''}`;
      row(`keys: ${name} p50 / p95 / max (ms)`, pp(ks), '', '', kk ? pp(kk) : '—', ratio(ks.p95, kk?.p95));
      row(`keys: ${name}, CPU ms per key`, f1(ks.cpuMs), '', '', f1(kk?.cpuMs), ratio(ks.cpuMs, kk?.cpuMs));
    }
    if (r.logs) {
      const ok = (x: LogFlood | { error: string } | undefined) => (x && !('error' in x) ? x : undefined);
      const none = (x: LogFlood | undefined) => (x && !x.shown ? ' (no line shown)' : '');
      for (const rate of LOG_RATES) {
        const cl = ok(r.logs[`csi-top ${rate}`]);
        const kl = ok(r.logs[`k9s ${rate}`]);
        row(`log view, ${rate} lines/s: CPU % of a core`, f1(cl?.cpuPct) + none(cl), '', '', f1(kl?.cpuPct) + none(kl), ratio(cl?.cpuPct, kl?.cpuPct));
        row(`log view, ${rate} lines/s: bytes written`, kb(cl?.bytesPerS), '', '', kb(kl?.bytesPerS), ratio(cl?.bytesPerS, kl?.bytesPerS));
      }
      for (const [who, x] of Object.entries(r.logs)) if ('error' in x) out.push(`| ${r.server} | ${r.pods / 1000}k | ${who} log view failed | ${x.error.replace(/\|/g, '/')} | | | | | | |`);
    }
    if (r.k9s && 'error' in r.k9s) out.push(`| ${r.server} | ${r.pods / 1000}k | k9s failed | | | | ${r.k9s.error.replace(/\|/g, '/')} | | | |`);
  }
  out.push('');
  out.push('Absolute figures per run:');
  for (const r of results) {
    const c = r.csiTop && !('error' in r.csiTop) ? r.csiTop : undefined;
    const k = k9sOk(r);
    out.push(
      `- ${r.server} ${r.pods} pods: floor (all ${CSI_TOP_PATHS.length} collections csi-top lists, ${r.floorItems} objects, ${f1(r.floorMiB)} MiB JSON) ${f0(r.floorMs)} ms, pods only ${f0(r.floorPodsMs)} ms` +
        `; csi-top first screen ${c?.firstScreenRuns.map(f0).join(', ') ?? '—'} ms, heap ${f0(c?.heapMiB)} MiB (${f0(c?.heapAfterGcMiB)} MiB after GC)` +
        `; k9s ${k?.firstScreenRuns.map(f0).join(', ') ?? '—'} ms; kubectl ${f0(r.kubectlMs)} ms` +
        `; calm (2 s under 3% CPU, nothing written) ${f1((c?.settleMs ?? NaN) / 1000)} s after csi-top's first screen, ${f1((k?.settleMs ?? NaN) / 1000)} s after k9s's (${SETTLE_MS / 1000} s at most)`,
    );
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (!a['no-build']) {
    log('building dist/csi-top.js');
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const k9sFound = k9sBinary();
  if (k9sFound.why) log(`k9s: ${k9sFound.why}`);
  const apiWhy = a['no-apiserver'] ? 'skipped (--no-apiserver)' : apiserverAvailable();
  const apiScales = a.apiserver || (FULL && !a['no-apiserver']) ? (API_SCALES.length ? API_SCALES : [1000]) : [];
  if (apiScales.length && apiWhy) log(`kube-apiserver: ${apiWhy}`);
  const results: ScaleResult[] = [];
  const loadavg: number[][] = [];
  const plan: [Server['kind'], number][] = [...SCALES.map((n) => ['simulator', n] as [Server['kind'], number]), ...(apiWhy ? [] : apiScales.map((n) => ['kube-apiserver', n] as [Server['kind'], number]))];
  for (const [kind, pods] of plan) {
    log(`${kind} with ${pods} pods: starting`);
    const s = kind === 'simulator' ? await startSim(pods) : await startApi(pods);
    log(`${kind} with ${pods} pods: ready`);
    try {
      loadavg.push(os.loadavg());
      results.push(await measure(s, k9sFound.bin));
    } finally {
      await s.stop();
    }
  }
  const text = report(results, k9sFound.why, loadavg);
  process.stdout.write(text + '\n');
  const outFile = a.out ?? path.join(os.tmpdir(), `csi-top-bench-${Date.now()}.json`);
  writeFileSync(outFile, JSON.stringify({ argv: process.argv.slice(2), loadavg, k9s: k9sFound.why ?? K9S_VERSION, apiserver: apiWhy ?? 'available', results }, null, 2));
  log(`results: ${outFile} (${((now() - T0) / 1000).toFixed(0)} s)`);
  // csi-top failing to show its pods screen, to answer a key within 10 s (60 s for a view
  // switch) or to show a flooded log fails the run (CI checks this); k9s failing is only reported.
  const logFailed = (r: ScaleResult) => Object.entries(r.logs ?? {}).some(([k, x]) => k.startsWith('csi-top') && ('error' in x || !x.shown));
  const failed = results.filter((r) => only('csi-top') && (!r.csiTop || 'error' in r.csiTop || !!r.csiTop.keysError || Object.values(r.csiTop.keys ?? {}).some((k) => k.timedOut > 0) || logFailed(r)));
  if (failed.length) {
    log(`csi-top failed at ${failed.map((r) => `${r.server} ${r.pods}`).join(', ')}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} finally {
  rmSync(TMP, { recursive: true, force: true });
}
