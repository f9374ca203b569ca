// kubernetes-sigs/aws-ebs-csi-driver (ebs.csi.aws.com): DaemonSet `ebs-csi-node` (`app=ebs-csi-node`)
// and Deployment `ebs-csi-controller` (`app=ebs-csi-controller`), both also labelled
// `app.kubernetes.io/name=aws-ebs-csi-driver`; the plugin container is `ebs-plugin`.
import type { DriverProfile } from './types';
import { hasControllerSidecar, hasImage, hasLabel, hasRegistrar, pickDriver, podClass } from './match';

const DRIVER = 'ebs.csi.aws.com';
const PROFILE = 'ebs';
const owns = (d: string) => d === DRIVER;

export const ebs: DriverProfile = {
  id: PROFILE,
  drivers: [DRIVER],
  matchesDriver: owns,
  classify(pod) {
    const mine = hasLabel(pod, 'app.kubernetes.io/name', 'aws-ebs-csi-driver') || hasImage(pod, 'aws-ebs-csi-driver');
    if (hasLabel(pod, 'app', 'ebs-csi-node') || (mine && hasRegistrar(pod))) {
      return podClass('nodePlugin', pod, PROFILE, pickDriver(pod, owns, DRIVER), ['ebs-plugin']);
    }
    if (hasLabel(pod, 'app', 'ebs-csi-controller') || (mine && hasControllerSidecar(pod))) {
      return podClass('controller', pod, PROFILE, pickDriver(pod, owns, DRIVER), ['ebs-plugin']);
    }
    return undefined;
  },
};
