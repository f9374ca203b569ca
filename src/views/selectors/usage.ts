// Volume usage as cells and detail lines: USED% (bytes) and INODES% per claim or per pod (its
// fullest claim), or in a few words why there is no number (not mounted, driver without stats,
// …); the detail's bars (ASCII with --ascii) and the full reason.
import { USAGE_SHORT, bytesFraction, formatBytes, formatCount, inodesFraction, percentText, usageBar, type UsageInfo, type UsageSample, type UsageView } from '../../store/usage';
import type { PodRec } from '../../store/records';
import type { StoreReader } from '../../store/store';
import type { ObjRef } from '../../store/topology/refs';
import { line, seg, type PagerLine } from '../pager';
import type { Tone } from '../theme';
import type { Column, RowCtx } from '../list';
import { ago } from '../../util/time';
import { sanitize } from '../../util/sanitize';
import { width as cells, wrap } from '../../util/text';

export interface UsageCell {
  readonly text: string;
  readonly tone: Tone | undefined;
  /** For sorting: fullness 0..1, -1 without a number. */
  readonly value: number;
}

const NONE: UsageCell = { text: '', tone: undefined, value: -1 };

/** One sentence for the detail: numbers, or the reason there are none. */
export function usageText(info: UsageInfo): { text: string; tone?: Tone } {
  const s = info.sample;
  if (!s) return { text: info.reason ? `unknown: ${info.reason.text}${info.reason.detail ? `; ${info.reason.detail}` : ''}` : 'unknown', tone: 'done' };
  const inodes = s.inodes && s.inodesUsed !== undefined ? `; inodes ${percentText(s.inodesUsed / s.inodes)} of ${s.inodes.toLocaleString('en-US')}` : '';
  const pct = s.capacityBytes > 0 ? `${percentText(s.usedBytes / s.capacityBytes)} used, ` : '';
  return { text: `${pct}${formatBytes(s.usedBytes)} of ${formatBytes(s.capacityBytes)} (${formatBytes(s.availableBytes)} free)${inodes}${s.node ? ` on ${s.node}` : ''}${info.note ? ` — ${info.note}` : ''}` };
}

/** A fraction's tone against the VolumeNearlyFull threshold: error at it, warning 10 points below. */
function fractionTone(f: number | undefined, threshold: number): Tone | undefined {
  return f === undefined ? undefined : f >= threshold ? 'error' : f >= threshold - 0.1 ? 'warning' : undefined;
}

type Measure = (s: UsageSample) => number | undefined;

/** One measure (bytes or inodes) of a claim as a cell; the reason in place of bytes when unknown. */
function measureCell(usage: UsageView | undefined, namespace: string, claim: string, measure: Measure, showReason: boolean): UsageCell {
  if (!usage) return NONE;
  const info = usage.get(namespace, claim);
  if (!info.sample) return showReason && info.reason ? { text: USAGE_SHORT[info.reason.code], tone: 'done', value: -1 } : NONE;
  const f = measure(info.sample);
  return { text: percentText(f), tone: fractionTone(f, usage.threshold), value: f ?? -1 };
}

/** USED%: bytes used of capacity, or why unknown. */
export const bytesCell = (usage: UsageView | undefined, namespace: string, claim: string): UsageCell => measureCell(usage, namespace, claim, bytesFraction, true);

/** INODES%: inodes used, blank when unknown or not reported. */
export const inodesCell = (usage: UsageView | undefined, namespace: string, claim: string): UsageCell => measureCell(usage, namespace, claim, inodesFraction, false);

type CellFn = (usage: UsageView | undefined, namespace: string, claim: string) => UsageCell;

/**
 * USED% (bytes, or the reason when unknown) and INODES% columns, sorted fullest first, shown only
 * when usage is polled. `of` picks a row's cell (its claim, or a pod's fullest claim); `drop` is
 * when each goes on narrow terminals.
 */
export function usageColumns<R>(of: (r: R, c: RowCtx, cell: CellFn) => UsageCell, drop: { readonly used: number; readonly inodes: number }): Column<R>[] {
  const col = (name: string, cell: CellFn, sortKey: string, d: number): Column<R> => ({
    name,
    cell: (r, c) => of(r, c, cell).text,
    tone: (r, c) => of(r, c, cell).tone,
    sort: (r, c) => -of(r, c, cell).value,
    sortKey,
    align: 'right',
    drop: d,
    usageColumn: true,
  });
  return [col('USED%', bytesCell, 'U', drop.used), col('INODES%', inodesCell, 'I', drop.inodes)];
}

/** The claims a detail shows usage of (a PVC, or a pod's claims), as `namespace/claim` keys. */
export function detailUsageKeys(store: StoreReader, ref: ObjRef): string[] {
  if (ref.kind === 'PersistentVolumeClaim') return [`${ref.namespace}/${ref.name}`];
  const pod = ref.kind === 'Pod' ? store.get('Pod', ref.namespace, ref.name) : undefined;
  return pod ? podUsageKeys(pod) : [];
}

/** The claims of a pod as `namespace/claim` keys. */
export const podUsageKeys = (p: PodRec): string[] => p.volumes.filter((v) => v.claim).map((v) => `${p.namespace}/${v.claim}`);

/** A pod's cell: its fullest claim (a reason only when no claim has a number). */
export function podCell(usage: UsageView | undefined, p: PodRec, cell: (u: UsageView | undefined, ns: string, claim: string) => UsageCell): UsageCell {
  let best: UsageCell = NONE;
  for (const v of p.volumes) {
    if (!v.claim) continue;
    const c = cell(usage, p.namespace, v.claim);
    if (c.value > best.value || (best === NONE && c.text)) best = c;
  }
  return best;
}

/**
 * The detail's usage block: a bar each for bytes and inodes (ASCII with --ascii), where the
 * numbers come from and when; for a claim without numbers, the full reason.
 */
export function usageLines(usage: UsageView, namespace: string, claim: string, o: { width: number; ascii: boolean; now: number; title?: string }): PagerLine[] {
  const info = usage.get(namespace, claim);
  const indent = o.title ? '    ' : '  ';
  const out: PagerLine[] = o.title ? [line([seg(`  ${o.title}`, { bold: true })], { target: { kind: 'PersistentVolumeClaim', namespace, name: claim } })] : [];
  const s = info.sample;
  // Cluster text (node errors) is sanitized and wrapped, never cut.
  const para = (text: string, style: { tone?: Tone; dim?: boolean }) => {
    for (const t of wrap(sanitize(text), Math.max(20, o.width - indent.length - 4))) out.push(line([seg(`${indent}${t}`, style)]));
  };
  if (!s) {
    const r = info.reason;
    para(r ? r.text : 'unknown', { tone: 'done' });
    if (r?.detail) para(r.detail, { dim: true });
    return out;
  }
  const texts = {
    bytes: `${formatBytes(s.usedBytes)} of ${formatBytes(s.capacityBytes)}, ${formatBytes(s.availableBytes)} free`,
    inodes: s.inodes !== undefined && s.inodesUsed !== undefined ? `${formatCount(s.inodesUsed)} of ${formatCount(s.inodes)}` : '',
  };
  // Marker and link columns (4), the label (7), brackets (2), the percentage (6), then the text.
  const barWidth = Math.max(8, Math.min(30, o.width - 4 - indent.length - 7 - 2 - 6 - Math.max(cells(texts.bytes), cells(texts.inodes))));
  const bar = (label: string, f: number | undefined, text: string) => {
    const tone = fractionTone(f, usage.threshold);
    out.push(line([seg(`${indent}${label.padEnd(7)}`, { dim: true }), seg(f === undefined ? ' '.repeat(barWidth + 2) : usageBar(f, barWidth, o.ascii), { tone }), seg(` ${percentText(f).padStart(4)}  `, { tone, bold: !!tone }), seg(text)], tone ? { tone } : {}));
  };
  bar('bytes', bytesFraction(s), texts.bytes);
  if (texts.inodes) bar('inodes', inodesFraction(s), texts.inodes);
  else out.push(line([seg(`${indent}inodes  not reported by the driver`, { dim: true })]));
  const src = usage.state().source;
  out.push(line([seg(`${indent}${src.startsWith('prometheus') ? 'from Prometheus' : 'from kubelet'}${s.node ? ` on ${s.node}` : ''}, measured ${ago(o.now, s.time)}`, { dim: true })]));
  if (info.note) para(info.note, { tone: 'warning' });
  return out;
}

