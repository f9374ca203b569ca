// The log pane in the shell (ink-testing-library), its lines coming from the simulator over HTTP:
// opening it from a list, a tree line and a detail; its keys and states.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { startWorld, type World } from '../../src/sim/world';
import { buildScenarios } from '../../src/sim/scenarios';
import { KubeClient } from '../../src/kube/client';
import type { RawObject } from '../../src/store/project';
import { fakeSession, type FakeSession } from '../views/fake-session';
import { mount, NOW, type Mounted } from '../views/harness';

let sim: Simulator;
let world: World;
let client: KubeClient;
let m: Mounted | undefined;
let stateHome: string;

beforeAll(async () => {
  sim = await startSimulator({ tls: false });
  world = await startWorld(sim, { scenarios: ['juicefs'], live: false, now: NOW, seed: 1 });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig({ https: false }));
  client = await KubeClient.create(kc);
  stateHome = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-logs-'));
  process.env.XDG_STATE_HOME = stateHome;
});
afterAll(async () => {
  world.stop();
  client.close();
  await sim.close();
  fs.rmSync(stateHome, { recursive: true, force: true });
  delete process.env.XDG_STATE_HOME;
});
afterEach(() => {
  m?.unmount();
  m = undefined;
  sim.rbac.reset();
});

let session: FakeSession;
function open(o: { rows?: number; columns?: number } = {}): Mounted {
  const built = buildScenarios(['juicefs'], { now: NOW, seed: 1 });
  session = fakeSession(built.objects as unknown as RawObject[], { now: NOW, logClient: client });
  m = mount(session, { rows: o.rows ?? 40, columns: o.columns ?? 120 });
  return m;
}

const mountPod = () => sim.objects.list('pods', { namespace: 'kube-system' }).items.find((p) => p.metadata.name.startsWith('juicefs-n3-'))!.metadata.name;
const openMountPod = (t: Mounted) => t.press(':', 'mounts', 'enter', '/', 'juicefs-n3', 'enter', 'l');
const paneLines = (f: string) => f.split('\n').slice(f.split('\n').findIndex((l) => l.startsWith('Logs ')));

describe('log pane', () => {
  it('l on a crash-looping mount pod in :mounts: its jfs-mount log with the metadata engine error', async () => {
    const t = open();
    await t.press(':', 'mounts', 'enter', '/', 'juicefs-n3', 'enter');
    let f = await t.press();
    expect(f.split('\n').at(-1)).toMatch(/<l>logs/);
    await t.press('l');
    f = await t.waitFor(/is not available: dial tcp .*: i\/o timeout/);
    expect(f).toMatch(/^Logs kube-system\/juicefs-n3-pvc-\S+ \[jfs-mount\]  ! CrashLoopBackOff: waiting for a restart/m);
    // the list stays above the pane
    expect(f).toMatch(/^Mount pods\(all\)/m);
    expect(f.split('\n').at(-1)).toMatch(/<esc>close <s>pause <c>container <a>all <p>previous <\/>search/);
  });

  it('from the stuck app pod’s tree: l on the mount pod line, then on the node plugin line', async () => {
    const t = open();
    await t.press('/', 'trainer', 'enter', 't');
    let f = await t.waitFor(/Tree pod ml\/trainer-/);
    // the cursor starts on the worst line: the crash-looping mount pod
    f = await t.press('l');
    f = await t.waitFor(/^Logs kube-system\/juicefs-n3-\S+ \[jfs-mount\]/m);
    expect(f).toMatch(/^Tree pod ml\/trainer-/m);
    await t.waitFor(/FATAL/);
    // esc closes the pane (the tree keeps its cursor), then the node plugin two lines up
    f = await t.press('esc');
    expect(f).not.toMatch(/^Logs /m);
    await t.press('k', 'k', 'l');
    f = await t.waitFor(/^Logs kube-system\/juicefs-csi-node-\S+ \[juicefs-plugin\]/m);
    await t.waitFor(/could not mount juicefs/);
  });

  it('previous instance, timestamps, wrap, windows, containers one by one and all together', async () => {
    const t = open({ columns: 200 });
    await openMountPod(t);
    await t.waitFor(/FATAL/);
    let f = await t.press('p');
    f = await t.waitFor(/previous instance .*ended \(previous instance\)/);
    expect(paneLines(f).filter((l) => /Meta address/.test(l))).toHaveLength(1);
    f = await t.press('p');
    f = await t.press('t');
    await t.waitFor(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S+ juicefs\[7\] <FATAL>/m);
    f = await t.press('1');
    expect(f).toMatch(/all lines/);
    f = await t.press('2');
    f = await t.waitFor(/no log lines in the last 1m/);
    f = await t.press('0', 'w');
    expect(f).toMatch(/tail 100 · follow · timestamps · wrap/);
    // The node plugin pod of n3 (from the stuck pod's tree): its containers cycle, then all of them interleaved.
    await t.press('esc', 'esc', 'esc', '/', 'trainer', 'enter', 't', 'k', 'k', 'l');
    f = await t.waitFor(/\[juicefs-plugin\]/);
    const plugin = /^Logs kube-system\/(\S+)/m.exec(f)![1];
    const containers = sim.objects.get('pods', 'kube-system', plugin).spec.containers.map((c: { name: string }) => c.name) as string[];
    f = await t.press('c');
    expect(f).toMatch(new RegExp(`\\[${containers[(containers.indexOf('juicefs-plugin') + 1) % containers.length]}\\]`));
    f = await t.press('a');
    f = await t.waitFor(/^\[juicefs-plugin\] .*could not mount juicefs/m);
    expect(f).toMatch(/\[all containers\]/);
  });

  it('search: matches highlighted, n/N move between them, esc clears then closes', async () => {
    const t = open();
    await openMountPod(t);
    await t.waitFor(/FATAL/);
    let f = await t.press('/');
    expect(f).toMatch(/^\/ +enter searches, esc cancels/m);
    f = await t.type('timeout');
    f = await t.press('enter');
    expect(f).toMatch(/\/timeout 2\/2/);
    f = await t.press('N');
    expect(f).toMatch(/\/timeout 1\/2/);
    f = await t.press('n');
    expect(f).toMatch(/\/timeout 2\/2/);
    f = await t.press('esc');
    expect(f).not.toMatch(/\/timeout/);
    expect(f).toMatch(/^Logs /m);
    f = await t.press('esc');
    expect(f).not.toMatch(/^Logs /m);
  });

  it('ctrl-s saves what is loaded under the XDG state directory and shows the path', async () => {
    const t = open();
    await openMountPod(t);
    await t.waitFor(/FATAL/);
    const f = await t.press('\x13');
    const lines = f.split('\n');
    const at = lines.findIndex((l) => l.startsWith('saved to '));
    // the whole path under the lines (wrapped), the count and the path in the flash line
    const end = lines.findIndex((l, i) => i > at && l.startsWith('saved '));
    const file = lines.slice(at, end).join('').slice('saved to '.length);
    const saved = /^saved (\d+) lines to \//.exec(lines[end]);
    expect(saved).not.toBeNull();
    expect(file.startsWith(path.join(stateHome, 'csi-top', 'logs', `kube-system_${mountPod()}_jfs-mount_`))).toBe(true);
    expect(file).toMatch(/_\d{8}-\d{6}-\d{3}\.log$/);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(Number(saved![1]));
    expect(text).toMatch(/<FATAL>: Meta .* is not available/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('follows new lines; scrolling up pauses and counts what arrives; G follows again', async () => {
    const t = open({ rows: 30 });
    const ns = 'kube-system';
    const pod = mountPod();
    await openMountPod(t);
    await t.waitFor(/FATAL/);
    // the crash-looping container is waited for; make it write as if it ran
    for (let i = 0; i < 30; i++) sim.logs.append(ns, pod, 'jfs-mount', `line ${i}`);
    let f = await t.waitFor(/\bline 29$/m);
    f = await t.press('k');
    expect(f).toMatch(/paused/);
    const before = paneLines(f).slice(1).join('\n');
    for (let i = 30; i < 40; i++) sim.logs.append(ns, pod, 'jfs-mount', `line ${i}`);
    f = await t.waitFor(/paused ↓10 new/);
    expect(paneLines(f).slice(1).join('\n')).toBe(before);
    f = await t.press('G');
    expect(f).not.toMatch(/paused/);
    expect(f).toMatch(/\bline 39$/m);
  });

  it('waiting for a container that has not started; forbidden; a pod deleted while followed', async () => {
    let t = open();
    await t.press('/', 'trainer', 'enter', 'l');
    let f = await t.waitFor(/waiting for the container to start \(ContainerCreating\)/);
    expect(f).toMatch(/^Logs ml\/trainer-\S+ \[trainer\]/m);
    t.unmount();

    sim.rbac.deny({ verb: 'get', resource: 'pods/log' });
    t = open();
    await openMountPod(t);
    f = await t.waitFor(/✗ forbidden/);
    // the pane's own lines wrap: the whole apiserver message is there
    expect(f.replace(/\n/g, '')).toMatch(/is forbidden: User "admin" cannot get resource "pods\/log" in API group "" in the namespace "kube-system"/);
    t.unmount();
    sim.rbac.reset();

    // A running pod deleted while its log is followed.
    t = open();
    await t.press('/', 'web-', 'enter', 'l');
    f = await t.waitFor(/^Logs web\/web-\S+ \[nginx\]  streaming/m);
    const pod = /^Logs web\/(\S+)/m.exec(f)![1];
    sim.objects.delete('pods', 'web', pod, { gracePeriodSeconds: 0 });
    f = await t.waitFor(/ended \(pod deleted\)/);
    expect(f).toMatch(new RegExp(`^── pod web/${pod} was deleted ──$`, 'm'));
  });

  it('l in a pod detail; c on a single container says so; another context closes the pane', async () => {
    const t = open();
    await t.press(':', 'mounts', 'enter', '/', 'juicefs-n3', 'enter', 'enter');
    let f = await t.waitFor(/Role:\s+mount pod/);
    expect(f.split('\n').at(-1)).toMatch(/<l>logs/);
    await t.press('l');
    f = await t.waitFor(/^Logs kube-system\/juicefs-n3-\S+ \[jfs-mount\]/m);
    f = await t.press('c');
    expect(f).toMatch(/has no other container/);
    await session.switchContext('prod-eu');
    f = await t.press();
    expect(f).not.toMatch(/^Logs /m);
  });

  it('f full screen and back; ? lists the pane keys', async () => {
    const t = open({ rows: 30 });
    await openMountPod(t);
    let f = await t.waitFor(/FATAL/);
    f = await t.press('f');
    expect(f).not.toMatch(/^Mount pods/m);
    expect(f.split('\n')[1]).toMatch(/^Logs /);
    f = await t.press('?');
    for (const k of [/^\s+s\s+autoscroll on\/off/m, /^\s+p\s+the previous instance/m, /^\s+ctrl-s\s+save the loaded lines/m, /^\s+a\s+all containers interleaved/m]) expect(f).toMatch(k);
    f = await t.press('esc');
    f = await t.press('f');
    expect(f).toMatch(/^Mount pods/m);
    expect(f).toMatch(/^Logs /m);
  });
});
