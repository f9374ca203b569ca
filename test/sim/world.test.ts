// The live world's controllers, on the in-memory API (fast ticks): pods start, DaemonSet and
// mount pods come back, the resize flow runs like external-resizer + kubelet, scale generates.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryApi, startWorldOn, hostileLogLine, logFlood, type World } from '../../src/sim/world';
import type { KObj } from '../../src/sim/scenarios/kube';

const TICK = 15;
let world: World | undefined;
afterEach(() => world?.stop());

async function waitFor<T>(what: string, fn: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function start(scenarios: string[] | 'all', extra: { scale?: number } = {}) {
  const api = memoryApi();
  world = await startWorldOn(api, { scenarios, tickMs: TICK, ...extra });
  return api;
}

const pods = (api: ReturnType<typeof memoryApi>, prefix: string, node?: string) =>
  api.list('Pod').filter((p) => p.metadata.name.startsWith(prefix) && (!node || p.spec.nodeName === node));

describe('world controllers', () => {
  it('schedules a new pod and takes it through ContainerCreating to Running', async () => {
    const api = await start(['healthy']);
    const seen: string[] = [];
    api.watch(['Pod'], (_t, p) => p.metadata.name === 'hello' && seen.push(`${p.spec.nodeName ?? '-'}:${p.status?.phase ?? '-'}:${p.status?.containerStatuses?.[0]?.state ? Object.keys(p.status.containerStatuses[0].state)[0] : '-'}`));
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    const p = await waitFor('Running', () => (api.get('Pod', 'default', 'hello')?.status?.phase === 'Running' ? api.get('Pod', 'default', 'hello') : undefined));
    expect(['n1', 'n2', 'n3']).toContain(p.spec.nodeName);
    expect(p.status.conditions.find((c: KObj) => c.type === 'Ready').status).toBe('True');
    expect(p.status.containerStatuses[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect(seen.some((s) => s.endsWith(':Pending:waiting'))).toBe(true);
    expect(api.list('Event').some((e) => e.involvedObject.name === 'hello' && e.reason === 'Scheduled')).toBe(true);
  });

  it('recreates a deleted DaemonSet pod on the same node and re-registers its driver', async () => {
    const api = await start(['healthy']);
    const [old] = pods(api, 'csi-rbdplugin-', 'n1').filter((p) => !p.metadata.name.includes('provisioner'));
    api.remove('Pod', old.metadata.namespace, old.metadata.name);
    const fresh = await waitFor('a new csi-rbdplugin pod on n1', () => pods(api, 'csi-rbdplugin-', 'n1').find((p) => !p.metadata.name.includes('provisioner') && p.metadata.uid !== old.metadata.uid && p.status?.phase === 'Running'));
    expect(fresh.metadata.ownerReferences![0]).toMatchObject({ kind: 'DaemonSet', name: 'csi-rbdplugin' });
    await waitFor('old pod gone', () => !api.get('Pod', old.metadata.namespace, old.metadata.name));
    await waitFor('CSINode n1 lists rbd', () => api.get('CSINode', undefined, 'n1')!.spec.drivers.some((d: KObj) => d.name === 'rbd.csi.ceph.com'));
  });

  it('recreates a deleted mount pod with a newer creationTimestamp and the same references', async () => {
    const api = await start(['juicefs']);
    const [old] = pods(api, 'juicefs-n1-');
    const refs = (p: KObj) => Object.keys(p.metadata.annotations ?? {}).filter((k) => /^juicefs-[0-9a-f]{55}$/.test(k)).sort();
    api.remove('Pod', 'kube-system', old.metadata.name);
    const fresh = await waitFor('a new mount pod on n1', () => pods(api, 'juicefs-n1-').find((p) => p.metadata.uid !== old.metadata.uid && p.status?.phase === 'Running'));
    expect(fresh.metadata.name).toMatch(/^juicefs-n1-pvc-[0-9a-f-]{36}-[a-z]{6}$/);
    expect(fresh.metadata.name).not.toBe(old.metadata.name);
    expect(Date.parse(fresh.metadata.creationTimestamp!)).toBeGreaterThan(Date.parse(old.metadata.creationTimestamp!));
    expect(refs(fresh)).toEqual(refs(old));
    expect(api.get('Pod', 'kube-system', old.metadata.name)).toBeUndefined();
  });

  it('adds a reference for a new app pod and drops the mount pod with its last reference', async () => {
    const api = await start(['healthy']);
    const app = pods(api, 'docs-')[0];
    const [mp] = pods(api, 'juicefs-n3-');
    api.remove('Pod', app.metadata.namespace, app.metadata.name);
    // The Deployment replaces the pod; the node plugin moves the reference to the new one.
    const next = await waitFor('replacement app pod running', () => pods(api, 'docs-').find((p) => p.metadata.uid !== app.metadata.uid && p.status?.phase === 'Running'));
    const mount = await waitFor('mount pod referencing it', () => api.list('Pod').find((p) => p.metadata.labels?.['volume-id'] === mp.metadata.labels!['volume-id'] && p.spec.nodeName === next.spec.nodeName && Object.values(p.metadata.annotations ?? {}).some((v) => String(v).includes(next.metadata.uid!))));
    expect(next.metadata.labels!['juicefs-uniqueid']).toBe('');
    await waitFor('old reference dropped', () => !Object.values(api.get('Pod', 'kube-system', mount.metadata.name)?.metadata.annotations ?? {}).some((v) => String(v).includes(app.metadata.uid!)));
  });

  it('keeps scenario pods stuck for the reasons their scenario gives', async () => {
    const api = await start('all');
    await new Promise((r) => setTimeout(r, TICK * 20));
    for (const [ns, prefix] of [['ml', 'trainer-'], ['db', 'postgres-1'], ['db', 'redis-'], ['render', 'renderer-']]) {
      const p = api.list('Pod').find((x) => x.metadata.namespace === ns && x.metadata.name.startsWith(prefix))!;
      expect(p.status.containerStatuses[0].state.waiting?.reason, `${ns}/${p.metadata.name}`).toBe('ContainerCreating');
    }
    const crash = api.list('Pod').find((p) => p.metadata.name.startsWith('juicefs-n3-pvc-') && p.status.containerStatuses[0].state.waiting)!;
    expect(crash.status.containerStatuses[0].restartCount).toBeGreaterThan(7);
    const renderer = api.list('Pod').find((x) => x.metadata.name.startsWith('renderer-'))!;
    const failed = api.list('Event').find((e) => e.involvedObject.uid === renderer.metadata.uid && e.reason === 'FailedMount' && e.message.includes('not found in the list of registered CSI drivers'))!;
    expect(failed.count).toBeGreaterThan(19);
    expect(Date.parse(failed.lastTimestamp)).toBeGreaterThan(Date.parse(failed.firstTimestamp));
    expect(world!.errors).toEqual([]);
  });

  it('runs the resize flow: Resizing, PV grown, FileSystemResizePending, then done once a pod uses it', async () => {
    const api = await start(['resize-pending']);
    // The scenario's claim waits for a pod; a fresh resize of another claim goes the whole way.
    const sts = api.get('StatefulSet', 'shop', 'orders-db')!;
    api.update({ ...sts, spec: { ...sts.spec, replicas: 1 } });
    const done = await waitFor('resize finished', () => {
      const c = api.get('PersistentVolumeClaim', 'shop', 'data-orders-db-0')!;
      return c.status.capacity.storage === '40Gi' && c;
    });
    expect(done.status.conditions ?? []).toEqual([]);
    expect(done.status.allocatedResourceStatuses).toBeUndefined();
    const reasons = (name: string) => api.list('Event').filter((e) => e.involvedObject.name === name).map((e) => e.reason);
    expect(reasons('data-orders-db-0')).toContain('FileSystemResizeSuccessful');

    const cur = api.get('PersistentVolumeClaim', 'shop', 'data-orders-db-0')!;
    const pod = api.get('Pod', 'shop', 'orders-db-0')!;
    api.remove('Pod', 'shop', pod.metadata.name, 0);
    const s2 = api.get('StatefulSet', 'shop', 'orders-db')!;
    api.update({ ...s2, spec: { ...s2.spec, replicas: 0 } });
    await waitFor('pod gone', () => !api.get('Pod', 'shop', 'orders-db-0'));
    api.update({ ...cur, spec: { ...cur.spec, resources: { requests: { storage: '60Gi' } } } });
    const pending = await waitFor('FileSystemResizePending', () => {
      const c = api.get('PersistentVolumeClaim', 'shop', 'data-orders-db-0')!;
      return c.status.conditions?.some((x: KObj) => x.type === 'FileSystemResizePending') && c;
    });
    expect(pending.status.allocatedResourceStatuses).toEqual({ storage: 'NodeResizePending' });
    expect(pending.status.capacity.storage).toBe('40Gi');
    expect(api.get('PersistentVolume', undefined, pending.spec.volumeName)!.spec.capacity.storage).toBe('60Gi');
    expect(reasons('data-orders-db-0')).toEqual(expect.arrayContaining(['ExternalExpanding', 'Resizing', 'FileSystemResizeRequired']));
    await new Promise((r) => setTimeout(r, TICK * 5));
    expect(api.get('PersistentVolumeClaim', 'shop', 'data-orders-db-0')!.status.capacity.storage).toBe('40Gi');
    const s3 = api.get('StatefulSet', 'shop', 'orders-db')!;
    api.update({ ...s3, spec: { ...s3.spec, replicas: 1 } });
    await waitFor('second resize finished', () => api.get('PersistentVolumeClaim', 'shop', 'data-orders-db-0')!.status.capacity.storage === '60Gi');
  });

  it('reports a failing expansion as VolumeResizeFailed with ControllerResizeError', async () => {
    const api = await start(['healthy']);
    world!.faults.expand.push({ driver: 'rbd.csi.ceph.com', message: 'rpc error: code = Internal desc = rbd: resize failed: (28) No space left on device' });
    const pvc = api.get('PersistentVolumeClaim', 'wiki', 'data-mariadb-0')!;
    api.update({ ...pvc, spec: { ...pvc.spec, resources: { requests: { storage: '25Gi' } } } });
    const failed = await waitFor('ControllerResizeError', () => {
      const c = api.get('PersistentVolumeClaim', 'wiki', 'data-mariadb-0')!;
      return c.status.conditions?.find((x: KObj) => x.type === 'ControllerResizeError') && c;
    });
    expect(failed.status.allocatedResourceStatuses).toEqual({ storage: 'ControllerResizeInfeasible' });
    expect(failed.status.capacity.storage).toBe('20Gi');
    const ev = api.list('Event').find((e) => e.involvedObject.name === 'data-mariadb-0' && e.reason === 'VolumeResizeFailed')!;
    expect(ev.message).toMatch(/^resize volume "pvc-[0-9a-f-]+" by resizer "rbd.csi.ceph.com" failed: rpc error/);
    expect(ev.source.component).toBe('external-resizer rbd.csi.ceph.com');
  });

  it('bumps a repeated event instead of creating another', async () => {
    const api = await start(['nfs']);
    const renderer = api.list('Pod').find((x) => x.metadata.name.startsWith('renderer-'))!;
    const count = () => api.list('Event').filter((e) => e.involvedObject.uid === renderer.metadata.uid && e.message.includes('not found in the list')).map((e) => e.count);
    const before = count();
    expect(before).toHaveLength(1);
    await waitFor('count bumped', () => count()[0] > before[0]);
    expect(count()).toHaveLength(1);
  });

  it('moves usage numbers and writes logs', async () => {
    const api = await start(['healthy']);
    const first = api.usage.get('wiki/uploads')!.usedBytes;
    await waitFor('usage moved', () => api.usage.get('wiki/uploads')!.usedBytes !== first);
    await waitFor('node plugin logs', () => [...api.logs.keys()].some((k) => k.includes('csi-rbdplugin-') && k.endsWith('/csi-rbdplugin')));
    const stop = logFlood(api, { namespace: 'default', pod: 'flood', container: 'c' }, 2000);
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(api.logs.get('default/flood/c')!.length).toBeGreaterThan(200);
    const hostile = hostileLogLine(200);
    expect(hostile).toHaveLength(200);
    expect(hostile).toMatch(/\x1b\]52;/);
  });
});

describe('log options', () => {
  it('adds a hostile line to seeded logs and floods on demand', async () => {
    const api = memoryApi();
    world = await startWorldOn(api, { scenarios: ['juicefs'], tickMs: TICK, hostileLogs: true });
    const mp = api.list('Pod').find((p) => p.metadata.name.startsWith('juicefs-n1-'))!;
    const lines = api.logs.get(`kube-system/${mp.metadata.name}/jfs-mount`)!.map((l) => l.line);
    expect(lines.some((l) => l.includes('\x1b]52;'))).toBe(true);
    const stop = world.flood({ namespace: 'kube-system', pod: mp.metadata.name, container: 'jfs-mount' }, 1000);
    await new Promise((r) => setTimeout(r, 200));
    stop();
    expect(api.logs.get(`kube-system/${mp.metadata.name}/jfs-mount`)!.length).toBeGreaterThan(lines.length + 100);
  });
});

describe('scale', () => {
  it('generates 10k app pods with claims, volumes and mount pods quickly', async () => {
    const t = Date.now();
    const api = memoryApi();
    world = await startWorldOn(api, { scenarios: [], scale: 10_000, live: false });
    expect(world.scale!.pods).toBe(10_000);
    expect(Date.now() - t).toBeLessThan(15_000);
    const appPods = api.list('Pod').filter((p) => p.metadata.namespace!.startsWith('team-'));
    expect(appPods).toHaveLength(10_000);
    expect(world.scale!.nodes).toBe(334);
    const claims = new Set(api.list('PersistentVolumeClaim').map((c) => `${c.metadata.namespace}/${c.metadata.name}`));
    for (const p of appPods.slice(0, 500)) for (const v of p.spec.volumes) if (v.persistentVolumeClaim) expect(claims.has(`${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`)).toBe(true);
    expect(api.list('Pod').some((p) => p.metadata.name.startsWith('juicefs-scale-'))).toBe(true);
    expect(api.list('Event').length).toBeGreaterThan(5000);
  });
});
