// `csi-top export`: every driver with its components, every volume (one entry per PVC, plus one
// per PV without a PVC) with the pods, mount pods, node plugins and attachments around it, and
// the findings. Quantities stay Kubernetes strings.
import type { PodRec, PVCRec, PVRec } from '../records';
import type { StoreReader } from '../store';
import { driverIndex } from '../topology/driver-index';
import { mountPodsOfAppPod } from '../topology/mount-index';
import { claimOfPV, driverOfClaim, isActivePod, pvOfClaim } from '../topology/volumes';
import { reportFindings, scopedFindings, type ReportOptions } from './doctor';
import { exportUsage } from '../usage/format';
import { USAGE_REASONS, type UsageInfo } from '../usage/types';
import { API_VERSION, type ExportDoc, type ExportDriver, type ExportVolume, type PodBrief } from './types';

export interface ExportOptions extends ReportOptions {
  /** The moment of the export (epoch ms): `generatedAt`, and the findings' clock. */
  readonly now: number;
  /** Volume usage per PVC (the usage poller's `get`); without it `usage` and the reason stay null. */
  readonly usageInfo?: (namespace: string, claim: string) => UsageInfo;
}

const brief = (p: PodRec): PodBrief => ({ namespace: p.namespace, name: p.name, node: p.node, ready: p.ready });
const byName = <T extends { namespace: string; name: string }>(a: T, b: T) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

export function buildExport(store: StoreReader, opts: ExportOptions): ExportDoc {
  const { context, usageInfo, namespace } = opts;
  const idx = driverIndex(store);
  const drivers: ExportDriver[] = [...idx.drivers.values()].map((d) => ({
    name: d.name,
    profile: d.profile.id,
    controllers: [...d.controllers].sort(byName).map(brief),
    nodePlugins: [...d.nodePlugins].sort(byName).map(brief),
    registeredNodes: [...d.registeredNodes].sort(),
    storageClasses: d.storageClasses.map((s) => s.name).sort(),
  }));
  const volumes: ExportVolume[] = [];
  for (const pvc of [...store.list('PersistentVolumeClaim')].sort(byName)) {
    if (!namespace || pvc.namespace === namespace) volumes.push(volume(store, pvc, pvOfClaim(store, pvc), usageInfo));
  }
  // A volume without a claim belongs to no namespace: only in the cluster-wide export.
  if (!namespace) {
    for (const pv of [...store.list('PersistentVolume')].sort((a, b) => a.name.localeCompare(b.name))) {
      if (!claimOfPV(store, pv)) volumes.push(volume(store, undefined, pv, usageInfo));
    }
  }
  return {
    apiVersion: API_VERSION,
    kind: 'Export',
    context,
    ...(namespace ? { namespace } : {}),
    generatedAt: new Date(opts.now).toISOString(),
    drivers,
    volumes,
    findings: reportFindings(store, scopedFindings(store, opts)),
  };
}

function volume(store: StoreReader, pvc: PVCRec | undefined, pv: PVRec | undefined, usageInfo: ExportOptions['usageInfo']): ExportVolume {
  const idx = driverIndex(store);
  const driver = driverOfClaim(store, pvc, pv) || null;
  const pods = pvc ? store.podsUsingClaim(pvc.namespace, pvc.name).filter(isActivePod).sort(byName) : [];
  const mountPods = new Map<string, PodRec>();
  const plugins = new Map<string, PodRec>();
  for (const p of pods) {
    if (pv) for (const m of mountPodsOfAppPod(store, p, pv)) mountPods.set(`${m.mountPod.namespace}/${m.mountPod.name}`, m.mountPod);
    if (driver && p.node) for (const n of idx.nodePluginsOn(driver, p.node)) plugins.set(`${n.namespace}/${n.name}`, n);
  }
  return {
    pvc: pvc
      ? {
          namespace: pvc.namespace,
          name: pvc.name,
          phase: pvc.phase,
          storageClass: pvc.storageClass,
          requested: pvc.requested,
          capacity: pvc.capacity,
          conditions: pvc.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
        }
      : null,
    pv: pv ? { name: pv.name, phase: pv.phase, driver: pv.driver, volumeHandle: pv.volumeHandle, capacity: pv.capacity, reclaimPolicy: pv.reclaimPolicy } : null,
    driver,
    appPods: pods.map((p) => ({ namespace: p.namespace, name: p.name, node: p.node, phase: p.phase, ready: p.ready })),
    mountPods: [...mountPods.values()].sort(byName).map((m) => ({ namespace: m.namespace, name: m.name, node: m.node, phase: m.phase, ready: m.ready, restarts: m.restarts })),
    nodePlugins: [...plugins.values()].sort(byName).map(brief),
    attachments: pv ? store.attachmentsForPV(pv.name).map((va) => ({ name: va.name, node: va.node, attached: va.attached, error: va.attachError || va.detachError })) : [],
    ...(!usageInfo ? { usage: null, usageUnknownReason: null } : pvc ? exportUsage(usageInfo(pvc.namespace, pvc.name)) : { usage: null, usageUnknownReason: USAGE_REASONS.notMounted }),
  };
}
