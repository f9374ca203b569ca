// The frame the action dialogs (resize, delete, restart) draw in the pane below the view: a rule
// with the title, then lines; long messages (the apiserver's refusals, shown verbatim) wrap, and
// when the pane is short the lines marked `keep` (field, message, prompt) stay while the others
// give way. Every dialog takes all keys while open (an exclusive key table with a fallback).
import React, { useEffect } from 'react';
import { Box, Text } from 'ink';
import type { PaneProps } from './context';
import { SegLine, seg, type Seg } from './pager';
import { useTheme } from './theme';
import { sanitizeLines } from '../util/sanitize';
import { width as cells, wrap } from '../util/text';

export interface DialogLine {
  readonly segs: readonly Seg[];
  /** Wraps onto more lines instead of being cut (messages). */
  readonly wrap?: boolean;
  /** Stays visible when the pane is too short for every line. */
  readonly keep?: boolean;
}

export const dline = (segs: readonly Seg[] | string, o: Omit<DialogLine, 'segs'> = {}): DialogLine => ({ segs: typeof segs === 'string' ? [seg(segs)] : segs, ...o });

/** A message line that wraps, in a tone, kept visible. */
export const messageLine = (text: string, tone?: Seg['tone'], prefix = ''): DialogLine => ({ segs: [seg(prefix + text, tone ? { tone } : {})], wrap: true, keep: true });

/** Splits wrapping lines into screen lines of at most `w` cells (their first piece's style). */
function layout(lines: readonly DialogLine[], w: number): { segs: readonly Seg[]; keep: boolean }[] {
  const out: { segs: readonly Seg[]; keep: boolean }[] = [];
  for (const l of lines) {
    const keep = !!l.keep;
    const text = l.segs.map((s) => s.text).join('');
    if (!l.wrap || cells(text) <= w) {
      out.push({ segs: l.segs, keep });
      continue;
    }
    const { text: _first, ...style } = l.segs[0] ?? seg('');
    for (const para of sanitizeLines(text)) for (const piece of wrap(para, w)) out.push({ segs: [seg(piece, style)], keep });
  }
  return out;
}

/** --ascii: the dialogs' arrows, dots and ellipses in ASCII. */
const ASCII_GLYPHS: readonly [RegExp, string][] = [
  [/→/g, '->'],
  [/·/g, '-'],
  [/…/g, '...'],
];
const asciiLine = (l: DialogLine): DialogLine => ({ ...l, segs: l.segs.map((s) => ({ ...s, text: ASCII_GLYPHS.reduce((t, [re, to]) => t.replace(re, to), s.text) })) });

export function Dialog(p: { readonly title: string; readonly lines: readonly DialogLine[]; readonly width: number; readonly height: number; readonly more?: string }) {
  const theme = useTheme();
  const rule = theme.ascii ? '-' : '─';
  const head = `${rule}${rule} ${p.title} `;
  const room = Math.max(1, p.height - 1);
  const inner = Math.max(10, p.width - 1);
  let shown = layout(theme.ascii ? p.lines.map(asciiLine) : p.lines, inner);
  if (shown.length > room) {
    // Drop lines that are not kept, from the end of the informational ones, leaving a note.
    const kept = shown.filter((l) => l.keep).length;
    let free = Math.max(0, room - kept - 1);
    const cut = shown.length - room + 1;
    shown = shown.filter((l) => l.keep || free-- > 0);
    shown.splice(Math.max(0, shown.findIndex((l) => l.keep)), 0, { segs: [seg(`${theme.ellipsis} ${cut} more line(s)${p.more ? `: ${p.more}` : ''}`, { dim: true })], keep: true });
    shown = shown.slice(0, room);
  }
  return (
    <Box flexDirection="column" height={p.height} width={p.width}>
      <SegLine width={p.width} segs={[seg(head, { bold: true, accent: true }), seg(rule.repeat(Math.max(0, p.width - cells(head))), { dim: true })]} />
      {shown.map((l, i) => (
        <Box key={i} paddingLeft={1}>
          <SegLine width={inner} segs={l.segs} />
        </Box>
      ))}
      {shown.length === 0 ? <Text> </Text> : null}
    </Box>
  );
}

/** Key names that count as "anything else" in a y/N question besides typed characters. */
export const OTHER_KEYS: readonly string[] = ['enter', 'esc', 'space', 'backspace', 'delete', 'tab', 'backtab', 'up', 'down', 'left', 'right', 'pgup', 'pgdn', 'home', 'end'];

/** A typed character (rather than a named key like 'enter' or 'ctrl-d'). */
export const isChar = (name: string): boolean => [...name].length === 1;

/**
 * Closes the dialog when the context or namespace changes: its object then belongs to another
 * cluster (a claim of the same name there must not be the one resized or deleted).
 */
export function useCloseOnSwitch(p: Pick<PaneProps, 'ctx' | 'close'>): void {
  const { session } = p.ctx;
  const close = p.close;
  useEffect(() => session.onSwitch(close), [session, close]);
}
