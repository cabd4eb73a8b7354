#!/usr/bin/env node
import { spawnEarly } from './supervisor/early-spawn.js';
import { signalInbox } from './supervisor/signals.js';

// From the first instruction: a signal during start-up waits for the command instead of killing us.
signalInbox.install();

// No module.enableCompileCache() (Node ≥ 22.1): without a directory it keeps compiled code in
// os.tmpdir()/node-compile-cache, shared by every user of the machine, and a cache file someone
// else wrote would be code we run. Who wants it sets NODE_COMPILE_CACHE to a directory of their own.

// Spawn first: `run` starts the app before the rest of us is loaded, when it safely can.
const early = spawnEarly(process.argv, process.env);
// main() ends the process itself (commands.ts is the one place that exits).
const { main } = await import('./commands.js');
await main(process.argv, early);
