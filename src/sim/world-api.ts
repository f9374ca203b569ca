// What the world's controllers need from the simulator, and nothing more: object CRUD with
// watches, pod logs, and kubelet usage numbers. `simulatorApi` adapts a running Simulator;
// `memoryApi` is a plain in-memory stand-in with the same semantics for controller unit tests.
import type { KObj } from './scenarios/kube';
import { keyOf } from './scenarios/kube';

export type Change = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface VolumeStats {
  usedBytes: number;
  capacityBytes?: number;
  availableBytes?: number;
  inodes?: number;
  inodesUsed?: number;
  inodesFree?: number;
}

export interface WorldApi {
  get(kind: string, namespace: string | undefined, name: string): KObj | undefined;
  list(kind: string): KObj[];
  /** Stores a new object (uid, resourceVersion, creationTimestamp filled when absent). */
  create(obj: KObj): KObj;
  /** Replaces metadata and spec (the main resource). */
  update(obj: KObj): KObj;
  /** Replaces status (the status subresource). */
  updateStatus(obj: KObj): KObj;
  /** Binds a pod to a node, as the scheduler's pods/binding does. */
  bind(pod: KObj, node: string): KObj;
  /** DELETE with a grace period: pods with a node get a deletionTimestamp first, like the apiserver. */
  remove(kind: string, namespace: string | undefined, name: string, graceSeconds?: number): void;
  /** Called synchronously after each committed change of these kinds; returns an unsubscribe. */
  watch(kinds: readonly string[], fn: (type: Change, obj: KObj) => void): () => void;
  appendLog(namespace: string, pod: string, container: string, line: string, tsMs?: number): void;
  restartLog(namespace: string, pod: string, container: string): void;
  setUsage(key: string, stats: VolumeStats | undefined): void;
}

/** An in-memory WorldApi: immutable stored objects, integer resourceVersions, synchronous watches. */
export function memoryApi(): WorldApi & { logs: Map<string, Array<{ line: string; ts: number }>>; usage: Map<string, VolumeStats> } {
  const objects = new Map<string, KObj>();
  const watchers = new Set<{ kinds: ReadonlySet<string>; fn: (t: Change, o: KObj) => void }>();
  const logs = new Map<string, Array<{ line: string; ts: number }>>();
  const usage = new Map<string, VolumeStats>();
  let rv = 1000;
  let uid = 0;
  const k = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;
  const freeze = <T>(o: T): T => {
    if (o && typeof o === 'object' && !Object.isFrozen(o)) {
      Object.freeze(o);
      for (const v of Object.values(o)) freeze(v);
    }
    return o;
  };
  const commit = (type: Change, o: KObj): KObj => {
    const stored = freeze(type === 'DELETED' ? o : { ...o, metadata: { ...o.metadata, resourceVersion: String(++rv) } });
    if (type === 'DELETED') objects.delete(keyOf(o));
    else objects.set(keyOf(stored), stored);
    for (const w of [...watchers]) if (w.kinds.has(o.kind)) w.fn(type, stored);
    return stored;
  };
  const existing = (o: KObj): KObj => {
    const cur = objects.get(keyOf(o));
    if (!cur) throw new Error(`${keyOf(o)} not found`);
    return cur;
  };
  return {
    logs,
    usage,
    get: (kind, ns, name) => objects.get(k(kind, ns, name)),
    list: (kind) => [...objects.values()].filter((o) => o.kind === kind),
    create(o) {
      if (objects.has(keyOf(o))) throw new Error(`${keyOf(o)} already exists`);
      const metadata = { ...o.metadata, uid: o.metadata.uid ?? `00000000-0000-4000-8000-${String(++uid).padStart(12, '0')}`, creationTimestamp: o.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      return commit('ADDED', { ...o, metadata });
    },
    update(o) {
      const cur = existing(o);
      // Clearing the last finalizer of an object being deleted completes the deletion.
      const gone = cur.metadata.deletionTimestamp && !o.metadata.finalizers?.length && !(cur.kind === 'Pod' && cur.spec?.nodeName && cur.metadata.deletionGracePeriodSeconds);
      if (gone) return commit('DELETED', cur);
      return commit('MODIFIED', { ...o, metadata: { ...o.metadata, deletionTimestamp: cur.metadata.deletionTimestamp }, status: cur.status });
    },
    updateStatus(o) {
      const cur = existing(o);
      return commit('MODIFIED', { ...cur, status: o.status });
    },
    bind(pod, node) {
      const cur = existing(pod);
      return commit('MODIFIED', { ...cur, spec: { ...cur.spec, nodeName: node } });
    },
    remove(kind, ns, name, graceSeconds) {
      const cur = objects.get(k(kind, ns, name));
      if (!cur) return;
      const grace = graceSeconds ?? (kind === 'Pod' ? cur.spec?.terminationGracePeriodSeconds ?? 30 : 0);
      const graceful = kind === 'Pod' && cur.spec?.nodeName && grace > 0;
      if (graceful || cur.metadata.finalizers?.length) {
        // A second DELETE may only shorten the grace period (kubelet's final grace-0 delete).
        if (cur.metadata.deletionTimestamp && (cur.metadata.deletionGracePeriodSeconds ?? 0) <= grace) return;
        commit('MODIFIED', { ...cur, metadata: { ...cur.metadata, deletionTimestamp: new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), deletionGracePeriodSeconds: grace } });
        return;
      }
      commit('DELETED', cur);
    },
    watch(kinds, fn) {
      const w = { kinds: new Set(kinds), fn };
      watchers.add(w);
      return () => watchers.delete(w);
    },
    appendLog(ns, pod, container, line, ts) {
      const key = `${ns}/${pod}/${container}`;
      logs.set(key, [...(logs.get(key) ?? []), { line, ts: ts ?? Date.now() }]);
    },
    restartLog(ns, pod, container) {
      const key = `${ns}/${pod}/${container}`;
      logs.set(`${key}#previous`, logs.get(key) ?? []);
      logs.set(key, []);
    },
    setUsage(key, stats) {
      if (stats) usage.set(key, stats);
      else usage.delete(key);
    },
  };
}

/**
 * The parts of a running Simulator (src/sim/index.ts) the world uses, typed structurally. Objects
 * cross this boundary loosely typed: the store's KubeObject and the scenarios' KObj are the same JSON.
 */
export interface SimulatorLike {
  objects: {
    info(resource: string): any;
    find(info: any, namespace: string | undefined, name: string): any;
    list(resource: string, opts?: any): { items: any[] };
    create(obj: any, opts?: { seed?: boolean; owned?: boolean }): any;
    load?(objs: any[]): void;
    update(obj: any, opts?: { owned?: boolean }): any;
    updateStatus(obj: any, opts?: { owned?: boolean }): any;
    delete(resource: string, namespace: string | undefined, name: string, opts?: { gracePeriodSeconds?: number }): unknown;
    watch(resource: string, fromRv: string | number | undefined, filter: any, onEvent: (e: { type: string; object: any }) => void): () => void;
    currentRv(): number;
  };
  logs?: {
    append(namespace: string, pod: string, container: string, line: string, tsMs?: number): void;
    restart(namespace: string, pod: string, container: string): void;
  };
  stats?: { usage: Map<string, any> };
}

/** The world's view of a running simulator: writes go through its object store, so every change reaches watchers. */
export function simulatorApi(sim: SimulatorLike): WorldApi {
  const o = sim.objects;
  const res = (kind: string) => kind.toLowerCase();
  const infos = new Map<string, unknown>();
  const info = (kind: string) => {
    let i = infos.get(kind);
    if (!i) infos.set(kind, (i = o.info(res(kind))));
    return i;
  };
  return {
    get: (kind, ns, name) => o.find(info(kind), ns, name),
    list: (kind) => o.list(res(kind)).items,
    create: (obj) => o.create(obj),
    update: (obj) => o.update(obj),
    updateStatus: (obj) => o.updateStatus(obj),
    bind: (pod, node) => o.update({ ...pod, spec: { ...pod.spec, nodeName: node } }),
    remove(kind, ns, name, graceSeconds) {
      if (!o.find(info(kind), ns, name)) return;
      o.delete(res(kind), ns, name, graceSeconds === undefined ? {} : { gracePeriodSeconds: graceSeconds });
    },
    watch(kinds, fn) {
      const stops = kinds.map((k) =>
        o.watch(res(k), String(o.currentRv()), {}, (e) => {
          if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') fn(e.type, e.object);
        }),
      );
      return () => stops.forEach((s) => s());
    },
    appendLog: (ns, pod, container, line, ts) => sim.logs?.append(ns, pod, container, line, ts),
    restartLog: (ns, pod, container) => sim.logs?.restart(ns, pod, container),
    setUsage(key, stats) {
      if (!sim.stats) return;
      if (stats) sim.stats.usage.set(key, stats);
      else sim.stats.usage.delete(key);
    },
  };
}
