// The cluster a set of scenarios builds together: nodes, namespaces, driver deployments and app
// objects, with the bookkeeping a real cluster's controllers would have done (DaemonSet pods on
// every eligible node, CSINode registrations, workload statuses). Scenarios share one Cluster so
// `--demo` can run all of them at once without two copies of a driver.
import { creatingStatus, iso, KObj, keyOf, runningStatus } from './kube';
import { Rand } from './rand';
import { podQosClass } from '../strategy';
import type { ClusterFaults, ExpectedFinding, LogSeed, UsageSeed } from './types';
import { fitsNode, podFromTemplate, Taint } from './workload';
import { workloadStatus } from './status';

export type PodState = 'running' | 'creating' | 'pending';

export interface NodeOpts {
  zone?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  ready?: boolean;
  controlPlane?: boolean;
  createdMs?: number;
}

export interface DaemonSetDecl {
  obj: KObj;
  /** The CSI driver this DaemonSet's registrar registers on each node it runs on. */
  registers?: string;
  /** Per-node override of the daemon pod's state (e.g. a node plugin that never started). */
  stateOn?: (node: string) => PodState;
}

export class Cluster {
  readonly rand: Rand;
  readonly now: number;
  readonly objects = new Map<string, KObj>();
  readonly logs: LogSeed[] = [];
  readonly usage: UsageSeed[] = [];
  readonly expect: ExpectedFinding[] = [];
  readonly faults: ClusterFaults = { mount: [], attach: [], metaEngine: [], provision: [], expand: [], registration: [] };
  private readonly nodeIdx = new Map<string, number>();
  private readonly podIps = new Map<string, number>();
  private readonly daemonSets: DaemonSetDecl[] = [];
  /** Node plugins not run by a DaemonSet (csi-hostpath's StatefulSet) that registered on a node. */
  /** DaemonSet pod names handed out before finish() stamps the pods (`ns/ds/node`). */
  private readonly daemonPodNames = new Map<string, string>();
  private readonly extraRegistrations: Array<{ node: string; driver: string }> = [];
  private finished = false;

  constructor(seed: number, now: number) {
    this.rand = new Rand(seed);
    this.now = Math.floor(now / 1000) * 1000;
  }

  /** Epoch ms `seconds` before now. */
  ago(seconds: number): number {
    return this.now - seconds * 1000;
  }

  /** Stores a new object, filling uid and creationTimestamp like the apiserver. */
  add(obj: KObj, createdMs = this.ago(86400 * 30)): KObj {
    const key = keyOf(obj);
    if (this.objects.has(key)) throw new Error(`scenario object defined twice: ${key}`);
    obj.metadata.uid ??= this.rand.uid();
    obj.metadata.creationTimestamp ??= iso(createdMs);
    this.objects.set(key, obj);
    return obj;
  }

  /** The existing object with this identity, or the one `make` builds (shared driver installs). */
  ensure(kind: string, namespace: string | undefined, name: string, make: () => KObj): KObj {
    return this.get(kind, namespace, name) ?? this.add(make());
  }

  get(kind: string, namespace: string | undefined, name: string): KObj | undefined {
    return this.objects.get(`${kind}/${namespace ?? ''}/${name}`);
  }

  list(kind: string): KObj[] {
    return [...this.objects.values()].filter((o) => o.kind === kind);
  }

  // ---- nodes ----------------------------------------------------------------------------------

  node(name: string, opts: NodeOpts = {}): KObj {
    const existing = this.get('Node', undefined, name);
    if (existing) return existing;
    const idx = this.nodeIdx.size + 1;
    this.nodeIdx.set(name, idx);
    const created = opts.createdMs ?? this.ago(86400 * 60);
    const ready = opts.ready ?? true;
    const readyCond = ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
    const beat = iso(this.now - 10_000);
    const pressure = (type: string, reason: string, message: string) => ({
      type, status: 'False', lastHeartbeatTime: beat, lastTransitionTime: iso(created + 60_000), reason, message,
    });
    return this.add(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: {
            'beta.kubernetes.io/arch': 'amd64',
            'beta.kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'kubernetes.io/hostname': name,
            'kubernetes.io/os': 'linux',
            ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
            ...(opts.zone ? { 'topology.kubernetes.io/zone': opts.zone } : {}),
            ...opts.labels,
          },
          annotations: {
            'node.alpha.kubernetes.io/ttl': '0',
            'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
          },
        },
        spec: {
          podCIDR: `10.244.${idx}.0/24`,
          podCIDRs: [`10.244.${idx}.0/24`],
          ...(opts.taints?.length ? { taints: opts.taints } : {}),
        },
        status: {
          capacity: { cpu: '8', 'ephemeral-storage': '203056560Ki', memory: '32780068Ki', pods: '110' },
          allocatable: { cpu: '7800m', 'ephemeral-storage': '187136925387', memory: '31629092Ki', pods: '110' },
          conditions: [
            pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
            pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
            pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
            { ...readyCond, lastHeartbeatTime: beat, lastTransitionTime: iso(ready ? created + 90_000 : this.now - 600_000) },
          ],
          addresses: [
            { type: 'InternalIP', address: this.hostIP(name) },
            { type: 'Hostname', address: name },
          ],
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            architecture: 'amd64',
            containerRuntimeVersion: 'containerd://1.7.22',
            kernelVersion: '6.8.0-1015-aws',
            kubeProxyVersion: 'v1.31.4',
            kubeletVersion: 'v1.31.4',
            operatingSystem: 'linux',
            osImage: 'Ubuntu 24.04.1 LTS',
            machineID: this.rand.hex(32),
            systemUUID: this.rand.uid(),
            bootID: this.rand.uid(),
          },
        },
      },
      created,
    );
  }

  nodes(): KObj[] {
    return this.list('Node');
  }

  hostIP(node: string): string {
    return `10.0.1.${10 + (this.nodeIdx.get(node) ?? 0)}`;
  }

  /** A fresh pod IP from the node's pod CIDR (host networked pods use the node's IP). */
  podIP(node: string, hostNetwork = false): string {
    if (hostNetwork) return this.hostIP(node);
    const n = (this.podIps.get(node) ?? 1) + 1;
    this.podIps.set(node, n);
    return `10.244.${this.nodeIdx.get(node) ?? 0}.${n}`;
  }

  containerId(): string {
    return `containerd://${this.rand.hex(64)}`;
  }

  // ---- workloads ------------------------------------------------------------------------------

  /** Declares a DaemonSet; its pods are stamped on every eligible node in finish(). */
  daemonSet(decl: DaemonSetDecl): KObj {
    const existing = this.get('DaemonSet', decl.obj.metadata.namespace, decl.obj.metadata.name);
    if (existing) return existing;
    this.daemonSets.push(decl);
    return this.add(decl.obj, this.ago(86400 * 30));
  }

  /**
   * A pod owned by `owner` (or bare), from `template`, on `node`, in `state`. Timestamps are
   * seconds ago: created, then started `startedAgo` (defaults to created), ready ~20 s later.
   */
  pod(
    template: Record<string, any>,
    o: { namespace: string; name: string; node?: string; owner?: KObj; state?: PodState; createdAgo: number; labels?: Record<string, string>; annotations?: Record<string, string> },
  ): KObj {
    const createdMs = this.ago(o.createdAgo);
    const pod = podFromTemplate(template, {
      name: o.name,
      namespace: o.namespace,
      uid: this.rand.uid(),
      createdMs,
      nodeName: o.node,
      owner: o.owner,
      labels: o.labels,
      annotations: o.annotations,
      apiSuffix: this.rand.nameSuffix(),
    });
    const state = o.state ?? 'running';
    if (o.node && state !== 'pending') {
      const place = { hostIP: this.hostIP(o.node), podIP: this.podIP(o.node, !!pod.spec.hostNetwork) };
      const ids = new Map<string, string>();
      const cid = (name: string) => ids.get(name) ?? (ids.set(name, this.containerId()), ids.get(name)!);
      pod.status =
        state === 'running'
          ? runningStatus(pod.spec, place, createdMs + 1000, Math.min(this.now, createdMs + 20_000), cid)
          : creatingStatus(pod.spec, place, createdMs + 1000);
    } else {
      pod.status = { phase: 'Pending', conditions: [], qosClass: podQosClass(pod.spec) };
    }
    return this.add(pod, createdMs);
  }

  /** The pods whose controller owner is `owner`. */
  podsOf(owner: KObj): KObj[] {
    const uid = owner.metadata.uid;
    return this.list('Pod').filter((p) => p.metadata.ownerReferences?.some((r: Record<string, any>) => r.uid === uid));
  }

  /** The name the DaemonSet's pod on `node` will have (so logs can be addressed before finish()). */
  lazyPodName(namespace: string, daemonSet: string, node: string): string {
    const key = `${namespace}/${daemonSet}/${node}`;
    let name = this.daemonPodNames.get(key);
    if (!name) this.daemonPodNames.set(key, (name = `${daemonSet}-${this.rand.nameSuffix()}`));
    return name;
  }

  /** Records that a non-DaemonSet node plugin registered `driver` with kubelet on `node`. */
  registered(node: string, driver: string): void {
    this.extraRegistrations.push({ node, driver });
  }

  // ---- events and logs ------------------------------------------------------------------------

  /**
   * A core/v1 Event as the event recorder writes it; `count` repeats between firstAgo and lastAgo
   * (seconds before now). Name: `<object>.<hex unix nanos of the first occurrence>`.
   */
  event(
    involved: KObj,
    e: { type?: 'Normal' | 'Warning'; reason: string; message: string; component: string; host?: string; count?: number; firstAgo: number; lastAgo?: number; fieldPath?: string },
  ): KObj {
    const first = this.ago(e.firstAgo);
    const last = this.ago(e.lastAgo ?? e.firstAgo);
    const nanos = BigInt(first) * 1_000_000n + BigInt(this.rand.int(1_000_000));
    const ns = involved.metadata.namespace ?? 'default';
    return this.add(
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${involved.metadata.name}.${nanos.toString(16)}`, namespace: ns },
        involvedObject: {
          kind: involved.kind,
          ...(involved.metadata.namespace ? { namespace: involved.metadata.namespace } : {}),
          name: involved.metadata.name,
          uid: involved.metadata.uid,
          apiVersion: involved.apiVersion,
          resourceVersion: involved.metadata.resourceVersion ?? '',
          ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
        },
        reason: e.reason,
        message: e.message,
        source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
        firstTimestamp: iso(first),
        lastTimestamp: iso(last),
        count: e.count ?? 1,
        type: e.type ?? 'Normal',
        eventTime: null,
        reportingComponent: e.component,
        reportingInstance: e.host ?? '',
      },
      first,
    );
  }

  /** Log lines (epoch ms, text) of a container's current instance, or of its previous one. */
  log(namespace: string, pod: string, container: string, lines: ReadonlyArray<readonly [ms: number, line: string]>, previous = false): void {
    this.logs.push({ namespace, pod, container, previous, lines: lines.map(([ms, line]) => ({ ms, line })) });
  }

  // ---- assembly -------------------------------------------------------------------------------

  /** Stamps DaemonSet pods, CSINodes, namespaces and workload statuses. Call once, last. */
  finish(): KObj[] {
    if (this.finished) return [...this.objects.values()];
    this.finished = true;
    const registered = new Map<string, string[]>();
    for (const ds of this.daemonSets) this.stampDaemonSet(ds, registered);
    for (const r of this.extraRegistrations) registered.set(r.node, [...(registered.get(r.node) ?? []), r.driver]);
    for (const node of this.nodes()) {
      const name = node.metadata.name;
      const drivers = (registered.get(name) ?? []).filter((d) => !this.faults.registration.some((f) => f.node === name && f.driver === d));
      this.add(
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'CSINode',
          metadata: {
            name,
            annotations: { 'storage.alpha.kubernetes.io/migrated-plugins': 'kubernetes.io/aws-ebs,kubernetes.io/azure-disk,kubernetes.io/azure-file,kubernetes.io/cinder,kubernetes.io/gce-pd,kubernetes.io/vsphere-volume' },
            ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }],
          },
          spec: { drivers: drivers.sort().map((d) => ({ name: d, nodeID: name, topologyKeys: null })) },
        },
        Date.parse(node.metadata.creationTimestamp!) + 30_000,
      );
    }
    for (const kind of ['ReplicaSet', 'StatefulSet', 'DaemonSet']) {
      for (const w of this.list(kind)) w.status = workloadStatus(w, this.podsOf(w), this.nodes());
    }
    for (const d of this.list('Deployment')) {
      const rs = this.list('ReplicaSet').find((r) => r.metadata.ownerReferences?.[0]?.uid === d.metadata.uid);
      d.status = workloadStatus(d, rs ? this.podsOf(rs) : [], this.nodes(), rs?.metadata.name);
    }
    const namespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
    for (const o of this.objects.values()) if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
    for (const ns of namespaces) {
      if (this.get('Namespace', undefined, ns)) continue;
      this.add(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
        this.ago(86400 * 60),
      );
    }
    return [...this.objects.values()];
  }

  private stampDaemonSet(ds: DaemonSetDecl, registered: Map<string, string[]>): void {
    const obj = ds.obj;
    const hash = this.rand.templateHash();
    for (const node of this.nodes()) {
      if (!fitsNode(obj.spec.template.spec, node, true)) continue;
      const name = node.metadata.name;
      const state = ds.stateOn?.(name) ?? 'running';
      this.pod(obj.spec.template, {
        namespace: obj.metadata.namespace!,
        name: this.lazyPodName(obj.metadata.namespace!, obj.metadata.name, name),
        node: name,
        owner: obj,
        state,
        createdAgo: (this.now - Date.parse(obj.metadata.creationTimestamp!)) / 1000 - 5,
        labels: { 'controller-revision-hash': hash, 'pod-template-generation': '1' },
      });
      if (ds.registers && state === 'running') registered.set(name, [...(registered.get(name) ?? []), ds.registers]);
    }
  }
}
