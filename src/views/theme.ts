// Colours, markers and glyphs. Colour is never the only signal: every row state also has a
// marker character, so `--no-color`/NO_COLOR and colour-blind users lose nothing. Text colours
// are few and chosen to read on dark and light backgrounds (no white or black foregrounds).
import { createContext, useContext } from 'react';

export type Tone = 'error' | 'warning' | 'info' | 'ok' | 'done';

export interface Theme {
  readonly color: boolean;
  readonly ascii: boolean;
  readonly ellipsis: string;
  readonly marks: Readonly<Record<Tone, string>>;
  /** Tree branches: tee, last, pipe, blank. */
  readonly tree: readonly [string, string, string, string];
  readonly arrowUp: string;
  readonly arrowDown: string;
  /** Ink colour name for a tone, undefined when drawn in the default colour. */
  toneColor(t: Tone | undefined): string | undefined;
  /** Colour for accents (titles, keys), undefined without colour. */
  readonly accent: string | undefined;
}

const COLORS: Readonly<Record<Tone, string | undefined>> = {
  error: 'red',
  warning: '#d75f00',
  info: undefined,
  ok: undefined,
  done: 'gray',
};

export function makeTheme(opts: { color: boolean; ascii: boolean }): Theme {
  const { color, ascii } = opts;
  return {
    color,
    ascii,
    ellipsis: ascii ? '~' : '…',
    marks: ascii ? { error: 'X', warning: '!', info: 'i', ok: ' ', done: '.' } : { error: '✗', warning: '!', info: 'i', ok: ' ', done: '·' },
    tree: ascii ? ['|- ', '`- ', '|  ', '   '] : ['├─ ', '└─ ', '│  ', '   '],
    arrowUp: ascii ? '^' : '↑',
    arrowDown: ascii ? 'v' : '↓',
    toneColor: (t) => (color && t ? COLORS[t] : undefined),
    // Magenta reads on dark and on light backgrounds (cyan fades on white, blue on black).
    accent: color ? 'magenta' : undefined,
  };
}

export const ThemeContext = createContext<Theme>(makeTheme({ color: true, ascii: false }));
export const useTheme = (): Theme => useContext(ThemeContext);

const RANK: Readonly<Record<Tone, number>> = { error: 0, warning: 1, info: 2, done: 3, ok: 4 };

/** The more severe of two tones. */
export function worse(a: Tone | undefined, b: Tone | undefined): Tone | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] <= RANK[b] ? a : b;
}

const POD_ERRORS = /BackOff|Err|Error|Failed|OOMKilled|Evicted|Unknown|NodeLost|ContainerStatusUnknown|DeadlineExceeded|Invalid/;
const POD_DONE = /^(Completed|Succeeded)$/;

/** A pod's STATUS column as a tone, like k9s: red errors, orange anything not yet running, grey completed. */
export function podStatusTone(status: string, ready: boolean): Tone {
  if (POD_ERRORS.test(status)) return 'error';
  if (POD_DONE.test(status)) return 'done';
  if (status === 'Running') return ready ? 'ok' : 'warning';
  return 'warning';
}

/** Phase-like statuses of claims, volumes, nodes, attachments. */
export function phaseTone(phase: string): Tone {
  switch (phase) {
    case 'Bound':
    case 'Available':
    case 'Ready':
    case 'True':
    case 'Active':
    case 'Normal':
      return 'ok';
    case 'Lost':
    case 'Failed':
    case 'NotReady':
    case 'False':
    case 'Unknown':
      return 'error';
    case 'Released':
      return 'done';
    default:
      return 'warning';
  }
}

/** A phase's tone when it is a problem, undefined when it is fine. */
export function phaseProblem(phase: string): Tone | undefined {
  const t = phaseTone(phase);
  return t === 'ok' ? undefined : t;
}
