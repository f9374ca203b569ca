// Pure pieces of the UI: column layout, filter parsing and matching, commands, the screen writer.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { layoutColumns } from '../../src/views/table';
import fuzzysort from 'fuzzysort';
import { applyFilter, buildSearchIndex, matchLabels, parseFilter, SearchIndexBuilder } from '../../src/views/filter';
import { commandList, completions, resolveCommand } from '../../src/views/commands';
import { LIST_VIEWS } from '../../src/views/lists';
import { ScreenWriter } from '../../src/views/screen';
import { normalize } from '../../src/views/keys';
import { middle, squeezeWords, truncate, wrap } from '../../src/util/text';
import { formatAge } from '../../src/util/time';

describe('layoutColumns', () => {
  const cols = [{ min: 16 }, {}, { drop: 2 }, { drop: 1, min: 6 }, {}];
  const headers = ['NAME', 'READY', 'NODE', 'PVCS', 'AGE'];
  it('keeps natural widths when they fit', () => {
    expect(layoutColumns(headers, [20, 5, 6, 10, 3], cols, 200)).toEqual({ shown: [0, 1, 2, 3, 4], widths: [20, 5, 6, 10, 3] });
  });
  it('shrinks columns with a min before dropping any', () => {
    const l = layoutColumns(headers, [30, 5, 6, 10, 3], cols, 2 + 24 + 5 + 6 + 6 + 3 + 8);
    expect(l.shown).toEqual([0, 1, 2, 3, 4]);
    expect(l.widths).toEqual([20, 5, 6, 10, 3]);
  });
  it('drops the most optional column, and the rest grow back', () => {
    const l = layoutColumns(headers, [30, 5, 6, 10, 3], cols, 40);
    expect(l.shown).toEqual([0, 1, 3, 4]);
    expect(l.widths[0] + l.widths[3]).toBe(40 - 2 - 5 - 3 - 6);
  });
});

describe('filter', () => {
  const rows: { name: string; status: string; labels: Record<string, string> }[] = [
    { name: 'trainer-abc', status: 'ContainerCreating', labels: { app: 'trainer' } },
    { name: 'web-1', status: 'Running', labels: { app: 'web', tier: 'front' } },
    { name: 'postgres-0', status: 'ContainerCreating', labels: { app: 'db' } },
  ];
  const idx = () => buildSearchIndex(rows, (r) => [r.name, r.status]);
  const names = (f: string) => applyFilter(rows, idx, parseFilter(f), (r) => r.labels).rows.map((r) => r.name);
  it('fuzzy matches keep table order and drop scattered noise', () => {
    expect(names('train')).toEqual(['trainer-abc']);
    expect(names('creat')).toEqual(['trainer-abc', 'postgres-0']);
    expect(names('')).toEqual(['trainer-abc', 'web-1', 'postgres-0']);
  });
  it('follows the order it is given when the same index is searched in another sort order', () => {
    const one = buildSearchIndex(rows, (r) => [r.name, r.status]);
    const reversed = [...rows].reverse();
    expect(applyFilter(rows, () => one, parseFilter('creat'), (r) => r.labels).rows.map((r) => r.name)).toEqual(['trainer-abc', 'postgres-0']);
    expect(applyFilter(reversed, () => one, parseFilter('creat'), (r) => r.labels).rows.map((r) => r.name)).toEqual(['postgres-0', 'trainer-abc']);
    expect(applyFilter(reversed, () => one, parseFilter('!running'), (r) => r.labels).rows.map((r) => r.name)).toEqual(['postgres-0', 'trainer-abc']);
  });
  it('reports highlighted characters per searched column', () => {
    const r = applyFilter(rows, idx, parseFilter('web'), (x) => x.labels);
    expect(r.highlights.get(rows[1])!.get(0)).toEqual([0, 1, 2]);
  });
  it('!term excludes rows containing it', () => {
    expect(names('!running')).toEqual(['trainer-abc', 'postgres-0']);
  });
  it('-l selects by labels and combines with a fuzzy term', () => {
    expect(names('-l app=web')).toEqual(['web-1']);
    expect(names('-l app!=web')).toEqual(['trainer-abc', 'postgres-0']);
    expect(names('-l tier')).toEqual(['web-1']);
    expect(names('-l !tier,app=db')).toEqual(['postgres-0']);
    expect(names('-l app=trainer creat')).toEqual(['trainer-abc']);
    expect(parseFilter('-l').error).toMatch(/label selector expected/);
    expect(matchLabels({ a: '1' }, [{ key: 'a', op: '=', value: '1' }])).toBe(true);
  });
  it('typing on searches only the last matches, with the rows and highlights of a fresh search', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ name: `app-${i >> 1}-${i % 2 ? 'b' : 'a'}x${i.toString(36)}`, status: ['Running', 'Pending', 'ContainerCreating'][i % 3], labels: {} }));
    const texts = (r: (typeof many)[number]) => [r.name, r.status];
    const typed = buildSearchIndex(many, texts);
    // Typing, a backspace, a space (a second word), and a query that does not extend the last one.
    for (const q of ['a', 'ap', 'app', 'app-', 'app-1', 'app-12', 'app-1', 'app-1 r', 'app-1 ru', 'pend', 'pendi', 'x1', 'x1z']) {
      const fresh = buildSearchIndex(many, texts);
      const want = applyFilter(many, () => fresh, parseFilter(q), () => ({}));
      const got = applyFilter(many, () => typed, parseFilter(q), () => ({}));
      expect(got.rows, q).toEqual(want.rows);
      for (const r of want.rows) expect(got.highlights.get(r), q).toEqual(want.highlights.get(r));
    }
  });
  it('finds the rows, order and highlights fuzzysort.go finds over the same columns', () => {
    // The reference: fuzzysort's own search of every row by keys, cut at half the best score.
    const reference = (rs: readonly { texts: string[] }[], q: string) => {
      const prepared = rs.map((r) => ({ r, t: r.texts.map((x) => fuzzysort.prepare(x)) }));
      const keys = rs[0].texts.map((_, k) => (e: (typeof prepared)[number]) => e.t[k]);
      const res = fuzzysort.go(q, prepared, { keys, limit: 0, threshold: 0 });
      const best = res.reduce((m, x) => Math.max(m, x.score), 0);
      const kept = new Map(res.filter((x) => x.score >= best * 0.5).map((x) => [x.obj.r, x]));
      const hl = (x: (typeof res)[number]) => new Map([...x.entries()].filter(([, k]) => k && k.indexes.length && k.score > 0).map(([i, k]) => [i, [...k.indexes]]));
      return { rows: rs.filter((r) => kept.has(r)), hl: (r: (typeof rs)[number]) => hl(kept.get(r)!) };
    };
    const statuses = ['Running', 'Pending', 'ContainerCreating', 'CrashLoopBackOff', 'Terminating'];
    const many = Array.from({ length: 3000 }, (_, i) => ({
      texts: [`team-${i % 20}`, `app-${i >> 1}-${i % 2 ? 'b' : 'a'}x${i.toString(36)}`, statuses[i % 5], `node-${i % 97}`, i % 11 ? `data-${(i * 7) % 3000}` : '', i % 3 ? 'rbd.csi.ceph.com' : 'Ünïcode.csi/Driver'],
    }));
    const ix = buildSearchIndex(many, (r) => r.texts);
    for (const q of ['a', 'ap', 'app', 'app-1', 'app-12', 'APP-12', 'x1', 'x1z', 'crash', 'cr', 'rbd csi', 'team-1 run', 'unicode', 'ü', 'dat', 'zzz', '-', 'csi/', 'node-9 crash']) {
      const want = reference(many, q);
      const got = applyFilter(many, () => ix, parseFilter(q), () => ({}));
      expect(got.rows, q).toEqual(want.rows);
      for (const r of want.rows.slice(0, 300)) expect(got.highlights.get(r), q).toEqual(want.hl(r));
    }
  });
  it('an index built a slice at a time, or reusing the last one, finds the same', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ name: `app-${i}`, status: i % 3 ? 'Running' : 'Pending', labels: {} }));
    const texts = (r: (typeof many)[number]) => [r.name, r.status];
    const whole = buildSearchIndex(many, texts);
    const builder = new SearchIndexBuilder(many, texts);
    let slices = 0;
    while (!builder.step(0)) slices++;
    expect(slices).toBeGreaterThan(1);
    const changed = many.map((r, i) => (i % 10 ? r : { ...r, status: 'Failed' }));
    const reused = buildSearchIndex(changed, texts, whole);
    expect(reused.targets[reused.byText.get('Running')!]).toBe(whole.targets[whole.byText.get('Running')!]);
    for (const q of ['app-1', 'run', '!pend', 'fail']) {
      const want = applyFilter(many, () => whole, parseFilter(q), () => ({}));
      const got = applyFilter(many, () => builder.finish(), parseFilter(q), () => ({}));
      expect(got.rows, q).toEqual(want.rows);
      for (const r of want.rows) expect(got.highlights.get(r), q).toEqual(want.highlights.get(r));
      const fresh = applyFilter(changed, () => buildSearchIndex(changed, texts), parseFilter(q), () => ({}));
      expect(applyFilter(changed, () => reused, parseFilter(q), () => ({})).rows, q).toEqual(fresh.rows);
    }
  });
  it('filters 10k rows (speed is measured by the benchmark, not here)', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ name: `app-${i}-x${(i * 7919) % 10007}`, status: i % 3 ? 'Running' : 'Pending', labels: {} }));
    const ix = buildSearchIndex(many, (r) => [r.name, r.status]);
    const out = applyFilter(many, () => ix, parseFilter('app-99'), () => ({}));
    expect(out.rows.length).toBeGreaterThan(0);
    expect(out.rows.every((r) => r.name.includes('9'))).toBe(true);
  });
});

describe('commands', () => {
  const cmds = commandList(LIST_VIEWS);
  it('resolves names, k9s aliases and unique prefixes', () => {
    expect(resolveCommand(cmds, 'po')).toEqual({ kind: 'list', list: 'pods' });
    expect(resolveCommand(cmds, 'ev')).toEqual({ kind: 'list', list: 'events' });
    expect(resolveCommand(cmds, 'no')).toEqual({ kind: 'list', list: 'nodes' });
    expect(resolveCommand(cmds, 'mou')).toEqual({ kind: 'list', list: 'mounts' });
    expect(resolveCommand(cmds, 'ctx')).toEqual({ kind: 'list', list: 'ctx' });
    expect(resolveCommand(cmds, 'ctx prod')).toEqual({ kind: 'ctx', arg: 'prod' });
    expect(resolveCommand(cmds, 'ns all')).toEqual({ kind: 'ns', arg: 'all' });
    expect(resolveCommand(cmds, 'q')).toEqual({ kind: 'quit' });
    expect(resolveCommand(cmds, 'quit')).toEqual({ kind: 'quit' });
    expect(resolveCommand(cmds, 'p')).toMatchObject({ kind: 'error' });
    expect(resolveCommand(cmds, 'zzz')).toMatchObject({ kind: 'error', message: expect.stringMatching(/unknown command/) });
  });
  it('completes names then aliases', () => {
    expect(completions(cmds, 'p')).toEqual(['pods', 'plugins', 'pvc', 'pv', 'po', 'pod', 'plugin', 'pvcs', 'persistentvolumeclaims', 'pvs', 'persistentvolumes']);
    expect(completions(cmds, 'ctx x')).toEqual([]);
  });
});

describe('keys', () => {
  const k = (o: Record<string, boolean> = {}) => ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...o });
  it('turns typed-ahead chunks into one key per character', () => {
    expect(normalize('jjk', k())).toEqual(['j', 'j', 'k']);
    expect(normalize('pods\r', k())).toEqual(['p', 'o', 'd', 's', 'enter']);
    expect(normalize('', k({ return: true }))).toEqual(['enter']);
    expect(normalize('d', k({ ctrl: true }))).toEqual(['ctrl-d']);
    expect(normalize('', k({ delete: true }))).toEqual(['backspace']);
    expect(normalize('', k({ tab: true, shift: true }))).toEqual(['backtab']);
    expect(normalize('N', k({ shift: true }))).toEqual(['N']);
  });
});

describe('text and time', () => {
  it('truncates, cuts the middle and wraps by cells', () => {
    expect(truncate('juicefs-csi-node-abcde', 10)).toBe('juicefs-c…');
    expect(middle('juicefs-n3-pvc-608fa696-vactwv', 20)).toBe('juicefs-n3-pv…vactwv');
    expect(truncate('世界世界', 5)).toBe('世界…');
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });
  it('squeezes the longest words of a sentence first, so its end stays on the line', () => {
    const name = 'juicefs-n3-pvc-e51588c5-d6de-4cbb-a132-c29966783565-buuzcn';
    const s = `mount pod ${name} on n3 is CrashLoopBackOff: its metadata engine is unreachable`;
    expect(squeezeWords(s, 200)).toBe(s);
    const fit = squeezeWords(s, 110);
    expect(fit).toBe('mount pod juicefs-n3-pvc-e51588c5-d…83565-buuzcn on n3 is CrashLoopBackOff: its metadata engine is unreachable');
    expect(fit.length).toBe(110);
    // Never below minWord: what still does not fit is left for the caller to truncate.
    expect(squeezeWords(s, 40, 24)).toMatch(/^mount pod juicefs-n3-pvc-\S{0,4}…\S+ on n3 is CrashLoopBackOff: its metadata engine is unreachable$/);
  });
  it('rounds ages like kubectl', () => {
    expect(formatAge(5_000)).toBe('5s');
    expect(formatAge(119_000)).toBe('119s');
    expect(formatAge(125_000)).toBe('2m');
    expect(formatAge(3 * 3600_000)).toBe('3h');
    expect(formatAge(50 * 3600_000)).toBe('2d');
  });
});

describe('ScreenWriter', () => {
  class FakeTty extends EventEmitter {
    columns = 80;
    rows = 24;
    out: string[] = [];
    write(s: string) {
      this.out.push(s);
      return true;
    }
  }
  const frame = (n: number, changed = -1, text = 'x') =>
    Array.from({ length: n }, (_, i) => (i === changed ? `row ${i} ${text}`.padEnd(80) : `row ${i} ${'·'.repeat(60)}`)).join('\n');

  it('paints the first frame whole, then only the changed line', () => {
    const tty = new FakeTty();
    const w = new ScreenWriter(tty, 0);
    w.write(frame(23));
    w.flush();
    expect(tty.out).toHaveLength(1);
    expect(tty.out[0]).toContain('\x1b[2J');
    const before = w.bytesWritten;
    w.write(frame(23, 5, 'CrashLoopBackOff'));
    w.flush();
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('\x1b[6;1H');
    expect(tty.out[1]).not.toContain('row 4');
    expect(w.bytesWritten - before).toBeLessThan(2048);
  });

  it('writes nothing for an unchanged frame and coalesces bursts', async () => {
    const tty = new FakeTty();
    const w = new ScreenWriter(tty, 10);
    w.write(frame(23));
    w.flush();
    w.write(frame(23));
    w.flush();
    expect(tty.out).toHaveLength(1);
    for (let i = 0; i < 20; i++) w.write(frame(23, 3, `v${i}`));
    await new Promise((r) => setTimeout(r, 30));
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('v19');
  });

  it('never writes the last terminal row and repaints after a resize', async () => {
    const tty = new FakeTty();
    const w = new ScreenWriter(tty, 0);
    w.write(frame(30));
    w.flush();
    expect(tty.out[0]).not.toContain('\x1b[24;1H');
    let resized = 0;
    w.on('resize', () => resized++);
    tty.rows = 30;
    tty.emit('resize');
    await new Promise((r) => setTimeout(r, 5));
    expect(resized).toBe(1);
    expect(tty.out.at(-1)).toContain('\x1b[2J');
    w.close();
    w.write(frame(30, 1));
    w.flush();
    expect(tty.out).toHaveLength(2);
  });
});
