// The storage actions offered on selected objects (OBJECT_ACTIONS): `x` resize a claim (of a pod
// or volume too), `R` restart the pods holding stale mounts (or waiting on a file system resize),
// ctrl-d delete a pod. Each opens its dialog in the pane below the view; under --readonly each
// refuses with a message and sends nothing.
import type { ObjectAction } from './actions';
import type { StoreReader } from '../store/store';
import type { ObjRef } from '../store/topology/refs';
import type { ViewContext } from './context';
import { openResize } from './resize-dialog';
import { openRestart, restartPlanOf } from './restart-dialog';
import { openDelete } from './delete-dialog';
import { READONLY_MESSAGE } from '../actions/types';

const claimRef = (namespace: string, name: string): ObjRef => ({ kind: 'PersistentVolumeClaim', namespace, name });

/** The claims `x` resizes from `ref`: the claim itself, a pod's claims, a volume's claim. */
export function claimsOf(store: StoreReader, ref: ObjRef): ObjRef[] {
  if (ref.kind === 'PersistentVolumeClaim') return store.get('PersistentVolumeClaim', ref.namespace, ref.name) ? [claimRef(ref.namespace, ref.name)] : [];
  if (ref.kind === 'PersistentVolume') {
    const c = store.get('PersistentVolume', '', ref.name)?.claim;
    return c && store.get('PersistentVolumeClaim', c.namespace, c.name) ? [claimRef(c.namespace, c.name)] : [];
  }
  if (ref.kind !== 'Pod') return [];
  const pod = store.get('Pod', ref.namespace, ref.name);
  const names = [...new Set((pod?.volumes ?? []).map((v) => v.claim).filter((c): c is string => !!c))];
  return names.filter((n) => store.get('PersistentVolumeClaim', ref.namespace, n)).map((n) => claimRef(ref.namespace, n));
}

export const resizeAction: ObjectAction = {
  keys: ['x'],
  label: 'resize',
  help: 'resize the PVC (of a pod or volume: its PVC, chosen if several): validated, confirmed y/N, then followed live',
  appliesTo: (ref, store) => claimsOf(store, ref).length > 0,
  run: (ref, ctx) => {
    if (refuse(ctx, 'resize')) return;
    openResize(ctx, claimsOf(ctx.store, ref));
  },
};

export const restartAction: ObjectAction = {
  keys: ['R'],
  label: 'restart pods',
  help: 'restart the app pods holding dead mounts behind this mount pod or node plugin (or the pods a pending file system resize waits for): listed, confirmed y/N',
  appliesTo: (ref, store) => (ref.kind === 'Pod' || ref.kind === 'PersistentVolumeClaim') && !!restartPlanOf({ store }, ref),
  run: (ref, ctx) => openRestart(ctx, ref),
};

export const deleteAction: ObjectAction = {
  keys: ['ctrl-d'],
  label: 'delete',
  help: 'delete the pod (its controller, or the driver for mount pods, recreates it): confirmed y/N',
  appliesTo: (ref, store) => ref.kind === 'Pod' && !!store.get('Pod', ref.namespace, ref.name),
  run: (ref, ctx) => openDelete(ctx, ref),
};

function refuse(ctx: ViewContext, what: string): boolean {
  if (ctx.options.readonly || ctx.session.actions?.readonly) {
    ctx.flash(`${what}: ${READONLY_MESSAGE}`, 'warning');
    return true;
  }
  if (!ctx.session.actions) {
    ctx.flash('actions are not available in this session', 'warning');
    return true;
  }
  return false;
}

export const STORAGE_ACTIONS: readonly ObjectAction[] = [resizeAction, restartAction, deleteAction];
