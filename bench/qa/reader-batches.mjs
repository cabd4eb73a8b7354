// StructuredReader alone as the pipeline drives it: batches of 256 events handed to load() (the
// WebAssembly scan's copy), then read() each; CPU ns/line of (read − make the events), lowest and
// median over K runs of N lines, one build per process (run builds alternately). Lines are flat
// strings, as the framer's are (template-literal ropes make every charCodeAt() dearer and distort
// what the JS side costs). KIND=zap (default) with ids and ts varying per line (VARY=0: workload 4's
// fixed ones), or KIND=pino.
// Run (after `npm run build` in each root): node bench/qa/reader-batches.mjs [root]   (default: this checkout)
const root = process.argv[2] ?? new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
const R = await import(`${root}/dist/pipeline/structured/reader.js`);
const E = await import(`${root}/dist/pipeline/event.js`);
const now = Date.now();
const N = 25600;
const K = Number(process.env.K ?? 60);
const vary = process.env.VARY !== '0';
const kind = process.env.KIND ?? 'zap';
/** n pseudo-random hex digits, the same for the same i in every run */
function hex(n, i) {
  let s = '';
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < n; k++) {
    x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + k) >>> 0;
    s += '0123456789abcdef'[x & 15];
  }
  return s;
}
const make =
  kind === 'pino'
    ? (i) =>
        `{"level":30,"time":${now - 1000 - i},"pid":4242,"hostname":"web-1","reqId":"req-${i}","res":{"statusCode":200},"responseTime":12.5,"msg":"request completed"}`
    : vary
      ? (i) =>
          `{"level":"info","ts":${(now - 1000 - i * 7) / 1000},"caller":"main.go:42","msg":"request ${i}","trace_id":"${hex(32, i)}","span_id":"${hex(16, i + 7)}"}`
      : (i) =>
          `{"level":"info","ts":${(now - 1000) / 1000},"caller":"main.go:42","msg":"request ${i}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"}`;
const lines = Array.from({ length: N }, (_, i) => Buffer.from(make(i)).toString());
const reader = new R.StructuredReader(R.emptyStructuredStats());
const ones = new Int32Array(256).fill(1);
let sink = 0;
function run(read) {
  const t = process.cpuUsage();
  for (let b = 0; b < N; b += 256) {
    const batch = [];
    for (let j = 0; j < 256; j++)
      batch.push(new E.LogEvent(now, lines[b + j], 30, 'stdout', j, undefined, undefined, now));
    if (read) {
      reader.load(batch, ones, 256);
      for (let j = 0; j < 256; j++) reader.read(batch[j], 1, 0, j);
    }
    sink += batch[255].message.length;
  }
  const u = process.cpuUsage(t);
  return ((u.user + u.system) * 1000) / N;
}
const on = [];
const off = [];
for (let k = 0; k < K; k++) {
  on.push(run(true));
  off.push(run(false));
}
if (sink === 0) throw new Error('reader-batches: no events read');
// the first 5 runs of each are warm-up
const low = (a) => Math.min(...a.slice(5));
const med = (a) => a.slice(5).sort((x, y) => x - y)[(a.length - 5) >> 1];
console.log(
  `${root} ${kind}${kind === 'zap' ? ` vary=${vary}` : ''}: read ${(low(on) - low(off)).toFixed(0)} (lowest) ${(med(on) - med(off)).toFixed(0)} (median) CPU ns/line`,
);
