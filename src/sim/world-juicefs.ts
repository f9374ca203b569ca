// The JuiceFS node plugin's mount pod management: for every app pod on a node that mounts a
// JuiceFS volume, one mount pod per (node, uniqueId) carrying a `juicefs-<sha256(target)>`
// reference annotation per app pod; references are removed when app pods go, the mount pod when
// its last reference goes, and a mount pod deleted while referenced is recreated under a new
// name (the app pods that were running keep their now dead FUSE mount).
import { csiTargetPath, juicefsRefKey, KObj, keyOf } from './scenarios/kube';
import { mountPod, settingHashOf } from './scenarios/deploy-juicefs';
import type { Controller, Runtime } from './world-runtime';
import { parseKey } from './world-runtime';
import { isMountPod, isSidecarMode, JUICEFS, podVolumes } from './world-volumes';

const REF = /^juicefs-[0-9a-f]{55}$/;
const TARGET_UID = /\/pods\/([^/]+)\/volumes\/kubernetes\.io~csi\//;

export function juicefsMounts(rt: Runtime): Controller {
  const { api } = rt;
  /** Where each app pod (by uid) holds references: mount key → targets. */
  const held = new Map<string, Set<string>>();

  return {
    name: 'juicefs-mounts',
    watches: ['Pod'],
    keysFor(_type, p) {
      if (isMountPod(p)) return [`M/${p.spec?.nodeName}/${p.metadata.labels?.['volume-id']}`];
      return p.spec?.nodeName ? [keyOf(p)] : [];
    },
    reconcile(key) {
      if (key.startsWith('M/')) {
        const [, node, ...rest] = key.split('/');
        return ensureMountPod(node, rest.join('/'));
      }
      const { namespace, name } = parseKey(key);
      const pod = api.get('Pod', namespace, name);
      if (pod && !pod.metadata.deletionTimestamp && pod.spec?.nodeName && !isSidecarMode(pod)) addRefs(pod);
      else releaseAll(key);
    },
  };

  function addRefs(pod: KObj): void {
    const node = pod.spec.nodeName;
    for (const v of podVolumes(api, pod)) {
      if (v.driver !== JUICEFS || !v.pv) continue;
      const uniqueId: string = v.pv.spec.csi.volumeHandle;
      const target = csiTargetPath(pod.metadata.uid!, v.pv.metadata.name);
      const mkey = `${node}/${uniqueId}`;
      const refs = held.get(keyOf(pod)) ?? new Set<string>();
      held.set(keyOf(pod), refs.add(`${mkey}\n${target}`));
      const mp = rt.index.mountPod(node, uniqueId);
      if (!mp) {
        ensureMountPod(node, uniqueId);
      } else if (mp.metadata.annotations?.[juicefsRefKey(target)] !== target) {
        api.update({ ...mp, metadata: { ...mp.metadata, annotations: { ...mp.metadata.annotations, [juicefsRefKey(target)]: target } } });
      }
      if (pod.metadata.labels?.['juicefs-uniqueid'] === undefined) {
        const cur = api.get('Pod', pod.metadata.namespace, pod.metadata.name)!;
        api.update({ ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, 'juicefs-uniqueid': '' } } });
      }
    }
  }

  /** An app pod went away: drop its references; a mount pod left with none is deleted. */
  function releaseAll(podKey: string): void {
    const refs = held.get(podKey);
    held.delete(podKey);
    for (const r of refs ?? []) {
      const [mkey, target] = r.split('\n');
      const [node, ...rest] = mkey.split('/');
      const mp = rt.index.mountPod(node, rest.join('/'));
      if (!mp) continue;
      const annotations = { ...mp.metadata.annotations };
      delete annotations[juicefsRefKey(target)];
      if (Object.keys(annotations).some((k) => REF.test(k))) api.update({ ...mp, metadata: { ...mp.metadata, annotations } });
      else api.remove('Pod', mp.metadata.namespace, mp.metadata.name);
    }
  }

  /** Recreates the mount pod of (node, uniqueId) when live app pods still reference it; finishes deletions. */
  function ensureMountPod(node: string, uniqueId: string): void {
    // A terminating mount pod: the plugin unmounts and lifts its finalizer; the successor waits
    // until it is gone.
    let terminating = false;
    for (const p of rt.index.podsOnNode(node)) {
      if (!isMountPod(p) || !p.metadata.deletionTimestamp || p.metadata.labels?.['volume-id'] !== uniqueId) continue;
      terminating = true;
      if (p.metadata.finalizers?.length) api.update({ ...p, metadata: { ...p.metadata, finalizers: [] } });
    }
    if (terminating || rt.index.mountPod(node, uniqueId)) return;
    const targets: string[] = [];
    for (const [podKey, refs] of held) {
      const { namespace, name } = parseKey(podKey);
      const app = api.get('Pod', namespace, name);
      if (!app || app.metadata.deletionTimestamp) continue;
      for (const r of refs) {
        const [mkey, target] = r.split('\n');
        if (mkey === `${node}/${uniqueId}` && TARGET_UID.exec(target)?.[1] === app.metadata.uid) targets.push(target);
      }
    }
    if (targets.length) create(node, uniqueId, targets);
  }

  function create(node: string, uniqueId: string, targets: string[]): void {
    const refs = targets.map((t) => ({ podUid: TARGET_UID.exec(t)![1], pv: t.split('/').slice(-2, -1)[0] }));
    const old = rt.index.allMountPods().find((p) => p.metadata.labels?.['volume-id'] === uniqueId && p.metadata.annotations?.['juicefs-uuid']);
    api.create(
      mountPod({
        node,
        uniqueId,
        suffix: rt.rand.letters(6),
        uid: rt.rand.uid(),
        createdMs: Date.now(),
        refs,
        fsUuid: old?.metadata.annotations?.['juicefs-uuid'] ?? rt.rand.uid(),
        settingHash: settingHashOf(uniqueId),
      }),
    );
  }
}
