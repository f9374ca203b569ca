// GET /api/v1/namespaces/NS/pods/NAME/log: the apiserver's checks (container choice, option
// validation), then the kubelet's part (serveContainerLogs: validateContainerLogStatus, from the
// pod's container statuses, then the LogStore's lines as text/plain: sinceTime/sinceSeconds,
// tailLines, timestamps, limitBytes, and follow until the container restarts, the pod is deleted
// or the client leaves). The pod's node misbehaves here as it does for stats.
import { badRequest, failure, invalid, type FieldError } from '../errors';
import { logTimestamp, type LogLine, type LogStore } from '../logs';
import type { ObjectStore } from '../objects';
import { kubeletForbidden, kubeletPort, nodeAddress, type StatsConfig } from '../stats';
import type { KubeObject } from '../types';
import { queryBool, queryInt, sendText, type Exchange } from './respond';

export interface LogContext {
  store: ObjectStore;
  logs: LogStore;
  stats: StatsConfig;
  /** Responses left hanging by 'timeout' nodes, ended on shutdown. */
  hanging: Set<Exchange>;
}

const names = (cs: any[] | undefined) => `[${(cs ?? []).map((c) => c.name).join(' ')}]`;

/** LogLocation: which container, or the 400 for an ambiguous or unknown one. */
function chooseContainer(pod: KubeObject, requested: string): string {
  const spec = pod.spec ?? {};
  const name = pod.metadata.name;
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  if (requested) {
    if (!all.some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const containers = spec.containers ?? [];
  if (containers.length === 1) return containers[0].name;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  let msg = `a container name must be specified for pod ${name}, choose one of: ${names(containers)}`;
  if (spec.initContainers?.length) msg += ` or one of the init containers: ${names(spec.initContainers)}`;
  if (spec.ephemeralContainers?.length) msg += ` or one of the ephemeral containers: ${names(spec.ephemeralContainers)}`;
  throw badRequest(msg);
}

/** The kubelet's validateContainerLogStatus; returns whether the container is running. */
function checkContainerState(pod: KubeObject, container: string, previous: boolean): boolean {
  const st = pod.status ?? {};
  const status = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? []), ...(st.ephemeralContainerStatuses ?? [])].find((s: any) => s.name === container);
  const c = JSON.stringify(container);
  const p = JSON.stringify(pod.metadata.name);
  if (!status) throw badRequest(`container ${c} in pod ${p} is not available`);
  const last = status.lastState?.terminated;
  const { waiting, running, terminated } = status.state ?? {};
  if (previous) {
    if (!last) throw badRequest(`previous terminated container ${c} in pod ${p} not found`);
    return false;
  }
  if (running) return true;
  if (terminated || last) return false;
  if (waiting) {
    const reason = waiting.reason ?? '';
    if (reason === 'ErrImagePull') throw badRequest(`container ${c} in pod ${p} is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw badRequest(`container ${c} in pod ${p} is waiting to start: trying and failing to pull image`);
    throw badRequest(`container ${c} in pod ${p} is waiting to start: ${reason}`);
  }
  throw badRequest(`container ${c} in pod ${p} is waiting to start - no logs yet`);
}

function optionErrors(q: URLSearchParams): FieldError[] {
  const errs: FieldError[] = [];
  const tail = queryInt(q, 'tailLines');
  const since = queryInt(q, 'sinceSeconds');
  const limit = queryInt(q, 'limitBytes');
  if (tail !== undefined && tail < 0) errs.push({ type: 'Invalid', field: 'tailLines', badValue: tail, detail: 'must be greater than or equal to 0' });
  if (limit !== undefined && limit < 1) errs.push({ type: 'Invalid', field: 'limitBytes', badValue: limit, detail: 'must be greater than 0' });
  if (since !== undefined && q.get('sinceTime')) errs.push({ type: 'Forbidden', field: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  if (since !== undefined && since < 1) errs.push({ type: 'Invalid', field: 'sinceSeconds', badValue: since, detail: 'must be greater than 0' });
  return errs;
}

/** The kubelet URL's query as LogLocation encodes it (url.Values: keys sorted), with its leading '?'. */
function kubeletQuery(q: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const k of ['follow', 'previous', 'timestamps']) if (queryBool(q, k)) out.set(k, 'true');
  for (const k of ['sinceSeconds', 'tailLines', 'limitBytes']) {
    const v = queryInt(q, k);
    if (v !== undefined) out.set(k, String(v));
  }
  const since = q.get('sinceTime');
  if (since) out.set('sinceTime', new Date(Date.parse(since)).toISOString().replace(/\.\d+Z$/, 'Z'));
  out.sort();
  const s = out.toString();
  return s ? `?${s}` : '';
}

export async function servePodLogs(ctx: LogContext, ex: Exchange, namespace: string, name: string): Promise<void> {
  const { store, logs, stats } = ctx;
  const pod = store.get('pods', namespace, name);
  const q = ex.query;
  const errs = optionErrors(q);
  if (errs.length) throw invalid({ group: '', kind: 'PodLogOptions' }, name, errs);
  const sinceTimeText = q.get('sinceTime');
  if (sinceTimeText && Number.isNaN(Date.parse(sinceTimeText))) throw badRequest(`parsing time "${sinceTimeText}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTimeText}" as "2006"`);
  const container = chooseContainer(pod, q.get('container') ?? '');
  const node = pod.spec?.nodeName;
  if (!node) return sendText(ex, 200, '');
  const nodeObj = store.find(store.info('nodes'), undefined, node);
  const behaviour = stats.behaviour(node);
  if (behaviour === 'timeout') {
    ctx.hanging.add(ex);
    ex.res.on('close', () => ctx.hanging.delete(ex));
    return;
  }
  if (behaviour === 'unreachable') {
    // The dial error of the request LogLocation built, as is (a Status with no reason).
    const host = `${nodeObj ? nodeAddress(nodeObj) : '10.0.0.1'}:${nodeObj ? kubeletPort(nodeObj) : 10250}`;
    throw failure(500, '', `Get "https://${host}/containerLogs/${namespace}/${name}/${container}${kubeletQuery(q)}": dial tcp ${host}: connect: connection refused`);
  }
  if (behaviour === 'refuses') {
    // The kubelet's 403 through the pods/log response checker (NewGenericServerResponse).
    throw failure(403, 'Forbidden', `${kubeletForbidden('proxy')} ( pods/log ${name})`, { name, kind: 'pods/log' });
  }
  if (behaviour === 'slow') await new Promise((r) => setTimeout(r, stats.slowMs));
  // The stream ends with the pod.
  const watchPod = (gone: () => void) =>
    store.watch('pods', store.currentRv(), { namespace, fieldSelector: `metadata.name=${name}` }, (e) => {
      if (e.type === 'DELETED' || e.object.metadata.uid !== pod.metadata.uid) gone();
    });
  serveContainerLogs({ logs, hanging: ctx.hanging }, ex, pod, container, watchPod);
}

/**
 * The kubelet's part (GET /containerLogs/NS/POD/CONTAINER on the node): validateContainerLogStatus
 * from the pod's container statuses, then the lines as text/plain — sinceTime/sinceSeconds,
 * tailLines, timestamps, limitBytes, and follow (live lines until the container restarts,
 * `watchPod` reports the pod gone, or the client leaves). Refusals are thrown as 400s with the
 * kubelet's words (the apiserver returns them as a BadRequest Status). test/e2e's fake kubelet
 * serves the real kube-apiserver's node proxy with it.
 */
export function serveContainerLogs(ctx: { logs: LogStore; hanging: Set<Exchange> }, ex: Exchange, pod: KubeObject, container: string, watchPod: (gone: () => void) => () => void): void {
  const { logs } = ctx;
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name;
  const q = ex.query;
  const previous = queryBool(q, 'previous');
  const running = checkContainerState(pod, container, previous);

  const timestamps = queryBool(q, 'timestamps');
  const sinceSeconds = queryInt(q, 'sinceSeconds');
  const sinceTimeText = q.get('sinceTime');
  const sinceMs = sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTimeText ? Date.parse(sinceTimeText) : NaN;
  let lines = logs.lines(namespace, name, container, previous);
  if (!Number.isNaN(sinceMs)) lines = lines.filter((l) => l.ms >= sinceMs);
  const tail = queryInt(q, 'tailLines');
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
  let budget = queryInt(q, 'limitBytes') ?? Infinity;

  const format = (l: LogLine): Buffer => {
    const parts = timestamps ? [Buffer.from(logTimestamp(l) + ' '), l.data, Buffer.from('\n')] : [l.data, Buffer.from('\n')];
    return Buffer.concat(parts);
  };
  const take = (b: Buffer): Buffer => {
    const out = b.length > budget ? b.subarray(0, budget) : b;
    budget -= out.length;
    return out;
  };
  const initial = take(Buffer.concat(lines.map(format)));
  const follow = queryBool(q, 'follow') && running && !previous;
  if (!follow || budget <= 0) return sendText(ex, 200, initial);

  const { res } = ex;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  if (initial.length) res.write(initial);
  else res.flushHeaders();
  let unfollow = () => {};
  let stopWatch = () => {};
  const done = () => {
    unfollow();
    stopWatch();
    if (!res.writableEnded) res.end();
  };
  unfollow = logs.follow(namespace, name, container, {
    line(l) {
      if (!res.writableEnded) res.write(take(format(l)));
      if (budget <= 0) done();
    },
    end: done,
  });
  stopWatch = watchPod(done);
  res.on('close', done);
  ctx.hanging.add(ex);
  res.on('close', () => ctx.hanging.delete(ex));
}
