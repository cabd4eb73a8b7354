/**
 * A strict OTLP/HTTP logs receiver: what an OpenTelemetry Collector's `otlp` receiver
 * (protocols.http) accepts and answers, decoded with the official proto definitions (the
 * protobufjs root that @opentelemetry/otlp-transformer 0.57 generated from opentelemetry-proto).
 *
 * Enforced (OTLP spec, "OTLP/HTTP"): `POST /v1/logs` (404 elsewhere, 405 for other methods);
 * Content-Type `application/x-protobuf` or `application/json` (415 otherwise); Content-Encoding
 * gzip, deflate or identity; a body that decodes as an ExportLogsServiceRequest (400 with a
 * google.rpc.Status otherwise, in the request's form); `authorization` must be one of `tokens`
 * when given (401, as the collector's auth extensions answer). OTLP/JSON: camelCase field names,
 * 64-bit integers as decimal strings or numbers, enums as integers, `body` an AnyValue with one
 * value; unknown fields are refused (stricter than the collector, which skips them: we send none).
 * Answer: 200 with an ExportLogsServiceResponse in the request's form; `failWhen` rejects records
 * (partial_success with rejected_log_records and error_message).
 *
 * Trace ids as the collector checks them: `traceId` 16 bytes and `spanId` 8 bytes when present
 * (protobuf); in OTLP/JSON hex strings of 32 and 16 digits (the OTLP/JSON encoding's rule, not
 * protobuf JSON's base64), refused otherwise. AnyValues are checked all the way down (one value
 * each, or none: the empty AnyValue is OTLP's null).
 *
 * Stricter than a collector (our contract, not the protocol's): every record has a time, a
 * SeverityNumber in 1–24 with the spec's short name, a string body; the resource has service.name.
 *
 * `countOnly` (the bench's sink): OTLP/JSON bodies are parsed and checked field by field as above
 * (checkJson), then their records counted without protobufjs' `fromObject` and without the
 * per-record contract checks (time, severity, body); each resource must still name service.name.
 * Protobuf bodies are decoded and checked as always.
 */
import { createRequire } from 'node:module';
import {
  HttpReceiver,
  header,
  mediaType,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: protobufjs' generated static root, typed as a bare Root
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as any;
const v1 = root.opentelemetry.proto;
const Request = v1.collector.logs.v1.ExportLogsServiceRequest;
const Response = v1.collector.logs.v1.ExportLogsServiceResponse;
/** google.rpc.Status, as the collector writes errors: { int32 code = 1; string message = 2; } */
const STATUS_INVALID_ARGUMENT = 3;
const STATUS_UNAUTHENTICATED = 16;

/** An attribute's value as plain JS: an int64 as a number, ArrayValue as an array, KeyValueList as an object, empty as null. */
export type OtlpValue = string | number | boolean | null | OtlpValue[] | { [k: string]: OtlpValue };

/** One accepted LogRecord, flattened with its resource and scope. */
export interface OtlpRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Record<string, OtlpValue>;
  droppedAttributesCount: number;
  /** hex, '' when absent */
  traceId: string;
  spanId: string;
  resource: Record<string, string>;
  scope: { name: string; version: string };
}

export interface OtlpReceiverOptions extends ReceiverOptions<OtlpRecord> {
  /** accepted `authorization` header values; none = no authentication */
  tokens?: string[];
  /** return an error text to reject that record (partial success), undefined to take it */
  failWhen?: (r: OtlpRecord) => string | undefined;
  /** the collector's max_request_body_size (default 20 MiB) */
  maxDecodedBytes?: number;
  /** OTLP/JSON: count records without building the protobuf message (bench): needs keepRecords false, no trackIds, no failWhen */
  countOnly?: boolean;
}

const SHORT_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export class OtlpReceiver extends HttpReceiver<OtlpRecord> {
  protected readonly vendor = 'otlp';
  // a collector answers transient trouble with 502/503 (retryable under the OTLP spec); its 500s are final
  protected override readonly transientStatuses: readonly [number, number] = [502, 503];
  /** records rejected through failWhen */
  rejectedRecords = 0;
  readonly #tokens: Set<string> | undefined;
  readonly #failWhen: OtlpReceiverOptions['failWhen'];
  readonly #maxDecodedBytes: number;
  readonly #countOnly: boolean;
  /** the form of the request being answered, for fault answers */
  #lastJson = false;

  constructor(opts: OtlpReceiverOptions = {}) {
    super(opts);
    this.#tokens = opts.tokens ? new Set(opts.tokens) : undefined;
    this.#failWhen = opts.failWhen;
    this.#maxDecodedBytes = opts.maxDecodedBytes ?? 20 * 1024 * 1024;
    this.#countOnly = opts.countOnly ?? false;
    if (this.#countOnly && (this.recordsWanted || opts.failWhen))
      throw new Error(
        'OtlpReceiver: countOnly builds no records: set keepRecords false, no trackIds, no failWhen',
      );
  }

  protected override faultReply(status: number) {
    return this.#status(status === 429 || status >= 500 ? 14 : 3, `fault ${status}`, this.#lastJson);
  }

  protected async handle(req: ReceivedRequest, raw: Buffer, truncated: boolean): Promise<Reply<OtlpRecord>> {
    const type = mediaType(req.headers);
    const json = type === 'application/json';
    this.#lastJson = json;
    const fail = (status: number, code: number, message: string): Reply<OtlpRecord> => ({
      status,
      ...this.#status(code, message, json),
      error: message,
    });
    if (req.path !== '/v1/logs')
      return { status: 404, body: '404 page not found', error: `path ${req.path}` };
    if (req.method !== 'POST') return { status: 405, body: '405 method not allowed', error: 'method' };
    if (this.#tokens) {
      const authz = header(req.headers, 'authorization');
      if (!authz || !this.#tokens.has(authz)) return fail(401, STATUS_UNAUTHENTICATED, 'Unauthenticated');
    }
    if (!json && type !== 'application/x-protobuf')
      return {
        status: 415,
        body: '415 unsupported media type, supported: [application/json, application/x-protobuf]',
        error: `content-type ${type}`,
      };
    const dec = await this.decode(req, raw, truncated, this.#maxDecodedBytes, ['gzip', 'deflate']);
    if (!dec.ok) {
      if (dec.reason === 'too_large') return fail(413, STATUS_INVALID_ARGUMENT, dec.detail);
      return fail(400, STATUS_INVALID_ARGUMENT, dec.detail);
    }
    let message: unknown;
    try {
      if (json) {
        const parsed = JSON.parse(dec.body.toString('utf8')) as unknown;
        const problem = checkJson(parsed);
        if (problem) return fail(400, STATUS_INVALID_ARGUMENT, problem);
        if (this.#countOnly) {
          const n = countJsonRecords(parsed);
          if (typeof n === 'string') return fail(400, STATUS_INVALID_ARGUMENT, n);
          return { status: 200, body: '{}', headers: { 'content-type': 'application/json' }, counted: n };
        }
        message = Request.fromObject(hexIdsToBase64(parsed));
      } else message = Request.decode(dec.body);
    } catch (e) {
      return fail(400, STATUS_INVALID_ARGUMENT, `unmarshal: ${(e as Error).message}`);
    }
    // Walk the decoded message itself: building every record (times as strings) is done only
    // when someone looks at the records, so the bench's count-only receiver stays cheap.
    const build = this.recordsWanted || this.#failWhen !== undefined;
    const records: OtlpRecord[] = [];
    let count = 0;
    for (const rl of (message as { resourceLogs: DecodedResourceLogs[] }).resourceLogs) {
      const resource = stringMap(rl.resource?.attributes);
      if (!resource['service.name'])
        return fail(400, STATUS_INVALID_ARGUMENT, 'resource without service.name');
      for (const sl of rl.scopeLogs ?? []) {
        const scope = { name: sl.scope?.name ?? '', version: sl.scope?.version ?? '' };
        for (const lr of sl.logRecords ?? []) {
          const problem = checkRecord(lr);
          if (problem) return fail(400, STATUS_INVALID_ARGUMENT, problem);
          count++;
          if (!build) continue;
          records.push({
            timeUnixNano: String(lr.timeUnixNano),
            observedTimeUnixNano: String(lr.observedTimeUnixNano),
            severityNumber: lr.severityNumber,
            severityText: lr.severityText,
            body: lr.body!.stringValue!,
            attributes: kvMap(lr.attributes),
            droppedAttributesCount: lr.droppedAttributesCount ?? 0,
            traceId: hex(lr.traceId),
            spanId: hex(lr.spanId),
            resource,
            scope,
          });
        }
      }
    }
    if (!build) {
      // counted, not built: an array of the right length is all the base class reads
      return {
        status: 200,
        body: json ? '{}' : Buffer.alloc(0),
        headers: { 'content-type': json ? 'application/json' : 'application/x-protobuf' },
        records: new Array<OtlpRecord>(count),
      };
    }
    const accepted: OtlpRecord[] = [];
    let rejected = 0;
    let firstError = '';
    for (const r of records) {
      const err = this.#failWhen?.(r);
      if (err === undefined) accepted.push(r);
      else {
        rejected++;
        firstError ||= err;
      }
    }
    this.rejectedRecords += rejected;
    const response =
      rejected > 0 ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage: firstError } } : {};
    const body = json
      ? JSON.stringify(
          rejected > 0
            ? { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: firstError } }
            : {},
        )
      : Buffer.from(Response.encode(Response.fromObject(response)).finish());
    return {
      status: 200,
      body,
      headers: { 'content-type': json ? 'application/json' : 'application/x-protobuf' },
      records: accepted,
      ...(rejected > 0 ? { error: `${rejected} records rejected` } : {}),
    };
  }

  /** A google.rpc.Status answer in the request's form. */
  #status(
    code: number,
    message: string,
    json: boolean,
  ): { body: string | Buffer; headers: Record<string, string> } {
    if (json)
      return { body: JSON.stringify({ code, message }), headers: { 'content-type': 'application/json' } };
    return {
      body: Buffer.concat([
        Buffer.from([0x08, code, 0x12]),
        varint(Buffer.byteLength(message)),
        Buffer.from(message),
      ]),
      headers: { 'content-type': 'application/x-protobuf' },
    };
  }
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

interface DecodedAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: number | { toString(): string } | null;
  doubleValue?: number | null;
  arrayValue?: { values?: DecodedAnyValue[] } | null;
  kvlistValue?: { values?: DecodedKeyValue[] } | null;
}
interface DecodedKeyValue {
  key: string;
  value?: DecodedAnyValue | null;
}
type Fixed64 = number | { low: number; high: number; toString(): string } | null | undefined;
interface DecodedLogRecord {
  timeUnixNano?: Fixed64;
  observedTimeUnixNano?: Fixed64;
  severityNumber: number;
  severityText: string;
  body?: { stringValue?: string | null } | null;
  attributes?: DecodedKeyValue[];
  droppedAttributesCount?: number;
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
}
interface DecodedResourceLogs {
  resource?: { attributes?: DecodedKeyValue[] } | null;
  scopeLogs?: { scope?: { name?: string; version?: string } | null; logRecords?: DecodedLogRecord[] }[];
}

function stringMap(list: DecodedKeyValue[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) out[kv.key] = kv.value?.stringValue ?? '';
  return out;
}

function kvMap(list: DecodedKeyValue[] | undefined): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  for (const kv of list ?? []) out[kv.key] = plain(kv.value);
  return out;
}

/** The AnyValue's one value (protobufjs leaves unset oneof members null or absent). */
function plain(v: DecodedAnyValue | null | undefined): OtlpValue {
  if (!v) return null;
  if (v.stringValue !== undefined && v.stringValue !== null) return v.stringValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  if (v.intValue !== undefined && v.intValue !== null) return Number(v.intValue.toString());
  if (v.doubleValue !== undefined && v.doubleValue !== null) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plain);
  if (v.kvlistValue) return kvMap(v.kvlistValue.values);
  return null;
}

function hex(id: Uint8Array | null | undefined): string {
  return id ? Buffer.from(id).toString('hex') : '';
}

/** OTLP/JSON's hex ids as protobufjs' fromObject reads bytes (base64); checkJson vetted them. */
function hexIdsToBase64(v: unknown): unknown {
  for (const rl of (v as { resourceLogs?: { scopeLogs?: { logRecords?: Record<string, unknown>[] }[] }[] })
    .resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const lr of sl.logRecords ?? [])
        for (const k of ['traceId', 'spanId'])
          if (typeof lr[k] === 'string') lr[k] = Buffer.from(lr[k] as string, 'hex').toString('base64');
  return v;
}

/** a fixed64 as protobufjs gives it (a Long, or a number when small): set and not zero */
function isSet(t: Fixed64): boolean {
  if (t === undefined || t === null) return false;
  return typeof t === 'number' ? t > 0 : t.low !== 0 || t.high !== 0;
}

function checkRecord(r: DecodedLogRecord): string | undefined {
  if (!isSet(r.timeUnixNano)) return 'log record without timeUnixNano';
  if (!isSet(r.observedTimeUnixNano)) return 'log record without observedTimeUnixNano';
  const sev = r.severityNumber;
  if (!(sev >= 1 && sev <= 24)) return `severityNumber ${sev} out of range`;
  const short = SHORT_NAMES[Math.floor((sev - 1) / 4)];
  if (r.severityText !== short) return `severityText ${r.severityText} for severityNumber ${sev}`;
  if (typeof r.body?.stringValue !== 'string') return 'log record without a string body';
  const trace = r.traceId?.length ?? 0;
  if (trace !== 0 && trace !== 16) return `invalid length for ID: traceId is ${trace} bytes`;
  const span = r.spanId?.length ?? 0;
  if (span !== 0 && span !== 8) return `invalid length for ID: spanId is ${span} bytes`;
  return undefined;
}

const JSON_FIELDS: Record<string, readonly string[]> = {
  request: ['resourceLogs'],
  resourceLogs: ['resource', 'scopeLogs', 'schemaUrl'],
  resource: ['attributes', 'droppedAttributesCount'],
  scopeLogs: ['scope', 'logRecords', 'schemaUrl'],
  scope: ['name', 'version', 'attributes', 'droppedAttributesCount'],
  logRecord: [
    'timeUnixNano',
    'observedTimeUnixNano',
    'severityNumber',
    'severityText',
    'body',
    'attributes',
    'droppedAttributesCount',
    'flags',
    'traceId',
    'spanId',
    'eventName',
  ],
  keyValue: ['key', 'value'],
};
const ANY_VALUE_KEYS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
];

/** OTLP/JSON's rules that protobufjs' fromObject would let pass. */
function checkJson(v: unknown): string | undefined {
  const obj = (x: unknown, kind: string): string | undefined => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return `${kind} must be an object`;
    for (const k of Object.keys(x)) if (!JSON_FIELDS[kind]!.includes(k)) return `unknown field ${kind}.${k}`;
    return undefined;
  };
  const int64 = (x: unknown, name: string): string | undefined =>
    x === undefined ||
    (typeof x === 'string' && /^-?\d+$/.test(x)) ||
    (typeof x === 'number' && Number.isInteger(x))
      ? undefined
      : `${name} must be an integer or a decimal string`;
  const list = (x: unknown, kind: string, each: (e: unknown) => string | undefined): string | undefined => {
    if (x === undefined) return undefined;
    if (!Array.isArray(x)) return `${kind} must be an array`;
    for (const e of x) {
      const p = each(e);
      if (p) return p;
    }
    return undefined;
  };
  const anyValue = (x: unknown): string | undefined => {
    if (typeof x !== 'object' || x === null) return 'AnyValue must be an object';
    const keys = Object.keys(x);
    if (keys.length === 0) return undefined; // the empty AnyValue: null
    if (keys.length !== 1 || !ANY_VALUE_KEYS.includes(keys[0]!))
      return `AnyValue with fields ${keys.join(',')}`;
    const inner = (x as Record<string, unknown>)[keys[0]!];
    switch (keys[0]) {
      case 'stringValue':
        return typeof inner === 'string' ? undefined : 'stringValue must be a string';
      case 'boolValue':
        return typeof inner === 'boolean' ? undefined : 'boolValue must be a boolean';
      case 'intValue':
        return int64(inner, 'intValue');
      case 'doubleValue':
        return typeof inner === 'number' ? undefined : 'doubleValue must be a number';
      case 'arrayValue':
      case 'kvlistValue': {
        if (typeof inner !== 'object' || inner === null || Array.isArray(inner))
          return `${keys[0]} must be an object`;
        const extra = Object.keys(inner).filter((k) => k !== 'values');
        if (extra.length > 0) return `unknown field ${keys[0]}.${extra[0]}`;
        const values = (inner as { values?: unknown }).values;
        return keys[0] === 'arrayValue' ? list(values, 'values', anyValue) : keyValues(values);
      }
      default:
        return undefined;
    }
  };
  const hexId = (x: unknown, name: string, digits: number): string | undefined =>
    x === undefined || x === '' || (typeof x === 'string' && x.length === digits && /^[0-9a-fA-F]+$/.test(x))
      ? undefined
      : `invalid length for ID: ${name} must be ${digits} hex digits (OTLP/JSON), got ${JSON.stringify(x)}`;
  const keyValues = (x: unknown): string | undefined =>
    list(x, 'attributes', (kv) => {
      const p = obj(kv, 'keyValue');
      if (p) return p;
      const { key, value } = kv as { key: unknown; value: unknown };
      if (typeof key !== 'string') return 'KeyValue.key must be a string';
      return value === undefined ? undefined : anyValue(value);
    });
  const top = obj(v, 'request');
  if (top) return top;
  return list((v as { resourceLogs: unknown }).resourceLogs, 'resourceLogs', (rl) => {
    const p = obj(rl, 'resourceLogs');
    if (p) return p;
    const r = rl as { resource?: unknown; scopeLogs?: unknown };
    if (r.resource !== undefined) {
      const q = obj(r.resource, 'resource') ?? keyValues((r.resource as { attributes?: unknown }).attributes);
      if (q) return q;
    }
    return list(r.scopeLogs, 'scopeLogs', (sl) => {
      const s = obj(sl, 'scopeLogs');
      if (s) return s;
      const scope = (sl as { scope?: unknown }).scope;
      if (scope !== undefined) {
        const q = obj(scope, 'scope');
        if (q) return q;
      }
      return list((sl as { logRecords?: unknown }).logRecords, 'logRecords', (lr) => {
        const q = obj(lr, 'logRecord');
        if (q) return q;
        const rec = lr as Record<string, unknown>;
        const sev = rec.severityNumber;
        if (sev !== undefined && (typeof sev !== 'number' || !Number.isInteger(sev)))
          return 'severityNumber must be an integer';
        return (
          int64(rec.timeUnixNano, 'timeUnixNano') ??
          int64(rec.observedTimeUnixNano, 'observedTimeUnixNano') ??
          (rec.body === undefined ? undefined : anyValue(rec.body)) ??
          keyValues(rec.attributes) ??
          hexId(rec.traceId, 'traceId', 32) ??
          hexId(rec.spanId, 'spanId', 16)
        );
      });
    });
  });
}

/** count-only OTLP/JSON (after checkJson): the records of every scope, or what is wrong. */
function countJsonRecords(parsed: unknown): number | string {
  type Json = {
    resourceLogs?: {
      resource?: { attributes?: { key: string }[] };
      scopeLogs?: { logRecords?: unknown[] }[];
    }[];
  };
  let n = 0;
  for (const rl of (parsed as Json).resourceLogs ?? []) {
    if (!rl.resource?.attributes?.some((a) => a.key === 'service.name'))
      return 'resource without service.name';
    for (const sl of rl.scopeLogs ?? []) n += sl.logRecords?.length ?? 0;
  }
  return n;
}
