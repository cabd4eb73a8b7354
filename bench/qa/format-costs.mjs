// Structured reading's cost per real-world format, not per the bench's five lines: every single-line
// record of the structured corpora (fixtures/corpus/structured/*.jsonl), grouped by the format it
// documents (its file and `library`), is one app's stream: its records repeated to 20,000 lines, read
// by the whole lane with structured reading off and on in ABBA order (as workload 4's rows), in a fresh
// process per format (the JIT's choices for one format do not carry to the next). The read time is
// one second after the record's own time, so its time is trusted as an app's would be.
// Prints each format's median on − off (CPU ns/line) and, per kind (JSON, logfmt, text), the
// percentiles over formats and how many are within issue 17's targets (JSON and logfmt ≤ 300, text
// ≤ 30). A format of one record repeated is the kindest case for the reader's caches (one second, one
// shape); error records (their error object or trace parsed) are reported apart.
//
// Run (after `npm run build`): node bench/qa/format-costs.mjs [root]   (default: this checkout)
// PAIRS (default 16) on/off pairs per format; ONLY=<substring> for the formats whose name has it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const here = new URL('../../', import.meta.url).pathname;
const CORPUS = `${here}fixtures/corpus/structured/`;
const N = 20_000;
const CHUNK = 64 * 1024;

/** The corpora's single-line records, grouped by the format they document. */
function formats() {
  const groups = new Map();
  for (const file of readdirSync(CORPUS)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    for (const text of readFileSync(CORPUS + file, 'utf8').split('\n')) {
      if (text === '') continue;
      const r = JSON.parse(text);
      if (typeof r.line !== 'string' || r.line.includes('\n')) continue;
      const name = `${file.replace('.jsonl', '')}: ${r.library ?? r.format ?? '?'}`;
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push(r);
    }
  }
  return [...groups.entries()];
}

const kindOf = (line) => (line[0] === '{' ? 'json' : /^[A-Za-z_@][\w.@-]*=/.test(line) ? 'logfmt' : 'text');
const isError = (records) =>
  records.some((r) => r.level === 'error' || r.level === 'fatal' || r.error !== undefined);

/** One format's median on − off, in this process (FORMAT_INDEX). */
async function measure(root, records) {
  const { Pipeline } = await import(`${root}/dist/pipeline/pipeline.js`);
  const buf = Buffer.from(
    `${Array.from({ length: N }, (_, i) => records[i % records.length].line).join('\n')}\n`,
  );
  const own = records.find((r) => typeof r.time === 'number')?.time;
  const readAt = (own ?? Date.UTC(2024, 4, 14, 9, 21, 7)) + 1000;
  let emitted = 0;
  const onEvent = () => {
    emitted++;
  };
  const run = (structured) => {
    const t0 = process.cpuUsage();
    const p = new Pipeline(
      {
        maxLineBytes: 256 * 1024,
        multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1024 * 1024, maxLines: 1000 },
        defaultLevels: { stdout: 30, stderr: 30 },
        structured: { enabled: structured, maxBytes: 64 * 1024 },
      },
      onEvent,
    );
    for (let o = 0; o < buf.length; o += CHUNK) p.write('stdout', buf.subarray(o, o + CHUNK), readAt);
    p.end();
    const d = process.cpuUsage(t0);
    return ((d.user + d.system) * 1000) / N;
  };
  for (let k = 0; k < 4; k++) run((k & 1) === 1);
  const diffs = [];
  const pairs = Number(process.env.PAIRS ?? 16);
  for (let b = 0; b < pairs; b += 2) {
    const a1 = run(false);
    const b1 = run(true);
    const b2 = run(true);
    const a2 = run(false);
    diffs.push(b1 - a1, b2 - a2);
  }
  if (emitted === 0) throw new Error('format-costs: nothing emitted');
  diffs.sort((x, y) => x - y);
  return diffs[diffs.length >> 1];
}

const all = formats();
if (process.env.FORMAT_INDEX !== undefined) {
  const [, records] = all[Number(process.env.FORMAT_INDEX)];
  process.stdout.write(`${await measure(process.argv[2], records)}\n`);
} else {
  const root = resolve(process.argv[2] ?? here);
  const rows = [];
  for (const [i, [name, records]] of all.entries()) {
    if (process.env.ONLY && !name.includes(process.env.ONLY)) continue;
    const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, root], {
      env: { ...process.env, FORMAT_INDEX: String(i) },
      encoding: 'utf8',
    });
    const ns = Number(out.trim());
    const row = { name, kind: kindOf(records[0].line), error: isError(records), ns };
    rows.push(row);
    console.log(
      `${ns.toFixed(0).padStart(6)}  ${row.kind.padEnd(6)} ${row.error ? 'error' : '     '}  ${name.slice(0, 110)}`,
    );
  }
  const pct = (xs, q) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))];
  console.log('\nkind    records formats  p10   p50   p90   max   within target');
  for (const kind of ['json', 'logfmt', 'text'])
    for (const error of [false, true]) {
      const xs = rows
        .filter((r) => r.kind === kind && r.error === error)
        .map((r) => r.ns)
        .sort((a, b) => a - b);
      if (xs.length === 0) continue;
      const target = kind === 'text' ? 30 : 300;
      const within = xs.filter((x) => x <= target).length;
      console.log(
        `${kind.padEnd(7)} ${(error ? 'error' : 'other').padEnd(8)} ${String(xs.length).padStart(7)}  ${[
          0.1, 0.5, 0.9,
        ]
          .map((q) => pct(xs, q).toFixed(0).padStart(5))
          .join(' ')} ${xs[xs.length - 1].toFixed(0).padStart(5)}   ${within}/${xs.length} ≤ ${target}`,
      );
    }
}
