import type { ErrorInfo, LogEvent } from '../event.js';
import { FIRST_WORD_NOT_KEY } from '../formats/lexer.js';
import { errorFromTrace } from './errors.js';
import {
  JsonRecordScanner,
  keyRole,
  MAX_FIELD_VALUES,
  MEMBER_SLOTS,
  R_DD_OBJ,
  R_ERROR,
  R_LEVEL,
  R_MSG_EVENT,
  R_NONE,
  R_SPAN,
  R_SPAN_OBJ,
  R_STACK,
  R_TIME,
  R_TRACE,
  R_TRACE_OBJ,
} from './json-record.js';
import { LogfmtReader, looksLikeLogfmt, MAX_LOGFMT_PAIRS } from './logfmt.js';
import { epochMs, TimeReader } from './time.js';
import { mayHoldIds, TraceIds } from './trace-ids.js';

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

/**
 * Reads an event's line for what it carries besides text: message, fields, the app's own time,
 * trace ids, the error (README "Structured events"). Works in place on an event that no drain has
 * seen yet. One per pipeline: its scanners' results are reused for every line.
 *
 * Cost: a plain line pays a first-word check (logfmt?) unless the level detector already ruled it
 * out (FIRST_WORD_NOT_KEY), a timestamp read when it starts with a digit or `[` (only seconds and
 * zone within the minute read last), and two native searches after that time that rule out trace
 * ids (a `-` after `00` or `=1`, a `_id=`) before any regex; a JSON line one validating pass that
 * builds no objects (README "Performance" has the measured figures).
 */
export class StructuredReader {
  readonly #json = new JsonRecordScanner();
  readonly #logfmt = new LogfmtReader();
  readonly #time = new TimeReader();
  readonly #ids = new TraceIds();
  /** members of the current record to leave out of fields */
  readonly #remove = new Uint8Array(Math.max(MEMBER_SLOTS, MAX_LOGFMT_PAIRS));

  constructor(
    readonly stats: StructuredStats,
    readonly maxBytes: number = DEFAULT_STRUCTURED_MAX_BYTES,
  ) {}

  /**
   * `lineCount` > 1: a grouped event (its first line is the record; a trace may follow). `facts`:
   * what the level detector learnt of the first line (formats/lexer.ts); FIRST_WORD_NOT_KEY spares
   * the logfmt check of a text line's first word, read there already.
   */
  read(ev: LogEvent, lineCount: number, facts = 0): void {
    const s = ev.message;
    const c0 = s.length > 0 ? s.charCodeAt(0) : -1;
    if (lineCount === 1) {
      if (c0 === 123) {
        if (s.length > this.maxBytes) this.stats.tooLarge++;
        else if (this.#readJson(ev, s)) return;
      } else if ((facts & FIRST_WORD_NOT_KEY) === 0 && looksLikeLogfmt(s, c0)) {
        if (s.length > this.maxBytes) this.stats.tooLarge++;
        else if (this.#readLogfmt(ev, s)) return;
      }
    }
    // text: the header's time, ids anywhere after it (the header's own dashes start none)
    let from = 0;
    if ((c0 >= 48 && c0 <= 57) || c0 === 91) {
      const time = this.#time;
      const t = time.isoTime(s, c0 === 91 ? 1 : 0, s.length);
      if (!Number.isNaN(t)) {
        this.#useTime(ev, t);
        from = time.end;
      }
    }
    this.#idsInText(ev, s, from);
  }

  /**
   * read() of a line textOnly() said yes to: only its trace ids. Small, so that the pipeline's
   * per-line call inlines it (with the gate, where most lines end).
   */
  readText(ev: LogEvent): void {
    this.#idsInText(ev, ev.message, 0);
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
   * Is s, a single line, one that read() only looks at for trace ids in its text (neither JSON, nor
   * logfmt, nor led by a time)? The same tests read() makes first.
   */
  textOnly(s: string, facts: number): boolean {
    const c0 = s.charCodeAt(0);
    return c0 !== 123 && c0 !== 91 && !(c0 >= 48 && c0 <= 57) && (facts & FIRST_WORD_NOT_KEY) !== 0;
  }

  /** A grouped trace's error (called for grouped events of level error and above). */
  readError(ev: LogEvent): void {
    if (ev.error === undefined) ev.error = errorFromTrace(ev.message);
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
    if (c < 48 || c > 57) return Number.NaN;
    // an integer (pino's epoch ms, zerolog's seconds) is read in place, and so are epoch seconds with a
    // fraction (zap's `ts`: its milliseconds are the fraction's first three digits, exact where
    // Number(…) * 1000 can land a float step below); anything else via Number
    let v = 0;
    let i = vs;
    for (; i < ve; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || i - vs > 15) break;
      v = v * 10 + d;
    }
    if (i === ve) return epochMs(v);
    if (s.charCodeAt(i) === 46 && v > 0 && v < 1e11 && i + 1 < ve) {
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

  #readJson(ev: LogEvent, s: string): boolean {
    const scan = this.#json;
    if (!scan.scan(s)) {
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
        }
      } else if (role === R_LEVEL) {
        const c = s.charCodeAt(vs);
        if (quoted || (c >= 48 && c <= 57)) remove[m] = 1;
      } else if (role === R_TIME) {
        if (!timeDone) {
          const t = this.#timeOf(s, vs, ve);
          if (!Number.isNaN(t)) {
            timeDone = true;
            if (this.#useTime(ev, t)) remove[m] = 1;
          }
        }
      } else if (role === R_TRACE) {
        if (ids.traceId === undefined && ids.trace(s, quoted ? vs + 1 : vs, quoted ? ve - 1 : ve))
          remove[m] = 1;
      } else if (role === R_SPAN) {
        if (ids.spanId === undefined && ids.span(s, quoted ? vs + 1 : vs, quoted ? ve - 1 : ve))
          remove[m] = 1;
      } else if (role === R_TRACE_OBJ) {
        if (ids.traceId === undefined && scan.inner(s, m, 'id', SPAN)) ids.trace(s, SPAN.start, SPAN.end);
      } else if (role === R_SPAN_OBJ) {
        if (ids.spanId === undefined && scan.inner(s, m, 'id', SPAN)) ids.span(s, SPAN.start, SPAN.end);
      } else if (role === R_DD_OBJ) {
        if (ids.traceId === undefined && scan.inner(s, m, 'trace_id', SPAN))
          ids.trace(s, SPAN.start, SPAN.end);
        if (ids.spanId === undefined && scan.inner(s, m, 'span_id', SPAN)) ids.span(s, SPAN.start, SPAN.end);
      } else if (role === R_ERROR) {
        if (errorAt < 0) errorAt = m;
      } else if (role === R_STACK) {
        if (stackAt < 0) stackAt = m;
      }
    }
    if (msg >= 0) {
      const text = scan.text(s, msg);
      if (text !== undefined && text.length > 0) {
        ev.message = text;
        remove[msg] = 1;
      }
    }
    if (ids.traceId === undefined) ids.scanText(s, false);
    ev.traceId = ids.traceId;
    ev.spanId = ids.spanId;
    if (errorAt >= 0) ev.error = this.#jsonError(s, errorAt, stackAt);
    ev.line = s;
    ev.fieldsJson = this.#fieldsText(s, n);
    return true;
  }

  /** The record's text minus the members marked for removal, within the caps; undefined when nothing is left. */
  #fieldsText(s: string, n: number): string | undefined {
    const scan = this.#json;
    const remove = this.#remove;
    let out = '';
    let runStart = -1;
    let runEnd = 0;
    for (let m = 0; m < n; m++) {
      if (remove[m] === 1) {
        if (runStart >= 0) {
          out += out === '' ? s.slice(runStart, runEnd) : `,${s.slice(runStart, runEnd)}`;
          runStart = -1;
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
   * stack_trace}) write it, or as text (zap, logrus: the message; a traceback: read as a trace);
   * zap's `stacktrace` beside it is the stack.
   */
  #jsonError(s: string, m: number, stackAt: number): ErrorInfo | undefined {
    const scan = this.#json;
    const vs = scan.valueStart[m]!;
    const c = s.charCodeAt(vs);
    const stack = stackAt >= 0 ? (scan.text(s, stackAt) ?? '') : '';
    if (c === 34) {
      const text = scan.text(s, m) ?? '';
      if (text.indexOf('\n') > 0) return errorFromTrace(text) ?? { kind: '', message: text, stack: text };
      return { kind: '', message: text, stack };
    }
    if (c !== 123) return undefined;
    const obj = JSON.parse(s.slice(vs, scan.valueEnd[m]!)) as Record<string, unknown>;
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const own = str(obj.stack) || str(obj.stack_trace) || stack;
    const kind = str(obj.type) || str(obj.name) || str(obj.kind) || str(obj.class);
    const message = str(obj.message) || str(obj.msg);
    if (kind === '' && message === '' && own === '') return undefined;
    return { kind, message, stack: own };
  }

  #readLogfmt(ev: LogEvent, s: string): boolean {
    const lf = this.#logfmt;
    if (!lf.read(s)) return false;
    this.stats.logfmt++;
    const ids = this.#ids;
    ids.reset();
    const remove = this.#remove;
    let msg = -1;
    let msgRole = R_NONE;
    let timeDone = false;
    let errorAt = -1;
    for (let m = 0; m < lf.count; m++) {
      remove[m] = 0;
      const role = keyRole(s, lf.keyStart[m]!, lf.keyEnd[m]!);
      if (role === R_NONE) continue;
      // escaped values are rare for these roles: read as written unless it matters (message, error)
      const vs = lf.valueStart[m]!;
      const ve = lf.valueEnd[m]!;
      if (role <= R_MSG_EVENT) {
        if (msg < 0 || role < msgRole) {
          msg = m;
          msgRole = role;
        }
      } else if (role === R_LEVEL) remove[m] = 1;
      else if (role === R_TIME) {
        if (!timeDone) {
          const t = lf.quoted[m] === 2 ? Number.NaN : this.#time.textTime(s, vs, ve);
          if (!Number.isNaN(t)) {
            timeDone = true;
            if (this.#useTime(ev, t)) remove[m] = 1;
          }
        }
      } else if (role === R_TRACE) {
        if (ids.traceId === undefined && lf.quoted[m] !== 2 && ids.trace(s, vs, ve)) remove[m] = 1;
      } else if (role === R_SPAN) {
        if (ids.spanId === undefined && lf.quoted[m] !== 2 && ids.span(s, vs, ve)) remove[m] = 1;
      } else if (role === R_ERROR && errorAt < 0) errorAt = m;
    }
    if (msg >= 0 && lf.valueEnd[msg]! > lf.valueStart[msg]!) {
      ev.message = lf.value(s, msg);
      remove[msg] = 1;
    }
    if (ids.traceId === undefined) ids.scanText(s);
    ev.traceId = ids.traceId;
    ev.spanId = ids.spanId;
    if (errorAt >= 0) ev.error = { kind: '', message: lf.value(s, errorAt), stack: '' };
    ev.line = s;
    // the fields' JSON from pieces of the line: keys are [A-Za-z0-9_.\-/@] only (nothing to escape),
    // a value is its own text in quotes unless it needs JSON escapes
    let out = '';
    for (let m = 0; m < lf.count; m++) {
      if (remove[m] === 1) continue;
      const vs = lf.valueStart[m]!;
      const ve = lf.valueEnd[m]!;
      const q = lf.quoted[m]!;
      const value =
        q === 2
          ? JSON.stringify(lf.value(s, m))
          : needsEscaping(s, vs, ve)
            ? JSON.stringify(s.slice(vs, ve))
            : '';
      const key = s.slice(lf.keyStart[m]!, lf.keyEnd[m]!);
      if (value !== '') out += out === '' ? `"${key}":${value}` : `,"${key}":${value}`;
      // quoted: the line's own `"…"`; unquoted: the text between quotes
      else if (q === 1)
        out += out === '' ? `"${key}":${s.slice(vs - 1, ve + 1)}` : `,"${key}":${s.slice(vs - 1, ve + 1)}`;
      else out += out === '' ? `"${key}":"${s.slice(vs, ve)}"` : `,"${key}":"${s.slice(vs, ve)}"`;
    }
    this.stats.fieldsCut += lf.cut;
    if (out === '') ev.fieldsJson = undefined;
    else {
      const json = `{${out}}`;
      json.charCodeAt(1); // flattens the joins now: the queued event then holds one string, not a piece per pair
      ev.fieldsJson = json;
    }
    return true;
  }
}

/** Would JSON.stringify escape anything in s[p..e)? Control characters, `"`, `\` and lone surrogates. */
function needsEscaping(s: string, p: number, e: number): boolean {
  for (let i = p; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
