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
 * A line that opens a record (it has a level) or a trace never continues the group before it, except
 * where a logger attaches a trace to its own warn+ record (logger.exception, logback's throwable). A
 * group ends where its runtime's format ends it; after that an unindented line starts a new event.
 * Its level is the highest of its lines' levels and its trace's (a trace is error; a Go or Rust panic
 * is fatal by its header).
 *
 * Blank lines are held as tentative members: they join the group when a continuation follows (Python
 * chained exceptions, Go goroutine blocks, Spring's blank lines around a stack) and are trimmed when
 * the group ends on them. A blank line with no open group is dropped. After a Python exception line,
 * an unindented plain line is tentative too: it is the exception's message (pydantic) only if an
 * indented line follows it; otherwise it starts the next event.
 *
 * Prefixed input (source-prefix.ts): lines piped in from `kubectl logs --timestamps` / `--prefix`,
 * `docker logs -t` or `docker compose logs` carry the tool's prefix; the level detector says where
 * the app's line starts after it (the facts' BODY_START_SHIFT bits), and every decision here is
 * made on that line, while the event's text keeps the lines as written. A group's source (the
 * pod/container or compose service prefix, #key) must be each joining line's: a line of another
 * source, or an unprefixed one, closes it (no group is kept open per source). A time alone is no
 * source. Without the detector's facts (facts 0) lines are read as they are.
 *
 * Sizes: maxBytes is measured in UTF-16 code units of the joined text (string length), which is close
 * to bytes for log text and costs nothing to compute.
 */

import { stringEnd } from './formats/chars.js';
import { logcatLongHeader } from './formats/detect.js';
import { BODY_START_SHIFT, HeaderLexer } from './formats/lexer.js';
import {
  ASYNCIO_CONTEXT_RE,
  DART_UNHANDLED,
  ELIXIR_BANNER,
  ELIXIR_REPORT_LABEL_RE,
  indentOf,
  isGoDumpLine,
  isGoFrame,
  isHashFrame,
  JUL_HEADER_RE,
  NODE_CRASH_HEADER_RE,
  NODE_WARNING_HINT,
  PG_CONTINUATION_RE,
  PHP_STACK,
  PY_CAUSE,
  PY_DURING,
  PY_GROUP_TRACEBACK,
  PY_STACK,
  PY_TRACEBACK,
  RAILS_EXCEPTION_RE,
  RUBY_FRAME_RE,
} from './formats/traces.js';
import { ERROR, NO_LEVEL, WARN } from './levels.js';
import { rfc3339End, SourcePrefix } from './source-prefix.js';

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
}

/**
 * Where the grouper's events go: a method of one object (the pipeline's lane, a class), not a
 * closure made per grouper, so that every grouper of a process calls one target (with closures made
 * per pipeline, `--trace-deopt` showed a "wrong call target" deoptimisation for each new pipeline).
 */
export interface GroupSink {
  /**
   * text = lines joined with "\n" (trailing blank lines trimmed); level = the highest of its lines'
   * levels and its trace's, may be NO_LEVEL; startedAt = `now` of the first line; facts = what the
   * level detector learnt of the first line (formats/lexer.ts FIRST_WORD_NOT_KEY …), 0 when unknown;
   * headerTime = the time the detector read from the first line's header (LevelDetector.headerTime),
   * NaN when none; it goes with facts (whose HEADER_TIME_END_SHIFT bits say where it ends)
   */
  emit(
    text: string,
    level: number,
    startedAt: number,
    lineCount: number,
    facts: number,
    headerTime: number,
  ): void;
  /** called each time a group is closed by the size or line cap */
  onCapped?(): void;
}

// What opened the group decides which continuation lines it accepts (formats/traces.ts has the shapes).
/** a plain line with no level: indented lines (a stack under it makes it error); PHP's "Stack trace:"; JUL's level line */
const M_PLAIN = 0;
/** a logger record: indented lines, an attached traceback/stack/goroutine dump, PostgreSQL DETAIL… */
const M_RECORD = 1;
/** Ruby Logger record: as M_RECORD, plus Rails tag-prefixed lines and unindented backtrace frames */
const M_RUBY = 2;
/** opened by an indented line: nothing joins it */
const M_INDENTED = 3;
/** Python traceback frames: indented lines, then the exception line */
const M_PYTB = 4;
/** after the exception line: chained sections, and the exception's own message lines */
const M_PYTB_DONE = 5;
/** after "During handling…": blank lines, then the next Traceback */
const M_PYCHAIN = 6;
/** Java / JS / .NET / Rails stack: indented frames, Caused by:, ... N more, Suppressed:, Node.js vXX footer */
const M_STACK = 7;
/** Go panic or goroutine dump */
const M_GO = 8;
/** Rust panic: message lines, stack backtrace, up to the note: line */
const M_RUST = 9;
/** Node crash report header (file:line): source line and caret, blank, then the error */
const M_NODE = 10;
/** complete (after the Node.js footer or Rust's note): nothing more joins */
const M_CLOSED = 11;
/** Python ExceptionGroup traceback: indented `|` and `+-+` box lines */
const M_PYGROUP = 12;
/** Dart "Unhandled exception:": the error's lines, up to the first frame */
const M_DART = 13;
/** Dart frames: "#N      frame", "<asynchronous suspension>" */
const M_DART_FRAMES = 14;
/** PHP "Stack trace:": "#N …" frames, "  thrown in …" */
const M_PHP = 15;
/** Elixir "** (Kind) reason": indented frames and the crash report's labelled lines (Last message: …) */
const M_ELIXIR = 16;
/**
 * a header whose record runs to the blank line after it: Erlang/OTP "=LEVEL REPORT==== date ===",
 * logcat -v long "[ date time pid: tid P/tag ]"
 */
const M_TO_BLANK = 17;
/**
 * Erlang/OTP "=LEVEL REPORT==== date ===": to the blank line, like M_TO_BLANK, while its body is
 * free text ("Error in process <0.90.0> with exit value:"); once the body has turned to report
 * terms (an indented "    application: kernel", a term line "{badarg,[…]}", a "** Reason …"
 * line: M_ERLANG_TERMS), an unindented line that is none of these is the next record: what the app
 * prints after a report without a blank line is not part of it.
 */
const M_ERLANG = 18;
const M_ERLANG_TERMS = 19;
/**
 * A pretty-printed JSON value (`JSON.stringify(v, null, 2)`, Python's `json.dumps(indent=…)`, Go's
 * `MarshalIndent`): a bare `{` or `[` line, its indented lines, then the closing bracket at column 0,
 * which ends it. One event, which the structured reader then reads as one record.
 */
const M_JSON = 20;
/**
 * The same printed with indent 0 (Python's `json.dumps(v, indent=0)`, Go's `MarshalIndent(v, "", "")`):
 * every line at column 0, so the brackets' depth tells where the value ends. Entered when the first
 * line after the bare bracket is a JSON line (jsonLineDepth); each line after must be one too, and
 * the line that brings the depth back to 0 ends it.
 */
const M_JSON0 = 21;

/**
 * An Erlang term on a line of its own: `{badarg,…}`, `[{file,…}]`, `<0.90.0>`, `'atom'`, `#{…}`, a
 * closing `}` / `]`. A JSON record (`{"…`, `[{"…`, `["…`) is not one: it is the app's next line.
 */
function isErlangTermLine(line: string, c: number): boolean {
  if (c === 123 || c === 91) {
    const d = line.charCodeAt(1);
    return d !== 34 && !(c === 91 && d === 123 && line.charCodeAt(2) === 34);
  }
  return c === 60 || c === 39 || c === 35 || c === 125 || c === 93;
}

/** The line opens with `key=` (a logfmt record's first pair): a letter or `_`, then word characters or `.`. */
function opensWithKey(line: string): boolean {
  const c = line.charCodeAt(0) | 32;
  if (!((c >= 97 && c <= 122) || c === 127)) return false; // a letter, or `_` (95 | 32)
  for (let i = 1; i < line.length; i++) {
    const d = line.charCodeAt(i);
    if (d === 61) return true;
    const l = d | 32;
    if (!((l >= 97 && l <= 122) || (d >= 48 && d <= 57) || d === 95 || d === 46)) return false;
  }
  return false;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Rails/detect-exceptions " NoMethodError (undefined method …):": one space, a class name, its
 * message; in `line` from p (where its app line starts after a tool's prefix).
 */
function isRailsHeader(line: string, p: number): boolean {
  const c1 = line.charCodeAt(p + 1);
  return (
    line.charCodeAt(p) === 32 &&
    c1 >= 65 &&
    c1 <= 90 &&
    RAILS_EXCEPTION_RE.test(p === 0 ? line : line.slice(p))
  );
}

/** A line that is only `{` or `[` (trailing spaces or CR allowed): a pretty-printed JSON value opens. */
function isBareBracket(line: string, c0: number): boolean {
  if (c0 !== 123 && c0 !== 91) return false;
  for (let i = 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * A line of a JSON value printed with indent 0: a member (`"key": value`, a nested value's bracket
 * opening at its end), an element (a string, a number, true, false, null), a bracket, each with an
 * optional trailing comma. Returns the change of bracket depth it makes (brackets inside strings do
 * not count), or NaN when it is no such line: an app's next line (a time, a word, an indented line).
 */
function jsonLineDepth(line: string, c0: number): number {
  let i = 1;
  let d = 0;
  if (c0 === 34) {
    const e = stringEnd(line, 1);
    if (e < 0) return Number.NaN;
    i = e + 1;
    if (line.charCodeAt(i) === 58) {
      // a member: its value runs to the line's end; count its brackets outside strings
      for (i++; i < line.length; i++) {
        const c = line.charCodeAt(i);
        if (c === 34) {
          const q = stringEnd(line, i + 1);
          if (q < 0) return Number.NaN;
          i = q;
        } else if (c === 123 || c === 91) d++;
        else if (c === 125 || c === 93) d--;
      }
      return d;
    }
  } else if (c0 === 123 || c0 === 91) {
    const c1 = line.charCodeAt(1);
    if (c1 === c0 + 2)
      i = 2; // `{}` / `[]`
    else d = 1;
  } else if (c0 === 125 || c0 === 93) d = -1;
  else {
    // a scalar element: a number, true, false or null
    i = 0;
    while (i < line.length) {
      const c = line.charCodeAt(i);
      if (c === 44 || c === 13) break;
      if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || (c >= 97 && c <= 122) || c === 69))
        return Number.NaN;
      i++;
    }
    const word = line.slice(0, i);
    if (word !== 'true' && word !== 'false' && word !== 'null' && !JSON_NUMBER_RE.test(word))
      return Number.NaN;
  }
  if (line.charCodeAt(i) === 44) i++;
  if (line.charCodeAt(i) === 13) i++;
  return i === line.length ? d : Number.NaN;
}

const JSON_NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Empty from b, or only spaces/tabs/CR (c0 = line[b], -1 past the end). */
function isBlank(line: string, b: number, c0: number): boolean {
  if (c0 < 0) return true;
  if (c0 !== 32 && c0 !== 9 && c0 !== 13) return false;
  for (let i = b + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

export class MultilineGrouper {
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #maxLines: number;
  readonly #sink: GroupSink;
  /** reads exception headers; its result fields are reused per line */
  readonly #lex = new HeaderLexer();

  /** first line of the open group */
  #head = '';
  /** where the head's app line starts after its source prefix (source-prefix.ts), 0: none */
  #headStart = 0;
  /** the head from #headStart, sliced when first asked for (#headBody()) */
  #headBodyText: string | undefined = '';
  /**
   * Where the line being weighed starts its app line (after a tool's prefix, 0: none), and that
   * part, sliced when a decision first reads more of it than its first character (#body()): a line
   * with an ISO 8601 time before a record with a level is mostly decided on that character alone
   * (a slice per line measured ~20 ns in the pipeline, its allocation); a line without a prefix
   * costs one store here.
   */
  #curStart = 0;
  #curBody: string | undefined;
  /** #appLineStart(): where the line's source key ends (0: none) */
  #lineKeyEnd = 0;
  /** where the head's source key ends (kubectl --prefix's `[pod/…] `, compose's `web-1  | `), 0: none */
  #keyEnd = 0;
  /** the head's source key (its first #keyEnd characters); '' when none */
  #key = '';
  /** reads each line's source prefix; its result fields are reused per line */
  readonly #prefix = new SourcePrefix();
  /**
   * lines after the head, including tentative trailing blanks; slots are reused between groups (only
   * #restCount is reset) because setting an array's length is a runtime call on V8's hot path
   */
  readonly #rest: string[] = [];
  #restCount = 0;
  #open = false;
  #trailingBlanks = 0;
  /** the last line of #rest is an unconfirmed Python exception message line */
  #tentative = false;
  #mode = M_PLAIN;
  /** M_JSON0: brackets open in the value so far */
  #jsonDepth = 0;
  /** the head's level, raised by each joined line's level and by the trace's */
  #level = NO_LEVEL;
  #startedAt = 0;
  /** the head's facts from the level detector (passed on to emit, not read here) */
  #facts = 0;
  /** the head's header time from the level detector (passed on to emit with #facts), NaN when none */
  #headerTime = Number.NaN;
  /** the last line's time (a container record's own time, else when it was read): the gap between two lines */
  #lastAt = 0;
  /**
   * when the last line was read: tick()'s clock. A backfill's records are old, and measured against
   * the timer's clock they would close a group between any two reads of the file.
   */
  #lastReadAt = 0;
  /** the read time of the line being pushed */
  #pushReadAt = 0;
  /** joined length so far (UTF-16 units, separators included) */
  #size = 0;

  /** `sink`: where the groups go; without it, the options object's own emit() (a test's or a tool's grouper) */
  constructor(opts: MultilineOptions & GroupSink);
  constructor(opts: MultilineOptions, sink: GroupSink);
  constructor(opts: MultilineOptions, sink: GroupSink = opts as MultilineOptions & GroupSink) {
    this.#timeoutMs = opts.timeoutMs;
    this.#maxBytes = opts.maxBytes;
    this.#maxLines = opts.maxLines;
    this.#sink = sink;
  }

  /** true when a group is open (the caller keeps a timer armed) */
  get pending(): boolean {
    return this.#open;
  }

  /**
   * `level` = the detector's level for the line; `now` = its time in ms (a container record's own);
   * `facts` = what the detector learnt of the line (0: nothing), handed to emit with the group it
   * opens, with `headerTime` (the detector's time of its header, NaN: none), and read here for where
   * the app's line starts after a tool's prefix (BODY_START_SHIFT); `readAt` = when it was read, the
   * same clock as tick() (`now` unless the line is a record).
   */
  push(line: string, level: number, now: number, facts = 0, readAt = now, headerTime = Number.NaN): void {
    this.#pushReadAt = readAt;
    if (this.#open && now - this.#lastAt >= this.#timeoutMs) this.#close(false);
    // -1 for an empty line: reading past the end (NaN) deoptimises V8's compiled code
    let c0 = line.length > 0 ? line.charCodeAt(0) : -1;
    // input piped from kubectl or docker compose (source-prefix.ts): decide on the app's line after
    // the prefix, where the level detector found it starts (its facts); a line without one pays a
    // shift and a compare
    let b = 0;
    let keyEnd = 0;
    if (facts >>> BODY_START_SHIFT !== 0) {
      b = this.#appLineStart(line, c0, level, facts >>> BODY_START_SHIFT);
      if (b !== 0) {
        keyEnd = this.#lineKeyEnd;
        c0 = b < line.length ? line.charCodeAt(b) : -1;
      }
    }
    this.#curStart = b;
    if (b !== 0) this.#curBody = undefined;
    // lines of different sources (pods and containers, compose services) never join
    if (this.#open && (keyEnd !== this.#keyEnd || (keyEnd > 0 && !line.startsWith(this.#key))))
      this.#close(false);
    if (isBlank(line, b, c0)) {
      // a blank line after an unconfirmed message line: that line was not part of the exception
      if (this.#tentative) this.#splitTentative();
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
          this.#tentative = false;
          const mode = this.#mode;
          const lvl = this.#level;
          this.#close(true);
          this.#start(line, b, keyEnd, mode, Math.max(lvl, level), now, facts, headerTime);
          return;
        }
        this.#add(line);
        this.#size += line.length + 1;
        this.#trailingBlanks = 0;
        this.#lastAt = now;
        this.#lastReadAt = this.#pushReadAt;
        // a to-blank record's level is its header's; its message lines set none
        if (
          level > this.#level &&
          this.#mode !== M_TO_BLANK &&
          this.#mode !== M_ERLANG &&
          this.#mode !== M_ERLANG_TERMS
        )
          this.#level = level;
        return;
      }
      if (this.#tentative) {
        // the line after the exception's unconfirmed message line is no continuation: that line
        // opens the next event, and this line is weighed against it
        this.#splitTentative();
        if (this.#accepts(line, c0, level)) {
          this.#add(line);
          this.#size += line.length + 1;
          this.#lastAt = now;
          this.#lastReadAt = this.#pushReadAt;
          if (level > this.#level) this.#level = level;
          return;
        }
      }
      this.#close(false);
    }
    this.#open1(line, b, keyEnd, c0, level, now, facts, headerTime);
  }

  /**
   * Where the app's line starts in `line` after the tool's prefix that the detector found ends at
   * `start` (c0 = line's first character), or 0 when it is to be read as it is; sets #lineKeyEnd to
   * where its source's key ends (0: a time alone). Kept out of push() so that a line without a
   * prefix runs push()'s code alone.
   */
  #appLineStart(line: string, c0: number, level: number, start: number): number {
    let b = start;
    let keyEnd = 0;
    if (c0 < 48 || c0 > 57) {
      // a source's prefix (`[pod/…] `, `web-1  | `), and perhaps its time (--timestamps, -t) after it
      keyEnd = start;
      const t = rfc3339End(line, start);
      if (t > 0) b = t < line.length ? t + 1 : t;
    }
    this.#lineKeyEnd = keyEnd;
    // an app's own ISO 8601 header with a padded level (Spring Boot's `…Z  INFO 1 --- …`) is no
    // time prefix before an indented line: such a line has a level, a trace's frames have none
    if (keyEnd === 0 && level !== NO_LEVEL && b < line.length && isWs(line.charCodeAt(b))) return 0;
    return b;
  }

  /** `line` (the line being weighed) from where its app line starts (#curStart), sliced once. */
  #body(line: string): string {
    if (this.#curStart === 0) return line;
    if (this.#curBody === undefined) this.#curBody = line.slice(this.#curStart);
    return this.#curBody;
  }

  /** The head from where its app line starts, sliced once. */
  #headBody(): string {
    if (this.#headBodyText === undefined) this.#headBodyText = this.#head.slice(this.#headStart);
    return this.#headBodyText;
  }

  /** Closes the open group if its last line was read `timeoutMs` ago or more; called from a timer. */
  tick(now: number): void {
    if (this.#open && now - this.#lastReadAt >= this.#timeoutMs) this.#close(false);
  }

  /** End of input: emit whatever is open. */
  flush(): void {
    if (this.#open) this.#close(false);
  }

  /**
   * Opens a group with `line`, choosing the mode from the shape of its app line, from b (#curStart:
   * after a tool's prefix, 0 when none; c0 its first character); keyEnd: where its source key ends.
   */
  #open1(
    line: string,
    b: number,
    keyEnd: number,
    c0: number,
    level: number,
    now: number,
    facts: number,
    headerTime: number,
  ): void {
    let mode = M_RECORD;
    let lvl = level;
    if (isWs(c0)) {
      mode = M_INDENTED;
      const i = indentOf(line, this.#curStart);
      if (
        line.charCodeAt(this.#curStart + i) === 43 &&
        line.startsWith(PY_GROUP_TRACEBACK, this.#curStart + i)
      ) {
        mode = M_PYGROUP; // sys.excepthook prints an ExceptionGroup indented
        lvl = ERROR;
      } else if (
        line.charCodeAt(this.#curStart + i) === 70 &&
        line.startsWith('File "', this.#curStart + i)
      ) {
        mode = M_PYTB; // a SyntaxError report has no Traceback line: File, source line, caret, exception
        lvl = ERROR;
      } else if (i === 1 && isRailsHeader(line, this.#curStart)) {
        mode = M_STACK; // Rails: " NoMethodError (undefined method …):" then indented frames
        lvl = ERROR;
      } else if (level !== NO_LEVEL) {
        // an indented record header (Next.js " ⨯ Error: …", old hclog): its indented lines follow it
        mode = M_RECORD;
      }
    } else if (level === NO_LEVEL) {
      mode = M_PLAIN;
      const last = line.charCodeAt(line.length - 1);
      if (last >= 48 && last <= 57 && NODE_CRASH_HEADER_RE.test(this.#body(line))) {
        mode = M_NODE;
        lvl = ERROR;
      } else if (c0 === 84 && line.startsWith(PY_TRACEBACK, this.#curStart)) {
        mode = M_PYTB;
        lvl = ERROR;
      } else if (c0 === 85 && line.startsWith(DART_UNHANDLED, this.#curStart)) {
        mode = M_DART;
        lvl = ERROR;
      } else if ((c0 === 123 || c0 === 91) && isBareBracket(this.#body(line), c0)) mode = M_JSON;
    } else {
      switch (c0) {
        case 84: // T
          if (line.startsWith(PY_TRACEBACK, this.#curStart)) mode = M_PYTB;
          break;
        case 112: // p
          if (line.startsWith('panic: ', this.#curStart)) mode = M_GO;
          break;
        case 102: // f
          if (line.startsWith('fatal error: ', this.#curStart)) mode = M_GO;
          break;
        case 116: // t
          if (line.startsWith("thread '", this.#curStart)) mode = M_RUST;
          break;
        case 85: // U: .NET "Unhandled exception. System.…Exception: …"
          if (line.startsWith('Unhandled exception. ', this.#curStart)) mode = M_STACK;
          break;
        case 42: // *: Elixir "** (RuntimeError) boom" (an uncaught exception, no logger header)
          if (line.startsWith(ELIXIR_BANNER, this.#curStart)) mode = M_ELIXIR;
          break;
        case 61: // =: Erlang "=ERROR REPORT==== … ==="
          mode = M_ERLANG;
          break;
        case 91: // [: logcat -v long "[ 05-14 09:21:07.412  1702: 2395 E/Tag ]"
          if (line.charCodeAt(b + 1) === 32 && logcatLongHeader(this.#body(line), 0) > 0) mode = M_TO_BLANK;
          break;
      }
      if (mode === M_RECORD) {
        if (
          line.length > b + 4 &&
          line.charCodeAt(b + 1) === 44 &&
          line.charCodeAt(b + 2) === 32 &&
          line.charCodeAt(b + 3) === 91
        )
          mode = M_RUBY;
        else if (level === ERROR && this.#isException(line)) mode = M_STACK;
      }
    }
    this.#start(line, b, keyEnd, mode, lvl, now, facts, headerTime);
  }

  #start(
    line: string,
    b: number,
    keyEnd: number,
    mode: number,
    level: number,
    now: number,
    facts: number,
    headerTime: number,
  ): void {
    this.#open = true;
    this.#head = line;
    this.#headStart = b;
    // the line being weighed is its own head: its part after the prefix, if a decision sliced it
    this.#headBodyText = b === 0 ? line : this.#curBody;
    // the source's key: a slice of the head only for a line with one (kubectl --prefix, compose)
    if (keyEnd !== this.#keyEnd || (keyEnd > 0 && !line.startsWith(this.#key)))
      this.#key = keyEnd > 0 ? line.slice(0, keyEnd) : '';
    this.#keyEnd = keyEnd;
    this.#restCount = 0;
    this.#size = line.length;
    this.#trailingBlanks = 0;
    this.#tentative = false;
    this.#mode = mode;
    this.#level = level;
    this.#startedAt = now;
    this.#facts = facts;
    this.#headerTime = headerTime;
    this.#lastAt = now;
    this.#lastReadAt = this.#pushReadAt;
  }

  /** The trace is error at least. */
  #traced(mode: number): true {
    this.#mode = mode;
    if (this.#level < ERROR) this.#level = ERROR;
    return true;
  }

  /** Does `line` (not blank) continue the open group? May advance the mode. */
  #accepts(line: string, c0: number, level: number): boolean {
    const ws = isWs(c0);
    switch (this.#mode) {
      case M_PLAIN:
        if (ws && this.#groupTraceback(line)) return false; // a crash of its own, never the line above
        if (ws && level !== NO_LEVEL) return false; // an indented record header (old hclog)
        if (ws && isRailsHeader(line, this.#curStart)) return false; // Rails " NoMethodError (…):" opens its own trace
        if (ws) {
          // a stack under a plain line ("Error", a JUL/Elasticsearch header): "    at …"
          const i = indentOf(line, this.#curStart);
          if (
            line.charCodeAt(this.#curStart + i) === 97 &&
            line.charCodeAt(this.#curStart + i + 1) === 116 &&
            line.charCodeAt(this.#curStart + i + 2) === 32
          ) {
            if (this.#level < ERROR) this.#level = ERROR;
          }
          return true;
        }
        if (c0 === 83 && this.#trailingBlanks === 0 && line.startsWith(PHP_STACK, this.#curStart))
          return this.#traced(M_PHP);
        // java.util.logging: "May 14, 2024 9:21:07 AM cls method" then "INFO: msg" — the level is on line 2
        if (
          level !== NO_LEVEL &&
          this.#restCount === 0 &&
          c0 >= 65 &&
          c0 <= 90 &&
          JUL_HEADER_RE.test(this.#headBody())
        ) {
          this.#level = level;
          this.#mode = M_RECORD;
          return true;
        }
        return false;
      case M_RECORD:
      case M_RUBY:
        // an indented record header with its own level (old hclog) is a record, never a continuation
        if (ws && level !== NO_LEVEL) return false;
        // Rails " NoMethodError (…):" belongs to the FATAL record that logs it, not to a lower one
        if (ws && this.#level < ERROR && isRailsHeader(line, this.#curStart)) return false;
        // a Python SyntaxError report opens with its '  File "…", line N' (no Traceback line): right
        // under a record it is a crash of its own (logging's tracebacks and stacks have a header line)
        if (
          ws &&
          this.#restCount === 0 &&
          line.charCodeAt(this.#curStart + 2) === 70 &&
          line.startsWith('  File "', this.#curStart)
        )
          return false;
        if (ws && this.#groupTraceback(line)) {
          // logger.exception(…) prints an ExceptionGroup indented after its error+ record
          return this.#level >= ERROR && this.#trailingBlanks === 0 && this.#traced(M_PYGROUP);
        }
        return ws || this.#attaches(line, c0, level);
      case M_INDENTED:
      case M_CLOSED:
        return false;
      case M_JSON:
        if (ws) return true;
        // the closing bracket at column 0 ends the value: nothing joins after it
        if (c0 === 125 || c0 === 93) {
          this.#mode = M_CLOSED;
          return true;
        }
        // the first line after the bracket at column 0 too: printed with indent 0
        if (this.#restCount === 0) {
          const d = jsonLineDepth(this.#body(line), c0);
          if (Number.isNaN(d)) return false;
          this.#jsonDepth = 1 + d;
          this.#mode = this.#jsonDepth > 0 ? M_JSON0 : M_CLOSED;
          return true;
        }
        return false;
      case M_JSON0: {
        const d = jsonLineDepth(this.#body(line), c0);
        if (Number.isNaN(d)) return false;
        this.#jsonDepth += d;
        if (this.#jsonDepth <= 0) this.#mode = M_CLOSED;
        return true;
      }
      case M_PYTB:
        if (ws) return true;
        // the exception line ends the frames; a logger record from another thread does not
        if (level === NO_LEVEL || this.#isException(line)) {
          this.#mode = M_PYTB_DONE;
          return true;
        }
        return false;
      case M_PYTB_DONE:
        if (c0 === 68 && line.startsWith(PY_DURING, this.#curStart)) {
          this.#tentative = false;
          this.#mode = M_PYCHAIN;
          return true;
        }
        if (c0 === 84 && line.startsWith(PY_CAUSE, this.#curStart)) {
          this.#tentative = false;
          this.#mode = M_PYCHAIN;
          return true;
        }
        if (ws) {
          // an ExceptionGroup traceback of its own (printed indented) is the next crash
          if (this.#groupTraceback(line)) return false;
          // the exception's message goes on (pydantic, SQLAlchemy): confirms an unindented line before it
          this.#tentative = false;
          return this.#trailingBlanks === 0;
        }
        if (this.#tentative || this.#trailingBlanks > 0 || level !== NO_LEVEL) return false;
        this.#tentative = true;
        return true;
      case M_PYCHAIN:
        if (c0 === 84 && line.startsWith(PY_TRACEBACK, this.#curStart)) {
          this.#mode = M_PYTB;
          return true;
        }
        if (ws) {
          const i = indentOf(line, this.#curStart);
          if (line.startsWith(PY_GROUP_TRACEBACK, this.#curStart + i)) {
            this.#mode = M_PYGROUP;
            return true;
          }
        }
        return false;
      case M_PYGROUP:
        if (ws) return true;
        if (
          (c0 === 68 && line.startsWith(PY_DURING, this.#curStart)) ||
          (c0 === 84 && line.startsWith(PY_CAUSE, this.#curStart))
        ) {
          this.#mode = M_PYCHAIN;
          return true;
        }
        return false;
      case M_STACK:
        if (ws) return !isRailsHeader(line, this.#curStart); // a second Rails exception is the next trace
        switch (c0) {
          case 84: // T: Python's threading.excepthook heads the traceback with "Exception in thread …:"
            if (this.#restCount === 0 && line.startsWith(PY_TRACEBACK, this.#curStart)) {
              this.#mode = M_PYTB;
              return true;
            }
            return false;
          case 67: // C
            return line.startsWith('Caused by: ', this.#curStart);
          case 46: // .
            return line.startsWith('... ', this.#curStart);
          case 83: // S
            return line.startsWith('Suppressed: ', this.#curStart);
          case 70: // F: .NET FileNotFoundException's "File name: '…'"
            return line.startsWith('File name: ', this.#curStart);
          case 125: // } closing util.inspect's own properties
            return true;
          case 78: // N
            if (line.startsWith('Node.js v', this.#curStart)) {
              this.#mode = M_CLOSED;
              return true;
            }
            return false;
        }
        return false;
      case M_GO:
        if (ws) return true;
        return level === NO_LEVEL && isGoDumpLine(this.#body(line), c0);
      case M_RUST:
        if (ws) return true;
        if (level !== NO_LEVEL) return false;
        if (c0 === 110 && line.startsWith('note: ', this.#curStart)) this.#mode = M_CLOSED;
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
      case M_DART:
        // the error's own lines (its message, "Receiver: …", a source line and caret) up to the frames
        if (c0 === 35 && isHashFrame(this.#body(line))) this.#mode = M_DART_FRAMES;
        return this.#restCount < 32;
      case M_DART_FRAMES:
        return (
          ws ||
          (c0 === 35 && isHashFrame(this.#body(line))) ||
          (c0 === 60 && line.startsWith('<asynchronous suspension>', this.#curStart))
        );
      case M_PHP:
        return ws || (c0 === 35 && isHashFrame(this.#body(line)));
      case M_ELIXIR:
        if (ws) return true;
        if (this.#trailingBlanks > 0 || level !== NO_LEVEL) return false;
        // a nested banner (a supervisor's "** (exit) …") or a label of the crash report
        return (
          (c0 === 42 && line.startsWith(ELIXIR_BANNER, this.#curStart)) ||
          ELIXIR_REPORT_LABEL_RE.test(this.#body(line))
        );
      case M_TO_BLANK:
        // the record's lines are its message, whatever they say ("FATAL EXCEPTION: main" under a
        // logcat E/ header); a timestamped or bracketed header, or a new report, is the next record
        if (this.#trailingBlanks > 0) return false;
        return level === NO_LEVEL || !(c0 === 61 || c0 === 91 || (c0 >= 48 && c0 <= 57));
      case M_ERLANG:
      case M_ERLANG_TERMS: {
        if (this.#trailingBlanks > 0) return false;
        if (level !== NO_LEVEL && (c0 === 61 || c0 === 91 || (c0 >= 48 && c0 <= 57))) return false;
        // a JSON record (`{"…`, `["…`, `[{"…`) or a logfmt record with a level (`level=info msg=…`) is
        // the app's next line, whatever the report's body was
        if ((c0 === 123 || c0 === 91) && !isErlangTermLine(this.#body(line), c0)) return false;
        if (level !== NO_LEVEL && opensWithKey(this.#body(line))) return false;
        if (
          ws ||
          isErlangTermLine(this.#body(line), c0) ||
          (c0 === 42 && line.startsWith('** ', this.#curStart))
        ) {
          this.#mode = M_ERLANG_TERMS;
          return true;
        }
        return this.#mode === M_ERLANG;
      }
    }
    return false;
  }

  /** Unindented lines that attach to a logger record. */
  #attaches(line: string, c0: number, level: number): boolean {
    const recordLevel = this.#level;
    if (recordLevel !== NO_LEVEL) {
      // logger.exception(…) / exc_info=True on an error+ record; after an info or warn record a
      // traceback is a crash of its own
      if (recordLevel >= ERROR && this.#trailingBlanks === 0) {
        if (c0 === 84 && line.startsWith(PY_TRACEBACK, this.#curStart)) return this.#traced(M_PYTB);
        // the exception alone (a traceback-less exc_info, a chained summary): "ZeroDivisionError: …"
        if (level === ERROR && c0 >= 65 && c0 <= 90 && this.#isException(line)) return this.#traced(M_STACK);
      }
      // logback/log4j/JUL: the throwable after the message (Spring's %wEx puts a blank line before it)
      if (level === ERROR && c0 >= 97 && c0 <= 122 && this.#isQualifiedException(line)) {
        return this.#traced(M_STACK);
      }
      if (c0 === 67 && line.startsWith('Caused by: ', this.#curStart)) return this.#traced(M_STACK);
      // Elixir Logger: a crash report's banner "** (RuntimeError) boom" right after its error+ record;
      // after an info or warn record the banner is an uncaught exception of its own
      if (
        c0 === 42 &&
        recordLevel >= ERROR &&
        this.#trailingBlanks === 0 &&
        line.startsWith(ELIXIR_BANNER, this.#curStart)
      )
        return this.#traced(M_ELIXIR);
      // Go net/http recovered panic: the goroutine dump follows the log line
      if (c0 === 103 && line.startsWith('goroutine ', this.#curStart)) {
        this.#mode = M_GO;
        return true;
      }
      // PHP: "PHP Fatal error:  Uncaught …" then "Stack trace:"
      if (c0 === 83 && this.#trailingBlanks === 0) {
        if (line.startsWith(PHP_STACK, this.#curStart)) return this.#traced(M_PHP);
        if (line.startsWith(PY_STACK, this.#curStart)) return true; // logging's stack_info: frames follow, indented
      }
      // asyncio: "Task exception was never retrieved" then "future: <Task …>" and its traceback
      if (
        recordLevel >= ERROR &&
        this.#trailingBlanks === 0 &&
        c0 >= 97 &&
        ASYNCIO_CONTEXT_RE.test(this.#body(line))
      )
        return true;
      // Node: "(node:N) …Warning: …" then "(Use `node --trace-warnings ...` to show …)"
      if (c0 === 40 && this.#restCount === 0 && line.startsWith(NODE_WARNING_HINT, this.#curStart))
        return true;
    }
    if (level !== NO_LEVEL) return false;
    // zap: stack trace (function line, tab-indented file line) after a warn+ record
    if (recordLevel >= WARN && this.#trailingBlanks === 0 && c0 !== 91 && isGoFrame(this.#body(line), true)) {
      this.#mode = M_GO;
      return true;
    }
    // PostgreSQL: DETAIL/HINT/STATEMENT/… with the same prefix (same PID) as the message
    if (c0 >= 48 && c0 <= 57 && this.#headBody().charCodeAt(0) === c0) {
      // `] ` by its `]` (one-character searches: V8's search for a longer text cost a Go log line
      // with no level ~15–100 ns, the length of the line when it has none)
      const body = this.#body(line);
      let close = body.indexOf(']');
      while (close > 0 && close < 96 && body.charCodeAt(close + 1) !== 32)
        close = body.indexOf(']', close + 1);
      if (close > 0 && close < 96) {
        const open = body.lastIndexOf('[', close);
        if (
          open > 0 &&
          PG_CONTINUATION_RE.test(body.slice(close + 2, close + 14)) &&
          this.#headBody().startsWith(body.slice(open, close + 2), open)
        ) {
          return true;
        }
      }
      return false;
    }
    if (this.#mode === M_RUBY && this.#trailingBlanks === 0) {
      // Rails ≥ 7.1 DebugExceptions: every line carries the request tags; Logger: unindented frames
      if (c0 === 91) {
        const close = this.#body(line).indexOf(']');
        return close > 0 && this.#headBody().includes(this.#body(line).slice(0, close + 1));
      }
      return RUBY_FRAME_RE.test(this.#body(line));
    }
    return false;
  }

  /** "  + Exception Group Traceback (most recent call last):" (Python prints it two spaces in) */
  #groupTraceback(line: string): boolean {
    const p = this.#curStart + 2;
    return line.charCodeAt(p) === 43 && line.startsWith(PY_GROUP_TRACEBACK, p);
  }

  /** Does the line being weighed open with an exception's name (read from where its app line starts)? */
  #isException(line: string): boolean {
    return this.#lex.exceptionHeader(line, this.#curStart) === ERROR;
  }

  #isQualifiedException(line: string): boolean {
    return this.#lex.exceptionHeader(line, this.#curStart) === ERROR && this.#lex.qualified;
  }

  #add(line: string): void {
    const rest = this.#rest;
    if (this.#restCount < rest.length) rest[this.#restCount] = line;
    else rest.push(line);
    this.#restCount++;
  }

  /** Takes the unconfirmed message line off the group (it is the last line, no blank after it). */
  #takeTentative(): string {
    const line = this.#rest[--this.#restCount]!;
    this.#rest[this.#restCount] = '';
    this.#size -= line.length + 1;
    this.#tentative = false;
    return line;
  }

  /** Ships the group without its unconfirmed last line, and opens the next group with that line. */
  #splitTentative(): void {
    const at = this.#lastAt;
    const line = this.#takeTentative();
    const keyEnd = this.#keyEnd;
    this.#close(false);
    // the line is of the group's source: after the same prefix; weighed as the line it is, then the
    // line being pushed is again
    const b = this.#prefix.read(line, line.charCodeAt(0));
    const curStart = this.#curStart;
    const curBody = this.#curBody;
    this.#curStart = b;
    this.#curBody = undefined;
    this.#open1(line, b, keyEnd, b < line.length ? line.charCodeAt(b) : -1, NO_LEVEL, at, 0, Number.NaN);
    this.#curStart = curStart;
    this.#curBody = curBody;
  }

  #close(capped: boolean): void {
    const tentative = this.#tentative ? this.#takeTentative() : undefined;
    const tentativeAt = this.#lastAt;
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
    this.#headBodyText = '';
    this.#restCount = 0;
    this.#open = false;
    this.#trailingBlanks = 0;
    this.#size = 0;
    if (capped) this.#sink.onCapped?.();
    this.#sink.emit(text, level, startedAt, n + 1, this.#facts, this.#headerTime);
    // an unconfirmed message line at the end of input or at the timeout is an event of its own
    if (tentative !== undefined) this.#sink.emit(tentative, NO_LEVEL, tentativeAt, 1, 0, Number.NaN);
  }
}
