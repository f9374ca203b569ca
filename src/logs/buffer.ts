// A fixed-capacity ring of log lines: memory stays flat however fast a container writes. Every
// line gets a sequence number, contiguous in ring order (the line at position i has seq
// firstSeq + i), so a paused view can hold its place by seq and say how many lines arrived since.

export type LineKind = 'log' | 'marker' | 'error';

export interface LogLine {
  readonly seq: number;
  /** Epoch ms from the kubelet's timestamp (for markers: when they were written). */
  readonly ts: number;
  /** The timestamp exactly as the kubelet wrote it (RFC3339Nano), '' when unknown. */
  readonly tsText: string;
  readonly container: string;
  /** Sanitized text, capped in length. */
  readonly text: string;
  readonly kind: LineKind;
}

export type NewLine = Omit<LogLine, 'seq'>;

export class LogBuffer {
  private readonly ring: (LogLine | undefined)[];
  private start = 0;
  private size = 0;
  private nextSeq = 1;
  /** Lines ever added (not counting lines moved by a merge): "N new lines since you paused". */
  added = 0;
  /**
   * Bumped when lines already kept change place (a merge inserted older lines, or a clear):
   * whatever a reader derived by seq (search matches) must be rebuilt.
   */
  epoch = 0;

  constructor(readonly capacity = 10_000) {
    if (!(capacity >= 1)) throw new RangeError(`log buffer capacity must be at least 1, not ${capacity}`);
    this.ring = new Array(capacity);
  }

  push(line: NewLine): LogLine {
    this.added++;
    return this.put(line);
  }

  private put(line: NewLine): LogLine {
    const l: LogLine = { ts: line.ts, tsText: line.tsText, container: line.container, text: line.text, kind: line.kind, seq: this.nextSeq++ };
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = l;
      this.size++;
    } else {
      this.ring[this.start] = l;
      this.start = (this.start + 1) % this.capacity;
    }
    return l;
  }

  /**
   * Adds lines that are in time order among themselves, placing them among the kept lines by
   * `ts` (equal times keep arrival order): the "all containers" view, where one container's
   * backlog may arrive after another's newer lines. Lines moved by the merge get new seqs.
   */
  pushMerged(lines: readonly NewLine[]): void {
    if (!lines.length) return;
    this.added += lines.length;
    // Where the first new line goes: after every kept line not newer than it.
    let lo = 0;
    let hi = this.size;
    const t0 = lines[0].ts;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid)!.ts <= t0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.size) {
      for (const l of lines) this.put(l);
      return;
    }
    const moved = this.slice(lo, this.size);
    const first = this.firstSeq;
    this.size = lo;
    this.nextSeq = first + lo;
    this.epoch++;
    let i = 0;
    let j = 0;
    while (i < moved.length || j < lines.length) {
      if (j >= lines.length || (i < moved.length && moved[i].ts <= lines[j].ts)) this.put(moved[i++]);
      else this.put(lines[j++]);
    }
  }

  get length(): number {
    return this.size;
  }

  /** Sequence number of the newest line (firstSeq - 1 when empty). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Sequence number of the oldest kept line. */
  get firstSeq(): number {
    return this.nextSeq - this.size;
  }

  /** Line i, 0 = oldest kept. */
  at(i: number): LogLine | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.ring[(this.start + i) % this.capacity];
  }

  /** The line with this seq, if still kept. */
  bySeq(seq: number): LogLine | undefined {
    return this.at(seq - this.firstSeq);
  }

  /** Lines [from, to) by position, oldest first. */
  slice(from: number, to: number): LogLine[] {
    const out: LogLine[] = [];
    const end = Math.min(to, this.size);
    for (let i = Math.max(0, from); i < end; i++) out.push(this.ring[(this.start + i) % this.capacity]!);
    return out;
  }

  toArray(): LogLine[] {
    return this.slice(0, this.size);
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
    this.ring.fill(undefined);
    this.epoch++;
  }
}
