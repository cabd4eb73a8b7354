/**
 * A logfmt record (logrus's text formatter off a TTY, slog's TextHandler, go-kit, Heroku router,
 * zerolog's console writer with NoColor off, …): `key=value key2="quoted value"` and nothing else.
 * A line is logfmt only when every token is a pair and there are at least two, so prose such as
 * `user=alice logged in` stays text. Values stay text (as written); quoted values are unescaped
 * the way Go's strconv.Quote escapes them.
 */

import { keyRole } from './json-record.js';
import { WASM_SINGLE_QUOTED, type WasmLogfmtScan } from './logfmt-scan-wasm.js';

/** Pairs read from one line; more are cut (and counted). */
export const MAX_LOGFMT_PAIRS = 256;

/** [A-Za-z0-9_./@-] by character code (a table: one load per character on the first word of every text line) */
const KEY_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  KEY_CHARS[c] =
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 46 ||
    c === 45 ||
    c === 47 ||
    c === 64
      ? 1
      : 0;
}

/** A logfmt key character (KEY_CHARS). */
export function isKeyChar(c: number): boolean {
  return c < 128 && KEY_CHARS[c] === 1;
}

/** Could this line be logfmt? (first byte a key character that is not a digit, then `key=`) */
export function looksLikeLogfmt(s: string, c0: number): boolean {
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95)) return false;
  const limit = Math.min(s.length, 64);
  for (let i = 1; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (c === 61) return true;
    if (!isKeyChar(c)) return false;
  }
  return false;
}

/**
 * The pairs of one line, as offsets into it (reused arrays: reading a line allocates nothing; only
 * the values the event keeps become strings, see value()). With the WebAssembly scan (useWasm()),
 * the arrays are the module's memory, which both scans write (the JS one for the lines the module
 * does not take).
 */
export class LogfmtReader {
  keyStart: Int32Array = new Int32Array(MAX_LOGFMT_PAIRS);
  keyEnd: Int32Array = new Int32Array(MAX_LOGFMT_PAIRS);
  /** the value's text, inside its quotes when quoted */
  valueStart: Int32Array = new Int32Array(MAX_LOGFMT_PAIRS);
  valueEnd: Int32Array = new Int32Array(MAX_LOGFMT_PAIRS);
  /** 1: the value was quoted; 2: quoted with a backslash escape (value() unescapes it); 3: quoted, its quotes not JSON's (readRepr) */
  quoted: Uint8Array = new Uint8Array(MAX_LOGFMT_PAIRS);
  /** the key's role (json-record.ts keyRole()) */
  role: Uint8Array = new Uint8Array(MAX_LOGFMT_PAIRS);
  /** set by the caller before fieldsJson(): 1 for a pair left out of the fields (taken as message, level, time…) */
  omit: Uint8Array = new Uint8Array(MAX_LOGFMT_PAIRS);
  /**
   * false when the line read last holds no trace id form that TraceIds.scanText() finds (told by the
   * WebAssembly scan as it reads; true for a line the JS scan read: scanText()'s own gate decides)
   */
  mayHoldIds = true;
  #wasm: WasmLogfmtScan | undefined;
  /** where the WebAssembly scan holds the line it read last (readAt()), -1 when the JS scan read it */
  #heldAt = -1;
  count = 0;
  /** pairs past MAX_LOGFMT_PAIRS */
  cut = 0;

  /** read(): a value it took opens with `'` (written as structlog's KeyValueRenderer writes text) */
  singleQuoted = false;

  /** Reads lines by the WebAssembly scan from now on (readAt()): the arrays become its memory's. */
  useWasm(w: WasmLogfmtScan): void {
    this.#wasm = w;
    this.keyStart = w.keyStart;
    this.keyEnd = w.keyEnd;
    this.valueStart = w.valueStart;
    this.valueEnd = w.valueEnd;
    this.quoted = w.quoted;
    this.role = w.role;
    this.omit = w.omit;
  }

  /**
   * read(s), for a line the WebAssembly scan holds at `at` (WasmJsonScan.add(); -1: read here). The
   * same results either way (wasm-logfmt.test.ts); a line with a value opening with `'` is read here.
   */
  readAt(s: string, at: number): boolean {
    const w = this.#wasm;
    if (at < 0 || w === undefined || !w.holds()) return this.read(s);
    const n = w.scan(at, s.length);
    if (n < 0) {
      if (n === WASM_SINGLE_QUOTED) return this.read(s);
      this.#heldAt = -1;
      this.count = 0;
      this.cut = 0;
      this.singleQuoted = false;
      return false;
    }
    this.count = Math.min(n, MAX_LOGFMT_PAIRS);
    this.cut = n - this.count;
    this.singleQuoted = false;
    this.#heldAt = at;
    this.mayHoldIds = w.mayHoldIds[0] !== 0;
    return true;
  }

  /**
   * Pair m's value as time.ts textTime() reads it, where the WebAssembly scan read it as it scanned
   * the line (a key of the time roles given to WasmLogfmtScan.of(), an RFC 3339 time with its zone);
   * NaN when the caller reads it (textTime()).
   */
  scannedTime(m: number): number {
    return this.#heldAt >= 0 ? this.#wasm!.time[m]! : Number.NaN;
  }

  /**
   * The JSON text of the pairs read last that `omit` does not mark (undefined when none):
   * `{"key":"value",…}`. Keys are [A-Za-z0-9_.\-/@] only (nothing to escape); a value is its own
   * text in quotes unless it needs JSON escapes. Written by the WebAssembly module as one string for
   * a line it read (no string per piece: ~5 small allocations per pair saved), else joined here.
   */
  fieldsJson(s: string): string | undefined {
    const w = this.#wasm;
    if (this.#heldAt >= 0 && w !== undefined) {
      const text = w.fields(this.#heldAt, this.count);
      if (text !== undefined) return text.length === 2 ? undefined : text;
    }
    const omit = this.omit;
    let out = '';
    for (let m = 0; m < this.count; m++) {
      if (omit[m] === 1) continue;
      const vs = this.valueStart[m]!;
      const ve = this.valueEnd[m]!;
      const q = this.quoted[m]!;
      const value =
        q === 2
          ? JSON.stringify(this.value(s, m))
          : needsEscaping(s, vs, ve)
            ? JSON.stringify(s.slice(vs, ve))
            : '';
      const key = s.slice(this.keyStart[m]!, this.keyEnd[m]!);
      if (value !== '') out += out === '' ? `"${key}":${value}` : `,"${key}":${value}`;
      // quoted: the line's own `"…"`; unquoted: the text between quotes
      else if (q === 1)
        out += out === '' ? `"${key}":${s.slice(vs - 1, ve + 1)}` : `,"${key}":${s.slice(vs - 1, ve + 1)}`;
      else out += out === '' ? `"${key}":"${s.slice(vs, ve)}"` : `,"${key}":"${s.slice(vs, ve)}"`;
    }
    if (out === '') return undefined;
    const json = `{${out}}`;
    json.charCodeAt(1); // flattens the joins now: the queued event then holds one string, not a piece per pair
    return json;
  }

  /** Reads all of s as pairs; false when any token is not a pair or there are fewer than two. */
  read(s: string): boolean {
    this.#heldAt = -1;
    this.mayHoldIds = true;
    this.count = 0;
    this.cut = 0;
    this.singleQuoted = false;
    this.#backslash = -2;
    const len = s.length;
    let i = 0;
    let pairs = 0;
    while (i < len) {
      let c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) {
        i++;
        continue;
      }
      const ks = i;
      while (i < len && isKeyChar(s.charCodeAt(i))) i++;
      if (i === ks || i >= len || s.charCodeAt(i) !== 61) return false;
      const ke = i;
      i++;
      let vs: number;
      let ve: number;
      let quoted = 0;
      c = i < len ? s.charCodeAt(i) : -1;
      if (c === 34) {
        const end = this.#quotedEnd(s, i + 1);
        if (end < 0) return false;
        vs = i + 1;
        ve = end;
        quoted = this.#escaped ? 2 : 1;
        i = end + 1;
        if (i < len && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9 && s.charCodeAt(i) !== 13)
          return false;
      } else {
        vs = i;
        if (c === 39 && this.count < MAX_LOGFMT_PAIRS) this.singleQuoted = true;
        while (i < len) {
          const d = s.charCodeAt(i);
          if (d === 32 || d === 9 || d === 13) break;
          if (d === 34 || d === 61) return false; // `a=b=c`, `a=b"c`: not logfmt as libraries write it
          i++;
        }
        ve = i;
      }
      pairs++;
      this.#addPair(s, ks, ke, vs, ve, quoted);
    }
    return pairs >= 2;
  }

  /** Keeps one pair's offsets and its key's role, or counts it cut past MAX_LOGFMT_PAIRS. */
  #addPair(s: string, ks: number, ke: number, vs: number, ve: number, quoted: number): void {
    const m = this.count;
    if (m < MAX_LOGFMT_PAIRS) {
      this.role[m] = keyRole(s, ks, ke);
      this.keyStart[m] = ks;
      this.keyEnd[m] = ke;
      this.valueStart[m] = vs;
      this.valueEnd[m] = ve;
      this.quoted[m] = quoted;
      this.count = m + 1;
    } else this.cut++;
  }

  #escaped = false;

  /**
   * structlog's KeyValueRenderer (https://www.structlog.org/en/stable/api.html#structlog.processors.KeyValueRenderer):
   * `key=repr(value)`, so text is single-quoted (`event='user logged in'`, double-quoted when it holds
   * a `'`), with Python's backslash escapes, and a dict, list or tuple spans spaces
   * (`data={'a': 1}`). Read apart from read() (its loop stays the one every logfmt line takes):
   * tried only for a line read() took with a value opening with `'`, or refused with a `'` in it. False unless every token is a pair, there are two or
   * more, and one value is single-quoted. Quoted values are marked 3 (as written) or 2 (escaped).
   */
  readRepr(s: string): boolean {
    this.#heldAt = -1;
    this.mayHoldIds = true;
    this.count = 0;
    this.cut = 0;
    const len = s.length;
    let i = 0;
    let pairs = 0;
    let single = false;
    while (i < len) {
      const c0 = s.charCodeAt(i);
      if (c0 === 32 || c0 === 9 || c0 === 13) {
        i++;
        continue;
      }
      const ks = i;
      while (i < len && isKeyChar(s.charCodeAt(i))) i++;
      if (i === ks || i >= len || s.charCodeAt(i) !== 61) return false;
      const ke = i++;
      const c = i < len ? s.charCodeAt(i) : -1;
      let vs = i;
      let ve: number;
      let quoted = 0;
      if (c === 39 || c === 34) {
        let escaped = false;
        let j = i + 1;
        while (j < len && s.charCodeAt(j) !== c) {
          if (s.charCodeAt(j) === 92) {
            escaped = true;
            j++;
          }
          j++;
        }
        if (j >= len) return false;
        if (c === 39) single = true;
        vs = i + 1;
        ve = j;
        quoted = escaped ? 2 : 3;
        i = j + 1;
      } else if (c === 123 || c === 91 || c === 40) {
        i = reprEnd(s, i);
        if (i < 0) return false;
        ve = i;
      } else {
        while (i < len && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9 && s.charCodeAt(i) !== 13) i++;
        ve = i;
      }
      if (i < len && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9 && s.charCodeAt(i) !== 13) return false;
      pairs++;
      this.#addPair(s, ks, ke, vs, ve, quoted);
    }
    return pairs >= 2 && single;
  }

  /** the line's first backslash from where #quotedEnd last searched, -1 when none; -2: not searched yet (read() resets it) */
  #backslash = -2;

  /**
   * Index of the closing quote of the value whose text starts at i, or -1; notes a backslash in it.
   * Two native searches when no backslash comes before the next `"` (most values); else character by
   * character, as escapes decide where the value ends.
   */
  #quotedEnd(s: string, i: number): number {
    const q = s.indexOf('"', i);
    if (q < 0) return -1;
    let b = this.#backslash;
    if (b === -2 || (b >= 0 && b < i)) {
      b = s.indexOf('\\', i);
      this.#backslash = b;
    }
    if (b < 0 || b > q) {
      this.#escaped = false;
      return q;
    }
    const len = s.length;
    let escaped = false;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.#escaped = escaped;
        return i;
      }
      if (c === 92) {
        escaped = true;
        i += 2;
      } else i++;
    }
    return -1;
  }

  /** Pair m's value as text (quoted values unescaped the way Go's strconv.Quote escapes them). */
  value(s: string, m: number): string {
    const vs = this.valueStart[m]!;
    const ve = this.valueEnd[m]!;
    return this.quoted[m] === 2 ? unquote(s, vs, ve) : s.slice(vs, ve);
  }
}

/** End (exclusive) of the Python repr of a dict, list or tuple opening at i, quotes respected; -1 if it does not close. */
function reprEnd(s: string, i: number): number {
  let depth = 0;
  let quote = 0;
  for (let j = i; j < s.length && j - i < 65536; j++) {
    const c = s.charCodeAt(j);
    if (quote !== 0) {
      if (c === 92) j++;
      else if (c === quote) quote = 0;
    } else if (c === 39 || c === 34) quote = c;
    else if (c === 123 || c === 91 || c === 40) depth++;
    else if ((c === 125 || c === 93 || c === 41) && --depth === 0) return j + 1;
  }
  return -1;
}

function unquote(s: string, p: number, e: number): string {
  let b = s.indexOf('\\', p);
  if (b < 0 || b >= e) return s.slice(p, e);
  // the runs between escapes copied whole (one piece each, not one per character: a Go error's
  // `err="Post \"http://…\": …"` cost ~200 ns a line that way)
  let out = '';
  let run = p;
  while (b >= 0 && b < e - 1) {
    out += s.slice(run, b);
    const n = s.charCodeAt(b + 1);
    run = b + 2;
    if (n === 110) out += '\n';
    else if (n === 116) out += '\t';
    else if (n === 114) out += '\r';
    else if (n === 120 && b + 4 <= e && isHex(s, b + 2, 2)) {
      // Python's repr and Go's strconv.Quote write other control characters as \xNN
      out += String.fromCharCode(Number.parseInt(s.slice(b + 2, b + 4), 16));
      run = b + 4;
    } else if (n === 117 && b + 6 <= e && isHex(s, b + 2, 4)) {
      out += String.fromCharCode(Number.parseInt(s.slice(b + 2, b + 6), 16));
      run = b + 6;
    } else out += s[b + 1];
    b = s.indexOf('\\', run);
  }
  // a lone backslash at the end stays
  return out + s.slice(run, e);
}

/** Are the n characters at s[p..] hex digits? */
function isHex(s: string, p: number, n: number): boolean {
  for (let i = p; i < p + n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** Would JSON.stringify escape anything in s[p..e)? Control characters, `"`, `\` and lone surrogates. */
function needsEscaping(s: string, p: number, e: number): boolean {
  for (let i = p; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
