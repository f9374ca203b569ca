// Every finding code: a positive case (the incident produces exactly that finding, on the right
// object, naming the pods it breaks) and negative cases (the normal situation that looks alike
// produces none). Scenario fixtures live in test/fixtures/scenarios/.
import { describe, expect, it } from 'vitest';
import { computeFindings, FINDING_CODES, sortFindings } from '../../src/store/verdicts';
import type { Finding, FindingCode } from '../../src/store/verdicts/types';
import { FIXTURE_NOW, HEALTHY } from '../fixtures/load';
import { ago, brief, findingsOf, healthyWith, obj, remove, storeWith, type Edit } from './helpers';

interface Positive {
  readonly scenario: string[];
  readonly edits?: Edit[];
  readonly usage?: Map<string, { usedBytes: number; capacityBytes: number; inodesUsed?: number; inodes?: number }>;
  readonly expect: string; // brief(finding)
  readonly affects?: string[];
  readonly evidence?: RegExp;
}

const GiB = 2 ** 30;

const POSITIVE: Record<FindingCode, Positive> = {
  PVCPending: { scenario: ['provisioning-failed'], expect: 'error PVCPending PersistentVolumeClaim web/uploads', affects: ['upload-api-5d6f7b8c9-2xk4m'], evidence: /juicefs format 5m0s timed out/ },
  PVCLost: { scenario: ['pvc-lost'], expect: 'error PVCLost PersistentVolumeClaim tools/build-cache', affects: ['builder-7f6e5d4c3-zx9wq'] },
  OrphanPV: { scenario: ['orphan-pv'], expect: 'warning OrphanPV PersistentVolume /pvc-5e0c1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a', evidence: /VolumeFailedDelete/ },
  DriverNotInstalled: { scenario: ['driver-not-installed'], expect: 'error DriverNotInstalled CSIDriver /csi.oldvendor.io', affects: ['db-0'] },
  NodePluginMissing: { scenario: ['node-plugin-missing'], expect: 'error NodePluginMissing Node /n3', affects: ['notebook-0', 'trainer-0', 'trainer-1', 'trainer-2'], evidence: /not found in the list of registered CSI drivers/ },
  NodePluginNotReady: { scenario: ['node-plugin-crashloop'], expect: 'error NodePluginNotReady Pod ceph-csi/csi-rbdplugin-9fq2m', affects: ['postgres-0'], evidence: /Module rbd not found/ },
  DriverNotRegistered: { scenario: ['driver-not-registered'], expect: 'error DriverNotRegistered Pod kube-system/ebs-csi-node-w2c8v', affects: ['reports-0'], evidence: /CSINode n3 lists/ },
  ControllerNotReady: { scenario: ['controller-down'], expect: 'error ControllerNotReady Pod kube-system/ebs-csi-controller-6c9d8f7b5-4kq2n', affects: ['search-0'], evidence: /EC2MetadataError/ },
  MountPodMissing: { scenario: ['juicefs-mount-missing'], expect: 'error MountPodMissing Pod web/web-1', affects: ['web-1'], evidence: /no longer exists/ },
  MountPodNotReady: { scenario: ['juicefs-mount-crashloop'], expect: 'error MountPodNotReady Pod kube-system/juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem', affects: ['web-0', 'web-2'], evidence: /metadata engine.*:6379: i\/o timeout/ },
  StaleMount: { scenario: ['juicefs-mount-recreated'], expect: 'error StaleMount Pod kube-system/juicefs-n2-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-hvbnta', affects: ['web-1'], evidence: /Transport endpoint is not connected/ },
  MountFailed: { scenario: ['mount-failed'], expect: 'error MountFailed Pod tools/builder-7f6e5d4c3-q8w2e', affects: ['builder-7f6e5d4c3-q8w2e'], evidence: /access denied by server/ },
  AttachFailed: { scenario: ['attach-failed'], expect: 'error AttachFailed VolumeAttachment /csi-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c', affects: ['ledger-0'] },
  ResizePending: { scenario: ['resize'], expect: 'warning ResizePending PersistentVolumeClaim analytics/warehouse', affects: ['warehouse-0'] },
  ResizeFailed: { scenario: ['resize'], expect: 'error ResizeFailed PersistentVolumeClaim db/pg-data', affects: ['postgres-0'], evidence: /No space left on device/ },
  VolumeAbnormal: { scenario: ['volume-abnormal'], expect: 'error VolumeAbnormal PersistentVolumeClaim default/csi-pvc', affects: ['my-csi-app'] },
  VolumeNearlyFull: {
    scenario: [],
    usage: new Map([['shop/orders-db', { usedBytes: 95 * GiB, capacityBytes: 100 * GiB }]]),
    expect: 'warning VolumeNearlyFull PersistentVolumeClaim shop/orders-db',
    affects: ['orders-db-0'],
  },
};

describe('every finding code fires on its incident', () => {
  it('covers every code', () => expect(Object.keys(POSITIVE).sort()).toEqual([...FINDING_CODES].sort()));

  it.each(FINDING_CODES)('%s', (code) => {
    const p = POSITIVE[code];
    const fs = computeFindings(storeWith(healthyWith(...p.scenario), ...(p.edits ?? [])), { now: FIXTURE_NOW, ...(p.usage ? { usage: p.usage } : {}) });
    const f = fs.find((x) => brief(x) === p.expect);
    expect(f, `${p.expect} not in:\n${fs.map(brief).join('\n')}`).toBeDefined();
    if (p.affects) expect(f!.affects.map((a) => a.name)).toEqual(p.affects);
    if (p.evidence) expect(f!.evidence.join('\n')).toMatch(p.evidence);
    expect(f!.message.length).toBeGreaterThan(10);
    expect(f!.message).not.toContain('\n');
  });
});

describe('each scenario says what it should and nothing else', () => {
  const only: [string, string[]][] = [
    ['juicefs-mount-crashloop', ['error MountPodNotReady Pod kube-system/juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem']],
    ['juicefs-mount-recreated', ['error StaleMount Pod kube-system/juicefs-n2-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-hvbnta']],
    ['node-plugin-missing', ['error NodePluginMissing Node /n3']],
    ['rbd-map-timeout', ['error AttachFailed Pod db/pg-replica-0']],
    ['controller-down', ['error PVCPending PersistentVolumeClaim shop/search', 'error ControllerNotReady Pod kube-system/ebs-csi-controller-6c9d8f7b5-4kq2n']],
    ['driver-not-installed', ['error DriverNotInstalled CSIDriver /csi.oldvendor.io']],
    ['volume-abnormal', ['error VolumeAbnormal PersistentVolumeClaim default/csi-pvc']],
  ];
  it.each(only)('%s', (scenario, expected) => {
    expect(findingsOf(healthyWith(scenario)).map(brief)).toEqual(expected);
  });

  it('names the meta engine, not the mount, when a JuiceFS mount pod crash-loops on it', () => {
    const f = findingsOf(healthyWith('juicefs-mount-crashloop'))[0];
    expect(f.message).toMatch(/metadata engine is unreachable/);
  });

  it('reads rbd map timeouts as Ceph reachability', () => {
    const f = findingsOf(healthyWith('rbd-map-timeout'))[0];
    expect(f.message).toMatch(/cannot reach the Ceph cluster/);
    expect(f.driver).toBe('rbd.csi.ceph.com');
  });

  it('grades orphans: Retain is info, a gone driver is a warning with DriverNotInstalled beside it', () => {
    const fs = findingsOf(healthyWith('orphan-pv')).map(brief);
    expect(fs).toContain('info OrphanPV PersistentVolume /pvc-6f1d2e3a-4b5c-4d6e-9f7a-8b9c0d1e2f3a');
    expect(fs).toContain('warning OrphanPV PersistentVolume /pvc-70a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b');
    expect(fs).toContain('warning DriverNotInstalled CSIDriver /csi.oldvendor.io');
  });

  it('a static claim no PV matches: warning alone, error once a pod waits on it', () => {
    const claim = (o: import('../../src/store/project').RawObject[]) => {
      o.push({ kind: 'PersistentVolumeClaim', metadata: { name: 'static', namespace: 'tools', uid: 'st', creationTimestamp: ago(900) }, spec: { storageClassName: '', resources: { requests: { storage: '5Gi' } } }, status: { phase: 'Pending' } });
      o.push({ kind: 'Event', metadata: { name: 'fb', namespace: 'tools', uid: 'fb' }, involvedObject: { kind: 'PersistentVolumeClaim', namespace: 'tools', name: 'static', uid: 'st' }, type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set', count: 60, lastTimestamp: ago(10) });
    };
    expect(findingsOf(HEALTHY, claim).map(brief)).toEqual(['warning PVCPending PersistentVolumeClaim tools/static']);
    const withPod = findingsOf(HEALTHY, claim, (o) => {
      o.push({ kind: 'Pod', metadata: { name: 'needs-static', namespace: 'tools', uid: 'ns1', creationTimestamp: ago(800) }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'static' } }] }, status: { phase: 'Pending' } });
    });
    expect(withPod.map(brief)).toEqual(['error PVCPending PersistentVolumeClaim tools/static']);
    expect(withPod[0].message).toMatch(/no persistent volumes available/);
  });

  it('ResizePending is info when no pod mounts the volume', () => {
    expect(findingsOf(healthyWith('resize')).map(brief)).toContain('info ResizePending PersistentVolumeClaim tools/artifacts');
  });

  it('recognises a node plugin of an unlisted driver crash-looping', () => {
    const fs = findingsOf(HEALTHY, (o) => {
      const p = obj(o, 'Pod', 'vendor-storage', 'vendor-csi-node-z4w8q');
      p.status.conditions = [{ type: 'Ready', status: 'False', lastTransitionTime: ago(600) }];
      p.status.containerStatuses[0] = { name: 'plugin', ready: false, restartCount: 6, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    });
    expect(fs.map(brief)).toEqual(['error NodePluginNotReady Pod vendor-storage/vendor-csi-node-z4w8q']);
    expect(fs[0].driver).toBe('block.csi.vendor.example');
    expect(fs[0].affects.map((a) => a.name)).toEqual(['warehouse-0']);
  });

  it('reads kubelet’s “csi.sock: connect” as a plugin the kubelet cannot reach', () => {
    const fs = findingsOf(healthyWith('driver-not-registered'), (o) => {
      const e = obj(o, 'Event', 'shop', 'reports-0.17e3b1');
      e.message = 'MountVolume.MountDevice failed for volume "pvc-8e9f0a1b-0000-4000-8000-0000000e0401" : rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock: connect: no such file or directory"';
      obj(o, 'CSINode', '', 'n3').spec.drivers.push({ name: 'ebs.csi.aws.com', nodeID: 'i-0a1b2c3d4e5f60713' });
    });
    expect(fs.map(brief)).toEqual(['error NodePluginNotReady Pod kube-system/ebs-csi-node-w2c8v']);
  });
});

/** Normal situations that look like incidents. None may raise its code (and none may raise an error). */
const NEGATIVE: [FindingCode, string, Edit][] = [
  ['PVCPending', 'WaitForFirstConsumer claim with no pod yet', () => {}],
  ['PVCPending', 'a claim created 30 s ago, still provisioning', (o) => {
    const pvc = obj(o, 'PersistentVolumeClaim', 'shop', 'cache');
    pvc.spec.storageClassName = 'csi-rbd-sc';
    pvc.metadata.creationTimestamp = ago(30);
  }],
  ['PVCLost', 'a bound claim', () => {}],
  ['OrphanPV', 'a PV released 20 s ago that is being deleted', (o) => {
    o.push({ kind: 'PersistentVolume', metadata: { name: 'pvc-gone', uid: 'pvgone' }, spec: { csi: { driver: 'rbd.csi.ceph.com', volumeHandle: 'h' }, claimRef: { namespace: 'db', name: 'gone', uid: 'x' }, persistentVolumeReclaimPolicy: 'Delete' }, status: { phase: 'Released', lastPhaseTransitionTime: ago(20) } });
  }],
  ['DriverNotInstalled', 'in-tree NFS PVs and a non-CSI provisioner', (o) => {
    o.push({ kind: 'PersistentVolume', metadata: { name: 'nfs-static', uid: 'nfsstatic' }, spec: { nfs: { server: '10.0.0.5', path: '/x' }, persistentVolumeReclaimPolicy: 'Retain' }, status: { phase: 'Available' } });
    o.push({ kind: 'StorageClass', metadata: { name: 'local-path', uid: 'lp' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' });
  }],
  ['DriverNotInstalled', 'a driver without a CSIDriver object (still registered)', (o) => remove(o, 'CSIDriver', '', 'nfs.csi.k8s.io')],
  ['NodePluginMissing', 'a DaemonSet rolling update between old and new pod', (o) => {
    remove(o, 'Pod', 'kube-system', 'juicefs-csi-node-k2x9q');
    obj(o, 'DaemonSet', 'kube-system', 'juicefs-csi-node').status.updatedNumberScheduled = 2;
  }],
  ['NodePluginMissing', 'plugin pods hidden from us (namespace-scoped view) while CSINode registers the driver', (o) => {
    for (const p of o.filter((x) => x.kind === 'Pod' && x.metadata.namespace === 'ceph-csi')) remove(o, 'Pod', 'ceph-csi', p.metadata.name);
  }],
  ['NodePluginNotReady', 'a rolling update: old pod terminating, new pod starting', (o) => {
    const old = obj(o, 'Pod', 'ceph-csi', 'csi-rbdplugin-9fq2m');
    old.metadata.deletionTimestamp = ago(10);
    o.push({ ...structuredClone(old), metadata: { ...structuredClone(old.metadata), name: 'csi-rbdplugin-new12', uid: 'newplugin', creationTimestamp: ago(15), deletionTimestamp: undefined }, status: { phase: 'Pending', containerStatuses: [{ name: 'csi-rbdplugin', state: { waiting: { reason: 'ContainerCreating' } } }] } });
  }],
  ['NodePluginNotReady', 'plugin, mount pod and controller on a node that is down (stale states)', (o) => {
    obj(o, 'Node', '', 'n2').status.conditions = [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', lastTransitionTime: ago(900) }];
    for (const name of ['csi-rbdplugin-9fq2m']) {
      const p = obj(o, 'Pod', 'ceph-csi', name);
      p.status.conditions = [{ type: 'Ready', status: 'False', lastTransitionTime: ago(900) }];
      p.status.containerStatuses[0] = { name: 'csi-rbdplugin', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    }
    obj(o, 'Pod', 'kube-system', 'juicefs-n2-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-qzpwmx').status.conditions = [{ type: 'Ready', status: 'False', lastTransitionTime: ago(900) }];
  }],
  ['DriverNotRegistered', 'a plugin that became ready 20 s ago and is still registering', (o) => {
    obj(o, 'Pod', 'kube-system', 'ebs-csi-node-w2c8v').status.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: ago(20) }];
    obj(o, 'CSINode', '', 'n3').spec.drivers = obj(o, 'CSINode', '', 'n3').spec.drivers.filter((d: { name: string }) => d.name !== 'ebs.csi.aws.com');
  }],
  ['ControllerNotReady', 'one of two replicas crash-looping', (o) => {
    const p = obj(o, 'Pod', 'ceph-csi', 'csi-rbdplugin-provisioner-7f9c6d8b5-m7v9c');
    p.status.conditions = [{ type: 'Ready', status: 'False' }];
    p.status.containerStatuses[0] = { name: 'csi-rbdplugin', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } };
  }],
  ['MountPodMissing', 'JuiceFS in process mode (no mount pods at all)', (o) => {
    for (const p of o.filter((x) => x.kind === 'Pod' && x.metadata.labels?.['app.kubernetes.io/name'] === 'juicefs-mount')) remove(o, 'Pod', 'kube-system', p.metadata.name);
    delete obj(o, 'Pod', 'web', 'web-0').metadata.annotations;
  }],
  ['MountPodNotReady', 'a mount pod created 30 s ago, still starting', (o) => {
    const p = obj(o, 'Pod', 'kube-system', 'juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem');
    p.metadata.creationTimestamp = ago(30);
    p.status = { phase: 'Pending', containerStatuses: [{ name: 'jfs-mount', state: { waiting: { reason: 'ContainerCreating' } } }] };
  }],
  ['StaleMount', 'a mount pod recreated by a JuiceFS smooth upgrade (the predecessor announced it)', (o) => {
    const p = obj(o, 'Pod', 'kube-system', 'juicefs-n2-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-qzpwmx');
    p.metadata.creationTimestamp = ago(600);
    p.status.containerStatuses[0].state.running.startedAt = ago(590);
    o.push({ kind: 'Event', metadata: { name: 'up', namespace: 'kube-system', uid: 'up' }, involvedObject: { kind: 'Pod', namespace: 'kube-system', name: 'juicefs-n2-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-w2e4r6', uid: 'old-mp' }, type: 'Normal', reason: 'Upgrade', message: 'Upgrade pod [juicefs-n2-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-w2e4r6] with recreating', lastTimestamp: ago(605) });
  }],
  ['StaleMount', 'a mount pod recreated under an app pod that mounts with HostToContainer (mount point recovery)', (o) => {
    const p = obj(o, 'Pod', 'kube-system', 'juicefs-n2-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-qzpwmx');
    p.metadata.creationTimestamp = ago(600);
    p.status.containerStatuses[0].state.running.startedAt = ago(590);
    obj(o, 'Pod', 'web', 'web-1').spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/usr/share/nginx/html', mountPropagation: 'HostToContainer' }];
  }],
  ['StaleMount', 'a dead-mount event from a previous incarnation of the pod', (o) => {
    o.push({ kind: 'Event', metadata: { name: 'old', namespace: 'web', uid: 'oldev' }, involvedObject: { kind: 'Pod', namespace: 'web', name: 'web-1', uid: 'previous-uid' }, type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed: Transport endpoint is not connected', lastTimestamp: ago(3600) });
  }],
  ['MountFailed', 'an old FailedMount on a pod that has since started (web-0)', () => {}],
  ['AttachFailed', 'a volume attaching for 30 s', (o) => {
    const va = obj(o, 'VolumeAttachment', '', 'csi-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b');
    va.metadata.creationTimestamp = ago(30);
    va.status = { attached: false };
  }],
  ['ResizePending', 'a file system resize that started a minute ago on a mounted volume', (o) => {
    obj(o, 'PersistentVolumeClaim', 'db', 'pg-data').status.conditions = [{ type: 'FileSystemResizePending', status: 'True', lastTransitionTime: ago(60) }];
  }],
  ['ResizeFailed', 'a failed resize that a later retry completed', (o) => {
    o.push({ kind: 'Event', metadata: { name: 'rf', namespace: 'db', uid: 'rf' }, involvedObject: { kind: 'PersistentVolumeClaim', namespace: 'db', name: 'pg-data' }, type: 'Warning', reason: 'VolumeResizeFailed', message: 'resize failed: timeout', lastTimestamp: ago(900) });
    o.push({ kind: 'Event', metadata: { name: 'ok', namespace: 'db', uid: 'ok' }, involvedObject: { kind: 'PersistentVolumeClaim', namespace: 'db', name: 'pg-data' }, type: 'Normal', reason: 'FileSystemResizeSuccessful', message: 'MountVolume.NodeExpandVolume succeeded', lastTimestamp: ago(600) });
  }],
  ['VolumeAbnormal', 'an abnormal report cleared by a later VolumeConditionNormal', () => {}],
];

describe('look-alikes of incidents raise nothing', () => {
  it('covers every code', () => expect(new Set(NEGATIVE.map(([c]) => c)).size).toBe(FINDING_CODES.length - 1)); // VolumeNearlyFull: below

  it.each(NEGATIVE)('%s: %s', (code, _what, edit) => {
    const fs = findingsOf(healthyWith('volume-abnormal'), edit).filter((f) => f.code !== 'VolumeAbnormal' || f.object.name !== 'csi-pvc');
    expect(fs.filter((f: Finding) => f.code === code).map(brief)).toEqual([]);
    expect(fs.filter((f) => f.severity === 'error').map(brief)).toEqual([]);
  });

  it('VolumeNearlyFull: a half-full volume', () => {
    const fs = computeFindings(storeWith(HEALTHY), { now: FIXTURE_NOW, usage: new Map([['shop/orders-db', { usedBytes: 50 * GiB, capacityBytes: 100 * GiB, inodesUsed: 10, inodes: 1000 }]]) });
    expect(fs).toEqual([]);
  });

  it('VolumeNearlyFull: inodes count too, and a full volume is an error', () => {
    const fs = computeFindings(storeWith(HEALTHY), { now: FIXTURE_NOW, fullThreshold: 0.8, usage: new Map([['shop/orders-db', { usedBytes: 10 * GiB, capacityBytes: 100 * GiB, inodesUsed: 995, inodes: 1000 }]]) });
    expect(fs.map(brief)).toEqual(['error VolumeNearlyFull PersistentVolumeClaim shop/orders-db']);
    expect(fs[0].message).toMatch(/inodes/);
  });

  it('VolumeNearlyFull is judged apart: a usage change keeps the other findings, which stay in order with it', () => {
    // A store with other findings of both severities (a crashed node plugin, an orphan PV).
    const store = storeWith(healthyWith('node-plugin-crashloop', 'orphan-pv'));
    const without = computeFindings(store, { now: FIXTURE_NOW });
    expect(without.length).toBeGreaterThan(1);
    const half = { usedBytes: 50 * GiB, capacityBytes: 100 * GiB };
    // Nothing full: the very same findings (the views keep theirs and draw nothing).
    expect(computeFindings(store, { now: FIXTURE_NOW, usage: new Map([['shop/orders-db', half]]) })).toBe(without);
    const full = new Map([['shop/orders-db', { usedBytes: 99.5 * GiB, capacityBytes: 100 * GiB }]]);
    const fs = computeFindings(store, { now: FIXTURE_NOW, usage: full });
    expect(fs.filter((f) => f.code !== 'VolumeNearlyFull')).toEqual(without);
    expect(fs.map(brief)).toContain('error VolumeNearlyFull PersistentVolumeClaim shop/orders-db');
    expect(fs).toEqual(sortFindings([...without, ...fs.filter((f) => f.code === 'VolumeNearlyFull')]));
    // The same as judging everything in a fresh store.
    expect(computeFindings(storeWith(healthyWith('node-plugin-crashloop', 'orphan-pv')), { now: FIXTURE_NOW, usage: full })).toEqual(fs);
  });
});

describe('pods readable in one namespace only (a namespaced Role, -n)', () => {
  // What the store holds for such a user: web's pods, none of the drivers' pods elsewhere.
  const onlyWebPods: Edit = (objects) => {
    for (let i = objects.length - 1; i >= 0; i--) if (objects[i].kind === 'Pod' && objects[i].metadata?.namespace !== 'web') objects.splice(i, 1);
  };
  const absence = (fs: readonly Finding[]) => fs.filter((f) => f.code === 'MountPodMissing' || f.code === 'NodePluginMissing').map(brief);

  it('unseen mount pods and node plugins are not called missing', () => {
    const store = storeWith(healthyWith('juicefs-mount-crashloop'), onlyWebPods);
    // Without knowing the list was narrowed, absence looks like a fault (what csi-top must not say)…
    expect(absence(computeFindings(store, { now: FIXTURE_NOW })).length).toBeGreaterThan(0);
    // …with the store status saying so, it is not judged.
    store.setStatus('Pod', { state: 'synced', onlyNamespace: 'web' });
    expect(absence(computeFindings(store, { now: FIXTURE_NOW }))).toEqual([]);
  });
});

describe('findings follow a live store', () => {
  it('appear and clear as watch events change pods, without stale reuse', async () => {
    const { project } = await import('../../src/store/project');
    const { readFixture } = await import('../fixtures/load');
    const store = storeWith(HEALTHY);
    const at = (t: number) => computeFindings(store, { now: FIXTURE_NOW + t }).map(brief);
    expect(at(0)).toEqual([]);
    const healthyMount = store.get('Pod', 'kube-system', 'juicefs-n1-pvc-b7e1c0d2-5a4f-4e3b-8c9d-0e1f2a3b4c5d-ilenem')!;
    const crashing = readFixture('scenarios/juicefs-mount-crashloop').find((o) => o.kind === 'Pod' && o.metadata.name === healthyMount.name)!;
    store.apply('MODIFIED', project('Pod', crashing)!);
    expect(at(1)).toEqual([`error MountPodNotReady Pod kube-system/${healthyMount.name}`]);
    // An unrelated pod changes: the mount verdict must still be there.
    store.apply('MODIFIED', { ...store.get('Pod', 'db', 'postgres-0')!, resourceVersion: 'later' });
    expect(at(2)).toEqual([`error MountPodNotReady Pod kube-system/${healthyMount.name}`]);
    // The served app pod restarts after the mount pod recovers: no stale mount for it any more.
    store.apply('MODIFIED', { ...healthyMount, resourceVersion: 'recovered', containers: healthyMount.containers.map((c) => ({ ...c, restarts: 1, startedAt: FIXTURE_NOW - 60_000 })) });
    expect(at(3)).toEqual([`error StaleMount Pod kube-system/${healthyMount.name}`]);
    const web0 = store.get('Pod', 'web', 'web-0')!;
    store.apply('DELETED', web0);
    store.apply('ADDED', { ...web0, uid: 'web-0-new', resourceVersion: 'new', created: FIXTURE_NOW - 30_000, containers: web0.containers.map((c) => ({ ...c, startedAt: FIXTURE_NOW - 20_000 })) });
    expect(at(4)).toEqual([]);
  });
});
