// Volume usage as cells and detail lines: the percentage used (bytes or inodes, whichever is
// fuller), or in a few words why there is no number (not mounted, driver without stats, …).
import { USAGE_SHORT, formatBytes, fullness, percentText, type UsageInfo, type UsageView } from '../../store/usage';
import type { Tone } from '../theme';

export interface UsageCell {
  readonly text: string;
  readonly tone: Tone | undefined;
  /** For sorting: fullness 0..1, -1 without a number. */
  readonly value: number;
}

const NONE: UsageCell = { text: '', tone: undefined, value: -1 };

export function usageCell(usage: UsageView | undefined, namespace: string, claim: string): UsageCell {
  if (!usage) return NONE;
  const info = usage.get(namespace, claim);
  if (!info.sample) return { text: info.reason ? USAGE_SHORT[info.reason.code] : '', tone: 'done', value: -1 };
  const f = fullness(info.sample);
  const tone: Tone | undefined = f === undefined ? undefined : f >= usage.threshold ? 'error' : f >= usage.threshold - 0.1 ? 'warning' : undefined;
  return { text: percentText(f), tone, value: f ?? -1 };
}

/** One sentence for the detail: numbers, or the reason there are none. */
export function usageText(info: UsageInfo): { text: string; tone?: Tone } {
  const s = info.sample;
  if (!s) return { text: info.reason ? `unknown: ${info.reason.detail || info.reason.text}` : 'unknown', tone: 'done' };
  const inodes = s.inodes && s.inodesUsed !== undefined ? `; inodes ${percentText(s.inodesUsed / s.inodes)} of ${s.inodes.toLocaleString('en-US')}` : '';
  const pct = s.capacityBytes > 0 ? `${percentText(s.usedBytes / s.capacityBytes)} used, ` : '';
  return { text: `${pct}${formatBytes(s.usedBytes)} of ${formatBytes(s.capacityBytes)} (${formatBytes(s.availableBytes)} free)${inodes}${s.node ? ` on ${s.node}` : ''}${info.note ? ` — ${info.note}` : ''}` };
}
