// A list page's bytes: its metadata read from the head, before the items are parsed, so the
// reflector asks for the next page while it parses and projects this one (the server prepares
// it meanwhile instead of waiting for the client).
import { bodyText } from '../util/body-text';
import type { RawObject } from './project';

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ListPage {
  metadata?: ListMeta;
  items?: RawObject[];
}

/**
 * The list's metadata from the head of the body (the apiserver writes kind, apiVersion and
 * metadata before the items); null when the head does not read so (the caller then waits for
 * the parsed page).
 */
export function peekListMeta(body: Buffer): ListMeta | null {
  const at = body.indexOf('"items"');
  if (at < 0 || at > 64 * 1024) return null;
  const head = body.subarray(0, at).toString('utf8').trimEnd();
  if (!head.endsWith(',')) return null;
  try {
    const o = JSON.parse(`${head.slice(0, -1)}}`) as { metadata?: unknown };
    return o && typeof o.metadata === 'object' && o.metadata !== null ? (o.metadata as ListMeta) : null;
  } catch {
    return null;
  }
}

export function parseListPage(body: Buffer): ListPage {
  return JSON.parse(bodyText(body)) as ListPage;
}
