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
/** u32 per (key length << 7 | first unit): first word << 8 | number of words with that length and first unit. */
export const GATE: usize = 8192;
/** 64 bytes per role word: u16 role, then the word's units (fewer than 32). */
export const WORDS: usize = GATE + 4 * 4096;
export const MAX_WORDS: i32 = 512;
/** The lines, each followed by a 0 unit (never valid JSON outside or inside a string: the scan stops there). */
export const IN: usize = 65536;
/** Units the input area holds; 16 bytes after it stay 0 for the SIMD reads past a line's end. */
export const IN_UNITS: i32 = 256 * 1024;

let base: usize = 0;
let values: i32 = 0;
let deepHit: bool = false;
let tooDeep: bool = false;
let longest: i32 = 0;
let dirty: bool = false;
let escaped: bool = false;

@inline function at(i: i32): i32 {
  return <i32>load<u16>(base + (<usize>i << 1));
}

@inline function skipWs(i: i32): i32 {
  while (true) {
    const c = at(i);
    if (c == 32) { i++; continue; }
    if (c == 9 || c == 10 || c == 13) { dirty = true; i++; continue; }
    return i;
  }
}

@inline function isHex(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Index of the closing quote of the string whose content starts at i, or -1 (not strict JSON). */
function str(i: i32): i32 {
  escaped = false;
  const q = i16x8.splat(34);
  const b = i16x8.splat(92);
  const sp = i16x8.splat(32);
  while (true) {
    const v = v128.load(base + (<usize>i << 1));
    const m = i16x8.bitmask(v128.or(v128.or(i16x8.eq(v, q), i16x8.eq(v, b)), i16x8.lt_u(v, sp)));
    if (m == 0) {
      i += 8;
      continue;
    }
    i += ctz(m);
    const c = at(i);
    if (c == 34) return i;
    if (c == 92) {
      escaped = true;
      dirty = true;
      const e = at(i + 1);
      if (e == 117) {
        if (!(isHex(at(i + 2)) && isHex(at(i + 3)) && isHex(at(i + 4)) && isHex(at(i + 5)))) return -1;
        i += 6;
        continue;
      }
      if (e != 34 && e != 92 && e != 47 && e != 98 && e != 102 && e != 110 && e != 114 && e != 116) return -1;
      i += 2;
      continue;
    }
    return -1;
  }
}

@inline function isDigit(c: i32): bool {
  return <u32>(c - 48) <= 9;
}

function number(i: i32, c: i32): i32 {
  if (c == 45) c = at(++i);
  if (c == 48) i++;
  else if (c >= 49 && c <= 57) {
    do i++;
    while (isDigit(at(i)));
  } else return -1;
  if (at(i) == 46) {
    i++;
    if (!isDigit(at(i))) return -1;
    do i++;
    while (isDigit(at(i)));
  }
  const e = at(i);
  if (e == 101 || e == 69) {
    i++;
    const sg = at(i);
    if (sg == 43 || sg == 45) i++;
    if (!isDigit(at(i))) return -1;
    do i++;
    while (isDigit(at(i)));
  }
  return i;
}

function value(i: i32, c: i32, depth: i32): i32 {
  if (c == 34) {
    const q = str(i + 1);
    if (q < 0) return -1;
    if (q - i > longest) longest = q - i;
    return q + 1;
  }
  if (c == 123 || c == 91) {
    if (depth > HARD_DEPTH) {
      tooDeep = true;
      return -1;
    }
    if (depth > MAX_FIELD_DEPTH) deepHit = true;
    return c == 123 ? object(i, depth) : array(i, depth);
  }
  const p = base + (<usize>i << 1);
  if (c == 116) return load<u64>(p) == 0x0065_0075_0072_0074 ? i + 4 : -1;
  if (c == 102) return load<u64>(p + 2) == 0x0065_0073_006c_0061 ? i + 5 : -1;
  if (c == 110) return load<u64>(p) == 0x006c_006c_0075_006e ? i + 4 : -1;
  return number(i, c);
}

function object(i: i32, depth: i32): i32 {
  i++;
  let c = at(i);
  if (c <= 32) c = at((i = skipWs(i)));
  if (c == 125) return i + 1;
  while (true) {
    if (c != 34) return -1;
    const ke = str(i + 1);
    if (ke < 0) return -1;
    if (ke - i > longest) longest = ke - i;
    i = ke + 1;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
    if (c != 58) return -1;
    i++;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
    i = value(i, c, depth + 1);
    if (i < 0) return -1;
    values++;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
    if (c != 44) return c == 125 ? i + 1 : -1;
    i++;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
  }
}

function array(i: i32, depth: i32): i32 {
  i++;
  let c = at(i);
  if (c <= 32) c = at((i = skipWs(i)));
  if (c == 93) return i + 1;
  while (true) {
    i = value(i, c, depth + 1);
    if (i < 0) return -1;
    values++;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
    if (c != 44) return c == 93 ? i + 1 : -1;
    i++;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
  }
}

/**
 * Scans the line of `len` units at unit offset `off` of the input area (a 0 unit after it).
 * Returns members (>= 0), -1 invalid, -2 too deep, -3 more than MAX_MEMBERS members.
 */
export function scan(off: i32, len: i32): i32 {
  base = IN + (<usize>off << 1);
  values = 0;
  tooDeep = false;
  dirty = false;
  longest = 0;
  let members = 0;
  let i = skipWs(0);
  if (at(i) != 123) return -1;
  i++;
  let c = at(i);
  if (c <= 32) c = at((i = skipWs(i)));
  if (c == 125) return finish(skipWs(i + 1) == len, 0);
  while (true) {
    if (c != 34) return -1;
    const ms = i;
    const ke = str(i + 1);
    if (ke < 0) return -1;
    if (ke - ms > longest) longest = ke - ms;
    const keyEscaped = escaped;
    i = ke + 1;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
    if (c != 58) return -1;
    i++;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
    deepHit = false;
    const vs = i;
    const ve = value(i, c, 1);
    if (ve < 0) return tooDeep ? -2 : -1;
    ++values;
    if (members == MAX_MEMBERS) return -3;
    const o = <usize>members << 2;
    store<i32>(M_START + o, ms);
    store<i32>(V_START + o, vs);
    store<i32>(V_END + o, ve);
    store<i32>(AFTER + o, values);
    store<u8>(DEEP + <usize>members, deepHit ? 1 : 0);
    store<u8>(ROLE + <usize>members, keyEscaped ? 0 : keyRole(ms + 1, ke));
    members++;
    i = ve;
    c = at(i);
    if (c <= 32) c = at((i = skipWs(i)));
    if (c == 44) {
      i++;
      c = at(i);
      if (c <= 32) c = at((i = skipWs(i)));
      continue;
    }
    if (c == 125) return finish(skipWs(i + 1) == len, members);
    return -1;
  }
}

function keyRole(ks: i32, ke: i32): i32 {
  const n = ke - ks;
  const c = at(ks);
  if (n >= 32 || c >= 128) return 0;
  const g = load<u32>(GATE + (((<usize>n << 7) | <usize>c) << 2));
  if (g == 0) return 0;
  const first = g >> 8;
  const last = first + (g & 255);
  const kp = base + (<usize>ks << 1);
  for (let w = first; w < last; w++) {
    const wp = WORDS + (<usize>w << 6);
    let j = 1;
    while (j < n && load<u16>(kp + (<usize>j << 1)) == load<u16>(wp + 2 + (<usize>j << 1))) j++;
    if (j == n) return load<u16>(wp);
  }
  return 0;
}

@inline function finish(ok: bool, members: i32): i32 {
  if (!ok) return -1;
  store<i32>(OUT, dirty ? 1 : 0);
  store<i32>(OUT + 4, longest);
  return members;
}
