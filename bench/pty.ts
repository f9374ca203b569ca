// A real pseudo-terminal for the benchmarks, without native modules: `script -qfec CMD /dev/null`
// runs the program on a pty; what the program writes comes back on script's stdout, where every
// chunk is timestamped and counted, then parsed by an @xterm/headless terminal so the screen can
// be read; keys go in on script's stdin. The emulator's replies (device attributes, cursor
// position reports) are sent back like a real terminal's, so programs that ask (tcell) get answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import xterm from '@xterm/headless';

const { Terminal } = xterm;
type XTerm = InstanceType<typeof Terminal>;

export interface PtyOptions {
  /** argv of the program (the first element is looked up in PATH). */
  argv: readonly string[];
  cols: number;
  rows: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Single-quotes for sh. */
export const shq = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

interface Waiter {
  pred: (screen: string) => boolean;
  resolve: (t: number) => void;
}

export class Pty {
  readonly child: ChildProcess;
  readonly term: XTerm;
  readonly started = now();
  /** Bytes the program wrote to the terminal. */
  bytes = 0;
  /** Arrival time of the latest output chunk. */
  lastOutput = 0;
  private waiters: Waiter[] = [];
  private exited = false;
  private pidCache = 0;
  readonly exit: Promise<number | null>;

  constructor(readonly o: PtyOptions) {
    this.term = new Terminal({ cols: o.cols, rows: o.rows, allowProposedApi: true, scrollback: 0 });
    const cmd = `stty rows ${o.rows} cols ${o.cols}; exec ${o.argv.map(shq).join(' ')}`;
    this.child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      cwd: o.cwd,
      env: { ...process.env, TERM: 'xterm-256color', COLUMNS: undefined, LINES: undefined, CI: undefined, NO_COLOR: undefined, ...o.env } as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exit = new Promise((resolve) => this.child.on('exit', (code) => ((this.exited = true), resolve(code))));
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const t = now();
      this.bytes += chunk.length;
      this.lastOutput = t;
      this.term.write(chunk, () => this.check(t));
    });
    this.child.stderr!.on('data', () => {});
    // What the emulator answers (DA, DSR) goes to the program as a terminal's reply would.
    this.term.onData((d) => {
      if (!this.exited) this.child.stdin!.write(d);
    });
  }

  private check(t: number) {
    if (!this.waiters.length) return;
    const s = this.screen();
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(s)) return true;
      w.resolve(t);
      return false;
    });
  }

  /** The screen as text, one line per row (trailing blanks trimmed). */
  screen(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.o.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return out.join('\n');
  }

  /**
   * The screen with its colours and attributes (each run of cells that share them is prefixed by
   * them): changes that only move a highlight, as k9s's cursor does, show here and not in screen().
   */
  styledScreen(): string {
    const b = this.term.buffer.active;
    const cell = b.getNullCell();
    const out: string[] = [];
    for (let y = 0; y < this.o.rows; y++) {
      const line = b.getLine(b.viewportY + y);
      let s = '';
      let last = '';
      for (let x = 0; line && x < this.o.cols; x++) {
        line.getCell(x, cell);
        const attr = `${cell.getFgColorMode()}.${cell.getFgColor()}.${cell.getBgColorMode()}.${cell.getBgColor()}.${cell.isInverse()}.${cell.isBold()}.${cell.isUnderline()}`;
        if (attr !== last) s += `\x00${(last = attr)}\x00`;
        s += cell.getChars() || ' ';
      }
      out.push(s);
    }
    return out.join('\n');
  }

  /** Resolves with the arrival time of the chunk after which the screen satisfied `pred`. */
  waitFor(pred: (screen: string) => boolean, timeoutMs: number, what = 'the screen'): Promise<number> {
    if (pred(this.screen())) return Promise.resolve(now());
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.screen()}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Waits until nothing was written for `quietMs`; resolves with the last chunk's arrival time. */
  async quiet(quietMs: number, timeoutMs = 10_000): Promise<number> {
    const end = now() + timeoutMs;
    for (;;) {
      const gap = now() - this.lastOutput;
      if (gap >= quietMs) return this.lastOutput;
      if (now() > end) throw new Error(`output never went quiet for ${quietMs} ms`);
      await sleep(quietMs - gap + 1);
    }
  }

  /** Sends keys (raw bytes: 'j', '\r', '\x1b'). */
  send(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** The program's pid (script's child; `exec` keeps it through the sh). */
  async pid(timeoutMs = 10_000): Promise<number> {
    if (this.pidCache) return this.pidCache;
    const end = now() + timeoutMs;
    const want = this.o.argv[0].split('/').pop()!.slice(0, 15);
    while (now() < end) {
      try {
        const kids = readFileSync(`/proc/${this.child.pid}/task/${this.child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
        for (const k of kids) {
          if (readFileSync(`/proc/${k}/comm`, 'utf8').trim() === want) return (this.pidCache = k);
        }
      } catch {
        // not yet
      }
      await sleep(5);
    }
    throw new Error(`no ${want} process under script`);
  }

  /** Ends the program (SIGTERM, then SIGKILL) and script. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const pid = this.pidCache;
    try {
      if (pid) process.kill(pid, 'SIGTERM');
      else this.child.kill('SIGTERM');
    } catch {
      // gone
    }
    const t = setTimeout(() => {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
      this.child.kill('SIGKILL');
    }, 5000);
    await this.exit;
    clearTimeout(t);
    this.term.dispose();
  }
}

const TICK = 100; // CLK_TCK on Linux

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields after the comm: state(3) ... utime(14) stime(15), counted from 1 with pid and comm
  return (Number(f[11]) + Number(f[12])) / TICK;
}

/** Resident set size and its peak, in MiB. */
export function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** CPU (% of one core) and bytes written per second over a window. */
export async function sampleWindow(p: Pty, pid: number, ms: number): Promise<{ cpuPct: number; bytesPerS: number; bytes: number }> {
  const c0 = cpuSeconds(pid);
  const b0 = p.bytes;
  const t0 = now();
  await sleep(ms);
  const dt = (now() - t0) / 1000;
  const bytes = p.bytes - b0;
  return { cpuPct: ((cpuSeconds(pid) - c0) / dt) * 100, bytesPerS: bytes / dt, bytes };
}

export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export const median = (xs: readonly number[]) => percentile(xs, 50);
