// Global setup of the e2e run:
//  - build dist/csi-top.js (the tests run csi-top's bundle, as test/setup/build.ts does for npm test);
//  - build (or reuse) the control plane binary once, and hand its path to the test workers
//    through CSI_TOP_E2E_CONTROLPLANE. Without Go this fails with build.sh's message: the e2e
//    run never passes by skipping;
//  - start the run's shared control plane (sharedControlPlane() in the workers) and point the
//    simulator's protocol tests (test/sim/api-*.test.ts, the differential suite) at it through
//    test/sim/fixture.ts's KUBE_TEST_SERVER / KUBE_TEST_TOKEN / KUBE_TEST_CA.
// Files run one at a time (vitest.e2e.config.ts), so they can share it; a file that needs an
// empty cluster starts its own.
import { execFileSync } from 'node:child_process';
import { BUILD_SCRIPT, readyLineOf, SHARED_ENV, startControlPlane } from './harness';

export default async function setup(): Promise<() => Promise<void>> {
  // The e2e tests run csi-top as users do: the bundle, built from the current sources.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (!process.env.CSI_TOP_E2E_CONTROLPLANE) {
    const out = execFileSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.env.CSI_TOP_E2E_CONTROLPLANE = out.trim().split('\n').pop();
  }
  const started = Date.now();
  const cp = await startControlPlane();
  process.env[SHARED_ENV] = readyLineOf(cp);
  process.env.KUBE_TEST_SERVER = cp.server;
  process.env.KUBE_TEST_TOKEN = cp.adminToken;
  process.env.KUBE_TEST_CA = cp.caFile;
  process.env.KUBE_TEST_RESTRICTED_TOKEN = cp.restrictedToken;
  console.error(`e2e: shared control plane ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${cp.server}`);
  return () => cp.stop();
}
