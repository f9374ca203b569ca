// `?`: every key of the current view and the global keys, grouped, from the very tables the
// dispatcher and the footer use; plus the `:` commands.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import type { KeyBinding, KeyTable } from './keys';
import { keyLabelAscii } from './keys';
import type { CommandInfo } from './commands';
import { useTheme } from './theme';
import { useViewKeys } from './view-keys';
import { fit, truncate } from '../util/text';

export interface HelpProps {
  readonly view: KeyTable;
  readonly globals: readonly KeyBinding[];
  readonly commands: readonly CommandInfo[];
  readonly width: number;
  readonly height: number;
  readonly onClose: () => void;
}

interface Line {
  readonly text: string;
  readonly head?: boolean;
}

export function helpLines(view: KeyTable, globals: readonly KeyBinding[], commands: readonly CommandInfo[], ascii: boolean): Line[] {
  const groups = new Map<string, KeyBinding[]>();
  const all = [...view.bindings, ...(view.exclusive ? [] : globals)];
  const seen = new Set<string>();
  for (const b of all) {
    const id = b.keys.join(',');
    if (seen.has(id)) continue;
    seen.add(id);
    const g = b.group ?? 'This view';
    const l = groups.get(g);
    l ? l.push(b) : groups.set(g, [b]);
  }
  const order = ['This view', 'View', 'Actions', 'General', 'Navigation', 'Sort'];
  const names = [...groups.keys()].sort((a, b) => (order.indexOf(a) + 99) % 99 - ((order.indexOf(b) + 99) % 99));
  const lines: Line[] = [];
  for (const g of names) {
    lines.push({ text: g, head: true });
    for (const b of groups.get(g)!) lines.push({ text: `  ${fit(b.keys.map((k) => keyLabelAscii(k, ascii)).join(' '), 16, '~')} ${b.help ?? b.label}` });
  }
  lines.push({ text: 'Commands (:name, tab completes)', head: true });
  for (const c of commands) lines.push({ text: `  ${fit([c.name, ...c.aliases].join(' '), 28, '~')} ${c.description}` });
  return lines;
}

export function Help(p: HelpProps) {
  const theme = useTheme();
  const [top, setTop] = useState(0);
  const lines = helpLines(p.view, p.globals, p.commands, theme.ascii);
  const room = p.height - 1;
  const maxTop = Math.max(0, lines.length - room);
  const scroll = (d: number) => setTop((t) => Math.max(0, Math.min(maxTop, t + d)));
  useViewKeys(
    [
      { keys: ['esc', '?', 'q'], label: 'close', run: p.onClose },
      { keys: ['down', 'j'], label: 'down', footer: false, run: () => scroll(1) },
      { keys: ['up', 'k'], label: 'up', footer: false, run: () => scroll(-1) },
      { keys: ['pgdn', 'space', 'ctrl-f'], label: 'page down', footer: false, run: () => scroll(room) },
      { keys: ['pgup', 'ctrl-b'], label: 'page up', footer: false, run: () => scroll(-room) },
    ],
    true,
  );
  return (
    <Box flexDirection="column" height={p.height} width={p.width}>
      <Text bold color={theme.accent} wrap="truncate">
        {`Help${lines.length > room ? `  (${top + 1}-${Math.min(lines.length, top + room)} of ${lines.length}, j/k scroll)` : ''}`}
      </Text>
      {lines.slice(top, top + room).map((l, i) => (
        <Text key={i} bold={l.head} wrap="truncate">
          {truncate(l.text, p.width, theme.ellipsis)}
        </Text>
      ))}
    </Box>
  );
}
