/**
 * The app's own time, read from a field value or a line's header (README "Structured events").
 *
 * - Numbers are epoch times whose unit is told by their size: seconds (zap `ts`, Python `created`,
 *   zerolog's default), milliseconds (pino `time`, log4j2 `timeMillis`), microseconds or nanoseconds.
 * - Text is ISO 8601 / RFC 3339 (`2024-05-14T09:21:07.412Z`, `…+02:00`, `… 09:21:07,412` as Python's
 *   asctime writes it; also with slashes, `2024/05/14 09:21:07`, Go's log.LstdFlags), the Common Log
 *   Format's `14/May/2024:09:21:07 +0000` (nginx's `$time_local`, Apache's `%t`, also in its
 *   brackets as gunicorn's `%(t)s`), or a date led by its weekday or day (RFC 1123 / 2822: `Tue, 14
 *   May 2024 09:21:07 GMT`; asctime; JavaScript's toString) in a field. A time with no zone is read
 *   in the host's zone (TZ), as the app that wrote it on this host meant it.
 * Precision is the millisecond (every destination takes it; finer digits are cut, never rounded up).
 */

/** Epoch ms of an epoch number in s / ms / µs / ns (by magnitude), or NaN when it is not one. */
export function epochMs(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return Number.NaN;
  if (v < 1e11) return Math.floor(v * 1000); // seconds: until the year 5138
  if (v < 1e14) return Math.floor(v); // milliseconds
  if (v < 1e17) return Math.floor(v / 1e3); // microseconds
  return Math.floor(v / 1e6); // nanoseconds
}

/** Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil): Date.UTC's arithmetic, ~10× cheaper. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/**
 * Days in month mo (1–12) of year y (proleptic Gregorian; y = 0, a header that writes no year,
 * allows 29 February). A day past it (`30 Feb`, `31/Jun`) is no date: Date.UTC would roll it into
 * the next month.
 */
export function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return 30 + ((mo + (mo >> 3)) & 1);
}

/** The two-digit number at s[i..i+2), or -1. */
export function two(s: string, i: number): number {
  if (i + 1 >= s.length) return -1;
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Reads times; `end` tells where the last isoTime() match ended (the caller checks what follows).
 * One per reader: it remembers the last second it read (`YYYY-MM-DDThh:mm:ss` as written) and the
 * last minute (its epoch ms, UTC and local), so the lines of one second, nearly all of a busy app's,
 * only read their fraction and zone, and the first line of each second its date and time as numbers.
 */
export class TimeReader {
  /** index just after the time isoTime() read */
  end = 0;
  /** the last second read, its 19 characters as written; '' before the first */
  #secondText = '';
  /** its last character (the seconds' last digit), -1 before the first */
  #secondDigit = -1;
  /** its seconds (0-60) */
  #sec = 0;
  /** the last minute read, its fields packed in one number (year, month, day, hour, minute); -1 before the first */
  #minuteKey = -1;
  /** epoch ms of that minute read as UTC */
  #minuteUtc = 0;
  /** epoch ms of that minute in the host's zone (DST moves whole minutes); NaN until a zoneless time needs it */
  #minuteLocal = Number.NaN;
  #y = 0;
  #mo = 0;
  #d = 0;
  #h = 0;
  #mi = 0;

  /**
   * Epoch ms of an ISO 8601 date-time at s[p..e) (e = s.length to read a header prefix), or NaN.
   * `YYYY-MM-DD[T| ]hh:mm[:ss[(.|,)fraction]][Z|z|±hh[:mm]|±hhmm| UTC| ±hhmm ABC]`.
   */
  isoTime(s: string, p: number, e: number): number {
    // the second as written compared natively, once its last digit matches: a forward search that
    // finds it at p costs about half of reading 19 characters one by one (or of startsWith, or a
    // backward search), measured; a line of another second seldom gets past the digit. Kept small,
    // so that V8 inlines it where a line's time is read.
    const i = p + 19;
    if (i > e || s.charCodeAt(p + 18) !== this.#secondDigit || s.indexOf(this.#secondText, p) !== p)
      return this.#readIso(s, p, e);
    return this.#fraction(s, i, e, this.#sec);
  }

  /** isoTime() of a time not of the second read last: read from its first character. */
  #readIso(s: string, p: number, e: number): number {
    if (e - p < 16 || !this.#readMinute(s, p)) return Number.NaN;
    const i = p + 16;
    if (i >= e || s.charCodeAt(i) !== 58) return this.#zone(s, i, e, 0, 0);
    const sec = two(s, i + 1);
    if (sec < 0 || sec > 60) return Number.NaN;
    this.#secondText = s.slice(p, i + 3);
    this.#secondDigit = s.charCodeAt(i + 2);
    this.#sec = sec;
    return this.#fraction(s, i + 3, e, sec);
  }

  /** The time of the minute read last plus sec and the fraction and zone written at s[i..e). */
  #fraction(s: string, i: number, e: number, sec: number): number {
    let ms = 0;
    let c = i < e ? s.charCodeAt(i) : -1;
    if (c === 46 || c === 44) {
      // milliseconds: the first three digits (finer ones are read past, never rounded up)
      let n = 0;
      let d = i + 1 < e ? s.charCodeAt(i + 1) - 48 : -1;
      if (d >= 0 && d <= 9) {
        i++;
        while (d >= 0 && d <= 9) {
          if (n < 3) ms = ms * 10 + d;
          n++;
          i++;
          d = i < e ? s.charCodeAt(i) - 48 : -1;
        }
        if (n === 1) ms *= 100;
        else if (n === 2) ms *= 10;
        c = d + 48;
      }
    }
    if (c === 90 || c === 122) {
      this.end = i + 1;
      return this.#minuteUtc + sec * 1000 + ms;
    }
    return this.#zone(s, i, e, sec, ms);
  }

  /**
   * Reads `YYYY-MM-DD[T| ]hh:mm` at p; false when it is not one. The epoch ms of its minute are
   * worked out only when it is not the minute read last.
   */
  #readMinute(s: string, p: number): boolean {
    const y1 = two(s, p);
    const y2 = two(s, p + 2);
    if (y1 < 0 || y2 < 0 || s.charCodeAt(p + 4) !== 45 || s.charCodeAt(p + 7) !== 45) return false;
    const mo = two(s, p + 5);
    const d = two(s, p + 8);
    const sep = s.charCodeAt(p + 10);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || (sep !== 84 && sep !== 116 && sep !== 32)) return false;
    const h = two(s, p + 11);
    const mi = two(s, p + 14);
    if (h < 0 || h > 23 || s.charCodeAt(p + 13) !== 58 || mi < 0 || mi > 59) return false;
    const year = y1 * 100 + y2;
    if (d > 28 && d > daysInMonth(year, mo)) return false;
    const key = (((year * 16 + mo) * 32 + d) * 32 + h) * 64 + mi;
    if (key === this.#minuteKey) return true;
    this.#minuteKey = key;
    this.#secondDigit = -1; // its second was of another minute
    this.#minuteUtc = ((daysFromCivil(year, mo, d) * 24 + h) * 60 + mi) * 60_000;
    this.#minuteLocal = Number.NaN;
    this.#y = year;
    this.#mo = mo;
    this.#d = d;
    this.#h = h;
    this.#mi = mi;
    return true;
  }

  /** The time of the minute read last plus sec and ms, in the zone written at s[i..e) (none: the host's). */
  #zone(s: string, i: number, e: number, sec: number, ms: number): number {
    const c = i < e ? s.charCodeAt(i) : -1;
    let offsetMin = 0;
    if (c === 90 || c === 122) {
      i++;
    } else if (c === 43 || c === 45) {
      const oh = two(s, i + 1);
      if (oh < 0 || oh > 18) return Number.NaN;
      let om = 0;
      let j = i + 3;
      if (j < e && s.charCodeAt(j) === 58) j++;
      const m2 = two(s, j);
      if (m2 >= 0 && j + 2 <= e) {
        om = m2;
        j += 2;
      }
      offsetMin = (c === 43 ? 1 : -1) * (oh * 60 + om);
      i = j;
    } else if (c === 32 && s.charCodeAt(i + 1) === 85 && s.startsWith(' UTC', i)) {
      i += 4;
    } else if (c === 32 && (s.charCodeAt(i + 1) === 43 || s.charCodeAt(i + 1) === 45) && two(s, i + 2) >= 0) {
      // Go's default time.Time text (logrus): "2014-03-10 19:57:38.562264131 -0400 EDT"; Serilog's
      // file sink default, `{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz}`: "2024-05-14 09:21:07.412 +02:00"
      const oh = two(s, i + 2);
      const colon = s.charCodeAt(i + 4) === 58;
      const om = two(s, colon ? i + 5 : i + 4);
      if (oh > 18 || om < 0) return Number.NaN;
      offsetMin = (s.charCodeAt(i + 1) === 43 ? 1 : -1) * (oh * 60 + om);
      i += colon ? 7 : 6;
      let j = i + 1;
      if (s.charCodeAt(i) === 32) while (j < e && s.charCodeAt(j) >= 65 && s.charCodeAt(j) <= 90) j++;
      if (j - i - 1 >= 3 && j - i - 1 <= 5) i = j; // the zone's abbreviation, after the offset that decides
    } else {
      // no zone: the host's zone
      this.end = i;
      if (Number.isNaN(this.#minuteLocal))
        this.#minuteLocal = new Date(this.#y, this.#mo - 1, this.#d, this.#h, this.#mi).getTime();
      return this.#minuteLocal + sec * 1000 + ms;
    }
    this.end = i;
    return this.#minuteUtc - offsetMin * 60_000 + sec * 1000 + ms;
  }

  /**
   * A field's text value: ISO 8601 (with dashes or slashes), the Common Log Format's time, a mail /
   * HTTP date (mailTime), or an epoch number written as text (`"1715678467.412"`).
   */
  textTime(s: string, p: number, e: number): number {
    const c = p < e ? s.charCodeAt(p) : -1;
    if (c < 48 || c > 57) {
      // a weekday first: RFC 1123 / 2822 (HTTP dates, Go's time.RFC1123Z, Ruby's httpdate,
      // JavaScript's toUTCString), C's asctime / Go's ANSIC and UnixDate, JavaScript's toString
      if (c >= 65 && c <= 90) return mailTime(s.slice(p, e));
      // Apache's and gunicorn's `%t`: the Common Log Format's time in its brackets
      if (c === 91 && e - p === 28 && s.charCodeAt(e - 1) === 93) return clfTime(s, p + 1);
      return Number.NaN;
    }
    if (e - p >= 16 && s.charCodeAt(p + 4) === 45) {
      const t = this.isoTime(s, p, e);
      if (this.end === e) return t;
      // Java's ZonedDateTime.toString(): the offset, then the zone's id, `…+02:00[Europe/Paris]`, `…Z[UTC]`
      const end = this.end;
      if (s.charCodeAt(end) !== 91 || s.charCodeAt(e - 1) !== 93) return Number.NaN;
      const z = s.charCodeAt(end - 1);
      const sign6 = s.charCodeAt(end - 6);
      return z === 90 || sign6 === 43 || sign6 === 45 ? t : Number.NaN; // Z or ±hh:mm before the id
    }
    if (e - p === 26 && s.charCodeAt(p + 2) === 47) return clfTime(s, p);
    // the date with slashes, `2024/05/14 09:21:07` (Go's log.LstdFlags, PHP's and Fluentd's formats): read as ISO
    if (e - p >= 16 && s.charCodeAt(p + 4) === 47 && s.charCodeAt(p + 7) === 47) {
      const iso = `${s.slice(p, p + 4)}-${s.slice(p + 5, p + 7)}-${s.slice(p + 8, e)}`;
      const t = this.isoTime(iso, 0, iso.length);
      return this.end === iso.length ? t : Number.NaN;
    }
    // RFC 2822 without its weekday: `14 May 2024 09:21:07 +0000`
    if (e - p > 16 && (s.charCodeAt(p + 1) === 32 || s.charCodeAt(p + 2) === 32))
      return mailTime(s.slice(p, e));
    for (let i = p; i < e; i++) {
      const d = s.charCodeAt(i);
      if ((d < 48 || d > 57) && d !== 46) return Number.NaN;
    }
    // under 1e9 (before 2001 as seconds) it is no time but the app's own number (`"time": "42"`, a
    // duration written as text), as a JSON number is (reader.ts #timeOf)
    const v = Number(s.slice(p, e));
    return v < 1e9 ? Number.NaN : epochMs(v);
  }
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * Epoch ms of the Common Log Format's time at s[p..p+26): `14/May/2024:09:21:07 +0000` (nginx
 * `$time_local`, Apache `%t` without its brackets), or NaN.
 */
function clfTime(s: string, p: number): number {
  const d = two(s, p);
  const mo = MONTHS.indexOf(s.slice(p + 3, p + 6));
  const y1 = two(s, p + 7);
  const y2 = two(s, p + 9);
  const h = two(s, p + 12);
  const mi = two(s, p + 15);
  const sec = two(s, p + 18);
  const sign = s.charCodeAt(p + 21);
  const oh = two(s, p + 22);
  const om = two(s, p + 24);
  if (
    d < 1 ||
    d > 31 ||
    mo < 0 ||
    mo % 3 !== 0 ||
    s.charCodeAt(p + 6) !== 47 ||
    y1 < 0 ||
    y2 < 0 ||
    s.charCodeAt(p + 11) !== 58 ||
    s.charCodeAt(p + 14) !== 58 ||
    s.charCodeAt(p + 17) !== 58 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 60 ||
    s.charCodeAt(p + 20) !== 32 ||
    (sign !== 43 && sign !== 45) ||
    oh < 0 ||
    oh > 18 ||
    om < 0
  )
    return Number.NaN;
  const offsetMin = (sign === 43 ? 1 : -1) * (oh * 60 + om);
  const days = daysFromCivil(y1 * 100 + y2, mo / 3 + 1, d);
  return (((days * 24 + h) * 60 + mi) * 60 + sec) * 1000 - offsetMin * 60_000;
}

/** RFC 2822's zone names (its obsolete US zones included: section 4.3) and their offsets in minutes. */
const ZONE_NAMES: Readonly<Record<string, number>> = {
  GMT: 0,
  UTC: 0,
  UT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/** Minutes east of UTC of a zone name RFC 2822 knows (`UTC`, `GMT`, `EST` … `PDT`), or undefined. */
export function namedZoneOffset(name: string): number | undefined {
  return Object.hasOwn(ZONE_NAMES, name) ? ZONE_NAMES[name] : undefined;
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const ZONE = '(?:([+-])(\\d\\d)(\\d\\d)|(GMT|UTC|UT|Z|[ECMP][SD]T))';
/**
 * RFC 1123 / RFC 2822 (`Tue, 14 May 2024 09:21:07 GMT`, `…+0200`; the weekday optional): HTTP's
 * Date, Go's time.RFC1123 / RFC1123Z, Ruby's httpdate / rfc2822, JavaScript's toUTCString, Python's
 * email.utils.format_datetime.
 */
const RFC2822 = new RegExp(
  `^(?:${DAY}, )?(\\d{1,2}) ${MON} (\\d{4}) (\\d\\d):(\\d\\d)(?::(\\d\\d))? ${ZONE}$`,
);
/** C's asctime, Go's time.ANSIC and time.UnixDate: `Tue May 14 09:21:07 2024`, `Tue May 14 09:21:07 UTC 2024` */
const ASCTIME = new RegExp(
  `^${DAY} ${MON} ( ?\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d)(?: (GMT|UTC|[ECMP][SD]T))? (\\d{4})$`,
);
/** JavaScript's Date.prototype.toString: `Tue May 14 2024 11:21:07 GMT+0200 (Central European Summer Time)` */
const JS_DATE = new RegExp(
  `^${DAY} ${MON} (\\d\\d) (\\d{4}) (\\d\\d):(\\d\\d):(\\d\\d) GMT([+-])(\\d\\d)(\\d\\d)(?: \\([^)]*\\))?$`,
);

/**
 * Epoch ms of a date-time written the mail / HTTP way (RFC2822, ASCTIME, JS_DATE above), or NaN. A
 * zone name other than UTC / GMT and RFC 2822's US zones is not guessed (CET, IST name more than one
 * offset): NaN; asctime without a zone is read in the host's zone. Rare: only text that opens with a
 * capital letter or `D Mon` comes here.
 */
function mailTime(t: string): number {
  let d: number;
  let mo: number;
  let y: number;
  let h: number;
  let mi: number;
  let sec: number;
  let offsetMin: number;
  let m = RFC2822.exec(t);
  if (m !== null) {
    [d, mo, y, h, mi, sec] = [
      Number(m[1]),
      MONTHS.indexOf(m[2]!) / 3,
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6] ?? 0),
    ];
    offsetMin =
      m[7] !== undefined ? (m[7] === '+' ? 1 : -1) * (Number(m[8]) * 60 + Number(m[9])) : ZONE_NAMES[m[10]!]!;
  } else if ((m = ASCTIME.exec(t)) !== null) {
    [mo, d, h, mi, sec, y] = [
      MONTHS.indexOf(m[1]!) / 3,
      Number(m[2]!.trim()),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[7]),
    ];
    if (m[6] === undefined) {
      if (!validClock(d, h, mi, sec)) return Number.NaN;
      return new Date(y, mo, d, h, mi, sec).getTime();
    }
    offsetMin = ZONE_NAMES[m[6]]!;
  } else if ((m = JS_DATE.exec(t)) !== null) {
    [mo, d, y, h, mi, sec] = [
      MONTHS.indexOf(m[1]!) / 3,
      Number(m[2]),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    ];
    offsetMin = (m[7] === '+' ? 1 : -1) * (Number(m[8]) * 60 + Number(m[9]));
  } else return Number.NaN;
  if (!validClock(d, h, mi, sec) || offsetMin === undefined) return Number.NaN;
  return (((daysFromCivil(y, mo + 1, d) * 24 + h) * 60 + mi) * 60 + sec) * 1000 - offsetMin * 60_000;
}

function validClock(d: number, h: number, mi: number, sec: number): boolean {
  return d >= 1 && d <= 31 && h <= 23 && mi <= 59 && sec <= 60;
}
