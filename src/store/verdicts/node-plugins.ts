// Is the driver there for the pods that need it? DriverNotInstalled (nothing of it anywhere),
// NodePluginMissing (not on this node), NodePluginNotReady (there but down), DriverNotRegistered
// (running, but the kubelet does not know it). Pod events are read too: kubelet's own words
// ("driver name X not found in the list of registered CSI drivers", "csi.sock: connect: no such
// file or directory") count when they are newer than the plugin's last recovery.
import type { EventRec, PodRec, WorkloadRec } from '../records';
import type { DriverInfo } from '../topology/driver-index';
import { registry } from '../drivers/registry';
import { registrationDir } from '../drivers/match';
import { volumeIndex } from '../topology/volumes';
import { canSee, finding, GRACE, installed, isWaiting, nodeDown, seesAllPods, type Ctx } from './context';
import { eventLines, isBroken, isReady, podEvidence, podWarnings, readySince } from './evidence';
import { SIG } from './signatures';
import type { Finding } from './types';

export function checkNodePlugins(ctx: Ctx): Finding[] {
  return [...driverNotInstalled(ctx), ...nodePluginMissing(ctx), ...nodePluginProblems(ctx)];
}

function driverNotInstalled(ctx: Ctx): Finding[] {
  const { store, idx, cons } = ctx;
  // Without CSINode (registrations) csi-top cannot tell a driver without a CSIDriver object from a missing one.
  if (!canSee(store, 'CSINode')) return [];
  const pvsOf = new Map<string, readonly { readonly name: string; readonly phase: string }[]>();
  for (const [driver, pvs] of volumeIndex(store).byDriver) {
    if (!installed(idx.drivers.get(driver))) pvsOf.set(driver, pvs);
  }
  const drivers = new Set(pvsOf.keys());
  for (const byDriver of cons.nodeDrivers.values()) {
    for (const d of byDriver.keys()) {
      // Inline volumes and claims of a profile's driver name it even without a PV.
      if (!installed(idx.drivers.get(d)) && (idx.drivers.has(d) || registry.profileFor(d).drivers.length > 0)) drivers.add(d);
    }
  }
  const out: Finding[] = [];
  for (const d of drivers) {
    const pods = cons.ofDriver(d);
    const pvs = pvsOf.get(d) ?? [];
    const evidence = [
      `no CSIDriver object named ${d}, no CSINode lists it, no node plugin or controller pod of it`,
      ...pvs.slice(0, 5).map((p) => `PersistentVolume ${p.name} (${p.phase}) uses it`),
      ...(pvs.length > 5 ? [`… and ${pvs.length - 5} more PersistentVolumes`] : []),
    ];
    out.push(
      finding('DriverNotInstalled', pods.length ? 'error' : 'warning', { kind: 'CSIDriver', namespace: '', name: d }, {
        driver: d,
        message: `CSI driver ${d} is not installed but ${pods.length ? `${pods.length} pod(s)` : `${pvs.length} volume(s)`} use it`,
        evidence,
        affects: pods,
      }),
    );
  }
  return out;
}

/** kubelet's complaints about a driver on a node, from the waiting pods there. */
function kubeletComplaints(ctx: Ctx, node: string, driver: string, since = 0): EventRec[] {
  const out: EventRec[] = [];
  for (const p of ctx.cons.waitingOn(node, driver)) {
    for (const e of podWarnings(ctx.store, p)) {
      if (e.last < since) continue;
      const nr = SIG.notRegistered.exec(e.message);
      if (nr && nr[1] === driver) out.push(e);
      else if (SIG.socketDown.test(e.message) && socketBelongsTo(ctx, e.message, driver, node)) out.push(e);
    }
  }
  return out.sort((a, b) => b.last - a.last);
}

/** Whether a "csi.sock: connect" message names this driver's socket (or the pod uses no other driver). */
function socketBelongsTo(ctx: Ctx, message: string, driver: string, node: string): boolean {
  const path = SIG.socketDown.exec(message)?.[1] ?? '';
  const dir = registrationDir(path);
  if (dir === driver) return true;
  const plugins = ctx.idx.drivers.get(driver)?.nodePlugins ?? [];
  if (plugins.some((p) => registrationDir(p.csi?.registrationPath) === dir)) return true;
  // Unknown socket: attribute it only when no other driver's plugin claims that directory.
  return ![...ctx.idx.drivers.values()].some((d) => d.name !== driver && (d.name === dir || d.nodePlugins.some((p) => p.node === node && registrationDir(p.csi?.registrationPath) === dir)));
}

function pluginSet(ctx: Ctx, d: DriverInfo): WorkloadRec | undefined {
  for (const p of d.nodePlugins) {
    if (p.owner?.kind !== 'DaemonSet') continue;
    const ds = ctx.store.byUid(p.owner.uid);
    if (ds && ds.kind === 'DaemonSet') return ds;
  }
  return undefined;
}

function nodePluginMissing(ctx: Ctx): Finding[] {
  if (!seesAllPods(ctx.store)) return [];
  const out: Finding[] = [];
  for (const [node, byDriver] of ctx.cons.nodeDrivers) {
    for (const [driver, pods] of byDriver) {
      const f = missingOn(ctx, node, driver, pods);
      if (f) out.push(f);
    }
  }
  return out;
}

/** NodePluginMissing for one driver on one node, unless a rollout or our own blindness explains it. */
function missingOn(ctx: Ctx, node: string, driver: string, pods: readonly PodRec[]): Finding | undefined {
  const { store, idx } = ctx;
  const d = idx.drivers.get(driver);
  if (!d || !installed(d) || idx.nodePluginsOn(driver, node).length > 0) return undefined;
  if (nodeDown(ctx, node)) return undefined; // the node itself is down: not a storage finding
  const nodeRec = store.get('Node', '', node);
  const waiting = pods.filter(isWaiting);
  const complaints = kubeletComplaints(ctx, node, driver);
  const registered = idx.registered(driver, node);
  const ds = pluginSet(ctx, d);
  if (d.nodePlugins.length === 0) {
    // No plugin pod of this driver is visible anywhere (another namespace, RBAC): only kubelet's word counts.
    if (registered === true || complaints.length === 0) return undefined;
  } else {
    const rollingOut = !!ds && ds.updated < ds.desired;
    if (rollingOut && (registered === true || waiting.length === 0)) return undefined;
  }
  const evidence = [
    d.nodePlugins.length ? `node plugins of ${driver} run on: ${[...new Set(d.nodePlugins.map((p) => p.node))].sort().join(', ')}` : `no node plugin pod of ${driver} is visible`,
    ...(ds ? [`DaemonSet ${ds.namespace}/${ds.name}: ${ds.ready}/${ds.desired} ready, ${ds.updated} updated — ${node} is not among its nodes (nodeSelector, affinity or tolerations)`] : []),
    ...(nodeRec?.taints.length ? [`node ${node} taints: ${nodeRec.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`] : []),
    registered === false ? `CSINode ${node} does not list ${driver}` : registered ? `CSINode ${node} still lists ${driver} (stale registration)` : `no CSINode for ${node}`,
    ...eventLines(complaints, ctx.now, 3),
  ];
  const running = pods.length - waiting.length;
  return finding('NodePluginMissing', waiting.length || complaints.length ? 'error' : 'warning', { kind: 'Node', namespace: '', name: node }, {
    driver,
    node,
    message: `no ${driver} node plugin on ${node}: ${[
      waiting.length ? `${waiting.length} pod(s) cannot mount their volumes` : '',
      running ? `${running} running pod(s) cannot remount or unmount theirs` : '',
    ]
      .filter(Boolean)
      .join('; ')}`,
    evidence,
    affects: pods,
  });
}

/** Node plugin pods that are down, or up but unknown to the kubelet. */
function nodePluginProblems(ctx: Ctx): Finding[] {
  const { idx, now } = ctx;
  const out: Finding[] = [];
  for (const d of idx.drivers.values()) {
    for (const p of d.nodePlugins) {
      if (p.deleting || !p.node || nodeDown(ctx, p.node)) continue;
      const pods = ctx.cons.onNode(p.node, d.name);
      if (!isReady(p)) {
        // A rollout's replacement already ready on the node, or a young pod still starting: not a finding.
        if (idx.nodePluginsOn(d.name, p.node).some((o) => o !== p && isReady(o))) continue;
        if (!isBroken(p) && now - p.created < GRACE.start) continue;
        out.push(
          finding('NodePluginNotReady', pods.length ? 'error' : 'warning', p, {
            driver: d.name,
            node: p.node,
            message: `${d.name} node plugin on ${p.node} is ${p.status} (${p.readyCount}/${p.containerCount} ready): volumes of ${d.name} there cannot be mounted or unmounted`,
            evidence: [...podEvidence(p, now), ...eventLines(ctx.store.eventsFor(p).filter((e) => e.type === 'Warning' && e.last >= p.created), now, 3), ...eventLines(kubeletComplaints(ctx, p.node, d.name), now, 2)],
            affects: pods,
          }),
        );
        continue;
      }
      const since = readySince(p);
      const registered = idx.registered(d.name, p.node);
      const complaints = kubeletComplaints(ctx, p.node, d.name, since + 30_000);
      const unregistered = registered === false && d.confirmed && now - since >= GRACE.register;
      if (!unregistered && complaints.length === 0) continue;
      const socket = complaints.find((e) => SIG.socketDown.test(e.message));
      const code = !unregistered && socket ? 'NodePluginNotReady' : 'DriverNotRegistered';
      const registrar = p.containers.find((c) => /registrar/.test(c.name) || /node-driver-registrar/.test(c.image));
      out.push(
        finding(code, pods.length || complaints.length ? 'error' : 'warning', p, {
          driver: d.name,
          node: p.node,
          message:
            code === 'DriverNotRegistered'
              ? `${d.name} node plugin runs on ${p.node} but the kubelet has not registered the driver there`
              : `${d.name} node plugin on ${p.node} looks ready but the kubelet cannot reach its socket`,
          evidence: [
            registered === false ? `CSINode ${p.node} lists: ${registeredList(ctx, p.node) || 'no drivers'}` : `CSINode ${p.node} lists ${d.name}, yet the kubelet still fails after the plugin became ready`,
            ...(p.csi?.registrationPath ? [`registrar socket path: ${p.csi.registrationPath} (must be under the kubelet's root directory)`] : []),
            ...(registrar && (registrar.restarts || !registrar.ready) ? podEvidence(p, now).filter((l) => l.includes(registrar.name)) : []),
            ...eventLines(complaints, now, 3),
          ],
          affects: pods,
        }),
      );
    }
  }
  return out;
}

function registeredList(ctx: Ctx, node: string): string {
  return (ctx.store.get('CSINode', '', node)?.drivers ?? []).map((x) => x.name).join(', ');
}
