// What the log pane shows and how it moves, outside React: which container (or all), previous
// instance, window, timestamps, wrap, autoscroll or a paused position, and the search. It owns
// the follower and starts it again when the choice of lines changes; the pane only draws it.
import { LogBuffer } from './buffer';
import { LOG_WINDOWS, LogFollower, type ContainerInfo, type LogClient, type StreamStatus } from './follower';

export const DEFAULT_LOG_LINES = 10_000;

export interface PaneTarget {
  readonly namespace: string;
  readonly pod: string;
}

export interface PodFacts {
  /** Containers to cycle through with `c`: regular ones first, then init containers. */
  readonly containers: readonly string[];
  readonly info: (container: string) => ContainerInfo | undefined;
}

export interface PaneModelOptions {
  readonly client: LogClient;
  readonly target: PaneTarget;
  /** The pod as the store sees it now; undefined once it is gone. */
  readonly pod: () => PodFacts | undefined;
  readonly container: string;
  readonly capacity?: number;
  readonly maxLineLength?: number;
  readonly retryMs?: number;
  readonly waitMs?: number;
  readonly onChange: () => void;
}

/** Case-insensitive unless the term has a capital letter (smart case). */
export function matcher(term: string): ((text: string) => number) & { readonly term: string; readonly fold: boolean } {
  const fold = term === term.toLowerCase();
  const f = (text: string) => (fold ? text.toLowerCase() : text).indexOf(term);
  return Object.assign(f, { term, fold });
}

export class LogPaneModel {
  readonly buffer: LogBuffer;
  private follower: LogFollower | null = null;
  container: string;
  all = false;
  previous = false;
  timestamps = false;
  wrap = false;
  windowIndex = 0;
  /** Following the newest line; false = paused at `topSeq`. */
  autoscroll = true;
  topSeq = 0;
  /** Rows of the top line scrolled past (wrapped lines taller than the view). */
  private addedAtPause = 0;
  /** Columns the unwrapped text is scrolled right. */
  hscroll = 0;
  search = '';
  /** The match the cursor is on (seq), 0 = none. */
  current = 0;
  private matchSeqs: number[] = [];
  private scanned = 0;
  private scannedEpoch = -1;
  private scannedTerm = '';
  /** The first line of the last layout (where a scroll starts from while following). */
  shownTop = 0;
  private stopped = false;

  constructor(private readonly o: PaneModelOptions) {
    this.buffer = new LogBuffer(o.capacity ?? DEFAULT_LOG_LINES);
    this.container = o.container;
  }

  start(): void {
    this.restart();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const f = this.follower;
    this.follower = null;
    await f?.stop();
  }

  /** The pod changed in the store: a waiting stream may attach now. */
  poke(): void {
    this.follower?.poke();
  }

  get target(): PaneTarget {
    return this.o.target;
  }

  containers(): readonly string[] {
    return this.o.pod()?.containers ?? [this.container];
  }

  /** What is being followed, for the title and the saved file's name. */
  get label(): string {
    return this.all ? '*' : this.container;
  }

  get window() {
    return LOG_WINDOWS[this.windowIndex];
  }

  status(): StreamStatus {
    return this.follower?.overall() ?? { state: 'connecting', message: '' };
  }

  /** Lines that arrived since the view paused. */
  get newLines(): number {
    return this.autoscroll ? 0 : this.buffer.added - this.addedAtPause;
  }

  private restart(): void {
    if (this.stopped) return;
    const old = this.follower;
    void old?.stop();
    this.buffer.clear();
    this.current = 0;
    this.resume();
    const containers = this.all ? this.containers() : [this.container];
    const f = new LogFollower(
      this.o.client,
      this.buffer,
      {
        namespace: this.o.target.namespace,
        pod: this.o.target.pod,
        containers,
        previous: this.previous,
        window: this.window,
        maxLineLength: this.o.maxLineLength,
        retryMs: this.o.retryMs,
        waitMs: this.o.waitMs,
        containerInfo: (c) => this.o.pod()?.info(c),
        podExists: () => this.o.pod() !== undefined,
      },
      () => {
        if (this.follower === f) this.o.onChange();
      },
    );
    this.follower = f;
    f.start();
  }

  /** The next container (from "all": the current one again); false when there is no other. */
  cycleContainer(): boolean {
    const list = this.containers();
    if (this.all) this.all = false;
    else {
      const next = list[(list.indexOf(this.container) + 1) % list.length] ?? this.container;
      if (next === this.container) return false;
      this.container = next;
    }
    this.restart();
    return true;
  }

  toggleAll(): void {
    this.all = !this.all;
    this.restart();
  }

  togglePrevious(): void {
    this.previous = !this.previous;
    this.restart();
  }

  setWindow(i: number): void {
    this.windowIndex = Math.max(0, Math.min(LOG_WINDOWS.length - 1, i));
    this.restart();
  }

  toggleAutoscroll(): void {
    if (this.autoscroll) this.pause(this.shownTop);
    else this.resume();
  }

  resume(): void {
    this.autoscroll = true;
  }

  pause(at: number): void {
    if (this.autoscroll) this.addedAtPause = this.buffer.added;
    this.autoscroll = false;
    this.topSeq = Math.max(this.buffer.firstSeq, at);
  }

  /** Scrolls by whole lines (negative = up). Scrolling pauses autoscroll. */
  scroll(lines: number): void {
    const from = this.autoscroll ? this.shownTop : this.topSeq;
    this.pause(from + lines);
  }

  toTop(): void {
    this.pause(this.buffer.firstSeq);
  }

  /** Keeps a paused position inside the buffer (old lines are dropped as new ones come). */
  clampTop(maxTop: number): void {
    if (this.autoscroll) return;
    this.topSeq = Math.max(this.buffer.firstSeq, Math.min(this.topSeq, maxTop));
  }

  // ---- search ----

  setSearch(term: string): void {
    this.search = term;
    this.current = 0;
  }

  /** Seqs of the kept lines that match, oldest first (updated incrementally as lines come). */
  matches(): readonly number[] {
    const b = this.buffer;
    if (!this.search) return (this.matchSeqs = []);
    if (this.scannedEpoch !== b.epoch || this.scannedTerm !== this.search) {
      this.matchSeqs = [];
      this.scanned = b.firstSeq - 1;
      this.scannedEpoch = b.epoch;
      this.scannedTerm = this.search;
    }
    const m = matcher(this.search);
    for (let seq = Math.max(this.scanned + 1, b.firstSeq); seq <= b.lastSeq; seq++) if (m(b.bySeq(seq)!.text) >= 0) this.matchSeqs.push(seq);
    this.scanned = b.lastSeq;
    let drop = 0;
    while (drop < this.matchSeqs.length && this.matchSeqs[drop] < b.firstSeq) drop++;
    if (drop) this.matchSeqs = this.matchSeqs.slice(drop);
    return this.matchSeqs;
  }

  /**
   * Moves to the next (1) or previous (-1) match from the current one (or from the lines in
   * view), pausing there; `room` places it a third down the view. False when nothing matches.
   */
  jump(dir: 1 | -1, room: number, visible?: { first: number; last: number }): boolean {
    const ms = this.matches();
    if (!ms.length) return false;
    let from = this.current;
    if (!from || !this.buffer.bySeq(from)) from = dir === 1 ? (visible?.first ?? this.buffer.firstSeq) - 1 : (visible?.last ?? this.buffer.lastSeq) + 1;
    const next = dir === 1 ? (ms.find((s) => s > from) ?? ms[0]) : (findLast(ms, (s) => s < from) ?? ms[ms.length - 1]);
    this.current = next;
    if (visible && next >= visible.first && next <= visible.last) return true;
    this.pause(next - Math.floor(room / 3));
    return true;
  }
}

function findLast<T>(a: readonly T[], f: (x: T) => boolean): T | undefined {
  for (let i = a.length - 1; i >= 0; i--) if (f(a[i])) return a[i];
  return undefined;
}
