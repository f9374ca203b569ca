// The log follower against the simulator over real HTTP: follow, previous, windows, sinceTime
// reconnects without duplicates or gaps, restarts, waiting containers, forbidden, a deleted pod,
// several containers interleaved, hostile bytes, and aborts that never escape.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/logs/buffer';
import { LOG_WINDOWS, LogFollower, type FollowOptions } from '../../src/logs/follower';
import { NS, startLogSim, until, type LogSim } from './sim';

let s: LogSim;
let followers: LogFollower[] = [];
beforeEach(async () => {
  s = await startLogSim();
});
afterEach(async () => {
  await Promise.all(followers.map((f) => f.stop()));
  followers = [];
  await s.close();
});

function follow(pod: string, containers: string[], o: Partial<FollowOptions> = {}, capacity = 1000) {
  const buffer = new LogBuffer(capacity);
  const f = new LogFollower(s.client, buffer, { namespace: NS, pod, containers, retryMs: 20, waitMs: 50, containerInfo: s.info(pod), podExists: () => s.exists(pod), ...o }, () => {});
  followers.push(f);
  f.start();
  const texts = (kind = 'log') => buffer.toArray().filter((l) => l.kind === kind).map((l) => l.text);
  return { f, buffer, texts };
}

const T0 = Date.parse('2026-05-10T11:30:00.000Z');

describe('log follower', () => {
  it('follows: the tail first, then lines as they are written, with their timestamps', async () => {
    s.pod('web', ['app']);
    for (let i = 0; i < 150; i++) s.append('web', 'app', `old ${i}`, T0 + i);
    const { f, buffer, texts } = follow('web', ['app'], { window: LOG_WINDOWS[0] });
    await until(() => f.status('app').state === 'streaming' && buffer.length === 100, 'the tail');
    expect(texts()[0]).toBe('old 50');
    s.append('web', 'app', 'live one', Date.now());
    s.append('web', 'app', 'live two\nlive three', Date.now());
    await until(() => texts().length === 103, 'live lines');
    expect(texts().slice(-3)).toEqual(['live one', 'live two', 'live three']);
    const last = buffer.at(buffer.length - 1)!;
    expect(last.tsText).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(last.ts).toBe(Date.parse(last.tsText));
  });

  it('head and since windows', async () => {
    s.pod('web', ['app']);
    const now = Date.now();
    s.append('web', 'app', 'two hours ago', now - 2 * 3600_000);
    s.append('web', 'app', 'ten minutes ago', now - 600_000);
    s.append('web', 'app', 'just now', now - 1000);
    const head = follow('web', ['app'], { window: LOG_WINDOWS[1], follow: false });
    const min5 = follow('web', ['app'], { window: LOG_WINDOWS[3], follow: false });
    const h1 = follow('web', ['app'], { window: LOG_WINDOWS[6], follow: false });
    await until(() => [head, min5, h1].every((x) => x.f.status('app').state === 'ended'), 'three reads');
    expect(head.texts()).toEqual(['two hours ago', 'ten minutes ago', 'just now']);
    expect(min5.texts()).toEqual(['just now']);
    expect(h1.texts()).toEqual(['ten minutes ago', 'just now']);
  });

  it('previous instance, and a line (not an exception) when there is none', async () => {
    s.pod('crashy', ['app'], { states: { app: { waiting: 'CrashLoopBackOff', restarts: 3 } } });
    s.append('crashy', 'app', 'before the crash: NOAUTH', T0);
    s.sim.logs.restart(NS, 'crashy', 'app');
    s.append('crashy', 'app', 'after the restart', T0 + 5000);
    const prev = follow('crashy', ['app'], { previous: true });
    await until(() => prev.f.status('app').state === 'ended', 'previous');
    expect(prev.texts()).toEqual(['before the crash: NOAUTH']);
    expect(prev.f.status('app').message).toBe('previous instance');

    s.pod('fresh', ['app']);
    const none = follow('fresh', ['app'], { previous: true });
    await until(() => none.f.status('app').state === 'ended', 'no previous');
    expect(none.texts('error')).toEqual(['no previous instance of container app (it has not restarted)']);
  });

  it('reconnects after a dropped stream from the last second: nothing twice, nothing lost', async () => {
    s.pod('web', ['app']);
    const sec = Math.floor(Date.now() / 1000) * 1000 - 5000;
    // Identical lines at the same instant are two lines, not one.
    for (const t of ['a', 'b', 'same', 'same']) s.append('web', 'app', t, sec + 100);
    const { f, texts, buffer } = follow('web', ['app'], { window: LOG_WINDOWS[1] });
    await until(() => f.status('app').state === 'streaming' && texts().length === 4, 'first lines');
    // The link goes down; meanwhile the container writes in the same second and later ones.
    const down = s.sim.faults.down(150);
    await until(() => f.status('app').state === 'reconnecting', 'the drop');
    s.append('web', 'app', 'same', sec + 100);
    s.append('web', 'app', 'c (same second)', sec + 700);
    s.append('web', 'app', 'd (next second)', sec + 1200);
    await down;
    await until(() => f.status('app').state === 'streaming' && texts().length === 7, 'the reconnect');
    s.append('web', 'app', 'e (live again)', Date.now());
    await until(() => texts().length === 8, 'live after reconnect');
    expect(texts()).toEqual(['a', 'b', 'same', 'same', 'same', 'c (same second)', 'd (next second)', 'e (live again)']);
    expect(texts('marker')).toEqual([expect.stringMatching(/^── stream lost \(.+\); reconnecting ──$/), '── reconnected ──']);
    // The reconnect asked from the whole second of the last line kept.
    const sinceTimes = s.sim.requests.filter((r) => r.path.endsWith('/log')).map((r) => new URLSearchParams(r.query ?? '').get('sinceTime'));
    expect(sinceTimes).toContain(new Date(sec).toISOString().replace('.000Z', 'Z'));
    expect(buffer.length).toBe(10);
  });

  it('a container restart: the end of one instance, a marker, the next instance followed', async () => {
    s.pod('mp', ['jfs-mount']);
    s.append('mp', 'jfs-mount', 'first instance', Date.now() - 2000);
    const { f, texts } = follow('mp', ['jfs-mount']);
    await until(() => f.status('jfs-mount').state === 'streaming' && texts().length === 1, 'first');
    // The container crashes: it is not running for a while, then runs again.
    s.sim.logs.restart(NS, 'mp', 'jfs-mount');
    s.setState('mp', 'jfs-mount', { waiting: 'CrashLoopBackOff', restarts: 1 });
    await until(() => f.status('jfs-mount').state === 'waiting', 'waiting for the restart');
    expect(f.status('jfs-mount').message).toBe('CrashLoopBackOff: waiting for a restart');
    // Its clock (or the simulator's) says earlier than the last line kept: a new instance is read whole anyway.
    s.append('mp', 'jfs-mount', 'second instance', Date.now() - 10_000);
    s.setState('mp', 'jfs-mount', { running: true, restarts: 1 });
    await until(() => texts().length === 2 && f.status('jfs-mount').state === 'streaming', 'the next instance');
    s.append('mp', 'jfs-mount', 'second instance, live', Date.now());
    await until(() => texts().length === 3, 'live');
    const all = f.buffer.toArray().map((l) => l.text);
    expect(all).toEqual(['first instance', '── container jfs-mount restarted (restart #1) ──', 'second instance', 'second instance, live']);
  });

  it('a container that finished: its log, then ended (not waiting for a restart that will not come)', async () => {
    s.pod('job', ['work'], { states: { work: { terminated: 'Completed' } } });
    s.append('job', 'work', 'all done', Date.now() - 1000);
    const { f, texts } = follow('job', ['work']);
    await until(() => f.status('work').state === 'ended', 'ended');
    expect(f.status('work').message).toBe('Completed');
    expect(texts()).toEqual(['all done']);
  });

  it('ContainerCreating: waiting for the container to start, then attached when it starts', async () => {
    s.pod('new', ['app'], { states: { app: { waiting: 'ContainerCreating' } } });
    const { f, texts } = follow('new', ['app']);
    await until(() => f.status('app').state === 'waiting', 'waiting');
    expect(f.status('app').message).toBe('waiting for the container to start (ContainerCreating)');
    expect(f.buffer.length).toBe(0);
    s.setState('new', 'app', { running: true });
    s.append('new', 'app', 'hello', Date.now());
    f.poke();
    await until(() => f.status('app').state === 'streaming' && texts().length === 1, 'attached');
    expect(texts()).toEqual(['hello']);
  });

  it('forbidden pods/log: a line with the apiserver message and the state, no retry', async () => {
    s.pod('web', ['app']);
    s.sim.rbac.deny({ verb: 'get', resource: 'pods/log' });
    const { f, texts } = follow('web', ['app']);
    await until(() => f.status('app').state === 'error', 'forbidden');
    expect(f.status('app').message).toBe('forbidden');
    expect(texts('error')).toEqual(['pods "web" is forbidden: User "admin" cannot get resource "pods/log" in API group "" in the namespace "logs"']);
    const n = s.sim.requests.filter((r) => r.path.endsWith('/log')).length;
    await new Promise((r) => setTimeout(r, 100));
    expect(s.sim.requests.filter((r) => r.path.endsWith('/log')).length).toBe(n);
  });

  it('a pod that is gone: not found at once, or deleted while followed', async () => {
    const missing = follow('nope', ['app']);
    await until(() => missing.f.status('app').state === 'error', 'not found');
    expect(missing.texts('error')).toEqual([`pod ${NS}/nope not found`]);

    s.pod('doomed', ['app']);
    s.append('doomed', 'app', 'last words', Date.now());
    const d = follow('doomed', ['app']);
    await until(() => d.f.status('app').state === 'streaming' && d.texts().length === 1, 'streaming');
    s.sim.objects.delete('pods', NS, 'doomed', { gracePeriodSeconds: 0 });
    await until(() => d.f.status('app').state === 'ended', 'ended');
    expect(d.f.status('app').message).toBe('pod deleted');
    expect(d.texts('marker')).toEqual([`── pod ${NS}/doomed was deleted ──`]);
  });

  it('several containers interleaved by time, each line knowing its container', async () => {
    s.pod('multi', ['a', 'b'], { init: ['setup'] });
    for (let i = 0; i < 5; i++) s.append('multi', 'a', `a${i}`, T0 + i * 10);
    for (let i = 0; i < 5; i++) s.append('multi', 'b', `b${i}`, T0 + i * 10 + 5);
    s.append('multi', 'setup', 'init done', T0 - 100);
    const { f, buffer } = follow('multi', ['setup', 'a', 'b'], { window: LOG_WINDOWS[1] });
    await until(() => buffer.length === 11 && f.status('a').state === 'streaming' && f.status('b').state === 'streaming', 'all lines');
    expect(buffer.toArray().map((l) => `${l.container}:${l.text}`)).toEqual(['setup:init done', 'a:a0', 'b:b0', 'a:a1', 'b:b1', 'a:a2', 'b:b2', 'a:a3', 'b:b3', 'a:a4', 'b:b4']);
    s.append('multi', 'b', 'b live', Date.now());
    await until(() => buffer.length === 12, 'live');
    expect(buffer.at(11)!.container).toBe('b');
  });

  it('hostile bytes never reach the buffer: no control characters, no bidi overrides, long lines capped', async () => {
    const { hostileLogLine } = await import('../../src/sim/world');
    s.pod('evil', ['app']);
    s.append('evil', 'app', hostileLogLine(20_000), Date.now());
    s.append('evil', 'app', Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0xff, 0xfe, 0x1b, 0x5d, 0x35, 0x32, 0x3b, 0x07, 0x41]), Date.now());
    const { f, texts } = follow('evil', ['app'], { maxLineLength: 1000 });
    await until(() => texts().length === 2, 'lines');
    for (const t of texts()) {
      // eslint-disable-next-line no-control-regex
      expect(t).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(t.length).toBeLessThanOrEqual(1001);
    }
    expect(texts()[0]).toMatch(/^juicefs\[7\] <ERROR>: red owned|^juicefs\[7\] <ERROR>: red /);
    expect(texts()[0]).not.toMatch(/owned-title|ZWNobyBwd25lZA/);
    expect(texts()[0].endsWith('…')).toBe(true);
    void f;
  });

  it('stop() mid-stream, many times over: no uncaught error, no request left open', async () => {
    s.pod('web', ['app']);
    const errors: unknown[] = [];
    const onErr = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onErr);
    process.on('unhandledRejection', onErr);
    try {
      for (let i = 0; i < 20; i++) {
        const { f } = follow('web', ['app']);
        if (i % 2) await until(() => f.status('app').state === 'streaming', 'streaming');
        await f.stop();
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(errors).toEqual([]);
    } finally {
      process.off('uncaughtException', onErr);
      process.off('unhandledRejection', onErr);
    }
  });
});
