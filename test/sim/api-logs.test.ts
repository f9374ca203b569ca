// Pod logs over HTTP: the apiserver's container checks, the kubelet's state checks, and the
// LogStore's content with every option (follow, previous, tailLines, sinceTime, timestamps,
// limitBytes), hostile bytes included. Content comes from the simulator's LogStore: sim-only.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { Api, simIt, simOf, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
let ns: string;
const T0 = Date.parse('2026-11-23T08:00:00.000Z');

const running = (name: string, extra: Record<string, unknown> = {}) => ({ name, ready: true, restartCount: 0, image: 'i', imageID: '', containerID: `containerd://${name}`, started: true, state: { running: { startedAt: '2026-11-23T07:00:00Z' } }, ...extra });

async function makePod(name: string, containers: string[], statuses: unknown[], nodeName: string | null = 'node-1', initContainers: string[] = []) {
  const spec: Record<string, unknown> = { containers: containers.map((c) => ({ name: c, image: 'i' })) };
  if (initContainers.length) spec.initContainers = initContainers.map((c) => ({ name: c, image: 'i' }));
  if (nodeName) spec.nodeName = nodeName;
  expect((await api.post(`/api/v1/namespaces/${ns}/pods`, { metadata: { name }, spec })).status).toBe(201);
  const st = await api.patch(`/api/v1/namespaces/${ns}/pods/${name}/status`, { status: { phase: 'Running', containerStatuses: statuses } });
  expect(st.status).toBe(200);
}

const logs = (pod: string, q = '') => api.get(`/api/v1/namespaces/${ns}/pods/${pod}/log${q}`);

beforeAll(async () => {
  t = await startTarget({ podDeletionDelayMs: 50 });
  api = new Api(t.url, t.token, t.caPem);
  ns = await api.namespace('logs');
  await api.post('/api/v1/nodes', { metadata: { name: 'node-1' }, status: { addresses: [{ type: 'InternalIP', address: '10.1.2.3' }] } });
  await makePod('single', ['app'], [running('app')]);
  await makePod('multi', ['a', 'b'], [running('a'), running('b')], 'node-1', ['init']);
  await makePod('creating', ['app'], [{ name: 'app', ready: false, restartCount: 0, image: 'i', imageID: '', started: false, state: { waiting: { reason: 'ContainerCreating' } } }]);
  await makePod('crashing', ['app'], [{ name: 'app', ready: false, restartCount: 3, image: 'i', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', containerID: 'containerd://old' } } }]);
  await makePod('unscheduled', ['app'], [], null);
  const sim = simOf(t);
  for (let i = 0; i < 5; i++) sim.logs.append(ns, 'single', 'app', `line ${i}`, T0 + i * 1000 + 0.5);
  sim.logs.append(ns, 'crashing', 'app', 'before the crash', T0);
  sim.logs.restart(ns, 'crashing', 'app');
  sim.logs.append(ns, 'crashing', 'app', 'after the restart', T0 + 5000);
});
afterAll(() => t?.close());

describe('pod logs', () => {
  simIt('returns text/plain lines, with nanosecond timestamps on request', async () => {
    const r = await logs('single');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.text).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n');
    const ts = await logs('single', '?timestamps=true&tailLines=2');
    expect(ts.text).toBe('2026-11-23T08:00:03.000500000Z line 3\n2026-11-23T08:00:04.000500000Z line 4\n');
  });

  simIt('filters with tailLines, sinceTime, sinceSeconds and limitBytes', async () => {
    expect((await logs('single', '?tailLines=0')).text).toBe('');
    expect((await logs('single', '?tailLines=100')).text.split('\n')).toHaveLength(6);
    expect((await logs('single', `?sinceTime=${encodeURIComponent('2026-11-23T08:00:03Z')}`)).text).toBe('line 3\nline 4\n');
    expect((await logs('single', '?limitBytes=9')).text).toBe('line 0\nli');
    expect((await logs('single', '?sinceSeconds=3600')).text).toBe('');
    const bad = await logs('single', '?tailLines=-1');
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe('PodLogOptions "single" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
  });

  simIt('serves the previous instance, or 400 when there is none', async () => {
    expect((await logs('crashing', '?previous=true')).text).toBe('before the crash\n');
    // A crash-looping container serves the last terminated instance's logs.
    expect((await logs('crashing')).text).toBe('after the restart\n');
    const none = await logs('single', '?previous=true');
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'previous terminated container "app" in pod "single" not found', reason: 'BadRequest', code: 400 });
  });

  simIt('needs a container name when there are several, and a valid one', async () => {
    const r = await logs('multi');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('a container name must be specified for pod multi, choose one of: [a b] or one of the init containers: [init]');
    const unknown = await logs('multi', '?container=zz');
    expect(unknown.body.message).toBe('container zz is not valid for pod multi');
    expect((await logs('multi', '?container=b')).status).toBe(200);
  });

  simIt('refuses containers that have not started', async () => {
    const r = await logs('creating');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('container "app" in pod "creating" is waiting to start: ContainerCreating');
    const unscheduled = await logs('unscheduled');
    expect([unscheduled.status, unscheduled.text]).toEqual([200, '']);
    const missing = await logs('nope');
    expect(missing.body).toMatchObject({ code: 404, message: 'pods "nope" not found' });
  });

  simIt('passes hostile bytes through untouched', async () => {
    const sim = simOf(t);
    const hostile = Buffer.from('\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;pwned\x07\xff\xfe raw');
    sim.logs.append(ns, 'multi', 'a', hostile);
    const res = await api.stream(`/api/v1/namespaces/${ns}/pods/multi/log?container=a`);
    await expect.poll(() => res.ended).toBe(true);
    expect(res.bytes.equals(Buffer.concat([hostile, Buffer.from('\n')]))).toBe(true);
  });

  simIt('follows: appended lines arrive live, and the stream ends when the pod is deleted', async () => {
    const sim = simOf(t);
    await makePod('follow', ['app'], [running('app')]);
    sim.logs.append(ns, 'follow', 'app', 'old');
    const w = await api.stream(`/api/v1/namespaces/${ns}/pods/follow/log?follow=true`);
    await expect.poll(() => w.text).toBe('old\n');
    sim.logs.append(ns, 'follow', 'app', 'new 1');
    sim.logs.append(ns, 'follow', 'app', 'new 2');
    await expect.poll(() => w.text).toBe('old\nnew 1\nnew 2\n');
    expect(w.ended).toBe(false);
    await api.delete(`/api/v1/namespaces/${ns}/pods/follow?gracePeriodSeconds=0`);
    await expect.poll(() => w.ended).toBe(true);
  });

  simIt('ends a follow when the container restarts', async () => {
    const sim = simOf(t);
    await makePod('restarts', ['app'], [running('app')]);
    const w = await api.stream(`/api/v1/namespaces/${ns}/pods/restarts/log?follow=true`);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.ended).toBe(false);
    sim.logs.restart(ns, 'restarts', 'app');
    await expect.poll(() => w.ended).toBe(true);
  });

  simIt('fails like the apiserver when the node is unreachable', async () => {
    const sim = simOf(t);
    sim.stats.nodeBehaviour.set('node-1', 'unreachable');
    try {
      // The dial error of the kubelet URL as LogLocation builds it (query keys sorted), in a
      // Status without a reason (as test/e2e/kubelet.test.ts sees the real apiserver answer).
      const r = await logs('single', '?timestamps=true&follow=true&sinceTime=2026-05-10T11:00:00Z&tailLines=10');
      expect(r.status).toBe(500);
      const url = `https://10.1.2.3:10250/containerLogs/${ns}/single/app?follow=true&sinceTime=2026-05-10T11%3A00%3A00Z&tailLines=10&timestamps=true`;
      expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Get "${url}": dial tcp 10.1.2.3:10250: connect: connection refused`, code: 500 });
    } finally {
      sim.stats.nodeBehaviour.delete('node-1');
    }
  });
});
