// Structured reading's cost per library shape of the corpus (fixtures/corpus/structured/: the files of
// libraries read one level down, by their error objects or generated), beside JSON.parse of the same
// line as the load-independent yardstick. Wall time over short batches of one line; min and median
// (a short batch's minimum filters out GC pauses and other processes on a loaded machine).
// Run (after `npm run build`): node bench/qa/structured-shapes.mjs [build root]   (default: this checkout)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = process.argv[2]
  ? resolve(process.argv[2])
  : new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const reader = await import(`${root}/dist/pipeline/structured/reader.js`);
const event = await import(`${root}/dist/pipeline/event.js`);
// the lines carry no level the detector reads where the record has none (loguru, klog): read as the pipeline does
const { NO_LEVEL_FOUND } = await import(`${root}/dist/pipeline/formats/lexer.js`);
const D = `${root}/fixtures/corpus/structured/`;
const recs = ['documented-more.jsonl', 'python.jsonl', 'winston-formats.jsonl'].flatMap((f) =>
  readFileSync(D + f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(JSON.parse),
);
const B = 1000,
  BATCHES = 200;
const seen = new Set();
let sink = 0;
for (const r of recs) {
  const key = `${r.library} ${r.error ? 'error' : 'ok'}`;
  if (seen.has(key)) continue;
  seen.add(key);
  const now = (r.time ?? Date.now()) + 1500;
  const rd = new reader.StructuredReader(reader.emptyStructuredStats());
  const evs = Array.from(
    { length: B },
    (_, i) => new event.LogEvent(now, r.line, 30, 'stdout', i, undefined, undefined, now),
  );
  const a = [],
    p = [];
  for (let k = 0; k < BATCHES; k++) {
    for (let i = 0; i < B; i++) evs[i].message = r.line;
    let t = process.hrtime.bigint();
    for (let i = 0; i < B; i++) rd.read(evs[i], 1, NO_LEVEL_FOUND);
    a.push(Number(process.hrtime.bigint() - t) / B);
    t = process.hrtime.bigint();
    for (let i = 0; i < B; i++) sink += JSON.parse(r.line) === null ? 1 : 0;
    p.push(Number(process.hrtime.bigint() - t) / B);
  }
  const q = (x) => {
    const s = x.slice(20).sort((u, v) => u - v);
    return `${s[0].toFixed(0).padStart(5)}/${s[s.length >> 1].toFixed(0).padStart(5)}`;
  };
  console.log(
    `${key.slice(0, 52).padEnd(52)} ${String(r.line.length).padStart(4)} ch  reader ${q(a)}  JSON.parse ${q(p)} ns (min/p50)`,
  );
}
if (process.env.VERBOSE) console.log(`${sink} parsed`);
