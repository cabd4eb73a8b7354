// `npm run bundle`: dist/forwarder.mjs, the one file the image ships. The entry
// (src/bundle/entry.ts) carries the rest as compressed payloads (CommonJS, minified, brotli,
// base64), each decompressed and compiled only by the thread that needs it, when it needs it:
// `main` (the command line, config, supervisor), `worker` (the pipeline thread), and the large
// dependencies only some configurations use (the AWS SDK for CloudWatch, prom-client for metrics).
// One payload holding everything cost each of the two threads ~20 MB of memory to compile.
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning', format: 'cjs', write: false };
// import() becomes require(): a payload is compiled by vm, where a real import() cannot run, and
// the lazy dependencies are found by the payloads' require (entry.ts)
const payloadOpts = { ...common, supported: { 'dynamic-import': false } };
/** loaded lazily by name through the payloads' require (entry.ts) */
const LAZY = ['@aws-sdk/client-cloudwatch-logs', 'prom-client'];

const sources = {
  main: { entryPoints: ['src/commands.ts'], external: LAZY },
  worker: { entryPoints: ['src/supervisor/pipeline-worker.ts'], external: LAZY },
};
for (const name of LAZY)
  // as ESM, as the code that loads it does (import()): the package's ESM build
  sources[name] = { stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: '.' } };

const payloads = {};
for (const [name, opts] of Object.entries(sources)) {
  const out = await build({ ...payloadOpts, ...opts });
  payloads[name] = brotliCompressSync(out.outputFiles[0].contents, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 9 },
  }).toString('base64');
}

await build({
  ...common,
  write: true,
  entryPoints: ['src/bundle/entry.ts'],
  format: 'esm',
  outfile: 'dist/forwarder.mjs',
  define: { FORWARDER_PAYLOADS: JSON.stringify(payloads) },
});
