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
import { IN, keyRole } from './json-scan';

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
/** LF_ROLE's end: below json-scan.ts IN (checked by the JS side). */
export const LF_END: usize = LF_ROLE + LF_SLOTS;

/** logfmtScan()'s answers besides a pair count */
const NOT_LOGFMT: i32 = -1;
/** a recorded value opens with `'` (structlog's repr): the JS side reads the line */
const SINGLE_QUOTED: i32 = -2;

/** logfmt.ts KEY_CHARS: [A-Za-z0-9_./@-] */
@inline function isKeyChar(c: i32): bool {
  return (
    <u32>((c | 32) - 97) < 26 || <u32>(c - 48) < 10 || c == 95 || c == 46 || c == 45 || c == 47 || c == 64
  );
}

@inline function isSpace(c: i32): bool {
  return c == 32 || c == 9 || c == 13;
}

// The searches below read 8 units at a time (SIMD), past the line's end too (json-scan.ts keeps 16
// bytes after the input area): a hit at or past the end is taken as the end.

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
    while (p < end && isKeyChar(<i32>load<u16>(p))) p += 2;
    if (p == ks || p >= end || load<u16>(p) != 61) return NOT_LOGFMT;
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
      store<u8>(LF_ROLE + <usize>pairs, <u8>keyRole(ks, <i32>((ke - ks) >> 1)));
    }
    pairs++;
  }
  return pairs >= 2 ? pairs : NOT_LOGFMT;
}
