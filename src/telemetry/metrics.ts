import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Drain } from '../drains/core/drain.js';
import type { DrainControl } from '../drains/core/event-control.js';
import type { Outcome } from '../drains/core/types.js';
import type { PodinfoCuts } from '../pipeline/k8s-identity.js';
import { LEVEL_NAMES } from '../pipeline/levels.js';
import type { PipelineStats } from '../pipeline/pipeline.js';

export interface MetricsSources {
  pipeline: () => PipelineStats;
  drains: readonly Drain[];
  /** per drain (same order), its control stage, if it has rules */
  controls?: readonly (DrainControl | undefined)[];
  /** FORWARDER_REDACT replacements by rule */
  redactions?: () => Readonly<Record<string, number>>;
  /** what reading the pod's downward-API files cut (files, entries, values), when they are followed */
  podinfoCuts?: () => Readonly<PodinfoCuts> | undefined;
  startedAt: number;
  unhealthyAfterMs: number;
}

/**
 * Prometheus metrics read from the counters the pipeline and drains keep anyway (collected at
 * scrape time: nothing is added to the per-line path), plus one histogram fed per request.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #latency: Histogram<'drain'>;
  #sources: MetricsSources | undefined;

  constructor() {
    const r = [this.registry];
    const sources = (): MetricsSources | undefined => this.#sources;
    const streams = (): [Record<string, string>, PipelineStatsStream][] =>
      Object.entries(sources()?.pipeline().streams ?? {}).map(([stream, st]) => [{ stream }, st]);
    const drains = <T>(read: (d: Drain) => T): [Record<string, string>, T][] =>
      (sources()?.drains ?? []).map((d) => [{ drain: d.id }, read(d)]);
    total(r, 'forwarder_input_lines_total', 'Lines read from the app, per stream.', ['stream'], () =>
      streams().map(([l, st]) => [l, st.lines]),
    );
    total(r, 'forwarder_input_bytes_total', 'Bytes read from the app, per stream.', ['stream'], () =>
      streams().map(([l, st]) => [l, st.bytes]),
    );
    total(
      r,
      'forwarder_events_total',
      "Events the app's lines made, by stream and level (an error-rate alert needs no vendor).",
      ['stream', 'level'],
      () =>
        streams().flatMap(([l, st]) =>
          LEVEL_NAMES.map((level, i): [Record<string, string>, number] => [
            { stream: l.stream!, level },
            st.levels[i + 1] ?? 0,
          ]),
        ),
    );
    total(
      r,
      'forwarder_structured_lines_total',
      'Lines read as structured records, by format (json, logfmt).',
      ['format'],
      () => {
        const st = sources()?.pipeline().structured;
        return [
          [{ format: 'json' }, st?.json ?? 0],
          [{ format: 'logfmt' }, st?.logfmt ?? 0],
        ];
      },
    );
    total(
      r,
      'forwarder_structured_cut_total',
      'What structured reading could not take as it was, by reason: invalid (not strict JSON: sent as text), too_large, too_deep (sent as text), depth (a field sent as its JSON text), fields (fields cut by the cap), time_untrusted (the app time was over 24 h from the read time).',
      ['reason'],
      () => {
        const st = sources()?.pipeline().structured;
        return [
          [{ reason: 'invalid' }, st?.invalid ?? 0],
          [{ reason: 'too_large' }, st?.tooLarge ?? 0],
          [{ reason: 'too_deep' }, st?.tooDeep ?? 0],
          [{ reason: 'depth' }, st?.depthCut ?? 0],
          [{ reason: 'fields' }, st?.fieldsCut ?? 0],
          [{ reason: 'time_untrusted' }, st?.timeUntrusted ?? 0],
        ];
      },
    );
    total(
      r,
      'forwarder_k8s_podinfo_cut_total',
      "What reading the pod's downward-API labels / annotations files cut, by what: file (a file over 256 KiB, read in part), entry (entries past 64 per file), value (values cut at 256 characters); counted on every read.",
      ['what'],
      () => {
        const c = sources()?.podinfoCuts?.();
        return [
          [{ what: 'file' }, c?.files ?? 0],
          [{ what: 'entry' }, c?.entries ?? 0],
          [{ what: 'value' }, c?.values ?? 0],
        ];
      },
    );
    total(r, 'forwarder_drain_sent_records_total', 'Records the destination accepted.', ['drain'], () =>
      drains((d) => d.stats.delivered),
    );
    total(
      r,
      'forwarder_drain_sent_bytes_total',
      'Payload bytes (as sent) of accepted requests.',
      ['drain'],
      () => drains((d) => d.stats.sentBytes),
    );
    total(r, 'forwarder_drain_retried_records_total', 'Records that needed another attempt.', ['drain'], () =>
      drains((d) => d.stats.retried),
    );
    total(r, 'forwarder_drain_requests_total', 'Delivery attempts made.', ['drain'], () =>
      drains((d) => d.stats.requests),
    );
    total(
      r,
      'forwarder_drain_dropped_records_total',
      'Records dropped, by drain and reason (buffer_full, flush_deadline, rejected, …).',
      ['drain', 'reason'],
      () =>
        (sources()?.drains ?? []).flatMap((d) =>
          Object.entries(d.stats.dropped).map(([reason, n]): [Record<string, string>, number] => [
            { drain: d.id, reason },
            n,
          ]),
        ),
    );
    total(
      r,
      'forwarder_events_filtered_total',
      'Events a drain did not get because of its per-drain control, by rule (min_level, filter, sample, rate_limit).',
      ['drain', 'rule'],
      () => {
        const s = sources();
        return (s?.controls ?? []).flatMap((c, i) =>
          Object.entries(c?.stats.filtered ?? {}).map(([rule, n]): [Record<string, string>, number] => [
            { drain: s!.drains[i]!.id, rule },
            n,
          ]),
        );
      },
    );
    total(
      r,
      'forwarder_messages_truncated_total',
      "Messages a drain's MAX_MESSAGE_CHARS cut, by drain.",
      ['drain'],
      () => {
        const s = sources();
        return (s?.controls ?? []).flatMap((c, i): [Record<string, string>, number][] =>
          c ? [[{ drain: s!.drains[i]!.id }, c.stats.truncated]] : [],
        );
      },
    );
    total(r, 'forwarder_redactions_total', 'Secrets replaced by FORWARDER_REDACT, by rule.', ['rule'], () =>
      Object.entries(sources()?.redactions?.() ?? {}).map(([rule, n]) => [{ rule }, n]),
    );
    gauge(
      r,
      'forwarder_drain_queue_bytes',
      'Bytes of events the drain holds: queued, being sent, or waiting to retry.',
      () => drains((d) => d.queuedBytes),
    );
    gauge(
      r,
      'forwarder_drain_queue_events',
      'Events the drain holds: queued, being sent, or waiting to retry.',
      () => drains((d) => d.queuedEvents),
    );
    gauge(
      r,
      'forwarder_drain_last_success_timestamp_seconds',
      'When the destination last accepted a request (0 = never).',
      () => drains((d) => d.stats.lastSuccessAt / 1000),
    );
    this.#latency = new Histogram({
      name: 'forwarder_drain_request_duration_seconds',
      help: 'Time of one delivery attempt, by drain.',
      labelNames: ['drain'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    });
  }

  observer(drainId: string): (seconds: number, outcome: Outcome) => void {
    const child = this.#latency.labels(drainId);
    return (seconds) => child.observe(seconds);
  }

  attach(sources: MetricsSources): void {
    this.#sources = sources;
  }

  /** A drain is unhealthy when it holds events and has delivered nothing for `unhealthyAfterMs`. */
  unready(now = Date.now()): string[] {
    const s = this.#sources;
    if (!s) return [];
    return s.drains
      .filter(
        (d) => d.pendingEvents > 0 && now - Math.max(d.stats.lastSuccessAt, s.startedAt) > s.unhealthyAfterMs,
      )
      .map((d) => d.id);
  }

  listen(host: string, port: number): Promise<Server> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics') {
        this.registry
          .metrics()
          .then((text) => {
            res.writeHead(200, { 'content-type': this.registry.contentType });
            res.end(text);
          })
          .catch(() => {
            res.writeHead(500).end();
          });
      } else if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else if (path === '/readyz') {
        const bad = this.unready();
        if (bad.length === 0) res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
        else res.writeHead(503, { 'content-type': 'text/plain' }).end(`not delivering: ${bad.join(', ')}\n`);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics, /healthz or /readyz\n');
      }
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.unref();
        resolve(server);
      });
    });
  }
}

type PipelineStatsStream = PipelineStats['streams'][string];
type Samples = [Record<string, string>, number][];

/** A running total the pipeline or a drain already keeps, exposed as a counter at scrape time. */
function total(
  registers: Registry[],
  name: string,
  help: string,
  labelNames: string[],
  read: () => Samples,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers,
    collect() {
      this.reset();
      for (const [labels, n] of read()) this.inc(labels, n);
    },
  });
}

function gauge(registers: Registry[], name: string, help: string, read: () => Samples): void {
  new Gauge({
    name,
    help,
    labelNames: ['drain'],
    registers,
    collect() {
      this.reset();
      for (const [labels, n] of read()) this.set(labels, n);
    },
  });
}
