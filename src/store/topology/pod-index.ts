// One pass over every pod per Pod version: classification (cached per record), the CSI component
// pods, the pods with volumes, mount pods and their references, and app pod hints. Everything
// else reads these buckets instead of scanning 100k pods again.
import type { PodRec } from '../records';
import type { StoreReader } from '../store';
import type { MountPodHooks, PodClass } from '../drivers/types';
import { registry } from '../drivers/registry';
import { memo } from './memo';

export interface ComponentPod {
  readonly pod: PodRec;
  readonly cls: PodClass;
}

/** What the driver index needs from pods; the same object while no component pod changed. */
export interface DriverInputs {
  readonly components: readonly ComponentPod[];
  /** Drivers named by inline CSI volumes of app pods. */
  readonly inlineDrivers: readonly string[];
}

export interface MountIndex {
  readonly all: readonly PodRec[];
  onNode(node: string): readonly PodRec[];
  /** Mount pods holding a reference for the app pod uid, with the PV of each reference. */
  forAppUid(uid: string): readonly { readonly mountPod: PodRec; readonly pv: string }[];
  /** App pods whose own hint annotations name the mount pod `namespace/name`. */
  hintedBy(namespace: string, name: string): readonly PodRec[];
  hooksOf(mountPod: PodRec): MountPodHooks | undefined;
}

export interface PodIndex {
  readonly driverInputs: DriverInputs;
  /** Pods with storage volumes that are not finished (Succeeded/Failed). */
  readonly withVolumes: readonly PodRec[];
  readonly mounts: MountIndex;
}

const NONE: readonly never[] = [];

/** Pods that hold or will hold their volumes: everything but finished pods. */
export const isActivePod = (p: PodRec): boolean => p.phase !== 'Succeeded' && p.phase !== 'Failed';

/** Whether an object has any own key, without allocating a key array (runs on every pod). */
export function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  l ? l.push(v) : m.set(k, [v]);
}

const previous = new WeakMap<StoreReader, DriverInputs>();

/** The previous inputs when they hold the same records, so the driver index can be reused. */
function stable(store: StoreReader, next: DriverInputs): DriverInputs {
  const prev = previous.get(store);
  const same =
    prev &&
    prev.components.length === next.components.length &&
    prev.components.every((c, i) => c.pod === next.components[i].pod) &&
    prev.inlineDrivers.join('\n') === next.inlineDrivers.join('\n');
  if (same) return prev;
  previous.set(store, next);
  return next;
}

export function podIndex(store: StoreReader): PodIndex {
  return memo(store, 'podIndex', ['Pod'], () => {
    const components: ComponentPod[] = [];
    const inline = new Set<string>();
    const withVolumes: PodRec[] = [];
    const all: PodRec[] = [];
    const byNode = new Map<string, PodRec[]>();
    const byUid = new Map<string, { mountPod: PodRec; pv: string }[]>();
    const hinted = new Map<string, Map<string, PodRec[]>>(); // namespace → name → app pods
    const hooks = new Map<PodRec, MountPodHooks>();
    const allHooks = registry.profiles.flatMap((p) => (p.mountPods ? [p.mountPods] : []));
    for (const pod of store.list('Pod')) {
      const cls = registry.classify(pod);
      if (cls.role === 'nodePlugin' || cls.role === 'controller' || cls.role === 'mountPod') components.push({ pod, cls });
      if (pod.volumes.length > 0 && isActivePod(pod)) {
        withVolumes.push(pod);
        for (const v of pod.volumes) if (v.csiDriver) inline.add(v.csiDriver);
      }
      // Only pods carrying annotations csi-top keeps (juicefs-*) can hint at a mount pod.
      if (hasKeys(pod.annotations)) {
        for (const h of allHooks) {
          for (const hint of h.appPodHints(pod)) {
            let byName = hinted.get(hint.namespace);
            if (!byName) hinted.set(hint.namespace, (byName = new Map()));
            push(byName, hint.name, pod);
          }
        }
      }
      if (cls.role !== 'mountPod') continue;
      const h = registry.profileById(cls.profile)?.mountPods;
      if (!h) continue;
      all.push(pod);
      hooks.set(pod, h);
      push(byNode, pod.node, pod);
      for (const ref of h.references(pod)) push(byUid, ref.uid, { mountPod: pod, pv: ref.pv });
    }
    return {
      driverInputs: stable(store, { components, inlineDrivers: [...inline].sort() }),
      withVolumes,
      mounts: {
        all,
        onNode: (node) => byNode.get(node) ?? NONE,
        forAppUid: (uid) => byUid.get(uid) ?? NONE,
        hintedBy: (namespace, name) => hinted.get(namespace)?.get(name) ?? NONE,
        hooksOf: (p) => hooks.get(p),
      },
    };
  });
}
