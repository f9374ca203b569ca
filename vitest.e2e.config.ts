// End-to-end tests against a real kube-apiserver + etcd (test/e2e/controlplane), run by
// `npm run test:e2e`. The default config (vitest.config.ts) excludes test/e2e.
//
// Also the differential suite: the simulator's protocol tests (test/sim/api-*.test.ts), run
// unchanged against the shared real apiserver (test/e2e/setup.ts sets KUBE_TEST_SERVER for
// test/sim/fixture.ts; simIt tests are skipped there).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts', 'test/sim/api-*.test.ts'],
    testTimeout: 60_000,
    // Starting kube-apiserver takes seconds on an idle machine, much longer on a busy one.
    hookTimeout: 180_000,
    pool: 'forks',
    // One file at a time: they share one control plane (etcd plus kube-apiserver, ~0.5 GB,
    // CPU-hungry), some restart it, and the machines have 2 cores.
    fileParallelism: false,
    globalSetup: ['test/e2e/setup.ts'],
  },
  define: { __CSI_TOP_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0-test') },
});
