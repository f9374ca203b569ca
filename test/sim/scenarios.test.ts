// Scenarios as data: internally consistent clusters, deterministic per seed, and each one makes
// csi-top's verdicts say what it declares (the healthy one: nothing at all).
import { describe, expect, it } from 'vitest';
import { buildScenarios, SCENARIOS, scenarioList, type KObj } from '../../src/sim/scenarios/index';
import { juicefsRefKey } from '../../src/sim/scenarios/kube';
import { storeFromObjects } from '../../src/store/from-objects';
import { computeFindings } from '../../src/store/verdicts/index';

const NOW = Date.parse('2026-05-10T12:00:00Z');
const TARGET = /^\/var\/lib\/kubelet\/pods\/([^/]+)\/volumes\/kubernetes\.io~csi\/([^/]+)\/mount$/;

function index(objects: readonly KObj[]) {
  const byKey = new Map(objects.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
  const byUid = new Map(objects.map((o) => [o.metadata.uid, o]));
  return { get: (kind: string, ns: string | undefined, name: string) => byKey.get(`${kind}/${ns ?? ''}/${name}`), byUid, of: (kind: string) => objects.filter((o) => o.kind === kind) };
}

function findings(names: string[] | 'all') {
  const b = buildScenarios(names, { seed: 7, now: NOW });
  const store = storeFromObjects(b.objects as never, { now: () => NOW });
  return { b, found: computeFindings(store, { now: NOW, usage: new Map(b.usage.map((u) => [u.key, u])) }) };
}

describe('scenario registry', () => {
  it('lists every scenario with a description', () => {
    const names = scenarioList().map((s) => s.name);
    expect(names).toEqual(['healthy', 'juicefs', 'ceph-rbd', 'nfs', 'provisioning-failed', 'resize-pending', 'volume-abnormal', 'released-pv', 'volume-nearly-full']);
    for (const s of scenarioList()) expect(s.description.length).toBeGreaterThan(20);
  });

  it('rejects an unknown scenario with the known names', () => {
    expect(() => buildScenarios(['nope'])).toThrow(/unknown scenario "nope" \(known: healthy, juicefs/);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = JSON.stringify(buildScenarios('all', { seed: 3, now: NOW }).objects);
    expect(JSON.stringify(buildScenarios('all', { seed: 3, now: NOW }).objects)).toBe(a);
    expect(JSON.stringify(buildScenarios('all', { seed: 4, now: NOW }).objects)).not.toBe(a);
  });
});

describe.each([...SCENARIOS.map((s) => s.name), 'all'])('scenario %s', (name) => {
  const b = buildScenarios(name === 'all' ? 'all' : [name], { seed: 11, now: NOW });
  const ix = index(b.objects);

  it('has unique identities and uids, and apiserver-shaped metadata', () => {
    expect(ix.byUid.size).toBe(b.objects.length);
    for (const o of b.objects) {
      expect(o.apiVersion, o.metadata.name).toBeTruthy();
      expect(o.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(o.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Date.parse(o.metadata.creationTimestamp!)).toBeLessThanOrEqual(NOW);
      if (o.metadata.namespace) expect(ix.get('Namespace', undefined, o.metadata.namespace), o.metadata.namespace).toBeTruthy();
    }
  });

  it('binds claims and volumes both ways', () => {
    for (const pvc of ix.of('PersistentVolumeClaim')) {
      if (pvc.status.phase !== 'Bound') continue;
      const pv = ix.get('PersistentVolume', undefined, pvc.spec.volumeName);
      expect(pv, `${pvc.metadata.name} → ${pvc.spec.volumeName}`).toBeTruthy();
      expect(pv!.spec.claimRef).toMatchObject({ namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid });
      expect(ix.get('StorageClass', undefined, pvc.spec.storageClassName)).toBeTruthy();
    }
    for (const pv of ix.of('PersistentVolume')) {
      if (pv.status.phase !== 'Bound') continue;
      expect(ix.get('PersistentVolumeClaim', pv.spec.claimRef.namespace, pv.spec.claimRef.name)?.spec.volumeName).toBe(pv.metadata.name);
    }
  });

  it('has owners, nodes and claims for every pod', () => {
    for (const o of b.objects) for (const r of o.metadata.ownerReferences ?? []) expect(ix.byUid.get(r.uid as string)?.metadata.name, `${o.kind} ${o.metadata.name} owner`).toBe(r.name);
    for (const pod of ix.of('Pod')) {
      if (pod.spec.nodeName) expect(ix.get('Node', undefined, pod.spec.nodeName)).toBeTruthy();
      for (const v of pod.spec.volumes ?? []) if (v.persistentVolumeClaim) expect(ix.get('PersistentVolumeClaim', pod.metadata.namespace, v.persistentVolumeClaim.claimName), `${pod.metadata.name} claim`).toBeTruthy();
    }
    for (const n of ix.of('Node')) expect(ix.get('CSINode', undefined, n.metadata.name)).toBeTruthy();
  });

  it('gives mount pods references that resolve to app pods on their node', () => {
    for (const mp of ix.of('Pod').filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'juicefs-mount')) {
      expect(mp.metadata.name).toMatch(new RegExp(`^juicefs-${mp.spec.nodeName}-${mp.metadata.labels!['volume-id']}-[a-z]{6}$`));
      const refs = Object.entries(mp.metadata.annotations!).filter(([k]) => /^juicefs-[0-9a-f]{55}$/.test(k));
      expect(refs.length).toBeGreaterThan(0);
      for (const [k, target] of refs) {
        expect(k).toBe(juicefsRefKey(target));
        const [, uid, pv] = TARGET.exec(target)!;
        const app = ix.byUid.get(uid)!;
        expect(app.spec.nodeName).toBe(mp.spec.nodeName);
        expect(ix.get('PersistentVolume', undefined, pv)?.spec.csi.volumeHandle).toBe(mp.metadata.labels!['volume-id']);
      }
    }
  });

  it('points events at objects that exist (or existed: a deleted mount pod)', () => {
    for (const e of ix.of('Event')) {
      const target = ix.byUid.get(e.involvedObject.uid);
      if (!target) expect(e.reason, e.metadata.name).toBe('Killing');
      else expect(target.metadata.name).toBe(e.involvedObject.name);
      expect(Date.parse(e.lastTimestamp)).toBeGreaterThanOrEqual(Date.parse(e.firstTimestamp));
      expect(e.count).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('verdicts on the scenarios', () => {
  it.each(SCENARIOS.map((s) => s.name))('%s yields what it expects', (name) => {
    const { b, found } = findings([name]);
    for (const want of b.expectFindings) {
      const hit = found.find((f) => f.code === want.code && f.object.kind === want.object.kind && f.object.name === want.object.name && (f.object.namespace || undefined) === want.object.namespace);
      expect(hit, `${want.code} ${want.object.kind}/${want.object.name}`).toBeTruthy();
      if (want.severity) expect(hit!.severity).toBe(want.severity);
    }
    // Nothing unexpected at error level.
    const errors = found.filter((f) => f.severity === 'error');
    for (const f of errors) expect(b.expectFindings.some((w) => w.code === f.code && w.object.name === f.object.name), `${f.code} ${f.object.name}: ${f.message}`).toBe(true);
  });

  it('healthy yields no finding at all', () => {
    expect(findings(['healthy']).found).toEqual([]);
  });

  it('all scenarios together still yield each expectation', () => {
    const { b, found } = findings('all');
    for (const want of b.expectFindings) expect(found.some((f) => f.code === want.code && f.object.name === want.object.name), `${want.code} ${want.object.name}`).toBe(true);
  });
});
