// When the user last pressed a key. Background work that costs a frame or more (re-judging the
// findings: ~85 ms at 10k pods, ~200 ms at 50k) waits for a pause in typing, so that a key's
// frame is not held up behind it.
let lastInput = Number.NEGATIVE_INFINITY;

/** How long after a key background work keeps waiting. */
export const TYPING_PAUSE_MS = 400;

export function noteInput(at = performance.now()): void {
  lastInput = at;
}

/** Milliseconds until typing counts as paused (0 when it is). */
export function typingPauseLeft(): number {
  return Math.max(0, TYPING_PAUSE_MS - (performance.now() - lastInput));
}
