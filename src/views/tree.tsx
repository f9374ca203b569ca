// `t`: the storage chain of an object as a tree (app pod → claim → volume → driver → node plugin,
// registration, attachment, mount pods, controllers; or everything a mount pod, node plugin,
// node or driver serves). The cursor starts on the worst line, so from a stuck pod the culprit is
// one Enter away. Every line jumps: Enter opens its detail, t re-roots the tree there, y its YAML.
import React, { useMemo } from 'react';
import { chainFor, type ChainNode } from '../store/topology/chain';
import { lookup, type ObjRef } from '../store/topology/refs';
import type { StoreReader } from '../store/store';
import type { ViewContext } from './list';
import { Pager, seg, type PagerLine, type PagerState } from './pager';
import { middle, width as cells } from '../util/text';
import { useLive } from './live';
import { actionBindings } from './actions';
import { kindAfter, recordTone, severityRank, shortKind } from './kinds';
import { useTheme, worse, type Theme, type Tone } from './theme';

export interface TreeProps {
  readonly target: ObjRef;
  readonly state: PagerState & { initialized?: boolean };
  readonly width: number;
  readonly height: number;
  readonly ctx: ViewContext;
  /** The `/` search text. */
  readonly search?: string;
}

export function treeLines(store: StoreReader, root: ChainNode, theme: Theme, width: number): PagerLine[] {
  const out: PagerLine[] = [];
  const [tee, last, pipe, blank] = theme.tree;
  const walk = (n: ChainNode, prefix: string, branch: string) => {
    const ref = { kind: n.kind, namespace: n.namespace, name: n.name };
    const rec = n.name ? lookup(store, ref) : undefined;
    const markTone = n.marks.reduce<Tone | undefined>((t, m) => worse(t, m.severity), undefined);
    const tone = worse(worse(markTone, n.missing ? 'error' : undefined), recordTone(rec));
    const full = n.name ? (n.namespace ? `${n.namespace}/${n.name}` : n.name) : '';
    const kindText = kindAfter(n.relation, n.kind);
    const marksText = n.marks.length ? `  ${n.marks.map((m) => m.code).join(' ')}` : '';
    const statusText = `  ${n.status}`;
    // Long names (mount pods) lose their middle so that the status stays visible; findings
    // codes come last (the marker already shows the severity).
    const fixed = 2 + cells(prefix + branch) + (n.relation ? cells(n.relation) + 1 : 0) + cells(kindText) + cells(statusText);
    const name = middle(full, Math.max(36, width - fixed), theme.ellipsis);
    out.push({
      tone,
      ...(n.name && !n.missing ? { target: ref } : {}),
      segs: [
        seg(prefix + branch, { dim: true }),
        ...(n.relation ? [seg(`${n.relation} `, { dim: true })] : []),
        ...(kindText ? [seg(kindText)] : []),
        seg(name, { bold: true }),
        seg(statusText, { tone: n.missing ? 'error' : recordTone(rec) }),
        ...(marksText ? [seg(marksText, { tone: markTone })] : []),
      ],
    });
    const kids = n.children;
    kids.forEach((c, i) => {
      const isLast = i === kids.length - 1 && n.more === 0;
      walk(c, prefix + (branch === '' ? '' : branch === last ? blank : pipe), isLast ? last : tee);
    });
    if (n.more > 0) out.push({ segs: [seg(prefix + (branch === '' ? '' : branch === last ? blank : pipe) + last, { dim: true }), seg(`… ${n.more} more`, { dim: true })] });
  };
  walk(root, '', '');
  return out;
}

/** The line to start on: the worst one below the root, else the root. */
export function worstLine(lines: readonly PagerLine[]): number {
  let best = 0;
  let rank = 9;
  lines.forEach((l, i) => {
    if (i === 0) return;
    const r = severityRank(l.tone);
    if (r < rank) (rank = r), (best = i);
  });
  return best;
}

export function Tree(p: TreeProps) {
  const theme = useTheme();
  const { store } = p.ctx;
  const { version, now, findings, redraw } = useLive(p.ctx);
  const root = useMemo(() => chainFor(store, p.target, { marks: findings.marks }), [store, p.target, version, findings, now]); // eslint-disable-line react-hooks/exhaustive-deps
  const lines = useMemo(() => (root ? treeLines(store, root, theme, p.width) : []), [root, store, theme, p.width]);
  const initial = useMemo(() => worstLine(lines), [lines]);
  const title = [seg('Tree', { bold: true, accent: true }), seg(` ${shortKind(p.target.kind)} ${p.target.namespace ? `${p.target.namespace}/` : ''}${p.target.name}`)];
  if (!root) {
    return (
      <Pager
        title={title}
        lines={[{ segs: [seg(`${p.target.kind} ${p.target.name} is not in the store (deleted, or not watched)`, { tone: 'warning' })] }]}
        state={p.state}
        width={p.width}
        height={p.height}
        keys={() => []}
        onMove={redraw}
      />
    );
  }
  const jump = (how: 'detail' | 'tree' | 'yaml', l: PagerLine | undefined) => () => {
    if (l?.target) p.ctx.open(how, l.target);
    else p.ctx.flash('this line has no object to open', 'warning');
  };
  return (
    <Pager
      title={title}
      lines={lines}
      state={p.state}
      search={p.search ?? ''}
      width={p.width}
      height={p.height}
      initialCursor={initial}
      markers
      onMove={redraw}
      keys={(l) => [
        { keys: ['enter', 'd'], label: 'detail', help: 'describe the object on this line', group: 'View', run: jump('detail', l) },
        { keys: ['t'], label: 'tree here', help: 'the tree of the object on this line', group: 'View', run: jump('tree', l) },
        { keys: ['y'], label: 'yaml', help: 'YAML of the object on this line', group: 'View', run: jump('yaml', l) },
        ...actionBindings(l?.target, p.ctx),
      ]}
    />
  );
}
