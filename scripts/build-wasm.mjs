// `npm run build` (before tsc): compiles assembly/json-scan.ts and assembly/logfmt-scan.ts (AssemblyScript,
// one module) to WebAssembly and
// writes it, base64, into src/pipeline/structured/json-scan-wasm.generated.ts (not committed: made
// here from its source on every build). A TS module rather than a .wasm file beside the JS, so that
// tsc's dist, vitest (which runs src), the bundle (dist/forwarder.cjs) and the executable all carry
// it with no loader or asset step of their own.
import { readFileSync, writeFileSync } from 'node:fs';
import asc from 'assemblyscript/asc';

const out = new URL('../src/pipeline/structured/json-scan-wasm.generated.ts', import.meta.url);
let binary;
const { error, stderr } = await asc.main(
  [
    'assembly/json-scan.ts',
    'assembly/logfmt-scan.ts',
    '-O3',
    '--enable',
    'simd',
    '--runtime',
    'stub',
    // fixed memory (IN + IN_UNITS * 2 + padding): never grown, so the JS side's views stay valid
    '--initialMemory',
    '10',
    '--maximumMemory',
    '10',
    '--noAssert',
    '--outFile',
    'json-scan.wasm',
  ],
  {
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) binary = Buffer.from(contents);
    },
  },
);
if (error) {
  process.stderr.write(stderr.toString());
  throw error;
}
if (binary === undefined) throw new Error('build-wasm: asc wrote no .wasm');
const text = `// Made by scripts/build-wasm.mjs from assembly/json-scan.ts and assembly/logfmt-scan.ts: do not edit, not committed.
export const JSON_SCAN_WASM = '${binary.toString('base64')}';
`;
let old = '';
try {
  old = readFileSync(out, 'utf8');
} catch {}
// unchanged: left alone, so that tsc's and vitest's caches keep it
if (old !== text) writeFileSync(out, text);
