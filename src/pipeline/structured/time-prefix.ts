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
 * `kubectl logs --prefix` puts the pod and container first (podPrefixEnd), with or without the time:
 *
 *   [pod/web-7d4b9c-x2k/app] {"level":"info","msg":"ready"}
 *
 * `docker compose logs` (and `up`) the service's container, padded, and a bar (composePrefixEnd):
 *
 *   web-1  | {"level":"info","msg":"ready"}
 *
 * and a syslog or Heroku header puts its host and tag before the app's JSON (afterTag):
 *
 *   May 14 09:21:07 web-1 app[123]: {"level":"error","msg":"boom"}           (BSD syslog, journalctl)
 *   2024-05-14T09:21:07.412345+00:00 app[web.1]: {"level":"info","msg":"ok"}  (Heroku)
 *   <165>1 2024-05-14T09:21:07.412Z host app 1234 ID47 - {"msg":"x"}          (RFC 5424)
 *
 * The record after it is read as the record it is. Only a `{` or a logfmt key (`word=`) right
 * after the space (or after CRI's stream and tag) opens this path: an ISO 8601 line of text
 * (`… INFO started`) pays a look at one character, or at its first word's characters.
 */

import { isKeyChar } from './logfmt.js';

/**
 * Where `kubectl logs --prefix`'s `[pod/<name>/<container>]` ends (the space after it), or -1: the
 * pod's and container's names are DNS labels, so no space or `]` inside.
 */
export function podPrefixEnd(s: string): number {
  if (!s.startsWith('[pod/', 0)) return -1;
  const q = s.indexOf('] ', 5);
  if (q < 0 || q > 320) return -1;
  const slash = s.indexOf('/', 5);
  return slash > 5 && slash < q && s.indexOf(' ', 5) > q ? q + 1 : -1;
}

/**
 * Where `docker compose logs` / `up`'s `<service>-<n>  | ` ends (the space after the bar), or -1:
 * the container's name (letters, digits, `.`, `_`, `-`), padded with spaces, then `| `.
 */
export function composePrefixEnd(s: string): number {
  let i = 0;
  for (; i < 64; i++) {
    const c = cc(s, i);
    if (
      !(
        (c >= 97 && c <= 122) ||
        (c >= 48 && c <= 57) ||
        (c >= 65 && c <= 90) ||
        c === 45 ||
        c === 95 ||
        c === 46
      )
    )
      break;
  }
  if (i === 0 || cc(s, i) !== 32) return -1;
  let j = i;
  while (j - i < 40 && cc(s, j) === 32) j++;
  return cc(s, j) === 124 && cc(s, j + 1) === 32 ? j + 1 : -1;
}

/** Longest logfmt key looked for after the prefix (logfmt.ts looksLikeLogfmt's reach). */
const KEY_REACH = 64;

/**
 * Where the record starts in s after a time that ends at p (s[p] a space), or -1: a JSON object
 * (`{`, the line ending in `}`) or a logfmt line (`key=`), right after the space or after CRI's
 * `stdout F ` / `stderr P `; or a JSON object after a syslog or Heroku header's tag (afterTag).
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
  if (logfmtKeyAt(s, r, c)) return r;
  return endsObject(s) ? afterTag(s, r) : -1;
}

/** Tokens read after a header's time before its record (RFC 5424's host, app, procid, msgid, SD). */
const MAX_TOKENS = 5;

/**
 * Where a JSON record starts after a syslog or Heroku header's tokens from r, or -1: a tag ending
 * in `:` (`web-1 app[123]: {…}`: BSD syslog, `journalctl`; `app[web.1]: {…}`: Heroku's drains) or
 * RFC 5424's nil structured data `-` (`host app 1234 ID47 - {…}`), then `{`. A line that does not
 * end with `}` never gets here.
 */
function afterTag(s: string, r: number): number {
  for (let k = 0; k < MAX_TOKENS; k++) {
    const q = s.indexOf(' ', r);
    if (q < 0 || q - r > 128) return -1;
    if (cc(s, q + 1) === 123) {
      const last = cc(s, q - 1);
      // the tag is the first token (Heroku) or the second (BSD syslog's host, then tag); RFC 5424's
      // `-` the fifth: a word with a colon further on is the app's text (`payload: {…}`)
      return (last === 58 && k <= 1) || (last === 45 && q - r === 1 && k === 4) ? q + 1 : -1;
    }
    r = q + 1;
  }
  return -1;
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
    if (!isKeyChar(k)) return false;
  }
  return false;
}

/** charCodeAt, -1 past the end (lexer.ts cc). */
function cc(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}
