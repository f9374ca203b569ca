// ctrl-d: delete one pod (a stuck mount pod, so that the driver recreates it; an app pod, so that
// its controller does) after `Delete pod ns/name? (y/N)`. The question comes once the server said
// the user may delete pods there; the deletion carries the pod's uid, so a pod recreated under the
// same name meanwhile is not the one deleted.
import React, { useEffect, useRef, useState } from 'react';
import type { PaneProps, ViewContext } from './context';
import type { ObjRef } from '../store/topology/refs';
import { useViewKeys } from './view-keys';
import { Dialog, dline, useCloseOnSwitch, messageLine, OTHER_KEYS, type DialogLine } from './dialog';
import { seg } from './pager';
import type { KeyBinding } from './keys';
import { restartPod, type RestartPod } from '../actions/restart';
import { READONLY_MESSAGE, type Access } from '../actions/types';
import { driverIndex } from '../store/topology/driver-index';

type Stage = 'ask' | 'sending' | 'failed';

export function DeleteDialog(p: PaneProps & { readonly pod: RestartPod; readonly role: string }) {
  const { ctx, pod } = p;
  const actions = ctx.session.actions;
  const id = `${pod.namespace}/${pod.name}`;
  const [, bump] = useState(0);
  const rerender = () => bump((n) => n + 1);
  const ui = useRef<{ stage: Stage; access: Access | 'checking' | undefined; error: string }>({ stage: 'ask', access: actions && !actions.readonly ? 'checking' : undefined, error: '' }).current;
  const alive = useRef(true);
  useCloseOnSwitch(p);
  useEffect(() => {
    if (actions && !actions.readonly) {
      void actions.access('delete', 'pods', pod.namespace).then((a) => {
        if (!alive.current) return;
        ui.access = a;
        rerender();
      });
    }
    return () => {
      alive.current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const access = ui.access && ui.access !== 'checking' ? ui.access : undefined;
  const cancel = () => {
    p.close();
    ctx.flash(`not deleted: ${id} (nothing was sent)`);
  };
  const yes = () => {
    if (!actions || !access?.allowed) return;
    ui.stage = 'sending';
    rerender();
    void actions.deletePod(pod.namespace, pod.name, { uid: pod.uid, action: 'delete' }).then((o) => {
      if (!alive.current) return;
      if (o.ok) {
        p.close();
        ctx.flash(`deleted pod ${id}${pod.recreatedBy ? `: ${pod.recreatedBy} recreates it` : ''}${o.logError ? ` (${o.logError})` : ''}`, o.logError ? 'warning' : 'info');
        return;
      }
      ui.stage = 'failed';
      ui.error = o.message;
      rerender();
    });
  };

  let bindings: KeyBinding[] = [];
  let fallback: ((name: string) => void) | undefined = () => {};
  if (ui.stage === 'ask' && access?.allowed) {
    bindings = [
      { keys: ['y', 'Y'], label: 'yes, delete', run: yes },
      { keys: ['n', ...OTHER_KEYS], label: 'no', run: cancel },
    ];
    fallback = cancel;
  } else if (ui.stage !== 'sending') {
    bindings = [{ keys: ['esc'], label: 'close', run: p.close }];
  }
  useViewKeys(bindings, true, fallback);

  const lines: DialogLine[] = [
    dline([seg(`${pod.status} on ${pod.node || '(not scheduled)'}`), seg(p.role ? ` · ${p.role}` : '', { dim: true })]),
    pod.recreatedBy ? dline(`recreated by ${pod.recreatedBy}`) : messageLine('no controller recreates this pod: once deleted it is gone for good', 'warning'),
  ];
  if (ui.access === 'checking') lines.push(dline([seg('checking permission…', { dim: true })], { keep: true }));
  else if (access && !access.allowed) lines.push(messageLine(access.reason, 'error', 'not possible: '));
  else if (ui.stage === 'failed') lines.push(messageLine(ui.error, 'error'));
  else if (ui.stage === 'sending') lines.push(dline(`deleting ${id}…`, { keep: true }));
  else {
    if (access?.unknown) lines.push(messageLine(access.reason, 'warning'));
    lines.push(dline([seg(`Delete pod ${id}? (y/N)`, { bold: true, tone: 'warning' })], { keep: true }));
  }
  return <Dialog title={`Delete pod ${id}`} lines={lines} width={p.width} height={p.height} />;
}

export function openDelete(ctx: ViewContext, ref: ObjRef): void {
  if (ctx.options.readonly || ctx.session.actions?.readonly) return ctx.flash(`delete: ${READONLY_MESSAGE}`, 'warning');
  if (!ctx.session.actions) return ctx.flash('actions are not available in this session', 'warning');
  const rec = ctx.store.get('Pod', ref.namespace, ref.name);
  if (!rec) return ctx.flash(`pod ${ref.namespace}/${ref.name} is gone`, 'warning');
  const cls = driverIndex(ctx.store).classOf(rec);
  const role = { app: 'app pod', mountPod: 'mount pod', nodePlugin: 'node plugin', controller: 'CSI controller', other: '' }[cls.role];
  const pod = restartPod(ctx.store, rec);
  ctx.openPane({ id: 'delete', render: (p) => <DeleteDialog {...p} pod={pod} role={role ? `${role}${cls.driver ? ` of ${cls.driver}` : ''}` : ''} /> });
}
