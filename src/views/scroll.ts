// Cursor and scrolling shared by the table browser and the pager: keep the cursor in view, and
// the k9s/vi movement keys.
import type { KeyBinding } from './keys';

export interface ScrollState {
  cursor?: number;
  top?: number;
}

/** Clamps the cursor, scrolls so it is visible in `room` lines, stores both; returns the top line. */
export function keepInView(state: ScrollState, cursor: number, room: number, count: number): number {
  const c = Math.max(0, Math.min(cursor, count - 1));
  let top = state.top ?? 0;
  if (c < top) top = c;
  if (c >= top + room) top = c - room + 1;
  top = Math.max(0, Math.min(top, Math.max(0, count - room)));
  state.cursor = c;
  state.top = top;
  return top;
}

/** up/down/j/k, page keys, g/G — moving `state.cursor` (read at key time, so typed-ahead keys add up). */
export function movementKeys(state: ScrollState, room: number, count: number, move: (to: number) => void): KeyBinding[] {
  const cur = () => state.cursor ?? 0;
  const page = (d: number) => () => {
    state.top = Math.max(0, (state.top ?? 0) + d);
    move(cur() + d);
  };
  return [
    { keys: ['down', 'j'], label: 'down', footer: false, group: 'Navigation', run: () => move(cur() + 1) },
    { keys: ['up', 'k'], label: 'up', footer: false, group: 'Navigation', run: () => move(cur() - 1) },
    { keys: ['pgdn', 'ctrl-f'], label: 'page down', footer: false, group: 'Navigation', run: page(room) },
    { keys: ['pgup', 'ctrl-b'], label: 'page up', footer: false, group: 'Navigation', run: page(-room) },
    { keys: ['g', 'home'], label: 'first', footer: false, group: 'Navigation', run: () => move(0) },
    { keys: ['G', 'end'], label: 'last', footer: false, group: 'Navigation', run: () => move(count - 1) },
  ];
}
