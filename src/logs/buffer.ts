// A fixed-capacity ring of log lines: memory stays flat however fast a container writes. Every
// line gets a sequence number so a paused view can say how many lines arrived since.

export type LineKind = 'log' | 'marker' | 'error';

export interface LogLine {
  readonly seq: number;
  /** Epoch ms from the kubelet's timestamp (0 when unknown). */
  readonly ts: number;
  /** The timestamp exactly as the kubelet wrote it (RFC3339Nano), '' when unknown. */
  readonly tsText: string;
  readonly container: string;
  /** Sanitized text, capped in length. */
  readonly text: string;
  readonly kind: LineKind;
}

export class LogBuffer {
  private readonly ring: (LogLine | undefined)[];
  private start = 0;
  private size = 0;
  private nextSeq = 1;

  constructor(readonly capacity = 10_000) {
    this.ring = new Array(capacity);
  }

  push(line: Omit<LogLine, 'seq'>): LogLine {
    const l: LogLine = { ...line, seq: this.nextSeq++ };
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = l;
      this.size++;
    } else {
      this.ring[this.start] = l;
      this.start = (this.start + 1) % this.capacity;
    }
    return l;
  }

  get length(): number {
    return this.size;
  }

  /** Sequence number of the newest line (0 when empty). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Line i, 0 = oldest kept. */
  at(i: number): LogLine | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.ring[(this.start + i) % this.capacity];
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
  }
}
