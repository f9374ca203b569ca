// The in-process ObjectStore API that the demo world and tests program against: typed ApiError
// carrying the HTTP Status body, seeding vs API semantics, read-only stored objects, and watch
// delivery order when listeners write back into the store.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/sim/errors';
import { ObjectStore } from '../../src/sim/objects';
import type { KubeObject } from '../../src/sim/types';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

describe('ObjectStore in process', () => {
  it('throws ApiError with the Status the HTTP layer sends', () => {
    const s = new ObjectStore();
    s.create(ns('default'));
    s.create(cm('a'));
    const err = (() => {
      try {
        s.create(cm('a'));
      } catch (e) {
        return e;
      }
    })() as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe(409);
    expect(err.status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "a" already exists', reason: 'AlreadyExists', details: { name: 'a', kind: 'configmaps' }, code: 409 });
    expect(() => s.get('configmaps', 'default', 'nope')).toThrow('configmaps "nope" not found');
    expect(() => s.create({ ...cm('b'), metadata: { name: 'b', namespace: 'missing' } })).toThrow('namespaces "missing" not found');
  });

  it('creates with API semantics, or seeds objects as given', () => {
    const s = new ObjectStore();
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x', uid: 'given', creationTimestamp: '2020-01-01T00:00:00Z' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running' } };
    const seeded = s.create(pod, { seed: true });
    expect(seeded.metadata).toMatchObject({ uid: 'given', creationTimestamp: '2020-01-01T00:00:00Z', resourceVersion: '1', generation: 1 });
    expect(seeded.status).toEqual({ phase: 'Running' });
    s.create(ns('y'));
    const api = s.create({ ...pod, metadata: { ...pod.metadata, namespace: 'y' } });
    expect(api.metadata.uid).not.toBe('given');
    expect(api.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    // The caller's object is not kept: changing it later changes nothing stored.
    pod.status.phase = 'Failed';
    expect(s.get('pods', 'x', 'p').status.phase).toBe('Running');
  });

  it('resolves resources by plural, kind, short name and group', () => {
    const s = new ObjectStore();
    for (const r of ['pods', 'Pod', 'po', 'pod']) expect(s.info(r).plural).toBe('pods');
    expect(s.info('storageclasses.storage.k8s.io').kind).toBe('StorageClass');
    expect(s.info('events.events.k8s.io').group).toBe('events.k8s.io');
    expect(s.info('events').group).toBe('');
  });

  it('delivers changes in commit order to every watcher, even when a watcher writes', () => {
    const s = new ObjectStore();
    s.create(ns('default'));
    const seenA: string[] = [];
    const seenB: string[] = [];
    s.watch('configmaps', s.currentRv(), {}, (e) => {
      seenA.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`);
      // A controller reacting to a new object by creating another one.
      if (e.type === 'ADDED' && e.object.metadata.name === 'a') s.create(cm('a-child'));
    });
    s.watch('configmaps', s.currentRv(), {}, (e) => seenB.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`));
    s.create(cm('a'));
    s.update({ ...s.get('configmaps', 'default', 'a'), data: { k: 'v' } });
    expect(seenA).toEqual(['ADDED a 2', 'ADDED a-child 3', 'MODIFIED a 4']);
    expect(seenB).toEqual(seenA);
  });

  it('replays history from a resourceVersion and refuses compacted ones', () => {
    const s = new ObjectStore({ historySize: 3 });
    s.create(ns('default'));
    for (const n of ['a', 'b', 'c', 'd']) s.create(cm(n));
    const seen: string[] = [];
    s.watch('configmaps', 3, {}, (e) => seen.push(e.object.metadata.name));
    expect(seen).toEqual(['c', 'd']);
    expect(() => s.watch('configmaps', 1, {}, () => {})).toThrow('too old resource version: 1 (2)');
    s.compact();
    expect(() => s.watch('configmaps', 4, {}, () => {})).toThrow('too old resource version: 4 (5)');
  });
});

describe('deletion through updates', () => {
  it('deletes on removal of the last finalizer only when nothing but finalizers held it', () => {
    const s = new ObjectStore({ podDeletionDelayMs: 60_000 });
    s.create(ns('default'));
    const pod = (name: string, finalizers?: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', finalizers }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'i' }] } });
    // A graceful pod deletion in progress: a status update must not delete the pod.
    s.create(pod('graceful'));
    s.delete('pods', 'default', 'graceful', { gracePeriodSeconds: 30 });
    s.updateStatus({ ...s.get('pods', 'default', 'graceful'), status: { phase: 'Running' } });
    expect(s.get('pods', 'default', 'graceful').metadata.deletionTimestamp).toBeTruthy();
    // Held by a finalizer only: removing it completes the deletion.
    s.create(cm('held'));
    s.update({ ...s.get('configmaps', 'default', 'held'), metadata: { ...s.get('configmaps', 'default', 'held').metadata, finalizers: ['x/y'] } });
    s.delete('configmaps', 'default', 'held');
    const held = s.get('configmaps', 'default', 'held');
    expect(held.metadata.deletionGracePeriodSeconds).toBe(0);
    s.update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    expect(() => s.get('configmaps', 'default', 'held')).toThrow('not found');
    s.close();
  });
});
