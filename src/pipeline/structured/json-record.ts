/**
 * One JSON log record (pino, bunyan, winston, zap, zerolog, slog, logrus, structlog, ECS, Serilog
 * compact, …) read in one validating pass, without building objects: the scanner notes where each
 * top-level member starts and ends and what role its key plays (message, level, time, trace id, …).
 * The event's `fieldsJson` is then the record's own text with the extracted members cut out: valid
 * JSON by construction (every byte kept was validated), nested as the app wrote it, never re-encoded.
 *
 * Bounds (README "Structured events"): a record deeper than HARD_DEPTH or not strict JSON (bad
 * escapes, control characters, trailing text) is not structured: the line ships as text, counted.
 * Inside fields, a member nested deeper than MAX_FIELD_DEPTH becomes its JSON text as a string, and
 * members after MAX_FIELD_VALUES values are cut; both are counted. Duplicate keys: the first one of
 * a role is used (message, time, ids); all are kept in fields, as the app wrote them.
 */

import { WASM_TOO_DEEP, WASM_TOO_MANY, WasmJsonScan } from './json-scan-wasm.js';

/** Objects/arrays nested deeper than this inside a field are sent as their JSON text (Datadog allows < 10 levels, ours included). */
export const MAX_FIELD_DEPTH = 8;
/** A record nested deeper than this is not read as JSON at all (a depth bomb). */
export const HARD_DEPTH = 64;
/** Values (members and array elements, at every depth) kept in fields; Datadog indexes 256 attributes. */
export const MAX_FIELD_VALUES = 256;
/** Top-level members recorded; past them only members with a role (message, time, ids…) are, in ROLE_SLOTS more. */
const MAX_MEMBERS = 256;
/** Slots for top-level members: MAX_MEMBERS plus ROLE_SLOTS. */
export const MEMBER_SLOTS = 256 + 32;
const ROLE_SLOTS = 32;

export const R_NONE = 0;
export const R_MSG = 1; // msg, message, MESSAGE
export const R_MSG_SERILOG = 2; // @m (rendered)
export const R_MSG_TEMPLATE = 3; // @mt (Serilog, when @m is absent)
export const R_MSG_EVENT = 4; // event (structlog)
export const R_LEVEL = 5;
export const R_TIME = 6;
export const R_TRACE = 7;
export const R_SPAN = 8;
/** `trace: {id}` (ECS), `span: {id}`, `dd: {trace_id, span_id}` (dd-trace): read inside, kept in fields */
export const R_TRACE_OBJ = 9;
export const R_SPAN_OBJ = 10;
export const R_DD_OBJ = 11;
/** `err` / `error` (object: pino, bunyan, ECS; text: zap, logrus), `@x` (Serilog), `exc_info`, `exception`, `thrown`, `throwable`; `stacktrace`, `stack_trace`, `stack` */
export const R_ERROR = 12;
export const R_STACK = 13;
/** `error.type` / `_error_type` (Spring Boot ECS and GELF), `error.message` / `_error_message`: the error's parts as flat keys */
export const R_ERROR_KIND = 14;
export const R_ERROR_MESSAGE = 15;
/**
 * An object that holds the record's own message, level and time one level down: tracing-subscriber's
 * `fields`, loguru's `record`. Read only when the top level has no message (an app's own `record`
 * object beside its message is its data).
 */
export const R_NESTED = 16;
/** `v` (klog's verbosity: written by InfoS, never by ErrorS) */
export const R_VERBOSITY = 17;
/** `context` (Monolog): its `exception` is the error when the record has no error of its own */
export const R_CONTEXT = 18;
/**
 * An object that holds the level and time one level down beside a top-level message: LoggerJSON's
 * Datadog `syslog`, logstash V0's `@fields` (winston's logstash format, python-logstash). Read only
 * when the top level lacks a level or time.
 */
export const R_META = 19;
/** GELF `full_message`: Log4j2's GelfLayout puts the stack trace there; the stack when no other key has one */
export const R_FULL_MESSAGE = 20;
/**
 * OpenTelemetry's `body` / `Body` (OTLP JSON `{stringValue}`, the Go stdout exporter's `{Type, Value}`,
 * Python's console exporter's text): the message of a record that has a level and no message key
 * (an HTTP log's `body` beside its own message, or with no level at all, stays a field).
 */
export const R_BODY = 21;
/** Google Cloud's `timestampNanos`: the fraction of a `timestampSeconds` time */
export const R_NANOS = 22;
/** Envoy's `start_time`: the record's time only when no other key gives one */
export const R_TIME_FALLBACK = 23;
/** .NET's `Scopes` (JsonConsoleFormatter IncludeScopes): the activity's `TraceId` / `SpanId` when the record has none of its own */
export const R_SCOPES = 24;
/** MongoDB's `s` (F, E, W, I, D1–D5): a level when the detector read it there, else the app's own field */
export const R_LEVEL_LETTER = 25;
/** `t`: a time when written as text or an object (MongoDB's {$date}, Grafana's logfmt); a number there is the app's own (a temperature, a tick) */
export const R_TIME_TEXT = 26;
/** OpenTelemetry's `attributes` object: its `exception.type` / `exception.message` / `exception.stacktrace` are the error when the record has none */
export const R_ATTRIBUTES = 27;
/**
 * Python's LogRecord `created` (epoch seconds as a float, time.time()): the record's time only when
 * no other key gives one and it is written as such a float (an integer or text `created` is the
 * app's own: when a user, an order… was created)
 */
export const R_CREATED = 28;
/** MySQL's `prio` (0–3): the level when the detector read it there (a record with no other level key), else the app's */
export const R_PRIO = 29;
/** consola's `args` (its log object as its JSON reporter writes it): the message when all text and the record has consola's `type` */
export const R_ARGS = 30;
/**
 * AWS Lambda's `errorType` / `errorMessage`: the error's parts only in a record at level error or
 * above, or with no level (Lambda writes them for a failed invocation); on an info record they are
 * the app's own (a form's validation message, `"errorType": "none"`)
 */
export const R_LAMBDA_KIND = 31;
export const R_LAMBDA_MESSAGE = 32;
/**
 * `log` as text: the collected line of docker's json-file, Fluent Bit's and Fluentd's records
 * (`{"date": …, "log": "…"}`), FireLens: the message of a record that has no message key
 */
export const R_LOG_LINE = 33;

/**
 * Is s[ks..) the word w? The caller has matched the length (so s has the characters) and the first
 * character; w is a literal, so V8 folds its characters into the compares (measured ~2× cheaper than
 * startsWith on these short keys).
 */
function is(s: string, ks: number, w: string): boolean {
  for (let i = 1; i < w.length; i++) if (s.charCodeAt(ks + i) !== w.charCodeAt(i)) return false;
  return true;
}

/**
 * Every key that has a role (roleOf() tells which). A key whose length and first character no word
 * here has is told R_NONE by one table look-up in keyRole(), which is small enough for V8 to inline
 * into the scan: most keys of a record have no role (pid, hostname, reqId, caller…) and never pay a
 * call. A word added to roleOf() must be added here too, or roleOf() never sees it.
 */
export const ROLE_WORDS: readonly string[] = [
  ...['@m', '@l', '@t', '@x', 'ts', 'dd', 'msg', 'lvl', '@mt', 'err', 'time', 'span'],
  ...['level', 'event', 'error', 'trace', '@level', 'spanId', 'spanid'],
  ...['message', 'MESSAGE', 'Message', 'traceId', 'traceid', 'span_id', 'span.id', 'asctime'],
  ...['trace_id', 'trace.id', 'severity', 'loglevel', 'LogLevel', 'datetime', 'exc_info'],
  ...['timestamp', 'Timestamp', 'levelname', 'log.level', 'log_level', 'exception'],
  ...['@timestamp', 'timeMillis', 'level_name', 'otelSpanID', 'dd.span_id', 'stacktrace'],
  ...['otelTraceID', 'dd.trace_id', 'stack_trace', 'severityText', 'severity_text', 'xray_trace_id'],
  ...['AWS-XRAY-TRACE-ID', 'logging.googleapis.com/trace', 'logging.googleapis.com/spanId'],
  // one level down, error objects and more libraries (hclog, logstash-logback-encoder, Log4j2,
  // tracing-subscriber, loguru, Monolog, Serilog JsonFormatter, GELF, LoggerJSON, winston)
  ...['v', '@message', '@fields', 'fields', 'record', 'context', 'syslog', 'instant', 'stack'],
  ...['Level', 'Exception', 'MessageTemplate', 'RenderedMessage', 'thrown', 'throwable'],
  ...['error.type', 'error.message', 'error.stack_trace', '_error_type', '_error_message'],
  ...['_error_stack_trace', '_exception', 'full_message', 'short_message'],
  // AWS Lambda (errorType, errorMessage, stackTrace), Serilog 3 (@tr, @sp), .NET / Go capitalised
  // ids, OpenTelemetry's own JSON (Go stdout exporter, OTLP, Python console), Google Cloud's split
  // time, Envoy's and nginx's access-log times
  ...['errorType', 'errorMessage', 'stackTrace', '@tr', '@sp', 'TraceId', 'TraceID', 'traceID'],
  ...['SpanId', 'SpanID', 'spanID', 'Scopes', 'SeverityText', 'body', 'Body', 'timeUnixNano'],
  ...['timestampSeconds', 'timestampNanos', 'start_time', 'time_iso8601', 'time_local'],
  // MongoDB 4.4+ (t: {$date}, s), Grafana's logfmt t=, journald's JSON export, Logstash's logEvent,
  // PostgreSQL's jsonlog
  ...['t', 's', '__REALTIME_TIMESTAMP', 'PRIORITY', 'logEvent', 'error_severity'],
  // OpenTelemetry's exception semantic conventions, flat or in the record's attributes
  ...['exception.type', 'exception.message', 'exception.stacktrace', 'attributes'],
  // zap's errorVerbose (an error with a stack, pkg/errors' %+v)
  ...['errorVerbose'],
  // Python's LogRecord attribute (python-json-logger with %(created)f, a record's __dict__)
  ...['created'],
  // MySQL 8's JSON error log (log_sink_json)
  ...['prio'],
  // consola's log object {date, args, type, level, tag}
  ...['date', 'args'],
  // Google Cloud's trace header, logged as a field (TRACE_ID/SPAN_ID;o=1)
  ...['X-Cloud-Trace-Context', 'x-cloud-trace-context'],
  // Serilog's ElasticsearchJsonFormatter: [{Depth, ClassName, Message, StackTraceString}, …]
  ...['exceptions'],
  // log4js' logEvent as JSON {startTime, categoryName, data, level: {level, levelStr}}
  ...['startTime', 'data'],
  // tslog's JSON {"0": message, …, "_meta": {date, logLevelName, …}}
  ...['0', '_meta', 'logLevelName'],
  // NLog.StructuredLogging.Json's TimeStamp; rsyslog's properties as keys (jsonmesg, json templates);
  // Kong's file-log started_at
  ...['TimeStamp', 'timereported', 'syslogseverity', 'syslogseverity-text', 'started_at'],
  // a collector's record of a line (docker json-file, Fluent Bit, Fluentd)
  ...['log'],
  // the other cases of the keys the level detector reads in any case (formats/fields.ts keyKind),
  // and Go's struct fields marshalled without tags (Time, Level, Msg, Message)
  ...['LEVEL', 'Severity', 'SEVERITY', 'LVL', 'Msg', 'MSG', 'Time', 'TIME', 'TIMESTAMP'],
  // katip's JSON {at, sev, msg, data, ns, …} (Haskell; Cardano's node traces); Roarr's
  // context.logLevel (read one level down, formats/fields.ts reads it at the top too)
  ...['at', 'sev', 'logLevel'],
];

/** Role words' lengths are below this. */
const GATE_LENGTHS = 32;
/** 1 at (length << 7 | first character) when a role word has that length and first character (ASCII). */
const ROLE_GATE: Uint8Array = (() => {
  const gate = new Uint8Array(GATE_LENGTHS << 7);
  for (const w of ROLE_WORDS) gate[(w.length << 7) | w.charCodeAt(0)] = 1;
  return gate;
})();

/** Role of the top-level key s[ks..ke) (its text between the quotes, unescaped). */
export function keyRole(s: string, ks: number, ke: number): number {
  const n = ke - ks;
  const c = s.charCodeAt(ks);
  if (n >= GATE_LENGTHS || c >= 128 || ROLE_GATE[(n << 7) | c] === 0) return R_NONE;
  // the commonest role keys (pino, zap, zerolog, slog…) without the call
  if (n === 5 && c === 108 && is(s, ks, 'level')) return R_LEVEL;
  if (n === 3 && c === 109 && is(s, ks, 'msg')) return R_MSG;
  return roleOf(s, ks, ke);
}

/**
 * Role of a key that passed keyRole()'s table. Dispatched on the length, then the first character,
 * then the word's characters.
 */
export function roleOf(s: string, ks: number, ke: number): number {
  const c = s.charCodeAt(ks);
  switch (ke - ks) {
    case 1:
      if (c === 116) return R_TIME_TEXT; // t: MongoDB {$date}, Grafana's logfmt
      if (c === 115) return R_LEVEL_LETTER; // s: MongoDB
      if (c === 48) return R_ARGS; // 0: tslog's first argument
      return c === 118 ? R_VERBOSITY : R_NONE; // v
    case 2: {
      const d = s.charCodeAt(ks + 1);
      if (c === 64) {
        // @m @l @t @x (Serilog compact)
        if (d === 109) return R_MSG_SERILOG;
        if (d === 108) return R_LEVEL;
        if (d === 116) return R_TIME;
        if (d === 120) return R_ERROR;
        return R_NONE;
      }
      if (c === 116) return d === 115 ? R_TIME : R_NONE; // ts
      if (c === 100) return d === 100 ? R_DD_OBJ : R_NONE; // dd
      if (c === 97) return d === 116 ? R_TIME_TEXT : R_NONE; // at: katip's time (text; a number there is the app's)
      return R_NONE;
    }
    case 3:
      if (c === 109) return is(s, ks, 'msg') ? R_MSG : R_NONE;
      if (c === 108) return is(s, ks, 'lvl') ? R_LEVEL : is(s, ks, 'log') ? R_LOG_LINE : R_NONE;
      if (c === 77) return is(s, ks, 'Msg') || is(s, ks, 'MSG') ? R_MSG : R_NONE;
      if (c === 76) return is(s, ks, 'LVL') ? R_LEVEL : R_NONE;
      if (c === 64) {
        // Serilog: @mt template; @tr, @sp (CompactJsonFormatter 3: the activity's trace and span ids)
        if (is(s, ks, '@mt')) return R_MSG_TEMPLATE;
        if (is(s, ks, '@tr')) return R_TRACE;
        return is(s, ks, '@sp') ? R_SPAN : R_NONE;
      }
      if (c === 101) return is(s, ks, 'err') ? R_ERROR : R_NONE;
      if (c === 115) return is(s, ks, 'sev') ? R_LEVEL : R_NONE; // katip
      return R_NONE;
    case 4:
      if (c === 116) return is(s, ks, 'time') ? R_TIME : R_NONE;
      if (c === 84) return is(s, ks, 'Time') || is(s, ks, 'TIME') ? R_TIME : R_NONE;
      if (c === 115) return is(s, ks, 'span') ? R_SPAN_OBJ : R_NONE;
      if (c === 98) return is(s, ks, 'body') ? R_BODY : R_NONE; // OpenTelemetry
      if (c === 66) return is(s, ks, 'Body') ? R_BODY : R_NONE;
      if (c === 100) {
        if (is(s, ks, 'date')) return R_TIME_FALLBACK; // consola, when no other key gives a time
        return is(s, ks, 'data') ? R_ARGS : R_NONE; // log4js' logEvent.data
      }
      if (c === 97) return is(s, ks, 'args') ? R_ARGS : R_NONE; // consola
      return c === 112 && is(s, ks, 'prio') ? R_PRIO : R_NONE; // MySQL

    case 5:
      if (c === 108) return is(s, ks, 'level') ? R_LEVEL : R_NONE;
      if (c === 95) return is(s, ks, '_meta') ? R_META : R_NONE; // tslog {date, logLevelName, …}
      if (c === 76) return is(s, ks, 'Level') || is(s, ks, 'LEVEL') ? R_LEVEL : R_NONE; // Serilog JsonFormatter
      if (c === 101) return is(s, ks, 'event') ? R_MSG_EVENT : is(s, ks, 'error') ? R_ERROR : R_NONE;
      if (c === 116) return is(s, ks, 'trace') ? R_TRACE_OBJ : R_NONE;
      if (c === 115) return is(s, ks, 'stack') ? R_STACK : R_NONE; // winston format.errors({ stack: true })
      return R_NONE;
    case 6:
      if (c === 64) return is(s, ks, '@level') ? R_LEVEL : R_NONE;
      if (c === 115)
        return is(s, ks, 'spanId') || is(s, ks, 'spanid') || is(s, ks, 'spanID')
          ? R_SPAN
          : is(s, ks, 'syslog')
            ? R_META
            : R_NONE;
      if (c === 83)
        return is(s, ks, 'SpanId') || is(s, ks, 'SpanID') ? R_SPAN : is(s, ks, 'Scopes') ? R_SCOPES : R_NONE;
      if (c === 102) return is(s, ks, 'fields') ? R_NESTED : R_NONE; // tracing-subscriber
      if (c === 114) return is(s, ks, 'record') ? R_NESTED : R_NONE; // loguru
      if (c === 116) return is(s, ks, 'thrown') ? R_ERROR : R_NONE; // Log4j2 JsonLayout
      return R_NONE;
    case 7:
      if (c === 109) return is(s, ks, 'message') ? R_MSG : R_NONE;
      if (c === 77) return is(s, ks, 'MESSAGE') || is(s, ks, 'Message') ? R_MSG : R_NONE;
      if (c === 116)
        return is(s, ks, 'traceId') || is(s, ks, 'traceid') || is(s, ks, 'traceID') ? R_TRACE : R_NONE;
      if (c === 84) return is(s, ks, 'TraceId') || is(s, ks, 'TraceID') ? R_TRACE : R_NONE; // .NET, Go
      if (c === 115) return is(s, ks, 'span_id') || is(s, ks, 'span.id') ? R_SPAN : R_NONE;
      if (c === 97) return is(s, ks, 'asctime') ? R_TIME : R_NONE;
      if (c === 105) return is(s, ks, 'instant') ? R_TIME : R_NONE; // Log4j2 {epochSecond, nanoOfSecond}
      if (c === 99) return is(s, ks, 'context') ? R_CONTEXT : is(s, ks, 'created') ? R_CREATED : R_NONE;
      if (c === 64) return is(s, ks, '@fields') ? R_META : R_NONE;
      return R_NONE;
    case 8:
      if (c === 116) return is(s, ks, 'trace_id') || is(s, ks, 'trace.id') ? R_TRACE : R_NONE;
      if (c === 115) return is(s, ks, 'severity') ? R_LEVEL : R_NONE;
      if (c === 83) return is(s, ks, 'Severity') || is(s, ks, 'SEVERITY') ? R_LEVEL : R_NONE;
      if (c === 108)
        return is(s, ks, 'loglevel') || is(s, ks, 'logLevel')
          ? R_LEVEL
          : is(s, ks, 'logEvent')
            ? R_NESTED
            : R_NONE;
      if (c === 76) return is(s, ks, 'LogLevel') ? R_LEVEL : R_NONE;
      if (c === 100) return is(s, ks, 'datetime') ? R_TIME : R_NONE;
      if (c === 101) return is(s, ks, 'exc_info') ? R_ERROR : R_NONE;
      if (c === 64) return is(s, ks, '@message') ? R_MSG : R_NONE; // hclog
      if (c === 80) return is(s, ks, 'PRIORITY') ? R_LEVEL : R_NONE; // journald
      return R_NONE;
    case 9:
      if (c === 116) return is(s, ks, 'timestamp') ? R_TIME : is(s, ks, 'throwable') ? R_ERROR : R_NONE; // logback JsonEncoder
      if (c === 84)
        return is(s, ks, 'Timestamp') || is(s, ks, 'TimeStamp') || is(s, ks, 'TIMESTAMP') ? R_TIME : R_NONE;
      if (c === 108)
        return is(s, ks, 'levelname') || is(s, ks, 'log.level') || is(s, ks, 'log_level') ? R_LEVEL : R_NONE;
      if (c === 101)
        return is(s, ks, 'exception') ? R_ERROR : is(s, ks, 'errorType') ? R_LAMBDA_KIND : R_NONE;
      if (c === 69) return is(s, ks, 'Exception') ? R_ERROR : R_NONE; // Serilog JsonFormatter
      return c === 115 && is(s, ks, 'startTime') ? R_TIME_FALLBACK : R_NONE; // log4js' logEvent
    case 10:
      if (c === 64) return is(s, ks, '@timestamp') ? R_TIME : R_NONE;
      if (c === 97) return is(s, ks, 'attributes') ? R_ATTRIBUTES : R_NONE; // OpenTelemetry
      if (c === 116) return is(s, ks, 'timeMillis') || is(s, ks, 'time_local') ? R_TIME : R_NONE;
      if (c === 108) return is(s, ks, 'level_name') ? R_LEVEL : R_NONE;
      if (c === 111) return is(s, ks, 'otelSpanID') ? R_SPAN : R_NONE;
      if (c === 100) return is(s, ks, 'dd.span_id') ? R_SPAN : R_NONE;
      if (c === 115)
        return is(s, ks, 'stacktrace') || is(s, ks, 'stackTrace')
          ? R_STACK
          : is(s, ks, 'start_time') || is(s, ks, 'started_at') // Envoy, Kong
            ? R_TIME_FALLBACK
            : R_NONE;
      if (c === 101)
        return is(s, ks, 'error.type')
          ? R_ERROR_KIND
          : is(s, ks, 'exceptions') // Serilog's ElasticsearchJsonFormatter
            ? R_ERROR
            : R_NONE;
      if (c === 95) return is(s, ks, '_exception') ? R_ERROR : R_NONE; // Log4j2 GcpLayout
      return R_NONE;
    case 11:
      if (c === 111) return is(s, ks, 'otelTraceID') ? R_TRACE : R_NONE;
      if (c === 100) return is(s, ks, 'dd.trace_id') ? R_TRACE : R_NONE;
      if (c === 115) return is(s, ks, 'stack_trace') ? R_STACK : R_NONE;
      if (c === 95) return is(s, ks, '_error_type') ? R_ERROR_KIND : R_NONE;
      return R_NONE;
    case 12:
      if (c === 115) return is(s, ks, 'severityText') ? R_LEVEL : R_NONE;
      if (c === 108) return is(s, ks, 'logLevelName') ? R_LEVEL : R_NONE; // tslog's _meta
      if (c === 83) return is(s, ks, 'SeverityText') ? R_LEVEL : R_NONE; // OpenTelemetry Go stdout exporter
      if (c === 116)
        return is(s, ks, 'timeUnixNano') || is(s, ks, 'time_iso8601') || is(s, ks, 'timereported')
          ? R_TIME
          : R_NONE;
      if (c === 101)
        return is(s, ks, 'errorMessage') // AWS Lambda
          ? R_LAMBDA_MESSAGE
          : is(s, ks, 'errorVerbose') // zap: pkg/errors' %+v, the error and its stack
            ? R_STACK
            : R_NONE;
      return c === 102 && is(s, ks, 'full_message') ? R_FULL_MESSAGE : R_NONE;
    case 13:
      if (c === 115)
        return is(s, ks, 'severity_text') ? R_LEVEL : is(s, ks, 'short_message') ? R_MSG : R_NONE; // GELF
      if (c === 120) return is(s, ks, 'xray_trace_id') ? R_TRACE : R_NONE; // AWS Lambda Powertools
      if (c === 101) return is(s, ks, 'error.message') ? R_ERROR_MESSAGE : R_NONE;
      return R_NONE;
    case 14:
      if (c === 116) return is(s, ks, 'timestampNanos') ? R_NANOS : R_NONE; // Google Cloud
      if (c === 115) return is(s, ks, 'syslogseverity') ? R_LEVEL : R_NONE; // rsyslog
      if (c === 101)
        return is(s, ks, 'error_severity') // PostgreSQL jsonlog
          ? R_LEVEL
          : is(s, ks, 'exception.type')
            ? R_ERROR_KIND
            : R_NONE;
      return c === 95 && is(s, ks, '_error_message') ? R_ERROR_MESSAGE : R_NONE;
    case 15: // Serilog JsonFormatter (renderMessage: true)
      if (c === 82) return is(s, ks, 'RenderedMessage') ? R_MSG : R_NONE;
      return c === 77 && is(s, ks, 'MessageTemplate') ? R_MSG_TEMPLATE : R_NONE;
    case 16:
      return c === 116 && is(s, ks, 'timestampSeconds') ? R_TIME : R_NONE; // Google Cloud
    case 17:
      if (c === 101)
        return is(s, ks, 'error.stack_trace')
          ? R_STACK
          : is(s, ks, 'exception.message')
            ? R_ERROR_MESSAGE
            : R_NONE;
      return c === 65 && is(s, ks, 'AWS-XRAY-TRACE-ID') ? R_TRACE : R_NONE;
    case 18:
      return c === 95 && is(s, ks, '_error_stack_trace') ? R_STACK : R_NONE;
    case 19:
      return c === 115 && is(s, ks, 'syslogseverity-text') ? R_LEVEL : R_NONE; // rsyslog
    case 21: // Google Cloud's trace header, as a request's headers are logged
      return (c === 88 && is(s, ks, 'X-Cloud-Trace-Context')) ||
        (c === 120 && is(s, ks, 'x-cloud-trace-context'))
        ? R_TRACE
        : R_NONE;
    case 28: // Google Cloud Logging's structured payload: "projects/<p>/traces/<32 hex>"
      return c === 108 && is(s, ks, 'logging.googleapis.com/trace') ? R_TRACE : R_NONE;
    case 20: // journald's JSON export: microseconds as text
      if (c === 101) return is(s, ks, 'exception.stacktrace') ? R_STACK : R_NONE;
      return c === 95 && is(s, ks, '__REALTIME_TIMESTAMP') ? R_TIME : R_NONE;
    case 29:
      return c === 108 && is(s, ks, 'logging.googleapis.com/spanId') ? R_SPAN : R_NONE;
  }
  return R_NONE;
}

/**
 * A line with no backslash and no control character (most records): each of its strings ends at the
 * next `"`, found by one native search instead of a loop that checks every character for escapes.
 * A greedy class run anchored at both ends: V8 walks it natively with one compare per character
 * (~0.1× JSON.parse on a 150-character pino line). Stateless (no g / y flag), built once.
 */
const CLEAN_LINE = /^[^\x00-\x1f\\]*$/;

/**
 * The scanner. Its results sit in its own fields and arrays, reused for every line (no allocation
 * while scanning); one per pipeline. Once the WebAssembly scan is made, the arrays view the module's
 * memory, which the process's scanners share (json-scan-wasm.ts): a scan's results are read before
 * the next scan, by any scanner, is made.
 */
export class JsonRecordScanner {
  /**
   * The WebAssembly scan (json-scan-wasm.ts), made at the first batch (no compile, no 640 KB of
   * memory for a process that never reads JSON); undefined before, or where it cannot be had. Once
   * made, the arrays below are its memory's, which both scans write (the JS one for the lines the
   * module does not take).
   */
  #wasm: WasmJsonScan | undefined;
  /** 1: the WebAssembly scan is wanted and not tried yet; 0: made, or not to be had */
  #wasmToTry: number;
  /** per top-level member: where its key's quote starts, where its value starts / ends, its key's role */
  memberStart: Int32Array = new Int32Array(MEMBER_SLOTS);
  valueStart: Int32Array = new Int32Array(MEMBER_SLOTS);
  valueEnd: Int32Array = new Int32Array(MEMBER_SLOTS);
  role: Uint8Array = new Uint8Array(MEMBER_SLOTS);
  /** the member's value goes deeper than MAX_FIELD_DEPTH */
  deep: Uint8Array = new Uint8Array(MEMBER_SLOTS);
  /** values counted (all depths) when the member ended */
  valuesAfter: Int32Array = new Int32Array(MEMBER_SLOTS);
  members = 0;
  /** top-level members past MAX_MEMBERS (validated, not recorded) */
  membersCut = 0;
  /** scan(): the record went deeper than HARD_DEPTH */
  tooDeep = false;
  /** the last string scanned had a backslash escape */
  escaped = false;
  /**
   * scan(): the most characters any string of the record spans, its quotes counted once (the line's
   * length for a line that is not clean). A trace id written in a text (a traceparent, an X-Ray
   * `Root=1-…`) needs a string of at least 40 characters: below that, no search for one.
   */
  longestString = 0;
  #values = 0;
  #deepHit = false;
  /** the WebAssembly scan read the line scanned last: #hex and #time hold what it read of its ids and times */
  #moduleRead = false;
  #hex: Uint8Array | undefined;
  #time: Float64Array | undefined;
  /** the line scanned last is CLEAN_LINE: string() skips a string by one native search, text() has nothing to unescape */
  #clean = false;

  /** `wasm`: false for the JS scan alone (tests compare the two). */
  constructor(wasm = true) {
    this.#wasmToTry = wasm ? 1 : 0;
  }

  /**
   * Whether lines added by add() are scanned by the WebAssembly module: made here when first asked
   * (wanted and not tried yet).
   */
  get wasm(): boolean {
    if (this.#wasmToTry === 1) this.#makeWasm();
    return this.#wasm !== undefined;
  }

  #makeWasm(): void {
    this.#wasmToTry = 0;
    const w = WasmJsonScan.create(ROLE_WORDS, roleOf, MEMBER_SLOTS, [R_TRACE, R_SPAN], [R_TIME]);
    if (w === undefined) return;
    this.#wasm = w;
    this.#hex = w.hex;
    this.#time = w.time;
    this.memberStart = w.memberStart;
    this.valueStart = w.valueStart;
    this.valueEnd = w.valueEnd;
    this.role = w.role;
    this.deep = w.deep;
    this.valuesAfter = w.valuesAfter;
  }

  /** The WebAssembly scan once made (its module also scans logfmt: logfmt-scan-wasm.ts), else undefined. */
  get wasmScan(): WasmJsonScan | undefined {
    return this.#wasm;
  }

  /** Starts a batch of lines for scanAt() (the last batch's are forgotten). */
  begin(): void {
    if (this.wasm) this.#wasm!.begin();
  }

  /** Adds a line to the batch: where it is, for scanAt(), or -1 when the JS scan reads it. */
  add(s: string): number {
    return this.#wasm === undefined ? -1 : this.#wasm.add(s);
  }

  /** Copies the batch's lines where the module reads them: after the last add(), before the first scanAt(). */
  commit(): void {
    this.#wasm?.commit();
  }

  /**
   * scan(s), for a line of the batch: `at` is what add(s) returned (-1: the JS scan). The results
   * are the same either way (wasm-scan.test.ts), only cheaper from the module.
   */
  scanAt(s: string, at: number): boolean {
    const w = this.#wasm;
    // another scanner's batch in the shared memory since add(): read here (json-scan-wasm.ts holds())
    if (at < 0 || w === undefined || !w.holds()) return this.scan(s);
    const n = w.scan(at, s.length);
    if (n < 0) {
      if (n === WASM_TOO_MANY) return this.scan(s);
      this.members = 0;
      this.membersCut = 0;
      this.tooDeep = n === WASM_TOO_DEEP;
      return false;
    }
    this.members = n;
    this.membersCut = 0;
    this.tooDeep = false;
    this.#moduleRead = true;
    const dirty = w.out[0] !== 0;
    this.#clean = !dirty;
    this.longestString = dirty ? s.length : w.out[1]!;
    return true;
  }

  /**
   * Validates the JSON object that is all of s (surrounding spaces allowed) and records its members.
   * `clean`: whether s may take the clean-line path (tests compare it with the per-character one).
   */
  scan(s: string, clean = true): boolean {
    this.#moduleRead = false;
    this.members = 0;
    this.membersCut = 0;
    this.tooDeep = false;
    this.#values = 0;
    const fast = clean && CLEAN_LINE.test(s);
    this.#clean = fast;
    const len = s.length;
    this.longestString = fast ? 0 : len;
    let i = skipWs(s, 0);
    if (s.charCodeAt(i) !== 123) return false;
    // compact JSON (most records) has no whitespace between tokens: each character after a token is
    // read once, and skipWs() is called only on one that is whitespace (c <= 32)
    i++;
    let c = at(s, i);
    if (c <= 32) c = at(s, (i = skipWs(s, i)));
    if (c === 125) return skipWs(s, i + 1) === len;
    for (;;) {
      if (c !== 34) return false;
      const ms = i;
      // the clean path's searches are made here, not in string(): one call fewer per string
      const ke = fast ? s.indexOf('"', i + 1) : this.string(s, i + 1);
      if (ke < 0) return false;
      if (ke - ms > this.longestString) this.longestString = ke - ms;
      const keyEscaped = !fast && this.escaped;
      i = ke + 1;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
      if (c !== 58) return false;
      i++;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
      this.#deepHit = false;
      const vs = i;
      const ve = this.value(s, i, c, 1);
      if (ve < 0) return false;
      const m = this.members;
      const role = keyEscaped ? R_NONE : keyRole(s, ms + 1, ke);
      ++this.#values;
      if (m < MAX_MEMBERS || (role !== R_NONE && m < MAX_MEMBERS + ROLE_SLOTS)) {
        this.memberStart[m] = ms;
        this.valueStart[m] = vs;
        this.valueEnd[m] = ve;
        this.role[m] = role;
        this.deep[m] = this.#deepHit ? 1 : 0;
        this.valuesAfter[m] = this.#values;
        this.members = m + 1;
      } else this.membersCut++;
      i = ve;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
      if (c === 44) {
        i++;
        c = at(s, i);
        if (c <= 32) c = at(s, (i = skipWs(s, i)));
        continue;
      }
      if (c === 125) return skipWs(s, i + 1) === len;
      return false;
    }
  }

  /** Index of the closing quote of the string whose content starts at i, or -1 when it is not strict JSON. */
  string(s: string, i: number): number {
    this.escaped = false;
    // a clean line has no escape and no control character to reject: the next quote closes the string
    if (this.#clean) return s.indexOf('"', i);
    const len = s.length;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 34) return i;
      if (c === 92) {
        this.escaped = true;
        const e = s.charCodeAt(i + 1);
        if (e === 117) {
          if (!hex4(s, i + 2)) return -1;
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116)
          return -1;
        i += 2;
        continue;
      }
      if (c < 32) return -1;
      i++;
    }
    return -1;
  }

  /** Index just after the JSON value at i (strict), or -1. `c`: its first character; `depth`: its nesting level. */
  value(s: string, i: number, c: number, depth: number): number {
    if (c === 34) {
      const q = this.#clean ? s.indexOf('"', i + 1) : this.string(s, i + 1);
      if (q - i > this.longestString) this.longestString = q - i;
      return q < 0 ? -1 : q + 1;
    }
    if (c === 123 || c === 91) {
      if (depth > HARD_DEPTH) {
        this.tooDeep = true;
        return -1;
      }
      if (depth > MAX_FIELD_DEPTH) this.#deepHit = true;
      return c === 123 ? this.#object(s, i, depth) : this.#array(s, i, depth);
    }
    if (c === 116) return s.startsWith('true', i) ? i + 4 : -1;
    if (c === 102) return s.startsWith('false', i) ? i + 5 : -1;
    if (c === 110) return s.startsWith('null', i) ? i + 4 : -1;
    return number(s, i, c);
  }

  #object(s: string, i: number, depth: number): number {
    i++;
    let c = at(s, i);
    if (c <= 32) c = at(s, (i = skipWs(s, i)));
    if (c === 125) return i + 1;
    for (;;) {
      if (c !== 34) return -1;
      const ke = this.#clean ? s.indexOf('"', i + 1) : this.string(s, i + 1);
      if (ke < 0) return -1;
      if (ke - i > this.longestString) this.longestString = ke - i;
      i = ke + 1;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
      if (c !== 58) return -1;
      i++;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
      i = this.value(s, i, c, depth + 1);
      if (i < 0) return -1;
      this.#values++;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
      if (c !== 44) return c === 125 ? i + 1 : -1;
      i++;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
    }
  }

  #array(s: string, i: number, depth: number): number {
    i++;
    let c = at(s, i);
    if (c <= 32) c = at(s, (i = skipWs(s, i)));
    if (c === 93) return i + 1;
    for (;;) {
      i = this.value(s, i, c, depth + 1);
      if (i < 0) return -1;
      this.#values++;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
      if (c !== 44) return c === 93 ? i + 1 : -1;
      i++;
      c = at(s, i);
      if (c <= 32) c = at(s, (i = skipWs(s, i)));
    }
  }

  /**
   * The hex class of member m's value, a trace or span id's (R_TRACE, R_SPAN) of 16 or 32 characters,
   * as trace-ids.ts takes it (TraceIds.trace()): read by the WebAssembly scan as it walked the value
   * (only for members of those roles);
   * 255 when not read (the JS scan, another length).
   */
  hexClass(m: number): number {
    return this.#moduleRead ? this.#hex![m]! : 255;
  }

  /**
   * The epoch ms of member m's value, a time's (R_TIME), when it is a number read in place as
   * reader.ts #timeOf() reads it (NaN: no time): read by the WebAssembly scan as it walked the
   * number; -1 when not read (the JS scan, a string or object, a number #timeOf() reads otherwise).
   */
  numberTime(m: number): number {
    return this.#moduleRead ? this.#time![m]! : -1;
  }

  /** The string value of member m of s (the line scanned last), unescaped (undefined when it is not a string). */
  text(s: string, m: number): string | undefined {
    const vs = this.valueStart[m]!;
    const ve = this.valueEnd[m]!;
    if (s.charCodeAt(vs) !== 34) return undefined;
    const raw = s.slice(vs + 1, ve - 1);
    return this.#clean || raw.indexOf('\\') < 0 ? raw : (JSON.parse(s.slice(vs, ve)) as string);
  }
}

/** The character at i, or -1 past the end (never a read out of bounds, which V8 would deoptimise on). */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

/** Index of the first character at or after i that is not JSON whitespace (space, tab, CR, LF). */
export function skipWs(s: string, i: number): number {
  for (;;) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return i;
    i++;
  }
}

function hex4(s: string, i: number): boolean {
  if (i + 4 > s.length) return false;
  for (let j = i; j < i + 4; j++) {
    const c = s.charCodeAt(j);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index just after a strict JSON number at i, whose first character is c, or -1. */
function number(s: string, i: number, c: number): number {
  if (c === 45) c = s.charCodeAt(++i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) {
    do i++;
    while (isDigit(s.charCodeAt(i)));
  } else return -1;
  if (s.charCodeAt(i) === 46) {
    i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    do i++;
    while (isDigit(s.charCodeAt(i)));
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sg = s.charCodeAt(i);
    if (sg === 43 || sg === 45) i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    do i++;
    while (isDigit(s.charCodeAt(i)));
  }
  return i;
}
