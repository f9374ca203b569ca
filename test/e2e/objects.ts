// Small object builders for the e2e tests that are not scenario-driven (actions, RBAC): a bound
// claim as the PV controller and a CSI provisioner leave it, an app pod on a node, and a
// kubeconfig for a user or a relay.
import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane, KubeHttp } from './harness';

export const E2E_DRIVER = 'e2e.csi.example.com';

export interface BoundClaim {
  pvc: any;
  pv: any;
}

/**
 * A PVC of StorageClass `storageClass`, bound to a CSI PV named `pvc-<uid>` as external-provisioner
 * names them, both `Bound`, the claim's status.capacity = `size`.
 */
export async function boundClaim(client: KubeHttp, namespace: string, name: string, storageClass: string, size = '1Gi'): Promise<BoundClaim> {
  const accessModes = ['ReadWriteOnce'];
  const pvc = await client.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace }, spec: { accessModes, resources: { requests: { storage: size } }, storageClassName: storageClass } });
  const pvName = `pvc-${pvc.metadata.uid}`;
  const pv = await client.apply({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': E2E_DRIVER } },
    spec: {
      capacity: { storage: size },
      accessModes,
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: storageClass,
      csi: { driver: E2E_DRIVER, volumeHandle: pvName },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name, uid: pvc.metadata.uid },
    },
    status: { phase: 'Bound' },
  });
  const claimPath = `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${name}`;
  await client.patch(claimPath, { spec: { volumeName: pvName } });
  const bound = await client.patch(`${claimPath}/status`, { status: { phase: 'Bound', capacity: { storage: size }, accessModes } });
  return { pvc: bound, pv };
}

/** A running app pod on `node` that mounts `claims`. */
export function appPod(namespace: string, name: string, node: string, claims: string[]): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      nodeName: node,
      automountServiceAccountToken: false,
      containers: [{ name: 'app', image: 'busybox:1.36', volumeMounts: claims.map((c) => ({ name: c, mountPath: `/data/${c}` })) }],
      volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', image: 'busybox:1.36', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }],
    },
  };
}

/** A Ready node (TaintNodesByCondition's not-ready taint removed, as the node lifecycle controller would). */
export async function readyNode(client: KubeHttp, name: string, status: Record<string, unknown> = {}): Promise<any> {
  await client.apply({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }], ...status },
  });
  return client.patch(`/api/v1/nodes/${name}`, { spec: { taints: null } });
}

/** A kubeconfig file for one of the control plane's users, optionally through another server URL. */
export function kubeconfigFile(cp: ControlPlane, dir: string, user: 'admin' | 'restricted', o: { server?: string; namespace?: string } = {}): string {
  let text = fs.readFileSync(user === 'admin' ? cp.adminKubeconfig : cp.restrictedKubeconfig, 'utf8');
  if (o.server) text = text.split(cp.server).join(o.server);
  if (o.namespace) text = text.replace(/namespace: default/g, `namespace: ${o.namespace}`);
  const file = path.join(dir, `${user}-${Math.random().toString(36).slice(2, 8)}.kubeconfig`);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * A Role with `rules` in `namespace`, bound to a user (default: the control plane's "restricted").
 * Returns the paths to DELETE to take it away again.
 */
export async function grantRole(client: KubeHttp, namespace: string, name: string, rules: unknown[], user = 'restricted'): Promise<string[]> {
  await client.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules });
  await client.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  });
  const base = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}`;
  return [`${base}/rolebindings/${name}`, `${base}/roles/${name}`];
}
