// Small read-only helpers the list views share: which pods are app pods, the drivers and claims
// of a pod, mount pod summaries. Relations themselves come from the topology; this only shapes
// them for cells.
import type { PodRec } from '../../store/records';
import type { StoreReader } from '../../store/store';
import { driverIndex, mountPodsOfAppPod, type DriverIndex, type VolumeLink } from '../../store/topology';
import { linksOf } from '../../store/topology/volumes';
import { filterByPosition, type Filtered } from '../../store/list-diff';
import type { Tone } from '../theme';
import { worse, podStatusTone } from '../theme';
import type { FindingsView } from './findings';
import { memo } from '../../store/topology/memo';

const previousAppPods = new WeakMap<StoreReader, { readonly idx: DriverIndex; readonly pods: Filtered<PodRec> }>();

/** App pods that use PVCs or CSI volumes (the `:pods` default), finished ones included. */
export function appPods(store: StoreReader): readonly PodRec[] {
  const idx = driverIndex(store);
  return memo(store, 'views.appPods', ['Pod'], () => {
    const pods = store.list('Pod');
    // A pod's class depends on its record and the driver index alone, and the index is not
    // rebuilt on app pod churn: only the pods updated since the last list are classified again.
    const prev = previousAppPods.get(store);
    const apps = filterByPosition(prev?.idx === idx ? prev.pods : undefined, pods, (p) => p.volumes.length > 0 && idx.classOf(p).role === 'app');
    previousAppPods.set(store, { idx, pods: apps });
    return apps.out;
  }, idx);
}

export function podLinks(store: StoreReader, pod: PodRec): readonly VolumeLink[] {
  return linksOf(store, pod);
}

export function podDrivers(store: StoreReader, pod: PodRec): string {
  return [...new Set(podLinks(store, pod).map((l) => l.driver).filter(Boolean))].join(',');
}

export function podClaims(pod: PodRec): string {
  return pod.volumes
    .map((v) => v.claim ?? (v.csiDriver ? `(inline ${v.name})` : ''))
    .filter(Boolean)
    .join(',');
}

export interface MountSummary {
  readonly text: string;
  readonly tone: Tone | undefined;
  readonly pods: readonly PodRec[];
}

const NO_MOUNTS: MountSummary = { text: '', tone: undefined, pods: [] };

/** The mount pods serving an app pod as a cell: `ready/total`, `none` when one is expected but absent. */
export function mountSummary(store: StoreReader, pod: PodRec): MountSummary {
  const idx = driverIndex(store);
  if (idx.classOf(pod).mountSidecar) return { text: 'sidecar', tone: undefined, pods: [] };
  const links = podLinks(store, pod);
  const uses = links.some((l) => l.driver && idx.drivers.get(l.driver)?.profile.mountPods);
  if (!uses) return NO_MOUNTS;
  const pods = mountPodsOfAppPod(store, pod).map((m) => m.mountPod);
  if (pods.length === 0) return { text: pod.node && pod.phase !== 'Succeeded' && pod.phase !== 'Failed' ? 'none' : '', tone: pod.node ? 'warning' : undefined, pods };
  const ready = pods.filter((m) => m.ready && m.phase === 'Running').length;
  const tone = ready < pods.length ? pods.map((m) => podStatusTone(m.status, m.ready)).reduce<Tone | undefined>((a, b) => worse(a, b), undefined) : undefined;
  return { text: `${ready}/${pods.length}${ready < pods.length ? ` ${pods.find((m) => !m.ready)?.status ?? ''}` : ''}`, tone, pods };
}

/** A pod row's tone: its own status, made worse by the findings on or affecting it. */
export function podTone(pod: PodRec, findings: FindingsView): Tone | undefined {
  const t = podStatusTone(pod.status, pod.ready);
  return worse(t === 'ok' ? undefined : t, findings.worst(pod));
}

export function readyText(p: PodRec): string {
  return `${p.readyCount}/${p.containerCount}`;
}
