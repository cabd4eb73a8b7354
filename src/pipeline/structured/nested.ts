import { skipValue, stringEnd } from '../formats/chars.js';
import { keyRole, skipWs } from './json-record.js';

/** Members read one level down; an object with more is read up to here (the roles sit near its start). */
const MAX_NESTED = 64;

/**
 * The members of one object value one level down in a validated record (tracing-subscriber's
 * `fields`, loguru's `record`, LoggerJSON's `syslog`), each with the role its key plays at the top
 * level (keyRole). Read only for a record whose top level lacks a message, level or time, so a
 * record that has them pays nothing. One per reader, reused.
 *
 * `cut(k)` marks members taken as the record's message, level or time; `text()` is then the
 * object's text without them, the rest nested as the app wrote it.
 */
export class NestedMembers {
  /** per member: its key's opening quote, its value's start and end, its key's role */
  readonly keyStart = new Int32Array(MAX_NESTED);
  readonly valueStart = new Int32Array(MAX_NESTED);
  readonly valueEnd = new Int32Array(MAX_NESTED);
  readonly role = new Uint8Array(MAX_NESTED);
  readonly #cut = new Uint8Array(MAX_NESTED);
  count = 0;
  cuts = 0;
  /** the object's own [start, end) */
  start = 0;
  end = 0;
  /** where the member after the last one read starts, when reading stopped at MAX_NESTED; -1 when all were read */
  #next = -1;

  /**
   * Reads the object at s[vs..ve); false when it is no object. The scanner validated it, so values
   * are skipped, not validated again (formats/chars.ts skipValue: brackets and strings only).
   */
  read(s: string, vs: number, ve: number): boolean {
    this.count = 0;
    this.cuts = 0;
    this.start = vs;
    this.end = ve;
    this.#next = -1;
    if (s.charCodeAt(vs) !== 123) return false;
    let i = skipWs(s, vs + 1);
    if (s.charCodeAt(i) === 125) return true;
    for (;;) {
      if (this.count === MAX_NESTED) {
        this.#next = i;
        return true;
      }
      if (s.charCodeAt(i) !== 34) return false;
      const ks = i;
      const ke = stringEnd(s, i + 1);
      if (ke < 0) return false;
      // an escaped key matches no role word (they have no backslash)
      const role = keyRole(s, ks + 1, ke);
      i = skipWs(s, skipWs(s, ke + 1) + 1);
      const e = skipValue(s, i);
      if (e < 0) return false;
      const k = this.count++;
      this.keyStart[k] = ks;
      this.valueStart[k] = i;
      this.valueEnd[k] = e;
      this.role[k] = role;
      this.#cut[k] = 0;
      i = skipWs(s, e);
      if (s.charCodeAt(i) !== 44) return true;
      i = skipWs(s, i + 1);
    }
  }

  cut(k: number): void {
    if (this.#cut[k] === 0) this.cuts++;
    this.#cut[k] = 1;
  }

  /** The object's text without the members cut (the kept ones as written, joined by commas); '' when none is left. */
  text(s: string): string {
    let out = '';
    for (let k = 0; k < this.count; k++) {
      if (this.#cut[k] === 1) continue;
      const piece = s.slice(this.keyStart[k]!, this.valueEnd[k]!);
      out += out === '' ? piece : `,${piece}`;
    }
    // members past MAX_NESTED: as written, up to the closing brace
    if (this.#next >= 0) {
      const rest = s.slice(this.#next, this.end - 1);
      out += out === '' ? rest : `,${rest}`;
    }
    return out === '' ? '' : `{${out}}`;
  }
}

/**
 * The value of `key` in the object at s[vs..) (validated: values are skipped), as [start, end) of its text without
 * quotes; false when absent or when vs holds no object. The caller tells a quoted value by the
 * character before start.
 */
export function memberValue(
  s: string,
  vs: number,
  key: string,
  out: { start: number; end: number },
): boolean {
  if (s.charCodeAt(vs) !== 123) return false;
  let i = skipWs(s, vs + 1);
  for (let guard = 0; guard < MAX_NESTED && s.charCodeAt(i) === 34; guard++) {
    const ke = stringEnd(s, i + 1);
    if (ke < 0) return false;
    const match = ke - i - 1 === key.length && s.startsWith(key, i + 1);
    i = skipWs(s, skipWs(s, ke + 1) + 1);
    const e = skipValue(s, i);
    if (e < 0) return false;
    if (match) {
      const quoted = s.charCodeAt(i) === 34;
      out.start = quoted ? i + 1 : i;
      out.end = quoted ? e - 1 : e;
      return true;
    }
    i = skipWs(s, e);
    if (s.charCodeAt(i) !== 44) return false;
    i = skipWs(s, i + 1);
  }
  return false;
}
