// `x`: the resize dialog, in the pane below the view. It shows the claim (capacity, request, class
// and whether it allows expansion, driver, pods), asks the server whether the user may patch
// claims there before offering anything, validates the typed size (quantity grammar, larger than
// the request), asks `Resize ns/name old → new? (y/N)` and on `y` sends exactly one merge patch.
// Then it follows the expansion live from the store until done or failed; a pending file system
// resize offers to restart the pods using the claim.
import React, { useEffect, useRef, useState } from 'react';
import type { PaneProps } from './context';
import type { ObjRef } from '../store/topology/refs';
import type { EventRec, PVCRec } from '../store/records';
import type { StoreReader } from '../store/store';
import { useViewKeys } from './view-keys';
import { currentTime, useNow, useStoreVersion } from './hooks';
import { Dialog, dline, useCloseOnSwitch, isChar, messageLine, OTHER_KEYS, type DialogLine } from './dialog';
import { seg, type Seg } from './pager';
import type { KeyBinding } from './keys';
import { checkSize, claimFacts, resizeBlocker, type ClaimFacts } from '../actions/resize';
import { claimResize, pendingAdvice, type ResizeStage } from '../actions/resize-state';
import type { Access } from '../actions/types';
import { compareQuantities, parseQuantity } from '../util/quantity';
import { ago } from '../util/time';
import { openRestart } from './restart-dialog';

type Stage = 'choose' | 'edit' | 'confirm' | 'sending' | 'sent';

interface ResizeUi {
  stage: Stage;
  claim: ObjRef | undefined;
  cursor: number;
  text: string;
  /** Validation, cancellation or the server's refusal (verbatim). */
  note: { text: string; tone?: Seg['tone'] } | undefined;
  /** The question being asked. */
  pending: { old: string; size: string } | undefined;
  sent: { old: string; size: string } | undefined;
  access: Access | 'checking' | undefined;
}

const KINDS = ['PersistentVolumeClaim', 'StorageClass', 'PersistentVolume', 'Pod', 'Event'] as const;
const TRAIL: readonly { stage: ResizeStage; label: string }[] = [
  { stage: 'requested', label: 'requested' },
  { stage: 'expanding', label: 'expanding' },
  { stage: 'fs-pending', label: 'FileSystemResizePending' },
  { stage: 'done', label: 'done' },
];

export function ResizeDialog(p: PaneProps & { readonly claims: readonly ObjRef[] }) {
  const { ctx } = p;
  const store = ctx.session.store;
  const actions = ctx.session.actions;
  const readonly = ctx.options.readonly || !!actions?.readonly;
  useStoreVersion(store, KINDS);
  useNow();
  const now = currentTime();
  const [, bump] = useState(0);
  const rerender = () => bump((n) => n + 1);
  const one = p.claims.length === 1;
  // 'checking' from the first frame: nothing is offered before the server answered.
  const ui = useRef<ResizeUi>({ stage: one ? 'edit' : 'choose', claim: one ? p.claims[0] : undefined, cursor: 0, text: '', note: undefined, pending: undefined, sent: undefined, access: one && actions && !readonly ? 'checking' : undefined }).current;
  const alive = useRef(true);
  useCloseOnSwitch(p);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  // Ask the server before offering the action (never under --readonly).
  const claimKey = ui.claim ? `${ui.claim.namespace}/${ui.claim.name}` : '';
  useEffect(() => {
    if (!ui.claim || !actions || readonly) return;
    void actions.access('patch', 'persistentvolumeclaims', ui.claim.namespace).then((a) => {
      if (!alive.current) return;
      ui.access = a;
      rerender();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [claimKey]);

  const facts = ui.claim ? claimFacts(store, ui.claim.namespace, ui.claim.name) : undefined;
  const access = ui.access && ui.access !== 'checking' ? ui.access : undefined;
  const blocker = facts ? (actions ? resizeBlocker(facts, { readonly, ...(access ? { access } : {}) }) : 'actions are not available in this session') : undefined;
  const id = ui.claim ? `${ui.claim.namespace}/${ui.claim.name}` : '';

  const note = (text: string, tone?: Seg['tone']) => {
    ui.note = { text, ...(tone ? { tone } : {}) };
    rerender();
  };
  const submit = () => {
    if (!facts?.pvc) return note(blocker ?? `PVC ${id} is gone`, 'error');
    if (blocker) return note(blocker, 'error');
    if (ui.access === 'checking') return note('still asking the server whether you may patch claims here; a moment', 'warning');
    const c = checkSize(ui.text, facts.pvc);
    if (!c.ok) return note(c.message, 'error');
    ui.pending = { old: facts.pvc.requested, size: c.size };
    ui.stage = 'confirm';
    ui.note = undefined;
    rerender();
  };
  const cancel = () => {
    ui.stage = 'edit';
    ui.pending = undefined;
    note('cancelled: nothing was sent');
  };
  const confirm = () => {
    const q = ui.pending;
    if (!q || !ui.claim || !actions) return;
    // The claim may have changed while the question was on screen: judge it again as it is now.
    const live = claimFacts(store, ui.claim.namespace, ui.claim.name);
    const again = resizeBlocker(live, { readonly, ...(access ? { access } : {}) });
    const check = live.pvc ? checkSize(q.size, live.pvc) : undefined;
    if (again || !check?.ok || live.pvc?.requested !== q.old) {
      ui.stage = 'edit';
      ui.pending = undefined;
      return note(again ?? (check && !check.ok ? check.message : `PVC ${id} changed while you were confirming (request now ${live.pvc?.requested}): nothing was sent`), 'error');
    }
    ui.stage = 'sending';
    ui.note = undefined;
    rerender();
    void actions.resizeClaim(ui.claim.namespace, ui.claim.name, q.size).then((o) => {
      if (!alive.current) return;
      ui.pending = undefined;
      if (o.ok) {
        ui.stage = 'sent';
        ui.sent = q;
        ctx.flash(`resize of ${id} to ${q.size} sent${o.logError ? ` (${o.logError})` : ''}`, o.logError ? 'warning' : 'info');
      } else {
        ui.stage = 'edit';
        ui.note = { text: o.message, tone: 'error' };
      }
      rerender();
    });
  };

  const claimRows: PVCRec[] = p.claims.map((c) => store.get('PersistentVolumeClaim', c.namespace, c.name)).filter((c): c is PVCRec => !!c);
  const close: KeyBinding = { keys: ['esc'], label: 'close', help: 'close the dialog', run: p.close };
  const full: KeyBinding = { keys: ['f'], label: 'full screen', footer: false, help: 'the dialog full screen (again: back)', run: p.toggleFullscreen };
  let bindings: KeyBinding[] = [];
  let fallback: ((name: string) => void) | undefined;
  switch (ui.stage) {
    case 'choose': {
      const move = (d: number) => () => ((ui.cursor = Math.max(0, Math.min(claimRows.length - 1, ui.cursor + d))), rerender());
      bindings = [
        {
          keys: ['enter'],
          label: 'resize this one',
          run: () => {
            const c = claimRows[ui.cursor];
            if (!c) return;
            ui.claim = { kind: 'PersistentVolumeClaim', namespace: c.namespace, name: c.name };
            ui.stage = 'edit';
            if (actions && !readonly) ui.access = 'checking';
            rerender();
          },
        },
        { keys: ['down', 'j'], label: 'down', footer: false, run: move(1) },
        { keys: ['up', 'k'], label: 'up', footer: false, run: move(-1) },
        close,
        full,
      ];
      break;
    }
    case 'edit':
      bindings = [
        { keys: ['enter'], label: 'check and confirm', help: 'validate the size, then ask y/N', run: submit },
        { keys: ['backspace'], label: 'erase', footer: false, run: () => ((ui.text = ui.text.slice(0, -1)), (ui.note = undefined), rerender()) },
        { keys: ['ctrl-u'], label: 'clear', footer: false, run: () => ((ui.text = ''), (ui.note = undefined), rerender()) },
        close,
      ];
      fallback = (name) => {
        if (blocker) return;
        if (name === 'space') ui.text += ' ';
        else if (isChar(name)) ui.text += name;
        else return;
        ui.note = undefined;
        rerender();
      };
      break;
    case 'confirm':
      bindings = [
        { keys: ['y', 'Y'], label: 'yes, resize', run: confirm },
        { keys: ['n', ...OTHER_KEYS], label: 'no', run: cancel },
      ];
      fallback = cancel;
      break;
    case 'sending':
      bindings = [];
      fallback = () => {};
      break;
    case 'sent': {
      const state = facts?.pvc ? claimResize(store, facts.pvc, now) : undefined;
      bindings = [
        ...(state?.stage === 'fs-pending' && facts && facts.pods.length
          ? [{ keys: ['R'], label: 'restart its pods', help: 'restart the pods using the claim so that the file system grows', run: () => openRestart(ctx, { kind: 'PersistentVolumeClaim', namespace: facts.namespace, name: facts.name }) }]
          : []),
        close,
        full,
      ];
      fallback = () => {};
      break;
    }
  }
  useViewKeys(bindings, true, fallback);

  const lines: DialogLine[] = [];
  if (ui.stage === 'choose') {
    lines.push(dline('This pod uses several claims: choose the one to resize (enter).', { keep: true }));
    claimRows.forEach((c, i) => lines.push(dline([seg(`${i === ui.cursor ? '>' : ' '} ${c.namespace}/${c.name}`, { bold: i === ui.cursor, inverse: i === ui.cursor }), seg(`  ${c.capacity || '-'} of ${c.requested} requested · ${c.storageClass || 'no class'}`, { dim: true })])));
    return <Dialog title="Resize PVC" lines={lines} width={p.width} height={p.height} more="f shows them all" />;
  }
  if (facts) lines.push(...claimLines(facts));
  const checking = ui.access === 'checking';
  if (ui.stage === 'edit' || ui.stage === 'confirm') {
    const cursor = ui.stage === 'edit' && !blocker ? seg(' ', { inverse: true }) : seg('');
    lines.push(
      dline(
        [
          seg('New size: ', { bold: true, dim: !!blocker }),
          seg(ui.text, { dim: !!blocker }),
          cursor,
          seg(`   current request ${facts?.pvc?.requested || '?'}${facts?.pvc?.capacity && facts.pvc.capacity !== facts.pvc.requested ? `, capacity ${facts.pvc.capacity}` : ''}`, { dim: true }),
          ...(checking ? [seg('   checking permission…', { dim: true })] : []),
        ],
        { keep: true },
      ),
    );
    if (blocker) lines.push(messageLine(blocker, 'error', 'not possible: '));
    else if (ui.note) lines.push(messageLine(ui.note.text, ui.note.tone));
    else if (access?.unknown) lines.push(messageLine(access.reason, 'warning'));
    if (ui.stage === 'confirm' && ui.pending) lines.push(dline([seg(`Resize ${id} ${ui.pending.old} → ${ui.pending.size}? (y/N)`, { bold: true, tone: 'warning' })], { keep: true, wrap: true }));
  }
  if (ui.stage === 'sending' && ui.pending) lines.push(dline(`sending the resize of ${id} to ${ui.pending.size}…`, { keep: true }));
  if (ui.stage === 'sent' && ui.sent && facts) lines.push(...progressLines(store, facts, ui.sent, now));
  return <Dialog title={`Resize PVC ${id}`} lines={lines} width={p.width} height={p.height} />;
}

function claimLines(f: ClaimFacts): DialogLine[] {
  const pvc = f.pvc;
  if (!pvc) return [messageLine(`PVC ${f.namespace}/${f.name} is not in the store (deleted?)`, 'error')];
  const cls = !pvc.storageClass ? 'no StorageClass' : f.sc ? `class ${pvc.storageClass} ${f.sc.allowVolumeExpansion ? '(allows expansion)' : '(no expansion)'}` : `class ${pvc.storageClass} (not found)`;
  const pods = f.pods.length ? `used by ${f.pods.map((p) => `${p.namespace}/${p.name} (${p.status})`).join(', ')}` : 'used by no pod';
  return [
    dline([seg(`${pvc.phase}`, pvc.phase === 'Bound' ? {} : { tone: 'warning' }), seg(` · capacity ${pvc.capacity || '-'} · requested ${pvc.requested}`)]),
    dline([seg(cls, f.sc && !f.sc.allowVolumeExpansion ? { tone: 'warning' } : {}), seg(` · driver ${f.driver || '-'}`)]),
    dline([seg(pods, { dim: true })]),
  ];
}

/** After the patch: the trail requested → expanding → FileSystemResizePending → done, live. */
function progressLines(store: StoreReader, f: ClaimFacts, sent: { old: string; size: string }, now: number): DialogLine[] {
  const pvc = f.pvc;
  if (!pvc) return [messageLine(`PVC ${f.namespace}/${f.name} is gone`, 'error')];
  const state = claimResize(store, pvc, now);
  const reached = reachedSize(pvc.capacity, sent.size);
  const stage: ResizeStage | undefined = reached && state.stage !== 'failed' ? 'done' : (state.stage ?? (reached ? 'done' : 'requested'));
  const at = TRAIL.findIndex((t) => t.stage === (stage === 'node-expanding' ? 'fs-pending' : stage));
  const trail: Seg[] = [seg('Progress: ', { bold: true })];
  TRAIL.forEach((t, i) => {
    if (i) trail.push(seg(' → ', { dim: true }));
    trail.push(seg(t.label, i === at && stage !== 'failed' ? { bold: true, inverse: true } : i < at ? {} : { dim: true }));
  });
  if (stage === 'failed') trail.push(seg('  failed', { tone: 'error', bold: true }));
  const out: DialogLine[] = [dline(`sent: spec.resources.requests.storage ${sent.old} → ${sent.size}`), dline(trail, { keep: true })];
  if (stage === 'done') out.push(messageLine(`done: capacity ${pvc.capacity}`, 'ok'));
  else if (stage === 'failed') out.push(messageLine(`${state.explain ?? 'failed'}${state.message ? `: ${state.message}` : ''}`, 'error'));
  else if (stage === 'fs-pending') out.push(messageLine(pendingAdvice(f.pods), 'warning'));
  else if (state.explain) out.push(messageLine(state.explain));
  // Event times have whole seconds: among the newest, the one written last (resourceVersion) wins.
  const e = store.eventsFor(pvc).reduce<EventRec | undefined>((a, b) => (!a || b.last > a.last || (b.last === a.last && Number(b.resourceVersion) > Number(a.resourceVersion)) ? b : a), undefined);
  if (e) out.push(dline([seg(`last event ${ago(now, e.last)}: ${e.reason} ${e.message}`, { dim: true })]));
  return out;
}

function reachedSize(capacity: string, size: string): boolean {
  try {
    return !!capacity && compareQuantities(parseQuantity(capacity), parseQuantity(size)) >= 0;
  } catch {
    return false;
  }
}

/** Opens the resize dialog for these claims (or refuses under --readonly). */
export function openResize(ctx: PaneProps['ctx'], claims: readonly ObjRef[]): void {
  ctx.openPane({ id: 'resize', render: (p) => <ResizeDialog {...p} claims={claims} /> });
}
