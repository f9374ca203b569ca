// The generic list browser every resource view reuses: rows memoized on the store versions of the
// kinds the view reads, sorted and filtered only when those or the sort/filter change, a
// windowed table, a cursor that follows the selected object by uid, k9s navigation and sort keys.
import React, { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { StoreReader } from '../store/store';
import { applyFilter, parseFilter, SearchIndexBuilder, type SearchIndex } from './filter';
import { noteRebuildCost, useNow, useStoreVersion, useUsageVersion } from './hooks';
import type { KeyBinding } from './keys';
import type { AnyListSpec, Column, ViewContext, RowCtx } from './list';
import { problemOf, useFindings } from './selectors/findings';
import { Table } from './table';
import { actionBindings } from './actions';
import { SegLine, seg } from './pager';
import { sanitize } from '../util/sanitize';
import { squeezeWords } from '../util/text';
import { recordInScope } from '../store/scope';
import { useTheme } from './theme';
import { useViewKeys } from './view-keys';
import { firstListsText, useFirstLists } from './first-lists';
import { keepInView, movementKeys } from './scroll';
import { sortRows } from './sort-rows';
import type { Store } from '../store/store';

/** What a list view remembers while it is in the history (selection, sort, scroll). */
export interface BrowserState {
  sel?: string;
  cursor?: number;
  top?: number;
  sort?: { column: string; desc: boolean };
}

export interface BrowserProps {
  readonly spec: AnyListSpec;
  readonly store: Store;
  readonly state: BrowserState;
  readonly filter: string;
  /** The filter prompt is open (the search index is built ahead of the first character). */
  readonly filtering?: boolean;
  readonly allNamespaces: boolean;
  readonly width: number;
  /** Lines available, title included. */
  readonly height: number;
  readonly ctx: ViewContext;
}

type Row = unknown;
const NO_ROWS: readonly Row[] = [];

/** Longest stretch the search index is built in at a time while the filter prompt waits. */
const INDEX_SLICE_MS = 8;
/**
 * Rows unchanged this long are indexed ahead of a search: 1 s, or 40x what the next build is
 * likely to cost (at 50k pods under churn the rows change every 2-3 s: built after each refresh,
 * it kept 17% of a core busy; now the first key of a search builds it there). The estimate
 * leaves out preparing texts seen for the first time: counting the first build's (3x a rebuild
 * at 10k rows) kept the index unbuilt for 7 s after a burst of changes had stopped.
 */
const INDEX_IDLE_MS = 1000;
let indexBuildMs = 0;

/**
 * Where the row with this key is: at `hint` (the last cursor) when it has not moved, else the
 * first found by a scan, -1 when gone. Cheaper than a map of every row rebuilt on each refresh.
 */
export function rowIndex(list: readonly Row[], key: string, hint: number, rowKey: (r: Row) => string): number {
  if (hint >= 0 && hint < list.length && rowKey(list[hint]) === key) return hint;
  for (let i = 0; i < list.length; i++) if (rowKey(list[i]) === key) return i;
  return -1;
}

/** The rows of the namespace scope (the store holds every namespace it may; see Connection.start). */
function inScope(spec: AnyListSpec, rows: readonly Row[], scope: string | null, store: StoreReader): readonly Row[] {
  if (scope === null) return rows;
  if (spec.inScope) return rows.filter((r) => spec.inScope!(r, scope, store));
  return rows.filter((r) => {
    const ns = (r as { namespace?: unknown }).namespace;
    return typeof ns !== 'string' || recordInScope({ namespace: ns }, scope);
  });
}

export function Browser(p: BrowserProps) {
  const { spec, store, state } = p;
  const theme = useTheme();
  const version = useStoreVersion(store, spec.kinds);
  const now = useNow();
  const findings = useFindings(store);
  const usage = spec.usageKeys ? p.ctx.session.usage : undefined;
  const usageVersion = useUsageVersion(usage);
  const ctx: RowCtx = useMemo(() => ({ store, now, findings, ...(usage ? { usage } : {}) }), [store, now, findings, usage, usageVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  // Sorting and searching read the context too, but must not rerun on a clock tick.
  const stableCtx = useRef(ctx);
  stableCtx.current = ctx;

  // --no-usage turns the poller off for good: its columns would only say "off" on every row.
  const usageShown = usage !== undefined && usage.state().status !== 'off';
  const columns = useMemo(() => spec.columns.filter((c) => (p.allNamespaces || !c.namespaceColumn) && (usageShown || !c.usageColumn)), [spec, p.allNamespaces, usageShown]);
  const searchColumns = useMemo(() => columns.map((c, i) => (c.search ? i : -1)).filter((i) => i >= 0), [columns]);

  const [, bump] = useState(0);
  const rerender = () => bump((n) => n + 1);
  const sort = state.sort ?? { column: spec.defaultSort.column, desc: !!spec.defaultSort.desc };
  const [picker, setPicker] = useState<number | null>(null);

  const started = performance.now();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const scope = p.allNamespaces ? null : p.ctx.session.namespace;
  // Until every kind the rows are made of has arrived, the list shows the listing's progress.
  const listing = useFirstLists(store, spec.kinds);
  const complete = listing.length === 0;
  const rows = useMemo(() => (complete ? inScope(spec, spec.rows(store as StoreReader, p.ctx.session), scope, store) : NO_ROWS), [spec, store, version, p.ctx.session, scope, spec.usesFindings ? findings : null, complete]);
  const sortCol = columns.find((c) => c.name === sort.column) ?? spec.columns.find((c) => c.name === sort.column);
  const sorted = useMemo(() => sortRows(rows, sortCol, sort.desc, stableCtx.current, spec.rowKey), [rows, sortCol, sort.desc, spec]);
  const parsed = useMemo(() => parseFilter(p.filter), [p.filter]);
  // The search index of these rows: built when first searched, or ahead, a slice at a time, once
  // the rows have not changed for a while or the filter prompt opens (the first character then
  // only searches; a busy list is not indexed on every refresh). A new row list reuses the texts
  // the last index prepared.
  const lastIndex = useRef<SearchIndex<Row>>(undefined);
  const indexBuilder = useMemo(
    () => new SearchIndexBuilder(rows, (r) => searchColumns.map((i) => sanitize(columns[i].cell(r, stableCtx.current))), lastIndex.current),
    [rows, searchColumns, columns],
  );
  const getIndex = useMemo(
    () => () => {
      lastIndex.current = indexBuilder.finish();
      indexBuildMs = indexBuilder.rebuildMs;
      return lastIndex.current;
    },
    [indexBuilder],
  );
  const filtering = p.filtering || p.filter !== '';
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const later = (ms: number) => {
      timer = setTimeout(slice, ms);
      timer.unref?.();
    };
    // Slices short enough that a key pressed meanwhile is read without a noticeable wait.
    const slice = () => {
      const done = indexBuilder.step(INDEX_SLICE_MS);
      if (!done) return later(0);
      lastIndex.current = indexBuilder.finish();
      indexBuildMs = indexBuilder.rebuildMs;
    };
    later(filtering ? 0 : Math.max(INDEX_IDLE_MS, indexBuildMs * 40));
    return () => clearTimeout(timer);
  }, [indexBuilder, filtering]);
  const filtered = useMemo(() => applyFilter(sorted, getIndex, parsed, (r) => spec.labels?.(r)), [sorted, getIndex, parsed, spec]);
  const list = filtered.rows;
  // A data refresh costs this render, the table's and the frame Ink draws: measured up to the
  // layout effect (after the commit), it paces the next one (useStoreVersion).
  const lastRows = useRef<readonly Row[]>(undefined);
  const refreshed = lastRows.current !== rows;
  lastRows.current = rows;
  useLayoutEffect(() => {
    if (refreshed) noteRebuildCost(performance.now() - started);
  });

  // The cursor follows the selected object; when it is gone, the row now at its place is selected.
  // Lines: the title, the table (its header included), the selected row's problem (not when
  // the rows are findings themselves).
  const problemLine = !spec.usesFindings;
  const tableHeight = Math.max(1, p.height - (problemLine ? 3 : 2));
  let cursor = state.sel !== undefined ? rowIndex(list, state.sel, state.cursor ?? 0, spec.rowKey) : -1;
  if (cursor < 0) cursor = Math.min(state.cursor ?? 0, Math.max(0, list.length - 1));
  if (list.length === 0) cursor = 0;
  const top = keepInView(state, cursor, tableHeight, list.length);
  cursor = state.cursor ?? 0;
  const selected = list[cursor];
  if (selected !== undefined) state.sel = spec.rowKey(selected);

  const move = (to: number) => {
    const n = Math.max(0, Math.min(list.length - 1, to));
    const r = list[n];
    state.cursor = n;
    state.sel = r === undefined ? undefined : spec.rowKey(r);
    rerender();
  };
  const setSort = (column: string, flip: boolean) => {
    const desc = column === sort.column ? (flip ? !sort.desc : sort.desc) : false;
    state.sort = { column, desc };
    rerender();
  };
  const ref = selected !== undefined ? spec.ref(selected) : undefined;
  const open = (how: 'detail' | 'tree' | 'yaml') => () => {
    if (ref) p.ctx.open(how, ref);
    else p.ctx.flash(selected === undefined ? 'nothing selected' : 'this row has no object to open', 'warning');
  };

  const sortable = columns.filter((c) => c.sortKey);
  const bindings: KeyBinding[] =
    picker !== null
      ? [
          { keys: ['up', 'k'], label: 'up', footer: false, run: () => setPicker((i) => Math.max(0, (i ?? 0) - 1)) },
          { keys: ['down', 'j'], label: 'down', footer: false, run: () => setPicker((i) => Math.min(columns.length - 1, (i ?? 0) + 1)) },
          { keys: ['g', 'home'], label: 'first', footer: false, run: () => setPicker(0) },
          { keys: ['G', 'end'], label: 'last', footer: false, run: () => setPicker(columns.length - 1) },
          {
            keys: ['enter'],
            label: 'sort by it (again: reverse)',
            run: () => {
              setSort(columns[picker].name, true);
              setPicker(null);
            },
          },
          { keys: ['esc', 'o', 'q'], label: 'cancel', run: () => setPicker(null) },
        ]
      : [
          ...(spec.keys?.(selected, p.ctx) ?? []),
          { keys: ['enter', 'd'], label: 'detail', help: 'describe the selected object', group: 'View', run: open('detail') },
          { keys: ['t'], label: 'tree', help: 'storage topology tree of the selected object', group: 'View', run: open('tree') },
          ...actionBindings(ref, p.ctx),
          { keys: ['y'], label: 'yaml', help: 'YAML of the live object', group: 'View', run: open('yaml') },
          { keys: ['o'], label: 'sort', help: 'pick the sort column', group: 'Sort', run: () => setPicker(Math.max(0, columns.findIndex((c) => c.name === sort.column))) },
          ...sortable.map((c) => ({ keys: [c.sortKey!], label: `sort ${c.name.toLowerCase()}`, help: `sort by ${c.name} (again: reverse)`, footer: false, group: 'Sort', run: () => setSort(c.name, true) })),
          ...movementKeys(state, tableHeight, list.length, move),
        ];
  useViewKeys(bindings, picker !== null);

  // The PVCs on screen are the ones whose usage is polled first.
  const visibleUsage = usage && spec.usageKeys ? list.slice(top, top + tableHeight).flatMap((r) => spec.usageKeys!(r)).join('\n') : '';
  useEffect(() => {
    if (usage && visibleUsage) usage.focus(visibleUsage.split('\n'));
  }, [usage, visibleUsage]);

  const problem = ref && problemLine ? problemOf(findings, ref) : undefined;
  const count = !complete ? '…' : list.length === rows.length ? `${rows.length}` : `${list.length}/${rows.length}`;
  return (
    <Box flexDirection="column" height={p.height} width={p.width}>
      <SegLine
        width={p.width}
        segs={[
          seg(spec.title, { bold: true, accent: true }),
          seg(`(${scope ?? 'all'})[${count}]`),
          ...(p.filter ? [seg(`  /${p.filter}`)] : []),
          ...(parsed.error ? [seg(`  ${parsed.error}`, { tone: 'error' })] : []),
          ...(list.length > tableHeight ? [seg(`  ${cursor + 1}/${list.length}`, { dim: true })] : []),
        ]}
      />
      {picker !== null ? (
        <SortPicker columns={columns} cursor={picker} current={sort.column} desc={sort.desc} height={p.height - 1} />
      ) : (
        <Table
          columns={columns}
          rows={list}
          top={top}
          cursor={cursor}
          height={tableHeight}
          width={p.width}
          ctx={ctx}
          rowKey={spec.rowKey}
          rowTone={spec.tone}
          highlights={filtered.highlights}
          searchColumns={searchColumns}
          sortColumn={sort.column}
          sortDesc={sort.desc}
          layoutKey={`${p.filter}|${sort.column}|${sort.desc}`}
          empty={!complete ? firstListsText(listing) : spec.usesFindings && !findings.judged ? 'judging…' : rows.length === 0 ? spec.empty ?? 'nothing here' : 'no row matches the filter (esc clears it)'}
        />
      )}
      {picker === null && problemLine && (
        <SegLine
          width={p.width}
          segs={
            problem
              ? [
                  seg(`${theme.marks[problem.finding.severity]} ${problem.finding.code} `, { tone: problem.finding.severity, bold: true }),
                  seg(squeezeWords(sanitize(problem.finding.message), p.width - problem.finding.code.length - 3, 24, theme.ellipsis)),
                  ...(problem.others > 0 ? [seg(`  (+${problem.others} more: enter)`, { dim: true })] : []),
                ]
              : [seg(' ')]
          }
        />
      )}
    </Box>
  );
}

function SortPicker(p: { columns: readonly Column<Row>[]; cursor: number; current: string; desc: boolean; height: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" height={p.height}>
      <Text bold>Sort by (enter picks, esc cancels):</Text>
      {p.columns.slice(0, p.height - 1).map((c, i) => (
        <Text key={c.name} inverse={i === p.cursor} wrap="truncate">
          {`  ${c.name}${c.name === p.current ? ` ${p.desc ? theme.arrowDown : theme.arrowUp}` : ''}${c.sortKey ? `   (shift-${c.sortKey})` : ''}`}
        </Text>
      ))}
    </Box>
  );
}
