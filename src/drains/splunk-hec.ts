import { accessSync, constants } from 'node:fs';
import type { ResolvedConfig } from '../config/load.js';
import { maskUrl, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import { httpRequest, tokenSetting, urlSetting } from './core/builders.js';
import { defaultClassify, excerpt } from './core/classify.js';
import {
  attributesFragment,
  cachedTime,
  errorFragment,
  fieldsFragment,
  fragmentTable,
  levelJson,
  streamJson,
  traceFragment,
} from './core/fields.js';
import { connectionHint } from './core/hints.js';
import { jsonString, needsEscaping } from './core/json-string.js';
import { retryAfterPause } from './core/retry.js';
import type { Batch, DrainNotice, DrainSpec, Outcome, Verdict } from './core/types.js';

/**
 * Splunk HTTP Event Collector, /services/collector/event (shared/reference/destinations.md §2):
 * concatenated JSON event objects, gzip, `Authorization: Splunk <token>`. HEC's error bodies are
 * read: busy (code 9) is retried, and a batch refused at `invalid-event-number` i is resumed after i.
 */

const EVENT_PATH = '/services/collector/event';
// max_content_length (limits.conf [http_input]) is deployment-specific; 1,000,000 bytes
// (decompressed) is accepted by every default we know of, old Splunk versions included
// (reference §2 "Limits": "≤ 1 MB per request is a safe choice").
const MAX_BODY_BYTES = 1_000_000;
/** HEC has no per-request event count; the byte limit decides. */
const MAX_EVENTS = 10_000;
/** Codes that describe one event (the others describe the request or the token: every event would fail the same way). */
const EVENT_CODES = new Set([6, 12, 13, 15]);

interface SplunkConfig {
  url: string;
  token: Secret;
  index: string | undefined;
  /** `{"time":` … up to the time, and everything after it */
  head: string;
  tail: string;
  level: (level: number) => string;
  stream: (s: string) => string;
  /** HEC `time`: epoch seconds with milliseconds */
  time: (ms: number) => string;
  /** `{"time":…` + head + `"`: a plain record up to its message, per time (see encode) */
  opening: (ms: number) => string;
  /** `","stream":…,"level":…` + tail: a plain record after its message, per stream and level */
  closing: (stream: string, level: number) => string;
  caFile: string | undefined;
  verify: boolean;
  version: string;
}

export const splunkHecDrain: DrainSpec<SplunkConfig> = {
  id: 'splunk_hec',
  // the event's tail: identity, FORWARDER_ATTRIBUTES and the pod's k8s.*
  identityParts: ['tail', 'closing'],
  envPrefix: 'SPLUNK_',
  // SPLUNK_FIELDS: time, host, source, sourcetype and index stay (HEC metadata)
  fieldKeys: {
    level: ['event.level'],
    stream: ['event.stream'],
    agent_id: ['event.agent_id'],
    worker_id: ['event.worker_id'],
    hostname: ['event.hostname'],
    attributes: ['event.attributes'],
    trace_id: ['event.trace_id'],
    span_id: ['event.span_id'],
    error: ['event.error'],
    fields: ['event.fields'],
  },
  description: 'Splunk HTTP Event Collector: JSON events to /services/collector/event, gzip.',
  enabledBy: 'LOGS_ENABLE_SPLUNK=1 with SPLUNK_HEC_TOKEN and SPLUNK_HEC_URL',
  settings: [
    {
      key: 'splunk_hec.enable',
      env: 'LOGS_ENABLE_SPLUNK',
      type: 'bool',
      default: false,
      doc: 'Set to 1 to enable the drain; required even when the HEC token and URL are set.',
    },
    tokenSetting(
      'splunk_hec.token',
      'SPLUNK_HEC_TOKEN',
      'The HEC token (sent as Authorization: Splunk <token>).',
    ),
    urlSetting(
      'splunk_hec.url',
      'SPLUNK_HEC_URL',
      'HEC base URL with its port (https://splunk.example.com:8088), or the full …/services/collector/event URL.',
    ),
    {
      key: 'splunk_hec.index',
      env: 'SPLUNK_INDEX',
      type: 'string',
      doc: "Index; unset = the token's default.",
    },
    {
      key: 'splunk_hec.sourcetype',
      env: 'SPLUNK_SOURCETYPE',
      type: 'string',
      default: '_json',
      doc: 'sourcetype of every event.',
    },
    {
      key: 'splunk_hec.source',
      env: 'SPLUNK_SOURCE',
      type: 'string',
      default: 'forwarder',
      doc: 'source of every event.',
    },
    {
      key: 'splunk_hec.ca_file',
      env: 'SPLUNK_CA_FILE',
      type: 'string',
      doc: "A PEM CA file trusted for HEC's certificate, on top of the public roots.",
    },
    {
      key: 'splunk_hec.tls_verify',
      env: 'SPLUNK_TLS_VERIFY',
      type: 'bool',
      default: true,
      doc: 'false turns certificate verification off for HEC (a warning is logged at start).',
    },
  ],
  configure(config: ResolvedConfig, ctx) {
    if (!config.get<boolean>('splunk_hec.enable')) return undefined;
    const token = config.get<Secret>('splunk_hec.token');
    const rawUrl = config.get<string>('splunk_hec.url');
    const missing = [
      token ? undefined : config.nameOf('splunk_hec.token'),
      rawUrl ? undefined : config.nameOf('splunk_hec.url'),
    ].filter(Boolean);
    if (!token || !rawUrl) {
      throw new ConfigError(
        `${config.nameOf('splunk_hec.enable')} is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
      );
    }
    const caFile = config.get<string>('splunk_hec.ca_file') || undefined;
    if (caFile) {
      try {
        accessSync(caFile, constants.R_OK);
      } catch (err) {
        throw new ConfigError(
          `${config.nameOf('splunk_hec.ca_file')} cannot be read: ${caFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
    }
    const index = config.get<string>('splunk_hec.index') || undefined;
    const { agentId, workerId, hostname } = ctx.identity;
    const head =
      `,"host":${JSON.stringify(workerId)},"source":${JSON.stringify(config.get<string>('splunk_hec.source'))}` +
      `,"sourcetype":${JSON.stringify(config.get<string>('splunk_hec.sourcetype'))}` +
      (index ? `,"index":${JSON.stringify(index)}` : '') +
      `,"event":{"message":`;
    const tail = `,"agent_id":${JSON.stringify(agentId)},"worker_id":${JSON.stringify(workerId)},"hostname":${JSON.stringify(hostname)}${attributesFragment(ctx.identity.attributes)}}}`;
    const level = levelJson();
    const stream = streamJson();
    const time = (ms: number) => (ms / 1000).toFixed(3);
    return {
      url: hecUrl(rawUrl),
      token,
      index,
      head,
      tail,
      level,
      stream,
      time: cachedTime(time),
      opening: cachedTime((ms) => `{"time":${time(ms)}${head}"`),
      closing: fragmentTable((s, n) => `","stream":${stream(s)},"level":${level(n)}${tail}`),
      caFile,
      verify: config.get<boolean>('splunk_hec.tls_verify')!,
      version: ctx.version,
    };
  },
  notices(config, c): DrainNotice[] {
    if (c === undefined) {
      if (
        config.isSet('splunk_hec.token') &&
        config.isSet('splunk_hec.url') &&
        !config.isSet('splunk_hec.enable')
      )
        return [
          {
            level: 'info',
            message: `not enabled: ${config.nameOf('splunk_hec.token')} and ${config.nameOf('splunk_hec.url')} are set, but Splunk forwarding also needs ${config.nameOf('splunk_hec.enable')}=1`,
          },
        ];
      return [];
    }
    return c.verify
      ? []
      : [
          {
            level: 'warn',
            message: `TLS CERTIFICATE VERIFICATION IS OFF for ${maskUrl(c.url)} (${config.nameOf('splunk_hec.tls_verify')}=false): anyone on the path can read and alter these logs; prefer SPLUNK_CA_FILE with your CA`,
          },
        ];
  },
  endpoint: (c) => maskUrl(c.url),
  limits: () => ({
    maxBatchBytes: MAX_BODY_BYTES,
    maxBatchRecords: MAX_EVENTS,
    maxRecordBytes: MAX_BODY_BYTES,
    gzip: true,
  }),
  tls: (c) => ({ ...(c.caFile ? { caFile: c.caFile } : {}), rejectUnauthorized: c.verify }),
  // A plain record (no structured parts, a message that needs no escaping: most lines) is three
  // strings joined: its opening, per time, and its closing, per stream and level, are made once,
  // not of ten pieces per line (each join a string V8 allocates, and flattens again when the
  // batch is written). The same bytes as the general form below.
  encode: (ev, c) =>
    ev.traceId === undefined &&
    ev.spanId === undefined &&
    ev.error === undefined &&
    ev.fieldsJson === undefined &&
    !needsEscaping(ev.message)
      ? c.opening(ev.timestamp) + ev.message + c.closing(ev.stream, ev.level)
      : `{"time":${c.time(ev.timestamp)}${c.head}${jsonString(ev.message)},"stream":${c.stream(ev.stream)},"level":${c.level(ev.level)}${traceFragment(ev, '"trace_id"', '"span_id"')}${errorFragment(ev, '"error"', '"kind"', '"message"', '"stack"')}${fieldsFragment(ev, '"fields"')}${c.tail}`,
  // Concatenated objects; a newline between them keeps the body readable (whitespace is allowed).
  frame: { open: '', separator: '\n', close: '' },
  request: (c) =>
    httpRequest(c.url, 'application/json', c.version, { authorization: `Splunk ${c.token.reveal()}` }),
  classify(outcome: Outcome, _c, batch: Batch, _attempt, now): Verdict {
    if (outcome.kind !== 'http' || (outcome.status >= 200 && outcome.status < 300))
      return defaultClassify(outcome, batch.events.length, now);
    const hec = hecBody(outcome.body);
    const reason = hec.text
      ? `hec_${hec.text
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_')
          .replace(/^_|_$/g, '')}`
      : `http_${outcome.status}`;
    const detail = excerpt(outcome.body);
    if (hec.code === 9 || hec.code === 8) {
      const pause = retryAfterPause(outcome.headers['retry-after'], now);
      return { action: 'retry', reason, detail, ...(pause ? { pause: [pause] } : {}) };
    }
    const i = hec.invalidEvent;
    if (outcome.status === 400 && i !== undefined && i >= 0 && i < batch.events.length) {
      // Events before i are indexed already; resending them would duplicate them (reference §2).
      if (hec.code !== undefined && EVENT_CODES.has(hec.code))
        return { action: 'partial', accepted: i, rejected: 1, resendFrom: i + 1, reason, detail };
      return { action: 'partial', accepted: i, rejected: batch.events.length - i, reason, detail };
    }
    const verdict = defaultClassify(outcome, batch.events.length, now);
    return verdict.action === 'reject' ? { ...verdict, reason } : verdict;
  },
  hint(outcome, c) {
    const url = maskUrl(c.url);
    if (outcome.kind === 'error') {
      if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME|DEPTH_ZERO/.test(outcome.code))
        return `HEC's certificate is not trusted (${outcome.code}): set SPLUNK_CA_FILE to your CA's PEM file`;
      if (outcome.code === 'EPROTO' || outcome.code === 'ERR_SSL_WRONG_VERSION_NUMBER')
        return 'the HEC port does not speak TLS: use http:// in SPLUNK_HEC_URL, or enable SSL on HEC';
      return connectionHint(
        outcome,
        `SPLUNK_HEC_URL (${url})`,
        "check the port (HEC's default is 8088) and that HEC is enabled",
      );
    }
    if (outcome.kind !== 'http') return undefined;
    const code = hecBody(outcome.body).code;
    switch (code) {
      case 1:
        return 'the HEC token is disabled: enable it in Splunk (Settings > Data inputs > HTTP Event Collector)';
      case 2:
      case 3:
      case 4:
        return 'Splunk refused SPLUNK_HEC_TOKEN: check the token value, and that it belongs to this Splunk';
      case 7:
        return `the token may not write to index ${JSON.stringify(c.index)}: add it to the token's allowed indexes, or fix/unset SPLUNK_INDEX`;
      case 10:
      case 11:
      case 14:
        return 'the token has indexer acknowledgement on, which this drain does not use: turn it off for this token';
      default:
        break;
    }
    if (outcome.status === 404)
      return `${url} is not a HEC endpoint: give the base URL with its port (https://host:8088)`;
    if (outcome.status === 413) return "one event is larger than HEC's max_content_length";
    return undefined;
  },
};

/** Base URL (with port) → …/services/collector/event; a URL that already names a collector path is kept. */
function hecUrl(raw: string): string {
  const url = new URL(raw);
  if (!url.pathname.includes('/services/collector'))
    url.pathname = url.pathname.replace(/\/+$/, '') + EVENT_PATH;
  return url.toString();
}

function hecBody(body: string): { code?: number; text?: string; invalidEvent?: number } {
  try {
    const o = JSON.parse(body) as Record<string, unknown>;
    const num = (v: unknown) =>
      typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
    return {
      ...(num(o.code) !== undefined ? { code: num(o.code)! } : {}),
      ...(typeof o.text === 'string' ? { text: o.text } : {}),
      ...(num(o['invalid-event-number']) !== undefined
        ? { invalidEvent: num(o['invalid-event-number'])! }
        : {}),
    };
  } catch {
    return {};
  }
}
