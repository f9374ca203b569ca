// Key names and key tables. Ink reports a key press as (input, key flags) and may deliver
// several typed characters in one call; normalize() turns that into a list of key names such as
// 'j', 'G', 'enter', 'esc', 'pgdn', 'ctrl-d', 'backspace'. A view declares its keys as a table of
// bindings next to the handlers; the footer and the `?` help are drawn from the same table.
import type { Key } from 'ink';

export interface KeyBinding {
  /** Key names that trigger it: 'enter', 't', 'N', 'ctrl-d', 'pgdn', … (the first one is shown). */
  readonly keys: readonly string[];
  /** Short label for the footer: 'detail', 'tree'. */
  readonly label: string;
  /** One sentence for the help. Defaults to the label. */
  readonly help?: string;
  /** Shown in the footer (default true); every binding is shown in the help. */
  readonly footer?: boolean;
  /** Help section ('View', 'Navigation', 'Sort', …). */
  readonly group?: string;
  readonly run: () => void;
}

/** A view's key table; `exclusive` tables (pickers, dialogs) hide the global keys while open. */
export interface KeyTable {
  readonly bindings: readonly KeyBinding[];
  readonly exclusive?: boolean;
  /** Gets every key no binding took (a dialog's text field, "anything else cancels"). */
  readonly fallback?: (name: string) => void;
}

const NAMED: readonly [keyof Key, string][] = [
  ['upArrow', 'up'],
  ['downArrow', 'down'],
  ['leftArrow', 'left'],
  ['rightArrow', 'right'],
  ['pageUp', 'pgup'],
  ['pageDown', 'pgdn'],
  ['home', 'home'],
  ['end', 'end'],
  ['return', 'enter'],
  ['escape', 'esc'],
  ['tab', 'tab'],
  ['backspace', 'backspace'],
  ['delete', 'delete'],
];

/** Key names for one Ink input callback. */
export function normalize(input: string, key: Key): string[] {
  if (key.ctrl && input.length === 1 && /[a-z]/i.test(input)) return [`ctrl-${input.toLowerCase()}`];
  for (const [flag, name] of NAMED) {
    if (!key[flag]) continue;
    if (name === 'tab' && key.shift) return ['backtab'];
    // Ink reports DEL (0x7f, what most terminals send for Backspace) as delete.
    if (name === 'delete' && input === '') return ['backspace'];
    return [name];
  }
  if (key.escape) return ['esc'];
  if (!input) return [];
  // Several characters at once: typed fast, or pasted. Enter and backspace may ride along.
  const out: string[] = [];
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') out.push('enter');
    else if (ch === '\x7f' || ch === '\b') out.push('backspace');
    else if (ch === '\t') out.push('tab');
    else if (ch === ' ') out.push('space');
    else if (ch >= ' ') out.push(ch);
  }
  return out;
}

/** How a key name is shown in the footer and help. */
export function keyLabel(k: string): string {
  switch (k) {
    case 'enter':
      return '⏎';
    case 'pgup':
      return 'pgup';
    case 'pgdn':
      return 'pgdn';
    default:
      return k;
  }
}

export function keyLabelAscii(k: string, ascii: boolean): string {
  if (k === 'enter') return ascii ? 'enter' : '⏎';
  if (k === 'esc') return 'esc';
  if (k.length === 1 && k >= 'A' && k <= 'Z') return `shift-${k}`;
  return keyLabel(k);
}

export function findBinding(table: readonly KeyBinding[], name: string): KeyBinding | undefined {
  return table.find((b) => b.keys.includes(name));
}

/** Shift-letter sort keys k9s users know; every letter a view gives a column shows up here. */
export const isShiftLetter = (k: string): boolean => k.length === 1 && k >= 'A' && k <= 'Z';
