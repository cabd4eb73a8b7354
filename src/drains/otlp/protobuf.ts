/**
 * The protobuf wire form of an OTLP logs export (opentelemetry-proto, collector/logs/v1 and
 * logs/v1), written directly: this drain sends one message shape with a few LogRecord fields, so a
 * general protobuf library would only add a per-record object and a second copy. The field
 * numbers below are the official proto's; test/drains/otlp.test.ts decodes what this writes with
 * the official definitions (compiled by @opentelemetry/otlp-transformer) and compares it with
 * protobufjs' own encoding of the same message, byte for byte.
 *
 *   ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
 *   ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
 *   Resource { repeated KeyValue attributes = 1; }
 *   ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
 *   InstrumentationScope { string name = 1; string version = 2; }
 *   LogRecord { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2;
 *               string severity_text = 3; AnyValue body = 5; repeated KeyValue attributes = 6;
 *               uint32 dropped_attributes_count = 7; bytes trace_id = 9; bytes span_id = 10;
 *               fixed64 observed_time_unix_nano = 11; }
 *   KeyValue { string key = 1; AnyValue value = 2; }
 *   AnyValue { oneof { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
 *              double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; } }
 *   ArrayValue { repeated AnyValue values = 1; }   KeyValueList { repeated KeyValue values = 1; }
 *
 * Fields are written in field-number order, as protobufjs writes them.
 */

/** One record's parts, as the encoder needs them. */
export interface OtlpRecordParts {
  /** epoch ms (may have a fraction): the app's time */
  timeMs: number;
  /** epoch ms: when the line was read */
  observedMs: number;
  /** tag + value bytes of severity_number and severity_text, built once per level */
  severity: Buffer;
  body: string;
  /** tag + length + KeyValue bytes of each attribute (see recordAttribute, recordAnyAttribute) */
  attributes: Buffer;
  /** app fields left out (the attribute count limit) */
  droppedAttributes?: number;
  /** 16 bytes */
  traceId?: Buffer;
  /** 8 bytes */
  spanId?: Buffer;
}

/** A record written ahead (logRecordBytes: a structured event), or the parts of a plain one. */
export type OtlpRecord = OtlpRecordParts | { prebuilt: Buffer };

// tag = field number << 3 | wire type (0 varint, 1 fixed64, 2 length-delimited)
const TAG_TIME = (1 << 3) | 1;
const TAG_SEVERITY_NUMBER = (2 << 3) | 0;
const TAG_BODY = (5 << 3) | 2;
const TAG_ATTRIBUTE = (6 << 3) | 2;
const TAG_DROPPED = (7 << 3) | 0;
const TAG_TRACE_ID = (9 << 3) | 2;
const TAG_SPAN_ID = (10 << 3) | 2;
const TAG_OBSERVED_TIME = (11 << 3) | 1;
const TAG_FIELD_1 = (1 << 3) | 2;
const TAG_FIELD_2 = (2 << 3) | 2;

export function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, n: number, off: number): number {
  while (n >= 0x80) {
    buf[off++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[off++] = n;
  return off;
}

/** epoch ms → fixed64 nanoseconds, little-endian, exact (ms × 10⁶ is past 2⁵³, so in two halves). */
function writeNanos(buf: Buffer, ms: number, off: number): number {
  const whole = Math.floor(ms);
  const fraction = Math.round((ms - whole) * 1e6);
  const hiMs = Math.floor(whole / 4294967296);
  const lo = (whole - hiMs * 4294967296) * 1e6 + fraction;
  const loWord = lo % 4294967296;
  buf.writeUInt32LE(loWord, off);
  buf.writeUInt32LE(hiMs * 1e6 + (lo - loWord) / 4294967296, off + 4);
  return off + 8;
}

/** A length-delimited field: tag, length, bytes. */
export function field(fieldNumber: number, content: Buffer): Buffer {
  const head = Buffer.alloc(1 + varintSize(content.length));
  head[0] = (fieldNumber << 3) | 2;
  writeVarint(head, content.length, 1);
  return Buffer.concat([head, content]);
}

export function stringField(fieldNumber: number, text: string): Buffer {
  return field(fieldNumber, Buffer.from(text, 'utf8'));
}

/** KeyValue { key, value: AnyValue { string_value } } */
export function keyValue(key: string, value: string): Buffer {
  return Buffer.concat([stringField(1, key), field(2, stringField(1, value))]);
}

/** severity_number and severity_text of a record (written once per level). */
export function severityBytes(num: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([TAG_SEVERITY_NUMBER, num]), stringField(3, text)]);
}

/** Resource { attributes } and InstrumentationScope { name, version } as the fields ResourceLogs and ScopeLogs open with. */
export function envelope(
  resource: readonly (readonly [string, string])[],
  scope: { name: string; version: string },
): { resource: Buffer; scope: Buffer } {
  const attrs = Buffer.concat(resource.map(([k, v]) => field(1, keyValue(k, v))));
  return {
    resource: field(1, attrs),
    scope: field(1, Buffer.concat([stringField(1, scope.name), stringField(2, scope.version)])),
  };
}

/**
 * One ExportLogsServiceRequest with one ResourceLogs and one ScopeLogs holding every record:
 * sizes first (the nesting is length-prefixed), then one buffer written front to back. A plain
 * record (body, severity, the stream attribute, two times) is written here directly; a
 * structured one comes written ahead (`prebuilt`).
 */
export function encodeExportRequest(
  env: { resource: Buffer; scope: Buffer },
  records: readonly OtlpRecord[],
): Buffer {
  const n = records.length;
  const bodyBytes = new Array<number>(n);
  const recordBytes = new Array<number>(n);
  let scopeLogs = env.scope.length;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    let size: number;
    if ('prebuilt' in r) size = r.prebuilt.length;
    else {
      const text = Buffer.byteLength(r.body);
      bodyBytes[i] = text;
      size = plainSize(r, text);
    }
    recordBytes[i] = size;
    scopeLogs += 1 + varintSize(size) + size;
  }
  const resourceLogs = env.resource.length + 1 + varintSize(scopeLogs) + scopeLogs;
  const total = 1 + varintSize(resourceLogs) + resourceLogs;
  const buf = Buffer.allocUnsafe(total);
  let off = 0;
  buf[off++] = TAG_FIELD_1;
  off = writeVarint(buf, resourceLogs, off);
  off += env.resource.copy(buf, off);
  buf[off++] = TAG_FIELD_2;
  off = writeVarint(buf, scopeLogs, off);
  off += env.scope.copy(buf, off);
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    buf[off++] = TAG_FIELD_2;
    off = writeVarint(buf, recordBytes[i]!, off);
    off = 'prebuilt' in r ? off + r.prebuilt.copy(buf, off) : writeRecord(buf, off, r, bodyBytes[i]!);
  }
  return buf;
}

/** A LogRecord's bytes (without its own tag and length), for a record written ahead. */
export function logRecordBytes(r: OtlpRecordParts): Buffer {
  const text = Buffer.byteLength(r.body);
  const buf = Buffer.allocUnsafe(plainSize(r, text));
  writeRecord(buf, 0, r, text);
  return buf;
}

function plainSize(r: OtlpRecordParts, text: number): number {
  const anyValue = 1 + varintSize(text) + text;
  let size = 9 + 9 + r.severity.length + 1 + varintSize(anyValue) + anyValue + r.attributes.length;
  if (r.droppedAttributes) size += 1 + varintSize(r.droppedAttributes);
  if (r.traceId) size += 2 + r.traceId.length;
  if (r.spanId) size += 2 + r.spanId.length;
  return size;
}

function writeRecord(buf: Buffer, off: number, r: OtlpRecordParts, text: number): number {
  buf[off++] = TAG_TIME;
  off = writeNanos(buf, r.timeMs, off);
  off += r.severity.copy(buf, off);
  buf[off++] = TAG_BODY;
  off = writeVarint(buf, 1 + varintSize(text) + text, off);
  buf[off++] = TAG_FIELD_1;
  off = writeVarint(buf, text, off);
  off += buf.write(r.body, off, 'utf8');
  off += r.attributes.copy(buf, off);
  if (r.droppedAttributes) {
    buf[off++] = TAG_DROPPED;
    off = writeVarint(buf, r.droppedAttributes, off);
  }
  if (r.traceId) {
    buf[off++] = TAG_TRACE_ID;
    buf[off++] = r.traceId.length;
    off += r.traceId.copy(buf, off);
  }
  if (r.spanId) {
    buf[off++] = TAG_SPAN_ID;
    buf[off++] = r.spanId.length;
    off += r.spanId.copy(buf, off);
  }
  buf[off++] = TAG_OBSERVED_TIME;
  return writeNanos(buf, r.observedMs, off);
}

/** How many items of one array or object an AnyValue keeps (the SDKs' default attribute count limit). */
export const MAX_ANY_VALUE_ITEMS = 128;

/**
 * A JSON value (from the app's fields) as an AnyValue: strings, booleans, integers (int64),
 * other numbers (double), arrays (ArrayValue) and objects (KeyValueList), each capped at
 * MAX_ANY_VALUE_ITEMS items; null is the empty AnyValue (OTLP: no value).
 */
export function anyValue(v: unknown): Buffer {
  if (v === null || v === undefined) return EMPTY;
  switch (typeof v) {
    case 'string':
      return stringField(1, v);
    case 'boolean':
      return Buffer.from([(2 << 3) | 0, v ? 1 : 0]);
    case 'number': {
      if (Number.isSafeInteger(v)) return int64(v);
      const b = Buffer.allocUnsafe(9);
      b[0] = (4 << 3) | 1;
      b.writeDoubleLE(v, 1);
      return b;
    }
    case 'object': {
      if (Array.isArray(v)) {
        const items = v.slice(0, MAX_ANY_VALUE_ITEMS).map((x) => field(1, anyValue(x)));
        return field(5, Buffer.concat(items));
      }
      const items: Buffer[] = [];
      for (const k of Object.keys(v as object)) {
        if (items.length >= MAX_ANY_VALUE_ITEMS) break;
        items.push(field(1, anyKeyValue(k, (v as Record<string, unknown>)[k])));
      }
      return field(6, Buffer.concat(items));
    }
    default:
      return stringField(1, String(v));
  }
}

const EMPTY = Buffer.alloc(0);

/** int_value (field 3): a varint, negatives as 64-bit two's complement (ten bytes). */
function int64(n: number): Buffer {
  if (n >= 0) {
    const b = Buffer.allocUnsafe(1 + varintSize(n));
    b[0] = (3 << 3) | 0;
    writeVarint(b, n, 1);
    return b;
  }
  let x = BigInt.asUintN(64, BigInt(n));
  const out = [(3 << 3) | 0];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return Buffer.from(out);
}

/** KeyValue { key, value: AnyValue } for any JSON value */
function anyKeyValue(key: string, value: unknown): Buffer {
  return Buffer.concat([stringField(1, key), field(2, anyValue(value))]);
}

/** An attribute field of a LogRecord (tag 6 + KeyValue) with any JSON value. */
export function recordAnyAttribute(key: string, value: unknown): Buffer {
  return field(TAG_ATTRIBUTE >> 3, anyKeyValue(key, value));
}

/** An attribute field of a LogRecord (tag 6 + KeyValue), for the per-value caches. */
export function recordAttribute(key: string, value: string): Buffer {
  return field(TAG_ATTRIBUTE >> 3, keyValue(key, value));
}

/** google.rpc.Status { int32 code = 1; string message = 2; }: the message of an error answer; throws on bad input. */
export function decodeStatusMessage(buf: Buffer): string | undefined {
  const message = readFields(buf).get(2);
  return message instanceof Buffer ? message.toString('utf8') : undefined;
}

/**
 * ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1 } with
 * { int64 rejected_log_records = 1; string error_message = 2; }: the two fields we act on, from
 * the protobuf answer; undefined when there is no partial_success (full success).
 */
export function decodePartialSuccess(buf: Buffer): { rejected: number; message: string } | undefined {
  const outer = readFields(buf);
  const partial = outer.get(1);
  if (!(partial instanceof Buffer)) return undefined;
  const inner = readFields(partial);
  const rejected = inner.get(1);
  const message = inner.get(2);
  return {
    rejected: typeof rejected === 'number' ? rejected : 0,
    message: message instanceof Buffer ? message.toString('utf8') : '',
  };
}

/** The last value of each field of a message: varints as numbers, length-delimited as bytes; throws on bad input. */
function readFields(buf: Buffer): Map<number, number | Buffer> {
  const out = new Map<number, number | Buffer>();
  let off = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (off >= buf.length) throw new Error('truncated varint');
      const b = buf[off++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
      if (mul > 2 ** 63) throw new Error('varint too long');
    }
  };
  while (off < buf.length) {
    const tag = varint();
    const num = Math.floor(tag / 8);
    switch (tag & 7) {
      case 0:
        out.set(num, varint());
        break;
      case 1:
        off += 8;
        break;
      case 2: {
        const len = varint();
        if (off + len > buf.length) throw new Error('truncated field');
        out.set(num, buf.subarray(off, off + len));
        off += len;
        break;
      }
      case 5:
        off += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${tag & 7}`);
    }
  }
  if (off > buf.length) throw new Error('truncated message');
  return out;
}
