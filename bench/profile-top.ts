/**
 * Prints the top self-time functions of .cpuprofile files (or of every one in a directory):
 *   npm run bench (once, to compile) then node node_modules/.cache/forwarder-bench/profile-top.mjs <file.cpuprofile | dir> [count=10]
 * `npm run bench` profiles workload 2 with `node --cpu-prof` into bench/.profile/ (one file per
 * thread; the pass-through, the pipeline and the drains all run on the main thread).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatTop, topSelfTime } from './lib/cpuprofile.js';

const target = process.argv[2];
const count = Number(process.argv[3] ?? 10);
if (!target) {
  process.stderr.write('usage: profile-top <file.cpuprofile | dir> [count]\n');
  process.exit(2);
}
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(target, f))
  : [target];
for (const f of files) process.stdout.write(`${formatTop(topSelfTime(f, count))}\n\n`);
