// What a list view is: declared columns (header plus flags: sort letter, alignment, how it
// shrinks or drops on narrow terminals, whether `/` searches it) and one pure function per cell
// of one row. No drawing code and no I/O here: the generic browser (browser.tsx) does the rest.
import type { KindName, Labels } from '../store/records';
import type { StoreReader } from '../store/store';
import type { ObjRef } from '../store/topology/refs';
import type { FindingsView } from './selectors/findings';
import type { Tone } from './theme';
import type { KeyBinding } from './keys';
import type { UiSession } from './session';
import type { UsageView } from '../store/usage';

export interface RowCtx {
  readonly store: StoreReader;
  readonly now: number;
  readonly findings: FindingsView;
  /** Volume usage, when polled. */
  readonly usage?: UsageView;
}

export interface Column<R> {
  readonly name: string;
  /** The cell's text, already sanitized (pure: the row and the context only). */
  readonly cell: (r: R, c: RowCtx) => string;
  /** Colour of this cell (the row's tone otherwise colours only the marker and STATUS-like cells). */
  readonly tone?: (r: R, c: RowCtx) => Tone | undefined;
  /**
   * The cell and sort value read the row alone (not the clock, findings, usage or the store):
   * sorting keeps them for rows not changed since the last refresh.
   */
  readonly rowOnly?: boolean;
  /** Sort value (default: the cell text). */
  readonly sort?: (r: R, c: RowCtx) => string | number;
  /** Upper-case letter sorting by this column, as in k9s (shift-N name, shift-A age, …). */
  readonly sortKey?: string;
  readonly align?: 'right';
  /** Narrowest useful width when the terminal is narrow (default: the header's width). */
  readonly min?: number;
  /** Widest it gets (long messages). */
  readonly max?: number;
  /** Where a long cell loses characters: at the end (default) or in the middle (names whose end is unique). */
  readonly cut?: 'middle';
  /** Dropped on narrow terminals, higher first. */
  readonly drop?: number;
  /** The `/` filter searches it. */
  readonly search?: boolean;
  /** Only shown when watching all namespaces. */
  readonly namespaceColumn?: boolean;
  /** Only shown when volume usage is polled. */
  readonly usageColumn?: boolean;
}

export type { ViewContext } from './context';
import type { ViewContext } from './context';

export interface ListSpec<R> {
  /** Command name (`:pods`) and aliases (`:po`). */
  readonly name: string;
  readonly aliases: readonly string[];
  readonly title: string;
  /** One line for `:` completion and help. */
  readonly description: string;
  /** Kinds the rows are computed from: the list is recomputed only when one of them changes. */
  readonly kinds: readonly KindName[];
  readonly rows: (store: StoreReader, session: UiSession) => readonly R[];
  /** The rows are findings: recompute them when the findings change, not only the kinds. */
  readonly usesFindings?: boolean;
  /**
   * Whether a row belongs to a namespace scope (`-n`, `:ns`). Default: rows with a `namespace`
   * (records) when it is the scope's or '' (cluster-scoped); rows without one always.
   */
  readonly inScope?: (r: R, scope: string, store: StoreReader) => boolean;
  /** The PVCs (`namespace/claim`) a row shows usage of: redrawn on usage changes, and their nodes polled first while on screen. */
  readonly usageKeys?: (r: R) => readonly string[];
  readonly columns: readonly Column<R>[];
  /** Stable identity of a row (uid): the selection follows it when rows move. */
  readonly rowKey: (r: R) => string;
  /** The object Enter/t/y open, if any. */
  readonly ref: (r: R) => ObjRef | undefined;
  readonly labels?: (r: R) => Labels | undefined;
  /** The row's state: its marker and colour. */
  readonly tone: (r: R, c: RowCtx) => Tone | undefined;
  readonly defaultSort: { readonly column: string; readonly desc?: boolean };
  /** Extra keys of this view (beyond navigation, sort, Enter/t/y). */
  readonly keys?: (row: R | undefined, ctx: ViewContext) => readonly KeyBinding[];
  /** What an empty list means (shown instead of rows). */
  readonly empty?: string;
}

/** Helper for specs: erases the row type so specs of different rows live in one table. */
export type AnyListSpec = ListSpec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
