/**
 * Workload 4: what each pipeline stage costs per line, in-process, on a mixed-format corpus, using
 * the built modules in dist/ (exactly what `forwarder run` executes). Started in a fresh process by
 * bench/run.ts; prints one JSON object on stdout.
 *
 * Corpus (seeded, so every run is the same input): ~60% lines shaped like fixtures/apps/lines.mjs,
 * ~30% real-format single lines from the shared and fixture level corpora (JSON, logfmt, Python,
 * Go, Java, ANSI colour…), ~10% of lines inside multi-line records (tracebacks, stacks, panics).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

type FramerMod = typeof import('../src/pipeline/framer.js');
type DecodeMod = typeof import('../src/pipeline/decode.js');
type LevelMod = typeof import('../src/pipeline/formats/detect.js');
type MultilineMod = typeof import('../src/pipeline/multiline.js');
type EventMod = typeof import('../src/pipeline/event.js');
type PipelineMod = typeof import('../src/pipeline/pipeline.js');
type ConfigMod = typeof import('../src/config/index.js');
type CatalogueMod = typeof import('../src/settings-catalogue.js');
type RegistryMod = typeof import('../src/drains/registry.js');
type DefaultsMod = typeof import('../src/drains/core/defaults.js');
type ControlMod = typeof import('../src/drains/core/event-control.js');
type StagesMod = typeof import('../src/drains/core/control-stages.js');
type FilterMod = typeof import('../src/drains/core/event-filter.js');
type RedactMod = typeof import('../src/pipeline/redact.js');

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const LINES = Number(process.env.BENCH_PIPELINE_LINES ?? 200_000);
const REPS = Number(process.env.BENCH_PIPELINE_REPS ?? 3);

const load = <T>(rel: string): Promise<T> =>
  import(pathToFileURL(join(ROOT, 'dist', rel)).href) as Promise<T>;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A missing or broken fixture throws: a benchmark on a silently smaller corpus measures nothing. */
function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

function buildCorpus(lines: number): { buf: Buffer; lines: number; sources: Record<string, number> } {
  const single = [
    ...jsonl<{ line: string }>(join(ROOT, 'fixtures/corpus/levels.shared.jsonl')),
    ...jsonl<{ line: string }>(join(ROOT, 'fixtures/corpus/levels.extra.jsonl')),
  ].map((r) => r.line.replace(/\n/g, ' '));
  const multi = [
    ...jsonl<{ lines: string[] }>(join(ROOT, 'fixtures/corpus/multiline.shared.jsonl')),
    ...jsonl<{ lines: string[] }>(join(ROOT, 'fixtures/corpus/multiline.extra.jsonl')),
  ].map((r) => r.lines);
  const levels = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
  const pad = 'x'.repeat(60);
  const rand = seeded(42);
  const out: string[] = [];
  const sources = { plain: 0, corpus_single: 0, corpus_multiline: 0 };
  while (out.length < lines) {
    const r = rand();
    if (r < 0.6 || (single.length === 0 && multi.length === 0)) {
      const i = out.length;
      out.push(`2024-05-14T09:21:07.412Z ${levels[i & 3]} app line=${String(i).padStart(9, '0')} ${pad}`);
      sources.plain++;
    } else if (r < 0.9 && single.length > 0) {
      out.push(single[Math.floor(rand() * single.length)]!);
      sources.corpus_single++;
    } else if (multi.length > 0) {
      const seq = multi[Math.floor(rand() * multi.length)]!;
      out.push(...seq);
      sources.corpus_multiline += seq.length;
    }
  }
  return { buf: Buffer.from(`${out.join('\n')}\n`), lines: out.length, sources };
}

/** median ns per unit over REPS timed runs after one warm-up */
function time(units: number, fn: () => void): number {
  fn();
  const ns: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ns.push(Number(process.hrtime.bigint() - t0) / units);
  }
  ns.sort((a, b) => a - b);
  return ns[ns.length >> 1]!;
}

/**
 * median CPU ns per unit (this process's user + system time) over 7 runs after one warm-up: on a
 * shared machine wall time also counts the time other processes hold the CPU, CPU time does not
 */
function cpuTime(units: number, fn: () => void): number {
  fn();
  const ns: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    ns.push(((d.user + d.system) * 1000) / units);
  }
  ns.sort((a, b) => a - b);
  return ns[ns.length >> 1]!;
}

/** Lines per timed run, on/off pairs per process and processes of the structured rows (issue 17). */
const STRUCTURED_LINES = Number(process.env.BENCH_STRUCTURED_W4_LINES ?? 20_000);
const STRUCTURED_PAIRS = Number(process.env.BENCH_STRUCTURED_W4_PAIRS ?? 24);
const STRUCTURED_PROCS = Number(process.env.BENCH_STRUCTURED_W4_PROCS ?? 5);

/** The kinds of structuredKinds() measured when BENCH_STRUCTURED_W4_KINDS names none (the bench of record's rows). */
const DEFAULT_STRUCTURED_KINDS = ['plain', 'plain_iso_header', 'json_pino', 'json_trace', 'logfmt'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** RFC 3164's `May 14 09:21:07` of t in the host's zone. */
function syslogTime(t: number): string {
  const d = new Date(t);
  const mon = 'JanFebMarAprMayJunJulAugSepOctNovDec'.slice(d.getMonth() * 3, d.getMonth() * 3 + 3);
  return `${mon} ${String(d.getDate()).padStart(2, ' ')} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Go's log package `2024/05/14 09:21:07.412345` (Lmicroseconds) of t in the host's zone. */
function goTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}/${pad2(d.getMonth() + 1)}/${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}000`;
}

/** The structured rows' corpora: one kind of line each, the same in every process of a run. */
function structuredKinds(now: number): Record<string, (i: number) => string> {
  const pad60 = 'x'.repeat(60);
  const iso = new Date(now - 1000).toISOString();
  return {
    plain: (i) => `worker ${i & 7} app line=${String(i).padStart(9, '0')} ${pad60} done`,
    plain_iso_header: (i) => `${iso} INFO app line=${String(i).padStart(9, '0')} ${pad60}`,
    // header times other than ISO 8601 (structured/header-time.ts), and a capitalised plain line
    // that must not pay for them: only when BENCH_STRUCTURED_W4_KINDS names them
    plain_capital: (i) => `Worker ${i & 7} app line=${String(i).padStart(9, '0')} ${pad60} done`,
    syslog_header: (i) =>
      `${syslogTime(now - 1000)} web-1 app[1]: line=${String(i).padStart(9, '0')} ${pad60}`,
    go_header: (i) => `${goTime(now - 1000)} main.go:42: line=${String(i).padStart(9, '0')} ${pad60}`,
    json_pino: (i) =>
      `{"level":30,"time":${now - 1000},"pid":4242,"hostname":"web-1","reqId":"req-${i}","res":{"statusCode":200},"responseTime":12.5,"msg":"request completed"}`,
    json_trace: (i) =>
      `{"level":"info","ts":${(now - 1000) / 1000},"caller":"main.go:42","msg":"request ${i}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"}`,
    logfmt: (i) => `time=${iso} level=info msg="request ${i}" method=GET path=/orders status=200`,
  };
}

interface StructuredSamples {
  /** per kind: (on − off) of each adjacent pair of runs, CPU ns/line */
  diffs: Record<string, number[]>;
  off: Record<string, number[]>;
  on: Record<string, number[]>;
  parse: Record<string, number>;
}

/**
 * One process's samples (BENCH_W4_PART=structured): the whole lane with structured reading on and
 * off, in short runs of STRUCTURED_LINES lines, in ABBA order (off on on off …) so that a drift of
 * the machine's load or of the process's own state falls on both sides alike; each adjacent on/off
 * pair gives one difference. CPU time of the process (a shared machine's waits are not ours).
 */
function structuredSamples(pipelineM: PipelineMod, now: number): StructuredSamples {
  const CHUNK = 64 * 1024;
  const N = STRUCTURED_LINES;
  const out: StructuredSamples = { diffs: {}, off: {}, on: {}, parse: {} };
  let emitted = 0;
  const only = process.env.BENCH_STRUCTURED_W4_KINDS?.split(',') ?? DEFAULT_STRUCTURED_KINDS;
  for (const [kind, make] of Object.entries(structuredKinds(now))) {
    if (!only.includes(kind)) continue;
    const buf = Buffer.from(`${Array.from({ length: N }, (_, i) => make(i)).join('\n')}\n`);
    const run = (structured: boolean): number => {
      const t0 = process.cpuUsage();
      const p = new pipelineM.Pipeline(
        {
          maxLineBytes: 256 * 1024,
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
      const d = process.cpuUsage(t0);
      return ((d.user + d.system) * 1000) / N;
    };
    for (let k = 0; k < 4; k++) run((k & 1) === 1); // warm-up: both paths compiled
    const diffs: number[] = [];
    const off: number[] = [];
    const on: number[] = [];
    for (let b = 0; b < STRUCTURED_PAIRS; b += 2) {
      const a1 = run(false);
      const b1 = run(true);
      const b2 = run(true);
      const a2 = run(false);
      diffs.push(b1 - a1, b2 - a2);
      off.push(a1, a2);
      on.push(b1, b2);
    }
    out.diffs[kind] = diffs;
    out.off[kind] = off;
    out.on[kind] = on;
    if (kind.startsWith('json')) {
      // the load-independent yardstick: JSON.parse of the same lines, in the same process
      const lines = buf.toString('utf8').split('\n', N);
      let objects = 0;
      out.parse[kind] = cpuTime(N, () => {
        for (const line of lines) if (JSON.parse(line) !== null) objects++;
      });
      if (objects === 0) throw new Error('bench: JSON corpus did not parse');
    }
  }
  if (emitted === 0) throw new Error('bench: the structured lane emitted nothing');
  return out;
}

/** The q-quantile of sorted xs, interpolated. */
function quantile(sorted: number[], q: number): number {
  const x = (sorted.length - 1) * q;
  const lo = Math.floor(x);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (x - lo);
}

/**
 * Structured reading's cost per line (issue 17), for a target as small as 30 ns on a busy machine:
 * STRUCTURED_PROCS fresh processes (the JIT's choices differ from process to process by more than
 * the target) each give STRUCTURED_PAIRS paired differences; the row is their pooled median with
 * its interquartile range, and the median of each side's runs.
 */
function structuredRows(): Record<string, number> {
  const pooled: StructuredSamples = { diffs: {}, off: {}, on: {}, parse: {} };
  const perProcess: Record<string, number[]> = {};
  const now = Date.now();
  for (let k = 0; k < STRUCTURED_PROCS; k++) {
    const text = execFileSync(process.execPath, [process.argv[1]!], {
      env: { ...process.env, BENCH_W4_PART: 'structured', BENCH_W4_NOW: String(now) },
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    const s = JSON.parse(text) as StructuredSamples;
    for (const kind of Object.keys(s.diffs)) {
      (pooled.diffs[kind] ??= []).push(...s.diffs[kind]!);
      (pooled.off[kind] ??= []).push(...s.off[kind]!);
      (pooled.on[kind] ??= []).push(...s.on[kind]!);
      (perProcess[kind] ??= []).push(
        quantile(
          [...s.diffs[kind]!].sort((a, b) => a - b),
          0.5,
        ),
      );
    }
    for (const [kind, ns] of Object.entries(s.parse))
      pooled.parse[kind] = Math.min(pooled.parse[kind] ?? Number.POSITIVE_INFINITY, ns);
  }
  const out: Record<string, number> = { procs: STRUCTURED_PROCS };
  for (const kind of Object.keys(pooled.diffs)) {
    const d = pooled.diffs[kind]!.sort((a, b) => a - b);
    out[`${kind}_extra`] = quantile(d, 0.5);
    out[`${kind}_q1`] = quantile(d, 0.25);
    out[`${kind}_q3`] = quantile(d, 0.75);
    out[`${kind}_off`] = quantile(
      pooled.off[kind]!.sort((a, b) => a - b),
      0.5,
    );
    out[`${kind}_on`] = quantile(
      pooled.on[kind]!.sort((a, b) => a - b),
      0.5,
    );
    out[`${kind}_pairs`] = d.length;
    const procs = perProcess[kind]!.sort((a, b) => a - b);
    out[`${kind}_proc_min`] = procs[0]!;
    out[`${kind}_proc_max`] = procs[procs.length - 1]!;
    if (pooled.parse[kind] !== undefined) out[`${kind}_parse`] = pooled.parse[kind]!;
  }
  return out;
}

async function main(): Promise<void> {
  if (process.env.BENCH_W4_PART === 'structured') {
    // one process's samples of the structured rows (structuredRows() runs several)
    const pipeline = await load<PipelineMod>('pipeline/pipeline.js');
    const now = Number(process.env.BENCH_W4_NOW ?? Date.now());
    process.stdout.write(`${JSON.stringify(structuredSamples(pipeline, now))}\n`);
    return;
  }
  if (process.env.BENCH_W4_PART === 'structured-rows') {
    // the structured rows alone (comparing builds: BENCH_ROOT=<build root>)
    process.stdout.write(`${JSON.stringify({ structuredNsPerLine: structuredRows() })}\n`);
    return;
  }
  const [controlM, stagesM, filterM, redactM] = await Promise.all([
    load<ControlMod>('drains/core/event-control.js'),
    load<StagesMod>('drains/core/control-stages.js'),
    load<FilterMod>('drains/core/event-filter.js'),
    load<RedactMod>('pipeline/redact.js'),
  ]);
  const [framerM, decodeM, levelM, mlM, eventM, pipelineM, configM, registryM, defaultsM] = await Promise.all(
    [
      load<FramerMod>('pipeline/framer.js'),
      load<DecodeMod>('pipeline/decode.js'),
      load<LevelMod>('pipeline/formats/detect.js'),
      load<MultilineMod>('pipeline/multiline.js'),
      load<EventMod>('pipeline/event.js'),
      load<PipelineMod>('pipeline/pipeline.js'),
      load<ConfigMod>('config/index.js'),
      load<RegistryMod>('drains/registry.js'),
      load<DefaultsMod>('drains/core/defaults.js'),
    ],
  );
  const corpus = buildCorpus(LINES);
  const n = corpus.lines;
  const CHUNK = 64 * 1024;
  const MAX_LINE = 256 * 1024;

  // framing: 64 KiB chunks, as a pipe delivers them
  const framed: Buffer[] = [];
  const frameAll = (keep: boolean): void => {
    const f = new framerM.LineFramer(MAX_LINE, (b) => {
      if (keep) framed.push(b);
    });
    for (let o = 0; o < corpus.buf.length; o += CHUNK) f.push(corpus.buf.subarray(o, o + CHUNK));
    f.end();
  };
  const framing = time(n, () => frameAll(false));
  frameAll(true);

  let texts: string[] = [];
  const decode = time(n, () => {
    texts = new Array<string>(framed.length);
    for (let i = 0; i < framed.length; i++) texts[i] = decodeM.decodeLine(framed[i]!, 0);
  });

  const lv = new Int32Array(texts.length);
  const detector = new levelM.LevelDetector();
  const level = time(n, () => {
    for (let i = 0; i < texts.length; i++) lv[i] = texts[i]!.length === 0 ? 0 : detector.detect(texts[i]!);
  });

  const events: InstanceType<EventMod['LogEvent']>[] = [];
  const group = (keep: boolean): void => {
    let seq = 0;
    const g = new mlM.MultilineGrouper({
      timeoutMs: 1000,
      maxBytes: 1024 * 1024,
      maxLines: 1000,
      emit: (text, l) => {
        seq++;
        if (keep)
          events.push(new eventM.LogEvent(1715678467412, text, l || 30, 'stdout', seq, undefined, undefined));
      },
    });
    for (let i = 0; i < texts.length; i++) g.push(texts[i]!, lv[i]!, 0);
    g.flush();
  };
  const multiline = time(n, () => group(false));
  group(true);

  // the whole lane as the worker runs it: frame → decode → level → group → LogEvent
  let emitted = 0;
  const pipeline = time(n, () => {
    const p = new pipelineM.Pipeline(
      {
        maxLineBytes: MAX_LINE,
        multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1024 * 1024, maxLines: 1000 },
        defaultLevels: { stdout: 30, stderr: 30 },
      },
      () => {
        emitted++;
      },
    );
    for (let o = 0; o < corpus.buf.length; o += CHUNK)
      p.write('stdout', corpus.buf.subarray(o, o + CHUNK), 0);
    p.end();
  });

  const structuredNs = structuredRows();
  // encoders of the vendor drains, configured as the CLI would configure them
  const env: Record<string, string> = {
    LOGS_ENABLE_SPLUNK: '1',
    SPLUNK_HEC_TOKEN: '00000000-0000-0000-0000-000000000000',
    SPLUNK_HEC_URL: 'http://127.0.0.1:9/',
    DATADOG_TOKEN: 'bench-key',
    DATADOG_URL: 'http://127.0.0.1:9/',
    WEBHOOK_URL: 'http://127.0.0.1:9/',
    SYSLOG_ENDPOINT: 'tcp://127.0.0.1:9',
    NEW_RELIC_LICENSE_KEY: 'bench-key',
    NEW_RELIC_URL: 'http://127.0.0.1:9/log/v1',
    AXIOM_TOKEN: 'xaat-bench',
    AXIOM_DATASET: 'bench',
    AXIOM_URL: 'http://127.0.0.1:9',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
    LOKI_URL: 'http://127.0.0.1:9',
    ELASTICSEARCH_URL: 'http://127.0.0.1:9',
  };
  const inputs = { mode: 'run' as const, flags: {}, env, configPath: undefined, command: 'bench' };
  const config = (await load<CatalogueMod>('settings-catalogue.js')).loadAll(inputs);
  const identity = configM.identityFrom(config, inputs);
  const ctx = { identity, version: 'bench', requestTimeoutMs: 30_000 };
  const encode: Record<string, number> = {};
  const gzipNs: Record<string, number> = {};
  for (const spec of registryM.DRAIN_SPECS) {
    let cfg: unknown;
    try {
      cfg = spec.configure(config, ctx);
    } catch {
      continue;
    }
    if (cfg === undefined || spec.id === 'file') continue;
    const records: string[] = new Array(events.length);
    encode[spec.id] =
      time(events.length, () => {
        for (let i = 0; i < events.length; i++) records[i] = spec.encode(events[i]!, cfg, ctx);
      }) *
      (events.length / n);
    // typed-payload drains build their body from the records (protobuf, grouped streams): that
    // build is part of their per-line cost, counted here over batches of 5000
    const payload = spec.payload?.bind(spec);
    const builder = payload
      ? (b: { events: unknown[]; records: string[]; body: string }) => payload(b as never, cfg) as Buffer
      : undefined;
    let built: Buffer | undefined;
    if (builder) {
      const batches: { events: unknown[]; records: string[]; body: string }[] = [];
      for (let i = 0; i < events.length; i += 5000)
        batches.push({ events: events.slice(i, i + 5000), records: records.slice(i, i + 5000), body: '' });
      encode[`${spec.id} (record + request body)`] =
        encode[spec.id]! +
        time(events.length, () => {
          for (const b of batches) built = builder(b);
        }) *
          (events.length / n);
      delete encode[spec.id];
      built = builder(batches[0]!);
    }
    // a batch body of ~1 MB, then gzip at the engine's level: the cost per line of compression
    const body = built ?? Buffer.from(records.slice(0, 5000).join('\n'));
    const perBody = Math.min(5000, records.length);
    gzipNs[builder ? `${spec.id} (record + request body)` : spec.id] = time(perBody, () => {
      gzipSync(body, { level: defaultsM.DEFAULTS.gzipLevel });
    });
  }

  // per-drain control and redaction (issue 18), per line of the corpus, on the events it makes
  const perLineOf = (ns: number): number => ns * (events.length / n);
  let sunk = 0;
  const sink = (): void => {
    sunk++;
  };
  const noRule = stagesM.buildControlStages([{ control: undefined }], [{ push: sink }], {
    instance: 'bench',
    nextSeq: () => 0,
  }).entries[0]!;
  const rules = {
    minLevel: 20,
    filter: {
      text: '',
      test: filterM.compileFilter(
        '{"where":{"and":[{"key":"message","operator":"!contains","value":"healthcheck"},{"key":"stream","operator":"eq","value":"stdout"}]}}',
        'bench',
        identity,
      ),
    },
    sampleRate: 0.5,
    sampleErrors: false,
    rateLimit: undefined,
    fields: undefined,
    maxMessageChars: undefined,
  };
  const ruled = new controlM.DrainControl(rules, sink, { instance: 'bench', nextSeq: () => 0 });
  const redactor = new redactM.Redactor(
    redactM.redactionOptions('default', undefined, { rules: 'b', patterns: 'b' })!,
  );
  const control: Record<string, number> = {
    pipeline_for_scale: cpuTime(n, () => {
      const p = new pipelineM.Pipeline(
        {
          maxLineBytes: MAX_LINE,
          multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1024 * 1024, maxLines: 1000 },
          defaultLevels: { stdout: 30, stderr: 30 },
        },
        () => undefined,
      );
      for (let o = 0; o < corpus.buf.length; o += CHUNK)
        p.write('stdout', corpus.buf.subarray(o, o + CHUNK), 0);
      p.end();
    }),
    direct_push: perLineOf(
      cpuTime(events.length, () => {
        for (let i = 0; i < events.length; i++) sink();
      }),
    ),
    no_rule: perLineOf(
      cpuTime(events.length, () => {
        for (let i = 0; i < events.length; i++) noRule(events[i]!);
      }),
    ),
    min_level_filter_sample: perLineOf(
      cpuTime(events.length, () => {
        for (let i = 0; i < events.length; i++) ruled.push(events[i]!);
      }),
    ),
    redact_default: perLineOf(
      cpuTime(events.length, () => {
        for (let i = 0; i < events.length; i++) redactor.redact(events[i]!.message);
      }),
    ),
    all_together: perLineOf(
      cpuTime(events.length, () => {
        for (let i = 0; i < events.length; i++) {
          const ev = events[i]!;
          if (redactor.redact(ev.message) !== '') ruled.push(ev);
        }
      }),
    ),
  };
  const redactedLines = events.filter((e) => redactor.redact(e.message) !== e.message).length;

  process.stdout.write(
    `${JSON.stringify({
      lines: n,
      events: events.length,
      emitted: emitted / (REPS + 1),
      bytes: corpus.buf.length,
      sources: corpus.sources,
      nsPerLine: { framing, decode, level, multiline, pipeline },
      encodeNsPerLine: encode,
      gzipNsPerLine: gzipNs,
      gzipLevel: defaultsM.DEFAULTS.gzipLevel,
      controlNsPerLine: control,
      structuredNsPerLine: structuredNs,
      controlNote: { redactedEvents: redactedLines, sunk: sunk > 0 },
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`pipeline bench failed: ${String(err)}\n`);
  process.exit(1);
});
