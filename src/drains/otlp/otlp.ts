import type { ResolvedConfig } from '../../config/load.js';
import { maskUrl, registerSecretValue, type Secret } from '../../config/secret.js';
import { ConfigError } from '../../errors.js';
import type { LogEvent } from '../../pipeline/event.js';
import { type LevelName, levelName } from '../../pipeline/levels.js';
import { readableFile } from '../core/auth-settings.js';
import { defaultClassify, excerpt, okVerdict } from '../core/classify.js';
import { cachedTime } from '../core/fields.js';
import { connectionHint } from '../core/hints.js';
import { HttpTransport } from '../core/http-transport.js';
import { jsonString } from '../core/json-string.js';
import { retryAfterPause } from '../core/retry.js';
import type { Batch, DrainSpec, Outcome, Transport, Verdict } from '../core/types.js';
import {
  decodePartialSuccess,
  decodeStatusMessage,
  encodeExportRequest,
  envelope,
  logRecordBytes,
  MAX_ANY_VALUE_ITEMS,
  type OtlpRecord,
  type OtlpRecordParts,
  recordAttribute,
  severityBytes,
} from './protobuf.js';

/**
 * OTLP/HTTP logs (OpenTelemetry Protocol 1.x, "OTLP/HTTP"): one ExportLogsServiceRequest per
 * batch, `http/protobuf` (default) or `http/json`, to a Collector gateway or any backend that
 * takes OTLP. Configured by the OpenTelemetry exporter variables (OTEL_EXPORTER_OTLP_*), so the
 * settings people already have for their SDKs work unchanged.
 *
 * Answers (OTLP spec, "OTLP/HTTP Response" and "Retryable Response Codes"): 2xx is success, with
 * `partial_success.rejected_log_records` counted as dropped (`otlp_rejected`, with its
 * `error_message`); only 429, 502, 503 and 504 are retried, honouring Retry-After; every other
 * status is final and dropped with the server's message (a google.rpc.Status). 413 is split.
 *
 * Structured events (README "Structured events"): TimeUnixNano is the app's own time,
 * ObservedTimeUnixNano the read time; TraceId / SpanId are the ids (bytes in protobuf, hex in
 * OTLP/JSON, as its spec says); the app's fields are record attributes with their own types
 * (string, int, double, bool, arrays as ArrayValue, objects as KeyValueList), at most 128 of them
 * (the SDKs' default attribute count limit; the rest counted in DroppedAttributesCount); an error
 * is `exception.type`, `exception.message` and `exception.stacktrace` (OpenTelemetry's semantic
 * conventions); the body is the extracted message.
 */

/** OTLP/HTTP's default port and path (exporter spec: http://localhost:4318, signal path v1/logs). */
const LOGS_PATH = 'v1/logs';
/** OTEL_EXPORTER_OTLP_TIMEOUT's default (exporter spec): 10 s per export. */
const DEFAULT_TIMEOUT_MS = 10_000;
// A Collector's OTLP/HTTP receiver takes 20 MiB bodies by default, but gateways often bridge to
// gRPC (4 MiB messages): 3.5 MB of records plus their framing stays under that.
const MAX_BATCH_BYTES = 3_500_000;
/** the batch processor's default send_batch_size */
const MAX_RECORDS = 8192;
/** OTLP sets no record limit; backends do (Loki's OTLP intake: 256 KB lines). 1 MB is cut visibly. */
const MAX_RECORD_BYTES = 1_000_000;
const RETRYABLE = new Set([429, 502, 503, 504]);
/** a LogRecord's tags, lengths, two times, severity and log.iostream attribute, beyond its body */
const RECORD_OVERHEAD_BYTES = 80;
/** the SDKs' default attribute count limit (OTEL_ATTRIBUTE_COUNT_LIMIT), for the app's fields */
const MAX_FIELD_ATTRIBUTES = MAX_ANY_VALUE_ITEMS;
/** names this drain writes itself: an app field of the same name is left out (no duplicate keys) */
const OWN_ATTRIBUTES = new Set([
  'log.iostream',
  'forwarder.stream',
  'exception.type',
  'exception.message',
  'exception.stacktrace',
]);

/**
 * The OTel logs data model's SeverityNumber ranges (TRACE 1–4, DEBUG 5–8, INFO 9–12, WARN 13–16,
 * ERROR 17–20, FATAL 21–24) and short names: each of our levels is the first of its range.
 * https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-severitynumber
 */
export const SEVERITY: Readonly<Record<LevelName, readonly [number, string]>> = {
  trace: [1, 'TRACE'],
  debug: [5, 'DEBUG'],
  info: [9, 'INFO'],
  warn: [13, 'WARN'],
  error: [17, 'ERROR'],
  fatal: [21, 'FATAL'],
};

type Protocol = 'http/protobuf' | 'http/json';

interface OtlpConfig {
  url: string;
  protocol: Protocol;
  gzip: boolean;
  headers: Record<string, string>;
  timeoutMs: number;
  caFile: string | undefined;
  clientCertFile: string | undefined;
  clientKeyFile: string | undefined;
  /** resource attributes, in order */
  resource: (readonly [string, string])[];
  /** protobuf: Resource and InstrumentationScope, written once */
  envelope: { resource: Buffer; scope: Buffer };
  /** http/json: the request up to the first record, and after the last */
  jsonOpen: string;
  jsonClose: string;
  /** http/json: an event's time and read time as decimal ns, each cached on its last ms */
  timeNanos: (ms: number) => string;
  observedNanos: (ms: number) => string;
  /** by level / 10: protobuf severity fields and the JSON fragment */
  severityBytes: Buffer[];
  severityJson: string[];
  attributes: (ev: LogEvent) => Buffer;
  attributesJson: (ev: LogEvent) => string;
  /** names as the user set them, for hints */
  endpointName: string;
  headersName: string;
  version: string;
}

export const otlpDrain: DrainSpec<OtlpConfig> = {
  id: 'otlp',
  // the resource, in both encodings
  identityParts: ['resource', 'envelope', 'jsonOpen'],
  envPrefix: 'FORWARDER_OTLP_',
  description:
    'OTLP/HTTP logs (protobuf or JSON) to an OpenTelemetry Collector or any OTLP backend, configured by OTEL_EXPORTER_OTLP_*.',
  enabledBy: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT',
  settings: [
    {
      key: 'otlp.logs_endpoint',
      env: 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
      type: 'url',
      doc: 'Enables the drain: the full logs URL, used as given (http://collector:4318/v1/logs).',
    },
    {
      key: 'otlp.endpoint',
      env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      type: 'url',
      doc: 'Enables the drain: a base URL for every signal; /v1/logs is added to its path.',
    },
    {
      key: 'otlp.enabled',
      env: 'FORWARDER_OTLP',
      type: 'bool',
      default: true,
      doc: 'false (0) keeps this drain off while the OTEL_EXPORTER_OTLP_* variables stay set for the app’s own SDK.',
    },
    {
      key: 'otlp.headers',
      env: 'OTEL_EXPORTER_OTLP_LOGS_HEADERS',
      aliases: ['OTEL_EXPORTER_OTLP_HEADERS'],
      type: 'string',
      secret: true,
      doc: 'Request headers, k=v,k2=v2 with percent-encoded values (authorization=Bearer%20…); secret.',
    },
    {
      key: 'otlp.protocol',
      env: 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
      aliases: ['OTEL_EXPORTER_OTLP_PROTOCOL'],
      type: 'enum',
      values: ['http/protobuf', 'http/json', 'grpc'],
      default: 'http/protobuf',
      doc: 'http/protobuf or http/json (grpc is not supported: use the collector’s HTTP port, 4318).',
    },
    {
      key: 'otlp.compression',
      env: 'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION',
      aliases: ['OTEL_EXPORTER_OTLP_COMPRESSION'],
      type: 'enum',
      values: ['gzip', 'none'],
      default: 'none',
      doc: 'gzip or none (the exporter spec’s default); gzip saves most of the bandwidth for ~1 ms CPU per MiB.',
    },
    {
      key: 'otlp.timeout',
      env: 'OTEL_EXPORTER_OTLP_LOGS_TIMEOUT',
      aliases: ['OTEL_EXPORTER_OTLP_TIMEOUT'],
      type: 'int',
      min: 1,
      default: DEFAULT_TIMEOUT_MS,
      doc: 'Milliseconds one export may take (the exporter spec’s unit).',
    },
    {
      key: 'otlp.certificate',
      env: 'OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE',
      aliases: ['OTEL_EXPORTER_OTLP_CERTIFICATE'],
      type: 'string',
      doc: 'A PEM file of CA certificates trusted for the endpoint, on top of the system’s.',
    },
    {
      key: 'otlp.client_certificate',
      env: 'OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE',
      aliases: ['OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'],
      type: 'string',
      doc: 'A PEM client certificate for an endpoint that demands one (mTLS), with OTEL_EXPORTER_OTLP_CLIENT_KEY.',
    },
    {
      key: 'otlp.client_key',
      env: 'OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY',
      aliases: ['OTEL_EXPORTER_OTLP_CLIENT_KEY'],
      type: 'string',
      doc: 'The PEM private key of OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE.',
    },
    {
      key: 'otlp.service_name',
      env: 'OTEL_SERVICE_NAME',
      type: 'string',
      defaultDoc: 'the agent id',
      doc: 'The resource’s service.name.',
    },
    {
      key: 'otlp.resource_attributes',
      env: 'OTEL_RESOURCE_ATTRIBUTES',
      type: 'string',
      doc: 'Extra resource attributes, k=v,k2=v2 with percent-encoded values (deployment.environment.name=prod).',
    },
  ],
  configure(config: ResolvedConfig, ctx) {
    const logsEndpoint = config.get<string>('otlp.logs_endpoint');
    const baseEndpoint = config.get<string>('otlp.endpoint');
    if (!logsEndpoint && !baseEndpoint) return undefined;
    if (config.get<boolean>('otlp.enabled') === false) return undefined;
    const protocol = config.get<string>('otlp.protocol') as Protocol | 'grpc';
    if (protocol === 'grpc')
      throw new ConfigError(
        `${config.nameOf('otlp.protocol')}=grpc is not supported: use http/protobuf and the collector's OTLP/HTTP port (4318)`,
      );
    const url = logsEndpoint ?? logsUrl(baseEndpoint!);
    const headersRaw = config.get<Secret>('otlp.headers')?.reveal();
    const headers = headersRaw ? parsePairs(headersRaw, config.nameOf('otlp.headers'), true) : {};
    for (const v of Object.values(headers)) registerSecretValue(v);
    const caFile = readableFile(config, 'otlp.certificate');
    const clientCertFile = readableFile(config, 'otlp.client_certificate');
    const clientKeyFile = readableFile(config, 'otlp.client_key');
    if ((clientCertFile === undefined) !== (clientKeyFile === undefined))
      throw new ConfigError(
        `${config.nameOf(clientCertFile ? 'otlp.client_certificate' : 'otlp.client_key')} is set but ${clientCertFile ? 'OTEL_EXPORTER_OTLP_CLIENT_KEY' : 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE'} is missing`,
      );
    const { agentId, workerId, hostname, attributes } = ctx.identity;
    const fromEnv = parsePairs(
      config.get<string>('otlp.resource_attributes') ?? '',
      config.nameOf('otlp.resource_attributes'),
      false,
    );
    const resourceMap: Record<string, string> = {
      'service.name': agentId,
      'service.instance.id': workerId,
      'host.name': hostname,
      ...attributes,
      ...fromEnv,
    };
    // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (SDK configuration spec)
    const serviceName = config.get<string>('otlp.service_name')?.trim();
    if (serviceName) resourceMap['service.name'] = serviceName;
    const resource = Object.entries(resourceMap);
    const scope = { name: 'forwarder', version: ctx.version };
    const severityB: Buffer[] = [];
    const severityJ: string[] = [];
    for (let n = 0; n <= 60; n += 10) {
      const [num, text] = SEVERITY[levelName(n)];
      severityB.push(severityBytes(num, text));
      severityJ.push(`"severityNumber":${num},"severityText":"${text}"`);
    }
    const kv = (k: string, v: string) =>
      `{"key":${JSON.stringify(k)},"value":{"stringValue":${JSON.stringify(v)}}}`;
    return {
      url,
      protocol,
      gzip: config.get<string>('otlp.compression') === 'gzip',
      headers,
      timeoutMs: config.get<number>('otlp.timeout')!,
      caFile,
      clientCertFile,
      clientKeyFile,
      resource,
      envelope: envelope(resource, scope),
      jsonOpen: `{"resourceLogs":[{"resource":{"attributes":[${resource.map(([k, v]) => kv(k, v)).join(',')}]},"scopeLogs":[{"scope":${JSON.stringify(scope)},"logRecords":[`,
      jsonClose: ']}]}]}',
      timeNanos: cachedTime(nanos),
      observedNanos: cachedTime(nanos),
      severityBytes: severityB,
      severityJson: severityJ,
      attributes: cachedByStream((stream) =>
        isIoStream(stream)
          ? recordAttribute('log.iostream', stream)
          : recordAttribute('forwarder.stream', stream),
      ),
      attributesJson: cachedByStream((stream) =>
        isIoStream(stream) ? kv('log.iostream', stream) : kv('forwarder.stream', stream),
      ),
      endpointName: config.nameOf(logsEndpoint ? 'otlp.logs_endpoint' : 'otlp.endpoint'),
      headersName: config.nameOf('otlp.headers'),
      version: ctx.version,
    };
  },
  notices(config, c) {
    // Off on purpose while OTEL_* is set for the app's own SDK: say so once, not "not enabled".
    if (c !== undefined || config.get<boolean>('otlp.enabled') !== false) return [];
    if (!config.isSet('otlp.logs_endpoint') && !config.isSet('otlp.endpoint')) return [];
    return [
      {
        level: 'info',
        message: `off: ${config.nameOf('otlp.enabled')}=false; the OTEL_EXPORTER_OTLP_* settings are left to the app`,
      },
    ];
  },
  endpoint: (c) => `${maskUrl(c.url)} (${c.protocol}${c.gzip ? ', gzip' : ''})`,
  limits: (c) => ({
    maxBatchBytes: MAX_BATCH_BYTES,
    maxBatchRecords: MAX_RECORDS,
    maxRecordBytes: MAX_RECORD_BYTES,
    gzip: c.gzip,
  }),
  // http/protobuf: a plain event's record is its body text, and `payload` writes the LogRecord
  // around it; a structured event's record is its whole LogRecord (latin1 text of the bytes), so
  // the batch is sized with its attributes. Core's truncation re-encodes either with a shorter
  // message. http/json: the LogRecord as OTLP/JSON.
  encode: (ev, c) =>
    c.protocol === 'http/protobuf'
      ? hasStructure(ev)
        ? logRecordBytes(structuredParts(ev, c)).toString('latin1')
        : ev.message
      : `{"timeUnixNano":"${c.timeNanos(ev.timestamp)}","observedTimeUnixNano":"${c.observedNanos(ev.observedTimestamp)}",${c.severityJson[ev.level / 10] ?? c.severityJson[3]},"body":{"stringValue":${jsonString(ev.message)}},"attributes":[${c.attributesJson(ev)}${hasStructure(ev) ? structuredJson(ev) : ']'}}`,
  // one ExportLogsServiceRequest per batch, compressed by the transport
  payload: (batch, c) =>
    c.protocol === 'http/protobuf'
      ? buildProtobuf(batch, c)
      : jsonBody(batch.records, c.jsonOpen, c.jsonClose),
  // a LogRecord's fields around its body (times, severity, log.iostream, lengths), at most
  recordOverheadBytes: RECORD_OVERHEAD_BYTES,
  frameOverheadBytes: (c) =>
    c.protocol === 'http/protobuf'
      ? c.envelope.resource.length + c.envelope.scope.length + 16
      : Buffer.byteLength(c.jsonOpen) + Buffer.byteLength(c.jsonClose),
  sendsOverHttp: true,
  transport(c, ctx): Transport {
    const headers = {
      ...c.headers,
      'content-type': c.protocol === 'http/protobuf' ? 'application/x-protobuf' : 'application/json',
      'user-agent': `forwarder/${ctx.version}`,
    };
    return new HttpTransport({
      request: () => ({ url: c.url, headers }),
      gzip: c.gzip,
      connections: 2,
      timeoutMs: c.timeoutMs,
      ...(c.caFile ? { caFile: c.caFile } : {}),
      ...(c.clientCertFile && c.clientKeyFile
        ? { clientCertFile: c.clientCertFile, clientKeyFile: c.clientKeyFile }
        : {}),
      // a protobuf answer (partial_success, google.rpc.Status) kept byte for byte
      responseEncoding: c.protocol === 'http/protobuf' ? 'latin1' : 'utf8',
    });
  },
  classify(outcome: Outcome, c, batch: Batch, _attempt, now): Verdict {
    if (outcome.kind !== 'http') return defaultClassify(outcome, batch.events.length, now);
    const { status } = outcome;
    if (status >= 200 && status < 300) {
      const partial = partialSuccess(outcome.body, answerForm(outcome));
      if (partial === undefined || partial.rejected <= 0) return { action: 'ok' };
      const n = batch.events.length;
      const verdict = okVerdict({ otlp_rejected: Math.min(partial.rejected, n) }, n);
      return verdict.action === 'partial' && partial.message
        ? { ...verdict, detail: excerpt(partial.message, 300) }
        : verdict;
    }
    const detail = statusMessage(outcome.body, answerForm(outcome), c.protocol === 'http/protobuf');
    if (status === 413) return { action: 'split', reason: 'too_large' };
    if (RETRYABLE.has(status)) {
      const pause = retryAfterPause(outcome.headers['retry-after'], now);
      return {
        action: 'retry',
        reason: `http_${status}`,
        ...(detail ? { detail } : {}),
        ...(pause ? { pause: [pause] } : {}),
      };
    }
    return { action: 'reject', reason: `http_${status}`, ...(detail ? { detail } : {}) };
  },
  hint(outcome, c) {
    if (outcome.kind !== 'http')
      return connectionHint(
        outcome,
        maskUrl(c.url),
        `check ${c.endpointName} (a collector's OTLP/HTTP port is 4318)`,
      );
    switch (outcome.status) {
      case 401:
      case 403:
        return `${outcome.status} from ${maskUrl(c.url)}: the endpoint refused our credentials; check the authorization header in ${c.headersName}`;
      case 404:
        return `404 from ${maskUrl(c.url)}: no OTLP logs receiver at this path; OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/logs added, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is used as given`;
      case 415:
        return `415 from ${maskUrl(c.url)}: the endpoint does not take ${c.protocol}; set OTEL_EXPORTER_OTLP_PROTOCOL to the other one`;
      default:
        return undefined;
    }
  },
};

/** The exporter spec's rule: the base endpoint's path gets `v1/logs` (after a `/`). */
function logsUrl(base: string): string {
  const url = new URL(base);
  url.pathname = url.pathname.endsWith('/') ? url.pathname + LOGS_PATH : `${url.pathname}/${LOGS_PATH}`;
  return url.toString();
}

/**
 * `k=v,k2=v2` as OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES spell it (W3C Baggage
 * without properties): values percent-decoded, blanks around items ignored.
 */
export function parsePairs(raw: string, name: string, headers: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of raw.split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    const key = (eq === -1 ? '' : item.slice(0, eq)).trim();
    if (key === '')
      throw new ConfigError(`${name}: every item must be key=value (found ${JSON.stringify(item.trim())})`);
    let value: string;
    try {
      value = decodeURIComponent(item.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(`${name}: the value of ${key} is not valid percent-encoding`);
    }
    if (headers) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key))
        throw new ConfigError(`${name}: ${JSON.stringify(key)} is not a valid HTTP header name`);
      if (/[\r\n\0]/.test(value)) throw new ConfigError(`${name}: the value of ${key} has a line break`);
    }
    out[headers ? key.toLowerCase() : key] = value;
  }
  return out;
}

function isIoStream(stream: string): boolean {
  return stream === 'stdout' || stream === 'stderr';
}

function cachedByStream<T>(make: (stream: string) => T): (ev: LogEvent) => T {
  const cache = new Map<string, T>();
  return (ev) => {
    let v = cache.get(ev.stream);
    if (v === undefined) {
      v = make(ev.stream);
      cache.set(ev.stream, v);
    }
    return v;
  };
}

/** http/json: the request around the records, written once into one buffer (sizes first, no joined string). */
function jsonBody(records: readonly string[], open: string, close: string): Buffer {
  const sizes = new Array<number>(records.length);
  let total = Buffer.byteLength(open) + Buffer.byteLength(close) + Math.max(0, records.length - 1);
  for (let i = 0; i < records.length; i++) total += sizes[i] = Buffer.byteLength(records[i]!);
  const buf = Buffer.allocUnsafe(total);
  let off = buf.write(open, 0);
  for (let i = 0; i < records.length; i++) {
    if (i > 0) buf[off++] = 0x2c;
    off += buf.write(records[i]!, off, sizes[i]!);
  }
  buf.write(close, off);
  return buf;
}

/** epoch ms → decimal nanoseconds, as OTLP/JSON spells 64-bit integers (a string). */
function nanos(ms: number): string {
  const whole = Math.floor(ms);
  const fraction = Math.round((ms - whole) * 1e6);
  return fraction === 0 ? `${whole}000000` : `${whole}${String(fraction).padStart(6, '0')}`;
}

/** The batch as one ExportLogsServiceRequest; the records are the (possibly truncated) bodies, or whole LogRecords. */
export function buildProtobuf(batch: Batch, c: OtlpConfig): Buffer {
  const parts: OtlpRecord[] = new Array(batch.events.length);
  for (let i = 0; i < batch.events.length; i++) {
    const ev = batch.events[i]!;
    parts[i] = hasStructure(ev)
      ? { prebuilt: Buffer.from(batch.records[i]!, 'latin1') }
      : {
          timeMs: ev.timestamp,
          observedMs: ev.observedTimestamp,
          severity: c.severityBytes[ev.level / 10] ?? c.severityBytes[3]!,
          body: batch.records[i]!,
          attributes: c.attributes(ev),
        };
  }
  return encodeExportRequest(c.envelope, parts);
}

/** Whether the event carries more than a plain line: fields, trace ids or an error. */
function hasStructure(ev: LogEvent): boolean {
  return (
    ev.fieldsJson !== undefined ||
    ev.traceId !== undefined ||
    ev.spanId !== undefined ||
    ev.error !== undefined
  );
}

/** The app's fields as [key, value] attributes, ours left out, at most MAX_FIELD_ATTRIBUTES; and how many were left. */
function fieldEntries(ev: LogEvent): { entries: [string, unknown][]; dropped: number } {
  const entries: [string, unknown][] = [];
  let dropped = 0;
  if (ev.fieldsJson === undefined) return { entries, dropped };
  const fields = JSON.parse(ev.fieldsJson) as Record<string, unknown>;
  for (const k of Object.keys(fields)) {
    if (OWN_ATTRIBUTES.has(k) || entries.length >= MAX_FIELD_ATTRIBUTES) dropped++;
    else entries.push([k, fields[k]]);
  }
  return { entries, dropped };
}

/** exception.* attributes of an error (type and stack trace left out when unknown, not sent empty) */
function exceptionEntries(ev: LogEvent): [string, string][] {
  const e = ev.error;
  if (e === undefined) return [];
  const out: [string, string][] = [];
  if (e.kind !== '') out.push(['exception.type', e.kind]);
  out.push(['exception.message', e.message]);
  if (e.stack !== '') out.push(['exception.stacktrace', e.stack]);
  return out;
}

/** A structured event's LogRecord parts (protobuf). */
function structuredParts(ev: LogEvent, c: OtlpConfig): OtlpRecordParts {
  const { entries, dropped } = fieldEntries(ev);
  return {
    timeMs: ev.timestamp,
    observedMs: ev.observedTimestamp,
    severity: c.severityBytes[ev.level / 10] ?? c.severityBytes[3]!,
    body: ev.message,
    attributes: c.attributes(ev),
    fields: entries,
    strings: exceptionEntries(ev),
    ...(dropped > 0 ? { droppedAttributes: dropped } : {}),
    ...(ev.traceId !== undefined ? { traceId: ev.traceId } : {}),
    ...(ev.spanId !== undefined ? { spanId: ev.spanId } : {}),
  };
}

/**
 * The rest of a structured record in OTLP/JSON, from the attributes list on: the fields and
 * exception attributes, `]`, then droppedAttributesCount and the ids as hex (the OTLP/JSON
 * encoding's rule for traceId / spanId, not protobuf JSON's base64).
 */
function structuredJson(ev: LogEvent): string {
  const { entries, dropped } = fieldEntries(ev);
  let out = '';
  for (const [k, v] of entries) out += `,{"key":${jsonString(k)},"value":${anyValueJson(v)}}`;
  for (const [k, v] of exceptionEntries(ev))
    out += `,{"key":"${k}","value":{"stringValue":${jsonString(v)}}}`;
  out += ']';
  if (dropped > 0) out += `,"droppedAttributesCount":${dropped}`;
  if (ev.traceId !== undefined) out += `,"traceId":"${ev.traceId}"`;
  if (ev.spanId !== undefined) out += `,"spanId":"${ev.spanId}"`;
  return out;
}

/** A JSON value as an OTLP/JSON AnyValue (int64 as a decimal string; null as the empty AnyValue). */
function anyValueJson(v: unknown): string {
  if (v === null || v === undefined) return '{}';
  switch (typeof v) {
    case 'string':
      return `{"stringValue":${jsonString(v)}}`;
    case 'boolean':
      return `{"boolValue":${v}}`;
    case 'number':
      return Number.isSafeInteger(v) ? `{"intValue":"${v}"}` : `{"doubleValue":${v}}`;
    case 'object': {
      if (Array.isArray(v))
        return `{"arrayValue":{"values":[${v.slice(0, MAX_ANY_VALUE_ITEMS).map(anyValueJson).join(',')}]}}`;
      const keys = Object.keys(v as object).slice(0, MAX_ANY_VALUE_ITEMS);
      return `{"kvlistValue":{"values":[${keys.map((k) => `{"key":${jsonString(k)},"value":${anyValueJson((v as Record<string, unknown>)[k])}}`).join(',')}]}}`;
    }
    default:
      return `{"stringValue":${jsonString(String(v))}}`;
  }
}

type AnswerForm = 'protobuf' | 'json' | 'text';

/** How an answer is written, by its Content-Type (OTLP answers in the request's form; a proxy in text). */
function answerForm(outcome: Outcome & { kind: 'http' }): AnswerForm {
  const raw = outcome.headers['content-type'];
  const type = (Array.isArray(raw) ? raw[0] : raw)?.toLowerCase() ?? '';
  if (type.includes('protobuf')) return 'protobuf';
  if (type.includes('json')) return 'json';
  return 'text';
}

/** partial_success from a 2xx answer; undefined when absent or unreadable. */
function partialSuccess(body: string, form: AnswerForm): { rejected: number; message: string } | undefined {
  if (body === '' || form === 'text') return undefined;
  if (form === 'protobuf') {
    try {
      return decodePartialSuccess(Buffer.from(body, 'latin1'));
    } catch {
      return undefined;
    }
  }
  try {
    const o = JSON.parse(body) as {
      partialSuccess?: { rejectedLogRecords?: unknown; errorMessage?: unknown };
    };
    const p = o.partialSuccess;
    if (p === undefined || p === null) return undefined;
    return {
      rejected: Number(p.rejectedLogRecords ?? 0) || 0,
      message: typeof p.errorMessage === 'string' ? p.errorMessage : '',
    };
  } catch {
    return undefined;
  }
}

/** The message of an error answer: a google.rpc.Status (protobuf or JSON), or a proxy's text. */
function statusMessage(body: string, form: AnswerForm, latin1: boolean): string | undefined {
  if (body === '') return undefined;
  const text = latin1 ? Buffer.from(body, 'latin1').toString('utf8') : body;
  if (form === 'protobuf') {
    try {
      const message = decodeStatusMessage(Buffer.from(body, latin1 ? 'latin1' : 'utf8'));
      if (message) return excerpt(message, 300);
    } catch {
      // not a Status after all
    }
  } else if (form === 'json') {
    try {
      const o = JSON.parse(text) as { message?: unknown };
      if (typeof o.message === 'string') return excerpt(o.message, 300);
    } catch {
      // not JSON after all
    }
  }
  return excerpt(text, 300);
}
