// Any CSI driver nobody wrote a profile for, recognised by the kubernetes-csi sidecars every
// deployment runs: a node-driver-registrar makes a node plugin (its driver from the flags or the
// registrar's `--kubelet-registration-path`), a provisioner/attacher/resizer/snapshotter makes a
// controller. Names the pod does not tell are resolved against CSIDriver, CSINode and the
// sidecars' leader Leases by the topology (src/store/topology/driver-index.ts).
import type { DriverProfile } from './types';
import { driverCandidates, hasControllerSidecar, hasRegistrar, podClass } from './match';

const PROFILE = 'generic';

export const generic: DriverProfile = {
  id: PROFILE,
  drivers: [],
  matchesDriver: () => true,
  classify(pod) {
    if (!pod.csi) return undefined;
    const driver = driverCandidates(pod)[0] ?? '';
    if (hasRegistrar(pod)) return podClass('nodePlugin', pod, PROFILE, driver);
    if (hasControllerSidecar(pod)) return podClass('controller', pod, PROFILE, driver);
    return undefined;
  },
};
