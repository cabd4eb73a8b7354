// `npm run bundle`: dist/forwarder.mjs, the one file the image ships: the entry
// (src/bundle/entry.ts) with the payloads (scripts/payloads.mjs) embedded, brotli and base64,
// and the V8 code caches made for them (scripts/code-cache.mjs), base64.
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { codeCaches } from './code-cache.mjs';
import { buildPayloads, COMMON } from './payloads.mjs';

const payloads = await buildPayloads();
const packed = {};
for (const [name, text] of Object.entries(payloads))
  packed[name] = brotliCompressSync(Buffer.from(text), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 9 },
  }).toString('base64');
const caches = {};
for (const [name, cache] of Object.entries(await codeCaches(payloads))) caches[name] = cache.toString('base64');

await build({
  ...COMMON,
  entryPoints: ['src/bundle/entry.ts'],
  format: 'esm',
  outfile: 'dist/forwarder.mjs',
  define: { FORWARDER_PAYLOADS: JSON.stringify(packed), FORWARDER_CODE_CACHES: JSON.stringify(caches) },
});
