// Events as client-go's event recorder writes them: the first occurrence creates a core/v1 Event
// named `<object>.<hex nanos>`; a repeat (same object, type, reason, message and source) bumps
// `count` and `lastTimestamp` of that Event instead of creating another.
import { iso, KObj } from './scenarios/kube';
import type { WorldApi } from './world-api';

export interface EventSource {
  component: string;
  host?: string;
}

const keyOf = (involvedUid: string, type: string, reason: string, message: string, src: EventSource) =>
  `${involvedUid}\n${type}\n${reason}\n${src.component}\n${src.host ?? ''}\n${message}`;

export class EventRecorder {
  /** Correlation key → namespace/name of the Event that holds it. */
  private readonly seen = new Map<string, { namespace: string; name: string }>();
  private seq = 0;

  constructor(private readonly api: WorldApi) {
    // Warnings the scenarios loaded are the recorder's history: repeats bump them. (Normal ones
    // are not remembered: at --scale they are most events and none of them repeats.)
    for (const e of api.list('Event')) {
      if (e.type !== 'Warning') continue;
      const k = keyOf(e.involvedObject?.uid ?? '', e.type, e.reason, e.message, e.source ?? { component: '' });
      this.seen.set(k, { namespace: e.metadata.namespace!, name: e.metadata.name });
    }
  }

  record(involved: KObj, type: 'Normal' | 'Warning', reason: string, message: string, src: EventSource, fieldPath?: string): void {
    const now = Date.now();
    const k = keyOf(involved.metadata.uid ?? '', type, reason, message, src);
    const prev = this.seen.get(k);
    const cur = prev && this.api.get('Event', prev.namespace, prev.name);
    if (cur) {
      this.api.update({ ...cur, count: (cur.count ?? 1) + 1, lastTimestamp: iso(now) });
      return;
    }
    const namespace = involved.metadata.namespace ?? 'default';
    const nanos = BigInt(now) * 1_000_000n + BigInt(++this.seq % 1_000_000);
    const name = `${involved.metadata.name}.${nanos.toString(16)}`;
    this.api.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        ...(involved.metadata.namespace ? { namespace: involved.metadata.namespace } : {}),
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion ?? '',
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: src.component, ...(src.host ? { host: src.host } : {}) },
      firstTimestamp: iso(now),
      lastTimestamp: iso(now),
      count: 1,
      type,
      eventTime: null,
      reportingComponent: src.component,
      reportingInstance: src.host ?? '',
    });
    this.seen.set(k, { namespace, name });
  }
}
