// The detail view's content as lines: key fields, the findings on (or affecting) the object with
// their evidence, container states, events newest first, related objects (each a link), and
// conditions. Ordered for triage at 80x24: what is wrong comes before what is fine.
import type { AnyRecord, Condition, ContainerRec, EventRec, KindName } from '../store/records';
import type { StoreReader } from '../store/store';
import { driverIndex, relatedObjects } from '../store/topology';
import { lookup, refKey, type ObjRef } from '../store/topology/refs';
import type { Finding } from '../store/verdicts';
import { sanitize } from '../util/sanitize';
import { width as cells, wrap } from '../util/text';
import { age, ago } from '../util/time';
import { keyFields, type Field } from './detail-fields';
import { kindAfter, recordTone, shortKind } from './kinds';
import { line, seg, type PagerLine } from './pager';
import type { FindingsView } from './selectors/findings';
import type { Tone } from './theme';
import type { UsageView } from '../store/usage';
import { usageLines, usageText } from './selectors/usage';

/** Every kind the detail and tree read (they re-render when any changes). */
export const TREE_KINDS: readonly KindName[] = ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'Node', 'Event', 'Lease', 'DaemonSet', 'StatefulSet', 'Deployment'];

const MAX_EVENTS = 25;
const MAX_EVIDENCE = 5;
/** Lines one evidence item or container message may take (the YAML and events have the rest). */
const MAX_ITEM_LINES = 3;

export interface DetailInput {
  readonly store: StoreReader;
  readonly usage?: UsageView;
  /** ASCII-only drawing (--ascii): the usage bar uses # and -. */
  readonly ascii?: boolean;
  readonly ref: ObjRef;
  readonly findings: FindingsView;
  readonly now: number;
  readonly width: number;
}

const refName = (r: ObjRef) => (r.namespace ? `${r.namespace}/${r.name}` : r.name);

/** Wrapped text lines under an indent. */
function para(text: string, indent: number, width: number, o: { tone?: Tone; dim?: boolean; max?: number } = {}): PagerLine[] {
  const pad = ' '.repeat(indent);
  const { max, ...style } = o;
  let lines = wrap(sanitize(text), Math.max(20, width - indent - 3));
  if (max && lines.length > max) lines = [...lines.slice(0, max - 1), `${lines[max - 1]} …`];
  return lines.map((t) => line([seg(pad + t, style)]));
}

function heading(text: string, count?: number): PagerLine {
  return line([seg(count === undefined ? text : `${text} (${count})`, { bold: true })], { heading: true });
}

function fieldLines(fields: readonly Field[], width: number): PagerLine[] {
  const lw = Math.min(14, Math.max(...fields.map((x) => cells(x.label))) + 1);
  const out: PagerLine[] = [];
  for (const x of fields) {
    const text = wrap(sanitize(x.value), Math.max(20, width - lw - 6));
    text.forEach((t, i) => out.push(line([seg(i === 0 ? `${x.label}:`.padEnd(lw + 1) : ' '.repeat(lw + 1), { dim: true }), seg(t, { tone: x.tone })])));
  }
  return out;
}

function findingLines(f: Finding, self: ObjRef, width: number, now: number): PagerLine[] {
  const own = refKey(f.object) === refKey(self);
  // The code, then the one sentence that matters most, wrapped in full.
  const msg = wrap(sanitize(f.message), Math.max(20, width - 4 - cells(f.code) - 1));
  const out: PagerLine[] = [
    line([seg(`${f.code} `, { bold: true, tone: f.severity }), seg(msg[0], { tone: f.severity })], { tone: f.severity, ...(own ? {} : { target: f.object }) }),
    ...msg.slice(1).map((t) => line([seg(`${' '.repeat(cells(f.code) + 1)}${t}`, { tone: f.severity })])),
  ];
  if (!own) out.push(...para(`on ${shortKind(f.object.kind)} ${refName(f.object)}`, 4, width, { dim: true }));
  // The first evidence item is the verdict's reason (an event or log excerpt): it gets more room.
  f.evidence.slice(0, MAX_EVIDENCE).forEach((e, i) => out.push(...para(`· ${e}`, 4, width, { max: i === 0 ? 6 : MAX_ITEM_LINES })));
  if (f.evidence.length > MAX_EVIDENCE) out.push(line(`    … ${f.evidence.length - MAX_EVIDENCE} more`));
  const others = f.affects.filter((a) => refKey(a) !== refKey(self));
  if (others.length) out.push(...para(`affects ${others.slice(0, 6).map(refName).join(', ')}${others.length > 6 ? ` and ${others.length - 6} more` : ''}`, 4, width, { dim: true }));
  void now;
  return out;
}

function containerLines(c: ContainerRec, width: number, now: number): PagerLine[] {
  const state =
    c.state === 'running'
      ? `running${c.ready ? '' : ', not ready'}${c.startedAt ? ` since ${age(now, c.startedAt)}` : ''}`
      : c.state === 'waiting'
        ? `waiting: ${c.reason || '?'}`
        : c.state === 'terminated'
          ? `terminated: ${c.reason || 'exit'} (exit ${c.exitCode ?? '?'})`
          : 'unknown';
  const bad = (c.state === 'waiting' && c.reason !== 'PodInitializing' && c.reason !== 'ContainerCreating') || (c.state === 'terminated' && (c.exitCode ?? 0) !== 0) || (c.state === 'running' && !c.ready && !c.init);
  const tone: Tone | undefined = bad ? (c.state === 'running' ? 'warning' : 'error') : c.state === 'waiting' ? 'warning' : undefined;
  const out: PagerLine[] = [
    line([seg(`${c.init ? (c.sidecar ? 'sidecar ' : 'init ') : ''}${c.name}  `, { bold: true }), seg(state, { tone }), seg(c.restarts ? `  restarts ${c.restarts}` : '', { tone: c.restarts ? 'warning' : undefined }), seg(`  ${c.image}`, { dim: true })], { ...(tone ? { tone } : {}) }),
  ];
  if (c.message) out.push(...para(c.message, 4, width, { tone, max: MAX_ITEM_LINES }));
  if (c.last) out.push(...para(`last: ${c.last.reason || 'terminated'} exit ${c.last.exitCode ?? '?'} ${ago(now, c.last.finishedAt)}${c.last.message ? `: ${c.last.message}` : ''}`, 4, width, { dim: true, max: 4 }));
  return out;
}

function conditionLines(cs: readonly Condition[], width: number, now: number): PagerLine[] {
  const out: PagerLine[] = [];
  for (const c of cs) {
    const bad = (c.status !== 'True') !== /Pressure|Unavailable|Resiz|Error|Pending|Abnormal/.test(c.type);
    out.push(line([seg(`${c.type}=${c.status}`, { tone: bad ? 'warning' : undefined }), seg(`${c.reason ? `  ${c.reason}` : ''}${c.lastTransition ? `  ${ago(now, c.lastTransition)}` : ''}`, { dim: true })]));
    if (c.message) out.push(...para(c.message, 4, width, { dim: !bad }));
  }
  return out;
}

export function eventLines(events: readonly EventRec[], width: number, now: number, max = MAX_EVENTS): PagerLine[] {
  const out: PagerLine[] = [];
  for (const e of events.slice(0, max)) {
    const tone: Tone | undefined = e.type === 'Warning' ? 'warning' : undefined;
    out.push(line([seg(`${age(now, e.last).padStart(4)} `, { dim: true }), seg(`${e.type === 'Warning' ? 'Warning' : 'Normal '} ${e.reason}`, { tone, bold: true }), seg(e.count > 1 ? ` ×${e.count}` : '', { dim: true })], { ...(tone ? { tone } : {}) }));
    out.push(...para(e.message, 5, width));
  }
  if (events.length > max) out.push(line(`  … ${events.length - max} older events`, {}));
  return out;
}

/** The detail of a driver that may have no CSIDriver object: what the driver index knows. */
function driverFields(store: StoreReader, name: string): Field[] {
  const d = driverIndex(store).drivers.get(name);
  if (!d) return [{ label: 'Driver', value: 'unknown to csi-top (no CSIDriver, pods, PVs or classes name it)', tone: 'warning' }];
  const ready = (ps: readonly { ready: boolean; phase: string }[]) => ps.filter((p) => p.ready && p.phase === 'Running').length;
  const nodes = store.count('Node');
  const out: Field[] = [
    { label: 'Profile', value: d.profile.id },
    { label: 'Node plugins', value: `${ready(d.nodePlugins)}/${d.nodePlugins.length} ready`, ...(ready(d.nodePlugins) < d.nodePlugins.length ? { tone: 'warning' as Tone } : {}) },
    { label: 'Registered', value: `${d.registeredNodes.length}/${nodes} nodes` },
    { label: 'Controllers', value: `${ready(d.controllers)}/${d.controllers.length} ready` },
  ];
  if (d.mountPods.length) out.push({ label: 'Mount pods', value: `${ready(d.mountPods)}/${d.mountPods.length} ready` });
  if (!d.csiDriver) out.push({ label: 'CSIDriver', value: 'no CSIDriver object', tone: 'warning' });
  return out;
}

export interface DetailContent {
  readonly title: string;
  readonly status: string;
  readonly tone: Tone | undefined;
  readonly lines: PagerLine[];
  readonly found: boolean;
}

/** Bars for a PVC with numbers; for a pod, each of its claims (numbers or why there are none). */
function usageBlock(usage: UsageView, rec: AnyRecord | undefined, o: { width: number; now: number; ascii: boolean }): PagerLine[] {
  if (rec?.kind === 'PersistentVolumeClaim' && usage.get(rec.namespace, rec.name).sample) return [line(''), heading('Usage'), ...usageLines(usage, rec.namespace, rec.name, o)];
  if (rec?.kind !== 'Pod') return [];
  const claims = [...new Set(rec.volumes.map((v) => v.claim).filter((c): c is string => !!c))];
  if (!claims.length) return [];
  return [line(''), heading('Volume usage', claims.length), ...claims.flatMap((c) => usageLines(usage, rec.namespace, c, { ...o, title: `pvc/${c}` }))];
}

export function detailContent(inp: DetailInput): DetailContent {
  const { store, ref, findings, now, width } = inp;
  const rec: AnyRecord | undefined = lookup(store, ref);
  const title = `${shortKind(ref.kind)} ${refName(ref)}`;
  const isDriver = ref.kind === 'CSIDriver';
  if (!rec && !isDriver) {
    return { title, status: 'not found', tone: 'warning', found: false, lines: [line([seg('Not in the store: deleted, or a kind csi-top does not watch here.', { tone: 'warning' })]), line([seg('esc goes back', { dim: true })])] };
  }
  const lines: PagerLine[] = [];
  const fields = [...(rec ? keyFields(store, rec, now) : []), ...(isDriver ? driverFields(store, ref.name) : [])];
  if (rec?.kind === 'PersistentVolumeClaim' && inp.usage) {
    const u = usageText(inp.usage.get(rec.namespace, rec.name));
    fields.splice(Math.min(3, fields.length), 0, { label: 'Used', value: u.text, ...(u.tone ? { tone: u.tone } : {}) });
  }
  lines.push(...fieldLines(fields, width));

  const own = findings.on(ref);
  const affecting = findings.affecting(ref);
  if (own.length || affecting.length) {
    lines.push(line(''), heading('Findings', own.length + affecting.length));
    for (const f of [...own, ...affecting]) lines.push(...findingLines(f, ref, width, now));
  }
  if (inp.usage) lines.push(...usageBlock(inp.usage, rec, { width, now, ascii: !!inp.ascii }));

  if (rec?.kind === 'Pod') {
    lines.push(line(''), heading('Containers', rec.containers.length));
    for (const c of rec.containers) lines.push(...containerLines(c, width, now));
  }

  if (rec?.kind !== 'Event') {
    const events = store.eventsFor({ kind: ref.kind, namespace: ref.namespace, name: ref.name, ...(rec ? { uid: rec.uid } : {}) });
    lines.push(line(''), heading('Events', events.length));
    if (events.length) lines.push(...eventLines(events, width, now));
    else lines.push(line([seg('  none (events expire after an hour)', { dim: true })]));
  } else {
    lines.push(line(''), heading('Message'), ...para(rec.message, 2, width));
    const inv = rec.involved;
    lines.push(line(''), heading('Involved object'), line([seg(`  ${shortKind(inv.kind)} `), seg(refName(inv), { bold: true })], { target: { kind: inv.kind, namespace: inv.namespace, name: inv.name } }));
  }

  const related = relatedObjects(store, ref, { marks: findings.marks, limit: 30 });
  if (related.length) {
    lines.push(line(''), heading('Related', related.length));
    for (const r of related) {
      const target = { kind: r.kind, namespace: r.namespace, name: r.name };
      const tone = r.missing ? 'error' : findings.worst(target) ?? recordTone(lookup(store, target));
      lines.push(
        line([seg(`${'  '.repeat(r.depth)}${r.relation} `, { dim: true }), seg(kindAfter(r.relation, r.kind)), seg(r.name ? refName(r) : '', { bold: true }), seg(`  ${r.status}`, { tone })], {
          ...(tone ? { tone } : {}),
          ...(r.name && !r.missing ? { target } : {}),
        }),
      );
    }
  }

  const conditions = rec && 'conditions' in rec ? (rec.conditions as readonly Condition[]) : [];
  if (conditions.length) lines.push(line(''), heading('Conditions', conditions.length), ...conditionLines(conditions, width, now));
  if (rec && Object.keys(rec.labels).length) lines.push(line(''), heading('Labels'), ...para(Object.entries(rec.labels).map(([k, v]) => `${k}=${v}`).join('  '), 2, width, { dim: true }));

  const tone = findings.worst(ref) ?? recordTone(rec);
  const status = rec ? statusOf(rec) : '';
  return { title, status, tone, lines, found: true };
}

function statusOf(r: AnyRecord): string {
  switch (r.kind) {
    case 'Pod':
      return r.status;
    case 'PersistentVolumeClaim':
    case 'PersistentVolume':
      return r.phase;
    case 'Node':
      return r.ready === 'True' ? 'Ready' : 'NotReady';
    case 'Event':
      return `${r.type} ${r.reason}`;
    default:
      return '';
  }
}
