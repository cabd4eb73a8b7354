/** The pipeline worker's entry in the self-contained executable (see sea-main.ts): started from a data: URL. */
import { createRequire } from 'node:module';
import { getAsset } from 'node:sea';
import { workerData } from 'node:worker_threads';
import { payloadLoader } from './payloads.js';

/** the payloads' names, each an asset `<name>.cjs` (defined by scripts/package.mjs) */
declare const FORWARDER_SEA_PAYLOADS: readonly string[];

if ((workerData as { role?: string } | null)?.role === 'pipeline') {
  const load = payloadLoader(
    (name) => (FORWARDER_SEA_PAYLOADS.includes(name) ? getAsset(`${name}.cjs`, 'utf8') : undefined),
    process.execPath,
    createRequire(process.execPath),
  );
  await load<typeof import('../supervisor/pipeline-worker.js')>('worker').runPipelineWorker();
}
