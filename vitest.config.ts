import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/setup/build.ts'],
  },
  define: { __CSI_TOP_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0-test') },
});
