// The pure parts: a claim's resize state from conditions, allocatedResourceStatuses, sizes and
// events; the size check; the action log file; access answers from SelfSubjectAccessReviews.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Condition, EventRec, PVCRec } from '../../src/store/records';
import { actionLogPath, checkSize, DONE_MS, FileAuditLog, KubeActions, pendingAdvice, readActionLog, resizeState, type AuditEntry } from '../../src/actions';
import { ApiError, type KubeClient } from '../../src/kube/client';

const NOW = Date.parse('2026-05-10T12:00:00Z');

function pvc(o: Partial<PVCRec> = {}): PVCRec {
  return {
    kind: 'PersistentVolumeClaim',
    uid: 'u1',
    name: 'data',
    namespace: 'ns',
    resourceVersion: '1',
    created: NOW - 86_400_000,
    deleting: 0,
    labels: {},
    phase: 'Bound',
    storageClass: 'fast',
    volumeName: 'pv1',
    requested: '20Gi',
    capacity: '20Gi',
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    conditions: [],
    resizeStatus: '',
    allocated: '',
    provisioner: '',
    selectedNode: '',
    ...o,
  };
}
const cond = (type: string, message = '', ago = 60_000): Condition => ({ type, status: 'True', reason: '', message, lastTransition: NOW - ago });
const ev = (reason: string, ago: number, message = `${reason} message`): EventRec => ({
  kind: 'Event',
  uid: `e-${reason}-${ago}`,
  name: `data.${reason}`,
  namespace: 'ns',
  resourceVersion: '1',
  created: NOW - ago,
  deleting: 0,
  labels: {},
  type: /Failed/.test(reason) ? 'Warning' : 'Normal',
  reason,
  message,
  count: 1,
  first: NOW - ago,
  last: NOW - ago,
  source: '',
  involved: { kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data', uid: 'u1' },
});
const newest = (...e: EventRec[]) => [...e].sort((a, b) => b.last - a.last);

describe('resizeState', () => {
  const cases: [string, PVCRec, EventRec[], string, string | undefined][] = [
    ['nothing going on', pvc(), [], '', undefined],
    ['a larger size nobody picked up', pvc({ requested: '40Gi' }), [], 'requested', 'requested'],
    ['handed to the external resizer (event)', pvc({ requested: '40Gi' }), [ev('ExternalExpanding', 1000)], 'expanding', 'expanding'],
    ['Resizing condition', pvc({ requested: '40Gi', conditions: [cond('Resizing')] }), [], 'expanding', 'expanding'],
    ['ControllerResizeInProgress', pvc({ requested: '40Gi', resizeStatus: 'ControllerResizeInProgress' }), [], 'expanding', 'expanding'],
    ['FileSystemResizePending', pvc({ requested: '40Gi', conditions: [cond('FileSystemResizePending', 'Waiting for user to (re-)start a pod')] }), [], 'fs pending', 'fs-pending'],
    ['NodeResizePending', pvc({ requested: '40Gi', resizeStatus: 'NodeResizePending' }), [], 'fs pending', 'fs-pending'],
    ['NodeResizeInProgress', pvc({ requested: '40Gi', resizeStatus: 'NodeResizeInProgress' }), [], 'node expanding', 'node-expanding'],
    ['ControllerResizeError', pvc({ requested: '40Gi', conditions: [cond('ControllerResizeError', 'quota exceeded')] }), [], 'failed (ctrl)', 'failed'],
    ['ControllerResizeInfeasible', pvc({ requested: '40Gi', resizeStatus: 'ControllerResizeInfeasible' }), [ev('VolumeResizeFailed', 5000, 'too big')], 'failed (ctrl)', 'failed'],
    ['NodeResizeError', pvc({ requested: '40Gi', conditions: [cond('NodeResizeError', 'resize2fs failed')] }), [], 'failed (node)', 'failed'],
    ['a failure event after the last success', pvc({ requested: '40Gi' }), newest(ev('FileSystemResizeSuccessful', 3_600_000), ev('VolumeResizeFailed', 5000)), 'failed', 'failed'],
    ['a failure, then progress again', pvc({ requested: '40Gi', conditions: [cond('Resizing', '', 1000)] }), [ev('VolumeResizeFailed', 5000)], 'expanding', 'expanding'],
    ['a failure before the last success does not count', pvc({ allocated: '20Gi' }), newest(ev('VolumeResizeFailed', 60_000), ev('FileSystemResizeSuccessful', 30_000)), 'done', 'done'],
    ['done a while ago: nothing', pvc({ allocated: '20Gi' }), [ev('FileSystemResizeSuccessful', DONE_MS + 1000)], '', undefined],
    ['an unbound claim never shows requested', pvc({ phase: 'Pending', requested: '40Gi', capacity: '' }), [], '', undefined],
  ];
  for (const [what, claim, events, text, stage] of cases) {
    it(what, () => {
      const s = resizeState(claim, events, NOW);
      expect(s.text).toBe(text);
      expect(s.stage).toBe(stage);
    });
  }

  it('keeps the failure message verbatim', () => {
    expect(resizeState(pvc({ requested: '40Gi', conditions: [cond('ControllerResizeError', 'rpc error: code = ResourceExhausted desc = quota')] }), [], NOW).message).toBe('rpc error: code = ResourceExhausted desc = quota');
    expect(resizeState(pvc({ requested: '40Gi' }), [ev('VolumeResizeFailed', 1000, 'resize volume "pv1" failed: boom')], NOW).message).toBe('resize volume "pv1" failed: boom');
  });

  it('offers the restart of the pods a pending file system resize waits for', () => {
    expect(pendingAdvice([])).toBe('finishes when a pod mounts it: no pod uses it now, start one');
    expect(pendingAdvice([{ namespace: 'db', name: 'pg-0' }])).toBe('finishes when a pod mounts it: restart db/pg-0? (R)');
    expect(pendingAdvice(['a', 'b', 'c', 'd', 'e'].map((name) => ({ namespace: 'x', name })))).toBe('finishes when a pod mounts it: restart x/a, x/b, x/c and 2 more? (R)');
  });
});

describe('checkSize', () => {
  const claim = pvc({ requested: '20Gi' });
  it.each(['21Gi', '1.5Ti', '500G', '21474836481', ' 30Gi ', '+30Gi', '2.5e10', '0.5Ti', '20481Mi'])('%s is a larger size', (t) => {
    const c = checkSize(t, claim);
    expect(c.ok, c.ok ? '' : c.message).toBe(true);
    if (c.ok) expect(c.size).toBe(t.trim());
  });
  it.each([
    ['20G', /smaller than the current request 20Gi/],
    ['20Gi', /is the current request/],
    ['0.1', /not a whole number of bytes/],
    ['1Ki5', /not a quantity/],
    ['20Gib', /not a quantity/],
    ['20.Gi.', /not a quantity/],
    ['--5Gi', /not a quantity/],
  ])('%s is refused', (t, re) => {
    const c = checkSize(t, claim);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.message).toMatch(re);
  });
});

describe('the action log', () => {
  it('lives in the XDG state directory', () => {
    expect(actionLogPath({ XDG_STATE_HOME: '/var/state', HOME: '/home/u' })).toBe('/var/state/csi-top/actions.log');
    expect(actionLogPath({ XDG_STATE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.local/state/csi-top/actions.log');
    expect(actionLogPath({ HOME: '/home/u' })).toBe('/home/u/.local/state/csi-top/actions.log');
  });

  it('appends one JSON line per entry, private to the user; a write error is reported, not thrown', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-audit-'));
    try {
      const file = path.join(dir, 'state', 'csi-top', 'actions.log');
      const log = new FileAuditLog(file);
      const entry: AuditEntry = { time: new Date(NOW).toISOString(), context: 'c', action: 'delete', verb: 'delete', object: { kind: 'Pod', namespace: 'a', name: 'b' }, request: { method: 'DELETE', path: '/api/v1/namespaces/a/pods/b' }, result: { ok: true, status: 200, message: '' } };
      log.append(entry);
      log.append({ ...entry, result: { ok: false, status: 404, message: 'pods "b" not found' } });
      expect(fs.readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
      expect(readActionLog(file)).toEqual([entry, { ...entry, result: { ok: false, status: 404, message: 'pods "b" not found' } }]);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      const errors: string[] = [];
      fs.writeFileSync(path.join(dir, 'file'), '');
      const returned = new FileAuditLog(path.join(dir, 'file', 'actions.log'), (m) => errors.push(m)).append(entry);
      expect(errors[0]).toMatch(/cannot write the action log .*file\/actions\.log/);
      expect(returned).toBe(errors[0]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('access', () => {
  const actions = (answer: () => unknown) => {
    const sent: unknown[] = [];
    const client = { request: async (_m: string, _p: string, o: { body?: unknown }) => (sent.push(o.body), answer()) } as unknown as KubeClient;
    return { a: new KubeActions({ client: () => client, context: () => 'c', readonly: false, audit: { append: () => undefined } }), sent };
  };
  it('allowed, denied with the reason, unknown when the review fails (the server decides)', async () => {
    expect(await actions(() => ({ status: { allowed: true, reason: 'RBAC: allowed' } })).a.access('patch', 'persistentvolumeclaims', 'db')).toEqual({ allowed: true, reason: 'RBAC: allowed' });
    expect(await actions(() => ({ status: { allowed: false, reason: 'no binding', evaluationError: 'x' } })).a.access('delete', 'pods', 'db')).toEqual({ allowed: false, reason: 'not allowed: you cannot delete pods in namespace "db" (no binding; x)' });
    const r = await actions(() => {
      throw new ApiError('selfsubjectaccessreviews.authorization.k8s.io is forbidden', 403, 'Forbidden');
    }).a.access('patch', 'persistentvolumeclaims', 'db');
    expect(r).toEqual({ allowed: true, unknown: true, reason: 'could not check permission (selfsubjectaccessreviews.authorization.k8s.io is forbidden); the server decides' });
  });
});

describe('a mutation the action log cannot record', () => {
  it('is still done, and the outcome says why it is not in the log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-audit-'));
    try {
      fs.writeFileSync(path.join(dir, 'file'), '');
      const client = { request: async () => ({}) } as unknown as KubeClient;
      const a = new KubeActions({ client: () => client, context: () => 'c', readonly: false, audit: new FileAuditLog(path.join(dir, 'file', 'actions.log')) });
      const o = await a.deletePod('ns', 'p', { uid: 'u' });
      expect(o).toMatchObject({ ok: true, sent: true, logError: expect.stringMatching(/cannot write the action log/) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
