// core/v1 Event <-> events.k8s.io/v1 Event. kube-apiserver stores one Event and serves it under
// both groups, renaming fields on the way; the simulator does the same so an event written
// through either API is visible (and watchable) through the other.
import type { KubeObject } from './types';

/** [core field, events.k8s.io/v1 field] pairs that carry the same value under another name. */
const RENAMED: Array<[string, string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];
const SAME = ['reportingInstance', 'action', 'reason', 'related', 'type', 'series'];

function rename(from: KubeObject, apiVersion: string, pairs: Array<[string, string]>): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: from.metadata, eventTime: from.eventTime ?? null };
  for (const k of SAME) if (from[k] !== undefined) out[k] = from[k];
  for (const [a, b] of pairs) if (from[a] !== undefined) out[b] = from[a];
  return out;
}

export function convertCoreEventToEventsV1(core: KubeObject): KubeObject {
  return rename(core, 'events.k8s.io/v1', RENAMED);
}

export function convertEventsV1ToCoreEvent(ev: KubeObject): KubeObject {
  const core = rename(ev, 'v1', RENAMED.map(([a, b]) => [b, a]));
  // core/v1 always has these; the apiserver fills them from the new fields.
  core.involvedObject ??= {};
  core.source ??= {};
  return core;
}
