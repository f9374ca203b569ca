// Mounts the shell in ink-testing-library over a scenario store, with the clock pinned to the
// moment the scenarios describe, and presses keys the way a terminal sends them.
import React from 'react';
import { render } from 'ink-testing-library';
import { Shell } from '../../src/views/shell';
import { setClock } from '../../src/views/hooks';
import { buildScenarios } from '../../src/sim/scenarios';
import type { RawObject } from '../../src/store/project';
import type { UiOptions, UiSession } from '../../src/views/session';
import { fakeSession, type FakeSession } from './fake-session';
import type { ObjectAction } from '../../src/views/actions';

export const NOW = Date.parse('2026-05-10T12:00:00Z');

export function scenarioSession(names: string[] | 'all' = 'all', o: { namespace?: string | null } = {}): FakeSession {
  const built = buildScenarios(names, { now: NOW, seed: 1 });
  return fakeSession(built.objects as unknown as RawObject[], { now: NOW, ...o });
}

const SEQ: Record<string, string> = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  pgup: '\x1b[5~',
  pgdn: '\x1b[6~',
  tab: '\t',
  backtab: '\x1b[Z',
  backspace: '\x7f',
  'ctrl-c': '\x03',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Mounted {
  frame(): string;
  /** Presses keys: names from SEQ, or literal text sent as one chunk (like typing fast). */
  press(...keys: string[]): Promise<string>;
  type(text: string): Promise<string>;
  /** The frame once it matches `re` (polls up to `ms`, default 2 s). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  quit: { count: number };
  /** How many frames Ink has drawn so far. */
  frames(): number;
  unmount(): void;
}

/** `realClock`: leave the clock running (a live simulator's objects carry today's times). */
export function mount(session: UiSession, o: { columns?: number; rows?: number; opts?: Partial<UiOptions>; start?: string; actions?: readonly ObjectAction[]; realClock?: boolean } = {}): Mounted {
  if (!o.realClock) setClock(() => NOW);
  const quit = { count: 0 };
  const opts: UiOptions = { readonly: false, color: false, ascii: false, demo: false, ...o.opts };
  const r = render(<Shell session={session} opts={opts} onQuit={() => quit.count++} size={{ columns: o.columns ?? 100, rows: o.rows ?? 24 }} {...(o.start ? { start: o.start } : {})} {...(o.actions ? { actions: o.actions } : {})} />);
  const frame = () => r.lastFrame() ?? '';
  // Waits until no new frame came for a while (effects and their re-renders are done).
  const settle = async (min: number) => {
    await sleep(min);
    let n = -1;
    for (let i = 0; i < 100 && n !== r.frames.length; i++) {
      n = r.frames.length;
      await sleep(15);
    }
  };
  return {
    frame,
    quit,
    frames: () => r.frames.length,
    async press(...keys) {
      for (const k of keys) {
        r.stdin.write(SEQ[k] ?? k);
        // A lone ESC waits for Ink's escape-sequence timeout before it counts as a key.
        await settle(k === 'esc' ? 60 : 0);
      }
      if (keys.length === 0) await settle(0);
      return frame();
    },
    async type(text) {
      for (const ch of text) r.stdin.write(ch);
      await settle(0);
      return frame();
    },
    async waitFor(re, ms = 2000) {
      for (let i = 0; i < ms / 20 && !re.test(frame()); i++) await sleep(20);
      return frame();
    },
    unmount() {
      r.unmount();
      setClock(undefined);
    },
  };
}

/** The table row (line) of the frame that contains `text`. */
export function rowWith(frame: string, text: string): string | undefined {
  return frame.split('\n').find((l) => l.includes(text));
}
