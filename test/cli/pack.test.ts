// The published package: `npm pack`, install the tarball offline into an empty project, run the
// installed bin. Proves `npx csi-top` needs nothing but the tarball.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
let dir: string;
let tarball: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-pack-'));
  const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  tarball = path.join(dir, JSON.parse(out)[0].filename);
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app', 'package.json'), '{"name":"try-csi-top","version":"1.0.0","private":true}');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: path.join(dir, 'app'), encoding: 'utf8' });
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('packed tarball', () => {
  it('holds one bundled file, the README and package.json, and has no runtime dependencies', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toEqual(['package/README.md', 'package/dist/csi-top.js', 'package/package.json']);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'app/node_modules/csi-top/package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({ 'csi-top': 'dist/csi-top.js' });
    // nothing else was installed next to it
    expect(fs.readdirSync(path.join(dir, 'app/node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['csi-top']);
  });

  it('runs the installed bin', () => {
    const bin = path.join(dir, 'app/node_modules/.bin/csi-top');
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^csi-top \d+\.\d+\.\d+/);
  });

  it('runs the demo cluster headless from the installed bin: export --demo', () => {
    const bin = path.join(dir, 'app/node_modules/.bin/csi-top');
    const r = spawnSync(bin, ['export', '--demo'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ apiVersion: 'csi-top/v1', kind: 'Export', context: 'demo' });
    expect(doc.drivers.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['csi.juicefs.com', 'rbd.csi.ceph.com', 'nfs.csi.k8s.io']));
    expect(doc.volumes.length).toBeGreaterThan(5);
    expect(doc.findings.some((f: { severity: string }) => f.severity === 'error')).toBe(true);
  });
});
