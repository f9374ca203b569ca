// Which pods R restarts, from the findings and the topology of the scenarios.
import { describe, expect, it } from 'vitest';
import { buildScenarios } from '../../src/sim/scenarios';
import { storeFromObjects } from '../../src/store/from-objects';
import type { RawObject } from '../../src/store/project';
import { computeFindings } from '../../src/store/verdicts';
import { driverIndex } from '../../src/store/topology/driver-index';
import { recreator, restartPlan } from '../../src/actions';

const NOW = Date.parse('2026-05-10T12:00:00Z');
const store = storeFromObjects(buildScenarios('all', { now: NOW, seed: 1 }).objects as unknown as RawObject[], { now: () => NOW });
const findings = computeFindings(store, { now: NOW });
const pods = store.list('Pod');
const ref = (p: { namespace: string; name: string }) => ({ kind: 'Pod', namespace: p.namespace, name: p.name });
const stalePod = pods.find((p) => p.namespace === 'web' && p.node === 'n2')!;

describe('restartPlan', () => {
  it('a recreated mount pod: the app pods holding its dead mounts', () => {
    const mp = pods.find((p) => p.namespace === 'kube-system' && p.name.startsWith('juicefs-n2-'))!;
    const plan = restartPlan(store, findings, ref(mp), NOW)!;
    expect(plan.reason).toMatch(/was recreated after 1 app pod\(s\) mounted through it/);
    expect(plan.pods.map((p) => `${p.namespace}/${p.name} ${p.recreatedBy}`)).toEqual([`web/${stalePod.name} Deployment web (ReplicaSet ${stalePod.owner!.name})`]);
    expect(plan.pods[0].uid).toBe(stalePod.uid);
  });

  it('the node plugin on that node: the same pods; on another node: nothing', () => {
    const plugins = pods.filter((p) => driverIndex(store).classOf(p).role === 'nodePlugin' && driverIndex(store).classOf(p).driver === 'csi.juicefs.com');
    const n2 = plugins.find((p) => p.node === 'n2')!;
    expect(restartPlan(store, findings, ref(n2), NOW)!.pods.map((p) => p.name)).toEqual([stalePod.name]);
    const n1 = plugins.find((p) => p.node === 'n1')!;
    expect(restartPlan(store, findings, ref(n1), NOW)).toBeUndefined();
  });

  it('the app pod itself; a healthy pod or a crash-looping mount pod: nothing', () => {
    expect(restartPlan(store, findings, ref(stalePod), NOW)!.pods.map((p) => p.name)).toEqual([stalePod.name]);
    expect(restartPlan(store, findings, ref(pods.find((p) => p.name === 'mariadb-0')!), NOW)).toBeUndefined();
    expect(restartPlan(store, findings, ref(pods.find((p) => p.namespace === 'kube-system' && p.name.startsWith('juicefs-n3-'))!), NOW)).toBeUndefined();
  });

  it('a claim whose file system resize waits: its pods (none here: the StatefulSet is scaled down)', () => {
    expect(restartPlan(store, findings, { kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data-orders-db-0' }, NOW)).toBeUndefined();
  });
});

describe('recreator', () => {
  it('names the Deployment above a ReplicaSet, a StatefulSet, the driver for mount pods, nothing for bare pods', () => {
    expect(recreator(store, pods.find((p) => p.name === 'mariadb-0')!)).toBe('StatefulSet mariadb');
    expect(recreator(store, pods.find((p) => p.name.startsWith('juicefs-n3-'))!)).toBe('the csi.juicefs.com node plugin (it recreates mount pods still in use)');
    expect(recreator(store, { ...stalePod, owner: undefined })).toBeUndefined();
  });
});
