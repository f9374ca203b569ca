// What kubelet and the attach/detach controller say went wrong: AttachFailed (VolumeAttachment
// errors, FailedAttachVolume, `rbd: map failed … Connection timed out` = the node cannot reach
// Ceph) and MountFailed (FailedMount on a pod still waiting, when no more specific finding
// already explains that pod).
import type { EventRec, PodRec, VolumeAttachmentRec } from '../records';
import { claimOfPV, isActivePod, type VolumeLink } from '../topology/volumes';
import { refKey, type ObjRef } from '../topology/refs';
import { finding, GRACE, isWaiting, type Ctx } from './context';
import { ago, eventLines, podWarnings } from './evidence';
import { excerpt, gist, SIG, volumesInMessage } from './signatures';
import type { Finding } from './types';

/** The pod's volume links an event message names (by pod volume or PV name); all when it names none. */
function linksNamed(ctx: Ctx, pod: PodRec, events: readonly EventRec[]): VolumeLink[] {
  const links = ctx.cons.linksOf(pod);
  const names = new Set(events.flatMap((e) => volumesInMessage(e.message)));
  const hit = links.filter((l) => names.has(l.volume) || (l.pv && names.has(l.pv.name)));
  return hit.length ? hit : [...links];
}

function controllerLine(ctx: Ctx, driver: string, sidecar: string): string[] {
  const c = ctx.idx.activeController(driver) ?? ctx.idx.drivers.get(driver)?.controllers[0];
  return c ? [`${sidecar} runs in ${c.namespace}/${c.name}: ${c.status} ${c.readyCount}/${c.containerCount}`] : [];
}

function podsOnAttachmentNode(ctx: Ctx, va: VolumeAttachmentRec): PodRec[] {
  const pv = ctx.store.get('PersistentVolume', '', va.pv);
  const pvc = pv ? claimOfPV(ctx.store, pv) : undefined;
  return pvc ? ctx.store.podsUsingClaim(pvc.namespace, pvc.name).filter((p) => p.node === va.node && isActivePod(p)) : [];
}

export function checkAttachments(ctx: Ctx): Finding[] {
  const { now } = ctx;
  const out: Finding[] = [];
  const covered = new Set<string>();
  for (const va of ctx.store.list('VolumeAttachment')) {
    if (va.attached && !va.detachError) continue; // the healthy many
    const pods = podsOnAttachmentNode(ctx, va);
    const base = { driver: va.attacher, node: va.node, affects: pods };
    if (va.deleting || va.attached) {
      if (va.detachError) {
        out.push(finding('AttachFailed', 'warning', va, { ...base, message: `detaching ${va.pv} from ${va.node} fails: ${va.detachError.slice(0, 200)}`, evidence: [`detachError: ${va.detachError}`, ...controllerLine(ctx, va.attacher, 'csi-attacher')] }));
      }
      continue;
    }
    if (va.attachError) {
      const rbd = SIG.rbdMapTimeout.test(va.attachError);
      out.push(
        finding('AttachFailed', pods.length ? 'error' : 'warning', va, {
          ...base,
          message: `attaching ${va.pv} to ${va.node} fails${rbd ? ': the node cannot reach the Ceph cluster' : `: ${gist(va.attachError)}`}`,
          evidence: [`attachError (${ago(now, va.attachErrorTime)}): ${va.attachError}`, ...controllerLine(ctx, va.attacher, 'csi-attacher')],
        }),
      );
      pods.forEach((p) => covered.add(refKey(p)));
    } else if (now - va.created >= GRACE.attach && pods.some(isWaiting)) {
      out.push(
        finding('AttachFailed', 'warning', va, {
          ...base,
          message: `${va.pv} has waited ${ago(now, va.created).replace(' ago', '')} to be attached to ${va.node}`,
          evidence: [`VolumeAttachment ${va.name}: not attached, no error reported`, ...controllerLine(ctx, va.attacher, 'csi-attacher')],
        }),
      );
      pods.forEach((p) => covered.add(refKey(p)));
    }
  }
  // What the pods themselves were told.
  for (const pod of ctx.cons.waiting) {
    if (covered.has(refKey(pod))) continue;
    const warnings = podWarnings(ctx.store, pod);
    const rbd = warnings.filter((e) => SIG.rbdMapTimeout.test(e.message));
    const attach = warnings.filter((e) => e.reason === 'FailedAttachVolume' || SIG.attachFailed.test(e.message));
    const events = rbd.length ? rbd : attach;
    if (events.length === 0) continue;
    const l = linksNamed(ctx, pod, events)[0];
    out.push(
      finding('AttachFailed', 'error', pod, {
        driver: l?.driver || null,
        node: pod.node,
        message: rbd.length
          ? `rbd map times out on ${pod.node}: the node cannot reach the Ceph cluster (monitors/OSDs), so ${pod.namespace}/${pod.name} cannot start`
          : `attaching ${l?.pv?.name ?? 'a volume'} to ${pod.node} fails: ${excerpt(attach[0].message, SIG.attachFailed, 200)}`,
        evidence: [...eventLines(events, ctx.now, 3), ...(l?.driver ? controllerLine(ctx, l.driver, 'csi-attacher') : [])],
        affects: [pod],
      }),
    );
  }
  return out;
}

/** FailedMount on waiting pods that no other finding explains. */
export function checkMountFailures(ctx: Ctx, explained: (pod: ObjRef) => boolean): Finding[] {
  const { now, idx } = ctx;
  const out: Finding[] = [];
  for (const pod of ctx.cons.waiting) {
    const events = podWarnings(ctx.store, pod).filter((e) => e.reason === 'FailedMount' || e.reason === 'FailedMapVolume');
    if (events.length === 0 || explained(pod)) continue;
    const links = linksNamed(ctx, pod, events);
    const l = links.find((x) => x.driver) ?? links[0];
    const gaveUp = events.some((e) => SIG.mountTimeout.test(e.message));
    const specific = events.find((e) => !SIG.mountTimeout.test(e.message));
    const plugins = l?.driver ? idx.nodePluginsOn(l.driver, pod.node) : [];
    const mountPods = l?.pv ? ctx.mounts.onNode(pod.node).filter((m) => idx.classOf(m).driver === l.driver) : [];
    out.push(
      finding('MountFailed', 'error', pod, {
        driver: l?.driver || null,
        node: pod.node,
        message: `${pod.namespace}/${pod.name} cannot mount ${l ? `volume ${l.volume}${l.pv ? ` (${l.pv.name})` : ''}` : 'its volumes'} on ${pod.node}${specific ? `: ${gist(specific.message, 240)}` : gaveUp ? ': kubelet timed out waiting for it' : ''}`,
        evidence: [
          ...eventLines(events, now, 4),
          ...plugins.map((p) => `node plugin ${p.namespace}/${p.name}: ${p.status} ${p.readyCount}/${p.containerCount}`),
          ...mountPods.slice(0, 3).map((m) => `mount pod ${m.namespace}/${m.name}: ${m.status} ${m.readyCount}/${m.containerCount}`),
          ...(gaveUp && !specific ? ['kubelet gave up without saying why: read the node plugin logs (and the mount pod or attach state)'] : []),
        ],
        affects: [pod],
      }),
    );
  }
  return out;
}
