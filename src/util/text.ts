// Display width, truncation and padding of terminal cells. ASCII takes a fast path; everything
// else is measured with string-width, the same measure Ink lays text out with.
import stringWidth from 'string-width';

const ASCII = /^[\x20-\x7e]*$/;

export function width(s: string): number {
  return ASCII.test(s) ? s.length : stringWidth(s);
}

/** Cuts `s` to at most `w` cells, ending in `ellipsis` when it was cut. */
export function truncate(s: string, w: number, ellipsis = '…'): string {
  if (w <= 0) return '';
  if (ASCII.test(s)) {
    if (s.length <= w) return s;
    return w <= ellipsis.length ? s.slice(0, w) : s.slice(0, w - width(ellipsis)) + ellipsis;
  }
  if (stringWidth(s) <= w) return s;
  const room = w - width(ellipsis);
  let out = '';
  let used = 0;
  for (const ch of s) {
    const cw = stringWidth(ch);
    if (used + cw > room) break;
    out += ch;
    used += cw;
  }
  return room > 0 ? out + ellipsis : out;
}

/** Pads (or cuts) to exactly `w` cells. */
export function fit(s: string, w: number, ellipsis = '…', right = false): string {
  const t = truncate(s, w, ellipsis);
  const pad = w - width(t);
  if (pad <= 0) return t;
  return right ? ' '.repeat(pad) + t : t + ' '.repeat(pad);
}

/** Word-wraps `s` into lines of at most `w` cells (long words are cut). */
export function wrap(s: string, w: number): string[] {
  if (w <= 0) return [s];
  const out: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    let wd = word;
    while (width(wd) > w) {
      if (line) (out.push(line), (line = ''));
      const head = truncate(wd, w, '');
      out.push(head);
      wd = wd.slice(head.length);
    }
    if (!line) line = wd;
    else if (width(line) + 1 + width(wd) <= w) line += ' ' + wd;
    else (out.push(line), (line = wd));
  }
  out.push(line);
  return out;
}

/** Cuts the middle out of `s` to fit `w` cells, keeping the start and the (often unique) end. */
export function middle(s: string, w: number, ellipsis = '…'): string {
  if (width(s) <= w) return s;
  if (w <= width(ellipsis) + 2) return truncate(s, w, ellipsis);
  const room = w - width(ellipsis);
  const tail = Math.floor(room / 3);
  const chars = [...s];
  let end = '';
  for (let i = chars.length - 1; i >= 0 && width(chars[i] + end) <= tail; i--) end = chars[i] + end;
  return truncate(s, room - width(end) + width(ellipsis), ellipsis) + end;
}

/**
 * Fits a sentence into `w` cells by cutting the middle out of its longest words first (object
 * names such as mount pods run to 60 characters), down to `minWord` cells each, so the words
 * after them — usually the reason — stay on the line. The caller still truncates what remains.
 */
export function squeezeWords(s: string, w: number, minWord = 24, ellipsis = '…'): string {
  if (width(s) <= w) return s;
  const words = s.split(' ');
  let over = width(s) - w;
  const longest = words.map((wd, i) => [width(wd), i] as const).filter(([n]) => n > minWord).sort((a, b) => b[0] - a[0]);
  for (const [n, i] of longest) {
    if (over <= 0) break;
    const to = Math.max(minWord, n - over);
    words[i] = middle(words[i], to, ellipsis);
    over -= n - width(words[i]);
  }
  return words.join(' ');
}
