/**
 * The app's own time from a text line's header when it is not ISO 8601 (README "Structured events",
 * "The app's own time"): the headers the level detector reads (formats/detect.ts), each as its
 * format defines it.
 *
 * | opens with | shape | written by |
 * |---|---|---|
 * | a digit | `2024/05/14 09:21:07.412345` | Go's log package (`Ldate\|Ltime\|Lmicroseconds`), nginx's error log, Fluent Bit's own log (`[…]`) |
 * | | `14-May-2024 09:21:07.412` | Tomcat / Catalina (JUL OneLineFormatter) |
 * | | `14/May/2024:09:21:07 +0000`, `14/May/2024 09:21:07` | the Common Log Format's `%t` (`[…]`), Django runserver |
 * | | `1:M 14 May 2024 09:21:07.412` | Redis (pid, role, then the time) |
 * | | `05-14 09:21:07.412` (no year) | Android logcat `threadtime` |
 * | | `081109 203615` | log4j `%d{yyMMdd HHmmss}` (HDFS) |
 * | | `1715678467.412`, `1715678467412` | epoch seconds (a fraction allowed) or ms, then a space, `]` or the end |
 * | | `17/06/09 20:10:40` | Spark's log4j default `%d{yy/MM/dd HH:mm:ss}` |
 * | | `2024-05-14  9:21:07` | MariaDB (the hour padded with a space) |
 * | | `10.0.0.1 - - [14/May/2024:09:21:07 +0000]`, `2001:db8::1 - - […]` | an access log (Common / Combined Log Format: nginx's, Apache's default) after its IPv4 or IPv6 client |
 * | | `09:21:07.412 [main] INFO`, `09:21:07 INFO  [`, `09:21:07 info:` (no date) | logback / Log4j2 defaults, Elixir, Phoenix, WildFly, Quarkus, .NET's console (#timeOfDay) |
 * | | `5/14/2024 9:21:07 AM`, `14/05/2024 09:21:07` | .NET's, JavaScript's locale dates: month or day first by the read time (#slashDate) |
 * | | `14.05.2024 09:21:07` | a date with dots, day first (de-DE, ru-RU…) |
 * | | `20171223-22:15:29:606` | `yyyyMMdd-HH:mm:ss:SSS` (loghub's HealthApp) |
 * | | `2024-05-14<TAB>09:21:07<TAB>` | CloudFront's standard log (UTC) |
 * | `::`, a lower-case host | `::1 - - […]`, `example.com:443 10.0.0.1 - - […]` | an access log after an IPv6 client, a virtual host or S3's bucket owner; AWS ALB's ISO 8601 after its request type (lowerLed) |
 * | `#`, `<` and a capital | `####<May 14, 2024 9:21:07,412 AM UTC>`, `<May 14, …>` | WebLogic (its zone: UTC, GMT, the US names) |
 * | `[` | any of the above, or `[Tue May 14 09:21:07.412345 2024]` | Apache httpd's error log (ctime, µs) |
 * | | `[09:21:07 INF]`, `[09:21:07.412] INFO` (no date) | Serilog's console default, pino-pretty (#timeOfDay) |
 * | | `[INFO] [05/14/2024 09:21:07.412]`, `[WARN] [2024-05-14 …]` | Akka: a level in brackets, then the time |
 * | | `[14-May-2024 09:21:07 UTC]`, `[14-May-2024 09:21:07]` | PHP's error_log (its zone: UTC, else no time), PHP-FPM |
 * | | `[Nest] 19096  - 05/14/2024, 9:21:07 AM` | NestJS's ConsoleLogger (en-US) |
 * | `<` | `<34>1 2024-05-14T09:21:07.412Z`, `<34>May 14 09:21:07` | RFC 5424, RFC 3164 with their PRI |
 * | a capital | `May 14 09:21:07`, `May  4 09:21:07` (no year) | RFC 3164 BSD syslog, syslog files |
 * | | `Tue May 14 09:21:07 2024` | ctime (`date`, Apache without brackets) |
 * | | `May 14, 2024 9:21:07 AM` | java.util.logging's SimpleFormatter |
 * | | `I0514 09:21:07.412345` (no year), `I240514 …`, `I20240514 …` | klog / glog, CockroachDB, glog with its year (google/glog#530) |
 * | | `I, [2024-05-14T09:21:07.412345 #1234]` | Ruby's Logger |
 * | | `E [14/May/2024:09:21:07 +0000]` | CUPS' error_log (a level letter, then the CLF's time) |
 * | | `INFO 2024-05-14 09:21:07,412`, `INFO  [main] 2024-…` | a level word (a thread in brackets allowed after it), then ISO 8601 (Django's `verbose`, Cassandra) |
 * | `=` | `=ERROR REPORT==== 14-May-2024::09:21:07.412345 ===` | Erlang/OTP's report header (RabbitMQ before 3.9) |
 *
 * Every one but the CLF's `±hhmm` and RFC 5424's zone is written in the host's zone, as the app on
 * this host meant it. A header with no year takes the read time's year in the host's zone, the year
 * before when that would put it more than a day after the read time (`Dec 31 23:59:59` read on
 * January 1st), the year after when that puts it within a day of it (`Jan  1 00:00:01` read a second
 * before midnight). A time of day with no date, where a header writes one (#timeOfDay), takes the
 * date that puts it nearest the read time (never more than 12 h away); a date with no time is no
 * time. Precision is the millisecond, cut.
 */
import { daysInMonth, namedZoneOffset, type TimeReader, two } from './time.js';

const DAY_MS = 86_400_000;
const HALF_DAY_MS = 43_200_000;
/** #local(): the parts carry their date; the year comes from the read time; the date does */
const DATED = 0;
const YEARLESS = 1;
const DATELESS = 2;
/** a year-less minute's year is chosen again when the read time has moved this far since (cache) */
const YEAR_RECHECK_MS = 3_600_000;

/**
 * Can a line that opens with c0 (s[0]) carry a header time other than ISO 8601? The cheap gate
 * before HeaderTimeReader.read(): a digit, `[`, `<` or `=` always may; a capital letter only as a
 * klog letter (a digit after it), Ruby's `I, [`, a month's or day's name and a space, or a level
 * word in capitals before an ISO 8601 date.
 */
export function headerTimeMayStart(s: string, c0: number): boolean {
  if (c0 < 65) return (c0 >= 48 && c0 <= 57) || c0 === 60 || c0 === 61 || c0 === 35 || c0 === 58;
  if (c0 > 90) return c0 === 91 || (c0 >= 97 && c0 <= 122 && lowerLed(s) !== 0);
  const c1 = cc(s, 1);
  if ((c1 >= 48 && c1 <= 57) || c1 === 44) return true;
  if (c1 === 32) return cc(s, 2) === 91; // CUPS' `E [14/May/2024:…]`
  if (c1 >= 65 && c1 <= 90) return levelThenIso(s) > 0;
  return cc(s, 3) === 32 && (monthAt(s, 0) > 0 || dayNameAt(s, 0));
}

/**
 * How a line that opens with a lower-case letter may carry a header time: LED_BY_HOST for an access
 * log led by a host name (Apache's `vhost_combined`: `example.com:443 10.0.0.1 - - [`; a `$host`
 * first), a client's IPv6 address in lower case (`fe80::1 - - [`) or S3's bucket owner (64 hex
 * digits); where ISO 8601 starts after a short word (AWS ALB's `http 2024-05-14T…`); 0 for none. A
 * host is a first word of host characters with a `.` or `:` in it, then a space and an address (a
 * digit or `:`) or the ident's `-`. The lexer keeps NO_HEADER_TIME off the same lines
 * (formats/detect.ts letterLed).
 */
function lowerLed(s: string): number {
  const n = Math.min(s.length, 80);
  let dotted = false;
  let hex = true;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      const d = cc(s, i + 1);
      // a client's address next, or the IPv6 client itself then its ident (`fe80::1 - - [`)
      if (dotted) return isDigit(d) || d === 58 || d === 45 ? LED_BY_HOST : 0;
      // AWS ALB's request type (http, https, h2, grpcs, ws, wss), then ISO 8601: "http
      // 2024-05-14T09:21:07.412641Z app/…"; another word before a date is prose (`deploy 2024-…`)
      if (i <= 5 && isDigit(d) && cc(s, i + 5) === 45 && cc(s, i + 8) === 45 && albType(s, i)) return i + 1;
      // S3's server access log: the bucket owner's 64 hex digits, the bucket, `[14/May/2024:…]`
      return hex && i === 64 ? LED_BY_HOST : 0;
    }
    if (c === 46 || c === 58) dotted = true;
    else if (!(isDigit(c) || (c >= 97 && c <= 122) || c === 45 || (c >= 65 && c <= 90))) return 0;
    if (hex && !(isDigit(c) || (c >= 97 && c <= 102))) hex = false;
  }
  return 0;
}

/** Is s[0..n) an AWS ALB request type (its access log's first field)? */
function albType(s: string, n: number): boolean {
  switch (n) {
    case 2:
      return s.startsWith('h2') || s.startsWith('ws');
    case 3:
      return s.startsWith('wss');
    case 4:
      return s.startsWith('http');
    case 5:
      return s.startsWith('https') || s.startsWith('grpcs');
  }
  return false;
}

/** lowerLed(): an access log after a host, an IPv6 client or S3's bucket owner (else: where ISO 8601 starts after a word, or 0) */
const LED_BY_HOST = -1;

/**
 * Where the time starts after a level in brackets (Akka's default `[INFO] [05/14/2024
 * 09:21:07.412] [system-akka.actor…]`, `[WARN] [2024-05-14 …]`): a word in capitals, `] [`, a
 * digit; else -1.
 */
function afterBracketedLevel(s: string): number {
  let i = 1;
  while (i < 12 && isUpper(cc(s, i))) i++;
  if (i < 4 || cc(s, i) !== 93 || cc(s, i + 1) !== 32 || cc(s, i + 2) !== 91) return -1;
  return isDigit(cc(s, i + 3)) ? i + 3 : -1;
}

/**
 * The end of a level word at i as a header after a time of day writes it (logback's `INFO`,
 * WildFly's `WARN`, Quarkus', Serilog's `INF` / `WRN`, pino-pretty's `INFO`), or -1: one of
 * LEVEL_WORDS in capitals (`inf`, `wrn`… too when `lower`: Serilog's `{Level:w3}`).
 */
function levelWordEnd(s: string, i: number, lower: boolean): number {
  let e = i;
  while (e - i < 9 && (isUpper(cc(s, e)) || (lower && cc(s, e) >= 97 && cc(s, e) <= 122))) e++;
  if (e - i < 3) return -1;
  return LEVEL_WORDS.has(s.slice(i, e).toUpperCase()) ? e : -1;
}

const LEVEL_WORDS: ReadonlySet<string> = new Set([
  ...['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'SEVERE', 'FATAL', 'CRITICAL'],
  ...['FINE', 'FINER', 'FINEST', 'CONFIG', 'ALERT', 'EMERG', 'VERBOSE'],
  ...['VRB', 'TRC', 'DBG', 'INF', 'WRN', 'ERR', 'FTL', 'CRT'],
  // .NET's console logger: trce dbug info warn fail crit
  ...['TRCE', 'DBUG', 'FAIL', 'CRIT'],
]);

/** Is s[i..) a logfmt key and `=` (Phoenix's `request_id=…` before Elixir's `[info]`)? */
function keyAt(s: string, i: number): boolean {
  const c0 = cc(s, i);
  if (!(c0 >= 97 && c0 <= 122)) return false;
  for (let j = i + 1; j < i + 32; j++) {
    const c = cc(s, j);
    if (c === 61) return true;
    if (!((c >= 97 && c <= 122) || c === 95 || isDigit(c))) return false;
  }
  return false;
}

/**
 * Where an ISO 8601 date starts after a level word in capitals and 1–3 spaces at the line's start
 * (Django's documented `verbose` format `{levelname} {asctime} …`: "INFO 2024-05-14 09:21:07,412
 * views …"), a thread in brackets allowed between (Cassandra's "INFO  [main] 2024-05-14
 * 09:21:07,412 …"), or -1.
 */
function levelThenIso(s: string): number {
  let i = 0;
  while (i < 10 && isUpper(cc(s, i))) i++;
  if (i < 3) return -1;
  let w = i;
  while (i - w < 3 && cc(s, i) === 32) i++;
  if (i > w && cc(s, i) === 91) {
    // the thread in brackets between (Cassandra's `%-5level [%thread] %date{ISO8601}`)
    const close = s.indexOf(']', i);
    if (close < 0 || close - i > 48) return -1;
    i = close + 1;
    w = i;
    while (i - w < 3 && cc(s, i) === 32) i++;
  }
  return i > w && isDigit(cc(s, i)) && cc(s, i + 4) === 45 ? i : -1;
}

/**
 * Reads a header's time (the shapes above). One per reader: it remembers the last minute it turned
 * into epoch ms (the host's zone costs a Date), so the lines of one minute only read their digits.
 */
export class HeaderTimeReader {
  /** index just after the time read() read */
  end = 0;
  // the time being read
  #y = 0;
  #mo = 0;
  #d = 0;
  #h = 0;
  #mi = 0;
  #sec = 0;
  #ms = 0;
  /** the last minute turned into epoch ms: its key (year 0 when the header had none), its ms */
  #key = -1;
  #minuteMs = 0;
  /** the read time at which a year-less minute's year was chosen */
  #decidedAt = 0;
  /** the last minute #zoned() turned into epoch ms as UTC (a zone's offset is applied after): its key, its ms */
  #utcKey = -1;
  #utcMinuteMs = 0;
  /** #clock(): where the minute's digits end */
  #minuteEnd = 0;
  /**
   * the last line's text up to the end of its minute ('' when its shape may not be shortcut): a line
   * that opens with it is in that minute and shape, and only its seconds are read
   */
  #prefix = '';
  #prefixYearless = false;

  /** `iso`: the reader's ISO 8601 reader (RFC 5424's and Ruby's times are ISO 8601). */
  constructor(readonly iso: TimeReader) {}

  /** Epoch ms of the time in s's header (c0 = s[0]), read at `observed`, or NaN. */
  read(s: string, c0: number, observed: number): number {
    const prefix = this.#prefix;
    if (
      prefix !== '' &&
      s.lastIndexOf(prefix, 0) === 0 &&
      (!this.#prefixYearless || Math.abs(observed - this.#decidedAt) <= YEAR_RECHECK_MS)
    ) {
      const e = this.#seconds(s, prefix.length);
      if (e >= 0) {
        this.end = e;
        return this.#minuteMs + this.#sec * 1000 + this.#ms;
      }
    }
    let p = 0;
    let c = c0;
    if (c === 91) {
      if (cc(s, 1) === 78 && s.startsWith('[Nest] ', 0)) return this.#nest(s, observed);
      p = 1;
      c = cc(s, 1);
      if (isUpper(c)) {
        // Akka: a level in brackets, then the time in brackets
        const q = afterBracketedLevel(s);
        if (q > 0) {
          const t = this.#iso(s, q);
          if (!Number.isNaN(t)) return t;
          p = q;
          c = cc(s, q);
        }
      }
    } else if (c === 35) {
      // WebLogic's server log: "####<May 14, 2024 9:21:07,412 AM UTC> <Notice> …"
      return s.startsWith('####<', 0) ? this.#weblogic(s, 5, observed) : Number.NaN;
    } else if (c === 58 || (c >= 97 && c <= 122)) {
      // an access log led by a client's IPv6 address (`::1 - - [`), a host name or S3's bucket
      // owner; AWS ALB's ISO 8601 after its request type
      const q = c === 58 ? LED_BY_HOST : lowerLed(s);
      return q > 0 ? this.#iso(s, q) : this.#accessLog(s, 0, observed);
    } else if (c === 60 && isUpper(cc(s, 1))) {
      // WebLogic's console: "<May 14, 2024 9:21:07,412 AM UTC> <Notice> <WebLogicServer> …"
      return this.#weblogic(s, 1, observed);
    } else if (c === 60) {
      // <PRI>, then RFC 5424's version and ISO time, or RFC 3164's `Mmm dd hh:mm:ss`
      p = 1;
      while (p < 4 && isDigit(cc(s, p))) p++;
      if (p === 1 || cc(s, p) !== 62) return Number.NaN;
      p++;
      c = cc(s, p);
      if (c === 49 && cc(s, p + 1) === 32) {
        p += 2;
        c = cc(s, p);
      }
      if (isDigit(c)) return this.#iso(s, p);
    }
    if (isDigit(c)) return this.#digitLed(s, p, observed);
    if (c >= 65 && c <= 90) return this.#letterLed(s, p, c, observed);
    return c === 61 ? this.#erlangReport(s, observed) : Number.NaN;
  }

  /** Erlang/OTP's report header: "=ERROR REPORT==== 2-Jan-2024::15:04:05.123456 ===" (RabbitMQ before 3.9). */
  #erlangReport(s: string, observed: number): number {
    const q = s.indexOf(' REPORT==== ', 1);
    if (q < 0 || q > 24) return Number.NaN;
    let p = q + 12;
    const day = isDigit(cc(s, p + 1)) ? two(s, p) : digit(s, p);
    p += day >= 10 || cc(s, p) === 48 ? 2 : 1;
    const mo = monthAt(s, p + 1);
    if (cc(s, p) !== 45 || mo <= 0 || cc(s, p + 4) !== 45 || cc(s, p + 9) !== 58 || cc(s, p + 10) !== 58)
      return Number.NaN;
    this.#d = day;
    this.#mo = mo;
    this.#y = num(s, p + 5, 4);
    return this.#local(s, this.#clock(s, p + 11), DATED, observed, false);
  }

  #iso(s: string, p: number): number {
    const t = this.iso.isoTime(s, p, s.length);
    this.end = this.iso.end;
    return t;
  }

  #digitLed(s: string, p: number, observed: number): number {
    let i = p;
    while (isDigit(cc(s, i))) i++;
    const n = i - p;
    const c = cc(s, i);
    if (n === 4 && c === 47) {
      // Go's log / nginx: 2024/05/14 09:21:07[.412345]
      this.#y = num(s, p, 4);
      this.#mo = two(s, p + 5);
      this.#d = two(s, p + 8);
      if (cc(s, p + 7) !== 47 || cc(s, p + 10) !== 32) return Number.NaN;
      return this.#local(s, this.#clock(s, p + 11), DATED, observed, true);
    }
    if (n === 4 && c === 45 && cc(s, p + 10) === 9 && p === 0) {
      // CloudFront's standard log: date TAB time TAB, in UTC (its documented fields)
      this.#y = num(s, p, 4);
      this.#mo = two(s, p + 5);
      this.#d = two(s, p + 8);
      const e = this.#clock(s, p + 11);
      if (cc(s, p + 7) !== 45 || e < 0 || cc(s, e) !== 9) return Number.NaN;
      return this.#zoned(e, 0);
    }
    if (n === 4 && c === 45 && cc(s, p + 10) === 32 && cc(s, p + 11) === 32) {
      // MariaDB: 2024-05-14  9:21:07 (the hour padded with a space; ISO 8601 is read before this)
      this.#y = num(s, p, 4);
      this.#mo = two(s, p + 5);
      this.#d = two(s, p + 8);
      if (cc(s, p + 7) !== 45) return Number.NaN;
      return this.#local(s, this.#clock(s, p + 12), DATED, observed, true);
    }
    if (n === 2 && (c === 45 || c === 47)) {
      if (monthAt(s, p + 3) > 0) return this.#dayMonthYear(s, p, observed);
      if (c === 45 && cc(s, p + 5) === 32) {
        // Android logcat threadtime: 05-14 09:21:07.412 (no year)
        this.#mo = two(s, p);
        this.#d = two(s, p + 3);
        return this.#local(s, this.#clock(s, p + 6), YEARLESS, observed, true);
      }
      if (c === 47 && cc(s, p + 5) === 47 && cc(s, p + 8) === 32) {
        // Spark's log4j default %d{yy/MM/dd HH:mm:ss}: 17/06/09 20:10:40
        this.#y = 2000 + two(s, p);
        this.#mo = two(s, p + 3);
        this.#d = two(s, p + 6);
        return this.#local(s, this.#clock(s, p + 9), DATED, observed, true);
      }
      return c === 47 ? this.#slashDate(s, p, 2, observed) : Number.NaN;
    }
    if (n === 1 && c === 47) return this.#slashDate(s, p, 1, observed);
    if (c === 58 && cc(s, i + 2) === 32) {
      // Redis: 1:M 14 May 2024 09:21:07.412 (pid, role C / M / S / X)
      const role = cc(s, i + 1);
      if (role !== 67 && role !== 77 && role !== 83 && role !== 88) return Number.NaN;
      const q = i + 3;
      const mo = monthAt(s, q + 3);
      if (mo <= 0 || cc(s, q + 2) !== 32 || cc(s, q + 6) !== 32 || cc(s, q + 11) !== 32) return Number.NaN;
      this.#d = two(s, q);
      this.#mo = mo;
      this.#y = num(s, q + 7, 4);
      return this.#local(s, this.#clock(s, q + 12), DATED, observed, true);
    }
    if (n === 8 && c === 45 && p === 0) {
      // `yyyyMMdd-HH:mm:ss[:SSS]` (loghub's HealthApp: "20171223-22:15:29:606|Step_LSC|…"; glog's file
      // names): its milliseconds after a colon
      this.#y = num(s, p, 4);
      this.#mo = two(s, p + 4);
      this.#d = two(s, p + 6);
      const e = this.#clock(s, i + 1);
      if (e < 0) return Number.NaN;
      let end = e;
      if (cc(s, e) === 58 && num(s, e + 1, 3) >= 0 && !isDigit(cc(s, e + 4))) {
        this.#ms = num(s, e + 1, 3);
        end = e + 4;
      }
      return this.#local(s, end, DATED, observed, false);
    }
    if (n === 6 && c === 32) {
      // log4j %d{yyMMdd HHmmss} (HDFS): 081109 203615
      const e = i + 7;
      if (!isDigit(cc(s, e - 1)) || num(s, i + 1, 6) < 0 || (e < s.length && cc(s, e) !== 32))
        return Number.NaN;
      this.#y = 2000 + two(s, p);
      this.#mo = two(s, p + 2);
      this.#d = two(s, p + 4);
      this.#h = two(s, i + 1);
      this.#mi = two(s, i + 3);
      this.#sec = two(s, i + 5);
      this.#ms = 0;
      return this.#local(s, e, DATED, observed, false);
    }
    if (n === 10 || n === 13) {
      // epoch seconds (with a fraction) or ms, then a space, `]` or the end
      let e = i;
      let ms = 0;
      if (n === 10 && c === 46) {
        let k = 0;
        e++;
        while (isDigit(cc(s, e))) {
          if (k < 3) ms = ms * 10 + cc(s, e) - 48;
          k++;
          e++;
        }
        if (k === 0) return Number.NaN;
        ms *= k === 1 ? 100 : k === 2 ? 10 : 1;
      }
      const after = cc(s, e);
      if (after !== 32 && after !== 93 && after !== -1) return Number.NaN;
      this.end = e;
      const v = num(s, p, n);
      return n === 10 ? v * 1000 + ms : v;
    }
    if (c === 58 && n <= 2 && isDigit(cc(s, i + 1)) && isDigit(cc(s, i + 2)) && cc(s, i + 3) === 58)
      return this.#timeOfDay(s, p, observed);
    if (c === 46 && n <= 2 && cc(s, i + 3) === 46 && cc(s, i + 8) === 32) {
      // a date with dots, day first: `14.05.2024 09:21:07` (.NET's and Java's de-DE, ru-RU, pl-PL… dates)
      const y = num(s, i + 4, 4);
      if (y < 1970 || !isDigit(cc(s, i + 1))) return Number.NaN;
      this.#d = n === 2 ? two(s, p) : digit(s, p);
      this.#mo = two(s, i + 1);
      this.#y = y;
      return this.#local(s, this.#clock(s, i + 9), DATED, observed, false);
    }
    // an access log (Common / Combined Log Format, nginx's and Apache's default): the client's
    // IPv4 or IPv6 address, ident, user, then `[14/May/2024:09:21:07 +0000]`
    if (p === 0 && ((c === 46 && n <= 3) || (c === 58 && n <= 4))) return this.#accessLog(s, i, observed);
    // S3's server access log led by its bucket owner's 64 hex digits (lowerLed when a letter leads)
    if (p === 0 && cc(s, 64) === 32 && lowerLed(s) === LED_BY_HOST) return this.#accessLog(s, 64, observed);
    return Number.NaN;
  }

  /** `[14/May/2024:09:21:07 +0000]` after the client (and ident and user) from i: an access log's time. */
  #accessLog(s: string, i: number, observed: number): number {
    // ` [` by its `[` (a one-character search: ~6 against ~15 ns for the two-character one)
    let k = s.indexOf('[', i + 1);
    while (k > 0 && k <= 97 && cc(s, k - 1) !== 32) k = s.indexOf('[', k + 1);
    const b = k - 1;
    if (k < 0 || b > 96 || !isDigit(cc(s, b + 2)) || cc(s, b + 4) !== 47) return Number.NaN;
    const t = this.#dayMonthYear(s, b + 2, observed);
    return cc(s, this.end) === 93 ? t : Number.NaN;
  }

  /**
   * A time of day with no date at p (the line's start, or inside its `[`), as a header writes it:
   * logback's and Log4j2's default `09:21:07.412 [main] INFO …`, Elixir's `09:21:07.412 [info] …`
   * (Phoenix: `09:21:07.412 request_id=… [info] …`), WildFly's `09:21:07,412 INFO  [org.jboss…]`,
   * Quarkus' `09:21:07 INFO  [io.quarkus]`, Serilog's console `[09:21:07 INF] …`, pino-pretty's
   * `[09:21:07.412] INFO (7): …`. A time followed by anything else (`00:00:05 elapsed`, a clock in
   * prose) is no header. Its date is the one that puts it nearest the read time (#dateless).
   */
  #timeOfDay(s: string, p: number, observed: number): number {
    const e = this.#clock(s, p);
    if (e < 0) return Number.NaN;
    const f = cc(s, this.#minuteEnd + 3);
    const fraction = f === 46 || f === 44;
    let header: boolean;
    if (p === 0) {
      const n = cc(s, e + 1);
      const lower = levelWordEnd(s, e + 1, true);
      header =
        cc(s, e) === 32 &&
        ((fraction && (n === 91 || keyAt(s, e + 1))) ||
          levelWordEnd(s, e + 1, false) > 0 ||
          // .NET's console logger with `TimestampFormat = "HH:mm:ss "`: "09:21:07 info: Program[0] …"
          (lower > 0 && cc(s, lower) === 58));
    } else if (cc(s, e) === 32) {
      // Serilog: `[HH:mm:ss LVL]`
      const w = levelWordEnd(s, e + 1, true);
      header = w > 0 && cc(s, w) === 93;
    } else header = cc(s, e) === 93 && cc(s, e + 1) === 32 && levelWordEnd(s, e + 2, false) > 0;
    if (!header) return Number.NaN;
    this.#y = 0;
    this.#mo = 1;
    this.#d = 1;
    // not cacheable: the minute's text (`09:21`) does not carry the shape read after it
    return this.#local(s, e, DATELESS, observed, false);
  }

  /**
   * A date with slashes, the year last (`05/14/2024 09:21:07`, `14/05/2024 09:21:07`, `5/14/2024,
   * 9:21:07 AM`: .NET's and JavaScript's locale dates, Akka's `MM/dd/yyyy`), then the time and an
   * optional AM / PM. Month first or day first: where only one reading is a date it is that one,
   * else the one nearer the read time (the two differ by a month or more, and a time over 24 h
   * away is not trusted anyway). n: the first number's digits (1 or 2).
   */
  #slashDate(s: string, p: number, n: number, observed: number): number {
    const a = n === 2 ? two(s, p) : digit(s, p);
    let i = p + n + 1;
    const bn = isDigit(cc(s, i + 1)) ? 2 : 1;
    const b = bn === 2 ? two(s, i) : digit(s, i);
    i += bn;
    const y = num(s, i + 1, 4);
    if (a < 1 || b < 1 || cc(s, i) !== 47 || y < 1970 || isDigit(cc(s, i + 5))) return Number.NaN;
    i += 5;
    if (cc(s, i) === 44) i++;
    if (cc(s, i) !== 32) return Number.NaN;
    let e = this.#clock(s, i + 1);
    if (e < 0) return Number.NaN;
    if (cc(s, e) === 32 && (cc(s, e + 2) === 77 || cc(s, e + 2) === 109)) {
      const ap = cc(s, e + 1) | 0x20;
      if ((ap !== 97 && ap !== 112) || this.#h < 1 || this.#h > 12) return Number.NaN;
      if (ap === 112) this.#h = this.#h === 12 ? 12 : this.#h + 12;
      else if (this.#h === 12) this.#h = 0;
      e += 3;
    }
    this.#y = y;
    const monthFirst = a <= 12 && b <= 31;
    const dayFirst = b <= 12 && a <= 31;
    if (!monthFirst && !dayFirst) return Number.NaN;
    let mo = monthFirst ? a : b;
    let d = monthFirst ? b : a;
    if (monthFirst && dayFirst && a !== b) {
      this.#mo = a;
      this.#d = b;
      const t1 = this.#minute(y);
      this.#mo = b;
      this.#d = a;
      const t2 = this.#minute(y);
      if (Math.abs(t2 - observed) < Math.abs(t1 - observed)) {
        mo = b;
        d = a;
      }
    }
    this.#mo = mo;
    this.#d = d;
    return this.#local(s, e, DATED, observed, false);
  }

  /**
   * WebLogic's header at p (after `<` or `####<`): `May 14, 2024 9:21:07,412 AM UTC>`, its zone's
   * name as RFC 2822 knows it (UTC, GMT, the US zones); another name is not resolved, so it gives
   * no time rather than a wrong one (as PHP's).
   */
  #weblogic(s: string, p: number, observed: number): number {
    if (monthAt(s, p) <= 0) return Number.NaN;
    const local = this.#letterLed(s, p, cc(s, p), observed);
    if (Number.isNaN(local)) return Number.NaN;
    const e = this.end;
    const close = s.indexOf('>', e);
    if (cc(s, e) !== 32 || close < 0 || close - e > 6) return Number.NaN;
    const offset = namedZoneOffset(s.slice(e + 1, close));
    return offset === undefined ? Number.NaN : this.#zoned(close + 1, offset);
  }

  /**
   * `dd(-|/)Mon(-|/)yyyy` at p, then the time: Tomcat `14-May-2024 09:21:07.412`, the CLF's
   * `14/May/2024:09:21:07 +0000`, Django's `14/May/2024 09:21:07`.
   */
  #dayMonthYear(s: string, p: number, observed: number): number {
    const c = cc(s, p + 2);
    const sep = cc(s, p + 11);
    if (cc(s, p + 6) !== c || (sep !== 32 && !(sep === 58 && c === 47))) return Number.NaN;
    this.#d = two(s, p);
    this.#mo = monthAt(s, p + 3);
    this.#y = num(s, p + 7, 4);
    const e = this.#clock(s, p + 12);
    if (e > 0 && cc(s, e) === 32) {
      if (c === 47) {
        // the CLF's zone: ±hhmm
        const sign = cc(s, e + 1);
        const oh = two(s, e + 2);
        const om = two(s, e + 4);
        if ((sign === 43 || sign === 45) && oh >= 0 && om >= 0 && !isDigit(cc(s, e + 6)))
          return this.#zoned(e + 6, (sign === 43 ? 1 : -1) * (oh * 60 + om));
      } else if (p === 1) {
        // PHP's error_log, `[14-May-2024 09:21:07 UTC]`: its zone's name (date.timezone); one other
        // than UTC is not resolved here, so it gives no time rather than a wrong one
        const close = s.indexOf(']', e);
        const zone = close - e === 4 ? s.slice(e + 1, close) : '';
        return zone === 'UTC' || zone === 'GMT' ? this.#zoned(close, 0) : Number.NaN;
      }
    }
    // Tomcat's (not in brackets: PHP-FPM's `[14-May-2024 09:21:07]` is PHP's shape with its zone left out)
    return this.#local(s, e, DATED, observed, c === 45 && p === 0);
  }

  /** Epoch ms of the parts read with their zone's offset (minutes east of UTC), the time ending at e. */
  #zoned(e: number, offsetMin: number): number {
    if (!this.#valid() || this.#y < 1970) return Number.NaN;
    this.end = e;
    // Date.UTC once a minute (the lines of one minute, nearly all of a busy log's, share it)
    const key = (((this.#y * 13 + this.#mo) * 32 + this.#d) * 24 + this.#h) * 60 + this.#mi;
    if (key !== this.#utcKey) {
      this.#utcKey = key;
      this.#utcMinuteMs = Date.UTC(this.#y, this.#mo - 1, this.#d, this.#h, this.#mi);
    }
    return this.#utcMinuteMs - offsetMin * 60_000 + this.#sec * 1000 + this.#ms;
  }

  /**
   * NestJS's ConsoleLogger: "[Nest] 19096  - 05/14/2024, 9:21:07 AM     LOG [NestFactory] …" (the
   * date as Node's default locale, en-US, writes it: month first, AM / PM; another locale's, with
   * no AM / PM, gives no time).
   */
  #nest(s: string, observed: number): number {
    let i = 7;
    while (isDigit(cc(s, i))) i++;
    while (cc(s, i) === 32) i++;
    if (i === 7 || cc(s, i) !== 45 || cc(s, i + 1) !== 32) return Number.NaN;
    i += 2;
    const mo = isDigit(cc(s, i + 1)) ? two(s, i) : digit(s, i);
    i += mo >= 10 || cc(s, i) === 48 ? 2 : 1;
    if (cc(s, i) !== 47) return Number.NaN;
    const d = isDigit(cc(s, i + 2)) ? two(s, i + 1) : digit(s, i + 1);
    i += d >= 10 || cc(s, i + 1) === 48 ? 3 : 2;
    if (cc(s, i) !== 47 || cc(s, i + 5) !== 44 || cc(s, i + 6) !== 32) return Number.NaN;
    this.#mo = mo;
    this.#d = d;
    this.#y = num(s, i + 1, 4);
    return this.#meridiem(s, this.#clock(s, i + 7), observed);
  }

  /** `␠AM` / `␠PM` after a 12-hour clock ending at t: the hour made 0–23, then #local (no shortcut). */
  #meridiem(s: string, t: number, observed: number): number {
    if (t < 0 || cc(s, t) !== 32 || cc(s, t + 2) !== 77 || this.#h < 1 || this.#h > 12) return Number.NaN;
    const ap = cc(s, t + 1);
    if (ap === 80) this.#h = this.#h === 12 ? 12 : this.#h + 12;
    else if (ap === 65) this.#h = this.#h === 12 ? 0 : this.#h;
    else return Number.NaN;
    return this.#local(s, t + 3, DATED, observed, false);
  }

  #letterLed(s: string, p: number, c: number, observed: number): number {
    const c1 = cc(s, p + 1);
    if (c1 === 32 && p === 0 && cc(s, 2) === 91 && isDigit(cc(s, 3))) {
      // CUPS' error_log: "E [14/May/2024:09:21:07 +0000] …" (the Common Log Format's time)
      const t = this.#dayMonthYear(s, 3, observed);
      return cc(s, this.end) === 93 ? t : Number.NaN;
    }
    if (c1 === 44) {
      // Ruby's Logger: "I, [2024-05-14T09:21:07.412345 #1234]  INFO -- : …"
      return p === 0 && cc(s, 2) === 32 && cc(s, 3) === 91 && isDigit(cc(s, 4))
        ? this.#iso(s, 4)
        : Number.NaN;
    }
    if (isUpper(c1)) {
      // a level word, then ISO 8601 (Django's `verbose`)
      const q = p === 0 ? levelThenIso(s) : -1;
      return q > 0 ? this.#iso(s, q) : Number.NaN;
    }
    if (isDigit(c1)) {
      // klog / glog "I0514 09:21:07.412345", CockroachDB "I240514 09:21:07.412345": I, W, E, F
      if (c !== 73 && c !== 87 && c !== 69 && c !== 70) return Number.NaN;
      let i = p + 1;
      while (isDigit(cc(s, i))) i++;
      if (cc(s, i) !== 32) return Number.NaN;
      const n = i - p - 1;
      if (n === 6) this.#y = 2000 + two(s, p + 1);
      else if (n === 8)
        this.#y = num(s, p + 1, 4); // glog since google/glog#530: "I20240514 09:21:07.412345 …"
      else if (n !== 4) return Number.NaN;
      this.#mo = two(s, i - 4);
      this.#d = two(s, i - 2);
      return this.#local(s, this.#clock(s, i + 1), n === 4 ? YEARLESS : DATED, observed, true);
    }
    // ctime: a day's name first ("Tue May 14 09:21:07.412345 2024": Apache's error log, `date`)
    let q = p;
    const named = cc(s, p + 3) === 32 && dayNameAt(s, p);
    if (named) q += 4;
    const mo = monthAt(s, q);
    if (mo <= 0 || cc(s, q + 3) !== 32) return Number.NaN;
    // the day: "14", " 4" (syslog's and ctime's padding) or "4"
    let d: number;
    let e: number;
    if (cc(s, q + 4) === 32) {
      d = digit(s, q + 5);
      e = q + 6;
    } else if (isDigit(cc(s, q + 5))) {
      d = two(s, q + 4);
      e = q + 6;
    } else {
      d = digit(s, q + 4);
      e = q + 5;
    }
    this.#mo = mo;
    this.#d = d;
    const sep = cc(s, e);
    if (sep === 44 && !named) {
      // java.util.logging SimpleFormatter: "May 14, 2024 9:21:07 AM"
      if (cc(s, e + 1) !== 32 || cc(s, e + 6) !== 32) return Number.NaN;
      this.#y = num(s, e + 2, 4);
      return this.#meridiem(s, this.#clock(s, e + 7), observed);
    }
    if (sep !== 32) return Number.NaN;
    const t = this.#clock(s, e + 1);
    if (!named) return this.#local(s, t, YEARLESS, observed, true); // RFC 3164: no year
    // ctime's year after the time
    if (t < 0 || cc(s, t) !== 32) return Number.NaN;
    this.#y = num(s, t + 1, 4);
    if (isDigit(cc(s, t + 5))) return Number.NaN;
    return this.#local(s, t + 5, DATED, observed, false);
  }

  /**
   * `hh:mm:ss[(.|,)fraction]` at i (the hour in one digit or two): sets #h #mi #sec #ms, returns the
   * index after it, or -1.
   */
  #clock(s: string, i: number): number {
    if (i < 0) return -1;
    let h = digit(s, i);
    if (h < 0) return -1;
    let j = i + 1;
    if (isDigit(cc(s, j))) {
      h = h * 10 + cc(s, j) - 48;
      j++;
    }
    if (cc(s, j) !== 58) return -1;
    this.#h = h;
    this.#mi = two(s, j + 1);
    this.#minuteEnd = j + 3;
    return this.#seconds(s, j + 3);
  }

  /** `:ss[(.|,)fraction]` at i: sets #sec #ms, returns the index after it, or -1. */
  #seconds(s: string, i: number): number {
    if (cc(s, i) !== 58) return -1;
    const sec = two(s, i + 1);
    if (sec < 0 || sec > 60) return -1;
    this.#sec = sec;
    // the milliseconds: the fraction's first three digits, the finer ones skipped in a tight loop
    // (digit by digit through the general reader, µs cost ~20 ns more, measured)
    const n = s.length;
    let j = i + 3;
    let ms = 0;
    const f = cc(s, j);
    if ((f === 46 || f === 44) && digit(s, j + 1) >= 0) {
      ms = digit(s, j + 1) * 100;
      j += 2;
      const d2 = digit(s, j);
      if (d2 >= 0) {
        ms += d2 * 10;
        j++;
        const d3 = digit(s, j);
        if (d3 >= 0) {
          ms += d3;
          j++;
          while (j < n) {
            const c = s.charCodeAt(j);
            if (c < 48 || c > 57) break;
            j++;
          }
        }
      }
    }
    this.#ms = ms;
    return digit(s, j) >= 0 ? -1 : j;
  }

  #valid(): boolean {
    return (
      this.#mo >= 1 &&
      this.#mo <= 12 &&
      this.#d >= 1 &&
      (this.#d <= 28 || this.#d <= daysInMonth(this.#y, this.#mo)) &&
      this.#h >= 0 &&
      this.#h <= 23 &&
      this.#mi >= 0 &&
      this.#mi <= 59 &&
      this.#sec >= 0 &&
      this.#sec <= 60
    );
  }

  /**
   * Epoch ms of the parts read, in the host's zone, the time ending at e (-1: none). `undated`:
   * DATED (the parts' own date), YEARLESS (the year comes from the read time, observed) or DATELESS
   * (a time of day: the date comes from the read time).
   */
  #local(s: string, e: number, undated: number, observed: number, cacheable: boolean): number {
    if (e < 0) return Number.NaN;
    const y = undated === DATED ? this.#y : 0;
    if (!this.#valid() || (undated === DATED && y < 1970)) return Number.NaN;
    this.end = e;
    const key =
      undated === DATELESS
        ? -1 - (this.#h * 60 + this.#mi)
        : (((y * 13 + this.#mo) * 32 + this.#d) * 24 + this.#h) * 60 + this.#mi;
    if (key !== this.#key || (undated !== DATED && Math.abs(observed - this.#decidedAt) > YEAR_RECHECK_MS)) {
      this.#key = key;
      this.#minuteMs =
        undated === YEARLESS
          ? this.#yearless(observed)
          : undated === DATELESS
            ? this.#dateless(observed)
            : this.#minute(y);
      this.#decidedAt = observed;
    }
    // the line's text up to its minute, for read()'s shortcut: only where nothing after the seconds
    // decides the time (a zone, ctime's year, AM / PM)
    this.#prefix = cacheable ? s.slice(0, this.#minuteEnd) : '';
    this.#prefixYearless = undated !== DATED;
    return this.#minuteMs + this.#sec * 1000 + this.#ms;
  }

  #minute(y: number): number {
    return new Date(y, this.#mo - 1, this.#d, this.#h, this.#mi).getTime();
  }

  /**
   * A time of day's minute on the date that puts it nearest the read time, in the host's zone: the
   * read time's date, the day before or the day after (never more than 12 h away).
   */
  #dateless(observed: number): number {
    const r = new Date(observed);
    const y = r.getFullYear();
    const mo = r.getMonth();
    const d = r.getDate();
    const t = new Date(y, mo, d, this.#h, this.#mi).getTime();
    if (t - observed > HALF_DAY_MS) return new Date(y, mo, d - 1, this.#h, this.#mi).getTime();
    if (observed - t > HALF_DAY_MS) return new Date(y, mo, d + 1, this.#h, this.#mi).getTime();
    return t;
  }

  /** The minute read in the read time's year, or the year before / after (the file's comment). */
  #yearless(observed: number): number {
    const y = new Date(observed).getFullYear();
    const t = this.#minute(y);
    if (t - observed > DAY_MS) return this.#minute(y - 1);
    const next = this.#minute(y + 1);
    return next - observed <= DAY_MS ? next : t;
  }
}

/** 1..12 for the month's English abbreviation at s[p..p+3) (`Jan` … `Dec`), else 0. */
function monthAt(s: string, p: number): number {
  switch ((cc(s, p) << 16) | (cc(s, p + 1) << 8) | cc(s, p + 2)) {
    case 0x4a616e: // Jan
      return 1;
    case 0x466562: // Feb
      return 2;
    case 0x4d6172: // Mar
      return 3;
    case 0x417072: // Apr
      return 4;
    case 0x4d6179: // May
      return 5;
    case 0x4a756e: // Jun
      return 6;
    case 0x4a756c: // Jul
      return 7;
    case 0x417567: // Aug
      return 8;
    case 0x536570: // Sep
      return 9;
    case 0x4f6374: // Oct
      return 10;
    case 0x4e6f76: // Nov
      return 11;
    case 0x446563: // Dec
      return 12;
  }
  return 0;
}

/** Is s[p..p+3) a day's English abbreviation (`Mon` … `Sun`)? */
function dayNameAt(s: string, p: number): boolean {
  switch ((cc(s, p) << 16) | (cc(s, p + 1) << 8) | cc(s, p + 2)) {
    case 0x4d6f6e: // Mon
    case 0x547565: // Tue
    case 0x576564: // Wed
    case 0x546875: // Thu
    case 0x467269: // Fri
    case 0x536174: // Sat
    case 0x53756e: // Sun
      return true;
  }
  return false;
}

/** charCodeAt, -1 past the end (an out-of-bounds read is NaN and deoptimises: lexer.ts cc). */
function cc(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** The digit at s[i], or -1. */
function digit(s: string, i: number): number {
  const c = cc(s, i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** The n-digit number at s[i..i+n), or -1. */
function num(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = digit(s, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}
