// Volume health: VolumeAbnormal (external-health-monitor / kubelet VolumeConditionAbnormal events,
// cleared by a later VolumeConditionNormal) and VolumeNearlyFull (from the usage input).
import type { EventRec, PVCRec } from '../records';
import { isActivePod } from '../topology/volumes';
import { pvOfClaim } from '../topology/volumes';
import { finding, type Ctx } from './context';
import { eventLines } from './evidence';
import { gist } from './signatures';
import { eventIndex } from './event-index';
import type { Finding, VerdictOptions } from './types';
import type { StoreReader } from '../store';

/** VolumeAbnormal; VolumeNearlyFull is judged apart (nearlyFull), as usage changes on its own. */
export function checkHealth(ctx: Ctx): Finding[] {
  return abnormal(ctx);
}

function abnormal(ctx: Ctx): Finding[] {
  const groups = new Map<string, EventRec[]>();
  for (const e of eventIndex(ctx.store).volumeConditions) {
    const k = `${e.involved.kind}/${e.involved.namespace}/${e.involved.name}`;
    const l = groups.get(k);
    l ? l.push(e) : groups.set(k, [e]);
  }
  const out: Finding[] = [];
  for (const events of groups.values()) {
    events.sort((a, b) => b.last - a.last);
    const latest = events[0];
    if (latest.reason !== 'VolumeConditionAbnormal') continue; // a later Normal cleared it
    const io = latest.involved;
    let pvc: PVCRec | undefined;
    let pods = [];
    if (io.kind === 'PersistentVolumeClaim') {
      pvc = ctx.store.get('PersistentVolumeClaim', io.namespace, io.name);
      if (!pvc || (io.uid && pvc.uid !== io.uid)) continue;
      pods = ctx.store.podsUsingClaim(pvc.namespace, pvc.name).filter(isActivePod);
    } else if (io.kind === 'Pod') {
      const pod = ctx.store.get('Pod', io.namespace, io.name);
      if (!pod || !isActivePod(pod) || (io.uid && pod.uid !== io.uid) || latest.last < pod.created) continue;
      pods = [pod];
      const link = ctx.cons.linksOf(pod).find((l) => l.pvc && (latest.message.includes(l.volume) || (l.pv && latest.message.includes(l.pv.name))));
      pvc = link?.pvc;
    } else continue;
    const object = pvc ?? { kind: io.kind, namespace: io.namespace, name: io.name };
    const pv = pvc ? pvOfClaim(ctx.store, pvc) : undefined;
    out.push(
      finding('VolumeAbnormal', pods.length ? 'error' : 'warning', object, {
        driver: pv?.driver || null,
        node: pods[0]?.node || null,
        message: `${pvc ? `volume of PVC ${pvc.namespace}/${pvc.name}` : `a volume of ${io.namespace}/${io.name}`} is reported abnormal: ${gist(latest.message)}`,
        evidence: eventLines(events, ctx.now, 3),
        affects: pods,
      }),
    );
  }
  return out;
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(b < 10 * 2 ** 30 ? 2 : 1)} GiB`;

/** VolumeNearlyFull: reads only the usage input, claims, their pods, PVs and StorageClasses. */
export function nearlyFull(store: StoreReader, usage: VerdictOptions['usage'], fullThreshold: number | undefined): Finding[] {
  if (!usage) return [];
  const threshold = fullThreshold ?? 0.9;
  const out: Finding[] = [];
  for (const [key, u] of usage) {
    const bytes = u.capacityBytes > 0 ? u.usedBytes / u.capacityBytes : 0;
    const inodes = u.inodes && u.inodesUsed !== undefined ? u.inodesUsed / u.inodes : 0;
    const ratio = Math.max(bytes, inodes);
    if (ratio < threshold) continue;
    const slash = key.indexOf('/');
    const pvc = store.get('PersistentVolumeClaim', key.slice(0, slash), key.slice(slash + 1));
    if (!pvc) continue;
    const sc = pvc.storageClass ? store.get('StorageClass', '', pvc.storageClass) : undefined;
    const pods = store.podsUsingClaim(pvc.namespace, pvc.name).filter(isActivePod);
    const what = inodes > bytes ? `${Math.floor(inodes * 100)}% of its inodes used (${u.inodesUsed} of ${u.inodes})` : `${Math.floor(bytes * 100)}% full (${gib(u.usedBytes)} of ${gib(u.capacityBytes)})`;
    out.push(
      finding('VolumeNearlyFull', ratio >= 0.99 ? 'error' : 'warning', pvc, {
        driver: pvOfClaim(store, pvc)?.driver || null,
        node: pods[0]?.node || null,
        message: `PVC ${pvc.namespace}/${pvc.name} is ${what}`,
        evidence: [
          `used ${gib(u.usedBytes)} of ${gib(u.capacityBytes)} (${(bytes * 100).toFixed(1)}%)${u.inodes ? `, inodes ${u.inodesUsed}/${u.inodes} (${(inodes * 100).toFixed(1)}%)` : ''}`,
          sc ? (sc.allowVolumeExpansion ? `StorageClass ${sc.name} allows expansion: raise spec.resources.requests.storage` : `StorageClass ${sc.name} does not allow expansion`) : 'no StorageClass',
        ],
        affects: pods,
      }),
    );
  }
  return out;
}
