// WATCH over HTTP: a chunked stream of newline-delimited JSON events, as kube-apiserver sends.
// - resourceVersion unset or "0": synthetic ADDED for the current objects, then changes;
//   "N": every change after N; too old: HTTP 200, then one ERROR event (Status 410 Expired,
//   `too old resource version: N (M)`) and the end of the stream, as from the watch cache.
// - allowWatchBookmarks: a BOOKMARK carrying the latest resourceVersion every bookmarkIntervalMs.
// - sendInitialEvents=true (watch-list, also the v1.34 default for resourceVersion unset or "0"):
//   with allowWatchBookmarks, the initial ADDED events end with a BOOKMARK annotated
//   `k8s.io/initial-events-end: "true"`.
// - timeoutSeconds: the server ends the stream cleanly; unset, it picks 30–60 min like the
//   apiserver's MinRequestTimeout.
import { ApiError, invalid, type FieldError } from '../errors';
import type { ObjectStore } from '../objects';
import { apiVersionOf, type ResourceInfo } from '../resources';
import { eventLine } from '../watch-hub';
import { queryBool, queryInt, sendError, type Exchange } from './respond';

export interface WatchContext {
  store: ObjectStore;
  bookmarkIntervalMs: number;
  /** Open watch responses, so faults can drop them. */
  open: Set<Exchange>;
}

function watchOptionErrors(q: URLSearchParams): FieldError[] {
  const errs: FieldError[] = [];
  if (!queryBool(q, 'sendInitialEvents')) return errs;
  if (q.get('resourceVersionMatch') !== 'NotOlderThan') errs.push({ type: 'Forbidden', field: 'resourceVersionMatch', detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan' });
  if (!queryBool(q, 'allowWatchBookmarks')) errs.push({ type: 'Forbidden', field: 'allowWatchBookmarks', detail: 'sendInitialEvents requires setting allowWatchBookmarks to true' });
  return errs;
}

export function serveWatch(ctx: WatchContext, ex: Exchange, info: ResourceInfo, namespace: string): void {
  const { req, res, query } = ex;
  const errs = watchOptionErrors(query);
  if (errs.length) return sendError(ex, invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs));
  let timeoutSeconds: number | undefined;
  try {
    timeoutSeconds = queryInt(query, 'timeoutSeconds');
  } catch (e) {
    return sendError(ex, e);
  }
  const requestedRv = query.get('resourceVersion') ?? undefined;
  // v1.34 defaults (WatchList on, SetListOptionsDefaults): a watch from resourceVersion unset or
  // "0" without sendInitialEvents/resourceVersionMatch is a watch-list, so with bookmarks allowed
  // its initial events also end with the annotated bookmark.
  const legacy = !query.has('sendInitialEvents') && !query.get('resourceVersionMatch') && (!requestedRv || requestedRv === '0');
  const initialEvents = queryBool(query, 'sendInitialEvents') || (legacy && queryBool(query, 'allowWatchBookmarks'));
  const rv = queryBool(query, 'sendInitialEvents') ? undefined : requestedRv;
  const filter = { namespace, labelSelector: query.get('labelSelector') ?? '', fieldSelector: query.get('fieldSelector') ?? '' };

  const lines: string[] = [];
  let started = false;
  let stop: (() => void) | undefined;
  const write = (line: string) => {
    if (!started) lines.push(line);
    else if (!res.destroyed && !res.writableEnded) res.write(line);
  };
  let startRv = ctx.store.currentRv();
  let failed: ApiError | undefined;
  try {
    stop = ctx.store.watch(info, rv, filter, (_e, line) => write(line()));
    if (rv && rv !== '0') startRv = Math.max(startRv, Number(rv));
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 410) return sendError(ex, e);
    failed = e;
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  started = true;
  for (const l of lines) res.write(l);
  if (failed) {
    res.end(`{"type":"ERROR","object":${JSON.stringify(failed.status)}}\n`);
    return;
  }
  const bookmark = (annotate: boolean) => {
    const rvNow = Math.max(startRv, ctx.store.currentRv());
    const metadata: Record<string, unknown> = { resourceVersion: String(rvNow) };
    if (annotate) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    write(eventLine('BOOKMARK', { kind: info.kind, apiVersion: apiVersionOf(info), metadata } as never));
  };
  if (initialEvents) bookmark(true);

  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    stop?.();
    for (const t of timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    ctx.open.delete(ex);
    if (!res.writableEnded && !res.destroyed) res.end();
  };
  ctx.open.add(ex);
  if (queryBool(query, 'allowWatchBookmarks') && ctx.bookmarkIntervalMs > 0) {
    timers.push(setInterval(() => bookmark(false), ctx.bookmarkIntervalMs));
  }
  const seconds = timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds : 1800 * (1 + Math.random());
  timers.push(setTimeout(finish, seconds * 1000));
  req.on('close', finish);
  res.on('close', finish);
}
