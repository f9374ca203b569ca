// The footer: the keys that work here, from the current view's key table and the global keys —
// the same tables the dispatcher and the help use.
import React from 'react';
import { Text } from 'ink';
import type { KeyBinding, KeyTable } from './keys';
import { keyLabelAscii } from './keys';
import { useTheme } from './theme';
import { width as cells } from '../util/text';

export interface FooterProps {
  readonly view: KeyTable;
  readonly globals: readonly KeyBinding[];
  readonly width: number;
  readonly mode: string;
}

export function footerItems(view: KeyTable, globals: readonly KeyBinding[], ascii: boolean): [string, string][] {
  const shown = [...view.bindings, ...(view.exclusive ? [] : globals)].filter((b) => b.footer !== false);
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const b of shown) {
    const k = b.keys[0];
    if (seen.has(k)) continue;
    seen.add(k);
    out.push([keyLabelAscii(k, ascii), b.label]);
  }
  return out;
}

const ALWAYS = new Set([':', '/', '?']);

export function Footer(p: FooterProps) {
  const theme = useTheme();
  if (p.mode === 'command') return <Text dimColor wrap="truncate">tab completes · enter runs · esc cancels</Text>;
  if (p.mode === 'filter') return <Text dimColor wrap="truncate">type to filter · enter keeps · esc clears</Text>;
  if (p.mode === 'help') return <Text dimColor wrap="truncate">esc closes the help · j/k scroll</Text>;
  const items = footerItems(p.view, p.globals, theme.ascii);
  // The way out of any screen stays visible: `:`, `/` and `?` are kept, the view's keys fill the rest.
  const size = ([k, label]: [string, string]) => cells(k) + 2 + cells(label) + 1;
  const keep = items.filter(([k]) => ALWAYS.has(k));
  let room = p.width - keep.reduce((n, it) => n + size(it), 0);
  const shown = items.filter((it) => {
    if (ALWAYS.has(it[0])) return true;
    if (size(it) > room) return false;
    room -= size(it);
    return true;
  });
  const parts: React.ReactNode[] = [];
  let used = 0;
  for (const [k, label] of shown) {
    const w = size([k, label]);
    if (used + w > p.width) break;
    used += w;
    parts.push(
      <Text key={k}>
        <Text bold color={theme.accent}>
          {`<${k}>`}
        </Text>
        {`${label} `}
      </Text>,
    );
  }
  return <Text wrap="truncate">{parts}</Text>;
}
