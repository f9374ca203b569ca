// How workload controllers stamp pods out of templates, and where the scheduler / DaemonSet
// controller may place them (taints, tolerations, nodeSelector). Used by the scenarios to build
// the initial cluster and by the live controllers to recreate pods, so both agree.
import { apiAccessVolume, defaultPodSpec, iso, KObj, ownerRef } from './kube';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

/** Tolerations the DaemonSet controller adds to every daemon pod (pkg/controller/daemon/util). */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** Whether a pod with this spec may be placed on the node (hard taints and nodeSelector only). */
export function fitsNode(spec: Record<string, any>, node: KObj, daemon = false): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries<string>(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const tols: Toleration[] = [...(spec.tolerations ?? []), ...(daemon ? DAEMON_TOLERATIONS : [])];
  for (const taint of (node.spec?.taints ?? []) as Taint[]) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerates(tols, taint)) return false;
  }
  return true;
}

export function nodeReady(node: KObj): boolean {
  return (node.status?.conditions ?? []).some((c: Record<string, any>) => c.type === 'Ready' && c.status === 'True');
}

const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface PodStamp {
  name: string;
  namespace: string;
  uid: string;
  createdMs: number;
  nodeName?: string;
  /** Owner (DaemonSet, ReplicaSet, StatefulSet); omitted for bare pods. */
  owner?: KObj;
  /** Labels the controller adds (pod-template-hash, controller-revision-hash, pod-name). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** `kube-api-access-<suffix>`. */
  apiSuffix: string;
}

/** A pod as the owning controller creates it from its template, plus apiserver defaulting. */
export function podFromTemplate(template: Record<string, any>, stamp: PodStamp): KObj {
  const tspec: Record<string, any> = template.spec ?? {};
  const api = apiAccessVolume(stamp.apiSuffix);
  const noSa = tspec.automountServiceAccountToken === false;
  const saMount = { name: api.name, readOnly: true, mountPath: SA_MOUNT };
  const spec = defaultPodSpec({
    ...tspec,
    containers: (tspec.containers ?? []).map((c: Record<string, any>) => (noSa ? c : { ...c, volumeMounts: [...(c.volumeMounts ?? []), saMount] })),
    volumes: [...(tspec.volumes ?? []), ...(noSa ? [] : [api])],
  });
  if (stamp.nodeName) spec.nodeName = stamp.nodeName;
  if (stamp.owner?.kind === 'DaemonSet' && stamp.nodeName) {
    // The DaemonSet controller pins each pod to its node with required node affinity.
    spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [stamp.nodeName] }] }],
        },
      },
    };
    spec.tolerations = [...spec.tolerations, ...DAEMON_TOLERATIONS];
  }
  const labels = { ...(template.metadata?.labels ?? {}), ...(stamp.labels ?? {}) };
  const annotations = { ...(template.metadata?.annotations ?? {}), ...(stamp.annotations ?? {}) };
  const metadata: Record<string, any> = {
    name: stamp.name,
    namespace: stamp.namespace,
    uid: stamp.uid,
    creationTimestamp: iso(stamp.createdMs),
    labels,
  };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  if (stamp.owner) {
    metadata.generateName = stamp.owner.kind === 'StatefulSet' ? undefined : `${stamp.owner.metadata.name}-`;
    if (metadata.generateName === undefined) delete metadata.generateName;
    metadata.ownerReferences = [ownerRef(stamp.owner)];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: metadata as KObj['metadata'], spec };
}

/** PVC names of a pod's persistentVolumeClaim volumes. */
export function podClaims(pod: KObj): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
  return out;
}

/** The pod volume name that mounts a claim (kubelet's events name volumes by it). */
export function podVolumeFor(pod: KObj, claim: string): string {
  const v = (pod.spec?.volumes ?? []).find((x: Record<string, any>) => x.persistentVolumeClaim?.claimName === claim);
  return v?.name ?? claim;
}
