// The protobuf bodies client-go's typed clients send for access reviews. Since client-go 0.35 the
// generated clients of built-in types prefer protobuf (`Content-Type:
// application/vnd.kubernetes.protobuf`) and k9s asks a SelfSubjectAccessReview before every view;
// the simulator answers in JSON, which those clients accept too. Only what a review carries is
// decoded: the `k8s\0` envelope (runtime.Unknown) and SelfSubjectAccessReview's spec
// (k8s.io/api/authorization/v1/generated.proto); every other protobuf body stays 415.
import { badRequest } from './errors';
import type { SsarSpec } from './rbac';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from('k8s\0', 'latin1');

type Fields = Map<number, Buffer[]>;

/** The length-delimited fields of one message (varint fields are skipped: reviews have none we read). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let i = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (i >= buf.length || shift > 49) throw badRequest('proto: truncated varint');
      const b = buf[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const n = varint();
      if (i + n > buf.length) throw badRequest('proto: unexpected EOF');
      const list = out.get(field) ?? [];
      list.push(buf.subarray(i, i + n));
      out.set(field, list);
      i += n;
    } else throw badRequest(`proto: illegal wireType ${wire}`);
    if (i > buf.length) throw badRequest('proto: unexpected EOF');
  }
  return out;
}

const str = (f: Fields, n: number) => f.get(n)?.at(-1)?.toString('utf8');
const msg = (f: Fields, n: number) => {
  const b = f.get(n)?.at(-1);
  return b ? fields(b) : undefined;
};

function strings<K extends string>(f: Fields, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  names.forEach((k, i) => {
    // Go's marshaller writes empty strings too; JSON's omitempty drops them.
    const v = str(f, i + 1);
    if (v) out[k] = v;
  });
  return out;
}

/** A SelfSubjectAccessReview sent as protobuf: its apiVersion, kind and spec. */
export function decodeReview(body: Buffer): { apiVersion?: string; kind?: string; spec: SsarSpec } {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('provided object is not a valid protobuf message (missing the k8s\\0 prefix)');
  const unknown = fields(body.subarray(4));
  const typeMeta = msg(unknown, 1);
  const raw = unknown.get(2)?.at(-1) ?? Buffer.alloc(0);
  const review = fields(raw);
  const spec = msg(review, 2);
  const out: SsarSpec = {};
  const ra = spec && msg(spec, 1);
  const nra = spec && msg(spec, 2);
  if (ra) out.resourceAttributes = strings(ra, ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const);
  if (nra) out.nonResourceAttributes = strings(nra, ['path', 'verb'] as const);
  return { apiVersion: typeMeta && str(typeMeta, 1), kind: typeMeta && str(typeMeta, 2), spec: out };
}

/** Encodes a review the way client-go does (for tests). */
export function encodeReview(apiVersion: string, kind: string, spec: SsarSpec): Buffer {
  const field = (n: number, b: Buffer) => Buffer.concat([varintBytes(n * 8 + 2), varintBytes(b.length), b]);
  const strs = (o: Record<string, string | undefined>, names: readonly string[]) =>
    Buffer.concat(names.flatMap((k, i) => (o[k] === undefined ? [] : [field(i + 1, Buffer.from(o[k]!, 'utf8'))])));
  const parts: Buffer[] = [];
  if (spec.resourceAttributes) parts.push(field(1, strs(spec.resourceAttributes, ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'])));
  if (spec.nonResourceAttributes) parts.push(field(2, strs(spec.nonResourceAttributes, ['path', 'verb'])));
  const review = Buffer.concat([field(1, Buffer.alloc(0)), field(2, Buffer.concat(parts)), field(3, Buffer.alloc(0))]);
  const typeMeta = Buffer.concat([field(1, Buffer.from(apiVersion)), field(2, Buffer.from(kind))]);
  return Buffer.concat([MAGIC, field(1, typeMeta), field(2, review), field(3, Buffer.alloc(0)), field(4, Buffer.alloc(0))]);
}

function varintBytes(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}
