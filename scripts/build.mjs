// Bundles the CLI into one ESM file so `npx csi-top` installs nothing but the tarball.
import { build } from 'esbuild';
import { readFileSync, chmodSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// csi-top uses only KubeConfig from @kubernetes/client-node (kubeconfig parsing and auth: exec
// plugins, OIDC, client certs, proxy-url). Its package index drags in the generated API clients,
// node-fetch (with whatwg-url/tr46) and websocket/tar helpers: ~700 KiB that would be parsed on
// every start. Point the bundle at config.js and stand in for the two imports KubeConfig only
// needs in methods csi-top never calls (makeApiClient, applyToFetchOptions).
const kubeConfigOnly = {
  name: 'kubeconfig-only',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, async (args) => {
      const r = await b.resolve('@kubernetes/client-node/dist/config.js', { resolveDir: args.resolveDir, kind: args.kind });
      if (r.errors.length === 0) return { path: r.path };
      // The package's exports map may hide dist/: resolve the index and swap the file name.
      const idx = await b.resolve('@kubernetes/client-node', { resolveDir: args.resolveDir, kind: args.kind });
      return { path: idx.path.replace(/index\.js$/, 'config.js') };
    });
    b.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) =>
      args.importer.includes('@kubernetes/client-node') ? { path: 'client-node-gen', namespace: 'stub' } : undefined,
    );
    b.onResolve({ filter: /^node-fetch$/ }, (args) =>
      args.importer.includes('@kubernetes/client-node') ? { path: 'node-fetch', namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /^(node-fetch|client-node-gen)$/, namespace: 'stub' }, (args) => ({
      contents:
        args.path === 'node-fetch'
          ? // Read on use: touching globalThis.Headers loads Node's fetch (undici), ~30 ms at every start.
            'export function Headers(init) { return new globalThis.Headers(init); }'
          : "const unused = () => { throw new Error('not bundled: csi-top uses its own HTTP client'); };\nexport const createConfiguration = unused;\nexport class ServerConfiguration { constructor() { unused(); } }",
      loader: 'js',
    }));
  },
};

// Ink loads react-devtools-core only when DEV=true; csi-top never ships it. An empty stand-in keeps
// the import resolvable inside the single file (an external would be a bare import at start-up).
const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /^react-devtools-core$/, namespace: 'stub' }, () => ({
      contents: "export default { initialize() {}, connectToDevTools() {} };",
      loader: 'js',
    }));
  },
};

// Ink assembles every frame from scratch (a cell object per character, every line tokenized) and
// measures every text node with string-width on every render. src/render/ draws the same frames
// but reuses the rows and widths that did not change (test/render checks the output is identical).
const fastInkFrames = {
  name: 'fast-ink-frames',
  setup(b) {
    const inInk = (importer) => /[\\/]node_modules[\\/]ink[\\/]build[\\/]/.test(importer);
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) => (inInk(args.importer) ? { path: fileURLToPath(new URL('../src/render/ink-output.ts', import.meta.url)) } : undefined));
    b.onResolve({ filter: /^widest-line$/ }, (args) => (inInk(args.importer) ? { path: fileURLToPath(new URL('../src/render/width.ts', import.meta.url)) } : undefined));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// CSI_TOP_BUILD_OUT=FILE CSI_TOP_BUILD_NAMES=1: a bundle elsewhere that keeps function names, for
// CPU profiles (bench/compare.ts --profile).
const outfile = process.env.CSI_TOP_BUILD_OUT || 'dist/csi-top.js';
const keepNames = process.env.CSI_TOP_BUILD_NAMES === '1';

await build({
  entryPoints: ['src/cli.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: !keepNames,
  legalComments: 'none',
  sourcemap: false,
  jsx: 'automatic',
  define: {
    'process.env.NODE_ENV': '"production"',
    __CSI_TOP_VERSION__: JSON.stringify(pkg.version),
  },
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __csiTopCreateRequire } from 'node:module';\nconst require = __csiTopCreateRequire(import.meta.url);",
  },
  plugins: [kubeConfigOnly, noDevtools, fastInkFrames],
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile} (${Math.round(statSync(outfile).size / 1024)} KiB)`);
