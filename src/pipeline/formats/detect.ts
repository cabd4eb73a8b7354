/**
 * The one dispatcher: a decoded, ANSI-free line in, a level number (levels.ts) or NO_LEVEL out.
 *
 * Evidence comes only from a record's level *position* as its format family defines it
 * (families.ts): the JSON level field, the logfmt `level=` pair, the token after the timestamp and
 * the header fields that follow it, inside the first brackets, before the first colon, …; never
 * from a word somewhere in the message, so `INFO: retrying after error` stays info.
 *
 * Hot path (runs on every line): dispatch on the first character, then `charCodeAt` checks at known
 * offsets. Level words are matched case-insensitively in place (no substring, no `toLowerCase`).
 * The few regexes are sticky, precompiled per detector, and only reached by rare line shapes.
 */
import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, WARN } from '../levels.js';
import { levelFromNumber, NUM_OTEL, NUM_PINO, NUM_PYTHON, NUM_SYSLOG, syslogLevel } from './alphabet.js';
import { cc, intAt, isDigit, isLetter, isUpper, isWord, skipValue, skipWs, stringEnd } from './chars.js';
import {
  K_LEVEL,
  K_LOG,
  K_MONGO,
  K_NAME,
  K_NONE,
  K_OTELNUM,
  K_PYNUM,
  K_SEVERITY,
  keyKind,
} from './fields.js';
import { HeaderLexer, LOWER, MIXED, UPPER } from './lexer.js';

export class LevelDetector {
  readonly lex = new HeaderLexer();
  readonly #nodeWarning = /\(node:\d+\) (?:\[[\w-]+\] )?(?:[\w.]*Warning|Warning)\b/y;
  readonly #pyWarning = /(?:<[^>\n]*>|[^\s:]+):\d+: [\w.]*Warning: /y;
  readonly #rubyUncaught = /[^\s:]+:\d+:in [`'].*\([A-Z]\w*(?:::[A-Z]\w*)*\)$/y;
  readonly #rustPanic = /thread '[^']*' panicked at /y;
  readonly #ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

  /** Level in a JSON string value whose content starts at p: the whole string must be the level. */
  levelInString(s: string, p: number, kind: number): number {
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
    const lv = this.lex.levelWord(s, p);
    if (lv < 0) return -1;
    const e = cc(s, this.lex.wordEnd);
    if (e === 34) return lv;
    // slog "WARN+2", "DEBUG-4"
    if ((e === 43 || e === 45) && isDigit(cc(s, this.lex.wordEnd + 1))) {
      let j = this.lex.wordEnd + 2;
      while (isDigit(cc(s, j))) j++;
      if (cc(s, j) === 34) return lv;
    }
    return -1;
  }

  /**
   * Walks the keys of the JSON object at i (s[i] === '{'), without parsing: returns the first level found
   * in a level key. top=false is used for ECS `"log": {"level": …}` (only `level` counts there).
   */
  scanObject(s: string, i: number, top: boolean, depth: number): number {
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
            const lv = this.scanObject(s, i, false, depth);
            if (lv !== NO_LEVEL) return lv;
          }
        } else if (v === 34) {
          const lv = this.levelInString(s, i + 1, kind);
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
        if (logStr >= 0 && depth === 0) return this.detectAt(s, logStr, 1);
        return NO_LEVEL;
      }
      break;
    }
    return NO_LEVEL;
  }

  letterLed(s: string, p: number): number {
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
    const lv = this.lex.levelWord(s, p);
    if (lv > 0) {
      const c = cc(s, this.lex.wordEnd);
      if (c === 58) {
        // INFO:name:msg, INFO:     (uvicorn), SEVERE: (JUL), info: (winston, .NET), panic: (Go), error: (cargo)
        if (this.lex.wordCase !== MIXED || this.lex.wordMixedOk) return lv;
      } else if (this.lex.wordCase === UPPER) {
        if ((c === 32 || c === 9) && this.lex.wordCore) return lv; // "ERROR in ./src", "WARN  Deprecated"
        if (c === 91) return lv; // logrus TTY: WARN[0012]
      } else if (this.lex.wordCase === LOWER && c === 91) {
        // rustc/cargo "error[E0425]: …"
        const close = s.indexOf(']', this.lex.wordEnd);
        if (close > 0 && close - this.lex.wordEnd < 16 && cc(s, close + 1) === 58) return lv;
      }
    }
    switch (c0) {
      case 84: // T
        if (s.startsWith('Traceback (most recent call last):', p)) return ERROR;
        break;
      case 116: // t
        if (c1 === 104 && sticky(this.#rustPanic, s, p)) return FATAL;
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
    if (k === 61) return this.lex.logfmt(s, p);
    if (!ident) return NO_LEVEL;
    const x = this.lex.exceptionAfter(s, p, e, dot);
    return x > 0 ? x : NO_LEVEL;
  }

  digitLed(s: string, p: number, depth: number): number {
    // Redis: "1:C 14 May 2024 09:21:07.412 * msg"
    let i = p;
    while (isDigit(cc(s, i))) i++;
    if (cc(s, i) === 58 && cc(s, i + 2) === 32) {
      const role = cc(s, i + 1);
      if (role === 67 || role === 77 || role === 83 || role === 88) return this.redis(s, i + 3);
    }
    const t = this.lex.skipTs(s, p);
    if (!this.lex.tsColon) return NO_LEVEL; // "0 errors", an IP address, a plain number
    const hasT = this.lex.tsT;
    let q = t;
    while (cc(s, q) === 32 || cc(s, q) === 9) q++;
    // Go net/http recovered panic through the log package (before "http:" reads as winston's level)
    if (cc(s, q) === 104 && s.startsWith('http: panic serving ', q)) return ERROR;
    let lv = this.lex.wordAt(s, q);
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
        lv = this.lex.brackets(s, q);
        if (lv > 0) return lv;
        lv = this.lex.wordAt(s, this.lex.groupStop);
        if (lv > 0) return lv;
        // PostgreSQL '%m [%p] %q%u@%d ': skip the user@db token
        let j = this.lex.groupStop;
        let d = cc(s, j);
        let at = false;
        while (d >= 0 && d !== 32) {
          if (d === 64) at = true;
          d = cc(s, ++j);
        }
        if (at && j - this.lex.groupStop < 128) {
          lv = this.lex.wordAt(s, j + 1);
          if (lv > 0) return lv;
        }
        return NO_LEVEL; // "[1] DETAIL:" is not a level
      }
      case 124: {
        // loguru: "| INFO     | …"
        let r = q + 1;
        while (cc(s, r) === 32) r++;
        lv = this.lex.levelWord(s, r);
        if (lv > 0) {
          let e = this.lex.wordEnd;
          while (cc(s, e) === 32) e++;
          if (cc(s, e) === 124) return lv;
        }
        return NO_LEVEL;
      }
      case 45: {
        // Python: "- name - LEVEL - msg"; livekit: "- LEVEL name - msg"
        if (cc(s, q + 1) !== 32) break;
        const r = q + 2;
        lv = this.lex.levelWord(s, r);
        if (lv > 0 && this.lex.wordCase === UPPER && cc(s, this.lex.wordEnd) === 32) return lv;
        let j = r;
        let d = cc(s, j);
        while (d >= 0 && d !== 32) d = cc(s, ++j);
        if (j - r > 0 && j - r < 128 && s.startsWith(' - ', j)) {
          lv = this.lex.levelWord(s, j + 3);
          if (lv > 0 && this.lex.wordCase === UPPER) {
            const e = cc(s, this.lex.wordEnd);
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
        lv = this.lex.logfmt(s, q);
        if (lv > 0) return lv;
        lv = this.lex.wordAt(s, this.lex.logfmtStop);
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
        return this.detectAt(s, q + 9, 1);
      }
      return this.detectAt(s, q, 1);
    }
    return NO_LEVEL;
  }

  /** Redis "%d:%c %s %c %s": after the role, skip day, month, year and time; then the mark. */
  redis(s: string, p: number): number {
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

  bracketLed(s: string, p: number, depth: number): number {
    // [INFO] msg, [info     ] msg
    let lv = this.lex.bracketWord(s, p + 1);
    if (lv > 0) return lv;
    const close = s.indexOf(']', p + 1);
    if (close < 0 || close - p > 128) return NO_LEVEL;
    // env_logger "[2024-05-14T09:21:07Z INFO  target]", Celery "[2024-05-14 09:21:07,412: INFO/MainProcess]"
    if (isDigit(cc(s, p + 1))) {
      let t = this.lex.skipTs(s, p + 1);
      if (cc(s, t) === 32) {
        while (cc(s, t) === 32) t++;
        lv = this.lex.levelWord(s, t);
        if (lv > 0 && this.lex.wordCase === UPPER) {
          const c = cc(s, this.lex.wordEnd);
          if (c === 32 || c === 93 || c === 47) return lv;
        }
      }
    }
    let r = close + 1;
    while (cc(s, r) === 32) r++;
    // gunicorn "[ts] [1] [INFO]", Apache "[ts] [mpm_event:notice] [pid …]", Airflow "[ts] {file.py:1} INFO"
    lv = this.lex.brackets(s, r);
    if (lv > 0) return lv;
    r = this.lex.groupStop;
    // pino-pretty "[09:21:07.412] INFO (7): …", Flask "[ts] ERROR in app: …", PHP-FPM "[ts] NOTICE: …"
    lv = this.lex.levelWord(s, r);
    if (lv > 0) {
      const c = cc(s, this.lex.wordEnd);
      if (this.lex.wordCase === UPPER && (c === 32 || c === 58)) return lv;
      if (this.lex.wordCase === LOWER && c === 58) return lv;
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
      lv = this.lex.levelWord(s, dot + 1);
      if (lv > 0 && this.lex.wordEnd === j) return lv;
    }
    // a prefix such as "[web] " or "[0] " in front of a whole line
    if (depth === 0 && r > close) return this.detectAt(s, r, 1);
    return NO_LEVEL;
  }

  detectAt(s: string, p: number, depth: number): number {
    const c0 = cc(s, p);
    if (isLetter(c0)) return this.letterLed(s, p);
    if (isDigit(c0)) return this.digitLed(s, p, depth);
    switch (c0) {
      case 123: // {
        return this.scanObject(s, p, true, depth);
      case 91: // [
        return this.bracketLed(s, p, depth);
      case 60: {
        // systemd "<6>Category[0] …"
        const d = cc(s, p + 1);
        if (d >= 48 && d <= 55 && cc(s, p + 2) === 62) return syslogLevel(d - 48);
        if (sticky(this.#pyWarning, s, p)) return WARN; // <frozen importlib._bootstrap>:241: RuntimeWarning:
        return NO_LEVEL;
      }
      case 40: // (node:4242) [DEP0040] DeprecationWarning: …
        if (cc(s, p + 1) === 110 && sticky(this.#nodeWarning, s, p)) return WARN;
        return NO_LEVEL;
      case 47: // /
      case 46: // .
        if (sticky(this.#pyWarning, s, p)) return WARN;
        if (sticky(this.#rubyUncaught, s, p)) return ERROR;
        return NO_LEVEL;
    }
    return NO_LEVEL;
  }

  /**
   * The level at the record's level position, or NO_LEVEL (the caller applies the stream default).
   * Expects ANSI escapes already removed; a line that still has some is stripped and retried.
   */
  detect(line: string): number {
    const lv = this.detectAt(line, 0, 0);
    if (lv !== NO_LEVEL || line.indexOf('\x1b') < 0) return lv;
    return this.detectAt(line.replace(this.#ansi, ''), 0, 0);
  }
}

function sticky(re: RegExp, s: string, p: number): boolean {
  re.lastIndex = p;
  return re.test(s);
}
