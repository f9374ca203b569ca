// Which rows of the log pane are in view and what is on them: only the lines that fit are laid
// out (following: up from the newest; paused: down from the top line), each as one row cut to
// the width or wrapped (capped), with the container prefix, the timestamp and the search matches
// as styled pieces. Pure: the pane draws the rows, tests read them.
import type { LineKind, LogLine } from './buffer';
import { matcher, type LogPaneModel } from './pane-model';
import { truncate, width as cells } from '../util/text';

export type PieceStyle = 'prefix' | 'ts' | 'text' | 'match' | 'current' | 'cut';

export interface Piece {
  readonly text: string;
  readonly style: PieceStyle;
}

export interface Row {
  readonly seq: number;
  readonly kind: LineKind;
  readonly container: string;
  readonly pieces: readonly Piece[];
}

export interface Layout {
  readonly rows: readonly Row[];
  /** Seqs of the first and last line (partly) in view; 0 when empty. */
  readonly first: number;
  readonly last: number;
  /** The highest top line a paused view may have (the view is full from there). */
  readonly maxTop: number;
}

/** Characters of one line shown when wrapping; the rest is in the buffer and the saved file. */
export const WRAP_CAP = 2048;

const ASCII = /^[\x20-\x7e]*$/;

interface Span {
  readonly start: number;
  readonly end: number;
  readonly style: PieceStyle;
}

/** Lines the pane wrote itself (errors, markers) always wrap: they are short and must be read whole. */
const wraps = (m: LogPaneModel, l: LogLine): boolean => m.wrap || l.kind !== 'log';

/** The text of a line as drawn, with the style of each stretch of it. */
function compose(m: LogPaneModel, l: LogLine, match: ReturnType<typeof matcher> | null): { text: string; spans: Span[] } {
  const prefix = m.all ? `[${l.container}] ` : '';
  const ts = m.timestamps && l.tsText ? `${l.tsText} ` : '';
  let body = l.text;
  let cut = '';
  const wrap = wraps(m, l);
  if (wrap && body.length > WRAP_CAP) (body = body.slice(0, WRAP_CAP)), (cut = ` …(${l.text.length - WRAP_CAP} more characters)`);
  const shift = wrap ? 0 : Math.min(m.hscroll, body.length);
  const shown = body.slice(shift);
  const spans: Span[] = [];
  let at = 0;
  const add = (len: number, style: PieceStyle) => {
    if (len > 0) spans.push({ start: at, end: at + len, style });
    at += len;
  };
  add(prefix.length, 'prefix');
  add(ts.length, 'ts');
  if (match && match.term) {
    const style: PieceStyle = l.seq === m.current ? 'current' : 'match';
    const hay = match.fold ? body.toLowerCase() : body;
    let from = 0;
    for (let i = hay.indexOf(match.term); i >= 0; i = hay.indexOf(match.term, i + match.term.length)) {
      const s = Math.max(i, shift);
      const e = i + match.term.length;
      if (e <= shift) continue;
      add(s - shift - from, 'text');
      add(e - s, style);
      from = e - shift;
    }
    add(shown.length - from, 'text');
  } else add(shown.length, 'text');
  add(cut.length, 'cut');
  return { text: prefix + ts + shown + cut, spans };
}

/** Where rows of `w` cells start in `text` (char offsets), at most `maxRows` of them. */
function breaks(text: string, w: number, wrap: boolean): number[] {
  if (!wrap) return [0];
  const out: number[] = [];
  if (ASCII.test(text)) {
    for (let i = 0; i < Math.max(1, text.length); i += w) out.push(i);
    return out;
  }
  let used = 0;
  let i = 0;
  out.push(0);
  for (const ch of text) {
    const cw = cells(ch);
    if (used + cw > w && used > 0) {
      out.push(i);
      used = 0;
    }
    used += cw;
    i += ch.length;
  }
  return out;
}

function piecesOf(text: string, spans: readonly Span[], a: number, b: number, w: number): Piece[] {
  const out: Piece[] = [];
  let room = w;
  for (const s of spans) {
    if (s.end <= a || s.start >= b || room <= 0) continue;
    // no ellipsis: the row ends at the screen's edge
    const piece = truncate(text.slice(Math.max(a, s.start), Math.min(b, s.end)), room, '');
    if (!piece) continue;
    room -= cells(piece);
    out.push({ text: piece, style: s.style });
  }
  return out;
}

function rowsOf(m: LogPaneModel, l: LogLine, w: number, match: ReturnType<typeof matcher> | null): Row[] {
  const { text, spans } = compose(m, l, match);
  const starts = breaks(text, w, wraps(m, l));
  return starts.map((a, i) => ({ seq: l.seq, kind: l.kind, container: l.container, pieces: piecesOf(text, spans, a, starts[i + 1] ?? text.length, w) }));
}

/** How many rows a line takes. */
function height(m: LogPaneModel, l: LogLine, w: number): number {
  if (!wraps(m, l)) return 1;
  // Short ASCII lines (most of them) without composing them.
  const n = (m.all ? l.container.length + 3 : 0) + (m.timestamps && l.tsText ? l.tsText.length + 1 : 0) + l.text.length;
  if (n <= w && ASCII.test(l.text) && ASCII.test(l.container)) return 1;
  return breaks(compose(m, l, null).text, w, true).length;
}

export function layout(m: LogPaneModel, w: number, room: number): Layout {
  const b = m.buffer;
  if (!b.length || room <= 0) return { rows: [], first: 0, last: 0, maxTop: b.firstSeq };
  const match = m.search ? matcher(m.search) : null;
  // The top line of a full view that ends at the newest line.
  let maxTop = b.lastSeq;
  for (let used = 0; maxTop >= b.firstSeq; maxTop--) {
    used += height(m, b.bySeq(maxTop)!, w);
    if (used >= room) break;
  }
  maxTop = Math.max(maxTop, b.firstSeq);
  let rows: Row[] = [];
  if (m.autoscroll) {
    for (let seq = b.lastSeq; seq >= maxTop; seq--) rows = rowsOf(m, b.bySeq(seq)!, w, match).concat(rows);
    rows = rows.slice(-room);
  } else {
    m.clampTop(maxTop);
    for (let seq = m.topSeq; seq <= b.lastSeq && rows.length < room; seq++) rows.push(...rowsOf(m, b.bySeq(seq)!, w, match));
    rows = rows.slice(0, room);
  }
  m.shownTop = rows[0].seq;
  return { rows, first: rows[0].seq, last: rows[rows.length - 1].seq, maxTop };
}
