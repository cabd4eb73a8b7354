// Structured reading's cost in CPU time (process.cpuUsage), for builds side by side in one process, on
// a loaded machine (wall-clock figures swing 2-3x there; CPU time much less). Per kind of line (the
// corpora of `npm run bench` workload 4) and per build root:
// - lane: the whole pipeline lane (framing → decode → level → grouping → event) with structured reading
//   off and on, run alternately; "extra" is the median over rounds of (on − off) within a round, "min"
//   the lowest on − the lowest off (load from other processes only adds CPU time: on a busy machine
//   the lowest is the steadier figure);
// - reader: StructuredReader.read() alone on events made in advance (what the extra is made of), with
//   the level detector's facts of each line as the lane passes them (builds before them ignore them),
//   in batches of 256 handed to load() first where the build has it (the WebAssembly scan's copy);
// - JSON.parse of the same lines, the load-independent yardstick (JSON lines only).
//
// Run (after `npm run build` in each root): node bench/qa/structured-cpu.mjs [root …]   (default: this checkout)
// ROUNDS (default 12; the first two are warm-up), N lines per run (default 50,000), KINDS=plain,logfmt for some
// (also iso_advancing, python_asctime, bracket_iso, iso_offset: header times that advance, only when named).
import { resolve } from 'node:path';

const here = new URL('../../', import.meta.url).pathname;
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2).map((r) => resolve(r)) : [here];
const ROUNDS = Number(process.env.ROUNDS ?? 12);
const N = Number(process.env.N ?? 50_000);
const CHUNK = 64 * 1024;

const builds = [];
for (const root of roots) {
  const pipeline = await import(`${root}/dist/pipeline/pipeline.js`);
  const reader = await import(`${root}/dist/pipeline/structured/reader.js`);
  const event = await import(`${root}/dist/pipeline/event.js`);
  const detect = await import(`${root}/dist/pipeline/formats/detect.js`);
  builds.push({ root, pipeline, reader, event, detect, res: {} });
}

const now = Date.now();
const pad60 = 'x'.repeat(60);
const iso = new Date(now - 1000).toISOString();
const kinds = {
  plain: (i) => `worker ${i & 7} app line=${String(i).padStart(9, '0')} ${pad60} done`,
  plain_iso_header: (i) => `${iso} INFO app line=${String(i).padStart(9, '0')} ${pad60}`,
  json_pino: (i) =>
    `{"level":30,"time":${now - 1000},"pid":4242,"hostname":"web-1","reqId":"req-${i}","res":{"statusCode":200},"responseTime":12.5,"msg":"request completed"}`,
  json_trace: (i) =>
    `{"level":"info","ts":${(now - 1000) / 1000},"caller":"main.go:42","msg":"request ${i}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"}`,
  logfmt: (i) => `time=${iso} level=info msg="request ${i}" method=GET path=/orders status=200`,
};
// real header shapes whose time advances (every line a new ms, a new second every 1,000 lines), as an
// app's do: only when KINDS names them (issue 17's ISO-header lines beyond the bench's constant time)
const p2 = (n) => String(n).padStart(2, '0');
const asctime = (t) => {
  const d = new Date(t);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())},${String(d.getMilliseconds()).padStart(3, '0')}`;
};
const at = (i) => now - 60_000 + i;
const advancing = {
  iso_advancing: (i) =>
    `${new Date(at(i)).toISOString()} INFO app line=${String(i).padStart(9, '0')} ${pad60}`,
  python_asctime: (i) => `${asctime(at(i))} INFO app line=${String(i).padStart(9, '0')} ${pad60}`,
  bracket_iso: (i) =>
    `[${new Date(at(i)).toISOString()}] INFO app line=${String(i).padStart(9, '0')} ${pad60}`,
  iso_offset: (i) =>
    `${new Date(at(i) + 7_200_000).toISOString().replace('Z', '+02:00')} INFO app line=${String(i).padStart(9, '0')} ${pad60}`,
};
const only = process.env.KINDS?.split(',');
const corpora = {};
for (const [kind, make] of Object.entries({ ...kinds, ...advancing })) {
  if (only === undefined ? !(kind in kinds) : !only.includes(kind)) continue;
  const lines = Array.from({ length: N }, (_, i) => make(i));
  corpora[kind] = { lines, buf: Buffer.from(`${lines.join('\n')}\n`) };
}

function cpuNs(fn) {
  const t = process.cpuUsage();
  fn();
  const u = process.cpuUsage(t);
  return ((u.user + u.system) * 1000) / N;
}

let sink = 0;
function lane(b, buf, structured) {
  return cpuNs(() => {
    const p = new b.pipeline.Pipeline(
      {
        maxLineBytes: 1024 * 1024,
        multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1024 * 1024, maxLines: 1000 },
        defaultLevels: { stdout: 30, stderr: 30 },
        structured: { enabled: structured, maxBytes: 64 * 1024 },
      },
      () => {
        sink++;
      },
    );
    for (let o = 0; o < buf.length; o += CHUNK) p.write('stdout', buf.subarray(o, o + CHUNK), now);
    p.end();
  });
}

function readerOnly(b, lines) {
  const r = new b.reader.StructuredReader(b.reader.emptyStructuredStats());
  const evs = lines.map((l, i) => new b.event.LogEvent(now, l, 30, 'stdout', i, undefined, undefined, now));
  const d = new b.detect.LevelDetector();
  const facts = lines.map((l) => {
    d.detect(l);
    return d.lineFacts ?? 0;
  });
  // in the pipeline's batches of 256, handed to the reader first where it takes them (load(): the
  // WebAssembly scan's copy); builds before it read each line alone
  if (typeof r.load !== 'function')
    return cpuNs(() => {
      for (let i = 0; i < N; i++) r.read(evs[i], 1, facts[i]);
    });
  const ones = new Int32Array(256).fill(1);
  return cpuNs(() => {
    for (let b = 0; b < N; b += 256) {
      const batch = evs.slice(b, b + 256);
      r.load(batch, ones, batch.length);
      for (let j = 0; j < batch.length; j++) r.read(batch[j], 1, facts[b + j], j);
    }
  });
}

const parse = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const [kind, { lines, buf }] of Object.entries(corpora)) {
    for (const b of r % 2 ? builds : [...builds].reverse()) {
      const res = (b.res[kind] ??= { off: [], on: [], extra: [], reader: [] });
      const first = r % 2 === 0;
      const a = lane(b, buf, first);
      const c = lane(b, buf, !first);
      const off = first ? c : a;
      const on = first ? a : c;
      res.off.push(off);
      res.on.push(on);
      res.extra.push(on - off);
      res.reader.push(readerOnly(b, lines));
    }
    if (kind.startsWith('json')) {
      parse.push([
        kind,
        cpuNs(() => {
          for (let i = 0; i < N; i++) sink += JSON.parse(lines[i]) === null ? 1 : 0;
        }),
      ]);
    }
  }
}
const med = (a) => {
  const s = a.slice(2).sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const low = (a) => Math.min(...a.slice(2));
const f = (x) => x.toFixed(0).padStart(6);
for (const b of builds) {
  console.log(b.root);
  for (const [kind, res] of Object.entries(b.res)) {
    console.log(
      `  ${kind.padEnd(17)} lane off ${f(med(res.off))}  on ${f(med(res.on))}  extra ${f(med(res.extra))}  min ${f(low(res.on) - low(res.off))}  reader ${f(med(res.reader))}  CPU ns/line`,
    );
  }
}
for (const kind of Object.keys(corpora).filter((k) => k.startsWith('json'))) {
  const v = parse.filter(([k]) => k === kind).map(([, x]) => x);
  console.log(`JSON.parse ${kind}: ${f(med(v))} CPU ns/line`);
}
if (process.env.VERBOSE) console.log(`${sink} events`);
