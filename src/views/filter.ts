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

/**
 * Searchable texts of every row, prepared once per row list. A text shared by many rows (a
 * namespace, a status, a driver) is prepared and scored once: rows hold numbers into `targets`.
 */
export interface SearchIndex<R> {
  readonly rows: readonly R[];
  /** Searchable columns. */
  readonly nkeys: number;
  /** Row i's text of column k is targets[texts[i * nkeys + k]]. */
  readonly texts: Int32Array;
  readonly targets: readonly Fuzzysort.Prepared[];
  /** Row i's texts, lower case and joined (for `!term`). */
  lower(i: number): string;
  /** Where each row is in `rows`. */
  readonly position: ReadonlyMap<R, number>;
  /** targets by text (a later index of the same view reuses them). */
  readonly byText: ReadonlyMap<string, number>;
}

// fuzzysort's namespace types, re-exported for the index.
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace Fuzzysort {
  type Prepared = ReturnType<typeof fuzzysort.prepare>;
  type KeysResult<T> = ReturnType<typeof fuzzysort.go<T>>[number];
}

/**
 * Builds a search index a slice at a time (`step`), so that it can be made ready while the user
 * has not typed yet; `finish` completes it at once. Texts already prepared by `previous` (the
 * index of the last row list) are reused.
 */
export class SearchIndexBuilder<R> {
  private next = 0;
  private nkeys = -1;
  private texts: Int32Array;
  private readonly targets: Fuzzysort.Prepared[] = [];
  private readonly byText = new Map<string, number>();
  private readonly position = new Map<R, number>();
  private done: SearchIndex<R> | undefined;
  private spentMs = 0;
  private prepareMs = 0;

  constructor(
    private readonly rows: readonly R[],
    private readonly textsOf: (r: R) => readonly string[],
    private readonly previous?: SearchIndex<R>,
  ) {
    this.texts = new Int32Array(0);
  }

  /** Indexes rows until `budgetMs` has passed; true when the index is complete. */
  step(budgetMs: number): boolean {
    const start = performance.now();
    const end = start + budgetMs;
    let at = start;
    while (this.next < this.rows.length) {
      const stop = Math.min(this.rows.length, this.next + 64);
      for (; this.next < stop; this.next++) this.add(this.next);
      if ((at = performance.now()) >= end) break;
    }
    this.spentMs += at - start;
    return this.next >= this.rows.length;
  }

  /**
   * What indexing the next row list is likely to cost: this build's time without preparing the
   * texts it was the first to see (the next one reuses them; only changed rows bring new ones).
   */
  get rebuildMs(): number {
    return Math.max(0, this.spentMs - this.prepareMs);
  }

  finish(): SearchIndex<R> {
    if (this.done) return this.done;
    while (!this.step(Infinity));
    if (this.nkeys < 0) this.nkeys = 0;
    const { nkeys, texts, targets } = this;
    let lower: string[] | undefined;
    const lowerOf = (i: number) => Array.from({ length: nkeys }, (_, k) => targets[texts[i * nkeys + k]].target).join('\u0000').toLowerCase();
    this.done = {
      rows: this.rows,
      nkeys,
      texts,
      targets,
      lower: (i) => (lower ??= this.rows.map((_, j) => lowerOf(j)))[i],
      position: this.position,
      byText: this.byText,
    };
    return this.done;
  }

  private add(i: number): void {
    const row = this.rows[i];
    const t = this.textsOf(row);
    if (this.nkeys < 0) {
      this.nkeys = t.length;
      this.texts = new Int32Array(this.rows.length * t.length);
    }
    for (let k = 0; k < this.nkeys; k++) this.texts[i * this.nkeys + k] = this.target(t[k] ?? '');
    this.position.set(row, i);
  }

  private target(text: string): number {
    let n = this.byText.get(text);
    if (n === undefined) {
      const old = this.previous?.byText.get(text);
      n = this.targets.length;
      if (old !== undefined) this.targets.push(this.previous!.targets[old]);
      else {
        const t0 = performance.now();
        this.targets.push(warm(fuzzysort.prepare(text)));
        this.prepareMs += performance.now() - t0;
      }
      this.byText.set(text, n);
    }
    return n;
  }
}

/**
 * fuzzysort makes each text's table of word starts on the first search that needs it: 20k texts
 * at 10k rows, most of the first character's time. Searching a text for its own first characters
 * (found, in order) makes them here, while the index is built ahead; results do not change.
 */
function warm(t: Fuzzysort.Prepared): Fuzzysort.Prepared {
  const chars = t.target.replace(/\s+/g, '');
  if (chars.length >= 3) fuzzysort.single(chars.slice(0, 3), t);
  if (chars.length >= 2) fuzzysort.single(chars.slice(0, 2), t);
  return t;
}

export function buildSearchIndex<R>(rows: readonly R[], texts: (r: R) => readonly string[], previous?: SearchIndex<R>): SearchIndex<R> {
  return new SearchIndexBuilder(rows, texts, previous).finish();
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

/** The last fuzzy search of each index: a query that extends it only needs to search the rows it matched. */
const lastSearch = new WeakMap<SearchIndex<unknown>, { readonly query: string; readonly matched: Int32Array }>();

// fuzzysort's 0..1 score of a raw one (fuzzysort.score reads `_score` when given no `score`).
const probe = { _score: 0 };
const normalized = (raw: number): number => ((probe._score = raw), fuzzysort.score(probe as unknown as Fuzzysort.KeysResult<unknown>));

/** fuzzysort's raw score of a result (what it combines the columns' scores with). */
const rawScore = (r: object): number => (r as { _score: number })._score;

/** Highlights of one matched row: the characters each searchable column matched. */
function highlightsOf(res: ArrayLike<{ indexes: readonly number[]; score: number } | null | undefined>): Highlights {
  const h = new Map<number, readonly number[]>();
  for (let i = 0; i < res.length; i++) {
    const r = res[i];
    if (r && r.indexes.length && r.score > 0) h.set(i, [...r.indexes]);
  }
  return h;
}

/** Where each row of a table's order is in the index (-1: not indexed), kept for the index's latest order. */
const orderOf = new WeakMap<SearchIndex<unknown>, { readonly sorted: readonly unknown[]; readonly at: Int32Array }>();

function positionsIn<R>(idx: SearchIndex<R>, sorted: readonly R[]): Int32Array {
  const kept = orderOf.get(idx as SearchIndex<unknown>);
  if (kept && kept.sorted === sorted) return kept.at;
  const at = new Int32Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) at[i] = idx.position.get(sorted[i]) ?? -1;
  orderOf.set(idx as SearchIndex<unknown>, { sorted, at });
  return at;
}

/**
 * Applies a parsed filter to `sorted` (the table's rows in display order). `index` covers the same
 * rows (any order); `labelsOf` reads a row's labels for `-l`.
 */
export function applyFilter<R>(sorted: readonly R[], index: () => SearchIndex<R>, f: ParsedFilter, labelsOf: (r: R) => Labels | undefined): FilterResult<R> {
  // Rows still in, by place in `sorted` (undefined: all of them).
  let inRows: Uint8Array | undefined;
  if (f.labels.length) {
    inRows = new Uint8Array(sorted.length);
    for (let i = 0; i < sorted.length; i++) inRows[i] = matchLabels(labelsOf(sorted[i]), f.labels) ? 1 : 0;
  }
  if (f.inverse) {
    const term = f.inverse.toLowerCase();
    const idx = index();
    const at = positionsIn(idx, sorted);
    inRows ??= new Uint8Array(sorted.length).fill(1);
    for (let i = 0; i < sorted.length; i++) if (inRows[i] && at[i] >= 0 && idx.lower(at[i]).includes(term)) inRows[i] = 0;
  }
  const pick = (keep: (i: number) => boolean): R[] => {
    const out: R[] = [];
    for (let i = 0; i < sorted.length; i++) if ((!inRows || inRows[i]) && keep(i)) out.push(sorted[i]);
    return out;
  };
  if (!f.fuzzy) return { rows: inRows ? pick(() => true) : sorted, highlights: NO_HIGHLIGHTS as HighlightLookup<R> };
  const idx = index();
  const q = f.fuzzy;
  const { nkeys, texts, targets } = idx;
  // Every character of a query must appear, in order, in a row that matches it: typing one more
  // character (no space) can only drop rows, so only the last query's matches are searched.
  const spaced = /\s/.test(q);
  const last = lastSearch.get(idx as SearchIndex<unknown>);
  const pool = last && q.startsWith(last.query) && !spaced ? last.matched : undefined;
  const poolLength = pool ? pool.length : idx.rows.length;
  const matched = new Int32Array(poolLength);
  const scores = new Float64Array(poolLength);
  let count = 0;
  /** Highlights of a matched row, by position (computed when drawn). */
  let highlightAt: (at: number) => Highlights;
  if (!spaced) {
    // What fuzzysort.go with keys does, without a result object per row and key nor sorting
    // every match by score (the table keeps its order): each column's text is scored on its
    // own (fuzzysort.single), each distinct text once, and combined as fuzzysort combines keys.
    const score = new Float64Array(targets.length).fill(NaN);
    for (let n = 0; n < poolLength; n++) {
      const at = pool ? pool[n] : n;
      let total = -Infinity;
      for (let k = 0; k < nkeys; k++) {
        const t = texts[at * nkeys + k];
        let s = score[t];
        if (s !== s) {
          const r = fuzzysort.single(q, targets[t]);
          score[t] = s = r ? rawScore(r) : -Infinity;
        }
        if (s === -Infinity) continue;
        if (s > -1000 && total > -Infinity) total = Math.max(total, (total + s) / 4);
        if (s > total) total = s;
      }
      if (total === -Infinity) continue;
      matched[count] = at;
      scores[count++] = total;
    }
    highlightAt = (at) => highlightsOf(Array.from({ length: nkeys }, (_, k) => fuzzysort.single(q, targets[texts[at * nkeys + k]])));
  } else {
    // Words separated by spaces are matched by fuzzysort's own multi-word search.
    const keys = Array.from({ length: nkeys }, (_, k) => (at: number) => targets[texts[at * nkeys + k]]);
    const results = fuzzysort.go(q, pool ? Array.from(pool) : idx.rows.map((_, i) => i), { keys, limit: 0, threshold: 0 });
    const byPosition = new Map<number, Fuzzysort.KeysResult<number>>();
    for (const r of results) {
      matched[count] = r.obj;
      scores[count++] = rawScore(r);
      byPosition.set(r.obj, r);
    }
    highlightAt = (at) => highlightsOf(byPosition.get(at)!);
  }
  lastSearch.set(idx as SearchIndex<unknown>, { query: q, matched: matched.slice(0, count) });
  // Scattered matches far below the best one are noise ("train" in "ContainerCreating"): keep
  // rows scoring at least half the best score.
  let best = -Infinity;
  for (let n = 0; n < count; n++) if (scores[n] > best) best = scores[n];
  const cutoff = normalized(best) * RELATIVE_CUTOFF;
  const kept = new Uint8Array(idx.rows.length);
  for (let n = 0; n < count; n++) if (normalized(scores[n]) >= cutoff) kept[matched[n]] = 1;
  const drawn = new Map<R, Highlights>();
  const highlights: HighlightLookup<R> = {
    get(row) {
      let h = drawn.get(row);
      if (h) return h;
      const at = idx.position.get(row);
      if (at === undefined || !kept[at]) return undefined;
      drawn.set(row, (h = highlightAt(at)));
      return h;
    },
  };
  const at = positionsIn(idx, sorted);
  return { rows: pick((i) => at[i] >= 0 && kept[at[i]] === 1), highlights };
}
