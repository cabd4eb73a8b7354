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
 * is the key: lines of different sources never join. Where the app's line starts comes with the
 * line from the level detector, which reads the prefix for the level after it (its facts,
 * formats/lexer.ts BODY_START_SHIFT): a line pays nothing more here on the per-line path. This file
 * reads the prefixes where no detector did: the structured reader takes them off a grouped trace's
 * lines for its error (structured/errors.ts reads the app's trace, not the prefixes).
 *
 * The time is RFC 3339 with a `T` and a zone (`Z` or `±hh:mm`), a fraction of any length, then a
 * space, or the line's end (the app's empty line). The level detector, which decides for the
 * grouper, takes a time alone as a tool's only with 7 fraction digits or more (kubectl and docker
 * write 9: formats/detect.ts).
 */

import { composePrefixEnd, podPrefixEnd } from './structured/time-prefix.js';

/**
 * Reads a line's prefix where no level detector did; its result fields are reused per line (nothing
 * is kept in module state). Only a line that opens with a digit, `[p` or a lower-case letter is
 * looked at further.
 */
export class SourcePrefix {
  /** read(): where the source's key ends (after `] ` or `| `), 0 when there is none (a time alone, or no prefix) */
  keyEnd = 0;

  /**
   * Where the app's own line starts in s (c0 = s's first character, -1 when empty), or 0 when s has
   * no prefix. A compose service's name is read in lower case (as the level detector and the
   * structured reader read it).
   */
  read(s: string, c0: number): number {
    this.keyEnd = 0;
    let p = 0;
    if (c0 === 91) {
      if (s.charCodeAt(1) !== 112) return 0; // `[p`
      const e = podPrefixEnd(s);
      if (e < 0) return 0;
      p = e + 1;
    } else if (c0 >= 97 && c0 <= 122) {
      const e = composePrefixEnd(s);
      if (e < 0) return 0;
      p = e + 1;
    } else if (c0 < 48 || c0 > 57) return 0;
    this.keyEnd = p;
    const t = rfc3339End(s, p);
    // a time alone is a tool's only with a tool's fraction (toolFraction(): as the level detector
    // decides for the grouper), an app's own ISO header is not
    if (t < 0 || (p === 0 && !toolFraction(s, 0, t))) return p;
    return t < s.length ? t + 1 : t;
  }
}

/**
 * Has the RFC 3339 time at s[p..e) (e after its zone) a fraction of 7 digits or more, as a tool's
 * has? docker's and the kubelet's (kubectl's) are RFC3339NanoFixed, 9 digits always
 * (docs.docker.com `docker logs --timestamps`; kubernetes pkg/kubelet/kuberuntime/logs/logs.go
 * timeFormatOut); an app's own ISO header has milliseconds or microseconds.
 */
export function toolFraction(s: string, p: number, e: number): boolean {
  return s.charCodeAt(p + 19) === 46 && e - p - (s.charCodeAt(e - 1) === 90 ? 21 : 26) >= 7;
}

/**
 * Where an RFC 3339 date-time with a `T` and a zone that starts at p ends (at a space or the line's
 * end), or -1. `2024-05-14 is the date` and a time without a zone are not one.
 *
 * It looks at the first digit, the `-`, `T` and `:` at their places and at the zone before the first
 * space (a native search), not at each digit: the grouper runs it after each source prefix.
 */
export function rfc3339End(s: string, p: number): number {
  // reading past the end (NaN) deoptimises V8's compiled code: the shortest is `yyyy-mm-ddThh:mm:ssZ`
  if (
    s.length < p + 20 ||
    s.charCodeAt(p + 10) !== 84 ||
    !isDigit(s.charCodeAt(p)) ||
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
export function isZoneEnd(s: string, e: number): boolean {
  const z = s.charCodeAt(e - 1);
  if (z === 90) return true;
  const sign = s.charCodeAt(e - 6);
  return (sign === 43 || sign === 45) && s.charCodeAt(e - 3) === 58 && isDigit(z);
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
  const first = prefix.read(text, text.charCodeAt(0));
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
  const b = prefix.read(line, line.length > 0 ? line.charCodeAt(0) : -1);
  return b > 0 && prefix.keyEnd === key.length && line.startsWith(key) ? b : 0;
}
