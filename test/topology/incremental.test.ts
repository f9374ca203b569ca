// The pod index and the app pod list are worked out from the last ones after pod changes
// (kept by position). After any run of store changes they must equal what a fresh store holding
// the same objects gives.
import { describe, expect, it } from 'vitest';
import { syntheticCluster } from '../fixtures/synthetic';
import { storeFromObjects } from '../../src/store/from-objects';
import { project, type RawObject } from '../../src/store/project';
import { podIndex } from '../../src/store/topology/pod-index';
import { appPods } from '../../src/views/selectors/rows';
import { mountPodsOfAppPod } from '../../src/store/topology';
import type { Store } from '../../src/store/store';
import type { PodRec } from '../../src/store/records';
import { rng } from '../helpers/rng';

const names = (pods: readonly PodRec[]) => pods.map((p) => `${p.namespace}/${p.name}`);

function view(store: Store) {
  const idx = podIndex(store);
  const apps = appPods(store);
  return {
    withVolumes: names(idx.withVolumes),
    mountPods: names(idx.mounts.all),
    components: idx.driverInputs.components.map((c) => `${c.pod.name} ${c.cls.role}`),
    apps: names(apps),
    mountsOfApps: apps.map((p) => names(mountPodsOfAppPod(store, p).map((m) => m.mountPod)).join(',')),
  };
}

describe('pod index and app pods under churn', () => {
  it('equal a fresh store after any mix of updates, finished pods, deletions and additions', () => {
    const objects = syntheticCluster(120);
    const pods = new Map<string, RawObject>();
    for (const o of objects) if (o.kind === 'Pod') pods.set(`${o.metadata!.namespace}/${o.metadata!.name}`, o);
    const store = storeFromObjects(objects);
    const rand = rng(3);
    let added = 0;
    for (let round = 0; round < 60; round++) {
      view(store); // the last index, which the next is worked out from
      for (let k = 0; k < 1 + rand(6); k++) {
        const keys = [...pods.keys()];
        const key = keys[rand(keys.length)];
        const o = structuredClone(pods.get(key)!);
        const what = rand(10);
        if (what < 6) {
          // An update: restarts, or the pod finishing (it then holds no volumes).
          o.metadata!.resourceVersion = `${round}-${k}`;
          if (what === 0) o.status = { ...o.status, phase: 'Succeeded' };
          else o.metadata!.labels = { ...o.metadata!.labels, round: String(round) };
          pods.set(key, o);
          store.apply('MODIFIED', project('Pod', o)!);
        } else if (what < 8) {
          pods.delete(key);
          store.apply('DELETED', project('Pod', o)!);
        } else {
          o.metadata!.name = `${o.metadata!.name}-copy${added++}`;
          o.metadata!.uid = `copy-${added}`;
          pods.set(`${o.metadata!.namespace}/${o.metadata!.name}`, o);
          store.apply('ADDED', project('Pod', o)!);
        }
      }
      store.flush();
      const fresh = storeFromObjects([...objects.filter((o) => o.kind !== 'Pod'), ...pods.values()]);
      const got = view(store);
      const want = view(fresh);
      // The same pods in the same order (both stores keep an updated pod in its place).
      expect(got, `after round ${round}`).toEqual(want);
    }
  });
});
