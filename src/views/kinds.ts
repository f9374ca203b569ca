// Short kind names as people type them, and the tone of any record's status.
import type { AnyRecord } from '../store/records';
import { phaseTone, podStatusTone, type Tone } from './theme';

const SHORT: Record<string, string> = {
  Pod: 'pod',
  PersistentVolumeClaim: 'pvc',
  PersistentVolume: 'pv',
  StorageClass: 'sc',
  CSIDriver: 'driver',
  CSINode: 'csinode',
  VolumeAttachment: 'va',
  Node: 'node',
  Event: 'event',
  Lease: 'lease',
  DaemonSet: 'ds',
  StatefulSet: 'sts',
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  Namespace: 'ns',
};

export const shortKind = (kind: string): string => SHORT[kind] ?? kind.toLowerCase();

/** The kind word to print after a relation, '' when the relation already says it ('driver', 'mount pod', 'node plugin'). */
export function kindAfter(relation: string, kind: string): string {
  const implied = relation.startsWith(shortKind(kind)) || (kind === 'Pod' && /pod|plugin|controller|sidecar/.test(relation));
  return implied ? '' : `${shortKind(kind)} `;
}

/** How healthy a record looks from its own fields alone. */
export function recordTone(r: AnyRecord | undefined): Tone | undefined {
  if (!r) return undefined;
  switch (r.kind) {
    case 'Pod': {
      const t = podStatusTone(r.status, r.ready);
      return t === 'ok' ? undefined : t;
    }
    case 'PersistentVolumeClaim':
    case 'PersistentVolume': {
      const t = phaseTone(r.phase);
      return t === 'ok' ? undefined : t;
    }
    case 'Node':
      return r.ready === 'True' ? undefined : 'error';
    case 'VolumeAttachment':
      return r.attachError || r.detachError ? 'error' : r.attached ? undefined : 'warning';
    case 'Event':
      return r.type === 'Warning' ? 'warning' : undefined;
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Deployment':
    case 'ReplicaSet':
      return r.ready < r.desired ? 'warning' : undefined;
    default:
      return undefined;
  }
}

export const severityRank = (t: Tone | undefined): number => (t === 'error' ? 0 : t === 'warning' ? 1 : 9);
