// The JSON documents of `csi-top doctor -o json` and `csi-top export` (docs/export.md). Field
// names are a stable interface: add fields, never rename or remove them.
import type { Finding } from '../verdicts/types';
import type { ExportUsage } from '../usage/format';

export const API_VERSION = 'csi-top/v1';

/** A finding as reported: the finding itself plus the chain it sits in and what to run next. */
export interface ReportFinding extends Finding {
  /** From the affected app pod down to the object at fault, one hop per entry: `Kind ns/name (status)`. */
  readonly chain: readonly string[];
  /** Commands to run next, most useful first. */
  readonly next: readonly string[];
}

export interface Summary {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
}

export interface DoctorDoc {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Doctor';
  readonly context: string;
  /** The namespace scope (`-n`), absent for all namespaces. */
  readonly namespace?: string;
  readonly findings: readonly ReportFinding[];
  readonly summary: Summary;
}

export interface PodBrief {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly ready: boolean;
}

export interface ExportDriver {
  readonly name: string;
  readonly profile: string;
  readonly controllers: readonly PodBrief[];
  readonly nodePlugins: readonly PodBrief[];
  readonly registeredNodes: readonly string[];
  readonly storageClasses: readonly string[];
}

export interface ExportCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

export interface ExportVolume {
  readonly pvc: {
    readonly namespace: string;
    readonly name: string;
    readonly phase: string;
    readonly storageClass: string;
    readonly requested: string;
    readonly capacity: string;
    readonly conditions: readonly ExportCondition[];
  } | null;
  readonly pv: {
    readonly name: string;
    readonly phase: string;
    readonly driver: string;
    readonly volumeHandle: string;
    readonly capacity: string;
    readonly reclaimPolicy: string;
  } | null;
  readonly driver: string | null;
  readonly appPods: readonly { readonly namespace: string; readonly name: string; readonly node: string; readonly phase: string; readonly ready: boolean }[];
  readonly mountPods: readonly { readonly namespace: string; readonly name: string; readonly node: string; readonly phase: string; readonly ready: boolean; readonly restarts: number }[];
  readonly nodePlugins: readonly PodBrief[];
  readonly attachments: readonly { readonly name: string; readonly node: string; readonly attached: boolean; readonly error: string }[];
  /** Volume usage from kubelet (docs/export.md); null when unknown or not collected. */
  readonly usage: ExportUsage | null;
  /** Why `usage` is null (one of the fixed phrases in docs/export.md); null when usage was not collected. */
  readonly usageUnknownReason: string | null;
}

export interface ExportDoc {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Export';
  readonly context: string;
  /** The namespace scope (`-n`), absent for all namespaces. */
  readonly namespace?: string;
  /** RFC 3339 time the document was built. */
  readonly generatedAt: string;
  readonly drivers: readonly ExportDriver[];
  readonly volumes: readonly ExportVolume[];
  readonly findings: readonly ReportFinding[];
}
