// Detail, YAML, hostile cluster text, live updates and the selection following its object.
import { afterEach, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../src/sim/scenarios';
import type { RawObject } from '../../src/store/project';
import { project } from '../../src/store/project';
import { fakeSession } from './fake-session';
import { mount, NOW, rowWith, type Mounted } from './harness';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

function juicefsObjects(): RawObject[] {
  return buildScenarios(['juicefs'], { now: NOW, seed: 1 }).objects as unknown as RawObject[];
}

describe('YAML', () => {
  it('y fetches the live object and hides managedFields', async () => {
    const objs = juicefsObjects();
    const pod = objs.find((o) => o.kind === 'Pod' && /^trainer-/.test(o.metadata?.name ?? ''))!;
    pod.metadata!.managedFields = [{ manager: 'kubectl', operation: 'Update' }];
    m = mount(fakeSession(objs, { now: NOW }), { columns: 100, rows: 30 });
    await m.press('/', 'trainer', 'enter');
    await m.press('y');
    const f = await m.waitFor(/kind: Pod/);
    expect(f.split('\n')[1]).toMatch(/^YAML pod ml\/trainer-.*managedFields hidden/);
    expect(f).toMatch(/kind: Pod/);
    expect(f).toMatch(/name: trainer-/);
    expect(f).not.toMatch(/managedFields:|manager: kubectl/);
  });

  it('shows fetch errors in the view', async () => {
    const s = fakeSession(juicefsObjects(), { now: NOW });
    s.getObject = async () => {
      throw new Error('forbidden: pods "x" is forbidden');
    };
    m = mount(s);
    await m.press('y');
    expect(await m.waitFor(/cannot fetch/)).toMatch(/cannot fetch: forbidden/);
  });
});

describe('cluster text is sanitized before it is drawn', () => {
  it('no escape, OSC or bell from messages, events or labels reaches the frame', async () => {
    const objs = juicefsObjects();
    const pod = objs.find((o) => o.kind === 'Pod' && /^trainer-/.test(o.metadata?.name ?? ''))!;
    pod.metadata!.labels = { ...pod.metadata!.labels, evil: 'x\x1b]0;pwned\x07y' };
    pod.status.message = 'bad \x1b[2J\x1b]52;c;cm0gLXJmIC8=\x07 news\x9b31m';
    objs.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata!.name}.evil`, namespace: pod.metadata!.namespace, uid: 'evil-event', creationTimestamp: new Date(NOW - 5000).toISOString() },
      involvedObject: { kind: 'Pod', namespace: pod.metadata!.namespace, name: pod.metadata!.name, uid: pod.metadata!.uid },
      type: 'Warning',
      reason: 'Evil\x1b[31m',
      message: 'title \x1b]2;owned\x1b\\ bell \x07 dcs \x1bPq#0;2;0;0;0\x1b\\ end \u202eevil\u202c',
      count: 1,
      firstTimestamp: new Date(NOW - 5000).toISOString(),
      lastTimestamp: new Date(NOW - 5000).toISOString(),
    } as RawObject);
    m = mount(fakeSession(objs, { now: NOW }), { columns: 120, rows: 40 });
    const frames: string[] = [];
    frames.push(await m.press('/', 'trainer', 'enter'));
    frames.push(await m.press('enter'));
    frames.push(await m.press('G'));
    frames.push(await m.press('esc', ':', 'events', 'enter'));
    await m.press('y');
    frames.push(await m.waitFor(/kind: Event/));
    const all = frames.join('\n');
    expect(all).toMatch(/bad\s+news/);
    expect(all).toMatch(/title\s+bell\s+dcs\s+end/);
    // eslint-disable-next-line no-control-regex
    expect(all).not.toMatch(/[\x07\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(all).toMatch(/end evil/);
  });
});

describe('live store', () => {
  it('rows update on watch events and the selection follows its object when rows move', async () => {
    const s = fakeSession(juicefsObjects(), { now: NOW });
    m = mount(s, { columns: 120, rows: 30 });
    await m.press('/', 'web-', 'enter');
    // select the last web pod, then rename order by making another sort first
    let f = await m.press('G', 'enter');
    const selected = /^pod web\/(\S+)/m.exec(f.split('\n')[1])![1];
    await m.press('esc');
    // the selected pod goes into CrashLoopBackOff: its row changes in place and stays selected
    const raw = s.objects.find((o) => o.kind === 'Pod' && o.metadata?.name === selected)!;
    const bad = structuredClone(raw);
    bad.metadata!.resourceVersion = '999999';
    bad.status.containerStatuses[0] = { ...bad.status.containerStatuses[0], ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } } };
    s.store.apply('MODIFIED', project('Pod', bad)!);
    s.store.flush();
    f = await m.press();
    expect(rowWith(f, selected)).toMatch(/CrashLoopBackOff/);
    // sort by status: the row moves, the selection follows it
    await m.press('S');
    f = await m.press('enter');
    expect(f.split('\n')[1]).toContain(selected);
  });
});

describe('search in detail, tree and YAML', () => {
  it('/ finds text on the page, n/N move between matches, esc clears', async () => {
    m = mount(fakeSession(juicefsObjects(), { now: NOW }), { columns: 100, rows: 24 });
    await m.press('/', 'trainer', 'enter', 'y');
    await m.waitFor(/kind: Pod/);
    let f = await m.press('/', 'claimName', 'enter');
    expect(f.split('\n')[1]).toMatch(/\/claimName 1\/1/);
    expect(f).toMatch(/claimName: datasets/);
    expect(f.split('\n').at(-2)).toMatch(/search \/claimName/);
    f = await m.press('esc');
    expect(f.split('\n')[1]).not.toMatch(/claimName/);
    f = await m.press('esc', 'enter', '/', 'Warning', 'enter');
    expect(f.split('\n')[1]).toMatch(/\/Warning \d+\/\d+/);
    const first = f.split('\n')[1];
    f = await m.press('n');
    expect(f.split('\n')[1]).not.toBe(first);
    f = await m.press('esc', '/', 'zzzz', 'enter');
    expect(f.split('\n')[1]).toMatch(/\/zzzz no match/);
  });
});
