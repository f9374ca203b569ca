// `R`: restart the app pods behind a recreated mount pod (or a restarted node plugin) — the ones
// holding dead mounts — or the pods of a claim whose file system resize waits for a mount. The
// dialog lists every pod and what recreates it, asks y/N, and deletes them one by one. Pods that
// no controller recreates are listed and skipped unless `a` includes them.
import React, { useEffect, useRef, useState } from 'react';
import type { PaneProps, ViewContext } from './context';
import type { ObjRef } from '../store/topology/refs';
import { useViewKeys } from './view-keys';
import { currentTime } from './hooks';
import { Dialog, dline, useCloseOnSwitch, messageLine, OTHER_KEYS, type DialogLine } from './dialog';
import { seg } from './pager';
import type { KeyBinding } from './keys';
import { findingsView } from './selectors/findings';
import { restartPlan, type RestartPlan, type RestartPod } from '../actions/restart';
import { READONLY_MESSAGE, type Access, type Outcome } from '../actions/types';

type Stage = 'ask' | 'sending' | 'done';

interface RestartUi {
  stage: Stage;
  include: boolean;
  note: string;
  access: Map<string, Access | 'checking'>;
  results: Map<string, Outcome>;
}

const podId = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function RestartDialog(p: PaneProps & { readonly target: ObjRef; readonly plan: RestartPlan }) {
  const { ctx, plan } = p;
  const actions = ctx.session.actions;
  const [, bump] = useState(0);
  const rerender = () => bump((n) => n + 1);
  const namespaces = [...new Set(plan.pods.map((x) => x.namespace))];
  const asking = !!actions && !actions.readonly;
  const ui = useRef<RestartUi>({ stage: 'ask', include: false, note: '', access: new Map(asking ? namespaces.map((ns) => [ns, 'checking']) : []), results: new Map() }).current;
  const alive = useRef(true);
  useCloseOnSwitch(p);

  // May the user delete pods in each namespace involved? Asked before anything is offered.
  useEffect(() => {
    if (actions && asking) {
      for (const ns of namespaces) {
        void actions.access('delete', 'pods', ns).then((a) => {
          if (!alive.current) return;
          ui.access.set(ns, a);
          rerender();
        });
      }
    }
    return () => {
      alive.current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const denied = (x: RestartPod): string | undefined => {
    const a = ui.access.get(x.namespace);
    return a && a !== 'checking' && !a.allowed ? a.reason : undefined;
  };
  const checking = [...ui.access.values()].some((a) => a === 'checking');
  const uncontrolled = plan.pods.filter((x) => !x.recreatedBy);
  const chosen = plan.pods.filter((x) => (x.recreatedBy || ui.include) && !denied(x));

  const cancel = () => {
    p.close();
    ctx.flash('restart cancelled: nothing was sent');
  };
  const go = () => {
    if (!actions) return;
    if (checking) {
      ui.note = 'still asking the server whether you may delete pods; a moment';
      return rerender();
    }
    if (chosen.length === 0) {
      ui.note = uncontrolled.length && !ui.include ? 'no pod with a controller to restart: a includes the pods without one' : 'no pod you may delete';
      return rerender();
    }
    ui.stage = 'sending';
    rerender();
    void (async () => {
      for (const x of chosen) {
        const o = await actions.deletePod(x.namespace, x.name, { uid: x.uid, action: 'restart', reason: plan.reason });
        if (!alive.current) return;
        ui.results.set(x.uid, o);
        rerender();
      }
      ui.stage = 'done';
      const failed = [...ui.results.values()].filter((o) => !o.ok).length;
      const logError = [...ui.results.values()].find((o) => o.logError)?.logError;
      const done = failed ? `restart: ${failed} of ${plural(ui.results.size, 'pod')} not deleted` : `restarted ${plural(ui.results.size, 'pod')}: deleted, their controllers recreate them`;
      ctx.flash(`${done}${logError ? ` (${logError})` : ''}`, failed ? 'error' : logError ? 'warning' : 'info');
      rerender();
    })();
  };

  let bindings: KeyBinding[];
  let fallback: ((name: string) => void) | undefined;
  if (ui.stage === 'ask') {
    bindings = [
      { keys: ['y', 'Y'], label: 'yes, restart', run: go },
      ...(uncontrolled.length ? [{ keys: ['a'], label: ui.include ? 'skip uncontrolled' : 'include uncontrolled', help: 'also delete the pods no controller recreates (they are gone for good)', run: () => ((ui.include = !ui.include), (ui.note = ''), rerender()) }] : []),
      { keys: ['f'], label: 'full screen', footer: false, run: p.toggleFullscreen },
      { keys: ['n', ...OTHER_KEYS], label: 'no', run: cancel },
    ];
    fallback = cancel;
  } else if (ui.stage === 'sending') {
    bindings = [];
    fallback = () => {};
  } else {
    bindings = [
      { keys: ['esc'], label: 'close', run: p.close },
      { keys: ['f'], label: 'full screen', footer: false, run: p.toggleFullscreen },
    ];
    fallback = () => {};
  }
  useViewKeys(bindings, true, fallback);

  const lines: DialogLine[] = [messageLine(plan.reason)];
  for (const x of plan.pods) {
    const result = ui.results.get(x.uid);
    const no = denied(x);
    const picked = chosen.includes(x);
    const tag = result ? (result.ok ? '[deleted]' : '[failed] ') : picked ? (ui.stage === 'ask' ? '[delete] ' : '[…]     ') : '[skip]   ';
    const how = no ? `not allowed: ${no}` : x.recreatedBy ? `recreated by ${x.recreatedBy}` : `no controller: ${picked ? 'it will NOT come back' : 'skipped (a includes it)'}`;
    lines.push(
      dline([
        seg(`${tag} `, { bold: true, ...(result && !result.ok ? { tone: 'error' as const } : picked ? {} : { dim: true }) }),
        seg(podId(x), { bold: picked }),
        seg(` on ${x.node || '?'} · ${x.status} · `, { dim: true }),
        seg(how, no || (!x.recreatedBy && picked) ? { tone: 'warning' } : { dim: true }),
      ]),
    );
    if (result && !result.ok) lines.push(messageLine(result.message, 'error', '  '));
  }
  if (ui.stage === 'ask') {
    if (ui.note) lines.push(messageLine(ui.note, 'warning'));
    if (checking) lines.push(dline([seg('checking permission…', { dim: true })], { keep: true }));
    else if (chosen.length) {
      const lost = chosen.filter((x) => !x.recreatedBy).length;
      const one = chosen.length === 1;
      const fate = lost === 0 ? (one ? 'its controller recreates it' : 'their controllers recreate them') : lost === chosen.length ? `nothing recreates ${one ? 'it' : 'them'}` : `${lost} of them without a controller will not come back`;
      lines.push(dline([seg(`Delete ${plural(chosen.length, 'pod')} (${chosen.map(podId).join(', ')}); ${fate}? (y/N)`, { bold: true, tone: 'warning' })], { keep: true, wrap: true }));
    } else lines.push(dline([seg(uncontrolled.length ? 'No pod with a controller: a includes the others.' : 'No pod you may delete.', { tone: 'warning' })], { keep: true }));
  }
  return <Dialog title={`Restart ${plural(plan.pods.length, 'pod')} for ${p.target.kind === 'Pod' ? 'pod' : 'PVC'} ${podId(p.target)}`} lines={lines} width={p.width} height={p.height} more="f shows them all" />;
}

/** The restart plan of `ref` right now (undefined: nothing to restart). */
export function restartPlanOf(ctx: Pick<ViewContext, 'store'>, ref: ObjRef): RestartPlan | undefined {
  return restartPlan(ctx.store, findingsView(ctx.store).all, ref, currentTime());
}

/** Opens the restart dialog for `ref` (refusing under --readonly, or when there is nothing to restart). */
export function openRestart(ctx: ViewContext, ref: ObjRef): void {
  if (ctx.options.readonly || ctx.session.actions?.readonly) return ctx.flash(`restart: ${READONLY_MESSAGE}`, 'warning');
  if (!ctx.session.actions) return ctx.flash('actions are not available in this session', 'warning');
  const plan = restartPlanOf(ctx, ref);
  if (!plan) return ctx.flash(`nothing to restart for ${podId(ref)}`, 'warning');
  ctx.openPane({ id: 'restart', render: (p) => <RestartDialog {...p} target={ref} plan={plan} /> });
}
