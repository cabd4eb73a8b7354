#!/usr/bin/env node
import nodeModule from 'node:module';
import { spawnEarly } from './supervisor/early-spawn.js';
import { signalInbox } from './supervisor/signals.js';

// From the first instruction: a signal during start-up waits for the command instead of killing us.
signalInbox.install();

// Node ≥ 22.1 keeps compiled code on disk between runs (most of our start-up is compiling);
// on Node 20 the function does not exist and nothing happens.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Spawn first: `run` starts the app before the rest of us is loaded, when it safely can.
const early = spawnEarly(process.argv, process.env);
// main() ends the process itself (commands.ts is the one place that exits).
const { main } = await import('./commands.js');
await main(process.argv, early);
