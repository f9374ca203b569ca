// The extension points later features use: object actions (a key on any selected object, in the
// footer and help) and a pane below the view that takes the keys while open (the log pane).
import React, { useState } from 'react';
import { Text } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObjectAction } from '../../src/views/actions';
import { useViewKeys } from '../../src/views/view-keys';
import type { PaneProps } from '../../src/views/context';
import { mount, scenarioSession, type Mounted } from './harness';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

function FakeLogs(p: PaneProps & { pod: string }) {
  const [n, setN] = useState(0);
  useViewKeys([
    { keys: ['esc'], label: 'close', run: p.close },
    { keys: ['f'], label: 'fullscreen', run: p.toggleFullscreen },
    { keys: ['j'], label: 'scroll', run: () => setN((x) => x + 1) },
  ]);
  return <Text>{`LOGS of ${p.pod} h=${p.height} full=${p.fullscreen} scrolled=${n}`}</Text>;
}

const logs: ObjectAction = {
  keys: ['l'],
  label: 'logs',
  help: 'logs of the selected pod',
  appliesTo: (ref) => ref.kind === 'Pod',
  run: (ref, ctx) => ctx.openPane({ id: 'logs', render: (p) => <FakeLogs {...p} pod={ref.name} /> }),
};

describe('extension points', () => {
  it('an object action shows in the footer and help of lists, details and trees, only where it applies', async () => {
    m = mount(scenarioSession(['juicefs']), { actions: [logs] });
    let f = await m.press();
    expect(f.split('\n').at(-1)).toMatch(/<l>logs/);
    f = await m.press('?');
    expect(f).toMatch(/Actions\n\s+l\s+logs of the selected pod/);
    await m.press('esc', ':', 'pvc', 'enter');
    expect((await m.press()).split('\n').at(-1)).not.toMatch(/<l>logs/);
    await m.press('esc', 't');
    f = await m.press();
    expect(f.split('\n').at(-1)).toMatch(/<l>logs/);
  });

  it('a pane opens below the view, takes the keys, goes fullscreen and closes with esc', async () => {
    m = mount(scenarioSession(['juicefs']), { actions: [logs], rows: 30 });
    await m.press('/', 'trainer', 'enter');
    let f = await m.press('l');
    expect(f).toMatch(/LOGS of trainer-\S+ h=13 full=false scrolled=0/);
    expect(f).toMatch(/^Pods\(all\)/m); // the view stays above
    f = await m.press('j', 'j');
    expect(f).toMatch(/scrolled=2/);
    expect(f.split('\n').at(-1)).toMatch(/<esc>close <f>fullscreen <j>scroll/);
    f = await m.press('?');
    expect(f).toMatch(/esc\s+close/);
    expect(f).toMatch(/scrolled=2/); // the pane stays, with its state, under the help
    f = await m.press('esc');
    expect(f).toMatch(/LOGS .* scrolled=2/);
    f = await m.press('f');
    expect(f).toMatch(/h=26 full=true/);
    expect(f).not.toMatch(/^Pods\(all\)/m);
    f = await m.press('esc');
    expect(f).not.toMatch(/LOGS/);
    expect(f).toMatch(/^Pods\(all\)\[2\/\d+\]/m);
  });
});
