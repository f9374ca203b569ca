// Scale (sim-only, seeded directly): 100k pods page through with limit=500 consistently and
// without per-page costs that grow with the store, and a change fans out to 20 watchers.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Api, simIt, simOf, startTarget, type Target } from './fixture';

const N = 100_000;
let t: Target;
let api: Api;

const mk = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${String(i).padStart(6, '0')}`, namespace: `ns-${i % 50}`, labels: { app: `app-${i % 100}` } },
  spec: { nodeName: `node-${i % 100}`, containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-${i}` } }] },
  status: { phase: 'Running', podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
});

beforeAll(async () => {
  t = await startTarget();
  api = new Api(t.url, t.token);
  if (!t.sim) return;
  for (let i = 0; i < N; i++) t.sim.objects.create(mk(i), { seed: true, owned: true });
}, 120_000);
afterAll(() => t?.close());

describe('scale', () => {
  simIt('pages 100k pods with limit=500 from one snapshot while writes continue', async () => {
    const sim = simOf(t);
    const seen = new Set<string>();
    const times: number[] = [];
    let cont = '';
    let rv = '';
    let pages = 0;
    do {
      const started = performance.now();
      const r = await api.get(`/api/v1/pods?limit=500${cont ? `&continue=${cont}` : ''}`);
      times.push(performance.now() - started);
      expect(r.status).toBe(200);
      if (!rv) rv = r.body.metadata.resourceVersion;
      expect(r.body.metadata.resourceVersion).toBe(rv);
      for (const p of r.body.items) seen.add(`${p.metadata.namespace}/${p.metadata.name}`);
      cont = r.body.metadata.continue ?? '';
      if (cont) expect(r.body.metadata.remainingItemCount).toBe(N - seen.size);
      // Writes between pages do not leak into the listing.
      if (pages++ % 20 === 0) sim.objects.create(mk(N + pages), { seed: true });
    } while (cont);
    expect(pages).toBe(N / 500);
    expect(seen.size).toBe(N);
    // The first page builds the snapshot; later ones only slice it.
    const later = times.slice(1).sort((a, b) => a - b);
    expect(later[Math.floor(later.length / 2)]).toBeLessThan(250);
  }, 120_000);

  simIt('filters 100k pods by label and field without listing them all', async () => {
    const r = await api.get('/api/v1/pods?labelSelector=app%3Dapp-7&fieldSelector=spec.nodeName%3Dnode-7&limit=100');
    expect(r.body.items).toHaveLength(100);
    expect(r.body.items.every((p: any) => p.metadata.labels.app === 'app-7' && p.spec.nodeName === 'node-7')).toBe(true);
    const ns = await api.get('/api/v1/namespaces/ns-3/pods?limit=10');
    expect(ns.body.items.map((p: any) => p.metadata.name)[0]).toBe('pod-000003');
    expect(ns.body.metadata.remainingItemCount).toBe(N / 50 - 10);
  }, 60_000);

  simIt('fans a change out to 20 watchers', async () => {
    const sim = simOf(t);
    const rv = sim.objects.currentRv();
    const watches = await Promise.all(Array.from({ length: 20 }, () => api.watch(`/api/v1/pods?watch=true&resourceVersion=${rv}`)));
    for (let i = 0; i < 200; i++) sim.objects.patch('pods', `ns-${i % 50}`, `pod-${String(i).padStart(6, '0')}`, 'application/merge-patch+json', { metadata: { labels: { touched: 'yes' } } });
    for (const w of watches) {
      await w.until((e) => e.length >= 200, 20_000);
      expect(w.events.every((e) => e.type === 'MODIFIED' && e.object.metadata.labels.touched === 'yes')).toBe(true);
      w.close();
    }
  }, 60_000);
});
