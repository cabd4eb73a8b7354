/**
 * The entry of the self-contained executable (`npm run package`: a Node single executable
 * application, no `node` needed in the app's image). Node runs it as CommonJS from the binary
 * itself, so the pipeline worker cannot be a file beside it: its code (sea-worker.ts, built as
 * ESM) is an asset of the executable, started from a data: URL.
 */
import { getAsset } from 'node:sea';
import { isMainThread } from 'node:worker_threads';
import { spawnEarly } from '../supervisor/early-spawn.js';
import { signalInbox } from '../supervisor/signals.js';

if (isMainThread) {
  signalInbox.install();
  const early = spawnEarly(process.argv, process.env);
  const worker = new URL(
    `data:text/javascript;base64,${Buffer.from(getAsset('worker.mjs')).toString('base64')}`,
  );
  // Spawn first: the rest (commands, config, drains) is evaluated after the app started; a
  // dynamic import stays lazy in the bundle. Node sets argv[1] to the executable too, so the
  // command line parser sees node + script as usual.
  void import('../commands.js').then(({ main }) => main(process.argv, worker, early));
}
