// What makes a quiet cluster look alive: volume usage that creeps up (kubelet's stats), leader
// Leases renewed, and log lines from node plugins, controllers and mount pods. Also the log
// helpers tests and benchmarks use: a flood of N lines/s, and a line full of hostile bytes.
import { isoMicro, KObj } from './scenarios/kube';
import type { UsageSeed } from './scenarios/types';
import { jfs, klog } from './scenarios/logtext';
import type { Controller, Runtime } from './world-runtime';
import { driverOfPluginPod, podReady } from './world-volumes';
import type { WorldApi } from './world-api';

/** Seeds kubelet usage numbers and lets them drift upward every tick. */
export function usageDrift(rt: Runtime, seeds: readonly UsageSeed[]): Controller {
  const live = new Map(seeds.map((s) => [s.key, { ...s }]));
  for (const s of live.values()) rt.api.setUsage(s.key, stats(s));
  return {
    name: 'usage',
    watches: [],
    reconcile() {},
    tick() {
      for (const s of live.values()) {
        // A few MiB per tick, sometimes a cleanup: enough to see numbers move.
        const delta = rt.rand.next() < 0.1 ? -rt.rand.range(0, 0.002) * s.capacityBytes : rt.rand.range(0, 0.0008) * s.capacityBytes;
        s.usedBytes = Math.max(0, Math.min(s.capacityBytes * 0.995, s.usedBytes + delta));
        s.inodesUsed = Math.min(s.inodes, s.inodesUsed + rt.rand.int(40));
        rt.api.setUsage(s.key, stats(s));
      }
    },
  };
}

function stats(s: UsageSeed) {
  const used = Math.floor(s.usedBytes);
  return { usedBytes: used, capacityBytes: s.capacityBytes, availableBytes: s.capacityBytes - used, inodes: s.inodes, inodesUsed: s.inodesUsed, inodesFree: s.inodes - s.inodesUsed };
}

/** Leader election: the holder renews its Leases every few ticks. */
export function leaseRenewal(rt: Runtime): Controller {
  let n = 0;
  return {
    name: 'leases',
    watches: [],
    reconcile() {},
    tick() {
      if (++n % 5) return;
      for (const l of rt.api.list('Lease')) {
        if (!l.spec?.holderIdentity) continue;
        rt.api.update({ ...l, spec: { ...l.spec, renewTime: isoMicro(Date.now()) } });
      }
    },
  };
}

/** Periodic log lines from the storage pods that are running. */
const PER_TICK = 24;

export function logChatter(rt: Runtime): Controller {
  let n = 0;
  let cursor = 0;
  let storagePods: Array<{ ns: string; name: string }> = [];
  const findStoragePods = () => {
    const out: Array<{ ns: string; name: string }> = [];
    for (const kind of ['DaemonSet', 'StatefulSet', 'ReplicaSet']) {
      for (const w of rt.api.list(kind)) {
        if (!driverOfPluginPod({ ...w, spec: w.spec.template.spec }) && !isController(w)) continue;
        for (const p of rt.index.podsOwnedBy(w.metadata.uid!)) out.push({ ns: p.metadata.namespace!, name: p.metadata.name });
      }
    }
    return out;
  };
  return {
    name: 'logs',
    watches: [],
    reconcile() {},
    tick() {
      n++;
      const now = Date.now();
      if (n % 30 === 1) storagePods = findStoragePods();
      // A bounded, rotating sample per tick: at --scale there are thousands of node plugins.
      for (let i = 0; i < Math.min(PER_TICK, storagePods.length); i++) {
        const p = rt.api.get('Pod', storagePods[cursor % storagePods.length].ns, storagePods[cursor++ % storagePods.length].name);
        if (p && podReady(p)) line(rt.api, p, now, n);
      }
      if (n % 3 === 0) for (const p of rt.index.allMountPods().slice(0, PER_TICK)) if (podReady(p)) rt.api.appendLog(p.metadata.namespace!, p.metadata.name, 'jfs-mount', jfs(now, 7, 'INFO', `Slow request: READ (0x${rt.rand.hex(6)},${rt.rand.int(4096)},${rt.rand.int(1 << 20)}): OK (${rt.rand.int(4096)}) <${rt.rand.range(1, 3).toFixed(6)}>`, 'accesslog.go:83'), now);
    },
  };

  function isController(w: KObj): boolean {
    return (w.spec?.template?.spec?.containers ?? []).some((c: Record<string, any>) => /csi-(provisioner|attacher|resizer)/.test(String(c.image)));
  }

  function line(api: WorldApi, p: KObj, now: number, tick: number): void {
    const ns = p.metadata.namespace!;
    const containers: Array<Record<string, any>> = p.spec.containers;
    const driver = driverOfPluginPod(p);
    if (driver) {
      const main = containers.find((c) => !/registrar|liveness/.test(c.name)) ?? containers[0];
      const id = rt.rand.int(100000);
      api.appendLog(ns, p.metadata.name, main.name, klog(now, 'I', 1, 'utils.go:198', `ID: ${id} GRPC call: /csi.v1.Node/NodeGetVolumeStats`), now);
      api.appendLog(ns, p.metadata.name, main.name, klog(now + 1, 'I', 1, 'utils.go:205', `ID: ${id} GRPC response: {"usage":[{"available":${rt.rand.int(2 ** 30)},"total":${2 ** 31},"unit":1,"used":${rt.rand.int(2 ** 30)}}]}`), now + 1);
      return;
    }
    const sidecar = containers.find((c) => /csi-provisioner|csi-attacher|csi-resizer/.test(String(c.image)));
    if (sidecar && tick % 4 === 0) api.appendLog(ns, p.metadata.name, sidecar.name, klog(now, 'I', 1, 'leaderelection.go:281', `successfully renewed lease ${ns}/${leaseName(p)}`), now);
  }

  function leaseName(p: KObj): string {
    const arg = (p.spec.containers as Array<Record<string, any>>).flatMap((c) => c.args ?? []).find((a: string) => a.startsWith('--drivername='));
    return (arg ? arg.slice('--drivername='.length) : p.metadata.name).replace(/\./g, '-');
  }
}

/**
 * Appends `linesPerSecond` lines to one container's log, in batches every 50 ms, until the
 * returned function is called (for log-follow benchmarks). Timers are unref'd.
 */
export function logFlood(api: WorldApi, target: { namespace: string; pod: string; container: string }, linesPerSecond: number): () => void {
  let seq = 0;
  const batch = Math.max(1, Math.round(linesPerSecond / 20));
  const t = setInterval(() => {
    const now = Date.now();
    for (let i = 0; i < batch; i++) {
      seq++;
      api.appendLog(target.namespace, target.pod, target.container, jfs(now, 7, 'DEBUG', `read (${seq}): ino=${(seq * 2654435761) % 1_000_003} off=${seq * 4096} size=4096 OK`, 'vfs.go:1137'), now);
    }
  }, 50);
  t.unref();
  return () => clearInterval(t);
}

/**
 * A log line that tries to break a terminal: ANSI colour and cursor moves, OSC 52 clipboard and
 * window-title writes, C1 controls, a bidi override, backspaces, a carriage return, NUL, a lone
 * surrogate and a very long run. A safe UI shows it inert.
 */
export function hostileLogLine(length = 4096): string {
  const parts = [
    'juicefs[7] <ERROR>: ',
    '\x1b[31;1mred\x1b[0m ',
    '\x1b[2J\x1b[H',
    '\x1b]52;c;ZWNobyBwd25lZA==\x07',
    '\x1b]0;owned-title\x07',
    '\x1bP+q544e\x1b\\',
    '\u009b31m',
    '\u202eevil\u202c ',
    'back\b\b\bspace ',
    'carriage\rreturn ',
    'nul\u0000byte ',
    'lone\ud800surrogate ',
    '\x7f',
  ];
  const head = parts.join('');
  return head + 'A'.repeat(Math.max(0, length - head.length));
}

