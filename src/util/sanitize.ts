// Strips terminal control sequences from text that came from the cluster (names, messages, logs,
// YAML) before it is drawn. Ink passes OSC, BEL and C1 bytes through untouched, so a pod name or
// an event message could otherwise set the window title, write the clipboard (OSC 52), or move
// the cursor. Removed: CSI (ESC [ … final, and C1 0x9b), OSC (ESC ] / 0x9d … BEL or ST), DCS,
// SOS, PM and APC strings (ESC P/X/^/_ and 0x90/0x98/0x9e/0x9f … ST), other ESC sequences, lone
// ESC, C0 controls, DEL and C1 controls 0x80–0x9f, and the bidi controls (embeddings, overrides,
// isolates, LRM/RLM) that make a terminal show text in another order than it is ("Trojan
// Source"). Tabs become spaces; printable Unicode stays.

export interface SanitizeOptions {
  /** Spaces per tab (tabs expand to the next multiple). Default 4. */
  tabWidth?: number;
  /** What a line break becomes in single-line text: a space (default) or nothing. */
  newline?: ' ' | '';
}

// Fast path: printable ASCII and common Unicode with no control characters at all.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI = (c: number) => c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);

const ESC = 0x1b;
const BEL = 0x07;

/** Cleans one line of text for display (line breaks become `newline`). */
export function sanitize(s: string, opts: SanitizeOptions = {}): string {
  if (!UNSAFE.test(s)) return s;
  return clean(s, opts.tabWidth ?? 4, opts.newline ?? ' ', false).join('');
}

/** Cleans multi-line text into display lines (CRLF, LF and CR end a line). */
export function sanitizeLines(s: string, opts: SanitizeOptions = {}): string[] {
  if (!UNSAFE.test(s)) return s.split('\n');
  return clean(s, opts.tabWidth ?? 4, ' ', true);
}

/** Where a string (OSC, DCS, SOS, PM, APC) ends: after BEL (OSC only) or ST (ESC \ or 0x9c). */
function skipString(s: string, i: number, bellEnds: boolean): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x9c) return i + 1;
    if (bellEnds && c === BEL) return i + 1;
    if (c === ESC && s.charCodeAt(i + 1) === 0x5c) return i + 2;
    // A new ESC that does not make ST aborts the string (as terminals do); the ESC is
    // then handled as the start of the next sequence.
    if (c === ESC) return i;
  }
  return i;
}

/** Skips a CSI body (parameter and intermediate bytes) and its final byte. */
function skipCsi(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x40 && c <= 0x7e) return i + 1;
    if (c < 0x20 || c > 0x3f) {
      // Not a valid CSI byte: the sequence is aborted here (terminals drop it).
      return c === ESC ? i : i + 1;
    }
  }
  return i;
}

function clean(s: string, tabWidth: number, newline: string, split: boolean): string[] {
  const lines: string[] = [];
  let out = '';
  let col = 0;
  let run = 0; // start of the current run of plain characters
  const flush = (end: number) => {
    if (end > run) {
      const piece = s.slice(run, end);
      out += piece;
      col += piece.length;
    }
  };
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || BIDI(c);
    if (!control) {
      i++;
      continue;
    }
    flush(i);
    let next = i + 1;
    if (c === 0x09) {
      const n = tabWidth - (col % tabWidth || 0);
      out += ' '.repeat(n);
      col += n;
    } else if (c === 0x0a || c === 0x0d) {
      if (c === 0x0d && s.charCodeAt(i + 1) === 0x0a) next = i + 2;
      if (split) {
        lines.push(out);
        out = '';
        col = 0;
      } else if (newline && out.length && !out.endsWith(' ')) {
        out += newline;
        col += newline.length;
      }
    } else if (c === ESC) {
      const d = s.charCodeAt(i + 1);
      if (Number.isNaN(d)) next = i + 1; // lone ESC at the end
      else if (d === 0x5b) next = skipCsi(s, i + 2); // ESC [
      else if (d === 0x5d) next = skipString(s, i + 2, true); // ESC ] OSC
      else if (d === 0x50 || d === 0x58 || d === 0x5e || d === 0x5f) next = skipString(s, i + 2, false); // DCS SOS PM APC
      else if (d >= 0x20 && d <= 0x2f) {
        // nF escape: intermediates then one final byte
        let j = i + 2;
        while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
        next = j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x7e ? j + 1 : j;
      } else if (d >= 0x30 && d <= 0x7e) next = i + 2; // Fp/Fe/Fs: ESC 7, ESC c, ESC N, …
      else next = i + 1; // ESC followed by a control or non-ASCII: drop the ESC alone
    } else if (c === 0x9b) next = skipCsi(s, i + 1);
    else if (c === 0x9d) next = skipString(s, i + 1, true);
    else if (c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) next = skipString(s, i + 1, false);
    // every other C0, DEL and C1 byte, and bidi controls, are dropped alone
    i = next;
    run = i;
  }
  flush(s.length);
  lines.push(out);
  return lines;
}
