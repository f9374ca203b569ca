// The real render path without a terminal: Ink in debug mode → ScreenWriter → a fake terminal
// that counts bytes and writes, with a fake stdin to type on. For the log pane's throughput test
// and bench/logs.ts.
import { EventEmitter } from 'node:events';
import React from 'react';
import { render } from 'ink';
import { Shell } from '../../src/views/shell';
import { ScreenWriter } from '../../src/views/screen';
import type { UiSession } from '../../src/views/session';

export class FakeTty extends EventEmitter {
  bytes = 0;
  writes = 0;
  /** Called with every write (latency probes). */
  probe: ((s: string) => void) | undefined;
  constructor(
    public columns = 120,
    public rows = 40,
  ) {
    super();
  }
  write(s: string) {
    this.bytes += Buffer.byteLength(s);
    this.writes++;
    this.probe?.(s);
    return true;
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  private data: string | null = null;
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  /** Types like a terminal: Ink reads on 'readable'. */
  type(s: string) {
    this.data = s;
    this.emit('readable');
  }
}

export interface Rendered {
  tty: FakeTty;
  stdin: FakeStdin;
  /** Types `key`; resolves with the ms until a write matches `shows` (5000 if none does). */
  latency(key: string, shows: RegExp): Promise<number>;
  unmount(): void;
}

export function renderShell(session: UiSession, o: { start?: string; columns?: number; rows?: number } = {}): Rendered {
  const tty = new FakeTty(o.columns, o.rows);
  const stdin = new FakeStdin();
  const app = render(<Shell session={session} opts={{ readonly: false, color: true, ascii: false, demo: false }} onQuit={() => {}} {...(o.start ? { start: o.start } : {})} />, {
    stdout: new ScreenWriter(tty) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    tty,
    stdin,
    latency(key, shows) {
      const t0 = performance.now();
      const seen = new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(5000), 5000);
        tty.probe = (s) => {
          if (!shows.test(s)) return;
          tty.probe = undefined;
          clearTimeout(timer);
          resolve(performance.now() - t0);
        };
      });
      stdin.type(key);
      return seen;
    },
    unmount: () => app.unmount(),
  };
}
