// kubernetes-csi/csi-driver-host-path (hostpath.csi.k8s.io): one StatefulSet `csi-hostpathplugin`
// whose single pod is node plugin and controller at once (registrar next to provisioner,
// attacher, resizer, snapshotter). Labels `app.kubernetes.io/name=csi-hostpathplugin`
// (older deployments: `app=csi-hostpathplugin`); plugin container `hostpath`.
import type { DriverProfile } from './types';
import { hasImage, hasLabel, pickDriver, podClass } from './match';

const DRIVER = 'hostpath.csi.k8s.io';
const PROFILE = 'hostpath';
const owns = (d: string) => d === DRIVER || d.endsWith('.hostpath.csi.k8s.io');

export const hostpath: DriverProfile = {
  id: PROFILE,
  drivers: [DRIVER],
  matchesDriver: owns,
  classify(pod) {
    const mine =
      hasLabel(pod, 'app.kubernetes.io/name', 'csi-hostpathplugin') || hasLabel(pod, 'app', 'csi-hostpathplugin') || hasImage(pod, 'hostpathplugin');
    if (!mine) return undefined;
    return podClass('nodePlugin', pod, PROFILE, pickDriver(pod, owns, DRIVER), ['hostpath']);
  },
};
