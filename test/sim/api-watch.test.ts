// WATCH over HTTP: event sequences, initial state, bookmarks, timeouts, resuming without gaps,
// 410 after compaction, selectors (objects leaving the set arrive as DELETED) and dropped streams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, configMap, expireHistory, expiryIt, simIt, simOf, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
beforeAll(async () => {
  t = await startTarget({ bookmarkIntervalMs: 100, podDeletionDelayMs: 100 });
  api = new Api(t.url, t.token, t.caPem);
});
afterAll(() => t.close());

const cms = (ns: string, q = '') => `/api/v1/namespaces/${ns}/configmaps${q}`;
const rvOf = (o: any) => Number(o.metadata.resourceVersion);

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED as chunked newline-delimited JSON', async () => {
    const ns = await api.namespace();
    const list = await api.get(cms(ns));
    const w = await api.watch(cms(ns, `?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`));
    expect(w.status).toBe(200);
    expect(w.res.headers['content-type']).toBe('application/json');
    expect(w.res.headers['transfer-encoding']).toBe('chunked');
    await api.post(cms(ns), configMap('a'));
    await api.patch(cms(ns, '/a'), { data: { k: 'v2' } });
    await api.delete(cms(ns, '/a'));
    const events = await w.until((e) => e.length >= 3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    for (const e of events) expect(e.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a', namespace: ns } });
    expect(events[1].object.data).toEqual({ k: 'v2' });
    const rvs = events.map((e) => rvOf(e.object));
    expect(rvs[0]).toBeLessThan(rvs[1]);
    expect(rvs[1]).toBeLessThan(rvs[2]);
    w.close();
  });

  it('starts with synthetic ADDED events for existing objects when resourceVersion is unset or 0', async () => {
    const ns = await api.namespace();
    await api.post(cms(ns), configMap('x'));
    await api.post(cms(ns), configMap('y'));
    for (const q of ['?watch=1', '?watch=true&resourceVersion=0']) {
      const w = await api.watch(cms(ns, q));
      const events = await w.until((e) => e.length >= 2);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'x'], ['ADDED', 'y']]);
      w.close();
    }
  });

  it('ends the initial state of a watch from resourceVersion unset or 0 with an annotated bookmark when allowed (v1.34 watch-list default)', async () => {
    const ns = await api.namespace();
    await api.post(cms(ns), configMap('x'));
    for (const q of ['', '&resourceVersion=0']) {
      const w = await api.watch(cms(ns, `?watch=true&allowWatchBookmarks=true${q}`));
      const events = await w.until((e) => e.some((x) => x.type === 'BOOKMARK'), 3000);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
      expect(events[1].object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: events[0].object.metadata.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } } });
      w.close();
    }
  });

  // kube-apiserver sends them about once a minute (not configurable): simulator only.
  simIt('sends bookmarks with the latest resourceVersion when allowed', async () => {
    const ns = await api.namespace();
    const list = await api.get(cms(ns));
    const w = await api.watch(cms(ns, `?watch=true&allowWatchBookmarks=true&resourceVersion=${list.body.metadata.resourceVersion}`));
    const first = (await w.until((e) => e.some((x) => x.type === 'BOOKMARK'), 3000)).find((e) => e.type === 'BOOKMARK');
    expect(first.object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    const created = (await api.post('/api/v1/namespaces', { metadata: { name: `${ns}-other` } })).body;
    const later = await w.until((e) => e.some((x) => x.type === 'BOOKMARK' && rvOf(x.object) >= rvOf(created)), 3000);
    expect(later.filter((e) => e.type !== 'BOOKMARK')).toEqual([]);
    w.close();
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const ns = await api.namespace();
    const started = Date.now();
    const w = await api.watch(cms(ns, '?watch=true&timeoutSeconds=1'));
    await w.end(4000);
    expect(w.error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('resumes from a resourceVersion with every later change and nothing earlier', async () => {
    const ns = await api.namespace();
    const a = (await api.post(cms(ns), configMap('a'))).body;
    await api.post(cms(ns), configMap('b'));
    await api.patch(cms(ns, '/a'), { data: { k: 'later' } });
    await api.delete(cms(ns, '/b'));
    const w = await api.watch(cms(ns, `?watch=true&resourceVersion=${a.metadata.resourceVersion}`));
    const events = await w.until((e) => e.length >= 3);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'b'], ['MODIFIED', 'a'], ['DELETED', 'b']]);
    await api.post(cms(ns), configMap('c'));
    await w.until((e) => e.length >= 4);
    expect(w.events[3]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'c' } } });
    w.close();
  });

  it('applies label selectors: an object leaving the set is DELETED, one entering it ADDED', async () => {
    const ns = await api.namespace();
    const w = await api.watch(cms(ns, '?watch=true&labelSelector=app%3Dweb'));
    await api.post(cms(ns), configMap('c', { app: 'web' }));
    await api.post(cms(ns), configMap('other', { app: 'db' }));
    await api.patch(cms(ns, '/c'), { metadata: { labels: { app: 'db' } } });
    await api.patch(cms(ns, '/other'), { metadata: { labels: { app: 'web' } } });
    const events = await w.until((e) => e.length >= 3);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'c'], ['DELETED', 'c'], ['ADDED', 'other']]);
    // The DELETED event carries the object as it last matched, at the change's resourceVersion.
    expect(events[1].object.metadata.labels).toEqual({ app: 'web' });
    expect(rvOf(events[1].object)).toBeGreaterThan(rvOf(events[0].object));
    w.close();
  });

  it('applies field selectors on pods', async () => {
    const ns = await api.namespace();
    const w = await api.watch(`/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-w,metadata.namespace%3D${ns}`);
    await api.post(`/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'here' }, spec: { nodeName: 'node-w', containers: [{ name: 'c', image: 'i' }] } });
    await api.post(`/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'there' }, spec: { nodeName: 'node-x', containers: [{ name: 'c', image: 'i' }] } });
    await api.delete(`/api/v1/namespaces/${ns}/pods/here?gracePeriodSeconds=1`);
    const events = await w.until((e) => e.some((x) => x.type === 'DELETED'), 4000);
    // Graceful deletion, then the kubelet's grace-0 DELETE: a second write before the removal.
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'here'], ['MODIFIED', 'here'], ['MODIFIED', 'here'], ['DELETED', 'here']]);
    expect(events[1].object.metadata).toMatchObject({ deletionGracePeriodSeconds: 1, deletionTimestamp: expect.any(String) });
    expect(events[2].object.metadata).toMatchObject({ deletionGracePeriodSeconds: 0 });
    expect(events[3].object.metadata.deletionGracePeriodSeconds).toBe(0);
    w.close();
  });

  it('shows a pod deleted without grace as MODIFIED (deletionTimestamp, generation + 1) then DELETED', async () => {
    const ns = await api.namespace();
    const created = (await api.post(`/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'p' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'i' }] } })).body;
    const w = await api.watch(`/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=${created.metadata.resourceVersion}`);
    const del = await api.delete(`/api/v1/namespaces/${ns}/pods/p`);
    expect(del.body).toMatchObject({ kind: 'Pod', metadata: { name: 'p', deletionGracePeriodSeconds: 0, deletionTimestamp: expect.any(String) } });
    const events = await w.until((e) => e.some((x) => x.type === 'DELETED'));
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(events[0].object.metadata).toMatchObject({ generation: created.metadata.generation + 1, deletionGracePeriodSeconds: 0 });
    w.close();
  });

  it('serves the legacy /watch/ paths, for a collection and for one object', async () => {
    const ns = await api.namespace();
    await api.post(cms(ns), configMap('one'));
    await api.post(cms(ns), configMap('two'));
    const all = await api.watch(`/api/v1/watch/namespaces/${ns}/configmaps`);
    expect((await all.until((e) => e.length >= 2)).map((e) => e.object.metadata.name)).toEqual(['one', 'two']);
    all.close();
    const single = await api.watch(`/api/v1/watch/namespaces/${ns}/configmaps/two`);
    await api.patch(cms(ns, '/two'), { data: { k: 'x' } });
    expect((await single.until((e) => e.length >= 2)).map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'two'], ['MODIFIED', 'two']]);
    single.close();
  });

  it('rejects a bad selector with 400 before streaming', async () => {
    const w = await api.get('/api/v1/pods?watch=true&labelSelector=a%20in%20(');
    expect(w.status).toBe(400);
    expect(w.body.reason).toBe('BadRequest');
  });

  it('ends a watch-list (sendInitialEvents) initial state with an annotated bookmark', async () => {
    const ns = await api.namespace();
    await api.post(cms(ns), configMap('x'));
    const w = await api.watch(cms(ns, '?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true'));
    const events = await w.until((e) => e.some((x) => x.type === 'BOOKMARK'));
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'x' } } });
    expect(events[1]).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    w.close();
    const bad = await api.get(cms(ns, '?watch=true&sendInitialEvents=true'));
    expect(bad.status).toBe(422);
  });

  expiryIt('answers a too old resourceVersion with 200, one ERROR event (410 Expired) and the end', async () => {
    const ns = await api.namespace();
    const a = (await api.post(cms(ns), configMap('a'))).body;
    await api.post(cms(ns), configMap('b'));
    const oldest = await expireHistory(t);
    const w = await api.watch(cms(ns, `?watch=true&resourceVersion=${a.metadata.resourceVersion}`));
    expect(w.status).toBe(200);
    const events = await w.end();
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/), reason: 'Expired', code: 410 },
      },
    ]);
    // "<requested> (<oldest the watch cache can serve>)"
    const [, requested, window] = /: (\d+) \((\d+)\)$/.exec(events[0].object.message)!;
    expect(requested).toBe(a.metadata.resourceVersion);
    expect(Number(window)).toBeGreaterThanOrEqual(oldest);
    expect(Number(window)).toBeLessThanOrEqual(Number((await api.get(cms(ns))).body.metadata.resourceVersion));
  });

  simIt('drops every open watch when told to', async () => {
    const ns = await api.namespace();
    const w1 = await api.watch(cms(ns, '?watch=true'));
    const w2 = await api.watch('/api/v1/pods?watch=true');
    await new Promise((r) => setTimeout(r, 50));
    simOf(t).faults.dropWatches();
    await w1.end();
    await w2.end();
    expect(w1.ended && w2.ended).toBe(true);
    // The server is still there.
    expect((await api.get(cms(ns))).status).toBe(200);
  });
});
