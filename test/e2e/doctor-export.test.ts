// `csi-top doctor -o json` and `export -o json` (the built bundle) on the simulator's scenarios
// loaded into the real kube-apiserver, compared with the same commands on the simulator.
//
// Each case gets its own control plane (the scenarios' cluster-scoped objects — nodes n1…,
// CSINodes, PVs, StorageClasses — would meet other tests' objects on the shared one). The same
// built scenario goes to three servers:
//  - real: the kube-apiserver, loaded through its API (test/e2e/scenario-load.ts);
//  - api: the simulator, loaded through its API by the same code, so both servers receive exactly
//    the same requests. Its documents must equal the real server's, normalising only:
//    uids (each server's are mapped back to the scenario's, which also names PVs pvc-<uid> and
//    the JuiceFS mount pods after them), the kubeconfig context name, generatedAt, and "N ago"
//    ages in messages (the runs are seconds apart);
//  - seeded: the simulator loaded as `csi-top --demo` loads it (startWorld, uids and
//    creationTimestamps as the scenario wrote them, controllers off). The findings must be the
//    same objects, codes, severities, nodes, drivers and affected pods, and the topology
//    (export drivers and volumes) the same, except where a real server cannot hold the scenario's
//    past: it stamps creationTimestamp itself, so every object is seconds old there. A finding
//    whose only evidence is events from before its object's creation, or that waits for a grace
//    period to pass, is then legitimately absent (AGE_DEPENDENT lists them, and the test fails if
//    the list is wrong in either direction).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startControlPlane, KubeHttp, type ControlPlane } from './harness';
import { loadScenario, type LoadResult } from './scenario-load';
import { buildScenarios, type BuiltCluster } from '../../src/sim/scenarios/index';
import { startSimulator, type Simulator } from '../../src/sim/index';
import { startWorld, type World } from '../../src/sim/world';
import { runCli } from '../helpers/run-cli';

interface Doc {
  context: string;
  generatedAt?: string;
  findings: Finding[];
  drivers?: unknown[];
  volumes?: unknown[];
  summary?: Record<string, number>;
  unavailable?: unknown[];
}
interface Finding {
  code: string;
  severity: string;
  object: { kind: string; namespace: string; name: string };
  driver: string | null;
  node: string | null;
  affects: Array<{ kind: string; namespace: string; name: string }>;
  chain: string[];
  message: string;
}

/**
 * Findings of the seeded (demo) world that a real apiserver cannot reproduce, as
 * `CODE Kind ns/name`, with why. Everything is created "now" there.
 */
const AGE_DEPENDENT: Record<string, string> = {
  // postgres-1's only signs are FailedMount events; csi-top ignores events older than the pod
  // (they belong to an earlier pod of that name), and on the real server they all are.
  'AttachFailed Pod db/postgres-1': 'events older than the pod',
  // Pending for 31 minutes in the scenario; seconds on the real server, under the 2-minute grace.
  'PVCPending PersistentVolumeClaim analytics/data-clickhouse-0': 'pending for less than the grace period',
};

const CASES: Array<{ name: string; scenarios: string[] | 'all' }> = [
  { name: 'juicefs', scenarios: ['juicefs'] },
  { name: 'ceph-rbd', scenarios: ['ceph-rbd'] },
  { name: 'nfs', scenarios: ['nfs'] },
  { name: 'every scenario (the demo cluster)', scenarios: 'all' },
];

const idOf = (f: Pick<Finding, 'code' | 'object'>) => `${f.code} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;

/** What identifies a finding and its place in the topology (no wording, no ages). */
const identity = (f: Finding) => ({ id: idOf(f), severity: f.severity, driver: f.driver, node: f.node, affects: f.affects, chain: f.chain.map(ages) });

/** "3s ago", "for 18m", "(69s ago)": durations measured from the moment of the run. */
const ages = (s: string) => s.replace(/\b\d+[smhd]\b/g, '<t>');

/** The document with the server's uids replaced by the scenario's and run-specific fields cleared. */
function normalise(text: string, load?: LoadResult): Doc {
  let t = text;
  if (load) for (const [scenarioUid, serverUid] of load.uids) if (t.includes(serverUid)) t = t.split(serverUid).join(scenarioUid);
  const doc = JSON.parse(t) as Doc;
  doc.context = '<context>';
  delete doc.generatedAt;
  return doc;
}

/** The normalised document with ages blanked in every string. */
const withoutAges = (d: Doc): Doc => JSON.parse(JSON.stringify(d), (_k, v) => (typeof v === 'string' ? ages(v) : v));

async function cli(args: string[], kubeconfig: string): Promise<string> {
  const r = await runCli([...args, '-o', 'json', '-A', '--no-usage', '--kubeconfig', kubeconfig], { timeoutMs: 150_000 });
  if (r.code !== 0 && r.code !== 2) throw new Error(`csi-top ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

interface Runs {
  doctor: string;
  export: string;
}

async function runBoth(kubeconfig: string): Promise<Runs> {
  const [doctor, exp] = await Promise.all([cli(['doctor'], kubeconfig), cli(['export'], kubeconfig)]);
  return { doctor, export: exp };
}

for (const c of CASES) {
  describe(`doctor and export on ${c.name}: real kube-apiserver vs simulator`, () => {
    let cp: ControlPlane;
    let apiSim: Simulator;
    let seededSim: Simulator;
    let world: World;
    let built: BuiltCluster;
    let dir: string;
    let realLoad: LoadResult;
    let apiLoad: LoadResult;
    const out: Record<'real' | 'api' | 'seeded', Runs> = {} as never;
    let elapsed = 0;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csi-top-e2e-doctor-'));
      const now = Date.now();
      built = buildScenarios(c.scenarios, { seed: 1, now });
      [cp, apiSim, seededSim] = await Promise.all([startControlPlane(), startSimulator(), startSimulator()]);
      world = await startWorld(seededSim, { scenarios: c.scenarios, live: false, seed: 1, now });
      const loadedAt = Date.now();
      realLoad = await loadScenario(cp.admin, built);
      const apiClient = new KubeHttp(apiSim.httpsUrl!, 'admin-token', apiSim.caPem!);
      apiLoad = await loadScenario(apiClient, built);
      apiClient.close();
      const kc = (name: string, text: string) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, text);
        return f;
      };
      const apiKc = kc('api', apiSim.kubeconfig());
      const seededKc = kc('seeded', seededSim.kubeconfig());
      [out.real, out.api, out.seeded] = await Promise.all([runBoth(cp.adminKubeconfig), runBoth(apiKc), runBoth(seededKc)]);
      elapsed = Date.now() - loadedAt;
    });
    afterAll(async () => {
      world?.stop();
      await Promise.all([cp?.stop(), apiSim?.close(), seededSim?.close()]);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('doctor and export are the same documents as on the simulator given the same requests', () => {
      // Findings wait out grace periods of one minute or more: the comparison assumes both ran
      // within that time of the load, as they do unless the machine is badly overloaded.
      expect(elapsed, 'load and runs took longer than the shortest grace period').toBeLessThan(60_000);
      for (const cmd of ['doctor', 'export'] as const) {
        const real = withoutAges(normalise(out.real[cmd], realLoad));
        const api = withoutAges(normalise(out.api[cmd], apiLoad));
        expect(real, `${cmd} on the real apiserver vs the simulator`).toEqual(api);
        expect(real.unavailable, 'the admin sees every kind').toBeUndefined();
      }
    });

    it('the same findings and topology as the demo world, except what needs a past the real server cannot hold', () => {
      const real = normalise(out.real.export, realLoad);
      const seeded = normalise(out.seeded.export, undefined);
      // Topology: drivers (profiles, controllers, node plugins, registrations, classes) and every
      // volume's chain (claim, PV, app pods, mount pods, node plugins, attachments).
      expect(real.drivers).toEqual(seeded.drivers);
      expect(real.volumes).toEqual(seeded.volumes);
      const realIds = new Set(real.findings.map(idOf));
      const missing = seeded.findings.filter((f) => !realIds.has(idOf(f))).map(idOf);
      const expectedMissing = seeded.findings.map(idOf).filter((id) => id in AGE_DEPENDENT);
      expect(missing, 'findings of the demo world absent on the real server').toEqual(expectedMissing);
      const seededById = new Map(seeded.findings.map((f) => [idOf(f), f]));
      for (const f of real.findings) {
        const s = seededById.get(idOf(f));
        expect(s, `${idOf(f)} is found on the real server but not in the demo world`).toBeDefined();
        expect(identity(f)).toEqual(identity(s!));
      }
      // The doctor document says the same as export's findings (the two ran side by side: an age
      // may have ticked between them).
      expect(withoutAges(normalise(out.real.doctor, realLoad)).findings).toEqual(withoutAges(real).findings);
    });

    it("the scenarios' expected findings are found on the real server", () => {
      const real = normalise(out.real.doctor, realLoad);
      const found = new Map(real.findings.map((f) => [idOf(f), f.severity]));
      const wanted = built.expectFindings
        .map((e) => ({ id: idOf({ code: e.code, object: { kind: e.object.kind, namespace: e.object.namespace ?? '', name: e.object.name } }), severity: e.severity }))
        .filter((e) => !(e.id in AGE_DEPENDENT))
        // Volume usage comes from kubelets' stats/summary, which this control plane has none of.
        .filter((e) => !e.id.startsWith('VolumeNearlyFull '));
      for (const e of wanted) {
        expect([...found.keys()], e.id).toContain(e.id);
        if (e.severity) expect(found.get(e.id), e.id).toBe(e.severity);
      }
      expect(wanted.length).toBeGreaterThan(0);
    });
  });
}
