// Writing responses the way kube-apiserver does: JSON bodies with `Content-Type:
// application/json`, Status bodies for every error, and lists whose items carry no kind or
// apiVersion (the typed list serialisation drops them).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, failure, type Status } from '../errors';
import type { ListResult } from '../lists';
import type { KubeObject } from '../types';

/** Per-request state the router, handlers and request recorder share. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  query: URLSearchParams;
  user: string;
  /** The parsed JSON body of a mutation, for RecordedRequest. */
  body?: unknown;
}

export function sendJson(ex: Exchange, code: number, body: unknown): void {
  sendText(ex, code, typeof body === 'string' ? body : JSON.stringify(body), 'application/json');
}

export function sendText(ex: Exchange, code: number, text: string | Buffer, contentType = 'text/plain'): void {
  const { res } = ex;
  if (res.headersSent || res.destroyed) return;
  res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendStatus(ex: Exchange, s: Status): void {
  sendJson(ex, s.code, s);
}

export function sendError(ex: Exchange, e: unknown): void {
  if (e instanceof ApiError) return sendStatus(ex, e.status);
  const message = e instanceof Error ? e.message : String(e);
  sendStatus(ex, failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }).status);
}

/** An object as a list item: without kind and apiVersion (a loop: rest destructuring is slow). */
function asItem(o: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) if (k !== 'kind' && k !== 'apiVersion') out[k] = o[k];
  return out;
}

export function sendList(ex: Exchange, list: ListResult): void {
  // One stringify for the whole list: per-item calls cost twice as much at 100k items.
  sendJson(ex, 200, JSON.stringify({ kind: list.kind, apiVersion: list.apiVersion, metadata: list.metadata, items: list.items.map(asItem) }));
}

const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728', {});
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; `what` prefixes the decoding error as the apiserver's decoders do. */
export function parseJson(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw badRequest(`${what}${(e as Error).message}`);
  }
}

export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** Query booleans as the apiserver's parameter codec reads them. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || v === 'True' || v === 'TRUE';
}

/** Integer query parameters; a malformed one is a 400 as from the parameter codec. */
export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}
