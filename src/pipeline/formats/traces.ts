import { ERROR, WARN } from '../levels.js';
import { cc } from './chars.js';

/** Ends with `Error`/`Exception`/`Throwable` (error) or `Warning` (warn) identifier at s..e, else -1. */
export function exceptionSuffix(s: string, ps: number, e: number): number {
  const n = e - ps;
  switch (cc(s, e - 1)) {
    case 114: // r
      return n >= 5 && s.startsWith('Error', e - 5) ? ERROR : -1;
    case 110: // n
      return n >= 9 && s.startsWith('Exception', e - 9) ? ERROR : -1;
    case 101: // e
      return n >= 9 && s.startsWith('Throwable', e - 9) ? ERROR : -1;
    case 103: // g
      return n >= 7 && s.startsWith('Warning', e - 7) ? WARN : -1;
  }
  return -1;
}

/** The runtimes whose traces the grouper follows (families.ts names one per family). */
export type TraceKind =
  | 'python'
  | 'java'
  | 'go'
  | 'node'
  | 'ruby'
  | 'dotnet'
  | 'rust'
  | 'php'
  | 'elixir'
  | 'erlang';

/**
 * Trace shapes, as each runtime prints them (the grouper in ../multiline.ts follows these):
 * - Python (https://docs.python.org/3/library/traceback.html): "Traceback (most recent call last):",
 *   indented frames, the exception line; chained sections after "During handling of the above
 *   exception…" / "The above exception was the direct cause…"; an ExceptionGroup is printed indented,
 *   "  + Exception Group Traceback (most recent call last):" with `|` and `+-+---` box lines.
 * - Java (Throwable.printStackTrace): "Name: msg", "\tat …" frames, "Caused by: …", "Suppressed: …",
 *   "\t... N more"; an uncaught one opens with "Exception in thread \"name\"".
 * - .NET (Exception.ToString): "Name: msg", "   at …", " ---> Inner", "   --- End of inner exception …".
 * - Node (https://nodejs.org/api/errors.html#errorstack): "Name: msg" then "    at …"; the uncaught
 *   report "file:line", source line, caret, blank, the error, frames, "Node.js vNN".
 * - Go (runtime): "panic: …" / "fatal error: …", "[signal …]", blank, "goroutine N [state]:", frame
 *   function lines and tab-indented file lines, "created by …", "exit status N".
 * - Rust (std::panic): "thread 'name' panicked at …", the message, "stack backtrace:", frames,
 *   "note: run with `RUST_BACKTRACE=…`".
 * - Ruby (Exception#full_message): "file:line:in 'meth': msg (Class)" then "\tfrom …"; Rails
 *   " Name (msg):" then indented frames.
 * - PHP (https://www.php.net/manual/en/exception.gettraceasstring.php): "… Uncaught …", "Stack trace:",
 *   "#N …" frames, "  thrown in … on line N".
 * - Elixir (Logger.Translator, Exception.format_banner): a logger record, then "** (Kind) reason",
 *   indented "(app vsn) file:line: Mod.fun/arity" frames and labelled lines (Last message:, State:, …).
 * - Erlang/OTP (logger_formatter legacy_header, SASL): "=ERROR REPORT==== date ===" and the report's
 *   lines up to the blank line that ends it.
 * - Dart (https://dart.dev/language/error-handling): "Unhandled exception:", the error, "#N      frame"
 *   lines and "<asynchronous suspension>".
 */
export const PY_TRACEBACK = 'Traceback (most recent call last):';
/** Elixir Exception.format_banner: "** (RuntimeError) boom", "** (exit) shutdown", "** (throw) :x" */
export const ELIXIR_BANNER = '** (';
/**
 * The labelled lines Elixir's Logger.Translator prints after a crash banner (GenServer, Task, gen_event,
 * supervisor and proc_lib crash reports): https://github.com/elixir-lang/elixir/blob/main/lib/logger/lib/logger/translator.ex
 */
export const ELIXIR_REPORT_LABEL_RE =
  /^(?:Last message|State|Client|Function|Args|Pid|Start Call|Start Module|Restart|Shutdown|Type|Number|Initial Call|Current Call|Ancestors|Neighbours|Message Queue Length|Messages|Links|Dictionary|Trapping Exits|Status|Heap Size|Stack Size|Reductions|Current Stacktrace|Queue|Postponed|Callback mode)\b/;
/** logging's stack_info=True: the stack follows the record, which keeps its level */
export const PY_STACK = 'Stack (most recent call last):';
/** asyncio's default exception handler: context lines after its error record */
export const ASYNCIO_CONTEXT_RE = /^(?:future|task|handle|protocol|transport|socket|exception): /;
/** Node's process warning hint, after a `(node:N) …Warning` line */
export const NODE_WARNING_HINT = '(Use `node --trace-';
export const PY_GROUP_TRACEBACK = '+ Exception Group Traceback (most recent call last):';
export const PY_DURING = 'During handling of the above exception';
export const PY_CAUSE = 'The above exception was the direct cause';
export const DART_UNHANDLED = 'Unhandled exception:';
export const PHP_STACK = 'Stack trace:';
export const NODE_CRASH_HEADER_RE = /^(?:\/|\.\.?\/|node:|file:\/\/|[A-Za-z]:\\)\S*:\d+$/;
export const JUL_HEADER_RE =
  /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4},? \d{1,2}:\d\d:\d\d(?: [AP]M)? \S/;
export const RUBY_FRAME_RE = /^\S+:\d+:in [`'<]/;
/** Rails: " ActionController::RoutingError (No route matches …):" */
export const RAILS_EXCEPTION_RE = /^ ?[A-Z]\w*(?:::[A-Z]\w*)* \(.*\):$/;
export const PG_CONTINUATION_RE = /^(?:DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION): {2}/;

/**
 * A Go stack function line: `pkg/path.Func(args…)`, `pkg.(*T).Method`, `main.main`, `panic({…})` — it
 * opens with a letter or `_` (a package path or a builtin) and has no space before the first paren.
 * `strict` (opening a stack after a log record) also wants a package qualifier and a paren or a
 * path, so that a short plain line such as `Done.` does not attach. A JSON record
 * (`{"path":"/users","duration":58.33}`) has no space either: its first character tells it apart.
 */
export function isGoFrame(line: string, strict: boolean): boolean {
  const c0 = line.charCodeAt(0);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95)) return false;
  const paren = line.indexOf('(');
  const limit = paren < 0 ? line.length : paren;
  const sp = line.indexOf(' ');
  if (sp >= 0 && sp < limit) return false;
  if (!strict) return limit > 0;
  const dot = line.indexOf('.');
  if (dot <= 0 || dot >= limit) return false;
  return paren > 0 || line.indexOf('/') > 0;
}

export function isGoDumpLine(line: string, c0: number): boolean {
  switch (c0) {
    case 103: // g
      if (line.startsWith('goroutine ')) return true;
      break;
    case 99: // c
      if (line.startsWith('created by ')) return true;
      break;
    case 91: // [
      return line.startsWith('[signal ') || line.startsWith('[recovered');
    case 101: // e
      if (line.startsWith('exit status ')) return true;
      break;
    case 46: // .
      return line.startsWith('...');
  }
  // a function line carries its argument list (`main.main()`, `panic({0x…})`) or, in zap's stacks, a
  // package qualifier (`main.main`); a bare word after the dump (`restarting`) is the app's next line
  return (line.indexOf('(') > 0 || line.indexOf('.') > 0) && isGoFrame(line, false);
}

/** Dart frame "#0      main (file:///…)" or PHP frame "#0 /app/x.php(9): f()": `#`, digits, a space. */
export function isHashFrame(line: string): boolean {
  let i = 1;
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
  return i > 1 && line.charCodeAt(i) === 32;
}

/** How many spaces and tabs open `line` from p (0: its index of the first character that is neither). */
export function indentOf(line: string, p = 0): number {
  let i = p;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return i - p;
}
