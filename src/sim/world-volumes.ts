// Lookups the world's controllers share: a pod's volumes down to their driver, JuiceFS mount pods
// on a node, and which driver a node plugin pod registers.
import type { KObj } from './scenarios/kube';
import type { WorldApi } from './world-api';

export const JUICEFS = 'csi.juicefs.com';
export const MOUNT_POD_LABEL = 'app.kubernetes.io/name';

export interface PodVolume {
  /** The pod's volume name (kubelet's events use it). */
  volume: string;
  claim: string;
  pvc: KObj | undefined;
  pv: KObj | undefined;
  driver: string | undefined;
}

export function podVolumes(api: WorldApi, pod: KObj): PodVolume[] {
  const out: PodVolume[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = api.get('PersistentVolumeClaim', pod.metadata.namespace, claim);
    const pvName = pvc?.spec?.volumeName;
    const pv = pvName && pvc?.status?.phase === 'Bound' ? api.get('PersistentVolume', undefined, pvName) : undefined;
    out.push({ volume: v.name, claim, pvc, pv, driver: pv?.spec?.csi?.driver });
  }
  return out;
}

export function isMountPod(pod: KObj): boolean {
  return pod.metadata.labels?.[MOUNT_POD_LABEL] === 'juicefs-mount';
}

/** App pods running the JuiceFS client as a sidecar need no mount pod. */
export function isSidecarMode(pod: KObj): boolean {
  return pod.metadata.labels?.['done.sidecar.juicefs.com/inject'] === 'true';
}

export function podReady(pod: KObj): boolean {
  return pod.status?.phase === 'Running' && (pod.status?.conditions ?? []).some((c: Record<string, any>) => c.type === 'Ready' && c.status === 'True');
}

/** The driver a node plugin pod registers: a sibling's `--drivername=`, else the registrar's socket directory. */
export function driverOfPluginPod(pod: KObj): string | undefined {
  const containers: Array<Record<string, any>> = pod.spec?.containers ?? [];
  const registrar = containers.find((c) => String(c.image ?? '').includes('csi-node-driver-registrar'));
  if (!registrar) return undefined;
  for (const c of containers) {
    for (const a of c.args ?? []) {
      const m = /^--?driver-?name=(.+)$/.exec(a);
      if (m) return m[1];
    }
  }
  const env = (name: string) => (registrar.env ?? []).find((e: Record<string, any>) => e.name === name)?.value ?? '';
  for (const a of registrar.args ?? []) {
    const m = /^--kubelet-registration-path=(.+)$/.exec(a);
    if (!m) continue;
    const path = m[1].replace(/\$\((\w+)\)/g, (_, v) => env(v));
    return path.split('/').slice(-2, -1)[0];
  }
  return undefined;
}

/** A node's InternalIP. */
export function hostIPOf(node: KObj | undefined): string {
  return node?.status?.addresses?.find((a: Record<string, any>) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
}
