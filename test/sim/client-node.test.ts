// A client that is not ours: @kubernetes/client-node over HTTPS, trusting only the generated CA
// from the kubeconfig, lists, reads errors, and runs an informer (list + watch) that follows
// changes. Proves the simulator speaks the protocol, not just what our own client expects.
import { CoreV1Api, KubeConfig, makeInformer, StorageV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { simIt, simOf, startTarget, type Target } from './fixture';

let t: Target;
let kc: KubeConfig;
beforeAll(async () => {
  t = await startTarget({ tls: true, bookmarkIntervalMs: 200 });
  if (!t.sim) return;
  kc = new KubeConfig();
  kc.loadFromString(t.sim.kubeconfig({ namespace: 'apps' }));
});
afterAll(() => t?.close());

const podBody = (name: string) => ({ metadata: { name, labels: { app: 'demo' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

describe('@kubernetes/client-node against the simulator', () => {
  simIt('reads the generated kubeconfig: HTTPS with the CA, token user, namespace', () => {
    const cluster = kc.getCurrentCluster()!;
    expect(cluster.server).toBe(t.sim!.httpsUrl);
    expect(cluster.skipTLSVerify).toBeFalsy();
    expect(Buffer.from(cluster.caData!, 'base64').toString()).toBe(t.sim!.caPem);
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('apps');
  });

  simIt('creates and lists pods with CoreV1Api over verified TLS', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'apps' } } });
    await core.createNamespacedPod({ namespace: 'apps', body: podBody('one') });
    await core.createNamespacedPod({ namespace: 'apps', body: podBody('two') });
    const list = await core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=demo' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['one', 'two']);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    const page = await core.listNamespacedPod({ namespace: 'apps', limit: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.metadata?._continue).toBeTruthy();
    const next = await core.listNamespacedPod({ namespace: 'apps', limit: 1, _continue: page.metadata!._continue });
    expect(next.items[0].metadata?.name).toBe('two');
    const storage = kc.makeApiClient(StorageV1Api);
    expect((await storage.listStorageClass()).items).toEqual([]);
  });

  simIt('also connects over plain HTTP with the http kubeconfig', async () => {
    const plain = new KubeConfig();
    plain.loadFromString(t.sim!.kubeconfig({ https: false, context: 'plain' }));
    expect(plain.getCurrentCluster()?.server).toBe(t.sim!.url);
    const names = (await plain.makeApiClient(CoreV1Api).listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toContain('apps');
  });

  simIt('surfaces the apiserver Status of a failure', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const err = await core.readNamespacedPod({ namespace: 'apps', name: 'ghost' }).catch((e) => e);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "ghost" not found' });
  });

  simIt('runs an informer: initial list, then watch events for adds, updates and deletes', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(kc, '/api/v1/namespaces/apps/pods', () => core.listNamespacedPod({ namespace: 'apps' }));
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name} ${p.metadata?.labels?.stage ?? ''}`.trim()));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    informer.on('error', (e) => seen.push(`error ${String(e)}`));
    await informer.start();
    try {
      await expect.poll(() => informer.list().map((p) => p.metadata?.name).sort()).toEqual(['one', 'two']);
      await core.createNamespacedPod({ namespace: 'apps', body: podBody('three') });
      simOf(t).objects.patch('pods', 'apps', 'one', 'application/merge-patch+json', { metadata: { labels: { stage: 'canary' } } });
      await core.deleteNamespacedPod({ namespace: 'apps', name: 'two' });
      await expect.poll(() => seen.includes('delete two'), { timeout: 5000 }).toBe(true);
      expect(seen).toEqual(expect.arrayContaining(['add one', 'add two', 'add three', 'update one canary', 'delete two']));
      expect(seen.filter((s) => s.startsWith('error'))).toEqual([]);
      expect(informer.list().map((p) => p.metadata?.name).sort()).toEqual(['one', 'three']);
    } finally {
      await informer.stop();
    }
  });
});
