// Every list view over the scenario cluster: the triage columns and the rows a user expects.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, rowWith, scenarioSession, type Mounted } from './harness';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

const wide = { columns: 160, rows: 50 };
const title = (f: string) => f.split('\n')[1];
const header = (f: string) => f.split('\n')[2];

describe('list views', () => {
  it(':pods shows every triage column at 160 columns', async () => {
    m = mount(scenarioSession('all'), { ...wide });
    const f = await m.press();
    expect(header(f)).toMatch(/NAMESPACE\s+NAME↑\s+READY\s+STATUS\s+RESTARTS\s+NODE\s+PVCS\s+DRIVER\s+MOUNT PODS\s+AGE/);
    expect(rowWith(f, 'trainer-')).toMatch(/ml\s+trainer-\S+\s+0\/1\s+ContainerCreating\s+0\s+n3\s+datasets\s+csi\.juicefs\.com\s+0\/1 CrashLoopBackOff/);
    expect(rowWith(f, 'clickhouse-0')).toMatch(/^✗ .*Pending/);
  });

  it('the line under the table says what is wrong with the selected row, and is blank on a healthy one', async () => {
    m = mount(scenarioSession(['juicefs', 'healthy']), { columns: 160, rows: 30 });
    let f = await m.press('/', 'trainer', 'enter');
    // Above the flash line and the footer.
    const problem = (s: string) => s.split('\n').at(-3) ?? '';
    // The app pod's own status is fine to kubelet's eyes; what breaks it is its mount pod.
    expect(problem(f)).toMatch(/^✗ MountPodNotReady mount pod \S*juicefs-n3-.* is CrashLoopBackOff/);
    f = await m.press('esc', '/', 'web-', 'enter', 'g');
    expect(rowWith(f, 'web  ')).toMatch(/^  web\s+web-\S+\s+1\/1\s+Running/);
    expect(problem(f).trim()).toBe('');
    // The last web pod mounted through a mount pod that was recreated since.
    f = await m.press('G');
    expect(problem(f)).toMatch(/^✗ StaleMount mount pod \S+ was recreated after 1 app pod\(s\) mounted through it/);
  });

  it('a namespace scope shows its pods, the mount pods serving them and the findings that concern it', async () => {
    m = mount(scenarioSession('all', { namespace: 'ml' }), { ...wide });
    let f = await m.press();
    expect(f.split('\n')[0]).toMatch(/ns:ml .*✗ 1 error(?!s)/);
    expect(title(f)).toMatch(/^Pods\(ml\)\[2\]/);
    expect(f.match(/trainer-/g)?.length).toBe(2);
    expect(f).not.toMatch(/clickhouse|postgres/);
    // The verdict needs the mount pod in kube-system: seen, though the scope is ml.
    expect(f).toMatch(/✗ MountPodNotReady mount pod juicefs-n3-/);
    f = await m.press(':', 'mounts', 'enter');
    expect(title(f)).toMatch(/^Mount pods\(ml\)\[1\]/);
    // It lives in kube-system, not in the scope: its namespace is shown.
    expect(f).toMatch(/kube-system\s+juicefs-n3-\S+\s+n3\s+0\/1\s+CrashLoopBackOff/);
    f = await m.press(':', 'plugins', 'enter');
    expect(header(f)).toMatch(/DRIVER↑\s+NAMESPACE\s+NAME/);
    f = await m.press(':', 'doctor', 'enter');
    expect(title(f)).toMatch(/^Findings\(ml\)\[1\]/);
    expect(f).toMatch(/MountPodNotReady/);
  });

  it(':mounts lists mount pods with app pod counts and volumes', async () => {
    m = mount(scenarioSession(['juicefs']), { ...wide, start: 'mounts' });
    const f = await m.press();
    expect(title(f)).toMatch(/^Mount pods\(all\)\[3\]/);
    expect(header(f)).toMatch(/NAME\s+NODE↑\s+READY\s+STATUS\s+RESTARTS\s+APP PODS\s+PV\/UNIQUE ID\s+AGE/);
    expect(rowWith(f, 'juicefs-n3-pvc')).toBeDefined();
    expect(f).toMatch(/^✗ .*juicefs-n3-\S+\s+n3\s+0\/1\s+CrashLoopBackOff\s+7\s+2\s+pvc-/m);
  });

  it(':plugins shows REGISTERED from CSINode, NO when kubelet lacks the driver', async () => {
    m = mount(scenarioSession('all'), { ...wide, start: 'plugins' });
    const f = await m.press();
    expect(header(f)).toMatch(/DRIVER↑\s+NAMESPACE\s+NAME\s+NODE\s+READY\s+STATUS\s+RESTARTS\s+REGISTERED\s+AGE/);
    expect(rowWith(f, 'juicefs-csi-node')).toMatch(/csi\.juicefs\.com\s+kube-system\s+juicefs-csi-node-\S+\s+n\d\s+3\/3\s+Running\s+0\s+yes/);
  });

  it(':controllers shows the leader', async () => {
    m = mount(scenarioSession(['juicefs']), { ...wide, start: 'controllers' });
    const f = await m.press();
    expect(header(f)).toMatch(/LEADER/);
    expect(rowWith(f, 'juicefs-csi-controller-0')).toMatch(/provisioner/);
  });

  it(':pvc shows the resize state', async () => {
    m = mount(scenarioSession(['resize-pending']), { ...wide, start: 'pvc' });
    const f = await m.press();
    expect(header(f)).toMatch(/NAMESPACE\s+NAME↑\s+STATUS\s+VOLUME\s+CAPACITY\s+REQUESTED\s+SC\s+RESIZE\s+PODS\s+AGE/);
    expect(f).toMatch(/Bound .*(fs pending|expanding|requested)/);
  });

  it(':pv, :sc, :va, :nodes, :events render their columns', async () => {
    m = mount(scenarioSession('all'), { ...wide, start: 'pv' });
    let f = await m.press();
    expect(header(f)).toMatch(/NAME↑\s+CAPACITY\s+STATUS\s+CLAIM\s+SC\s+DRIVER\s+RECLAIM\s+AGE/);
    expect(f).toMatch(/Released/);
    f = await m.press(':', 'sc', 'enter');
    expect(header(f)).toMatch(/NAME↑\s+PROVISIONER\s+RECLAIM\s+BINDING\s+EXPANSION\s+PVCS\s+AGE/);
    f = await m.press(':', 'va', 'enter');
    expect(header(f)).toMatch(/NAME↑\s+ATTACHER\s+PV\s+NODE\s+ATTACHED\s+ERROR\s+AGE/);
    expect(f).toMatch(/^✗ .*false\s+rpc error: code = DeadlineExceeded/m);
    f = await m.press(':', 'nodes', 'enter');
    expect(header(f)).toMatch(/NAME↑\s+STATUS\s+DRIVERS\s+PLUGINS\s+MOUNTS\s+APP PODS\s+VERSION\s+AGE/);
    f = await m.press(':', 'events', 'enter');
    expect(header(f)).toMatch(/LAST↑\s+TYPE\s+REASON\s+NAMESPACE\s+OBJECT\s+COUNT\s+MESSAGE/);
    expect(f).toMatch(/Warning\s+FailedMount/);
  });

  it(':drivers summarises every driver; :doctor lists findings errors first', async () => {
    m = mount(scenarioSession('all'), { ...wide, start: 'drivers' });
    let f = await m.press();
    expect(header(f)).toMatch(/NAME↑\s+PROFILE\s+PLUGINS\s+REGISTERED\s+CONTROLLERS\s+MOUNTS\s+PVS\s+FINDINGS/);
    expect(rowWith(f, 'csi.juicefs.com')).toMatch(/juicefs\s+3\/3\s+3\/\d+\s+2\/2\s+3\/4/);
    f = await m.press(':', 'doctor', 'enter');
    expect(title(f)).toMatch(/^Findings/);
    const rows = f.split('\n').slice(3).filter((l) => /^[✗!i] /.test(l));
    expect(rows[0]).toMatch(/^✗ error/);
    expect(rows.at(-1)).toMatch(/^[!i] (warning|info)/);
    // Enter opens the object with its evidence
    f = await m.press('enter');
    expect(f).toMatch(/Findings \(\d+\)/);
  });

  it(':ctx and :ns switch through the session', async () => {
    const s = scenarioSession(['healthy']);
    m = mount(s, { ...wide });
    let f = await m.press(':', 'ctx', 'enter');
    expect(title(f)).toMatch(/^Contexts/);
    f = await m.press('G', 'enter');
    expect(s.switches).toEqual(['ctx:prod-eu']);
    await m.press(':', 'ns web', 'enter');
    expect(s.switches).toEqual(['ctx:prod-eu', 'ns:web']);
    f = await m.press(':', 'ns', 'enter');
    expect(f).toMatch(/\(all namespaces\)/);
  });
});
