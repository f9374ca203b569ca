// The `/` filter of list views: fuzzy match (fuzzysort) over a view's searchable columns, `!term`
// for rows that do not contain term, `-l k=v,k2!=v2,k3,!k4` for a label selector; combinable
// (`-l app=web crash`). Matches keep the table's sort order (rows scoring under half the best
// match are left out as noise); matched characters are reported per
// column so the table can highlight them.
import fuzzysort from 'fuzzysort';
import type { Labels } from '../store/records';

export interface LabelTerm {
  readonly key: string;
  readonly op: '=' | '!=' | 'exists' | '!exists';
  readonly value: string;
}

export interface ParsedFilter {
  readonly fuzzy: string;
  readonly inverse: string;
  readonly labels: readonly LabelTerm[];
  /** Set when the filter text cannot be used (shown to the user). */
  readonly error?: string;
}

export function parseFilter(text: string): ParsedFilter {
  let rest = text.trim();
  let labels: LabelTerm[] = [];
  let error: string | undefined;
  const m = /^-l\s*(\S*)\s*(.*)$/.exec(rest);
  if (m) {
    rest = m[2];
    const parsed = parseSelector(m[1]);
    if (typeof parsed === 'string') error = parsed;
    else labels = parsed;
  }
  if (rest.startsWith('!')) return { fuzzy: '', inverse: rest.slice(1).trim(), labels, ...(error ? { error } : {}) };
  return { fuzzy: rest, inverse: '', labels, ...(error ? { error } : {}) };
}

export function parseSelector(s: string): LabelTerm[] | string {
  if (!s) return 'label selector expected after -l (k=v, k!=v, k, !k)';
  const out: LabelTerm[] = [];
  for (const part of s.split(',')) {
    const t = part.trim();
    if (!t) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^=!]+)!=(.*)$/.exec(t))) out.push({ key: m[1], op: '!=', value: m[2] });
    else if ((m = /^([^=!]+)==?(.*)$/.exec(t))) out.push({ key: m[1], op: '=', value: m[2] });
    else if ((m = /^!([^=!]+)$/.exec(t))) out.push({ key: m[1], op: '!exists', value: '' });
    else if (/^[^=!]+$/.test(t)) out.push({ key: t, op: 'exists', value: '' });
    else return `cannot read label selector "${t}"`;
  }
  return out;
}

export function matchLabels(labels: Labels | undefined, terms: readonly LabelTerm[]): boolean {
  const l = labels ?? {};
  for (const t of terms) {
    const has = Object.prototype.hasOwnProperty.call(l, t.key);
    if (t.op === 'exists' && !has) return false;
    if (t.op === '!exists' && has) return false;
    if (t.op === '=' && (!has || l[t.key] !== t.value)) return false;
    if (t.op === '!=' && has && l[t.key] === t.value) return false;
  }
  return true;
}

/** Searchable texts of every row, prepared once per row list. */
export interface SearchIndex<R> {
  readonly rows: readonly R[];
  readonly entries: readonly { readonly row: R; readonly targets: readonly Fuzzysort.Prepared[]; readonly lower: string }[];
}

// fuzzysort's namespace types, re-exported for the index.
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace Fuzzysort {
  type Prepared = ReturnType<typeof fuzzysort.prepare>;
  type KeysResult<T> = ReturnType<typeof fuzzysort.go<T>>[number];
}

export function buildSearchIndex<R>(rows: readonly R[], texts: (r: R) => readonly string[]): SearchIndex<R> {
  return {
    rows,
    entries: rows.map((row) => {
      const t = texts(row);
      return { row, targets: t.map((s) => fuzzysort.prepare(s)), lower: t.join('\u0000').toLowerCase() };
    }),
  };
}

/** Matched character positions: searchable column number → indexes into its text. */
export type Highlights = ReadonlyMap<number, readonly number[]>;

/** The highlights of a row of the result (computed when a row is drawn, then kept). */
export interface HighlightLookup<R> {
  get(row: R): Highlights | undefined;
}

export interface FilterResult<R> {
  readonly rows: readonly R[];
  readonly highlights: HighlightLookup<R>;
}

const RELATIVE_CUTOFF = 0.5;

const NO_HIGHLIGHTS: HighlightLookup<unknown> = { get: () => undefined };

type Entry<R> = SearchIndex<R>['entries'][number];
type Match<R> = Fuzzysort.KeysResult<Entry<R>>;

/** The last fuzzy search of each index: a query that extends it only needs to search its matches. */
const lastSearch = new WeakMap<SearchIndex<unknown>, { readonly query: string; readonly matched: readonly Entry<unknown>[] }>();

/** Highlights of one matched row: the characters each searchable column matched. */
function highlightsOf<R>(res: Match<R>): Highlights {
  const h = new Map<number, readonly number[]>();
  for (let i = 0; i < res.length; i++) if (res[i] && res[i].indexes.length && res[i].score > 0) h.set(i, [...res[i].indexes]);
  return h;
}

/**
 * Applies a parsed filter to `sorted` (the table's rows in display order). `index` covers the same
 * rows (any order); `labelsOf` reads a row's labels for `-l`.
 */
export function applyFilter<R>(sorted: readonly R[], index: () => SearchIndex<R>, f: ParsedFilter, labelsOf: (r: R) => Labels | undefined): FilterResult<R> {
  let rows = sorted;
  if (f.labels.length) rows = rows.filter((r) => matchLabels(labelsOf(r), f.labels));
  if (f.inverse) {
    const term = f.inverse.toLowerCase();
    const lower = new Map(index().entries.map((e) => [e.row, e.lower]));
    rows = rows.filter((r) => !(lower.get(r) ?? '').includes(term));
  }
  if (!f.fuzzy) return { rows, highlights: NO_HIGHLIGHTS as HighlightLookup<R> };
  const idx = index();
  const nkeys = idx.entries[0]?.targets.length ?? 0;
  const keys = Array.from({ length: nkeys }, (_, i) => (e: Entry<R>) => e.targets[i]);
  // Every character of a query must appear, in order, in a row that matches it: typing one more
  // character (no space) can only drop rows, so only the last query's matches are searched.
  const last = lastSearch.get(idx as SearchIndex<unknown>);
  const pool = last && f.fuzzy.startsWith(last.query) && !/\s/.test(f.fuzzy) ? (last.matched as readonly Entry<R>[]) : idx.entries;
  // fuzzysort's defaults (limit 10, threshold .5) would silently drop rows: ask for every match.
  const results = fuzzysort.go(f.fuzzy, pool, { keys, limit: 0, threshold: 0 });
  lastSearch.set(idx as SearchIndex<unknown>, { query: f.fuzzy, matched: results.map((r) => r.obj) });
  // Scattered matches far below the best one are noise ("train" in "ContainerCreating"): keep
  // rows scoring at least half the best score.
  const best = results.reduce((m, r) => Math.max(m, r.score), 0);
  const kept = new Map<R, Match<R>>();
  for (const res of results) if (res.score >= best * RELATIVE_CUTOFF) kept.set(res.obj.row, res);
  const drawn = new Map<R, Highlights>();
  const highlights: HighlightLookup<R> = {
    get(row) {
      let h = drawn.get(row);
      const res = h ? undefined : kept.get(row);
      if (res) drawn.set(row, (h = highlightsOf(res)));
      return h;
    },
  };
  return { rows: rows.filter((r) => kept.has(r)), highlights };
}
