// kubernetes-csi/csi-driver-nfs (nfs.csi.k8s.io): DaemonSet `csi-nfs-node` and Deployment
// `csi-nfs-controller`, labelled `app=<name>` in both the plain manifests and the Helm chart;
// the plugin container is `nfs` (image `nfsplugin`). The registrar socket lives in
// `plugins/csi-nfsplugin/`, so the driver name comes from the profile or `--drivername`.
import type { DriverProfile } from './types';
import { hasControllerSidecar, hasImage, hasLabel, hasRegistrar, pickDriver, podClass } from './match';

const DRIVER = 'nfs.csi.k8s.io';
const PROFILE = 'nfs';
const owns = (d: string) => d === DRIVER;

export const nfs: DriverProfile = {
  id: PROFILE,
  drivers: [DRIVER],
  matchesDriver: owns,
  classify(pod) {
    const plugin = hasImage(pod, 'nfsplugin');
    if (hasLabel(pod, 'app', 'csi-nfs-node') || (plugin && hasRegistrar(pod))) {
      return podClass('nodePlugin', pod, PROFILE, pickDriver(pod, owns, DRIVER), ['nfs']);
    }
    if (hasLabel(pod, 'app', 'csi-nfs-controller') || (plugin && hasControllerSidecar(pod))) {
      return podClass('controller', pod, PROFILE, pickDriver(pod, owns, DRIVER), ['nfs']);
    }
    return undefined;
  },
};
