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
 * file before running its first line, and the full bundle (~1.5 MB) took most of the app's start
 * time; so this file holds only what must run first (signals, spawn first) and carries the rest
 * as a compressed string (payload.ts), which is decompressed and compiled after the app started.
 */
declare const FORWARDER_PAYLOAD: string;

interface Payload {
  loadMain(): Promise<typeof import('../commands.js')>;
  loadPipelineWorker(): Promise<typeof import('../supervisor/pipeline-worker.js')>;
}

function loadPayload(): Payload {
  const source = brotliDecompressSync(Buffer.from(FORWARDER_PAYLOAD, 'base64')).toString('utf8');
  const file = fileURLToPath(import.meta.url);
  const module = { exports: {} as Payload };
  const wrapper = runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    {
      filename: file,
    },
  ) as (e: unknown, r: NodeRequire, m: { exports: Payload }, f: string, d: string) => void;
  wrapper(module.exports, createRequire(import.meta.url), module, file, dirname(file));
  return module.exports;
}

const self = new URL(import.meta.url);
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

if (isMainThread) {
  const early = spawnEarly(process.argv, process.env);
  const { main } = await loadPayload().loadMain();
  await main(process.argv, self, early);
} else if ((workerData as { role?: string } | null)?.role === 'pipeline') {
  const { runPipelineWorker } = await loadPayload().loadPipelineWorker();
  await runPipelineWorker();
}
