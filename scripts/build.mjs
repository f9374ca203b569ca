// Bundles the CLI into one ESM file so `npx csi-top` installs nothing but the tarball.
import { build } from 'esbuild';
import { readFileSync, chmodSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = 'dist/csi-top.js';

await build({
  entryPoints: ['src/cli.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  sourcemap: false,
  jsx: 'automatic',
  define: {
    'process.env.NODE_ENV': '"production"',
    __CSI_TOP_VERSION__: JSON.stringify(pkg.version),
  },
  // Ink imports react-devtools-core only when DEV=true; it is never shipped.
  external: ['react-devtools-core'],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __csiTopCreateRequire } from 'node:module';\nconst require = __csiTopCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile} (${Math.round(statSync(outfile).size / 1024)} KiB)`);
