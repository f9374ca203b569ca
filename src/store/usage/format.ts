// Usage as text: fractions, percentages, a bar (with an ASCII fallback), byte sizes, and the
// export object. Pure functions, shared by views and reports.
import type { UsageInfo, UsageSample } from './types';

/** used/capacity (as kubelet and the VolumeNearlyFull verdict count it), undefined without a capacity. */
export const bytesFraction = (s: UsageSample): number | undefined => (s.capacityBytes > 0 ? s.usedBytes / s.capacityBytes : undefined);

export const inodesFraction = (s: UsageSample): number | undefined => (s.inodes && s.inodes > 0 && s.inodesUsed !== undefined ? s.inodesUsed / s.inodes : undefined);

/** The larger of the two fractions: how close the volume is to full. */
export const fullness = (s: UsageSample): number | undefined => {
  const b = bytesFraction(s);
  const i = inodesFraction(s);
  return b === undefined ? i : i === undefined ? b : Math.max(b, i);
};

/** Whole percent, rounded down so 89.6 % never reads as the 90 % threshold. */
export const percentText = (f: number | undefined): string => (f === undefined ? '-' : `${Math.floor(f * 100)}%`);

/** One decimal, for export. */
export const percent1 = (f: number | undefined): number | null => (f === undefined ? null : Math.round(f * 1000) / 10);

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${UNITS[u]}`;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** `[██████░░░░]` or, in ASCII mode, `[######----]`; `width` counts the cells between the brackets. */
export function usageBar(f: number, width: number, ascii: boolean): string {
  const w = Math.max(1, width);
  const filled = Math.max(0, Math.min(w, Math.round(Math.max(0, Math.min(1, f)) * w)));
  return `[${(ascii ? '#' : '█').repeat(filled)}${(ascii ? '-' : '░').repeat(w - filled)}]`;
}

/** The `usage` object of an export volume (docs/export.md). */
export interface ExportUsage {
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly availableBytes: number;
  readonly inodesUsed: number | null;
  readonly inodes: number | null;
  readonly inodesFree: number | null;
  readonly usedPercent: number | null;
  readonly inodesUsedPercent: number | null;
  /** The node whose kubelet reported it ('' when Prometheus does not say). */
  readonly node: string;
  /** When kubelet measured it (RFC 3339). */
  readonly time: string;
}

export function exportUsage(info: UsageInfo): { usage: ExportUsage | null; usageUnknownReason: string | null } {
  const s = info.sample;
  if (!s) return { usage: null, usageUnknownReason: info.reason?.text ?? null };
  return {
    usage: {
      usedBytes: s.usedBytes,
      capacityBytes: s.capacityBytes,
      availableBytes: s.availableBytes,
      inodesUsed: s.inodesUsed ?? null,
      inodes: s.inodes ?? null,
      inodesFree: s.inodesFree ?? null,
      usedPercent: percent1(bytesFraction(s)),
      inodesUsedPercent: percent1(inodesFraction(s)),
      node: s.node,
      time: new Date(s.time).toISOString(),
    },
    usageUnknownReason: null,
  };
}
