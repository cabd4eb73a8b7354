/** Character-code helpers shared by the header lexer and the field scanners (no allocation). */

/**
 * charCodeAt that returns -1 past the end. Reading out of bounds (NaN) deoptimises the hot loops in V8,
 * so every read goes through here; the function is small enough to be inlined.
 */
export function cc(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

export function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** [A-Za-z0-9_] */
export function isWord(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

/** Case-insensitive compare of `s` at `p` with lower-case ASCII `w` (the caller knows all are letters). */
export function eqf(s: string, p: number, w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    if ((cc(s, p + i) | 0x20) !== w.charCodeAt(i)) return false;
  }
  return true;
}

/** Parses the unsigned integer at p (fraction ignored); -1 when there is none. */
export function intAt(s: string, p: number): number {
  let v = 0;
  let i = p;
  for (;;) {
    const c = cc(s, i);
    if (!isDigit(c)) break;
    v = v * 10 + (c - 48);
    i++;
    if (i - p > 6) return -1;
  }
  return i === p ? -1 : v;
}

/** Index of the closing quote of a JSON string whose content starts at i, or -1. */
export function stringEnd(s: string, i: number): number {
  let from = i;
  for (;;) {
    const q = s.indexOf('"', from);
    if (q < 0) return -1;
    let b = q - 1;
    while (b >= from && cc(s, b) === 92) b--;
    if (((q - 1 - b) & 1) === 0) return q;
    from = q + 1;
  }
}

export function skipWs(s: string, i: number): number {
  let c = cc(s, i);
  while (c === 32 || c === 9) c = cc(s, ++i);
  return i;
}

/** Index just after the JSON value at i, or -1 when malformed. */
export function skipValue(s: string, i: number): number {
  const c = cc(s, i);
  if (c === 34) {
    const q = stringEnd(s, i + 1);
    return q < 0 ? -1 : q + 1;
  }
  if (c === 123 || c === 91) {
    let depth = 0;
    const len = s.length;
    for (let j = i; j < len; j++) {
      const d = cc(s, j);
      if (d === 34) {
        j = stringEnd(s, j + 1);
        if (j < 0) return -1;
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  for (;;) {
    const d = cc(s, j);
    if (d === 44 || d === 125 || d === 93 || d === 32 || d < 0) return j === i ? -1 : j;
    j++;
  }
}
