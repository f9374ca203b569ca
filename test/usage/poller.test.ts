// The usage poller over real HTTP against the simulator's kubelet stats: the numbers, each reason
// a PVC has none, slow and dead nodes, RBAC denial, screen focus, and clean stops and switches.
import { afterEach, describe, expect, it } from 'vitest';
import { GiB, startCluster, summaryCalls, timers, until, type TestCluster } from './fixture';
import { USAGE_REASONS } from '../../src/store/usage';

let c: TestCluster | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const reasonOf = (ns: string, claim: string) => c!.conn.usage.get(ns, claim).reason?.text;

/** snapshot() (what the verdicts read) holds exactly the samples get() gives, claim by claim. */
function expectSnapshotAsGet() {
  const u = c!.conn.usage;
  const fromGet = new Map(c!.conn.store.list('PersistentVolumeClaim').flatMap((p) => {
    const s = u.get(p.namespace, p.name).sample;
    return s ? [[`${p.namespace}/${p.name}`, s] as const] : [];
  }));
  expect(new Map(u.snapshot())).toEqual(fromGet);
}

/**
 * The same numbers (what the verdicts read). An answer with the same numbers is not a change, so
 * the snapshot keeps the sample it chose: for a claim used from two nodes, get() names the node that
 * answered last and its time, the snapshot the one chosen at the last change.
 */
function expectSnapshotSameNumbers() {
  const u = c!.conn.usage;
  const timeless = (m: ReadonlyMap<string, object>) => new Map([...m].map(([k, s]) => [k, { ...s, time: 0, node: '' }]));
  const fromGet = new Map(c!.conn.store.list('PersistentVolumeClaim').flatMap((p) => {
    const s = u.get(p.namespace, p.name).sample;
    return s ? [[`${p.namespace}/${p.name}`, s] as const] : [];
  }));
  expect(timeless(u.snapshot())).toEqual(timeless(fromGet));
}

describe('usage poller', () => {
  it('reads bytes and inodes per PVC, and says why the others have none', async () => {
    c = await startCluster((b) =>
      b
        .node('n1')
        .node('n2')
        .volume('shop', 'data')
        .volume('shop', 'nostats', { driver: 'nfs.csi.k8s.io' })
        .volume('shop', 'host', { driver: null })
        .volume('shop', 'idle')
        .volume('shop', 'waiting')
        .pod('shop', 'app', 'n1', ['data', 'nostats', 'host'])
        .pod('shop', 'starting', 'n2', ['waiting'], 'Pending'),
    );
    c.sim.stats.driversWithoutStats.add('nfs.csi.k8s.io');
    c.sim.stats.usage.set('shop/data', { usedBytes: 3 * GiB, capacityBytes: 10 * GiB, inodes: 1000, inodesUsed: 10 });
    const u = c.conn.usage;
    expect(reasonOf('shop', 'data')).toBe(USAGE_REASONS.pending);
    expect(u.get('shop', 'data').reason?.code).toBe('pending');

    await c.conn.pollUsageOnce(5000);
    const data = u.get('shop', 'data');
    expect(data.reason).toBeUndefined();
    expect(data.sample).toMatchObject({ usedBytes: 3 * GiB, capacityBytes: 10 * GiB, availableBytes: 7 * GiB, inodes: 1000, inodesUsed: 10, inodesFree: 990, node: 'n1' });
    expect(Math.abs(data.sample!.time - Date.now())).toBeLessThan(5000);
    expect(reasonOf('shop', 'nostats')).toBe("the node's kubelet did not report this volume (driver without volume stats)");
    expect(u.get('shop', 'nostats').reason!.detail).toMatch(/kubelet on n1 answered .* without it: the CSI driver nfs\.csi\.k8s\.io does not answer NodeGetVolumeStats/);
    expect(u.get('shop', 'host').reason!.detail).toMatch(/hostPath volumes have no volume stats/);
    expect(reasonOf('shop', 'idle')).toBe('not mounted by any running pod');
    expect(u.get('shop', 'idle').reason!.detail).toMatch(/no pod uses it/);
    expect(reasonOf('shop', 'waiting')).toBe('not mounted by any running pod');
    expectSnapshotAsGet();
    expect(u.get('shop', 'waiting').reason!.detail).toMatch(/pod starting is Pending/);
    // Only the node with a running PVC pod was asked.
    expect([...summaryCalls(c.sim).keys()]).toEqual(['n1']);
    expect(u.snapshot().get('shop/data')?.usedBytes).toBe(3 * GiB);
    expect([...u.snapshot().keys()]).toEqual(['shop/data']);
    expect(u.state().status).toBe('ok');
  });

  it('tells unreachable and timed-out nodes apart, and a slow node does not hold up its neighbours', async () => {
    c = await startCluster(
      (b) => {
        // Names sort the bad nodes first: they are asked first and hold two of the three slots.
        for (const n of ['0-dead', '0-hung', '0-slow', 'a', 'b', 'c', 'd']) b.node(n).volume('ns', `pvc-${n}`).pod('ns', `pod-${n}`, n, [`pvc-${n}`]);
      },
      { timeoutMs: 1500, concurrency: 3 },
    );
    c.sim.stats.nodeBehaviour.set('0-dead', 'unreachable');
    c.sim.stats.nodeBehaviour.set('0-hung', 'timeout');
    c.sim.stats.nodeBehaviour.set('0-slow', 'slow');
    c.sim.stats.slowMs = 1000;
    const started = Date.now();
    c.conn.startUsage();
    // With 3 requests at once, one stuck on 0-hung and one on 0-slow, the healthy nodes still arrive through the third slot well before either ends.
    await until(() => ['a', 'b', 'c', 'd'].every((n) => c!.conn.usage.get('ns', `pvc-${n}`).sample), 'neighbours', 900);
    expect(Date.now() - started).toBeLessThan(900);
    expect(summaryCalls(c.sim).get('0-slow')).toBe(1); // asked before the neighbours, still answering
    expect(c.conn.usage.get('ns', 'pvc-0-slow').reason?.code).toBe('pending');
    await until(() => !!c!.conn.usage.get('ns', 'pvc-0-slow').sample, 'slow node', 3000);
    await until(() => c!.conn.usage.get('ns', 'pvc-0-hung').reason?.code === 'timeout', 'hung node times out', 3000);
    expect(reasonOf('ns', 'pvc-0-hung')).toBe('timed out');
    expect(c.conn.usage.get('ns', 'pvc-0-hung').reason!.detail).toBe('node 0-hung: no answer within 1.5 s');
    expect(reasonOf('ns', 'pvc-0-dead')).toBe('node unreachable');
    expect(c.conn.usage.get('ns', 'pvc-0-dead').reason!.detail).toMatch(/^node 0-dead: error trying to reach service: dial tcp .*connection refused/);
    expectSnapshotAsGet();
  });

  it('headless round: a node past the deadline counts as timed out', async () => {
    c = await startCluster((b) => b.node('n1').node('hung').volume('ns', 'ok').volume('ns', 'stuck').pod('ns', 'p1', 'n1', ['ok']).pod('ns', 'p2', 'hung', ['stuck']), { timeoutMs: 5000 });
    c.sim.stats.nodeBehaviour.set('hung', 'timeout');
    const t0 = Date.now();
    await c.conn.pollUsageOnce(600);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(c.conn.usage.get('ns', 'ok').sample).toBeDefined();
    expect(reasonOf('ns', 'stuck')).toBe('timed out');
  });

  it('turns itself off when nodes/proxy is forbidden: one state, one message, no retry storm', async () => {
    c = await startCluster((b) => {
      for (const n of ['n1', 'n2', 'n3', 'n4']) b.node(n).volume('ns', `c-${n}`).pod('ns', `p-${n}`, n, [`c-${n}`]);
      b.volume('ns', 'unused');
    }, { intervalMs: 50, concurrency: 1 });
    c.sim.rbac.deny({ verb: 'get', resource: 'nodes/proxy' });
    const states: string[] = [];
    c.conn.usage.subscribe(() => {
      const s = c!.conn.usage.state();
      if (states.at(-1) !== s.status) states.push(s.status);
    });
    c.conn.startUsage();
    await until(() => c!.conn.usage.state().status === 'forbidden', 'forbidden');
    await new Promise((r) => setTimeout(r, 600)); // ~12 intervals
    const calls = [...summaryCalls(c.sim).values()].reduce((a, b) => a + b, 0);
    expect(calls).toBe(1);
    const st = c.conn.usage.state();
    expect(st.message).toMatch(/^GET on nodes\/proxy \(the kubelet stats\/summary\) is forbidden: .*cannot get resource "nodes\/proxy".*retrying every 10 min/);
    expect(states.at(-1)).toBe('forbidden');
    expect(states.filter((s) => s === 'forbidden')).toHaveLength(1);
    expectSnapshotAsGet();
    expect(reasonOf('ns', 'c-n3')).toBe('forbidden (nodes/proxy)');
    expect(reasonOf('ns', 'unused')).toBe('not mounted by any running pod');
  });

  it('comes back after a rare probe once nodes/proxy is allowed again', async () => {
    c = await startCluster((b) => b.node('n1').volume('ns', 'd').pod('ns', 'p', 'n1', ['d']), { intervalMs: 50, forbiddenRetryMs: 300 });
    c.sim.rbac.deny({ verb: 'get', resource: 'nodes/proxy' });
    c.conn.startUsage();
    await until(() => c!.conn.usage.state().status === 'forbidden', 'forbidden');
    c.sim.rbac.reset();
    await until(() => !!c!.conn.usage.get('ns', 'd').sample, 'numbers after the probe', 2000);
    expect(c.conn.usage.state().status).toBe('ok');
  });

  it('polls nodes whose PVCs are on screen more often than the rest', async () => {
    c = await startCluster((b) => b.node('seen').node('hidden').volume('ns', 'a').volume('ns', 'b').pod('ns', 'pa', 'seen', ['a']).pod('ns', 'pb', 'hidden', ['b']), { intervalMs: 100, backgroundFactor: 5 });
    c.conn.usage.focus(['ns/a']);
    c.conn.startUsage();
    await new Promise((r) => setTimeout(r, 1100));
    const calls = summaryCalls(c.sim);
    expect(calls.get('seen')!).toBeGreaterThanOrEqual(6);
    expect(calls.get('hidden')!).toBeLessThanOrEqual(3);
    expect(calls.get('hidden')!).toBeGreaterThanOrEqual(1);
  });

  it('paces re-polls of nodes off screen (not first polls, not nodes on screen)', async () => {
    const hidden = ['h1', 'h2', 'h3', 'h4'];
    c = await startCluster((b) => {
      b.node('seen').volume('ns', 'a').pod('ns', 'pa', 'seen', ['a']);
      for (const h of hidden) b.node(h).volume('ns', `v-${h}`).pod('ns', `p-${h}`, h, [`v-${h}`]);
      return b;
    }, { intervalMs: 100, backgroundFactor: 1, backgroundGapMs: 200 });
    c.conn.usage.focus(['ns/a']);
    c.conn.startUsage();
    await new Promise((r) => setTimeout(r, 2000));
    const polls = c.sim.requests.filter((r) => /\/proxy\/stats\/summary/.test(r.path)).map((r) => ({ node: /nodes\/([^/]+)\//.exec(r.path)![1], time: r.time }));
    const first = new Map<string, number>();
    for (const p of polls) if (!first.has(p.node)) first.set(p.node, p.time);
    const start = Math.min(...first.values());
    // Every node's first poll at once (paced, the fourth would come 600 ms after the first).
    for (const h of hidden) expect(first.get(h)! - start).toBeLessThan(400);
    // Re-polls of the hidden nodes one per 200 ms at most, all of them taken together.
    const again = polls.filter((p) => hidden.includes(p.node) && p.time > first.get(p.node)!).map((p) => p.time);
    expect(again.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < again.length; i++) expect(again[i] - again[i - 1]).toBeGreaterThanOrEqual(190);
    // The node on screen keeps its interval.
    expect(polls.filter((p) => p.node === 'seen').length).toBeGreaterThan(again.length);
  });

  it('notifies once per change, coalesced, and not when the numbers stay the same', async () => {
    c = await startCluster((b) => b.node('n1').volume('ns', 'a').pod('ns', 'p', 'n1', ['a']), { intervalMs: 60 });
    let notes = 0;
    c.conn.usage.subscribe(() => notes++);
    c.conn.startUsage();
    await until(() => !!c!.conn.usage.get('ns', 'a').sample, 'first numbers');
    const v = c.conn.usage.version();
    const before = summaryCalls(c.sim).get('n1')!;
    await until(() => summaryCalls(c!.sim).get('n1')! >= before + 3, 'more polls');
    expect(c.conn.usage.version()).toBe(v);
    c.sim.stats.usage.set('ns/a', { usedBytes: 9.5 * GiB, capacityBytes: 10 * GiB });
    await until(() => c!.conn.usage.get('ns', 'a').sample?.usedBytes === 9.5 * GiB, 'new numbers');
    expect(c.conn.usage.version()).toBeGreaterThan(v);
    expect(notes).toBeLessThanOrEqual(4);
  });

  it('keeps what the verdicts read as get() gives it while nodes answer one by one, fail and go stale', async () => {
    c = await startCluster(
      (b) => {
        for (const n of ['n1', 'n2', 'n3']) b.node(n).volume('ns', `v-${n}`).pod('ns', `p-${n}`, n, [`v-${n}`]);
        // A claim used from two nodes: the newest of their samples.
        b.volume('ns', 'shared').pod('ns', 'ra', 'n1', ['shared']).pod('ns', 'rb', 'n2', ['shared']);
      },
      { intervalMs: 60, staleMs: 400 },
    );
    for (const n of ['n1', 'n2', 'n3']) c.sim.stats.usage.set(`ns/v-${n}`, { usedBytes: 1 * GiB, capacityBytes: 10 * GiB });
    c.sim.stats.usage.set('ns/shared', { usedBytes: 2 * GiB, capacityBytes: 10 * GiB });
    const u = c.conn.usage;
    c.conn.startUsage();
    await until(() => ['n1', 'n2', 'n3'].every((n) => !!u.get('ns', `v-${n}`).sample) && !!u.get('ns', 'shared').sample, 'first numbers');
    expectSnapshotSameNumbers();
    // Nothing changed: the verdicts get the same map (and are not judged again).
    const same = u.snapshot();
    const calls = summaryCalls(c.sim).get('n1')!;
    await until(() => summaryCalls(c!.sim).get('n1')! >= calls + 2, 'more polls');
    expect(u.snapshot()).toBe(same);
    // One node's numbers change.
    c.sim.stats.usage.set('ns/v-n2', { usedBytes: 9.5 * GiB, capacityBytes: 10 * GiB });
    await until(() => u.get('ns', 'v-n2').sample?.usedBytes === 9.5 * GiB, 'new numbers');
    expectSnapshotSameNumbers();
    expect(u.snapshot().get('ns/v-n2')?.usedBytes).toBe(9.5 * GiB);
    // A node goes down: its numbers stay until stale, then its claim has none.
    c.sim.stats.nodeBehaviour.set('n3', 'unreachable');
    await until(() => !!u.get('ns', 'v-n3').note, 'n3 failing');
    expectSnapshotSameNumbers();
    expect(u.snapshot().has('ns/v-n3')).toBe(true);
    await until(() => !u.get('ns', 'v-n3').sample, 'n3 stale');
    // A later change elsewhere looks at the stale node again.
    c.sim.stats.usage.set('ns/v-n1', { usedBytes: 5 * GiB, capacityBytes: 10 * GiB });
    await until(() => u.get('ns', 'v-n1').sample?.usedBytes === 5 * GiB, 'n1 numbers');
    expectSnapshotSameNumbers();
    expect(u.snapshot().has('ns/v-n3')).toBe(false);
  });

  it('follows pod changes into what the verdicts read: a pod gone, a pod finished, a pod moved, a pod added', async () => {
    c = await startCluster(
      (b) => {
        for (const n of ['n1', 'n2', 'n3']) b.node(n);
        for (const k of ['gone', 'done', 'moved', 'stays', 'later']) b.volume('ns', k);
        b.pod('ns', 'p-gone', 'n1', ['gone']).pod('ns', 'p-done', 'n1', ['done']).pod('ns', 'p-moved', 'n1', ['moved']).pod('ns', 'p-stays', 'n2', ['stays']);
      },
      { intervalMs: 60 },
    );
    for (const k of ['gone', 'done', 'moved', 'stays', 'later']) c.sim.stats.usage.set(`ns/${k}`, { usedBytes: 1 * GiB, capacityBytes: 10 * GiB });
    const u = c.conn.usage;
    const store = c.conn.store;
    c.conn.startUsage();
    await until(() => ['gone', 'done', 'moved', 'stays'].every((k) => !!u.get('ns', k).sample), 'first numbers');
    expectSnapshotAsGet();
    const first = u.snapshot();
    expect([...first.keys()].sort()).toEqual(['ns/done', 'ns/gone', 'ns/moved', 'ns/stays']);
    c.sim.objects.delete('pods', 'ns', 'p-gone', { gracePeriodSeconds: 0 });
    const done = c.sim.objects.get('pods', 'ns', 'p-done')!;
    c.sim.objects.updateStatus({ ...done, status: { ...done.status, phase: 'Succeeded' } } as never);
    await until(() => !store.get('Pod', 'ns', 'p-gone') && store.get('Pod', 'ns', 'p-done')?.phase === 'Succeeded', 'pods changed');
    // Computed from the last snapshot and the pods that changed since: the two claims leave it.
    expect([...u.snapshot().keys()].sort()).toEqual(['ns/moved', 'ns/stays']);
    expectSnapshotAsGet();
    expect(summaryCalls(c.sim).has('n3')).toBe(false); // no running pod with a claim there yet
    // A pod recreated on the other node, and a new pod on a node polled for the first time.
    c.sim.objects.delete('pods', 'ns', 'p-moved', { gracePeriodSeconds: 0 });
    c.b.pod('ns', 'p-moved-2', 'n2', ['moved']).pod('ns', 'p-later', 'n3', ['later']);
    await until(() => u.get('ns', 'moved').sample?.node === 'n2' && u.get('ns', 'later').sample?.node === 'n3', 'numbers for the moved and new pods');
    expectSnapshotAsGet();
    expect(u.snapshot().get('ns/moved')?.node).toBe('n2');
    // n1 runs no pod with a claim any more: it is no longer polled.
    const n1 = summaryCalls(c.sim).get('n1')!;
    const n2 = summaryCalls(c.sim).get('n2')!;
    await until(() => summaryCalls(c!.sim).get('n2')! >= n2 + 3, 'more polls of n2');
    expect(summaryCalls(c.sim).get('n1')).toBeLessThanOrEqual(n1 + 1); // one may have been on its way
    expect([...u.snapshot().keys()].sort()).toEqual(['ns/later', 'ns/moved', 'ns/stays']);
  });

  it('stops without leaving a timer or a request, even with a request hanging', async () => {
    c = await startCluster((b) => b.node('hung').node('n1').volume('ns', 'a').volume('ns', 'b').pod('ns', 'p', 'hung', ['a']).pod('ns', 'q', 'n1', ['b']), { intervalMs: 50, timeoutMs: 60_000 });
    c.sim.stats.nodeBehaviour.set('hung', 'timeout');
    c.conn.startUsage();
    await until(() => !!c!.conn.usage.get('ns', 'b').sample, 'numbers');
    expect(c.conn.usage.activity()).toMatchObject({ requests: 1 }); // the hung one, with its timeout
    expect(c.conn.usage.activity().timers).toBeGreaterThanOrEqual(2); // and the next pass
    const hanging = () => (process as unknown as { _getActiveHandles(): { remotePort?: number; destroyed?: boolean }[] })._getActiveHandles().filter((h) => h.remotePort === Number(new URL(c!.sim.httpsUrl!).port) && !h.destroyed).length;
    const socketsBefore = hanging();
    const base = timers();
    await c.conn.usage.stop();
    expect(c.conn.usage.activity()).toEqual({ timers: 0, requests: 0 });
    expect(timers()).toBeLessThanOrEqual(base);
    // The hung request's socket is gone (the reflectors' watches keep theirs).
    await until(() => hanging() < socketsBefore, 'hung request closed', 2000);
  });

  it('waits for the first lists before polling kubelets, then polls at once', async () => {
    c = await startCluster((b) => b.node('n1').volume('ns', 'data').pod('ns', 'app', 'n1', ['data']));
    const u = c.conn.usage;
    await u.stop();
    // As while csi-top starts: events still in their first list.
    c.conn.store.setStatus('Event', { state: 'syncing' });
    c.conn.store.flush();
    c.sim.clearRequests();
    c.conn.startUsage();
    await new Promise((r) => setTimeout(r, 300));
    expect(summaryCalls(c.sim).size).toBe(0);
    c.conn.store.setStatus('Event', { state: 'synced' });
    c.conn.store.flush();
    await until(() => !!u.get('ns', 'data').sample, 'numbers once synced', 2000);
    expect([...summaryCalls(c.sim).keys()]).toEqual(['n1']);
  });

  it('starts over on a namespace switch: numbers of the old scope are gone, polling goes on', async () => {
    c = await startCluster((b) => b.node('n1').node('n2').volume('a', 'x').volume('b', 'y').pod('a', 'p', 'n1', ['x']).pod('b', 'q', 'n2', ['y']), { intervalMs: 100 });
    c.conn.startUsage();
    await until(() => !!c!.conn.usage.get('a', 'x').sample && !!c!.conn.usage.get('b', 'y').sample, 'numbers');
    await c.conn.switchNamespace('b');
    expect(c.conn.usage.snapshot().size).toBe(0);
    await until(() => !!c!.conn.usage.get('b', 'y').sample, 'numbers in b');
    c.sim.clearRequests();
    await new Promise((r) => setTimeout(r, 300));
    expect([...summaryCalls(c.sim).keys()]).toEqual(['n2']);
  });
});
