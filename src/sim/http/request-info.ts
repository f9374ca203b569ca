// Splits a request path into the attributes kube-apiserver authorizes on (RequestInfoFactory):
// API group and version, namespace, resource, name, subresource and the verb, which for GET is
// get, list or watch depending on the name and the `watch` parameter.

export interface RequestInfo {
  isResource: boolean;
  path: string;
  verb: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** Path segments after the subresource (node proxy paths). */
  rest: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = { isResource: false, path, verb: method.toLowerCase(), group: '', version: '', namespace: '', resource: '', name: '', subresource: '', rest: [] };
  const parts = path.split('/').filter(Boolean);
  let i = 0;
  if (parts[i] === 'api') {
    i++;
  } else if (parts[i] === 'apis') {
    i++;
    info.group = parts[i++] ?? '';
  } else return info;
  info.version = parts[i++] ?? '';
  let cur = parts.slice(i).map(safeDecode);
  // A group or version alone is discovery, not a resource request.
  if (!info.version || cur.length === 0 || (parts[0] === 'apis' && !info.group)) return info;
  info.isResource = true;
  let legacyWatch = false;
  if (cur[0] === 'watch') {
    legacyWatch = true;
    cur = cur.slice(1);
  }
  if (cur[0] === 'namespaces' && cur.length > 1) {
    info.namespace = cur[1];
    if (cur.length > 2 && !NAMESPACE_SUBRESOURCES.has(cur[2])) cur = cur.slice(2);
  }
  [info.resource = '', info.name = '', info.subresource = ''] = cur;
  info.rest = cur.slice(3);
  const watch = legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = watch ? 'watch' : info.name ? 'get' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
  }
  return info;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
