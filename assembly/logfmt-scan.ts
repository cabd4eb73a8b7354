/**
 * The logfmt pair scan of src/pipeline/structured/logfmt.ts (LogfmtReader.read()), compiled into the
 * same WebAssembly module as json-scan.ts (README "Performance", structured reading): over a line the
 * JS side copied into the module's input area with the batch's JSON lines, the same pairs (key and
 * value positions, quoted flags) and each key's role from the same word table (json-scan.ts
 * keyRole()). test/pipeline/structured/wasm-logfmt.test.ts holds both scans to the same results on
 * every logfmt-looking corpus line. structlog's repr values (LogfmtReader.readRepr()) stay the JS
 * scan's: a line with a value opening with `'` is told back (LF_SINGLE_QUOTED).
 *
 * No allocation: fixed areas between json-scan.ts's role table and its input area.
 */
import { IN, IN_UNITS, keyRole } from './json-scan';

/** Pairs recorded (logfmt.ts MAX_LOGFMT_PAIRS); more are counted, not recorded. */
const LF_SLOTS: i32 = 256;
/** Per pair (i32): key start and end, value start and end (inside the quotes when quoted), unit offsets in the line. */
export const LF_KEY_START: usize = 57344;
export const LF_KEY_END: usize = LF_KEY_START + 4 * LF_SLOTS;
export const LF_VALUE_START: usize = LF_KEY_END + 4 * LF_SLOTS;
export const LF_VALUE_END: usize = LF_VALUE_START + 4 * LF_SLOTS;
/** Per pair (u8): 1 quoted, 2 quoted with a backslash escape (0 unquoted); the key's role. */
export const LF_QUOTED: usize = LF_VALUE_END + 4 * LF_SLOTS;
export const LF_ROLE: usize = LF_QUOTED + LF_SLOTS;
/** Per pair (u8), written by the JS side before logfmtFields(): 1 when the pair is left out of the fields. */
export const LF_OMIT: usize = LF_ROLE + LF_SLOTS;
/** i32, by logfmtScan(): 0 when the line holds no trace id form that TraceIds.scanText() finds (trace-ids.ts mayHoldIds()) */
export const LF_MAY_HOLD_IDS: usize = LF_OMIT + LF_SLOTS;
/**
 * Per pair (f64), by logfmtScan() for a key whose role LF_TIME_ROLES marks: the epoch ms of its value
 * when it is an RFC 3339 time with its zone (what time.ts textTime() reads the most), NaN when the
 * JS side reads it (textTime(): other forms, a time with no zone, read in the host's zone).
 */
export const LF_TIME: usize = LF_MAY_HOLD_IDS + 16;
/** Per role (u8, 64), written by the JS side: 1 for the roles whose values are times (reader.ts R_TIME, R_TIME_TEXT). */
export const LF_TIME_ROLES: usize = LF_TIME + 8 * LF_SLOTS;
/**
 * zonedTime()'s last minute (as time.ts TimeReader keeps it): its 16 units as written
 * (`YYYY-MM-DDThh:mm`; all 0 before the first), then its epoch ms (i64): the lines of one minute,
 * nearly all of a busy app's, read only their seconds and zone.
 */
const LF_MINUTE: usize = LF_TIME_ROLES + 64;
/** Pairs whose key's role is kept (LF_KEY_CACHE): the first ones, where a logger writes the same keys line after line. */
const LF_CACHED_KEYS: i32 = 32;
/**
 * Per pair below LF_CACHED_KEYS: the first 8 units of the key read last at that place (v128), its
 * length (u16; 0 before the first) and its role (u16): a line whose key there is the same (nearly
 * every line of one logger) takes the role without keyRole()'s lookup.
 */
const LF_KEY_CACHE: usize = LF_MINUTE + 48;
const LF_KEY_CACHE_LEN: usize = LF_KEY_CACHE + 16 * <usize>LF_CACHED_KEYS;
const LF_KEY_CACHE_ROLE: usize = LF_KEY_CACHE_LEN + 2 * <usize>LF_CACHED_KEYS;
/** LF_KEY_CACHE's end: below json-scan.ts IN (checked by the JS side). */
export const LF_END: usize = LF_KEY_CACHE_ROLE + 2 * <usize>LF_CACHED_KEYS;
/** logfmtFields()'s output, one byte a character: past the input area and its 16 bytes of read-ahead, to the memory's end. */
export const LF_FIELDS: usize = IN + (<usize>IN_UNITS << 1) + 16;

/** logfmtScan()'s answers besides a pair count */
const NOT_LOGFMT: i32 = -1;
/** a recorded value opens with `'` (structlog's repr): the JS side reads the line */
const SINGLE_QUOTED: i32 = -2;

@inline function isSpace(c: i32): bool {
  return c == 32 || c == 9 || c == 13;
}

// The searches below read 8 units at a time (SIMD), past the line's end too (json-scan.ts keeps 16
// bytes after the input area): a hit at or past the end is taken as the end.

/**
 * Address of the first unit at or after p that is no key character (logfmt.ts KEY_CHARS:
 * [A-Za-z0-9_./@-]; the line's 0 is none): letters by `(c | 32) - 97 < 26`, `-./0-9` as one range.
 * 8 units at a time: scanned one by one, keys were a quarter of the scan's time (measured).
 */
@inline function keyEnd(p: usize): usize {
  while (true) {
    const v = v128.load(p);
    const key = v128.or(
      v128.or(
        i16x8.lt_u(i16x8.sub(v128.or(v, i16x8.splat(32)), i16x8.splat(97)), i16x8.splat(26)),
        i16x8.lt_u(i16x8.sub(v, i16x8.splat(45)), i16x8.splat(13)),
      ),
      v128.or(i16x8.eq(v, i16x8.splat(95)), i16x8.eq(v, i16x8.splat(64))),
    );
    const m = ~i16x8.bitmask(key) & 0xff;
    if (m != 0) return p + (<usize>ctz(m) << 1);
    p += 16;
  }
}

/** Address of the first `"`, `\\` or 0 (the line's end, or a NUL in it) at or after p. */
@inline function quoteOrBackslash(p: usize): usize {
  while (true) {
    const v = v128.load(p);
    const m = i16x8.bitmask(
      v128.or(v128.or(i16x8.eq(v, i16x8.splat(34)), i16x8.eq(v, i16x8.splat(92))), i16x8.eq(v, i16x8.splat(0))),
    );
    if (m != 0) return p + (<usize>ctz(m) << 1);
    p += 16;
  }
}

/** Address of the first unit that ends an unquoted value (space, tab, CR), spoils it (`"`, `=`), or is 0 (the line's end, or a NUL in it). */
@inline function valueStop(p: usize): usize {
  while (true) {
    const v = v128.load(p);
    const m = i16x8.bitmask(
      v128.or(
        v128.or(
          v128.or(i16x8.eq(v, i16x8.splat(32)), i16x8.eq(v, i16x8.splat(9))),
          v128.or(i16x8.eq(v, i16x8.splat(13)), i16x8.eq(v, i16x8.splat(34))),
        ),
        v128.or(i16x8.eq(v, i16x8.splat(61)), i16x8.eq(v, i16x8.splat(0))),
      ),
    );
    if (m != 0) return p + (<usize>ctz(m) << 1);
    p += 16;
  }
}

/**
 * Scans the line of `len` units at unit offset `off` of the input area as LogfmtReader.read() does.
 * Returns its pairs (>= 2; those past LF_SLOTS counted, not recorded), -1 when it is not logfmt as
 * read() takes it (a token not a pair, fewer than two pairs), -2 when a recorded unquoted value
 * opens with `'` (read() then sets singleQuoted: the JS side reads such a line).
 */
export function logfmtScan(off: i32, len: i32): i32 {
  const base = IN + (<usize>off << 1);
  const end = base + (<usize>len << 1);
  let p = base;
  let pairs = 0;
  while (p < end) {
    let c = <i32>load<u16>(p);
    if (isSpace(c)) {
      p += 2;
      continue;
    }
    const ks = p;
    // the key read last at this place with its `=` (LF_KEY_CACHE): its end and role known without
    // searching, so the value's search starts at once (a key below 8 units)
    let role = -1;
    if (pairs < LF_CACHED_KEYS) {
      const n = <usize>load<u16>(LF_KEY_CACHE_LEN + (<usize>pairs << 1));
      const lanes = (2 << <i32>n) - 1;
      if (
        <u32>(n - 1) < 7 &&
        (i16x8.bitmask(i16x8.eq(v128.load(ks), v128.load(LF_KEY_CACHE + (<usize>pairs << 4)))) & lanes) == lanes &&
        ks + (n << 1) < end
      ) {
        role = <i32>load<u16>(LF_KEY_CACHE_ROLE + (<usize>pairs << 1));
        p = ks + (n << 1);
      }
    }
    if (role < 0) {
      p = keyEnd(p);
      if (p == ks || p >= end || load<u16>(p) != 61) return NOT_LOGFMT;
    }
    const ke = p;
    p += 2;
    let vs: usize;
    let ve: usize;
    let quoted: u8 = 0;
    c = p < end ? <i32>load<u16>(p) : -1;
    if (c == 34) {
      vs = p + 2;
      // the closing quote; a backslash takes the unit after it
      let q = vs;
      while (q < end) {
        q = quoteOrBackslash(q);
        if (q >= end) break;
        const d = load<u16>(q);
        if (d == 34) break;
        if (d == 0) q += 2; // a NUL in the value (the line's own 0 is at end)
        else {
          quoted = 2;
          q += 4;
        }
      }
      if (q >= end) return NOT_LOGFMT;
      if (quoted == 0) quoted = 1;
      ve = q;
      p = q + 2;
      if (p < end && !isSpace(<i32>load<u16>(p))) return NOT_LOGFMT;
    } else {
      vs = p;
      if (c == 39 && pairs < LF_SLOTS) return SINGLE_QUOTED;
      while (true) {
        p = valueStop(p);
        if (p >= end) {
          p = end;
          break;
        }
        const d = load<u16>(p);
        // `a=b=c`, `a=b"c`: not logfmt as libraries write it
        if (d == 34 || d == 61) return NOT_LOGFMT;
        if (d != 0) break;
        p += 2; // a NUL in the value (the line's own 0 is at end)
      }
      ve = p;
    }
    if (pairs < LF_SLOTS) {
      const o = <usize>pairs << 2;
      store<i32>(LF_KEY_START + o, <i32>((ks - base) >> 1));
      store<i32>(LF_KEY_END + o, <i32>((ke - base) >> 1));
      store<i32>(LF_VALUE_START + o, <i32>((vs - base) >> 1));
      store<i32>(LF_VALUE_END + o, <i32>((ve - base) >> 1));
      store<u8>(LF_QUOTED + <usize>pairs, quoted);
      if (role < 0) role = cachedKeyRole(pairs, ks, <i32>((ke - ks) >> 1));
      store<u8>(LF_ROLE + <usize>pairs, <u8>role);
      if (load<u8>(LF_TIME_ROLES + <usize>(role & 63)) == 1) store<f64>(LF_TIME + (o << 1), zonedTime(vs, ve));
    }
    pairs++;
  }
  if (pairs < 2) return NOT_LOGFMT;
  store<i32>(LF_MAY_HOLD_IDS, mayHoldIds(base, end) ? 1 : 0);
  return pairs;
}

/**
 * keyRole() of the key of n units at ks, the key of pair m: LF_KEY_CACHE's when the key read last
 * at m is the same (a key is at most 8 units there; a role depends on the key's text alone).
 */
@inline function cachedKeyRole(m: i32, ks: usize, n: i32): i32 {
  if (m >= LF_CACHED_KEYS || n > 8) return keyRole(ks, n);
  const c = LF_KEY_CACHE + (<usize>m << 4);
  const len = LF_KEY_CACHE_LEN + (<usize>m << 1);
  const key = v128.load(ks);
  const lanes = (1 << n) - 1;
  if (<i32>load<u16>(len) == n && (i16x8.bitmask(i16x8.eq(key, v128.load(c))) & lanes) == lanes)
    return <i32>load<u16>(LF_KEY_CACHE_ROLE + (<usize>m << 1));
  const role = keyRole(ks, n);
  v128.store(c, key);
  store<u16>(len, <u16>n);
  store<u16>(LF_KEY_CACHE_ROLE + (<usize>m << 1), <u16>role);
  return role;
}

/** The two digits at p as a number, or -1. */
@inline function two(p: usize): i64 {
  const a = <i32>load<u16>(p) - 48;
  const b = <i32>load<u16>(p + 2) - 48;
  return <u32>a < 10 && <u32>b < 10 ? <i64>(a * 10 + b) : -1;
}

/** minuteAt()'s answer when the 16 units are no `YYYY-MM-DD(T|t| )hh:mm` */
const NO_MINUTE: i64 = i64.MIN_VALUE;

/** Epoch ms of the `YYYY-MM-DD(T|t| )hh:mm` at p read as UTC, with time.ts isoTime()'s checks; NO_MINUTE when it is none. */
function minuteAt(p: usize): i64 {
  const y1 = two(p);
  const y2 = two(p + 4);
  const mo = two(p + 10);
  const d = two(p + 16);
  const sep = load<u16>(p + 20);
  const h = two(p + 22);
  const mi = two(p + 28);
  if (
    y1 < 0 ||
    y2 < 0 ||
    load<u16>(p + 8) != 45 ||
    load<u16>(p + 14) != 45 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > 31 ||
    (sep != 84 && sep != 116 && sep != 32) ||
    h < 0 ||
    h > 23 ||
    load<u16>(p + 26) != 58 ||
    mi < 0 ||
    mi > 59
  )
    return NO_MINUTE;
  // time.ts daysInMonth(): a day past the month's last (`2024-02-30`) is no date
  const year = y1 * 100 + y2;
  if (d > 28 && d > (mo == 2 ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28) : 30 + ((mo + (mo >> 3)) & 1)))
    return NO_MINUTE;
  // time.ts daysFromCivil() (H. Hinnant's days_from_civil), floor division by hand
  const yy = year - (mo <= 2 ? 1 : 0);
  const era = (yy >= 0 ? yy : yy - 399) / 400;
  const yoe = yy - era * 400;
  const doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  const days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return ((days * 24 + h) * 60 + mi) * 60_000;
}

/**
 * time.ts textTime() of the value at [p, e) where it is `YYYY-MM-DD(T|t| )hh:mm[:ss[(.|,)digits]]`
 * then `Z`, `z` or `±hh[[:]mm]`, and nothing after: the same epoch ms (the same checks, the first
 * three fraction digits, days as daysFromCivil()). NaN for anything else, which the JS side reads
 * (textTime() gives NaN for some, reads others: a zoneless time in the host's zone, Common Log
 * Format, epoch numbers, a zone written after a space or in brackets).
 */
function zonedTime(p: usize, e: usize): f64 {
  if (e - p < 34) return NaN; // 16 units and their zone
  const text0 = v128.load(p);
  const text1 = v128.load(p + 16);
  let minute: i64;
  if (v128.any_true(v128.or(v128.xor(text0, v128.load(LF_MINUTE)), v128.xor(text1, v128.load(LF_MINUTE + 16))))) {
    minute = minuteAt(p);
    if (minute == NO_MINUTE) return NaN;
    v128.store(LF_MINUTE, text0);
    v128.store(LF_MINUTE + 16, text1);
    store<i64>(LF_MINUTE + 32, minute);
  } else minute = load<i64>(LF_MINUTE + 32);
  let i = p + 32;
  let sec: i64 = 0;
  let ms: i64 = 0;
  if (i < e && load<u16>(i) == 58) {
    if (i + 6 > e) return NaN;
    sec = two(i + 2);
    if (sec < 0 || sec > 60) return NaN;
    i += 6;
    const f = i < e ? load<u16>(i) : 0;
    if (f == 46 || f == 44) {
      i += 2;
      let n = 0;
      while (i < e) {
        const c = <i32>load<u16>(i) - 48;
        if (<u32>c >= 10) break;
        if (n < 3) ms = ms * 10 + c;
        n++;
        i += 2;
      }
      if (n == 0) return NaN;
      if (n == 1) ms *= 100;
      else if (n == 2) ms *= 10;
    }
  }
  if (i >= e) return NaN; // no zone: the host's
  const z = load<u16>(i);
  let offsetMin: i64 = 0;
  if (z == 90 || z == 122) i += 2;
  else if (z == 43 || z == 45) {
    if (i + 6 > e) return NaN;
    const oh = two(i + 2);
    if (oh < 0 || oh > 18) return NaN;
    let j = i + 6;
    if (j < e && load<u16>(j) == 58) j += 2;
    let om: i64 = 0;
    if (j + 4 <= e) {
      const m2 = two(j);
      if (m2 >= 0) {
        om = m2;
        j += 4;
      }
    }
    offsetMin = (z == 43 ? 1 : -1) * (oh * 60 + om);
    i = j;
  } else return NaN;
  if (i != e) return NaN;
  return <f64>(minute - offsetMin * 60_000 + sec * 1000 + ms);
}

/**
 * trace-ids.ts mayHoldIds(s, true, 0) over the line at [base, end): a `-` right after `00` or `=1`
 * (traceparent, X-Ray), or a `_id=` after `trace`. The whole line is looked at, so this is true
 * wherever the JS gate, which may start past a leading time, is (the JS side then runs it).
 */
function mayHoldIds(base: usize, end: usize): bool {
  for (let p = base; p < end; p += 16) {
    const v = v128.load(p);
    let m = i16x8.bitmask(v128.or(i16x8.eq(v, i16x8.splat(45)), i16x8.eq(v, i16x8.splat(95))));
    while (m != 0) {
      const q = p + (<usize>ctz(m) << 1);
      m &= m - 1;
      if (q >= end) return false;
      if (load<u16>(q) == 45) {
        if (q >= base + 4) {
          const a = load<u16>(q - 2);
          const b = load<u16>(q - 4);
          if ((a == 48 && b == 48) || (a == 49 && b == 61)) return true;
        }
      } else if (
        q >= base + 10 &&
        q + 6 < end &&
        load<u32>(q + 2) == 0x0064_0069 && // `id`
        load<u16>(q + 6) == 61 && // `=`
        load<u64>(q - 10) == 0x0063_0061_0072_0074 && // `trac`
        load<u16>(q - 2) == 101 // `e`
      )
        return true;
    }
  }
  return false;
}

/**
 * The fields' JSON text of the line logfmtScan() read last (at `off`, its `pairs` recorded), the
 * pairs marked in LF_OMIT left out: `{"key":"value",…}`, each value its own text in quotes, as
 * reader.ts builds it. Written at LF_FIELDS, one byte a character; returns its length, or -1 when the
 * JS side builds it: a value that JSON escapes (a control character, `"`, `\\`, a surrogate), a
 * quoted value with an escape, a character over 255, or more than the area holds.
 */
export function logfmtFields(off: i32, pairs: i32): i32 {
  const base = IN + (<usize>off << 1);
  // copyLatin1() stores 16 bytes at a time: room for one store past the text
  const limit = (<usize>memory.size() << 16) - 32;
  let o = LF_FIELDS;
  store<u8>(o++, 123);
  for (let m = 0; m < pairs; m++) {
    if (load<u8>(LF_OMIT + <usize>m) == 1) continue;
    if (load<u8>(LF_QUOTED + <usize>m) == 2) return -1;
    const i = <usize>m << 2;
    const ks = base + (<usize>load<i32>(LF_KEY_START + i) << 1);
    const ke = base + (<usize>load<i32>(LF_KEY_END + i) << 1);
    const vs = base + (<usize>load<i32>(LF_VALUE_START + i) << 1);
    const ve = base + (<usize>load<i32>(LF_VALUE_END + i) << 1);
    if (o + ((ke - ks + ve - vs) >> 1) + 7 > limit) return -1;
    if (o > LF_FIELDS + 1) store<u8>(o++, 44);
    store<u8>(o++, 34);
    // keys are [A-Za-z0-9_./@-]: nothing to escape
    copyLatin1(ks, ke, o);
    o += (ke - ks) >> 1;
    store<u16>(o, 0x3a22); // `":`
    store<u8>(o + 2, 34);
    o += 3;
    if (copyLatin1(vs, ve, o)) return -1;
    o += (ve - vs) >> 1;
    store<u8>(o++, 34);
  }
  store<u8>(o++, 125);
  return <i32>(o - LF_FIELDS);
}

/**
 * Writes the units at [p, e) at o, one byte each, 16 at a time (SIMD; the bytes stored past the
 * text are overwritten by what follows it). True when one of them is no character JSON takes as it
 * is in one byte: a control character, `"`, `\\`, or one over 255.
 */
@inline function copyLatin1(p: usize, e: usize, o: usize): bool {
  let bad = 0;
  while (p < e) {
    const a = v128.load(p);
    const b = v128.load(p + 16);
    v128.store(o, i8x16.narrow_i16x8_u(a, b));
    const m = i16x8.bitmask(escapes(a)) | (i16x8.bitmask(escapes(b)) << 8);
    const left = (e - p) >> 1;
    bad |= left >= 16 ? m : m & ((1 << <i32>left) - 1);
    p += 32;
    o += 16;
  }
  return bad != 0;
}

/** Lanes of v that JSON escapes or that are over 255. */
@inline function escapes(v: v128): v128 {
  return v128.or(
    v128.or(i16x8.lt_u(v, i16x8.splat(32)), i16x8.gt_u(v, i16x8.splat(255))),
    v128.or(i16x8.eq(v, i16x8.splat(34)), i16x8.eq(v, i16x8.splat(92))),
  );
}
