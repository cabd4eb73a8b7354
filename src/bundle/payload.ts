/**
 * Everything but the first instructions, for the single-file bundle: built as CommonJS, compressed
 * and embedded in it as a string (see entry.ts and scripts/bundle.mjs). Each side loads only its
 * own part, as cli.ts does.
 */
export const loadMain = () => import('../commands.js');
export const loadPipelineWorker = () => import('../supervisor/pipeline-worker.js');
