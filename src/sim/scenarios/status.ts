// Workload statuses as their controllers compute them from the pods they own.
import { iso, KObj } from './kube';
import { fitsNode } from './workload';

function podReady(p: KObj): boolean {
  return p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: Record<string, any>) => c.type === 'Ready' && c.status === 'True');
}

/** `replicaSet`: a Deployment's current ReplicaSet name (its Progressing condition names it). */
export function workloadStatus(w: KObj, pods: readonly KObj[], nodes: readonly KObj[], replicaSet?: string): Record<string, any> {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter(podReady).length;
  const generation = w.metadata.generation ?? 1;
  const since = iso(Date.parse(w.metadata.creationTimestamp ?? new Date(0).toISOString()) + 30_000);
  switch (w.kind) {
    case 'DaemonSet': {
      const desired = nodes.filter((n) => fitsNode(w.spec.template.spec, n, true)).length;
      const s: Record<string, any> = {
        currentNumberScheduled: live.length,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: 0,
        numberReady: ready,
        observedGeneration: generation,
        updatedNumberScheduled: live.length,
      };
      if (desired - ready > 0) s.numberUnavailable = desired - ready;
      return s;
    }
    case 'StatefulSet': {
      const rev = live.find((p) => p.metadata.labels?.['controller-revision-hash'])?.metadata.labels?.['controller-revision-hash'] ?? `${w.metadata.name}-7c9d8f6b5d`;
      return {
        availableReplicas: ready,
        collisionCount: 0,
        currentReplicas: live.length,
        currentRevision: rev,
        observedGeneration: generation,
        readyReplicas: ready,
        replicas: live.length,
        updateRevision: rev,
        updatedReplicas: live.length,
      };
    }
    case 'ReplicaSet':
      return { availableReplicas: ready, fullyLabeledReplicas: live.length, observedGeneration: generation, readyReplicas: ready, replicas: live.length };
    case 'Deployment': {
      const want = w.spec.replicas ?? 1;
      const available = ready >= want;
      return {
        availableReplicas: ready,
        observedGeneration: generation,
        readyReplicas: ready,
        replicas: want,
        updatedReplicas: want,
        ...(ready < want ? { unavailableReplicas: want - ready } : {}),
        conditions: [
          {
            type: 'Available',
            status: available ? 'True' : 'False',
            reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
            lastUpdateTime: since,
            lastTransitionTime: since,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${replicaSet ?? w.metadata.name}" has successfully progressed.`,
            lastUpdateTime: since,
            lastTransitionTime: since,
          },
        ],
      };
    }
    default:
      return w.status ?? {};
  }
}
