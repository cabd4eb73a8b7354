// `npm run bundle`: dist/forwarder.mjs, the one file the image ships: the entry
// (src/bundle/entry.ts) with the payloads (scripts/payloads.mjs) embedded, brotli and base64.
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { buildPayloads, COMMON } from './payloads.mjs';

const packed = {};
for (const [name, text] of Object.entries(await buildPayloads()))
  packed[name] = brotliCompressSync(Buffer.from(text), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 9 },
  }).toString('base64');

await build({
  ...COMMON,
  entryPoints: ['src/bundle/entry.ts'],
  format: 'esm',
  outfile: 'dist/forwarder.mjs',
  define: { FORWARDER_PAYLOADS: JSON.stringify(packed) },
});
