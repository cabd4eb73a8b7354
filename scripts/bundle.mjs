// `npm run bundle`: dist/forwarder.mjs, the one file the image ships. Two esbuild passes: the
// payload (everything but the first instructions, CommonJS, minified, brotli, base64), then the
// entry (src/bundle/entry.ts) with the payload embedded as a string constant.
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning' };

const payload = await build({ ...common, entryPoints: ['src/bundle/payload.ts'], format: 'cjs', write: false });
const packed = brotliCompressSync(payload.outputFiles[0].contents, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 9 },
}).toString('base64');

await build({
  ...common,
  entryPoints: ['src/bundle/entry.ts'],
  format: 'esm',
  outfile: 'dist/forwarder.mjs',
  define: { FORWARDER_PAYLOAD: JSON.stringify(packed) },
});
