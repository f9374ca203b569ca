// Workload controllers: a DaemonSet keeps one pod on every node it fits (tolerations,
// nodeSelector), a ReplicaSet its replica count, a StatefulSet `<name>-<ordinal>` pods and their
// claims; deleted pods come back (a StatefulSet's under the same name once the old one is gone).
// Their statuses follow their pods. kubelet's plugin registration is here too: a running node
// plugin pod registers its driver in the node's CSINode, and a gone one unregisters it.
import { iso, KObj, keyOf } from './scenarios/kube';
import { fitsNode, podFromTemplate } from './scenarios/workload';
import { workloadStatus } from './scenarios/status';
import type { Controller, Runtime } from './world-runtime';
import { parseKey } from './world-runtime';
import { driverOfPluginPod, podReady } from './world-volumes';

const OWNED = new Set(['DaemonSet', 'ReplicaSet', 'StatefulSet']);

export function workloads(rt: Runtime): Controller {
  const { api } = rt;
  const ownerKeys = (o: KObj): string[] => {
    if (o.kind !== 'Pod') return o.kind === 'Node' ? api.list('DaemonSet').map(keyOf) : [keyOf(o)];
    const out: string[] = [];
    for (const r of o.metadata.ownerReferences ?? []) if (OWNED.has(String(r.kind))) out.push(`${r.kind}/${o.metadata.namespace}/${r.name}`);
    return out;
  };
  return {
    name: 'workloads',
    watches: ['DaemonSet', 'ReplicaSet', 'StatefulSet', 'Pod', 'Node'],
    keysFor: (_t, o) => ownerKeys(o),
    reconcile(key) {
      const { kind, namespace, name } = parseKey(key);
      const w = api.get(kind, namespace, name);
      if (!w || w.metadata.deletionTimestamp) return;
      const pods = rt.index.podsOwnedBy(w.metadata.uid!);
      if (kind === 'DaemonSet') daemonSet(w, pods);
      else if (kind === 'ReplicaSet') replicaSet(w, pods);
      else statefulSet(w, pods);
      const after = rt.index.podsOwnedBy(w.metadata.uid!);
      const status = workloadStatus(w, after, api.list('Node'));
      if (JSON.stringify(status) !== JSON.stringify(w.status)) api.updateStatus({ ...w, status });
      if (kind === 'ReplicaSet') deploymentStatus(w, after);
    },
  };

  function stamp(w: KObj, name: string, node: string | undefined, labels: Record<string, string>): void {
    api.create(
      podFromTemplate(w.spec.template, {
        name,
        namespace: w.metadata.namespace!,
        uid: rt.rand.uid(),
        createdMs: Date.now(),
        nodeName: node,
        owner: w,
        labels,
        apiSuffix: rt.rand.nameSuffix(),
      }),
    );
  }

  function daemonSet(ds: KObj, pods: KObj[]): void {
    const hash = pods[0]?.metadata.labels?.['controller-revision-hash'] ?? rt.rand.templateHash();
    const covered = new Set(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec?.nodeName));
    for (const node of api.list('Node')) {
      const n = node.metadata.name;
      if (covered.has(n) || !fitsNode(ds.spec.template.spec, node, true)) continue;
      stamp(ds, `${ds.metadata.name}-${rt.rand.nameSuffix()}`, n, { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
    }
  }

  function replicaSet(rs: KObj, pods: KObj[]): void {
    const live = pods.filter((p) => !p.metadata.deletionTimestamp).length;
    const hash = rs.metadata.labels?.['pod-template-hash'];
    for (let i = live; i < (rs.spec.replicas ?? 1); i++) {
      stamp(rs, `${rs.metadata.name}-${rt.rand.nameSuffix()}`, undefined, hash ? { 'pod-template-hash': hash } : {});
    }
  }

  function statefulSet(sts: KObj, pods: KObj[]): void {
    const revision = pods[0]?.metadata.labels?.['controller-revision-hash'] ?? `${sts.metadata.name}-${rt.rand.templateHash()}`;
    const ns = sts.metadata.namespace!;
    for (let i = 0; i < (sts.spec.replicas ?? 1); i++) {
      const name = `${sts.metadata.name}-${i}`;
      // A StatefulSet waits for the old pod to be gone before it makes its successor.
      if (api.get('Pod', ns, name)) continue;
      for (const t of sts.spec.volumeClaimTemplates ?? []) ensureClaim(sts, t, `${t.metadata.name}-${name}`);
      const claims = (sts.spec.volumeClaimTemplates ?? []).map((t: KObj) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${name}` } }));
      const template = claims.length ? { ...sts.spec.template, spec: { ...sts.spec.template.spec, volumes: [...(sts.spec.template.spec.volumes ?? []), ...claims] } } : sts.spec.template;
      api.create(
        podFromTemplate(template, {
          name,
          namespace: ns,
          uid: rt.rand.uid(),
          createdMs: Date.now(),
          owner: sts,
          labels: { 'apps.kubernetes.io/pod-index': String(i), 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': name },
          apiSuffix: rt.rand.nameSuffix(),
        }),
      );
    }
  }

  function ensureClaim(sts: KObj, t: KObj, name: string): void {
    const ns = sts.metadata.namespace!;
    if (api.get('PersistentVolumeClaim', ns, name)) return;
    api.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns, labels: sts.spec.selector?.matchLabels ?? {}, finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { ...t.spec },
      status: { phase: 'Pending' },
    });
  }

  function deploymentStatus(rs: KObj, pods: KObj[]): void {
    const ref = rs.metadata.ownerReferences?.find((r: Record<string, any>) => r.kind === 'Deployment');
    const dep = ref && api.get('Deployment', rs.metadata.namespace, String(ref.name));
    if (!dep) return;
    const status = workloadStatus(dep, pods, [], rs.metadata.name);
    const old = dep.status ?? {};
    if (old.readyReplicas === status.readyReplicas && old.availableReplicas === status.availableReplicas && old.replicas === status.replicas) return;
    // Keep the conditions' times unless availability flipped.
    status.conditions = status.conditions.map((c: Record<string, any>) => {
      const prev = (old.conditions ?? []).find((p: Record<string, any>) => p.type === c.type);
      return prev && prev.status === c.status ? prev : { ...c, lastUpdateTime: iso(Date.now()), lastTransitionTime: iso(Date.now()) };
    });
    api.updateStatus({ ...dep, status });
  }
}

/** kubelet's plugin watcher: node plugins that run register their driver in CSINode. */
export function pluginRegistration(rt: Runtime): Controller {
  const { api } = rt;
  // Only drivers whose node plugins run as workloads here are (un)registered; others are kept.
  // Recomputed at most once a tick: at --scale there are thousands of CSINodes and StatefulSets.
  let managed: Set<string> | undefined;
  let managedAt = 0;
  const managedDrivers = (): Set<string> => {
    if (managed && Date.now() - managedAt < rt.tickMs) return managed;
    managed = new Set<string>();
    managedAt = Date.now();
    for (const kind of ['DaemonSet', 'StatefulSet']) {
      for (const w of api.list(kind)) {
        const d = driverOfPluginPod({ ...w, spec: w.spec.template.spec });
        if (d) managed.add(d);
      }
    }
    return managed;
  };
  return {
    name: 'plugin-registration',
    watches: ['Pod'],
    keysFor: (_t, o) => (o.spec?.nodeName && driverOfPluginPod(o) ? [`CSINode//${o.spec.nodeName}`] : []),
    reconcile(key) {
      const node = parseKey(key).name;
      const csiNode = api.get('CSINode', undefined, node);
      if (!csiNode) return;
      const want = new Set<string>();
      for (const p of rt.index.podsOnNode(node)) {
        if (p.metadata.deletionTimestamp || !podReady(p)) continue;
        const d = driverOfPluginPod(p);
        if (d && !rt.faults.registration.some((f) => f.node === node && f.driver === d)) want.add(d);
      }
      const have: Array<Record<string, any>> = csiNode.spec?.drivers ?? [];
      const managed = managedDrivers();
      const next = [...have.filter((d) => !managed.has(d.name) || want.has(d.name))];
      for (const d of want) if (!next.some((x) => x.name === d)) next.push({ name: d, nodeID: node, topologyKeys: null });
      next.sort((a, b) => a.name.localeCompare(b.name));
      if (next.map((d) => d.name).join() !== have.map((d) => d.name).join()) api.update({ ...csiNode, spec: { ...csiNode.spec, drivers: next } });
    },
  };
}
