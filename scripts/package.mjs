// `npm run package`: dist/forwarder, a Node single executable application (the node binary with
// our code injected: no `node` needed where it runs). The main script must be one CommonJS file
// (sea-main.ts); the pipeline worker is built as ESM and carried as an asset (sea-worker.ts).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning' };
mkdirSync('dist/sea', { recursive: true });
await build({ ...common, entryPoints: ['src/bundle/sea-main.ts'], format: 'cjs', outfile: 'dist/sea/main.cjs' });
await build({
  ...common,
  entryPoints: ['src/bundle/sea-worker.ts'],
  format: 'esm',
  outfile: 'dist/sea/worker.mjs',
  // a data: URL module has no require: bundled CommonJS dependencies get one for built-ins
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr('file:///forwarder-worker.mjs');" },
});
writeFileSync(
  'dist/sea/sea-config.json',
  JSON.stringify({
    main: 'dist/sea/main.cjs',
    output: 'dist/sea/forwarder.blob',
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: { 'worker.mjs': 'dist/sea/worker.mjs' },
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', 'dist/sea/sea-config.json'], { stdio: 'inherit' });
copyFileSync(process.execPath, 'dist/forwarder');
chmodSync('dist/forwarder', 0o755);
execFileSync(
  process.execPath,
  [
    'node_modules/postject/dist/cli.js',
    'dist/forwarder',
    'NODE_SEA_BLOB',
    'dist/sea/forwarder.blob',
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  { stdio: 'inherit' },
);
