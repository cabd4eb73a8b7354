/**
 * The prefix other tools put before each line of the app's output when they are piped into
 * `forwarder pipe` (README "Multi-line events", "Prefixed input"):
 *
 *   2024-05-14T09:21:07.412345678Z <line>                     kubectl logs --timestamps, docker logs -t
 *   [pod/web-7d9f/app] <line>                                 kubectl logs --prefix
 *   [pod/web-7d9f/app] 2024-05-14T09:21:07.412345678Z <line>  kubectl logs --prefix --timestamps
 *   web-1  | <line>                                           docker compose logs (and up)
 *   web-1  | 2024-05-14T09:21:07.412345678Z <line>            docker compose logs -t
 *
 * The grouper (multiline.ts) decides on the app's own line after it, so that a stack trace under a
 * prefix groups as it does without one; the source (the pod and container, the compose service)
 * is the key: lines of different sources never join. The structured reader takes the prefixes off a
 * grouped trace's lines for its error (structured/errors.ts reads the app's trace, not the prefixes).
 *
 * The time is RFC 3339 with a `T` and a zone (`Z` or `±hh:mm`), a fraction of any length (Go's
 * RFC3339Nano drops trailing zeros), then a space, or the line's end (the app's empty line).
 */

import { HEADER_TIME_END_SHIFT, NO_HEADER_TIME } from './formats/lexer.js';
import { composePrefixEnd, podPrefixEnd } from './structured/time-prefix.js';

/**
 * Reads a line's prefix; its result fields are reused per line (nothing is kept in module state).
 * Only a line that opens with a digit, `[p` or a lower-case letter is looked at further.
 */
export class SourcePrefix {
  /** read(): where the source's key ends (after `] ` or `| `), 0 when there is none (a time alone, or no prefix) */
  keyEnd = 0;

  /**
   * Where the app's own line starts in s (c0 = s's first character, -1 when empty), or 0 when s has
   * no prefix. `facts`: the level detector's facts of the line (formats/lexer.ts), 0 when unknown:
   * NO_HEADER_TIME on a line that opens with a letter says there is no compose bar after its first
   * word (the detector looked), so such a line costs a bit test here.
   */
  read(s: string, c0: number, facts: number): number {
    this.keyEnd = 0;
    let p = 0;
    if (c0 === 91) {
      if (s.charCodeAt(1) !== 112) return 0; // `[p`
      const e = podPrefixEnd(s);
      if (e < 0) return 0;
      p = e + 1;
    } else if (c0 >= 97 && c0 <= 122) {
      if ((facts & NO_HEADER_TIME) !== 0) return 0;
      const e = composePrefixEnd(s);
      if (e < 0) return 0;
      p = e + 1;
    } else if (c0 < 48 || c0 > 57) return 0;
    else {
      // the detector read the line's ISO 8601 header time (structured reading on): where it ends is
      // in the facts, so a line with an app's own ISO header costs four looks rather than a scan
      const e = facts >>> HEADER_TIME_END_SHIFT;
      if (e > 0) return isRfc3339At(s, e) ? (e < s.length ? e + 1 : e) : 0;
    }
    this.keyEnd = p;
    const t = rfc3339End(s, p);
    if (t < 0) return p;
    return t < s.length ? t + 1 : t;
  }
}

/**
 * Where an RFC 3339 date-time with a `T` and a zone that starts at p ends (at a space or the line's
 * end), or -1. `2024-05-14 is the date` and a time without a zone are not one.
 *
 * It runs for every line that opens with a digit, where reading a character measured ~2.5 ns (the
 * pipeline's strings come in several representations): it looks at the `-`, `T` and `:` at their
 * places and at the zone before the first space (a native search), not at each digit.
 */
export function rfc3339End(s: string, p: number): number {
  // reading past the end (NaN) deoptimises V8's compiled code: the shortest is `yyyy-mm-ddThh:mm:ssZ`
  if (
    s.length < p + 20 ||
    s.charCodeAt(p + 10) !== 84 ||
    s.charCodeAt(p + 4) !== 45 ||
    s.charCodeAt(p + 13) !== 58
  )
    return -1;
  let e = s.indexOf(' ', p + 19);
  if (e < 0) e = s.length;
  // `yyyy-mm-ddThh:mm:ss.fffffffff+hh:mm` is 35 characters
  else if (e > p + 35) return -1;
  return isZoneEnd(s, e) ? e : -1;
}

/** Does the date-time that ends at e end with a zone, `Z` or `±hh:mm`? */
function isZoneEnd(s: string, e: number): boolean {
  const z = s.charCodeAt(e - 1);
  if (z === 90) return true;
  const sign = s.charCodeAt(e - 6);
  return (sign === 43 || sign === 45) && s.charCodeAt(e - 3) === 58 && isDigit(z);
}

/**
 * Is the ISO 8601 date-time that opens s and ends at e (the level detector read it) one with a `T`
 * and a zone, followed by a space or the line's end? (The detector's also has a space for the `T`,
 * or no zone.)
 */
function isRfc3339At(s: string, e: number): boolean {
  return s.charCodeAt(10) === 84 && (e === s.length || s.charCodeAt(e) === 32) && isZoneEnd(s, e);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * text (a grouped event's lines) without the prefix of each line that carries its first line's
 * source prefix, when its first two lines both carry one (input piped from kubectl or docker
 * compose); else text itself (an app's own ISO 8601 header before its unprefixed stack trace is
 * the app's line, kept). `prefix`: the reader's reused SourcePrefix.
 */
export function withoutPrefixes(text: string, prefix: SourcePrefix): string {
  const nl = text.indexOf('\n');
  if (nl < 0) return text;
  const first = prefix.read(text, text.charCodeAt(0), 0);
  if (first === 0) return text;
  const keyEnd = prefix.keyEnd;
  const lines = text.split('\n');
  const key = text.slice(0, keyEnd);
  if (prefixOf(lines[1]!, prefix, key) === 0) return text;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const b = prefixOf(line, prefix, key);
    if (b > 0) lines[i] = line.slice(b);
  }
  return lines.join('\n');
}

/** The prefix's end in line when its source key is `key` ('' for a time alone), else 0. */
function prefixOf(line: string, prefix: SourcePrefix, key: string): number {
  const b = prefix.read(line, line.length > 0 ? line.charCodeAt(0) : -1, 0);
  return b > 0 && prefix.keyEnd === key.length && line.startsWith(key) ? b : 0;
}
