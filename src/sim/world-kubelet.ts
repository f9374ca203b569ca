// kubelet and kube-scheduler, as far as storage shows: pods are bound to a fitting node, go
// Pending → ContainerCreating → Running once every volume is attached and mounted, and wait in
// ContainerCreating with kubelet's FailedMount events while a volume cannot be (driver not
// registered on the node, attach not done, a mount fault, a JuiceFS mount pod not ready).
// Terminating pods are finished off; JuiceFS mount pods whose metadata engine is down crash-loop.
import { attachmentName, crashLoopStatus, creatingStatus, KObj, keyOf, runningStatus } from './scenarios/kube';
import { fitsNode, nodeReady } from './scenarios/workload';
import { juicefsMountMetaTimeout, juicefsMountOk } from './scenarios/logtext';
import type { Controller, Runtime } from './world-runtime';
import { parseKey } from './world-runtime';
import { hostIPOf, isMountPod, isSidecarMode, JUICEFS, podVolumes } from './world-volumes';

interface Blocker {
  volume: string;
  /** Waiting for the attach/detach controller rather than for a mount. */
  unattached?: boolean;
  /** What kubelet says about it; undefined while it waits silently (attach in progress). */
  message?: string;
}

export function kubelet(rt: Runtime): Controller {
  const { api } = rt;
  const rechecks = new Set<string>();
  const waitingSince = new Map<string, number>();
  const lastComplaint = new Map<string, number>();
  const waitMessages = new Map<string, string>();
  const podIps = new Map<string, number>();
  let rr = 0;

  const self: Controller = { name: 'kubelet', watches: ['Pod'], reconcile, keysFor: (_t, o) => [keyOf(o)] };
  // Volume state other objects hold: re-check the pods waiting on it.
  const nudge: Controller = {
    name: 'kubelet-volumes',
    watches: ['CSINode', 'VolumeAttachment', 'PersistentVolumeClaim'],
    keysFor: () => ['all'],
    reconcile: () => {
      for (const uid of waitingSince.keys()) {
        const key = waitingKeys.get(uid);
        if (key) rt.dirty(self, key);
      }
    },
  };
  const waitingKeys = new Map<string, string>();

  function recheck(key: string, ticks: number): void {
    if (rechecks.has(key)) return;
    rechecks.add(key);
    rt.after(ticks, () => {
      rechecks.delete(key);
      rt.dirty(self, key);
    });
  }

  function reconcile(key: string): void {
    const { namespace, name } = parseKey(key);
    const pod = api.get('Pod', namespace, name);
    if (!pod) return;
    if (pod.metadata.deletionTimestamp) return terminate(pod, key);
    const node = pod.spec?.nodeName;
    if (!node) return schedule(pod, key);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    if (isMountPod(pod) && metaFault(pod)) return crashLoop(pod, key);
    if (phase === 'Running') return;
    if (!pod.status?.containerStatuses) {
      api.updateStatus({ ...pod, status: creatingStatus(pod.spec, { hostIP: hostIPOf(api.get('Node', undefined, node)) }, Date.now()) });
      return recheck(key, 1);
    }
    const blockers = volumeBlockers(pod, node);
    if (blockers.length === 0) return start(pod, node);
    complain(pod, node, blockers, key);
  }

  function schedule(pod: KObj, key: string): void {
    const vols = podVolumes(api, pod);
    const unbound = vols.filter((v) => v.pvc && v.pvc.status?.phase !== 'Bound');
    const immediate = unbound.filter((v) => api.get('StorageClass', undefined, v.pvc!.spec?.storageClassName)?.volumeBindingMode !== 'WaitForFirstConsumer');
    const nodes = api.list('Node');
    const fitting = nodes.filter((n) => nodeReady(n) && fitsNode(pod.spec, n) && pinnedNodes(vols).every((set) => set.has(n.metadata.name)));
    if (immediate.length || fitting.length === 0) {
      const why = immediate.length ? 'pod has unbound immediate PersistentVolumeClaims' : `${nodes.length} node(s) didn't match Pod's node affinity/selector or had untolerated taints`;
      const msg = `0/${nodes.length} nodes are available: ${why}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      rt.events.record(pod, 'Warning', 'FailedScheduling', msg, { component: 'default-scheduler' });
      if (pod.status?.conditions?.[0]?.message !== msg) {
        api.updateStatus({ ...pod, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), reason: 'Unschedulable', message: msg }], qosClass: pod.status?.qosClass } });
      }
      return recheck(key, 5);
    }
    const node = fitting[rr++ % fitting.length].metadata.name;
    for (const v of unbound) {
      // WaitForFirstConsumer: the scheduler picks the node and tells the provisioner.
      api.update({ ...v.pvc!, metadata: { ...v.pvc!.metadata, annotations: { ...v.pvc!.metadata.annotations, 'volume.kubernetes.io/selected-node': node } } });
    }
    const bound = api.bind(pod, node);
    rt.events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, { component: 'default-scheduler' });
  }

  /** Node names a pod's bound PVs are restricted to by node affinity (local volumes, hostpath). */
  function pinnedNodes(vols: ReturnType<typeof podVolumes>): Array<Set<string>> {
    const out: Array<Set<string>> = [];
    for (const v of vols) {
      const terms = v.pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
      const values = terms.flatMap((t: Record<string, any>) => (t.matchExpressions ?? []).flatMap((e: Record<string, any>) => (e.operator === 'In' ? e.values : [])));
      if (values.length) out.push(new Set(values));
    }
    return out;
  }

  function volumeBlockers(pod: KObj, node: string): Blocker[] {
    const out: Blocker[] = [];
    const csiNode = api.get('CSINode', undefined, node);
    for (const v of podVolumes(api, pod)) {
      if (!v.pv) {
        out.push({ volume: v.volume });
        continue;
      }
      const driver = v.driver;
      if (!driver) continue;
      const pvName = v.pv.metadata.name;
      if (!(csiNode?.spec?.drivers ?? []).some((d: Record<string, any>) => d.name === driver)) {
        out.push({ volume: v.volume, message: `MountVolume.SetUp failed for volume "${pvName}" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name ${driver} not found in the list of registered CSI drivers` });
        continue;
      }
      if (api.get('CSIDriver', undefined, driver)?.spec?.attachRequired) {
        const va = api.get('VolumeAttachment', undefined, attachmentName(pvName, driver, node));
        if (!va?.status?.attached) {
          out.push({ volume: v.volume, unattached: true });
          continue;
        }
      }
      const fault = rt.faults.mount.find((f) => f.pv === pvName && (!f.node || f.node === node));
      if (fault) {
        out.push({ volume: v.volume, message: `MountVolume.MountDevice failed for volume "${pvName}" : ${fault.message}` });
        continue;
      }
      if (driver === JUICEFS && !isSidecarMode(pod)) {
        const uniqueId = v.pv.spec.csi.volumeHandle;
        const mp = rt.index.mountPod(node, uniqueId);
        const ready = mp?.status?.containerStatuses?.every((c: Record<string, any>) => c.ready);
        if (!ready) {
          const meta = rt.faults.metaEngine.find((f) => f.uniqueId === uniqueId);
          const message = meta && mp ? juicefsWaitFailed(pvName, mp.metadata.name, meta) : undefined;
          out.push({ volume: v.volume, message });
        }
      }
    }
    return out;
  }

  /**
   * The node plugin's error quotes the mount pod's last log line; keep one text per mount pod so
   * repeats bump one Event's count, as kubelet's event correlator would.
   */
  function juicefsWaitFailed(pvName: string, mountPod: string, meta: { metaUrl: string; address: string }): string {
    let m = waitMessages.get(mountPod);
    if (!m) {
      const log = juicefsMountMetaTimeout(Date.now(), meta).at(-1)![1];
      m = `MountVolume.SetUp failed for volume "${pvName}" : rpc error: code = Internal desc = Could not mount juicefs: wait for mount ${meta.metaUrl} ready failed, err: mount point is not ready in 60s, mountpod: ${mountPod}, log: ${log}`;
      waitMessages.set(mountPod, m);
    }
    return m;
  }

  function complain(pod: KObj, node: string, blockers: Blocker[], key: string): void {
    const uid = pod.metadata.uid!;
    const since = waitingSince.get(uid) ?? Date.now();
    waitingSince.set(uid, since);
    waitingKeys.set(uid, key);
    const waited = Math.floor((Date.now() - since) / rt.tickMs);
    // kubelet retries mounts with back-off: a complaint every ~10 ticks, not on every look.
    const last = lastComplaint.get(uid) ?? -Infinity;
    if (waited - last < 10 && last !== -Infinity) return recheck(key, 3);
    if (waited >= 2) lastComplaint.set(uid, waited);
    if (waited >= 2) {
      for (const b of blockers) if (b.message) rt.events.record(pod, 'Warning', 'FailedMount', b.message, { component: 'kubelet', host: node });
    }
    if (waited >= 10) {
      const unmounted = blockers.map((b) => b.volume).join(' ');
      const unattached = blockers.filter((b) => b.unattached).map((b) => b.volume).join(' ');
      rt.events.record(pod, 'Warning', 'FailedMount', `Unable to attach or mount volumes: unmounted volumes=[${unmounted}], unattached volumes=[${unattached}], failed to process volumes=[]: context deadline exceeded`, { component: 'kubelet', host: node });
    }
    recheck(key, 3);
  }

  function start(pod: KObj, node: string): void {
    waitingSince.delete(pod.metadata.uid!);
    waitingKeys.delete(pod.metadata.uid!);
    lastComplaint.delete(pod.metadata.uid!);
    const nodeObj = api.get('Node', undefined, node);
    const hostIP = hostIPOf(nodeObj);
    const cidr: string = nodeObj?.spec?.podCIDR ?? '10.244.0.0/24';
    const n = (podIps.get(node) ?? 100) + 1;
    podIps.set(node, n);
    const podIP = pod.spec.hostNetwork ? hostIP : cidr.replace(/\.0\/\d+$/, `.${n % 250}`);
    const now = Date.now();
    const ids = new Map<string, string>(pod.spec.containers.map((c: Record<string, any>) => [c.name, `containerd://${rt.rand.hex(64)}`]));
    api.updateStatus({ ...pod, status: runningStatus(pod.spec, { hostIP, podIP }, Date.parse(pod.status?.startTime ?? '') || now, now, (c) => ids.get(c) ?? '') });
    for (const c of pod.spec.containers) {
      const fieldPath = `spec.containers{${c.name}}`;
      rt.events.record(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, { component: 'kubelet', host: node }, fieldPath);
      rt.events.record(pod, 'Normal', 'Created', `Created container ${c.name}`, { component: 'kubelet', host: node }, fieldPath);
      rt.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, { component: 'kubelet', host: node }, fieldPath);
    }
    if (isMountPod(pod)) {
      const mountPath = /\/jfs\/\S+/.exec(pod.spec.containers[0]?.command?.[2] ?? '')?.[0] ?? '/jfs';
      for (const [ms, line] of juicefsMountOk(now, { metaUrl: 'redis://:****@redis.juicefs.svc.cluster.local:6379/1', mountPath, fsName: 'jfs-prod', uuid: pod.metadata.annotations?.['juicefs-uuid'] ?? '' })) {
        api.appendLog(pod.metadata.namespace!, pod.metadata.name, 'jfs-mount', line, ms);
      }
    }
  }

  function metaFault(pod: KObj) {
    return rt.faults.metaEngine.find((f) => f.uniqueId === pod.metadata.annotations?.['juicefs-uniqueid']);
  }

  /** Ticks between two failed starts of a crash-looping mount pod's client. */
  const CRASH_TICKS = 6;

  /** One more failed start of a mount pod's client: new log, restart count up, back-off event. */
  function crashLoop(pod: KObj, key: string): void {
    if (rechecks.has(key)) return;
    const fault = metaFault(pod)!;
    const node = pod.spec.nodeName;
    const now = Date.now();
    const ns = pod.metadata.namespace!;
    const cs = pod.status?.containerStatuses?.find((c: Record<string, any>) => c.name === 'jfs-mount');
    if (cs?.state?.waiting?.reason === 'CrashLoopBackOff' || cs?.state?.running) {
      const restarts = (cs.restartCount ?? 0) + 1;
      api.restartLog(ns, pod.metadata.name, 'jfs-mount');
      // This instance ran since the previous check (every CRASH_TICKS): its lines must not
      // predate the previous instance's last one.
      const runMs = (CRASH_TICKS - 1) * rt.tickMs;
      for (const [ms, line] of juicefsMountMetaTimeout(now - runMs, fault, runMs)) api.appendLog(ns, pod.metadata.name, 'jfs-mount', line, ms);
      const ids = () => `containerd://${rt.rand.hex(64)}`;
      const base = cs.state.running ? pod.status : runningStatus(pod.spec, { hostIP: hostIPOf(api.get('Node', undefined, node)), podIP: pod.status?.podIP }, Date.parse(pod.status?.startTime ?? '') || now, now, ids);
      api.updateStatus({ ...pod, status: crashLoopStatus(base, { name: pod.metadata.name, namespace: ns, uid: pod.metadata.uid! }, 'jfs-mount', restarts, { startedMs: now - runMs, finishedMs: now, exitCode: 1 }, ids()) });
      rt.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container jfs-mount in pod ${pod.metadata.name}_${ns}(${pod.metadata.uid})`, { component: 'kubelet', host: node }, 'spec.containers{jfs-mount}');
    } else if (!pod.status?.containerStatuses) {
      api.updateStatus({ ...pod, status: creatingStatus(pod.spec, { hostIP: hostIPOf(api.get('Node', undefined, node)) }, now) });
    } else {
      const ids = () => `containerd://${rt.rand.hex(64)}`;
      api.updateStatus({ ...pod, status: runningStatus(pod.spec, { hostIP: hostIPOf(api.get('Node', undefined, node)), podIP: pod.status?.podIP }, now, now, ids) });
    }
    recheck(key, CRASH_TICKS);
  }

  function terminate(pod: KObj, key: string): void {
    if (!pod.spec?.nodeName) return api.remove('Pod', pod.metadata.namespace, pod.metadata.name, 0);
    if (rechecks.has(key)) return;
    rechecks.add(key);
    for (const c of pod.spec.containers ?? []) rt.events.record(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, { component: 'kubelet', host: pod.spec.nodeName }, `spec.containers{${c.name}}`);
    rt.after(1, () => {
      rechecks.delete(key);
      waitingSince.delete(pod.metadata.uid!);
      waitingKeys.delete(pod.metadata.uid!);
      const cur = api.get('Pod', pod.metadata.namespace, pod.metadata.name);
      if (cur && cur.metadata.uid === pod.metadata.uid) api.remove('Pod', pod.metadata.namespace, pod.metadata.name, 0);
    });
  }

  rt.add(nudge);
  return self;
}
