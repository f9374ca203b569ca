// Micro benchmark: topology, findings and export on a generated cluster. Reports the best of a
// few runs (the machine may be shared).
//   npx tsx bench/findings.ts [pods=50000]
import { storeFromObjects } from '../src/store/from-objects';
import { computeFindings } from '../src/store/verdicts';
import { buildExport } from '../src/store/report';
import { chainFor, driverIndex } from '../src/store/topology';
import { syntheticCluster } from '../test/fixtures/synthetic';

const pods = Number(process.argv[2] ?? 50_000);
const now = Date.parse('2026-05-10T12:00:00Z');
function time<T>(label: string, fn: (i: number) => T, runs = 1): T {
  let best = Infinity;
  let v!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    v = fn(i);
    best = Math.min(best, performance.now() - t);
  }
  console.log(`${label.padEnd(44)} ${best.toFixed(1).padStart(8)} ms${runs > 1 ? ` (best of ${runs})` : ''}`);
  return v;
}

const objects = time('generate objects', () => syntheticCluster(pods));
const store = time('project into the store', () => storeFromObjects(objects));
console.log(`${store.count('Pod')} pods, ${store.count('PersistentVolumeClaim')} PVCs, ${store.count('PersistentVolume')} PVs, ${store.count('Node')} nodes, ${store.count('Event')} events`);
time('driver index, first time (classifies every pod)', () => driverIndex(store));
const findings = time('all findings, first time', () => computeFindings(store, { now }));
time('all findings, memoized', () => computeFindings(store, { now }), 5);
time('all findings, new clock (indexes warm)', (i) => computeFindings(store, { now: now + 1 + i }), 5);
const one = store.get('Pod', 'team-3', 'db-3-0')!;
time('all findings after one app pod update', (i) => {
  store.apply('MODIFIED', { ...one, resourceVersion: `bench-${i}` });
  return computeFindings(store, { now });
}, 5);
time('chain of one app pod', () => chainFor(store, { kind: 'Pod', namespace: 'team-1', name: 'web-1-0' }), 5);
time('export document', (i) => buildExport(store, { context: 'bench', now: now + 100 + i }), 3);
console.log(`${findings.length} findings`);

// Where an update's recomputation goes (best of 5 rounds, one app pod updated per round).
const parts: Record<string, number> = {};
const { podIndex } = await import('../src/store/topology/pod-index');
const { consumers } = await import('../src/store/topology/volumes');
const { makeCtx } = await import('../src/store/verdicts/context');
const checks = {
  nodePlugins: (await import('../src/store/verdicts/node-plugins')).checkNodePlugins,
  controllers: (await import('../src/store/verdicts/controllers')).checkControllers,
  claims: (await import('../src/store/verdicts/claims')).checkClaims,
  mounts: (await import('../src/store/verdicts/mounts')).checkMounts,
  attachments: (await import('../src/store/verdicts/failures')).checkAttachments,
  resizes: (await import('../src/store/verdicts/resize')).checkResizes,
  health: (await import('../src/store/verdicts/health')).checkHealth,
};
for (let round = 0; round < 5; round++) {
  store.apply('MODIFIED', { ...one, resourceVersion: `parts-${round}` });
  let t = performance.now();
  const lap = (k: string) => {
    const n = performance.now();
    parts[k] = Math.min(parts[k] ?? Infinity, n - t);
    t = n;
  };
  podIndex(store);
  lap('pod index');
  consumers(store);
  lap('consumers');
  driverIndex(store);
  lap('driver index');
  const ctx = makeCtx(store, { now });
  for (const [name, check] of Object.entries(checks)) {
    check(ctx);
    lap(`check ${name}`);
  }
}
console.log('after one app pod update, by part:');
for (const [k, v] of Object.entries(parts)) console.log(`  ${k.padEnd(42)} ${v.toFixed(1).padStart(8)} ms`);
