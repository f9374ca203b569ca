// The screen writer between Ink and the terminal. Ink runs in its `debug` mode, where every
// render hands over the whole frame as one string; this writer compares it with what is on the
// screen and rewrites only the lines that changed, with absolute cursor addressing, coalesced
// to at most one write per frame interval. So one changed row costs one line of output, an idle
// UI writes nothing, and a resize repaints everything once.
//
// Why not Ink's own incrementalRendering: in Ink 6.8 its relative cursor moves are one line off
// when the frame ends with a newline (every frame shorter than the terminal), which pushes the
// header off the screen; and a frame as tall as the terminal makes Ink clear the screen on
// every render.
import { EventEmitter } from 'node:events';

export interface ScreenTarget {
  write(s: string): unknown;
  readonly columns: number;
  readonly rows: number;
  on(event: 'resize', fn: () => void): unknown;
  off(event: 'resize', fn: () => void): unknown;
}

const SYNC_START = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';
const CLEAR = '\x1b[H\x1b[2J';
const ERASE_EOL = '\x1b[K';

/** Stand-in for stdout that Ink writes its frames to. */
export class ScreenWriter extends EventEmitter {
  readonly isTTY = true;
  private shown: string[] = [];
  private pending: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private repaint = true;
  private closed = false;
  /** Bytes written to the terminal so far (tests and benchmarks read it). */
  bytesWritten = 0;

  constructor(
    private readonly out: ScreenTarget,
    private readonly frameMs = 16,
  ) {
    super();
    out.on('resize', this.onResize);
  }

  get columns(): number {
    return this.out.columns || 80;
  }

  get rows(): number {
    return this.out.rows || 24;
  }

  /** Ink's render output: one full frame. */
  write(frame: string | Uint8Array, cb?: (() => void) | string, cb2?: () => void): boolean {
    const done = typeof cb === 'function' ? cb : cb2;
    if (!this.closed) {
      this.pending = typeof frame === 'string' ? frame : Buffer.from(frame).toString('utf8');
      this.schedule();
    }
    if (done) queueMicrotask(done);
    return true;
  }

  /** Writes the pending frame now (before exit, in tests). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === undefined || this.closed) return;
    const frame = this.pending;
    this.pending = undefined;
    this.lastFlush = Date.now();
    const out = this.diff(frame);
    if (out) {
      this.bytesWritten += Buffer.byteLength(out);
      this.out.write(out);
    }
  }

  /** Stops writing (the terminal is being restored). */
  close(): void {
    this.flush();
    this.closed = true;
    this.out.off('resize', this.onResize);
  }

  private schedule() {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.frameMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private diff(frame: string): string {
    const lines = frame.split('\n');
    const rows = this.rows;
    // Never write to the last row: a newline there would scroll the screen.
    if (lines.length > rows - 1) lines.length = rows - 1;
    let out = '';
    if (this.repaint) {
      out += CLEAR;
      this.shown = [];
      this.repaint = false;
    }
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === this.shown[i]) continue;
      out += `\x1b[${i + 1};1H${lines[i]}\x1b[0m${ERASE_EOL}`;
    }
    for (let i = lines.length; i < this.shown.length; i++) out += `\x1b[${i + 1};1H${ERASE_EOL}`;
    this.shown = lines;
    return out ? SYNC_START + out + SYNC_END : '';
  }

  private onResize = () => {
    this.repaint = true;
    // Ink and the shell re-layout for the new size; the next frame is drawn on a clean screen.
    this.emit('resize');
    if (this.pending === undefined) this.pending = this.shown.join('\n');
    this.schedule();
  };
}
