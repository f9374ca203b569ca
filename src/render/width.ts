// Terminal cell widths for Ink's frame assembly (src/render/ink-output.ts) and its layout
// (substituted for `widest-line` inside Ink by scripts/build.mjs): string-width's answers, with
// printable ASCII answered directly and the rest cached across frames (bounded). Ink measures
// every text node on every frame; string-width segments graphemes with Intl.Segmenter and tests
// each against emoji and east-asian-width tables, so a 200-column row costs tens of microseconds.
import stringWidth from 'string-width';

/**
 * A bounded cache that keeps what is in use: two generations; a hit in the older one moves the
 * entry to the current one, and when the current one is full the older one is dropped.
 */
export class TwoGenerationCache<V> {
  private cur = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(k: string): V | undefined {
    const v = this.cur.get(k);
    if (v !== undefined) return v;
    const o = this.old.get(k);
    if (o !== undefined) this.set(k, o);
    return o;
  }

  set(k: string, v: V): void {
    if (this.cur.size >= this.limit) {
      this.old = this.cur;
      this.cur = new Map();
    }
    this.cur.set(k, v);
  }

  get size(): number {
    return this.cur.size + this.old.size;
  }
}

const widths = new TwoGenerationCache<number>(4096);
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * Characters that are a grapheme on their own and at most one column: printable ASCII and the
 * symbols of U+2010–U+2BFF (markers, arrows, ellipsis, box drawing), without the zero-width ones
 * and U+20D0–U+20FF, which combine. (A symbol string-width counts as two columns is still two.)
 */
export const NARROW = '\\x20-\\x7e\\u2010-\\u2027\\u2030-\\u205e\\u2070-\\u20cf\\u2100-\\u2bff';
/** Such characters coloured by SGR sequences: a styled table row as Ink measures and draws it. */
export const STYLED_NARROW = new RegExp(`^(?:[${NARROW}]|\\x1b\\[[\\d;]*m)*$`);
const SGR = /\x1b\[[\d;]*m/g;
const NOT_ASCII = /[^\x20-\x7e]/;

/** string-width of one character (cached: a few symbols recur). */
function charWidth(ch: string): number {
  let w = widths.get(ch);
  if (w === undefined) {
    w = stringWidth(ch);
    widths.set(ch, w);
  }
  return w;
}

/** string-width's width of `text`. */
export function widthOf(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  if (STYLED_NARROW.test(text)) {
    // string-width strips the sequences and adds up its graphemes: here, the characters.
    const plain = text.replace(SGR, '');
    if (!NOT_ASCII.test(plain)) return plain.length;
    let n = 0;
    for (const ch of plain) n += ch.charCodeAt(0) < 0x7f ? 1 : charWidth(ch);
    return n;
  }
  let w = widths.get(text);
  if (w === undefined) {
    w = stringWidth(text);
    widths.set(text, w);
  }
  return w;
}

/** The width of the widest line (what the `widest-line` package returns). */
export default function widestLine(text: string): number {
  let w = 0;
  for (const line of text.split('\n')) w = Math.max(w, widthOf(line));
  return w;
}
