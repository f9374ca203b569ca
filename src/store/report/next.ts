// For each finding: the chain it sits in (app pod → … → the object at fault) and the commands a
// person runs next — the right pod, the right container, `--previous` when it crashed.
import type { PodRec } from '../records';
import type { StoreReader } from '../store';
import { chainFor, type ChainNode } from '../topology/chain';
import { driverIndex } from '../topology/driver-index';
import { pathTo } from '../topology/related';
import { refText, type ObjRef } from '../topology/refs';
import { imageName } from '../drivers/match';
import type { Finding } from '../verdicts/types';
import { formatBytes, quantityBytes } from '../../util/quantity';

const hop = (n: ChainNode): string => (n.missing ? `${n.relation || n.kind} missing (${n.status})` : `${refText(n)} (${n.status})`);

/** The first path from the root to a node marked missing, else the root's first branch. */
function spine(root: ChainNode, depth = 5): ChainNode[] {
  const toMissing = (n: ChainNode): ChainNode[] | undefined => {
    if (n.missing) return [n];
    for (const c of n.children) {
      const p = toMissing(c);
      if (p) return [n, ...p];
    }
    return undefined;
  };
  const found = toMissing(root);
  if (found) return found;
  const out: ChainNode[] = [];
  for (let n: ChainNode | undefined = root; n && out.length < depth; n = n.children[0]) out.push(n);
  return out;
}

export function chainOf(store: StoreReader, f: Finding): string[] {
  const pods = f.affects.map((a) => store.get('Pod', a.namespace, a.name)).filter((p): p is PodRec => !!p);
  const start: ObjRef = pods.find((p) => p.phase === 'Pending') ?? pods[0] ?? f.object;
  const root = chainFor(store, start, { limit: 20 });
  if (!root) return [refText(f.object)];
  const path = pathTo(root, f.object);
  return (path.length ? path : spine(root)).map(hop);
}

const logs = (p: PodRec, container: string, previous: boolean) =>
  `kubectl -n ${p.namespace} logs ${p.name}${container ? ` -c ${container}` : ''}${previous ? ' --previous' : ''}`;
const describe = (kind: string, r: ObjRef) => `kubectl ${r.namespace ? `-n ${r.namespace} ` : ''}describe ${kind} ${r.name}`;

/** Logs of the pod's main container (or a named one), with --previous when it has crashed. */
function podLogs(store: StoreReader, p: PodRec, container?: string): string {
  const name = container ?? driverIndex(store).classOf(p).mainContainer;
  const c = p.containers.find((x) => x.name === name);
  return logs(p, name, !!c && c.restarts > 0 && !c.ready);
}

/** The container of a controller pod running a given kubernetes-csi sidecar (csi-provisioner…). */
function sidecarContainer(p: PodRec, sidecar: string): string {
  const kind = sidecar.replace('csi-', '');
  const byImage = p.containers.find((c) => [sidecar, `external-${kind}`].some((x) => imageName(c.image).includes(x)));
  return (byImage ?? p.containers.find((c) => c.name.includes(kind)))?.name ?? '';
}

function controllerLogs(store: StoreReader, driver: string | null, sidecar: string): string[] {
  if (!driver) return [];
  const idx = driverIndex(store);
  const c = idx.activeController(driver) ?? idx.drivers.get(driver)?.controllers[0];
  return c ? [podLogs(store, c, sidecarContainer(c, sidecar) || undefined)] : [];
}

function nodePluginLogs(store: StoreReader, driver: string | null, node: string | null): string[] {
  if (!driver || !node) return [];
  return driverIndex(store).nodePluginsOn(driver, node).slice(0, 1).map((p) => podLogs(store, p));
}

/** Half as much again, in whole GiB: a starting point for the new request. */
function biggerSize(capacity: string): string {
  const bytes = quantityBytes(capacity);
  return Number.isFinite(bytes) && bytes > 0 ? formatBytes(Math.ceil((bytes * 1.5) / 2 ** 30) * 2 ** 30) : '<new size>';
}

export function nextCommands(store: StoreReader, f: Finding): string[] {
  const o = f.object;
  const pod = o.kind === 'Pod' ? store.get('Pod', o.namespace, o.name) : undefined;
  const affected = f.affects.slice(0, 3);
  switch (f.code) {
    case 'MountPodNotReady': {
      const sidecar = pod && driverIndex(store).classOf(pod).mountSidecar;
      return pod ? [podLogs(store, pod, sidecar || undefined), describe('pod', pod)] : [];
    }
    case 'StaleMount':
      return [
        ...affected.map((a) => `kubectl -n ${a.namespace} delete pod ${a.name}   # recreate it to remount`),
        ...(pod && !f.affects.some((a) => a.name === pod.name && a.namespace === pod.namespace) ? [podLogs(store, pod)] : []),
      ];
    case 'MountPodMissing':
      return [...nodePluginLogs(store, f.driver, f.node), describe('pod', o)];
    case 'NodePluginMissing': {
      const d = driverIndex(store).drivers.get(f.driver ?? '');
      const ds = d?.nodePlugins.find((p) => p.owner?.kind === 'DaemonSet')?.owner;
      const nsOf = d?.nodePlugins[0]?.namespace ?? '';
      return [...(ds ? [`kubectl -n ${nsOf} get daemonset ${ds.name} -o yaml   # nodeSelector, affinity, tolerations`] : []), `kubectl describe node ${o.name}`];
    }
    case 'NodePluginNotReady':
      return pod ? [podLogs(store, pod), describe('pod', pod)] : [];
    case 'DriverNotRegistered': {
      const registrar = pod?.containers.find((c) => /registrar/.test(c.name) || /registrar/.test(imageName(c.image)));
      return [...(pod ? [podLogs(store, pod, registrar?.name)] : []), `kubectl get csinode ${f.node} -o yaml`];
    }
    case 'ControllerNotReady':
      return pod ? [podLogs(store, pod), describe('pod', pod)] : [];
    case 'DriverNotInstalled':
      return ['kubectl get csidrivers', `kubectl get pv -o custom-columns=NAME:.metadata.name,DRIVER:.spec.csi.driver,STATUS:.status.phase | grep ${o.name}`];
    case 'PVCPending':
      return [describe('pvc', o), ...controllerLogs(store, f.driver, 'csi-provisioner')];
    case 'PVCLost':
      return [describe('pvc', o)];
    case 'OrphanPV':
      return f.severity === 'info'
        ? [`kubectl get pv ${o.name} -o yaml`, `kubectl delete pv ${o.name}   # once the data is no longer needed`]
        : [describe('pv', o), ...controllerLogs(store, f.driver, 'csi-provisioner')];
    case 'AttachFailed':
      return o.kind === 'VolumeAttachment'
        ? [describe('volumeattachment', o), ...controllerLogs(store, f.driver, 'csi-attacher')]
        : [...nodePluginLogs(store, f.driver, f.node), describe('pod', o)];
    case 'MountFailed':
      return [describe('pod', o), ...nodePluginLogs(store, f.driver, f.node)];
    case 'ResizePending':
      return [describe('pvc', o), ...(f.severity === 'warning' ? nodePluginLogs(store, f.driver, f.node) : [])];
    case 'ResizeFailed':
      return [describe('pvc', o), ...controllerLogs(store, f.driver, 'csi-resizer')];
    case 'VolumeAbnormal':
      return [describe(o.kind === 'Pod' ? 'pod' : 'pvc', o)];
    case 'VolumeNearlyFull': {
      const pvc = store.get('PersistentVolumeClaim', o.namespace, o.name);
      return [`kubectl -n ${o.namespace} patch pvc ${o.name} -p '{"spec":{"resources":{"requests":{"storage":"${biggerSize(pvc?.capacity ?? '')}"}}}}'`];
    }
  }
}
