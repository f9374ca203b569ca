// LIST over HTTP: paging with limit/continue (consistent snapshots, tokens, remainingItemCount,
// 410 after compaction), resourceVersion semantics, label and field selectors with the
// apiserver's errors, and the JSON list shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, configMap, expireHistory, expiryIt, pod, startTarget, type Target } from './fixture';

let t: Target;
let api: Api;
let ns: string;
beforeAll(async () => {
  t = await startTarget();
  api = new Api(t.url, t.token, t.caPem);
  ns = await api.namespace('list');
  for (let i = 0; i < 7; i++) {
    const labels: Record<string, string> = { app: i % 2 ? 'web' : 'db', idx: String(i) };
    if (i === 3) labels.tier = 'front';
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(`cm-${i}`, labels));
  }
});
afterAll(() => t.close());

const path = (q = '') => `/api/v1/namespaces/${ns}/configmaps${q}`;
const names = (r: { body: any }) => r.body.items.map((o: any) => o.metadata.name);

describe('list shape', () => {
  it('is a typed List whose items carry no kind or apiVersion', async () => {
    const r = await api.get(path());
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('ConfigMapList');
    expect(r.body.apiVersion).toBe('v1');
    expect(r.body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(names(r)).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
    for (const item of r.body.items) {
      expect(item.kind).toBeUndefined();
      expect(item.apiVersion).toBeUndefined();
    }
    const all = await api.get('/api/v1/configmaps');
    expect(all.body.items.filter((o: any) => o.metadata.namespace === ns)).toHaveLength(7);
  });
});

describe('paging', () => {
  it('pages with limit and continue, counting what remains', async () => {
    const p1 = await api.get(path('?limit=3'));
    expect(names(p1)).toEqual(['cm-0', 'cm-1', 'cm-2']);
    expect(p1.body.metadata.remainingItemCount).toBe(4);
    const token = JSON.parse(Buffer.from(p1.body.metadata.continue, 'base64url').toString());
    // Served from the watch cache: the start key is relative to the list's prefix, with a leading "/".
    expect(token).toEqual({ v: 'meta.k8s.io/v1', rv: Number(p1.body.metadata.resourceVersion), start: '/cm-2\u0000' });
    const p2 = await api.get(path(`?limit=3&continue=${p1.body.metadata.continue}`));
    expect(names(p2)).toEqual(['cm-3', 'cm-4', 'cm-5']);
    expect(p2.body.metadata.resourceVersion).toBe(p1.body.metadata.resourceVersion);
    const p3 = await api.get(path(`?limit=3&continue=${p2.body.metadata.continue}`));
    expect(names(p3)).toEqual(['cm-6']);
    expect(p3.body.metadata.continue).toBeUndefined();
    expect(p3.body.metadata.remainingItemCount).toBeUndefined();
  });

  it('serves later pages from the first page’s snapshot', async () => {
    const own = await api.namespace('snap');
    for (const n of ['a', 'b', 'c', 'd']) await api.post(`/api/v1/namespaces/${own}/configmaps`, configMap(n));
    const p1 = await api.get(`/api/v1/namespaces/${own}/configmaps?limit=2`);
    await api.delete(`/api/v1/namespaces/${own}/configmaps/c`);
    await api.post(`/api/v1/namespaces/${own}/configmaps`, configMap('bb'));
    await api.patch(`/api/v1/namespaces/${own}/configmaps/d`, { data: { k: 'changed' } });
    const p2 = await api.get(`/api/v1/namespaces/${own}/configmaps?limit=2&continue=${p1.body.metadata.continue}`);
    expect(names(p2)).toEqual(['c', 'd']);
    expect(p2.body.items[1].data).toEqual({ k: 'v' });
    const fresh = await api.get(`/api/v1/namespaces/${own}/configmaps`);
    expect(names(fresh)).toEqual(['a', 'b', 'bb', 'd']);
  });

  it('pages across namespaces with namespace/name keys in the token', async () => {
    const p1 = await api.get(`/api/v1/configmaps?limit=1&labelSelector=app`);
    const token = JSON.parse(Buffer.from(p1.body.metadata.continue, 'base64url').toString());
    expect(token.start).toBe(`/${ns}/cm-0\u0000`);
    // With a selector, the apiserver does not know how many items remain.
    expect(p1.body.metadata.remainingItemCount).toBeUndefined();
  });

  it('rejects malformed continue tokens and continue with a resourceVersion', async () => {
    const bad = await api.get(path('?limit=2&continue=%25%25%25'));
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^invalid continue token: continue key is not valid: /);
    const p1 = await api.get(path('?limit=2'));
    const both = await api.get(path(`?limit=2&continue=${p1.body.metadata.continue}&resourceVersion=5`));
    expect(both.body).toMatchObject({ code: 400, message: 'specifying resource version is not allowed when using continue' });
  });

  expiryIt('expires continue tokens once history is compacted: 410 with a fresh token', async () => {
    const p1 = await api.get(path('?limit=2'));
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('zz-late'));
    await expireHistory(t);
    const r = await api.get(path(`?limit=2&continue=${p1.body.metadata.continue}`));
    expect(r.status).toBe(410);
    expect(r.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Expired', code: 410,
      message: expect.stringMatching(/^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/),
    });
    // This one comes from etcd (the watch cache no longer has the snapshot): no leading "/".
    const fresh = JSON.parse(Buffer.from(r.body.metadata.continue, 'base64url').toString());
    expect(fresh).toEqual({ v: 'meta.k8s.io/v1', rv: -1, start: 'cm-1\u0000' });
    const resumed = await api.get(path(`?limit=2&continue=${r.body.metadata.continue}`));
    expect(names(resumed)).toEqual(['cm-2', 'cm-3']);
    await api.delete(`/api/v1/namespaces/${ns}/configmaps/zz-late`);
  });
});

describe('resourceVersion', () => {
  it('ignores limit for resourceVersion=0, as the watch cache does', async () => {
    const r = await api.get(path('?limit=2&resourceVersion=0'));
    expect(names(r)).toHaveLength(7);
    expect(r.body.metadata.continue).toBeUndefined();
  });

  it('lists exactly at an older resourceVersion with limit (or resourceVersionMatch=Exact)', async () => {
    const own = await api.namespace('exact');
    await api.post(`/api/v1/namespaces/${own}/configmaps`, configMap('first'));
    const before = (await api.get(`/api/v1/namespaces/${own}/configmaps`)).body.metadata.resourceVersion;
    await api.post(`/api/v1/namespaces/${own}/configmaps`, configMap('second'));
    const exact = await api.get(`/api/v1/namespaces/${own}/configmaps?resourceVersion=${before}&resourceVersionMatch=Exact`);
    expect(names(exact)).toEqual(['first']);
    expect(exact.body.metadata.resourceVersion).toBe(before);
    const paged = await api.get(`/api/v1/namespaces/${own}/configmaps?resourceVersion=${before}&limit=10`);
    expect(names(paged)).toEqual(['first']);
    const notOlder = await api.get(`/api/v1/namespaces/${own}/configmaps?resourceVersion=${before}`);
    expect(names(notOlder)).toEqual(['first', 'second']);
  });

  it('refuses a resourceVersion from the future with 504 Timeout', async () => {
    const r = await api.get(path('?resourceVersion=999999999&resourceVersionMatch=NotOlderThan'));
    expect(r.status).toBe(504);
    expect(r.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Timeout', code: 504,
      message: expect.stringMatching(/^Timeout: Too large resource version: 999999999, current: \d+$/),
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
    });
  });

  expiryIt('answers 410 for an exact list below the compacted history', async () => {
    const before = (await api.get(path())).body.metadata.resourceVersion;
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('zz-exact'));
    await expireHistory(t);
    const r = await api.get(path(`?resourceVersion=${before}&resourceVersionMatch=Exact`));
    expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'The resourceVersion for the provided list is too old.', reason: 'Expired', code: 410 });
    await api.delete(`/api/v1/namespaces/${ns}/configmaps/zz-exact`);
  });

  it('validates resourceVersionMatch', async () => {
    const r = await api.get(path('?resourceVersionMatch=Exact'));
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  });
});

describe('label selectors', () => {
  const cases: Array<[string, string[]]> = [
    ['app=web', ['cm-1', 'cm-3', 'cm-5']],
    ['app==db', ['cm-0', 'cm-2', 'cm-4', 'cm-6']],
    ['app!=web', ['cm-0', 'cm-2', 'cm-4', 'cm-6']],
    ['idx in (1, 2,6)', ['cm-1', 'cm-2', 'cm-6']],
    ['idx notin (0,1,2,3,4)', ['cm-5', 'cm-6']],
    ['tier', ['cm-3']],
    ['!tier,app=web', ['cm-1', 'cm-5']],
    ['app=web,idx in (3,5),tier', ['cm-3']],
    ['idx>4', ['cm-5', 'cm-6']],
    ['idx<1', ['cm-0']],
    ['nothere!=x', ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']],
  ];
  for (const [sel, want] of cases) {
    it(`selects ${sel}`, async () => {
      expect(names(await api.get(path(`?labelSelector=${encodeURIComponent(sel)}`)))).toEqual(want);
    });
  }

  const errors: Array<[string, string]> = [
    ['app in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['app in a', "unable to parse requirement: found 'a' expected: '('"],
    ['app=,', "found '', expected: identifier after ','"],
    ['=x', "found '=', expected: !, identifier, or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['app~web', 'unable to parse requirement: <nil>: Invalid value: "app~web": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')'],
    ['app=a b', "found 'b', expected: ',' or 'end of string'"],
    ['app=-x', 'unable to parse requirement: values[0][app]: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')'],
    ['x>a', 'unable to parse requirement: values[0]: Invalid value: "a": for \'Gt\', \'Lt\' operators, the value must be an integer'],
  ];
  for (const [sel, message] of errors) {
    it(`refuses ${JSON.stringify(sel)} with 400`, async () => {
      const r = await api.get(path(`?labelSelector=${encodeURIComponent(sel)}`));
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
    });
  }
});

describe('field selectors', () => {
  it('selects pods by node, phase, name and namespace', async () => {
    const own = await api.namespace('fields');
    await api.post(`/api/v1/namespaces/${own}/pods`, pod('on-a', { spec: { nodeName: 'node-a' } }));
    await api.post(`/api/v1/namespaces/${own}/pods`, pod('on-b', { spec: { nodeName: 'node-b' } }));
    await api.post(`/api/v1/namespaces/${own}/pods`, pod('nowhere'));
    expect(names(await api.get(`/api/v1/pods?fieldSelector=spec.nodeName=node-a`))).toEqual(['on-a']);
    expect(names(await api.get(`/api/v1/namespaces/${own}/pods?fieldSelector=spec.nodeName!=node-a`))).toEqual(['nowhere', 'on-b']);
    expect(names(await api.get(`/api/v1/namespaces/${own}/pods?fieldSelector=spec.nodeName=`))).toEqual(['nowhere']);
    expect(names(await api.get(`/api/v1/namespaces/${own}/pods?fieldSelector=status.phase==Pending,metadata.name=on-b`))).toEqual(['on-b']);
    expect(names(await api.get(`/api/v1/pods?fieldSelector=metadata.namespace=${own},metadata.name=on-a`))).toEqual(['on-a']);
  });

  it('refuses unsupported labels and bad syntax with 400', async () => {
    const r = await api.get('/api/v1/pods?fieldSelector=spec.hostname=x');
    expect(r.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'field label not supported: spec.hostname', reason: 'BadRequest', code: 400 });
    const ev = await api.get('/api/v1/events?fieldSelector=regarding.name=x');
    expect(ev.body.message).toBe('field label not supported: regarding.name');
    const ev2 = await api.get('/apis/events.k8s.io/v1/events?fieldSelector=involvedObject.name=x');
    expect(ev2.body.message).toBe('field label not supported: involvedObject.name');
    const syntax = await api.get('/api/v1/pods?fieldSelector=spec.nodeName');
    expect(syntax.body.message).toBe("invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
  });
});
