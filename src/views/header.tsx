// The header line: context, cluster version, namespace scope, a compact store status, the
// READ-ONLY badge and the count of error findings. Re-renders on status changes, not on data.
import React, { useMemo } from 'react';
import { SegLine, seg, type Seg } from './pager';
import type { Store } from '../store/store';
import { KIND_NAMES } from '../store/kinds';
import type { KindName } from '../store/records';
import { formatAge } from '../util/time';
import { useNow, useStoreVersion } from './hooks';
import { useFindings } from './selectors/findings';
import { summarize } from '../store/verdicts';
import { findingInScope } from '../store/scope';
import { useTheme, type Tone } from './theme';

const SHORT: Partial<Record<KindName, string>> = {
  PersistentVolumeClaim: 'pvc',
  PersistentVolume: 'pv',
  StorageClass: 'sc',
  VolumeAttachment: 'va',
  CSIDriver: 'csidrivers',
  CSINode: 'csinodes',
};
const short = (k: KindName) => SHORT[k] ?? `${k.toLowerCase()}s`;

export interface StoreSummary {
  readonly text: string;
  readonly tone: Tone | undefined;
}

/**
 * synced / syncing n/m / reconnecting 2m / error, then `forbidden: leases,va` when some kinds
 * cannot be read and `ns-only: pods` when some can be read in the scoped namespace only.
 */
export function storeSummary(store: Store, now: number): StoreSummary {
  const st = KIND_NAMES.map((k) => ({ k, s: store.status(k) }));
  const forbidden = st.filter((x) => x.s.state === 'forbidden').map((x) => short(x.k));
  const notServed = st.filter((x) => x.s.state === 'notServed');
  const reconnecting = st.filter((x) => x.s.state === 'reconnecting' || x.s.state === 'error');
  const waiting = st.filter((x) => x.s.state === 'pending' || x.s.state === 'syncing');
  const counted = st.length - notServed.length - forbidden.length;
  const parts: string[] = [];
  let tone: Tone | undefined;
  if (reconnecting.length) {
    const since = Math.min(...reconnecting.map((x) => x.s.since || now));
    parts.push(`reconnecting ${formatAge(now - since)} (${reconnecting.map((x) => short(x.k)).join(',')})`);
    tone = 'error';
  } else if (waiting.length) {
    const pods = store.status('Pod');
    const podText = pods.state === 'syncing' && pods.expected ? ` (pods ${pods.listed}/${pods.expected})` : '';
    parts.push(`syncing ${counted - waiting.length}/${counted}${podText}`);
    tone = 'warning';
  } else parts.push('synced');
  if (forbidden.length) {
    parts.push(`forbidden: ${forbidden.join(',')}`);
    tone ??= 'warning';
  }
  // Listing every namespace was refused: a driver's pods elsewhere are unseen.
  const narrowed = st.filter((x) => x.s.onlyNamespace !== undefined && x.s.state !== 'forbidden').map((x) => short(x.k));
  if (narrowed.length) {
    parts.push(`ns-only: ${narrowed.join(',')}`);
    tone ??= 'warning';
  }
  return { text: parts.join(' '), tone };
}

export interface HeaderProps {
  readonly store: Store;
  readonly contextName: string;
  readonly serverVersion: string;
  readonly namespace: string | null;
  readonly readonly: boolean;
  readonly demo: boolean;
  readonly width: number;
}

export function Header(p: HeaderProps) {
  const theme = useTheme();
  useStoreVersion(p.store, [], true);
  // Findings are recomputed on data changes; the header refreshes with the clock (10 s).
  const now = useNow();
  const status = storeSummary(p.store, now);
  const findings = useFindings(p.store);
  const scope = p.namespace;
  const counts = useMemo(() => (scope === null ? findings.counts : summarize(findings.all.filter((f) => findingInScope(f, scope)))), [findings, scope]);
  const segs: Seg[] = [
    seg('csi-top', { bold: true, accent: true }),
    ...(p.demo ? [seg(' DEMO', { tone: 'warning' })] : []),
    ...(p.readonly ? [seg(' '), seg('READ-ONLY', { bold: true, inverse: true })] : []),
    seg(` ctx:${p.contextName}`),
    seg(` ${p.serverVersion}`, { dim: true }),
    seg(` ns:${p.namespace === null ? 'all' : p.namespace}`),
    seg(` ${status.text}`, status.tone ? { tone: status.tone } : {}),
    ...(counts.error ? [seg(` ${theme.marks.error} ${counts.error} error${counts.error === 1 ? '' : 's'}`, { tone: 'error', bold: true })] : []),
    ...(counts.warning ? [seg(` ${theme.marks.warning} ${counts.warning} warning${counts.warning === 1 ? '' : 's'}`, { tone: 'warning' })] : []),
    ...(!counts.error && !counts.warning && status.text === 'synced' ? [seg(findings.judged ? ' no findings' : ' judging…', { dim: true })] : []),
  ];
  return <SegLine segs={segs} width={p.width} />;
}
