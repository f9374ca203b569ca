// A scrolling list of lines with a cursor, shared by the detail, tree and YAML views. Only the
// lines in view are drawn; lines may carry a target object (Enter jumps there). Every text piece
// is sanitized here, the one place these views draw cluster text.
import React, { useMemo } from 'react';
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
  /** Matched by the `/` search. */
  readonly mark?: boolean;
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
  /** The search the cursor last jumped for. */
  searched?: string;
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
  /** The `/` search: the cursor jumps to matching lines, n/N move between them. */
  readonly search?: string;
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
  const term = (p.search ?? '').toLowerCase();
  const matches = useMemo(() => (term ? lines.map((l, i) => (plain(l).toLowerCase().includes(term) ? i : -1)).filter((i) => i >= 0) : []), [lines, term]);
  if (term !== (state.searched ?? '')) {
    // A new search: go to the first match at or after the cursor, else the first one.
    state.searched = term;
    const at = matches.find((i) => i >= (state.cursor ?? 0)) ?? matches[0];
    if (at !== undefined) state.cursor = at;
  }
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
  const jumpMatch = (dir: 1 | -1) => () => {
    if (!matches.length) return;
    const c = cur();
    const next = dir === 1 ? (matches.find((i) => i > c) ?? matches[0]) : ([...matches].reverse().find((i) => i < c) ?? matches[matches.length - 1]);
    move(next);
  };
  const bindings: KeyBinding[] = [
    ...p.keys(lines[cursor], cursor),
    ...(term
      ? [
          { keys: ['n'], label: 'next match', help: 'next line matching the search', group: 'Navigation', run: jumpMatch(1) },
          { keys: ['N'], label: 'previous match', footer: false, group: 'Navigation', run: jumpMatch(-1) },
        ]
      : []),
    { keys: ['tab'], label: 'next link', help: 'next line that opens an object', footer: false, group: 'Navigation', run: () => nextTarget(1) },
    { keys: ['backtab'], label: 'previous link', footer: false, group: 'Navigation', run: () => nextTarget(-1) },
    ...movementKeys(state, room, lines.length, move),
  ];
  useViewKeys(bindings);

  const shown = lines.slice(top, top + room);
  const room0 = p.width - (p.markers ? 2 : 0);
  return (
    <Box flexDirection="column" height={p.height} width={p.width}>
      <SegLine segs={term ? [...p.title, seg(`  /${p.search} ${matches.length ? `${matches.indexOf(cursor) + 1 || '-'}/${matches.length}` : 'no match'}`, matches.length ? { dim: true } : { tone: 'warning' })] : p.title} width={p.width} />
      {shown.map((l, i) => {
        const selected = top + i === cursor;
        return (
          <Text key={top + i} wrap="truncate" inverse={selected} bold={l.heading}>
            {p.markers ? (
              <Text color={theme.toneColor(l.tone)} bold>
                {`${theme.marks[l.tone ?? 'ok']}${p.links && l.target ? '>' : ' '}`}
              </Text>
            ) : null}
            {fitSegs(term ? markSegs(l.segs, term) : l.segs, room0, theme.ellipsis).map((s, j) => (
              <Text key={j} color={theme.toneColor(s.tone)} bold={s.bold || s.mark} underline={s.mark} dimColor={s.dim && !selected && !s.mark}>
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

function plain(l: PagerLine): string {
  return l.segs.map((s) => sanitize(s.text)).join('');
}

/** Splits pieces so that every occurrence of `term` (lower case) is its own marked piece. */
export function markSegs(segs: readonly Seg[], term: string): Seg[] {
  const out: Seg[] = [];
  for (const s of segs) {
    const text = sanitize(s.text);
    const low = text.toLowerCase();
    let at = 0;
    for (let i = low.indexOf(term); i >= 0 && term; i = low.indexOf(term, i + term.length)) {
      if (i > at) out.push({ ...s, text: text.slice(at, i) });
      out.push({ ...s, text: text.slice(i, i + term.length), mark: true });
      at = i + term.length;
    }
    if (at < text.length) out.push(at === 0 ? { ...s, text } : { ...s, text: text.slice(at) });
  }
  return out;
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

