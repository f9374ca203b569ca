import { describe, expect, it } from 'vitest';
import { buildDoctor, buildExport, renderDoctorText } from '../../src/store/report';
import { FIXTURE_NOW, HEALTHY, fixtureStore } from '../fixtures/load';
import { healthyWith, storeWith } from './helpers';

const FINDING_KEYS = ['code', 'severity', 'object', 'driver', 'node', 'message', 'evidence', 'affects', 'chain', 'next'];

describe('doctor and export scoped to a namespace (-n)', () => {
  const store = storeWith(healthyWith('juicefs-mount-crashloop', 'orphan-pv', 'resize'));
  const all = buildDoctor(store, { context: 'prod-eu', now: FIXTURE_NOW });

  it('keeps the findings on its objects and those breaking its pods, judged with the whole store', () => {
    const web = buildDoctor(store, { context: 'prod-eu', now: FIXTURE_NOW, namespace: 'web' });
    expect(web.namespace).toBe('web');
    // The mount pod lives in kube-system; it is reported because it breaks web/web-2.
    const mp = web.findings.find((f) => f.code === 'MountPodNotReady')!;
    expect(mp.object.namespace).toBe('kube-system');
    expect(mp.affects).toContainEqual({ kind: 'Pod', namespace: 'web', name: 'web-2' });
    for (const f of web.findings) expect(f.object.namespace === 'web' || f.affects.some((a) => a.namespace === 'web')).toBe(true);
    expect(web.findings.length).toBeLessThan(all.findings.length);
    expect(web.summary.error + web.summary.warning + web.summary.info).toBe(web.findings.length);
    expect(renderDoctorText(web, { color: false })).toMatch(/^csi-top doctor · context prod-eu · namespace web · /);
    // A namespace nothing concerns: nothing to report.
    expect(buildDoctor(store, { context: 'prod-eu', now: FIXTURE_NOW, namespace: 'nobody' }).findings).toEqual([]);
  });

  it('exports only the namespace\'s claims, and every driver', () => {
    const web = buildExport(store, { context: 'prod-eu', now: FIXTURE_NOW, namespace: 'web' });
    const full = buildExport(store, { context: 'prod-eu', now: FIXTURE_NOW });
    expect(web.volumes.length).toBeGreaterThan(0);
    for (const v of web.volumes) expect(v.pvc?.namespace).toBe('web');
    expect(full.volumes.some((v) => v.pvc?.namespace !== 'web')).toBe(true);
    expect(web.drivers).toEqual(full.drivers);
  });
});

describe('doctor', () => {
  const store = storeWith(healthyWith('juicefs-mount-crashloop', 'orphan-pv', 'resize'));
  const doc = buildDoctor(store, { context: 'prod-eu', now: FIXTURE_NOW });

  it('has the documented JSON shape', () => {
    const json = JSON.parse(JSON.stringify(doc));
    expect(Object.keys(json)).toEqual(['apiVersion', 'kind', 'context', 'findings', 'summary']);
    expect(json).toMatchObject({ apiVersion: 'csi-top/v1', kind: 'Doctor', context: 'prod-eu' });
    expect(Object.keys(json.summary)).toEqual(['error', 'warning', 'info']);
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(FINDING_KEYS);
      expect(Object.keys(f.object)).toEqual(['kind', 'namespace', 'name']);
      for (const a of f.affects) expect(Object.keys(a)).toEqual(['kind', 'namespace', 'name']);
    }
    expect(doc.summary).toEqual({ error: 2, warning: 4, info: 2 });
  });

  it('gives each finding its chain and the next command', () => {
    const mp = doc.findings.find((f) => f.code === 'MountPodNotReady')!;
    expect(mp.chain[0]).toBe('Pod web/web-2 (ContainerCreating 0/1)');
    expect(mp.chain[mp.chain.length - 1]).toMatch(/^Pod kube-system\/juicefs-n1-pvc-.*-ilenem \(CrashLoopBackOff 0\/1, 9 restarts\)$/);
    expect(mp.next[0]).toBe('kubectl -n kube-system logs juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem -c jfs-mount --previous');
    const resize = doc.findings.find((f) => f.code === 'ResizeFailed')!;
    expect(resize.next).toContain('kubectl -n ceph-csi logs csi-rbdplugin-provisioner-7f9c6d8b5-x4k2p -c csi-resizer');
  });

  it('renders text grouped by severity, plain or coloured', () => {
    const text = renderDoctorText(doc, { color: false });
    expect(text).toMatch(/^csi-top doctor · context prod-eu · 2 errors, 4 warnings, 2 info\n/);
    const order = ['ERRORS (2)', 'WARNINGS (4)', 'INFO (2)'].map((h) => text.indexOf(h));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    expect(text).toContain('✗ MountPodNotReady  Pod kube-system/juicefs-n1-');
    expect(text).toContain('next:     kubectl -n kube-system logs juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem -c jfs-mount --previous');
    expect(text).not.toContain('\x1b[');
    expect(renderDoctorText(doc, { color: true })).toContain('\x1b[31m');
    expect(renderDoctorText(doc, { color: false, ascii: true })).not.toMatch(/[✗→·]/);
  });

  it('says so when there is nothing to report', () => {
    const healthy = buildDoctor(fixtureStore(...HEALTHY), { context: 'demo', now: FIXTURE_NOW });
    expect(healthy.summary).toEqual({ error: 0, warning: 0, info: 0 });
    expect(renderDoctorText(healthy, { color: false })).toContain('no findings');
  });
});

describe('export', () => {
  const store = storeWith(healthyWith('orphan-pv'));
  const doc = buildExport(store, { context: 'prod-eu', now: FIXTURE_NOW });
  const json = JSON.parse(JSON.stringify(doc));

  it('has the documented JSON shape', () => {
    expect(Object.keys(json)).toEqual(['apiVersion', 'kind', 'context', 'generatedAt', 'drivers', 'volumes', 'findings']);
    expect(json).toMatchObject({ apiVersion: 'csi-top/v1', kind: 'Export', context: 'prod-eu', generatedAt: '2026-05-10T12:00:00.000Z' });
    expect(Object.keys(json.drivers[0])).toEqual(['name', 'profile', 'controllers', 'nodePlugins', 'registeredNodes', 'storageClasses']);
    expect(Object.keys(json.drivers[0].nodePlugins[0])).toEqual(['namespace', 'name', 'node', 'ready']);
    for (const v of json.volumes) {
      expect(Object.keys(v)).toEqual(['pvc', 'pv', 'driver', 'appPods', 'mountPods', 'nodePlugins', 'attachments', 'usage', 'usageUnknownReason']);
      expect(v.usage).toBeNull();
      expect(v.usageUnknownReason).toBeNull();
    }
  });

  it('lists one volume per PVC and one per PV without a PVC', () => {
    const pvcs = store.list('PersistentVolumeClaim').length;
    const orphans = json.volumes.filter((v: { pvc: unknown }) => v.pvc === null);
    expect(json.volumes.length).toBe(pvcs + orphans.length);
    expect(orphans.map((v: { pv: { name: string } }) => v.pv.name).sort()).toEqual([
      'pvc-5e0c1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a',
      'pvc-6f1d2e3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a',
      'pvc-70a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b',
    ]);
  });

  it('fills each volume with its pods, mount pods, node plugins and attachments', () => {
    const jfs = json.volumes.find((v: { pvc: { name: string } | null }) => v.pvc?.name === 'jfs-data');
    expect(jfs).toMatchObject({
      pvc: { namespace: 'web', name: 'jfs-data', phase: 'Bound', storageClass: 'juicefs-sc', requested: '100Gi', capacity: '100Gi', conditions: [] },
      pv: { name: 'pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d', phase: 'Bound', driver: 'csi.juicefs.com', capacity: '100Gi', reclaimPolicy: 'Delete' },
      driver: 'csi.juicefs.com',
    });
    expect(jfs.appPods.map((p: { name: string }) => p.name)).toEqual(['web-0', 'web-1']);
    expect(jfs.mountPods).toHaveLength(2);
    expect(Object.keys(jfs.mountPods[0])).toEqual(['namespace', 'name', 'node', 'phase', 'ready', 'restarts']);
    expect(jfs.nodePlugins.map((p: { node: string }) => p.node)).toEqual(['n1', 'n2']);
    const pg = json.volumes.find((v: { pvc: { name: string } | null }) => v.pvc?.name === 'pg-data');
    expect(pg.attachments).toEqual([{ name: 'csi-3c8f4d2e1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d', node: 'n2', attached: true, error: '' }]);
    const pending = json.volumes.find((v: { pvc: { name: string } | null }) => v.pvc?.name === 'cache');
    expect(pending).toMatchObject({ pv: null, driver: 'ebs.csi.aws.com', appPods: [] });
  });

  it('describes every driver with its profile and components', () => {
    const names = json.drivers.map((d: { name: string; profile: string }) => `${d.name}:${d.profile}`);
    expect(names).toEqual(expect.arrayContaining(['csi.juicefs.com:juicefs', 'rbd.csi.ceph.com:ceph', 'cephfs.csi.ceph.com:ceph', 'nfs.csi.k8s.io:nfs', 'ebs.csi.aws.com:ebs', 'hostpath.csi.k8s.io:hostpath', 'block.csi.vendor.example:generic']));
    const ebs = json.drivers.find((d: { name: string }) => d.name === 'ebs.csi.aws.com');
    expect(ebs).toMatchObject({ registeredNodes: ['n1', 'n2', 'n3'], storageClasses: ['gp3'] });
    expect(ebs.controllers).toHaveLength(2);
    expect(json.findings.length).toBeGreaterThan(0);
  });
});
