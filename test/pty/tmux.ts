// Runs csi-top on the demo cluster in a real terminal (tmux), types keys and reads the screen.
// Each terminal gets its own tmux server (unique socket); kill() ends it and everything in it.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const TMUX = '/usr/bin/tmux';
export const hasTmux = existsSync(TMUX);

/** The built CLI (vitest's global setup builds it) on its demo cluster. */
function demoCommand(args: readonly string[]): string {
  return `node dist/csi-top.js --demo ${args.join(' ')}`;
}

export interface Term {
  readonly socket: string;
  /** The screen as text (with colour escapes when `escapes`). */
  screen(escapes?: boolean): string;
  keys(...keys: string[]): void;
  text(s: string): void;
  /** Waits until the screen matches `re`; throws with the screen after `ms`. */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  resize(columns: number, rows: number): void;
  /** A tmux format value of the pane (alternate_on, cursor_flag, pane_pid…). */
  pane(format: string): string;
  kill(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startTerm(o: { columns: number; rows: number; args?: readonly string[]; env?: Record<string, string> }): Term {
  const socket = `csitop-${randomBytes(6).toString('hex')}`;
  const tmux = (...a: string[]) => execFileSync(TMUX, ['-L', socket, ...a], { encoding: 'utf8' });
  const env = Object.entries(o.env ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  // The program runs under bash so that its exit code and the restored screen can be seen after it.
  const cmd = `env -u CI -u NO_COLOR TERM=xterm-256color ${env} ${demoCommand(o.args ?? [])}; echo EXIT=$?; sleep 600`;
  tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(o.columns), '-y', String(o.rows), '-c', process.cwd(), cmd);
  tmux('set-option', '-g', 'window-size', 'manual');
  const t: Term = {
    socket,
    screen: (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', '0'),
    keys: (...keys) => void tmux('send-keys', '-t', '0', ...keys),
    text: (s) => void tmux('send-keys', '-t', '0', '-l', s),
    async waitFor(re, ms = 60_000) {
      const end = Date.now() + ms;
      let s = '';
      while (Date.now() < end) {
        s = t.screen();
        if (re.test(s)) return s;
        await sleep(100);
      }
      throw new Error(`screen never matched ${re}:\n${s}`);
    },
    resize: (columns, rows) => void tmux('resize-window', '-t', '0', '-x', String(columns), '-y', String(rows)),
    pane: (format) => tmux('display-message', '-p', '-t', '0', format).trim(),
    kill() {
      let path = '';
      try {
        path = tmux('display-message', '-p', '#{socket_path}').trim();
        tmux('kill-server');
      } catch {
        // already gone
      }
      if (path) rmSync(path, { force: true });
    },
  };
  return t;
}
