// Compact records: exactly the fields csi-top reads, nothing else. Every record is
// immutable once built; an update replaces it. Times are epoch milliseconds (0 = unset).

export type KindName =
  | 'Pod'
  | 'PersistentVolumeClaim'
  | 'PersistentVolume'
  | 'StorageClass'
  | 'CSIDriver'
  | 'CSINode'
  | 'VolumeAttachment'
  | 'Node'
  | 'Event'
  | 'DaemonSet'
  | 'StatefulSet'
  | 'Deployment'
  | 'ReplicaSet'
  | 'Lease'
  | 'Namespace';

export type Labels = Readonly<Record<string, string>>;

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller: boolean;
}

export interface Meta {
  readonly kind: KindName;
  readonly uid: string;
  readonly name: string;
  /** '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly resourceVersion: string;
  readonly created: number;
  /** deletionTimestamp, 0 when not being deleted. */
  readonly deleting: number;
  readonly labels: Labels;
  /** The controlling owner (or the first owner), if any. */
  readonly owner?: OwnerRef;
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly lastTransition: number;
}

export type ContainerStateName = 'waiting' | 'running' | 'terminated' | 'unknown';

export interface ContainerRec {
  readonly name: string;
  readonly image: string;
  readonly init: boolean;
  /** Sidecar-style init container (restartPolicy: Always). */
  readonly sidecar: boolean;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restarts: number;
  readonly state: ContainerStateName;
  readonly reason: string;
  readonly message: string;
  readonly exitCode?: number;
  readonly startedAt: number;
  /** The previous instance's termination, when the container restarted. */
  readonly last?: { readonly reason: string; readonly message: string; readonly exitCode?: number; readonly finishedAt: number };
}

/** A pod volume csi-top cares about: a PVC, an inline CSI volume or a generic ephemeral volume. */
export interface PodVolumeRec {
  readonly name: string;
  /** The claim this volume uses (for generic ephemeral volumes: `<pod>-<volume>`). */
  readonly claim?: string;
  readonly readOnly?: boolean;
  /** Inline CSI ephemeral volume driver. */
  readonly csiDriver?: string;
  readonly ephemeral?: boolean;
  /**
   * Every container mounting it receives later host mounts (mountPropagation HostToContainer or
   * Bidirectional): a FUSE mount re-made on the host (JuiceFS mount point recovery) reaches it.
   */
  readonly hostToContainer?: boolean;
}

/**
 * Facts about CSI sidecars and driver flags, extracted from container images, args and env at
 * projection time so pod records do not have to keep every container's command line.
 */
export interface CsiHints {
  /** Kinds of CSI sidecars present: 'node-driver-registrar', 'provisioner', 'attacher', 'resizer', … */
  readonly sidecars: readonly string[];
  /** `--kubelet-registration-path` of the registrar with `$(VAR)` expanded. */
  readonly registrationPath?: string;
  /** Values of `--drivername` / `--driver-name` / `--csi-driver-name` / `--driver` flags in any container. */
  readonly driverNames: readonly string[];
}

export interface PodRec extends Meta {
  readonly kind: 'Pod';
  readonly node: string;
  readonly phase: string;
  /** kubectl's STATUS column (Running, ContainerCreating, CrashLoopBackOff, Init:0/1, Terminating, …). */
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly readyCount: number;
  readonly containerCount: number;
  readonly restarts: number;
  readonly ready: boolean;
  readonly containers: readonly ContainerRec[];
  readonly volumes: readonly PodVolumeRec[];
  /** Only the annotations csi-top reads (juicefs-*, default container). */
  readonly annotations: Labels;
  readonly conditions: readonly Condition[];
  readonly csi?: CsiHints;
  readonly hostIP: string;
  readonly startTime: number;
}

export interface PVCRec extends Meta {
  readonly kind: 'PersistentVolumeClaim';
  readonly phase: string;
  readonly storageClass: string;
  readonly volumeName: string;
  /** spec.resources.requests.storage as the Kubernetes string. */
  readonly requested: string;
  /** status.capacity.storage. */
  readonly capacity: string;
  readonly accessModes: readonly string[];
  readonly volumeMode: string;
  readonly conditions: readonly Condition[];
  /** status.allocatedResourceStatuses['storage'] (ControllerResizeInProgress, NodeResizePending, …). */
  readonly resizeStatus: string;
  /** status.allocatedResources.storage. */
  readonly allocated: string;
  /** The provisioner the PVC waits for (volume.kubernetes.io/storage-provisioner). */
  readonly provisioner: string;
  readonly selectedNode: string;
}

export interface PVRec extends Meta {
  readonly kind: 'PersistentVolume';
  readonly phase: string;
  /** status.lastPhaseTransitionTime (0 when the apiserver does not set it): how long a PV has been Released. */
  readonly phaseSince: number;
  readonly reason: string;
  readonly message: string;
  readonly capacity: string;
  /** spec.csi.driver, or '' for non-CSI volumes. */
  readonly driver: string;
  readonly volumeHandle: string;
  /** The in-tree source when not CSI: 'nfs', 'hostPath', 'local', … */
  readonly source: string;
  readonly claim?: { readonly namespace: string; readonly name: string; readonly uid: string };
  readonly storageClass: string;
  readonly reclaimPolicy: string;
  readonly accessModes: readonly string[];
  readonly volumeMode: string;
  /** Selected spec.csi.volumeAttributes csi-top uses (JuiceFS names). */
  readonly attributes: Labels;
}

export interface StorageClassRec extends Meta {
  readonly kind: 'StorageClass';
  readonly provisioner: string;
  readonly allowVolumeExpansion: boolean;
  readonly reclaimPolicy: string;
  readonly bindingMode: string;
  readonly isDefault: boolean;
  readonly parameters: Labels;
}

export interface CSIDriverRec extends Meta {
  readonly kind: 'CSIDriver';
  readonly attachRequired: boolean;
  readonly podInfoOnMount: boolean;
  readonly lifecycleModes: readonly string[];
  readonly fsGroupPolicy: string;
  readonly storageCapacity: boolean;
  readonly requiresRepublish: boolean;
}

export interface CSINodeRec extends Meta {
  readonly kind: 'CSINode';
  readonly drivers: readonly { readonly name: string; readonly nodeID: string; readonly allocatable?: number }[];
}

export interface VolumeAttachmentRec extends Meta {
  readonly kind: 'VolumeAttachment';
  readonly attacher: string;
  readonly node: string;
  readonly pv: string;
  readonly attached: boolean;
  readonly attachError: string;
  readonly attachErrorTime: number;
  readonly detachError: string;
}

export interface NodeRec extends Meta {
  readonly kind: 'Node';
  /** 'True' | 'False' | 'Unknown' of the Ready condition. */
  readonly ready: string;
  readonly readyReason: string;
  readonly readyMessage: string;
  readonly unschedulable: boolean;
  readonly taints: readonly { readonly key: string; readonly value: string; readonly effect: string }[];
  readonly kubeletVersion: string;
  readonly conditions: readonly Condition[];
}

export interface EventRec extends Meta {
  readonly kind: 'Event';
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly first: number;
  readonly last: number;
  readonly source: string;
  readonly involved: { readonly kind: string; readonly namespace: string; readonly name: string; readonly uid: string };
}

export interface WorkloadRec extends Meta {
  readonly kind: 'DaemonSet' | 'StatefulSet' | 'Deployment' | 'ReplicaSet';
  readonly desired: number;
  readonly ready: number;
  readonly available: number;
  readonly updated: number;
}

export interface LeaseRec extends Meta {
  readonly kind: 'Lease';
  readonly holder: string;
  readonly renewTime: number;
  readonly durationSeconds: number;
}

export interface NamespaceRec extends Meta {
  readonly kind: 'Namespace';
  readonly phase: string;
}

export interface RecordByKind {
  Pod: PodRec;
  PersistentVolumeClaim: PVCRec;
  PersistentVolume: PVRec;
  StorageClass: StorageClassRec;
  CSIDriver: CSIDriverRec;
  CSINode: CSINodeRec;
  VolumeAttachment: VolumeAttachmentRec;
  Node: NodeRec;
  Event: EventRec;
  DaemonSet: WorkloadRec;
  StatefulSet: WorkloadRec;
  Deployment: WorkloadRec;
  ReplicaSet: WorkloadRec;
  Lease: LeaseRec;
  Namespace: NamespaceRec;
}

export type AnyRecord = RecordByKind[KindName];

/** Store key of a record: `namespace/name`, or `name` for cluster-scoped kinds. */
export function keyOf(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
