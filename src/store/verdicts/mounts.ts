// FUSE clients in their own pods (JuiceFS mount pods) or in sidecars: MountPodNotReady (with the
// metadata engine named when its errors show), MountPodMissing, and StaleMount — a client that
// restarted or was recreated after app pods mounted through it leaves them a dead mount
// ("transport endpoint is not connected") until they are restarted.
import type { ContainerRec, EventRec, PodRec } from '../records';
import { registry } from '../drivers/registry';
import { appPodsOfMountPod, mountPodsOfAppPod, staleMountHints, type MountIndex } from '../topology/mount-index';
import { isActivePod } from '../topology/volumes';
import { finding, GRACE, isWaiting, nodeDown, seesAllPods, type Ctx } from './context';
import { ago, eventLines, isBroken, isReady, podEvidence, podWarnings } from './evidence';
import { excerpt, SIG } from './signatures';
import { eventIndex } from './event-index';
import type { Finding } from './types';

/** Clock skew between kubelets and the apiserver we tolerate when comparing start times. */
const SKEW = 2_000;

export function checkMounts(ctx: Ctx): Finding[] {
  return [...mountFindings(ctx), ...deadMountEvents(ctx)];
}

/** Kinds besides pods that mount verdicts read. */
const MOUNT_KINDS = ['Node', 'Event', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'] as const;

const cache = new WeakMap<MountIndex, { readonly clients: readonly PodRec[]; readonly drivers: object; readonly key: string; readonly findings: Finding[] }>();

/**
 * Mount pod and mount client verdicts, reused while the mount pods, their clients, the driver index,
 * the other kinds read and the clock (to 15 s) stay the same: churn of unrelated pods costs nothing.
 */
function mountFindings(ctx: Ctx): Finding[] {
  const key = `${MOUNT_KINDS.map((k) => ctx.store.version(k)).join(':')}@${Math.floor(ctx.now / 15_000)}${seesAllPods(ctx.store) ? '' : ':ns-only'}`;
  const hit = cache.get(ctx.mounts);
  if (hit && hit.clients === ctx.cons.mountClients && hit.drivers === ctx.idx && hit.key === key) return hit.findings;
  const findings = [...mountPodFindings(ctx), ...appPodFindings(ctx)];
  cache.set(ctx.mounts, { clients: ctx.cons.mountClients, drivers: ctx.idx, key, findings });
  return findings;
}

/** The earliest moment an app pod is known to have had its volumes: its containers' (first) starts. */
function mountedBy(p: PodRec, skip?: string): number {
  let t = Infinity;
  for (const c of p.containers) {
    if (c.name === skip) continue;
    if (c.startedAt) t = Math.min(t, c.startedAt);
    if (c.last?.finishedAt) t = Math.min(t, c.last.finishedAt);
  }
  return t === Infinity ? 0 : t;
}

function clientStart(c: ContainerRec | undefined): number {
  return c && c.state === 'running' ? c.startedAt : 0;
}

/** Metadata engine / object store errors in the mount pod's messages, its events, or its app pods' events. */
function metaEngineLine(ctx: Ctx, mp: PodRec, served: readonly PodRec[]): string | undefined {
  const texts: string[] = [];
  for (const c of mp.containers) texts.push(c.message, c.last?.message ?? '');
  for (const e of ctx.store.eventsFor(mp)) texts.push(e.message);
  for (const p of served) for (const e of podWarnings(ctx.store, p)) texts.push(e.message);
  const hit = texts.find((t) => t && SIG.metaEngine.test(t));
  return hit ? `metadata engine or object storage unreachable from the mount pod: "${excerpt(hit, SIG.metaEngine)}"` : undefined;
}

function mountPodFindings(ctx: Ctx): Finding[] {
  const { store, now, idx } = ctx;
  const out: Finding[] = [];
  for (const mp of ctx.mounts.all) {
    if (mp.deleting || nodeDown(ctx, mp.node)) continue;
    const served = appPodsOfMountPod(store, mp).filter(isActivePod);
    const cls = idx.classOf(mp);
    if (!isReady(mp)) {
      if (!isBroken(mp) && now - mp.created < GRACE.start) continue;
      const meta = metaEngineLine(ctx, mp, served);
      const warnings = store.eventsFor(mp).filter((e) => e.type === 'Warning' && e.last >= mp.created);
      out.push(
        finding('MountPodNotReady', served.length ? 'error' : 'warning', mp, {
          driver: cls.driver,
          node: mp.node,
          message: `mount pod ${mp.name} on ${mp.node} is ${mp.status}${meta ? ': its metadata engine is unreachable' : ''}; ${served.length} app pod(s) lose their volume`,
          evidence: [...(meta ? [meta] : []), ...podEvidence(mp, now), ...eventLines(warnings, now, 3), ...servedEvents(ctx, served)],
          affects: served,
        }),
      );
      continue;
    }
    const hooks = ctx.mounts.hooksOf(mp);
    if (hooks?.tookOverMounts?.(mp, eventIndex(store).upgrades)) continue;
    const client = mp.containers.find((c) => c.name === cls.mainContainer) ?? mp.containers.find((c) => !c.init);
    const start = clientStart(client);
    if (!start) continue;
    // Pods whose containers receive host mount changes get their mount point re-made by the driver.
    const stale = served.filter((p) => p.phase === 'Running' && mountedBy(p) > 0 && start > mountedBy(p) + SKEW && !recovers(ctx, p, mp));
    if (stale.length === 0) continue;
    const how = client && client.restarts > 0 ? `its ${client.name} container restarted (${client.restarts}×, current instance started ${ago(now, start)})` : `it was (re)created ${ago(now, mp.created)}`;
    out.push(
      finding('StaleMount', 'error', mp, {
        driver: cls.driver,
        node: mp.node,
        message: `mount pod ${mp.name} ${client && client.restarts > 0 ? 'restarted' : 'was recreated'} after ${stale.length} app pod(s) mounted through it: their mounts are dead, restart them (mountPropagation HostToContainer would let the driver recover them)`,
        evidence: [
          `${mp.name}: ${how}`,
          ...(client?.last ? [`previous ${client.name} exit ${client.last.exitCode ?? '?'} (${client.last.reason}) ${ago(now, client.last.finishedAt)}${client.last.message ? `: ${client.last.message.slice(0, 200)}` : ''}`] : []),
          ...stale.slice(0, 5).map((p) => `pod ${p.namespace}/${p.name} has had its volume since ${ago(now, mountedBy(p))}, before the current client started`),
          ...servedEvents(ctx, stale),
        ],
        affects: stale,
      }),
    );
  }
  return out;
}

/** Whether every volume of the app pod that this mount pod serves propagates host mounts (mount point recovery). */
function recovers(ctx: Ctx, app: PodRec, mp: PodRec): boolean {
  const pvs = new Set(ctx.mounts.forAppUid(app.uid).filter((r) => r.mountPod === mp).map((r) => r.pv));
  const vols = ctx.cons.linksOf(app).filter((l) => l.pv && (pvs.size === 0 || pvs.has(l.pv.name)));
  return vols.length > 0 && vols.every((l) => app.volumes.find((v) => v.name === l.volume)?.hostToContainer);
}

function servedEvents(ctx: Ctx, pods: readonly PodRec[]): string[] {
  const out: string[] = [];
  for (const p of pods.slice(0, 3)) {
    const evs = podWarnings(ctx.store, p).filter((e) => /Mount/.test(e.reason) || SIG.deadMount.test(e.message));
    out.push(...eventLines(evs, ctx.now, 1, `${p.namespace}/${p.name}: `));
  }
  return out;
}

/** App pods whose driver runs its client in mount pods but have none, and sidecar-mode clients. */
function appPodFindings(ctx: Ctx): Finding[] {
  const { store, now, idx } = ctx;
  const out: Finding[] = [];
  for (const pod of ctx.cons.mountClients) {
    if (!pod.node || pod.deleting) continue;
    const cls = idx.classOf(pod);
    if (cls.mountSidecar) {
      const f = sidecarFinding(ctx, pod, cls.mountSidecar, cls.driver);
      if (f) out.push(f);
      continue;
    }
    // The common case, answered by one lookup: a mount pod holds a reference for this pod.
    if (ctx.mounts.forAppUid(pod.uid).length > 0 && ctx.cons.linksOf(pod).length === 1) continue;
    for (const l of ctx.cons.linksOf(pod)) {
      const info = idx.drivers.get(l.driver);
      if (!l.pv || !info || !registry.mountHooksFor(l.driver)) continue;
      if (mountPodsOfAppPod(store, pod, l.pv).length > 0 || !seesAllPods(store)) continue;
      const dead = staleMountHints(store, pod);
      const complaints = podWarnings(store, pod).filter((e) => SIG.mountPodDown.test(e.message));
      // No mount pod of this driver anywhere and nothing pointing at one: process mode, or hidden from us.
      if (info.mountPods.length === 0 && dead.length === 0 && complaints.length === 0) continue;
      if (isWaiting(pod) && now - pod.created < GRACE.start && complaints.length === 0) continue;
      if (pod.phase !== 'Running' && !isWaiting(pod)) continue;
      out.push(
        finding('MountPodMissing', 'error', pod, {
          driver: l.driver,
          node: pod.node,
          message:
            pod.phase === 'Running'
              ? `no mount pod serves ${l.pv.name} for ${pod.namespace}/${pod.name} on ${pod.node}: its mount is dead, restart the pod`
              : `no mount pod for ${l.pv.name} on ${pod.node}: ${pod.namespace}/${pod.name} cannot start`,
          evidence: [
            ...dead.map((d) => `the pod's annotation points at mount pod ${d}, which no longer exists`),
            `mount pods of ${l.driver} on ${pod.node}: ${ctx.mounts.onNode(pod.node).map((m) => m.name).join(', ') || 'none'}`,
            ...eventLines(complaints, now, 3),
            ...nodePluginLine(ctx, l.driver, pod.node),
          ],
          affects: [pod],
        }),
      );
    }
  }
  return out;
}

function nodePluginLine(ctx: Ctx, driver: string, node: string): string[] {
  const plugins = ctx.idx.nodePluginsOn(driver, node);
  return plugins.length
    ? plugins.map((p) => `node plugin ${p.namespace}/${p.name} (creates mount pods): ${p.status} ${p.readyCount}/${p.containerCount}`)
    : [`no ${driver} node plugin on ${node} to create the mount pod`];
}

function sidecarFinding(ctx: Ctx, pod: PodRec, name: string, driver: string): Finding | undefined {
  const { now } = ctx;
  const c = pod.containers.find((x) => x.name === name);
  if (!c) return undefined;
  if (!c.ready && (isBroken(pod) || now - pod.created >= GRACE.start) && isActivePod(pod)) {
    const meta = metaEngineLine(ctx, pod, [pod]);
    return finding('MountPodNotReady', 'error', pod, {
      driver,
      node: pod.node,
      message: `the ${name} sidecar of ${pod.namespace}/${pod.name} is not ready: its volume is not mounted`,
      evidence: [...(meta ? [meta] : []), ...podEvidence(pod, now).filter((l) => !l.startsWith('container ') || l.startsWith(`container ${name}:`))],
      affects: [pod],
    });
  }
  const start = clientStart(c);
  const apps = mountedBy(pod, name);
  if (c.restarts > 0 && start && apps && start > apps + SKEW) {
    return finding('StaleMount', 'error', pod, {
      driver,
      node: pod.node,
      message: `the ${name} sidecar of ${pod.namespace}/${pod.name} restarted after the app started: restart the pod to remount`,
      evidence: podEvidence(pod, now).filter((l) => l.startsWith(`container ${name}:`)),
      affects: [pod],
    });
  }
  return undefined;
}

/** "transport endpoint is not connected" on running pods, after their current start: a dead FUSE mount. */
function deadMountEvents(ctx: Ctx): Finding[] {
  const byPod = new Map<string, EventRec[]>();
  for (const e of eventIndex(ctx.store).deadMounts) {
    const k = `${e.involved.namespace}/${e.involved.name}`;
    const l = byPod.get(k);
    l ? l.push(e) : byPod.set(k, [e]);
  }
  const out: Finding[] = [];
  for (const [k, events] of byPod) {
    const [ns, name] = k.split('/');
    const pod = ctx.store.get('Pod', ns, name);
    if (!pod || pod.phase !== 'Running' || pod.deleting) continue;
    const fresh = events.filter((e) => e.last >= pod.created && (!e.involved.uid || e.involved.uid === pod.uid)).sort((a, b) => b.last - a.last);
    if (fresh.length === 0) continue;
    const driver = ctx.cons.linksOf(pod).find((l) => l.driver)?.driver ?? null;
    out.push(
      finding('StaleMount', 'error', pod, {
        driver,
        node: pod.node,
        message: `${pod.namespace}/${pod.name} reports a dead FUSE mount (transport endpoint is not connected): restart it to remount`,
        evidence: eventLines(fresh, ctx.now, 3),
        affects: [pod],
      }),
    );
  }
  return out;
}
