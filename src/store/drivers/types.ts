// What a driver profile is: how csi-top recognises one CSI driver's own pods (node plugins,
// controllers, per-driver pods such as JuiceFS mount pods) from a pod record alone.
import type { EventRec, PodRec, PVRec } from '../records';

export type PodRole = 'app' | 'mountPod' | 'nodePlugin' | 'controller' | 'other';

export interface PodClass {
  readonly role: PodRole;
  /**
   * Driver name as far as the pod alone tells; '' when only the rest of the cluster can tell
   * (a generic controller whose flags name no driver). The topology resolves it further.
   */
  readonly driver: string;
  /** Id of the profile that recognised the pod ('' for plain app and other pods). */
  readonly profile: string;
  /** Container to read logs from ('' when none stands out). */
  readonly mainContainer: string;
  /** A node plugin pod that also runs controller sidecars (csi-hostpath's single StatefulSet pod). */
  readonly alsoController: boolean;
  /** Driver names the pod's flags and registrar path mention, most plausible first. */
  readonly candidates: readonly string[];
  /** App pods that run the storage client as a sidecar container (JuiceFS sidecar mode): its name. */
  readonly mountSidecar?: string;
}

/** One reference a mount pod holds: an app pod (by uid) mounting one PV through it. */
export interface MountRef {
  readonly uid: string;
  readonly pv: string;
}

/** For drivers whose FUSE client runs in its own pod, shared by the app pods of a node. */
export interface MountPodHooks {
  /** The volume identity every app pod served by one mount pod shares. */
  uniqueId(mountPod: PodRec): string;
  /** The app pods (by uid) and PVs a mount pod holds references for. */
  references(mountPod: PodRec): readonly MountRef[];
  /** The app pod's own pointers to its mount pods (may be stale after a recreation). */
  appPodHints(appPod: PodRec): readonly { readonly pv: string; readonly namespace: string; readonly name: string }[];
  /** The uniqueIds a mount pod serving this PV may carry (volume handle, StorageClass name). */
  uniqueIdsForPV(pv: PVRec): readonly string[];
  /**
   * A recreated mount pod that took over its predecessor's FUSE connection, so its app pods kept
   * working mounts (JuiceFS smooth upgrade). `upgrades`: events with reason `Upgrade`.
   */
  tookOverMounts?(mountPod: PodRec, upgrades: readonly EventRec[]): boolean;
}

export interface DriverProfile {
  /** Stable id, shown in `export` as `profile`. */
  readonly id: string;
  /** Canonical driver names of the default deployment. */
  readonly drivers: readonly string[];
  /** Whether a driver name (possibly prefixed, e.g. Rook's `rook-ceph.rbd.csi.ceph.com`) is this profile's. */
  matchesDriver(driver: string): boolean;
  /** Recognises the driver's own pods and its app pods' peculiarities; undefined when not its pod. */
  classify(pod: PodRec): PodClass | undefined;
  readonly mountPods?: MountPodHooks;
}
