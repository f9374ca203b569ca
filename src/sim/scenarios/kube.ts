// Plain Kubernetes JSON, shaped as kube-apiserver returns it (defaulted fields included), for
// scenarios and for the live controllers alike. No behaviour here: only object shapes.
import { sha256hex } from './rand';
import { podQosClass } from '../strategy';
import type { KubeObject } from '../types';

/** A Kubernetes object as JSON (the simulator's own shape). */
export type KObj = KubeObject;

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime (Lease renewTime, events.k8s.io eventTime). */
export function isoMicro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function ownerRef(owner: KObj): OwnerRef {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Identity of an object within the simulator: `Kind/namespace/name` (namespace empty if cluster-scoped). */
export function keyOf(o: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

// ---- containers -------------------------------------------------------------------------------

const imageIds = new Map<string, string>();

/** The resolved digest a container runtime reports; stable per image so it can be shared. */
export function imageID(image: string): string {
  let id = imageIds.get(image);
  if (!id) {
    const repo = image.replace(/:[^/:]+$/, '');
    const full = repo.includes('/') ? (repo.split('/')[0].includes('.') ? repo : `docker.io/${repo}`) : `docker.io/library/${repo}`;
    id = `${full}@sha256:${sha256hex(image)}`;
    imageIds.set(image, id);
  }
  return id;
}

/** Fields kube-apiserver defaults on every container. */
export function defaultContainer(c: Record<string, any>): Record<string, any> {
  return {
    imagePullPolicy: String(c.image).endsWith(':latest') || !String(c.image).includes(':') ? 'Always' : 'IfNotPresent',
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...c,
  };
}

/** Defaults of a PodSpec as the apiserver fills them (before the pod reaches a node). */
export function defaultPodSpec(spec: Record<string, any>): Record<string, any> {
  return {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: spec.serviceAccountName ?? 'default',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: spec.priorityClassName === 'system-node-critical' ? 2000001000 : spec.priorityClassName === 'system-cluster-critical' ? 2000000000 : 0,
    ...spec,
    containers: (spec.containers ?? []).map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
    tolerations: [
      ...(spec.tolerations ?? []),
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  };
}

/** The projected service-account volume every pod gets (`kube-api-access-xxxxx`). */
export function apiAccessVolume(suffix: string): Record<string, any> {
  return {
    name: `kube-api-access-${suffix}`,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

// ---- pod status -------------------------------------------------------------------------------

export interface PodPlace {
  hostIP: string;
  podIP?: string;
}

function cond(type: string, status: boolean, atMs: number, reason?: string, message?: string): Record<string, any> {
  const c: Record<string, any> = { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: iso(atMs) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

function names(spec: Record<string, any>): string[] {
  return (spec.containers ?? []).map((c: Record<string, any>) => c.name);
}

function unready(spec: Record<string, any>): string {
  return `containers with unready status: [${names(spec).join(' ')}]`;
}

/** Pending with no node yet: only PodScheduled (False when unschedulable). */
export function pendingStatus(createdMs: number, unschedulable?: string): Record<string, any> {
  return {
    phase: 'Pending',
    conditions: unschedulable ? [cond('PodScheduled', false, createdMs, 'Unschedulable', unschedulable)] : [],
    qosClass: 'BestEffort',
  };
}

/** Scheduled, volumes not mounted yet: containers waiting in ContainerCreating. */
export function creatingStatus(spec: Record<string, any>, place: PodPlace, startMs: number): Record<string, any> {
  return {
    phase: 'Pending',
    conditions: [
      cond('PodReadyToStartContainers', false, startMs),
      cond('Initialized', true, startMs),
      cond('Ready', false, startMs, 'ContainersNotReady', unready(spec)),
      cond('ContainersReady', false, startMs, 'ContainersNotReady', unready(spec)),
      cond('PodScheduled', true, startMs),
    ],
    hostIP: place.hostIP,
    hostIPs: [{ ip: place.hostIP }],
    startTime: iso(startMs),
    containerStatuses: names(spec).map((name) => {
      const c = spec.containers.find((x: Record<string, any>) => x.name === name);
      return { name, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: c.image, imageID: '', started: false };
    }),
    qosClass: podQosClass(spec),
  };
}

/** All containers running and ready (restart counts and last states may be given per container). */
export function runningStatus(
  spec: Record<string, any>,
  place: PodPlace,
  startMs: number,
  readyMs: number,
  containerId: (name: string) => string,
  restarts: Record<string, { count: number; lastState?: Record<string, any> }> = {},
): Record<string, any> {
  return {
    phase: 'Running',
    conditions: [
      cond('PodReadyToStartContainers', true, startMs + 2000),
      cond('Initialized', true, startMs),
      cond('Ready', true, readyMs),
      cond('ContainersReady', true, readyMs),
      cond('PodScheduled', true, startMs),
    ],
    hostIP: place.hostIP,
    hostIPs: [{ ip: place.hostIP }],
    ...(place.podIP ? { podIP: place.podIP, podIPs: [{ ip: place.podIP }] } : {}),
    startTime: iso(startMs),
    ...(spec.initContainers ? { initContainerStatuses: spec.initContainers.map((c: Record<string, any>) => terminatedOk(c, startMs, containerId)) } : {}),
    containerStatuses: spec.containers.map((c: Record<string, any>) => ({
      name: c.name,
      state: { running: { startedAt: iso(readyMs - 3000) } },
      lastState: restarts[c.name]?.lastState ?? {},
      ready: true,
      restartCount: restarts[c.name]?.count ?? 0,
      image: c.image,
      imageID: imageID(c.image),
      containerID: containerId(c.name),
      started: true,
    })),
    qosClass: podQosClass(spec),
  };
}

function terminatedOk(c: Record<string, any>, atMs: number, containerId: (name: string) => string): Record<string, any> {
  return {
    name: c.name,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(atMs), finishedAt: iso(atMs + 4000), containerID: containerId(c.name) } },
    lastState: {},
    ready: true,
    restartCount: 0,
    image: c.image,
    imageID: imageID(c.image),
    containerID: containerId(c.name),
    started: false,
  };
}

/**
 * One container crash-looping: kubelet shows `waiting: CrashLoopBackOff` with the back-off
 * message and the last run's exit in lastState; the pod stays in phase Running.
 */
export function crashLoopStatus(
  base: Record<string, any>,
  pod: { name: string; namespace: string; uid: string },
  container: string,
  restarts: number,
  lastRun: { startedMs: number; finishedMs: number; exitCode: number },
  containerId: string,
): Record<string, any> {
  const backoff = Math.min(300, 10 * 2 ** Math.max(0, restarts - 1));
  const backoffText = backoff >= 60 ? `${Math.floor(backoff / 60)}m${backoff % 60}s` : `${backoff}s`;
  const notReady = `containers with unready status: [${container}]`;
  return {
    ...base,
    conditions: base.conditions.map((c: Record<string, any>) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? { ...c, status: 'False', reason: 'ContainersNotReady', message: notReady, lastTransitionTime: iso(lastRun.finishedMs) }
        : c,
    ),
    containerStatuses: base.containerStatuses.map((s: Record<string, any>) =>
      s.name !== container
        ? s
        : {
            ...s,
            state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoffText} restarting failed container=${container} pod=${pod.name}_${pod.namespace}(${pod.uid})` } },
            lastState: {
              terminated: { exitCode: lastRun.exitCode, reason: 'Error', startedAt: iso(lastRun.startedMs), finishedAt: iso(lastRun.finishedMs), containerID: containerId },
            },
            ready: false,
            started: false,
            restartCount: restarts,
            containerID: containerId,
          },
    ),
  };
}

// ---- storage ----------------------------------------------------------------------------------

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** Bytes in a Kubernetes quantity ("100Gi", "1.5Ti", "500M", "1024"). */
export function quantityBytes(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q.trim());
  if (!m) return 0;
  return Number(m[1]) * (UNITS[m[2]] ?? 1);
}

/** The VolumeAttachment name the attach/detach controller uses: `csi-<sha256(pv+driver+node)>`. */
export function attachmentName(pv: string, driver: string, node: string): string {
  return `csi-${sha256hex(`${pv}${driver}${node}`)}`;
}

/** Kubelet's CSI publish target for a pod's volume: what JuiceFS mount pods reference. */
export function csiTargetPath(podUid: string, pvName: string): string {
  return `/var/lib/kubelet/pods/${podUid}/volumes/kubernetes.io~csi/${pvName}/mount`;
}

/** JuiceFS's reference annotation key for a target (util.GetReferenceKey). */
export function juicefsRefKey(target: string): string {
  return `juicefs-${sha256hex(target)}`.slice(0, 63);
}
