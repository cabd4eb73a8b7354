#!/usr/bin/env node
import nodeModule from 'node:module';
import { isMainThread, workerData } from 'node:worker_threads';
import { spawnEarly } from './supervisor/early-spawn.js';
import { signalInbox } from './supervisor/signals.js';

// From the first instruction: a signal during start-up waits for the command instead of killing us.
if (isMainThread) signalInbox.install();

/**
 * The entry point, for the command line and for the pipeline worker thread alike, so that a
 * single-file bundle holds both. Each side loads only its own modules: the worker needs no
 * command-line parser or process spawner, the main thread no HTTP client or metrics registry,
 * and start-up time is what people put in front of their cold starts.
 */
const self = new URL(import.meta.url);

// Node ≥ 22.1 keeps compiled code on disk between runs (most of our start-up is compiling);
// on Node 20 the function does not exist and nothing happens.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

if (isMainThread) {
  // Spawn first: `run` starts the app before the rest of us is loaded, when it safely can.
  const early = spawnEarly(process.argv, process.env);
  // main() ends the process itself (commands.ts is the one place that exits).
  const { main } = await import('./commands.js');
  await main(process.argv, self, early);
} else if ((workerData as { role?: string } | null)?.role === 'pipeline') {
  const { runPipelineWorker } = await import('./supervisor/pipeline-worker.js');
  await runPipelineWorker();
}
