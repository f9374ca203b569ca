// The demo world inside the real simulator, driven and read over plain HTTP the way any client
// would: scenario objects list (with paging) and hang together, and the controllers react to
// POST/DELETE/PATCH like a cluster does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { startWorld, type World } from '../../src/sim/world';

const AUTH = { authorization: 'Bearer admin-token' };
let sim: Simulator;
let world: World;

async function call(method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sim.url}${path}`, { method, headers: { ...AUTH, ...(body ? { 'content-type': type } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, json: await res.json() };
}

/** Lists every item of a collection page by page (limit/continue). */
async function listAll(path: string, limit = 50): Promise<any[]> {
  const out: any[] = [];
  let cont = '';
  do {
    const { status, json } = await call('GET', `${path}?limit=${limit}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    expect(status).toBe(200);
    out.push(...json.items);
    cont = json.metadata.continue ?? '';
  } while (cont);
  return out;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const get = async (path: string) => {
  const r = await call('GET', path);
  return r.status === 200 ? r.json : undefined;
};

beforeAll(async () => {
  sim = await startSimulator({ tls: false, podDeletionDelayMs: 30 });
  world = await startWorld(sim, { scenarios: 'all', tickMs: 20 });
});

afterAll(async () => {
  world?.stop();
  await sim?.close();
});

describe('scenario objects over HTTP', () => {
  it('lists every kind with paging, consistently', async () => {
    const pods = await listAll('/api/v1/pods', 7);
    const pvcs = await listAll('/api/v1/persistentvolumeclaims');
    const pvs = await listAll('/api/v1/persistentvolumes');
    expect(pods.length).toBeGreaterThan(30);
    expect(new Set(pods.map((p) => p.metadata.uid)).size).toBe(pods.length);
    const pvNames = new Set(pvs.map((p) => p.metadata.name));
    for (const c of pvcs.filter((c) => c.status.phase === 'Bound')) {
      expect(pvNames.has(c.spec.volumeName), c.metadata.name).toBe(true);
      expect(pvs.find((p) => p.metadata.name === c.spec.volumeName).spec.claimRef.uid).toBe(c.metadata.uid);
    }
    const uids = new Set(pods.map((p) => p.metadata.uid));
    for (const mp of pods.filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'juicefs-mount')) {
      for (const [k, v] of Object.entries<string>(mp.metadata.annotations)) {
        if (/^juicefs-[0-9a-f]{55}$/.test(k)) expect(uids.has(/\/pods\/([^/]+)\//.exec(v)![1]), `${mp.metadata.name} ${v}`).toBe(true);
      }
    }
    const owners = new Set<string>();
    for (const path of ['/apis/apps/v1/daemonsets', '/apis/apps/v1/replicasets', '/apis/apps/v1/statefulsets']) for (const w of await listAll(path)) owners.add(w.metadata.uid);
    for (const p of pods) for (const r of p.metadata.ownerReferences ?? []) expect(owners.has(r.uid), `${p.metadata.name} owner ${r.kind}/${r.name}`).toBe(true);
    const csiNodes = await listAll('/apis/storage.k8s.io/v1/csinodes');
    expect(csiNodes.map((n) => n.metadata.name).sort()).toEqual((await listAll('/api/v1/nodes')).map((n) => n.metadata.name).sort());
    const events = await listAll('/api/v1/events', 100);
    expect(events.some((e) => e.reason === 'FailedMount' && e.count > 1)).toBe(true);
  });

  it('serves the scenario logs, previous instance included', async () => {
    const pods = await listAll('/api/v1/namespaces/kube-system/pods');
    const crash = pods.find((p) => p.metadata.name.startsWith('juicefs-n3-pvc-') && p.status.containerStatuses[0].state.waiting);
    const res = await fetch(`${sim.url}/api/v1/namespaces/kube-system/pods/${crash.metadata.name}/log?container=jfs-mount&previous=true`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<FATAL>: Meta redis:\/\/.* is not available: dial tcp [\d.:]+: i\/o timeout/);
  });
});

describe('controllers over HTTP', () => {
  it('takes a POSTed pod to Running', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    expect(r.status).toBe(201);
    const p = await waitFor('probe Running', async () => {
      const cur = await get('/api/v1/namespaces/default/pods/probe');
      return cur?.status?.phase === 'Running' && cur;
    });
    expect(p.spec.nodeName).toMatch(/^n[123]$/);
    expect(p.status.containerStatuses[0].ready).toBe(true);
  });

  it('recreates a DELETEd DaemonSet pod', async () => {
    const pods = await listAll('/api/v1/namespaces/kube-system/pods');
    const old = pods.find((p) => p.metadata.name.startsWith('juicefs-csi-node-') && p.spec.nodeName === 'n2');
    expect((await call('DELETE', `/api/v1/namespaces/kube-system/pods/${old.metadata.name}`)).status).toBe(200);
    const fresh = await waitFor('replacement node plugin', async () => {
      const list = await listAll('/api/v1/namespaces/kube-system/pods');
      return list.find((p) => p.metadata.name.startsWith('juicefs-csi-node-') && p.spec.nodeName === 'n2' && p.metadata.uid !== old.metadata.uid && p.status?.phase === 'Running');
    });
    expect(fresh.metadata.ownerReferences[0].name).toBe('juicefs-csi-node');
  });

  it('recreates a DELETEd mount pod, newer, with the same references', async () => {
    const pods = await listAll('/api/v1/namespaces/kube-system/pods');
    const old = pods.find((p) => p.metadata.name.startsWith('juicefs-n1-'));
    expect((await call('DELETE', `/api/v1/namespaces/kube-system/pods/${old.metadata.name}`)).status).toBe(200);
    const fresh = await waitFor('new mount pod on n1', async () => {
      const list = await listAll('/api/v1/namespaces/kube-system/pods');
      return list.find((p) => p.metadata.name.startsWith('juicefs-n1-') && p.metadata.uid !== old.metadata.uid && p.status?.phase === 'Running');
    });
    expect(Date.parse(fresh.metadata.creationTimestamp)).toBeGreaterThan(Date.parse(old.metadata.creationTimestamp));
    const refs = (p: any) => Object.keys(p.metadata.annotations).filter((k) => /^juicefs-[0-9a-f]{55}$/.test(k)).sort();
    expect(refs(fresh)).toEqual(refs(old));
    expect(await get(`/api/v1/namespaces/kube-system/pods/${old.metadata.name}`)).toBeUndefined();
  });

  it('PATCHed size goes to FileSystemResizePending, then completes when a pod uses the claim', async () => {
    const path = '/api/v1/namespaces/wiki/persistentvolumeclaims/data-mariadb-0';
    // Stop the only user first: the node-side resize then has to wait for a pod.
    await call('PATCH', '/apis/apps/v1/namespaces/wiki/statefulsets/mariadb', { spec: { replicas: 0 } }, 'application/merge-patch+json');
    await call('DELETE', '/api/v1/namespaces/wiki/pods/mariadb-0');
    await waitFor('mariadb-0 gone', async () => !(await get('/api/v1/namespaces/wiki/pods/mariadb-0')));
    const r = await call('PATCH', path, { spec: { resources: { requests: { storage: '32Gi' } } } }, 'application/merge-patch+json');
    expect(r.status).toBe(200);
    const pending = await waitFor('FileSystemResizePending', async () => {
      const c = await get(path);
      return c.status.conditions?.some((x: any) => x.type === 'FileSystemResizePending') && c;
    });
    expect(pending.status.capacity.storage).toBe('20Gi');
    expect((await get(`/api/v1/persistentvolumes/${pending.spec.volumeName}`)).spec.capacity.storage).toBe('32Gi');
    await call('PATCH', '/apis/apps/v1/namespaces/wiki/statefulsets/mariadb', { spec: { replicas: 1 } }, 'application/merge-patch+json');
    const done = await waitFor('capacity 32Gi', async () => {
      const c = await get(path);
      return c.status.capacity.storage === '32Gi' && c;
    });
    expect(done.status.conditions ?? []).toEqual([]);
    const events = (await listAll('/api/v1/namespaces/wiki/events')).filter((e) => e.involvedObject.name === 'data-mariadb-0').map((e) => e.reason);
    expect(events).toEqual(expect.arrayContaining(['ExternalExpanding', 'Resizing', 'FileSystemResizeRequired', 'FileSystemResizeSuccessful']));
  });

  it('has run without controller errors', () => {
    expect(world.errors).toEqual([]);
  });
});

describe('scale over HTTP', () => {
  it('loads 10k generated app pods quickly and lists them with paging', async () => {
    const s = await startSimulator({ tls: false });
    try {
      const t = Date.now();
      const w = await startWorld(s, { scenarios: [], scale: 10_000, live: false });
      expect(Date.now() - t).toBeLessThan(10_000);
      expect(w.scale!.pods).toBe(10_000);
      let n = 0;
      let pages = 0;
      let cont = '';
      do {
        const res = await fetch(`${s.url}/api/v1/pods?limit=2000${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { headers: AUTH });
        const body: any = await res.json();
        n += body.items.filter((p: any) => p.metadata.namespace.startsWith('team-')).length;
        cont = body.metadata.continue ?? '';
        pages++;
      } while (cont);
      expect(n).toBe(10_000);
      expect(pages).toBeGreaterThan(5);
    } finally {
      await s.close();
    }
  });
});
