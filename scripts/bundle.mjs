// `npm run bundle`: dist/forwarder.cjs (CommonJS: Node's ES module loader costs ~3 ms before the first line), the one file the image ships: the entry
// (src/bundle/entry.ts), then the payloads (scripts/payloads.mjs) and the V8 code caches made for
// them (scripts/code-cache.mjs), brotli and base64, in a comment at the end of the file. Node
// compiles the whole file before the entry's first line (which spawns the app), and skips a
// comment faster than it reads string literals: compiling the entry takes 0.9 ms, against 2.2 ms
// with the payloads and caches as string literals (1.0 ms before there were caches; minimum of
// 40 `vm.SourceTextModule` compiles each). Each payload is read from the file when needed.
import { appendFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { codeCaches } from './code-cache.mjs';
import { buildPayloads, COMMON } from './payloads.mjs';

/** the line that opens the comment at the end (base64 has no `*`, so nothing in it ends the comment) */
const PAYLOADS_MARK = 'forwarder payloads';

const payloads = await buildPayloads();
const caches = await codeCaches(payloads);
const packed = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }).toString('base64');
/** name → where its text and its code cache are in the comment at the end of the file */
const index = {};
let tail = '';
const place = (base64) => {
  const span = [tail.length, base64.length];
  tail += `${base64}\n`;
  return span;
};
for (const [name, text] of Object.entries(payloads)) {
  index[name] = { text: place(packed(Buffer.from(text))) };
  if (Object.hasOwn(caches, name)) index[name].codeCache = place(packed(caches[name]));
}

const end = '*/\n';
await build({
  ...COMMON,
  entryPoints: ['src/bundle/entry.ts'],
  format: 'cjs',
  outfile: 'dist/forwarder.cjs',
  define: { FORWARDER_PAYLOADS: JSON.stringify({ tailBytes: tail.length + end.length, spans: index }) },
});
appendFileSync('dist/forwarder.cjs', `/*${PAYLOADS_MARK}\n${tail}${end}`);
