// GET /api/v1/nodes/NODE/proxy/...: the apiserver's node proxy to the kubelet, for
// /stats/summary. Unknown nodes are 404; 'unreachable' nodes get the proxy's 503 dial error,
// 'refuses' ones the kubelet's own 403 (text, passed through),
// 'slow' ones answer after stats.slowMs, 'timeout' ones never answer. Other kubelet paths get
// the kubelet's plain-text 404.
import { notFound, serviceUnavailable } from '../errors';
import type { ObjectStore } from '../objects';
import { kubeletForbidden, kubeletPort, nodeAddress, summarize, type StatsConfig } from '../stats';
import { sendJson, sendText, type Exchange } from './respond';

export interface ProxyContext {
  store: ObjectStore;
  stats: StatsConfig;
  hanging: Set<Exchange>;
}

export async function serveNodeProxy(ctx: ProxyContext, ex: Exchange, nodeName: string, rest: string[]): Promise<void> {
  const node = ctx.store.find(ctx.store.info('nodes'), undefined, nodeName);
  if (!node) throw notFound({ group: '', resource: 'nodes' }, nodeName);
  const behaviour = ctx.stats.behaviour(nodeName);
  if (behaviour === 'timeout') {
    ctx.hanging.add(ex);
    ex.res.on('close', () => ctx.hanging.delete(ex));
    return;
  }
  if (behaviour === 'unreachable') {
    throw serviceUnavailable(`error trying to reach service: dial tcp ${nodeAddress(node)}:${kubeletPort(node)}: connect: connection refused`);
  }
  if (behaviour === 'slow') await new Promise((r) => setTimeout(r, ctx.stats.slowMs));
  const path = '/' + rest.join('/');
  // The proxy passes the kubelet's answer through as it is.
  if (behaviour === 'refuses') return sendText(ex, 403, kubeletForbidden(path.startsWith('/stats') ? 'stats' : 'proxy'), 'text/plain; charset=utf-8');
  if (ex.req.method === 'GET' && (path === '/stats/summary' || path === '/stats/summary/')) {
    return sendJson(ex, 200, summarize(ctx.stats, ctx.store, node));
  }
  if (ex.req.method === 'GET' && path === '/healthz') return sendText(ex, 200, 'ok');
  sendText(ex, 404, '404 page not found\n');
}
