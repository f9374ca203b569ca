// What a scenario is and what it leaves behind besides objects: log lines, kubelet usage numbers,
// the faults the live controllers keep honouring, and the findings csi-top is expected to make.
import type { Cluster } from './cluster';

/** A finding `csi-top doctor` must report for this scenario (codes from issue 5). */
export interface ExpectedFinding {
  code: string;
  severity?: 'error' | 'warning' | 'info';
  object: { kind: string; namespace?: string; name: string };
}

export interface LogSeed {
  namespace: string;
  pod: string;
  container: string;
  /** Lines of the previous (crashed) container instance rather than the current one. */
  previous: boolean;
  lines: Array<{ ms: number; line: string }>;
}

/** What kubelet's NodeGetVolumeStats would say for a PVC (`namespace/name`). */
export interface UsageSeed {
  key: string;
  capacityBytes: number;
  usedBytes: number;
  inodes: number;
  inodesUsed: number;
}

/**
 * Faults of the world outside Kubernetes (a Ceph cluster unreachable from a node, a Redis that
 * times out, a provisioner backend that refuses). Scenarios declare them; the live controllers
 * keep honouring them, so a pod created later against a broken volume gets stuck the same way.
 */
export interface ClusterFaults {
  /** NodeStage/NodePublish of this PV fails on this node (any node when omitted). */
  mount: Array<{ pv: string; node?: string; message: string }>;
  /** ControllerPublish of this PV to this node fails (VolumeAttachment attachError). */
  attach: Array<{ pv: string; node: string; message: string }>;
  /** JuiceFS mount pods with this uniqueId cannot reach their metadata engine. */
  metaEngine: Array<{ uniqueId: string; metaUrl: string; address: string }>;
  /** CreateVolume for claims of this StorageClass fails. */
  provision: Array<{ storageClass: string; message: string }>;
  /** ControllerExpandVolume fails for this driver. */
  expand: Array<{ driver: string; message: string }>;
  /** The node plugin runs on the node but never registered with kubelet. */
  registration: Array<{ driver: string; node: string }>;
}

export interface Scenario {
  /** `--demo --scenario <name>`. */
  name: string;
  /** One line for `--help`. */
  description: string;
  /** Adds this scenario's objects (and any shared driver installs) to the cluster. */
  build(c: Cluster): void;
}
