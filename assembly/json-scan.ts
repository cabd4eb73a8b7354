/**
 * The JSON record scan of src/pipeline/structured/json-record.ts, compiled to WebAssembly (README
 * "Performance", structured reading): the same strict validation and the same results (members'
 * positions, roles, nesting, counts), over a line's UTF-16 code units that the JS side copied into
 * this module's memory once per batch. Strings are skipped 8 code units at a time (SIMD); a key's
 * role is looked up in a word table the JS side writes from json-record.ts's ROLE_WORDS and roleOf(),
 * so that table stays the one place roles are defined. test/pipeline/structured/wasm-scan.test.ts
 * holds both scanners to the same results on every corpus line.
 *
 * AssemblyScript (`npm run build`: scripts/build-wasm.mjs). No allocation: fixed areas of a fixed
 * memory, whose addresses are exported for the JS side.
 */
const HARD_DEPTH: i32 = 64;
const MAX_FIELD_DEPTH: i32 = 8;
const MAX_MEMBERS: i32 = 256;

/** Per line: i32 dirty (a backslash or a tab/CR/LF: not the JS scanner's clean line), i32 longest string span. */
export const OUT: usize = 0;
const SLOTS: usize = 288;
/** Per member (i32): where its key's quote starts, where its value starts and ends, values counted when it ended. */
export const M_START: usize = 64;
export const V_START: usize = M_START + 4 * SLOTS;
export const V_END: usize = V_START + 4 * SLOTS;
export const AFTER: usize = V_END + 4 * SLOTS;
/** Per member (u8): its key's role (0: none), and 1 when its value goes deeper than MAX_FIELD_DEPTH. */
export const ROLE: usize = AFTER + 4 * SLOTS;
export const DEEP: usize = ROLE + SLOTS;
/**
 * Per member (u8), for a key whose role is a trace or span id's (READ_ROLE 1) and a string value of
 * 16 or 32 units: its hex class as trace-ids.ts hexId() reads it (0: a unit is no hex digit; else 1,
 * | 2 unless all are 0, | 4 when one is upper case); 255 when not read (another length or kind).
 */
export const HEX: usize = DEEP + SLOTS;
/** u8 per role (below 64), written by the JS side: 1 its values' HEX is read, 2 its values' TIME. */
export const READ_ROLE: usize = HEX + SLOTS;
/**
 * Per member (f64), for a key whose role is a time's (READ_ROLE 2): a number value's epoch ms as
 * reader.ts #timeOf() reads it (NaN: a number that is no time), or -1 when not read (a string, an
 * object, a number #timeOf() reads by Number()).
 */
export const TIME: usize = READ_ROLE + 64;
/** u32 per (key length << 7 | first unit): first word << 8 | number of words with that length and first unit. */
export const GATE: usize = 8192;
/** 64 bytes per role word: u16 role, then the word's units (fewer than 32). */
export const WORDS: usize = GATE + 4 * 4096;
export const MAX_WORDS: i32 = 512;
/** The lines, each followed by a 0 unit (never valid JSON outside or inside a string: the scan stops there). */
export const IN: usize = 65536;
/** Units the input area holds; 16 bytes after it stay 0 for the SIMD reads past a line's end. */
export const IN_UNITS: i32 = 256 * 1024;

let values: i32 = 0;
let deepHit: bool = false;
let tooDeep: bool = false;
let longest: i32 = 0;
let dirty: bool = false;
/** a backslash since scan() last cleared it (before each top-level key) */
let escaped: bool = false;

// Positions are addresses (2 bytes a unit) while scanning, turned into unit indices when stored: no
// base to add on every read. A scan that fails returns address 0 (never a unit's: IN is above it).

@inline function at(p: usize): i32 {
  return <i32>load<u16>(p);
}

@inline function skipWs(p: usize): usize {
  while (true) {
    const c = at(p);
    if (c == 32) {
      p += 2;
      continue;
    }
    if (c == 9 || c == 10 || c == 13) {
      dirty = true;
      p += 2;
      continue;
    }
    return p;
  }
}

@inline function isHex(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Address of the closing quote of the string whose content starts at p, or 0 (not strict JSON). */
@inline function str(p: usize): usize {
  while (true) {
    // 8 units at a time: the first quote, backslash or control character (the line's 0 ends any string)
    const v = v128.load(p);
    const m = i16x8.bitmask(
      v128.or(v128.or(i16x8.eq(v, i16x8.splat(34)), i16x8.eq(v, i16x8.splat(92))), i16x8.lt_u(v, i16x8.splat(32))),
    );
    if (m == 0) {
      p += 16;
      continue;
    }
    p += <usize>ctz(m) << 1;
    const c = at(p);
    if (c == 34) return p;
    if (c == 92) {
      escaped = true;
      dirty = true;
      const e = at(p + 2);
      if (e == 117) {
        if (!(isHex(at(p + 4)) && isHex(at(p + 6)) && isHex(at(p + 8)) && isHex(at(p + 10)))) return 0;
        p += 12;
        continue;
      }
      // " \ / b f n r t
      if (e != 34 && e != 92 && e != 47 && e != 98 && e != 102 && e != 110 && e != 114 && e != 116) return 0;
      p += 4;
      continue;
    }
    return 0;
  }
}

@inline function isDigit(c: i32): bool {
  return <u32>(c - 48) <= 9;
}

/** Address just after a strict JSON number at p, whose first unit is c, or 0. */
@inline function number(p: usize, c: i32): usize {
  if (c == 45) {
    p += 2;
    c = at(p);
  }
  if (c == 48) p += 2;
  else if (c >= 49 && c <= 57) {
    do p += 2;
    while (isDigit(at(p)));
  } else return 0;
  if (at(p) == 46) {
    p += 2;
    if (!isDigit(at(p))) return 0;
    do p += 2;
    while (isDigit(at(p)));
  }
  const e = at(p);
  if (e == 101 || e == 69) {
    p += 2;
    const sg = at(p);
    if (sg == 43 || sg == 45) p += 2;
    if (!isDigit(at(p))) return 0;
    do p += 2;
    while (isDigit(at(p)));
  }
  return p;
}

/** Address just after the JSON value at p (strict), or 0. `c`: its first unit; `depth`: its nesting level. */
function value(p: usize, c: i32, depth: i32): usize {
  if (c == 34) {
    const q = str(p + 2);
    if (q == 0) return 0;
    const span = <i32>((q - p) >> 1);
    if (span > longest) longest = span;
    return q + 2;
  }
  if (c == 123 || c == 91) {
    if (depth > HARD_DEPTH) {
      tooDeep = true;
      return 0;
    }
    if (depth > MAX_FIELD_DEPTH) deepHit = true;
    return c == 123 ? object(p, depth) : array(p, depth);
  }
  // true, false, null: their units as one little-endian u64
  if (c == 116) return load<u64>(p) == 0x0065_0075_0072_0074 ? p + 8 : 0;
  if (c == 102) return load<u64>(p + 2) == 0x0065_0073_006c_0061 ? p + 10 : 0;
  if (c == 110) return load<u64>(p) == 0x006c_006c_0075_006e ? p + 8 : 0;
  return number(p, c);
}

function object(p: usize, depth: i32): usize {
  p += 2;
  let c = at(p);
  if (c <= 32) c = at((p = skipWs(p)));
  if (c == 125) return p + 2;
  while (true) {
    if (c != 34) return 0;
    const ke = str(p + 2);
    if (ke == 0) return 0;
    const span = <i32>((ke - p) >> 1);
    if (span > longest) longest = span;
    p = ke + 2;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
    if (c != 58) return 0;
    p += 2;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
    p = value(p, c, depth + 1);
    if (p == 0) return 0;
    values++;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
    if (c != 44) return c == 125 ? p + 2 : 0;
    p += 2;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
  }
}

function array(p: usize, depth: i32): usize {
  p += 2;
  let c = at(p);
  if (c <= 32) c = at((p = skipWs(p)));
  if (c == 93) return p + 2;
  while (true) {
    p = value(p, c, depth + 1);
    if (p == 0) return 0;
    values++;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
    if (c != 44) return c == 93 ? p + 2 : 0;
    p += 2;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
  }
}

/**
 * Scans the line of `len` units at unit offset `off` of the input area (a 0 unit after it).
 * Returns its members (>= 0), or -1 invalid, -2 too deep, -3 more than MAX_MEMBERS members.
 */
export function scan(off: i32, len: i32): i32 {
  const base = IN + (<usize>off << 1);
  const end = base + (<usize>len << 1);
  values = 0;
  tooDeep = false;
  dirty = false;
  longest = 0;
  let members = 0;
  let p = skipWs(base);
  if (at(p) != 123) return -1;
  p += 2;
  let c = at(p);
  if (c <= 32) c = at((p = skipWs(p)));
  if (c == 125) return finish(skipWs(p + 2) == end, 0);
  while (true) {
    if (c != 34) return -1;
    const ms = p;
    escaped = false;
    const ke = str(p + 2);
    if (ke == 0) return -1;
    const span = <i32>((ke - ms) >> 1);
    if (span > longest) longest = span;
    const keyEscaped = escaped;
    p = ke + 2;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
    if (c != 58) return -1;
    p += 2;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
    deepHit = false;
    const role = keyEscaped ? 0 : roleAt(ms + 2, <i32>((ke - ms - 2) >> 1));
    const read = load<u8>(READ_ROLE + <usize>(role & 63));
    const vs = p;
    let ve: usize;
    if (c == 34) {
      // a string, the commonest value, without the call
      const q = str(p + 2);
      if (q == 0) return -1;
      const vspan = <i32>((q - p) >> 1);
      if (vspan > longest) longest = vspan;
      ve = q + 2;
    } else if (read == 2 && isDigit(c)) {
      // a time's number: read as a time as it is walked (numberTime)
      ve = timeNumber(p, c);
      if (ve == 0) return -1;
    } else if (isDigit(c) || c == 45) {
      // a number, the next commonest, without value()'s call
      ve = number(p, c);
      if (ve == 0) return -1;
    } else {
      ve = value(p, c, 1);
      if (ve == 0) return tooDeep ? -2 : -1;
    }
    ++values;
    if (members == MAX_MEMBERS) return -3;
    const o = <usize>members << 2;
    store<i32>(M_START + o, <i32>((ms - base) >> 1));
    store<i32>(V_START + o, <i32>((vs - base) >> 1));
    store<i32>(V_END + o, <i32>((ve - base) >> 1));
    store<i32>(AFTER + o, values);
    store<u8>(DEEP + <usize>members, deepHit ? 1 : 0);
    store<u8>(ROLE + <usize>members, role);
    if (read == 1) store<u8>(HEX + <usize>members, c == 34 ? hexClass(vs + 2, ve - 2) : 255);
    else if (read == 2) store<f64>(TIME + (<usize>members << 3), isDigit(c) ? numberTime : -1);
    members++;
    p = ve;
    c = at(p);
    if (c <= 32) c = at((p = skipWs(p)));
    if (c == 44) {
      p += 2;
      c = at(p);
      if (c <= 32) c = at((p = skipWs(p)));
      continue;
    }
    if (c == 125) return finish(skipWs(p + 2) == end, members);
    return -1;
  }
}

/**
 * HEX's value for the units in [p, e): 255 unless there are 16 or 32 of them; 8 units at a time, each
 * unit's kind told by three range checks.
 */
function hexClass(p: usize, e: usize): i32 {
  const n = (e - p) >> 1;
  if (n != 16 && n != 32) return 255;
  let zeros: i32 = 0xff;
  let upper: i32 = 0;
  for (; p < e; p += 16) {
    const v = v128.load(p);
    const digit = i16x8.lt_u(i16x8.sub(v, i16x8.splat(48)), i16x8.splat(10));
    const lower = i16x8.lt_u(i16x8.sub(v, i16x8.splat(97)), i16x8.splat(6));
    const up = i16x8.lt_u(i16x8.sub(v, i16x8.splat(65)), i16x8.splat(6));
    if (i16x8.bitmask(v128.or(v128.or(digit, lower), up)) != 0xff) return 0;
    zeros &= i16x8.bitmask(i16x8.eq(v, i16x8.splat(48)));
    upper |= i16x8.bitmask(up);
  }
  // 1 always (hexId() reads 2 and 4 only: whether a 0 was among them changes nothing), 2 unless all are 0
  return 1 | (zeros != 0xff ? 2 : 0) | (upper != 0 ? 4 : 0);
}

/** timeNumber()'s time of the number it walked last */
let numberTime: f64 = -1;

/**
 * number() of a number whose first unit c is a digit, that also reads it as reader.ts #timeOf()
 * reads a number in place, into numberTime: an integer of 10 to 15 digits (epoch s, ms or µs by its
 * size: time.ts epochMs()), or epoch seconds of 10 or 11 digits with a fraction (zap's `ts`: its
 * first three digits are the milliseconds, cut, never rounded). NaN for an integer part under 1e9
 * (no time: an app's `"time": 12.5`); -1 for any other number (an exponent, more digits), left to
 * #timeOf(). One walk: the integer part 4 digits at a time (one u64 of 4 units), the rest one by one.
 * Integers below 2^53: f64 and i64 agree.
 */
function timeNumber(p: usize, c: i32): usize {
  let v: i64 = 0;
  // integer digits (counted past 16, read up to 16)
  let n = 0;
  if (c == 48) {
    p += 2;
    n = 1;
  } else {
    while (n < 16) {
      // 4 units, each a digit when no lane of d (unit − '0') is above 9 (or wrapped below 0)
      const d = load<u64>(p) - 0x0030_0030_0030_0030;
      if ((((d + 0x7ff6_7ff6_7ff6_7ff6) | d) & 0x8000_8000_8000_8000) != 0) break;
      const t = (d * 10 + (d >> 16)) & 0x0000_ffff_0000_ffff;
      v = v * 10_000 + <i64>((t * 100 + (t >> 32)) & 0xffff_ffff);
      p += 8;
      n += 4;
    }
    c = at(p);
    while (isDigit(c)) {
      if (n < 16) v = v * 10 + <i64>(c - 48);
      n++;
      p += 2;
      c = at(p);
    }
  }
  c = at(p);
  // the fraction's first three digits
  let ms: i64 = 0;
  let f = 0;
  if (c == 46) {
    p += 2;
    c = at(p);
    if (!isDigit(c)) return 0;
    do {
      if (f < 3) ms = ms * 10 + <i64>(c - 48);
      f++;
      p += 2;
      c = at(p);
    } while (isDigit(c));
  }
  let exponent = false;
  if (c == 101 || c == 69) {
    exponent = true;
    p += 2;
    const sg = at(p);
    if (sg == 43 || sg == 45) p += 2;
    if (!isDigit(at(p))) return 0;
    do p += 2;
    while (isDigit(at(p)));
  }
  if (v < 1_000_000_000) numberTime = NaN;
  else if (n > 15) numberTime = -1;
  else if (f == 0 && !exponent) {
    if (v < 100_000_000_000) numberTime = <f64>(v * 1000);
    else if (v < 100_000_000_000_000) numberTime = <f64>v;
    else numberTime = Math.floor(<f64>v / 1e3);
  } else if (f == 0 || exponent || v >= 100_000_000_000) numberTime = -1;
  else numberTime = <f64>(v * 1000 + (f == 1 ? ms * 100 : f == 2 ? ms * 10 : ms));
  return p;
}

/** Role of the key of n units at kp (json-record.ts keyRole()): by the word table the JS side wrote (logfmt-scan.ts too). */
export function keyRole(kp: usize, n: i32): i32 {
  return roleAt(kp, n);
}

/**
 * keyRole(), inlined into scan(): most keys end at the gate; a key that passes it is compared with
 * each word of its length and first unit 4 units (one u64) at a time, the last 4 overlapping.
 */
@inline function roleAt(kp: usize, n: i32): i32 {
  const c = at(kp);
  if (n >= 32 || c >= 128) return 0;
  const g = load<u32>(GATE + (((<usize>n << 7) | <usize>c) << 2));
  if (g == 0) return 0;
  const first = g >> 8;
  const last = first + (g & 255);
  for (let w = first; w < last; w++) {
    const wp = WORDS + (<usize>w << 6);
    if (isWord(kp, wp + 2, n)) return load<u16>(wp);
  }
  return 0;
}

/**
 * Are the n units at kp those of the word at wp? Reads up to 4 units past a short key (still the
 * line, its 0 or the read-ahead after the input area) and past a word (its slot's zeros).
 */
@inline function isWord(kp: usize, wp: usize, n: i32): bool {
  if (n <= 4) {
    const mask: u64 = n == 4 ? <u64>-1 : (<u64>1 << (<u64>n << 4)) - 1;
    return ((load<u64>(kp) ^ load<u64>(wp)) & mask) == 0;
  }
  const lastAt = <usize>(n - 4) << 1;
  for (let j: usize = 0; j < lastAt; j += 8) if (load<u64>(kp + j) != load<u64>(wp + j)) return false;
  return load<u64>(kp + lastAt) == load<u64>(wp + lastAt);
}

@inline function finish(ok: bool, members: i32): i32 {
  if (!ok) return -1;
  store<i32>(OUT, dirty ? 1 : 0);
  store<i32>(OUT + 4, longest);
  return members;
}
