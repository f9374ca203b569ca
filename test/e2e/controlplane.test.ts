// Proves the e2e harness against the real kube-apiserver: objects without controllers, RBAC
// denials, admission, etcd compaction (410) and an apiserver restart that keeps the data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startControlPlane, type ControlPlane, type ObjectLike } from './harness';

let cp: ControlPlane;
let ns: string;

beforeAll(async () => {
  cp = await startControlPlane();
  ns = await cp.admin.createNamespace('e2e');
});

afterAll(async () => {
  await cp?.stop();
});

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function node(name: string): ObjectLike {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.11' }, { type: 'Hostname', address: name }],
      capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    },
  };
}

function pod(namespace: string, name: string, nodeName: string): ObjectLike {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: { nodeName, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] },
  };
}

describe('the control plane', () => {
  it('starts with kubeconfigs for both users and reports the release it was built from', async () => {
    expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const kc = readFileSync(cp.adminKubeconfig, 'utf8');
    expect(kc).toContain(`server: ${cp.server}`);
    expect(kc).toContain(`token: ${cp.adminToken}`);
    expect(readFileSync(cp.restrictedKubeconfig, 'utf8')).toContain(`token: ${cp.restrictedToken}`);
    const version = await cp.admin.get('/version');
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    const who = await cp.restricted.call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(who.status.userInfo).toMatchObject({ username: 'restricted', groups: ['system:authenticated'] });
  });

  it('lets admin create a Node and a Pod bound to it, and set the pod status through /status', async () => {
    const nodeName = `node-${ns}`;
    const n = await cp.admin.apply(node(nodeName));
    expect(n.status.conditions[0]).toMatchObject({ type: 'Ready', status: 'True' });

    const created = await cp.admin.create(pod(ns, 'app', nodeName));
    expect(created.spec.nodeName).toBe(nodeName);
    expect(created.status.phase).toBe('Pending');
    // ServiceAccount admission ran (default ServiceAccount, projected token volume).
    expect(created.spec.serviceAccountName).toBe('default');

    const startedAt = now();
    const updated = await cp.admin.setStatus(created, {
      phase: 'Running',
      hostIP: '10.0.0.11',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      startTime: startedAt,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: startedAt }],
      containerStatuses: [
        { name: 'app', image: 'registry.k8s.io/pause:3.10', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt } } },
      ],
    });
    expect(updated.status.phase).toBe('Running');
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    const read = await cp.admin.read(created);
    expect(read.status.containerStatuses[0].state.running.startedAt).toBe(startedAt);

    // Without a kubelet a graceful delete never finishes; removeObject deletes with grace 0.
    await cp.admin.removeObject(created);
  });

  it('refuses pods in a namespace without a default ServiceAccount (what createNamespace is for)', async () => {
    const bare = `bare-${ns}`;
    await cp.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: bare } });
    const res = await cp.admin.request('POST', `/api/v1/namespaces/${bare}/pods`, { body: pod(bare, 'app', 'nowhere') });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(`pods "app" is forbidden: error looking up service account ${bare}/default: serviceaccount "default" not found`);
  });

  it('gives the restricted user the real 403 Status for a cluster-wide pod list', async () => {
    const res = await cp.restricted.request('GET', '/api/v1/pods');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('refuses a PVC resize on a StorageClass without allowVolumeExpansion with the admission message', async () => {
    const sc = `no-expand-${ns}`;
    const pv = `pv-${ns}`;
    await cp.admin.apply({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: sc }, provisioner: 'example.csi.k8s.io', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    const claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'data' };
    const pvObj = await cp.admin.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pv, annotations: { 'pv.kubernetes.io/provisioned-by': 'example.csi.k8s.io' } },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: sc, csi: { driver: 'example.csi.k8s.io', volumeHandle: 'vol-1' }, claimRef },
      status: { phase: 'Bound' },
    });
    expect(pvObj.status.phase).toBe('Bound');
    const pvc = await cp.admin.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: sc, volumeName: pv },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
    });
    expect(pvc.status.phase).toBe('Bound');
    // StorageObjectInUseProtection admission adds the finalizers kube-controller-manager would remove.
    expect(pvc.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(pvObj.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);

    const path = `/api/v1/namespaces/${ns}/persistentvolumeclaims/data`;
    const res = await cp.admin.request('PATCH', path, {
      body: { spec: { resources: { requests: { storage: '2Gi' } } } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: 'Forbidden',
      message: 'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      details: { name: 'data', kind: 'persistentvolumeclaims' },
    });

    // An unbound claim is refused earlier, by validation (422), whatever its StorageClass.
    await cp.admin.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pending', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: sc },
    });
    const unbound = await cp.admin.request('PATCH', `/api/v1/namespaces/${ns}/persistentvolumeclaims/pending`, {
      body: { spec: { resources: { requests: { storage: '2Gi' } } } },
      contentType: 'application/merge-patch+json',
    });
    expect(unbound.status).toBe(422);
    expect(unbound.body.reason).toBe('Invalid');
    expect(unbound.body.message).toMatch(/^PersistentVolumeClaim "pending" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/);
    expect(unbound.body.details.causes[0]).toMatchObject({ reason: 'FieldValueForbidden', field: 'spec' });

    // Once the StorageClass allows expansion, the same patch is accepted.
    await cp.admin.patch(`/apis/storage.k8s.io/v1/storageclasses/${sc}`, { allowVolumeExpansion: true });
    const grown = await cp.admin.patch(path, { spec: { resources: { requests: { storage: '2Gi' } } } });
    expect(grown.spec.resources.requests.storage).toBe('2Gi');

    // Without controllers the protection finalizers stay; removeObject strips them.
    await cp.admin.removeObject(pvc);
    await cp.admin.removeObject(pvObj);
  });
});

describe('apiserver restart', () => {
  it('keeps every object and the resourceVersions', async () => {
    const cm = await cp.admin.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor', namespace: ns }, data: { k: 'v' } });
    const before = await cp.status();
    await cp.restartApiserver();
    const after = await cp.status();
    expect(after.apiserverPid).not.toBe(before.apiserverPid);
    expect(after.etcdRevision).toBeGreaterThanOrEqual(before.etcdRevision);
    const read = await cp.admin.read(cm);
    expect(read.data).toEqual({ k: 'v' });
    expect(read.metadata.resourceVersion).toBe(cm.metadata.resourceVersion);
    expect(read.metadata.uid).toBe(cm.metadata.uid);
  });
});

// What a client sees after an etcd compaction depends on the watch cache (on in every real
// cluster): kube-apiserver serves watches and paged lists from its cache, whose window starts
// when the apiserver (re)started, not at etcd's compaction. So:
//  - watch cache on: compaction alone changes nothing for watches in the window; after a restart
//    an older resourceVersion gets 410 "too old resource version: <rv> (<window start>)";
//  - watch cache off: requests go to etcd, and a compacted resourceVersion gets 410 "The
//    resourceVersion for the provided watch is too old." (and continue tokens expire).
describe('etcd compaction', () => {
  const cms = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { n: name } });
  const cmPath = () => `/api/v1/namespaces/${ns}/configmaps`;

  it('with the watch cache: a watch from a compacted resourceVersion is still served, and gets 410 once the apiserver restarted', async () => {
    const first = await cp.admin.apply(cms('wc-1'));
    await cp.admin.apply(cms('wc-2'));
    const compacted = await cp.compact();
    expect(compacted).toBeGreaterThan(Number(first.metadata.resourceVersion));
    expect((await cp.status()).etcdCompactRevision).toBe(compacted);

    const served = await cp.admin.watch(cmPath(), { resourceVersion: first.metadata.resourceVersion });
    try {
      const e = await served.next();
      expect(e.type).toBe('ADDED');
      expect(e.object.metadata.name).toBe('wc-2');
    } finally {
      served.close();
    }

    await cp.restartApiserver();
    const w = await cp.admin.watch(cmPath(), { resourceVersion: first.metadata.resourceVersion });
    try {
      expect(w.status).toBe(200);
      const e = await w.next();
      expect(e.type).toBe('ERROR');
      expect(e.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
      expect(e.object.message).toMatch(new RegExp(`^too old resource version: ${first.metadata.resourceVersion} \\(\\d+\\)$`));
    } finally {
      w.close();
    }
  });

  it('without the watch cache: a watch from a compacted resourceVersion ends with a 410 Expired ERROR event, and continue tokens expire', async () => {
    await cp.restartApiserver({ watchCache: false });
    try {
      const first = await cp.admin.apply(cms('etcd-1'));
      await cp.admin.apply(cms('etcd-2'));
      const page = await cp.admin.get(cmPath(), { limit: 1 });
      expect(page.metadata.continue).toBeTruthy();
      await cp.admin.apply(cms('etcd-3'));
      await cp.compact();

      const w = await cp.admin.watch(cmPath(), { resourceVersion: first.metadata.resourceVersion });
      try {
        expect(w.status).toBe(200);
        const e = await w.next();
        expect(e).toEqual({
          type: 'ERROR',
          object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'The resourceVersion for the provided watch is too old.', reason: 'Expired', code: 410 },
        });
      } finally {
        w.close();
      }

      const res = await cp.admin.request('GET', cmPath(), { query: { limit: 1, continue: page.metadata.continue } });
      expect(res.status).toBe(410);
      expect(res.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
      expect(res.body.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\./);
      expect(res.body.metadata.continue).toBeTruthy(); // the token to carry on inconsistently
    } finally {
      await cp.restartApiserver({ watchCache: true });
    }
  });
});
