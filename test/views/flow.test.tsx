// The triage flow the UI is built for: from a stuck app pod to its mount pod, node plugin and
// the events that explain it, in three keystrokes at 80x24.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, scenarioSession, type Mounted } from './harness';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

describe('stuck app pod → mount pod → node plugin → events', () => {
  it('t opens the tree on the culprit, Enter describes it, esc comes back', async () => {
    m = mount(scenarioSession(['juicefs']), { columns: 80, rows: 24 });
    await m.press('/', 'trainer', 'enter');
    // keystroke 1: the tree of the stuck pod, with the mount pod marked
    let f = await m.press('t');
    expect(f.split('\n')[1]).toMatch(/^Tree pod ml\/trainer-/);
    expect(f).toMatch(/├─ node plugin kube-system\/juicefs-csi-node-\S+\s+Running 3\/3/);
    expect(f).toMatch(/✗ .*mount pod kube-system\/juicefs-n3-.*CrashLoopBackOff/);
    // keystroke 2: the culprit's detail: state, finding with evidence, container, events
    f = await m.press('enter');
    expect(f.split('\n')[1]).toMatch(/^pod kube-system\/juicefs-n3-.*✗ CrashLoopBackOff/);
    expect(f).toMatch(/Role:\s+mount pod of csi\.juicefs\.com/);
    expect(f).toMatch(/MountPodNotReady/);
    expect(f).toMatch(/i\/o timeout/);
    // keystroke 3: page down to the events (newest first)
    f = await m.press('pgdn');
    expect(f).toMatch(/Events \(\d+\)|BackOff|Back-off/);
    // back to the tree, up to the node plugin, describe it
    f = await m.press('esc');
    expect(f.split('\n')[1]).toMatch(/^Tree pod ml\/trainer-/);
    f = await m.press('k', 'k', 'enter');
    expect(f.split('\n')[1]).toMatch(/^pod kube-system\/juicefs-csi-node-/);
    expect(f).toMatch(/Role:\s+node plugin of csi\.juicefs\.com/);
    expect(f).toMatch(/Related/);
    f = await m.press('esc', 'esc');
    expect(f.split('\n')[1]).toMatch(/^Pods/);
  });

  it('the detail of the app pod names the findings that break it and links its mount pod', async () => {
    m = mount(scenarioSession(['juicefs']), { columns: 80, rows: 24 });
    await m.press('/', 'trainer', 'enter');
    let f = await m.press('enter');
    expect(f.split('\n')[1]).toMatch(/^pod ml\/trainer-.*ContainerCreating/);
    expect(f).toMatch(/Findings \(\d+\)/);
    expect(f).toMatch(/✗>MountPodNotReady/);
    // Enter on the finding line opens the mount pod it is about
    for (let i = 0; i < 30 && !/^✗>MountPodNotReady/m.test(await m.press()); i++) await m.press('tab');
    f = await m.press('tab');
    f = await m.press('backtab', 'enter');
    expect(f.split('\n')[1]).toMatch(/^pod kube-system\/juicefs-n3-/);
  });

  it('t on a mount pod shows the app pods it serves and its node plugin', async () => {
    m = mount(scenarioSession(['juicefs']), { columns: 120, rows: 30, start: 'mounts' });
    await m.press('/', 'n3', 'enter');
    const f = await m.press('G', 't');
    expect(f.split('\n')[1]).toMatch(/^Tree pod kube-system\/juicefs-n3-/);
    expect(f).toMatch(/serves pod ml\/trainer-/);
    expect(f).toMatch(/node plugin kube-system\/juicefs-csi-node-/);
  });
});
