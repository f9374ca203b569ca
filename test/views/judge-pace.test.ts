// How often findings are judged again under churn: at most every BUSY_JUDGE_MS while store
// changes keep coming, at once for a change on a quiet cluster.
import { describe, expect, it } from 'vitest';
import { storeFromObjects } from '../../src/store/from-objects';
import { project, type RawObject } from '../../src/store/project';
import { BUSY_JUDGE_MS, findingsFeed } from '../../src/views/selectors/findings';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${namespace ?? ''}-${name}`, resourceVersion: '1', creationTimestamp: new Date(Date.now() - 3600_000).toISOString() });
const pod = (name: string): RawObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta(name, 'app'),
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
});

describe('findings pace', () => {
  it('judges a churning store at most every BUSY_JUDGE_MS, a lone change at once', async () => {
    // Pods of a claim whose CSI driver is not installed: every new pod changes the finding.
    const store = storeFromObjects(
      [
        { apiVersion: 'v1', kind: 'Node', metadata: meta('n1'), status: { conditions: [{ type: 'Ready', status: 'True' }] } },
        { apiVersion: 'v1', kind: 'PersistentVolume', metadata: meta('pv-data'), spec: { capacity: { storage: '1Gi' }, claimRef: { namespace: 'app', name: 'data' }, csi: { driver: 'missing.csi.example.com', volumeHandle: 'h' } }, status: { phase: 'Bound' } },
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data', 'app'), spec: { volumeName: 'pv-data', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } },
        pod('p0'),
      ] as RawObject[],
      { notifyMs: 5 },
    );
    const feed = findingsFeed(store);
    const affected = () => feed.get().all.find((f) => f.code === 'DriverNotInstalled')?.affects.length ?? 0;
    const changes: { n: number; at: number }[] = [];
    const off = feed.subscribe(() => changes.push({ n: affected(), at: Date.now() }));
    expect(affected()).toBe(1);
    // A new pod every 50 ms for 4.5 s.
    const t0 = Date.now();
    for (let i = 1; Date.now() - t0 < 4500; i++) {
      store.apply('ADDED', project('Pod', pod(`p${i}`))!);
      await sleep(50);
    }
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < changes.length; i++) expect(changes[i].at - changes[i - 1].at).toBeGreaterThan(BUSY_JUDGE_MS - 100);
    // The churn stops: the last pods are judged, then a lone change after a quiet spell at once.
    const pods = store.count('Pod');
    for (let i = 0; i < 60 && affected() !== pods; i++) await sleep(50);
    expect(affected()).toBe(pods);
    await sleep(BUSY_JUDGE_MS + 100);
    const t1 = Date.now();
    store.apply('ADDED', project('Pod', pod('late'))!);
    for (let i = 0; i < 150 && affected() !== pods + 1; i++) await sleep(10);
    expect(affected()).toBe(pods + 1);
    expect(Date.now() - t1).toBeLessThan(BUSY_JUDGE_MS / 2); // well before a paced judgement would come
    off();
  });
});
