#!/usr/bin/env node
import nodeModule, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import { isMainThread, workerData } from 'node:worker_threads';
import { brotliDecompressSync } from 'node:zlib';
import { spawnEarly } from '../supervisor/early-spawn.js';
import { signalInbox } from '../supervisor/signals.js';

// From the first instruction: a signal during start-up waits for the command instead of killing us.
if (isMainThread) signalInbox.install();

/**
 * The single-file bundle's entry (dist/forwarder.mjs), cli.ts's twin. Node compiles a whole ESM
 * file before running its first line, so this file holds only what must run first (signals,
 * spawn first) and carries the rest as compressed CommonJS payloads (scripts/bundle.mjs), each
 * compiled after the app started and only by the thread that needs it: `main` here, `worker` in
 * the pipeline thread, and a lazy dependency (the AWS SDK, prom-client) when it is required.
 */
declare const FORWARDER_PAYLOADS: Record<string, string>;

const file = fileURLToPath(import.meta.url);
const nodeRequire = createRequire(import.meta.url);
/** this thread's loaded payloads (each thread has its own) */
const loaded = new Map<string, { exports: unknown }>();

function payload<T>(name: string): T {
  let module = loaded.get(name);
  if (!module) {
    const source = brotliDecompressSync(Buffer.from(FORWARDER_PAYLOADS[name]!, 'base64')).toString('utf8');
    module = { exports: {} };
    loaded.set(name, module);
    const wrapper = runInThisContext(
      `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
      { filename: file },
    ) as (e: unknown, r: (id: string) => unknown, m: { exports: unknown }, f: string, d: string) => void;
    wrapper(module.exports, payloadRequire, module, file, dirname(file));
  }
  return module.exports as T;
}

/** A payload's require: another payload by its package name, else Node's own (built-ins). */
function payloadRequire(id: string): unknown {
  return Object.hasOwn(FORWARDER_PAYLOADS, id) ? payload(id) : nodeRequire(id);
}

const self = new URL(import.meta.url);
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

if (isMainThread) {
  const early = spawnEarly(process.argv, process.env);
  const { main } = payload<typeof import('../commands.js')>('main');
  await main(process.argv, self, early);
} else if ((workerData as { role?: string } | null)?.role === 'pipeline') {
  const { runPipelineWorker } = payload<typeof import('../supervisor/pipeline-worker.js')>('worker');
  await runPipelineWorker();
}
