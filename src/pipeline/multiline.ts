/**
 * Multi-line grouping: consecutive lines of one record (stack traces, tracebacks, panics, indented
 * message lines) become one event. One grouper per stream, so two streams are never merged.
 *
 * The grouper is a small state machine keyed on what opened the group (a logger record, a Python
 * traceback, a Java/JS stack, a Go or Rust panic, a Node crash report, …). Each mode accepts only the
 * continuation shapes that runtime prints; anything else starts a new group. Most decisions are one
 * `charCodeAt` (continuation lines start with whitespace); `startsWith` and the few helper scans run
 * only for the line shapes that need them.
 *
 * Blank lines are held as tentative members: they join the group when a continuation follows (Python
 * chained exceptions, Go goroutine blocks, Spring's blank lines around a stack) and are trimmed when
 * the group ends on them. A blank line with no open group is dropped.
 *
 * Sizes: maxBytes is measured in UTF-16 code units of the joined text (string length), which is close
 * to bytes for log text and costs nothing to compute.
 */
import { HeaderLexer } from './formats/lexer.js';
import { ERROR, NO_LEVEL, WARN } from './levels.js';

export const DEFAULT_MULTILINE_TIMEOUT_MS = 1000;
export const DEFAULT_MULTILINE_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MULTILINE_MAX_LINES = 1000;

export interface MultilineOptions {
  /** close a group this long after its last (non-blank) line; default 1000 */
  timeoutMs: number;
  /** cap on a group's text, in UTF-16 code units including the joining "\n"; default 1 MiB */
  maxBytes: number;
  /** cap on a group's line count; default 1000 */
  maxLines: number;
  /** text = lines joined with "\n" (trailing blank lines trimmed); level may be NO_LEVEL; startedAt = `now` of the first line */
  emit(text: string, level: number, startedAt: number, lineCount: number): void;
  /** called each time a group is closed by the size or line cap */
  onCapped?(): void;
}

// What opened the group decides which continuation lines it accepts.
/** a plain line with no level: indented lines; a JUL level line right after a JUL header */
const M_PLAIN = 0;
/** a logger record: indented lines, an attached traceback/stack/goroutine dump, PostgreSQL DETAIL… */
const M_RECORD = 1;
/** Ruby Logger record: as M_RECORD, plus Rails tag-prefixed lines and unindented backtrace frames */
const M_RUBY = 2;
/** opened by an indented line: nothing joins it */
const M_INDENTED = 3;
/** Python traceback frames: indented lines, then the exception line */
const M_PYTB = 4;
/** after the exception line: "During handling…" / "The above exception…", multi-line messages */
const M_PYTB_DONE = 5;
/** after "During handling…": blank lines, then the next Traceback */
const M_PYCHAIN = 6;
/** Java / JS / .NET stack: indented frames, Caused by:, ... N more, Suppressed:, Node.js vXX footer */
const M_STACK = 7;
/** Go panic or goroutine dump */
const M_GO = 8;
/** Rust panic: message lines, stack backtrace, up to the note: line */
const M_RUST = 9;
/** Node crash report header (file:line): source line and caret, blank, then the error */
const M_NODE = 10;
/** complete (after the Node.js footer or Rust's note): nothing more joins */
const M_CLOSED = 11;

const TRACEBACK = 'Traceback (most recent call last):';
const NODE_CRASH_HEADER_RE = /^(?:\/|\.\.?\/|node:|file:\/\/|[A-Za-z]:\\)\S*:\d+$/;
const JUL_HEADER_RE =
  /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4},? \d{1,2}:\d\d:\d\d(?: [AP]M)? \S/;
const RUBY_FRAME_RE = /^\S+:\d+:in [`'<]/;
const PG_CONTINUATION_RE = /^(?:DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION): {2}/;

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/** Empty, or only spaces/tabs/CR. */
function isBlank(line: string, c0: number): boolean {
  if (c0 < 0) return true;
  if (c0 !== 32 && c0 !== 9 && c0 !== 13) return false;
  for (let i = 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * A Go stack function line: `pkg/path.Func(args…)`, `pkg.(*T).Method`, `main.main`, `panic({…})` — no
 * space before the first paren. `strict` (opening a stack after a log record) also wants a package
 * qualifier and a paren or a path, so that a short plain line such as `Done.` does not attach.
 */
function isGoFrame(line: string, strict: boolean): boolean {
  const paren = line.indexOf('(');
  const limit = paren < 0 ? line.length : paren;
  const sp = line.indexOf(' ');
  if (sp >= 0 && sp < limit) return false;
  if (!strict) return limit > 0;
  const dot = line.indexOf('.');
  if (dot <= 0 || dot >= limit) return false;
  return paren > 0 || line.indexOf('/') > 0;
}

function isGoDumpLine(line: string, c0: number): boolean {
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
  return isGoFrame(line, false);
}

export class MultilineGrouper {
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #maxLines: number;
  readonly #emitFn: MultilineOptions['emit'];
  readonly #onCapped: (() => void) | undefined;

  /** first line of the open group */
  #head = '';
  /**
   * lines after the head, including tentative trailing blanks; slots are reused between groups (only
   * #restCount is reset) because setting an array's length is a runtime call on V8's hot path
   */
  readonly #rest: string[] = [];
  #restCount = 0;
  #open = false;
  #trailingBlanks = 0;
  #mode = M_PLAIN;
  #level = NO_LEVEL;
  #startedAt = 0;
  #lastAt = 0;
  /** joined length so far (UTF-16 units, separators included) */
  #size = 0;

  /** reads exception headers; its result fields are reused per line */
  readonly #lex = new HeaderLexer();

  constructor(opts: MultilineOptions) {
    this.#timeoutMs = opts.timeoutMs;
    this.#maxBytes = opts.maxBytes;
    this.#maxLines = opts.maxLines;
    this.#emitFn = opts.emit;
    this.#onCapped = opts.onCapped;
  }

  /** true when a group is open (the caller keeps a timer armed) */
  get pending(): boolean {
    return this.#open;
  }

  /** `level` = detectLevel(line); `now` in ms, the same clock as tick(). */
  push(line: string, level: number, now: number): void {
    if (this.#open && now - this.#lastAt >= this.#timeoutMs) this.#close(false);
    // -1 for an empty line: reading past the end (NaN) deoptimises V8's compiled code
    const c0 = line.length > 0 ? line.charCodeAt(0) : -1;
    if (isBlank(line, c0)) {
      // tentative: joins only if a continuation follows; bounded so a flood of blanks holds nothing
      if (this.#open && this.#trailingBlanks < 64 && this.#restCount + 1 < this.#maxLines) {
        this.#add(line);
        this.#trailingBlanks++;
        this.#size += line.length + 1;
      }
      return;
    }
    if (this.#open) {
      if (this.#accepts(line, c0, level)) {
        if (this.#restCount + 2 > this.#maxLines || this.#size + line.length + 1 > this.#maxBytes) {
          // capped: ship what we have; the rest of the record continues as a new group, same level
          const mode = this.#mode;
          const lvl = this.#level;
          this.#close(true);
          this.#start(line, mode, lvl, now);
          return;
        }
        this.#add(line);
        this.#size += line.length + 1;
        this.#trailingBlanks = 0;
        this.#lastAt = now;
        return;
      }
      this.#close(false);
    }
    this.#open1(line, c0, level, now);
  }

  /** Closes the open group if `now - lastLineAt >= timeoutMs`; called from a timer. */
  tick(now: number): void {
    if (this.#open && now - this.#lastAt >= this.#timeoutMs) this.#close(false);
  }

  /** End of input: emit whatever is open. */
  flush(): void {
    if (this.#open) this.#close(false);
  }

  /** Opens a group with `line`, choosing the mode from its shape. */
  #open1(line: string, c0: number, level: number, now: number): void {
    let mode = M_RECORD;
    let lvl = level;
    if (isWs(c0)) mode = M_INDENTED;
    else if (level === NO_LEVEL) {
      mode = M_PLAIN;
      const last = line.charCodeAt(line.length - 1);
      if (last >= 48 && last <= 57 && NODE_CRASH_HEADER_RE.test(line)) {
        mode = M_NODE;
        lvl = ERROR;
      } else if (c0 === 84 && line.startsWith(TRACEBACK)) {
        mode = M_PYTB;
        lvl = ERROR;
      }
    } else {
      switch (c0) {
        case 84: // T
          if (line.startsWith(TRACEBACK)) mode = M_PYTB;
          break;
        case 112: // p
          if (line.startsWith('panic: ')) mode = M_GO;
          break;
        case 102: // f
          if (line.startsWith('fatal error: ')) mode = M_GO;
          break;
        case 116: // t
          if (line.startsWith("thread '")) mode = M_RUST;
          break;
      }
      if (mode === M_RECORD) {
        if (
          line.length > 4 &&
          line.charCodeAt(1) === 44 &&
          line.charCodeAt(2) === 32 &&
          line.charCodeAt(3) === 91
        )
          mode = M_RUBY;
        else if (level === ERROR && this.#isException(line)) mode = M_STACK;
      }
    }
    this.#start(line, mode, lvl, now);
  }

  #start(line: string, mode: number, level: number, now: number): void {
    this.#open = true;
    this.#head = line;
    this.#restCount = 0;
    this.#size = line.length;
    this.#trailingBlanks = 0;
    this.#mode = mode;
    this.#level = level;
    this.#startedAt = now;
    this.#lastAt = now;
  }

  /** Does `line` (not blank) continue the open group? May advance the mode. */
  #accepts(line: string, c0: number, level: number): boolean {
    const ws = isWs(c0);
    switch (this.#mode) {
      case M_PLAIN:
        if (ws) return true;
        // java.util.logging: "May 14, 2024 9:21:07 AM cls method" then "INFO: msg" — the level is on line 2
        if (
          level !== NO_LEVEL &&
          this.#restCount === 0 &&
          c0 >= 65 &&
          c0 <= 90 &&
          JUL_HEADER_RE.test(this.#head)
        ) {
          this.#level = level;
          this.#mode = M_RECORD;
          return true;
        }
        return false;
      case M_RECORD:
      case M_RUBY:
        return ws || this.#attaches(line, c0, level);
      case M_INDENTED:
      case M_CLOSED:
        return false;
      case M_PYTB:
        if (ws) return true;
        // the exception line ends the frames; a logger record from another thread does not
        if (level === NO_LEVEL || this.#isException(line)) {
          this.#mode = M_PYTB_DONE;
          return true;
        }
        return false;
      case M_PYTB_DONE:
        if (c0 === 68 && line.startsWith('During handling of the above exception')) {
          this.#mode = M_PYCHAIN;
          return true;
        }
        if (c0 === 84 && line.startsWith('The above exception was the direct cause')) {
          this.#mode = M_PYCHAIN;
          return true;
        }
        // multi-line exception messages (pydantic, SQLAlchemy) follow the exception line directly
        return this.#trailingBlanks === 0 && (ws || level === NO_LEVEL);
      case M_PYCHAIN:
        if (c0 === 84 && line.startsWith(TRACEBACK)) {
          this.#mode = M_PYTB;
          return true;
        }
        return false;
      case M_STACK:
        if (ws) return true;
        switch (c0) {
          case 67: // C
            return line.startsWith('Caused by: ');
          case 46: // .
            return line.startsWith('... ');
          case 83: // S
            return line.startsWith('Suppressed: ');
          case 125: // } closing util.inspect's own properties
            return true;
          case 78: // N
            if (line.startsWith('Node.js v')) {
              this.#mode = M_CLOSED;
              return true;
            }
            return false;
        }
        return false;
      case M_GO:
        if (ws) return true;
        return level === NO_LEVEL && isGoDumpLine(line, c0);
      case M_RUST:
        if (ws) return true;
        if (level !== NO_LEVEL) return false;
        if (c0 === 110 && line.startsWith('note: ')) this.#mode = M_CLOSED;
        return true; // the panic message and "stack backtrace:"
      case M_NODE:
        if (this.#trailingBlanks === 0) {
          // the offending source line and the caret under it
          return this.#restCount < 2 && (ws || level === NO_LEVEL);
        }
        // after the blank line: the error itself ("Error: …", "TypeError: …", a thrown non-Error value)
        if (level === NO_LEVEL || level === ERROR) {
          this.#mode = M_STACK;
          return true;
        }
        return false;
    }
    return false;
  }

  /** Unindented lines that attach to a logger record. */
  #attaches(line: string, c0: number, level: number): boolean {
    const head = this.#head;
    const recordLevel = this.#level;
    if (recordLevel !== NO_LEVEL) {
      // logger.exception(…) / exc_info=True
      if (c0 === 84 && line.startsWith(TRACEBACK)) {
        this.#mode = M_PYTB;
        return true;
      }
      // logback/log4j/JUL: the throwable after the message (Spring's %wEx puts a blank line before it)
      if (level === ERROR && c0 >= 97 && c0 <= 122 && this.#isQualifiedException(line)) {
        this.#mode = M_STACK;
        return true;
      }
      if (c0 === 67 && line.startsWith('Caused by: ')) {
        this.#mode = M_STACK;
        return true;
      }
      // Go net/http recovered panic: the goroutine dump follows the log line
      if (c0 === 103 && line.startsWith('goroutine ')) {
        this.#mode = M_GO;
        return true;
      }
    }
    if (level !== NO_LEVEL) return false;
    // zap: stack trace (function line, tab-indented file line) after a warn+ record
    if (recordLevel >= WARN && this.#trailingBlanks === 0 && c0 !== 91 && isGoFrame(line, true)) {
      this.#mode = M_GO;
      return true;
    }
    // PostgreSQL: DETAIL/HINT/STATEMENT/… with the same prefix (same PID) as the message
    if (c0 >= 48 && c0 <= 57 && head.charCodeAt(0) === c0) {
      const close = line.indexOf('] ');
      if (close > 0 && close < 96) {
        const open = line.lastIndexOf('[', close);
        if (
          open > 0 &&
          PG_CONTINUATION_RE.test(line.slice(close + 2, close + 14)) &&
          head.startsWith(line.slice(open, close + 2), open)
        ) {
          return true;
        }
      }
      return false;
    }
    if (this.#mode === M_RUBY && this.#trailingBlanks === 0) {
      // Rails ≥ 7.1 DebugExceptions: every line carries the request tags; Logger: unindented frames
      if (c0 === 91) {
        const close = line.indexOf(']');
        return close > 0 && head.includes(line.slice(0, close + 1));
      }
      return RUBY_FRAME_RE.test(line);
    }
    return false;
  }

  #isException(line: string): boolean {
    return this.#lex.exceptionHeader(line, 0) === ERROR;
  }

  #isQualifiedException(line: string): boolean {
    return this.#lex.exceptionHeader(line, 0) === ERROR && this.#lex.qualified;
  }

  #add(line: string): void {
    const rest = this.#rest;
    if (this.#restCount < rest.length) rest[this.#restCount] = line;
    else rest.push(line);
    this.#restCount++;
  }

  #close(capped: boolean): void {
    // lineCount and text leave out tentative trailing blank lines
    const n = this.#restCount - this.#trailingBlanks;
    let text = this.#head;
    if (n > 0) {
      const rest = this.#rest;
      if (n <= 16) {
        for (let i = 0; i < n; i++) text += `\n${rest[i]!}`;
      } else {
        text = `${text}\n${rest.slice(0, n).join('\n')}`;
      }
      // drop references so a shipped stack trace is not kept alive by the grouper
      for (let i = 0; i < this.#restCount; i++) rest[i] = '';
    }
    const level = this.#level;
    const startedAt = this.#startedAt;
    this.#head = '';
    this.#restCount = 0;
    this.#open = false;
    this.#trailingBlanks = 0;
    this.#size = 0;
    if (capped) this.#onCapped?.();
    this.#emitFn(text, level, startedAt, n + 1);
  }
}
