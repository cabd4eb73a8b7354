/**
 * Trace and span ids, from whatever form the app wrote them in, to W3C's: trace 32 lowercase hex,
 * span 16 (https://www.w3.org/TR/trace-context/#traceparent-header). Accepted forms:
 * - hex: 32 (W3C, OpenTelemetry), 16 (B3 / Jaeger 64-bit trace ids: zero-padded on the left);
 * - decimal: Datadog's `dd.trace_id` / `dd.span_id` (the lower 64 bits, as dd-trace injects them);
 * - AWS X-Ray `1-5759e988-bd862e3fe1be46a994272793` (its 8 + 24 hex digits, as OpenTelemetry's
 *   X-Ray propagator maps it) and the `Root=1-…;Parent=…` header form;
 * - a W3C `traceparent` value (`00-<trace>-<span>-<flags>`), also found anywhere in a line's text;
 * - `0x`-prefixed hex (OpenTelemetry Python's console exporter writes `"trace_id": "0x…"`);
 * - Google Cloud's `projects/<p>/traces/<32 hex>` and its X-Cloud-Trace-Context header
 *   `<32 hex>/<decimal span>;o=1`.
 * All-zero ids are invalid (W3C) and ignored.
 */

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexRun(s: string, p: number, n: number): boolean {
  if (p + n > s.length) return false;
  for (let i = p; i < p + n; i++) if (!isHex(s.charCodeAt(i))) return false;
  return true;
}

/** Per character below 128, for hexId(): 0 not hex, 1 the digit 0, 2 another digit or a-f, 6 A-F (4: upper case). */
const HEX_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = c === 48 ? 1 : 2;
  for (let c = 97; c <= 102; c++) t[c] = 2;
  for (let c = 65; c <= 70; c++) t[c] = 6;
  return t;
})();

/**
 * s[p..p+n) as lowercase hex, or undefined when it is not hex or all zeros (W3C: invalid), in one
 * pass of one table look-up per character (the classes or'd together tell zeros and upper case);
 * the slice itself when it has no upper-case digit (no second copy).
 */
function hexId(s: string, p: number, n: number): string | undefined {
  if (p + n > s.length) return undefined;
  let seen = 0;
  for (let i = p; i < p + n; i++) {
    const c = s.charCodeAt(i);
    const k = c < 128 ? HEX_CLASS[c]! : 0;
    if (k === 0) return undefined;
    seen |= k;
  }
  if ((seen & 2) === 0) return undefined;
  const id = s.slice(p, p + n);
  return (seen & 4) !== 0 ? id.toLowerCase() : id;
}

/**
 * hexId() of s[p..p+n) by its hex class, read already (the WebAssembly scan's, json-scan.ts HEX: 0 not
 * hex, 2 set unless all zeros, 4 set when upper case), or by reading it when `k` is 255 (not read).
 */
function hexIdOf(s: string, p: number, n: number, k: number): string | undefined {
  if (k === 255) return hexId(s, p, n);
  if ((k & 2) === 0) return undefined;
  const id = s.slice(p, p + n);
  return (k & 4) !== 0 ? id.toLowerCase() : id;
}

function allZero(id: string): boolean {
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 48) return false;
  return true;
}

const ZERO16 = '0000000000000000';

/**
 * Under a trace or span key that is not Datadog's (`trace_id`, `traceId`, `span_id`…), a decimal id
 * has at least this many digits: tracers' decimal ids are random 64-bit numbers (19–20 digits; one
 * below 1e11 has odds of about 1e-8), while `"trace_id": "12345"` is the app's own number (an
 * order's, a ticket's). Datadog's `dd.trace_id` / `dd.span_id` / `dd: {…}` take any decimal.
 */
export const GENERIC_MIN_DIGITS = 12;

function decimalToHex16(s: string, p: number, e: number): string | undefined {
  if (e - p > 20 || e === p) return undefined;
  for (let i = p; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const v = BigInt(s.slice(p, e)) & 0xffffffffffffffffn;
  if (v === 0n) return undefined;
  const hex = v.toString(16);
  return ZERO16.slice(hex.length) + hex;
}

/**
 * Could s hold one of scanText's forms? False only when the regex cannot match: every form but
 * `trace_id=` has a `-` right after `00` (traceparent) or `=1` (X-Ray), so the line's dashes are
 * looked at (one native single-character search each, most lines have few or none) and then the
 * `_`s, for `trace_id=`. On a plain line this costs a fraction of the regex pass it saves.
 * `from`: where ids may start (past a header time already read, whose dashes start none; its
 * last two characters are still looked at, for a `00-` glued to it).
 */
export function mayHoldIds(s: string, pairs: boolean, from: number): boolean {
  for (let i = s.indexOf('-', Math.max(from, 2)); i >= 0; i = s.indexOf('-', i + 1)) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i - 2);
    if ((a === 48 && b === 48) || (a === 49 && b === 61)) return true;
  }
  if (!pairs) return false;
  // `trace_id=` by its `_`: rare in text where `t` is not, and a one-character search is the cheap
  // native one (`_id=` as a four-character search cost a plain line ~2× as much in the lane);
  // after 8 underscores (snake_case text) the rest by `_id=`
  for (
    let i = s.indexOf('_', from + 5), k = 0;
    i >= 0;
    i = ++k < 8 ? s.indexOf('_', i + 1) : s.indexOf('_id=', i + 1)
  )
    if (
      s.charCodeAt(i + 1) === 105 &&
      s.charCodeAt(i + 2) === 100 &&
      s.charCodeAt(i + 3) === 61 &&
      s.startsWith('trace', i - 5)
    )
      return true;
  return false;
}

/** Where a parsed id pair goes (a reused result: no allocation per line). */
export class TraceIds {
  traceId: string | undefined = undefined;
  spanId: string | undefined = undefined;

  reset(): void {
    this.traceId = undefined;
    this.spanId = undefined;
  }

  /**
   * A trace id value at s[p..e): hex 32/16, decimal, X-Ray, traceparent or `Root=…`. Sets span too
   * when the form has one. `minDigits`: the fewest digits a decimal id may have (GENERIC_MIN_DIGITS
   * under a key that is not Datadog's). `hexClass`: the value's hex class when read already
   * (JsonRecordScanner.hexClass(); 255: not read).
   */
  trace(s: string, p: number, e: number, minDigits = 1, hexClass = 255): boolean {
    const n = e - p;
    // Google Cloud's X-Cloud-Trace-Context `TRACE_ID/SPAN_ID;o=1` (or `TRACE_ID;o=1`): its span id is decimal
    if (n > 32 && (s.charCodeAt(p + 32) === 47 || s.charCodeAt(p + 32) === 59))
      return this.#cloudTrace(s, p, e);
    if (n === 32 || n === 16) {
      const id = hexIdOf(s, p, n, hexClass);
      if (id !== undefined) {
        this.traceId = n === 32 ? id : ZERO16 + id;
        return true;
      }
      if (hexClass === 255 ? hexRun(s, p, n) : hexClass !== 0) return false; // all zeros
    }
    const c = s.charCodeAt(p);
    if (n === 34 && c === 48 && s.charCodeAt(p + 1) === 120) {
      const id = hexId(s, p + 2, 32);
      return id !== undefined && this.#setTrace(id);
    }
    if (c === 49 && n === 35 && s.charCodeAt(p + 1) === 45) return this.#xray(s, p);
    if (c === 48 && n >= 55 && s.charCodeAt(p + 1) === 48 && s.charCodeAt(p + 2) === 45)
      return this.traceparent(s, p);
    if (c === 82 && s.startsWith('Root=1-', p)) return this.xrayHeader(s, p, e);
    // a UUID under a trace key (an app's uuid4() as its trace id): its 32 hex digits
    if (
      n === 36 &&
      s.charCodeAt(p + 8) === 45 &&
      s.charCodeAt(p + 13) === 45 &&
      s.charCodeAt(p + 18) === 45
    ) {
      const id = `${s.slice(p, p + 8)}${s.slice(p + 9, p + 13)}${s.slice(p + 14, p + 18)}${s.slice(p + 19, p + 23)}${s.slice(p + 24, e)}`;
      return s.charCodeAt(p + 23) === 45 && hexRun(id, 0, 32) && this.#setTrace(id.toLowerCase());
    }
    // Google Cloud: projects/<project>/traces/<32 hex>
    if (c === 112 && n > 41 && s.startsWith('projects/', p) && s.charCodeAt(e - 33) === 47)
      return hexRun(s, e - 32, 32) && this.#setTrace(s.slice(e - 32, e).toLowerCase());
    const dec = n >= minDigits ? decimalToHex16(s, p, e) : undefined;
    return dec !== undefined && this.#setTrace(ZERO16 + dec);
  }

  /**
   * trace() of the n (16 or 32) hex digits at p whose class the WebAssembly scan read (k: neither 0,
   * not hex, nor 255, not read): the same id, without trace()'s other forms to rule out first. Small,
   * so that the reader's walk over a record's members takes it inline (trace() is too large to).
   */
  hexTrace(s: string, p: number, n: number, k: number): boolean {
    if ((k & 2) === 0) return false; // all zeros
    const id = s.slice(p, p + n);
    const low = (k & 4) !== 0 ? id.toLowerCase() : id;
    this.traceId = n === 32 ? low : ZERO16 + low;
    return true;
  }

  /** span() of the 16 hex digits at p whose class the WebAssembly scan read (k as hexTrace() takes it). */
  hexSpan(s: string, p: number, k: number): boolean {
    if ((k & 2) === 0) return false;
    const id = s.slice(p, p + 16);
    this.spanId = (k & 4) !== 0 ? id.toLowerCase() : id;
    return true;
  }

  /** A span id value at s[p..e): hex 16 or decimal (Datadog; `minDigits` and `hexClass` as trace() says). */
  span(s: string, p: number, e: number, minDigits = 1, hexClass = 255): boolean {
    const n = e - p;
    // 16 characters: hex in one pass (a decimal of 16 digits is read as hex, as before; non-hex is no
    // decimal either); 18: `0x` and 16 hex
    const id =
      n === 16
        ? hexIdOf(s, p, 16, hexClass)
        : n === 18 && s.charCodeAt(p) === 48 && s.charCodeAt(p + 1) === 120
          ? hexId(s, p + 2, 16)
          : n >= minDigits
            ? decimalToHex16(s, p, e)
            : undefined;
    if (id === undefined || allZero(id)) return false;
    this.spanId = id;
    return true;
  }

  /** `00-<32 hex>-<16 hex>-<2 hex>` at p. */
  traceparent(s: string, p: number): boolean {
    if (
      s.charCodeAt(p + 35) !== 45 ||
      s.charCodeAt(p + 52) !== 45 ||
      !hexRun(s, p + 3, 32) ||
      !hexRun(s, p + 36, 16) ||
      !hexRun(s, p + 53, 2)
    )
      return false;
    if (!this.#setTrace(s.slice(p + 3, p + 35).toLowerCase())) return false;
    const span = s.slice(p + 36, p + 52).toLowerCase();
    if (!allZero(span)) this.spanId = span;
    return true;
  }

  /** `Root=1-…;Parent=<16 hex>;Sampled=1` (X-Amzn-Trace-Id) starting at p, within e. */
  xrayHeader(s: string, p: number, e: number): boolean {
    if (!this.#xray(s, p + 5)) return false;
    const parent = s.indexOf('Parent=', p + 40);
    if (parent > 0 && parent + 23 <= e && hexRun(s, parent + 7, 16)) {
      const span = s.slice(parent + 7, parent + 23).toLowerCase();
      if (!allZero(span)) this.spanId = span;
    }
    return true;
  }

  /**
   * Where ids may be written in a line's text: a W3C traceparent value, an X-Ray `Root=1-`, or
   * `trace_id=<hex>` (OpenTelemetry's logging format, `[trace_id=… span_id=…]`). One regex pass (an
   * alternation V8 scans once, measured cheaper than one `indexOf` per form); its own per reader,
   * as a global regex carries lastIndex.
   */
  readonly #candidates = /00-[0-9a-fA-F]{32}-|Root=1-|trace_id=/g;

  /**
   * Ids anywhere in a line's text from `from` on (`pairs` false: not `trace_id=`, for a JSON record
   * whose ids are its keys). The caller resets this result first; a line that cannot hold ids
   * (most) leaves it as it was.
   */
  scanText(s: string, pairs = true, from = 0): boolean {
    if (!mayHoldIds(s, pairs, from)) return false;
    const re = this.#candidates;
    re.lastIndex = Math.max(from - 2, 0);
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const i = m.index;
      const c = s.charCodeAt(i);
      if (c === 48) {
        const before = i > 0 ? s.charCodeAt(i - 1) : 32;
        if (!isHex(before) && this.traceparent(s, i)) return true;
        re.lastIndex = i + 1; // a longer run of zeros may hold the real start
      } else if (c === 82) {
        if (this.xrayHeader(s, i, s.length)) return true;
      } else if (pairs && this.#pair(s, i + 9)) return true;
    }
    return false;
  }

  /** `trace_id=<hex>` with an optional `span_id=<16 hex>` soon after; p is where the hex starts. */
  #pair(s: string, p: number): boolean {
    let e = p;
    while (e < s.length && isHex(s.charCodeAt(e))) e++;
    if ((e - p !== 32 && e - p !== 16) || !this.trace(s, p, e)) return false;
    const sp = s.indexOf('span_id=', e);
    if (sp > 0 && sp - e < 64) {
      let se = sp + 8;
      while (se < s.length && isHex(s.charCodeAt(se))) se++;
      if (se - sp - 8 === 16) this.span(s, sp + 8, se);
    }
    return true;
  }

  /**
   * X-Cloud-Trace-Context `TRACE_ID/SPAN_ID;o=OPTIONS` at s[p..e) (https://cloud.google.com/trace/docs/trace-context#legacy-http-header):
   * 32 hex, then an optional `/` and the span id as the decimal of an unsigned 64-bit integer (16 hex
   * here, googleapis/python-logging#942), then optional `;o=…`.
   */
  #cloudTrace(s: string, p: number, e: number): boolean {
    const id = hexId(s, p, 32);
    if (id === undefined || !this.#setTrace(id)) return false;
    if (s.charCodeAt(p + 32) === 47) {
      let se = p + 33;
      while (se < e && s.charCodeAt(se) !== 59) se++;
      const span = decimalToHex16(s, p + 33, se);
      if (span !== undefined) this.spanId = span;
    }
    return true;
  }

  /** `1-<8 hex>-<24 hex>` at p. */
  #xray(s: string, p: number): boolean {
    if (
      s.charCodeAt(p) !== 49 ||
      s.charCodeAt(p + 1) !== 45 ||
      s.charCodeAt(p + 10) !== 45 ||
      !hexRun(s, p + 2, 8) ||
      !hexRun(s, p + 11, 24)
    )
      return false;
    return this.#setTrace((s.slice(p + 2, p + 10) + s.slice(p + 11, p + 35)).toLowerCase());
  }

  #setTrace(id: string): boolean {
    if (allZero(id)) return false;
    this.traceId = id;
    return true;
  }
}

/** Datadog's `dd.trace_id` / `dd.span_id`: the decimal of the id's lower 64 bits. */
export function lower64Decimal(hexId: string): string {
  return BigInt(`0x${hexId.slice(-16)}`).toString(10);
}
