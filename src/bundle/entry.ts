#!/usr/bin/env node
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { spawnEarly } from '../supervisor/early-spawn.js';
import { signalInbox } from '../supervisor/signals.js';
import { payloadLoader } from './payloads.js';

// From the first instruction: a signal during start-up waits for the command instead of killing us.
signalInbox.install();

/**
 * The single-file bundle's entry (dist/forwarder.mjs), cli.ts's twin. Node compiles a whole ESM
 * file before running its first line, so this file holds only what must run first (signals,
 * spawn first) and carries the rest as compressed payloads (payloads.ts), decompressed and
 * compiled after the app started, each only when it is needed.
 */
declare const FORWARDER_PAYLOADS: Record<string, string>;
/** name → V8 code cache of the payload (brotli, base64), made at build time (scripts/code-cache.mjs) */
declare const FORWARDER_CODE_CACHES: Record<string, string>;

const load = payloadLoader(
  (name) =>
    Object.hasOwn(FORWARDER_PAYLOADS, name)
      ? {
          text: brotliDecompressSync(Buffer.from(FORWARDER_PAYLOADS[name]!, 'base64')).toString('utf8'),
          codeCache: Object.hasOwn(FORWARDER_CODE_CACHES, name)
            ? brotliDecompressSync(Buffer.from(FORWARDER_CODE_CACHES[name]!, 'base64'))
            : undefined,
        }
      : undefined,
  fileURLToPath(import.meta.url),
  createRequire(import.meta.url),
);

// No module.enableCompileCache(): see cli.ts (a shared directory); the payloads bring their own caches.

const early = spawnEarly(process.argv, process.env);
const { main } = load<typeof import('../commands.js')>('main');
await main(process.argv, early);
