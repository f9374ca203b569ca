// The real render path (Ink in debug mode → ScreenWriter → a terminal) on a 10k-pod cluster:
// what one changed row and an idle cluster write, and that a key press does not rebuild the list.
import { EventEmitter } from 'node:events';
import React from 'react';
import { render } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { Shell } from '../../src/views/shell';
import { ScreenWriter } from '../../src/views/screen';
import { setClock } from '../../src/views/hooks';
import { project } from '../../src/store/project';
import { syntheticCluster } from '../fixtures/synthetic';
import { fakeSession } from './fake-session';

const NOW = Date.parse('2026-05-10T12:00:00Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class FakeTty extends EventEmitter {
  columns = 120;
  rows = 40;
  bytes = 0;
  writes = 0;
  write(s: string) {
    this.bytes += Buffer.byteLength(s);
    this.writes++;
    return true;
  }
}

class FakeStdin extends EventEmitter {
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

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  setClock(undefined);
});

describe('terminal output through the screen writer', () => {
  it('a changed row writes under 2 KB, an idle cluster nothing; 10k pods', async () => {
    setClock(() => NOW);
    const objects = syntheticCluster(10_000);
    const session = fakeSession(objects, { now: NOW });
    const tty = new FakeTty();
    const screen = new ScreenWriter(tty, 0);
    const stdin = new FakeStdin();
    const app = render(<Shell session={session} opts={{ readonly: false, color: true, ascii: false, demo: false }} onQuit={() => {}} />, {
      stdout: screen as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    cleanup = () => app.unmount();
    await sleep(300);
    expect(tty.writes).toBeGreaterThan(0);
    expect(tty.bytes).toBeLessThan(40 * 1024);

    // idle: nothing is written
    let before = tty.bytes;
    await sleep(400);
    expect(tty.bytes - before).toBe(0);

    // one visible pod changes state: one line is rewritten
    const pods = session.store.list('Pod');
    const first = [...pods].filter((p) => p.volumes.length).sort((a, b) => (a.name < b.name ? -1 : 1))[0];
    const raw = objects.find((o) => o.kind === 'Pod' && o.metadata?.name === first.name && o.metadata?.namespace === first.namespace)!;
    const bad = structuredClone(raw);
    bad.metadata!.resourceVersion = '424242';
    bad.status.phase = 'Running';
    bad.status.containerStatuses = bad.status.containerStatuses.map((c: Record<string, unknown>) => ({ ...c, ready: false, restartCount: 3, state: { waiting: { reason: 'Error' } } }));
    before = tty.bytes;
    session.store.apply('MODIFIED', project('Pod', bad)!);
    session.store.flush();
    // Data refreshes of a big list are spaced by a few times their cost (at most 2 s).
    for (let i = 0; i < 60 && tty.bytes === before; i++) await sleep(50);
    await sleep(100);
    const written = tty.bytes - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(2048);

    // a cursor move rewrites two rows (and the position), not the screen
    before = tty.bytes;
    stdin.type('j');
    for (let i = 0; i < 100 && tty.bytes === before; i++) await sleep(10);
    expect(tty.bytes - before).toBeGreaterThan(0);
    expect(tty.bytes - before).toBeLessThan(2048);
  }, 60_000);
});
