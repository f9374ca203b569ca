// Enter on any row: a describe-like page of one object — key fields, findings with evidence,
// container states, events newest first, related objects (each line a link: Enter opens it,
// tab jumps to the next one), conditions. Follows the store live.
import React, { useEffect, useMemo } from 'react';
import type { ObjRef } from '../store/topology/refs';
import type { ViewContext } from './list';
import { Pager, seg, type PagerLine, type PagerState } from './pager';
import { useLive } from './live';
import { useUsageVersion } from './hooks';
import { detailContent } from './detail-data';
import { detailUsageKeys } from './selectors/usage';
import { useTheme } from './theme';
import { actionBindings } from './actions';
import { middle, width as cells } from '../util/text';
import { sanitize } from '../util/sanitize';

export interface DetailProps {
  readonly target: ObjRef;
  readonly state: PagerState;
  readonly width: number;
  readonly height: number;
  readonly ctx: ViewContext;
  /** The `/` search text. */
  readonly search?: string;
}

export function Detail(p: DetailProps) {
  const theme = useTheme();
  const { store } = p.ctx;
  const { version, now, findings, redraw } = useLive(p.ctx);
  const usage = p.ctx.session.usage;
  const usageVersion = useUsageVersion(usage);
  const content = useMemo(() => detailContent({ store, ref: p.target, findings, now, width: p.width, ascii: theme.ascii, ...(usage ? { usage } : {}) }), [store, p.target, findings, now, p.width, version, usage, usageVersion, theme.ascii]); // eslint-disable-line react-hooks/exhaustive-deps
  // The claims this detail shows are on screen: their nodes are polled at the full rate.
  const usageKeys = usage ? detailUsageKeys(store, p.target).join('\n') : '';
  useEffect(() => {
    if (usage && usageKeys) usage.focus(usageKeys.split('\n'));
  }, [usage, usageKeys]);
  const mark = theme.marks[content.tone ?? 'ok'].trim();
  const status = content.status ? `  ${mark ? `${mark} ` : ''}${content.status}` : '';
  const title = [seg(middle(sanitize(content.title), Math.max(20, p.width - cells(status) - 1), theme.ellipsis), { bold: true, accent: true }), seg(status, content.tone ? { tone: content.tone } : {})];
  const follow = (how: 'detail' | 'tree' | 'yaml', l: PagerLine | undefined) => () => p.ctx.open(how, l?.target ?? p.target);
  return (
    <Pager
      title={title}
      lines={content.lines}
      state={p.state}
      search={p.search ?? ''}
      width={p.width}
      height={p.height}
      markers
      links
      onMove={redraw}
      keys={(l) => [
        ...(l?.target ? [{ keys: ['enter'], label: 'open', help: 'open the object on this line', group: 'View', run: follow('detail', l) }] : []),
        { keys: ['t'], label: 'tree', help: 'topology tree of this object (or of the line under the cursor)', group: 'View', run: follow('tree', l) },
        { keys: ['y'], label: 'yaml', help: 'YAML of this object (or of the line under the cursor)', group: 'View', run: follow('yaml', l) },
        ...actionBindings(l?.target ?? p.target, p.ctx),
      ]}
    />
  );
}
