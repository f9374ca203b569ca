// Discovery, health and CRUD over HTTP: status codes, Status bodies and object shapes as
// kube-apiserver returns them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, configMap, pod, simIt, simOf, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
beforeAll(async () => {
  t = await startTarget({ podDeletionDelayMs: 200 });
  api = new Api(t.url, t.token, t.caPem);
});
afterAll(() => t.close());

describe('discovery and health', () => {
  it('serves /version, /healthz and /readyz', async () => {
    const v = await api.get('/version');
    expect(v.status).toBe(200);
    expect(v.body.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(v.body.major).toBe('1');
    for (const p of ['/healthz', '/readyz', '/livez']) {
      const r = await api.get(p);
      expect([r.status, r.text]).toEqual([200, 'ok']);
    }
  });

  it('lists the core version and the API groups', async () => {
    const core = await api.get('/api');
    expect(core.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await api.get('/apis');
    expect(groups.body.kind).toBe('APIGroupList');
    const names = groups.body.groups.map((g: any) => g.name);
    for (const g of ['apps', 'storage.k8s.io', 'events.k8s.io', 'coordination.k8s.io', 'authorization.k8s.io']) expect(names).toContain(g);
    const storage = await api.get('/apis/storage.k8s.io');
    expect(storage.body).toMatchObject({ kind: 'APIGroup', name: 'storage.k8s.io', preferredVersion: { groupVersion: 'storage.k8s.io/v1', version: 'v1' } });
  });

  it('describes resources with verbs, short names, scope and subresources', async () => {
    const v1 = await api.get('/api/v1');
    expect(v1.body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const byName = new Map(v1.body.resources.map((r: any) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ namespaced: true, kind: 'Pod', shortNames: ['po'], verbs: expect.arrayContaining(['get', 'list', 'watch', 'create', 'delete', 'patch', 'update']) });
    expect(byName.get('persistentvolumeclaims')).toMatchObject({ namespaced: true, shortNames: ['pvc'] });
    expect(byName.get('persistentvolumes')).toMatchObject({ namespaced: false, shortNames: ['pv'] });
    expect(byName.get('pods/log')).toMatchObject({ verbs: ['get'] });
    expect(byName.get('nodes/proxy')).toBeTruthy();
    expect(byName.get('persistentvolumeclaims/status')).toMatchObject({ verbs: ['get', 'patch', 'update'] });
    const storage = await api.get('/apis/storage.k8s.io/v1');
    expect(storage.body.resources.map((r: any) => r.name)).toEqual(expect.arrayContaining(['storageclasses', 'csidrivers', 'csinodes', 'volumeattachments', 'volumeattachments/status']));
    expect((await api.get('/apis/apps/v1')).body.resources.find((r: any) => r.name === 'daemonsets')).toMatchObject({ shortNames: ['ds'], namespaced: true });
  });

  simIt('does not serve Secrets: 404 like an unknown resource', async () => {
    for (const p of ['/api/v1/secrets', '/api/v1/namespaces/default/secrets', '/api/v1/namespaces/default/secrets/x', '/api/v1/frobs', '/apis/nope.io/v1/things']) {
      const r = await api.get(p);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
    }
    const v1 = await api.get('/api/v1');
    expect(v1.body.resources.map((r: any) => r.name)).not.toContain('secrets');
  });
});

describe('create, read, update, delete', () => {
  it('creates with 201 and server-set metadata, and refuses duplicates with 409 AlreadyExists', async () => {
    const ns = await api.namespace();
    const r = await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('one'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'one', namespace: ns }, data: { k: 'v' } });
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(r.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const dup = await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('one'));
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "one" already exists', reason: 'AlreadyExists', details: { name: 'one', kind: 'configmaps' }, code: 409 });
    const got = await api.get(`/api/v1/namespaces/${ns}/configmaps/one`);
    expect(got.status).toBe(200);
    expect(got.body.metadata.uid).toBe(r.body.metadata.uid);
  });

  it('answers 404 NotFound with the resource and name, group-qualified outside core', async () => {
    const ns = await api.namespace();
    const r = await api.get(`/api/v1/namespaces/${ns}/pods/ghost`);
    expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "ghost" not found', reason: 'NotFound', details: { name: 'ghost', kind: 'pods' }, code: 404 });
    const sc = await api.get('/apis/storage.k8s.io/v1/storageclasses/ghost');
    expect(sc.body).toMatchObject({ message: 'storageclasses.storage.k8s.io "ghost" not found', details: { name: 'ghost', group: 'storage.k8s.io', kind: 'storageclasses' }, code: 404 });
  });

  it('validates names (422 Invalid with causes) and namespaces (404 for a missing one)', async () => {
    const ns = await api.namespace();
    const bad = await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('Bad_Name'));
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    expect(bad.body.message).toBe(
      `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    expect(bad.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: expect.stringMatching(/^Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/), field: 'metadata.name' }]);
    const noName = await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: {} });
    expect(noName.body.message).toBe('ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required');
    const gen = await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { generateName: 'gen-' } });
    expect(gen.status).toBe(201);
    expect(gen.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const missing = await api.post('/api/v1/namespaces/no-such-ns/configmaps', configMap('x'));
    expect(missing.body).toMatchObject({ code: 404, reason: 'NotFound', message: 'namespaces "no-such-ns" not found' });
    const mismatch = await api.post(`/api/v1/namespaces/${ns}/configmaps`, { ...configMap('x'), metadata: { name: 'x', namespace: 'other' } });
    expect(mismatch.body).toMatchObject({ code: 400, reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' });
  });

  it('updates with optimistic concurrency: a stale resourceVersion is 409 Conflict', async () => {
    const ns = await api.namespace();
    const created = (await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('cm'))).body;
    const v2 = await api.put(`/api/v1/namespaces/${ns}/configmaps/cm`, { ...created, data: { k: 'v2' } });
    expect(v2.status).toBe(200);
    expect(Number(v2.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await api.put(`/api/v1/namespaces/${ns}/configmaps/cm`, { ...created, data: { k: 'v3' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict', details: { name: 'cm', kind: 'configmaps' }, code: 409,
    });
    const wrongName = await api.put(`/api/v1/namespaces/${ns}/configmaps/cm`, { ...v2.body, metadata: { ...v2.body.metadata, name: 'other' } });
    expect(wrongName.body).toMatchObject({ code: 400, message: 'the name of the object (other) does not match the name on the URL (cm)' });
    const noop = await api.put(`/api/v1/namespaces/${ns}/configmaps/cm`, v2.body);
    expect(noop.body.metadata.resourceVersion).toBe(v2.body.metadata.resourceVersion);
  });

  it('keeps status out of main-resource writes and spec out of /status writes (metadata goes through both)', async () => {
    const ns = await api.namespace();
    const created = (await api.post(`/api/v1/namespaces/${ns}/persistentvolumeclaims`, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound' } })).body;
    expect(created.status).toEqual({ phase: 'Pending' });
    const main = await api.put(`/api/v1/namespaces/${ns}/persistentvolumeclaims/c`, { ...created, metadata: { ...created.metadata, labels: { a: 'b' } }, status: { phase: 'Lost' } });
    expect(main.body.status.phase).toBe('Pending');
    expect(main.body.metadata.labels).toEqual({ a: 'b' });
    const st = await api.put(`/api/v1/namespaces/${ns}/persistentvolumeclaims/c/status`, { ...main.body, metadata: { ...main.body.metadata, labels: { a: 'changed' } }, spec: { ...main.body.spec, volumeName: 'pv-x' }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } });
    expect(st.status).toBe(200);
    expect(st.body.status).toEqual({ phase: 'Bound', capacity: { storage: '1Gi' } });
    // The PVC status strategy only resets the spec: labels sent to /status are kept.
    expect(st.body.metadata.labels).toEqual({ a: 'changed' });
    expect(st.body.spec.volumeName).toBeUndefined();
    // VolumeAttachment's resets the metadata too (ResetObjectMetaForStatus).
    const va = { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: `va-${ns}`, labels: { a: 'b' } }, spec: { attacher: 'x.csi.example.com', nodeName: 'n1', source: { persistentVolumeName: 'pv-x' } } };
    expect((await api.post('/apis/storage.k8s.io/v1/volumeattachments', va)).status).toBe(201);
    const vaSt = await api.patch(`/apis/storage.k8s.io/v1/volumeattachments/va-${ns}/status`, { metadata: { labels: { a: 'changed' } }, status: { attached: true } });
    expect(vaSt.body.metadata.labels).toEqual({ a: 'b' });
    expect(vaSt.body.status).toEqual({ attached: true });
  });

  it("sets a pod's QoS class at creation from cpu and memory (init containers too) and keeps it through /status", async () => {
    const ns = await api.namespace();
    const res = (r: Record<string, any>) => ({ name: 'app', image: 'busybox:1.36', resources: r });
    const cases: Array<[string, Record<string, any>, string]> = [
      ['none', { containers: [res({})] }, 'BestEffort'],
      ['storage-only', { containers: [res({ requests: { 'ephemeral-storage': '1Gi' } })] }, 'BestEffort'],
      ['requests', { containers: [res({ requests: { cpu: '100m' } })] }, 'Burstable'],
      ['limits-only', { containers: [res({ limits: { cpu: '1', memory: '1Gi' } })] }, 'Guaranteed'],
      ['init-short', { containers: [res({ limits: { cpu: '1', memory: '1Gi' } })], initContainers: [{ ...res({ requests: { cpu: '1' } }), name: 'init' }] }, 'Burstable'],
    ];
    for (const [name, spec, qos] of cases) {
      const r = await api.post(`/api/v1/namespaces/${ns}/pods`, pod(name, { spec }));
      expect([name, r.status, r.body.status?.qosClass]).toEqual([name, 201, qos]);
    }
    // A status write without the class keeps it; one with another class is refused.
    const kept = await api.patch(`/api/v1/namespaces/${ns}/pods/requests/status`, { status: { phase: 'Pending', qosClass: null } });
    expect(kept.body.status.qosClass).toBe('Burstable');
    const changed = await api.patch(`/api/v1/namespaces/${ns}/pods/requests/status`, { status: { qosClass: 'BestEffort' } });
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({ reason: 'Invalid', message: 'Pod "requests" is invalid: status.qosClass: Invalid value: "BestEffort": field is immutable' });
  });

  it('deletes: 200 with the object for pods, a Success Status for config maps, 404 after', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('gone'));
    const del = await api.delete(`/api/v1/namespaces/${ns}/configmaps/gone`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name: 'gone', kind: 'configmaps', uid: expect.any(String) } });
    const again = await api.delete(`/api/v1/namespaces/${ns}/configmaps/gone`);
    expect(again.body).toMatchObject({ code: 404, message: 'configmaps "gone" not found' });
    await api.post(`/api/v1/namespaces/${ns}/pods`, pod('unscheduled'));
    const p = await api.delete(`/api/v1/namespaces/${ns}/pods/unscheduled`);
    expect(p.body).toMatchObject({ kind: 'Pod', metadata: { name: 'unscheduled' } });
    expect((await api.get(`/api/v1/namespaces/${ns}/pods/unscheduled`)).status).toBe(404);
    // Storage kinds return the deleted object too (their registries set ReturnDeletedObject).
    const driver = `del-${ns}.csi.example.com`;
    await api.post('/apis/storage.k8s.io/v1/csidrivers', { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: { name: driver }, spec: {} });
    const d = await api.delete(`/apis/storage.k8s.io/v1/csidrivers/${driver}`);
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ kind: 'CSIDriver', apiVersion: 'storage.k8s.io/v1', metadata: { name: driver } });
  });

  it('deletes scheduled pods gracefully: deletionTimestamp first, gone after the delay; grace 0 at once', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/pods`, pod('web', { spec: { nodeName: 'node-1' } }));
    const del = await api.delete(`/api/v1/namespaces/${ns}/pods/web`, { gracePeriodSeconds: 5 });
    expect(del.status).toBe(200);
    expect(del.body.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(del.body.metadata.deletionTimestamp).toMatch(/Z$/);
    expect((await api.get(`/api/v1/namespaces/${ns}/pods/web`)).body.metadata.deletionTimestamp).toBe(del.body.metadata.deletionTimestamp);
    await expect.poll(async () => (await api.get(`/api/v1/namespaces/${ns}/pods/web`)).status, { timeout: 7000 }).toBe(404);
    await api.post(`/api/v1/namespaces/${ns}/pods`, pod('now', { spec: { nodeName: 'node-1' } }));
    await api.delete(`/api/v1/namespaces/${ns}/pods/now?gracePeriodSeconds=0`);
    expect((await api.get(`/api/v1/namespaces/${ns}/pods/now`)).status).toBe(404);
  });

  it('keeps objects with finalizers until the last finalizer is removed', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const del = await api.delete(`/api/v1/namespaces/${ns}/configmaps/held`);
    expect(del.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'], deletionTimestamp: expect.any(String) } });
    const cur = (await api.get(`/api/v1/namespaces/${ns}/configmaps/held`)).body;
    expect(cur.metadata.deletionTimestamp).toBeTruthy();
    const released = await api.patch(`/api/v1/namespaces/${ns}/configmaps/held`, { metadata: { finalizers: null } });
    expect(released.status).toBe(200);
    expect((await api.get(`/api/v1/namespaces/${ns}/configmaps/held`)).status).toBe(404);
  });

  it('serves events under both core/v1 and events.k8s.io/v1', async () => {
    const ns = await api.namespace();
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', namespace: ns, name: 'web', uid: 'u1' },
      reason: 'FailedMount', message: 'MountVolume.SetUp failed', type: 'Warning', source: { component: 'kubelet' }, count: 3,
    };
    expect((await api.post(`/api/v1/namespaces/${ns}/events`, ev)).status).toBe(201);
    const v1 = await api.get(`/apis/events.k8s.io/v1/namespaces/${ns}/events/e1`);
    expect(v1.body).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', regarding: { kind: 'Pod', name: 'web' }, note: 'MountVolume.SetUp failed', deprecatedCount: 3, reason: 'FailedMount', type: 'Warning' });
    const list = await api.get(`/apis/events.k8s.io/v1/namespaces/${ns}/events?fieldSelector=regarding.name=web`);
    expect(list.body.kind).toBe('EventList');
    expect(list.body.items.map((e: any) => e.note)).toEqual(['MountVolume.SetUp failed']);
    const core = await api.get(`/api/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name=web,reason=FailedMount,source=kubelet`);
    expect(core.body.items).toHaveLength(1);
  });

  simIt('deletes a namespace with its contents', async () => {
    const ns = await api.namespace();
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('a'));
    const del = await api.delete(`/api/v1/namespaces/${ns}`);
    expect(del.body).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    const refused = await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('b'));
    expect(refused.body).toMatchObject({ code: 403, message: `configmaps "b" is forbidden: unable to create new content in namespace ${ns} because it is being terminated` });
    await expect.poll(async () => (await api.get(`/api/v1/namespaces/${ns}`)).status, { timeout: 5000 }).toBe(404);
    expect(simOf(t).objects.list('configmaps', { namespace: ns }).items).toEqual([]);
  });
});
