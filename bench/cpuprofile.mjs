// Top functions of a V8 .cpuprofile (node --cpu-prof) by self time, and by total time for
// functions of csi-top's own bundle; optionally only the samples between two times (seconds
// since the profile started), e.g. an idle window.
// --timeline: busy milliseconds per second of the profile.
// Usage: node bench/cpuprofile.mjs FILE.cpuprofile [--top 25] [--from S] [--to S] [--timeline]
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: o, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' }, timeline: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' } } });
const file = positionals[0];
const top = Number(o.top ?? 25);
const from = Number(o.from ?? 0) * 1e6;
const to = Number(o.to ?? Infinity) * 1e6;
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
let at = 0;
for (let i = 0; i < prof.samples.length; i++) {
  at += prof.timeDeltas[i] ?? 0;
  if (at < from || at > to) continue;
  dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${(n.callFrame.url || '').split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const self = new Map();
const total = new Map();
let all = 0;
for (const [id, us] of dt) {
  all += us;
  const n = byId.get(id);
  self.set(name(n), (self.get(name(n)) ?? 0) + us);
  // Every distinct function on the stack gets the time once.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
}
if (o.timeline) {
  const perS = [];
  let t = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    const n = byId.get(prof.samples[i]);
    if (n.callFrame.functionName === '(idle)') continue;
    const s = Math.floor(t / 1e6);
    perS[s] = (perS[s] ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000;
  }
  console.log('busy ms per second:', [...perS].map((v, i) => `${i}:${(v ?? 0).toFixed(0)}`).join(' '));
}
const ms = (us) => (us / 1000).toFixed(1).padStart(9);
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
console.log(`${file}: ${(all / 1000).toFixed(0)} ms sampled, ${((all - idle) / 1000).toFixed(0)} ms not idle`);
console.log('\nself time:');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)} ms  ${k}`);
console.log('\ntotal time (functions of the bundle):');
for (const [k, v] of [...total].filter(([k]) => k.includes('csi-top.js')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)} ms  ${k}`);
