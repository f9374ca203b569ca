// Runs the whole brain on a 50k-pod cluster: no time is asserted (bench/findings.ts measures),
// this proves it completes, stays quiet when healthy, and still finds one broken mount pod.
import { describe, expect, it } from 'vitest';
import { storeFromObjects } from '../../src/store/from-objects';
import { computeFindings } from '../../src/store/verdicts';
import { buildExport } from '../../src/store/report';
import { project } from '../../src/store/project';
import type { PodRec } from '../../src/store/records';
import { syntheticCluster } from '../fixtures/synthetic';
import { FIXTURE_NOW } from '../fixtures/load';
import { brief } from './helpers';

describe('at 50k pods', () => {
  it('computes findings and the export, healthy then with one mount pod down', { timeout: 180_000 }, () => {
    const store = storeFromObjects(syntheticCluster(50_000), { now: () => FIXTURE_NOW });
    expect(store.count('Pod')).toBeGreaterThan(50_000);
    expect(computeFindings(store, { now: FIXTURE_NOW })).toEqual([]);

    const mp = store.list('Pod').find((p) => p.labels['app.kubernetes.io/name'] === 'juicefs-mount')!;
    const broken = project('Pod', {
      metadata: { name: mp.name, namespace: mp.namespace, uid: mp.uid, resourceVersion: 'broken', creationTimestamp: new Date(mp.created).toISOString(), labels: { ...mp.labels }, annotations: { ...mp.annotations } },
      spec: { nodeName: mp.node, containers: [{ name: 'jfs-mount', image: 'juicedata/mount:ce-v1.2.1' }] },
      status: { phase: 'Running', containerStatuses: [{ name: 'jfs-mount', restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    }) as PodRec;
    store.apply('MODIFIED', broken);
    const fs = computeFindings(store, { now: FIXTURE_NOW });
    expect(fs.map(brief)).toEqual([`error MountPodNotReady Pod ${mp.namespace}/${mp.name}`]);
    expect(fs[0].affects).toHaveLength(1);

    const doc = buildExport(store, { context: 'scale', now: FIXTURE_NOW });
    expect(doc.volumes).toHaveLength(store.count('PersistentVolumeClaim'));
    expect(doc.findings).toHaveLength(1);
  });
});
