// Authentication and authorization: 401 for unknown tokens, what anonymous may read, RBAC-style
// 403 messages for every request shape, and SelfSubjectAccessReview answering from the same rules.
// Denials are configured on the simulator (a real cluster would use Roles): sim-only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeReview, PROTOBUF } from '../../src/sim/protobuf';
import type { SsarSpec } from '../../src/sim/rbac';
import { Api, restrictedIt, restrictedUser, simIt, simOf, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
let restricted: Api;
beforeAll(async () => {
  t = await startTarget();
  api = new Api(t.url, t.token, t.caPem);
  restricted = new Api(t.url, 'restricted-token', t.caPem);
  await api.post('/api/v1/nodes', { metadata: { name: 'n1' } });
});
afterEach(() => t.sim?.rbac.reset());
afterAll(() => t?.close());

const forbidden = (message: string, details: Record<string, string>) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });

describe('authentication', () => {
  it('answers 401 Unauthorized for a token it does not know, on every path', async () => {
    for (const p of ['/api/v1/pods', '/version', '/api']) {
      const r = await api.get(p, { token: 'bogus' });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('lets anonymous requests read /version and health only', async () => {
    expect((await api.get('/version', { token: null })).status).toBe(200);
    expect((await api.get('/healthz', { token: null })).status).toBe(200);
    const disc = await api.get('/api', { token: null });
    expect(disc.body).toEqual(forbidden('forbidden: User "system:anonymous" cannot get path "/api"', {}));
    const pods = await api.get('/api/v1/namespaces/default/pods', { token: null });
    expect(pods.body.message).toBe('pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"');
  });
});

describe('a user without rights', () => {
  const ask = (who: Api, spec: Record<string, unknown>) =>
    who.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });

  restrictedIt('gets the RBAC authorizer’s refusal for every request shape', async () => {
    const none = new Api(t.url, restrictedUser(t)!, t.caPem);
    const cluster = await none.get('/api/v1/pods');
    expect(cluster.body).toEqual(forbidden('pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope', { kind: 'pods' }));
    const inNs = await none.get('/api/v1/namespaces/team-a/pods');
    expect(inNs.body.message).toBe('pods is forbidden: User "restricted" cannot list resource "pods" in API group "" in the namespace "team-a"');
    const watch = await none.get('/api/v1/namespaces/team-a/pods?watch=true');
    expect(watch.body.message).toBe('pods is forbidden: User "restricted" cannot watch resource "pods" in API group "" in the namespace "team-a"');
    const one = await none.get('/api/v1/namespaces/team-a/pods/x');
    expect(one.body).toEqual(forbidden('pods "x" is forbidden: User "restricted" cannot get resource "pods" in API group "" in the namespace "team-a"', { name: 'x', kind: 'pods' }));
    const log = await none.get('/api/v1/namespaces/team-a/pods/x/log');
    expect(log.body.message).toBe('pods "x" is forbidden: User "restricted" cannot get resource "pods/log" in API group "" in the namespace "team-a"');
    const proxy = await none.get('/api/v1/nodes/n1/proxy/stats/summary');
    expect(proxy.body).toEqual(forbidden('nodes "n1" is forbidden: User "restricted" cannot get resource "nodes/proxy" in API group "" at the cluster scope', { name: 'n1', kind: 'nodes' }));
    const patch = await none.patch('/api/v1/namespaces/team-a/persistentvolumeclaims/x', { spec: {} });
    expect(patch.body.message).toBe('persistentvolumeclaims "x" is forbidden: User "restricted" cannot patch resource "persistentvolumeclaims" in API group "" in the namespace "team-a"');
    const del = await none.delete('/api/v1/namespaces/team-a/pods/x');
    expect(del.body.message).toBe('pods "x" is forbidden: User "restricted" cannot delete resource "pods" in API group "" in the namespace "team-a"');
    const sc = await none.get('/apis/storage.k8s.io/v1/storageclasses');
    expect(sc.body).toEqual(forbidden('storageclasses.storage.k8s.io is forbidden: User "restricted" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope', { group: 'storage.k8s.io', kind: 'storageclasses' }));
    // Discovery and /version stay open to every authenticated user.
    expect((await none.get('/api/v1')).status).toBe(200);
    expect((await none.get('/version')).status).toBe(200);
  });

  restrictedIt('is told so by SelfSubjectAccessReview; an admin is allowed without a reason', async () => {
    const none = new Api(t.url, restrictedUser(t)!, t.caPem);
    const attrs = { namespace: 'ns', verb: 'get', resource: 'pods', subresource: 'log' };
    const denied = await ask(none, { resourceAttributes: attrs });
    expect(denied.status).toBe(201);
    expect(denied.body).toMatchObject({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: attrs } });
    expect(denied.body.status).toEqual({ allowed: false });
    const patch = await ask(none, { resourceAttributes: { namespace: 'ns', verb: 'patch', resource: 'persistentvolumeclaims' } });
    expect(patch.body.status).toEqual({ allowed: false });
    // admin is in system:masters: the privileged-group authorizer allows it and gives no reason.
    const admin = await ask(api, { resourceAttributes: attrs });
    expect(admin.body.status).toEqual({ allowed: true });
    const paths = await ask(none, { nonResourceAttributes: { path: '/version', verb: 'get' } });
    expect(paths.body.status.allowed).toBe(true);
  });

  it('answers a SelfSubjectAccessReview sent as protobuf (client-go typed clients, k9s) in JSON', async () => {
    const pb = (spec: SsarSpec) => api.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', encodeReview('authorization.k8s.io/v1', 'SelfSubjectAccessReview', spec), { contentType: PROTOBUF });
    const pods = await pb({ resourceAttributes: { verb: 'list', resource: 'pods', version: 'v1' } });
    expect(pods.status).toBe(201);
    expect(pods.body).toMatchObject({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: { verb: 'list', resource: 'pods', version: 'v1' } }, status: { allowed: true } });
    const path = await pb({ nonResourceAttributes: { path: '/version', verb: 'get' } });
    expect(path.body).toMatchObject({ spec: { nonResourceAttributes: { path: '/version', verb: 'get' } }, status: { allowed: true } });
    expect((await pb({})).status).toBe(422);
  });

  it('refuses a SelfSubjectAccessReview without attributes with 422 (the kind is lost in decoding)', async () => {
    const cause = 'Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified';
    const empty = await api.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: {} });
    expect(empty.status).toBe(422);
    expect(empty.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
      message: `.authorization.k8s.io "" is invalid: spec.resourceAttributes: ${cause}`,
      details: { group: 'authorization.k8s.io', causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'spec.resourceAttributes' }] },
    });
    const typed = await ask(api, {});
    expect(typed.body).toEqual(empty.body);
  });
});

describe('RBAC denials', () => {
  simIt('words refusals like the RBAC authorizer, by verb, scope, name and subresource', async () => {
    const rbac = simOf(t).rbac;
    rbac.deny({ user: 'restricted', verb: 'list', resource: 'pods' });
    rbac.deny({ user: 'restricted', verb: 'watch', resource: 'pods' });
    rbac.deny({ user: 'restricted', verb: 'get', resource: 'nodes/proxy' });
    rbac.deny({ user: 'restricted', verb: 'patch', resource: 'persistentvolumeclaims', namespace: 'team-a' });
    rbac.deny({ user: 'restricted', verb: 'list', resource: 'storageclasses', group: 'storage.k8s.io' });

    const cluster = await restricted.get('/api/v1/pods');
    expect(cluster.body).toEqual(forbidden('pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope', { kind: 'pods' }));
    const inNs = await restricted.get('/api/v1/namespaces/team-a/pods');
    expect(inNs.body.message).toBe('pods is forbidden: User "restricted" cannot list resource "pods" in API group "" in the namespace "team-a"');
    const watch = await restricted.get('/api/v1/namespaces/team-a/pods?watch=true');
    expect(watch.body.message).toBe('pods is forbidden: User "restricted" cannot watch resource "pods" in API group "" in the namespace "team-a"');
    const proxy = await restricted.get('/api/v1/nodes/n1/proxy/stats/summary');
    expect(proxy.body).toEqual(forbidden('nodes "n1" is forbidden: User "restricted" cannot get resource "nodes/proxy" in API group "" at the cluster scope', { name: 'n1', kind: 'nodes' }));
    const patch = await restricted.patch('/api/v1/namespaces/team-a/persistentvolumeclaims/x', { spec: {} });
    expect(patch.body.message).toBe('persistentvolumeclaims "x" is forbidden: User "restricted" cannot patch resource "persistentvolumeclaims" in API group "" in the namespace "team-a"');
    const sc = await restricted.get('/apis/storage.k8s.io/v1/storageclasses');
    expect(sc.body).toEqual(forbidden('storageclasses.storage.k8s.io is forbidden: User "restricted" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope', { group: 'storage.k8s.io', kind: 'storageclasses' }));

    // What was not denied still works, for this user and for others.
    expect((await restricted.get('/api/v1/namespaces/team-a/pods/x')).status).toBe(404);
    expect((await restricted.get('/api/v1/nodes/n1')).status).toBe(200);
    expect((await api.get('/api/v1/pods')).status).toBe(200);
  });

  simIt('answers SelfSubjectAccessReviews from the same rules', async () => {
    simOf(t).rbac.deny({ user: 'restricted', verb: 'get', resource: 'pods', subresource: 'log' });
    const ask = (who: Api, resourceAttributes: Record<string, string>) =>
      who.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } });
    const denied = await ask(restricted, { namespace: 'ns', verb: 'get', resource: 'pods', subresource: 'log' });
    expect(denied.status).toBe(201);
    expect(denied.body).toMatchObject({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: { resourceAttributes: { namespace: 'ns', verb: 'get', resource: 'pods', subresource: 'log' } }, status: { allowed: false } });
    const allowed = await ask(restricted, { namespace: 'ns', verb: 'get', resource: 'pods' });
    expect(allowed.body.status.allowed).toBe(true);
    const admin = await ask(api, { namespace: 'ns', verb: 'get', resource: 'pods', subresource: 'log' });
    expect(admin.body.status.allowed).toBe(true);
    const empty = await api.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: {} });
    expect(empty.status).toBe(422);
  });
});
