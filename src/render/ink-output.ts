// A drop-in for Ink 6.8's `build/output.js` (the bundle substitutes it, see scripts/build.mjs)
// that produces the same frame string for the same operations, at a fraction of the cost.
//
// Ink builds every frame from scratch: a grid of width × height cell objects, every written line
// tokenized into styled characters, every row turned back into a string — for a 200×50 terminal
// ~10k objects and ~50 ms of CPU per frame on a busy 2-core machine, whether one row changed or
// none (a cursor move, a clock tick). Here each row is assembled only from the pieces written to
// it (x, text after clipping and transformers); a row whose pieces are the same as in a recent
// frame reuses its string, so only changed rows pay Ink's per-character work, which is kept
// exactly (same tokenizer, same width rules, same placement quirks) for them.
import sliceAnsi from 'slice-ansi';
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';
import widestLine, { NARROW, STYLED_NARROW, TwoGenerationCache, widthOf } from './width';

type Transformer = (s: string, index: number) => string;

interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}

type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

// Rows are a few hundred bytes; styled lines are arrays of objects (~16 KiB for 200 columns), so
// fewer of those are kept: they only serve rows that changed.
const rowCache = new TwoGenerationCache<string>(2048);
const styledCache = new TwoGenerationCache<StyledChar[]>(256);

function styledChars(line: string): StyledChar[] {
  let c = styledCache.get(line);
  if (c === undefined) {
    c = styledCharsFromTokens(tokenize(line));
    styledCache.set(line, c);
  }
  return c;
}

type Styles = StyledChar['styles'];

/**
 * ansi-tokenize's styledCharsFromTokens, except that the characters between two style changes
 * share one styles array (it copies the array for each character; nothing here mutates them).
 */
function styledCharsFromTokens(tokens: ReturnType<typeof tokenize>): StyledChar[] {
  let codes: Styles = [];
  const ret: StyledChar[] = [];
  for (const token of tokens) {
    if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
    else if (token.type === 'char') ret.push({ ...token, styles: codes });
  }
  return ret;
}

/** Whether two reduced style lists hold the same codes (their diff is then empty). */
function sameStyles(a: Styles, b: Styles): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

/**
 * ansi-tokenize's styledCharsToString, without diffing the styles of two neighbours that have
 * the same (the diff builds three sets a character; most neighbours share their style).
 */
function styledCharsToString(chars: readonly StyledChar[]): string {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) ret += ansiCodesToString(char.styles);
    else if (!sameStyles(chars[i - 1].styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
    ret += char.value;
    if (i === chars.length - 1) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
  }
  return ret;
}

const BLANK: StyledChar = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) as unknown as StyledChar['styles'] }) as StyledChar;

/** One row as Ink draws it: blanks, then each piece's characters in order, later ones on top. */
function drawRow(width: number, pieces: readonly (number | string)[]): string {
  const row: StyledChar[] = new Array(width);
  for (let x = 0; x < width; x++) row[x] = BLANK;
  for (let i = 0; i < pieces.length; i += 2) {
    let offsetX = pieces[i] as number;
    for (const character of styledChars(pieces[i + 1] as string)) {
      row[offsetX] = character;
      // As Ink: the printed width by string-width; the cells a wide character covers are emptied.
      const characterWidth = Math.max(1, widthOf(character.value));
      if (characterWidth > 1) {
        for (let index = 1; index < characterWidth; index++) row[offsetX + index] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      }
      offsetX += characterWidth;
    }
  }
  // Holes (characters placed past the width) are left out, as Ink's filter does.
  return styledCharsToString(row.filter((item) => item !== undefined)).trimEnd();
}

// A row that is one piece at column 0, no wider than the row (a table row, a header), made of
// SGR sequences and characters that are a grapheme on their own (width.ts NARROW) and that
// string-width counts as one column. Nothing overlaps, so the string drawRow would make is the
// piece's text with each change of style written as the diff styledCharsToString writes (none
// between characters of the same style). Same string, without an object per cell.
const RUNS = new RegExp(`\\x1b\\[[\\d;]*m|[${NARROW}]+`, 'g');
const NOT_ASCII = /[^\x20-\x7e]/;
type AnsiToken = Styles[number];
const sgrCache = new TwoGenerationCache<AnsiToken[] | null>(1024);

/** The ansi tokens ansi-tokenize reads in an SGR sequence (null if it reads anything else). */
function sgrTokens(seq: string): AnsiToken[] | null {
  let t = sgrCache.get(seq);
  if (t === undefined) {
    const tokens = tokenize(seq);
    t = tokens.length > 0 && tokens.every((x) => x.type === 'ansi') ? (tokens as AnsiToken[]) : null;
    sgrCache.set(seq, t);
  }
  return t;
}

function drawNarrowRow(width: number, text: string): string | undefined {
  if (!STYLED_NARROW.test(text)) return undefined;
  let codes: Styles = [];
  let last: Styles | undefined;
  let out = '';
  let columns = 0;
  for (const m of text.matchAll(RUNS)) {
    const run = m[0];
    if (run.charCodeAt(0) === 0x1b) {
      const tokens = sgrTokens(run);
      if (!tokens) return undefined;
      for (const token of tokens) codes = reduceAnsiCodesIncremental(codes, [token]);
      continue;
    }
    columns += run.length;
    if (columns > width) return undefined;
    if (NOT_ASCII.test(run)) for (const ch of run) if (widthOf(ch) !== 1) return undefined;
    out += last === undefined ? ansiCodesToString(codes) : sameStyles(last, codes) ? '' : ansiCodesToString(diffAnsiCodes(last, codes));
    out += run;
    last = codes;
  }
  // The blanks after it have no style: the styles end before them, and they are trimmed.
  if (last !== undefined) out += ansiCodesToString(diffAnsiCodes(last, []));
  return out.trimEnd();
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    // Per row: x, text, x, text… in write order.
    const rows: (number | string)[][] = [];
    for (let y = 0; y < this.height; y++) rows.push([]);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipHorizontally) {
          const width = widestLine(text);
          if (x + width < clip.x1! || x > clip.x2!) continue;
        }
        if (clipVertically) {
          const height = lines.length;
          if (y + height < clip.y1! || y > clip.y2!) continue;
        }
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < clip.x1! ? clip.x1! - x : 0;
            const width = widthOf(line);
            const to = x + width > clip.x2! ? clip.x2! - x : width;
            return sliceAnsi(line, from, to);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipVertically) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const height = lines.length;
          const to = y + height > clip.y2! ? clip.y2! - y : height;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      // As Ink: a line whose row does not exist is skipped without moving to the next row.
      let offsetY = 0;
      for (let [index, line] of lines.entries()) {
        const row = rows[y + offsetY];
        if (!row) continue;
        for (const transformer of transformers) line = transformer(line, index);
        row.push(x, line);
        offsetY++;
      }
    }
    const out: string[] = [];
    for (const pieces of rows) {
      if (pieces.length === 0) {
        out.push('');
        continue;
      }
      let key = String(this.width);
      for (let i = 0; i < pieces.length; i += 2) key += `|${pieces[i]},${(pieces[i + 1] as string).length},${pieces[i + 1]}`;
      let s = rowCache.get(key);
      if (s === undefined) {
        s = (pieces.length === 2 && pieces[0] === 0 ? drawNarrowRow(this.width, pieces[1] as string) : undefined) ?? drawRow(this.width, pieces);
        rowCache.set(key, s);
      }
      out.push(s);
    }
    return { output: out.join('\n'), height: rows.length };
  }
}
