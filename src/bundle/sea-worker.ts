/** The pipeline worker of the self-contained executable (see sea-main.ts): started from a data: URL. */
import { workerData } from 'node:worker_threads';
import { runPipelineWorker } from '../supervisor/pipeline-worker.js';

if ((workerData as { role?: string } | null)?.role === 'pipeline') await runPipelineWorker();
