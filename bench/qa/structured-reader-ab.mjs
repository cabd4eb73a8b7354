// StructuredReader.read() alone on pino, zap and plain lines: wall time over many short batches of
// 2,000 lines, min / p10 / p50 per build (a short batch's minimum filters out GC pauses and other
// processes on a loaded machine, which swing structured-cpu.mjs's whole-run figures by ±10%). Builds
// given together are interleaved in one process; run each alone, alternately, to avoid one JIT
// warming another's shared code.
// Run (after `npm run build` in each root): node bench/qa/structured-reader-ab.mjs [root …]   (default: this checkout)
import { resolve } from 'node:path';

const roots =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2).map((r) => resolve(r))
    : [new URL('../../', import.meta.url).pathname.replace(/\/$/, '')];
const B = 2000,
  BATCHES = Number(process.env.BATCHES ?? 400);
const now = Date.now();
const builds = [];
for (const root of roots)
  builds.push({
    root,
    reader: await import(`${root}/dist/pipeline/structured/reader.js`),
    event: await import(`${root}/dist/pipeline/event.js`),
  });
const kinds = {
  pino: (i) =>
    `{"level":30,"time":${now - 1000},"pid":4242,"hostname":"web-1","reqId":"req-${i}","res":{"statusCode":200},"responseTime":12.5,"msg":"request completed"}`,
  zap: (i) =>
    `{"level":"info","ts":${(now - 1000) / 1000},"caller":"main.go:42","msg":"request ${i}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"}`,
  plain: (i) => `worker ${i & 7} app line=${String(i).padStart(9, '0')} ${'x'.repeat(60)} done`,
};
for (const [kind, make] of Object.entries(kinds)) {
  const lines = Array.from({ length: B }, (_, i) => make(i));
  const st = builds.map((b) => ({
    rd: new b.reader.StructuredReader(b.reader.emptyStructuredStats()),
    evs: lines.map((l, i) => new b.event.LogEvent(now, l, 30, 'stdout', i, undefined, undefined, now)),
    best: Infinity,
    all: [],
  }));
  for (let r = 0; r < BATCHES; r++) {
    for (let k = 0; k < builds.length; k++) {
      const bi = (k + r) % builds.length;
      const { rd, evs } = st[bi];
      for (let i = 0; i < B; i++) evs[i].message = lines[i];
      const t = process.hrtime.bigint();
      for (let i = 0; i < B; i++) rd.read(evs[i], 1, 0);
      const ns = Number(process.hrtime.bigint() - t) / B;
      st[bi].all.push(ns);
      if (ns < st[bi].best) st[bi].best = ns;
    }
  }
  for (let i = 0; i < builds.length; i++) {
    const s = st[i].all.slice(50).sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(5)} ${builds[i].root.padEnd(16)} min ${st[i].best.toFixed(0).padStart(5)}  p10 ${s[Math.floor(s.length / 10)].toFixed(0).padStart(5)}  p50 ${s[s.length >> 1].toFixed(0).padStart(5)} ns/line`,
    );
  }
}
