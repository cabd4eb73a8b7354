/**
 * The entry of the self-contained executable (`npm run package`: a Node single executable
 * application, no `node` needed in the app's image). Node runs it as CommonJS from the binary
 * itself; the rest of our code is in the executable's assets as payloads (payloads.ts), compiled
 * after the app started, each only when it is needed.
 */
import { getAsset } from 'node:sea';
import { spawnEarly } from '../supervisor/early-spawn.js';
import { signalInbox } from '../supervisor/signals.js';
import { payloadLoader } from './payloads.js';

/** the payloads' names, each an asset `<name>.cjs` (defined by scripts/package.mjs) */
declare const FORWARDER_SEA_PAYLOADS: readonly string[];
/** the payloads with a V8 code cache made at build time (scripts/code-cache.mjs), an asset `<name>.cache` each */
declare const FORWARDER_SEA_CODE_CACHES: readonly string[];

signalInbox.install();
const early = spawnEarly(process.argv, process.env);
const load = payloadLoader(
  (name) =>
    FORWARDER_SEA_PAYLOADS.includes(name)
      ? {
          text: getAsset(`${name}.cjs`, 'utf8'),
          codeCache: FORWARDER_SEA_CODE_CACHES.includes(name)
            ? Buffer.from(getAsset(`${name}.cache`))
            : undefined,
        }
      : undefined,
  process.execPath,
  require,
);
// Spawn first: the rest (commands, config, drains) is compiled after the app started. Node
// sets argv[1] to the executable too, so the command line parser sees node + script as usual.
setImmediate(() => {
  const { main } = load<typeof import('../commands.js')>('main');
  void main(process.argv, early);
});
