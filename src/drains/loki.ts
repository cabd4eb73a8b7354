import type { ResolvedConfig } from '../config/load.js';
import { maskUrl, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import type { LogEvent } from '../pipeline/event.js';
import { LEVEL_NAMES, levelName } from '../pipeline/levels.js';
import { basicAuthFrom } from './core/auth-settings.js';
import { defaultClassify, excerpt } from './core/classify.js';
import { traceFragment } from './core/fields.js';
import { connectionHint } from './core/hints.js';
import { HttpTransport } from './core/http-transport.js';
import { jsonString } from './core/json-string.js';
import type { Batch, DrainSpec, Outcome, Transport, Verdict } from './core/types.js';

/**
 * Grafana Loki's push API (`POST /loki/api/v1/push`, JSON body, gzip): streams keyed by a small,
 * fixed label set — `agent_id`, `level`, `stream` and LOKI_LABELS — never a label per value
 * (Loki's cardinality rule); the worker id and host travel as structured metadata. Entries of a
 * stream go in time order, one request at a time, so even a Loki with ordered writes takes them.
 *
 * Answers: 204 is success. A 400 names the entries Loki ignored (`… total ignored: N out of M for
 * stream: {…}`): those N are dropped and counted by reason (too old, too new, out of order, line too
 * long), the rest were stored; they are never resent. A 400 that names no entry refuses the whole
 * request. 429 and 5xx are retried (Retry-After honoured); 413 splits.
 *
 * Structured events (README "Structured events"): Loki is a text destination, so the line is the
 * app's line as written (`ev.line`, the JSON or logfmt with every field: LogQL's `| json` and
 * `| logfmt` read it), the `level` label is the structured level, and the trace and span ids are
 * structured metadata (`trace_id`, `span_id`, the names Loki's own OTLP intake uses): never
 * labels, one value per request. The entry time is the app's own when Loki will take it (see
 * `entryMs`).
 */

const PUSH_PATH = '/loki/api/v1/push';
// Promtail's and Alloy's default batch size: 1 MiB, well under the default 6 MB ingestion burst.
const MAX_BATCH_BYTES = 1024 * 1024;
const MAX_ENTRIES = 10_000;
// Loki's max_line_size defaults to 256 KB; the record (line JSON-escaped, timestamp, metadata) is longer than the line.
const MAX_RECORD_BYTES = 256_000;
/** Loki's defaults: max_label_names_per_series 15, max_label_value_length 2048, label names as Prometheus'. */
const MAX_LABELS = 15;
const MAX_LABEL_VALUE = 2048;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const BUILT_IN = ['agent_id', 'level', 'stream'];
/**
 * The pod identity Loki's own OTLP intake indexes by default (one value per pod, so no cardinality
 * cost), as index labels under the names that intake gives them; the rest of the identity
 * (pod name, node, uid, pod labels, FORWARDER_ATTRIBUTES) is structured metadata, as Loki
 * recommends for a pod's name.
 */
const K8S_LABELS: readonly [attribute: string, label: string][] = [
  ['k8s.namespace.name', 'k8s_namespace_name'],
  ['k8s.container.name', 'k8s_container_name'],
];
/** Loki's default max_structured_metadata_entries_count is 128: 4 are ours (worker_id, hostname, trace_id, span_id). */
const MAX_IDENTITY_METADATA = 124;
/** Annotations stay out of every entry: they are often large (checksums, JSON), up to 256 KiB a pod. */
const ANNOTATION_PREFIX = 'k8s.pod.annotation.';
/** structured metadata names the drain writes itself */
const OURS = new Set(['worker_id', 'hostname', 'trace_id', 'span_id']);

interface LokiConfig {
  url: string;
  authorization: string | undefined;
  tenant: string | undefined;
  /** `"agent_id":"…"` plus the configured labels, as JSON members; level and stream are added per stream */
  fixedLabels: string;
  /** `,{"worker_id":…,"hostname":…` after the line (closed per entry, after any trace ids), or '' when off */
  metadata: string;
  /** an event's stream labels as JSON, cached per stream and level */
  labelsOf: (ev: LogEvent) => string;
  /** the entry time of each event, in encoding order (see entryClock) */
  nanos: (ev: LogEvent) => string;
  /** names for hints */
  authNames: string;
  metadataName: string;
  version: string;
}

export const lokiDrain: DrainSpec<LokiConfig> = {
  id: 'loki',
  // the pod's labels ride in every entry's structured metadata; its namespace and container, the
  // index labels, come from the environment and do not change while it runs
  identityParts: ['metadata'],
  envPrefix: 'LOKI_',
  description:
    'Grafana Loki push API: JSON streams with low-cardinality labels, gzip, time order per stream.',
  enabledBy: 'LOKI_URL',
  settings: [
    {
      key: 'loki.url',
      env: 'LOKI_URL',
      type: 'url',
      doc: `Enables the drain: Loki's base URL (https://logs-prod-006.grafana.net); ${PUSH_PATH} is added unless the path ends with it.`,
    },
    {
      key: 'loki.username',
      env: 'LOKI_USERNAME',
      type: 'string',
      doc: 'Basic auth user, with LOKI_PASSWORD (Grafana Cloud: the numeric user id).',
    },
    {
      key: 'loki.password',
      env: 'LOKI_PASSWORD',
      type: 'string',
      secret: true,
      doc: 'Basic auth password, with LOKI_USERNAME (Grafana Cloud: an access policy token with logs:write).',
    },
    {
      key: 'loki.token',
      env: 'LOKI_TOKEN',
      type: 'string',
      secret: true,
      doc: 'Sent as Authorization: Bearer (a gateway or proxy in front of Loki); not with LOKI_USERNAME.',
    },
    {
      key: 'loki.tenant_id',
      env: 'LOKI_TENANT_ID',
      type: 'string',
      doc: 'Sent as X-Scope-OrgID (multi-tenant Loki).',
    },
    {
      key: 'loki.labels',
      env: 'LOKI_LABELS',
      type: 'map',
      doc: 'Extra stream labels, k=v,k2=v2: keep them few and fixed (env=prod), never a value per request or user.',
    },
    {
      key: 'loki.structured_metadata',
      env: 'LOKI_STRUCTURED_METADATA',
      type: 'bool',
      default: true,
      doc: 'Send worker_id, hostname and the trace / span ids as structured metadata (Loki 3; false for a Loki that refuses it).',
    },
  ],
  configure(config: ResolvedConfig, ctx) {
    const raw = config.get<string>('loki.url');
    if (!raw) return undefined;
    const token = config.get<Secret>('loki.token');
    if (token && (config.isSet('loki.username') || config.isSet('loki.password')))
      throw new ConfigError(
        `${config.nameOf('loki.token')} and ${config.nameOf(config.isSet('loki.username') ? 'loki.username' : 'loki.password')} are both set: use a token or a user and password`,
      );
    const authorization = token
      ? `Bearer ${token.reveal()}`
      : basicAuthFrom(config, 'loki.username', 'loki.password');
    const { agentId, workerId, hostname } = ctx.identity;
    const extra = config.get<Record<string, string>>('loki.labels') ?? {};
    const labelsName = config.nameOf('loki.labels');
    for (const [k, v] of Object.entries(extra)) {
      if (!LABEL_NAME.test(k) || k.startsWith('__'))
        throw new ConfigError(
          `${labelsName}: ${JSON.stringify(k)} is not a Loki label name (letters, digits and _, not starting with a digit or __)`,
        );
      if (BUILT_IN.includes(k)) throw new ConfigError(`${labelsName}: ${k} is set by the forwarder itself`);
      if (v === '') throw new ConfigError(`${labelsName}: ${k} has an empty value (Loki drops empty labels)`);
      if (v.length > MAX_LABEL_VALUE)
        throw new ConfigError(
          `${labelsName}: the value of ${k} is over Loki's ${MAX_LABEL_VALUE} characters`,
        );
    }
    if (BUILT_IN.length + Object.keys(extra).length > MAX_LABELS)
      throw new ConfigError(
        `${labelsName}: at most ${MAX_LABELS - BUILT_IN.length} labels (Loki's default max_label_names_per_series is ${MAX_LABELS}, 3 are ours)`,
      );
    const { labels: podLabels, metadata: podMetadata } = identityForLoki(
      ctx.identity.attributes,
      MAX_LABELS - BUILT_IN.length - Object.keys(extra).length,
      extra,
    );
    const members = [['agent_id', agentId], ...podLabels, ...Object.entries(extra)]
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(',');
    return {
      url: pushUrl(raw),
      authorization,
      tenant: config.get<string>('loki.tenant_id')?.trim() || undefined,
      fixedLabels: members,
      metadata: config.get<boolean>('loki.structured_metadata')
        ? `,${JSON.stringify({ worker_id: workerId, hostname, ...podMetadata }).slice(0, -1)}`
        : '',
      labelsOf: streamLabels(members),
      nanos: entryClock(),
      authNames: token ? `${config.nameOf('loki.token')} was` : 'LOKI_USERNAME and LOKI_PASSWORD were',
      metadataName: config.nameOf('loki.structured_metadata'),
      version: ctx.version,
    };
  },
  endpoint: (c) => maskUrl(c.url),
  limits: () => ({
    maxBatchBytes: MAX_BATCH_BYTES,
    maxBatchRecords: MAX_ENTRIES,
    maxRecordBytes: MAX_RECORD_BYTES,
    // one request at a time: entries of a stream reach Loki in time order, across batches too
    concurrency: 1,
    gzip: true,
  }),
  encode: (ev, c) =>
    `["${c.nanos(ev)}",${jsonString(ev.line ?? ev.message)}${c.metadata === '' ? '' : c.metadata + traceMetadata(ev)}]`,
  // the streams, grouped by their events' labels, in time order: one buffer, compressed by the transport
  payload: (batch, c) => pushBody(batch, c.labelsOf),
  // the comma after each entry
  recordOverheadBytes: 1,
  // `{"streams":[` … `]}` and, per stream, its labels (at most 6 levels × a few streams)
  frameOverheadBytes: (c) => 16 + 6 * 4 * (c.fixedLabels.length + 80),
  sendsOverHttp: true,
  transport(c, ctx): Transport {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': `forwarder/${ctx.version}`,
    };
    if (c.authorization) headers.authorization = c.authorization;
    if (c.tenant) headers['x-scope-orgid'] = c.tenant;
    return new HttpTransport({
      request: () => ({ url: c.url, headers }),
      gzip: true,
      connections: 1,
      timeoutMs: ctx.requestTimeoutMs,
    });
  },
  classify(outcome: Outcome, _c, batch: Batch, _attempt, now): Verdict {
    if (outcome.kind === 'http' && outcome.status === 400) {
      const ignored = ignoredEntries(outcome.body);
      if (ignored !== undefined) {
        const rejected = Math.min(ignored.total, batch.events.length);
        return {
          action: 'partial',
          accepted: batch.events.length - rejected,
          rejected,
          reason: 'loki_rejected',
          rejectedReasons: ignored.byReason,
          detail: excerpt(outcome.body, 300),
        };
      }
    }
    return defaultClassify(outcome, batch.events.length, now);
  },
  hint(outcome, c) {
    if (outcome.kind !== 'http') return connectionHint(outcome, maskUrl(c.url), 'check LOKI_URL');
    switch (outcome.status) {
      case 401:
      case 403:
        return c.authorization
          ? `${outcome.status} from Loki: ${c.authNames} refused; Grafana Cloud takes the numeric user id and a token with logs:write`
          : `${outcome.status} from Loki: it wants credentials: set LOKI_USERNAME and LOKI_PASSWORD, or LOKI_TOKEN${c.tenant ? '' : ' (and LOKI_TENANT_ID for a multi-tenant Loki)'}`;
      case 404:
        return `404 from ${maskUrl(c.url)}: no push API here; LOKI_URL is Loki's base URL (${PUSH_PATH} is added)`;
      case 400:
        return /structured metadata/i.test(outcome.body)
          ? `this Loki refuses structured metadata: set ${c.metadataName}=false`
          : undefined;
      default:
        return undefined;
    }
  },
};

/**
 * The identity attributes as Loki sees them: the namespace and container as index labels (while
 * `room` allows: LOKI_LABELS come first), everything else but annotations as structured metadata,
 * names written as Loki's OTLP intake writes attribute names (every character outside
 * [A-Za-z0-9_] becomes `_`: `k8s.pod.label.app` → `k8s_pod_label_app`); the first of two
 * attributes that meet in one name is kept, and at most MAX_IDENTITY_METADATA are.
 */
export function identityForLoki(
  attributes: Readonly<Record<string, string>>,
  room: number,
  configured: Readonly<Record<string, string>>,
): { labels: [string, string][]; metadata: Record<string, string> } {
  const labels: [string, string][] = [];
  const asLabel = new Set<string>();
  for (const [attribute, label] of K8S_LABELS) {
    const v = attributes[attribute];
    if (v === undefined || v === '' || label in configured || labels.length >= room) continue;
    labels.push([label, v.slice(0, MAX_LABEL_VALUE)]);
    asLabel.add(attribute);
  }
  // no prototype: an attribute named __proto__ is a name like any other
  const metadata: Record<string, string> = Object.create(null);
  let n = 0;
  for (const [k, v] of Object.entries(attributes)) {
    if (asLabel.has(k) || k.startsWith(ANNOTATION_PREFIX) || n >= MAX_IDENTITY_METADATA) continue;
    const name = k.replace(/[^A-Za-z0-9_]/g, '_');
    if (name in metadata || OURS.has(name)) continue;
    metadata[name] = v;
    n++;
  }
  return { labels, metadata };
}

/** `,"trace_id":"…","span_id":"…"}`: the ids the event carries as structured metadata, and the closing brace. */
function traceMetadata(ev: LogEvent): string {
  if (ev.traceId === undefined && ev.spanId === undefined) return '}';
  return `${traceFragment(ev, '"trace_id"', '"span_id"')}}`;
}

// Loki takes an entry up to an hour (max_chunk_age / 2) behind its stream's newest and 10 min
// (creation_grace_period) ahead of its own clock: an app time inside a narrower window keeps
// well clear of both.
const APP_TIME_BEHIND_MS = 30 * 60_000;
const APP_TIME_AHEAD_MS = 5 * 60_000;

/**
 * An entry's time: the app's own when it is within 30 min behind / 5 min ahead of the read time,
 * else the read time, so a trusted but skewed app clock (up to 24 h off) does not get its lines
 * refused as too far behind or in the future. (A record time from CRI / docker-json is both.)
 */
export function entryMs(ev: LogEvent): number {
  const d = ev.timestamp - ev.observedTimestamp;
  return d > APP_TIME_AHEAD_MS || d < -APP_TIME_BEHIND_MS ? ev.observedTimestamp : ev.timestamp;
}

/** Base URL → the push URL; a URL already ending in the push path is used as given. */
function pushUrl(raw: string): string {
  const url = new URL(raw);
  if (!url.pathname.endsWith(PUSH_PATH)) url.pathname = url.pathname.replace(/\/+$/, '') + PUSH_PATH;
  return url.toString();
}

/**
 * The entries' times in ns, as decimal strings: the event's ms, then six digits counting the
 * entries of that ms in the order they are encoded (the queue's, so the app's), so two equal
 * lines of one ms stay two entries (Loki keeps one of the same time and line) and order within a
 * ms follows the app's. One per drain: its state is the last ms and its count.
 */
function entryClock(): (ev: LogEvent) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  let n = 0;
  return (ev) => {
    const ms = Math.floor(entryMs(ev));
    if (ms !== lastMs) {
      lastMs = ms;
      lastText = String(ms);
      n = 0;
    } else n++;
    return `${lastText}${SUB_MS[n] ?? String(n % 1_000_000).padStart(6, '0')}`;
  };
}

/** the six sub-ms digits of the first entries of a ms, written once */
const SUB_MS: readonly string[] = Array.from({ length: 4096 }, (_, i) => String(i).padStart(6, '0'));

/** label set JSON by stream name and level: `{"agent_id":…,…,"level":"info","stream":"stdout"}`, cached. */
function streamLabels(fixed: string): (ev: LogEvent) => string {
  const byStream = new Map<string, string[]>();
  return (ev) => {
    let byLevel = byStream.get(ev.stream);
    if (byLevel === undefined) {
      byLevel = LEVEL_NAMES.map(
        (name) => `{${fixed},"level":${JSON.stringify(name)},"stream":${JSON.stringify(ev.stream)}}`,
      );
      byStream.set(ev.stream, byLevel);
    }
    return byLevel[LEVEL_NAMES.indexOf(levelName(ev.level))]!;
  };
}

const OPEN = '{"streams":[';
const CLOSE = ']}';
const STREAM_OPEN = '{"stream":';
const VALUES_OPEN = ',"values":[';

/**
 * `{"streams":[{"stream":{…},"values":[…]},…]}`: records grouped by label set, each group in time
 * order, written once into one buffer (sizes first: no joined strings for the collector to sweep).
 */
function pushBody(batch: Batch, labelsOf: (ev: LogEvent) => string): Buffer {
  const { events, records } = batch;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < events.length; i++) {
    const key = labelsOf(events[i]!);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [i]);
    else g.push(i);
  }
  const sizes = new Array<number>(records.length);
  let total = OPEN.length + CLOSE.length + Math.max(0, groups.size - 1);
  for (const [labels, indices] of groups) {
    let sorted = true;
    for (let k = 1; k < indices.length && sorted; k++)
      sorted = order(events[indices[k - 1]!]!, events[indices[k]!]!) <= 0;
    if (!sorted) indices.sort((x, y) => order(events[x]!, events[y]!));
    total +=
      STREAM_OPEN.length + Buffer.byteLength(labels) + VALUES_OPEN.length + CLOSE.length + indices.length - 1;
    for (const i of indices) total += sizes[i] = Buffer.byteLength(records[i]!);
  }
  const buf = Buffer.allocUnsafe(total);
  let off = buf.write(OPEN, 0, 'latin1');
  let first = true;
  for (const [labels, indices] of groups) {
    if (!first) buf[off++] = 0x2c;
    first = false;
    off += buf.write(STREAM_OPEN, off, 'latin1');
    off += buf.write(labels, off);
    off += buf.write(VALUES_OPEN, off, 'latin1');
    for (let k = 0; k < indices.length; k++) {
      if (k > 0) buf[off++] = 0x2c;
      const i = indices[k]!;
      off += buf.write(records[i]!, off, sizes[i]!);
    }
    off += buf.write(CLOSE, off, 'latin1');
  }
  off += buf.write(CLOSE, off, 'latin1');
  return off === total ? buf : buf.subarray(0, off);
}

/** Time order as Loki sees it: ms, then the sequence (the order the sub-ms digits were given in). */
function order(a: LogEvent, b: LogEvent): number {
  return Math.floor(entryMs(a)) - Math.floor(entryMs(b)) || a.seq - b.seq;
}

/** Loki's validation reasons → our drop reasons. */
const IGNORED_REASONS: readonly [RegExp, string][] = [
  [/too far behind|out of order/i, 'loki_out_of_order'],
  [/too old|greater_than_max_sample_age/i, 'loki_too_old'],
  [/too far in (the )?future|too_far_in_future/i, 'loki_too_new'],
  [/line too long|line_too_long/i, 'loki_line_too_long'],
];

/**
 * A 400's `entry with timestamp … ignored, reason: '…', user '…', total ignored: N out of M for
 * stream: {…}` parts (one per stream with ignored entries; the text may wrap): the counts by
 * reason; undefined when the answer names no ignored entry.
 */
export function ignoredEntries(
  body: string,
): { total: number; byReason: Record<string, number> } | undefined {
  const byReason: Record<string, number> = {};
  let total = 0;
  let from = 0;
  for (const m of body.matchAll(/total ignored: (\d+) out of \d+/g)) {
    const n = Number(m[1]);
    const said = body.slice(from, m.index);
    from = m.index + m[0].length;
    const reason = IGNORED_REASONS.find(([re]) => re.test(said))?.[1] ?? 'loki_rejected';
    byReason[reason] = (byReason[reason] ?? 0) + n;
    total += n;
  }
  return total > 0 ? { total, byReason } : undefined;
}
