// `npm run package`: dist/forwarder, a Node single executable application (the node binary with
// our code injected: no `node` needed where it runs). The main script must be one CommonJS file
// (sea-main.ts); the rest is carried as assets: the payloads (scripts/payloads.mjs).
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { build } from 'esbuild';
import { codeCaches } from './code-cache.mjs';
import { buildPayloads, COMMON } from './payloads.mjs';

mkdirSync('dist/sea', { recursive: true });
// the payloads (scripts/payloads.mjs), one asset each: compiled only when needed, from the V8 code
// cache made for it (scripts/code-cache.mjs; this node is the executable's, so V8 accepts it)
const assets = {};
const payloads = await buildPayloads();
for (const [name, text] of Object.entries(payloads)) {
  const file = `dist/sea/payload-${name.replace(/[@/]/g, '_')}.cjs`;
  writeFileSync(file, text);
  assets[`${name}.cjs`] = file;
}
const caches = await codeCaches(payloads);
for (const [name, cache] of Object.entries(caches)) {
  const file = `dist/sea/payload-${name.replace(/[@/]/g, '_')}.cache`;
  writeFileSync(file, cache);
  assets[`${name}.cache`] = file;
}
const define = {
  FORWARDER_SEA_PAYLOADS: JSON.stringify(Object.keys(payloads)),
  FORWARDER_SEA_CODE_CACHES: JSON.stringify(Object.keys(caches)),
};
await build({
  ...COMMON,
  define,
  entryPoints: ['src/bundle/sea-main.ts'],
  format: 'cjs',
  outfile: 'dist/sea/main.cjs',
});
writeFileSync(
  'dist/sea/sea-config.json',
  JSON.stringify({
    main: 'dist/sea/main.cjs',
    output: 'dist/sea/forwarder.blob',
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets,
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', 'dist/sea/sea-config.json'], {
  stdio: 'inherit',
});
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

// Written again in 64 KiB pieces. postject writes the executable in one 100 MB write, which the
// page cache (ext4 on Linux 6.x) keeps as large folios, and the kernel maps a whole folio into
// every process that touches a page of it: the same bytes held 56 MB of file-backed RSS idle
// against 39 MB when written in 64 KiB pieces (a `cp` of it held the same 39 MB). Only this
// machine's page cache differs; the file is byte for byte the same.
const bytes = readFileSync('dist/forwarder');
const fd = openSync('dist/forwarder.part', 'w', 0o755);
for (let at = 0; at < bytes.length; at += 64 * 1024)
  writeSync(fd, bytes, at, Math.min(64 * 1024, bytes.length - at));
closeSync(fd);
renameSync('dist/forwarder.part', 'dist/forwarder');
