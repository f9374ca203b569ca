// What every check reads: the store, the moment, the topology indexes, and grace periods that
// keep a cluster in the middle of a normal change (rollout, provisioning) from raising alarms.
import type { PodRec } from '../records';
import type { StoreReader } from '../store';
import { driverIndex, type DriverIndex, type DriverInfo } from '../topology/driver-index';
import { mountIndex, type MountIndex } from '../topology/mount-index';
import { consumers, type Consumers } from '../topology/volumes';
import { refOf, sameRef, type ObjRef } from '../topology/refs';
import type { Finding, FindingCode, Severity, VerdictOptions } from './types';

export interface Ctx {
  readonly store: StoreReader;
  readonly now: number;
  readonly idx: DriverIndex;
  readonly mounts: MountIndex;
  readonly cons: Consumers;
  readonly opts: VerdictOptions;
}

export function makeCtx(store: StoreReader, opts: VerdictOptions): Ctx {
  return { store, now: opts.now ?? Date.now(), idx: driverIndex(store), mounts: mountIndex(store), cons: consumers(store), opts };
}

const MIN = 60_000;

/** How long a normal change may take before csi-top calls it stuck. */
export const GRACE = {
  /** A pod (plugin, controller, mount pod, app pod) starting up. */
  start: 2 * MIN,
  /** A node plugin that is ready but not yet in CSINode. */
  register: 1 * MIN,
  /** A PVC waiting for its volume before a warning; before an error when pods wait on it. */
  pending: 2 * MIN,
  pendingError: 5 * MIN,
  /** An unattached VolumeAttachment without error. */
  attach: 3 * MIN,
  /** FileSystemResizePending while a pod mounts the volume; a controller resize in progress. */
  nodeResize: 5 * MIN,
  controllerResize: 10 * MIN,
  /** A Released PV whose reclaim policy is Delete. */
  released: 5 * MIN,
};

/** Whether csi-top can see a kind at all (listed, not forbidden). */
export function canSee(store: StoreReader, kind: Parameters<StoreReader['status']>[0]): boolean {
  return store.status(kind).state === 'synced' || store.count(kind) > 0;
}

/**
 * Whether the store holds every namespace's pods. When pods could be listed in the scoped
 * namespace only, a driver's pods elsewhere are unseen: their absence proves nothing.
 */
export function seesAllPods(store: StoreReader): boolean {
  return store.status('Pod').onlyNamespace === undefined;
}

/** Whether anything of the driver is in the cluster: a CSIDriver, a registration or a pod. */
export function installed(d: DriverInfo | undefined): boolean {
  return !!d && (!!d.csiDriver || d.registeredNodes.length > 0 || d.nodePlugins.length > 0 || d.controllers.length > 0);
}

/** Whether a node is known and not Ready: what runs there reports stale states, not storage faults. */
export function nodeDown(ctx: Ctx, node: string): boolean {
  const n = ctx.store.get('Node', '', node);
  return !!n && n.ready !== 'True';
}

/** A scheduled pod still waiting to start (its volumes are the usual reason). */
export const isWaiting = (p: PodRec): boolean => p.phase === 'Pending' && !!p.node && !p.deleting;

// Code-point order: Kubernetes names are lowercase DNS labels, where it is the order localeCompare
// gives, at a fraction of the cost.
const byCodePoint = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
const byNamespaceName = (a: ObjRef, b: ObjRef): number => byCodePoint(a.namespace, b.namespace) || byCodePoint(a.name, b.name);

/** Affects lists this long are kept from one judgement to the next (see `normalizedAffects`). */
const BIG_AFFECTS = 512;
const lastBig = new Map<string, { readonly input: readonly ObjRef[]; readonly affects: readonly ObjRef[] }>();

const sameObjects = (a: readonly ObjRef[], b: readonly ObjRef[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameRef(a[i], b[i])) return false;
  return true;
};

/**
 * A finding's affects: deduplicated, by namespace and name. A driver missing under 50k pods
 * affects all of them, and pod churn replaces records without changing which pods they are:
 * for a long list naming the same objects in the same order as at the last judgement, the last
 * result is handed back (one comparison an object instead of a set and a sort of 50k).
 */
function normalizedAffects(code: FindingCode, object: ObjRef, input: readonly ObjRef[]): readonly ObjRef[] {
  if (input.length < BIG_AFFECTS) return dedupeSorted(input);
  const k = `${code}|${object.kind}|${object.namespace}|${object.name}`;
  const last = lastBig.get(k);
  // (The newest input is kept: the last one holds records since replaced.)
  if (last && sameObjects(last.input, input)) return (lastBig.set(k, { input, affects: last.affects }), last.affects);
  const affects = dedupeSorted(input);
  if (lastBig.size >= 32) lastBig.clear();
  lastBig.set(k, { input, affects });
  return affects;
}

function dedupeSorted(input: readonly ObjRef[]): ObjRef[] {
  // kind → namespace → names: the record's own (interned, hash-cached) strings, no key built.
  const seen = new Map<string, Map<string, Set<string>>>();
  const affects: ObjRef[] = [];
  let sorted = true;
  for (const a of input) {
    let byNs = seen.get(a.kind);
    if (!byNs) seen.set(a.kind, (byNs = new Map()));
    let names = byNs.get(a.namespace);
    if (!names) byNs.set(a.namespace, (names = new Set()));
    if (names.has(a.name)) continue;
    names.add(a.name);
    const r = refOf(a);
    if (sorted && affects.length > 0 && byNamespaceName(affects[affects.length - 1], r) > 0) sorted = false;
    affects.push(r);
  }
  if (!sorted) affects.sort(byNamespaceName);
  return affects;
}

const NO_AFFECTS: readonly ObjRef[] = [];

export function finding(
  code: FindingCode,
  severity: Severity,
  object: ObjRef,
  f: { driver?: string | null; node?: string | null; message: string; evidence?: readonly string[]; affects?: readonly ObjRef[] },
): Finding {
  return {
    code,
    severity,
    object: refOf(object),
    driver: f.driver || null,
    node: f.node || null,
    message: f.message,
    evidence: [...new Set(f.evidence ?? [])],
    affects: f.affects ? normalizedAffects(code, object, f.affects) : NO_AFFECTS,
  };
}
