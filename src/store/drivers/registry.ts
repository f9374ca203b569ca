// Every driver profile csi-top knows. Adding a driver: write `src/store/drivers/<driver>.ts`
// exporting a DriverProfile, and add it to PROFILES below (before `generic`, which takes the rest).
import type { PodRec } from '../records';
import type { DriverProfile, MountPodHooks, PodClass } from './types';
import { juicefs } from './juicefs';
import { ceph } from './ceph';
import { nfs } from './nfs';
import { hostpath } from './hostpath';
import { ebs } from './ebs';
import { generic } from './generic';

export const PROFILES: readonly DriverProfile[] = [juicefs, ceph, nfs, hostpath, ebs, generic];

export interface Registry {
  readonly profiles: readonly DriverProfile[];
  /** Role and driver of a pod, from the pod alone. Cached per record: it runs on every pod. */
  classify(pod: PodRec): PodClass;
  /** The specific profile owning a driver name, else the generic one. */
  profileFor(driver: string): DriverProfile;
  profileById(id: string): DriverProfile | undefined;
  /** Mount pod hooks of the profile owning a driver, if its client runs in mount pods. */
  mountHooksFor(driver: string): MountPodHooks | undefined;
}

const APP: Omit<PodClass, 'role'> = { driver: '', profile: '', mainContainer: '', alsoController: false, candidates: [] };

export function createRegistry(profiles: readonly DriverProfile[]): Registry {
  const cache = new WeakMap<PodRec, PodClass>();
  const fallback = profiles.find((p) => p.drivers.length === 0) ?? generic;
  const byDriver = new Map<string, DriverProfile>();
  const profileFor = (driver: string): DriverProfile => {
    let p = byDriver.get(driver);
    if (!p) {
      p = profiles.find((x) => x !== fallback && x.matchesDriver(driver)) ?? fallback;
      byDriver.set(driver, p);
    }
    return p;
  };
  return {
    profiles,
    classify(pod) {
      const hit = cache.get(pod);
      if (hit) return hit;
      let cls: PodClass | undefined;
      for (const p of profiles) if ((cls = p.classify(pod))) break;
      if (!cls) {
        // Whatever no profile claims is an app pod when it uses storage, else just a pod.
        const main = pod.annotations['kubectl.kubernetes.io/default-container'] || (pod.containers.find((c) => !c.init)?.name ?? '');
        cls = { ...APP, role: pod.volumes.length > 0 ? 'app' : 'other', mainContainer: main };
      }
      cache.set(pod, cls);
      return cls;
    },
    profileFor,
    profileById: (id) => profiles.find((p) => p.id === id),
    mountHooksFor: (driver) => (driver ? profileFor(driver).mountPods : undefined),
  };
}

export const registry: Registry = createRegistry(PROFILES);

export const classifyPod = (pod: PodRec): PodClass => registry.classify(pod);
