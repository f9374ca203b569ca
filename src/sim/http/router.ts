// One request, start to finish: scripted faults and latency, authentication (bearer tokens),
// authorization (Rbac), then discovery, health, reviews, logs, node proxy, watch or CRUD.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { failure, methodNotAllowed, pathNotFound, unauthorized } from '../errors';
import type { Faults } from '../faults';
import type { LogStore } from '../logs';
import type { ObjectStore } from '../objects';
import { ANONYMOUS, review, type Rbac, type RequestAttributes, type SsarSpec } from '../rbac';
import { lookupResource } from '../resources';
import type { StatsConfig } from '../stats';
import { serveResource } from './crud';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './discovery';
import { serveNodeProxy } from './node-proxy';
import { servePodLogs } from './pod-logs';
import { requestInfo, type RequestInfo } from './request-info';
import { mediaType, parseJson, readBody, sendError, sendJson, sendText, type Exchange } from './respond';
import { decodeReview, PROTOBUF } from '../protobuf';
import { serveWatch } from './watch';

export interface RecordedRequest {
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  user: string;
  /** Parsed JSON body of a mutation. */
  body?: unknown;
  status: number;
}

export interface RouterContext {
  store: ObjectStore;
  logs: LogStore;
  stats: StatsConfig;
  rbac: Rbac;
  faults: Faults;
  users: Record<string, string>;
  bookmarkIntervalMs: number;
  requests: RecordedRequest[];
  /** Open watch streams (dropWatches) and deliberately unanswered requests (shutdown). */
  openWatches: Set<Exchange>;
  hanging: Set<Exchange>;
}

const MAX_RECORDED = 100_000;

function authenticate(ctx: RouterContext, req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header) return ANONYMOUS;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const user = m ? ctx.users[m[1]] : undefined;
  if (!user) throw unauthorized();
  return user;
}

function serveNonResource(ex: Exchange): void {
  const path = ex.path.length > 1 ? ex.path.replace(/\/+$/, '') : ex.path;
  if (path === '/version') return sendJson(ex, 200, VERSION_INFO);
  if (path === '/healthz' || path === '/readyz' || path === '/livez') return sendText(ex, 200, 'ok');
  if (path === '/api') return sendJson(ex, 200, apiVersions());
  if (path === '/apis') return sendJson(ex, 200, apiGroupList());
  const parts = path.split('/').filter(Boolean);
  let doc: unknown = null;
  if (parts[0] === 'api' && parts.length === 2) doc = apiResourceList('', parts[1]);
  if (parts[0] === 'apis' && parts.length === 2) doc = apiGroup(parts[1]);
  if (parts[0] === 'apis' && parts.length === 3) doc = apiResourceList(parts[1], parts[2]);
  if (!doc) throw pathNotFound();
  sendJson(ex, 200, doc);
}

async function serveReview(ctx: RouterContext, ex: Exchange): Promise<void> {
  if (ex.req.method !== 'POST') throw methodNotAllowed();
  const buf = await readBody(ex.req);
  // client-go's typed clients (k9s) send reviews as protobuf.
  const body = (mediaType(ex.req) === PROTOBUF ? decodeReview(buf) : parseJson(buf, "couldn't get version/kind; json parse error: ")) as { spec?: SsarSpec };
  ex.body = body;
  const spec = body?.spec ?? {};
  if (!spec.resourceAttributes === !spec.nonResourceAttributes) {
    // apierrors.NewInvalid(authorizationapi.Kind(selfSAR.Kind), "", errs) on the decoded internal
    // object, whose kind is always empty: ".authorization.k8s.io"; a nil bad value prints as null.
    const cause = 'Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified';
    throw failure(422, 'Invalid', `.authorization.k8s.io "" is invalid: spec.resourceAttributes: ${cause}`, {
      group: 'authorization.k8s.io',
      causes: [{ reason: 'FieldValueInvalid', message: cause, field: 'spec.resourceAttributes' }],
    });
  }
  // kube-apiserver also returns metadata.managedFields here (not maintained by the simulator).
  sendJson(ex, 201, { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec, status: review(ctx.rbac, ex.user, spec) });
}

async function route(ctx: RouterContext, ex: Exchange, ri: RequestInfo): Promise<void> {
  if (!ri.isResource) return serveNonResource(ex);
  const info = lookupResource(ri.group, ri.version, ri.resource);
  if (!info || (!info.namespaced && ri.namespace && info.plural !== 'namespaces')) throw pathNotFound();
  if (info.virtual) return serveReview(ctx, ex);
  const core = info.group === '';
  if (core && info.plural === 'pods' && ri.subresource === 'log') {
    if (ex.req.method !== 'GET') throw methodNotAllowed();
    return servePodLogs({ store: ctx.store, logs: ctx.logs, stats: ctx.stats, hanging: ctx.hanging }, ex, ri.namespace, ri.name);
  }
  if (core && info.plural === 'nodes' && ri.subresource === 'proxy') {
    return serveNodeProxy({ store: ctx.store, stats: ctx.stats, hanging: ctx.hanging }, ex, ri.name, ri.rest);
  }
  if (ri.verb === 'watch') {
    if (ri.subresource) throw pathNotFound();
    // A watch on one object (legacy /watch/.../NAME) is a watch filtered by name.
    if (ri.name) ex.query.set('fieldSelector', [`metadata.name=${ri.name}`, ex.query.get('fieldSelector')].filter(Boolean).join(','));
    return serveWatch({ store: ctx.store, bookmarkIntervalMs: ctx.bookmarkIntervalMs, open: ctx.openWatches }, ex, info, ri.namespace);
  }
  return serveResource(ctx.store, ex, ri, info);
}

/** The request listener shared by the HTTP and HTTPS servers. */
export function createHandler(ctx: RouterContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const ex: Exchange = { req, res, path: url.pathname, query: url.searchParams, user: '' };
    const rec: RecordedRequest = { time: Date.now(), method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), user: '', status: 0 };
    ctx.requests.push(rec);
    // Bounded, so a long --demo session does not grow without end.
    if (ctx.requests.length > MAX_RECORDED) ctx.requests.splice(0, ctx.requests.length - MAX_RECORDED / 2);
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
    (res as { writeHead: unknown }).writeHead = (code: number, ...rest: unknown[]) => {
      rec.status = code;
      return writeHead(code, ...rest);
    };
    try {
      const forced = ctx.faults.take(url.pathname);
      if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
      if (forced) return sendJson(ex, forced.code, forced);
      ex.user = rec.user = authenticate(ctx, req);
      const ri = requestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      const attrs: RequestAttributes = ri.isResource
        ? { user: ex.user, verb: ri.verb, resource: ri.resource, subresource: ri.subresource, group: ri.group, namespace: ri.namespace, name: ri.name }
        : { user: ex.user, verb: (req.method ?? 'GET').toLowerCase(), path: url.pathname };
      if (!ctx.rbac.allowed(attrs)) throw ctx.rbac.refusal(attrs);
      await route(ctx, ex, ri);
    } catch (e) {
      sendError(ex, e);
    } finally {
      if (ex.body !== undefined) rec.body = ex.body;
    }
  };
}
