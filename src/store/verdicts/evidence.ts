// Evidence lines and pod-state predicates shared by the checks. Evidence is what a person would
// otherwise dig out with `kubectl describe`: container states, restarts, events, conditions.
import type { ContainerRec, EventRec, PodRec } from '../records';
import type { StoreReader } from '../store';
import { gist } from './signatures';

/** Waiting reasons that never resolve by themselves. */
const BAD_WAITING = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'InvalidImageName', 'ErrImageNeverPull']);

export function ago(now: number, t: number): string {
  if (!t) return 'unknown time';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)}m ago`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

const clip = (s: string, n = 300) => {
  const one = s.replace(/\s*\n\s*/g, ' | ');
  return one.length > n ? `${one.slice(0, n)}…` : one;
};

/** When the pod last became Ready (0 when it is not Ready). */
export function readySince(p: PodRec): number {
  const c = p.conditions.find((x) => x.type === 'Ready');
  return c && c.status === 'True' ? c.lastTransition || p.startTime || p.created : 0;
}

export function isReady(p: PodRec): boolean {
  return p.phase === 'Running' && p.ready && !p.deleting;
}

/** A pod in a state that does not fix itself: crash loops, image errors, failed containers. */
export function isBroken(p: PodRec): boolean {
  if (p.phase === 'Failed') return true;
  return p.containers.some(
    (c) => (c.state === 'waiting' && BAD_WAITING.has(c.reason)) || (c.state === 'terminated' && !c.init && (c.exitCode ?? 0) !== 0) || (c.restarts > 0 && !c.ready && !c.init),
  );
}

/** When a container's current instance started (0 when not running). */
export function containerStart(c: ContainerRec): number {
  return c.state === 'running' ? c.startedAt : 0;
}

function containerLine(c: ContainerRec, now: number): string | undefined {
  if (c.init && c.state === 'terminated' && c.exitCode === 0) return undefined;
  if (c.ready && c.restarts === 0) return undefined;
  const parts: string[] = [];
  if (c.state === 'waiting') parts.push(`waiting: ${c.reason || 'unknown reason'}${c.message ? ` (${clip(c.message, 200)})` : ''}`);
  else if (c.state === 'terminated') parts.push(`terminated: ${c.reason || 'exit'} code ${c.exitCode ?? '?'}${c.message ? ` (${clip(c.message, 200)})` : ''}`);
  else if (c.state === 'running') parts.push(c.ready ? `running since ${ago(now, c.startedAt)}` : `running, not ready (since ${ago(now, c.startedAt)})`);
  if (c.restarts) parts.push(`${c.restarts} restart${c.restarts === 1 ? '' : 's'}`);
  if (c.last) parts.push(`last exit ${c.last.exitCode ?? '?'} (${c.last.reason || 'terminated'}) ${ago(now, c.last.finishedAt)}${c.last.message ? `: ${clip(c.last.message, 300)}` : ''}`);
  return `container ${c.name}: ${parts.join('; ')}`;
}

/** Lines for every container that is not simply running and ready, plus the pod's own reason. */
export function podEvidence(p: PodRec, now: number): string[] {
  const out: string[] = [];
  out.push(`pod ${p.namespace}/${p.name} on ${p.node || '(unscheduled)'}: ${p.status}, ${p.readyCount}/${p.containerCount} ready${p.restarts ? `, ${p.restarts} restarts` : ''}`);
  if (p.reason || p.message) out.push(`pod status: ${[p.reason, clip(p.message)].filter(Boolean).join(': ')}`);
  for (const c of p.containers) {
    const l = containerLine(c, now);
    if (l) out.push(l);
  }
  const ready = p.conditions.find((c) => c.type === 'Ready' && c.status !== 'True' && c.message);
  if (ready) out.push(`condition Ready=${ready.status}: ${clip(ready.message)}`);
  return out;
}

export function eventLine(e: EventRec, now: number, prefix = ''): string {
  const count = e.count > 1 ? ` ×${e.count}` : '';
  return `${prefix}${e.type} ${e.reason}${count} (last ${ago(now, e.last)}): ${gist(e.message, 500)}`;
}

/** Events about an object seen at or after `since`, newest first. */
export function eventsSince(store: StoreReader, o: { kind: string; namespace: string; name: string; uid?: string }, since: number): EventRec[] {
  return store.eventsFor(o).filter((e) => e.last >= since);
}

/** Warning events about a pod that still count: after it was created, and after it last became Ready. */
export function podWarnings(store: StoreReader, p: PodRec): EventRec[] {
  const since = Math.max(p.created, readySince(p) + 1);
  return eventsSince(store, p, since).filter((e) => e.type === 'Warning');
}

/** The newest few event lines, deduplicated by reason and message. */
export function eventLines(events: readonly EventRec[], now: number, max = 4, prefix = ''): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of events) {
    const k = `${e.reason}\n${e.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(eventLine(e, now, prefix));
    if (out.length >= max) break;
  }
  return out;
}
