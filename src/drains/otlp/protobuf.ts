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
  /** tag + length + KeyValue bytes of each attribute written ahead (recordAttribute, built once per value) */
  attributes: Buffer;
  /** attributes after those, with any JSON value (the app's fields: see anyValue), written in place */
  fields?: readonly (readonly [string, unknown])[];
  /** string attributes after the fields (exception.*) */
  strings?: readonly (readonly [string, string])[];
  /** app fields left out (the attribute count limit) */
  droppedAttributes?: number;
  /** 32 hex digits (16 bytes on the wire) */
  traceId?: string;
  /** 16 hex digits (8 bytes on the wire) */
  spanId?: string;
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
  const sizes: number[] = [];
  const buf = Buffer.allocUnsafe(plainSize(r, text) + extraAttributesSize(r, sizes));
  writeRecord(buf, 0, r, text, sizes);
  return buf;
}

function plainSize(r: OtlpRecordParts, text: number): number {
  const anyValue = 1 + varintSize(text) + text;
  let size = 9 + 9 + r.severity.length + 1 + varintSize(anyValue) + anyValue + r.attributes.length;
  if (r.droppedAttributes) size += 1 + varintSize(r.droppedAttributes);
  if (r.traceId) size += 2 + (r.traceId.length >> 1);
  if (r.spanId) size += 2 + (r.spanId.length >> 1);
  return size;
}

function writeRecord(buf: Buffer, off: number, r: OtlpRecordParts, text: number, sizes?: number[]): number {
  buf[off++] = TAG_TIME;
  off = writeNanos(buf, r.timeMs, off);
  off += r.severity.copy(buf, off);
  buf[off++] = TAG_BODY;
  off = writeVarint(buf, 1 + varintSize(text) + text, off);
  buf[off++] = TAG_FIELD_1;
  off = writeVarint(buf, text, off);
  off += buf.write(r.body, off, 'utf8');
  off += r.attributes.copy(buf, off);
  if (sizes !== undefined) off = writeExtraAttributes(buf, off, r, sizes);
  if (r.droppedAttributes) {
    buf[off++] = TAG_DROPPED;
    off = writeVarint(buf, r.droppedAttributes, off);
  }
  if (r.traceId) {
    buf[off++] = TAG_TRACE_ID;
    buf[off++] = r.traceId.length >> 1;
    off += buf.write(r.traceId, off, 'hex');
  }
  if (r.spanId) {
    buf[off++] = TAG_SPAN_ID;
    buf[off++] = r.spanId.length >> 1;
    off += buf.write(r.spanId, off, 'hex');
  }
  buf[off++] = TAG_OBSERVED_TIME;
  return writeNanos(buf, r.observedMs, off);
}

/** How many items of one array or object an AnyValue keeps (the SDKs' default attribute count limit). */
export const MAX_ANY_VALUE_ITEMS = 128;

// The app's fields are written straight into the record's buffer: sizes first (a pre-order list
// of every AnyValue's length, as the nesting is length-prefixed), then the bytes, with no
// intermediate Buffer per value.

/** The bytes of the `fields` and `strings` attributes; `sizes` gets each AnyValue's length, in writing order. */
function extraAttributesSize(r: OtlpRecordParts, sizes: number[]): number {
  let total = 0;
  for (const [k, v] of r.fields ?? []) total += lengthDelimited(keyValueSize(k, v, sizes));
  for (const [k, v] of r.strings ?? []) total += lengthDelimited(keyValueSize(k, v, sizes));
  return total;
}

function writeExtraAttributes(buf: Buffer, off: number, r: OtlpRecordParts, sizes: number[]): number {
  const at = { i: 0 };
  for (const [k, v] of r.fields ?? []) off = writeKeyValue(buf, off, TAG_ATTRIBUTE, k, v, sizes, at);
  for (const [k, v] of r.strings ?? []) off = writeKeyValue(buf, off, TAG_ATTRIBUTE, k, v, sizes, at);
  return off;
}

/** tag + length + content */
function lengthDelimited(n: number): number {
  return 1 + varintSize(n) + n;
}

/** KeyValue's length; pushes its value's AnyValue length (and those inside it) onto `sizes`. */
function keyValueSize(key: string, value: unknown, sizes: number[]): number {
  return lengthDelimited(utf8Length(key)) + lengthDelimited(anyValueSize(value, sizes));
}

/**
 * A JSON value (from the app's fields) as an AnyValue: strings, booleans, integers (int64),
 * other numbers (double), arrays (ArrayValue) and objects (KeyValueList), each capped at
 * MAX_ANY_VALUE_ITEMS items; null is the empty AnyValue (OTLP: no value). Returns the AnyValue's
 * length, after pushing it (in pre-order) with those of the values inside.
 */
function anyValueSize(v: unknown, sizes: number[]): number {
  const slot = sizes.length;
  sizes.push(0);
  let n: number;
  if (v === null || v === undefined) n = 0;
  else if (typeof v === 'string') n = lengthDelimited(utf8Length(v));
  else if (typeof v === 'boolean') n = 2;
  else if (typeof v === 'number') n = Number.isSafeInteger(v) ? 1 + (v < 0 ? 10 : varintSize(v)) : 9;
  else if (Array.isArray(v)) {
    let inner = 0;
    const end = Math.min(v.length, MAX_ANY_VALUE_ITEMS);
    for (let i = 0; i < end; i++) inner += lengthDelimited(anyValueSize(v[i], sizes));
    n = lengthDelimited(inner);
  } else if (typeof v === 'object') {
    let inner = 0;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const end = Math.min(keys.length, MAX_ANY_VALUE_ITEMS);
    for (let i = 0; i < end; i++) inner += lengthDelimited(keyValueSize(keys[i]!, o[keys[i]!], sizes));
    n = lengthDelimited(inner);
  } else n = lengthDelimited(Buffer.byteLength(String(v)));
  sizes[slot] = n;
  return n;
}

function writeKeyValue(
  buf: Buffer,
  off: number,
  tag: number,
  key: string,
  value: unknown,
  sizes: number[],
  at: { i: number },
): number {
  const keyBytes = utf8Length(key);
  const valueBytes = sizes[at.i]!;
  buf[off++] = tag;
  off = writeVarint(buf, lengthDelimited(keyBytes) + lengthDelimited(valueBytes), off);
  buf[off++] = TAG_FIELD_1;
  off = writeVarint(buf, keyBytes, off);
  off = writeUtf8(buf, off, key, keyBytes);
  buf[off++] = TAG_FIELD_2;
  off = writeVarint(buf, valueBytes, off);
  return writeAnyValue(buf, off, value, sizes, at);
}

function writeAnyValue(buf: Buffer, off: number, v: unknown, sizes: number[], at: { i: number }): number {
  at.i++;
  if (v === null || v === undefined) return off;
  if (typeof v === 'string') return writeString(buf, off, TAG_FIELD_1, v);
  if (typeof v === 'boolean') {
    buf[off++] = (2 << 3) | 0;
    buf[off++] = v ? 1 : 0;
    return off;
  }
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) {
      buf[off++] = (4 << 3) | 1;
      buf.writeDoubleLE(v, off);
      return off + 8;
    }
    buf[off++] = (3 << 3) | 0;
    return v < 0 ? writeNegativeVarint(buf, v, off) : writeVarint(buf, v, off);
  }
  if (Array.isArray(v)) {
    const end = Math.min(v.length, MAX_ANY_VALUE_ITEMS);
    buf[off++] = (5 << 3) | 2;
    off = writeVarint(buf, innerOf(sizes[at.i - 1]!), off);
    for (let i = 0; i < end; i++) {
      buf[off++] = TAG_FIELD_1;
      off = writeVarint(buf, sizes[at.i]!, off);
      off = writeAnyValue(buf, off, v[i], sizes, at);
    }
    return off;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const end = Math.min(keys.length, MAX_ANY_VALUE_ITEMS);
    buf[off++] = (6 << 3) | 2;
    off = writeVarint(buf, innerOf(sizes[at.i - 1]!), off);
    for (let i = 0; i < end; i++)
      off = writeKeyValue(buf, off, TAG_FIELD_1, keys[i]!, o[keys[i]!], sizes, at);
    return off;
  }
  return writeString(buf, off, TAG_FIELD_1, String(v));
}

/** The content length `c` of a length-delimited field whose whole length is `n` = 1 + varintSize(c) + c. */
function innerOf(n: number): number {
  for (let size = 1; size <= 5; size++) if (varintSize(n - 1 - size) === size) return n - 1 - size;
  return n - 6;
}

function writeString(buf: Buffer, off: number, tag: number, text: string): number {
  const n = utf8Length(text);
  buf[off++] = tag;
  off = writeVarint(buf, n, off);
  return writeUtf8(buf, off, text, n);
}

/** Field names and most values are short ASCII: counted and copied here, cheaper than a call into Buffer's native code. */
const SHORT = 32;

function utf8Length(text: string): number {
  if (text.length > SHORT) return Buffer.byteLength(text);
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text);
  return text.length;
}

/** `text` (of `bytes` UTF-8 bytes) at `off`; returns the offset after it. */
function writeUtf8(buf: Buffer, off: number, text: string, bytes: number): number {
  if (bytes === text.length && bytes <= SHORT) {
    for (let i = 0; i < bytes; i++) buf[off + i] = text.charCodeAt(i);
    return off + bytes;
  }
  return off + buf.write(text, off, 'utf8');
}

/** A negative int64 as protobuf writes it: 64-bit two's complement, ten bytes. */
function writeNegativeVarint(buf: Buffer, n: number, off: number): number {
  const hiSigned = Math.floor(n / 4294967296);
  let lo = (n - hiSigned * 4294967296) >>> 0;
  let hi = hiSigned >>> 0;
  while (hi) {
    buf[off++] = (lo & 127) | 128;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo > 127) {
    buf[off++] = (lo & 127) | 128;
    lo >>>= 7;
  }
  buf[off++] = lo;
  return off;
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
