#!/usr/bin/env node
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { spawnEarly } from '../supervisor/early-spawn.js';
import { signalInbox } from '../supervisor/signals.js';
import { payloadLoader } from './payloads.js';

// From the first instruction: a signal during start-up waits for the command instead of killing us.
signalInbox.install();

/**
 * The single-file bundle's entry (dist/forwarder.cjs), cli.ts's twin. Node compiles a whole
 * file before running its first line, so this file holds only what must run first (signals,
 * spawn first) and carries the rest as compressed payloads (payloads.ts) in a comment at its end,
 * decompressed and compiled after the app started, each only when it is needed.
 */

/**
 * Where each payload's text and V8 code cache are in the comment at the end of this file
 * ([offset, length] from the comment's first payload, which starts `tailBytes` before the end)
 */
declare const FORWARDER_PAYLOADS: {
  tailBytes: number;
  spans: Record<string, { text: Span; codeCache?: Span }>;
};
type Span = [number, number];

// CommonJS (scripts/bundle.mjs): Node runs a `.cjs` file without its ES module loader, which
// costs ~3 ms of CPU before the first line (and so before the app's spawn).
const filename = __filename;
/** node:zlib (and node:vm, payloads.ts) are required when the first payload is read, after the spawn: not imported */
const nodeRequire = require;

/**
 * The payloads and their code caches (brotli, base64) ride in a comment at the end of this file
 * (scripts/bundle.mjs), which V8 skips over quickly before the first line runs; each is read from
 * the file when needed, and nothing of it is kept.
 */
function unpack([offset, length]: Span): Buffer {
  const fd = openSync(filename, 'r');
  try {
    const base64 = Buffer.allocUnsafe(length);
    readSync(fd, base64, 0, length, fstatSync(fd).size - FORWARDER_PAYLOADS.tailBytes + offset);
    const { brotliDecompressSync } = nodeRequire('node:zlib') as typeof import('node:zlib');
    return brotliDecompressSync(Buffer.from(base64.toString('latin1'), 'base64'));
  } finally {
    closeSync(fd);
  }
}

const load = payloadLoader(
  (name) => {
    if (!Object.hasOwn(FORWARDER_PAYLOADS.spans, name)) return undefined;
    const { text, codeCache } = FORWARDER_PAYLOADS.spans[name]!;
    return { text: unpack(text).toString('utf8'), codeCache: codeCache && unpack(codeCache) };
  },
  filename,
  nodeRequire,
);

// No module.enableCompileCache(): see cli.ts (a shared directory); the payloads bring their own caches.

const early = spawnEarly(process.argv, process.env);
const { main } = load<typeof import('../commands.js')>('main');
// main() ends the process itself (commands.ts is the one place that exits)
void main(process.argv, early);
