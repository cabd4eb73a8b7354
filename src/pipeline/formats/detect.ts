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
import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, TRACE, WARN } from '../levels.js';
import { isZoneEnd, toolFraction } from '../source-prefix.js';
import { TimeReader } from '../structured/time.js';
import { podPrefixEnd } from '../structured/time-prefix.js';
import {
  levelFromNumber,
  NUM_OTEL,
  NUM_PINO,
  NUM_PYTHON,
  NUM_SYSLOG,
  severityLetter,
  slogOffsetLevel,
  syslogLevel,
} from './alphabet.js';
import { intAt, skipValue, skipWs, stringEnd } from './chars.js';
import {
  K_APP_SEVERITY,
  K_LEVEL,
  K_LOG,
  K_MONGO,
  K_MYSQL,
  K_NAME,
  K_NONE,
  K_OTELNUM,
  K_PYNUM,
  K_SEVERITY,
  K_STATUS,
  keyKind,
} from './fields.js';
import {
  BODY_START_SHIFT,
  FIRST_WORD_NOT_KEY,
  HEADER_TIME_END_SHIFT,
  HeaderLexer,
  LOWER,
  MIXED,
  NO_HEADER_TIME,
  slogOffset,
  UPPER,
} from './lexer.js';
import { PG_CONTINUATION_RE } from './traces.js';

export class LevelDetector extends HeaderLexer {
  readonly #nodeWarning = /\(node:\d+\) (?:\[[\w-]+\] )?(?:[\w.]*Warning|Warning)\b/y;
  readonly #pyWarning = /(?:<[^>\n]*>|[^\s:]+):\d+: [\w.]*Warning: /y;
  /**
   * BSD syslog (RFC 3164) without PRI, then the daemon's own severity prefix right after `tag[pid]: `
   * (postfix msg(3) `warning:`/`error:`/`fatal:`/`panic:`, OpenSSH log.c `error:`/`fatal:`, Dovecot
   * `imap(user): Error:` after one sub-process token)
   */
  /** NestJS ConsoleLogger: "[Nest] pid  - <locale date>   LEVEL [Context] msg" */
  readonly #nest = /\[Nest\] \d+ +- [^[]{1,48}? +(LOG|ERROR|WARN|DEBUG|VERBOSE|FATAL) \[/y;
  readonly #bsdSeverity =
    /(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \S+ [^\s:]+: (?:[^\s:]+: )?(warning|Warning|error|Error|fatal|Fatal|panic|Panic): /y;
  readonly #rubyUncaught = /[^\s:]+:\d+:in [`'].*\([A-Z]\w*(?:::[A-Z]\w*)*\)$/y;
  readonly #rustPanic = /thread '[^']*'(?: \(\d+\))? panicked at /y;
  readonly #ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
  /** reads a line's leading ISO 8601 time (isoHeader()); it keeps the last second and minute read */
  readonly #time = new TimeReader();
  /**
   * detect(): the epoch ms of the line's leading ISO 8601 date-time, read while skipping it (NaN when
   * none was read so); its end is in lineFacts (HEADER_TIME_END_SHIFT)
   */
  headerTime = Number.NaN;
  /**
   * whether detect() reads a leading ISO time for the structured reader (isoHeader()); off, it only
   * skips it (skipTs()): with reading off, reading the time measured 20–150 ns a line more in the
   * lane than skipping it
   */
  readsHeaderTime = false;

  /**
   * Level in a JSON string value whose content starts at p: the whole string must be the level.
   * `ks`: where its key starts (a small number's scale may depend on the key: smallLevel), -1 if not known.
   */
  levelInString(s: string, p: number, kind: number, ks = -1): number {
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
      if (kind === K_NAME || kind === K_STATUS) return -1;
      if (kind === K_APP_SEVERITY && !besideFacility(s)) return -1;
      const v = intAt(s, p);
      const scale =
        kind === K_PYNUM
          ? NUM_PYTHON
          : kind === K_SEVERITY || kind === K_APP_SEVERITY
            ? NUM_SYSLOG
            : NUM_PINO;
      const lv = v >= 0 && v <= 7 && scale === NUM_PINO ? smallLevel(s, v, ks) : levelFromNumber(v, scale);
      return lv === NO_LEVEL ? -1 : lv;
    }
    const lv = this.levelWord(s, p);
    if (lv < 0) {
      // NestJS ConsoleLogger's JSON mode writes its info level as "log" (levelWord takes only PostgreSQL's LOG)
      if ((c | 0x20) === 108 && this.wordEnd === p + 3 && cc(s, p + 3) === 34 && eqfLog(s, p)) return INFO;
      // zap's name of a level it has no word for, "Level(-2)": logr's V(2) and above through zapr
      // (controller-runtime, Kubernetes operators), more verbose than debug
      return c === 76 && this.wordEnd === p + 5 && cc(s, p + 5) === 40 ? zapLevel(s, p + 6) : -1;
    }
    const e = cc(s, this.wordEnd);
    if (e === 34) return lv;
    // slog "WARN+2", "DEBUG-4": the offset moves the level on slog's scale
    if ((e === 43 || e === 45) && isDigit(cc(s, this.wordEnd + 1))) {
      let j = this.wordEnd + 2;
      while (isDigit(cc(s, j))) j++;
      if (cc(s, j) === 34) return slogOffsetLevel(lv, slogOffset(s, this.wordEnd));
    }
    return -1;
  }

  /**
   * Walks the keys of the JSON object at i (s[i] === '{'), without parsing: returns the first level found
   * in a level key. top=false is used for ECS `"log": {"level": …}` (only `level` counts there).
   */
  scanObject(s: string, i: number, top: boolean, depth: number): number {
    let logStr = -1;
    // Datadog's `status`: the level only when no level key is in the record (K_STATUS)
    let statusLevel = NO_LEVEL;
    let levelKey = false;
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
        } else if (kind === K_MYSQL) {
          const lv = isDigit(v) ? mysqlPriority(s, intAt(s, i)) : NO_LEVEL;
          if (lv !== NO_LEVEL) return lv;
        } else if (kind === K_STATUS) {
          if (v === 34 && statusLevel === NO_LEVEL) {
            const lv = this.levelInString(s, i + 1, kind);
            if (lv > 0) statusLevel = lv;
          }
        } else {
          // a level key of the record's own, whatever its value (`"level": "castle"`, `null`, an object)
          if (kind !== K_MONGO) levelKey = true;
          if (v === 34) {
            const lv = this.levelInString(s, i + 1, kind, ks);
            if (lv > 0) return lv;
          } else if (v === 123 && kind === K_LEVEL) {
            // log4js' logEvent as JSON: `"level": {"level": 20000, "levelStr": "INFO", "colour": …}`
            const e = skipValue(s, i);
            const p = s.indexOf('"levelStr":"', i);
            if (e > 0 && p > i && p < e) {
              const lv = this.levelInString(s, p + 12, K_NAME);
              if (lv > 0) return lv;
            }
          } else if (
            isDigit(v) &&
            kind !== K_NAME &&
            kind !== K_MONGO &&
            (kind !== K_APP_SEVERITY || besideFacility(s))
          ) {
            const scale =
              kind === K_PYNUM
                ? NUM_PYTHON
                : kind === K_SEVERITY || kind === K_APP_SEVERITY
                  ? NUM_SYSLOG
                  : kind === K_OTELNUM
                    ? NUM_OTEL
                    : NUM_PINO;
            const v = intAt(s, i);
            const lv =
              v >= 0 && v <= 7 && scale === NUM_PINO ? smallLevel(s, v, ks) : levelFromNumber(v, scale);
            if (lv !== NO_LEVEL) return lv;
          }
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
        if (statusLevel !== NO_LEVEL && !levelKey) return statusLevel;
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
      return severityLetter(c0);
    }
    // CUPS' error_log: "E [14/May/2024:09:21:07 +0000] …" (its letters: D I N W E C A X)
    if (c1 === 32 && cc(s, p + 2) === 91 && isDigit(cc(s, p + 3)) && cc(s, p + 5) === 47)
      return cupsLetter(c0);
    // glog/klog: "I0514 09:21:07.412345       1 main.go:61] …"; CockroachDB's crdb-v1/v2 add the year:
    // "W240514 09:21:07.412345 78 server/x.go:300 ⋮ [n1] …"; glog since google/glog#530 the full year: "I20240514 …"
    if (
      isDigit(c1) &&
      isDigit(cc(s, p + 2)) &&
      isDigit(cc(s, p + 3)) &&
      isDigit(cc(s, p + 4)) &&
      (cc(s, p + 5) === 32 ||
        (isDigit(cc(s, p + 5)) &&
          isDigit(cc(s, p + 6)) &&
          (cc(s, p + 7) === 32 || (isDigit(cc(s, p + 7)) && isDigit(cc(s, p + 8)) && cc(s, p + 9) === 32))))
    ) {
      return c0 === 68 ? NO_LEVEL : severityLetter(c0); // glog's letters are I, W, E, F only
    }
    const lv = this.levelWord(s, p);
    if (lv > 0) {
      const c = cc(s, this.wordEnd);
      // Windows Event Viewer's tab-separated export: "Error<TAB>1/2/2024 3:04:07 PM<TAB>source…"
      if (c === 9 && isDigit(cc(s, this.wordEnd + 1))) return lv;
      if (c === 58) {
        // INFO:name:msg, INFO:     (uvicorn), SEVERE: (JUL), info: (winston, .NET), panic: (Go), error: (cargo)
        if (this.wordCase !== MIXED || this.wordMixedOk) return lv === FATAL ? ansibleFatal(s, p, lv) : lv;
      } else if (this.wordCase === UPPER) {
        if ((c === 32 || c === 9) && this.wordCore) return lv; // "ERROR in ./src", "WARN  Deprecated"
        if (c === 91) return lv; // logrus TTY: WARN[0012]
      } else if (this.wordCase === LOWER && c === 91) {
        // rustc/cargo "error[E0425]: …"
        const close = s.indexOf(']', this.wordEnd);
        if (close > 0 && close - this.wordEnd < 16 && cc(s, close + 1) === 58) return lv;
      }
      if (c === 33 || c === 32) {
        const cli = cliPrefix(s, p, this.wordEnd, lv, this.wordCase, this.wordCore);
        if (cli > 0) return cli;
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
    if (k === 61) return this.logfmt(s, p);
    const k1 = cc(s, e + 1);
    // the line's first word (the leading token's characters are key characters or `$`): no `key=`;
    // a header time may follow a capitalised word, a host before an access log's client
    // (`example.com 10.0.0.1 - - [`, `example.com:443 …`, `fe80::1 - - [`), a word before ISO 8601
    // or S3's bucket owner (structured/header-time.ts lowerLed)
    if (p === 0 && k !== 47)
      this.lineFacts =
        (k === 32 && isUpper(c0) && (e === 3 || isUpper(c1))) ||
        (k === 32
          ? (dot && (isDigit(k1) || k1 === 58)) ||
            (isDigit(k1) && cc(s, e + 5) === 45) || // AWS ALB's `http 2024-05-14T…`
            e - p === 64 || // S3's bucket owner (64 hex digits) before its access log
            ((k1 === 32 || k1 === 124) && composeBar(s, e)) // docker compose's `web-1  | `
          : k === 58 && (dot || isDigit(k1) || k1 === 58))
          ? FIRST_WORD_NOT_KEY
          : FIRST_WORD_NOT_KEY | NO_HEADER_TIME;
    // the rarer header shapes that open with a name, kept out of this function so that it stays small
    // enough for V8 to inline the word readers into it; a word and then a word (plain text) skips them
    if (k !== 32 || k1 === 32 || k1 === 58 || k1 === 124 || isDigit(k1) || c0 === 85) {
      const named = this.namedHeader(s, p, e, k, c0);
      if (named !== NO_LEVEL) return named;
    }
    if (!ident) return NO_LEVEL;
    const x = this.exceptionAfter(s, p, e, dot);
    return x > 0 ? x : NO_LEVEL;
  }

  /**
   * Headers that open with a name (letterLed's leading token s[p..e), stopped at k): logcat brief,
   * a name and a colon before the level, a Ruby crash at a relative path, .NET's unhandled
   * exception, a file or process name before the timestamp. NO_LEVEL when none applies.
   */
  namedHeader(s: string, p: number, e: number, k: number, c0: number): number {
    // docker compose logs: `web-1  | ` before the service's own line, whose level it is
    if (p === 0 && k === 32 && composeBar(s, e)) {
      let j = e;
      while (cc(s, j) === 32) j++;
      // the service's own line starts after the bar (for the grouper: BODY_START_SHIFT); a name in
      // lower case, as the structured reader takes it (`Total  | 42 rows` is a table's line)
      if (c0 >= 97 && c0 <= 122) this.lineFacts |= (j + 2) << BODY_START_SHIFT;
      return this.detectAt(s, j + 2, 1);
    }
    if (e === p + 3 && k === 32 && isUpper(c0)) {
      this.#bsdSeverity.lastIndex = p;
      const m = this.#bsdSeverity.exec(s);
      if (m !== null) {
        const w = (m[1] ?? '').charCodeAt(0) | 32;
        return w === 119 ? WARN : w === 101 ? ERROR : FATAL;
      }
    }
    if (k === 47 && e === p + 1) {
      const lc = logcatTagged(s, p); // logcat -v brief: "D/WindowManager( 1702): …"
      if (lc > 0) return lc;
    }
    // a file or process name, or an alert tag, before the timestamp: OpenStack
    // "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO …", BGL "KERNDTLB 1118536327 …"
    // a name, padding, a colon, then the level: dmesg --decode "kern  :err   : [    9.012333] msg"
    // (level colon-terminated too); Python cookbook "%(name)-12s: %(levelname)-8s %(message)s"
    if (k === 32 || k === 58) {
      let j = e;
      while (cc(s, j) === 32) j++;
      if (cc(s, j) === 58 && j - e < 16) {
        let w = j + 1;
        while (cc(s, w) === 32) w++;
        const lv = this.levelWord(s, w);
        if (lv > 0) {
          let t = this.wordEnd;
          const upper = this.wordCase === UPPER;
          while (cc(s, t) === 32) t++;
          if (cc(s, t) === 58 || (upper && w > j + 1 && t > this.wordEnd)) return lv;
        }
      }
    }
    // Ruby uncaught exception at a relative path: "app.rb:2:in `/': divided by 0 (ZeroDivisionError)"
    if (k === 58 && isDigit(cc(s, e + 1)) && sticky(this.#rubyUncaught, s, p)) return ERROR;
    // .NET runtime: "Unhandled exception. System.IO.FileNotFoundException: …" ends the process
    if (c0 === 85 && s.startsWith('Unhandled exception. ', p)) return FATAL;
    let f = e;
    let fk = k;
    while (fk > 32 && f - p < 96) fk = cc(s, ++f);
    if (fk === 32 && isDigit(cc(s, f + 1)) && prefixToken(s, p, f)) return this.digitLed(s, f + 1, 1);
    return NO_LEVEL;
  }

  digitLed(s: string, p: number, depth: number): number {
    // Redis: "1:C 14 May 2024 09:21:07.412 * msg"
    let i = p;
    while (isDigit(cc(s, i))) i++;
    if (cc(s, i) === 58 && cc(s, i + 2) === 32) {
      const role = cc(s, i + 1);
      if (role === 67 || role === 77 || role === 83 || role === 88) return this.redis(s, i + 3);
    }
    // the line's own ISO time read once, here, for both: skipped, and kept for the reader
    let t = p === 0 && this.readsHeaderTime ? this.isoHeader(s, 0) : -1;
    if (t < 0) t = this.skipTs(s, p);
    // MariaDB "2024-05-14  9:21:07": the hour padded with a space (kept out of skipTs, which is hot)
    if (
      !this.tsColon &&
      cc(s, t) === 32 &&
      cc(s, t + 1) === 32 &&
      isDigit(cc(s, t + 2)) &&
      cc(s, t + 3) === 58
    ) {
      const dateDigits = this.tsDigits;
      t = this.skipTs(s, t + 2);
      this.tsDigits += dateDigits;
    }
    // "0 errors", an IP address or a plain number is no timestamp; a time of day, a compact date
    // (`081109 203615`) or an epoch (`1117838570`) is: without a colon, 10+ digits led by 6+
    if (!this.tsColon && (this.tsDigits < 10 || i - p < 6)) return NO_LEVEL;
    const hasT = this.tsT;
    // `kubectl logs --timestamps` / `docker logs -t`: an RFC 3339 time (a `T`, a zone) and a space
    // before the container's line, which starts after it (for the grouper: BODY_START_SHIFT); the
    // time's characters were read above, its end's are looked at again. Only a tool's time, of 7
    // fraction digits or more (source-prefix.ts toolFraction()): an app's own ISO header
    // (milliseconds, microseconds) is no prefix, and such a line pays nothing more here nor in the
    // grouper (measured: every ISO-timestamped line read as a possible prefix cost ~35–60 CPU ns in
    // the lane, structured reading on or off)
    if (
      hasT &&
      p === 0 &&
      depth === 0 &&
      t >= 28 &&
      cc(s, 10) === 84 &&
      (cc(s, t) === 32 || t === s.length) &&
      toolFraction(s, 0, t)
    ) {
      if (isZoneEnd(s, t)) this.lineFacts |= (t < s.length ? t + 1 : t) << BODY_START_SHIFT;
    }
    let q = t;
    while (cc(s, q) === 32 || cc(s, q) === 9) q++;
    // a numeric zone after the time: Fluentd "2024-05-14 09:21:07 +0000 [info]: …"
    if ((cc(s, q) === 43 || cc(s, q) === 45) && isDigit(cc(s, q + 1)) && isDigit(cc(s, q + 4))) {
      q += 5;
      if (cc(s, q) === 58) q += 3;
      while (cc(s, q) === 32) q++;
    }
    const afterTs = q;
    // Go net/http recovered panic through the log package (before "http:" reads as winston's level)
    if (cc(s, q) === 104 && s.startsWith('http: panic serving ', q)) return ERROR;
    let lv = this.wordAt(s, q);
    if (lv > 0) return lv;
    // PostgreSQL under any log_line_prefix (pgBadger's '%t [%p]: [%l-1] user=%u,db=%d ', RDS's
    // '%t:%r:%u@%d:[%p]:'): %t and %m print the zone, and the server writes "SEVERITY:  message"
    if (isUpper(cc(s, q)) && isUpper(cc(s, q + 1)) && isUpper(cc(s, q + 2))) {
      lv = this.pgSeverity(s, q);
      if (lv !== -1) return lv;
    }
    // MongoDB before 4.4: "ISO8601 S  COMPONENT [context] msg", S one of F E W I D1-D5
    if (hasT && isUpper(cc(s, q))) {
      lv = mongoLegacySeverity(s, q);
      if (lv > 0) return lv;
    }
    // Telegraf (InfluxData's wrapper of Go's log): "2024-05-14T09:21:07Z E! [outputs.influxdb] …",
    // its T! D! I! W! E! letters (https://docs.influxdata.com/telegraf/v1/configuration/#agent)
    if (cc(s, q + 1) === 33 && cc(s, q + 2) === 32 && isUpper(cc(s, q))) {
      lv = cc(s, q) === 84 ? TRACE : severityLetter(cc(s, q));
      if (lv > 0) return lv;
    }
    // fields before the level, unless brackets, a bar or a dash come first (their own shapes below)
    let c = cc(s, q);
    if (c !== 91 && c !== 123 && c !== 124 && c !== 45) {
      q = this.headerFields(s, q);
      if (this.fieldLevel !== NO_LEVEL) return this.fieldLevel;
      c = cc(s, q);
    }
    switch (c) {
      case 91: // [ : structlog [info     ], nginx [notice], Go [ERROR], logback [main] INFO, PostgreSQL [1] LOG:
      case 123: {
        lv = this.brackets(s, q);
        if (lv > 0) return lv;
        lv = this.wordAt(s, this.groupStop);
        if (lv > 0) return lv;
        // Jenkins (java.util.logging SupportLogFormatter): "ts [id=50]<TAB>SEVERE<TAB>logger#method: msg"
        if (cc(s, this.groupStop) === 9) {
          lv = this.levelWord(s, this.groupStop + 1);
          if (lv > 0 && this.wordCase === UPPER && cc(s, this.wordEnd) === 9) return lv;
        }
        // ClickHouse: "ts [ tid ] {query_id} <Error> logger: msg" — the level in angle brackets
        if (cc(s, this.groupStop) === 60) {
          lv = this.levelWord(s, this.groupStop + 1);
          if (lv > 0 && cc(s, this.wordEnd) === 62) return lv;
        }
        // ZooKeeper 3.5+: "ts [myid:1] - LEVEL [thread] - msg"
        if (cc(s, this.groupStop) === 45 && cc(s, this.groupStop + 1) === 32) {
          lv = this.wordAt(s, this.groupStop + 2);
          if (lv > 0 && this.wordCase === UPPER) return lv;
        }
        // PostgreSQL '%m [%p] %q%u@%d ': skip the user@db token
        let j = this.groupStop;
        let d = cc(s, j);
        let at = false;
        while (d >= 0 && d !== 32) {
          if (d === 64) at = true;
          d = cc(s, ++j);
        }
        if (at && j - this.groupStop < 128) {
          lv = this.wordAt(s, j + 1);
          if (lv > 0) return lv;
        }
        return NO_LEVEL; // "[1] DETAIL:" is not a level
      }
      case 124: {
        // loguru: "| INFO     | …"
        let r = q + 1;
        while (cc(s, r) === 32) r++;
        lv = this.levelWord(s, r);
        if (lv > 0) {
          let e = this.wordEnd;
          while (cc(s, e) === 32) e++;
          if (cc(s, e) === 124) return lv;
        }
        return NO_LEVEL;
      }
      case 45: {
        // Python: "- name - LEVEL - msg"; livekit: "- LEVEL name - msg"
        if (cc(s, q + 1) !== 32) break;
        const r = q + 2;
        lv = this.levelWord(s, r);
        if (lv > 0 && this.wordCase === UPPER && cc(s, this.wordEnd) === 32) return lv;
        let j = r;
        let d = cc(s, j);
        while (d >= 0 && d !== 32) d = cc(s, ++j);
        if (j - r > 0 && j - r < 128 && s.startsWith(' - ', j)) {
          lv = this.levelWord(s, j + 3);
          if (lv > 0 && this.wordCase === UPPER) {
            const e = cc(s, this.wordEnd);
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
        lv = this.logfmt(s, q);
        if (lv > 0) return lv;
        const stop = this.logfmtStop;
        lv = this.wordAt(s, stop);
        if (lv > 0) return lv;
        const sc = cc(s, stop);
        // Elixir Logger "$time $metadata[$level] $message": metadata pairs, then the bracketed level
        if (sc === 91) return Math.max(this.brackets(s, stop), NO_LEVEL);
        // Ansible's log_path file "asctime p=pid u=user n=ansible | message": the display's own line
        if (sc === 124 && cc(s, stop + 1) === 32 && depth === 0) return this.detectAt(s, stop + 2, 1);
        // Ansible ≥ 2.19 adds the level: "… n=ansible WARNING| message"
        lv = this.levelWord(s, stop);
        if (lv > 0 && this.wordCase === UPPER && cc(s, this.wordEnd) === 124) return lv;
        return NO_LEVEL;
      }
      // BIND's print-category and print-severity: "time category: severity: message"
      if (d === 58 && cc(s, j + 1) === 32) {
        lv = severityColon(this, s, j + 2);
        if (lv > 0) return lv;
      }
    }
    // Gitea "date time file:line:func() [E] msg": the caller, then the level letter in brackets
    if (c !== 91) {
      lv = callerLetter(s, q);
      if (lv > 0) return lv;
    }
    q = afterTs;
    // also one level down: after `kubectl logs --prefix`'s `[pod/…] ` or compose's `web-1  | ` with
    // their timestamps (`--prefix --timestamps`, `compose logs -t`)
    if (depth <= 1 && hasT && q > t) {
      // CRI "<ts> stdout F <line>", or `kubectl logs --timestamps` / `docker logs -t` "<ts> <line>"
      if (
        (s.startsWith('stdout ', q) || s.startsWith('stderr ', q)) &&
        (cc(s, q + 7) === 70 || cc(s, q + 7) === 80) &&
        cc(s, q + 8) === 32
      ) {
        return this.detectAt(s, q + 9, depth + 1);
      }
      return this.detectAt(s, q, depth + 1);
    }
    return NO_LEVEL;
  }

  /** headerFields(): the level found among the fields, or NO_LEVEL */
  fieldLevel = NO_LEVEL;

  /**
   * The fields a header may carry between its timestamp and its level (families.ts): a padded level
   * column, logcat's `P/tag(pid):`, pid and tid
   * numbers (OpenStack, HDFS, logcat threadtime), node and location ids and a second timestamp (Blue
   * Gene/L), a zone name, and at most three upper-case subsystem tokens (BGL `RAS KERNEL`, `NULL RAS MMCS`). Sets
   * fieldLevel to the first level token after them; returns where the walk stopped (the first token
   * that is none of these), for the bracket, `|`, `-` and `key=value` shapes.
   */
  headerFields(s: string, p: number): number {
    this.fieldLevel = NO_LEVEL;
    // a level column padded with spaces, in any case (Windows CBS "2016-09-28 04:30:30, Info     CBS")
    const padded = this.levelWord(s, p);
    if (padded > 0 && (this.wordCore || this.wordMixedOk) && s.startsWith('  ', this.wordEnd)) {
      this.fieldLevel = padded;
      return p;
    }
    // logcat -v time: "03-17 16:13:38.811 D/WindowManager( 1702): …"
    if (cc(s, p + 1) === 47) {
      const lc = logcatTagged(s, p);
      if (lc > 0) {
        this.fieldLevel = lc;
        return p;
      }
    }
    let q = p;
    let numbers = 0;
    let subsystems = 0;
    for (let k = 0; k < 8; k++) {
      const c = cc(s, q);
      if (k > 0) {
        const lv = this.wordAt(s, q);
        if (lv > 0) {
          this.fieldLevel = lv;
          return q;
        }
        // logcat threadtime: "03-17 16:13:38.811  1702  2395 D WindowManager: …"
        if (numbers > 0 && cc(s, q + 1) === 32) {
          const lc = logcatLevel(c);
          if (lc > 0) {
            this.fieldLevel = lc;
            return q;
          }
        }
      }
      let j = q;
      let d = c;
      let digits = 0;
      let upper = 0;
      let lower = 0;
      while (d > 32) {
        if (isDigit(d)) digits++;
        else if (isUpper(d)) upper++;
        else if (d >= 97 && d <= 122) lower++;
        else if (d !== 45 && d !== 58 && d !== 46 && d !== 95 && d !== 47) return q;
        d = cc(s, ++j);
        if (j - q > 40) return q;
      }
      if (d !== 32 && d !== 9) return q;
      if (digits > 0 || (lower === 0 && upper > 0 && j - q > upper)) {
        // a number, or an id: digits, or upper case with separators (BGL "UNKNOWN_LOCATION")
        if (upper + lower === 0) numbers++;
        subsystems = 0; // only the tokens right before the level count (BGL "NULL … NULL RAS MMCS ERROR")
      } else if (lower === 0 && upper >= 2 && upper <= 10 && subsystems < 3) subsystems++;
      else return q;
      q = j;
      while (cc(s, q) === 32 || cc(s, q) === 9) q++;
    }
    return q;
  }

  /**
   * PostgreSQL's "SEVERITY:  message" (elog.c writes two spaces after the colon) after a prefix that
   * starts at p: its level, NO_LEVEL for DETAIL/HINT/STATEMENT/CONTEXT/QUERY/LOCATION, -1 if absent.
   */
  pgSeverity(s: string, p: number): number {
    const colon = s.indexOf(':  ', p);
    if (colon < 0 || colon - p > 320) return -1;
    let w = colon;
    while (isUpper(cc(s, w - 1)) || isDigit(cc(s, w - 1))) w--;
    const before = cc(s, w - 1);
    if (w === colon || (before !== 32 && before !== 58 && before !== 93)) return -1;
    const lv = this.levelWord(s, w);
    if (lv > 0) return this.wordEnd === colon ? lv : -1;
    return PG_CONTINUATION_RE.test(s.slice(w, colon + 3)) ? NO_LEVEL : -1;
  }

  /**
   * Erlang/OTP's report header (logger_formatter `legacy_header`, error_logger_tty_h, SASL):
   * "=LEVEL REPORT==== date ===". LEVEL is a logger level, or a SASL report type: CRASH and
   * SUPERVISOR reports are errors, PROGRESS reports info.
   */
  erlangReport(s: string, p: number): number {
    let lv = this.levelWord(s, p + 1);
    if (lv < 0) {
      if (s.startsWith('CRASH', p + 1)) {
        lv = ERROR;
        this.wordEnd = p + 6;
      } else if (s.startsWith('SUPERVISOR', p + 1)) {
        lv = ERROR;
        this.wordEnd = p + 11;
      } else if (s.startsWith('PROGRESS', p + 1)) {
        lv = INFO;
        this.wordEnd = p + 9;
      } else return NO_LEVEL;
    }
    return lv > 0 && s.startsWith(' REPORT====', this.wordEnd) ? lv : NO_LEVEL;
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
    let lv = this.bracketWord(s, p + 1);
    if (lv > 0) return lv;
    // logcat -v long: "[ 05-14 09:21:07.412  1702: 2395 I/ActivityManager ]", the message on the next lines
    if (cc(s, p + 1) === 32 && isDigit(cc(s, p + 2))) {
      lv = logcatLongHeader(s, p);
      if (lv > 0) return lv;
    }
    const close = s.indexOf(']', p + 1);
    if (close < 0 || close - p > 128) return NO_LEVEL;
    // Ansible's display: "[DEPRECATION WARNING]: …" (its "[WARNING]: " and "[ERROR]: " are read above)
    if (cc(s, p + 1) === 68 && close === p + 20 && s.startsWith('[DEPRECATION WARNING]:', p)) return WARN;
    // env_logger "[2024-05-14T09:21:07Z INFO  target]", Celery "[2024-05-14 09:21:07,412: INFO/MainProcess]"
    if (isDigit(cc(s, p + 1))) {
      let t = p === 0 && this.readsHeaderTime ? this.isoHeader(s, 1) : -1;
      if (t < 0) t = this.skipTs(s, p + 1);
      if (cc(s, t) === 32) {
        while (cc(s, t) === 32) t++;
        lv = this.levelWord(s, t);
        if (lv > 0 && this.wordCase === UPPER) {
          const c = cc(s, this.wordEnd);
          if (c === 32 || c === 93 || c === 47) return lv;
        }
      }
    }
    let r = close + 1;
    while (cc(s, r) === 32) r++;
    // GlusterFS "[ts] E [MSGID: 106187] [file.c:4580:func] …": one letter, T D I W E C, then brackets
    if (cc(s, r + 1) === 32 && cc(s, r + 2) === 91 && isDigit(cc(s, p + 1))) {
      lv = oneLetterLevel(cc(s, r));
      if (lv > 0) return lv;
    }
    // gunicorn "[ts] [1] [INFO]", Apache "[ts] [mpm_event:notice] [pid …]", Airflow "[ts] {file.py:1} INFO"
    lv = this.brackets(s, r);
    if (lv > 0) return lv;
    r = this.groupStop;
    // pino-pretty "[09:21:07.412] INFO (7): …", Flask "[ts] ERROR in app: …", PHP-FPM "[ts] NOTICE: …"
    lv = this.levelWord(s, r);
    if (lv > 0) {
      const c = cc(s, this.wordEnd);
      if (this.wordCase === UPPER && (c === 32 || c === 58)) return lv;
      if (this.wordCase === LOWER && c === 58) return lv;
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
      lv = this.levelWord(s, dot + 1);
      if (lv > 0 && this.wordEnd === j) return lv;
    }
    // a program and its pid after a bracketed time, then the severity: Unbound
    // "[1715678467] unbound[812:0] error: …" (name[pid] as BSD syslog tags are written)
    if (d === 91 && j > r && isDigit(cc(s, j + 1))) {
      let k = j + 1;
      while (isDigit(cc(s, k)) || cc(s, k) === 58) k++;
      if (cc(s, k) === 93) {
        if (cc(s, k + 1) === 58) k++;
        if (cc(s, k + 1) === 32) {
          lv = severityColon(this, s, k + 2);
          if (lv > 0) return lv;
        }
      }
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
      case 45: // Blue Gene/L, Thunderbird: "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 … RAS KERNEL INFO …"
        return cc(s, p + 1) === 32 && isDigit(cc(s, p + 2)) && depth === 0
          ? this.digitLed(s, p + 2, 1)
          : NO_LEVEL;
      case 123: // {
        return this.scanObject(s, p, true, depth);
      case 91: // [
        // kubectl logs --prefix: the container's line starts after `[pod/<pod>/<container>] ` (for
        // the grouper: BODY_START_SHIFT)
        if (p === 0 && cc(s, 1) === 112) {
          const e = podPrefixEnd(s);
          if (e > 0) this.lineFacts |= (e + 1) << BODY_START_SHIFT;
        }
        if (cc(s, p + 1) === 78 && s.startsWith('[Nest] ', p)) {
          this.#nest.lastIndex = p;
          const m = this.#nest.exec(s);
          if (m !== null) {
            const w = m[1] ?? '';
            if (w === 'LOG') return INFO;
            if (w === 'VERBOSE') return TRACE;
            return w === 'ERROR' ? ERROR : w === 'WARN' ? WARN : w === 'DEBUG' ? DEBUG : FATAL;
          }
        }
        return this.bracketLed(s, p, depth);
      case 35: // WebLogic's server log: "####<May 14, 2024 9:21:07,412 AM UTC> <Error> <HTTP> …"
        return s.startsWith('####<', p) ? this.weblogic(s, p + 4) : NO_LEVEL;
      case 60: {
        // WebLogic's console: "<May 14, 2024 9:21:07,412 AM UTC> <Notice> <WebLogicServer> …"
        if (isUpper(cc(s, p + 1))) return this.weblogic(s, p);
        // syslog PRI "<34>Oct 11 …" (RFC 3164/5424: facility × 8 + severity), systemd "<6>Category[0] …"
        let v = 0;
        let j = p + 1;
        while (j - p <= 3 && isDigit(cc(s, j))) v = v * 10 + cc(s, j++) - 48;
        if (j > p + 1 && cc(s, j) === 62 && v <= 191) return syslogLevel(v & 7);
        if (sticky(this.#pyWarning, s, p)) return WARN; // <frozen importlib._bootstrap>:241: RuntimeWarning:
        return NO_LEVEL;
      }
      case 61: // Erlang/OTP logger_formatter legacy header: "=ERROR REPORT==== 2-Jan-2024::15:04:05.123456 ==="
        return this.erlangReport(s, p);
      case 42: // Elixir: an exception, exit or throw as Exception.format_banner prints it: "** (RuntimeError) boom"
        return cc(s, p + 1) === 42 && cc(s, p + 2) === 32 && cc(s, p + 3) === 40 ? ERROR : NO_LEVEL;
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
   * WebLogic's severity, the second `<…>` of its header (s[p] the first `<`): Info, Notice, Warning,
   * Error, Critical, Alert, Emergency, Debug, Trace.
   */
  weblogic(s: string, p: number): number {
    const q = s.indexOf('> <', p + 1);
    if (q < 0 || q > p + 48) return NO_LEVEL;
    const lv = this.levelWord(s, q + 3);
    return lv > 0 && cc(s, this.wordEnd) === 62 ? lv : NO_LEVEL;
  }

  /**
   * The level at the record's level position, or NO_LEVEL (the caller applies the stream default).
   * Expects ANSI escapes already removed; a line that still has some is stripped and retried.
   */
  detect(line: string): number {
    this.lineFacts = 0;
    this.headerTime = Number.NaN;
    const c0 = cc(line, 0);
    // Next.js CLI (packages/next/src/build/output/log.ts): " " + a one-character prefix + " " + message
    if (c0 === 32 && cc(line, 1) > 127 && cc(line, 2) === 32) return nextPrefix(cc(line, 1));
    // an indented record header (old hclog: Consul and Vault indent their `log` lines by four spaces):
    // only one that opens with a timestamp digit, so trace frames and indented prose are read as before
    if ((c0 === 32 || c0 === 9) && line.length > 8) {
      let i = 1;
      while (i < 16 && (cc(line, i) === 32 || cc(line, i) === 9)) i++;
      if (isDigit(cc(line, i))) return this.detectAt(line, i, 0);
    }
    const lv = this.detectAt(line, 0, 0);
    if (lv !== NO_LEVEL || line.indexOf('\x1b') < 0) return lv;
    const stripped = this.detectAt(line.replace(this.#ansi, ''), 0, 0);
    this.lineFacts = 0; // learnt of another text than the line
    this.headerTime = Number.NaN;
    return stripped;
  }

  /**
   * skipTs() of a line's leading ISO 8601 date-time at p (0, or 1 after `[`), read as the structured
   * reader reads it (TimeReader.isoTime: a line of the second read last costs one native compare
   * where skipTs() walks ~24 characters); sets headerTime and the time's end in lineFacts. -1 where
   * skipTs() could have skipped otherwise (a `t`/`z`, a zone after a space: ` UTC`, ` -0400 EDT`,
   * ` +02:00`; more timestamp characters after it) or where a record may follow the time (the
   * reader reads the record and its time); skipTs() is asked then.
   */
  isoHeader(s: string, p: number): number {
    const sep = cc(s, p + 10);
    if (sep !== 84 && sep !== 32) return -1;
    const time = this.#time;
    const v = time.isoTime(s, p, s.length);
    if (Number.isNaN(v)) return -1;
    const e = time.end;
    const c = cc(s, e);
    const last = cc(s, e - 1);
    // a zone after a space (Go's ` -0400`, Serilog's ` +02:00`; ` UTC` ends in a letter): skipTs() stops before it
    if (
      !(c === 32 || c === 93 || c === 9 || c < 0) ||
      !(isDigit(last) || last === 90) ||
      cc(s, e - 6) === 32 ||
      cc(s, e - 7) === 32 ||
      mayOpenRecord(s, c === 93 ? e + 2 : e + 1)
    )
      return -1;
    this.tsColon = true;
    this.tsT = sep === 84;
    this.tsDigits = 14;
    this.headerTime = v;
    this.lineFacts |= e << HEADER_TIME_END_SHIFT;
    return e;
  }
}

/** A name before a timestamp: it has a digit (`nova-api.log.1.2017-05-16_13:53:08`) or is upper case (`KERNDTLB`). */
function prefixToken(s: string, p: number, e: number): boolean {
  let upper = true;
  for (let i = p; i < e; i++) {
    const c = cc(s, i);
    if (isDigit(c)) return true;
    if (!isUpper(c)) upper = false;
  }
  return upper && e - p >= 2;
}

/** Android logcat's priority letters (V D I W E F A), or -1. */
function logcatLevel(c: number): number {
  switch (c) {
    case 86: // V: verbose, below debug
      return TRACE;
    case 68:
      return DEBUG;
    case 73:
      return INFO;
    case 87:
      return WARN;
    case 69:
      return ERROR;
    case 70: // F: fatal
    case 65: // A: assert
      return FATAL;
  }
  return -1;
}

/**
 * A number 0–7 under a level key, on the scale of the library that wrote it, told by the record's
 * keys. The small scales disagree (syslog's 0 is emergency, .NET's trace, zerolog's, Ruby's and
 * Nextcloud's debug, zap's info, winston's and logrus' error or panic), so a record that names none
 * gets no level from it: the stream's default applies and its `level` stays in fields, rather than
 * an unknown `"level": 0` making an emergency.
 * - syslog severity (0 emerg … 7 debug): GELF (its required `short_message`:
 *   https://go2docs.graylog.org/current/getting_in_log_data/gelf.html), or beside a syslog facility
 *   key (GELF 1.0's `facility`, rsyslog's `syslogfacility`)
 * - Nextcloud's log file (its `reqId`; https://docs.nextcloud.com/server/latest/admin_manual/configuration_server/logging_configuration.html):
 *   0 DEBUG, 1 INFO, 2 WARN, 3 ERROR, 4 FATAL
 * - consola's log object (its `args` array and `type`; https://github.com/unjs/consola src/constants.ts:
 *   0 fatal and error, 1 warn, 2 log, 3 info, success, fail, ready, start, 4 debug, 5 trace), whose
 *   `type` tells fatal from error
 * - .NET: a `LogLevel` key (Microsoft.Extensions.Logging's property, an enum serialized as its
 *   number by System.Text.Json), or a record with MEL's `EventId` / `eventId` or Serilog's
 *   `MessageTemplate`: LogLevel, Serilog's LogEventLevel and NLog's ordinal share 0 trace, 1 debug,
 *   2 information, 3 warning, 4 error, 5 critical / fatal (6 None: no level)
 * `ks`: where the level key starts, -1 when not known.
 */
function smallLevel(s: string, v: number, ks: number): number {
  if (s.indexOf('"short_message"') >= 0 || besideFacility(s)) return syslogLevel(v);
  if (s.indexOf('"reqId"') >= 0) return NEXTCLOUD_LEVELS[v] ?? NO_LEVEL;
  if (s.indexOf('"args":[') >= 0 && s.indexOf('"type":"') >= 0) {
    if (v === 0) return s.indexOf('"type":"fatal"') >= 0 ? FATAL : ERROR;
    return v === 1 ? WARN : v <= 3 ? INFO : v === 4 ? DEBUG : TRACE;
  }
  if (
    (ks >= 0 && cc(s, ks) === 76 && cc(s, ks + 3) === 76 && cc(s, ks + 8) === 34) ||
    s.indexOf('"EventId"') >= 0 ||
    s.indexOf('"eventId"') >= 0 ||
    s.indexOf('"MessageTemplate"') >= 0 ||
    NLOG_LONGDATE.test(s)
  )
    return DOTNET_LEVELS[v] ?? NO_LEVEL;
  return NO_LEVEL;
}

/**
 * NLog's `${longdate}` as a JSON value, `"2024-05-14 09:21:07.4120"` (yyyy-MM-dd HH:mm:ss.ffff: four
 * fraction digits no other logger writes): an NLog JsonLayout, whose `${level:format=Ordinal}` is on
 * .NET's scale (https://github.com/NLog/NLog/wiki/Level-Layout-Renderer). Read only for a 0–7 level.
 */
const NLOG_LONGDATE = /"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{4}"/;

/** Nextcloud's 0 DEBUG … 4 FATAL. */
const NEXTCLOUD_LEVELS: readonly number[] = [DEBUG, INFO, WARN, ERROR, FATAL];
/** .NET's 0 Trace … 5 Critical (MEL LogLevel, Serilog LogEventLevel, NLog's ordinal); 6 None is none. */
const DOTNET_LEVELS: readonly number[] = [TRACE, DEBUG, INFO, WARN, ERROR, FATAL];

/**
 * Does the record carry a syslog facility (`facility`, rsyslog's `syslogfacility`, `syslog_facility`)
 * beside its numeric `severity`? Then that number is syslog's severity (rsyslog's JSON templates
 * write the two together: https://www.rsyslog.com/doc/reference/properties/message-syslogseverity.html);
 * alone, `"severity": 3` is a bug tracker's or a scanner's. Read only for a numeric severity (rare).
 */
function besideFacility(s: string): boolean {
  return s.indexOf('facility"') > 0;
}

/**
 * MySQL 8's JSON error log (log_sink_json) `"prio"`, read only in a record that carries its
 * `err_symbol` or `label` (https://dev.mysql.com/doc/refman/8.0/en/error-log-event-fields.html:
 * 0 System, 1 Error, 2 Warning, 3 Note / Information); System (startup, shutdown) is info.
 */
function mysqlPriority(s: string, v: number): number {
  if (v > 3 || (s.indexOf('"err_symbol"') < 0 && s.indexOf('"label"') < 0)) return NO_LEVEL;
  return v === 1 ? ERROR : v === 2 ? WARN : INFO;
}

/** After a caller token `file:line:func()` at p, a one-letter level in brackets (Gitea), or -1. */
function callerLetter(s: string, p: number): number {
  const sp = s.indexOf(' ', p);
  if (sp <= p || sp - p > 160 || cc(s, sp - 1) !== 41 || cc(s, sp + 1) !== 91 || cc(s, sp + 3) !== 93)
    return -1;
  return cc(s, sp + 4) === 32 ? oneLetterLevel(cc(s, sp + 2)) : -1;
}

/** One-letter levels: GlusterFS's T D I W E C and Gitea's T D I W E C F (C critical, F fatal), or -1. */
function oneLetterLevel(c: number): number {
  switch (c) {
    case 70:
      return FATAL;
    case 84:
      return TRACE;
    case 68:
      return DEBUG;
    case 73:
      return INFO;
    case 87:
      return WARN;
    case 69:
      return ERROR;
    case 67:
      return FATAL;
  }
  return -1;
}

/**
 * A lower-case severity and a colon at p (BIND "error: ", "debug 3: "; Unbound "warning: "), or -1.
 * Upper case is left to the header readers: here the word follows a name, so only the syslog-style
 * lower-case alphabet counts.
 */
function severityColon(lex: HeaderLexer, s: string, p: number): number {
  const lv = lex.levelWord(s, p);
  if (lv <= 0 || lex.wordCase !== LOWER) return -1;
  let e = lex.wordEnd;
  if (lv === DEBUG && cc(s, e) === 32 && isDigit(cc(s, e + 1))) {
    e += 2;
    while (isDigit(cc(s, e))) e++;
  }
  return cc(s, e) === 58 && cc(s, e + 1) === 32 ? lv : -1;
}

/** The Next.js CLI's prefix characters: ⨯ error, ⚠ warn, ✓ event, ○ wait, ▲ ready (info), » trace. */
function nextPrefix(sym: number): number {
  if (sym === 0x2a2f) return ERROR;
  if (sym === 0x26a0) return WARN;
  if (sym === 0x2713 || sym === 0x25cb || sym === 0x25b2) return INFO;
  return sym === 0xbb ? TRACE : NO_LEVEL;
}

/**
 * Ansible's default callback prints a failed or unreachable task as "fatal: [web2]: FAILED! => {…}" in
 * its error colour, which its display maps to logging.ERROR: error, not fatal. Other `fatal:` stay fatal.
 */
function ansibleFatal(s: string, p: number, lv: number): number {
  return cc(s, p) === 102 && cc(s, p + 5) === 58 && cc(s, p + 6) === 32 && cc(s, p + 7) === 91 ? ERROR : lv;
}

/**
 * Level words that CLIs print bare at column 0 (the word ends at e, followed by c): Ansible ≤ 2.18
 * "ERROR! …"; Next.js ≤ 13.4 build output "error - ", "warn  - ", "info  - " (padded to 5, then " - ").
 */
function cliPrefix(s: string, p: number, e: number, lv: number, wcase: number, core: boolean): number {
  if (cc(s, e) === 33) return lv === ERROR && wcase === UPPER && cc(s, e + 1) === 32 ? lv : -1;
  if (wcase !== LOWER || !core) return -1;
  while (cc(s, e) === 32 && e - p < 6) e++;
  return e - p === 6 && cc(s, e) === 45 && cc(s, e + 1) === 32 ? lv : -1;
}

/** MongoDB < 4.4 text log: the severity letter at p, a component column, then `[context]`; or -1. */
function mongoLegacySeverity(s: string, p: number): number {
  const c = cc(s, p);
  let i = p + 1;
  if (c === 68) {
    if (cc(s, i) < 49 || cc(s, i) > 53) return -1; // D1..D5
    i++;
  } else if (c !== 70 && c !== 69 && c !== 87 && c !== 73) return -1;
  if (cc(s, i) !== 32) return -1;
  while (cc(s, i) === 32) i++;
  const comp = i;
  while (isUpper(cc(s, i)) || cc(s, i) === 95 || cc(s, i) === 45) i++;
  if (i === comp || cc(s, i) !== 32) return -1;
  while (cc(s, i) === 32) i++;
  return cc(s, i) === 91 ? severityLetter(c) : -1;
}

/**
 * logcat `long` header at p: `[ MM-dd HH:mm:ss.SSS  pid: tid P/tag ]` (the whole line), its level or -1.
 */
export function logcatLongHeader(s: string, p: number): number {
  if (cc(s, s.length - 1) !== 93 || cc(s, s.length - 2) !== 32) return -1;
  let i = p + 2;
  // "MM-dd", then "HH:mm:ss.SSS"
  while (isDigit(cc(s, i)) || cc(s, i) === 45 || cc(s, i) === 58 || cc(s, i) === 46) i++;
  if (cc(s, i) !== 32) return -1;
  while (cc(s, i) === 32) i++;
  while (isDigit(cc(s, i)) || cc(s, i) === 58 || cc(s, i) === 46) i++;
  while (cc(s, i) === 32) i++;
  // pid ":" tid
  const pid = i;
  while (isDigit(cc(s, i))) i++;
  if (i === pid || cc(s, i) !== 58) return -1;
  i++;
  while (cc(s, i) === 32) i++;
  const tid = i;
  while (isDigit(cc(s, i))) i++;
  if (i === tid || cc(s, i) !== 32) return -1;
  const lv = logcatLevel(cc(s, i + 1));
  return lv > 0 && cc(s, i + 2) === 47 ? lv : -1;
}

/**
 * logcat `brief`/`time`/`tag` forms at p: `D/Tag( 1702): msg`, `D/Tag: msg`, or -1.
 */
function logcatTagged(s: string, p: number): number {
  const lv = logcatLevel(cc(s, p));
  if (lv < 0 || cc(s, p + 1) !== 47) return -1;
  let j = p + 2;
  let d = cc(s, j);
  let spaced = false;
  while (d >= 32 && d !== 40 && d !== 58) {
    if (d === 32) spaced = true;
    d = cc(s, ++j);
    if (j - p > 96) return -1;
  }
  if (j === p + 2 || cc(s, p + 2) === 32) return -1;
  // "D/Tag: msg" (no space in the tag); "F/libc    ( 1234): msg" (brief pads the tag)
  if (d === 58) return !spaced && (cc(s, j + 1) === 32 || cc(s, j + 1) < 0) ? lv : -1;
  if (d !== 40) return -1;
  j++;
  while (cc(s, j) === 32) j++;
  const digits = j;
  while (isDigit(cc(s, j))) j++;
  return j > digits && cc(s, j) === 41 && cc(s, j + 1) === 58 ? lv : -1;
}

/**
 * zap's `Level(n)` from the n at p to its `)"` (zapcore.Level.String() of an unnamed level): below
 * -1 (debug) trace, and the named levels' numbers as zap numbers them (-1 debug … 5 fatal); -1 when
 * it is not that shape.
 */
function zapLevel(s: string, p: number): number {
  const neg = cc(s, p) === 45;
  const v = intAt(s, neg ? p + 1 : p);
  let e = neg ? p + 1 : p;
  while (isDigit(cc(s, e))) e++;
  if (v < 0 || e === p || cc(s, e) !== 41 || cc(s, e + 1) !== 34) return -1;
  const n = neg ? -v : v;
  if (n > 5) return -1;
  return n < -1 ? TRACE : n === -1 ? DEBUG : n === 0 ? INFO : n === 1 ? WARN : n === 2 ? ERROR : FATAL;
}

/** `log` / `Log` / `LOG` at p. */
function eqfLog(s: string, p: number): boolean {
  return (cc(s, p + 1) | 0x20) === 111 && (cc(s, p + 2) | 0x20) === 103;
}

function sticky(re: RegExp, s: string, p: number): boolean {
  re.lastIndex = p;
  return re.test(s);
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

/**
 * May a record open at i, after a header's time and its space (`kubectl logs --timestamps`, `docker
 * logs -t`: `{…}` or `key=…`)? Such a line's time is left to the structured reader, which reads the
 * record after it (structured/reader.ts, time-prefix.ts): `{`, a lower-case letter or `_`.
 */
function mayOpenRecord(s: string, i: number): boolean {
  const c = cc(s, i);
  return c === 123 || (c >= 97 && c <= 122) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** [A-Za-z0-9_] */
function isWord(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

/** CUPS' error_log letter (https://www.cups.org/doc/man-cupsd-logs.html): its level, or NO_LEVEL. */
function cupsLetter(c: number): number {
  switch (c) {
    case 78: // N: notice
      return INFO;
    case 67: // C: critical
    case 65: // A: alert
    case 88: // X: emergency
      return FATAL;
  }
  return severityLetter(c);
}

/** Is there docker compose's `| ` after the spaces from e (its padded `<service>-<n>  | `)? */
function composeBar(s: string, e: number): boolean {
  let j = e;
  while (j - e < 40 && cc(s, j) === 32) j++;
  return cc(s, j) === 124 && cc(s, j + 1) === 32;
}
