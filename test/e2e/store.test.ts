// csi-top's store (Connection: client, one reflector per kind) against the real kube-apiserver:
// it survives apiserver restarts, and etcd compaction with a restart (the watch cache's 410) or
// without the watch cache (etcd's 410), relisting and ending with exactly the server's objects —
// no ghost, none missing, none twice, each at the server's resourceVersion.
//
// csi-top reaches the apiserver through a TCP relay the test can cut: changes are then made
// while csi-top is disconnected for sure (a plain restart is too short to make them in), and its
// resourceVersions expire before it comes back. Its own control plane (it restarts kube-apiserver
// and switches the watch cache off).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startControlPlane, waitFor, type ControlPlane, type KubeHttp } from './harness';
import { Connection } from '../../src/kube/connection';
import { KINDS, KIND_NAMES, collectionPath } from '../../src/store/kinds';
import { project } from '../../src/store/project';
import { keyOf, type KindName } from '../../src/store/records';

/** A TCP relay to the apiserver that can drop every connection and refuse new ones. */
class Relay {
  private server = net.createServer((s) => this.accept(s));
  private readonly open = new Set<net.Socket>();
  private cut = false;
  port = 0;
  constructor(private readonly target: number) {}
  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  private accept(s: net.Socket): void {
    if (this.cut) return void s.destroy();
    const up = net.connect(this.target, '127.0.0.1');
    for (const x of [s, up]) {
      this.open.add(x);
      x.on('close', () => this.open.delete(x));
      x.on('error', () => undefined);
    }
    s.pipe(up);
    up.pipe(s);
    s.on('close', () => up.destroy());
    up.on('close', () => s.destroy());
  }
  /** Drops every connection and refuses new ones until reconnect(). */
  disconnect(): void {
    this.cut = true;
    for (const x of this.open) x.destroy();
  }
  reconnect(): void {
    this.cut = false;
  }
  close(): Promise<void> {
    this.disconnect();
    return new Promise((r) => this.server.close(() => r()));
  }
}

let cp: ControlPlane;
let admin: KubeHttp;
let relay: Relay;
let conn: Connection;
let dir: string;
let ns: string;
const log: string[] = [];

/** The server's objects of a kind as csi-top keeps them: key → resourceVersion. */
async function serverState(kind: KindName): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // What csi-top asks for: node heartbeat Leases are left out by a field selector.
  const list = await admin.get<{ items: any[] }>(collectionPath(KINDS[kind]), { fieldSelector: KINDS[kind].fieldSelector });
  for (const o of list.items) {
    const rec = project(kind, o);
    if (rec) out.set(keyOf(rec.namespace, rec.name), rec.resourceVersion);
  }
  return out;
}

function storeState(kind: KindName): Map<string, string> {
  const recs = conn.store.list(kind);
  const out = new Map(recs.map((r) => [keyOf(r.namespace, r.name), r.resourceVersion]));
  // No duplicate: one record per object, one object per uid.
  expect(out.size, `${kind}: records with the same name`).toBe(recs.length);
  expect(new Set(recs.map((r) => r.uid)).size, `${kind}: records with the same uid`).toBe(recs.length);
  return out;
}

/** Waits until, for every kind, the store holds exactly the server's objects at their versions. */
async function expectStoreEqualsServer(what: string): Promise<void> {
  let last = '';
  const t0 = Date.now();
  try {
    await waitFor(
      async () => {
        for (const k of KIND_NAMES) {
          const [server, store] = [await serverState(k), storeState(k)];
          const ghosts = [...store.keys()].filter((key) => !server.has(key));
          const missing = [...server.keys()].filter((key) => !store.has(key));
          const stale = [...server].filter(([key, rv]) => store.has(key) && store.get(key) !== rv).map(([key]) => key);
          if (ghosts.length || missing.length || stale.length) {
            last = `${k}: ghosts ${JSON.stringify(ghosts.slice(0, 5))}, missing ${JSON.stringify(missing.slice(0, 5))}, stale ${JSON.stringify(stale.slice(0, 5))}`;
            return false;
          }
        }
        return KIND_NAMES.every((k) => conn.store.status(k).state === 'synced');
      },
      { timeoutMs: 90_000, intervalMs: 250, what },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message} (${Date.now() - t0} ms): ${last}\n${log.slice(-15).join('\n')}`);
  }
}

const claim = (name: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: ns },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'e2e-store' },
});
const appPod = (name: string, claimName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: 'store' } },
  spec: {
    nodeName: 'store-n1',
    automountServiceAccountToken: false,
    containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const event = (name: string, pod: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: ns },
  involvedObject: { kind: 'Pod', namespace: ns, name: pod, apiVersion: 'v1' },
  reason: 'FailedMount',
  message: `MountVolume.SetUp failed for volume "data" (${name})`,
  type: 'Warning',
  source: { component: 'kubelet', host: 'store-n1' },
  firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  count: 1,
});

/** Adds, updates and deletes of several kinds (round `n`). */
async function churn(n: number): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await admin.apply(claim(`c${n}-${i}`));
    await admin.apply(appPod(`p${n}-${i}`, `c${n}-${i}`));
    await admin.create(event(`e${n}-${i}`, `p${n}-${i}`));
  }
  const pods = (await admin.get<{ items: any[] }>(`/api/v1/namespaces/${ns}/pods`)).items;
  // Updates: labels on the oldest pods, a status change on one, the node's labels.
  for (const p of pods.slice(0, 3)) await admin.patch(`/api/v1/namespaces/${ns}/pods/${p.metadata.name}`, { metadata: { labels: { round: String(n) } } });
  await admin.setStatus(appPod(pods[0].metadata.name, 'x'), { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] });
  await admin.patch('/api/v1/nodes/store-n1', { metadata: { labels: { round: String(n) } } });
  // A leader Lease renewed, and the node's heartbeat Lease (which csi-top must not hold).
  const renewed = new Date().toISOString().replace(/Z$/, '000Z'); // MicroTime: six fraction digits
  for (const [namespace, name] of [[ns, 'e2e-leader'], ['kube-node-lease', 'store-n1']]) {
    const spec = { holderIdentity: `holder-${n}`, leaseDurationSeconds: 40, renewTime: renewed };
    if (n === 0) await admin.apply({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec });
    else await admin.patch(`/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${name}`, { spec });
  }
  // Deletes: two pods, a claim (with its pvc-protection finalizer), an event.
  for (const p of pods.slice(3, 5)) await admin.removeObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.metadata.name, namespace: ns } });
  const claims = (await admin.get<{ items: any[] }>(`/api/v1/namespaces/${ns}/persistentvolumeclaims`)).items;
  await admin.removeObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: claims[0].metadata.name, namespace: ns } });
  const events = (await admin.get<{ items: any[] }>(`/api/v1/namespaces/${ns}/events`)).items;
  await admin.request('DELETE', `/api/v1/namespaces/${ns}/events/${events[0].metadata.name}`);
}

beforeAll(async () => {
  cp = await startControlPlane();
  admin = cp.admin;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-e2e-store-'));
  relay = new Relay(Number(new URL(cp.server).port));
  await relay.listen();
  const kubeconfig = path.join(dir, 'config');
  fs.writeFileSync(kubeconfig, fs.readFileSync(cp.adminKubeconfig, 'utf8').replace(cp.server, `https://127.0.0.1:${relay.port}`));

  ns = await admin.createNamespace('store');
  await admin.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'store-n1' }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] } });
  await admin.apply({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'e2e-store' }, provisioner: 'store.csi.example.com', allowVolumeExpansion: true });
  await churn(0);

  conn = await Connection.open({
    kubeconfig,
    allNamespaces: true,
    // Quick retries: the relay refuses connections while it is cut.
    reflector: { backoffInitialMs: 200, backoffMaxMs: 2000, retryDeniedMs: 2000 },
    usage: { disabled: 'not needed here' },
    audit: { append: () => undefined },
    log: (m) => log.push(`${new Date().toISOString()} ${m}`),
  });
  conn.start();
  await expectStoreEqualsServer('the first sync');
});

afterAll(async () => {
  await conn?.close();
  await relay?.close();
  await cp?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the store against the real apiserver', () => {
  it('holds leader Leases but not node heartbeats (kube-node-lease, left to the server by a field selector)', async () => {
    const leases = conn.store.list('Lease').map((l) => `${l.namespace}/${l.name}`);
    expect(leases).toContain(`${ns}/e2e-leader`);
    expect(leases.filter((l) => l.startsWith('kube-node-lease/'))).toEqual([]);
    expect((await admin.get<{ items: unknown[] }>('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases')).items.length).toBeGreaterThan(0);
  });

  it('follows changes after an apiserver restart', async () => {
    await cp.restartApiserver();
    await churn(1);
    await expectStoreEqualsServer('the store after a restart');
  });

  it('relists after changes made while it was away and an etcd compaction with a restart (watch cache 410)', async () => {
    relay.disconnect();
    await churn(2);
    await cp.compact();
    await cp.restartApiserver();
    const before = log.length;
    relay.reconnect();
    await expectStoreEqualsServer('the store after compaction and restart');
    expect(log.slice(before).join('\n')).toMatch(/expired; relisting/);
  });

  it('relists after changes made while it was away and a compaction without the watch cache (etcd 410)', async () => {
    await cp.restartApiserver({ watchCache: false });
    await expectStoreEqualsServer('the store after switching the watch cache off');
    relay.disconnect();
    await churn(3);
    await cp.compact();
    const before = log.length;
    relay.reconnect();
    await expectStoreEqualsServer('the store after compaction');
    expect(log.slice(before).join('\n')).toMatch(/expired; relisting/);
    // And it keeps following.
    await churn(4);
    await expectStoreEqualsServer('the store after more changes');
  });
});
