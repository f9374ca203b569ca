// GET/LIST/POST/PUT/PATCH/DELETE on resources and their status subresource, translating HTTP
// into ObjectStore calls with the apiserver's request checks (body type, name and namespace
// agreement with the URL, media types) and status codes (201 on create, 200 otherwise).
import { badRequest, failure, methodNotAllowed, pathNotFound } from '../errors';
import type { ObjectStore } from '../objects';
import { PATCH_TYPES, type PatchType } from '../patch';
import { apiVersionOf, groupResource, type ResourceInfo } from '../resources';
import type { KubeObject } from '../types';
import type { RequestInfo } from './request-info';
import { mediaType, parseJson, queryInt, readBody, sendJson, sendList, type Exchange } from './respond';

const CREATE_MEDIA = 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf';

function listOptions(q: URLSearchParams, namespace: string) {
  return {
    namespace,
    labelSelector: q.get('labelSelector') ?? '',
    fieldSelector: q.get('fieldSelector') ?? '',
    limit: queryInt(q, 'limit'),
    continue: q.get('continue') ?? undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
  };
}

async function objectBody(ex: Exchange, info: ResourceInfo): Promise<KubeObject> {
  const type = mediaType(ex.req);
  if (type && type !== 'application/json' && type !== '*/*') throw failure(415, 'UnsupportedMediaType', CREATE_MEDIA);
  const body = parseJson(await readBody(ex.req), "couldn't get version/kind; json parse error: ");
  ex.body = body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Object \'Kind\' is missing in \'null\'');
  const obj = body as KubeObject;
  const want = apiVersionOf(info);
  obj.apiVersion ??= want;
  obj.kind ??= info.kind;
  if (obj.apiVersion !== want) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  if (obj.kind !== info.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${info.kind})`);
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = { name: '' };
  return obj;
}

function checkNamespace(obj: KubeObject, info: ResourceInfo, namespace: string): void {
  if (!info.namespaced) return;
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  obj.metadata.namespace = namespace;
}

async function deleteOptions(ex: Exchange) {
  const buf = await readBody(ex.req);
  const body = (buf.length ? parseJson(buf, "couldn't get version/kind; json parse error: ") : {}) as Record<string, any>;
  if (buf.length) ex.body = body;
  const grace = queryInt(ex.query, 'gracePeriodSeconds') ?? body.gracePeriodSeconds;
  return { gracePeriodSeconds: grace, preconditions: body.preconditions, propagationPolicy: ex.query.get('propagationPolicy') ?? body.propagationPolicy };
}

export async function serveResource(store: ObjectStore, ex: Exchange, ri: RequestInfo, info: ResourceInfo): Promise<void> {
  const { namespace, name, subresource, verb } = ri;
  const method = ex.req.method ?? 'GET';
  if (subresource && subresource !== 'status') throw pathNotFound();
  if (subresource && !(subresource in info.subresources)) throw pathNotFound();
  // A namespaced kind listed across namespaces only supports reads.
  if (info.namespaced && !namespace && method !== 'GET') throw methodNotAllowed();

  switch (verb) {
    case 'get':
      return sendJson(ex, 200, store.get(info, namespace, name));
    case 'list':
      return sendList(ex, store.list(info, listOptions(ex.query, namespace)));
    case 'create': {
      if (name) throw methodNotAllowed();
      const obj = await objectBody(ex, info);
      checkNamespace(obj, info, namespace);
      delete obj.metadata.uid;
      delete obj.metadata.creationTimestamp;
      return sendJson(ex, 201, store.create(obj, { owned: true }));
    }
    case 'update': {
      const obj = await objectBody(ex, info);
      checkNamespace(obj, info, namespace);
      if (obj.metadata.name && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      obj.metadata.name = name;
      return sendJson(ex, 200, store.update(obj, { owned: true, subresource: subresource || undefined }));
    }
    case 'patch': {
      const type = mediaType(ex.req) as PatchType;
      if ((type as string) === 'application/apply-patch+yaml') {
        // Served by kube-apiserver (server-side apply); not by the simulator (see README).
        throw failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
      }
      if (!PATCH_TYPES.includes(type)) {
        // go-restful refuses a Content-Type the PATCH route does not consume before the handler runs.
        throw failure(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
      }
      const body = parseJson(await readBody(ex.req), 'error decoding patch: ');
      ex.body = body;
      return sendJson(ex, 200, store.patch(info, namespace, name, type, body, { subresource: subresource || undefined }));
    }
    case 'delete':
      if (subresource) throw methodNotAllowed();
      return sendJson(ex, 200, store.delete(info, namespace, name, await deleteOptions(ex)));
    case 'deletecollection': {
      const opts = await deleteOptions(ex);
      const list = store.list(info, { ...listOptions(ex.query, namespace), limit: undefined, continue: undefined });
      const items = list.items.map((o) => store.delete(info, o.metadata.namespace, o.metadata.name, opts)).filter((o): o is KubeObject => o.kind !== 'Status');
      return sendList(ex, { ...list, items });
    }
    default:
      throw methodNotAllowed();
  }
}

export { groupResource };
