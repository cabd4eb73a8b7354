// Structured reading's cost on logfmt lines whose values vary per line, for one build per process
// (two builds in one process disturb each other's figures): the whole pipeline lane with structured
// reading off and on, in ABBA order, each adjacent on/off pair giving one difference (CPU time of the
// process). Workload 4's logfmt row repeats one time and one set of values on every line; these do not:
// - varied: `time=` (RFC 3339, 7 ms apart), `level=` of four words, a message with the line's number,
//   method, path, status and duration changing with it;
// - corpus: the logfmt lines of the build's fixtures/corpus/** (logrus, go-kit, slog, Heroku router,
//   hclog, structlog, …: every single line LogfmtReader.read() takes), each with its first RFC 3339
//   time moved to the read time (7 ms apart), so that it is trusted as on a live stream.
//
// Run (after `npm run build` in each root), alternating builds, several rounds:
//   for r in 1 2 3; do for b in <old> <new>; do node bench/qa/logfmt-lane.mjs varied $b; done; done
// ROUNDS (default 10) of 4 runs of N lines (default 20,000), after a warm-up of 6.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const [kind = 'varied', rootArg = '.'] = process.argv.slice(2);
const root = resolve(rootArg);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const N = Number(process.env.N ?? 20_000);
const CHUNK = 64 * 1024;

const { Pipeline } = await import(`${root}/dist/pipeline/pipeline.js`);
const now = Date.now();
const at = (i) => new Date(now - 1000 - i * 7).toISOString();

/** The app lines of every .jsonl corpus under dir and its folders (each record's `line` or `lines`). */
function corpusLines(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(path).isDirectory()) out.push(...corpusLines(path));
    else if (name.endsWith('.jsonl'))
      for (const l of readFileSync(path, 'utf8').split('\n')) {
        if (l === '') continue;
        const rec = JSON.parse(l);
        if (typeof rec.line === 'string') out.push(rec.line);
        else if (Array.isArray(rec.lines)) out.push(...rec.lines.filter((x) => typeof x === 'string'));
      }
  }
  return out;
}

let make;
if (kind === 'varied') {
  const levels = ['info', 'warn', 'debug', 'error'];
  const paths = ['/orders', '/users/42', '/api/v1/items?page=3', '/health'];
  make = (i) =>
    `time=${at(i)} level=${levels[i & 3]} msg="request ${i} done" method=${i & 1 ? 'GET' : 'POST'} path=${paths[(i >> 2) & 3]} status=${200 + (i % 7)} duration=${(i % 1000) / 10}ms`;
} else if (kind === 'corpus') {
  const { LogfmtReader, looksLikeLogfmt } = await import(`${root}/dist/pipeline/structured/logfmt.js`);
  const reader = new LogfmtReader();
  const real = [...new Set(corpusLines(`${root}/fixtures/corpus`))].filter(
    (l) => !l.includes('\n') && looksLikeLogfmt(l, l.charCodeAt(0)) && reader.read(l),
  );
  if (real.length === 0) throw new Error('logfmt-lane: no logfmt line in the corpus');
  const iso = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;
  make = (i) => real[i % real.length].replace(iso, at(i).slice(0, 19));
} else throw new Error(`logfmt-lane: unknown kind ${kind} (varied, corpus)`);

const buf = Buffer.from(`${Array.from({ length: N }, (_, i) => make(i)).join('\n')}\n`);
let emitted = 0;
function run(structured) {
  const t = process.cpuUsage();
  const p = new Pipeline(
    {
      maxLineBytes: 1024 * 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1024 * 1024, maxLines: 1000 },
      defaultLevels: { stdout: 30, stderr: 30 },
      structured: { enabled: structured, maxBytes: 64 * 1024 },
    },
    () => {
      emitted++;
    },
  );
  for (let o = 0; o < buf.length; o += CHUNK) p.write('stdout', buf.subarray(o, o + CHUNK), now);
  p.end();
  const u = process.cpuUsage(t);
  return ((u.user + u.system) * 1000) / N;
}

for (let k = 0; k < 6; k++) run((k & 1) === 1);
const diffs = [];
for (let r = 0; r < ROUNDS; r++) {
  const a1 = run(false);
  const b1 = run(true);
  const b2 = run(true);
  const a2 = run(false);
  diffs.push(b1 - a1, b2 - a2);
}
if (emitted === 0) throw new Error('logfmt-lane: the lane emitted nothing');
diffs.sort((x, y) => x - y);
const q = (f) => diffs[Math.floor((diffs.length - 1) * f)].toFixed(0);
console.log(
  `${kind} ${root}: extra +${q(0.5)} CPU ns/line (IQR +${q(0.25)}…+${q(0.75)}, ${diffs.length} pairs)`,
);
