// A scrolling list of lines with a cursor, shared by the detail, tree and YAML views. Only the
// lines in view are drawn; lines may carry a target object (Enter jumps there). Every text piece
// is sanitized here, the one place these views draw cluster text.
import React from 'react';
import { Box, Text } from 'ink';
import type { ObjRef } from '../store/topology/refs';
import { sanitize } from '../util/sanitize';
import { width } from '../util/text';
import type { KeyBinding } from './keys';
import { useTheme, type Tone } from './theme';
import { useViewKeys } from './view-keys';
import { keepInView, movementKeys } from './scroll';

export interface Seg {
  readonly text: string;
  readonly tone?: Tone;
  readonly bold?: boolean;
  readonly dim?: boolean;
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
  readonly title: React.ReactNode;
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
  return (
    <Box flexDirection="column" height={p.height} width={p.width}>
      <Text wrap="truncate">{p.title}</Text>
      {shown.map((l, i) => {
        const selected = top + i === cursor;
        return (
          <Text key={top + i} wrap="truncate" inverse={selected} bold={l.heading}>
            {p.markers ? (
              <Text color={theme.toneColor(l.tone)} bold>
                {`${theme.marks[l.tone ?? 'ok']}${p.links && l.target ? '>' : ' '}`}
              </Text>
            ) : null}
            {l.segs.map((s, j) => (
              <Text key={j} color={theme.toneColor(s.tone)} bold={s.bold} dimColor={s.dim && !selected}>
                {sanitize(s.text)}
              </Text>
            ))}
            {selected ? ' '.repeat(Math.max(0, p.width - lineWidth(l) - (p.markers ? 2 : 0))) : ''}
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

