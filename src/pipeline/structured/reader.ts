import type { ErrorInfo, LogEvent } from '../event.js';
import { levelFromNumber, NUM_PYTHON } from '../formats/alphabet.js';
import { skipValue } from '../formats/chars.js';
import { LevelDetector } from '../formats/detect.js';
import { isSeverityKey, K_LEVEL, K_NONE, keyKind } from '../formats/fields.js';
import {
  FIRST_WORD_NOT_KEY,
  HEADER_TIME_END_MASK,
  HEADER_TIME_END_SHIFT,
  NO_HEADER_TIME,
  NO_LEVEL_FOUND,
} from '../formats/lexer.js';
import { DEBUG, ERROR, INFO, NO_LEVEL } from '../levels.js';
import { SourcePrefix, withoutPrefixes } from '../source-prefix.js';
import { errorFromJson, errorFromTrace, goFrames, hasFrames } from './errors.js';
import { HeaderTimeReader, headerTimeMayStart } from './header-time.js';
import {
  JsonRecordScanner,
  MAX_FIELD_VALUES,
  MEMBER_SLOTS,
  R_ARGS,
  R_ATTRIBUTES,
  R_BODY,
  R_CONTEXT,
  R_CREATED,
  R_DD_OBJ,
  R_ERROR,
  R_ERROR_KIND,
  R_ERROR_MESSAGE,
  R_FULL_MESSAGE,
  R_LAMBDA_KIND,
  R_LAMBDA_MESSAGE,
  R_LEVEL,
  R_LEVEL_LETTER,
  R_LOG_LINE,
  R_META,
  R_MSG_EVENT,
  R_NANOS,
  R_NESTED,
  R_NONE,
  R_PRIO,
  R_SCOPES,
  R_SPAN,
  R_SPAN_OBJ,
  R_STACK,
  R_TIME,
  R_TIME_FALLBACK,
  R_TIME_TEXT,
  R_TRACE,
  R_TRACE_OBJ,
  R_VERBOSITY,
  skipWs,
} from './json-record.js';
import { LogfmtReader, looksLikeLogfmt, MAX_LOGFMT_PAIRS } from './logfmt.js';
import { WasmLogfmtScan } from './logfmt-scan-wasm.js';
import { memberValue, NestedMembers } from './nested.js';
import { percentFormat, WrittenNumber } from './percent-format.js';
import { epochMs, TimeReader } from './time.js';
import { composePrefixEnd, podPrefixEnd, recordAfterTime } from './time-prefix.js';
import { GENERIC_MIN_DIGITS, mayHoldIds, TraceIds } from './trace-ids.js';

/** A time further than this from the read time is not trusted (README "Structured events"). */
export const TRUSTED_SKEW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_STRUCTURED_MAX_BYTES = 64 * 1024;

/** Counters of what structured reading did and cut (summary, /metrics). */
export interface StructuredStats {
  /** lines read as JSON records / logfmt records */
  json: number;
  logfmt: number;
  /** lines that start like JSON but are not strict JSON (bad escapes, trailing text, cut by max_line_bytes): sent as text */
  invalid: number;
  /** lines over structured_max_bytes: sent as text, not parsed */
  tooLarge: number;
  /** JSON nested deeper than 64 levels: sent as text */
  tooDeep: number;
  /** fields nested deeper than 8 levels, sent as their JSON text */
  depthCut: number;
  /** fields cut by the count cap (256 values) */
  fieldsCut: number;
  /** app times more than 24 h from the read time: the read time was used */
  timeUntrusted: number;
}

export function emptyStructuredStats(): StructuredStats {
  return {
    json: 0,
    logfmt: 0,
    invalid: 0,
    tooLarge: 0,
    tooDeep: 0,
    depthCut: 0,
    fieldsCut: 0,
    timeUntrusted: 0,
  };
}

const SPAN = { start: 0, end: 0 };

/** the detector's facts of a line that read() only searches for trace ids (textOnly()) */
const TEXT_ONLY_FACTS = FIRST_WORD_NOT_KEY | NO_HEADER_TIME;

/**
 * Reads an event's line for what it carries besides text: message, fields, the app's own time,
 * trace ids, the error (README "Structured events"). Works in place on an event that no drain has
 * seen yet. One per pipeline: its scanners' results are reused for every line.
 *
 * Cost: a plain line pays a first-word check (logfmt?) unless the level detector already ruled it
 * out (FIRST_WORD_NOT_KEY), a timestamp read when it starts with a digit, `[`, `<` or a header's
 * capital (a klog letter, a month's or day's name: header-time.ts; only seconds and zone within
 * the minute read last), and two native searches after that time that rule out trace ids (a `-`
 * after `00` or `=1`, a `_id=`) before any regex; a JSON line one validating pass that builds no
 * objects (README "Performance" has the measured figures).
 */
export class StructuredReader {
  readonly #json = new JsonRecordScanner();
  readonly #logfmt = new LogfmtReader();
  readonly #time = new TimeReader();
  /** a text header's time when it is not ISO 8601 (shares #time for RFC 5424's and Ruby's) */
  readonly #headerTime = new HeaderTimeReader(this.#time);
  readonly #ids = new TraceIds();
  /**
   * members of the current JSON record to leave out of fields (1), or to keep with members cut from
   * inside (2: #nestedText); a logfmt line marks its pairs in LogfmtReader.omit
   */
  readonly #remove = new Uint8Array(MEMBER_SLOTS);
  /** the object one level down that holds the message, level or time when the top level lacks them */
  readonly #nested = new NestedMembers();
  /** that object's text without what was taken from it ('' when nothing is left) */
  #nestedText = '';
  /** the time #libraryTime() chose */
  #bestTime = 0;
  /** level words of a nested level value (loguru's `record.level.name`), made when first needed */
  #words: LevelDetector | undefined;
  /** reads the source prefixes off a grouped trace's lines (readError), made on first use */
  #sourcePrefix: SourcePrefix | undefined;
  /** per event of the batch given to load(): where the WebAssembly scan holds its line, JSON or logfmt (-1: not held) */
  #loadedAt = new Int32Array(0);
  /** the logfmt reader reads by the WebAssembly scan: asked of the JSON scanner's module once, at the first batch */
  #logfmtWasmAsked = false;

  constructor(
    readonly stats: StructuredStats,
    readonly maxBytes: number = DEFAULT_STRUCTURED_MAX_BYTES,
  ) {}

  /**
   * Before read() of a batch: hands the WebAssembly scan the batch's single-line JSON records and
   * logfmt-looking lines at once (copied into its memory in one write). read(…, i) then reads event i
   * of `batch` (the first n, with their line counts and, when given, the detector's facts as read()
   * takes them) by what was handed.
   */
  load(
    batch: readonly (LogEvent | undefined)[],
    lineCounts: Int32Array,
    n: number,
    facts?: Int32Array,
  ): void {
    const scan = this.#json;
    if (this.#loadedAt.length < n) this.#loadedAt = new Int32Array(Math.max(n, 256));
    const at = this.#loadedAt;
    const maxBytes = this.maxBytes;
    // begun at the batch's first JSON record or logfmt-looking line: a batch with none (ISO-time lines) makes no module
    let begun = false;
    for (let i = 0; i < n; i++) {
      const s = batch[i]!.message;
      const c0 = s.charCodeAt(0);
      if (
        lineCounts[i] === 1 &&
        s.length <= maxBytes &&
        (c0 === 123 ||
          ((facts === undefined || (facts[i]! & FIRST_WORD_NOT_KEY) === 0) && looksLikeLogfmt(s, c0)))
      ) {
        if (!begun) {
          begun = true;
          scan.begin();
          if (!this.#logfmtWasmAsked) this.#askLogfmtWasm();
        }
        at[i] = scan.add(s);
      } else at[i] = -1;
    }
    if (begun) scan.commit();
  }

  #askLogfmtWasm(): void {
    this.#logfmtWasmAsked = true;
    const json = this.#json.wasmScan;
    const w =
      json === undefined ? undefined : WasmLogfmtScan.of(json, MAX_LOGFMT_PAIRS, [R_TIME, R_TIME_TEXT]);
    if (w !== undefined) this.#logfmt.useWasm(w);
  }

  /**
   * `lineCount` > 1: a grouped event (its first line is the record; a trace may follow). `facts`:
   * what the level detector learnt of the first line (formats/lexer.ts); FIRST_WORD_NOT_KEY spares
   * the logfmt check of a text line's first word, read there already; NO_LEVEL_FOUND: the detector
   * found no level, so a JSON record's level may be read one level down or from its shape (README
   * "Structured events"). `loaded`: the event's index in the batch given to load() (-1: none).
   */
  read(ev: LogEvent, lineCount: number, facts = 0, loaded = -1): void {
    const s = ev.message;
    const c0 = s.length > 0 ? s.charCodeAt(0) : -1;
    if (lineCount === 1) {
      if (c0 === 123) {
        if (s.length > this.maxBytes) this.stats.tooLarge++;
        else if (
          this.#readJson(
            ev,
            s,
            (facts & NO_LEVEL_FOUND) === 0,
            false,
            loaded < 0 ? -1 : this.#loadedAt[loaded]!,
          )
        )
          return;
      } else if ((facts & FIRST_WORD_NOT_KEY) === 0 && looksLikeLogfmt(s, c0)) {
        if (s.length > this.maxBytes) this.stats.tooLarge++;
        else if (
          this.#readLogfmt(ev, s, (facts & NO_LEVEL_FOUND) === 0, loaded < 0 ? -1 : this.#loadedAt[loaded]!)
        )
          return;
      }
    } else if (c0 === 123 && prettyJsonHead(s)) {
      // a pretty-printed record the grouper joined (multiline.ts M_JSON): read as the one record it is
      if (s.length > this.maxBytes) this.stats.tooLarge++;
      else if (this.#readJson(ev, s, (facts & NO_LEVEL_FOUND) === 0, true, -1)) return;
    }
    // text: the header's time, ids anywhere after it (the header's own dashes start none)
    let from = 0;
    // kubectl logs --prefix: `[pod/<name>/<container>] `, docker compose: `web-1  | `, before the
    // app's line (time-prefix.ts)
    if (
      c0 === 91 &&
      lineCount === 1 &&
      s.charCodeAt(1) === 112 &&
      this.#afterSourcePrefix(ev, s, podPrefixEnd(s))
    )
      return;
    if (
      (facts & NO_HEADER_TIME) === 0 &&
      c0 >= 97 &&
      c0 <= 122 &&
      lineCount === 1 &&
      this.#afterSourcePrefix(ev, s, composePrefixEnd(s))
    )
      return;
    if ((c0 >= 48 && c0 <= 57) || c0 === 91) {
      const time = this.#time;
      const t = time.isoTime(s, c0 === 91 ? 1 : 0, s.length);
      if (!Number.isNaN(t)) {
        this.#useTime(ev, t);
        from = time.end;
        // kubectl logs --timestamps, docker logs -t, `[time] {…}`: a record after the time
        // (time-prefix.ts); a text line's `INFO` after its time costs one character's look
        const p = c0 !== 91 ? from : s.charCodeAt(from) === 93 ? from + 1 : -1;
        if (lineCount === 1 && p > 0 && mayOpenRecord(s, p + 1) && this.#afterTimePrefix(ev, s, p)) return;
      }
    }
    // every other common header's time: Go / nginx, syslog, klog, Ruby, Apache, Tomcat, Redis, … (header-time.ts);
    // not for a line whose first word the detector found to open none (NO_HEADER_TIME)
    if (from === 0 && (facts & NO_HEADER_TIME) === 0 && headerTimeMayStart(s, c0)) {
      const t = this.#headerTime.read(s, c0, ev.observedTimestamp);
      if (!Number.isNaN(t)) {
        this.#useTime(ev, t);
        from = this.#headerTime.end;
        // a JSON record after a syslog header's tag (time-prefix.ts): only a line that ends with `}`
        if (lineCount === 1 && s.charCodeAt(s.length - 1) === 125 && this.#afterTimePrefix(ev, s, from))
          return;
      }
    }
    this.#idsInText(ev, s, from);
  }

  /**
   * A source's prefix that ends at p (`kubectl logs --prefix`'s `[pod/<name>/<container>] `, docker
   * compose's `web-1  | `: time-prefix.ts), then a record, or an ISO time (`--timestamps`, `-t`) and
   * a record: read as the record, the time as the prefix's (also before text). True when it was a
   * record.
   */
  #afterSourcePrefix(ev: LogEvent, s: string, p: number): boolean {
    if (p < 0) return false;
    const c = s.charCodeAt(p + 1);
    if (c >= 48 && c <= 57) {
      const time = this.#time;
      const t = time.isoTime(s, p + 1, s.length);
      if (Number.isNaN(t)) return false;
      // the time stays the event's when text follows it
      this.#useTime(ev, t);
      return mayOpenRecord(s, time.end + 1) && this.#afterTimePrefix(ev, s, time.end);
    }
    return mayOpenRecord(s, p + 1) && this.#afterTimePrefix(ev, s, p);
  }

  /**
   * A JSON or logfmt record after a time prefix that ends at p (time-prefix.ts): read as the record
   * it is, its level as the detector reads the record; its own time, when it has one, over the
   * prefix's (already the event's). The event keeps the whole line as `line`, and as its message
   * when the record has none. True when it was such a record.
   */
  #afterTimePrefix(ev: LogEvent, s: string, p: number): boolean {
    const r = recordAfterTime(s, p);
    if (r < 0) return false;
    const rest = s.slice(r);
    if (rest.length > this.maxBytes) {
      this.stats.tooLarge++;
      return false;
    }
    this.#words ??= new LevelDetector();
    const words = this.#words;
    const level = words.detect(rest);
    const detected = level !== NO_LEVEL;
    const lineLevel = ev.level;
    // the record's level before it is read: an error below level error is read as one only when an exception
    if (detected) ev.level = level;
    ev.message = rest;
    const read =
      rest.charCodeAt(0) === 123
        ? this.#readJson(ev, rest, detected, false, -1)
        : this.#readLogfmt(ev, rest, detected, -1);
    if (ev.message === rest) ev.message = s;
    if (!read) {
      ev.level = lineLevel;
      return false;
    }
    ev.line = s;
    return true;
  }

  /**
   * read() of a line textOnly() said yes to (its trace ids), or of a text event whose header time
   * the level detector read as it skipped it (trustedTime() made it the event's): its ISO 8601
   * date-time at 0, or at 1 after `[`, what read() reads there first, with the same reader. Its ids
   * then after that time (where it ends: the facts' HEADER_TIME_END_SHIFT bits; a line where a record
   * may follow the time, `kubectl logs --timestamps`, gets no such time from the detector and is
   * read by read()). Small, so that the pipeline's per-line call inlines it (with the ids' gate,
   * where most lines end).
   */
  readText(ev: LogEvent, facts: number): void {
    this.#idsInText(ev, ev.message, (facts >>> HEADER_TIME_END_SHIFT) & HEADER_TIME_END_MASK);
  }

  /**
   * The event's time when the level detector read `t` from the line's header (LevelDetector.headerTime)
   * and it was read at `readAt`: `t`, unless it is more than 24 h away (counted, as #useTime() does).
   */
  trustedTime(t: number, readAt: number): number {
    const d = t - readAt;
    if (d > TRUSTED_SKEW_MS || d < -TRUSTED_SKEW_MS) {
      this.stats.timeUntrusted++;
      return readAt;
    }
    return t;
  }

  #idsInText(ev: LogEvent, s: string, from: number): void {
    // the gate first, inlined: most lines end at it (scanText checks it again)
    if (!mayHoldIds(s, true, from)) return;
    const ids = this.#ids;
    ids.reset();
    if (ids.scanText(s, true, from)) {
      ev.traceId = ids.traceId;
      ev.spanId = ids.spanId;
    }
  }

  /**
   * Is a single line with these detector facts one that read() only looks at for trace ids in its
   * text (neither JSON, nor logfmt, nor one that may open with a time: header-time.ts
   * headerTimeMayStart)? The same tests read() makes first.
   */
  textOnly(facts: number): boolean {
    // both are set only for a line that opens with a letter (formats/detect.ts letterLed): no `{`,
    // no key, no header time (NO_HEADER_TIME: a bit test, where asking header-time.ts's gate of a
    // capitalised line measured ~20 ns)
    return (facts & TEXT_ONLY_FACTS) === TEXT_ONLY_FACTS;
  }

  /**
   * A grouped trace's error (called for grouped events of level error and above): the app's own,
   * read from its lines without the prefix kubectl or docker compose put before each
   * (source-prefix.ts withoutPrefixes), so its stack's frames are the app's.
   */
  readError(ev: LogEvent): void {
    if (ev.error !== undefined) return;
    const text = ev.message;
    const c0 = text.charCodeAt(0);
    ev.error = errorFromTrace(
      (c0 >= 48 && c0 <= 57) || c0 === 91 || (c0 >= 97 && c0 <= 122)
        ? withoutPrefixes(text, (this.#sourcePrefix ??= new SourcePrefix()))
        : text,
    );
  }

  #useTime(ev: LogEvent, t: number): boolean {
    const d = t - ev.observedTimestamp;
    if (d > TRUSTED_SKEW_MS || d < -TRUSTED_SKEW_MS) {
      this.stats.timeUntrusted++;
      return false;
    }
    ev.timestamp = t;
    return true;
  }

  #timeOf(s: string, vs: number, ve: number): number {
    const c = s.charCodeAt(vs);
    if (c === 34) return this.#time.textTime(s, vs + 1, ve - 1);
    if (c === 123) return this.#objectTime(s, vs);
    if (c < 48 || c > 57) return Number.NaN;
    // an integer (pino's epoch ms, zerolog's seconds) is read in place, and so are epoch seconds with a
    // fraction (zap's `ts`: its milliseconds are the fraction's first three digits, exact where
    // Number(…) * 1000 can land a float step below); anything else via Number
    let v = 0;
    let i = vs;
    const digitsEnd = ve - vs > 16 ? vs + 16 : ve;
    for (; i < digitsEnd; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    // a number under 1e9 (before 2001 as seconds) is no time but the app's own (`"time": 12.5`, a
    // request's duration in ms): not a time whose skew is counted
    if (v < 1e9) return Number.NaN;
    if (i === ve) return epochMs(v);
    if (s.charCodeAt(i) === 46 && v < 1e11 && i + 1 < ve) {
      let ms = 0;
      let n = 0;
      for (let j = i + 1; j < ve; j++) {
        const d = s.charCodeAt(j) - 48;
        if (d < 0 || d > 9) return epochMs(Number(s.slice(vs, ve)));
        if (n < 3) ms = ms * 10 + d;
        n++;
      }
      return v * 1000 + (n === 1 ? ms * 100 : n === 2 ? ms * 10 : ms);
    }
    return epochMs(Number(s.slice(vs, ve)));
  }

  /** A time written as an object: Log4j2's `instant` {epochSecond, nanoOfSecond}, loguru's `time` {timestamp}. */
  #objectTime(s: string, vs: number): number {
    if (memberValue(s, vs, 'epochSecond', SPAN)) {
      const sec = Number(s.slice(SPAN.start, SPAN.end));
      if (!(sec > 0) || sec >= 1e11) return Number.NaN;
      const nanos = memberValue(s, vs, 'nanoOfSecond', SPAN) ? Number(s.slice(SPAN.start, SPAN.end)) : 0;
      return sec * 1000 + (nanos > 0 && nanos < 1e9 ? Math.floor(nanos / 1e6) : 0);
    }
    if (memberValue(s, vs, 'timestamp', SPAN)) {
      return s.charCodeAt(SPAN.start - 1) === 34
        ? this.#time.textTime(s, SPAN.start, SPAN.end)
        : this.#timeOf(s, SPAN.start, SPAN.end);
    }
    // MongoDB's `t: {$date}` (Extended JSON)
    if (memberValue(s, vs, '$date', SPAN)) {
      return s.charCodeAt(SPAN.start - 1) === 34
        ? this.#time.textTime(s, SPAN.start, SPAN.end)
        : this.#timeOf(s, SPAN.start, SPAN.end);
    }
    // Google Cloud's `timestamp: {seconds, nanos}` (protobuf Timestamp as JSON)
    if (memberValue(s, vs, 'seconds', SPAN)) {
      const sec = Number(s.slice(SPAN.start, SPAN.end));
      if (!(sec > 0) || sec >= 1e11 || !Number.isInteger(sec)) return Number.NaN;
      const nanos = memberValue(s, vs, 'nanos', SPAN) ? Number(s.slice(SPAN.start, SPAN.end)) : 0;
      return sec * 1000 + (nanos > 0 && nanos < 1e9 ? Math.floor(nanos / 1e6) : 0);
    }
    return Number.NaN;
  }

  /**
   * `detected`: the level detector found the record's level. `pretty`: the record spans lines (the
   * detector read only its bare `{`), so its level field is read here. `at`: where the JSON scanner
   * holds s (load()), -1 when it does not.
   */
  #readJson(ev: LogEvent, s: string, detected: boolean, pretty: boolean, at: number): boolean {
    const scan = this.#json;
    if (!scan.scanAt(s, at)) {
      if (scan.tooDeep) this.stats.tooDeep++;
      else this.stats.invalid++;
      return false;
    }
    this.stats.json++;
    const n = scan.members;
    const remove = this.#remove;
    const ids = this.#ids;
    ids.reset();
    let msg = -1;
    let msgRole = R_NONE;
    let timeDone = false;
    let errorAt = -1;
    let stackAt = -1;
    let kindAt = -1;
    let errorMessageAt = -1;
    let lambdaKindAt = -1;
    let lambdaMessageAt = -1;
    let nestedAt = -1;
    let contextAt = -1;
    let fullAt = -1;
    let bodyAt = -1;
    let msgObjAt = -1;
    let timeAt = -1;
    let timeValue = 0;
    let moreTimes = false;
    let nanosAt = -1;
    let fallbackTimeAt = -1;
    let createdAt = -1;
    let prioAt = -1;
    let argsAt = -1;
    let scopesAt = -1;
    let attributesAt = -1;
    let logLineAt = -1;
    let letterAt = -1;
    let hasLevel = false;
    let moreLevels = false;
    let levelAt = -1;
    let verbosity = false;
    for (let m = 0; m < n; m++) {
      remove[m] = 0;
      const role = scan.role[m]!;
      if (role === R_NONE) continue;
      const vs = scan.valueStart[m]!;
      const ve = scan.valueEnd[m]!;
      const quoted = s.charCodeAt(vs) === 34;
      if (role <= R_MSG_EVENT) {
        if (quoted && (msg < 0 || role < msgRole)) {
          msg = m;
          msgRole = role;
        } else if (msgObjAt < 0 && s.charCodeAt(vs) === 123) msgObjAt = m;
      } else if (role === R_LEVEL) {
        if (hasLevel) moreLevels = true;
        else levelAt = m;
        hasLevel = true;
        if (pretty && !detected) {
          const lv = this.#nestedLevel(s, vs);
          if (lv > 0) {
            ev.level = lv;
            detected = true;
          }
        }
        // a level the detector did not read (`"level": "castle-2"`) is the app's own field
        const c = s.charCodeAt(vs);
        if (detected && (quoted || (c >= 48 && c <= 57) || (c === 123 && log4jsLevel(s, vs, ve) >= 0)))
          remove[m] = 1;
      } else if (role === R_LEVEL_LETTER) {
        if (letterAt < 0) letterAt = m;
      } else if (role === R_TIME || (role === R_TIME_TEXT && (quoted || s.charCodeAt(vs) === 123))) {
        if (!timeDone) {
          // a number the WebAssembly scan read already (zap's `ts`, pino's `time`)
          const read = role === R_TIME ? scan.numberTime(m) : -1;
          const t = read !== -1 ? read : this.#timeOf(s, vs, ve);
          if (!Number.isNaN(t)) {
            timeDone = true;
            timeAt = m;
            timeValue = t;
          }
        } else moreTimes = true;
      } else if (role === R_TRACE) {
        if (ids.traceId === undefined) {
          // hex of 16 or 32 digits the module classed (most ids) by the small path, the rest by trace()
          const k = scan.hexClass(m);
          if (
            k !== 255 && k !== 0
              ? ids.hexTrace(s, vs + 1, ve - vs - 2, k)
              : ids.trace(
                  s,
                  quoted ? vs + 1 : vs,
                  quoted ? ve - 1 : ve,
                  isDatadogKey(s, scan.memberStart[m]! + 1) ? 1 : GENERIC_MIN_DIGITS,
                  k,
                )
          )
            remove[m] = 1;
        }
      } else if (role === R_SPAN) {
        if (ids.spanId === undefined) {
          const k = scan.hexClass(m);
          if (
            k !== 255 && k !== 0 && ve - vs === 18
              ? ids.hexSpan(s, vs + 1, k)
              : ids.span(
                  s,
                  quoted ? vs + 1 : vs,
                  quoted ? ve - 1 : ve,
                  isDatadogKey(s, scan.memberStart[m]! + 1) ? 1 : GENERIC_MIN_DIGITS,
                  k,
                )
          )
            remove[m] = 1;
        }
      } else if (role === R_TRACE_OBJ) {
        // ECS `trace: {id}` is text; a number there (tracing-subscriber's `span: {id: 42}`) is the app's own id
        if (
          ids.traceId === undefined &&
          memberValue(s, vs, 'id', SPAN) &&
          s.charCodeAt(SPAN.start - 1) === 34
        )
          ids.trace(s, SPAN.start, SPAN.end);
      } else if (role === R_SPAN_OBJ) {
        if (ids.spanId === undefined && memberValue(s, vs, 'id', SPAN) && s.charCodeAt(SPAN.start - 1) === 34)
          ids.span(s, SPAN.start, SPAN.end);
      } else if (role === R_DD_OBJ) {
        if (ids.traceId === undefined && memberValue(s, vs, 'trace_id', SPAN))
          ids.trace(s, SPAN.start, SPAN.end);
        if (ids.spanId === undefined && memberValue(s, vs, 'span_id', SPAN))
          ids.span(s, SPAN.start, SPAN.end);
      } else if (role === R_ERROR) {
        if (errorAt < 0) errorAt = m;
      } else if (role === R_STACK) {
        if (stackAt < 0) stackAt = m;
      } else if (role === R_ERROR_KIND) {
        if (kindAt < 0) kindAt = m;
      } else if (role === R_ERROR_MESSAGE) {
        if (errorMessageAt < 0) errorMessageAt = m;
      } else if (role === R_LAMBDA_KIND) {
        if (lambdaKindAt < 0) lambdaKindAt = m;
      } else if (role === R_LAMBDA_MESSAGE) {
        if (lambdaMessageAt < 0) lambdaMessageAt = m;
      } else if (role === R_NESTED || role === R_META) {
        if (nestedAt < 0 && s.charCodeAt(vs) === 123) nestedAt = m;
      } else if (role === R_VERBOSITY) verbosity = true;
      else if (role === R_FULL_MESSAGE && fullAt < 0) fullAt = m;
      else if (role === R_CONTEXT && contextAt < 0) contextAt = m;
      else if (role === R_BODY && bodyAt < 0) bodyAt = m;
      else if (role === R_NANOS && nanosAt < 0) nanosAt = m;
      else if (role === R_TIME_FALLBACK && fallbackTimeAt < 0) fallbackTimeAt = m;
      else if (role === R_CREATED && createdAt < 0) createdAt = m;
      else if (role === R_PRIO && prioAt < 0) prioAt = m;
      else if (role === R_ARGS && argsAt < 0) argsAt = m;
      else if (role === R_SCOPES && scopesAt < 0) scopesAt = m;
      else if (role === R_ATTRIBUTES && attributesAt < 0) attributesAt = m;
      else if (role === R_LOG_LINE && logLineAt < 0 && quoted) logLineAt = m;
    }
    // two time keys (winston's `timestamp` after an app's `time`): the library's (README "Structured events")
    if (moreTimes) {
      timeAt = this.#libraryTime(s, n, timeAt, timeValue, ev.observedTimestamp);
      timeValue = this.#bestTime;
    }
    if (timeAt >= 0 && this.#useTime(ev, timeValue)) remove[timeAt] = 1;
    // a second level key (a scanner's `severity: "high"` beside its `level`): the detector read one
    // of them, and only a key whose value is a level leaves fields
    if (moreLevels && detected) this.#keepLevelData(s, n);
    // MongoDB's "s": "I" / "D2" is the level the detector read only in a record with no level key of
    // its own; any other `s` ("2s", "ok", or beside a `level`) is the app's field
    if (
      letterAt >= 0 &&
      detected &&
      !hasLevel &&
      isMongoSeverity(s, scan.valueStart[letterAt]!, scan.valueEnd[letterAt]!)
    )
      remove[letterAt] = 1;
    // the lesser roles, read only when the record lacks what they stand in for
    // Envoy's access log has no message; an app's record that has one ("job done") and a
    // start_time tells when its job began, not when it wrote the record
    // log4js' `startTime` only beside its `categoryName` (an app's startTime is its job's); a `date`
    // (log4net.Ext.Json's, consola's) also beside a message in a record with a level key: a logger's
    // record with no other time (an order's `date` is a day, no time, and stays)
    if (
      !timeDone &&
      fallbackTimeAt >= 0 &&
      (msg < 0 || (hasLevel && isDateKey(s, scan.memberStart[fallbackTimeAt]!))) &&
      (s.charCodeAt(scan.memberStart[fallbackTimeAt]! + 6) !== 84 || s.indexOf('"categoryName"') > 0)
    ) {
      const t = this.#timeOf(s, scan.valueStart[fallbackTimeAt]!, scan.valueEnd[fallbackTimeAt]!);
      if (!Number.isNaN(t)) {
        timeDone = true;
        if (this.#useTime(ev, t)) remove[fallbackTimeAt] = 1;
      }
    }
    // MySQL's prio gave the level the detector read when no level key did (formats/detect.ts mysqlPriority)
    if (
      prioAt >= 0 &&
      detected &&
      !hasLevel &&
      scan.valueEnd[prioAt]! - scan.valueStart[prioAt]! === 1 &&
      (s.indexOf('"err_symbol"') >= 0 || s.indexOf('"label"') >= 0)
    )
      remove[prioAt] = 1;
    if (!timeDone && createdAt >= 0) {
      const vs = scan.valueStart[createdAt]!;
      const ve = scan.valueEnd[createdAt]!;
      if (isSecondsFloat(s, vs, ve) && besideLogRecord(s, scan.memberStart, scan.members)) {
        timeDone = true;
        if (this.#useTime(ev, this.#timeOf(s, vs, ve))) remove[createdAt] = 1;
      }
    }
    if (nanosAt >= 0 && timeAt >= 0 && remove[timeAt] === 1) this.#addNanos(ev, s, timeAt, nanosAt);
    if (msg < 0 && bodyAt >= 0 && hasLevel && this.#body(ev, s, bodyAt, levelAt)) remove[bodyAt] = 1;
    if (ids.traceId === undefined && scopesAt >= 0) this.#scopeIds(s, scan.valueStart[scopesAt]!);
    if (msg >= 0) {
      const text = scan.text(s, msg);
      if (text !== undefined && text.length > 0) {
        // rsyslog's msg of a BSD syslog line keeps the space after the tag (`"msg": " disk full"`)
        ev.message = text.charCodeAt(0) === 32 && besideRsyslog(s) ? text.slice(1) : text;
        remove[msg] = 1;
      }
    }
    if (msg < 0 && argsAt >= 0 && ev.message === s && this.#argsMessage(ev, s, argsAt)) remove[argsAt] = 1;
    // a Python LogRecord dumped whole: its message is msg % args, as getMessage() makes it
    if (
      msg >= 0 &&
      argsAt >= 0 &&
      remove[msg] === 1 &&
      besideLogRecord(s, scan.memberStart, scan.members) &&
      this.#loggingArgs(ev, s, argsAt)
    )
      remove[argsAt] = 1;
    // a collector's record of a line: its `log` text, without the line end docker keeps
    if (msg < 0 && logLineAt >= 0 && ev.message === s) {
      const text = trimLineEnd(scan.text(s, logLineAt) ?? '');
      if (text !== '') {
        ev.message = text;
        remove[logLineAt] = 1;
      }
    }
    // a traceparent or `Root=1-…` in a text: only in a string of 40 characters or more
    if (ids.traceId === undefined && scan.longestString > 40) ids.scanText(s, false);
    ev.traceId = ids.traceId;
    ev.spanId = ids.spanId;
    if (stackAt < 0) stackAt = fullAt;
    // AWS Lambda writes errorType / errorMessage for a failed invocation: at level error (its JSON
    // format's uncaught error) or with no level; beside an info level they are the app's own data
    const lambdaError = detected ? ev.level >= ERROR : !hasLevel;
    if (lambdaError && kindAt < 0 && errorMessageAt < 0) {
      kindAt = lambdaKindAt;
      errorMessageAt = lambdaMessageAt;
    }
    if (errorAt >= 0)
      ev.error = this.#jsonError(s, scan.valueStart[errorAt]!, scan.valueEnd[errorAt]!, stackAt);
    else if (kindAt >= 0 || errorMessageAt >= 0 || stackAt >= 0)
      ev.error = this.#flatError(s, kindAt, errorMessageAt, stackAt);
    if (ev.error === undefined && attributesAt >= 0) ev.error = this.#attributesError(s, attributesAt);
    // a message that is an error object (AWS Lambda's Node.js runtime: `message: {errorType, errorMessage, stackTrace}`)
    if (
      ev.error === undefined &&
      msgObjAt >= 0 &&
      lambdaError &&
      memberValue(s, scan.valueStart[msgObjAt]!, 'errorType', SPAN)
    ) {
      const err = this.#jsonError(s, scan.valueStart[msgObjAt]!, scan.valueEnd[msgObjAt]!, -1);
      if (err !== undefined && err.kind !== '') ev.error = err;
    }
    // what the top level lacks, one level down: a record with no message (tracing's fields.message,
    // loguru's record.*), or LoggerJSON's syslog.{severity, timestamp}, logstash V0's @fields.level
    // beside its message
    const wantLevel = !detected && !hasLevel;
    // go-logr's funcr (NewJSON): `"level"` is the V-level (0 info, 1 and up debug), the record led by its `"logger"`
    if (!detected && levelAt >= 0 && !moreLevels && s.startsWith('{"logger":', 0)) {
      const vs = scan.valueStart[levelAt]!;
      const n = scan.valueEnd[levelAt]! - vs;
      const v =
        n === 1
          ? s.charCodeAt(vs) - 48
          : n === 2
            ? (s.charCodeAt(vs) - 48) * 10 + s.charCodeAt(vs + 1) - 48
            : -1;
      if (v >= 0 && v <= 99 && isDigitAt(s, vs) && isDigitAt(s, vs + n - 1)) {
        ev.level = v === 0 ? INFO : DEBUG;
        remove[levelAt] = 1;
      }
    }
    // Roarr: its level is the context's logLevel (pino's numbers, or a name) in a record with none at the top
    if (
      wantLevel &&
      nestedAt < 0 &&
      contextAt >= 0 &&
      memberValue(s, scan.valueStart[contextAt]!, 'logLevel', SPAN)
    )
      this.#readNested(ev, s, contextAt, false, false, true, false);
    if (
      nestedAt >= 0 &&
      (msg < 0 || (scan.role[nestedAt] === R_META && (!timeDone || wantLevel))) &&
      this.#nestedIsLibrarys(s, nestedAt, hasLevel)
    )
      this.#readNested(ev, s, nestedAt, msg < 0, !timeDone, wantLevel, ev.error === undefined);
    if (ev.error === undefined && contextAt >= 0) ev.error = this.#contextError(s, contextAt);
    // tslog's logged Error: the record is the error ({nativeError, name, message, stack: frames}) beside its _meta
    if (
      ev.error === undefined &&
      nestedAt >= 0 &&
      s.charCodeAt(scan.memberStart[nestedAt]! + 1) === 95 &&
      s.indexOf('"nativeError"') > 0 &&
      s.indexOf('"logLevelName"') > 0
    ) {
      ev.error = errorFromJson(JSON.parse(s), '');
    }
    // klog: ErrorS writes no level and no `v` (InfoS always writes `v`); a record with neither that
    // carries an error is an error
    if (wantLevel && !verbosity && ev.level < ERROR && ev.error !== undefined) {
      if (ev.error.kind !== '' || ev.error.message !== '') ev.level = ERROR;
    }
    if (ev.error !== undefined && ev.level < ERROR && !isException(ev.error)) ev.error = undefined;
    ev.line = s;
    const fields = this.#fieldsText(s, n);
    // a pretty-printed record's fields hold its line breaks: one line again, for NDJSON destinations
    ev.fieldsJson = pretty && fields !== undefined ? compactJson(fields) : fields;
    return true;
  }

  /** The record's text minus the members marked for removal, within the caps; undefined when nothing is left. */
  #fieldsText(s: string, n: number): string | undefined {
    const scan = this.#json;
    const remove = this.#remove;
    // the arrays once (a property load each per member otherwise: the scanner's fields may change)
    const valuesAfter = scan.valuesAfter;
    const deep = scan.deep;
    const memberStart = scan.memberStart;
    const valueEnd = scan.valueEnd;
    // the common case first: no member kept deeper than the cap or past the count cap, none cut from
    // inside; the kept members' text in runs between the members taken out
    if (valuesAfter[n - 1]! <= MAX_FIELD_VALUES) {
      let out = '';
      let runStart = -1;
      let runEnd = 0;
      let m = 0;
      for (; m < n; m++) {
        const r = remove[m]!;
        if (r === 0) {
          if (deep[m] !== 0) break;
          if (runStart < 0) runStart = memberStart[m]!;
          runEnd = valueEnd[m]!;
        } else if (r === 1) {
          if (runStart >= 0) {
            out = out === '' ? s.slice(runStart, runEnd) : `${out},${s.slice(runStart, runEnd)}`;
            runStart = -1;
          }
        } else break;
      }
      if (m === n) {
        if (runStart >= 0)
          out = out === '' ? s.slice(runStart, runEnd) : `${out},${s.slice(runStart, runEnd)}`;
        if (scan.membersCut !== 0) this.stats.fieldsCut += scan.membersCut;
        return out === '' ? undefined : `{${out}}`;
      }
    }
    let out = '';
    let runStart = -1;
    let runEnd = 0;
    for (let m = 0; m < n; m++) {
      const r = remove[m]!;
      if (r !== 0) {
        if (runStart >= 0) {
          out += out === '' ? s.slice(runStart, runEnd) : `,${s.slice(runStart, runEnd)}`;
          runStart = -1;
        }
        if (r === 2) {
          // kept with what was taken cut out of it (#readNested), within the same cap
          if (scan.valuesAfter[m]! > MAX_FIELD_VALUES) {
            for (let k = m; k < n; k++) if (remove[k] !== 1) this.stats.fieldsCut++;
            break;
          }
          if (this.#nestedText !== '') {
            const piece = s.slice(scan.memberStart[m]!, scan.valueStart[m]!) + this.#nestedText;
            out += out === '' ? piece : `,${piece}`;
          }
        }
        continue;
      }
      if (scan.valuesAfter[m]! > MAX_FIELD_VALUES) {
        for (let k = m; k < n; k++) if (remove[k] !== 1) this.stats.fieldsCut++;
        break;
      }
      if (scan.deep[m] === 1) {
        if (runStart >= 0) {
          out += out === '' ? s.slice(runStart, runEnd) : `,${s.slice(runStart, runEnd)}`;
          runStart = -1;
        }
        const vs = scan.valueStart[m]!;
        const piece = s.slice(scan.memberStart[m]!, vs) + JSON.stringify(s.slice(vs, scan.valueEnd[m]!));
        out += out === '' ? piece : `,${piece}`;
        this.stats.depthCut++;
        continue;
      }
      if (runStart < 0) runStart = scan.memberStart[m]!;
      runEnd = scan.valueEnd[m]!;
    }
    if (runStart >= 0) out += out === '' ? s.slice(runStart, runEnd) : `,${s.slice(runStart, runEnd)}`;
    this.stats.fieldsCut += scan.membersCut;
    return out === '' ? undefined : `{${out}}`;
  }

  /**
   * `err` / `error` as pino and bunyan ({type|name, message, stack}) and ECS ({type, message,
   * stack_trace}) write it, Log4j2's `thrown`, structlog's dict tracebacks (errors.ts errorFromJson),
   * or as text (zap, logrus: the message; a traceback: read as a trace); zap's `stacktrace` beside it
   * is the stack. s[vs..ve) is its value.
   */
  #jsonError(s: string, vs: number, ve: number, stackAt: number): ErrorInfo | undefined {
    const scan = this.#json;
    const c = s.charCodeAt(vs);
    const stackText = stackAt >= 0 ? traceText(scan.text(s, stackAt)) : '';
    if (c === 34) {
      const text = unquote(s, vs, ve);
      // Echo's access log writes "error":"" for every request; go-kit `err=null`, Go's `<nil>`, "none": no error
      if (saysNoError(text)) return undefined;
      if (text.indexOf('\n') > 0) return errorFromTrace(text) ?? { kind: '', message: text, stack: text };
      return { kind: '', message: text, stack: stackText ?? this.#stackLines(s, stackAt, text) };
    }
    const stack = stackText ?? this.#stackLines(s, stackAt, '');
    if (c !== 123 && c !== 91) return undefined;
    return errorFromJson(JSON.parse(s.slice(vs, ve)), stack);
  }

  /**
   * The error told by flat keys: Spring Boot's ECS `error.type` / `error.message` /
   * `error.stack_trace` and GELF `_error_*`, logstash-logback-encoder's lone `stack_trace` (its trace
   * names the exception). A lone trace that names none (zap's `stacktrace` of an error call) is no error.
   */
  #flatError(s: string, kindAt: number, messageAt: number, stackAt: number): ErrorInfo | undefined {
    const scan = this.#json;
    const kind = kindAt >= 0 ? (scan.text(s, kindAt) ?? '') : '';
    const message = messageAt >= 0 ? (scan.text(s, messageAt) ?? '') : '';
    const stack =
      stackAt >= 0 ? (traceText(scan.text(s, stackAt)) ?? this.#stackLines(s, stackAt, message)) : '';
    if (kind !== '' || message !== '') return { kind, message, stack };
    if (stack === '') return undefined;
    const fromTrace = errorFromTrace(stack);
    return fromTrace !== undefined && fromTrace.kind !== '' ? fromTrace : undefined;
  }

  /**
   * Of a record's time keys, the library's: the one timeRank() puts first (a key only logging
   * libraries write, then the nearest to the read), the first written on a tie. `first` is the
   * first valid one, at `firstT`; #bestTime gets the time of the one returned.
   */
  #libraryTime(s: string, n: number, first: number, firstT: number, observed: number): number {
    const scan = this.#json;
    let best = first;
    let bestT = firstT;
    let bestRank = timeRank(
      s,
      scan.memberStart[first]! + 1,
      s.indexOf('"', scan.memberStart[first]! + 1),
      firstT,
      observed,
    );
    for (let m = first + 1; m < n; m++) {
      const role = scan.role[m]!;
      const vs = scan.valueStart[m]!;
      const c = s.charCodeAt(vs);
      if (role !== R_TIME && !(role === R_TIME_TEXT && (c === 34 || c === 123))) continue;
      const t = this.#timeOf(s, vs, scan.valueEnd[m]!);
      if (Number.isNaN(t)) continue;
      const rank = timeRank(
        s,
        scan.memberStart[m]! + 1,
        s.indexOf('"', scan.memberStart[m]! + 1),
        t,
        observed,
      );
      if (rank < bestRank) {
        best = m;
        bestT = t;
        bestRank = rank;
      }
    }
    this.#bestTime = bestT;
    return best;
  }

  /** Puts back in fields each level key taken out whose value is no level (as the detector reads its key). */
  #keepLevelData(s: string, n: number): void {
    const scan = this.#json;
    const remove = this.#remove;
    this.#words ??= new LevelDetector();
    for (let m = 0; m < n; m++) {
      if (remove[m] !== 1 || scan.role[m] !== R_LEVEL) continue;
      const ks = scan.memberStart[m]! + 1;
      const kind = keyKind(s, ks, s.indexOf('"', ks));
      const vs = scan.valueStart[m]!;
      const at = s.charCodeAt(vs) === 34 ? vs + 1 : vs;
      if (this.#words.levelInString(s, at, kind === K_NONE ? K_LEVEL : kind, ks) <= 0) remove[m] = 0;
    }
  }

  /**
   * A stack written as an array: of its lines (AWS Lambda's `stackTrace`), or of Go frames (zerolog's
   * pkgerrors.MarshalStack, errors.ts goFrames, under `heading`, the error's text); one text, '' for
   * any other value.
   */
  #stackLines(s: string, m: number, heading: string): string {
    const vs = this.#json.valueStart[m]!;
    if (s.charCodeAt(vs) !== 91) return '';
    const v: unknown = JSON.parse(s.slice(vs, this.#json.valueEnd[m]!));
    if (!Array.isArray(v)) return '';
    if (!v.every((l) => typeof l === 'string')) return goFrames(heading, v);
    // Python's frames end with their own newline; Node's lines do not
    return v.every((l: string) => l.endsWith('\n')) ? v.join('') : v.join('\n');
  }

  /**
   * The logged arguments as the message, joined by spaces as the library prints them: consola's
   * `args` when every one is text and the record has consola's `type`; log4js' `data` (its logEvent
   * written as JSON: the arguments, text or numbers, or one text with log4js-json-layout) when the
   * record has log4js' `categoryName`; tslog's `"0"`, its first argument, when text, beside its
   * `_meta.logLevelName`. An app's own `args`, `data` or `"0"` stays a field. True when it was.
   */
  #argsMessage(ev: LogEvent, s: string, m: number): boolean {
    const scan = this.#json;
    const vs = scan.valueStart[m]!;
    const c = s.charCodeAt(vs);
    const k = s.charCodeAt(scan.memberStart[m]! + 1);
    // tslog: its first argument, when text, beside its `_meta`
    if (k === 48) {
      if (c !== 34 || s.indexOf('"logLevelName"') < 0) return false;
      const text = scan.text(s, m) ?? '';
      if (text === '') return false;
      ev.message = text;
      return true;
    }
    const log4js = k === 100;
    if (
      log4js
        ? s.indexOf('"categoryName"') < 0 || (c !== 91 && c !== 34)
        : c !== 91 || s.indexOf('"type":"') < 0
    )
      return false;
    if (c === 34) {
      const text = scan.text(s, m) ?? '';
      if (text === '') return false;
      ev.message = text;
      return true;
    }
    const args: unknown = JSON.parse(s.slice(vs, scan.valueEnd[m]!));
    const printable = (a: unknown): boolean =>
      typeof a === 'string' || (log4js && (typeof a === 'number' || typeof a === 'boolean'));
    if (!Array.isArray(args) || args.length === 0 || !args.every(printable)) return false;
    const text = args.join(' ');
    if (text === '') return false;
    ev.message = text;
    return true;
  }

  /** A Python LogRecord's `msg % args` as the message (percent-format.ts); true when the args fit the message. */
  #loggingArgs(ev: LogEvent, s: string, m: number): boolean {
    const scan = this.#json;
    const vs = scan.valueStart[m]!;
    const c = s.charCodeAt(vs);
    // an empty tuple (or none) leaves the message as written, as getMessage() does
    if ((c !== 91 && c !== 123) || scan.valueEnd[m]! - vs <= 2) return false;
    const args = c === 91 ? writtenArgs(s, vs) : JSON.parse(s.slice(vs, scan.valueEnd[m]!));
    if (args === undefined) return false;
    const text = percentFormat(ev.message, args);
    if (text === undefined) return false;
    ev.message = text;
    return true;
  }

  /** Google Cloud's `timestampNanos` beside `timestampSeconds`: the time's milliseconds, when that time was whole seconds. */
  #addNanos(ev: LogEvent, s: string, timeAt: number, nanosAt: number): void {
    const scan = this.#json;
    const tv = s.slice(scan.valueStart[timeAt]!, scan.valueEnd[timeAt]!);
    const nanos = Number(s.slice(scan.valueStart[nanosAt]!, scan.valueEnd[nanosAt]!));
    if (!/^\d{1,10}$/.test(tv) || !Number.isInteger(nanos) || nanos < 0 || nanos >= 1e9) return;
    ev.timestamp += Math.floor(nanos / 1e6);
    this.#remove[nanosAt] = 1;
  }

  /**
   * OpenTelemetry's body as the message: text (Python's console exporter), `{stringValue}` (OTLP
   * JSON) or `{Type, Value}` (Go's stdout exporter); Erlang jsonlog's `{body}`. True when it was one.
   */
  #body(ev: LogEvent, s: string, m: number, levelAt: number): boolean {
    const scan = this.#json;
    const vs = scan.valueStart[m]!;
    const c = s.charCodeAt(vs);
    // a text body and a `{Type, Value}` one are OpenTelemetry's only beside its severity_text /
    // SeverityText; beside a `level` they are an HTTP log's request body, a form's value: the app's
    // field. `{stringValue}` is OTLP's AnyValue, read beside any level.
    const ks = scan.memberStart[levelAt]! + 1;
    const besideSeverity = (s.charCodeAt(ks) | 0x20) === 115 && s.startsWith('everity', ks + 1);
    if (c === 34) {
      if (!besideSeverity) return false;
      const text = scan.text(s, m) ?? '';
      if (text === '') return false;
      ev.message = text;
      return true;
    }
    if (c !== 123) return false;
    // Erlang's jsonlog writes a text message as `body: {body: "…"}` (a report stays its map)
    if (
      !memberValue(s, vs, 'stringValue', SPAN) &&
      !(besideSeverity && memberValue(s, vs, 'Value', SPAN)) &&
      !memberValue(s, vs, 'body', SPAN)
    )
      return false;
    if (s.charCodeAt(SPAN.start - 1) !== 34 || SPAN.end === SPAN.start) return false;
    ev.message = unquote(s, SPAN.start - 1, SPAN.end + 1);
    return true;
  }

  /** OpenTelemetry's `attributes: {exception.type, exception.message, exception.stacktrace}` (Python's console exporter). */
  #attributesError(s: string, m: number): ErrorInfo | undefined {
    const vs = this.#json.valueStart[m]!;
    const text = (key: string): string =>
      memberValue(s, vs, key, SPAN) && s.charCodeAt(SPAN.start - 1) === 34
        ? unquote(s, SPAN.start - 1, SPAN.end + 1)
        : '';
    const kind = text('exception.type');
    const message = text('exception.message');
    if (kind === '' && message === '') return undefined;
    return { kind, message, stack: text('exception.stacktrace') };
  }

  /** .NET's `Scopes` array: the first scope that carries the activity's `TraceId` (and `SpanId`). */
  #scopeIds(s: string, vs: number): void {
    if (s.charCodeAt(vs) !== 91) return;
    const ids = this.#ids;
    let i = skipWs(s, vs + 1);
    for (let k = 0; k < 16 && s.charCodeAt(i) !== 93; k++) {
      const e = skipValue(s, i);
      if (e < 0) return;
      if (
        s.charCodeAt(i) === 123 &&
        memberValue(s, i, 'TraceId', SPAN) &&
        ids.trace(s, SPAN.start, SPAN.end)
      ) {
        if (memberValue(s, i, 'SpanId', SPAN)) ids.span(s, SPAN.start, SPAN.end);
        return;
      }
      i = skipWs(s, e);
      if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
    }
  }

  /** Monolog: `context.exception`, as its normalizer writes an exception. */
  #contextError(s: string, m: number): ErrorInfo | undefined {
    const vs = this.#json.valueStart[m]!;
    if (!memberValue(s, vs, 'exception', SPAN) || s.charCodeAt(SPAN.start) !== 123) return undefined;
    return this.#jsonError(s, SPAN.start, SPAN.end, -1);
  }

  /**
   * Reads the message, level, time and error the top level lacks from the object of member m
   * (tracing-subscriber's `fields`, loguru's `record`, LoggerJSON's `syslog`), and cuts what it takes
   * out of that object in fields.
   */
  #readNested(
    ev: LogEvent,
    s: string,
    m: number,
    wantMessage: boolean,
    wantTime: boolean,
    wantLevel: boolean,
    wantError: boolean,
  ): void {
    const scan = this.#json;
    const nest = this.#nested;
    if (!nest.read(s, scan.valueStart[m]!, scan.valueEnd[m]!)) return;
    let msg = -1;
    let msgRole = R_NONE;
    let level = -1;
    let time = -1;
    let fallbackTime = -1;
    let error = -1;
    for (let k = 0; k < nest.count; k++) {
      const role = nest.role[k]!;
      if (role === R_NONE) continue;
      if (role <= R_MSG_EVENT) {
        if (s.charCodeAt(nest.valueStart[k]!) === 34 && (msg < 0 || role < msgRole)) {
          msg = k;
          msgRole = role;
        }
      } else if (role === R_LEVEL) {
        if (level < 0) level = k;
      } else if (role === R_TIME) {
        if (time < 0) time = k;
      } else if (role === R_TIME_FALLBACK) {
        if (fallbackTime < 0) fallbackTime = k;
      } else if (role === R_ERROR && error < 0) error = k;
    }
    // tslog's `_meta.date`: its record's time
    if (time < 0 && fallbackTime >= 0 && s.charCodeAt(scan.memberStart[m]! + 1) === 95) time = fallbackTime;
    if (wantMessage && msg >= 0) {
      const vs = nest.valueStart[msg]!;
      const ve = nest.valueEnd[msg]!;
      const text = unquote(s, vs, ve);
      if (text.length > 0) {
        ev.message = text;
        nest.cut(msg);
      }
    }
    if (wantLevel && level >= 0) {
      const lv = this.#nestedLevel(s, nest.valueStart[level]!);
      if (lv > 0) {
        ev.level = lv;
        nest.cut(level);
      }
    }
    if (wantTime && time >= 0) {
      const t = this.#timeOf(s, nest.valueStart[time]!, nest.valueEnd[time]!);
      if (!Number.isNaN(t) && this.#useTime(ev, t)) nest.cut(time);
    }
    if (wantError && error >= 0) {
      const err = this.#jsonError(s, nest.valueStart[error]!, nest.valueEnd[error]!, -1);
      // loguru: the trace is in the record's formatted `text`
      if (
        err !== undefined &&
        err.stack === '' &&
        memberValue(s, 0, 'text', SPAN) &&
        s.charCodeAt(SPAN.start - 1) === 34
      ) {
        const text = unquote(s, SPAN.start - 1, SPAN.end + 1);
        if (text.indexOf('\n') > 0 && text.indexOf('\n') < text.length - 1) err.stack = text;
      }
      ev.error = err;
    }
    // an object deeper than the fields' depth cap goes as its JSON text, whole (#fieldsText)
    if (nest.cuts > 0 && scan.deep[m] === 0) {
      this.#remove[m] = 2;
      this.#nestedText = nest.text(s);
    }
  }

  /**
   * Is the object of member m the library's, not the app's own? loguru's `record` comes with its
   * `text` beside it (serialize=True writes {text, record}); tracing-subscriber's `fields` and
   * Logstash's `logEvent` with the record's `level` (an app's `{"action":"save","fields":{"message":…}}`,
   * a CMS form's, or `{"record":{"id":5,"message":…}}`, a row's, is its data). LoggerJSON's `syslog`
   * and logstash V0's `@fields` are read beside the record's message, for its level and time.
   */
  #nestedIsLibrarys(s: string, m: number, hasLevel: boolean): boolean {
    const scan = this.#json;
    const ks = scan.memberStart[m]! + 1;
    // tslog's `_meta` only with its logLevelName (an app's `_meta` is its data)
    if (scan.role[m] === R_META) return s.charCodeAt(ks) !== 95 || s.indexOf('"logLevelName"') > 0;
    if (s.charCodeAt(ks) === 114)
      return memberValue(s, 0, 'text', SPAN) && s.charCodeAt(SPAN.start - 1) === 34;
    return hasLevel;
  }

  /** A level one level down: a word or number, or loguru's {name, no}. */
  #nestedLevel(s: string, vs: number): number {
    this.#words ??= new LevelDetector();
    const c = s.charCodeAt(vs);
    if (c === 34 || (c >= 48 && c <= 57))
      return this.#words.levelInString(s, c === 34 ? vs + 1 : vs, K_LEVEL);
    if (c !== 123) return -1;
    if (memberValue(s, vs, 'name', SPAN) && s.charCodeAt(SPAN.start - 1) === 34) {
      const lv = this.#words.levelInString(s, SPAN.start, K_LEVEL);
      if (lv > 0) return lv;
    }
    if (memberValue(s, vs, 'no', SPAN)) {
      const lv = levelFromNumber(Number(s.slice(SPAN.start, SPAN.end)), NUM_PYTHON);
      if (lv > 0) return lv;
    }
    return -1;
  }

  /**
   * `detected`: the level detector read the line's level (a `level=` that is none stays a field).
   * `at`: where the WebAssembly scan holds s (load()), -1 when it does not.
   */
  #readLogfmt(ev: LogEvent, s: string, detected: boolean, at: number): boolean {
    const lf = this.#logfmt;
    // structlog's KeyValueRenderer (repr values: `event='…'`), read apart from Go's logfmt: a line
    // read() took with a value that opens with `'`, or one it refused that has a `'` (a single-character
    // search: `='` costs several times more, measured)
    let repr = false;
    if (lf.readAt(s, at)) {
      if (lf.singleQuoted) {
        repr = lf.readRepr(s);
        if (!repr) lf.read(s);
      }
    } else if (s.indexOf("'") > 0 && lf.readRepr(s)) repr = true;
    else return false;
    this.stats.logfmt++;
    const ids = this.#ids;
    ids.reset();
    const remove = lf.omit;
    let msg = -1;
    let msgRole = R_NONE;
    let timeAt = -1;
    let timeValue = 0;
    /** where ids may start in the text: past the first pair when it is a time */
    let idsFrom = 0;
    let errorAt = -1;
    let levelKeys = 0;
    for (let m = 0; m < lf.count; m++) {
      remove[m] = 0;
      const role = lf.role[m]!;
      if (role === R_NONE) continue;
      // escaped values are rare for these roles: read as written unless it matters (message, error)
      const vs = lf.valueStart[m]!;
      const ve = lf.valueEnd[m]!;
      if (role <= R_MSG_EVENT) {
        if (msg < 0 || role < msgRole) {
          msg = m;
          msgRole = role;
        }
      } else if (role === R_LEVEL) {
        levelKeys++;
        if (repr && lf.quoted[m] === 3) {
          // the detector reads no quoted level word but Go's `"…"`: structlog's `level='warning'` is read here
          this.#words ??= new LevelDetector();
          const lv = this.#words.levelInString(`"${s.slice(vs, ve)}"`, 1, K_LEVEL);
          if (lv > 0) {
            ev.level = lv;
            remove[m] = 1;
          }
        } else if (detected) remove[m] = 1;
      } else if (role === R_TIME || role === R_TIME_TEXT) {
        let t = Number.NaN;
        if (lf.quoted[m] !== 2) {
          // read by the WebAssembly scan as it scanned (an RFC 3339 time with its zone), else here
          t = lf.scannedTime(m);
          if (Number.isNaN(t)) t = this.#time.textTime(s, vs, ve);
        }
        if (!Number.isNaN(t)) {
          if (m === 0) idsFrom = ve;
          const rank = timeAt < 0 ? 0 : timeRank(s, lf.keyStart[m]!, lf.keyEnd[m]!, t, ev.observedTimestamp);
          // two time keys: the library's (as #libraryTime for JSON)
          if (
            timeAt < 0 ||
            rank < timeRank(s, lf.keyStart[timeAt]!, lf.keyEnd[timeAt]!, timeValue, ev.observedTimestamp)
          ) {
            timeAt = m;
            timeValue = t;
          }
        }
      } else if (role === R_TRACE) {
        const digits = isDatadogKey(s, lf.keyStart[m]!) ? 1 : GENERIC_MIN_DIGITS;
        if (ids.traceId === undefined && lf.quoted[m] !== 2 && ids.trace(s, vs, ve, digits)) remove[m] = 1;
      } else if (role === R_SPAN) {
        const digits = isDatadogKey(s, lf.keyStart[m]!) ? 1 : GENERIC_MIN_DIGITS;
        if (ids.spanId === undefined && lf.quoted[m] !== 2 && ids.span(s, vs, ve, digits)) remove[m] = 1;
      } else if (role === R_ERROR && errorAt < 0) errorAt = m;
    }
    if (timeAt >= 0 && this.#useTime(ev, timeValue)) remove[timeAt] = 1;
    // a second level key (severity=high beside level=info): one whose value is a word and no level stays
    if (levelKeys > 1 && detected) {
      this.#words ??= new LevelDetector();
      const words = this.#words;
      for (let m = 0; m < lf.count; m++) {
        if (remove[m] !== 1 || lf.role[m] !== R_LEVEL) continue;
        const vs = lf.valueStart[m]!;
        const c = s.charCodeAt(vs) | 0x20;
        if (c < 97 || c > 122) {
          // a number: as the detector read it; `severity=2` with no facility it never reads (a ticket's)
          if (isSeverityKey(s, lf.keyStart[m]!, lf.keyEnd[m]!) && s.indexOf('facility=') < 0) remove[m] = 0;
          continue;
        }
        const lv = words.levelWord(s, vs);
        const e = words.wordEnd;
        const d = s.charCodeAt(e);
        if (lv <= 0 || (e !== lf.valueEnd[m]! && d !== 43 && d !== 45)) remove[m] = 0;
      }
    }
    if (msg >= 0 && lf.valueEnd[msg]! > lf.valueStart[msg]!) {
      ev.message = lf.value(s, msg);
      remove[msg] = 1;
    }
    // ids in the text after a leading time pair (a time's own dashes start none, as after a header time)
    if (ids.traceId === undefined && lf.mayHoldIds) ids.scanText(s, true, idsFrom);
    ev.traceId = ids.traceId;
    ev.spanId = ids.spanId;
    if (errorAt >= 0) {
      const message = lf.value(s, errorAt);
      // a traceback in one value (structlog's format_exc_info as `exception='Traceback …'`) is read as one
      if (message.indexOf('\n') > 0)
        ev.error = errorFromTrace(message) ?? { kind: '', message, stack: message };
      else if (!saysNoError(message)) ev.error = { kind: '', message, stack: '' };
      if (ev.error !== undefined && ev.level < ERROR && !isException(ev.error)) ev.error = undefined;
    }
    ev.line = s;
    this.stats.fieldsCut += lf.cut;
    ev.fieldsJson = lf.fieldsJson(s);
    return true;
  }
}

/**
 * Below level error, is the record's error the event's `error`? Only an exception: one that names
 * its type or carries its trace (pino's `err` {type, message, stack}, Log4j2's `thrown` on a warn,
 * Spring Boot's ECS `error.type`, a traceback): the app logged a caught exception. A message alone
 * (`"err": {"message": …}`, `"error": "connection reset"`, zap's `zap.Error(err)` on a warn) on an
 * info or warn record is a mention of a handled error, not an error event: it stays in fields
 * (README "Structured events").
 */
function isException(e: ErrorInfo): boolean {
  return e.kind !== '' || (e.stack.indexOf('\n') > 0 && hasFrames(e.stack));
}

/**
 * How likely the time key at s[ks..ke) with time t is the record's own, lower first: a key only
 * logging libraries write (`@timestamp`, `@t`, `timeMillis`, `instant`, `asctime`,
 * `__REALTIME_TIMESTAMP`, …) before one an app may use for its data too (`time`, `timestamp`, `ts`,
 * `at`, `t`, `datetime`), then the nearest to the read: a library writes its time as it logs, an app's
 * field tells of something else (a job's start, an order's date) and is rarely that close; in a
 * backfill the library's is still the nearer of two past times unless the app's is later. Read
 * only for a record with two time keys.
 */
function timeRank(s: string, ks: number, ke: number, t: number, observed: number): number {
  const n = ke - ks;
  // `ts`, `at` (katip's; an app's `at` is when something happened) are generic too
  const generic =
    n === 1 ||
    n === 4 ||
    n === 8 ||
    n === 9 ||
    (n === 2 && (s.charCodeAt(ks) === 116 || s.charCodeAt(ks) === 97));
  return (generic ? RANK_TIER : 0) + Math.min(Math.abs(t - observed), RANK_TIER - 1);
}

/** timeRank()'s step between tiers: more than any distance in ms it compares. */
const RANK_TIER = 1e14;

/**
 * Does the record carry another of Python's LogRecord attributes beside its `created`
 * (https://docs.python.org/3/library/logging.html#logrecord-attributes)? Then that `created` is
 * the record's, not a business object's creation time. Asked of its top-level keys as scanned: a
 * search of the line for each name cost ~100 ns a name (V8's search for a text of more than one
 * character), ~1 µs a record with `msg` and `args` (etcd's zap).
 */
function besideLogRecord(s: string, memberStart: Int32Array, members: number): boolean {
  for (let m = 0; m < members; m++) {
    const ks = memberStart[m]! + 1;
    switch (s.indexOf('"', ks) - ks) {
      case 5:
        if (s.startsWith('msecs"', ks)) return true;
        break;
      case 6:
        if (s.startsWith('lineno"', ks)) return true;
        break;
      case 7:
        if (s.startsWith('levelno"', ks)) return true;
        break;
      case 8:
        if (s.startsWith('funcName"', ks) || s.startsWith('pathname"', ks)) return true;
        break;
      case 9:
        if (s.startsWith('levelname"', ks)) return true;
        break;
      case 10:
        if (s.startsWith('threadName"', ks)) return true;
        break;
      case 11:
        if (s.startsWith('processName"', ks)) return true;
        break;
      case 15:
        if (s.startsWith('relativeCreated"', ks)) return true;
        break;
    }
  }
  return false;
}

/**
 * Where log4js' level word starts in a `level` object at s[vs..ve) (its logEvent's `{level,
 * levelStr, colour}`), or -1.
 */
function log4jsLevel(s: string, vs: number, ve: number): number {
  const p = s.indexOf('"levelStr":"', vs);
  return p > vs && p < ve ? p + 12 : -1;
}

/** Is s[vs..ve) epoch seconds as Python's time.time() writes them (`1715678467.412345`: 10 digits, a point, a fraction)? */
function isSecondsFloat(s: string, vs: number, ve: number): boolean {
  if (ve - vs < 12 || s.charCodeAt(vs + 10) !== 46) return false;
  for (let i = vs; i < ve; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && i !== vs + 10) return false;
  }
  return true;
}

/**
 * Does an error's text say there is none? Empty (Echo's access log), go-kit's `err=null` and JSON
 * null written as text, Go's `<nil>` (`%v` of a nil error), `nil`, `none`, `false`, `n/a`,
 * `undefined`: an app's "no error", not an error whose message is that word.
 */
function saysNoError(t: string): boolean {
  const n = t.length;
  if (n === 0) return true;
  if (n > 9) return false;
  const w = t.toLowerCase();
  return (
    w === 'null' ||
    w === 'nil' ||
    w === '<nil>' ||
    w === 'none' ||
    w === 'false' ||
    w === 'n/a' ||
    w === 'undefined'
  );
}

/**
 * A stack written as text is a trace only when it spans lines (zap's `stacktrace`, winston's
 * `stack`, ECS `error.stack_trace`): a one-line `stack` is the app's own (a deployment's stack name,
 * `"stack": "prod-eu"`). undefined (not text) stays undefined, for the array forms.
 */
function traceText(t: string | undefined): string | undefined {
  return t === undefined || t.indexOf('\n') > 0 ? t : '';
}

/**
 * Does the record carry one of rsyslog's own property names (jsonmesg writes them all; a JSON
 * template names its keys after them)? Read only for a message that opens with a space.
 */
function besideRsyslog(s: string): boolean {
  return (
    s.indexOf('"timereported"') > 0 ||
    s.indexOf('"syslogtag"') > 0 ||
    s.indexOf('"programname"') > 0 ||
    s.indexOf('"rawmsg"') > 0
  );
}

/** t without one trailing line end (`\n`, `\r\n`). */
function trimLineEnd(t: string): string {
  if (t.charCodeAt(t.length - 1) !== 10) return t;
  return t.slice(0, t.charCodeAt(t.length - 2) === 13 ? -2 : -1);
}

/** Is the member whose key's quote is at q `"date"`? */
function isDateKey(s: string, q: number): boolean {
  return s.charCodeAt(q + 1) === 100 && s.charCodeAt(q + 5) === 34;
}

/** Is the key at ks Datadog's `dd.trace_id` / `dd.span_id` (a decimal id of any length)? */
function isDatadogKey(s: string, ks: number): boolean {
  return s.charCodeAt(ks) === 100 && s.charCodeAt(ks + 1) === 100 && s.charCodeAt(ks + 2) === 46;
}

/** MongoDB's severity at s[vs..ve) (quotes included): "F", "E", "W", "I" or "D1"…"D5". */
function isMongoSeverity(s: string, vs: number, ve: number): boolean {
  const c = s.charCodeAt(vs + 1);
  if (ve - vs === 3) return c === 70 || c === 69 || c === 87 || c === 73;
  const d = s.charCodeAt(vs + 2);
  return ve - vs === 4 && c === 68 && d >= 49 && d <= 53;
}

/**
 * The validated JSON array at s[vs] as percentFormat()'s positional args: numbers kept as written
 * (WrittenNumber), the rest parsed; undefined past MAX_FIELD_VALUES elements.
 */
function writtenArgs(s: string, vs: number): unknown[] | undefined {
  const args: unknown[] = [];
  let i = skipWs(s, vs + 1);
  while (s.charCodeAt(i) !== 93) {
    const e = skipValue(s, i);
    if (e < 0 || args.length === MAX_FIELD_VALUES) return undefined;
    const c = s.charCodeAt(i);
    args.push(
      c === 45 || (c >= 48 && c <= 57) ? new WrittenNumber(s.slice(i, e)) : JSON.parse(s.slice(i, e)),
    );
    i = skipWs(s, e);
    if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
  }
  return args;
}

/** Can s[i] open a record after a time prefix (time-prefix.ts): `{`, a lower-case key's first letter or `_` (CRI's `stdout`)? */
function mayOpenRecord(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c === 123 || (c >= 97 && c <= 122) || c === 95;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Does s open with a bare `{` line (trailing spaces or CR allowed), as a pretty-printed record does? */
function prettyJsonHead(s: string): boolean {
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/** Valid JSON text without its whitespace between tokens (strings kept as written). */
function compactJson(s: string): string {
  let out = '';
  let run = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 32 || c === 10 || c === 13 || c === 9) {
      out += s.slice(run, i);
      run = i + 1;
    }
  }
  return out + s.slice(run);
}

/** The JSON string at s[vs..ve) (its quotes included), unescaped. */
function unquote(s: string, vs: number, ve: number): string {
  const raw = s.slice(vs + 1, ve - 1);
  return raw.indexOf('\\') < 0 ? raw : (JSON.parse(s.slice(vs, ve)) as string);
}
