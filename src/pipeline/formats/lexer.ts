/**
 * The record-header lexer: reads the tokens a log record opens with (timestamps, bracket groups,
 * `key=value` pairs, level words, exception names) at a given offset. Each read returns a level or a
 * position, and leaves its details in this object's fields (a reused result: no allocation, and no
 * module state, so two pipelines never share a lexer).
 */
import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, TRACE, WARN } from '../levels.js';
import { levelFromNumber, NUM_PINO, slogOffsetLevel, syslogLevel } from './alphabet.js';
import { intAt, stringEnd } from './chars.js';
import { isLogfmtLevelKey, isSeverityKey } from './fields.js';
import { exceptionSuffix } from './traces.js';

/** wordCase values */
export const UPPER = 1;
export const LOWER = 2;
export const MIXED = 3;

/**
 * What the level detector learnt of a line that later stages would otherwise read again (a bit set,
 * `LevelDetector.lineFacts`, carried with the line through grouping); 0: nothing known.
 * FIRST_WORD_NOT_KEY: the line opens with a word that ends in neither `=` nor `/`, so it is no
 * `key=value` record (structured/logfmt.ts looksLikeLogfmt() would say false).
 */
export const FIRST_WORD_NOT_KEY = 1;
/**
 * NO_HEADER_TIME (set only with FIRST_WORD_NOT_KEY): that first word opens no header time either
 * (structured/header-time.ts): it is no capitalised word of three letters (a month's or day's name,
 * `May 14 09:21:07`, `Tue May 14 …`), no word in capitals (a level before a date) followed by a
 * space, and no host name before an access log's client (a word with a `.` or `:`, then a space
 * and a digit or `:`, or a `:` and a port: `example.com:443 10.0.0.1 - - [`). Such a line is read
 * for trace ids only (structured/reader.ts textOnly()).
 */
export const NO_HEADER_TIME = 4;
/**
 * NO_LEVEL_FOUND: the detector found no level in the line (set by the pipeline from detect()'s
 * result as it emits the line): structured reading may then read a JSON record's level one level
 * down or from its shape (structured/reader.ts).
 */
export const NO_LEVEL_FOUND = 2;
/**
 * HEADER_TIME_END_SHIFT: where the line opens with an ISO 8601 date-time (at 0, or at 1 inside `[`)
 * that the detector read to skip it (LevelDetector.headerTime), where that time ends, in the facts'
 * eight bits from this one (HEADER_TIME_END_MASK; 0: no such time). The reader then takes the detector's time rather than
 * reading the header again (structured/reader.ts readText()).
 */
export const HEADER_TIME_END_SHIFT = 8;
/** The bits of that end (a header's time ends within its first 255 characters). */
export const HEADER_TIME_END_MASK = 0xff;
/**
 * BODY_START_SHIFT: where the app's own line starts after a prefix another tool put before it
 * (source-prefix.ts: `kubectl logs --timestamps` / `docker logs -t`'s RFC 3339 time and a space,
 * `kubectl logs --prefix`'s `[pod/<pod>/<container>] `, docker compose's `web-1  | `, a source's
 * prefix and then the time), in the facts' bits from this one up (0: no such prefix). The detector
 * reads the prefix for the level after it; the grouper (multiline.ts) decides on the line after it.
 */
export const BODY_START_SHIFT = 16;

export class HeaderLexer {
  /** levelWord(): index just after the matched word */
  wordEnd = 0;
  /** levelWord(): UPPER, LOWER or MIXED (`Error`, `Information`) */
  wordCase = 0;
  /** levelWord(): a common level word that is also safe capitalised at line start (`Error:`, `Warning:`) */
  wordMixedOk = false;
  /** levelWord(): one of the core words a logger prints bare before a space (`ERROR in …`, `WARN  x`) */
  wordCore = false;
  /** brackets(): where the bracket groups stopped */
  groupStop = 0;
  /** exceptionHeader(): the exception name is qualified (`java.io.IOException`) */
  qualified = false;
  /** logfmt(): where the key=value run stopped (start of the first token that is not a pair) */
  logfmtStop = 0;
  /** skipTs(): the timestamp had a colon (a time of day) / a `T` separator */
  tsColon = false;
  tsT = false;
  /** skipTs(): how many digits the timestamp had (compact dates and epochs have no colon) */
  tsDigits = 0;
  /** detect(): what it learnt of the whole line (FIRST_WORD_NOT_KEY …), 0 when nothing */
  lineFacts = 0;

  /**
   * Matches a level word at `p` (letters, optionally one digit for DEBUG1-5 / trace1-8). Returns its level,
   * NO_LEVEL for a recognised "no severity" word (GCP DEFAULT), or -1. Sets this.wordEnd, this.wordCase, this.wordMixedOk, this.wordCore.
   */
  levelWord(s: string, p: number): number {
    let e = p;
    let up = 0;
    let low = 0;
    for (;;) {
      const c = cc(s, e);
      if (isUpper(c)) up++;
      else if (isLower(c)) low++;
      else break;
      e++;
      if (e - p > 13) return -1; // the longest word: informational
    }
    const n = e - p;
    if (n < 3) return -1;
    let digit = -1;
    const cd = cc(s, e);
    if (isDigit(cd)) {
      if (isWord(cc(s, e + 1))) return -1;
      digit = cd - 48;
      e++;
    } else if (cd === 95) {
      return -1; // part of an identifier such as ERROR_CODE
    }
    // locals, written to the result fields once (this runs several times on most lines)
    const wcase = low === 0 ? UPPER : up === 0 ? LOWER : MIXED;
    let mixedOk = false;
    let core = false;
    this.wordEnd = e;
    this.wordCase = wcase;
    const f = cc(s, p) | 0x20;
    let lv = -1;
    switch (n) {
      case 3:
        if (f === 105 && eqf(s, p, 'inf')) lv = INFO;
        else if (f === 119 && eqf(s, p, 'wrn')) lv = WARN;
        else if (f === 101 && eqf(s, p, 'err')) lv = ERROR;
        else if (f === 100 && eqf(s, p, 'dbg')) lv = DEBUG;
        else if (f === 116 && eqf(s, p, 'trc')) lv = TRACE;
        else if (f === 102 && eqf(s, p, 'ftl')) lv = FATAL;
        else if (f === 112 && eqf(s, p, 'pnc')) lv = FATAL;
        else if (f === 118 && eqf(s, p, 'vrb'))
          lv = TRACE; // Serilog Verbose
        else if (f === 108 && eqf(s, p, 'log')) {
          this.wordMixedOk = false;
          this.wordCore = false;
          return wcase === UPPER && digit < 0 ? INFO : -1; // PostgreSQL LOG
        }
        if (lv !== -1) core = true;
        break;
      case 4:
        if (f === 105 && eqf(s, p, 'info')) {
          lv = INFO;
          core = mixedOk = true;
        } else if (f === 119 && eqf(s, p, 'warn')) {
          lv = WARN;
          core = mixedOk = true;
        } else if (f === 101 && (eqf(s, p, 'erro') || eqf(s, p, 'eror')))
          lv = ERROR; // logrus TTY, log15
        else if (f === 102) {
          if (eqf(s, p, 'fata')) lv = FATAL;
          else if (eqf(s, p, 'fine')) lv = DEBUG;
          else if (eqf(s, p, 'fail')) lv = ERROR;
        } else if (f === 112 && eqf(s, p, 'pani')) lv = FATAL;
        else if (f === 100) {
          if (eqf(s, p, 'debu')) lv = DEBUG;
          else if (eqf(s, p, 'dbug') || eqf(s, p, 'debg')) lv = DEBUG; // .NET; supervisord DEBG
        } else if (f === 116) {
          if (eqf(s, p, 'trac')) lv = TRACE;
          else if (eqf(s, p, 'trce')) lv = TRACE;
        } else if (f === 98 && wcase === UPPER && eqf(s, p, 'blat'))
          lv = TRACE; // supervisord BLAT (blather), below TRAC
        else if (f === 99 && eqf(s, p, 'crit')) lv = FATAL;
        else if (f === 104 && eqf(s, p, 'http')) lv = INFO;
        break;
      case 5:
        if (f === 101) {
          if (eqf(s, p, 'error')) {
            lv = ERROR;
            core = mixedOk = true;
          } else if (eqf(s, p, 'emerg')) lv = FATAL;
        } else if (f === 100 && eqf(s, p, 'debug')) {
          lv = DEBUG;
          core = mixedOk = true;
        } else if (f === 116 && eqf(s, p, 'trace')) {
          lv = TRACE;
          core = mixedOk = true;
        } else if (f === 102) {
          if (eqf(s, p, 'fatal')) {
            lv = FATAL;
            core = mixedOk = true;
          } else if (eqf(s, p, 'finer')) lv = DEBUG;
        } else if (f === 112 && eqf(s, p, 'panic')) {
          lv = FATAL;
          core = true;
        } else if (f === 97 && eqf(s, p, 'alert')) lv = FATAL;
        else if (f === 115 && eqf(s, p, 'silly')) lv = TRACE;
        break;
      case 6:
        if (f === 110 && eqf(s, p, 'notice')) {
          lv = INFO;
          mixedOk = true;
        } else if (f === 115 && eqf(s, p, 'severe')) lv = ERROR;
        else if (f === 102 && eqf(s, p, 'finest')) lv = TRACE;
        else if (f === 99 && eqf(s, p, 'config')) lv = INFO;
        else if (f === 100 && eqf(s, p, 'dpanic')) lv = FATAL;
        break;
      case 7:
        if (f === 119 && eqf(s, p, 'warning')) {
          lv = WARN;
          core = mixedOk = true;
        } else if (f === 118 && eqf(s, p, 'verbose')) {
          // Serilog/.NET "Verbose" is below Debug; winston's lower-case "verbose" sits above debug
          lv = wcase === MIXED ? TRACE : DEBUG;
          mixedOk = true;
        } else if (f === 115 && eqf(s, p, 'success')) lv = INFO;
        else if (f === 102 && eqf(s, p, 'failure'))
          lv = FATAL; // Blue Gene/L RAS: a hardware failure
        else if (f === 100 && eqf(s, p, 'default')) {
          this.wordMixedOk = false;
          this.wordCore = false;
          return digit < 0 ? NO_LEVEL : -1; // GCP: no severity
        }
        break;
      case 8:
        if (f === 99 && eqf(s, p, 'critical')) {
          lv = FATAL;
          core = true;
        }
        break;
      case 9:
        if (f === 101) {
          if (eqf(s, p, 'emergency')) lv = FATAL;
          else if (eqf(s, p, 'exception')) lv = ERROR; // structlog
        }
        break;
      case 11:
        if (f === 105 && eqf(s, p, 'information')) {
          lv = INFO;
          mixedOk = true;
        }
        break;
      case 13:
        // syslog's name for severity 6 (RFC 5424's table; rsyslog's and Graylog's level names)
        if (f === 105 && eqf(s, p, 'informational')) {
          lv = INFO;
          mixedOk = true;
        }
        break;
    }
    this.wordMixedOk = mixedOk;
    this.wordCore = core;
    if (digit >= 0) {
      // PostgreSQL DEBUG1-5, Apache trace1-8; no other word takes a digit.
      if (lv === DEBUG && n === 5 && digit >= 1 && digit <= 5) return DEBUG;
      if (lv === TRACE && n === 5 && digit >= 1 && digit <= 8) return TRACE;
      return -1;
    }
    return lv;
  }

  /**
   * Skips a leading timestamp: runs of [0-9-/:.,TZ+] with at most one inner space before a digit
   * (`2024-05-14 09:21:07,412`, HDFS `081109 203615`), and a Kitchen `AM`/`PM`. Sets tsColon, tsT,
   * tsDigits.
   */
  skipTs(s: string, p: number): number {
    // locals in the loop, fields once at the end: this runs on most lines
    let colon = false;
    let tee = false;
    let spaced = false;
    let digits = 0;
    let i = p;
    for (;;) {
      const c = cc(s, i);
      if (c >= 48 && c <= 57) {
        digits++;
        i++;
      } else if (c === 45 || c === 47 || c === 46 || c === 44 || c === 43) i++;
      else if (c === 58) {
        colon = true;
        i++;
      } else if (c === 84 || c === 90) {
        if (c === 84) tee = true;
        i++;
      } else if ((c === 65 || c === 80) && cc(s, i + 1) === 77 && !isLetter(cc(s, i + 2))) {
        i += 2; // 9:21AM
      } else if (
        isLetter(c) &&
        (cc(s, i - 1) === 45 || cc(s, i - 1) === 47) &&
        isLetter(cc(s, i + 1)) &&
        isLetter(cc(s, i + 2)) &&
        (cc(s, i + 3) === 45 || cc(s, i + 3) === 47)
      ) {
        i += 3; // month name: Tomcat 14-May-2024, PHP-FPM, Django 14/May/2024
      } else if (c === 32 && !spaced && !tee && isDigit(cc(s, i + 1))) {
        spaced = true;
        i++;
      } else break;
    }
    this.tsColon = colon;
    this.tsT = tee;
    this.tsDigits = digits;
    return i;
  }

  /** Level word at p with an acceptable delimiter after it, for a word in a fixed position. */
  wordAt(s: string, p: number): number {
    const lv = this.levelWord(s, p);
    if (lv <= 0) return -1;
    const c = cc(s, this.wordEnd);
    if (this.wordCase === UPPER) {
      if (c === 32 || c === 9 || c === 58 || c === 93 || c < 0) return lv;
      if ((c === 43 || c === 45) && isDigit(cc(s, this.wordEnd + 1)))
        return slogOffsetLevel(lv, slogOffset(s, this.wordEnd)); // slog WARN+2, DEBUG-4
      return -1;
    }
    // lower / mixed: only with a hard delimiter (zap lowercase uses a tab)
    if (c === 9 || c === 58) return lv;
    return -1;
  }

  /** Inside brackets: level word followed by optional spaces and `]`. */
  bracketWord(s: string, p: number): number {
    // a level right-aligned in its column: Fluent Bit "[ info]", "[ warn]" (src/flb_log.c)
    if (cc(s, p) === 32 && cc(s, p - 1) === 91) {
      const q = p;
      while (cc(s, p) === 32 && p - q < 4) p++;
    }
    const lv = this.levelWord(s, p);
    if (lv <= 0) {
      // MySQL's "[Note]" label (https://dev.mysql.com/doc/refman/8.4/en/error-log-format.html)
      return (cc(s, p) | 0x20) === 110 && eqf(s, p, 'note') && cc(s, p + 4) === 93 ? INFO : -1;
    }
    let e = this.wordEnd;
    while (cc(s, e) === 32) e++;
    return cc(s, e) === 93 ? lv : -1;
  }

  brackets(s: string, p: number): number {
    for (let k = 0; k < 3; k++) {
      const c = cc(s, p);
      if (c === 91) {
        const lv = this.bracketWord(s, p + 1);
        if (lv > 0) return lv;
        const close = s.indexOf(']', p + 1);
        if (close < 0 || close - p > 128) break;
        // Apache 2.4 [module:level]
        const colon = s.lastIndexOf(':', close);
        if (colon > p) {
          const lv2 = this.levelWord(s, colon + 1);
          if (lv2 > 0 && this.wordEnd === close) return lv2;
        }
        p = close + 1;
      } else if (c === 123) {
        const close = s.indexOf('}', p + 1);
        if (close < 0 || close - p > 128) break;
        p = close + 1;
      } else break;
      while (cc(s, p) === 32) p++;
    }
    this.groupStop = p;
    return -1;
  }

  /** Scans `key=value` pairs from p (quoted values honoured) for a level key. */
  logfmt(s: string, p: number): number {
    const len = s.length;
    let i = p;
    for (let pairs = 0; pairs < 24 && i < len; pairs++) {
      const ks = i;
      let c = cc(s, i);
      if (!(isLetter(c) || c === 95 || c === 64)) break;
      while (isWord(c) || c === 46 || c === 45 || c === 64) c = cc(s, ++i);
      if (c !== 61) {
        i = ks;
        break;
      }
      const ke = i;
      i++;
      if (isLogfmtLevelKey(s, ks, ke)) {
        const q = cc(s, i) === 34 ? 1 : 0;
        const vp = i + q;
        if (isDigit(cc(s, vp))) {
          // a number under `severity=` is syslog's only beside a facility (fields.ts K_APP_SEVERITY);
          // so is one of 0–7 under any level key: their scales disagree (detect.ts smallLevel), and
          // only a facility names syslog's in logfmt
          const v = intAt(s, vp);
          const lv =
            (isSeverityKey(s, ks, ke) || v <= 7) && s.indexOf('facility=') < 0
              ? NO_LEVEL
              : v <= 7
                ? syslogLevel(v)
                : levelFromNumber(v, NUM_PINO);
          if (lv !== NO_LEVEL) return lv;
        } else {
          const lv = this.levelWord(s, vp);
          if (lv > 0) {
            let e = this.wordEnd;
            let offset = 0;
            // slog "level=DEBUG-4": the offset moves the level on slog's scale
            const sign = cc(s, e);
            if (sign === 43 || sign === 45) {
              offset = slogOffset(s, e);
              e++;
              while (isDigit(cc(s, e))) e++;
            }
            const ec = cc(s, e);
            if (q === 1 ? ec === 34 : ec === 32 || ec === 9 || ec < 0)
              return offset === 0 ? lv : slogOffsetLevel(lv, offset);
          }
        }
      }
      // skip the value
      if (cc(s, i) === 34) {
        const q = stringEnd(s, i + 1);
        if (q < 0) {
          i = len;
          break;
        }
        i = q + 1;
      } else {
        while (i < len && cc(s, i) !== 32) i++;
      }
      while (cc(s, i) === 32) i++;
    }
    this.logfmtStop = i;
    return NO_LEVEL;
  }

  exceptionHeader(s: string, p: number): number {
    let e = p;
    let dot = false;
    let c = cc(s, e);
    while (isWord(c) || c === 36 || c === 46) {
      if (c === 46) dot = true;
      c = cc(s, ++e);
    }
    return this.exceptionAfter(s, p, e, dot);
  }

  /** this.exceptionHeader() for an identifier token already scanned: s[p..e), `dot` if it is qualified. */
  exceptionAfter(s: string, p: number, e: number, dot: boolean): number {
    const c = cc(s, e);
    this.qualified = dot;
    // Java `Exception in thread "main" …`, Python's threading.excepthook `Exception in thread worker-1:`
    if (c === 32 && e - p === 9 && s.startsWith('Exception in thread ', p)) return ERROR;
    const lv = exceptionSuffix(s, p, e);
    if (lv < 0) return -1;
    if (c === 58) return lv; // Name: message
    if (c < 0) return lv === ERROR && dot ? ERROR : -1; // java.lang.NullPointerException
    if (c === 32 && cc(s, e + 1) === 91) {
      // Node: Error [ERR_MODULE_NOT_FOUND]: …
      const close = s.indexOf(']', e + 2);
      if (close > 0 && cc(s, close + 1) === 58) return lv;
    }
    return -1;
  }
}

// The character readers this file runs per line, as module-local functions: V8 inlined these and
// not the same functions imported from chars.ts (measured: level stage ~5% faster). chars.ts keeps
// the shared definitions for the colder readers.
/**
 * charCodeAt that returns -1 past the end. Reading out of bounds (NaN) deoptimises the hot loops in V8,
 * so every read goes through here; the function is small enough to be inlined.
 */
function cc(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

/** Case-insensitive compare of `s` at `p` with lower-case ASCII `w` (the caller knows all are letters). */
function eqf(s: string, p: number, w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    if ((cc(s, p + i) | 0x20) !== w.charCodeAt(i)) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** [A-Za-z0-9_] */
function isWord(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

/** log/slog's level offset at p (`+2`, `-4`, the sign at p), clamped; 0 when there is none. */
export function slogOffset(s: string, p: number): number {
  const sign = cc(s, p);
  if (sign !== 43 && sign !== 45) return 0;
  let n = 0;
  for (let i = p + 1; isDigit(cc(s, i)) && n < 1000; i++) n = n * 10 + cc(s, i) - 48;
  return sign === 43 ? n : -n;
}
