// The hooks through which views read state that lives outside React: the store (re-rendering
// only when a kind the view reads changes), the clock (ticking in coarse steps), the terminal size.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { KindName } from '../store/records';
import type { StoreReader, Change } from '../store/store';
import { inFirstSync } from '../store/sync';
import { versionsOf } from '../store/topology/memo';

interface Subscribable extends StoreReader {
  subscribe(fn: (c: Change) => void): () => void;
}

/**
 * A string that changes exactly when one of `kinds` changed in the store (or, with `status`, when
 * any kind's sync status changed). Use it as a memo dependency. It moves only at the paced
 * refreshes: a render for another reason (a key, the usage poller, the findings) reuses the data
 * of the last refresh instead of rebuilding it.
 */
export function useStoreVersion(store: Subscribable, kinds: readonly KindName[], status = false): string {
  const key = kinds.join(',');
  const [, force] = useState(0);
  // As memos read them: a Lease renewal alone changes nothing a view shows.
  const live = () => versionsOf(store, kinds);
  const seen = useRef<{ store: Subscribable; key: string; version: string }>(undefined);
  if (!seen.current || seen.current.store !== store || seen.current.key !== key) seen.current = { store, key, version: live() };
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    let duringSync = false;
    const schedule = (now = false) => {
      // Big lists cost a while to rebuild and draw: refresh no more often than keeps that under
      // 1/40 of the time, so that a busy cluster never starves the keyboard (nor the CPU).
      // While the first lists arrive, a few refreshes a second show the progress.
      duringSync = inFirstSync(store);
      const wait = now ? 0 : Math.max(0, last + Math.max(refreshInterval(), duringSync ? SYNC_REFRESH_MS : 0) - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        seen.current = { store, key, version: live() };
        force((n) => n + 1);
      }, wait);
      timer.unref?.();
    };
    const unsubscribe = store.subscribe((c) => {
      if (duringSync && !inFirstSync(store)) {
        // The first sync just ended: the complete view is drawn at once, not held back by pacing.
        if (timer) clearTimeout(timer);
        schedule(true);
        return;
      }
      if (timer) return;
      if ((status && c.status) || (kinds.some((k) => c.kinds.has(k)) && live() !== seen.current?.version)) schedule();
    });
    // A change between the render and this subscription is not missed.
    if (seen.current && seen.current.version !== live()) schedule();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, key, status]);
  return seen.current.version;
}

/** Least time between two refreshes of a view during the first sync. */
export const SYNC_REFRESH_MS = 500;

// The latest cost of a data refresh of a list (rows, sort, filter, the table and the frame drawn),
// measured by the browser.
let rebuildCost = 0;

export function noteRebuildCost(ms: number): void {
  rebuildCost = ms;
}

/** Least time between two data refreshes while changes keep coming (k9s redraws every 2 s). */
export const BUSY_REFRESH_MS = 1000;

/**
 * Minimum time between two data refreshes of a view: 40x the last refresh's cost (at most 2.5% of
 * a core), at least 1 s, at most 2 s. A list changing faster than once a second cannot be read
 * faster, and at 1k-10k pods under 100 updates/s 40x the cost alone meant 2-12 refreshes a
 * second; a change on a quiet cluster (none drawn in the last second) is drawn at once.
 */
export function refreshInterval(): number {
  return Math.min(2000, Math.max(BUSY_REFRESH_MS, rebuildCost * 40));
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
