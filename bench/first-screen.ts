// First pods screen only, for before/after work on start-up: one simulator (own process, TLS) with
// N pods; each round times the floor (bench/floor.mjs) and then every variant of csi-top, in
// turn, so that load drifts hit them alike; prints medians and each variant ÷ floor.
// A variant is `name=BUNDLE` or `name=BUNDLE|node flags` (BUNDLE's dir needs "type": "module").
//
//   node --import tsx bench/first-screen.ts --pods 10000 --runs 5 \
//     --variant now=dist/csi-top.js --variant old=/tmp/old/csi-top.js
import { spawn, spawnSync } from 'node:child_process';
import readline from 'node:readline';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KINDS, listPath } from '../src/store/kinds';
import { Pty, cpuSeconds, median, now } from './pty';

const { values: a } = parseArgs({ options: { pods: { type: 'string' }, runs: { type: 'string' }, variant: { type: 'string', multiple: true } } });
const ROOT = path.resolve(import.meta.dirname, '..');
const PODS = Number(a.pods ?? 10_000);
const RUNS = Number(a.runs ?? 5);
const variants = (a.variant?.length ? a.variant : [`csi-top=${path.join(ROOT, 'dist/csi-top.js')}`]).map((v) => {
  const [name, rest] = v.split(/=(.*)/s);
  const [bundle, flags] = rest.split('|');
  return { name, bundle: path.resolve(bundle), flags: (flags ?? '').split(/\s+/).filter(Boolean) };
});

const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', 'bench/sim-server.ts', '--pods', String(PODS), '--tls'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
const first = await readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
const info = JSON.parse(first.value as string) as { httpsUrl: string; token: string; caFile: string; kubeconfig: string };
const paths = Object.values(KINDS).map((k) => listPath(k));

function floor(): number {
  const t = now();
  const r = spawnSync(process.execPath, ['bench/floor.mjs', JSON.stringify({ server: info.httpsUrl, token: info.token, ca: info.caFile, paths })], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return now() - t;
}

const ready = (s: string) => new RegExp(`Pods\\(all\\)\\[${PODS}\\]`, 'i').test(s) && /\bsynced\b/.test(s.split('\n')[0]) && s.split('\n').filter((l) => /\bteam-\d+\b.*\bapp-\d+/.test(l)).length >= 5;

/** Wall time to the first pods screen, and the CPU time (all threads) the program used until then. */
async function firstScreen(v: (typeof variants)[number]): Promise<{ ms: number; cpuMs: number }> {
  const p = new Pty({ argv: [process.execPath, ...v.flags, v.bundle, '--kubeconfig', info.kubeconfig, '-A'], cols: 200, rows: 50, cwd: ROOT });
  const pid = await p.pid();
  const t = await p.waitFor(ready, PODS >= 50_000 ? 300_000 : 60_000, `${v.name}'s pods screen`);
  const cpuMs = cpuSeconds(pid) * 1000;
  // Quit with :q, so that --cpu-prof in the flags writes its profile.
  p.send(':q\r');
  if (!(await Promise.race([p.exit.then(() => true), new Promise((r) => setTimeout(r, 30_000, false))]))) await p.kill();
  return { ms: t - p.started, cpuMs };
}

floor(); // the server's first list of each collection
const times: Record<string, number[]> = { floor: [] };
const cpu: Record<string, number[]> = {};
for (let r = 0; r < RUNS; r++) {
  times.floor.push(floor());
  for (const v of variants) {
    const x = await firstScreen(v);
    (times[v.name] ??= []).push(x.ms);
    (cpu[v.name] ??= []).push(x.cpuMs);
  }
  process.stderr.write(`run ${r + 1}/${RUNS}: ${Object.entries(times).map(([k, xs]) => `${k} ${xs[r].toFixed(0)}`).join(', ')}\n`);
}
const f = median(times.floor);
console.log(`${PODS} pods, ${RUNS} runs, medians (wall; CPU of all threads until then):`);
for (const [k, xs] of Object.entries(times)) {
  const c = cpu[k] ? `  CPU ${median(cpu[k]).toFixed(0).padStart(6)} ms` : '';
  console.log(`  ${k.padEnd(12)} ${median(xs).toFixed(0).padStart(6)} ms  ${(median(xs) / f).toFixed(2)}× floor${c}   (${xs.map((x) => x.toFixed(0)).join(' ')})`);
}
child.stdin!.end();
