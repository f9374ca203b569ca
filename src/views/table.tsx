// A windowed table: only the rows in view are turned into cells and React elements, so 10k rows
// cost what 20 do. Column widths come from the visible rows and the header; narrow terminals
// shrink the flexible columns, then drop optional ones, then cut. Each row is one Text line.
import React, { memo, useRef } from 'react';
import { Box, Text } from 'ink';
import { fit, middle, width } from '../util/text';
import { sanitize } from '../util/sanitize';
import type { Column, RowCtx } from './list';
import type { HighlightLookup, Highlights } from './filter';
import { useTheme, type Theme, type Tone } from './theme';

export interface TableProps<R> {
  readonly columns: readonly Column<R>[];
  /** All rows in display order (filtered and sorted); only rows[top, top+height) are drawn. */
  readonly rows: readonly R[];
  readonly top: number;
  readonly cursor: number;
  /** Lines for rows (the header line is extra). */
  readonly height: number;
  readonly width: number;
  readonly ctx: RowCtx;
  readonly rowKey: (r: R) => string;
  readonly rowTone: (r: R, c: RowCtx) => Tone | undefined;
  readonly highlights?: HighlightLookup<R>;
  /** Index (in `columns`) of each searchable column, matching the highlight numbering. */
  readonly searchColumns?: readonly number[];
  readonly sortColumn?: string;
  readonly sortDesc?: boolean;
  readonly empty?: string;
  /** Column widths start over when it changes (filter, sort); they only grow otherwise. */
  readonly layoutKey?: string;
}

const GAP = 2;

export interface Layout {
  /** Indexes of the columns shown, in order. */
  readonly shown: readonly number[];
  readonly widths: readonly number[];
}

/**
 * Chooses columns and widths for `total` cells (marker, then columns separated by GAP): natural
 * widths first; when too wide, columns with a `min` shrink to it, then optional columns are
 * dropped (most optional first, the rest growing back), then everything shrinks.
 */
export function layoutColumns(headers: readonly string[], natural: readonly number[], cols: readonly Pick<Column<unknown>, 'min' | 'max' | 'drop'>[], total: number): Layout {
  const nat = natural.map((n, i) => Math.min(Math.max(n, width(headers[i])), Math.max(cols[i].max ?? Infinity, width(headers[i]))));
  const fitInto = (shown: readonly number[], floor: (i: number) => number): number[] | undefined => {
    const w = [...nat];
    let over = 2 + shown.reduce((s, i) => s + w[i], 0) + GAP * Math.max(0, shown.length - 1) - total;
    while (over > 0) {
      let best = -1;
      for (const i of shown) if (w[i] > floor(i) && (best < 0 || w[i] - floor(i) > w[best] - floor(best))) best = i;
      if (best < 0) return undefined;
      const step = Math.min(over, w[best] - floor(best), Math.max(1, Math.ceil((w[best] - floor(best)) / 4)));
      w[best] -= step;
      over -= step;
    }
    return w;
  };
  const comfortable = (i: number) => Math.min(nat[i], Math.max(cols[i].min ?? nat[i], width(headers[i])));
  let shown = headers.map((_, i) => i);
  let w = fitInto(shown, comfortable);
  const droppable = shown.filter((i) => cols[i].drop).sort((a, b) => (cols[b].drop ?? 0) - (cols[a].drop ?? 0));
  for (const i of droppable) {
    if (w) break;
    shown = shown.filter((x) => x !== i);
    w = fitInto(shown, comfortable);
  }
  w ??= fitInto(shown, (i) => Math.min(nat[i], width(headers[i]))) ?? fitInto(shown, () => 1) ?? nat.map(() => 1);
  return { shown, widths: w };
}

function TableImpl<R>(p: TableProps<R>) {
  const theme = useTheme();
  const visible = p.rows.slice(p.top, p.top + p.height);
  // Every cell is cluster text: strip control sequences before it reaches the terminal.
  const cells = visible.map((r) => p.columns.map((c) => sanitize(c.cell(r, p.ctx))));
  // Columns only grow while the same rows are shown (until the width, filter or sort changes): a
  // row that changes or scrolls away does not make every other line move and be rewritten.
  const key = `${p.width}|${p.layoutKey ?? ''}`;
  const seen = useRef<{ key: string; widths: Map<string, number> }>({ key, widths: new Map() });
  if (seen.current.key !== key) seen.current = { key, widths: new Map() };
  const natural = p.columns.map((c, i) => {
    const w = Math.max(seen.current.widths.get(c.name) ?? 0, cells.reduce((m, row) => Math.max(m, width(row[i])), 0));
    seen.current.widths.set(c.name, w);
    return w;
  });
  const headers = p.columns.map((c) => (c.name === p.sortColumn ? `${c.name}${p.sortDesc ? theme.arrowDown : theme.arrowUp}` : c.name));
  const { shown, widths } = layoutColumns(headers, natural, p.columns, p.width);
  const header = '  ' + shown.map((i, n) => fit(headers[i], widths[i], theme.ellipsis, p.columns[i].align === 'right' && n > 0)).join(' '.repeat(GAP));
  return (
    <Box flexDirection="column" height={p.height + 1} width={p.width}>
      <Text bold wrap="truncate">
        {fit(header, p.width, '')}
      </Text>
      {visible.length === 0 && p.empty ? (
        <Text dimColor wrap="truncate">
          {fit('  ' + p.empty, p.width, theme.ellipsis)}
        </Text>
      ) : null}
      {visible.map((r, n) => (
        <Row
          key={p.rowKey(r)}
          theme={theme}
          cells={cells[n]}
          shown={shown}
          widths={widths}
          columns={p.columns}
          row={r}
          ctx={p.ctx}
          tone={p.rowTone(r, p.ctx)}
          selected={p.top + n === p.cursor}
          highlights={p.highlights?.get(r)}
          searchColumns={p.searchColumns}
          width={p.width}
        />
      ))}
    </Box>
  );
}

export const Table = TableImpl as <R>(p: TableProps<R>) => React.ReactElement;

interface RowProps<R> {
  theme: Theme;
  cells: readonly string[];
  shown: readonly number[];
  widths: readonly number[];
  columns: readonly Column<R>[];
  row: R;
  ctx: RowCtx;
  tone: Tone | undefined;
  selected: boolean;
  highlights: Highlights | undefined;
  searchColumns: readonly number[] | undefined;
  width: number;
}

function RowImpl<R>(p: RowProps<R>) {
  const { theme } = p;
  const parts: React.ReactNode[] = [];
  const marker = theme.marks[p.tone ?? 'ok'];
  parts.push(
    <Text key="m" color={theme.toneColor(p.tone)} bold>
      {marker}
    </Text>,
    ' ',
  );
  let used = 2;
  p.shown.forEach((ci, n) => {
    const col = p.columns[ci];
    const w = p.widths[ci];
    const last = n === p.shown.length - 1;
    const text = p.cells[ci];
    const cellTone = col.tone ? col.tone(p.row, p.ctx) : undefined;
    const color = theme.toneColor(cellTone);
    const hl = p.searchColumns && p.highlights ? p.highlights.get(p.searchColumns.indexOf(ci)) : undefined;
    const right = col.align === 'right' && n > 0;
    const cut = col.cut === 'middle' && width(text) > w ? middle(text, w, theme.ellipsis) : undefined;
    const fitted = cut !== undefined ? fit(cut, w, theme.ellipsis) : fit(text, w, theme.ellipsis, right);
    if (n > 0) parts.push(' '.repeat(GAP));
    if (hl && hl.length && !right) parts.push(<Text key={ci} color={color}>{highlight(fitted, cut === undefined ? hl : shiftForMiddle(text, cut, hl, theme.ellipsis), ci)}</Text>);
    else if (color) parts.push(<Text key={ci} color={color}>{fitted}</Text>);
    else parts.push(fitted);
    used += w + (n > 0 ? GAP : 0);
    if (last && used < p.width) parts.push(' '.repeat(p.width - used));
  });
  return (
    // Like k9s, the whole row takes its state colour; cells with their own tone keep it.
    <Text wrap="truncate" inverse={p.selected} color={p.tone === 'ok' ? undefined : theme.toneColor(p.tone)}>
      {parts}
    </Text>
  );
}

/** Where the matched characters of `text` sit in its middle-cut form (the cut ones vanish). */
function shiftForMiddle(text: string, cut: string, indexes: readonly number[], ellipsis: string): number[] {
  const at = cut.indexOf(ellipsis);
  const tail = cut.length - at - ellipsis.length;
  const tailStart = text.length - tail;
  return indexes.flatMap((i) => (i < at ? [i] : i >= tailStart ? [i - tailStart + at + ellipsis.length] : []));
}

/**
 * Underlines and bolds the characters the filter matched (only the ones still visible), a run of
 * adjacent ones in one Text: the frame is the same, with fewer nodes for Ink to lay out and draw.
 */
function highlight(text: string, indexes: readonly number[], key: number): React.ReactNode[] {
  const set = new Set(indexes);
  const out: React.ReactNode[] = [];
  let plain = '';
  let run = '';
  let runAt = 0;
  const endRun = () => {
    if (run)
      out.push(
        <Text key={`${key}.${runAt}`} bold underline>
          {run}
        </Text>,
      );
    run = '';
  };
  let i = 0;
  for (const ch of text) {
    if (set.has(i)) {
      if (plain) (out.push(plain), (plain = ''));
      if (!run) runAt = i;
      run += ch;
    } else {
      endRun();
      plain += ch;
    }
    i += ch.length;
  }
  endRun();
  if (plain) out.push(plain);
  return out;
}

const Row = memo(RowImpl, (a, b) => {
  return (
    a.row === b.row &&
    a.selected === b.selected &&
    a.tone === b.tone &&
    a.width === b.width &&
    sameList(a.widths, b.widths) &&
    sameList(a.shown, b.shown) &&
    a.highlights === b.highlights &&
    a.theme === b.theme &&
    sameList(a.cells, b.cells)
  );
}) as typeof RowImpl;

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

