// End-to-end tests against a real kube-apiserver + etcd (test/e2e/controlplane), run by
// `npm run test:e2e`. The default config (vitest.config.ts) excludes test/e2e.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    // Starting kube-apiserver takes seconds on an idle machine, much longer on a busy one.
    hookTimeout: 180_000,
    pool: 'forks',
    // One control plane at a time: each is an etcd plus a kube-apiserver (~0.5 GB, CPU-hungry
    // while starting) and the machines have 2 cores.
    fileParallelism: false,
    globalSetup: ['test/e2e/setup.ts'],
  },
  define: { __CSI_TOP_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0-test') },
});
