// Bad input gets one clear line on stderr and a non-zero exit: flags, kubeconfigs, contexts, servers.
import { describe, expect, it, beforeAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { runCli } from '../helpers/run-cli';
import { parseCli } from '../../src/cli';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-cli-'));
});

function kubeconfig(name: string, server: string, extra = ''): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: main
clusters:
- name: c1
  cluster:
    server: ${server}
    insecure-skip-tls-verify: true
users:
- name: u1
  user:
    token: abc
contexts:
- name: main
  context: {cluster: c1, user: u1}
- name: other
  context: {cluster: c1, user: u1, namespace: team-a}
${extra}`,
  );
  return file;
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function expectOneLineError(r: { code: number | null; stdout: string; stderr: string }, re: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^csi-top: /);
  expect(lines[0]).toMatch(re);
}

describe('csi-top command line', () => {
  it('prints version and help', async () => {
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^csi-top \d+\.\d+\.\d+/);
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('csi-top doctor');
    expect(h.stdout).toContain('--readonly');
  });

  it('rejects unknown flags, commands and bad values with one line', async () => {
    expectOneLineError(await runCli(['--bogus']), /bogus/);
    expectOneLineError(await runCli(['frobnicate']), /unknown command "frobnicate"/);
    expectOneLineError(await runCli(['--demo', '--scale', 'lots']), /--scale takes a whole number/);
    expectOneLineError(await runCli(['doctor', '-o', 'xml']), /doctor -o takes text or json/);
    expectOneLineError(await runCli(['-n', 'a', '-A']), /-n and -A/);
  });

  it('reports a missing kubeconfig', async () => {
    expectOneLineError(await runCli(['doctor', '--kubeconfig', path.join(dir, 'nope.yaml')]), /cannot read kubeconfig .*nope\.yaml: no such file/);
    expectOneLineError(await runCli(['doctor'], { env: { KUBECONFIG: '', HOME: dir } }), /no kubeconfig found at .*\.kube\/config.*--demo/);
  });

  it('reports a broken kubeconfig', async () => {
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'clusters: [\n  - {name: x\n');
    expectOneLineError(await runCli(['doctor', '--kubeconfig', file]), /invalid kubeconfig .*broken\.yaml/);
  });

  it('reports certificate or key data that is not PEM, before any request', async () => {
    const junk = Buffer.from('not a certificate').toString('base64');
    const file = path.join(dir, 'badpem.yaml');
    fs.writeFileSync(
      file,
      `apiVersion: v1
kind: Config
current-context: x
clusters:
- name: c
  cluster: {server: 'https://127.0.0.1:1', certificate-authority-data: ${junk}}
users:
- name: u
  user: {client-certificate-data: ${junk}, client-key-data: ${junk}}
contexts:
- name: x
  context: {cluster: c, user: u}
`,
    );
    expectOneLineError(await runCli(['doctor', '--kubeconfig', file]), /cannot use the credentials of context "x": .*not a valid PEM/);
  });

  it('reports an unknown context and lists the available ones', async () => {
    const file = kubeconfig('ctx.yaml', 'https://127.0.0.1:1');
    expectOneLineError(await runCli(['export', '--kubeconfig', file, '--context', 'prod']), /context "prod" not found .*available: main, other/);
  });

  it('reports an unreachable API server with its URL and a hint', async () => {
    const port = await closedPort();
    const file = kubeconfig('down.yaml', `https://127.0.0.1:${port}`);
    expectOneLineError(await runCli(['doctor', '--kubeconfig', file]), new RegExp(`127\\.0\\.0\\.1:${port}.*connection refused.*--demo`));
  });
});

describe('parseCli', () => {
  it('takes the documented flags', () => {
    expect(parseCli(['doctor', '-o', 'json', '-n', 'kube-system', '--readonly'], {})).toMatchObject({ command: 'doctor', output: 'json', namespace: 'kube-system', readonly: true, color: true });
    expect(parseCli(['--demo', '--scale', '10000', '--ascii', '--no-color'], {})).toMatchObject({ command: 'ui', demo: true, scale: 10000, ascii: true, color: false });
    expect(parseCli([], { NO_COLOR: '1' })).toMatchObject({ color: false });
    expect(parseCli(['export'], {})).toMatchObject({ output: 'json' });
  });
});
