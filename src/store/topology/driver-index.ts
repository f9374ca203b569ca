// Every CSI driver in the cluster with its node plugins, controllers, mount pods, CSINode
// registrations, StorageClasses and sidecar leader Leases. Pods are classified from their record
// alone (drivers/registry.ts); a driver name the pod does not tell is resolved here against what
// the cluster confirms: CSIDriver and CSINode objects, PVs, StorageClasses, leader Leases.
import type { CSIDriverRec, LeaseRec, PodRec, StorageClassRec } from '../records';
import type { StoreReader } from '../store';
import type { DriverProfile, PodClass } from '../drivers/types';
import { registry } from '../drivers/registry';
import { sanitizeLeaseName } from '../drivers/match';
import { memo } from './memo';
import { podIndex, type DriverInputs } from './pod-index';
import { volumeIndex } from './volumes';

export type LeaseSidecar = 'provisioner' | 'attacher' | 'resizer' | 'snapshotter' | 'health-monitor';

export interface LeaseInfo {
  /** The Lease as the store holds it now (renewals do not rebuild the index). */
  readonly lease: LeaseRec;
  readonly sidecar: LeaseSidecar;
  /** The pod named by holderIdentity (the sidecars use the pod's hostname), when found. */
  readonly holder?: PodRec;
}

export interface DriverInfo {
  readonly name: string;
  readonly profile: DriverProfile;
  readonly csiDriver?: CSIDriverRec;
  readonly nodePlugins: readonly PodRec[];
  /** Controller pods, including node plugin pods that also run controller sidecars. */
  readonly controllers: readonly PodRec[];
  readonly mountPods: readonly PodRec[];
  /** Nodes whose CSINode lists the driver. */
  readonly registeredNodes: readonly string[];
  readonly storageClasses: readonly StorageClassRec[];
  readonly leases: readonly LeaseInfo[];
  /** Named by a CSIDriver, CSINode, PV, StorageClass or pod volume, not only guessed from a pod. */
  readonly confirmed: boolean;
}

export interface DriverIndex {
  readonly drivers: ReadonlyMap<string, DriverInfo>;
  /** The pod's class with the driver resolved (for CSI component pods). */
  classOf(pod: PodRec): PodClass;
  nodePluginsOn(driver: string, node: string): readonly PodRec[];
  /** true/false from the node's CSINode; undefined when the node has no CSINode csi-top can see. */
  registered(driver: string, node: string): boolean | undefined;
  /** The controller replica holding the driver's leader Leases (provisioner's first). */
  activeController(driver: string): PodRec | undefined;
}

const LEASE_PREFIXES: readonly [string, LeaseSidecar][] = [
  ['external-attacher-leader-', 'attacher'],
  ['external-resizer-', 'resizer'],
  ['external-snapshotter-leader-', 'snapshotter'],
  ['external-health-monitor-leader-', 'health-monitor'],
];

/** Words in driver and pod names that say nothing about which driver it is. */
const NOISE = new Set(['csi', 'com', 'io', 'k8s', 'org', 'net', 'driver', 'storage', 'plugin', 'controller', 'node', 'provisioner', 'kubernetes', 'cloud']);
const tokens = (s: string) => s.toLowerCase().split(/[.\-_/]/).filter((t) => t.length >= 3 && !NOISE.has(t) && !/^[0-9a-f]{5,}$/.test(t));

const SIBLING_LABELS = ['app.kubernetes.io/instance', 'app.kubernetes.io/part-of', 'release', 'app.kubernetes.io/name', 'app'];

interface Builder {
  nodePlugins: PodRec[];
  controllers: PodRec[];
  mountPods: PodRec[];
  registeredNodes: string[];
  storageClasses: StorageClassRec[];
  leases: LeaseInfo[];
  confirmed: boolean;
}

/**
 * Rebuilt when a CSI object, PV or StorageClass changes, a Lease appears, goes or changes hands,
 * or a component pod changes — not on app pod churn, and not when a Lease is only renewed.
 */
export function driverIndex(store: StoreReader): DriverIndex {
  const inputs = podIndex(store).driverInputs;
  return memo(store, 'driverIndex', ['CSIDriver', 'CSINode', 'Lease', 'PersistentVolume', 'StorageClass'], () => buildDriverIndex(store, inputs), inputs);
}

/** A LeaseInfo whose `lease` reads the store's current record (its renewTime moves on). */
function leaseInfo(store: StoreReader, rec: LeaseRec, sidecar: LeaseSidecar, holder: PodRec | undefined): LeaseInfo {
  return {
    get lease() {
      return store.get('Lease', rec.namespace, rec.name) ?? rec;
    },
    sidecar,
    ...(holder ? { holder } : {}),
  };
}

function buildDriverIndex(store: StoreReader, inputs: DriverInputs): DriverIndex {
  const builders = new Map<string, Builder>();
  const builder = (name: string): Builder => {
    let b = builders.get(name);
    if (!b) builders.set(name, (b = { nodePlugins: [], controllers: [], mountPods: [], registeredNodes: [], storageClasses: [], leases: [], confirmed: false }));
    return b;
  };
  const confirm = (name: string) => {
    if (name) builder(name).confirmed = true;
  };

  // 1. Names the cluster itself confirms.
  const csiDrivers = new Map<string, CSIDriverRec>();
  for (const d of store.list('CSIDriver')) (csiDrivers.set(d.name, d), confirm(d.name));
  const csiNodes = new Map<string, Set<string>>();
  for (const n of store.list('CSINode')) {
    const set = new Set<string>();
    for (const d of n.drivers) (set.add(d.name), confirm(d.name), builder(d.name).registeredNodes.push(n.name));
    csiNodes.set(n.name, set);
  }
  for (const d of volumeIndex(store).byDriver.keys()) confirm(d);
  // Not every provisioner is a CSI driver (in-tree, local-path…): a StorageClass alone confirms
  // only names a specific profile owns.
  for (const sc of store.list('StorageClass')) if (registry.profileFor(sc.provisioner).drivers.length > 0) confirm(sc.provisioner);

  // 2. The CSI component pods (classified once per record by the pod index), and inline volumes' drivers.
  const components = inputs.components;
  for (const d of inputs.inlineDrivers) confirm(d);
  const known = new Set([...builders.keys()]);

  // 3. Sidecar leader Leases: lock names are the sanitized driver name with a per-sidecar prefix.
  const bySanitized = new Map<string, string>();
  for (const n of known) bySanitized.set(sanitizeLeaseName(n), n);
  for (const { cls } of components) for (const n of [cls.driver, ...cls.candidates]) if (n && !bySanitized.has(sanitizeLeaseName(n))) bySanitized.set(sanitizeLeaseName(n), n);
  const podsByNsName = new Map<string, PodRec>();
  for (const { pod } of components) podsByNsName.set(`${pod.namespace}/${pod.name}`, pod);
  const leaseDriverOfHolder = new Map<string, string>();
  const leases: { driver: string; lease: LeaseRec; sidecar: LeaseSidecar }[] = [];
  for (const lease of store.list('Lease')) {
    let sidecar: LeaseSidecar = 'provisioner';
    let rest = lease.name;
    for (const [prefix, kind] of LEASE_PREFIXES) if (rest.startsWith(prefix)) (sidecar = kind, rest = rest.slice(prefix.length));
    const driver = bySanitized.get(rest);
    if (!driver) continue;
    leases.push({ driver, lease, sidecar });
    // Holders are hostnames; some leader electors append `_<uuid>` (pod names never hold `_`).
    if (lease.holder) leaseDriverOfHolder.set(`${lease.namespace}/${lease.holder.split('_')[0]}`, driver);
  }

  // 4. Resolve each component's driver: what the pod says if confirmed, else a confirmed candidate,
  //    else the lease it holds, else its siblings', else a unique name match, else its own guess.
  const resolved = new Map<PodRec, string>();
  const unresolved: { pod: PodRec; cls: PodClass }[] = [];
  for (const c of components) {
    const d =
      (known.has(c.cls.driver) ? c.cls.driver : undefined) ??
      c.cls.candidates.find((x) => known.has(x)) ??
      leaseDriverOfHolder.get(`${c.pod.namespace}/${c.pod.name}`) ??
      (c.cls.profile !== 'generic' && c.cls.driver ? c.cls.driver : undefined);
    if (d) resolved.set(c.pod, d);
    else unresolved.push(c);
  }
  if (unresolved.length) resolveBySiblings(unresolved, resolved, known, leaseDriverOfHolder);

  const classes = new Map<PodRec, PodClass>();
  for (const { pod, cls } of components) {
    const d = resolved.get(pod) ?? '';
    if (d !== cls.driver) classes.set(pod, { ...cls, driver: d });
    if (!d) continue;
    const b = builder(d);
    if (cls.role === 'nodePlugin') b.nodePlugins.push(pod);
    if (cls.role === 'controller' || cls.alsoController) b.controllers.push(pod);
    if (cls.role === 'mountPod') b.mountPods.push(pod);
  }

  // 5. Lease holders: the pod's hostname, or the node's when the pod uses the host network.
  for (const { driver, lease, sidecar } of leases) {
    const b = builders.get(driver);
    if (!b) continue;
    const h = lease.holder.split('_')[0];
    const holder = h ? (podsByNsName.get(`${lease.namespace}/${h}`) ?? b.controllers.find((p) => p.name === h) ?? uniqueOnNode(b.controllers, h)) : undefined;
    b.leases.push(leaseInfo(store, lease, sidecar, holder));
  }

  for (const sc of store.list('StorageClass')) builders.get(sc.provisioner)?.storageClasses.push(sc);

  const pluginsByNode = new Map<string, Map<string, PodRec[]>>(); // driver → node → pods
  const drivers = new Map<string, DriverInfo>();
  for (const [name, b] of [...builders].sort(([a], [c]) => a.localeCompare(c))) {
    drivers.set(name, { name, profile: registry.profileFor(name), ...(csiDrivers.has(name) ? { csiDriver: csiDrivers.get(name) } : {}), ...b });
    const byNode = new Map<string, PodRec[]>();
    pluginsByNode.set(name, byNode);
    for (const p of b.nodePlugins) {
      const list = byNode.get(p.node);
      list ? list.push(p) : byNode.set(p.node, [p]);
    }
  }

  return {
    drivers,
    classOf: (pod) => classes.get(pod) ?? registry.classify(pod),
    nodePluginsOn: (driver, node) => pluginsByNode.get(driver)?.get(node) ?? [],
    registered(driver, node) {
      const set = csiNodes.get(node);
      return set ? set.has(driver) : undefined;
    },
    activeController(driver) {
      const ls = drivers.get(driver)?.leases ?? [];
      return (ls.find((l) => l.sidecar === 'provisioner' && l.holder) ?? ls.find((l) => l.holder))?.holder;
    },
  };
}

function uniqueOnNode(pods: readonly PodRec[], node: string): PodRec | undefined {
  const on = pods.filter((p) => p.node === node);
  return on.length === 1 ? on[0] : undefined;
}

/** Same owner or same deployment labels as a resolved pod of one driver; else one unique name match. */
function resolveBySiblings(
  unresolved: readonly { pod: PodRec; cls: PodClass }[],
  resolved: Map<PodRec, string>,
  known: ReadonlySet<string>,
  leaseDriverOfHolder: ReadonlyMap<string, string>,
): void {
  const groups = new Map<string, Set<string>>();
  const add = (k: string, d: string) => {
    const s = groups.get(k);
    s ? s.add(d) : groups.set(k, new Set([d]));
  };
  const keysOf = (p: PodRec) => [
    ...(p.owner ? [`owner:${p.owner.uid}`] : []),
    ...SIBLING_LABELS.filter((l) => p.labels[l]).map((l) => `${p.namespace}|${l}=${p.labels[l]}`),
  ];
  for (const [pod, d] of resolved) for (const k of keysOf(pod)) add(k, d);
  // Controllers on the host network hold leases under their node's name.
  for (const [k, d] of leaseDriverOfHolder) add(`holder:${k}`, d);
  const claimed = new Set(resolved.values());
  for (const { pod, cls } of unresolved) {
    let d: string | undefined;
    for (const k of [...keysOf(pod), `holder:${pod.namespace}/${pod.node}`]) {
      const s = groups.get(k);
      if (s && s.size === 1) {
        d = [...s][0];
        break;
      }
    }
    if (!d) {
      const mine = new Set([...tokens(pod.name), ...tokens(pod.owner?.name ?? '')]);
      const hits = [...known].filter((n) => !claimed.has(n) || cls.role === 'controller').filter((n) => tokens(n).some((t) => [...mine].some((m) => m.includes(t))));
      if (hits.length === 1) d = hits[0];
    }
    d ??= cls.driver;
    if (d) resolved.set(pod, d);
  }
}
