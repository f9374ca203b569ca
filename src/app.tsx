// The TUI's entry: takes over the terminal (alternate screen, hidden cursor, raw input through
// Ink), runs the shell until the user quits, and gives the terminal back exactly as it was — on
// quit, on a crash, and on SIGTERM/SIGHUP/SIGINT.
import { writeSync } from 'node:fs';
import React from 'react';
import type { UiOptions, UiSession } from './views/session';
import { CliError } from './util/errors';
import { debugEnabled, debugLog } from './util/debug';

const ENTER = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
const LEAVE = '\x1b[0m\x1b[?25h\x1b[?1049l';

export interface Terminal {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
}

/** Enters the alternate screen; the returned function restores the terminal (idempotent, synchronous). */
export function takeOverTerminal(t: Terminal): () => void {
  const write = (s: string) => {
    try {
      writeSync((t.stdout as NodeJS.WriteStream & { fd: number }).fd, s);
    } catch {
      // the terminal is gone (SIGHUP): nothing to restore
    }
  };
  write(ENTER);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    try {
      if (t.stdin.isTTY) t.stdin.setRawMode(false);
    } catch {
      // stdin already closed
    }
    write(LEAVE);
  };
}

/**
 * Runs the UI on this process's terminal until the user quits. Resolves with the exit code
 * (0 on quit). Throws a CliError when there is no terminal.
 */
export async function runTui(session: UiSession, opts: UiOptions, term: Terminal = { stdout: process.stdout, stdin: process.stdin }): Promise<number> {
  if (!term.stdout.isTTY || !term.stdin.isTTY) throw new CliError('the UI needs a terminal; for scripts use `csi-top doctor` or `csi-top export`');
  const [{ render }, { Shell }, { ScreenWriter }] = await Promise.all([import('ink'), import('./views/shell'), import('./views/screen')]);

  const screen = new ScreenWriter(term.stdout);
  const restoreTerminal = takeOverTerminal(term);
  // Anything printed with console.* while the UI owns the screen goes to the debug log.
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = consoleMethods.map((m) => console[m]);
  for (const m of consoleMethods) console[m] = (...args: unknown[]) => debugLog(`console.${m}: ${args.map(String).join(' ')}`);
  const restore = () => {
    screen.close();
    consoleMethods.forEach((m, i) => (console[m] = saved[i]));
    restoreTerminal();
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  let instance: ReturnType<typeof render> | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    try {
      instance?.unmount();
    } catch {
      // restoring matters more than a clean unmount
    }
    restore();
    // After a hang-up the terminal is gone and Node's own exit-time terminal reset aborts the
    // process (ResetStdio assertion, a core dump on a bastion host). We restored what we changed.
    if (sig === 'SIGHUP') process.kill(process.pid, 'SIGKILL');
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[sig]);
  };
  const onCrash = (e: unknown) => {
    try {
      instance?.unmount();
    } catch {
      // ignore
    }
    restore();
    // One line for the user; the stack goes to the --debug log.
    debugLog(`crash: ${(e as Error)?.stack ?? String(e)}`);
    process.stderr.write(`csi-top: unexpected error: ${String((e as Error)?.message ?? e).split('\n')[0]}${debugEnabled() ? ' (stack in the debug log)' : ' (run with --debug FILE for details)'}\n`);
    process.exit(1);
  };
  for (const s of signals) process.on(s, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', restore);
  try {
    // debug: Ink hands every frame to the screen writer, which rewrites only the changed lines.
    instance = render(<Shell session={session} opts={opts} onQuit={() => instance?.unmount()} />, {
      stdout: screen as unknown as NodeJS.WriteStream,
      stdin: term.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      debug: true,
    });
    await instance.waitUntilExit();
    return 0;
  } finally {
    restore();
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', restore);
  }
}
