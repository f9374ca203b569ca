// What every view may ask of the shell: the store and session, navigation, flash messages,
// context/namespace switches, and a pane below the current view (the log pane hosts itself there).
import type React from 'react';
import type { StoreReader } from '../store/store';
import type { ObjRef } from '../store/topology/refs';
import type { UiOptions, UiSession } from './session';
import type { Tone } from './theme';
import type { ObjectAction } from './actions';

export interface ViewContext {
  readonly store: StoreReader;
  readonly session: UiSession;
  readonly options: UiOptions;
  /** Keys that act on a selected object (logs, resize, delete …): see actions.ts. */
  readonly actions: readonly ObjectAction[];
  /** Opens the detail, tree or YAML of an object (a new history entry). */
  open(how: 'detail' | 'tree' | 'yaml', ref: ObjRef): void;
  flash(message: string, tone?: Tone): void;
  switchContext(name: string): void;
  switchNamespace(namespace: string | null): void;
  /** Shows a pane below the current view, replacing any open one; it gets the keys while open. */
  openPane(pane: Pane): void;
  closePane(): void;
}

export interface PaneProps {
  readonly width: number;
  readonly height: number;
  readonly fullscreen: boolean;
  toggleFullscreen(): void;
  close(): void;
  readonly ctx: ViewContext;
}

/** A pane (e.g. logs): it declares its keys with useViewKeys like any view. */
export interface Pane {
  readonly id: string;
  render(p: PaneProps): React.ReactNode;
}
