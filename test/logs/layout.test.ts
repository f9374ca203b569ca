// The ring buffer, and what the pane lays out from it: following and paused views, wrap and
// horizontal scroll in terminal cells, the search's incremental matches, long lines capped.
import { describe, expect, it } from 'vitest';
import { LogBuffer, type NewLine } from '../../src/logs/buffer';
import { LogPaneModel } from '../../src/logs/pane-model';
import { layout, WRAP_CAP, type Row } from '../../src/logs/layout';
import { width } from '../../src/util/text';

const line = (text: string, o: Partial<NewLine> = {}): NewLine => ({ ts: 0, tsText: '', container: 'app', text, kind: 'log', ...o });

function model(capacity = 100): LogPaneModel {
  // Never started: the tests fill the buffer themselves.
  return new LogPaneModel({ client: { stream: async () => {} }, target: { namespace: 'ns', pod: 'p' }, pod: () => undefined, container: 'app', capacity, onChange: () => {} });
}

const text = (r: Row) => r.pieces.map((p) => p.text).join('');
const texts = (rows: readonly Row[]) => rows.map(text);

describe('LogBuffer', () => {
  it('keeps the newest lines with contiguous seqs, counting every line added', () => {
    const b = new LogBuffer(3);
    for (let i = 1; i <= 5; i++) b.push(line(`l${i}`));
    expect(b.toArray().map((l) => `${l.seq}:${l.text}`)).toEqual(['3:l3', '4:l4', '5:l5']);
    expect([b.firstSeq, b.lastSeq, b.added, b.length]).toEqual([3, 5, 5, 3]);
    expect(b.bySeq(4)!.text).toBe('l4');
    expect(b.bySeq(2)).toBeUndefined();
  });

  it('merges a late backlog by time; seqs stay contiguous and the epoch tells readers', () => {
    const b = new LogBuffer(5);
    b.push(line('a10', { ts: 10 }));
    b.push(line('a30', { ts: 30 }));
    const epoch = b.epoch;
    b.pushMerged([line('b5', { ts: 5 }), line('b20', { ts: 20 }), line('b30', { ts: 30 }), line('b40', { ts: 40 })]);
    // the oldest falls out of the 5-line ring
    expect(b.toArray().map((l) => l.text)).toEqual(['a10', 'b20', 'a30', 'b30', 'b40']);
    const seqs = b.toArray().map((l) => l.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
    expect(b.epoch).toBeGreaterThan(epoch);
    expect(b.added).toBe(6);
    b.pushMerged([line('c50', { ts: 50 })]);
    expect(b.at(4)!.text).toBe('c50');
  });
});

describe('log pane layout', () => {
  it('following: the newest lines fill the view; paused: the top line stays while lines come and go', () => {
    const m = model(50);
    for (let i = 0; i < 30; i++) m.buffer.push(line(`line ${i}`));
    let l = layout(m, 40, 5);
    expect(texts(l.rows)).toEqual(['line 25', 'line 26', 'line 27', 'line 28', 'line 29']);
    m.scroll(-3);
    expect(m.autoscroll).toBe(false);
    for (let i = 30; i < 40; i++) m.buffer.push(line(`line ${i}`));
    l = layout(m, 40, 5);
    expect(texts(l.rows)[0]).toBe('line 22');
    expect(m.newLines).toBe(10);
    // old lines leave the ring: the view holds on to the oldest kept
    for (let i = 40; i < 80; i++) m.buffer.push(line(`line ${i}`));
    l = layout(m, 40, 5);
    expect(texts(l.rows)[0]).toBe('line 30');
    // a paused view never runs past the end
    m.scroll(1000);
    l = layout(m, 40, 5);
    expect(texts(l.rows)).toEqual(['line 75', 'line 76', 'line 77', 'line 78', 'line 79']);
    expect(l.maxTop).toBe(m.buffer.bySeq(l.first)!.seq);
  });

  it('unwrapped lines are cut at the width in cells; right/left scroll the text, not the prefix', () => {
    const m = model();
    m.all = true;
    m.buffer.push(line('0123456789abcdefghij', { container: 'c1' }));
    m.buffer.push(line('日本語のログ行です、とても長い', { container: 'c2' }));
    let rows = layout(m, 14, 5).rows;
    expect(texts(rows)).toEqual(['[c1] 012345678', '[c2] 日本語の']);
    for (const r of rows) expect(width(text(r))).toBeLessThanOrEqual(14);
    expect(rows[0].pieces[0]).toEqual({ text: '[c1] ', style: 'prefix' });
    m.hscroll = 10;
    rows = layout(m, 14, 5).rows;
    expect(text(rows[0])).toBe('[c1] abcdefghi');
  });

  it('wrapped lines take as many rows as they need, in cells, up to a cap', () => {
    const m = model();
    m.wrap = true;
    m.timestamps = true;
    m.buffer.push(line('x'.repeat(25), { tsText: '2026-05-10T12:00:00.000000000Z', ts: 1 }));
    m.buffer.push(line('漢字'.repeat(10)));
    m.buffer.push(line('y'.repeat(WRAP_CAP + 500)));
    const rows = layout(m, 20, 1000).rows;
    const first = rows.filter((r) => r.seq === m.buffer.firstSeq);
    expect(texts(first).join('')).toBe(`2026-05-10T12:00:00.000000000Z ${'x'.repeat(25)}`);
    expect(first[0].pieces[0].style).toBe('ts');
    for (const r of rows) expect(width(text(r))).toBeLessThanOrEqual(20);
    expect(texts(rows.filter((r) => r.seq === m.buffer.firstSeq + 1))).toEqual(['漢字'.repeat(5), '漢字'.repeat(5)]);
    const long = rows.filter((r) => r.seq === m.buffer.lastSeq);
    expect(texts(long).join('')).toBe(`${'y'.repeat(WRAP_CAP)} …(500 more characters)`);
    expect(long.at(-1)!.pieces.at(-1)!.style).toBe('cut');
  });

  it("the pane's own error lines wrap even when wrap is off", () => {
    const m = model();
    m.buffer.push({ ...line('pods "x" is forbidden: User "u" cannot get resource "pods/log"'), kind: 'error' });
    expect(texts(layout(m, 20, 10).rows).join('')).toBe('pods "x" is forbidden: User "u" cannot get resource "pods/log"');
  });

  it('search: smart case, matches as their own pieces, the current one marked; n/N wrap around', () => {
    const m = model(10);
    for (const t of ['Timeout one', 'fine', 'a timeout and a TIMEOUT', 'fine', 'timeout']) m.buffer.push(line(t));
    m.setSearch('timeout');
    expect(m.matches()).toEqual([1, 3, 5]);
    m.setSearch('TIMEOUT');
    expect(m.matches()).toEqual([3]);
    m.setSearch('timeout');
    expect(m.jump(-1, 3, { first: 1, last: 5 })).toBe(true);
    expect(m.current).toBe(5);
    expect(m.autoscroll).toBe(true); // the match was in view: still following
    m.jump(-1, 3, { first: 1, last: 5 });
    const row = layout(m, 40, 10).rows.find((r) => r.seq === 3)!;
    expect(row.pieces.map((p) => [p.text, p.style])).toEqual([
      ['a ', 'text'],
      ['timeout', 'current'],
      [' and a ', 'text'],
      ['TIMEOUT', 'current'],
    ]);
    m.jump(1, 3);
    m.jump(1, 3);
    expect(m.current).toBe(1); // wrapped around
    // new lines are scanned as they come, dropped ones leave the matches
    for (let i = 0; i < 8; i++) m.buffer.push(line(i % 2 ? 'timeout again' : 'ok'));
    expect(m.matches()).toEqual([5, 7, 9, 11, 13]);
    // a jump out of view pauses there, a third down the view
    m.setSearch('timeout');
    m.resume();
    m.jump(-1, 9, { first: 12, last: 13 });
    expect([m.current, m.autoscroll]).toEqual([13, true]);
    m.jump(-1, 9, { first: 12, last: 13 });
    expect(m.current).toBe(11);
    expect(m.autoscroll).toBe(false);
    expect(m.topSeq).toBe(11 - 3);
  });
});
