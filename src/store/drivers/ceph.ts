// Ceph CSI: rbd.csi.ceph.com and cephfs.csi.ceph.com (also nfs.csi.ceph.com), from ceph/ceph-csi's
// deploy/ manifests (`app=csi-rbdplugin`, `app=csi-rbdplugin-provisioner`), its Helm charts
// (`app=ceph-csi-rbd`, `component=nodeplugin|provisioner`) and Rook, which prefixes the driver
// name with its namespace (`rook-ceph.rbd.csi.ceph.com`) and passes it as `--drivername`.
import type { PodRec } from '../records';
import type { DriverProfile, PodClass } from './types';
import { container, hasControllerSidecar, hasLabel, hasRegistrar, pickDriver, podClass } from './match';

const PROFILE = 'ceph';

interface Flavour {
  readonly driver: string;
  /** Plugin container name in both the node plugin and the provisioner pods. */
  readonly container: string;
  /** `app` label of the plain manifests (node plugin; the provisioner adds `-provisioner`). */
  readonly app: string;
  /** `app` label of the Helm chart. */
  readonly chart: string;
}

const FLAVOURS: readonly Flavour[] = [
  { driver: 'rbd.csi.ceph.com', container: 'csi-rbdplugin', app: 'csi-rbdplugin', chart: 'ceph-csi-rbd' },
  { driver: 'cephfs.csi.ceph.com', container: 'csi-cephfsplugin', app: 'csi-cephfsplugin', chart: 'ceph-csi-cephfs' },
  { driver: 'nfs.csi.ceph.com', container: 'csi-nfsplugin', app: 'csi-nfsplugin', chart: 'ceph-csi-nfs' },
];

const ownsFlavour = (f: Flavour) => (d: string) => d === f.driver || d.endsWith('.' + f.driver);

function flavourOf(pod: PodRec): Flavour | undefined {
  for (const f of FLAVOURS) {
    const app = pod.labels.app;
    if (app === f.app || app === `${f.app}-provisioner` || app === f.chart || container(pod, f.container)) return f;
  }
  // A renamed deployment still passes its driver name.
  return FLAVOURS.find((f) => pod.csi?.driverNames.some(ownsFlavour(f)));
}

function classifyFlavour(pod: PodRec, f: Flavour): PodClass | undefined {
  const driver = pickDriver(pod, ownsFlavour(f), f.driver);
  const app = pod.labels.app;
  const component = pod.labels.component;
  const provisioner = app === `${f.app}-provisioner` || (app === f.chart && component === 'provisioner');
  const nodeplugin = app === f.app || (app === f.chart && component === 'nodeplugin');
  if (provisioner || (!nodeplugin && hasControllerSidecar(pod) && !hasRegistrar(pod))) {
    return podClass('controller', pod, PROFILE, driver, [f.container]);
  }
  if (nodeplugin || hasRegistrar(pod)) return podClass('nodePlugin', pod, PROFILE, driver, [f.container]);
  return undefined;
}

export const ceph: DriverProfile = {
  id: PROFILE,
  drivers: FLAVOURS.map((f) => f.driver),
  matchesDriver: (d) => FLAVOURS.some((f) => ownsFlavour(f)(d)),
  classify(pod) {
    if (!pod.csi && !hasLabel(pod, 'app')) return undefined;
    const f = flavourOf(pod);
    return f ? classifyFlavour(pod, f) : undefined;
  },
};
