/**
 * A Python LogRecord's message as `record.getMessage()` makes it: `msg % args`
 * (https://docs.python.org/3/library/logging.html#logging.LogRecord.getMessage), for a record
 * dumped whole as JSON (`json.dumps(record.__dict__)`: `{"msg": "user %s logged in", "args":
 * ["bob"], "levelname": …}`). printf-style specs of Python's `%` operator: `%s %r %d %i %f %e %g %x
 * %o %%`, a mapping key `%(name)s` when args is one object, flags `-0+ `, a width and a precision.
 * Anything else (`%*d`, a count that does not match) gives undefined: the message stays as written.
 */

/**
 * A number argument as the record wrote it: Python's json.dumps writes a float as its repr(), which
 * is what str() and %s print (`1.0`, `1e-05`), where JavaScript's String(Number(…)) would not.
 */
export class WrittenNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
}

/**
 * The widest width and precision formatted: a line's `%999999999d` would be a gigabyte of spaces
 * (and JavaScript's toExponential / toPrecision take at most 100): past it the message stays as
 * written, as when the args do not fit.
 */
const MAX_WIDTH = 100;

/** One conversion: `%`, an optional `(key)`, flags, width, `.precision`, the conversion letter. */
const SPEC = /%(?:\(([^)]*)\))?([-0+ #]*)(\d*)(?:\.(\d+))?([a-zA-Z%])/g;

/** msg % args, or undefined when the args do not fit msg (as Python would fail and log it as written). */
export function percentFormat(msg: string, args: unknown): string | undefined {
  const positional = Array.isArray(args) ? args : undefined;
  const mapping =
    positional === undefined && args !== null && typeof args === 'object'
      ? (args as Record<string, unknown>)
      : undefined;
  if (positional === undefined && mapping === undefined) return undefined;
  let next = 0;
  let failed = false;
  const out = msg.replace(
    SPEC,
    (
      _all,
      key: string | undefined,
      flags: string,
      width: string,
      precision: string | undefined,
      conv: string,
    ) => {
      if (failed) return '';
      if (conv === '%') return '%';
      if (
        width.length > 3 ||
        Number(width) > MAX_WIDTH ||
        (precision !== undefined && (precision.length > 3 || Number(precision) > MAX_WIDTH))
      ) {
        failed = true;
        return '';
      }
      let value: unknown;
      if (key !== undefined) {
        if (mapping === undefined || !Object.hasOwn(mapping, key)) {
          failed = true;
          return '';
        }
        value = mapping[key];
      } else {
        if (positional === undefined || next >= positional.length) {
          failed = true;
          return '';
        }
        value = positional[next++];
      }
      const text = convert(value, conv, precision === undefined ? -1 : Number(precision), flags);
      if (text === undefined) {
        failed = true;
        return '';
      }
      const w = width === '' ? 0 : Number(width);
      if (text.length >= w) return text;
      if (flags.includes('-')) return text.padEnd(w);
      if (flags.includes('0') && 'diufFeEgGxXo'.includes(conv)) {
        const sign = text[0] === '-' || text[0] === '+' ? text[0] : '';
        return sign + text.slice(sign.length).padStart(w - sign.length, '0');
      }
      return text.padStart(w);
    },
  );
  // every positional argument used, as Python requires ("not all arguments converted")
  if (failed || (positional !== undefined && next !== positional.length)) return undefined;
  return out;
}

/** One value as Python's conversion `conv` writes it; undefined when it cannot. */
function convert(written: unknown, conv: string, precision: number, flags: string): string | undefined {
  if (written instanceof WrittenNumber && (conv === 's' || conv === 'r' || conv === 'a'))
    return precision >= 0 && conv === 's' ? written.text.slice(0, precision) : written.text;
  const v = written instanceof WrittenNumber ? written.value : written;
  switch (conv) {
    case 's':
      return precision >= 0 ? pyStr(v).slice(0, precision) : pyStr(v);
    case 'r':
    case 'a':
      return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : pyStr(v);
    case 'd':
    case 'i':
    case 'u':
      return typeof v === 'number' && Number.isFinite(v) ? signed(String(Math.trunc(v)), flags) : undefined;
    case 'f':
    case 'F':
      return typeof v === 'number' && Number.isFinite(v)
        ? signed(fixed(v, precision >= 0 ? precision : 6), flags)
        : undefined;
    case 'e':
    case 'E': {
      if (typeof v !== 'number') return undefined;
      const t = v.toExponential(precision >= 0 ? precision : 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return signed(conv === 'E' ? t.toUpperCase() : t, flags);
    }
    case 'g':
    case 'G':
      return typeof v === 'number'
        ? signed(String(Number(v.toPrecision(precision > 0 ? precision : 6))), flags)
        : undefined;
    case 'x':
    case 'X':
    case 'o':
      if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
      return signed(
        conv === 'o' ? v.toString(8) : conv === 'x' ? v.toString(16) : v.toString(16).toUpperCase(),
        flags,
      );
  }
  return undefined;
}

/**
 * v with p decimals as Python writes it: the double's exact value rounded half to even (7.125 →
 * `7.12`), where JavaScript's toFixed() rounds a tie up (`7.13`).
 */
function fixed(v: number, p: number): string {
  if (Math.abs(v) >= 1e21) {
    // an integer there (toFixed writes it as an exponent)
    const whole = BigInt(v).toString();
    return p === 0 ? whole : `${whole}.${'0'.repeat(p)}`;
  }
  const digits = Math.min(100, p + 60);
  const exact = Math.abs(v).toFixed(digits);
  const point = exact.indexOf('.');
  const kept = exact.slice(0, point) + exact.slice(point + 1, point + 1 + p);
  const rest = exact.slice(point + 1 + p);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  const odd = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
  const up = first > 5 || (first === 5 && (tail || odd));
  const n = (BigInt(kept) + (up ? 1n : 0n)).toString().padStart(p + 1, '0');
  const text = p === 0 ? n : `${n.slice(0, n.length - p)}.${n.slice(n.length - p)}`;
  return v < 0 || Object.is(v, -0) ? `-${text}` : text;
}

/** `+` or a space before a non-negative number, as the flags ask. */
function signed(t: string, flags: string): string {
  if (t[0] === '-') return t;
  if (flags.includes('+')) return `+${t}`;
  return flags.includes(' ') ? ` ${t}` : t;
}

/** str() of a JSON value as Python writes it: None, True, False, numbers and text as they are. */
function pyStr(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}
