// NFS: csi-driver-nfs was installed with its Helm chart, `node.tolerations` narrowed to the
// control-plane taints. The GPU node gpu-1 is tainted nvidia.com/gpu, so csi-nfs-node never runs
// there and gpu-1's CSINode lacks nfs.csi.k8s.io: the renderer pod there cannot mount its share.
import { appTemplate, baseNodes, mountTimeout, scheduled } from './base';
import type { Cluster } from './cluster';
import { deployment } from './apps';
import { installNfs, nfsClaim } from './deploy-nfs';
import { usage } from './storage';
import type { Scenario } from './types';

function build(c: Cluster): void {
  baseNodes(c);
  const { storageClass: sc } = installNfs(c);
  const assets = nfsClaim(c, { namespace: 'render', name: 'assets', storageClass: sc, size: '200Gi', createdAgo: 86400 * 10 });
  const mount = [{ volume: 'assets', claim: 'assets', mountPath: '/assets' }];
  // The API that serves rendered assets runs on an ordinary worker: fine.
  const api = deployment(c, { namespace: 'render', name: 'assets-api', labels: { app: 'assets-api' }, replicas: 1, createdAgo: 86400 * 10, template: appTemplate({ name: 'api', image: 'registry.example.com/render/assets-api:1.8.0', ports: [8080] }, mount) });
  api.pod({ node: 'n1', createdAgo: 86400 * 4 });
  usage(c, assets.pvc, 200 * 2 ** 30, 0.57);
  // The renderer tolerates the GPU taint and selects GPU nodes; the NFS node plugin does not.
  const renderer = deployment(c, {
    namespace: 'render',
    name: 'renderer',
    labels: { app: 'renderer' },
    replicas: 1,
    createdAgo: 2400,
    template: appTemplate({ name: 'renderer', image: 'registry.example.com/render/blender-worker:4.2' }, mount, {
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    }),
  });
  const stuck = renderer.pod({ node: 'gpu-1', state: 'creating', createdAgo: 2390 });
  scheduled(c, stuck, 2390);
  c.event(stuck, {
    type: 'Warning',
    reason: 'FailedMount',
    message: `MountVolume.SetUp failed for volume "${assets.pv.metadata.name}" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name nfs.csi.k8s.io not found in the list of registered CSI drivers`,
    component: 'kubelet',
    host: 'gpu-1',
    count: 19,
    firstAgo: 2388,
    lastAgo: 52,
  });
  mountTimeout(c, stuck, ['assets'], { count: 17, firstAgo: 2265, lastAgo: 20 });
  c.expect.push({ code: 'NodePluginMissing', severity: 'error', object: { kind: 'Node', name: 'gpu-1' } });
}

export const nfsScenario: Scenario = {
  name: 'nfs',
  description: 'NFS: csi-nfs-node does not tolerate the GPU node taint, so a pod there waits on "driver name nfs.csi.k8s.io not found"',
  build,
};
