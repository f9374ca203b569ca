// Volume usage per PVC (bytes and inodes, as kubelet reports them through NodeGetVolumeStats), and
// when a PVC has no number, the reason. What views, `doctor` and `export` read; the poller fills it.

/** One volume's numbers as kubelet reported them. */
export interface UsageSample {
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly availableBytes: number;
  /** Inode figures are absent when the driver reports bytes only. */
  readonly inodesUsed?: number;
  readonly inodes?: number;
  readonly inodesFree?: number;
  /** When kubelet measured it (epoch ms). */
  readonly time: number;
  /** The node whose kubelet reported it ('' when the source does not say). */
  readonly node: string;
}

export type UsageReasonCode = 'notMounted' | 'notReported' | 'unreachable' | 'timeout' | 'forbidden' | 'pending' | 'off';

/** The fixed phrase of each reason: `usageUnknownReason` in `export` is one of these (docs/export.md). */
export const USAGE_REASONS: Readonly<Record<UsageReasonCode, string>> = {
  notMounted: 'not mounted by any running pod',
  notReported: "the node's kubelet did not report this volume (driver without volume stats)",
  unreachable: 'node unreachable',
  timeout: 'timed out',
  forbidden: 'forbidden (nodes/proxy)',
  pending: 'never polled yet',
  off: 'usage polling is off',
};

/** What a list cell shows instead of the number. */
export const USAGE_SHORT: Readonly<Record<UsageReasonCode, string>> = {
  notMounted: 'unmounted',
  notReported: 'no stats',
  unreachable: 'unreachable',
  timeout: 'timeout',
  forbidden: 'forbidden',
  pending: 'pending',
  off: 'off',
};

export interface UsageReason {
  readonly code: UsageReasonCode;
  /** The fixed phrase (USAGE_REASONS). */
  readonly text: string;
  /** A sentence for the detail view: which node, what it answered, what to do. */
  readonly detail: string;
}

/** A PVC's usage: the sample, or why there is none. */
export interface UsageInfo {
  readonly sample?: UsageSample;
  readonly reason?: UsageReason;
  /** A caveat about the sample (e.g. the latest poll of its node failed). */
  readonly note?: string;
}

export type UsageStatus = 'off' | 'idle' | 'polling' | 'ok' | 'forbidden';

/** The poller as a whole: one state, one message (shown in the detail and by `doctor`). */
export interface UsageState {
  readonly status: UsageStatus;
  /** Where numbers come from: `kubelet` (nodes/proxy stats/summary) or `prometheus <url>`. */
  readonly source: string;
  readonly message: string;
  /** Since when this status holds (epoch ms). */
  readonly since: number;
}

/** The read side: what views (through UiSession.usage) and reports use. */
export interface UsageView {
  state(): UsageState;
  /** VolumeNearlyFull threshold, a fraction of capacity (bytes or inodes). */
  readonly threshold: number;
  /** Incremented whenever anything `get` or `snapshot` would return changed. */
  version(): number;
  /** Coalesced change notification; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void;
  get(namespace: string, claim: string): UsageInfo;
  /** Every PVC with numbers, keyed `namespace/claim` (a new map whenever it changes). */
  snapshot(): ReadonlyMap<string, UsageSample>;
  /** The PVCs (`namespace/claim`) on screen: their nodes are polled at the full rate, others less often. null = all. */
  focus(keys: Iterable<string> | null): void;
}
