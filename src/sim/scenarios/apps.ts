// Deployments (with their ReplicaSet) and StatefulSets, with pods named as their controllers name
// them: `<rs>-<5 chars>` with pod-template-hash, `<sts>-<ordinal>` with controller-revision-hash.
import type { Cluster, PodState } from './cluster';
import type { KObj } from './kube';

export interface AppOpts {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  template: Record<string, any>;
  createdAgo: number;
  annotations?: Record<string, string>;
}

function selector(labels: Record<string, string>): Record<string, any> {
  return { matchLabels: labels };
}

function templateWith(labels: Record<string, string>, template: Record<string, any>): Record<string, any> {
  return { ...template, metadata: { ...(template.metadata ?? {}), labels: { ...labels, ...(template.metadata?.labels ?? {}) } } };
}

export interface Deployed {
  deployment: KObj;
  replicaSet: KObj;
  hash: string;
  /** Adds one pod of the current ReplicaSet. */
  pod(o: { node?: string; state?: PodState; createdAgo: number; annotations?: Record<string, string> }): KObj;
}

export function deployment(c: Cluster, o: AppOpts & { replicas: number; metaLabels?: Record<string, string> }): Deployed {
  const tpl = templateWith(o.labels, o.template);
  const created = c.ago(o.createdAgo);
  const dep = c.add(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: o.name,
        namespace: o.namespace,
        generation: 1,
        labels: o.metaLabels ?? o.labels,
        annotations: { 'deployment.kubernetes.io/revision': '1', ...o.annotations },
      },
      spec: {
        replicas: o.replicas,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        selector: selector(o.labels),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: tpl,
      },
    },
    created,
  );
  const hash = c.rand.templateHash();
  const rsLabels = { ...o.labels, 'pod-template-hash': hash };
  const rs = c.add(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${o.name}-${hash}`,
        namespace: o.namespace,
        generation: 1,
        labels: rsLabels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(o.replicas),
          'deployment.kubernetes.io/max-replicas': String(o.replicas + Math.ceil(o.replicas / 4)),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: o.name, uid: dep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas: o.replicas,
        selector: selector(rsLabels),
        template: { ...tpl, metadata: { ...tpl.metadata, labels: rsLabels } },
      },
    },
    created + 1000,
  );
  return {
    deployment: dep,
    replicaSet: rs,
    hash,
    pod: (p) =>
      c.pod(rs.spec.template, {
        namespace: o.namespace,
        name: `${rs.metadata.name}-${c.rand.nameSuffix()}`,
        node: p.node,
        owner: rs,
        state: p.state,
        createdAgo: p.createdAgo,
        annotations: p.annotations,
      }),
  };
}

export interface StatefulSetted {
  statefulSet: KObj;
  revision: string;
  pod(ordinal: number, o: { node?: string; state?: PodState; createdAgo: number; annotations?: Record<string, string> }): KObj;
}

export function statefulSet(
  c: Cluster,
  o: AppOpts & { replicas: number; serviceName?: string; claimTemplates?: Array<{ name: string; storageClass: string; size: string; accessModes?: string[] }>; metaLabels?: Record<string, string> },
): StatefulSetted {
  const tpl = templateWith(o.labels, o.template);
  const sts = c.add(
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: o.name, namespace: o.namespace, generation: 1, labels: o.metaLabels ?? o.labels, ...(o.annotations ? { annotations: o.annotations } : {}) },
      spec: {
        replicas: o.replicas,
        selector: selector(o.labels),
        serviceName: o.serviceName ?? o.name,
        podManagementPolicy: 'OrderedReady',
        revisionHistoryLimit: 10,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: tpl,
        ...(o.claimTemplates
          ? {
              volumeClaimTemplates: o.claimTemplates.map((t) => ({
                apiVersion: 'v1',
                kind: 'PersistentVolumeClaim',
                metadata: { name: t.name },
                spec: { accessModes: t.accessModes ?? ['ReadWriteOnce'], resources: { requests: { storage: t.size } }, storageClassName: t.storageClass, volumeMode: 'Filesystem' },
                status: { phase: 'Pending' },
              })),
            }
          : {}),
      },
    },
    c.ago(o.createdAgo),
  );
  const revision = `${o.name}-${c.rand.templateHash()}`;
  return {
    statefulSet: sts,
    revision,
    pod: (ordinal, p) => {
      const name = `${o.name}-${ordinal}`;
      // Claim templates become `<template>-<pod>` volumes on each pod.
      const claims = (o.claimTemplates ?? []).map((t) => ({ name: t.name, persistentVolumeClaim: { claimName: `${t.name}-${name}` } }));
      const template = claims.length ? { ...tpl, spec: { ...tpl.spec, volumes: [...(tpl.spec.volumes ?? []), ...claims] } } : tpl;
      return c.pod(template, {
        namespace: o.namespace,
        name,
        node: p.node,
        owner: sts,
        state: p.state,
        createdAgo: p.createdAgo,
        annotations: p.annotations,
        labels: { 'apps.kubernetes.io/pod-index': String(ordinal), 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name },
      });
    },
  };
}
