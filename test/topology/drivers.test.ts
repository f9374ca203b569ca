import { describe, expect, it } from 'vitest';
import { PROFILES, classifyPod, createRegistry } from '../../src/store/drivers/registry';
import { sanitizeLeaseName, registrationDir } from '../../src/store/drivers/match';
import { project } from '../../src/store/project';
import type { PodRec, PVRec } from '../../src/store/records';
import { driverIndex } from '../../src/store/topology/driver-index';
import { FIXTURE_NOW, HEALTHY, fixtureStore } from '../fixtures/load';
import { ago, obj, remove, storeWith } from './helpers';

const healthy = fixtureStore(...HEALTHY);
const pod = (ns: string, name: string) => healthy.get('Pod', ns, name)!;
const profile = (id: string) => PROFILES.find((p) => p.id === id)!;

// [profile, namespace, pod, role, driver, main container]
const POSITIVE: readonly [string, string, string, string, string, string][] = [
  ['juicefs', 'kube-system', 'juicefs-csi-node-8rd96', 'nodePlugin', 'csi.juicefs.com', 'juicefs-plugin'],
  ['juicefs', 'kube-system', 'juicefs-csi-controller-1', 'controller', 'csi.juicefs.com', 'juicefs-plugin'],
  ['juicefs', 'kube-system', 'juicefs-n3-juicefs-shared-xkqwpe', 'mountPod', 'csi.juicefs.com', 'jfs-mount'],
  ['juicefs', 'ml', 'notebook-0', 'app', 'csi.juicefs.com', 'notebook'],
  ['ceph', 'ceph-csi', 'csi-rbdplugin-5kx7z', 'nodePlugin', 'rbd.csi.ceph.com', 'csi-rbdplugin'],
  ['ceph', 'ceph-csi', 'csi-rbdplugin-provisioner-7f9c6d8b5-x4k2p', 'controller', 'rbd.csi.ceph.com', 'csi-rbdplugin'],
  ['ceph', 'ceph-csi-cephfs', 'ceph-csi-cephfs-nodeplugin-8wq4r', 'nodePlugin', 'cephfs.csi.ceph.com', 'csi-cephfsplugin'],
  ['ceph', 'ceph-csi-cephfs', 'ceph-csi-cephfs-provisioner-5d8f7b9c6-jr4tw', 'controller', 'cephfs.csi.ceph.com', 'csi-cephfsplugin'],
  ['nfs', 'kube-system', 'csi-nfs-node-g7m2p', 'nodePlugin', 'nfs.csi.k8s.io', 'nfs'],
  ['nfs', 'kube-system', 'csi-nfs-controller-7b9d8c6f5-p2lkx', 'controller', 'nfs.csi.k8s.io', 'nfs'],
  ['hostpath', 'default', 'csi-hostpathplugin-0', 'nodePlugin', 'hostpath.csi.k8s.io', 'hostpath'],
  ['ebs', 'kube-system', 'ebs-csi-node-b4lmx', 'nodePlugin', 'ebs.csi.aws.com', 'ebs-plugin'],
  ['ebs', 'kube-system', 'ebs-csi-controller-6c9d8f7b5-h8r5t', 'controller', 'ebs.csi.aws.com', 'ebs-plugin'],
  ['generic', 'vendor-storage', 'vendor-csi-node-p9x3j', 'nodePlugin', 'block.csi.vendor.example', 'plugin'],
  ['generic', 'vendor-storage', 'vendor-csi-controller-6d5f7c9b8-t7y8u', 'controller', '', 'plugin'],
];

describe('driver profiles recognise their own pods', () => {
  it.each(POSITIVE)('%s: %s/%s is a %s of %s', (id, ns, name, role, driver, main) => {
    const p = pod(ns, name);
    const cls = profile(id).classify(p);
    expect(cls).toMatchObject({ role, profile: id, mainContainer: main });
    expect(cls!.driver).toBe(driver);
    expect(classifyPod(p).profile).toBe(id); // the registry picks the same profile
  });

  // Negative: each profile leaves other drivers' pods and plain app pods alone.
  const others: readonly [string, string][] = [
    ['db', 'postgres-0'],
    ['web', 'web-0'],
    ['batch', 'report-28510560-x7kqp'],
  ];
  it.each(PROFILES.map((p) => p.id))('%s does not claim app pods or other drivers’ pods', (id) => {
    for (const [ns, name] of others) expect(profile(id).classify(pod(ns, name))).toBeUndefined();
    for (const [pid, ns, name] of POSITIVE) if (pid !== id && pid !== 'generic' && id !== 'generic') expect(profile(id).classify(pod(ns, name))).toBeUndefined();
  });

  it('classifies app and other pods without a profile, and caches per record', () => {
    expect(classifyPod(pod('web', 'web-0'))).toMatchObject({ role: 'app', profile: '', driver: '' });
    expect(classifyPod(pod('web', 'web-0'))).toBe(classifyPod(pod('web', 'web-0')));
    const plain = project('Pod', { metadata: { name: 'x', namespace: 'a', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }) as PodRec;
    expect(classifyPod(plain).role).toBe('other');
  });

  it('adding a profile is one registry entry: a new profile takes its pods before generic', () => {
    const custom = {
      id: 'vendor',
      drivers: ['block.csi.vendor.example'],
      matchesDriver: (d: string) => d === 'block.csi.vendor.example',
      classify: (p: PodRec) => (p.labels['app.kubernetes.io/name'] === 'vendor-csi' ? { role: 'controller' as const, driver: 'block.csi.vendor.example', profile: 'vendor', mainContainer: 'plugin', alsoController: false, candidates: [] } : undefined),
    };
    const reg = createRegistry([custom, ...PROFILES]);
    expect(reg.classify(pod('vendor-storage', 'vendor-csi-controller-6d5f7c9b8-t7y8u')).profile).toBe('vendor');
    expect(reg.profileFor('block.csi.vendor.example').id).toBe('vendor');
    expect(reg.profileFor('unknown.example.com').id).toBe('generic');
  });
});

describe('generic recognition', () => {
  it('reads the driver from the registrar path with $(VAR) expansion', () => {
    expect(pod('vendor-storage', 'vendor-csi-node-f6k2d').csi?.registrationPath).toBe('/var/lib/kubelet/plugins/block.csi.vendor.example/csi.sock');
    expect(registrationDir('/var/lib/kubelet/csi-plugins/csi.juicefs.com/csi.sock')).toBe('csi.juicefs.com');
  });

  it('resolves a controller without driver flags through its leader Lease, and its standby through its owner', () => {
    const idx = driverIndex(healthy);
    const ctl = idx.drivers.get('block.csi.vendor.example')!.controllers.map((p) => p.name).sort();
    expect(ctl).toEqual(['vendor-csi-controller-6d5f7c9b8-q2w3e', 'vendor-csi-controller-6d5f7c9b8-t7y8u']);
    expect(idx.activeController('block.csi.vendor.example')?.name).toBe('vendor-csi-controller-6d5f7c9b8-q2w3e');
  });

  it('finds the leader of a host-network controller, whose lease names the node', () => {
    const idx = driverIndex(healthy);
    expect(idx.activeController('nfs.csi.k8s.io')?.name).toBe('csi-nfs-controller-7b9d8c6f5-p2lkx');
  });

  it('still resolves the unlisted driver without its CSIDriver object and Leases (registrar path, siblings)', () => {
    const s = storeWith(HEALTHY, (o) => {
      remove(o, 'CSIDriver', '', 'block.csi.vendor.example');
      remove(o, 'Lease', 'vendor-storage', 'block-csi-vendor-example');
      remove(o, 'Lease', 'vendor-storage', 'external-attacher-leader-block-csi-vendor-example');
    });
    const d = driverIndex(s).drivers.get('block.csi.vendor.example')!;
    expect(d.profile.id).toBe('generic');
    expect(d.nodePlugins).toHaveLength(3);
    expect(d.controllers).toHaveLength(2);
    expect(d.confirmed).toBe(true); // CSINode and the PV still name it
  });

  it('recognises Rook-prefixed Ceph drivers and sidecars from EKS-style images', () => {
    const s = storeWith(HEALTHY, (o) => {
      const p = obj(o, 'Pod', 'ceph-csi', 'csi-rbdplugin-5kx7z');
      p.spec.containers[0].args = ['--type=rbd', '--nodeserver=true', '--drivername=rook-ceph.rbd.csi.ceph.com'];
    });
    expect(classifyPod(s.get('Pod', 'ceph-csi', 'csi-rbdplugin-5kx7z')!).driver).toBe('rook-ceph.rbd.csi.ceph.com');
    expect(pod('kube-system', 'ebs-csi-controller-6c9d8f7b5-4kq2n').csi?.sidecars).toEqual(expect.arrayContaining(['provisioner', 'attacher', 'resizer']));
  });

  it('names leases like the kubernetes-csi sidecars do', () => {
    expect(sanitizeLeaseName('csi.juicefs.com')).toBe('csi-juicefs-com');
    expect(sanitizeLeaseName('example.com/driver.')).toBe('example-com-driver-X');
    const leases = driverIndex(healthy).drivers.get('rbd.csi.ceph.com')!.leases.map((l) => `${l.sidecar}:${l.lease.name}`).sort();
    expect(leases).toEqual([
      'attacher:external-attacher-leader-rbd-csi-ceph-com',
      'provisioner:rbd-csi-ceph-com',
      'resizer:external-resizer-rbd-csi-ceph-com',
      'snapshotter:external-snapshotter-leader-rbd-csi-ceph-com',
    ]);
  });
});

describe('JuiceFS mount pod hooks', () => {
  const hooks = profile('juicefs').mountPods!;
  it('parses app pod uids and PVs from the reference annotations', () => {
    const mp = pod('kube-system', 'juicefs-n3-juicefs-shared-xkqwpe');
    expect(hooks.uniqueId(mp)).toBe('juicefs-shared');
    expect(hooks.references(mp).map((r) => r.uid).sort()).toEqual(['9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c01', '9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c02']);
    expect(hooks.references(pod('web', 'web-0'))).toEqual([]);
  });
  it('reads the app pod hint annotation', () => {
    expect(hooks.appPodHints(pod('web', 'web-0'))).toEqual([{ pv: 'pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d', namespace: 'kube-system', name: 'juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem' }]);
    expect(hooks.appPodHints(pod('web', 'web-1'))).toEqual([]);
  });
  it('offers the volume handle and the StorageClass as uniqueIds', () => {
    const pv = healthy.get('PersistentVolume', '', 'pvc-4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a') as PVRec;
    expect(hooks.uniqueIdsForPV(pv)).toContain('juicefs-shared');
  });
});

describe('record additions', () => {
  it('marks volumes whose every mount propagates host mounts (mount point recovery)', () => {
    const mk = (mounts: object[][]) =>
      project('Pod', { metadata: { name: 'p', namespace: 'a' }, spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'c' } }], containers: mounts.map((m, i) => ({ name: `c${i}`, volumeMounts: m })) } }) as PodRec;
    expect(mk([[{ name: 'data', mountPropagation: 'HostToContainer' }]]).volumes[0].hostToContainer).toBe(true);
    expect(mk([[{ name: 'data', mountPropagation: 'HostToContainer' }], [{ name: 'data' }]]).volumes[0].hostToContainer).toBeUndefined();
    expect(mk([[{ name: 'data' }]]).volumes[0].hostToContainer).toBeUndefined();
  });

  it('projects PV lastPhaseTransitionTime as phaseSince', () => {
    const pv = project('PersistentVolume', { metadata: { name: 'p' }, spec: {}, status: { phase: 'Released', lastPhaseTransitionTime: ago(60) } }) as PVRec;
    expect(pv.phaseSince).toBe(FIXTURE_NOW - 60_000);
    expect((project('PersistentVolume', { metadata: { name: 'q' } }) as PVRec).phaseSince).toBe(0);
  });
});
