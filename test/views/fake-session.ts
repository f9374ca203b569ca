// A UiSession over an in-memory store, for view tests and the dev entry: contexts and namespace
// switches are recorded, getObject returns the raw object the store was built from.
import type { UiSession } from '../../src/views/session';
import type { RawObject } from '../../src/store/project';
import type { KindName } from '../../src/store/records';
import { storeFromObjects } from '../../src/store/from-objects';
import type { Store } from '../../src/store/store';
import type { LogClient } from '../../src/logs/follower';

/** A log client with no logs: a followed stream stays open, empty, until aborted. */
export const emptyLogClient: LogClient = {
  stream: (_path, opts) =>
    new Promise((resolve) => {
      opts.onOpen?.();
      if (!opts.query?.follow || !opts.signal || opts.signal.aborted) return resolve();
      opts.signal.addEventListener('abort', () => resolve(), { once: true });
    }),
};

export interface FakeSession extends UiSession {
  readonly switches: string[];
  objects: RawObject[];
}

export function fakeSession(objects: RawObject[], o: { now?: number; store?: Store; contexts?: string[]; namespace?: string | null; logClient?: LogClient } = {}): FakeSession {
  const store = o.store ?? storeFromObjects(objects, { ...(o.now ? { now: () => o.now! } : {}), notifyMs: 5 });
  const listeners = new Set<() => void>();
  const s: FakeSession = {
    store,
    contextName: (o.contexts ?? ['kind-demo'])[0],
    serverVersion: 'v1.31.2',
    namespace: o.namespace === undefined ? null : o.namespace,
    switches: [],
    objects,
    logClient: o.logClient ?? emptyLogClient,
    contexts: () => o.contexts ?? ['kind-demo', 'prod-eu'],
    async switchContext(name) {
      s.switches.push(`ctx:${name}`);
      (s as { contextName: string }).contextName = name;
      for (const l of listeners) l();
    },
    async switchNamespace(ns) {
      s.switches.push(`ns:${ns ?? '*'}`);
      (s as { namespace: string | null }).namespace = ns;
      for (const l of listeners) l();
    },
    onSwitch(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async getObject(kind: KindName, namespace: string, name: string) {
      const obj = s.objects.find((x) => x.kind === kind && (x.metadata?.namespace ?? '') === namespace && x.metadata?.name === name);
      if (!obj) throw new Error(`${kind} ${namespace}/${name} not found`);
      return obj;
    },
  };
  return s;
}
