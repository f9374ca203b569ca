// Random bytes through the whole pane — decoded as the client decodes them, split into lines by
// the follower, laid out, drawn by Ink with colour on — while its keys are pressed (timestamps,
// wrap, search, all containers, scrolling). Every frame may hold printable text and the SGR
// colour/attribute codes Ink writes for us, nothing else: no CSI that moves, no OSC (clipboard,
// title), no DCS, no C0/C1 control, no bidi control.
import { vi } from 'vitest';
vi.hoisted(() => {
  // Colour on, so the frames carry our SGR codes and the test can tell them from anything else.
  process.env.FORCE_COLOR = '3';
});
import React from 'react';
import { StringDecoder } from 'node:string_decoder';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Shell } from '../../src/views/shell';
import { setClock } from '../../src/views/hooks';
import { buildScenarios } from '../../src/sim/scenarios';
import type { RawObject } from '../../src/store/project';
import type { LogClient } from '../../src/logs/follower';
import { hostileLogLine } from '../../src/sim/world';
import { fakeSession } from '../views/fake-session';
import { NOW } from '../views/harness';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Bytes that matter to terminals, over-represented.
const SPICE = [0x1b, 0x5b, 0x5d, 0x50, 0x5c, 0x07, 0x9b, 0x9d, 0x90, 0x9c, 0x0d, 0x0a, 0x08, 0x00, 0x7f, 0x3b, 0x32, 0x6d, 0x48, 0xc2, 0xe2, 0x80, 0xae, 0xff];

function randomChunk(r: () => number): Buffer {
  const n = Math.floor(r() * 400);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    const x = r();
    b[i] = x < 0.45 ? SPICE[Math.floor(r() * SPICE.length)] : x < 0.9 ? 0x20 + Math.floor(r() * 95) : Math.floor(r() * 256);
  }
  // Now and then a line the way the kubelet writes it, timestamp first.
  if (r() < 0.3) return Buffer.concat([Buffer.from(`\n2026-05-10T11:59:${String(Math.floor(r() * 60)).padStart(2, '0')}.123456789Z `), b]);
  return b;
}

/** A log client that answers every request with random bytes, then stays open until aborted. */
function fuzzClient(seed: number): LogClient {
  let n = 0;
  return {
    async stream(_path, opts, onData) {
      const r = rng(seed + n++);
      const dec = new StringDecoder('utf8');
      opts.onOpen?.();
      onData(hostileLogLine(600) + '\n');
      for (let i = 0; i < 60 && !opts.signal?.aborted; i++) {
        onData(dec.write(randomChunk(r)));
        if (i % 10 === 0) await new Promise((res) => setTimeout(res, 1));
      }
      if (opts.signal && !opts.signal.aborted) await new Promise<void>((res) => opts.signal!.addEventListener('abort', () => res(), { once: true }));
    },
  };
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
  setClock(undefined);
});

describe('fuzz: random bytes through the log pane', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: only printable text and our SGR codes reach the frame`, async () => {
      setClock(() => NOW);
      const built = buildScenarios(['juicefs'], { now: NOW, seed: 1 });
      const session = fakeSession(built.objects as unknown as RawObject[], { now: NOW, logClient: fuzzClient(seed * 1000) });
      const r = render(<Shell session={session} opts={{ readonly: false, color: true, ascii: false, demo: false }} onQuit={() => {}} size={{ columns: 100, rows: 30 }} start="mounts" />);
      unmount = r.unmount;
      const press = async (...keys: string[]) => {
        for (const k of keys) {
          r.stdin.write(k);
          await sleep(k === '\x1b' ? 80 : 30);
        }
      };
      await sleep(200);
      const r2 = rng(seed);
      await press('l');
      await sleep(300);
      // Keys that change how lines are drawn, in a random order, with a search for a common byte.
      const keys = ['t', 'w', 'k', 'G', 'a', '/', '[', ';', '\r', 'n', 'N', 'right', 'f', 'w', 'p', 'c'];
      for (let i = 0; i < 24; i++) {
        const k = keys[Math.floor(r2() * keys.length)];
        if (k === '/') await press('/', String.fromCharCode(0x21 + Math.floor(r2() * 90)), '\r');
        else if (k === 'right') await press('\x1b[C');
        else await press(k);
      }
      await sleep(200);
      expect(r.frames.length).toBeGreaterThan(10);
      let sgr = 0;
      for (const frame of r.frames) {
        sgr += (frame.match(SGR) ?? []).length;
        const bare = frame.replace(SGR, '');
        const bad = FORBIDDEN.exec(bare);
        expect(bad, bad ? `U+${bad[0].charCodeAt(0).toString(16)} at ${JSON.stringify(bare.slice(Math.max(0, bad.index - 40), bad.index + 40))}` : '').toBeNull();
      }
      // Colour was on: the check above saw our codes and let them through.
      expect(sgr).toBeGreaterThan(0);
      expect(r.lastFrame()!.replace(SGR, '')).toMatch(/^Logs kube-system\//m);
    });
  }
});
