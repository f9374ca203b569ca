// Cold start of the bundled CLI (`--version`, `--help`) against a bare `node -e ''` baseline run in
// the same script, plus the packed tarball's size. Usage: node bench/startup.mjs [runs]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 20);
const bin = path.resolve('dist/csi-top.js');
if (!fs.existsSync(bin)) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// Interleave so drift hits all three alike.
const base = time(['-e', '']);
const version = time([bin, '--version']);
const help = time([bin, '--help']);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-bench-'));
const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const info = JSON.parse(out)[0];
fs.rmSync(dir, { recursive: true, force: true });

const f = (n) => n.toFixed(1);
console.log(`runs: ${runs} (median)`);
console.log(`node -e ''            ${f(base)} ms  (baseline)`);
console.log(`csi-top --version     ${f(version)} ms  ${(version / base).toFixed(2)}x baseline`);
console.log(`csi-top --help        ${f(help)} ms  ${(help / base).toFixed(2)}x baseline`);
console.log(`tarball               ${(info.size / 1024).toFixed(0)} KiB packed, ${(info.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${info.entryCount} files`);
