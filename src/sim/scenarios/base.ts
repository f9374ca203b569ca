// What every scenario stands on: a control-plane node and three workers in three zones, and the
// app pod templates and kubelet event texts the scenarios share.
import type { Cluster } from './cluster';
import type { KObj } from './kube';

export const WORKERS = ['n1', 'n2', 'n3'];

/** cp1 (control plane), n1..n3, and gpu-1: a GPU node tainted so only GPU workloads land there. */
export function baseNodes(c: Cluster): void {
  c.node('cp1', { controlPlane: true, zone: 'eu-west-1a', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
  WORKERS.forEach((n, i) => c.node(n, { zone: `eu-west-1${'abc'[i]}` }));
  c.node('gpu-1', {
    zone: 'eu-west-1b',
    labels: { 'node.kubernetes.io/instance-type': 'g5.2xlarge', 'nvidia.com/gpu.present': 'true' },
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
    createdMs: c.ago(86400 * 3),
  });
}

/** A one-container app template mounting claims at the given paths. */
export function appTemplate(
  container: { name: string; image: string; ports?: number[]; args?: string[] },
  claims: Array<{ volume: string; claim: string; mountPath: string; readOnly?: boolean }>,
  extra: Record<string, any> = {},
): Record<string, any> {
  return {
    spec: {
      ...extra,
      containers: [
        {
          name: container.name,
          image: container.image,
          ...(container.args ? { args: container.args } : {}),
          ...(container.ports ? { ports: container.ports.map((p) => ({ containerPort: p, protocol: 'TCP' })) } : {}),
          volumeMounts: claims.map((c) => ({ name: c.volume, mountPath: c.mountPath, ...(c.readOnly ? { readOnly: true } : {}) })),
        },
      ],
      volumes: claims.map((c) => ({ name: c.volume, persistentVolumeClaim: { claimName: c.claim, ...(c.readOnly ? { readOnly: true } : {}) } })),
    },
  };
}

/** The scheduler's event when it placed a pod. */
export function scheduled(c: Cluster, pod: KObj, agoS: number): void {
  c.event(pod, {
    reason: 'Scheduled',
    message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${pod.spec.nodeName}`,
    component: 'default-scheduler',
    firstAgo: agoS,
  });
}

/** kubelet giving up on a pod's mounts after its 2m3s wait (repeats while the pod waits). */
export function mountTimeout(c: Cluster, pod: KObj, volumes: string[], o: { count: number; firstAgo: number; lastAgo: number; unattached?: string[] }): void {
  c.event(pod, {
    type: 'Warning',
    reason: 'FailedMount',
    message: `Unable to attach or mount volumes: unmounted volumes=[${volumes.join(' ')}], unattached volumes=[${(o.unattached ?? []).join(' ')}], failed to process volumes=[]: context deadline exceeded`,
    component: 'kubelet',
    host: pod.spec.nodeName,
    count: o.count,
    firstAgo: o.firstAgo,
    lastAgo: o.lastAgo,
  });
}

/** The container lifecycle events kubelet records when it (re)starts a container. */
export function containerStarted(c: Cluster, pod: KObj, container: string, image: string, o: { count?: number; firstAgo: number; lastAgo?: number }): void {
  const fieldPath = `spec.containers{${container}}`;
  const host = pod.spec.nodeName;
  const base = { component: 'kubelet', host, count: o.count ?? 1, firstAgo: o.firstAgo, lastAgo: o.lastAgo, fieldPath };
  c.event(pod, { ...base, reason: 'Pulled', message: `Container image "${image}" already present on machine` });
  c.event(pod, { ...base, reason: 'Created', message: `Created container ${container}` });
  c.event(pod, { ...base, reason: 'Started', message: `Started container ${container}` });
}
