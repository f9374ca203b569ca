// The bundle's replacement for Ink's Output (src/render/ink-output.ts) must produce exactly the
// frame Ink's own would: random operations (ANSI styles, wide and zero-width characters,
// clipping, transformers, rows out of range) through both, frame after frame so the caches are
// exercised, including the same frame twice and frames that differ in one piece.
import { describe, expect, it } from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import widestLineOrig from 'widest-line';
import FastOutput from '../../src/render/ink-output';
import widestLine, { TwoGenerationCache, widthOf } from '../../src/render/width';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STYLES = ['\x1b[1m', '\x1b[22m', '\x1b[31m', '\x1b[39m', '\x1b[7m', '\x1b[27m', '\x1b[4m', '\x1b[24m', '\x1b[38;5;208m', '\x1b[2m', '\x1b[0m', '\x1b[38;2;10;20;30m', '\x1b[49m', '\x1b[44m'];
const CHARS = ['a', 'b', 'Z', ' ', ' ', '-', '/', '9', '✗', '…', '⚠', '漢', '字', '😀', '👍🏽', 'e\u0301', '\u200b', '│', '─', 'ｱ'];

type Op = ['write', number, number, string, number] | ['clip', number | undefined, number | undefined, number | undefined, number | undefined] | ['unclip'];

const TRANSFORMERS: ((s: string, i: number) => string)[][] = [[], [(s) => s.toUpperCase()], [(s, i) => `${i}:${s}`, (s) => `\x1b[1m${s}\x1b[22m`]];

function randomText(r: () => number): string {
  const lines = 1 + Math.floor(r() * (r() < 0.8 ? 1 : 4));
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    let s = '';
    const n = Math.floor(r() * 40);
    for (let i = 0; i < n; i++) s += r() < 0.15 ? STYLES[Math.floor(r() * STYLES.length)] : CHARS[Math.floor(r() * CHARS.length)];
    out.push(s);
  }
  return out.join('\n');
}

function randomOps(r: () => number, w: number, h: number): Op[] {
  const ops: Op[] = [];
  let depth = 0;
  const n = 1 + Math.floor(r() * 25);
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.1) {
      const pick = () => (r() < 0.25 ? undefined : Math.floor(r() * (w + 4)) - 2);
      const pickY = () => (r() < 0.25 ? undefined : Math.floor(r() * (h + 4)) - 2);
      ops.push(['clip', pick(), pick(), pickY(), pickY()]);
      depth++;
    } else if (k < 0.17 && depth > 0) {
      ops.push(['unclip']);
      depth--;
    } else ops.push(['write', Math.floor(r() * (w + 6)) - 3, Math.floor(r() * (h + 4)) - 2, randomText(r), Math.floor(r() * TRANSFORMERS.length)]);
  }
  return ops;
}

function run(O: typeof InkOutput | typeof FastOutput, w: number, h: number, ops: Op[]) {
  const o = new O({ width: w, height: h });
  for (const op of ops) {
    if (op[0] === 'write') o.write(op[1], op[2], op[3], { transformers: TRANSFORMERS[op[4]] });
    else if (op[0] === 'clip') o.clip({ x1: op[1], x2: op[2], y1: op[3], y2: op[4] });
    else o.unclip();
  }
  return o.get();
}

describe('fast Ink Output', () => {
  it('draws what Ink draws, frame after frame (2000 random frames)', () => {
    const r = rng(11);
    let prev: { w: number; h: number; ops: Op[] } | undefined;
    for (let f = 0; f < 2000; f++) {
      let w = 1 + Math.floor(r() * 60);
      let h = 1 + Math.floor(r() * 12);
      let ops = randomOps(r, w, h);
      // Often the previous frame again, or with one write changed: the caches must hold.
      if (prev && r() < 0.5) {
        ({ w, h } = prev);
        ops = prev.ops.map((op) => (op[0] === 'write' && r() < 0.1 ? (['write', op[1], op[2], randomText(r), op[4]] as Op) : op));
      }
      prev = { w, h, ops };
      const want = run(InkOutput, w, h, ops);
      const got = run(FastOutput, w, h, ops);
      if (got.output !== want.output || got.height !== want.height) {
        expect({ frame: f, w, h, ops, output: got.output }).toEqual({ frame: f, w, h, ops, output: want.output });
      }
    }
  });

  it('draws a table-like screen the same, and again from its caches', () => {
    const rows = Array.from({ length: 48 }, (_, i) => `\x1b[31m\x1b[1m✗\x1b[22m team-${i % 20}   app-${i}-ax  1/1  Running  ${i % 3}  node-${i}  data-${i}  rbd.csi.ceph.com  ${i}%  3d\x1b[39m`);
    const ops: Op[] = [['write', 0, 0, '\x1b[1mcsi-top\x1b[22m ctx:sim ns:all synced', 0], ...rows.map((t, i) => ['write', 0, i + 1, t, 0] as Op), ['write', 0, 49, '<:>cmd </>filter', 0]];
    const want = run(InkOutput, 200, 50, ops);
    expect(run(FastOutput, 200, 50, ops)).toEqual(want);
    expect(run(FastOutput, 200, 50, ops)).toEqual(want);
    const moved = ops.map((op, i) => (i === 3 && op[0] === 'write' ? (['write', 0, 3, `\x1b[7m${op[3]}\x1b[27m`, 0] as Op) : op));
    expect(run(FastOutput, 200, 50, moved)).toEqual(run(InkOutput, 200, 50, moved));
  });

  it('draws rows of styled one-column characters (table rows) the same, whole, cut, styled to the end, or blank', () => {
    const r = rng(7);
    const ascii = ['a', 'Z', ' ', '-', '/', '9', '  ', 'app-12', '●', '✗', '⚠', '…', '↑', '│', '✔', '☔', '⃝', '\u200b', '\u2028', 'é', '漢'];
    for (let frame = 0; frame < 300; frame++) {
      const w = 10 + Math.floor(r() * 40);
      const ops: Op[] = [];
      for (let y = 0; y < 8; y++) {
        let s = '';
        const n = Math.floor(r() * 30);
        for (let i = 0; i < n; i++) s += r() < 0.3 ? STYLES[Math.floor(r() * STYLES.length)] : ascii[Math.floor(r() * ascii.length)];
        if (r() < 0.1) s = '\x1b[1;4;38;5;208m' + s + '\x1b[m';
        ops.push(['write', 0, y, s, 0]);
      }
      expect(run(FastOutput, w, 8, ops), `frame ${frame}`).toEqual(run(InkOutput, w, 8, ops));
    }
  });

  it('measures widths as string-width and widest-line do', () => {
    for (const s of ['', 'abc', 'a\nbcd\n', '漢字', '😀 ok', 'e\u0301', '\x1b[31mred\x1b[39m', '\x1b[1m\x1b[4map\x1b[24m\x1b[22mp-1 \x1b[38;2;1;2;3mx\x1b[39m', '\x1b[1mé\x1b[22m', '\x1b[mok\x1b[0m', '\x1b[31m', '\x1b]8;;x\x07y', '\x1b[?25l', '\x1b[32m\x1b[1m●\x1b[22m\x1b[39m app…  ↑', '☔x\x1b[1m⚠\x1b[22m', '│─✔⃝', '\u2028a', '✗ x', '\t', 'a\u200bb']) {
      expect(widestLine(s)).toBe(widestLineOrig(s));
      for (const line of s.split('\n')) expect(widthOf(line)).toBe(widestLineOrig(line));
    }
  });

  it('keeps its caches bounded', () => {
    const c = new TwoGenerationCache<number>(3);
    for (let i = 0; i < 100; i++) c.set(String(i), i);
    expect(c.size).toBeLessThanOrEqual(6);
    expect(c.get('99')).toBe(99);
    expect(c.get('0')).toBeUndefined();
    // A hit in the older generation survives the next turnover.
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('99')).toBe(99);
    c.set('c', 3);
    c.set('d', 4);
    expect(c.get('99')).toBe(99);
  });
});
