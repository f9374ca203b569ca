// A scrolling list of lines with a cursor, shared by the detail, tree and YAML views. Only the
// lines in view are drawn; lines may carry a target object (Enter jumps there). Every text piece
// is sanitized here, the one place these views draw cluster text.
import React from 'react';
import { Box, Text } from 'ink';
import type { ObjRef } from '../store/topology/refs';
import { sanitize } from '../util/sanitize';
import { truncate, width } from '../util/text';
import type { KeyBinding } from './keys';
import { useTheme, type Tone } from './theme';
import { useViewKeys } from './view-keys';
import { keepInView, movementKeys } from './scroll';

export interface Seg {
  readonly text: string;
  readonly tone?: Tone;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly accent?: boolean;
  readonly inverse?: boolean;
}

export interface PagerLine {
  readonly segs: readonly Seg[];
  /** The object this line stands for: Enter opens it. */
  readonly target?: ObjRef;
  /** Marker in the first column (colour-independent state). */
  readonly tone?: Tone;
  readonly heading?: boolean;
}

export interface PagerState {
  cursor?: number;
  top?: number;
}

export interface PagerProps {
  readonly title: readonly Seg[];
  readonly lines: readonly PagerLine[];
  readonly state: PagerState;
  readonly width: number;
  readonly height: number;
  /** Where the cursor starts the first time (default 0). */
  readonly initialCursor?: number;
  /** The view's own keys for the line under the cursor (they come before navigation). */
  readonly keys: (line: PagerLine | undefined, index: number) => readonly KeyBinding[];
  /** Show the marker column (tree, detail); YAML has none. */
  readonly markers?: boolean;
  /** Mark lines that open an object with `>` (detail: only some lines are links). */
  readonly links?: boolean;
  readonly onMove: () => void;
}

/**
 * Cuts sanitized pieces to `w` cells, ending in the theme's ellipsis: Ink would cut with its own
 * '…', which `--ascii` must not show.
 */
export function fitSegs(segs: readonly Seg[], w: number, ellipsis: string): Seg[] {
  const out: Seg[] = [];
  let used = 0;
  for (const s of segs) {
    const text = sanitize(s.text);
    const cw = width(text);
    if (used + cw <= w) {
      out.push(text === s.text ? s : { ...s, text });
      used += cw;
      continue;
    }
    out.push({ ...s, text: truncate(text, w - used, ellipsis) });
    break;
  }
  return out;
}

export const seg = (text: string, o: Omit<Seg, 'text'> = {}): Seg => ({ text, ...o });
export const line = (segs: readonly Seg[] | string, o: Omit<PagerLine, 'segs'> = {}): PagerLine => ({ segs: typeof segs === 'string' ? [seg(segs)] : segs, ...o });

export function Pager(p: PagerProps) {
  const theme = useTheme();
  const { state, lines } = p;
  const room = Math.max(1, p.height - 1);
  if (state.cursor === undefined) state.cursor = p.initialCursor ?? 0;
  const top = keepInView(state, state.cursor, room, lines.length);
  const cursor = state.cursor;

  const move = (to: number) => {
    state.cursor = Math.max(0, Math.min(lines.length - 1, to));
    p.onMove();
  };
  const cur = () => state.cursor ?? 0;
  const nextTarget = (dir: 1 | -1) => {
    for (let i = cur() + dir; i >= 0 && i < lines.length; i += dir) if (lines[i].target) return move(i);
  };
  const bindings: KeyBinding[] = [
    ...p.keys(lines[cursor], cursor),
    { keys: ['tab'], label: 'next link', help: 'next line that opens an object', footer: false, group: 'Navigation', run: () => nextTarget(1) },
    { keys: ['backtab'], label: 'previous link', footer: false, group: 'Navigation', run: () => nextTarget(-1) },
    ...movementKeys(state, room, lines.length, move),
  ];
  useViewKeys(bindings);

  const shown = lines.slice(top, top + room);
  const room0 = p.width - (p.markers ? 2 : 0);
  return (
    <Box flexDirection="column" height={p.height} width={p.width}>
      <SegLine segs={p.title} width={p.width} />
      {shown.map((l, i) => {
        const selected = top + i === cursor;
        return (
          <Text key={top + i} wrap="truncate" inverse={selected} bold={l.heading}>
            {p.markers ? (
              <Text color={theme.toneColor(l.tone)} bold>
                {`${theme.marks[l.tone ?? 'ok']}${p.links && l.target ? '>' : ' '}`}
              </Text>
            ) : null}
            {fitSegs(l.segs, room0, theme.ellipsis).map((s, j) => (
              <Text key={j} color={theme.toneColor(s.tone)} bold={s.bold} dimColor={s.dim && !selected}>
                {s.text}
              </Text>
            ))}
            {selected ? ' '.repeat(Math.max(0, room0 - lineWidth(l))) : ''}
          </Text>
        );
      })}
    </Box>
  );
}

function lineWidth(l: PagerLine): number {
  let n = 0;
  for (const s of l.segs) n += width(sanitize(s.text));
  return n;
}

/** A title line from pieces, cut to the width. */
export function SegLine(p: { segs: readonly Seg[]; width: number }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate">
      {fitSegs(p.segs, p.width, theme.ellipsis).map((s, j) => (
        <Text key={j} color={s.tone ? theme.toneColor(s.tone) : s.accent ? theme.accent : undefined} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

