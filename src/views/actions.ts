// Keys that act on one object wherever it is selected: a list row, a detail page, a tree line.
// Features add their entry to OBJECT_ACTIONS (logs `l`, resize `x`, delete ctrl-d …); the
// browser, the detail and the tree offer every action that applies, in their footer and help.
import type { StoreReader } from '../store/store';
import type { ObjRef } from '../store/topology/refs';
import type { ViewContext } from './context';
import type { KeyBinding } from './keys';
import { STORAGE_ACTIONS } from './storage-actions';
import { logsAction } from './logs';

export interface ObjectAction {
  readonly keys: readonly string[];
  readonly label: string;
  readonly help: string;
  /** Whether the action makes sense for this object (kind, state). */
  appliesTo(ref: ObjRef, store: StoreReader): boolean;
  run(ref: ObjRef, ctx: ViewContext): void;
}

/** Every object action, in footer order. */
export const OBJECT_ACTIONS: readonly ObjectAction[] = [logsAction, ...STORAGE_ACTIONS];

/** The bindings of the actions that apply to `ref` (none without an object). */
export function actionBindings(ref: ObjRef | undefined, ctx: ViewContext): KeyBinding[] {
  if (!ref) return [];
  return ctx.actions.filter((a) => a.appliesTo(ref, ctx.store)).map((a) => ({ keys: a.keys, label: a.label, help: a.help, group: 'Actions', run: () => a.run(ref, ctx) }));
}
