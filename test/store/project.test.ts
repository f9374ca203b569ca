import { describe, expect, it } from 'vitest';
import { project } from '../../src/store/project';
import { storeFromObjects } from '../../src/store/from-objects';
import type { PodRec } from '../../src/store/records';

const pod = (name: string, status: object, extra: object = {}) => ({
  kind: 'Pod',
  metadata: { name, namespace: 'app', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-23T08:00:00Z', managedFields: [{ big: 'x' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'juicefs-abc': '/var/lib/kubelet/pods/u1/volumes/kubernetes.io~csi/pv1/mount' } },
  spec: {
    nodeName: 'n1',
    containers: [{ name: 'app', image: 'nginx:1.27' }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }, { name: 'cfg', configMap: { name: 'x' } }, { name: 'scratch', ephemeral: { volumeClaimTemplate: {} } }, { name: 'inline', csi: { driver: 'secrets-store.csi.k8s.io' } }],
    ...extra,
  },
  status,
});

describe('pod projection', () => {
  it('computes kubectl STATUS for a pod waiting in ContainerCreating', () => {
    const r = project('Pod', pod('a', { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] })) as PodRec;
    expect(r.status).toBe('ContainerCreating');
    expect(r.readyCount).toBe(0);
    expect(r.containerCount).toBe(1);
  });

  it('computes CrashLoopBackOff with restarts and keeps the last termination', () => {
    const r = project('Pod', pod('b', { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } }, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: '2026-11-23T08:10:00Z' } } }] })) as PodRec;
    expect(r.status).toBe('CrashLoopBackOff');
    expect(r.restarts).toBe(7);
    expect(r.containers[0].last?.exitCode).toBe(1);
  });

  it('shows Init:0/1 and Terminating like kubectl', () => {
    const init = project('Pod', pod('c', { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] }, { initContainers: [{ name: 'init', image: 'busybox' }] })) as PodRec;
    expect(init.status).toBe('Init:0/1');
    const o = pod('d', { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] });
    (o.metadata as Record<string, unknown>).deletionTimestamp = '2026-11-23T09:00:00Z';
    expect((project('Pod', o) as PodRec).status).toBe('Terminating');
  });

  it('keeps storage volumes and JuiceFS annotations only', () => {
    const r = project('Pod', pod('e', { phase: 'Running' })) as PodRec;
    expect(r.volumes.map((v) => v.name)).toEqual(['data', 'scratch', 'inline']);
    expect(r.volumes[1]).toMatchObject({ claim: 'e-scratch', ephemeral: true });
    expect(r.volumes[2]).toMatchObject({ csiDriver: 'secrets-store.csi.k8s.io' });
    expect(Object.keys(r.annotations)).toEqual(['juicefs-abc']);
    expect(JSON.stringify(r)).not.toContain('managedFields');
    expect(JSON.stringify(r)).not.toContain('last-applied');
  });

  it('extracts CSI hints from a node plugin with $(VAR) expansion', () => {
    const r = project('Pod', pod('plugin', { phase: 'Running' }, {
      containers: [
        { name: 'node-driver-registrar', image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.11.1', args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)'], env: [{ name: 'ADDRESS', value: '/csi/csi.sock' }, { name: 'DRIVER_REG_SOCK_PATH', value: '/var/lib/kubelet/plugins/csi.example.com/csi.sock' }] },
        { name: 'plugin', image: 'example/plugin:1', args: ['--drivername=csi.example.com'] },
      ],
    })) as PodRec;
    expect(r.csi).toEqual({ sidecars: ['node-driver-registrar'], driverNames: ['csi.example.com'], registrationPath: '/var/lib/kubelet/plugins/csi.example.com/csi.sock' });
  });
});

describe('store indexes', () => {
  it('indexes pods by claim and PVs by claim and driver', () => {
    const s = storeFromObjects([
      pod('a', { phase: 'Running' }),
      { kind: 'PersistentVolume', metadata: { name: 'pv1', uid: 'pv1', resourceVersion: '1' }, spec: { csi: { driver: 'csi.juicefs.com', volumeHandle: 'pv1' }, claimRef: { namespace: 'app', name: 'data', uid: 'c1' }, capacity: { storage: '10Gi' } }, status: { phase: 'Bound' } },
      { kind: 'Secret', metadata: { name: 'nope' } },
    ]);
    expect(s.podsUsingClaim('app', 'data').map((p) => p.name)).toEqual(['a']);
    expect(s.pvForClaim('app', 'data')?.name).toBe('pv1');
    expect(s.pvsByDriver('csi.juicefs.com')).toHaveLength(1);
    expect(s.podsOnNode('n1')).toHaveLength(1);
    s.apply('DELETED', s.get('Pod', 'app', 'a')!);
    expect(s.podsUsingClaim('app', 'data')).toHaveLength(0);
    expect(s.podsOnNode('n1')).toHaveLength(0);
  });

  it('replace applies only the difference', () => {
    const s = storeFromObjects([pod('a', { phase: 'Running' }), pod('b', { phase: 'Running' })]);
    const a = s.get('Pod', 'app', 'a')!;
    const c = project('Pod', pod('c', { phase: 'Running' }))!;
    const res = s.replace('Pod', [a, c]);
    expect(res).toEqual({ added: 1, updated: 0, deleted: 1 });
    expect(s.list('Pod').map((p) => p.name).sort()).toEqual(['a', 'c']);
  });
});

describe('compact records', () => {
  it('shares the label set, owner, volume list and healthy conditions of pods from one template', () => {
    const mk = (name: string, started: string) => ({
      kind: 'Pod',
      metadata: { name, namespace: 'app', uid: `uid-${name}`, resourceVersion: '1', labels: { app: 'web', 'pod-template-hash': 'abc' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-1', controller: true }] },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shared' } }] },
      status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: started }, { type: 'Ready', status: 'True', lastTransitionTime: started }] },
    });
    const a = project('Pod', mk('a', '2026-11-23T08:00:00Z')) as PodRec;
    const b = project('Pod', mk('b', '2026-11-23T09:00:00Z')) as PodRec;
    expect(b.labels).toBe(a.labels);
    expect(b.owner).toBe(a.owner);
    expect(b.volumes).toBe(a.volumes);
    expect(b.conditions[0]).toBe(a.conditions[0]);
    // Ready keeps its own time: verdicts ask how long a pod has been ready.
    expect(a.conditions[1].lastTransition).toBe(Date.parse('2026-11-23T08:00:00Z'));
    expect(b.conditions[1].lastTransition).toBe(Date.parse('2026-11-23T09:00:00Z'));
    expect(Object.isFrozen(a.labels)).toBe(true);
  });
});
