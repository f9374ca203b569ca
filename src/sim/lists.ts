// LIST semantics of kube-apiserver (served from the watch cache, as in v1.34):
// - resourceVersion unset: the latest state; "0": any state (latest here) and, as the watch
//   cache does, `limit` is ignored (computeListLimit); "N" with limit and no
//   resourceVersionMatch, or with match=Exact: the state exactly at N (410 if compacted);
//   "N" otherwise (NotOlderThan): the latest state.
// - limit/continue: pages come from the snapshot the first page was served from; the token is
//   base64url JSON {"v":"meta.k8s.io/v1","rv":N,"start":"/<key after the last item>\u0000"}
//   like the watch cache's storage.EncodeContinue (key relative to the list's prefix, with a
//   leading "/"), and expires (410 with a fresh rv=-1 token, from etcd: no leading "/") once
//   compacted.
// - remainingItemCount only when no label/field selector is given.
// Items keep kind/apiVersion here; the HTTP layer drops them as the apiserver's JSON lists do.
import { badRequest, expired, failure, invalid, tooLargeResourceVersion, type FieldError } from './errors';
import { matchesFields, parseFieldSelector, type FieldRequirement } from './fields';
import type { History } from './history';
import { matchesLabels, parseLabelSelector, type LabelSelector } from './labels';
import { apiVersionOf, type ResourceInfo } from './resources';
import { lowerBound } from './sorted-keys';
import type { Snapshot, Table } from './table';
import type { KubeObject } from './types';
import type { Predicate } from './watch-hub';

export interface WatchFilter {
  namespace?: string;
  /** Selector string (parsed with the apiserver's grammar) or an already parsed one. */
  labelSelector?: string | LabelSelector;
  fieldSelector?: string | FieldRequirement[];
}

export interface ListOptions extends WatchFilter {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

interface Compiled {
  pred: Predicate | null;
}

function compile(info: ResourceInfo, f: WatchFilter): Compiled {
  let labels: LabelSelector = [];
  let fields: FieldRequirement[] = [];
  try {
    labels = typeof f.labelSelector === 'string' ? parseLabelSelector(f.labelSelector) : (f.labelSelector ?? []);
    fields = typeof f.fieldSelector === 'string' ? parseFieldSelector(info, f.fieldSelector) : (f.fieldSelector ?? []);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  if (!labels.length && !fields.length) return { pred: null };
  return { pred: (o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o) };
}

/** The predicate a watch applies (namespace, labels, fields); throws 400 for bad selectors. */
export function compileFilter(info: ResourceInfo, f: WatchFilter): Predicate {
  const { pred } = compile(info, f);
  const ns = info.namespaced ? f.namespace : undefined;
  if (!ns) return pred ?? (() => true);
  return pred ? (o) => o.metadata.namespace === ns && pred(o) : (o) => o.metadata.namespace === ns;
}

// ---- continue tokens ----

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  const bad = (why: string) => badRequest(`invalid continue token: continue key is not valid: ${why}`);
  const illegal = /[^A-Za-z0-9_-]/.exec(token);
  if (illegal) throw bad(`illegal base64 data at input byte ${illegal.index}`);
  let c: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (c?.v !== 'meta.k8s.io/v1') throw badRequest(`invalid continue token: continue key is not valid: server does not recognize this encoded version ${String(c?.v ?? '')}`);
  const rv = Number(c.rv);
  if (!rv) throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof c.start !== 'string' || !c.start) throw badRequest('invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  // Path traversal guard of storage.DecodeContinue. Keys may start with "/" (tokens from the
  // watch cache) or not (tokens from etcd): both name the same key.
  if (c.start.split('/').some((p, i) => p === '..' || p === '.' || (p === '' && i > 0))) throw badRequest(`invalid continue token: continue key is not valid: ${c.start}`);
  return { rv, start: c.start.startsWith('/') ? c.start.slice(1) : c.start };
}

const TOO_OLD_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function listOptionErrors(o: ListOptions): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (match) {
    if (!o.resourceVersion) errs.push({ type: 'Forbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided' });
    if (o.continue) errs.push({ type: 'Forbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch is forbidden when continue is provided' });
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push({ type: 'NotSupported', field: 'resourceVersionMatch', badValue: match, detail: 'supported values: "Exact", "NotOlderThan", ""' });
    if (match === 'Exact' && o.resourceVersion === '0') errs.push({ type: 'Forbidden', field: 'resourceVersionMatch', detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"' });
  }
  return errs;
}

export interface ListSource {
  info: ResourceInfo;
  table: Table;
  history: History;
  rv: number;
}

function parseRv(s: string): number {
  if (!/^\d+$/.test(s)) throw failure(400, 'BadRequest', `invalid resource version: ${s}`);
  return Number(s);
}

export function listObjects(src: ListSource, o: ListOptions): ListResult {
  const { info, table, history } = src;
  const errs = listOptionErrors(o);
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  const { pred } = compile(info, o);
  const ns = info.namespaced && o.namespace ? o.namespace : '';
  // Keys inside a namespace share the prefix "ns/"; tokens carry keys relative to the list's prefix.
  const prefix = ns ? `${ns}/` : '';
  let limit = o.limit && o.limit > 0 ? Math.floor(o.limit) : 0;
  let snap: Snapshot;
  let listRv: number;
  let start = '';
  if (o.continue) {
    if (o.resourceVersion && o.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    const tok = decodeContinue(o.continue);
    start = prefix + tok.start;
    if (tok.rv === -1) {
      snap = table.snapshot();
      listRv = src.rv;
    } else {
      if (tok.rv < history.compactedRv) throw expired(TOO_OLD_CONTINUE, encodeContinue(-1, tok.start));
      snap = table.snapshotAt(tok.rv, history.since(tok.rv));
      listRv = tok.rv;
    }
  } else if (!o.resourceVersion) {
    snap = table.snapshot();
    listRv = src.rv;
  } else if (o.resourceVersion === '0') {
    limit = 0;
    snap = table.snapshot();
    listRv = src.rv;
  } else {
    const want = parseRv(o.resourceVersion);
    if (want > src.rv) throw tooLargeResourceVersion(want, src.rv);
    const exact = o.resourceVersionMatch === 'Exact' || (!o.resourceVersionMatch && limit > 0);
    if (exact) {
      if (want < history.compactedRv) throw expired('The resourceVersion for the provided list is too old.');
      snap = table.snapshotAt(want, history.since(want));
      listRv = want;
    } else {
      snap = table.snapshot();
      listRv = src.rv;
    }
  }

  const { keys, objs } = snap;
  const end = ns ? lowerBound(keys, `${ns}0`) : keys.length; // '0' sorts right after '/'
  let i = Math.max(ns ? lowerBound(keys, prefix) : 0, start ? lowerBound(keys, start) : 0);
  let items: KubeObject[];
  let last = -1;
  let more = false;
  let remaining: number | undefined;
  if (!pred) {
    const count = Math.max(0, end - i);
    const take = limit ? Math.min(limit, count) : count;
    items = objs.slice(i, i + take);
    last = i + take - 1;
    more = take < count;
    if (more) remaining = count - take;
  } else {
    items = [];
    for (; i < end; i++) {
      if (!pred(objs[i])) continue;
      items.push(objs[i]);
      last = i;
      if (limit && items.length >= limit) {
        more = i < end - 1;
        break;
      }
    }
  }
  const metadata: ListResult['metadata'] = { resourceVersion: String(listRv) };
  if (more && last >= 0) {
    // Served from the watch cache, whose key prefix has no trailing "/": the start key keeps it.
    metadata.continue = encodeContinue(listRv, `/${keys[last].slice(prefix.length)}\u0000`);
    if (remaining !== undefined) metadata.remainingItemCount = remaining;
  }
  return {
    kind: `${info.kind}List`,
    apiVersion: apiVersionOf(info),
    metadata,
    items: info.toView ? items.map(info.toView) : items,
  };
}
