// Findings: what is wrong, on which object, for which driver and node, why we think so, and
// which app pods it breaks. Codes are stable (docs/findings.md documents each one).
import type { ObjRef } from '../topology/refs';

export type Severity = 'error' | 'warning' | 'info';

export const FINDING_CODES = [
  'PVCPending',
  'PVCLost',
  'OrphanPV',
  'DriverNotInstalled',
  'NodePluginMissing',
  'NodePluginNotReady',
  'DriverNotRegistered',
  'ControllerNotReady',
  'MountPodMissing',
  'MountPodNotReady',
  'StaleMount',
  'MountFailed',
  'AttachFailed',
  'ResizePending',
  'ResizeFailed',
  'VolumeAbnormal',
  'VolumeNearlyFull',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly object: ObjRef;
  /** The CSI driver involved, null when none is. */
  readonly driver: string | null;
  /** The node involved, null when none is. */
  readonly node: string | null;
  /** One line a person reads. */
  readonly message: string;
  /** Container states, event reasons and messages, conditions: why csi-top says so. */
  readonly evidence: readonly string[];
  /** The app pods this breaks (or puts at risk). */
  readonly affects: readonly ObjRef[];
}

/** Volume usage as kubelet reports it (stats/summary), keyed `namespace/pvc`. */
export interface VolumeUsage {
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly inodesUsed?: number;
  readonly inodes?: number;
}

export interface VerdictOptions {
  /** The moment to judge at (epoch ms); default Date.now(). */
  readonly now?: number;
  readonly usage?: ReadonlyMap<string, VolumeUsage>;
  /** VolumeNearlyFull threshold as a fraction of capacity (default 0.9). */
  readonly fullThreshold?: number;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };
