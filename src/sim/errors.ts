// The apiserver's error vocabulary: metav1.Status bodies built exactly as k8s.io/apimachinery's
// api/errors constructors build them (same messages, reasons, codes and details), and the typed
// ApiError that carries one from the object store to the HTTP layer unchanged.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? `status ${status.code}`);
    this.name = 'ApiError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** A group and resource as the apiserver names them in messages: `pods`, `storageclasses.storage.k8s.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** Drops empty fields the way Go's `omitempty` does, keeping the apiserver's field order. */
function details(d: StatusDetails): StatusDetails | undefined {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

export function failure(code: number, reason: string, message: string, d?: StatusDetails, meta: { continue?: string } = {}): ApiError {
  // Built in the apiserver's field order; Go's omitempty drops an empty message or reason.
  const status = { kind: 'Status', apiVersion: 'v1', metadata: meta, status: 'Failure' } as Status;
  if (message) status.message = message;
  if (reason) status.reason = reason;
  if (d) status.details = details(d);
  status.code = code;
  return new ApiError(status);
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, { name, group: gr.group, kind: gr.resource });
}

/** What the apiserver answers for a path no resource is served at (unknown kinds, Secrets here). */
export function pathNotFound(): ApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, { name, group: gr.group, kind: gr.resource });
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, { name, group: gr.group, kind: gr.resource });
}

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export function forbidden(gr: GroupResource, name: string, why: string): ApiError {
  let message: string;
  if (!gr.resource && !gr.group) message = `forbidden: ${why}`;
  else if (!name) message = `${qualified(gr)} is forbidden: ${why}`;
  else message = `${qualified(gr)} "${name}" is forbidden: ${why}`;
  return failure(403, 'Forbidden', message, { name, group: gr.group, kind: gr.resource });
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): ApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function expired(message: string, cont?: string): ApiError {
  return failure(410, 'Expired', message, undefined, cont ? { continue: cont } : {});
}

export function methodNotAllowed(): ApiError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function internalError(message: string): ApiError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function serviceUnavailable(message: string): ApiError {
  return failure(503, 'ServiceUnavailable', message);
}

export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  // errors.NewTimeoutError prefixes its message with "Timeout: ".
  return failure(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** The generic Status a code maps to when a server gives no better one (errors.NewGenericServerResponse). */
export function generic(code: number, serverMessage = ''): ApiError {
  const table: Record<number, [string, string]> = {
    400: ['BadRequest', 'the server rejected our request for an unknown reason'],
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', serverMessage],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    409: ['Conflict', 'the server reported a conflict'],
    415: ['UnsupportedMediaType', serverMessage],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
  };
  const known = table[code];
  if (known) return failure(code, known[0], known[1], {});
  if (code >= 500) return failure(code, 'InternalError', `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`, {});
  return failure(code, 'Unknown', `the server responded with the status code ${code} but did not return more information`, {});
}

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType = 'Required' | 'Forbidden' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'TooLong';

const causeTypes: Record<FieldErrorType, [string, string]> = {
  Required: ['FieldValueRequired', 'Required value'],
  Forbidden: ['FieldValueForbidden', 'Forbidden'],
  Invalid: ['FieldValueInvalid', 'Invalid value'],
  NotSupported: ['FieldValueNotSupported', 'Unsupported value'],
  Duplicate: ['FieldValueDuplicate', 'Duplicate value'],
  TooLong: ['FieldValueTooLong', 'Too long'],
};

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
}

/** Go's %q for the strings validation messages quote (JSON escaping is the same for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** field.Error.ErrorBody(): the message without the field path. */
export function fieldErrorBody(e: FieldError): string {
  const [, label] = causeTypes[e.type];
  let s = label;
  if (e.type === 'Invalid' || e.type === 'NotSupported' || e.type === 'Duplicate') {
    const v = e.badValue;
    if (typeof v === 'string') s += `: ${goQuote(v)}`;
    else if (typeof v === 'number' || typeof v === 'boolean') s += `: ${v}`;
    else s += `: ${JSON.stringify(v ?? null)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several de-duplicated in brackets. */
export function aggregate(messages: string[]): string {
  const seen = [...new Set(messages)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

/** errors.NewInvalid: 422 with one cause per field error. */
export function invalid(kind: { group: string; kind: string }, name: string, errs: FieldError[]): ApiError {
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  const message = errs.length ? `${qualifiedKind} ${goQuote(name)} is invalid: ${aggregate(errs.map(fieldErrorString))}` : `${qualifiedKind} ${goQuote(name)} is invalid`;
  const causes = errs.map((e) => ({ reason: causeTypes[e.type][0], message: fieldErrorBody(e), field: e.field }));
  // Invalid details always carry the causes list, even with a single cause.
  const err = failure(422, 'Invalid', message, { name, group: kind.group, kind: kind.kind, causes });
  return err;
}
