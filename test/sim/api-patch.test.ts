// PATCH over HTTP (merge, strategic merge, JSON patch) and the PVC update rules of v1.34:
// validation (422 with causes) and the PersistentVolumeClaimResize admission plugin (403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, pod, pvc, simIt, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
beforeAll(async () => {
  t = await startTarget();
  api = new Api(t.url, t.token, t.caPem);
  for (const [name, allow] of [['expandable', true], ['fixed', false]] as const) {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: `${name}-${suffix}` }, provisioner: 'csi.example.com', allowVolumeExpansion: allow };
    expect((await api.post('/apis/storage.k8s.io/v1/storageclasses', sc)).status).toBe(201);
  }
});
afterAll(() => t.close());

const suffix = Math.random().toString(36).slice(2, 7);
const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSONPATCH = 'application/json-patch+json';

/** A claim of a class, bound with status.capacity = size (as the PV controller would leave it). */
async function boundClaim(ns: string, name: string, cls: string | undefined, size = '1Gi') {
  const created = await api.post(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc(name, size, cls && `${cls}-${suffix}`));
  expect(created.status).toBe(201);
  const bound = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}/status`, { status: { phase: 'Bound', capacity: { storage: size }, accessModes: ['ReadWriteOnce'] } });
  expect(bound.body.status.phase).toBe('Bound');
  // The PV controller binds the claim once; volumeName may change from empty.
  const named = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`, { spec: { volumeName: `pv-${name}` } });
  expect(named.status).toBe(200);
  return named.body;
}

const grow = (size: string) => ({ spec: { resources: { requests: { storage: size } } } });

describe('patch types', () => {
  it('merge patch: maps merge, null deletes, lists replace', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'm', labels: { a: '1', b: '2' } }, data: { x: '1', y: '2' } });
    const r = await api.patch(`/api/v1/namespaces/${ns}/configmaps/m`, { metadata: { labels: { b: null, c: '3' } }, data: { y: '22' } }, MERGE);
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels).toEqual({ a: '1', c: '3' });
    expect(r.body.data).toEqual({ x: '1', y: '22' });
  });

  it('strategic merge: containers, volumes and conditions merge by key; $patch: delete removes one', async () => {
    const ns = await api.namespace();
    // On a Deployment's pod template: a pod's own spec may change only images and a few fields
    // (ValidatePodUpdate; the simulator does not restrict pod spec updates, see src/sim/README.md).
    const template = { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'app', image: 'app:1' }, { name: 'side', image: 'side:1' }], volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }] } };
    const dep = await api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template } });
    expect(dep.status).toBe(201);
    const r = await api.patch(`/apis/apps/v1/namespaces/${ns}/deployments/d`, {
      spec: { template: { spec: { containers: [{ name: 'side', image: 'side:2' }], volumes: [{ name: 'a', $patch: 'delete' }, { name: 'c', emptyDir: {} }] } } },
    }, STRATEGIC);
    expect(r.status).toBe(200);
    expect(r.body.spec.template.spec.containers.map((c: any) => [c.name, c.image])).toEqual([['app', 'app:1'], ['side', 'side:2']]);
    // mergeSlice's order: a patch item the server list lacks goes before the server-only items.
    expect(r.body.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['c', 'b']);
    const created = await api.post(`/api/v1/namespaces/${ns}/pods`, pod('p'));
    expect(created.status).toBe(201);
    const img = await api.patch(`/api/v1/namespaces/${ns}/pods/p`, { metadata: { finalizers: ['x/y'] }, spec: { containers: [{ name: 'app', image: 'busybox:1.37' }] } }, STRATEGIC);
    expect(img.status).toBe(200);
    expect(img.body.spec.containers.map((c: any) => [c.name, c.image])).toEqual([['app', 'busybox:1.37']]);
    const st = await api.patch(`/api/v1/namespaces/${ns}/pods/p/status`, { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } }, STRATEGIC);
    const st2 = await api.patch(`/api/v1/namespaces/${ns}/pods/p/status`, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, STRATEGIC);
    expect(st.status).toBe(200);
    // Unset condition times come back as null (metav1.Time is a struct: omitempty never drops it).
    const times = { lastProbeTime: null, lastTransitionTime: null };
    expect(st2.body.status.conditions).toEqual([{ type: 'Ready', status: 'True', ...times }, { type: 'PodScheduled', status: 'True', ...times }]);
    const fin = await api.patch(`/api/v1/namespaces/${ns}/pods/p`, { metadata: { finalizers: ['z/w'] } }, STRATEGIC);
    expect(fin.body.metadata.finalizers).toEqual(['z/w', 'x/y']);
    const removed = await api.patch(`/api/v1/namespaces/${ns}/pods/p`, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x/y', 'z/w'] } }, STRATEGIC);
    // An empty list is not serialized (omitempty).
    expect(removed.body.metadata).not.toHaveProperty('finalizers');
  });

  it('JSON patch: add, replace, remove, test; a failed operation is 422', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'j' }, data: { a: '1' } });
    const ok = await api.patch(`/api/v1/namespaces/${ns}/configmaps/j`, [
      { op: 'test', path: '/data/a', value: '1' },
      { op: 'add', path: '/data/b', value: '2' },
      { op: 'replace', path: '/data/a', value: '10' },
      { op: 'add', path: '/metadata/labels', value: { 'x/y': 'z' } },
      { op: 'remove', path: '/data/b' },
    ], JSONPATCH);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ a: '10' });
    expect(ok.body.metadata.labels).toEqual({ 'x/y': 'z' });
    const failed = await api.patch(`/api/v1/namespaces/${ns}/configmaps/j`, [{ op: 'test', path: '/data/a', value: 'nope' }], JSONPATCH);
    expect(failed.status).toBe(422);
    expect(failed.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    const missing = await api.patch(`/api/v1/namespaces/${ns}/configmaps/j`, [{ op: 'remove', path: '/data/zz' }], JSONPATCH);
    expect(missing.status).toBe(422);
  });

  it('refuses other media types with 415 and bad JSON with 400', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'u' } });
    const r = await api.patch(`/api/v1/namespaces/${ns}/configmaps/u`, { data: {} }, 'text/plain');
    expect(r.status).toBe(415);
    // Refused by go-restful (the route does not consume text/plain) before the patch handler.
    expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: '415: Unsupported Media Type', reason: 'UnsupportedMediaType', details: {}, code: 415 });
    const post = await api.post(`/api/v1/namespaces/${ns}/configmaps`, '{}', { contentType: 'text/plain' });
    expect(post.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'UnsupportedMediaType', code: 415,
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    });
    const bad = await api.patch(`/api/v1/namespaces/${ns}/configmaps/u`, '{not json', MERGE);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^error decoding patch: /);
    const gone = await api.patch(`/api/v1/namespaces/${ns}/configmaps/none`, { data: {} }, MERGE);
    expect(gone.body).toMatchObject({ code: 404, message: 'configmaps "none" not found' });
  });
});

describe('PVC updates', () => {
  it('grows a bound claim whose class allows expansion, with every patch type', async () => {
    const ns = await api.namespace();
    await boundClaim(ns, 'data', 'expandable');
    const a = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('2Gi'), MERGE);
    expect(a.status).toBe(200);
    expect(a.body.spec.resources.requests.storage).toBe('2Gi');
    const b = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('3Gi'), STRATEGIC);
    expect(b.body.spec.resources.requests.storage).toBe('3Gi');
    const c = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, [{ op: 'replace', path: '/spec/resources/requests/storage', value: '4Gi' }], JSONPATCH);
    expect(c.body.spec.resources.requests.storage).toBe('4Gi');
  });

  it('refuses growth when the StorageClass does not allow expansion (403, admission)', async () => {
    const ns = await api.namespace();
    await boundClaim(ns, 'data', 'fixed');
    const r = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('2Gi'), STRATEGIC);
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
      reason: 'Forbidden', details: { name: 'data', kind: 'persistentvolumeclaims' }, code: 403,
    });
  });

  it('refuses growth of a claim without a StorageClass (403)', async () => {
    const ns = await api.namespace();
    await boundClaim(ns, 'data', undefined);
    const r = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('2Gi'), MERGE);
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
  });

  it('refuses shrinking below status.capacity (422, v1.34 with RecoverVolumeExpansionFailure)', async () => {
    const ns = await api.namespace();
    await boundClaim(ns, 'data', 'expandable', '2Gi');
    const r = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('1Gi'), MERGE);
    expect(r.status).toBe(422);
    expect(r.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
      reason: 'Invalid',
      details: { name: 'data', kind: 'PersistentVolumeClaim', causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: field can not be less than status.capacity', field: 'spec.resources.requests.storage' }] },
      code: 422,
    });
  });

  it('allows lowering a failed expansion back towards status.capacity', async () => {
    const ns = await api.namespace();
    await boundClaim(ns, 'data', 'expandable', '1Gi');
    await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('10Gi'), MERGE);
    const r = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('2Gi'), MERGE);
    expect(r.status).toBe(200);
    expect(r.body.spec.resources.requests.storage).toBe('2Gi');
  });

  it('refuses changes to anything but requests (422, spec is immutable, with a diff)', async () => {
    const ns = await api.namespace();
    await boundClaim(ns, 'data', 'expandable');
    const r = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, { spec: { accessModes: ['ReadWriteMany'] } }, MERGE);
    expect(r.status).toBe(422);
    // v1.34 appends a unified diff (context 3) of the internal spec as indented JSON.
    const immutable = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    const diff = '@@ -1,6 +1,6 @@\n {\n  "AccessModes": [\n-  "ReadWriteOnce"\n+  "ReadWriteMany"\n  ],\n  "Selector": null,\n  "Resources": {\n';
    expect(r.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
      message: `PersistentVolumeClaim "data" is invalid: spec: Forbidden: ${immutable}\n${diff}`,
      details: { name: 'data', kind: 'PersistentVolumeClaim', causes: [{ reason: 'FieldValueForbidden', message: `Forbidden: ${immutable}\n${diff}`, field: 'spec' }] },
    });
    const sc = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, { spec: { storageClassName: 'other', resources: { limits: { storage: '1.5Gi' } } } }, MERGE);
    expect(sc.status).toBe(422);
    expect(sc.body.message).toBe(
      `PersistentVolumeClaim "data" is invalid: spec: Forbidden: ${immutable}\n` +
        '@@ -4,13 +4,15 @@\n  ],\n  "Selector": null,\n  "Resources": {\n-  "Limits": null,\n+  "Limits": {\n+   "storage": "1536Mi"\n+  },\n   "Requests": {\n    "storage": "1Gi"\n   }\n' +
        `  },\n  "VolumeName": "pv-data",\n- "StorageClassName": "expandable-${suffix}",\n+ "StorageClassName": "other",\n  "VolumeMode": "Filesystem",\n  "DataSource": null,\n  "DataSourceRef": null,\n`,
    );
  });

  it('refuses resizing an unbound claim (422, spec is immutable)', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc('pending', '1Gi', `expandable-${suffix}`));
    const r = await api.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/pending`, grow('2Gi'), MERGE);
    expect(r.status).toBe(422);
    // Unbound, the requests are part of the immutable spec: the diff shows them.
    expect(r.body.message).toBe(
      'PersistentVolumeClaim "pending" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n' +
        '@@ -6,7 +6,7 @@\n  "Resources": {\n   "Limits": null,\n   "Requests": {\n-   "storage": "1Gi"\n+   "storage": "2Gi"\n   }\n  },\n  "VolumeName": "",\n',
    );
  });

  it('validates new claims (422 with one cause per problem)', async () => {
    const ns = await api.namespace();
    const r = await api.post(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, { metadata: { name: 'bad' }, spec: { resources: {} } });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('PersistentVolumeClaim "bad" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]');
    expect(r.body.details.causes.map((c: any) => c.field)).toEqual(['spec.accessModes', 'spec.resources[storage]']);
  });
});

describe('PVC shrink with RecoverVolumeExpansionFailure off (pre-1.32 default)', () => {
  simIt('says "field can not be less than previous value"', async () => {
    const old = await startTarget({ featureGates: { RecoverVolumeExpansionFailure: false } });
    try {
      const oldApi = new Api(old.url, old.token);
      const ns = await oldApi.namespace();
      await oldApi.post(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, pvc('data', '2Gi'));
      await oldApi.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data/status`, { status: { phase: 'Bound', capacity: { storage: '2Gi' } } });
      const r = await oldApi.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/data`, grow('1Gi'));
      expect(r.status).toBe(422);
      expect(r.body.message).toBe('PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value');
    } finally {
      await old.close();
    }
  });
});
