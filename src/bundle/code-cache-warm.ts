/**
 * Build time only, never shipped (scripts/code-cache.mjs bundles and runs it): `forwarder run --
 * <app>` from the payloads written to a directory, loaded as the bundle's entry (entry.ts) loads
 * them, with the drain the environment configures. At exit each payload compiled during the run
 * leaves its V8 code cache next to it: the cache then holds every function this start-up and exit
 * compiled, not only the payload's top level, so the shipped forms skip compiling them.
 *
 *   node code-cache-warm.mjs <dir> <flags: set|noted> <app> [args…]
 *   (<dir>/payloads.json: name → file of its text; writes <file>.<flags>.cache and <flags>.json)
 *
 * V8 stamps a code cache with a hash of the V8 flags that differ from their defaults, and rejects
 * it under others. `main` is compiled before our run-time flags are set (pipeline-host.ts
 * `runtimeV8Flags`), a payload loaded later (undici's client, at the first batch) after them; and
 * a flag set cannot be undone by setting its default (`--liftoff-only` changes others too). So
 * the build runs this twice: `noted` records the flags it is asked for without setting them (the
 * caches of payloads compiled before any is set), `set` sets them (the caches of those compiled
 * after).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as v8 from 'node:v8';
import type { Script } from 'node:vm';
import { spawnEarly } from '../supervisor/early-spawn.js';
import { signalInbox } from '../supervisor/signals.js';
import { payloadLoader } from './payloads.js';

signalInbox.install();

const [dir, flagsMode, ...app] = process.argv.slice(2);
if (!dir || (flagsMode !== 'set' && flagsMode !== 'noted') || app.length === 0)
  throw new Error('usage: code-cache-warm <dir> <set|noted> <app> [args…]');
const files = JSON.parse(readFileSync(join(dir, 'payloads.json'), 'utf8')) as Record<string, string>;
const argv = [process.argv[0]!, 'forwarder', 'run', '--', ...app];

const nodeRequire = createRequire(import.meta.url);
const flagsAsked: string[] = [];
const v8Watched = {
  ...v8,
  setFlagsFromString: (flags: string) => {
    flagsAsked.push(...flags.split(/\s+/).filter(Boolean));
    if (flagsMode === 'set') v8.setFlagsFromString(flags);
  },
};
const requireBuiltIn = (id: string): unknown =>
  id === 'node:v8' || id === 'v8' ? v8Watched : nodeRequire(id);

const compiled = new Map<string, { script: Script; afterFlags: boolean }>();
const load = payloadLoader(
  (name) =>
    Object.hasOwn(files, name) ? { text: readFileSync(join(dir, files[name]!), 'utf8') } : undefined,
  join(dir, 'forwarder.cjs'),
  requireBuiltIn,
  (name, script) => compiled.set(name, { script, afterFlags: flagsAsked.length > 0 }),
);

process.on('exit', () => {
  const afterFlags: Record<string, boolean> = {};
  for (const [name, c] of compiled) {
    writeFileSync(join(dir, `${files[name]!}.${flagsMode}.cache`), c.script.createCachedData());
    afterFlags[name] = c.afterFlags;
  }
  writeFileSync(join(dir, `${flagsMode}.json`), JSON.stringify({ flags: flagsAsked, afterFlags }));
});

const early = spawnEarly(argv, process.env);
const { main } = load<typeof import('../commands.js')>('main');
await main(argv, early);
