// Per Pod version: classification (cached per record), the CSI component pods, the pods with
// volumes, mount pods and their references, and app pod hints, kept by position across updates.
// Everything else reads these buckets instead of scanning 100k pods again.
import type { PodRec } from '../records';
import type { StoreReader } from '../store';
import type { MountPodHooks, PodClass } from '../drivers/types';
import { registry } from '../drivers/registry';
import { memo } from './memo';
import { filterByPosition, type Filtered } from '../list-diff';

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

/** What the index needs from one pod record; computed once per record. */
interface PodFacts {
  /** Set for CSI components (node plugins, controllers, mount pods). */
  readonly cls?: PodClass;
  readonly withVolumes: boolean;
  readonly inline: readonly string[];
  readonly hints: readonly { readonly namespace: string; readonly name: string }[];
  readonly mount?: { readonly hooks: MountPodHooks; readonly node: string; readonly refs: readonly { readonly uid: string; readonly pv: string }[] };
}

// Shared facts for the overwhelming majority, so reusing them touches no per-pod memory.
const PLAIN: PodFacts = { withVolumes: false, inline: NONE, hints: NONE };
const USES_VOLUMES: PodFacts = { withVolumes: true, inline: NONE, hints: NONE };

/** Pods that hold storage volumes now: the `withVolumes` bucket. */
export const hasActiveVolumes = (pod: PodRec): boolean => pod.volumes.length > 0 && isActivePod(pod);

function factsOf(pod: PodRec, allHooks: readonly MountPodHooks[]): PodFacts {
  const cls = registry.classify(pod);
  const component = cls.role === 'nodePlugin' || cls.role === 'controller' || cls.role === 'mountPod';
  const withVolumes = hasActiveVolumes(pod);
  const inline = withVolumes ? pod.volumes.flatMap((v) => (v.csiDriver ? [v.csiDriver] : [])) : NONE;
  // Only pods carrying annotations csi-top keeps (juicefs-*) can hint at a mount pod.
  const hints = hasKeys(pod.annotations) ? allHooks.flatMap((h) => h.appPodHints(pod)) : NONE;
  const hooks = cls.role === 'mountPod' ? registry.profileById(cls.profile)?.mountPods : undefined;
  if (!component && inline.length === 0 && hints.length === 0) return withVolumes ? USES_VOLUMES : PLAIN;
  return {
    ...(component ? { cls } : {}),
    withVolumes,
    inline,
    hints,
    ...(hooks ? { mount: { hooks, node: pod.node, refs: hooks.references(pod) } } : {}),
  };
}

// The facts of the few pods with more to index than their volumes, per record: the index reads
// them on every rebuild. Other pods' facts are worked out only when the record is new.
const specialFacts = new WeakMap<PodRec, PodFacts>();

function specialFactsOf(pod: PodRec, allHooks: readonly MountPodHooks[]): PodFacts | undefined {
  const hit = specialFacts.get(pod);
  if (hit) return hit;
  const f = factsOf(pod, allHooks);
  if (f === PLAIN || f === USES_VOLUMES) return undefined;
  specialFacts.set(pod, f);
  return f;
}

const previousMounts = new WeakMap<StoreReader, { readonly pods: readonly PodRec[]; readonly hinted: readonly PodRec[]; readonly index: MountIndex }>();

export const sameRefs = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Mount pod lookups, rebuilt only when a mount pod or a hinting app pod changed. */
function mountIndexOf(store: StoreReader, mountPods: readonly PodRec[], mountFacts: readonly PodFacts[], hintPods: readonly PodRec[], hintFacts: readonly PodFacts[]): MountIndex {
  const prev = previousMounts.get(store);
  if (prev && sameRefs(prev.pods, mountPods) && sameRefs(prev.hinted, hintPods)) return prev.index;
  const byNode = new Map<string, PodRec[]>();
  const byUid = new Map<string, { mountPod: PodRec; pv: string }[]>();
  const hinted = new Map<string, Map<string, PodRec[]>>(); // namespace → name → app pods
  const hooks = new Map<PodRec, MountPodHooks>();
  mountPods.forEach((pod, k) => {
    const m = mountFacts[k].mount!;
    hooks.set(pod, m.hooks);
    push(byNode, m.node, pod);
    for (const ref of m.refs) push(byUid, ref.uid, { mountPod: pod, pv: ref.pv });
  });
  hintPods.forEach((pod, k) => {
    for (const hint of hintFacts[k].hints) {
      let byName = hinted.get(hint.namespace);
      if (!byName) hinted.set(hint.namespace, (byName = new Map()));
      push(byName, hint.name, pod);
    }
  });
  const index: MountIndex = {
    all: mountPods,
    onNode: (node) => byNode.get(node) ?? NONE,
    forAppUid: (uid) => byUid.get(uid) ?? NONE,
    hintedBy: (namespace, name) => hinted.get(namespace)?.get(name) ?? NONE,
    hooksOf: (p) => hooks.get(p),
  };
  previousMounts.set(store, { pods: mountPods, hinted: hintPods, index });
  return index;
}

const previousLists = new WeakMap<StoreReader, { readonly withVolumes: Filtered<PodRec>; readonly special: Filtered<PodRec> }>();

export function podIndex(store: StoreReader): PodIndex {
  return memo(store, 'podIndex', ['Pod'], () => {
    const pods = store.list('Pod');
    const allHooks = registry.profiles.flatMap((p) => (p.mountPods ? [p.mountPods] : []));
    // Two filtered lists, kept by position across pod updates (filterByPosition): the pods with
    // volumes (most of a big cluster) and the few with anything else to index.
    const prev = previousLists.get(store);
    const withVolumes = filterByPosition(prev?.withVolumes, pods, hasActiveVolumes);
    const special = filterByPosition(prev?.special, pods, (p) => specialFactsOf(p, allHooks) !== undefined);
    previousLists.set(store, { withVolumes, special });
    const components: ComponentPod[] = [];
    const inline = new Set<string>();
    const mountPods: PodRec[] = [];
    const mountFacts: PodFacts[] = [];
    const hintPods: PodRec[] = [];
    const hintFacts: PodFacts[] = [];
    for (const pod of special.out) {
      const f = specialFactsOf(pod, allHooks)!;
      if (f.cls) components.push({ pod, cls: f.cls });
      for (const d of f.inline) inline.add(d);
      if (f.hints.length) (hintPods.push(pod), hintFacts.push(f));
      if (f.mount) (mountPods.push(pod), mountFacts.push(f));
    }
    return {
      driverInputs: stable(store, { components, inlineDrivers: [...inline].sort() }),
      withVolumes: withVolumes.out,
      mounts: mountIndexOf(store, mountPods, mountFacts, hintPods, hintFacts),
    };
  });
}
