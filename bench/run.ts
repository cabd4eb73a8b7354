/**
 * `npm run bench`: the end-to-end and per-line benchmarks of issue 9, everything on loopback.
 * Prints one table and the PASS/MISS list, writes bench/results.json (gitignored) and
 * bench/RESULTS.md (generated; never edit it by hand).
 *
 * Sizes and selection (env):
 *   BENCH_LINES=2000000     lines per end-to-end run (workloads 1, 2, 3, 5, 8)
 *   BENCH_RUNS=7            repetitions of workload 1 (median taken; with 3, one slow baseline or run
 *                           moved the ratio by ±0.05 on this 2-core machine: 1.039 and 1.121 an hour apart)
 *   BENCH_STRUCTURED_LINES=500000, BENCH_STRUCTURED_ROUNDS=3   workload 10's lines per run and runs per mode
 *   BENCH_STARTUP_RUNS=20   repetitions of workload 6 (median taken)
 *   BENCH_STARTUP_CPU_RUNS=10  runs of workload 6 measuring CPU per run (bash `times`, median taken)
 *   BENCH_LATENCY_S=10      duration of workload 7 at 1,000 lines/s
 *   BENCH_E2E_RUNS=1        repetitions of workload 2 (HEC, every line delivered)
 *   BENCH_E2E_BUFFER=2GiB   FORWARDER_BUFFER_BYTES and FORWARDER_PIPELINE_BUFFER_BYTES for workloads 2 and 3 (hold the whole input)
 *   BENCH_PROFILE=1         0 skips the `--cpu-prof` run of workload 2
 *   BENCH_ONLY=1,2,4        run only these workloads (8: pipe and tail, default buffers, every line delivered;
 *                           9: the OTLP, Loki and Elasticsearch drains end to end, each alone)
 *   BENCH_W9=loki,elasticsearch  run only these drains of workload 9 (otlp, loki, elasticsearch)
 *   BENCH_W9_PROFILE=dir    run workload 9 under `node --cpu-prof` into dir (one .cpuprofile per thread)
 *   BENCH_PIPELINE_LINES    corpus size of workload 4 (default 200000)
 *   BENCH_STRUCTURED_W4_LINES=20000, BENCH_STRUCTURED_W4_PAIRS=24, BENCH_STRUCTURED_W4_PROCS=5
 *                           workload 4's structured rows: lines per run, on/off pairs per process, processes
 *   BENCH_STRUCTURED_W4_KINDS=plain,logfmt  only these of them (plain, plain_iso_header, json_pino, json_trace, logfmt;
 *                           also, named only: plain_capital, syslog_header, go_header, the non-ISO header times)
 *   BENCH_NO_WRITE=1        do not write RESULTS.md / results.json
 *   BENCH_PACKAGE=0         do not build the executable (npm run package) for workloads 5 and 6
 *   BENCH_W8=tail           run only these cases of workload 8 (pipe, tail)
 *   BENCH_W8_RUNS=3         runs of each workload-8 case; the median run is reported, with the range
 *   BENCH_W8_AB=old/cli.js  A/B of workload 8: each case runs BENCH_W8_ROUNDS times (default 3) with this
 *                           build's cli.js and with dist/cli.js, alternately (one log line per run; no rows)
 *   BENCH_W8_PROFILE=dir    workload 8 under `node --cpu-prof` into dir (one .cpuprofile per thread)
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatadogReceiver } from '../test/receivers/datadog.js';
import { ElasticsearchReceiver } from '../test/receivers/elasticsearch.js';
import type { HttpReceiver } from '../test/receivers/http-receiver.js';
import { LokiReceiver } from '../test/receivers/loki.js';
import { OtlpReceiver } from '../test/receivers/otlp.js';
import { type RsyslogHarness, rsyslogAvailable, startRsyslog } from '../test/receivers/rsyslog.js';
import { SplunkHecReceiver } from '../test/receivers/splunk-hec.js';
import { WebhookReceiver } from '../test/receivers/webhook.js';
import { formatTop, type ProfileSummary, topSelfTime } from './lib/cpuprofile.js';
import {
  type AppUsage,
  type Measured,
  measure,
  median,
  percentile,
  spread,
  takeAppUsage,
} from './lib/proc.js';

const ROOT = process.cwd();
const CLI = join(ROOT, 'dist/cli.js');
/** the single-file bundle the image ships (`npm run bundle`): what people put in front of cold starts */
const BUNDLE = join(ROOT, 'dist/forwarder.cjs');
/** the self-contained executable (`npm run package`, built by the bench for workloads 5 and 6 unless BENCH_PACKAGE=0) */
const SEA = join(ROOT, 'dist/forwarder');
const NODE = process.execPath;
const APP_USAGE = join(ROOT, 'bench/lib/app-usage.mjs');
const LINES_APP = join(ROOT, 'fixtures/apps/lines.mjs');
const PACED_APP = join(ROOT, 'bench/apps/paced.mjs');

const envNum = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};
const LINES = envNum('BENCH_LINES', 2_000_000);
const RUNS = envNum('BENCH_RUNS', 7);
const STARTUP_RUNS = envNum('BENCH_STARTUP_RUNS', 20);
const STARTUP_CPU_RUNS = envNum('BENCH_STARTUP_CPU_RUNS', 10);
const LATENCY_S = envNum('BENCH_LATENCY_S', 10);
const LATENCY_RATE = 1000;
const PROFILE = process.env.BENCH_PROFILE !== '0';
const E2E_RUNS = envNum('BENCH_E2E_RUNS', 1);
const E2E_BUFFER = process.env.BENCH_E2E_BUFFER ?? '2GiB';
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map(Number)) : undefined;
const want = (w: number): boolean => ONLY === undefined || ONLY.has(w);

const HEC_TOKEN = '11111111-2222-3333-4444-555555555555';
const DD_KEY = 'abcdef0123456789abcdef0123456789';
const WORK = join(tmpdir(), `fwd-bench-${process.pid}`);
mkdirSync(WORK, { recursive: true });

/** Bytes lines.mjs writes for `n` lines (its default ~120-byte shape: 106 bytes + the level word). */
function inputBytes(n: number): number {
  const words = [4, 4, 5, 5]; // INFO WARN ERROR DEBUG
  let total = 0;
  for (let k = 0; k < 4; k++) total += Math.floor((n - k + 3) / 4) * (106 + words[k]!);
  return total;
}
const INPUT_BYTES = inputBytes(LINES);

/** The environment without anything that would enable a real drain. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const drainVar =
    /^(FORWARDER_|WEBHOOK_|DATADOG_|DD_|SPLUNK_|LOGS_ENABLE_SPLUNK|NEW_RELIC_|AXIOM_|SYSLOG_|SENTRY_|AWS_|CLOUDWATCH_|OTEL_|LOKI_|ELASTICSEARCH_|NODE_OPTIONS)/;
  for (const [k, v] of Object.entries(process.env)) if (!drainVar.test(k)) env[k] = v;
  return { ...env, ...extra };
}

const hecEnv = (url: string) => ({
  LOGS_ENABLE_SPLUNK: '1',
  SPLUNK_HEC_TOKEN: HEC_TOKEN,
  SPLUNK_HEC_URL: url,
});
const ddEnv = (url: string) => ({ DATADOG_TOKEN: DD_KEY, DATADOG_URL: `${url}/api/v2/logs` });
const webhookEnv = (url: string) => ({ WEBHOOK_URL: url, WEBHOOK_GZIP: '1' });
const syslogEnv = (h: RsyslogHarness) => ({
  SYSLOG_ENDPOINT: `localhost:${h.port}`,
  SYSLOG_CA_FILE: h.caFile,
});

// ---------------------------------------------------------------------------------------------
// results

interface Row {
  workload: string;
  case: string;
  lines?: number;
  seconds?: number;
  linesPerS?: number;
  mbPerS?: number;
  cpuPerMLines?: number;
  peakRssMb?: number;
  /** harness CPU while the case ran: the loopback sinks (receivers) and this process */
  sinkCpuS?: number;
  value?: string;
  note?: string;
  skipped?: string;
}

interface Target {
  name: string;
  target: string;
  measured: string;
  pass: boolean | undefined;
}

const rows: Row[] = [];
const targets: Target[] = [];
const extra: Record<string, unknown> = {};

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// helpers

interface DrainTotals {
  delivered: number;
  retried: number;
  dropped: number;
  reasons: Record<string, number>;
}

interface Summary {
  read: number;
  backlogDroppedBytes: number;
  backlogDroppedLines: number;
  /** "forwarder dropped N lines" events the forwarder sent to the drains about the backlog */
  backlogNotices: number;
  drains: Record<string, DrainTotals>;
}

function parseSummary(stderr: string): Summary | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith('forwarder: summary:'));
  if (!line) return undefined;
  const read = Number(/read (\d+) lines/.exec(line)?.[1] ?? Number.NaN);
  const backlogMatch = /pipeline_backlog dropped (\d+) lines \((\d+) bytes; (\d+) notice events\)/.exec(line);
  const backlog = Number(backlogMatch?.[2] ?? 0);
  const drains: Record<string, DrainTotals> = {};
  const re = /(\w+): delivered (\d+), retried (\d+), dropped (\d+)(?: \(([^)]*)\))?/g;
  for (const m of line.matchAll(re)) {
    const reasons: Record<string, number> = {};
    for (const part of (m[5] ?? '').split(', ').filter(Boolean)) {
      const [reason, n] = part.split(' ');
      reasons[reason!] = Number(n);
    }
    drains[m[1]!] = { delivered: Number(m[2]), retried: Number(m[3]), dropped: Number(m[4]), reasons };
  }
  return {
    read,
    backlogDroppedBytes: backlog,
    backlogDroppedLines: Number(backlogMatch?.[1] ?? 0),
    backlogNotices: Number(backlogMatch?.[3] ?? 0),
    drains,
  };
}

/** Time of the last accepted record, taken on the receiver's own events (no polling). */
// biome-ignore lint/suspicious/noExplicitAny: any vendor receiver
function deliveryClock(r: HttpReceiver<any>, target: number) {
  const from = r.recordCount;
  let lastAt = 0;
  let seen = from;
  const done = r
    .waitFor(() => {
      if (r.recordCount !== seen) {
        seen = r.recordCount;
        lastAt = Date.now();
      }
      return r.recordCount - from >= target;
    }, 900_000)
    .catch(() => undefined);
  return { done, lastAt: () => lastAt, count: () => r.recordCount - from };
}

/** rsyslog writes one JSON line per message: count them as they are written (polled). */
function rsyslogClock(h: RsyslogHarness, target: number) {
  let lastAt = 0;
  let count = -1;
  let stop = false;
  const done = (async () => {
    const { open } = await import('node:fs/promises');
    let fh: Awaited<ReturnType<typeof open>> | undefined;
    let pos = 0;
    const buf = Buffer.alloc(1 << 20);
    const base = (await h.records()).length;
    count = 0;
    while (!stop && count < target) {
      fh ??= await open(h.outputFile, 'r').catch(() => undefined);
      if (fh) {
        for (;;) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
          let n = 0;
          for (let i = buf.indexOf(10); i !== -1 && i < bytesRead; i = buf.indexOf(10, i + 1)) n++;
          if (n > 0) {
            count += n;
            lastAt = Date.now();
          }
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await fh?.close();
    count -= base;
  })();
  return {
    done,
    lastAt: () => lastAt,
    count: () => count,
    stop: () => {
      stop = true;
    },
  };
}

interface RunOutcome {
  m: Measured;
  app: AppUsage | undefined;
  summary: Summary | undefined;
  /** forwarder CPU: children total minus the app's own */
  cpuS: number;
  sinkCpuS: number;
}

async function runForwarder(
  env: Record<string, string>,
  appArgs: string[],
  opts: { nodeFlags?: string[] } = {},
): Promise<RunOutcome> {
  const usageFile = join(WORK, `app-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const cpu0 = process.cpuUsage();
  const m = await measure(
    [NODE, ...(opts.nodeFlags ?? []), CLI, 'run', '--', NODE, '--import', APP_USAGE, ...appArgs],
    { env: baseEnv({ ...env, BENCH_APP_USAGE: usageFile }) },
  );
  const c = process.cpuUsage(cpu0);
  const app = takeAppUsage(usageFile);
  const appCpu = app ? (app.userUs + app.sysUs) / 1e6 : 0;
  if (m.code !== 0) log(`forwarder exited ${m.code}: ${m.stderr.slice(-2000)}`);
  return {
    m,
    app,
    summary: parseSummary(m.stderr),
    cpuS: m.childrenCpuS - appCpu,
    sinkCpuS: (c.user + c.system) / 1e6,
  };
}

async function runBaseline(appArgs: string[]): Promise<{ m: Measured; app: AppUsage | undefined }> {
  const usageFile = join(WORK, `base-${Date.now()}.json`);
  const m = await measure([NODE, '--import', APP_USAGE, ...appArgs], {
    env: baseEnv({ BENCH_APP_USAGE: usageFile }),
  });
  return { m, app: takeAppUsage(usageFile) };
}

const appRuntime = (a: AppUsage | undefined): number => (a ? a.exitedAt - a.startedAt : Number.NaN);
const fmt = (x: number | undefined, d = 0): string =>
  x === undefined || Number.isNaN(x)
    ? '–'
    : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (kb: number): number => kb / 1024;

interface E2ESample {
  linesPerS: number;
  seconds: number;
  cpuPerM: number;
  rss: number;
  sink: number;
  note: string;
  /** app lines delivered (at most LINES) */
  delivered: number;
}

/** One end-to-end sample: first write by the app to the sink's last record, CPU per line read. */
function e2eSample(out: RunOutcome, clock: ReturnType<typeof deliveryClock>, drainName: string): E2ESample {
  const first = out.app?.firstWriteAt ?? out.app?.startedAt ?? out.m.startedAt;
  const seconds = (clock.lastAt() - first) / 1000;
  const delivered = Math.min(LINES, out.summary?.drains[drainName]?.delivered ?? clock.count());
  // per line the pipeline actually read (bytes dropped at the pipeline backlog cost only a copy)
  const read = out.summary?.read && out.summary.read > 0 ? out.summary.read : LINES;
  return {
    linesPerS: delivered / seconds,
    seconds,
    cpuPerM: (out.cpuS / read) * 1e6,
    rss: mb(out.m.peakRssKb),
    sink: out.sinkCpuS,
    note: dropNote(out.summary, drainName, LINES + 2),
    delivered,
  };
}

function dropNote(s: Summary | undefined, drain: string, expected: number): string {
  if (!s) return 'no summary line';
  const d = s.drains[drain];
  if (!d) return `no ${drain} in summary`;
  const parts: string[] = [];
  if (d.delivered < expected) parts.push(`delivered ${d.delivered}/${expected}`);
  if (d.dropped > 0)
    parts.push(
      `dropped ${d.dropped} (${Object.entries(d.reasons)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ')})`,
    );
  if (s.backlogDroppedBytes > 0) parts.push(`pipeline_backlog dropped ${s.backlogDroppedBytes} B`);
  return parts.join('; ');
}

// ---------------------------------------------------------------------------------------------
// workloads

let registered: Set<string> = new Set();

async function registeredDrains(): Promise<Set<string>> {
  const mod = (await import(pathToFileURL(join(ROOT, 'dist/drains/registry.js')).href)) as {
    DRAIN_SPECS: { id: string }[];
  };
  return new Set(mod.DRAIN_SPECS.map((s) => s.id));
}

/** Workloads 1 and 2 (HEC): the app alone, under the forwarder with the sink up, and with it stalled. */
async function appSlowdownAndThroughput(): Promise<void> {
  const drainName = registered.has('splunk_hec') ? 'splunk_hec' : 'webhook';
  const label =
    drainName === 'splunk_hec' ? 'splunk_hec (gzip)' : 'webhook (WEBHOOK_GZIP=1; splunk_hec not registered)';
  // biome-ignore lint/suspicious/noExplicitAny: either receiver
  const mk = (): HttpReceiver<any> =>
    drainName === 'splunk_hec'
      ? new SplunkHecReceiver({ tokens: [HEC_TOKEN], keepRecords: false })
      : new WebhookReceiver({ keepRecords: false, trackIds: false });
  const env = (url: string) => (drainName === 'splunk_hec' ? hecEnv(url) : webhookEnv(url));
  const up = await mk().start();
  const stalled = await mk().start();
  stalled.setFaults([{ stallMs: Number.POSITIVE_INFINITY, times: Number.POSITIVE_INFINITY }]);
  const base: number[] = [];
  const upRt: number[] = [];
  const stRt: number[] = [];
  const e2e: E2ESample[] = [];
  let stallRss = 0;
  for (let i = 0; i < RUNS; i++) {
    const b = await runBaseline([LINES_APP, String(LINES)]);
    base.push(appRuntime(b.app));
    log(`w1 run ${i + 1}/${RUNS}: baseline app ${appRuntime(b.app).toFixed(0)} ms`);

    const clock = deliveryClock(up, LINES + 2);
    const u = await runForwarder(env(up.url), [LINES_APP, String(LINES)]);
    await Promise.race([clock.done, new Promise((r) => setTimeout(r, 100))]);
    upRt.push(appRuntime(u.app));
    const sample = e2eSample(u, clock, drainName);
    e2e.push(sample);
    log(
      `w1/2 run ${i + 1}/${RUNS}: up: app ${appRuntime(u.app).toFixed(0)} ms, delivered in ${sample.seconds.toFixed(2)} s, forwarder CPU ${u.cpuS.toFixed(2)} s (sampled ${u.m.sampledCpuS.toFixed(2)} s), peak ${mb(u.m.peakRssKb).toFixed(0)} MB ${e2e[e2e.length - 1]!.note}`,
    );

    const s = await runForwarder({ ...env(stalled.url), FORWARDER_FLUSH_TIMEOUT: '1s' }, [
      LINES_APP,
      String(LINES),
    ]);
    stRt.push(appRuntime(s.app));
    stallRss = Math.max(stallRss, mb(s.m.peakRssKb));
    log(
      `w1 run ${i + 1}/${RUNS}: stalled: app ${appRuntime(s.app).toFixed(0)} ms, peak ${mb(s.m.peakRssKb).toFixed(0)} MB`,
    );
  }
  await up.close();
  await stalled.close();
  const b = median(base);
  const ru = median(upRt) / b;
  const rs = median(stRt) / b;
  extra.w1 = { baselineMs: base, upMs: upRt, stalledMs: stRt };
  rows.push({
    workload: '1',
    case: 'app alone, stdout → /dev/null',
    lines: LINES,
    seconds: b / 1000,
    linesPerS: LINES / (b / 1000),
    mbPerS: INPUT_BYTES / 1e6 / (b / 1000),
    value: `${fmt(b)} ms ±${fmt(spread(base))} (median of ${base.length})`,
  });
  rows.push({
    workload: '1',
    case: `app under forwarder, ${label} up`,
    lines: LINES,
    seconds: median(upRt) / 1000,
    linesPerS: LINES / (median(upRt) / 1000),
    value: `ratio ${ru.toFixed(3)} (app ${fmt(median(upRt))} ms ±${fmt(spread(upRt))})`,
  });
  rows.push({
    workload: '1',
    case: `app under forwarder, ${label} stalled`,
    lines: LINES,
    seconds: median(stRt) / 1000,
    linesPerS: LINES / (median(stRt) / 1000),
    peakRssMb: stallRss,
    value: `ratio ${rs.toFixed(3)} (app ${fmt(median(stRt))} ms ±${fmt(spread(stRt))})`,
    note: 'sink accepts requests and never answers; FORWARDER_FLUSH_TIMEOUT=1s',
  });
  targets.push({
    name: 'app slowdown, drain up',
    target: '≤ 1.10',
    measured: ru.toFixed(3),
    pass: ru <= 1.1,
  });
  targets.push({
    name: 'app slowdown, drain stalled',
    target: '≤ 1.10',
    measured: rs.toFixed(3),
    pass: rs <= 1.1,
  });

  const mid = e2e.sort((x, y) => x.linesPerS - y.linesPerS)[e2e.length >> 1]!;
  const lps = e2e.map((x) => x.linesPerS);
  rows.push({
    workload: '2',
    case: `end to end → ${label}, default 16 MiB buffer (the workload 1 runs)`,
    lines: LINES,
    seconds: mid.seconds,
    linesPerS: mid.linesPerS,
    mbPerS: INPUT_BYTES / 1e6 / mid.seconds,
    cpuPerMLines: median(e2e.map((x) => x.cpuPerM)),
    peakRssMb: median(e2e.map((x) => x.rss)),
    sinkCpuS: median(e2e.map((x) => x.sink)),
    value: `±${fmt(spread(lps))} lines/s over ${e2e.length} runs`,
    note: mid.note || 'nothing dropped',
  });
  extra.w2default = e2e;
}

/**
 * Workload 2 (HEC): every line delivered. The queue is sized to hold the whole input
 * (FORWARDER_BUFFER_BYTES=BENCH_E2E_BUFFER, default 2GiB), so a drain slower than the app shows
 * up as time, not as buffer_full drops; what is still dropped (pipeline backlog) is in the note.
 */
async function throughputHec(opts: { profileDir?: string } = {}): Promise<void> {
  const drainName = registered.has('splunk_hec') ? 'splunk_hec' : 'webhook';
  const label =
    drainName === 'splunk_hec' ? 'splunk_hec (gzip)' : 'webhook (WEBHOOK_GZIP=1; splunk_hec not registered)';
  // biome-ignore lint/suspicious/noExplicitAny: either receiver
  const r: HttpReceiver<any> =
    drainName === 'splunk_hec'
      ? await new SplunkHecReceiver({ tokens: [HEC_TOKEN], keepRecords: false }).start()
      : await new WebhookReceiver({ keepRecords: false, trackIds: false }).start();
  const env = {
    ...(drainName === 'splunk_hec' ? hecEnv(r.url) : webhookEnv(r.url)),
    FORWARDER_BUFFER_BYTES: E2E_BUFFER,
    FORWARDER_PIPELINE_BUFFER_BYTES: E2E_BUFFER,
    FORWARDER_FLUSH_TIMEOUT: '120s',
  };
  try {
    const runs: E2ESample[] = [];
    const n = opts.profileDir ? 1 : E2E_RUNS;
    for (let i = 0; i < n; i++) {
      const clock = deliveryClock(r, LINES + 2);
      const out = await runForwarder(env, [LINES_APP, String(LINES)], {
        ...(opts.profileDir ? { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] } : {}),
      });
      await Promise.race([clock.done, new Promise((res) => setTimeout(res, 100))]);
      const sample = e2eSample(out, clock, drainName);
      runs.push(sample);
      log(
        `w2${opts.profileDir ? ' (profiled)' : ''}: delivered ${sample.delivered} in ${sample.seconds.toFixed(2)} s = ${fmt(sample.linesPerS)} lines/s, forwarder CPU ${out.cpuS.toFixed(2)} s (sampled ${out.m.sampledCpuS.toFixed(2)} s), peak ${mb(out.m.peakRssKb).toFixed(0)} MB ${runs[i]!.note}`,
      );
    }
    if (opts.profileDir) {
      extra.profileRun = runs[0];
      return;
    }
    const mid = [...runs].sort((x, y) => x.linesPerS - y.linesPerS)[runs.length >> 1]!;
    rows.push({
      workload: '2',
      case: `end to end → ${label}, every line delivered`,
      lines: LINES,
      seconds: mid.seconds,
      linesPerS: mid.linesPerS,
      mbPerS: INPUT_BYTES / 1e6 / mid.seconds,
      cpuPerMLines: median(runs.map((x) => x.cpuPerM)),
      peakRssMb: median(runs.map((x) => x.rss)),
      sinkCpuS: median(runs.map((x) => x.sink)),
      value:
        runs.length > 1
          ? `±${fmt(spread(runs.map((x) => x.linesPerS)))} lines/s over ${runs.length} runs`
          : '1 run',
      note: `FORWARDER_BUFFER_BYTES and FORWARDER_PIPELINE_BUFFER_BYTES=${E2E_BUFFER} (hold the whole input; peak RSS reflects it); ${mid.note || 'nothing dropped'}`,
    });
    targets.push({
      name: 'end to end under run, gzip, buffers holding the burst',
      target: '≥ 300,000 lines/s',
      measured: `${fmt(mid.linesPerS)} lines/s${mid.note ? ` (${mid.note})` : ''}`,
      pass: mid.linesPerS >= 300_000 && mid.note === '',
    });
    const cpm = median(runs.map((x) => x.cpuPerM));
    targets.push({
      name: 'CPU per million lines (workload 2)',
      target: '≤ 4.5 CPU-s',
      measured: `${cpm.toFixed(2)} CPU-s`,
      pass: cpm <= 4.5,
    });
    extra.w2 = runs;
  } finally {
    await r.close();
  }
}

/**
 * Workload 9 (issue 16): each new drain alone, every line delivered to its strict loopback receiver
 * (which decodes every request in this process: protobuf for OTLP), the queue sized to hold the input.
 */
async function newDrains(): Promise<void> {
  const cases: {
    id: string;
    label: string;
    // biome-ignore lint/suspicious/noExplicitAny: each vendor's receiver
    receiver: () => HttpReceiver<any>;
    env: (url: string) => Record<string, string>;
  }[] = [
    {
      id: 'otlp',
      label: 'otlp (http/protobuf)',
      receiver: () => new OtlpReceiver({ keepRecords: false }),
      env: (url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url }),
    },
    {
      id: 'otlp',
      label: 'otlp (http/protobuf, gzip)',
      receiver: () => new OtlpReceiver({ keepRecords: false }),
      env: (url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }),
    },
    {
      id: 'otlp',
      label: 'otlp (http/json)',
      receiver: () => new OtlpReceiver({ keepRecords: false, countOnly: true }),
      env: (url) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    },
    {
      id: 'loki',
      label: 'loki (JSON, gzip)',
      receiver: () => new LokiReceiver({ keepRecords: false, countOnly: true }),
      env: (url) => ({ LOKI_URL: url }),
    },
    {
      id: 'elasticsearch',
      label: 'elasticsearch (_bulk, gzip)',
      receiver: () => new ElasticsearchReceiver({ keepRecords: false, countOnly: true }),
      env: (url) => ({ ELASTICSEARCH_URL: url }),
    },
  ];
  const only = process.env.BENCH_W9 ? new Set(process.env.BENCH_W9.split(',')) : undefined;
  const profileDir = process.env.BENCH_W9_PROFILE;
  for (const c of cases) {
    if (only && !only.has(c.id)) continue;
    if (!registered.has(c.id)) {
      rows.push({ workload: '9', case: `end to end → ${c.label}`, skipped: `${c.id} not registered` });
      continue;
    }
    const r = await c.receiver().start();
    try {
      const clock = deliveryClock(r, LINES + 2);
      const out = await runForwarder(
        {
          ...c.env(r.url),
          FORWARDER_BUFFER_BYTES: E2E_BUFFER,
          FORWARDER_PIPELINE_BUFFER_BYTES: E2E_BUFFER,
          FORWARDER_FLUSH_TIMEOUT: '120s',
        },
        [LINES_APP, String(LINES)],
        profileDir ? { nodeFlags: ['--cpu-prof', '--cpu-prof-dir', join(profileDir, c.id)] } : {},
      );
      await Promise.race([clock.done, new Promise((res) => setTimeout(res, 100))]);
      const sample = e2eSample(out, clock, c.id);
      log(
        `w9 ${c.label}: delivered ${sample.delivered} in ${sample.seconds.toFixed(2)} s = ${fmt(sample.linesPerS)} lines/s, forwarder CPU ${out.cpuS.toFixed(2)} s, sink CPU ${sample.sink.toFixed(2)} s ${sample.note}`,
      );
      rows.push({
        workload: '9',
        case: `end to end → ${c.label}, every line delivered`,
        lines: LINES,
        seconds: sample.seconds,
        linesPerS: sample.linesPerS,
        mbPerS: INPUT_BYTES / 1e6 / sample.seconds,
        cpuPerMLines: sample.cpuPerM,
        peakRssMb: sample.rss,
        sinkCpuS: sample.sink,
        note: sample.note || 'nothing dropped',
      });
      targets.push({
        name: `end to end, ${c.label}`,
        target: '≥ 250,000 lines/s',
        measured: `${fmt(sample.linesPerS)} lines/s${sample.note ? ` (${sample.note})` : ''}`,
        pass: sample.linesPerS >= 250_000 && sample.note === '',
      });
    } finally {
      await r.close();
    }
  }
}

/** Workload 2 under `node --cpu-prof`: one .cpuprofile per thread; top self-time functions. */
async function profileRun(): Promise<void> {
  const dir = join(ROOT, 'bench/.profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await throughputHec({ profileDir: dir });
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const summaries: ProfileSummary[] = files.map((f) => topSelfTime(join(dir, f), 10));
  summaries.sort((a, b) => b.totalMs - b.idleMs - (a.totalMs - a.idleMs));
  extra.profile = { dir, files, summaries };
  log(`profile: ${files.length} .cpuprofile file(s) in ${dir}`);
  for (const s of summaries) log(`\n${formatTop(s)}`);
}

/** Workload 2 (syslog): the same lines to a real rsyslog over TLS. */
async function syslogThroughput(): Promise<void> {
  if (!registered.has('syslog')) {
    rows.push({
      workload: '2',
      case: 'end to end → syslog TLS (rsyslog)',
      skipped: 'syslog drain not registered',
    });
    return;
  }
  const avail = rsyslogAvailable();
  if (!avail.ok) {
    rows.push({ workload: '2', case: 'end to end → syslog TLS (rsyslog)', skipped: `rsyslog: ${avail.why}` });
    return;
  }
  const h = await startRsyslog({});
  try {
    const clock = rsyslogClock(h, LINES + 2);
    const out = await runForwarder(
      {
        ...syslogEnv(h),
        FORWARDER_BUFFER_BYTES: E2E_BUFFER,
        FORWARDER_PIPELINE_BUFFER_BYTES: E2E_BUFFER,
        FORWARDER_FLUSH_TIMEOUT: '120s',
      },
      [LINES_APP, String(LINES)],
    );
    await Promise.race([clock.done, new Promise((r) => setTimeout(r, 10_000))]);
    clock.stop();
    await clock.done;
    const first = out.app?.firstWriteAt ?? out.app?.startedAt ?? out.m.startedAt;
    const seconds = (clock.lastAt() - first) / 1000;
    const delivered = Math.min(LINES, clock.count());
    rows.push({
      workload: '2',
      case: `end to end → syslog TLS (rsyslog ${avail.version ?? ''})`,
      lines: LINES,
      seconds,
      linesPerS: delivered / seconds,
      mbPerS: INPUT_BYTES / 1e6 / seconds,
      cpuPerMLines: (out.cpuS / (out.summary?.read || LINES)) * 1e6,
      peakRssMb: mb(out.m.peakRssKb),
      value: `rsyslog wrote ${clock.count()} records`,
      note: `${dropNote(out.summary, 'syslog', LINES + 2) || 'nothing dropped'}; includes rsyslogd's own parsing and JSON file output on the same 2 cores`,
    });
  } finally {
    await h.dispose();
  }
}

/** Workload 3: four drains at once. */
async function fanOut(): Promise<void> {
  const env: Record<string, string> = {};
  const names: string[] = [];
  const missing: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: any receiver
  const receivers: { id: string; r: HttpReceiver<any> }[] = [];
  let h: RsyslogHarness | undefined;
  if (registered.has('splunk_hec')) {
    const r = await new SplunkHecReceiver({ tokens: [HEC_TOKEN], keepRecords: false }).start();
    receivers.push({ id: 'splunk_hec', r });
    Object.assign(env, hecEnv(r.url));
    names.push('splunk_hec');
  } else missing.push('splunk_hec');
  if (registered.has('datadog')) {
    const r = await new DatadogReceiver({ apiKeys: [DD_KEY], keepRecords: false }).start();
    receivers.push({ id: 'datadog', r });
    Object.assign(env, ddEnv(r.url));
    names.push('datadog');
  } else missing.push('datadog');
  {
    const r = await new WebhookReceiver({ keepRecords: false, trackIds: false }).start();
    receivers.push({ id: 'webhook', r });
    Object.assign(env, webhookEnv(r.url));
    names.push('webhook (gzip)');
  }
  if (registered.has('syslog') && rsyslogAvailable().ok) {
    h = await startRsyslog({});
    Object.assign(env, syslogEnv(h));
    names.push('syslog TLS (rsyslog)');
  } else missing.push(registered.has('syslog') ? 'syslog (rsyslog not installed)' : 'syslog');
  try {
    const clocks = receivers.map(({ id, r }) => ({ id, c: deliveryClock(r, LINES + 2) }));
    const sys = h ? rsyslogClock(h, LINES + 2) : undefined;
    const out = await runForwarder(
      {
        ...env,
        FORWARDER_BUFFER_BYTES: E2E_BUFFER,
        FORWARDER_PIPELINE_BUFFER_BYTES: E2E_BUFFER,
        FORWARDER_FLUSH_TIMEOUT: '120s',
      },
      [LINES_APP, String(LINES)],
    );
    await Promise.race([
      Promise.all([...clocks.map((c) => c.c.done), sys?.done]),
      new Promise((r) => setTimeout(r, 10_000)),
    ]);
    sys?.stop();
    await sys?.done;
    const first = out.app?.firstWriteAt ?? out.app?.startedAt ?? out.m.startedAt;
    const last = Math.max(...clocks.map((c) => c.c.lastAt()), sys?.lastAt() ?? 0);
    const seconds = (last - first) / 1000;
    const per = clocks.map((c) => `${c.id} ${((c.c.lastAt() - first) / 1000).toFixed(2)} s`);
    if (sys) per.push(`syslog ${((sys.lastAt() - first) / 1000).toFixed(2)} s`);
    const notes = ['splunk_hec', 'datadog', 'webhook', 'syslog']
      .map((d) =>
        out.summary?.drains[d] ? `${d}: ${dropNote(out.summary, d, LINES + 2) || 'all delivered'}` : '',
      )
      .filter(Boolean);
    rows.push({
      workload: '3',
      case: `fan-out: ${names.join(' + ')}`,
      lines: LINES,
      seconds,
      linesPerS: LINES / seconds,
      mbPerS: INPUT_BYTES / 1e6 / seconds,
      cpuPerMLines: (out.cpuS / (out.summary?.read || LINES)) * 1e6,
      peakRssMb: mb(out.m.peakRssKb),
      sinkCpuS: out.sinkCpuS,
      value: `last delivery: ${per.join(', ')}`,
      note: `${notes.join('; ')}${missing.length ? `; not available: ${missing.join(', ')}` : ''}`,
    });
  } finally {
    for (const { r } of receivers) await r.close();
    await h?.dispose();
  }
}

/**
 * Workload 10: what structured reading costs a user end to end: the built CLI's `pipe` reads a
 * file of lines into the file drain (written to /dev/null), structured reading on and off, run
 * alternately; the forwarder's own CPU time (user + system, from the shell's `times`) per line.
 * Unlike workload 4's lane rows this includes what reading changes downstream: a JSON line read
 * for its fields is sent as its message plus the record's own text, one read as text has all of
 * it escaped into its message.
 */
async function structuredEndToEnd(): Promise<void> {
  const n = envNum('BENCH_STRUCTURED_LINES', 500_000);
  const rounds = envNum('BENCH_STRUCTURED_ROUNDS', 3);
  const now = Date.now();
  const kinds: Record<string, (i: number) => string> = {
    plain: (i) => `worker ${i & 7} app line=${String(i).padStart(9, '0')} ${'x'.repeat(60)} done`,
    'pino JSON': (i) =>
      `{"level":30,"time":${now - 60_000 + (i >> 10)},"pid":4242,"hostname":"web-1","reqId":"req-${i}","res":{"statusCode":200},"responseTime":12.5,"msg":"request completed"}`,
    'zap JSON with trace ids': (i) =>
      `{"level":"info","ts":${(now - 60_000 + (i >> 10)) / 1000},"caller":"main.go:42","msg":"request ${i}","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"}`,
    logfmt: (i) =>
      `time=${new Date(now - 60_000).toISOString()} level=info msg="request ${i}" method=GET path=/orders status=200`,
  };
  for (const [kind, make] of Object.entries(kinds)) {
    const file = join(WORK, `structured-${kind.replace(/\W+/g, '-')}.log`);
    writeFileSync(file, `${Array.from({ length: n }, (_, i) => make(i)).join('\n')}\n`);
    const cpu = { on: [] as number[], off: [] as number[] };
    for (let r = 0; r < rounds; r++)
      for (const mode of r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const m = await measure(['sh', '-c', 'exec "$0" "$1" pipe < "$2"', NODE, CLI, file], {
          env: baseEnv({
            FORWARDER_FILE: '/dev/null',
            FORWARDER_STRUCTURED: mode === 'on' ? 'true' : 'false',
          }),
        });
        if (m.code !== 0) throw new Error(`pipe exited ${m.code}: ${m.stderr.slice(-500)}`);
        cpu[mode].push(m.childrenCpuS);
      }
    const perLineNs = (s: number): number => (s / n) * 1e9;
    const pairs = cpu.on.map((on, i) => perLineNs(on - cpu.off[i]!));
    const extraMin = perLineNs(Math.min(...cpu.on) - Math.min(...cpu.off));
    rows.push({
      workload: '10',
      case: `structured reading end to end (pipe → file drain): ${kind} lines`,
      lines: n,
      cpuPerMLines: (Math.min(...cpu.on) / n) * 1e6,
      value: `${extraMin >= 0 ? '+' : ''}${extraMin.toFixed(0)} CPU ns/line (lowest on − lowest off of ${rounds} runs each; median of the pairs ${median(pairs).toFixed(0)})`,
      note: `forwarder CPU ${Math.min(...cpu.off).toFixed(2)} → ${Math.min(...cpu.on).toFixed(2)} s for ${n} lines`,
    });
    log(
      `w10 ${kind}: on ${cpu.on.map((x) => x.toFixed(2)).join(' ')} s, off ${cpu.off.map((x) => x.toFixed(2)).join(' ')} s`,
    );
  }
}

/** Workload 4: per-line stage costs, in a fresh process. */
function perLine(): void {
  const out = execFileSync(NODE, [join(ROOT, 'node_modules/.cache/forwarder-bench/pipeline.bench.mjs')], {
    env: { ...process.env, BENCH_ROOT: ROOT },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out) as {
    lines: number;
    events: number;
    bytes: number;
    sources: Record<string, number>;
    nsPerLine: Record<string, number>;
    encodeNsPerLine: Record<string, number>;
    gzipNsPerLine: Record<string, number>;
    gzipLevel: number;
    controlNsPerLine?: Record<string, number>;
    structuredNsPerLine?: Record<string, number>;
  };
  extra.w4 = r;
  const corpus = `${fmt(r.lines)} lines → ${fmt(r.events)} events, ${fmt(r.bytes / r.lines, 0)} B/line avg`;
  for (const [stage, ns] of Object.entries(r.nsPerLine)) {
    rows.push({
      workload: '4',
      case: stage === 'pipeline' ? 'pipeline, all stages (Pipeline.write)' : `stage: ${stage}`,
      linesPerS: 1e9 / ns,
      value: `${ns.toFixed(0)} ns/line`,
      note: stage === 'pipeline' ? corpus : '',
    });
  }
  for (const [id, ns] of Object.entries(r.encodeNsPerLine)) {
    const gz = r.gzipNsPerLine[id];
    rows.push({
      workload: '4',
      case: `encode: ${id}`,
      linesPerS: 1e9 / ns,
      value: `${ns.toFixed(0)} ns/line${gz !== undefined ? `; gzip -${r.gzipLevel} of its batches ${gz.toFixed(0)} ns/line` : ''}`,
    });
  }
  const st = r.structuredNsPerLine ?? {};
  for (const kind of [
    'plain',
    'plain_iso_header',
    'plain_capital',
    'syslog_header',
    'go_header',
    'json_pino',
    'json_trace',
    'logfmt',
  ]) {
    const extra = st[`${kind}_extra`];
    const on = st[`${kind}_on`];
    const off = st[`${kind}_off`];
    if (extra === undefined || on === undefined || off === undefined) continue;
    const parse = st[`${kind}_parse`];
    const ns = (x: number): string => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(0)}`;
    rows.push({
      workload: '4',
      case: `structured events: ${kind.replace(/_/g, ' ')} lines`,
      linesPerS: 1e9 / on,
      value: `${ns(extra)} CPU ns/line (IQR ${ns(st[`${kind}_q1`]!)}…${ns(st[`${kind}_q3`]!)}; ${off.toFixed(0)} → ${on.toFixed(0)})${
        parse === undefined
          ? ''
          : `; JSON.parse of the same line ${parse.toFixed(0)} CPU ns (×${(extra / parse).toFixed(2)})`
      }`,
      note: `whole lane, structured reading off → on: median of ${st[`${kind}_pairs`]} paired runs (ABBA) in ${st.procs} processes (their medians ${ns(st[`${kind}_proc_min`]!)}…${ns(st[`${kind}_proc_max`]!)}); load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    });
  }
  for (const [name, ns] of Object.entries(r.controlNsPerLine ?? {})) {
    rows.push({
      workload: '4',
      case:
        name === 'pipeline_for_scale'
          ? 'pipeline, all stages, in CPU time (the scale for the per-drain control rows)'
          : `per-drain control: ${name.replace(/_/g, ' ')}`,
      linesPerS: 1e9 / ns,
      value: `${ns.toFixed(0)} CPU ns/line`,
      note:
        name === 'all_together'
          ? 'FORWARDER_REDACT=default + min level, a 2-condition filter, 50% sampling'
          : '',
    });
  }
}

/** Workload 5: a drain that is down for the whole run, default buffer. */
async function memoryBound(): Promise<void> {
  const { freePort } = await import('../test/receivers/rsyslog.js');
  const port = await freePort(); // nothing listens: connection refused
  const drainName = registered.has('splunk_hec') ? 'splunk_hec' : 'webhook';
  const url = `http://127.0.0.1:${port}`;
  const env = drainName === 'splunk_hec' ? hecEnv(url) : webhookEnv(url);
  // the fixed cost first: the same configuration, an app that writes one line and idles 1 s
  const idle = await runForwarder({ ...env, FORWARDER_FLUSH_TIMEOUT: '1s' }, [
    '-e',
    "console.log('idle'); setTimeout(() => {}, 1000)",
  ]);
  const out = await runForwarder({ ...env, FORWARDER_FLUSH_TIMEOUT: '1s' }, [LINES_APP, String(LINES)]);
  const s = out.summary;
  const d = s?.drains[drainName];
  const events = LINES + 2; // + started, exited
  // Every event is dropped by the dead drain, except the lines the pipeline never saw (dropped at
  // the backlog, counted in lines) — plus the notice events that reported those.
  const expected = s ? events - s.backlogDroppedLines + s.backlogNotices : Number.NaN;
  const exact = d !== undefined && d.delivered === 0 && d.dropped === expected;
  const baseline = mb(idle.m.peakRssKb);
  const peak = mb(out.m.peakRssKb);
  rows.push({
    workload: '5',
    case: `${drainName} down (connection refused), 16 MiB buffer`,
    lines: LINES,
    cpuPerMLines: (out.cpuS / (out.summary?.read || LINES)) * 1e6,
    peakRssMb: peak,
    value: `idle ${baseline.toFixed(0)} MB; dropped ${d?.dropped ?? '?'} events + ${s?.backlogDroppedLines ?? 0} lines at the backlog, of ${events} (${Object.entries(
      d?.reasons ?? {},
    )
      .map(([r, n]) => `${r} ${n}`)
      .join(', ')}), delivered ${d?.delivered ?? '?'}`,
    note: `idle forwarder (same config, app idles 1 s) peaks at ${baseline.toFixed(0)} MB: peak − idle = ${(peak - baseline).toFixed(0)} MB for a 16 MiB buffer (+ the 8 MiB pipeline buffer); read ${s?.read ?? '?'} lines${s?.backlogDroppedBytes ? `, pipeline_backlog dropped ${s.backlogDroppedLines} lines (${s.backlogDroppedBytes} B, ${s.backlogNotices} notices)` : ''}`,
  });
  targets.push({
    name: 'peak RSS, dead drain, default buffer',
    target: '≤ 110 MB',
    measured: `${peak.toFixed(0)} MB`,
    pass: peak <= 110,
  });
  await shippedForms(env);
  targets.push({
    name: 'drop count = what was not delivered',
    target: `drain dropped + backlog lines − backlog notices = ${events}, delivered 0`,
    measured: `drain dropped ${d?.dropped ?? '?'} + backlog ${s?.backlogDroppedLines ?? '?'} − notices ${s?.backlogNotices ?? '?'} = ${d && s ? d.dropped + s.backlogDroppedLines - s.backlogNotices : '?'}, delivered ${d?.delivered ?? '?'}`,
    pass: exact,
  });
}

/** The executable, built from this tree for this run (once), unless BENCH_PACKAGE=0. */
let seaState: boolean | undefined;
function seaBuilt(): boolean {
  if (seaState === undefined) {
    if (process.env.BENCH_PACKAGE !== '0') {
      try {
        execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'ignore' });
      } catch (err) {
        log(`npm run package failed: ${String(err).slice(0, 300)}`);
      }
    }
    seaState = existsSync(SEA) && statSync(SEA).mtimeMs >= statSync(BUNDLE).mtimeMs;
  }
  return seaState;
}

/**
 * Workload 5, the forms people run (issue 15): idle RSS with one HTTP drain (the app sleeps 2 s)
 * and the dead-drain peak, for the bundle (the image) and the executable (`npm run package`, when
 * built after the bundle), interleaved with node's own idle RSS.
 */
async function shippedForms(drainEnv: Record<string, string>): Promise<void> {
  const forms: { name: string; argv: string[] }[] = [{ name: 'the bundle', argv: [NODE, BUNDLE] }];
  if (seaBuilt()) forms.push({ name: 'the executable', argv: [SEA] });
  const env = baseEnv({ ...drainEnv, FORWARDER_FLUSH_TIMEOUT: '1s' });
  const sleeper = [NODE, '-e', 'setTimeout(() => {}, 2000)'];
  const nodeIdle: number[] = [];
  for (const form of forms) {
    const idle: number[] = [];
    for (let i = 0; i < 3; i++) {
      nodeIdle.push(mb((await measure(sleeper, { env })).peakRssKb));
      idle.push(mb((await measure([...form.argv, 'run', '--', ...sleeper], { env })).peakRssKb));
    }
    const dead = await measure([...form.argv, 'run', '--', NODE, LINES_APP, String(LINES)], { env });
    const idleMb = median(idle);
    rows.push({
      workload: '5',
      case: `${form.name}: idle with one HTTP drain; dead drain, ${fmt(LINES)}-line burst`,
      peakRssMb: mb(dead.peakRssKb),
      value: `idle ${idleMb.toFixed(0)} MB (node alone ${median(nodeIdle).toFixed(0)} MB); dead-drain peak ${mb(dead.peakRssKb).toFixed(0)} MB`,
      note: 'idle: the app sleeps 2 s, median of 3 (VmHWM); default buffers',
    });
    targets.push({
      name: `idle RSS, one HTTP drain (${form.name})`,
      target: '≤ 64 MB',
      measured: `${idleMb.toFixed(0)} MB (node alone: ${median(nodeIdle).toFixed(0)} MB)`,
      pass: idleMb <= 64,
    });
    targets.push({
      name: `peak RSS, dead drain, default buffers (${form.name})`,
      target: '≤ 110 MB',
      measured: `${mb(dead.peakRssKb).toFixed(0)} MB`,
      pass: mb(dead.peakRssKb) <= 110,
    });
  }
}

/**
 * Workload 8 (issue 15): `forwarder pipe < file` and `forwarder tail --from-beginning file` with
 * default settings (when_full=block: 8 MiB pipeline backlog, 16 MiB queue) to the gzip HEC sink.
 * Every line must arrive; the rate is lines over the time from spawn to the last record received,
 * CPU is the forwarder's own (bash `times`), peak RSS its VmHWM.
 */
async function deliverAllDefaults(): Promise<void> {
  const drainName = registered.has('splunk_hec') ? 'splunk_hec' : 'webhook';
  // biome-ignore lint/suspicious/noExplicitAny: either receiver
  const r: HttpReceiver<any> =
    drainName === 'splunk_hec'
      ? await new SplunkHecReceiver({ tokens: [HEC_TOKEN], keepRecords: false }).start()
      : await new WebhookReceiver({ keepRecords: false, trackIds: false }).start();
  const file = join(WORK, 'deliver-all.log');
  const fd = openSync(file, 'w');
  execFileSync(NODE, [LINES_APP, String(LINES)], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const env = baseEnv(drainName === 'splunk_hec' ? hecEnv(r.url) : webhookEnv(r.url));
  // tail's agent_id defaults to CONTAINER_NAME: the same 4-character default as pipe's on every
  // machine, so that both ship the same records (a 23-character name made tail's ~7% longer)
  delete env.CONTAINER_NAME;
  try {
    const cases: { mode: string; argv: string[]; expected: number; stop: boolean }[] = [
      // stdin is the file itself: no `cat` in the measured process tree
      {
        mode: 'pipe',
        argv: ['sh', '-c', 'f=$1; shift; exec "$@" pipe < "$f"', 'sh', file, NODE, CLI],
        expected: LINES + 2,
        stop: false,
      },
      // + started and followed; stopped (SIGTERM) once every line has arrived
      { mode: 'tail', argv: [NODE, CLI, 'tail', '--from-beginning', file], expected: LINES + 2, stop: true },
    ];
    const profileDir = process.env.BENCH_W8_PROFILE;
    if (profileDir)
      for (const c of cases)
        c.argv.splice(c.argv.indexOf(CLI), 0, '--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    const only = process.env.BENCH_W8?.split(',');
    const ab = process.env.BENCH_W8_AB;
    if (ab) {
      // old and new alternately, so that a machine whose load changes treats both alike
      const rounds = envNum('BENCH_W8_ROUNDS', 3);
      const builds = [
        { name: 'A', cli: ab },
        { name: 'B', cli: CLI },
      ];
      for (const c of cases) {
        if (only && !only.includes(c.mode)) continue;
        for (let i = 0; i < rounds; i++)
          for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
            const argv = c.argv.map((a) => (a === CLI ? b.cli : a));
            const m = await deliverAllOnce(r, { ...c, argv }, env);
            log(`w8 ${c.mode} ${b.name} (${b.cli}): ${m.text} · ${loadavg()[0]!.toFixed(2)} load`);
          }
      }
      return;
    }
    // each case BENCH_W8_RUNS times (default 3), the median run reported: on this shared 2-core
    // machine one run of the same build ranges ~250,000–380,000 lines/s from minute to minute
    const runs = envNum('BENCH_W8_RUNS', 3);
    for (const c of cases) {
      if (only && !only.includes(c.mode)) continue;
      const samples: {
        delivered: number;
        seconds: number;
        linesPerS: number;
        cpuPerM: number;
        peakRssKb: number;
        note: string;
      }[] = [];
      for (let i = 0; i < runs; i++) {
        const clock = deliveryClock(r, c.expected);
        let pid = 0;
        const run = measure(c.argv, { env, onPid: (p) => (pid = p) });
        if (c.stop) {
          await clock.done;
          if (pid) process.kill(pid, 'SIGTERM');
        }
        const m = await run;
        await Promise.race([clock.done, new Promise((res) => setTimeout(res, 100))]);
        const s = parseSummary(m.stderr);
        const delivered = clock.count();
        const seconds = (clock.lastAt() - m.startedAt) / 1000;
        const linesPerS = Math.min(delivered, LINES) / seconds;
        const cpuPerM = (m.childrenCpuS / LINES) * 1e6;
        const note = dropNote(s, drainName, c.expected);
        log(
          `w8 ${c.mode} run ${i + 1}/${runs}: delivered ${delivered} in ${seconds.toFixed(2)} s = ${fmt(linesPerS)} lines/s, CPU ${m.childrenCpuS.toFixed(2)} s, peak ${mb(m.peakRssKb).toFixed(0)} MB ${note}`,
        );
        samples.push({ delivered, seconds, linesPerS, cpuPerM, peakRssKb: m.peakRssKb, note });
      }
      const byRate = [...samples].sort((a, b) => a.linesPerS - b.linesPerS);
      const { delivered, seconds, linesPerS, cpuPerM } = byRate[byRate.length >> 1]!;
      // every run must have delivered all: a drop in any run is the case's note
      const note = samples.map((x) => x.note).find((n) => n !== '') ?? '';
      const peakRssKb = Math.max(...samples.map((x) => x.peakRssKb));
      const range = `${fmt(byRate[0]!.linesPerS)}–${fmt(byRate[byRate.length - 1]!.linesPerS)}`;
      rows.push({
        workload: '8',
        case: `${c.mode} → ${drainName} (gzip), default buffers, every line delivered`,
        lines: LINES,
        seconds,
        linesPerS,
        mbPerS: INPUT_BYTES / 1e6 / seconds,
        cpuPerMLines: cpuPerM,
        peakRssMb: mb(peakRssKb),
        value: `delivered ${delivered} of ${c.expected}; median of ${runs} runs (${range} lines/s)`,
        note: `when_full=block (the default for ${c.mode}); ${note || 'nothing dropped'}`,
      });
      targets.push({
        name: `${c.mode}: every line delivered with defaults, rate`,
        target: '≥ 300,000 lines/s, all delivered',
        measured: `${fmt(linesPerS)} lines/s${note ? ` (${note})` : ''}`,
        pass: linesPerS >= 300_000 && note === '',
      });
      targets.push({
        name: `${c.mode}: CPU per million lines`,
        target: '≤ 4.5 CPU-s',
        measured: `${cpuPerM.toFixed(2)} CPU-s`,
        pass: cpuPerM <= 4.5,
      });
    }
  } finally {
    rmSync(file, { force: true });
    await r.close();
  }
}

/** One run of a workload-8 case, for the A/B comparison: rate, CPU per million lines, the sink's CPU. */
async function deliverAllOnce(
  // biome-ignore lint/suspicious/noExplicitAny: either receiver
  r: HttpReceiver<any>,
  c: { mode: string; argv: string[]; expected: number; stop: boolean },
  env: NodeJS.ProcessEnv,
): Promise<{ text: string }> {
  const clock = deliveryClock(r, c.expected);
  const sink0 = process.cpuUsage();
  const requests0 = r.requests.length;
  const bytes0 = r.requests.reduce((n, q) => n + q.rawBytes, 0);
  let pid = 0;
  // when the forwarder had read as many bytes as the input holds (/proc/<pid>/io rchar, which also
  // counts its module files: a little early): the rest of the run is the drains catching up
  let readAllAt = 0;
  const readWatch = setInterval(() => {
    if (pid === 0 || readAllAt !== 0) return;
    try {
      const rchar = Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
      if (rchar >= INPUT_BYTES) readAllAt = Date.now();
    } catch {}
  }, 20);
  const run = measure(c.argv, { env, onPid: (p) => (pid = p) });
  if (c.stop) {
    await clock.done;
    if (pid) process.kill(pid, 'SIGTERM');
  }
  const m = await run;
  clearInterval(readWatch);
  await Promise.race([clock.done, new Promise((res) => setTimeout(res, 100))]);
  const sink = process.cpuUsage(sink0);
  const requests = r.requests.length - requests0;
  const sentBytes = r.requests.reduce((n, q) => n + q.rawBytes, 0) - bytes0;
  const seconds = (clock.lastAt() - m.startedAt) / 1000;
  const delivered = clock.count();
  const note = dropNote(
    parseSummary(m.stderr),
    registered.has('splunk_hec') ? 'splunk_hec' : 'webhook',
    c.expected,
  );
  return {
    text: `delivered ${delivered} in ${seconds.toFixed(2)} s = ${fmt(Math.min(delivered, LINES) / seconds)} lines/s (input read at ${readAllAt ? ((readAllAt - m.startedAt) / 1000).toFixed(2) : '?'} s), ${((m.childrenCpuS / LINES) * 1e6).toFixed(2)} CPU-s/M, sink ${((sink.user + sink.system) / 1e6).toFixed(2)} CPU-s, ${requests} requests (${(sentBytes / 1e6).toFixed(1)} MB), peak ${mb(m.peakRssKb).toFixed(0)} MB ${note}`,
  };
}

/** Workload 6: `forwarder run -- true` against `true`. */
async function startup(): Promise<void> {
  const r = await new SplunkHecReceiver({ tokens: [HEC_TOKEN], keepRecords: false }).start();
  const t: number[] = [];
  const fNone: number[] = [];
  const fDrain: number[] = [];
  const TRUE = '/bin/true';
  const once = async (argv: string[], env: NodeJS.ProcessEnv): Promise<number> => {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const c = spawn(argv[0]!, argv.slice(1), { env, stdio: 'ignore' });
      c.on('close', () => resolve());
    });
    return performance.now() - t0;
  };
  const drainEnv = registered.has('splunk_hec') ? hecEnv(r.url) : webhookEnv(r.url);
  const nodeRuns: number[] = [];
  const sea = seaBuilt();
  const seaNone: number[] = [];
  const seaDrain: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    t.push(await once([TRUE], baseEnv({})));
    nodeRuns.push(await once([NODE, '-e', '0'], baseEnv({})));
    fNone.push(await once([NODE, BUNDLE, 'run', '--', TRUE], baseEnv({})));
    fDrain.push(await once([NODE, BUNDLE, 'run', '--', TRUE], baseEnv(drainEnv)));
    if (sea) {
      seaNone.push(await once([SEA, 'run', '--', TRUE], baseEnv({})));
      seaDrain.push(await once([SEA, 'run', '--', TRUE], baseEnv(drainEnv)));
    }
  }
  // CPU per run (bash `times`: the process and all it reaped), which load moves far less than the
  // wall-clock times above: what start-up costs, told apart from how long it waited for a core
  const cpuMs = async (argv: string[], env: NodeJS.ProcessEnv): Promise<number> =>
    (await measure(argv, { env })).childrenCpuS * 1000;
  const cpu = { node: [] as number[], bundle: [] as number[], sea: [] as number[] };
  for (let i = 0; i < STARTUP_CPU_RUNS; i++) {
    cpu.node.push(await cpuMs([NODE, '-e', '0'], baseEnv({})));
    cpu.bundle.push(await cpuMs([NODE, BUNDLE, 'run', '--', TRUE], baseEnv(drainEnv)));
    if (sea) cpu.sea.push(await cpuMs([SEA, 'run', '--', TRUE], baseEnv(drainEnv)));
  }
  const cpuNote = (xs: number[]): string =>
    `CPU ${median(xs).toFixed(0)} ms per run (\`node -e 0\`: ${median(cpu.node).toFixed(0)} ms; bash \`times\`, median of ${xs.length})`;
  await r.close();
  const base = median(t);
  const nodeBase = median(nodeRuns);
  const none = median(fNone) - nodeBase;
  const drain = median(fDrain) - nodeBase;
  rows.push({ workload: '6', case: '`true` alone', value: `${base.toFixed(1)} ms (median of ${t.length})` });
  rows.push({
    workload: '6',
    case: '`node -e 0`',
    value: `${nodeBase.toFixed(0)} ms (median of ${nodeRuns.length})`,
  });
  const runRows: [string, number[]][] = [
    ['the bundle', fNone],
    ['the bundle', fDrain],
    ...(sea
      ? ([
          ['the executable', seaNone],
          ['the executable', seaDrain],
        ] as [string, number[]][])
      : []),
  ];
  for (const [i, [form, xs]] of runRows.entries())
    rows.push({
      workload: '6',
      case: `\`forwarder run -- true\` (${form}), ${i % 2 === 0 ? 'no drain' : 'one HTTP drain'}`,
      value: `${median(xs).toFixed(0)} ms: node +${(median(xs) - nodeBase).toFixed(0)} ms ±${spread(xs).toFixed(0)}`,
      note:
        i % 2 === 0
          ? ''
          : `includes starting the pipeline and flushing the started/exited events; ${cpuNote(form === 'the bundle' ? cpu.bundle : cpu.sea)}`,
    });
  targets.push({
    name: '`run -- true` with one drain (the bundle)',
    target: '≤ node + 80 ms',
    measured: `node +${drain.toFixed(0)} ms (no drain: node +${none.toFixed(0)} ms; CPU ${median(cpu.bundle).toFixed(0)} ms per run, node ${median(cpu.node).toFixed(0)} ms)`,
    pass: drain <= 80,
  });
  if (sea)
    targets.push({
      name: '`run -- true` with one drain (the executable)',
      target: '≤ node + 80 ms',
      measured: `node +${(median(seaDrain) - nodeBase).toFixed(0)} ms (no drain: node +${(median(seaNone) - nodeBase).toFixed(0)} ms; CPU ${median(cpu.sea).toFixed(0)} ms per run, node ${median(cpu.node).toFixed(0)} ms)`,
      pass: median(seaDrain) - nodeBase <= 80,
    });
  // Spawn first: from our exec to the app's first instruction, against node's own start-up (exec
  // to its first instruction), interleaved in the same run. Both print the wall clock in ns.
  const r2 = await new SplunkHecReceiver({ tokens: [HEC_TOKEN], keepRecords: false }).start();
  const nowNs =
    'process.stdout.write(String(BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n))';
  const startAt = async (argv: string[], env: NodeJS.ProcessEnv): Promise<number> => {
    const t0 = performance.timeOrigin + performance.now();
    const out = await new Promise<string>((resolve) => {
      const c = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let text = '';
      c.stdout.on('data', (b: Buffer) => (text += b.toString()));
      c.on('close', () => resolve(text));
    });
    return Number(/(\d{16,})/.exec(out)![1]) / 1e6 - t0;
  };
  const nodeUp: number[] = [];
  const appUp: number[] = [];
  const appUpDrain: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    nodeUp.push(await startAt([NODE, '-e', nowNs], baseEnv({})));
    appUp.push(await startAt([NODE, BUNDLE, 'run', '--', 'date', '+%s%N'], baseEnv({})));
    appUpDrain.push(await startAt([NODE, BUNDLE, 'run', '--', 'date', '+%s%N'], baseEnv(hecEnv(r2.url))));
  }
  await r2.close();
  const late = median(appUp) - median(nodeUp);
  const lateDrain = median(appUpDrain) - median(nodeUp);
  rows.push({
    workload: '6',
    case: "app start under `forwarder run` vs node's own start-up",
    value: `node ${median(nodeUp).toFixed(0)} ms; app ${median(appUp).toFixed(0)} ms (+${late.toFixed(0)}), one HTTP drain ${median(appUpDrain).toFixed(0)} ms (+${lateDrain.toFixed(0)})`,
    note: 'exec to first instruction, medians of interleaved runs; the app is `date +%s%N`',
  });
  targets.push({
    name: 'app start after node start-up (spawn first)',
    target: '≤ +15 ms',
    measured: `+${late.toFixed(0)} ms (one HTTP drain: +${lateDrain.toFixed(0)} ms)`,
    pass: late <= 15 && lateDrain <= 15,
  });
}

/** Workload 7: write-to-sink latency at 1,000 lines/s with the default batch wait. */
async function latency(): Promise<void> {
  const useHec = registered.has('splunk_hec');
  const r = useHec
    ? await new SplunkHecReceiver({ tokens: [HEC_TOKEN] }).start()
    : await new WebhookReceiver({}).start();
  const total = LATENCY_RATE * LATENCY_S;
  const arrivals: number[] = [];
  let stamped = 0;
  const messageOf = (rec: unknown): string =>
    useHec
      ? String((rec as { event?: { message?: string } }).event?.message ?? '')
      : String((rec as { message: string }).message);
  const latencies: number[] = [];
  const done = r
    .waitFor(
      () => {
        const now = Date.now();
        for (; stamped < r.records.length; stamped++) {
          const m = /\bt=(\d+\.\d+)/.exec(messageOf(r.records[stamped]));
          if (m) latencies.push(now - Number(m[1]));
          arrivals.push(now);
        }
        return latencies.length >= total;
      },
      (LATENCY_S + 60) * 1000,
    )
    .catch(() => undefined);
  const out = await runForwarder(useHec ? hecEnv(r.url) : webhookEnv(r.url), [
    PACED_APP,
    String(LATENCY_RATE),
    String(LATENCY_S),
  ]);
  await Promise.race([done, new Promise((res) => setTimeout(res, 2000))]);
  await r.close();
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  rows.push({
    workload: '7',
    case: `latency at ${fmt(LATENCY_RATE)} lines/s for ${LATENCY_S} s → ${useHec ? 'splunk_hec' : 'webhook'}`,
    lines: latencies.length,
    peakRssMb: mb(out.m.peakRssKb),
    value: `p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    note: `default FORWARDER_BATCH_WAIT (1 s); ${latencies.length}/${total} lines measured; write time embedded in each line; forwarder CPU ${out.cpuS.toFixed(2)} s in all`,
  });
  targets.push({
    name: 'p99 latency at 1,000 lines/s',
    target: '≤ 1,200 ms',
    measured: `${p99.toFixed(0)} ms (p50 ${p50.toFixed(0)} ms)`,
    pass: p99 <= 1200,
  });
}

// ---------------------------------------------------------------------------------------------
// report

function machine(): Record<string, string> {
  const git = (args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  let load = '?';
  try {
    load = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    // no uptime
  }
  const dirty = git(['status', '--porcelain', '--', 'src']) !== '' ? ' (src has uncommitted changes)' : '';
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? '?',
    cores: String(cpus().length),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty}`,
    input: `${fmt(LINES)} lines × ~${(INPUT_BYTES / LINES).toFixed(0)} B (${(INPUT_BYTES / 1e6).toFixed(0)} MB), fixtures/apps/lines.mjs`,
    date: new Date().toISOString(),
    load,
  };
}

function table(): string {
  const head = [
    '#',
    'case',
    'lines/s',
    'MB/s',
    'CPU-s/M lines read',
    'peak RSS MB',
    'sink CPU-s',
    'result',
    'note',
  ];
  const body = rows.map((r) =>
    r.skipped
      ? [r.workload, r.case, '–', '–', '–', '–', '–', 'SKIPPED', r.skipped]
      : [
          r.workload,
          r.case,
          fmt(r.linesPerS),
          fmt(r.mbPerS, 1),
          fmt(r.cpuPerMLines, 2),
          fmt(r.peakRssMb),
          fmt(r.sinkCpuS, 1),
          r.value ?? '',
          r.note ?? '',
        ],
  );
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...body.map((cells) => `| ${cells.map(esc).join(' | ')} |`),
  ].join('\n');
}

function targetList(): string {
  return targets
    .map(
      (t) =>
        `- **${t.pass === undefined ? 'N/A' : t.pass ? 'PASS' : 'MISS'}** ${t.name}: ${t.measured} (target ${t.target})`,
    )
    .join('\n');
}

async function main(): Promise<void> {
  registered = await registeredDrains();
  const m = machine();
  log(`${m.node}, ${m.cpu} × ${m.cores}, ${m.commit}; ${m.input}; drains: ${[...registered].join(', ')}`);
  log(`load: ${m.load}`);
  const t0 = Date.now();
  const step = async (w: number, name: string, fn: () => Promise<void> | void): Promise<void> => {
    if (!want(w)) return;
    const s = Date.now();
    log(`workload ${w}: ${name}`);
    try {
      await fn();
    } catch (err) {
      rows.push({ workload: String(w), case: name, skipped: `failed: ${String(err).slice(0, 300)}` });
      log(`workload ${w} failed: ${(err as Error).stack ?? String(err)}`);
    }
    log(`workload ${w} took ${((Date.now() - s) / 1000).toFixed(1)} s`);
  };
  await step(1, 'app slowdown', appSlowdownAndThroughput);
  await step(2, 'HEC throughput, every line delivered', () => throughputHec());
  if (PROFILE) await step(2, 'profile (--cpu-prof)', profileRun);
  await step(2, 'syslog TLS throughput', syslogThroughput);
  await step(3, 'fan-out', fanOut);
  await step(4, 'per-line cost', perLine);
  await step(5, 'memory bound', memoryBound);
  await step(6, 'start-up', startup);
  await step(7, 'latency', latency);
  await step(8, 'pipe and tail, default buffers, every line delivered', deliverAllDefaults);
  await step(9, 'OTLP, Loki and Elasticsearch end to end', newDrains);
  await step(10, 'structured reading end to end', structuredEndToEnd);
  const loadAfter = (() => {
    try {
      return execFileSync('uptime', { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  })();
  const header = [
    `Node ${m.node} · ${m.cpu} · ${m.cores} cores · commit ${m.commit} · input ${m.input} · ${m.date}`,
    `Load before: \`${m.load}\` · after: \`${loadAfter}\` · bench took ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  ].join('\n');
  const profile = extra.profile as { summaries: ProfileSummary[]; note: string } | undefined;
  const profileText = profile
    ? profile.summaries
        .map((s) => `${formatTop({ ...s, file: s.file.replace(`${ROOT}/`, '') })}`)
        .join('\n\n')
    : '';
  const out = [header, '', table(), '', targetList()].join('\n');
  process.stdout.write(`\n${out}\n`);
  if (profileText) process.stdout.write(`\nWorkload 2 profile (top self time per thread):\n${profileText}\n`);
  if (process.env.BENCH_NO_WRITE !== '1') {
    writeFileSync(
      join(ROOT, 'bench/results.json'),
      `${JSON.stringify({ machine: { ...m, loadAfter }, lines: LINES, rows, targets, extra }, null, 2)}\n`,
    );
    const md = [
      '# Benchmark results',
      '',
      '<!-- Generated by `npm run bench` (bench/run.ts). Do not edit by hand. -->',
      '',
      header,
      '',
      table(),
      '',
      '## Targets (issue 15)',
      '',
      targetList(),
      '',
      ...(profileText
        ? [
            '## Workload 2 profile',
            '',
            'Top self time per thread (`node --cpu-prof`, bench/profile-top.ts):',
            '',
            '```',
            profileText,
            '```',
            '',
          ]
        : []),
      '## How to reproduce',
      '',
      '```',
      'npm ci && npm run bench            # full size (a few minutes)',
      'BENCH_LINES=200000 npm run bench   # smoke test',
      '```',
      '',
      'CPU is the forwarder process alone (all threads): bash `times` for the forwarder and the app it reaped, minus the',
      "app's own CPU reported at its exit. Peak RSS is VmHWM from /proc, polled every 20 ms. App slowdown compares the",
      "app's own runtime (process start to exit) under `forwarder run` with its runtime writing to /dev/null directly.",
      "End-to-end lines/s run from the app's start to the last record accepted by the loopback receiver. Sinks are the",
      'contract-enforcing receivers in test/receivers/ (blackhole mode) running in the harness process on the same',
      'cores: their CPU is the "sink CPU-s" column.',
      '',
    ].join('\n');
    writeFileSync(join(ROOT, 'bench/RESULTS.md'), md);
    // biome formats Markdown too (tables padded): format the generated file so that lint stays clean
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', 'bench/RESULTS.md'], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    } catch {
      log('could not run biome format on bench/RESULTS.md');
    }
  }
  rmSync(WORK, { recursive: true, force: true });
  process.exit(0);
}

void main();
