// How the current view hands its key table to the shell: the shell dispatches key presses to it
// and draws the footer and the `?` help from it, so the three can never disagree.
import { createContext, useContext, useEffect } from 'react';
import type { KeyBinding, KeyTable } from './keys';

export interface KeyRegistry {
  /** The latest table of the current view (read at key press time). */
  current: KeyTable;
  /** Tells the shell the footer may have changed. */
  changed(): void;
}

export const KeyRegistryContext = createContext<KeyRegistry>({ current: { bindings: [] }, changed: () => {} });

/** Declares the current view's keys; call it on every render with the bindings of that render. */
export function useViewKeys(bindings: readonly KeyBinding[], exclusive = false, fallback?: (name: string) => void): void {
  const reg = useContext(KeyRegistryContext);
  reg.current = fallback ? { bindings, exclusive, fallback } : { bindings, exclusive };
  const signature = `${exclusive}|${bindings.map((b) => `${b.keys[0]}:${b.label}:${b.footer !== false}`).join(',')}`;
  useEffect(() => {
    reg.changed();
  }, [reg, signature]);
}
