// Fault injection (sim-only): the server going away and coming back on the same port, scripted
// failures, added latency, and the request log.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Api, configMap, simIt, simOf, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
beforeAll(async () => {
  t = await startTarget({ tls: true });
  api = new Api(t.url, t.token, t.caPem);
});
afterAll(() => t?.close());

describe('faults', () => {
  simIt('goes down (connections refused, streams cut) and comes back on the same ports', async () => {
    const sim = simOf(t);
    const ns = await api.namespace();
    const w = await api.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true`);
    const port = new URL(t.url).port;
    const httpsPort = new URL(sim.httpsUrl!).port;
    const back = sim.faults.down(400);
    await w.end();
    const refused = await api.get('/version').catch((e) => e);
    expect(refused.code).toBe('ECONNREFUSED');
    await back;
    expect(new URL(sim.url).port).toBe(port);
    expect((await api.get('/version')).status).toBe(200);
    const tls = new Api(sim.httpsUrl!, t.token, sim.caPem);
    expect(new URL(sim.httpsUrl!).port).toBe(httpsPort);
    expect((await tls.get('/version')).status).toBe(200);
    // Nothing was lost: the store outlives the outage.
    expect((await api.get(`/api/v1/namespaces/${ns}`)).status).toBe(200);
  });

  simIt('fails the next n matching requests with the given status', async () => {
    const sim = simOf(t);
    sim.faults.failNext(2, { status: 503, pathPrefix: '/api/v1/namespaces' });
    const ns1 = await api.get('/api/v1/namespaces');
    expect(ns1.status).toBe(503);
    expect(ns1.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server is currently unable to handle the request', reason: 'ServiceUnavailable', details: {}, code: 503 });
    expect((await api.get('/version')).status).toBe(200);
    expect((await api.get('/api/v1/namespaces')).status).toBe(503);
    expect((await api.get('/api/v1/namespaces')).status).toBe(200);
    sim.faults.failNext(1, { status: 429, message: 'slow down' });
    const r = await api.get('/api/v1/pods');
    expect(r.body).toMatchObject({ code: 429, reason: 'TooManyRequests', message: 'slow down' });
  });

  simIt('adds latency before answering', async () => {
    const sim = simOf(t);
    sim.faults.latencyMs = 200;
    try {
      const started = Date.now();
      await api.get('/version');
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      sim.faults.latencyMs = 0;
    }
  });

  simIt('records every request with its user, query, body and status', async () => {
    const sim = simOf(t);
    const ns = await api.namespace();
    sim.clearRequests();
    await api.get(`/api/v1/namespaces/${ns}/configmaps?limit=5&labelSelector=a%3Db`);
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('rec'));
    await api.get('/api/v1/pods', { token: 'bogus' });
    expect(sim.requests.map((r) => [r.method, r.path, r.user, r.status])).toEqual([
      ['GET', `/api/v1/namespaces/${ns}/configmaps`, 'admin', 200],
      ['POST', `/api/v1/namespaces/${ns}/configmaps`, 'admin', 201],
      ['GET', '/api/v1/pods', '', 401],
    ]);
    expect(sim.requests[0].query).toEqual({ limit: '5', labelSelector: 'a=b' });
    expect(sim.requests[1].body).toMatchObject({ metadata: { name: 'rec' } });
  });
});
