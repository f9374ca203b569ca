// The hooks through which views read state that lives outside React: the store (re-rendering
// only when a kind the view reads changes), the clock (ticking in coarse steps), the terminal size.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { KindName } from '../store/records';
import type { StoreReader, Change } from '../store/store';

interface Subscribable extends StoreReader {
  subscribe(fn: (c: Change) => void): () => void;
}

/**
 * A string that changes exactly when one of `kinds` changed in the store (or, with `status`, when
 * any kind's sync status changed). Use it as a memo dependency.
 */
export function useStoreVersion(store: Subscribable, kinds: readonly KindName[], status = false): string {
  const key = kinds.join(',');
  const [, force] = useState(0);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const unsubscribe = store.subscribe((c) => {
      if (!((status && c.status) || kinds.some((k) => c.kinds.has(k)))) return;
      if (timer) return;
      // Big lists cost a while to rebuild and draw: refresh no more often than keeps that under
      // a twentieth of the time, so that a busy cluster never starves the keyboard (nor the CPU).
      const wait = Math.max(0, last + refreshInterval() - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        force((n) => n + 1);
      }, wait);
      timer.unref?.();
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, key, status]);
  return kinds.map((k) => store.version(k)).join('.');
}

// The latest cost of a data refresh of a list (rows, sort, filter, the table and the frame drawn),
// measured by the browser.
let rebuildCost = 0;

export function noteRebuildCost(ms: number): void {
  rebuildCost = ms;
}

/**
 * Minimum time between two data refreshes of a view: 20x the last refresh's cost (at most 5% of
 * the time), at most 2 s. At 10k pods under 100 updates/s that is about 5 refreshes a second.
 */
export function refreshInterval(): number {
  return Math.min(2000, rebuildCost * 20);
}

// One clock for the whole UI: a single timer, ticking every TICK_MS, only while someone listens.
const TICK_MS = 10_000;
let now = Date.now();
let timer: NodeJS.Timeout | undefined;
const clockListeners = new Set<() => void>();
let clockOverride: (() => number) | undefined;

function subscribeClock(fn: () => void): () => void {
  clockListeners.add(fn);
  if (!timer) {
    now = clockOverride ? clockOverride() : Date.now();
    timer = setInterval(() => {
      now = clockOverride ? clockOverride() : Date.now();
      for (const l of clockListeners) l();
    }, TICK_MS);
    timer.unref?.();
  }
  return () => {
    clockListeners.delete(fn);
    if (clockListeners.size === 0 && timer) (clearInterval(timer), (timer = undefined));
  };
}

/** The time, updated every 10 s: ages are rounded, so they do not need a redraw every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, () => (clockOverride ? clockOverride() : now));
}

/** Tests pin the clock (fixtures describe one moment). */
export function setClock(fn: (() => number) | undefined): void {
  clockOverride = fn;
  now = fn ? fn() : Date.now();
}

export function currentTime(): number {
  return clockOverride ? clockOverride() : Date.now();
}

/** The pinned time when tests pin the clock, else undefined (live). */
export function pinnedTime(): number | undefined {
  return clockOverride?.();
}

const noSubscribe = () => () => {};

/** A number that changes whenever volume usage changed (0 without usage). */
export function useUsageVersion(usage: { subscribe(fn: () => void): () => void; version(): number } | undefined): number {
  const subscribe = useMemo(() => (usage ? (fn: () => void) => usage.subscribe(fn) : noSubscribe), [usage]);
  return useSyncExternalStore(subscribe, () => usage?.version() ?? 0);
}

/** Terminal columns and rows, following resizes. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize((s) => {
      const n = read();
      return n.columns === s.columns && n.rows === s.rows ? s : n;
    });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout]);
  return size;
}
