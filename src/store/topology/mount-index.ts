// Mount pods (JuiceFS mount pod mode, or any profile with mount pod hooks) and the app pods they
// serve. The mount pod's reference annotations are authoritative (they name each app pod's uid
// and PV); the app pod's own hint annotation is used when present (it can be stale after a
// recreation); a mount pod on the same node carrying the PV's uniqueId is the last fallback.
import type { PodRec, PVRec } from '../records';
import type { StoreReader } from '../store';
import { registry } from '../drivers/registry';
import { hasKeys, podIndex, type MountIndex } from './pod-index';

export type { MountIndex } from './pod-index';

export function mountIndex(store: StoreReader): MountIndex {
  return podIndex(store).mounts;
}

/** How a mount pod was tied to an app pod, strongest first. */
export type MountVia = 'reference' | 'annotation' | 'uniqueId';

export interface ServingMountPod {
  readonly mountPod: PodRec;
  readonly via: MountVia;
}

/**
 * The mount pods serving an app pod (for one PV when given). Falls back to the PV's uniqueId on
 * the pod's node only when neither the references nor the app pod's hints name one.
 */
export function mountPodsOfAppPod(store: StoreReader, pod: PodRec, pv?: PVRec): ServingMountPod[] {
  const idx = mountIndex(store);
  const out: ServingMountPod[] = [];
  const seen = new Set<PodRec>();
  const push = (mountPod: PodRec, via: MountVia) => {
    if (!seen.has(mountPod)) (seen.add(mountPod), out.push({ mountPod, via }));
  };
  for (const r of idx.forAppUid(pod.uid)) if (!pv || r.pv === pv.name) push(r.mountPod, 'reference');
  const hooks = pv ? registry.mountHooksFor(pv.driver) : registry.profileById(registry.classify(pod).profile)?.mountPods;
  for (const h of hooks && hasKeys(pod.annotations) ? hooks.appPodHints(pod) : []) {
    if (pv && h.pv !== pv.name) continue;
    const mp = store.get('Pod', h.namespace, h.name);
    if (mp && mp.node === pod.node && idx.hooksOf(mp)) push(mp, 'annotation');
  }
  if (out.length === 0 && pv && hooks && pod.node) {
    const ids = new Set(hooks.uniqueIdsForPV(pv));
    for (const mp of idx.onNode(pod.node)) if (ids.has(idx.hooksOf(mp)!.uniqueId(mp)) && !mp.deleting) push(mp, 'uniqueId');
  }
  return out;
}

/** Hints on the app pod naming mount pods that no longer exist (evidence for a recreation). */
export function staleMountHints(store: StoreReader, pod: PodRec): string[] {
  const out: string[] = [];
  for (const p of registry.profiles) {
    for (const h of p.mountPods?.appPodHints(pod) ?? []) if (!store.get('Pod', h.namespace, h.name)) out.push(`${h.namespace}/${h.name}`);
  }
  return out;
}

/** The app pods a mount pod serves: its references, plus app pods on its node whose hints name it. */
export function appPodsOfMountPod(store: StoreReader, mountPod: PodRec): PodRec[] {
  const idx = mountIndex(store);
  const hooks = idx.hooksOf(mountPod);
  if (!hooks) return [];
  const out: PodRec[] = [];
  const seen = new Set<string>();
  for (const r of hooks.references(mountPod)) {
    const p = store.byUid(r.uid);
    if (p && p.kind === 'Pod' && !seen.has(p.uid)) (seen.add(p.uid), out.push(p));
  }
  for (const p of idx.hintedBy(mountPod.namespace, mountPod.name)) {
    if (!seen.has(p.uid) && p.node === mountPod.node) (seen.add(p.uid), out.push(p));
  }
  return out;
}

/** The PVs a mount pod serves: named by its references, else found by its uniqueId. */
export function pvsOfMountPod(store: StoreReader, mountPod: PodRec): PVRec[] {
  const hooks = mountIndex(store).hooksOf(mountPod);
  if (!hooks) return [];
  const names = new Set(hooks.references(mountPod).map((r) => r.pv));
  const out: PVRec[] = [];
  for (const n of names) {
    const pv = store.get('PersistentVolume', '', n);
    if (pv) out.push(pv);
  }
  if (out.length) return out;
  const id = hooks.uniqueId(mountPod);
  const driver = registry.classify(mountPod).driver;
  if (!id) return out;
  for (const pv of store.pvsByDriver(driver)) if (hooks.uniqueIdsForPV(pv).includes(id)) out.push(pv);
  return out;
}
