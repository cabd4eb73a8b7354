import type { ErrorInfo } from '../event.js';

/**
 * The error a grouped stack trace describes: its type, its message and the trace itself
 * (OpenTelemetry's exception.type / exception.message / exception.stacktrace). The shapes are the
 * ones the grouper follows (formats/traces.ts): Python tracebacks (the last exception line is the one
 * that propagated), Java / .NET / Node stacks (the first `Name: message` line), Go and Rust panics,
 * Ruby's `file:line:in 'm': msg (Class)`. Runs only for a grouped event of level error or above.
 */

/** A trace frame line somewhere after the first line: the event is a stack trace, not just a multi-line message. */
const FRAME_LINE =
  /\n(?:[ \t]+at |[ \t]+File "|goroutine \d+ \[|\tfrom |[ \t]*\d+: |#\d+ |stack backtrace:|[ \t]+\S+\.go:\d+)/;
const PY_TRACEBACK = 'Traceback (most recent call last):';
/** `Name: message` or a bare qualified `pkg.Name`, after the prefixes runtimes put before an uncaught error */
const EXCEPTION_LINE =
  /^[ \t]*(?:Exception in thread "[^"]*" |Caused by: |Unhandled exception\. |(?:PHP )?(?:Fatal error: )?Uncaught )?((?:[A-Za-z_$][\w$]*[.$:]{1,2})*[A-Za-z_$][\w$]*)(?:: ?(.*))?$/;
const RUBY_LINE = /^\S+:\d+:in [`'][^']*': (.*) \(([A-Z][\w:]*)\)$/;
const RUST_PANIC = /^thread '[^']*'(?: \(\d+\))? panicked at ([^\n]*?):?$/;

/** Is `name` an exception type rather than any word followed by a colon? */
function isExceptionName(name: string, qualifiedOk: boolean): boolean {
  return (
    /(?:Error|Exception|Throwable|Failure|Fault|Interrupt|Exit|Warning|Panic)$/.test(name) ||
    (qualifiedOk && /^[a-z][\w$]*(?:\.[\w$]+)+$/.test(name) && /[A-Z]/.test(name))
  );
}

/** Does text hold a trace's frame line after its first line? */
export function hasFrames(text: string): boolean {
  return FRAME_LINE.test(text);
}

export function errorFromTrace(text: string): ErrorInfo | undefined {
  if (!FRAME_LINE.test(text)) return undefined;
  // .NET's Exception.ToString() on Windows (and any CRLF text) ends its lines with \r\n
  const lines = text.split(text.indexOf('\r') < 0 ? '\n' : /\r?\n/);
  const pyStart = lines.findIndex((l) => l.startsWith(PY_TRACEBACK));
  if (pyStart >= 0) {
    for (let i = lines.length - 1; i > pyStart; i--) {
      const line = lines[i]!;
      if (line.length === 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) continue;
      const m = EXCEPTION_LINE.exec(line);
      if (m && /^[A-Za-z_][\w.]*$/.test(m[1]!)) return { kind: m[1]!, message: m[2] ?? '', stack: text };
    }
  }
  for (let i = 0; i < lines.length && i < 64; i++) {
    const line = lines[i]!;
    if (line.startsWith('panic: ')) {
      return { kind: 'panic', message: line.slice(7).replace(/ \[recovered\]$/, ''), stack: text };
    }
    if (line.startsWith('fatal error: '))
      return { kind: 'fatal error', message: line.slice(13), stack: text };
    const rust = RUST_PANIC.exec(line);
    if (rust) return { kind: 'panic', message: lines[i + 1] ?? rust[1]!, stack: text };
    const ruby = RUBY_LINE.exec(line);
    if (ruby) return { kind: ruby[2]!, message: ruby[1]!, stack: text };
    const m = EXCEPTION_LINE.exec(line);
    if (m && isExceptionName(m[1]!, true)) return { kind: m[1]!, message: m[2] ?? '', stack: text };
  }
  return { kind: '', message: lines[0]!, stack: text };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '');

/**
 * The error an app's own error field describes, parsed (the field is an object or an array):
 * pino / bunyan `{type|name, message, stack}`, ECS `{type, message, stack_trace}`, Log4j2 JsonLayout
 * `thrown` `{name, message, extendedStackTrace}` (frames or, with stacktraceAsString, text), its
 * JsonTemplateLayout's `{exception_class, exception_message, stacktrace}` (Logstash V1) and
 * `_exception` `{class, message, stackTrace}` (GCP), Quarkus `{exceptionType, message, frames}`,
 * loguru `{type, value}`, Monolog `{class, message, file, trace: ["file:line", …]}`,
 * semantic_logger's `stack_trace` lines, structlog's dict
 * tracebacks `[{exc_type, exc_value, frames: [{filename, lineno, name}]}, …]` (the first is the one
 * raised), .NET's PascalCase objects (Newtonsoft's `{ClassName, Message, StackTraceString}`, also as
 * Serilog's ElasticsearchJsonFormatter `exceptions` array, the thrown one first; a logger's own
 * `{Name, Message, StackTrace}`). `stackBeside`: a trace the record carries next to it (zap's `stacktrace`).
 */
export function errorFromJson(v: unknown, stackBeside: string): ErrorInfo | undefined {
  if (Array.isArray(v)) {
    const first = v[0] as Record<string, unknown> | undefined;
    if (first === null || typeof first !== 'object') return undefined;
    // Serilog's ElasticsearchJsonFormatter: the thrown exception first, its inner ones after
    if (typeof first.exc_type !== 'string')
      return Array.isArray(first) ? undefined : errorFromJson(first, stackBeside);
    const kind = first.exc_type;
    const message = str(first.exc_value);
    const frames = Array.isArray(first.frames) ? (first.frames as Record<string, unknown>[]) : [];
    const lines = ['Traceback (most recent call last):'];
    for (const f of frames)
      if (f !== null && typeof f === 'object')
        lines.push(`  File "${str(f.filename)}", line ${num(f.lineno)}, in ${str(f.name)}`);
    lines.push(message === '' ? kind : `${kind}: ${message}`);
    return { kind, message, stack: frames.length > 0 ? lines.join('\n') : stackBeside };
  }
  if (v === null || typeof v !== 'object') return undefined;
  const obj = v as Record<string, unknown>;
  const named =
    str(obj.type) ||
    str(obj.name) ||
    str(obj.kind) ||
    str(obj.class) ||
    str(obj.exceptionType) ||
    str(obj.exception_class) ||
    str(obj.className) ||
    str(obj.errorType) ||
    // .NET, PascalCase: Newtonsoft's Exception (ClassName, StackTraceString), a logger's own {Name|Type, Message, StackTrace}
    str(obj.ClassName) ||
    str(obj.Type) ||
    str(obj.Name);
  // pino's err serializer names a plain object's constructor (`logger.info({ err: { message } })`):
  // no exception type
  const kind = named === 'Object' ? '' : named;
  const message =
    str(obj.message) ||
    str(obj.msg) ||
    str(obj.value) ||
    str(obj.exception_message) ||
    str(obj.errorMessage) ||
    str(obj.Message);
  let stack =
    str(obj.stack) ||
    str(obj.stack_trace) ||
    str(obj.extendedStackTrace) ||
    str(obj.stackTrace) ||
    str(obj.stacktrace) ||
    str(obj.StackTraceString) ||
    str(obj.StackTrace) ||
    lines(obj.stack_trace) ||
    lines(obj.stackTrace) ||
    stackBeside;
  if (stack === '')
    stack =
      javaFrames(kind, message, obj.extendedStackTrace) ||
      javaFrames(kind, message, obj.frames) ||
      javaFrames(kind, message, obj.stepArray) ||
      phpFrames(kind, message, obj) ||
      nodeFrames(kind, message, obj.stack);
  if (kind === '' && message === '' && stack === '') return undefined;
  return { kind, message, stack };
}

/** A trace written as an array of its lines (Ruby's semantic_logger `stack_trace`). */
function lines(v: unknown): string {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'string' ? v.join('\n') : '';
}

/**
 * Frames as Log4j2 (`extendedStackTrace`), Quarkus (`frames`) `[{class, method, file?, line}]` and
 * logback's JsonEncoder (`stepArray`) `[{className, methodName, fileName, lineNumber}]` write them,
 * as the text a Java stack trace is.
 */
function javaFrames(kind: string, message: string, frames: unknown): string {
  if (!Array.isArray(frames) || frames.length === 0) return '';
  let out = message === '' ? kind : `${kind}: ${message}`;
  for (const f of frames as Record<string, unknown>[]) {
    if (f === null || typeof f !== 'object') continue;
    const file = str(f.file) || str(f.fileName);
    const n = typeof f.line === 'number' ? f.line : f.lineNumber;
    const line = typeof n === 'number' && n >= 0 ? `:${n}` : '';
    const at = `${str(f.class) || str(f.className)}.${str(f.method) || str(f.methodName)}`;
    out += `\n\tat ${at}(${file === '' ? 'Unknown Source' : file + line})`;
  }
  return out;
}

/**
 * Go frames as zerolog's pkgerrors.MarshalStack writes them, `[{func, line, source}]` (line as text,
 * source the file's base name), as the text pkg/errors' `%+v` prints under the error's message: the
 * function on one line, `\tfile:line` on the next (the shape zap's `errorVerbose` carries, and the
 * one stackFrames reads as Go frames). '' when no element is such a frame.
 */
export function goFrames(heading: string, frames: unknown[]): string {
  let out = heading;
  let any = false;
  for (const f of frames as Record<string, unknown>[]) {
    if (f === null || typeof f !== 'object' || typeof f.func !== 'string') continue;
    const line = typeof f.line === 'string' || typeof f.line === 'number' ? `:${f.line}` : '';
    out += `${out === '' ? '' : '\n'}${f.func}\n\t${str(f.source) || 'unknown'}${line}`;
    any = true;
  }
  return any ? out : '';
}

/**
 * Frames as tslog writes a logged Error, `stack: [{fullFilePath, method}]` (fullFilePath ends in
 * `:line:column`), as the text a Node stack is: `    at method (file:line:column)`.
 */
function nodeFrames(kind: string, message: string, frames: unknown): string {
  if (!Array.isArray(frames) || frames.length === 0) return '';
  let out = message === '' ? kind : `${kind}: ${message}`;
  let any = false;
  for (const f of frames as Record<string, unknown>[]) {
    if (f === null || typeof f !== 'object' || typeof f.fullFilePath !== 'string') continue;
    const method = str(f.method);
    out +=
      method === '' || method === '[undefined]'
        ? `\n    at ${f.fullFilePath}`
        : `\n    at ${method} (${f.fullFilePath})`;
    any = true;
  }
  return any ? out : '';
}

/** Monolog's normalized exception: where it was thrown, then its trace, one `file:line` each. */
function phpFrames(kind: string, message: string, obj: Record<string, unknown>): string {
  const file = str(obj.file);
  if (file === '' || (kind === '' && message === '')) return '';
  const trace = Array.isArray(obj.trace) ? obj.trace.filter((t): t is string => typeof t === 'string') : [];
  return [`${kind}: ${message}`, file, ...trace].join('\n  at ');
}

/** One frame as Sentry's stack trace interface names its parts. */
export interface StackFrame {
  function?: string;
  module?: string;
  filename?: string;
  abs_path?: string;
  lineno?: number;
  colno?: number;
}

const PY_FRAME = /^\s+File "([^"]+)", line (\d+)(?:, in (.+))?$/;
const JAVA_FRAME = /^\s+at ([\w$.<>/]+)\.([\w$<>]+)\(([^:)]+)(?::(\d+))?\)$/;
const NODE_FRAME = /^\s+at (?:(?:async )?([^\s(]+(?: \[as [^\]]+\])?) \()?(.+?):(\d+):(\d+)\)?$/;
const GO_FILE = /^\t(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;

/**
 * Frames of a trace, oldest call first (Sentry's order), for Python, Java, Node and Go; an empty list
 * for shapes not read here (the trace text still travels whole).
 */
export function stackFrames(stack: string, max = 64): StackFrame[] {
  const lines = stack.split('\n');
  const py: StackFrame[] = [];
  const rev: StackFrame[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let m = PY_FRAME.exec(line);
    if (m) {
      py.push({ filename: m[1]!, abs_path: m[1]!, lineno: Number(m[2]), function: m[3] ?? '<module>' });
      continue;
    }
    m = JAVA_FRAME.exec(line);
    if (m) {
      rev.push({
        module: m[1]!,
        function: m[2]!,
        filename: m[3]!,
        ...(m[4] ? { lineno: Number(m[4]) } : {}),
      });
      continue;
    }
    m = NODE_FRAME.exec(line);
    if (m) {
      rev.push({
        function: m[1] ?? '<anonymous>',
        filename: m[2]!,
        abs_path: m[2]!,
        lineno: Number(m[3]),
        colno: Number(m[4]),
      });
      continue;
    }
    m = GO_FILE.exec(line);
    if (m && i > 0) {
      const fn = lines[i - 1]!.replace(/\(.*\)$/, '');
      rev.push({ function: fn, filename: m[1]!, abs_path: m[1]!, lineno: Number(m[2]) });
    }
  }
  const frames = py.length > 0 ? py : rev.reverse();
  return frames.length > max ? frames.slice(frames.length - max) : frames;
}
