// k8s.io/apimachinery/pkg/util/diff.Diff of v1.34, which validation messages append (e.g. the
// PVC "spec is immutable" error): a unified diff (context 3, no file header) of the two values
// as Go's json.MarshalIndent(v, "", " ") prints them, computed with go-difflib's
// SequenceMatcher. Ported line for line so the messages match the apiserver's exactly.

/** Go's json.Marshal string escaping on top of JSON.stringify's: <, >, & and U+2028/2029. */
function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** json.MarshalIndent(v, "", " ") for plain JSON values (maps print with sorted keys). */
export function goMarshalIndent(v: unknown): string {
  return goJsonEscape(JSON.stringify(sortMaps(v), null, 1));
}

/** Marks which objects are Go maps (sorted keys) rather than structs (field order kept). */
export class GoMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

function sortMaps(v: unknown): unknown {
  if (v instanceof GoMap) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v.entries).sort()) out[k] = sortMaps(v.entries[k]);
    return out;
  }
  if (Array.isArray(v)) return v.map(sortMaps);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = sortMaps(x);
    return out;
  }
  return v;
}

/** difflib.SplitLines: lines keep their "\n"; the last one gets one added. */
function splitLines(s: string): string[] {
  const lines = s.split(/(?<=\n)/);
  lines[lines.length - 1] += '\n';
  return lines;
}

interface Match {
  a: number;
  b: number;
  size: number;
}
type OpCode = [tag: 'r' | 'd' | 'i' | 'e', i1: number, i2: number, j1: number, j2: number];

class SequenceMatcher {
  private readonly b2j = new Map<string, number[]>();

  constructor(
    private readonly a: string[],
    private readonly b: string[],
  ) {
    b.forEach((s, i) => {
      const l = this.b2j.get(s);
      if (l) l.push(i);
      else this.b2j.set(s, [i]);
    });
    // autoJunk: popular lines of a long b are not used as match anchors.
    if (b.length >= 200) {
      const ntest = Math.floor(b.length / 100) + 1;
      for (const [s, idx] of [...this.b2j]) if (idx.length > ntest) this.b2j.delete(s);
    }
  }

  private longestMatch(alo: number, ahi: number, blo: number, bhi: number): Match {
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of this.b2j.get(this.a[i]) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = next;
    }
    // No junk (IsJunk unset); extend over equal lines as difflib does.
    while (besti > alo && bestj > blo && this.a[besti - 1] === this.b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && this.a[besti + bestsize] === this.b[bestj + bestsize]) bestsize++;
    return { a: besti, b: bestj, size: bestsize };
  }

  private matchingBlocks(): Match[] {
    const matched: Match[] = [];
    const rec = (alo: number, ahi: number, blo: number, bhi: number) => {
      const m = this.longestMatch(alo, ahi, blo, bhi);
      if (m.size > 0) {
        if (alo < m.a && blo < m.b) rec(alo, m.a, blo, m.b);
        matched.push(m);
        if (m.a + m.size < ahi && m.b + m.size < bhi) rec(m.a + m.size, ahi, m.b + m.size, bhi);
      }
    };
    rec(0, this.a.length, 0, this.b.length);
    const out: Match[] = [];
    let [i1, j1, k1] = [0, 0, 0];
    for (const m of matched) {
      if (i1 + k1 === m.a && j1 + k1 === m.b) k1 += m.size;
      else {
        if (k1 > 0) out.push({ a: i1, b: j1, size: k1 });
        [i1, j1, k1] = [m.a, m.b, m.size];
      }
    }
    if (k1 > 0) out.push({ a: i1, b: j1, size: k1 });
    out.push({ a: this.a.length, b: this.b.length, size: 0 });
    return out;
  }

  opCodes(): OpCode[] {
    let i = 0;
    let j = 0;
    const codes: OpCode[] = [];
    for (const m of this.matchingBlocks()) {
      const tag = i < m.a && j < m.b ? 'r' : i < m.a ? 'd' : j < m.b ? 'i' : undefined;
      if (tag) codes.push([tag, i, m.a, j, m.b]);
      i = m.a + m.size;
      j = m.b + m.size;
      if (m.size > 0) codes.push(['e', m.a, i, m.b, j]);
    }
    return codes;
  }

  groupedOpCodes(n: number): OpCode[][] {
    let codes = this.opCodes();
    if (!codes.length) codes = [['e', 0, 1, 0, 1]];
    const first = codes[0];
    if (first[0] === 'e') codes[0] = ['e', Math.max(first[1], first[2] - n), first[2], Math.max(first[3], first[4] - n), first[4]];
    const last = codes[codes.length - 1];
    if (last[0] === 'e') codes[codes.length - 1] = ['e', last[1], Math.min(last[2], last[1] + n), last[3], Math.min(last[4], last[3] + n)];
    const groups: OpCode[][] = [];
    let group: OpCode[] = [];
    for (const c of codes) {
      let [tag, i1, i2, j1, j2] = c;
      if (tag === 'e' && i2 - i1 > 2 * n) {
        group.push(['e', i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)]);
        groups.push(group);
        group = [];
        i1 = Math.max(i1, i2 - n);
        j1 = Math.max(j1, j2 - n);
      }
      group.push([tag, i1, i2, j1, j2]);
    }
    if (group.length && !(group.length === 1 && group[0][0] === 'e')) groups.push(group);
    return groups;
  }
}

function rangeUnified(start: number, stop: number): string {
  let beginning = start + 1;
  const length = stop - start;
  if (length === 1) return String(beginning);
  if (length === 0) beginning--;
  return `${beginning},${length}`;
}

/** difflib.GetUnifiedDiffString with Context 3 and no file names. */
export function unifiedDiff(aText: string, bText: string, context = 3): string {
  const a = splitLines(aText);
  const b = splitLines(bText);
  let out = '';
  for (const g of new SequenceMatcher(a, b).groupedOpCodes(context)) {
    const first = g[0];
    const last = g[g.length - 1];
    out += `@@ -${rangeUnified(first[1], last[2])} +${rangeUnified(first[3], last[4])} @@\n`;
    for (const [tag, i1, i2, j1, j2] of g) {
      if (tag === 'e') {
        for (const l of a.slice(i1, i2)) out += ` ${l}`;
        continue;
      }
      if (tag === 'r' || tag === 'd') for (const l of a.slice(i1, i2)) out += `-${l}`;
      if (tag === 'r' || tag === 'i') for (const l of b.slice(j1, j2)) out += `+${l}`;
    }
  }
  return out;
}

/** diff.Diff(a, b): both values marshalled as Go would, then diffed. */
export function goDiff(a: unknown, b: unknown): string {
  return unifiedDiff(goMarshalIndent(a), goMarshalIndent(b));
}
