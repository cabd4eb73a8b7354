/**
 * A record after a time prefix (README "Structured events", "A record after a time prefix"): the
 * lines `kubectl logs --timestamps`, `docker logs -t` and `docker compose logs -t` print, and
 * CRI's on-disk lines copied as text, put an RFC 3339 time (nanoseconds) and a space before the
 * app's own line:
 *
 *   2024-05-14T09:21:07.412345678Z {"level":"info","msg":"ready"}
 *   2024-05-14T09:21:07.412345678Z level=info msg=ready
 *   2024-05-14T09:21:07.412345678Z stdout F {"level":"info","msg":"ready"}   (CRI: stream, tag)
 *
 * The record after it is read as the record it is. Only a `{` or a logfmt key (`word=`) right
 * after the space (or after CRI's stream and tag) opens this path: an ISO 8601 line of text
 * (`… INFO started`) pays a look at one character, or at its first word's characters.
 */

/** Longest logfmt key looked for after the prefix (logfmt.ts looksLikeLogfmt's reach). */
const KEY_REACH = 64;

/**
 * Where the record starts in s after a time that ends at p (s[p] a space), or -1: a JSON object
 * (`{`, the line ending in `}`) or a logfmt line (`key=`), right after the space or after CRI's
 * `stdout F ` / `stderr P `.
 */
export function recordAfterTime(s: string, p: number): number {
  if (cc(s, p) !== 32) return -1;
  let r = p + 1;
  let c = cc(s, r);
  if (c === 115 && (s.startsWith('stdout ', r) || s.startsWith('stderr ', r))) {
    // CRI's `<stream> <P|F> ` (containerd / CRI-O's file, copied as text)
    const tag = cc(s, r + 7);
    if ((tag !== 70 && tag !== 80) || cc(s, r + 8) !== 32) return -1;
    r += 9;
    c = cc(s, r);
  }
  if (c === 123) return endsObject(s) ? r : -1;
  return logfmtKeyAt(s, r, c) ? r : -1;
}

/** Does s end with `}` (trailing spaces or a CR allowed)? A `{` in prose seldom closes the line. */
function endsObject(s: string): boolean {
  let i = s.length - 1;
  while (i > 0) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 13 && c !== 9) return c === 125;
    i--;
  }
  return false;
}

/**
 * A logfmt key at r (c = s[r]): a lower-case letter or `_` (`time=`, `level=`, `msg=`: a word in
 * capitals there is a text line's level, `INFO`, and costs no look further), then key characters
 * (logfmt.ts KEY_CHARS) up to an `=`.
 */
function logfmtKeyAt(s: string, r: number, c: number): boolean {
  if (!((c >= 97 && c <= 122) || c === 95)) return false;
  const limit = Math.min(s.length, r + KEY_REACH);
  for (let i = r + 1; i < limit; i++) {
    const k = s.charCodeAt(i);
    if (k === 61) return i + 1 < s.length;
    if (
      !(
        (k >= 97 && k <= 122) ||
        (k >= 65 && k <= 90) ||
        (k >= 48 && k <= 57) ||
        k === 95 ||
        k === 46 ||
        k === 45 ||
        k === 47 ||
        k === 64
      )
    )
      return false;
  }
  return false;
}

/** charCodeAt, -1 past the end (lexer.ts cc). */
function cc(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}
