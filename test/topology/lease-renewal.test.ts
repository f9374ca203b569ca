// Leader electors renew their Leases every few seconds on every cluster (the control plane's
// own every 2 s). A renewal alone must not rebuild the driver index, the app pod list or the
// findings; a change of hands, a new Lease or a deleted one must. The index's Lease records
// still read the latest renewal.
import { describe, expect, it } from 'vitest';
import { project, type RawObject } from '../../src/store/project';
import { driverIndex } from '../../src/store/topology/driver-index';
import { appPods } from '../../src/views/selectors/rows';
import { computeFindings } from '../../src/store/verdicts';
import type { LeaseRec } from '../../src/store/records';
import { FIXTURE_NOW, HEALTHY } from '../fixtures/load';
import { storeWith } from './helpers';

let rv = 900_000;
const lease = (name: string, holder: string, renewTime: string): LeaseRec =>
  project('Lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-system', uid: `u-${name}`, resourceVersion: String(rv++) }, spec: { holderIdentity: holder, leaseDurationSeconds: 15, renewTime } } as RawObject) as LeaseRec;

describe('Lease renewals', () => {
  it('keep the driver index, app pods and findings; a new holder or Lease rebuilds them', () => {
    const store = storeWith(HEALTHY);
    store.apply('ADDED', lease('kube-scheduler', 'master-1_0b5c', '2026-05-10T12:00:02.000000Z'));
    const idx = driverIndex(store);
    const apps = appPods(store);
    const findings = computeFindings(store, { now: FIXTURE_NOW });
    const juicefsLease = () => idx.drivers.get('csi.juicefs.com')!.leases.find((l) => l.lease.name === 'csi-juicefs-com')!;
    expect(juicefsLease().holder?.name).toBe('juicefs-csi-controller-0');

    // Renewed: same holder, later renewTime.
    store.apply('MODIFIED', lease('csi-juicefs-com', 'juicefs-csi-controller-0', '2026-05-10T12:00:04.000000Z'));
    store.apply('MODIFIED', lease('kube-scheduler', 'master-1_0b5c', '2026-05-10T12:00:04.000000Z'));
    expect(driverIndex(store)).toBe(idx);
    expect(appPods(store)).toBe(apps);
    expect(computeFindings(store, { now: FIXTURE_NOW })).toBe(findings);
    expect(juicefsLease().lease.renewTime).toBe(Date.parse('2026-05-10T12:00:04Z'));

    // Changed hands: the other replica leads now.
    store.apply('MODIFIED', lease('csi-juicefs-com', 'juicefs-csi-controller-1', '2026-05-10T12:00:06.000000Z'));
    const after = driverIndex(store);
    expect(after).not.toBe(idx);
    expect(after.activeController('csi.juicefs.com')?.name).toBe('juicefs-csi-controller-1');
    expect(computeFindings(store, { now: FIXTURE_NOW })).not.toBe(findings);

    // The same holders again, but one Lease more (another sidecar takes its lock).
    store.apply('ADDED', lease('external-attacher-leader-csi-juicefs-com', 'juicefs-csi-controller-1', '2026-05-10T12:00:07.000000Z'));
    const added = driverIndex(store);
    expect(added).not.toBe(after);
    expect(added.drivers.get('csi.juicefs.com')!.leases.map((l) => l.sidecar)).toContain('attacher');
    store.apply('DELETED', lease('external-attacher-leader-csi-juicefs-com', 'juicefs-csi-controller-1', '2026-05-10T12:00:07.000000Z'));
    expect(driverIndex(store).drivers.get('csi.juicefs.com')!.leases.map((l) => l.sidecar)).not.toContain('attacher');
  });
});
