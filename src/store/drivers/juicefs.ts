// JuiceFS CSI (csi.juicefs.com). Label and annotation keys are the driver's own (pkg/common):
// mount pods `app.kubernetes.io/name=juicefs-mount`, `volume-id`, annotation `juicefs-uniqueid`,
// one `juicefs-<sha256(target)>` annotation per app pod mount (value: the kubelet target path).
import type { PodRec, PVRec } from '../records';
import type { DriverProfile, MountPodHooks, MountRef } from './types';
import { hasControllerSidecar, hasImage, hasLabel, hasRegistrar, pickDriver, podClass } from './match';

const DRIVER = 'csi.juicefs.com';
const PROFILE = 'juicefs';
const owns = (d: string) => d === DRIVER || d.endsWith('.juicefs.com');

const MOUNT_CONTAINER = 'jfs-mount';
const PLUGIN_CONTAINER = 'juicefs-plugin';

/** `/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~csi/<pv>/mount` (kubelet root may differ). */
const TARGET = /\/pods\/([^/]+)\/volumes\/kubernetes\.io~csi\/([^/]+)\/mount\b/;
const HINT_PREFIX = 'juicefs-mountpod-';

const refCache = new WeakMap<PodRec, readonly MountRef[]>();

const mountPods: MountPodHooks = {
  uniqueId: (p) => p.annotations['juicefs-uniqueid'] || p.labels['volume-id'] || '',
  references(p) {
    const hit = refCache.get(p);
    if (hit) return hit;
    const refs: MountRef[] = [];
    for (const [k, v] of Object.entries(p.annotations)) {
      if (!k.startsWith('juicefs-') || k.startsWith(HINT_PREFIX)) continue;
      const m = TARGET.exec(v);
      if (m) refs.push({ uid: m[1], pv: m[2] });
    }
    refCache.set(p, refs);
    return refs;
  },
  appPodHints(p) {
    const out: { pv: string; namespace: string; name: string }[] = [];
    for (const [k, v] of Object.entries(p.annotations)) {
      if (!k.startsWith(HINT_PREFIX)) continue;
      for (const ref of v.split(',')) {
        const [namespace, name] = ref.trim().split('/');
        if (namespace && name) out.push({ pv: k.slice(HINT_PREFIX.length), namespace, name });
      }
    }
    return out;
  },
  // uniqueId is the volume handle by default, the StorageClass name when shared per class.
  uniqueIdsForPV: (pv: PVRec) => [pv.volumeHandle, pv.storageClass, pv.name].filter((x) => !!x),
  // A smooth upgrade in recreate mode announces itself on the old pod ("Upgrade pod [x] with
  // recreating") and hands the FUSE fd to its successor: same node and uniqueId, new suffix.
  tookOverMounts: (p, upgrades) => {
    const stem = p.name.replace(/-[a-z0-9]{6}$/, '-');
    return upgrades.some((e) => e.involved.namespace === p.namespace && e.involved.name !== p.name && e.involved.name.startsWith(stem) && /recreat/i.test(e.message) && e.last <= p.created + 120_000);
  },
};

/** The mount sidecar of an app pod in sidecar mode (injected by the JuiceFS webhook). */
function mountSidecar(pod: PodRec): string | undefined {
  const c = pod.containers.find((x) => x.name.includes(MOUNT_CONTAINER));
  if (c) return c.name;
  // Labelled as injected but the container is named otherwise: still sidecar mode.
  return pod.labels['done.sidecar.juicefs.com/inject'] === 'true' ? MOUNT_CONTAINER : undefined;
}

export const juicefs: DriverProfile = {
  id: PROFILE,
  drivers: [DRIVER],
  matchesDriver: owns,
  mountPods,
  classify(pod) {
    const driver = () => pickDriver(pod, owns, DRIVER);
    if (hasLabel(pod, 'app.kubernetes.io/name', 'juicefs-mount')) {
      return { ...podClass('mountPod', pod, PROFILE, DRIVER, [MOUNT_CONTAINER]), candidates: [] };
    }
    const ownPod = hasLabel(pod, 'app.kubernetes.io/name', 'juicefs-csi-driver') || hasImage(pod, 'juicefs-csi-driver');
    const component = pod.labels['app.kubernetes.io/component'];
    if (hasLabel(pod, 'app', 'juicefs-csi-node') || (ownPod && (component === 'node' || hasRegistrar(pod)))) {
      return podClass('nodePlugin', pod, PROFILE, driver(), [PLUGIN_CONTAINER]);
    }
    if (hasLabel(pod, 'app', 'juicefs-csi-controller') || (ownPod && (component === 'controller' || hasControllerSidecar(pod)))) {
      return podClass('controller', pod, PROFILE, driver(), [PLUGIN_CONTAINER]);
    }
    if (ownPod) return podClass('other', pod, PROFILE, DRIVER); // dashboard, webhook helpers
    const sidecar = mountSidecar(pod);
    if (sidecar) {
      const main = pod.containers.find((c) => !c.init && !c.name.includes(MOUNT_CONTAINER));
      return { ...podClass('app', pod, PROFILE, DRIVER), mainContainer: main?.name ?? '', mountSidecar: sidecar };
    }
    return undefined;
  },
};
