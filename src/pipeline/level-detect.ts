/**
 * Level detection: one decoded, ANSI-free line in, a level number (levels.ts) or NO_LEVEL out.
 *
 * Evidence comes only from a record's level *position* (the JSON level field, the logfmt `level=` pair,
 * the word right after a timestamp, inside the first brackets, before the first colon, …), never from a
 * word somewhere in the message, so `INFO: retrying after error` stays info.
 *
 * Hot path (runs on every line): dispatch on the first character, then `charCodeAt` checks at known
 * offsets. Level words are matched case-insensitively in place (no substring, no `toLowerCase`). The few
 * regexes are sticky, precompiled, and only reached by rare line shapes (paths, `(node:`, `thread '`).
 * The only allocation is on the fallback for lines that still carry ANSI escapes.
 */
import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, TRACE, WARN } from './levels.js';

// ---------------------------------------------------------------------------------------------------
// Level words
// ---------------------------------------------------------------------------------------------------

/** Set by levelWord(): index just after the matched word. */
let wEnd = 0;
/** Set by levelWord(): 1 = all upper case, 2 = all lower case, 3 = mixed (`Error`, `Information`). */
let wCase = 0;
/** Set by levelWord(): a common level word that is also safe capitalised at line start (`Error:`, `Warning:`). */
let wMixedOk = false;
/** Set by levelWord(): one of the core words a logger prints bare before a space (`ERROR in …`, `WARN  x`). */
let wCore = false;

const UPPER = 1;
const LOWER = 2;
const MIXED = 3;

/**
 * charCodeAt that returns -1 past the end. Reading out of bounds (NaN) deoptimises the hot loops in V8,
 * so every read goes through here; the function is small enough to be inlined.
 */
function cc(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}
/** [A-Za-z0-9_] */
function isWord(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

/** Case-insensitive compare of `s` at `p` with lower-case ASCII `w` (the caller knows all are letters). */
function eqf(s: string, p: number, w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    if ((cc(s, p + i) | 0x20) !== w.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Matches a level word at `p` (letters, optionally one digit for DEBUG1-5 / trace1-8). Returns its level,
 * NO_LEVEL for a recognised "no severity" word (GCP DEFAULT), or -1. Sets wEnd, wCase, wMixedOk, wCore.
 */
function levelWord(s: string, p: number): number {
  let e = p;
  let up = 0;
  let low = 0;
  for (;;) {
    const c = cc(s, e);
    if (isUpper(c)) up++;
    else if (isLower(c)) low++;
    else break;
    e++;
    if (e - p > 11) return -1;
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
  wEnd = e;
  wCase = low === 0 ? UPPER : up === 0 ? LOWER : MIXED;
  wMixedOk = false;
  wCore = false;
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
      else if (f === 108 && eqf(s, p, 'log')) return wCase === UPPER && digit < 0 ? INFO : -1; // PostgreSQL LOG
      if (lv !== -1) wCore = true;
      break;
    case 4:
      if (f === 105 && eqf(s, p, 'info')) {
        lv = INFO;
        wCore = wMixedOk = true;
      } else if (f === 119 && eqf(s, p, 'warn')) {
        lv = WARN;
        wCore = wMixedOk = true;
      } else if (f === 101 && (eqf(s, p, 'erro') || eqf(s, p, 'eror')))
        lv = ERROR; // logrus TTY, log15
      else if (f === 102) {
        if (eqf(s, p, 'fata')) lv = FATAL;
        else if (eqf(s, p, 'fine')) lv = DEBUG;
        else if (eqf(s, p, 'fail')) lv = ERROR;
      } else if (f === 112 && eqf(s, p, 'pani')) lv = FATAL;
      else if (f === 100) {
        if (eqf(s, p, 'debu')) lv = DEBUG;
        else if (eqf(s, p, 'dbug')) lv = DEBUG;
      } else if (f === 116) {
        if (eqf(s, p, 'trac')) lv = TRACE;
        else if (eqf(s, p, 'trce')) lv = TRACE;
      } else if (f === 99 && eqf(s, p, 'crit')) lv = FATAL;
      else if (f === 104 && eqf(s, p, 'http')) lv = INFO;
      break;
    case 5:
      if (f === 101) {
        if (eqf(s, p, 'error')) {
          lv = ERROR;
          wCore = wMixedOk = true;
        } else if (eqf(s, p, 'emerg')) lv = FATAL;
      } else if (f === 100 && eqf(s, p, 'debug')) {
        lv = DEBUG;
        wCore = wMixedOk = true;
      } else if (f === 116 && eqf(s, p, 'trace')) {
        lv = TRACE;
        wCore = wMixedOk = true;
      } else if (f === 102) {
        if (eqf(s, p, 'fatal')) {
          lv = FATAL;
          wCore = wMixedOk = true;
        } else if (eqf(s, p, 'finer')) lv = DEBUG;
      } else if (f === 112 && eqf(s, p, 'panic')) {
        lv = FATAL;
        wCore = true;
      } else if (f === 97 && eqf(s, p, 'alert')) lv = FATAL;
      else if (f === 115 && eqf(s, p, 'silly')) lv = TRACE;
      break;
    case 6:
      if (f === 110 && eqf(s, p, 'notice')) {
        lv = INFO;
        wMixedOk = true;
      } else if (f === 115 && eqf(s, p, 'severe')) lv = ERROR;
      else if (f === 102 && eqf(s, p, 'finest')) lv = TRACE;
      else if (f === 99 && eqf(s, p, 'config')) lv = INFO;
      else if (f === 100 && eqf(s, p, 'dpanic')) lv = FATAL;
      break;
    case 7:
      if (f === 119 && eqf(s, p, 'warning')) {
        lv = WARN;
        wCore = wMixedOk = true;
      } else if (f === 118 && eqf(s, p, 'verbose')) {
        lv = DEBUG;
        wMixedOk = true;
      } else if (f === 115 && eqf(s, p, 'success')) lv = INFO;
      else if (f === 100 && eqf(s, p, 'default')) return digit < 0 ? NO_LEVEL : -1; // GCP: no severity
      break;
    case 8:
      if (f === 99 && eqf(s, p, 'critical')) {
        lv = FATAL;
        wCore = true;
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
        wMixedOk = true;
      }
      break;
  }
  if (digit >= 0) {
    // PostgreSQL DEBUG1-5, Apache trace1-8; no other word takes a digit.
    if (lv === DEBUG && n === 5 && digit >= 1 && digit <= 5) return DEBUG;
    if (lv === TRACE && n === 5 && digit >= 1 && digit <= 8) return TRACE;
    return -1;
  }
  return lv;
}

/** Level from a number, by the key it came from. */
const NUM_PINO = 1;
const NUM_PYTHON = 2;
const NUM_SYSLOG = 3;
const NUM_OTEL = 4;

function levelFromNumber(v: number, scale: number): number {
  switch (scale) {
    case NUM_PINO:
      // pino/bunyan 10..60 (a custom level between two bands takes the lower one), GELF/syslog 0..7,
      // Monolog 100..600.
      if (v >= 10 && v < 100) return v >= 60 ? FATAL : v - (v % 10);
      if (v >= 0 && v <= 7) return syslogLevel(v);
      if (v >= 100 && v <= 600) {
        if (v < 200) return DEBUG;
        if (v < 300) return INFO; // 200 INFO, 250 NOTICE
        if (v < 400) return WARN;
        if (v < 500) return ERROR;
        return FATAL; // 500 CRITICAL, 550 ALERT, 600 EMERGENCY
      }
      return NO_LEVEL;
    case NUM_PYTHON:
      if (v <= 0) return NO_LEVEL;
      if (v < 10) return TRACE; // uvicorn/loguru TRACE = 5
      if (v < 20) return DEBUG;
      if (v < 30) return INFO; // loguru SUCCESS = 25
      if (v < 40) return WARN;
      if (v < 50) return ERROR;
      return FATAL;
    case NUM_SYSLOG:
      return v >= 0 && v <= 7 ? syslogLevel(v) : NO_LEVEL;
    case NUM_OTEL:
      if (v < 1 || v > 24) return NO_LEVEL;
      if (v <= 4) return TRACE;
      if (v <= 8) return DEBUG;
      if (v <= 12) return INFO;
      if (v <= 16) return WARN;
      if (v <= 20) return ERROR;
      return FATAL;
  }
  return NO_LEVEL;
}

function syslogLevel(v: number): number {
  if (v <= 2) return FATAL; // emerg, alert, crit
  if (v === 3) return ERROR;
  if (v === 4) return WARN;
  if (v <= 6) return INFO; // notice, info
  return DEBUG;
}

/** Parses the unsigned integer at p (fraction ignored); -1 when there is none. */
function intAt(s: string, p: number): number {
  let v = 0;
  let i = p;
  for (;;) {
    const c = cc(s, i);
    if (!isDigit(c)) break;
    v = v * 10 + (c - 48);
    i++;
    if (i - p > 6) return -1;
  }
  return i === p ? -1 : v;
}

// ---------------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------------

const K_NONE = 0;
const K_LEVEL = 1; // names; numbers on the pino/syslog/Monolog scale
const K_NAME = 2; // names only (status, severityText, level_name)
const K_PYNUM = 3; // Python levelno
const K_SEVERITY = 4; // names; numbers as syslog
const K_OTELNUM = 5; // OpenTelemetry severity number
const K_LOG = 6; // docker json-file "log" string, or ECS "log": {"level": …}
const K_MONGO = 7; // MongoDB "s": "I" | "W" | "E" | "F" | "D1".."D5"

/** Kind of a top-level JSON key, from its characters between ks and ke (exclusive). */
function keyKind(s: string, ks: number, ke: number): number {
  const n = ke - ks;
  const f = cc(s, ks) | 0x20;
  switch (n) {
    case 1:
      return f === 115 ? K_MONGO : K_NONE;
    case 2:
      return cc(s, ks) === 64 && (cc(s, ks + 1) | 0x20) === 108 ? K_LEVEL : K_NONE; // @l
    case 3:
      if (f === 108) {
        if (eqf(s, ks, 'lvl')) return K_LEVEL;
        if (eqf(s, ks, 'log')) return K_LOG;
      }
      return K_NONE;
    case 5:
      return f === 108 && eqf(s, ks, 'level') ? K_LEVEL : K_NONE;
    case 6:
      if (cc(s, ks) === 64 && eqf(s, ks + 1, 'level')) return K_LEVEL; // @level
      if (f === 115 && eqf(s, ks, 'status')) return K_NAME;
      return K_NONE;
    case 7:
      return f === 108 && eqf(s, ks, 'levelno') ? K_PYNUM : K_NONE;
    case 8:
      if (f === 115 && eqf(s, ks, 'severity')) return K_SEVERITY;
      if (f === 108 && eqf(s, ks, 'loglevel')) return K_LEVEL; // loglevel, LogLevel (.NET JSON)
      return K_NONE;
    case 9:
      if (f === 108) {
        if (eqf(s, ks, 'levelname')) return K_NAME;
        if (eqf(s, ks, 'log') && cc(s, ks + 3) === 46 && eqf(s, ks + 4, 'level')) return K_LEVEL; // log.level
        if (eqf(s, ks, 'log') && cc(s, ks + 3) === 95 && eqf(s, ks + 4, 'level')) return K_LEVEL; // log_level
      }
      return K_NONE;
    case 10:
      if (f === 108 && eqf(s, ks, 'level') && cc(s, ks + 5) === 95 && eqf(s, ks + 6, 'name')) return K_NAME;
      return K_NONE;
    case 12:
      return f === 115 && eqf(s, ks, 'severitytext') ? K_NAME : K_NONE;
    case 13:
      if (f === 115 && eqf(s, ks, 'severity') && cc(s, ks + 8) === 95 && eqf(s, ks + 9, 'text')) {
        return K_NAME;
      }
      return K_NONE;
    case 14:
      return f === 115 && eqf(s, ks, 'severitynumber') ? K_OTELNUM : K_NONE;
    case 15:
      if (f === 115 && eqf(s, ks, 'severity') && cc(s, ks + 8) === 95 && eqf(s, ks + 9, 'number')) {
        return K_OTELNUM;
      }
      return K_NONE;
  }
  return K_NONE;
}

/** Index of the closing quote of a JSON string whose content starts at i, or -1. */
function stringEnd(s: string, i: number): number {
  let from = i;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let b = q - 1;
    while (b >= from && cc(s, b) === 92) b--;
    if (((q - 1 - b) & 1) === 0) return q;
    from = q + 1;
  }
}

function skipWs(s: string, i: number): number {
  let c = cc(s, i);
  while (c === 32 || c === 9) c = cc(s, ++i);
  return i;
}

/** Index just after the JSON value at i, or -1 when malformed. */
function skipValue(s: string, i: number): number {
  const c = cc(s, i);
  if (c === 34) {
    const q = stringEnd(s, i + 1);
    return q < 0 ? -1 : q + 1;
  }
  if (c === 123 || c === 91) {
    let depth = 0;
    const len = s.length;
    for (let j = i; j < len; j++) {
      const d = cc(s, j);
      if (d === 34) {
        j = stringEnd(s, j + 1);
        if (j < 0) return -1;
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  for (;;) {
    const d = cc(s, j);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d < 0) return j === i ? -1 : j;
    j++;
  }
}

/** Level in a JSON string value whose content starts at p: the whole string must be the level. */
function levelInString(s: string, p: number, kind: number): number {
  const c = cc(s, p);
  if (kind === K_MONGO) {
    // F/E/W/I, D1..D5
    const c1 = cc(s, p + 1);
    if (c1 === 34) {
      if (c === 73) return INFO;
      if (c === 87) return WARN;
      if (c === 69) return ERROR;
      if (c === 70) return FATAL;
    } else if (c === 68 && c1 >= 49 && c1 <= 53 && cc(s, p + 2) === 34) return DEBUG;
    return -1;
  }
  if (isDigit(c)) {
    if (kind === K_NAME) return -1;
    const v = intAt(s, p);
    const scale = kind === K_PYNUM ? NUM_PYTHON : kind === K_SEVERITY ? NUM_SYSLOG : NUM_PINO;
    const lv = levelFromNumber(v, scale);
    return lv === NO_LEVEL ? -1 : lv;
  }
  const lv = levelWord(s, p);
  if (lv < 0) return -1;
  const e = cc(s, wEnd);
  if (e === 34) return lv;
  // slog "WARN+2", "DEBUG-4"
  if ((e === 43 || e === 45) && isDigit(cc(s, wEnd + 1))) {
    let j = wEnd + 2;
    while (isDigit(cc(s, j))) j++;
    if (cc(s, j) === 34) return lv;
  }
  return -1;
}

/**
 * Walks the keys of the JSON object at i (s[i] === '{'), without parsing: returns the first level found
 * in a level key. top=false is used for ECS `"log": {"level": …}` (only `level` counts there).
 */
function scanObject(s: string, i: number, top: boolean, depth: number): number {
  let logStr = -1;
  i = skipWs(s, i + 1);
  if (cc(s, i) === 125) return NO_LEVEL;
  for (let guard = 0; guard < 512; guard++) {
    if (cc(s, i) !== 34) break;
    const ks = i + 1;
    const ke = stringEnd(s, ks);
    if (ke < 0) break;
    i = skipWs(s, ke + 1);
    if (cc(s, i) !== 58) break;
    i = skipWs(s, i + 1);
    let kind = keyKind(s, ks, ke);
    if (!top && kind !== K_LEVEL) kind = K_NONE;
    if (kind !== K_NONE) {
      const v = cc(s, i);
      if (kind === K_LOG) {
        if (v === 34) logStr = i + 1;
        else if (v === 123) {
          const lv = scanObject(s, i, false, depth);
          if (lv !== NO_LEVEL) return lv;
        }
      } else if (v === 34) {
        const lv = levelInString(s, i + 1, kind);
        if (lv > 0) return lv;
      } else if (isDigit(v) && kind !== K_NAME && kind !== K_MONGO) {
        const scale =
          kind === K_PYNUM
            ? NUM_PYTHON
            : kind === K_SEVERITY
              ? NUM_SYSLOG
              : kind === K_OTELNUM
                ? NUM_OTEL
                : NUM_PINO;
        const lv = levelFromNumber(intAt(s, i), scale);
        if (lv !== NO_LEVEL) return lv;
      }
    }
    i = skipValue(s, i);
    if (i < 0) break;
    i = skipWs(s, i);
    const c = cc(s, i);
    if (c === 44) {
      i = skipWs(s, i + 1);
      continue;
    }
    if (c === 125) {
      // docker json-file: the level comes from the wrapped line
      if (logStr >= 0 && depth === 0) return detectAt(s, logStr, 1);
      return NO_LEVEL;
    }
    break;
  }
  return NO_LEVEL;
}

// ---------------------------------------------------------------------------------------------------
// logfmt
// ---------------------------------------------------------------------------------------------------

/** Set by logfmt(): where the key=value run stopped (start of the first token that is not a pair). */
let lfStop = 0;

/** Is a logfmt key at ks..ke (exclusive) a level key? */
function isLogfmtLevelKey(s: string, ks: number, ke: number): boolean {
  const n = ke - ks;
  const f = cc(s, ks) | 0x20;
  if (f !== 108 && f !== 115) return false;
  if (n === 5) return eqf(s, ks, 'level');
  if (n === 3) return eqf(s, ks, 'lvl');
  if (n === 8) return eqf(s, ks, 'severity') || eqf(s, ks, 'loglevel');
  if (n === 9) return eqf(s, ks, 'log') && (cc(s, ks + 3) === 46 || cc(s, ks + 3) === 95);
  return false;
}

/** Scans `key=value` pairs from p (quoted values honoured) for a level key. */
function logfmt(s: string, p: number): number {
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
        const lv = levelFromNumber(intAt(s, vp), NUM_PINO);
        if (lv !== NO_LEVEL) return lv;
      } else {
        const lv = levelWord(s, vp);
        if (lv > 0) {
          let e = wEnd;
          if (cc(s, e) === 43 || cc(s, e) === 45) {
            e++;
            while (isDigit(cc(s, e))) e++;
          }
          const ec = cc(s, e);
          if (q === 1 ? ec === 34 : ec === 32 || ec === 9 || ec < 0) return lv;
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
  lfStop = i;
  return NO_LEVEL;
}

// ---------------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------------

let tsColon = false;
let tsT = false;

/**
 * Skips a leading timestamp: runs of [0-9-/:.,TZ+] with at most one inner space before a digit
 * (`2024-05-14 09:21:07,412`), and a Kitchen `AM`/`PM`. Sets tsColon / tsT.
 */
function skipTs(s: string, p: number): number {
  tsColon = false;
  tsT = false;
  let spaced = false;
  for (;;) {
    const c = cc(s, p);
    if (isDigit(c) || c === 45 || c === 47 || c === 46 || c === 44 || c === 43) p++;
    else if (c === 58) {
      tsColon = true;
      p++;
    } else if (c === 84 || c === 90) {
      if (c === 84) tsT = true;
      p++;
    } else if ((c === 65 || c === 80) && cc(s, p + 1) === 77 && !isLetter(cc(s, p + 2))) {
      p += 2; // 9:21AM
    } else if (
      isLetter(c) &&
      (cc(s, p - 1) === 45 || cc(s, p - 1) === 47) &&
      isLetter(cc(s, p + 1)) &&
      isLetter(cc(s, p + 2)) &&
      (cc(s, p + 3) === 45 || cc(s, p + 3) === 47)
    ) {
      p += 3; // month name: Tomcat 14-May-2024, PHP-FPM, Django 14/May/2024
    } else if (c === 32 && !spaced && isDigit(cc(s, p + 1)) && !tsT) {
      spaced = true;
      p++;
    } else return p;
  }
}

/** Level word at p with an acceptable delimiter after it, for a word in a fixed position. */
function wordAt(s: string, p: number): number {
  const lv = levelWord(s, p);
  if (lv <= 0) return -1;
  const c = cc(s, wEnd);
  if (wCase === UPPER) {
    if (c === 32 || c === 9 || c === 58 || c === 93 || c < 0) return lv;
    if ((c === 43 || c === 45) && isDigit(cc(s, wEnd + 1))) return lv; // slog WARN+2
    return -1;
  }
  // lower / mixed: only with a hard delimiter (zap lowercase uses a tab)
  if (c === 9 || c === 58) return lv;
  return -1;
}

/** Inside brackets: level word followed by optional spaces and `]`. */
function bracketWord(s: string, p: number): number {
  const lv = levelWord(s, p);
  if (lv <= 0) return -1;
  let e = wEnd;
  while (cc(s, e) === 32) e++;
  return cc(s, e) === 93 ? lv : -1;
}

/** Walks up to three `[..]` / `{..}` groups at p; returns a level from one, or -1 and sets grpStop. */
let grpStop = 0;
function brackets(s: string, p: number): number {
  for (let k = 0; k < 3; k++) {
    const c = cc(s, p);
    if (c === 91) {
      const lv = bracketWord(s, p + 1);
      if (lv > 0) return lv;
      const close = s.indexOf(']', p + 1);
      if (close < 0 || close - p > 128) break;
      // Apache 2.4 [module:level]
      const colon = s.lastIndexOf(':', close);
      if (colon > p) {
        const lv2 = levelWord(s, colon + 1);
        if (lv2 > 0 && wEnd === close) return lv2;
      }
      p = close + 1;
    } else if (c === 123) {
      const close = s.indexOf('}', p + 1);
      if (close < 0 || close - p > 128) break;
      p = close + 1;
    } else break;
    while (cc(s, p) === 32) p++;
  }
  grpStop = p;
  return -1;
}

// ---------------------------------------------------------------------------------------------------
// Line shapes
// ---------------------------------------------------------------------------------------------------

const NODE_WARNING_RE = /\(node:\d+\) (?:\[[\w-]+\] )?(?:[\w.]*Warning|Warning)\b/y;
const PY_WARNING_RE = /(?:<[^>\n]*>|[^\s:]+):\d+: [\w.]*Warning: /y;
const RUBY_UNCAUGHT_RE = /[^\s:]+:\d+:in [`'].*\([A-Z]\w*(?:::[A-Z]\w*)*\)$/y;
const RUST_PANIC_RE = /thread '[^']*' panicked at /y;
const ANSI_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

function sticky(re: RegExp, s: string, p: number): boolean {
  re.lastIndex = p;
  return re.test(s);
}

/** Ends with `Error`/`Exception`/`Throwable` (error) or `Warning` (warn) identifier at s..e, else -1. */
function exceptionSuffix(s: string, ps: number, e: number): number {
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

/**
 * An exception header at p: `TypeError: …`, `java.io.IOException: …`, `org.x.FooException`,
 * `Error [ERR_X]: …`, `Exception in thread "main" …`. Returns ERROR/WARN or -1. Sets xQualified.
 */
let xQualified = false;
function exceptionHeader(s: string, p: number): number {
  let e = p;
  let dot = false;
  let c = cc(s, e);
  while (isWord(c) || c === 36 || c === 46) {
    if (c === 46) dot = true;
    c = cc(s, ++e);
  }
  return exceptionAfter(s, p, e, dot);
}

/** exceptionHeader() for an identifier token already scanned: s[p..e), `dot` if it is qualified. */
function exceptionAfter(s: string, p: number, e: number, dot: boolean): number {
  const c = cc(s, e);
  xQualified = dot;
  if (c === 32 && e - p === 9 && s.startsWith('Exception in thread "', p)) return ERROR;
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

/** Exported for the grouper: is this line the first line of an exception (JS, Python, Java)? */
export function isExceptionHeader(line: string): boolean {
  return exceptionHeader(line, 0) === ERROR;
}
/** Exported for the grouper: a Java-style qualified exception header (`java.io.IOException: …`). */
export function isQualifiedExceptionHeader(line: string): boolean {
  return exceptionHeader(line, 0) === ERROR && xQualified;
}

function letterLed(s: string, p: number): number {
  const c0 = cc(s, p);
  const c1 = cc(s, p + 1);
  // Ruby Logger: "I, [2024-05-14T09:21:07.412345 #1]  INFO -- : …"
  if (c1 === 44 && cc(s, p + 2) === 32 && cc(s, p + 3) === 91) {
    switch (c0) {
      case 68:
        return DEBUG;
      case 73:
        return INFO;
      case 87:
        return WARN;
      case 69:
        return ERROR;
      case 70:
        return FATAL;
    }
    return NO_LEVEL;
  }
  // glog/klog: "I0514 09:21:07.412345       1 main.go:61] …"
  if (
    isDigit(c1) &&
    isDigit(cc(s, p + 2)) &&
    isDigit(cc(s, p + 3)) &&
    isDigit(cc(s, p + 4)) &&
    cc(s, p + 5) === 32
  ) {
    switch (c0) {
      case 73:
        return INFO;
      case 87:
        return WARN;
      case 69:
        return ERROR;
      case 70:
        return FATAL;
    }
    return NO_LEVEL;
  }
  const lv = levelWord(s, p);
  if (lv > 0) {
    const c = cc(s, wEnd);
    if (c === 58) {
      // INFO:name:msg, INFO:     (uvicorn), SEVERE: (JUL), info: (winston, .NET), panic: (Go), error: (cargo)
      if (wCase !== MIXED || wMixedOk) return lv;
    } else if (wCase === UPPER) {
      if ((c === 32 || c === 9) && wCore) return lv; // "ERROR in ./src", "WARN  Deprecated"
      if (c === 91) return lv; // logrus TTY: WARN[0012]
    } else if (wCase === LOWER && c === 91) {
      // rustc/cargo "error[E0425]: …"
      const close = s.indexOf(']', wEnd);
      if (close > 0 && close - wEnd < 16 && cc(s, close + 1) === 58) return lv;
    }
  }
  switch (c0) {
    case 84: // T
      if (s.startsWith('Traceback (most recent call last):', p)) return ERROR;
      break;
    case 116: // t
      if (c1 === 104 && sticky(RUST_PANIC_RE, s, p)) return FATAL;
      break;
    case 102: // f
      if (s.startsWith('fatal error: ', p)) return FATAL; // Go runtime
      break;
    case 80: // P: PHP error log, as Monolog's ErrorHandler maps it
      if (c1 === 72 && s.startsWith('PHP ', p)) {
        if (s.startsWith('Fatal error:', p + 4) || s.startsWith('Parse error:', p + 4)) return FATAL;
        if (s.startsWith('Warning:', p + 4)) return WARN;
        if (s.startsWith('Notice:', p + 4) || s.startsWith('Deprecated:', p + 4)) return INFO;
      }
      break;
    case 110: // n
      if (c1 === 112 && s.startsWith('npm ', p)) {
        if (s.startsWith('error ', p + 4) || s.startsWith('ERR!', p + 4)) return ERROR;
        if (s.startsWith('warn ', p + 4) || s.startsWith('WARN', p + 4)) return WARN;
      }
      break;
  }
  // one scan of the leading token: a logfmt key (`level=`, `time=`) or an exception class name
  let e = p;
  let k = c0;
  let dot = false;
  let ident = true;
  for (;;) {
    if (k === 46) dot = true;
    else if (k === 45 || k === 64) ident = false;
    else if (!(isWord(k) || k === 36)) break;
    k = cc(s, ++e);
  }
  if (k === 61) return logfmt(s, p);
  if (!ident) return NO_LEVEL;
  const x = exceptionAfter(s, p, e, dot);
  return x > 0 ? x : NO_LEVEL;
}

function digitLed(s: string, p: number, depth: number): number {
  // Redis: "1:C 14 May 2024 09:21:07.412 * msg"
  let i = p;
  while (isDigit(cc(s, i))) i++;
  if (cc(s, i) === 58 && cc(s, i + 2) === 32) {
    const role = cc(s, i + 1);
    if (role === 67 || role === 77 || role === 83 || role === 88) return redis(s, i + 3);
  }
  const t = skipTs(s, p);
  if (!tsColon) return NO_LEVEL; // "0 errors", an IP address, a plain number
  const hasT = tsT;
  let q = t;
  while (cc(s, q) === 32 || cc(s, q) === 9) q++;
  // Go net/http recovered panic through the log package (before "http:" reads as winston's level)
  if (cc(s, q) === 104 && s.startsWith('http: panic serving ', q)) return ERROR;
  let lv = wordAt(s, q);
  if (lv > 0) return lv;
  let c = cc(s, q);
  // time zone name or numeric thread id after the timestamp: "UTC [1] LOG:", "0 [Warning]"
  if (isUpper(c) || isDigit(c)) {
    let j = q;
    let d = c;
    while (isUpper(d) || isDigit(d)) d = cc(s, ++j);
    if (d === 32 && j - q <= 6) {
      q = j + 1;
      c = cc(s, q);
    }
  }
  switch (c) {
    case 91: // [ : structlog [info     ], nginx [notice], Go [ERROR], logback [main] INFO, PostgreSQL [1] LOG:
    case 123: {
      lv = brackets(s, q);
      if (lv > 0) return lv;
      lv = wordAt(s, grpStop);
      if (lv > 0) return lv;
      // PostgreSQL '%m [%p] %q%u@%d ': skip the user@db token
      let j = grpStop;
      let d = cc(s, j);
      let at = false;
      while (d >= 0 && d !== 32) {
        if (d === 64) at = true;
        d = cc(s, ++j);
      }
      if (at && j - grpStop < 128) {
        lv = wordAt(s, j + 1);
        if (lv > 0) return lv;
      }
      return NO_LEVEL; // "[1] DETAIL:" is not a level
    }
    case 124: {
      // loguru: "| INFO     | …"
      let r = q + 1;
      while (cc(s, r) === 32) r++;
      lv = levelWord(s, r);
      if (lv > 0) {
        let e = wEnd;
        while (cc(s, e) === 32) e++;
        if (cc(s, e) === 124) return lv;
      }
      return NO_LEVEL;
    }
    case 45: {
      // Python: "- name - LEVEL - msg"; livekit: "- LEVEL name - msg"
      if (cc(s, q + 1) !== 32) break;
      const r = q + 2;
      lv = levelWord(s, r);
      if (lv > 0 && wCase === UPPER && cc(s, wEnd) === 32) return lv;
      let j = r;
      let d = cc(s, j);
      while (d >= 0 && d !== 32) d = cc(s, ++j);
      if (j - r > 0 && j - r < 128 && s.startsWith(' - ', j)) {
        lv = levelWord(s, j + 3);
        if (lv > 0 && wCase === UPPER) {
          const e = cc(s, wEnd);
          if (e === 32 || e === 58) return lv;
        }
      }
      return NO_LEVEL;
    }
  }
  if (isLetter(c) || c === 95) {
    // key=value pairs after the timestamp (Sidekiq "pid=1 tid=x INFO: …", slog-ish)
    let j = q;
    let d = c;
    while (isWord(d) || d === 46 || d === 45) d = cc(s, ++j);
    if (d === 61) {
      lv = logfmt(s, q);
      if (lv > 0) return lv;
      lv = wordAt(s, lfStop);
      if (lv > 0) return lv;
      return NO_LEVEL;
    }
  }
  if (depth === 0 && hasT && q > t) {
    // CRI "<ts> stdout F <line>", or `kubectl logs --timestamps` / `docker logs -t` "<ts> <line>"
    if (
      (s.startsWith('stdout ', q) || s.startsWith('stderr ', q)) &&
      (cc(s, q + 7) === 70 || cc(s, q + 7) === 80) &&
      cc(s, q + 8) === 32
    ) {
      return detectAt(s, q + 9, 1);
    }
    return detectAt(s, q, 1);
  }
  return NO_LEVEL;
}

/** Redis "%d:%c %s %c %s": after the role, skip day, month, year and time; then the mark. */
function redis(s: string, p: number): number {
  let spaces = 0;
  let i = p;
  const len = s.length;
  while (i < len && spaces < 4) {
    if (cc(s, i) === 32) spaces++;
    i++;
  }
  if (spaces < 4 || cc(s, i + 1) !== 32) return NO_LEVEL;
  switch (cc(s, i)) {
    case 46: // .
    case 45: // -
      return DEBUG;
    case 42: // *
      return INFO;
    case 35: // #
      return WARN;
  }
  return NO_LEVEL;
}

function bracketLed(s: string, p: number, depth: number): number {
  // [INFO] msg, [info     ] msg
  let lv = bracketWord(s, p + 1);
  if (lv > 0) return lv;
  const close = s.indexOf(']', p + 1);
  if (close < 0 || close - p > 128) return NO_LEVEL;
  // env_logger "[2024-05-14T09:21:07Z INFO  target]", Celery "[2024-05-14 09:21:07,412: INFO/MainProcess]"
  if (isDigit(cc(s, p + 1))) {
    let t = skipTs(s, p + 1);
    if (cc(s, t) === 32) {
      while (cc(s, t) === 32) t++;
      lv = levelWord(s, t);
      if (lv > 0 && wCase === UPPER) {
        const c = cc(s, wEnd);
        if (c === 32 || c === 93 || c === 47) return lv;
      }
    }
  }
  let r = close + 1;
  while (cc(s, r) === 32) r++;
  // gunicorn "[ts] [1] [INFO]", Apache "[ts] [mpm_event:notice] [pid …]", Airflow "[ts] {file.py:1} INFO"
  lv = brackets(s, r);
  if (lv > 0) return lv;
  r = grpStop;
  // pino-pretty "[09:21:07.412] INFO (7): …", Flask "[ts] ERROR in app: …", PHP-FPM "[ts] NOTICE: …"
  lv = levelWord(s, r);
  if (lv > 0) {
    const c = cc(s, wEnd);
    if (wCase === UPPER && (c === 32 || c === 58)) return lv;
    if (wCase === LOWER && c === 58) return lv;
  }
  // Monolog "[ts] channel.LEVEL: …"
  let j = r;
  let dot = -1;
  let d = cc(s, j);
  while (isWord(d) || d === 46 || d === 45) {
    if (d === 46) dot = j;
    d = cc(s, ++j);
  }
  if (d === 58 && dot > r) {
    lv = levelWord(s, dot + 1);
    if (lv > 0 && wEnd === j) return lv;
  }
  // a prefix such as "[web] " or "[0] " in front of a whole line
  if (depth === 0 && r > close) return detectAt(s, r, 1);
  return NO_LEVEL;
}

function detectAt(s: string, p: number, depth: number): number {
  const c0 = cc(s, p);
  if (isLetter(c0)) return letterLed(s, p);
  if (isDigit(c0)) return digitLed(s, p, depth);
  switch (c0) {
    case 123: // {
      return scanObject(s, p, true, depth);
    case 91: // [
      return bracketLed(s, p, depth);
    case 60: {
      // systemd "<6>Category[0] …"
      const d = cc(s, p + 1);
      if (d >= 48 && d <= 55 && cc(s, p + 2) === 62) return syslogLevel(d - 48);
      if (sticky(PY_WARNING_RE, s, p)) return WARN; // <frozen importlib._bootstrap>:241: RuntimeWarning:
      return NO_LEVEL;
    }
    case 40: // (node:4242) [DEP0040] DeprecationWarning: …
      if (cc(s, p + 1) === 110 && sticky(NODE_WARNING_RE, s, p)) return WARN;
      return NO_LEVEL;
    case 47: // /
    case 46: // .
      if (sticky(PY_WARNING_RE, s, p)) return WARN;
      if (sticky(RUBY_UNCAUGHT_RE, s, p)) return ERROR;
      return NO_LEVEL;
  }
  return NO_LEVEL;
}

/**
 * The level at the record's level position, or NO_LEVEL (the caller applies the stream default).
 * Expects ANSI escapes already removed; a line that still has some is stripped and retried.
 */
export function detectLevel(line: string): number {
  const lv = detectAt(line, 0, 0);
  if (lv !== NO_LEVEL || line.indexOf('\x1b') < 0) return lv;
  return detectAt(line.replace(ANSI_RE, ''), 0, 0);
}
