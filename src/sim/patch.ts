// The three patch formats kube-apiserver accepts for built-in kinds:
// - JSON merge patch (RFC 7386),
// - JSON patch (RFC 6902, with evanphx/json-patch's error wording),
// - strategic merge patch, for the cases that matter here: maps merge recursively, `null`
//   deletes, lists of known merge-keyed fields (containers, volumes, conditions, env, …) merge
//   item by item, `finalizers` merges as a set, `$patch: delete|replace`,
//   `$deleteFromPrimitiveList/<field>`; `$setElementOrder` and `$retainKeys` are accepted and
//   ignored. Other lists are replaced, as for fields without a patch strategy. The merge keys are
//   looked up by field name alone, not by the full Go type path: good enough for the kinds served.
import { badRequest, failure, type ApiError } from './errors';

export type PatchType = 'application/merge-patch+json' | 'application/strategic-merge-patch+json' | 'application/json-patch+json';

export const PATCH_TYPES: PatchType[] = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

const unprocessable = (message: string): ApiError => failure(422, 'Invalid', message, {});

// ---- JSON merge patch ----

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// ---- strategic merge patch ----

/** Lists merged item by item, by this key (field name → merge key), as the Go types declare. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', volumes: 'name', env: 'name',
  imagePullSecrets: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath', ports: 'containerPort',
  conditions: 'type', addresses: 'type', ownerReferences: 'uid', hostAliases: 'ip', podIPs: 'ip', hostIPs: 'ip',
  drivers: 'name', resourceClaims: 'name', readinessGates: 'conditionType', topologySpreadConstraints: 'topologyKey',
};
/** Primitive lists with patchStrategy=merge: merged as sets. */
const SET_LISTS = new Set(['finalizers']);

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x.$patch)).map(stripDirectives);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) continue;
    out[k] = stripDirectives(x);
  }
  return out;
}

// The list merge of strategicpatch.mergeSlice, with its element order: the merged items are
// split into those named in the patch and the server-only ones, each kept in its own order
// (patch order, server order), then interleaved by mergeSortedSlice — which puts a patch item
// that the server list does not have before the remaining server-only items.

type Keyed = Record<string, unknown>;

/** strategicpatch index(): position of an item in a list, by merge key (maps) or value (primitives). */
function indexIn(list: unknown[], item: unknown, key: string | undefined): number {
  if (!key) return list.indexOf(item);
  return list.findIndex((x) => isObject(x) && x[key] === (item as Keyed)[key]);
}

/** sort.SliceStable(toSort, less) as normalizeSliceOrder calls it (insertion sort: lists here are short). */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const out = [...toSort];
  const less = (a: unknown, b: unknown) => {
    const ia = indexIn(order, a, key);
    if (ia >= 0) {
      const ib = indexIn(order, b, key);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return out;
}

function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], key: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], key);
      const ri = indexIn(serverOrder, right[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** deduplicateScalars: its in-place algorithm moves the last element into a duplicate's slot. */
function deduplicateScalars(s: unknown[]): unknown[] {
  const out = [...s];
  let length = out.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (out[i] === out[j]) {
        out[j] = out[length];
        out.length = length;
        length--;
        j--;
      }
    }
  }
  return out;
}

function mergeList(field: string, orig: unknown, patch: unknown[]): unknown[] {
  let base = Array.isArray(orig) ? orig : [];
  if (SET_LISTS.has(field)) {
    const merged = deduplicateScalars([...base, ...patch]);
    const inPatch = merged.filter((x) => patch.includes(x));
    const serverOnly = merged.filter((x) => !patch.includes(x));
    return mergeSortedSlice(normalizeSliceOrder(serverOnly, base, undefined), normalizeSliceOrder(inPatch, patch, undefined), base, undefined);
  }
  const key = MERGE_KEYS[field];
  if (!key || !patch.every(isObject)) return stripDirectives(patch) as unknown[];
  // mergeSliceWithSpecialElements: $patch: delete removes from the server list, replace wins.
  let items: Keyed[] = [];
  let replace = false;
  for (const item of patch as Keyed[]) {
    if (item.$patch === undefined) items.push(item);
    else if (item.$patch === 'delete') base = base.filter((x) => !(isObject(x) && x[key] === item[key]));
    else if (item.$patch === 'replace') replace = true;
    else throw badRequest(`Unknown patch type: ${String(item.$patch)} in map: ${JSON.stringify(item)}`);
  }
  if (replace) {
    base = stripDirectives(items) as Keyed[];
    items = [];
  }
  const merged = [...base];
  for (const item of items) {
    const at = merged.findIndex((x) => isObject(x) && x[key] === item[key]);
    if (at >= 0) merged[at] = strategicMerge(merged[at], item);
    else merged.push(stripDirectives(item));
  }
  const inPatch = merged.filter((x) => indexIn(items, x, key) >= 0);
  const serverOnly = merged.filter((x) => indexIn(items, x, key) < 0);
  return mergeSortedSlice(normalizeSliceOrder(serverOnly, base, key), normalizeSliceOrder(inPatch, items, key), base, key);
}

/** Returns the merged value, or undefined when the patch deletes it (`$patch: delete`). */
export function strategicMerge(orig: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch !== undefined) throw badRequest(`Unknown patch type: ${String(patch.$patch)} in map: ${JSON.stringify(patch)}`);
  const out: Record<string, unknown> = isObject(orig) ? { ...orig } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(v) ? v : [];
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((x) => !drop.includes(x));
      continue;
    }
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v);
    else if (isObject(v)) {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  return out;
}

// ---- JSON patch ----

function decodePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`JSON pointer must be empty or start with a "/": ${path}`);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[]): unknown {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function getAt(doc: unknown, path: string): { found: boolean; value?: unknown } {
  const parts = decodePointer(path);
  if (!parts.length) return { found: true, value: doc };
  const parent = parentOf(doc, parts);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const i = Number(last);
    return Number.isInteger(i) && i >= 0 && i < parent.length ? { found: true, value: parent[i] } : { found: false };
  }
  if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) return { found: true, value: parent[last] };
  return { found: false };
}

function addAt(doc: unknown, path: string, value: unknown, op: string): unknown {
  const parts = decodePointer(path);
  if (!parts.length) return value;
  const parent = parentOf(doc, parts);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, value);
  } else if (isObject(parent)) parent[last] = value;
  else throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return doc;
}

function removeAt(doc: unknown, path: string, op: string): unknown {
  const parts = decodePointer(path);
  const parent = parentOf(doc, parts);
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw unprocessable(`Unable to access invalid index: ${last}: invalid index referenced`);
    parent.splice(i, 1);
  } else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else if (op === 'remove') throw unprocessable(`Unable to remove nonexistent key: ${last}: missing value`);
  else throw unprocessable(`${op} operation does not apply: doc is missing key: ${path}: missing value`);
  return doc;
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  for (const raw of ops) {
    if (!isObject(raw)) throw badRequest('json: cannot unmarshal into Go value of type jsonpatch.Operation');
    const { op, path, value, from } = raw as { op?: string; path?: string; value?: unknown; from?: string };
    if (typeof path !== 'string') throw unprocessable(`${op ?? 'operation'} operation missing path`);
    switch (op) {
      case 'add':
        out = addAt(out, path, structuredClone(value), 'add');
        break;
      case 'remove':
        out = removeAt(out, path, 'remove');
        break;
      case 'replace':
        if (!getAt(out, path).found) throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        out = removeAt(out, path, 'replace');
        out = addAt(out, path, structuredClone(value), 'replace');
        break;
      case 'move':
      case 'copy': {
        const src = getAt(out, String(from));
        if (!src.found) throw unprocessable(`${op} operation does not apply: doc is missing from path: ${from}: missing value`);
        if (op === 'move') out = removeAt(out, String(from), 'move');
        out = addAt(out, path, structuredClone(src.value), op);
        break;
      }
      case 'test': {
        const cur = getAt(out, path);
        if (!cur.found || !deepEqual(cur.value, value)) throw unprocessable(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw unprocessable(`Unexpected kind: ${String(op)}`);
    }
  }
  return out;
}

/** Applies a patch of the given content type to a (JSON) object. */
export function applyPatch(type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case 'application/json-patch+json':
      return jsonPatch(target, patch);
    case 'application/merge-patch+json':
      return mergePatch(target, patch);
    case 'application/strategic-merge-patch+json':
      if (!isObject(patch)) throw badRequest('error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
      return strategicMerge(target, patch);
  }
}
