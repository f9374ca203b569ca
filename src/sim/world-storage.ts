// The storage control loops: external-provisioner (Pending claims get a PV, or ProvisioningFailed
// events while the backend refuses), the attach/detach controller with csi-attacher
// (VolumeAttachments for attachRequired drivers, attach errors from faults), and the resize flow
// of external-resizer + kubelet: Resizing → PV grown → FileSystemResizePending → (a running pod
// uses it) capacity updated, with the same events and allocatedResourceStatuses as the real ones.
import { attachmentName, iso, KObj, keyOf, quantityBytes } from './scenarios/kube';
import type { Controller, Runtime } from './world-runtime';
import { parseKey } from './world-runtime';
import { podVolumes } from './world-volumes';

const FS_PENDING_MSG = 'Waiting for user to (re-)start a pod to finish file system resize of volume on node.';

export function provisioner(rt: Runtime): Controller {
  const { api } = rt;
  const retrying = new Set<string>();
  return {
    name: 'provisioner',
    watches: ['PersistentVolumeClaim'],
    reconcile(key) {
      const { namespace, name } = parseKey(key);
      const pvc = api.get('PersistentVolumeClaim', namespace, name);
      if (!pvc || pvc.status?.phase === 'Bound' || pvc.spec?.volumeName || pvc.metadata.deletionTimestamp) return;
      const sc = api.get('StorageClass', undefined, pvc.spec?.storageClassName);
      if (!sc || !api.get('CSIDriver', undefined, sc.provisioner)) return;
      if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.['volume.kubernetes.io/selected-node']) return;
      const component = `${sc.provisioner}_${sc.provisioner.split('.')[0]}-controller_${rt.rand.uid().slice(0, 8)}`;
      const fault = rt.faults.provision.find((f) => f.storageClass === sc.metadata.name);
      if (fault) {
        rt.events.record(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${namespace}/${name}"`, { component: `${sc.provisioner}_provisioner` });
        rt.events.record(pvc, 'Warning', 'ProvisioningFailed', fault.message, { component: `${sc.provisioner}_provisioner` });
        if (!retrying.has(key)) {
          retrying.add(key);
          rt.after(10, () => {
            retrying.delete(key);
            rt.dirty(this, key);
          });
        }
        return;
      }
      const pvName = `pvc-${pvc.metadata.uid}`;
      const size = pvc.spec.resources.requests.storage;
      if (!api.get('PersistentVolume', undefined, pvName)) {
        const pv = api.create({
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner }, finalizers: ['external-provisioner.volume.kubernetes.io/finalizer', 'kubernetes.io/pv-protection'] },
          spec: {
            accessModes: pvc.spec.accessModes,
            capacity: { storage: size },
            claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name, namespace, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion },
            csi: { driver: sc.provisioner, volumeHandle: pvName, volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': `${Date.now()}-${rt.rand.int(9000) + 1000}-${sc.provisioner}` } },
            persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
            storageClassName: sc.metadata.name,
            volumeMode: pvc.spec.volumeMode ?? 'Filesystem',
          },
        });
        api.updateStatus({ ...pv, status: { phase: 'Bound', lastPhaseTransitionTime: iso(Date.now()) } });
        rt.events.record(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, { component });
      }
      // The PV controller binds the claim.
      const annotations = { ...pvc.metadata.annotations, 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/storage-provisioner': sc.provisioner };
      const bound = api.update({ ...pvc, metadata: { ...pvc.metadata, annotations }, spec: { ...pvc.spec, volumeName: pvName } });
      api.updateStatus({ ...bound, status: { phase: 'Bound', accessModes: pvc.spec.accessModes, capacity: { storage: size } } });
    },
  };
}

/** attach/detach controller + csi-attacher: one VolumeAttachment per (PV, node) in use. */
export function attacher(rt: Runtime): Controller {
  const { api } = rt;
  return {
    name: 'attacher',
    watches: ['Pod', 'VolumeAttachment'],
    keysFor: (_t, o) => (o.kind === 'Pod' ? (o.spec?.nodeName ? [keyOf(o)] : []) : [`VA/${o.metadata.name}`]),
    reconcile(key) {
      if (key.startsWith('VA/')) return detachIfUnused(key.slice(3));
      const { namespace, name } = parseKey(key);
      const pod = api.get('Pod', namespace, name);
      if (!pod || pod.metadata.deletionTimestamp) return;
      const node = pod.spec.nodeName;
      for (const v of podVolumes(api, pod)) {
        if (!v.pv || !v.driver || !api.get('CSIDriver', undefined, v.driver)?.spec?.attachRequired) continue;
        const vaName = attachmentName(v.pv.metadata.name, v.driver, node);
        let va = api.get('VolumeAttachment', undefined, vaName);
        if (!va) {
          va = api.create({
            apiVersion: 'storage.k8s.io/v1',
            kind: 'VolumeAttachment',
            metadata: { name: vaName, annotations: { 'csi.alpha.kubernetes.io/node-id': node }, finalizers: [`external-attacher/${v.driver.replace(/\./g, '-')}`] },
            spec: { attacher: v.driver, nodeName: node, source: { persistentVolumeName: v.pv.metadata.name } },
          });
        }
        if (va.status?.attached) continue;
        const fault = rt.faults.attach.find((f) => f.pv === v.pv!.metadata.name && f.node === node);
        if (fault) {
          if (va.status?.attachError?.message !== fault.message) api.updateStatus({ ...va, status: { attached: false, attachError: { time: iso(Date.now()), message: fault.message } } });
          rt.events.record(pod, 'Warning', 'FailedAttachVolume', `AttachVolume.Attach failed for volume "${v.pv.metadata.name}" : ${fault.message}`, { component: 'attachdetach-controller' });
          rt.after(8, () => rt.dirty(this, key));
          continue;
        }
        api.updateStatus({ ...va, status: { attached: true } });
        rt.events.record(pod, 'Normal', 'SuccessfulAttachVolume', `AttachVolume.Attach succeeded for volume "${v.pv.metadata.name}" `, { component: 'attachdetach-controller' });
      }
    },
  };

  function detachIfUnused(vaName: string): void {
    const va = api.get('VolumeAttachment', undefined, vaName);
    if (!va) return;
    if (va.metadata.deletionTimestamp) {
      if (va.metadata.finalizers?.length) api.update({ ...va, metadata: { ...va.metadata, finalizers: [] } });
      return;
    }
    const pv = api.get('PersistentVolume', undefined, va.spec.source?.persistentVolumeName);
    const claim = pv?.spec?.claimRef;
    const users = claim ? rt.index.podsUsingClaim(claim.namespace, claim.name) : [];
    if (users.some((p) => p.spec?.nodeName === va.spec.nodeName)) return;
    // Give a restarting pod's successor a moment before detaching.
    rt.after(3, () => {
      const again = claim ? rt.index.podsUsingClaim(claim.namespace, claim.name) : [];
      if (!again.some((p) => p.spec?.nodeName === va.spec.nodeName) && api.get('VolumeAttachment', undefined, vaName)) api.remove('VolumeAttachment', undefined, vaName);
    });
  }
}

function setCondition(pvc: KObj, type: string | undefined, message?: string): Record<string, any>[] {
  const keep = (pvc.status?.conditions ?? []).filter((c: Record<string, any>) => !['Resizing', 'FileSystemResizePending', 'ControllerResizeError', 'NodeResizeError'].includes(c.type));
  if (!type) return keep;
  return [...keep, { type, status: 'True', lastProbeTime: null, lastTransitionTime: iso(Date.now()), ...(message ? { message } : {}) }];
}

/** external-resizer (controller side) and kubelet's NodeExpandVolume (node side). */
export function resizer(rt: Runtime): Controller {
  const { api } = rt;
  const busy = new Set<string>();
  return {
    name: 'resizer',
    watches: ['PersistentVolumeClaim', 'Pod'],
    keysFor(_t, o) {
      if (o.kind === 'PersistentVolumeClaim') return [keyOf(o)];
      if (o.status?.phase !== 'Running') return [];
      return (o.spec?.volumes ?? []).filter((v: Record<string, any>) => v.persistentVolumeClaim).map((v: Record<string, any>) => `PersistentVolumeClaim/${o.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
    },
    reconcile(key) {
      if (busy.has(key)) return;
      const { namespace, name } = parseKey(key);
      const pvc = api.get('PersistentVolumeClaim', namespace, name);
      if (!pvc || pvc.status?.phase !== 'Bound') return;
      const want = quantityBytes(pvc.spec?.resources?.requests?.storage);
      const have = quantityBytes(pvc.status?.capacity?.storage);
      const pending = (pvc.status?.conditions ?? []).some((c: Record<string, any>) => c.type === 'FileSystemResizePending');
      if (pending) return nodeExpand(pvc, key);
      if (want <= have) return;
      const stage = pvc.status?.allocatedResourceStatuses?.storage;
      if (stage === 'ControllerResizeInProgress' || stage === 'ControllerResizeInfeasible') return;
      controllerExpand(pvc, key);
    },
  };

  function controllerExpand(pvc: KObj, key: string): void {
    const pv = api.get('PersistentVolume', undefined, pvc.spec.volumeName);
    const driver: string | undefined = pv?.spec?.csi?.driver;
    if (!pv || !driver) return;
    const size = pvc.spec.resources.requests.storage;
    const src = { component: `external-resizer ${driver}` };
    rt.events.record(pvc, 'Warning', 'ExternalExpanding', 'waiting for an external controller to expand this PVC', { component: 'volume_expand' });
    const started = api.updateStatus({
      ...pvc,
      status: { ...pvc.status, conditions: setCondition(pvc, 'Resizing'), allocatedResources: { storage: size }, allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' } },
    });
    rt.events.record(started, 'Normal', 'Resizing', `External resizer is resizing volume ${pv.metadata.name}`, src);
    busy.add(key);
    rt.after(2, () => {
      busy.delete(key);
      const cur = api.get('PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name);
      if (!cur) return;
      const fault = rt.faults.expand.find((f) => f.driver === driver);
      if (fault) {
        const err = `resize volume "${pv.metadata.name}" by resizer "${driver}" failed: ${fault.message}`;
        api.updateStatus({ ...cur, status: { ...cur.status, conditions: setCondition(cur, 'ControllerResizeError', `failed to expand pvc with ${fault.message}`), allocatedResourceStatuses: { storage: 'ControllerResizeInfeasible' } } });
        rt.events.record(cur, 'Warning', 'VolumeResizeFailed', err, src);
        return;
      }
      const curPv = api.get('PersistentVolume', undefined, pv.metadata.name)!;
      api.update({ ...curPv, spec: { ...curPv.spec, capacity: { ...curPv.spec.capacity, storage: size } } });
      api.updateStatus({ ...cur, status: { ...cur.status, conditions: setCondition(cur, 'FileSystemResizePending', FS_PENDING_MSG), allocatedResourceStatuses: { storage: 'NodeResizePending' } } });
      rt.events.record(cur, 'Normal', 'FileSystemResizeRequired', 'Require file system resize of volume on node', src);
    });
  }

  /** kubelet grows the file system only while a running pod on its node mounts the volume. */
  function nodeExpand(pvc: KObj, key: string): void {
    const user = rt.index.podsUsingClaim(pvc.metadata.namespace!, pvc.metadata.name).find((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
    if (!user) return;
    busy.add(key);
    rt.after(1, () => {
      busy.delete(key);
      const cur = api.get('PersistentVolumeClaim', pvc.metadata.namespace, pvc.metadata.name);
      if (!cur) return;
      const size = cur.status?.allocatedResources?.storage ?? cur.spec.resources.requests.storage;
      const { allocatedResourceStatuses: _done, ...rest } = cur.status ?? {};
      const done = api.updateStatus({ ...cur, status: { ...rest, capacity: { storage: size }, conditions: setCondition(cur, undefined) } });
      const msg = `MountVolume.NodeExpandVolume succeeded for volume "${cur.spec.volumeName}" ${user.spec.nodeName}`;
      rt.events.record(done, 'Normal', 'FileSystemResizeSuccessful', msg, { component: 'kubelet', host: user.spec.nodeName });
      rt.events.record(user, 'Normal', 'FileSystemResizeSuccessful', msg, { component: 'kubelet', host: user.spec.nodeName });
    });
  }
}
