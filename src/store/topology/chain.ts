// The tree-shaped "chain" of any object, drawn by the TUI's topology view and flattened into the
// detail view's related objects: app pod → PVC → PV → driver → node plugin / CSINode /
// VolumeAttachment / mount pods / controllers, and each reverse direction from the other kinds.
import type { AnyRecord, PodRec, PVCRec, PVRec } from '../records';
import type { StoreReader } from '../store';
import { driverIndex } from './driver-index';
import { appPodsOfMountPod, mountIndex, pvsOfMountPod } from './mount-index';
import { claimOfPV, claimsByStorageClass, pvOfClaim, volumeLinks, type VolumeLink } from './volumes';
import { hasActiveVolumes } from './pod-index';
import { servedByNodePlugin, volumeServices } from './services';
import { lookup, type ObjRef } from './refs';
import { statusText } from './status';

export interface ChainMark {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
}

export interface ChainNode {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** How this node relates to its parent ('' for the root): 'claim', 'bound to', 'node plugin', … */
  readonly relation: string;
  readonly status: string;
  /** For pods: app, mountPod, nodePlugin, controller, other. */
  readonly role?: string;
  /** Something that should be there and is not (a node plugin on the pod's node, a mount pod…). */
  readonly missing?: boolean;
  /** Findings about this object. */
  readonly marks: readonly ChainMark[];
  readonly children: readonly ChainNode[];
  /** Children left out beyond the limit. */
  readonly more: number;
}

export interface ChainOptions {
  /** Findings markers of an object (the TUI passes its findings index). */
  readonly marks?: (ref: ObjRef) => readonly ChainMark[];
  /** Most children per node (default 50). */
  readonly limit?: number;
}

interface Ctx {
  readonly store: StoreReader;
  readonly marks: (ref: ObjRef) => readonly ChainMark[];
  readonly limit: number;
}

const NO_MARKS = () => [];

export function chainFor(store: StoreReader, ref: ObjRef, opts: ChainOptions = {}): ChainNode | undefined {
  const ctx: Ctx = { store, marks: opts.marks ?? NO_MARKS, limit: opts.limit ?? 50 };
  if (ref.kind === 'CSIDriver') return driverRoot(ctx, ref.name);
  const rec = lookup(store, ref);
  if (!rec) return undefined;
  switch (rec.kind) {
    case 'Pod':
      return podNode(ctx, rec, '', true);
    case 'PersistentVolumeClaim':
      return pvcNode(ctx, rec, '', 'down');
    case 'PersistentVolume':
      return pvNode(ctx, rec, '', 'up');
    case 'StorageClass':
      return node(ctx, rec, '', (claimsByStorageClass(store).get(rec.name) ?? []).map((c) => pvcNode(ctx, c, 'provisions', 'leaf')));
    case 'Node':
      return nodeRoot(ctx, rec.name);
    case 'CSINode':
      return node(ctx, rec, '', [
        leaf(ctx, store.get('Node', '', rec.name), 'Node', rec.name, 'node'),
        ...rec.drivers.map((d) => driverOnNode(ctx, d.name, rec.name, 'registers')),
      ]);
    case 'VolumeAttachment': {
      const pv = store.get('PersistentVolume', '', rec.pv);
      return node(ctx, rec, '', [pv ? pvNode(ctx, pv, 'attaches', 'up') : missing('PersistentVolume', '', rec.pv, 'attaches'), leaf(ctx, store.get('Node', '', rec.node), 'Node', rec.node, 'to node')]);
    }
    default:
      return node(ctx, rec, '', []);
  }
}

function node(ctx: Ctx, rec: AnyRecord, relation: string, children: ChainNode[], extra: Partial<ChainNode> = {}): ChainNode {
  const kept = children.slice(0, ctx.limit);
  return {
    kind: rec.kind,
    namespace: rec.namespace,
    name: rec.name,
    relation,
    status: statusText(rec),
    marks: ctx.marks(rec),
    children: kept,
    more: children.length - kept.length,
    ...(rec.kind === 'Pod' ? { role: driverIndex(ctx.store).classOf(rec).role } : {}),
    ...extra,
  };
}

function leaf(ctx: Ctx, rec: AnyRecord | undefined, kind: string, name: string, relation: string): ChainNode {
  return rec ? node(ctx, rec, relation, []) : missing(kind, '', name, relation);
}

function missing(kind: string, namespace: string, name: string, relation: string, status = 'not found'): ChainNode {
  return { kind, namespace, name, relation, status, missing: true, marks: [], children: [], more: 0 };
}

/** A pod and what it depends on (app pods) or serves (driver pods). */
function podNode(ctx: Ctx, pod: PodRec, relation: string, expand: boolean): ChainNode {
  if (!expand) return node(ctx, pod, relation, []);
  const { store } = ctx;
  const cls = driverIndex(store).classOf(pod);
  switch (cls.role) {
    case 'mountPod':
      return node(ctx, pod, relation, [
        ...appPodsOfMountPod(store, pod).map((p) => node(ctx, p, 'serves', [])),
        ...pvsOfMountPod(store, pod).map((pv) => node(ctx, pv, 'mounts', [])),
        ...driverIndex(store).nodePluginsOn(cls.driver, pod.node).map((p) => node(ctx, p, 'node plugin', [])),
      ]);
    case 'nodePlugin': {
      const served = servedByNodePlugin(store, pod);
      const csiNode = store.get('CSINode', '', pod.node);
      const reg = driverIndex(store).registered(cls.driver, pod.node);
      return node(ctx, pod, relation, [
        driverLeaf(ctx, cls.driver, 'driver'),
        csiNode ? node(ctx, csiNode, 'registration', [], { status: reg ? `registers ${cls.driver}` : `${cls.driver} not registered` }) : missing('CSINode', '', pod.node, 'registration'),
        ...mountIndex(store).onNode(pod.node).filter((m) => driverIndex(store).classOf(m).driver === cls.driver).map((m) => node(ctx, m, 'mount pod', [])),
        ...served.pods.map((p) => node(ctx, p, 'serves', [])),
      ]);
    }
    case 'controller':
      return node(ctx, pod, relation, [driverLeaf(ctx, cls.driver, 'driver'), ...leasesHeld(ctx, pod, cls.driver)]);
    default:
      return node(ctx, pod, relation, volumeLinks(store, pod).map((l) => linkNode(ctx, pod, l)));
  }
}

function leasesHeld(ctx: Ctx, pod: PodRec, driver: string): ChainNode[] {
  const info = driverIndex(ctx.store).drivers.get(driver);
  return (info?.leases ?? []).filter((l) => l.holder === pod).map((l) => node(ctx, l.lease, `leader (${l.sidecar})`, []));
}

/** One volume of an app pod: claim → PV → driver services on the pod's node. */
function linkNode(ctx: Ctx, pod: PodRec, l: VolumeLink): ChainNode {
  if (l.source === 'inline') return servicesNode(ctx, pod, l, `inline volume ${l.volume}`);
  if (!l.pvc) return missing('PersistentVolumeClaim', pod.namespace, l.claim, `volume ${l.volume}`);
  const below = l.pv
    ? [node(ctx, l.pv, 'bound to', l.driver ? [servicesNode(ctx, pod, l, 'driver')] : [])]
    : l.driver
      ? [servicesNode(ctx, pod, l, 'provisioner')]
      : [];
  return node(ctx, l.pvc, `volume ${l.volume}`, below);
}

/** The driver as seen from one app pod: node plugin, registration, attachments, mount pods, controllers. */
function servicesNode(ctx: Ctx, pod: PodRec, l: VolumeLink, relation: string): ChainNode {
  const s = volumeServices(ctx.store, pod, l);
  const children: ChainNode[] = [];
  if (pod.node && s.driver) {
    children.push(...(s.nodePlugins.length ? s.nodePlugins.map((p) => node(ctx, p, 'node plugin', [])) : [missing('Pod', '', '', 'node plugin', `no node plugin on ${pod.node}`)]));
    const csiNode = ctx.store.get('CSINode', '', pod.node);
    if (csiNode) children.push(node(ctx, csiNode, 'registration', [], { status: s.registered ? 'registered' : 'not registered', ...(s.registered ? {} : { missing: true }) }));
  }
  for (const va of s.attachments) children.push(node(ctx, va, 'attachment', []));
  if (s.usesMountPods && pod.node) {
    children.push(...(s.mountPods.length ? s.mountPods.map((m) => node(ctx, m.mountPod, 'mount pod', [])) : [missing('Pod', '', '', 'mount pod', 'no mount pod found')]));
  }
  if (s.mountSidecar) children.push({ ...node(ctx, pod, 'mount sidecar', []), status: `container ${s.mountSidecar}` });
  const active = driverIndex(ctx.store).activeController(l.driver);
  for (const c of s.controllers) children.push(node(ctx, c, c === active ? 'controller (leader)' : 'controller', []));
  return driverLeaf(ctx, l.driver, relation, children);
}

function driverLeaf(ctx: Ctx, driver: string, relation: string, children: ChainNode[] = []): ChainNode {
  const info = driverIndex(ctx.store).drivers.get(driver);
  const kept = children.slice(0, ctx.limit);
  const ref = { kind: 'CSIDriver', namespace: '', name: driver };
  const status = !info ? 'unknown driver' : info.csiDriver ? `profile ${info.profile.id}` : `profile ${info.profile.id}, no CSIDriver object`;
  return { ...ref, relation, status, marks: ctx.marks(ref), children: kept, more: children.length - kept.length, ...(info ? {} : { missing: true }) };
}

function driverRoot(ctx: Ctx, driver: string): ChainNode | undefined {
  const { store } = ctx;
  const info = driverIndex(store).drivers.get(driver);
  if (!info) return undefined;
  const active = driverIndex(store).activeController(driver);
  return driverLeaf(ctx, driver, '', [
    ...info.controllers.map((c) => node(ctx, c, c === active ? 'controller (leader)' : 'controller', [])),
    ...info.nodePlugins.map((p) => node(ctx, p, 'node plugin', [])),
    ...info.storageClasses.map((sc) => node(ctx, sc, 'storage class', [])),
    ...store.pvsByDriver(driver).map((pv) => node(ctx, pv, 'volume', [])),
  ]);
}

/** A driver on one node: its node plugin pods there. */
function driverOnNode(ctx: Ctx, driver: string, nodeName: string, relation: string): ChainNode {
  return driverLeaf(ctx, driver, relation, driverIndex(ctx.store).nodePluginsOn(driver, nodeName).map((p) => node(ctx, p, 'node plugin', [])));
}

function nodeRoot(ctx: Ctx, nodeName: string): ChainNode {
  const { store } = ctx;
  const rec = store.get('Node', '', nodeName)!;
  const csiNode = store.get('CSINode', '', nodeName);
  const idx = driverIndex(store);
  const pods = store.podsOnNode(nodeName);
  const plugins = pods.filter((p) => idx.classOf(p).role === 'nodePlugin');
  const mounts = pods.filter((p) => idx.classOf(p).role === 'mountPod');
  const apps = pods.filter(hasActiveVolumes);
  return node(ctx, rec, '', [
    ...(csiNode ? [node(ctx, csiNode, 'registrations', [])] : []),
    ...plugins.map((p) => node(ctx, p, 'node plugin', [])),
    ...mounts.map((p) => node(ctx, p, 'mount pod', [])),
    ...apps.map((p) => node(ctx, p, 'app pod', [])),
  ]);
}

type Direction = 'down' | 'up' | 'leaf';

/** A claim: down to its PV and driver and the pods using it; up (from a PV) to the pods only. */
function pvcNode(ctx: Ctx, pvc: PVCRec, relation: string, dir: Direction): ChainNode {
  const { store } = ctx;
  if (dir === 'leaf') {
    const pv = pvOfClaim(store, pvc);
    return node(ctx, pvc, relation, pv ? [node(ctx, pv, 'bound to', [])] : []);
  }
  const pods = store.podsUsingClaim(pvc.namespace, pvc.name);
  const podNodes = pods.map((p) => {
    const l = volumeLinks(store, p).find((x) => x.claim === pvc.name);
    return node(ctx, p, 'used by', l && l.driver && dir === 'down' ? [servicesNode(ctx, p, l, 'driver')] : []);
  });
  if (dir === 'up') return node(ctx, pvc, relation, podNodes);
  const pv = pvOfClaim(store, pvc);
  const sc = pvc.storageClass ? store.get('StorageClass', '', pvc.storageClass) : undefined;
  return node(ctx, pvc, relation, [
    ...(pv ? [pvNode(ctx, pv, 'bound to', 'down')] : []),
    ...(pvc.storageClass ? [leaf(ctx, sc, 'StorageClass', pvc.storageClass, 'storage class')] : []),
    ...podNodes,
  ]);
}

function pvNode(ctx: Ctx, pv: PVRec, relation: string, dir: Direction): ChainNode {
  const { store } = ctx;
  const children: ChainNode[] = [];
  if (dir === 'up') {
    const pvc = claimOfPV(store, pv);
    if (pvc) children.push(pvcNode(ctx, pvc, 'claimed by', 'up'));
    else if (pv.claim) children.push(missing('PersistentVolumeClaim', pv.claim.namespace, pv.claim.name, 'claimed by'));
  }
  if (pv.driver) children.push(driverLeaf(ctx, pv.driver, 'driver'));
  for (const va of store.attachmentsForPV(pv.name)) children.push(node(ctx, va, 'attachment', []));
  return node(ctx, pv, relation, children);
}
