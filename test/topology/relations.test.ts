import { describe, expect, it } from 'vitest';
import { project } from '../../src/store/project';
import { Store } from '../../src/store/store';
import { podIndex } from '../../src/store/topology/pod-index';
import { linksOf } from '../../src/store/topology/volumes';
import {
  appPodsOfMountPod,
  chainFor,
  claimsByStorageClass,
  consumers,
  driverIndex,
  mountPodsOfAppPod,
  pvsOfMountPod,
  relatedObjects,
  servedByNodePlugin,
  volumeLinks,
  volumeServices,
  type ChainNode,
} from '../../src/store/topology';
import { HEALTHY, fixtureStore } from '../fixtures/load';
import { healthyWith, storeWith } from './helpers';

const s = fixtureStore(...HEALTHY);
const pod = (ns: string, name: string) => s.get('Pod', ns, name)!;
const names = (ps: readonly { name: string }[]) => ps.map((p) => p.name).sort();

/** `relation: Kind ns/name` lines, indented by depth. */
function lines(n: ChainNode, depth = 0): string[] {
  const me = `${'  '.repeat(depth)}${n.relation ? `${n.relation}: ` : ''}${n.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}${n.missing ? ` [missing: ${n.status}]` : ''}`;
  return [me, ...n.children.flatMap((c) => lines(c, depth + 1))];
}

describe('app pod → PVC → PV → driver → node services', () => {
  it('draws the JuiceFS chain down to the mount pod, node plugin, registration and controllers', () => {
    expect(lines(chainFor(s, { kind: 'Pod', namespace: 'web', name: 'web-0' })!)).toEqual([
      'Pod web/web-0',
      '  volume data: PersistentVolumeClaim web/jfs-data',
      '    bound to: PersistentVolume pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d',
      '      driver: CSIDriver csi.juicefs.com',
      '        node plugin: Pod kube-system/juicefs-csi-node-8rd96',
      '        registration: CSINode n1',
      '        mount pod: Pod kube-system/juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem',
      '        controller (leader): Pod kube-system/juicefs-csi-controller-0',
      '        controller: Pod kube-system/juicefs-csi-controller-1',
    ]);
  });

  it("a pod's links without the consumers index are the index's, also after a claim changes", () => {
    const st = storeWith(healthyWith('juicefs-mount-crashloop'));
    const all = () => st.list('Pod').map((p) => [p.name, linksOf(st, p)]);
    expect(all()).toEqual(st.list('Pod').map((p) => [p.name, consumers(st).linksOf(p)]));
    expect(all().some(([, l]) => l.length > 0)).toBe(true);
    const pvc = st.list('PersistentVolumeClaim')[0];
    st.apply('DELETED', pvc);
    expect(all()).toEqual(st.list('Pod').map((p) => [p.name, volumeLinks(st, p)]));
    expect(all()).toEqual(st.list('Pod').map((p) => [p.name, consumers(st).linksOf(p)]));
  });

  it('includes VolumeAttachments for attach-required drivers', () => {
    const text = lines(chainFor(s, { kind: 'Pod', namespace: 'db', name: 'postgres-0' })!).join('\n');
    expect(text).toContain('attachment: VolumeAttachment csi-3c8f4d2e');
    expect(text).toContain('node plugin: Pod ceph-csi/csi-rbdplugin-9fq2m');
    expect(text).toContain('controller (leader): Pod ceph-csi/csi-rbdplugin-provisioner-7f9c6d8b5-x4k2p');
  });

  it('treats inline CSI volumes and generic ephemeral volumes as volumes', () => {
    const inline = volumeLinks(s, pod('default', 'my-csi-app-inline-volume'));
    expect(inline).toMatchObject([{ source: 'inline', driver: 'hostpath.csi.k8s.io' }]);
    const eph = volumeLinks(s, pod('default', 'scratch-user'));
    expect(eph[0]).toMatchObject({ source: 'ephemeral', claim: 'scratch-user-scratch', driver: 'hostpath.csi.k8s.io' });
    expect(eph[0].pv?.name).toBe('pvc-9f0a1b2c-0000-4000-8000-0000000f0301');
    const text = lines(chainFor(s, { kind: 'Pod', namespace: 'default', name: 'my-csi-app-inline-volume' })!).join('\n');
    expect(text).toContain('inline volume my-csi-volume: CSIDriver hostpath.csi.k8s.io');
    expect(text).toContain('node plugin: Pod default/csi-hostpathplugin-0');
  });

  it('shows sidecar-mode clients instead of mount pods', () => {
    const svc = volumeServices(s, pod('ml', 'notebook-0'), volumeLinks(s, pod('ml', 'notebook-0'))[0]);
    expect(svc).toMatchObject({ usesMountPods: false, mountSidecar: 'jfs-mount-0', mountPods: [] });
  });

  it('marks what is missing: a node plugin on the pod’s node', () => {
    const m = storeWith(healthyWith('node-plugin-missing'));
    const text = lines(chainFor(m, { kind: 'Pod', namespace: 'ml', name: 'trainer-2' })!).join('\n');
    expect(text).toContain('node plugin: Pod  [missing: no node plugin on n3]');
  });
});

describe('mount pods and their blast radius', () => {
  it('maps a shared mount pod to every app pod it serves, and back', () => {
    const mp = pod('kube-system', 'juicefs-n3-juicefs-shared-xkqwpe');
    expect(names(appPodsOfMountPod(s, mp))).toEqual(['trainer-0', 'trainer-1']);
    expect(names(pvsOfMountPod(s, mp))).toEqual(['pvc-4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a']);
    expect(mountPodsOfAppPod(s, pod('ml', 'trainer-1')).map((m) => [m.mountPod.name, m.via])).toEqual([['juicefs-n3-juicefs-shared-xkqwpe', 'reference']]);
  });

  it('uses the app pod’s annotation, and falls back to the uniqueId on its node', () => {
    // Remove the references: web-0 still finds its mount pod through its own annotation…
    const noRefs = storeWith(HEALTHY, (o) => {
      for (const x of o) if (x.kind === 'Pod' && x.metadata.labels?.['app.kubernetes.io/name'] === 'juicefs-mount') x.metadata.annotations = { 'juicefs-uniqueid': x.metadata.annotations['juicefs-uniqueid'] };
    });
    const pv = noRefs.get('PersistentVolume', '', 'pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d')!;
    expect(mountPodsOfAppPod(noRefs, noRefs.get('Pod', 'web', 'web-0')!, pv).map((m) => m.via)).toEqual(['annotation']);
    // …and web-1, which has no annotation, through the uniqueId (= volume handle) on n2.
    expect(mountPodsOfAppPod(noRefs, noRefs.get('Pod', 'web', 'web-1')!, pv).map((m) => [m.mountPod.node, m.via])).toEqual([['n2', 'uniqueId']]);
    // Reverse: the annotation still ties web-0 to its mount pod.
    expect(names(appPodsOfMountPod(noRefs, noRefs.get('Pod', 'kube-system', 'juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem')!))).toEqual(['web-0']);
  });

  it('draws the mount pod chain: served pods, PV, node plugin', () => {
    expect(lines(chainFor(s, { kind: 'Pod', namespace: 'kube-system', name: 'juicefs-n3-juicefs-shared-xkqwpe' })!)).toEqual([
      'Pod kube-system/juicefs-n3-juicefs-shared-xkqwpe',
      '  serves: Pod ml/trainer-0',
      '  serves: Pod ml/trainer-1',
      '  mounts: PersistentVolume pvc-4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a',
      '  node plugin: Pod kube-system/juicefs-csi-node-k2x9q',
    ]);
  });
});

describe('reverse relations', () => {
  it('node plugin → volumes and app pods on its node', () => {
    const served = servedByNodePlugin(s, pod('kube-system', 'juicefs-csi-node-k2x9q'));
    expect(names(served.pods)).toEqual(['notebook-0', 'trainer-0', 'trainer-1']);
    expect(names(served.pvs)).toEqual(['pvc-4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a', 'pvc-6c5b4a39-2817-4f06-a5e4-d3c2b1a09f8e']);
  });

  it('PVC → pods, PV → PVC, StorageClass → PVCs, driver → everything', () => {
    const pvc = lines(chainFor(s, { kind: 'PersistentVolumeClaim', namespace: 'ml', name: 'datasets' })!).filter((l) => /^ {2}\S/.test(l));
    expect(pvc).toEqual([
      '  bound to: PersistentVolume pvc-4d3c2b1a-0f9e-4d8c-9b7a-6f5e4d3c2b1a',
      '  storage class: StorageClass juicefs-shared',
      '  used by: Pod ml/trainer-0',
      '  used by: Pod ml/trainer-1',
    ]);
    const pv = lines(chainFor(s, { kind: 'PersistentVolume', namespace: '', name: 'pvc-9e68cc33-f08f-4a72-96fa-e37720c0a4c8' })!);
    expect(pv.slice(0, 3)).toEqual(['PersistentVolume pvc-9e68cc33-f08f-4a72-96fa-e37720c0a4c8', '  claimed by: PersistentVolumeClaim db/pg-data', '    used by: Pod db/postgres-0']);
    expect(names(claimsByStorageClass(s).get('juicefs-sc')!)).toEqual(['jfs-data', 'notebook-home']);
    const drv = chainFor(s, { kind: 'CSIDriver', namespace: '', name: 'ebs.csi.aws.com' })!;
    expect(drv.children.map((c) => c.relation)).toEqual(['controller (leader)', 'controller', 'node plugin', 'node plugin', 'node plugin', 'storage class', 'volume']);
  });

  it('Node → CSI pods and app pods on it; CSINode → drivers with their plugins there', () => {
    const node = chainFor(s, { kind: 'Node', namespace: '', name: 'n3' })!;
    expect(node.children.filter((c) => c.relation === 'node plugin')).toHaveLength(6);
    expect(node.children.filter((c) => c.relation === 'mount pod').map((c) => c.name)).toEqual(['juicefs-n3-juicefs-shared-xkqwpe']);
    const csiNode = chainFor(s, { kind: 'CSINode', namespace: '', name: 'n1' })!;
    expect(csiNode.children.map((c) => c.name)).toContain('hostpath.csi.k8s.io');
  });

  it('flattens a chain into related objects', () => {
    const rel = relatedObjects(s, { kind: 'PersistentVolumeClaim', namespace: 'web', name: 'jfs-data' });
    expect(rel.find((r) => r.name.startsWith('juicefs-n2-'))).toMatchObject({ kind: 'Pod', relation: 'mount pod', depth: 3 });
    expect(rel.filter((r) => r.relation === 'used by').map((r) => r.name)).toEqual(['web-0', 'web-1']);
  });
});

describe('memoization and scale-friendliness', () => {
  it('reuses derived indexes until a kind they read changes', () => {
    const m = fixtureStore(...HEALTHY);
    const a = driverIndex(m);
    expect(driverIndex(m)).toBe(a);
    const c = consumers(m);
    m.apply('ADDED', project('Event', { metadata: { name: 'e', namespace: 'web', uid: 'e1' }, involvedObject: { kind: 'Pod', namespace: 'web', name: 'web-0' }, reason: 'Pulled' })!);
    expect(driverIndex(m)).toBe(a); // events are not read by the driver index
    m.apply('DELETED', m.get('Pod', 'web', 'web-1')!);
    expect(driverIndex(m)).toBe(a); // app pod churn does not rebuild the driver index…
    expect(consumers(m)).not.toBe(c); // …but does change who uses which volume
    expect(consumers(m).pods.map((p) => p.name)).not.toContain('web-1');
    m.apply('DELETED', m.get('Pod', 'kube-system', 'juicefs-csi-node-k2x9q')!);
    expect(driverIndex(m)).not.toBe(a); // a component pod going away does
    expect(driverIndex(m).nodePluginsOn('csi.juicefs.com', 'n3')).toEqual([]);
  });
});

describe('the pod index reuses what it knew of unchanged pods', () => {
  const summary = (st: import('../../src/store/store').Store) => {
    const ix = podIndex(st);
    const n = (ps: readonly { namespace: string; name: string }[]) => ps.map((p) => `${p.namespace}/${p.name}`).sort();
    return {
      withVolumes: n(ix.withVolumes),
      components: n(ix.driverInputs.components.map((c) => c.pod)),
      mounts: n(ix.mounts.all),
      web0: n(ix.mounts.forAppUid('3f6c2a8e-7d41-4b9a-9e2f-1a5c6d7e8f01').map((r) => r.mountPod)),
      hinted: n(ix.mounts.hintedBy('kube-system', 'juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem')),
      waiting: n(consumers(st).waiting),
      clients: n(consumers(st).mountClients),
      onN1: n(consumers(st).onNode('n1', 'csi.juicefs.com')),
      rbd: n(consumers(st).ofDriver('rbd.csi.ceph.com')),
      links: consumers(st).pods.map((p) => `${p.name}:${consumers(st).linksOf(p).map((l) => l.pv?.name ?? l.claim).join(',')}`).sort(),
    };
  };
  const fresh = (st: import('../../src/store/store').Store) => {
    const copy = new Store();
    for (const k of ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'] as const) copy.replace(k, st.list(k));
    return summary(copy);
  };

  it('matches a from-scratch build after updates, deletions and additions', () => {
    const m = fixtureStore(...HEALTHY);
    summary(m);
    const pods = m.list('Pod');
    const ops: (() => void)[] = [
      () => m.apply('MODIFIED', { ...pods[5], resourceVersion: 'x1' }),
      () => m.apply('DELETED', m.get('Pod', 'kube-system', 'juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem')!),
      () => m.apply('ADDED', { ...pods[7], name: 'web-9', uid: 'web-9', resourceVersion: 'x2' }),
      () => {
        m.apply('DELETED', m.list('Pod')[3]);
        m.apply('DELETED', m.list('Pod')[3]);
        m.apply('DELETED', m.list('Pod')[3]);
      },
      () => m.apply('MODIFIED', { ...m.get('Pod', 'web', 'web-0')!, annotations: {}, resourceVersion: 'x3' }),
      () => m.replace('Pod', [...m.list('Pod')].reverse()),
      () => m.apply('MODIFIED', { ...m.get('Pod', 'db', 'postgres-0')!, phase: 'Pending', node: 'n3', resourceVersion: 'x4' }),
      () => m.apply('DELETED', m.get('PersistentVolumeClaim', 'web', 'jfs-data')!),
    ];
    for (const op of ops) {
      op();
      expect(summary(m)).toEqual(fresh(m));
    }
  });
});
