/**
 * Splunk HTTP Event Collector, per shared/reference/destinations.md §2.
 *
 * Serves `POST /services/collector/event` (aliases `/services/collector`, `/services/collector/event/1.0`)
 * and `GET /services/collector/health` (`/health/1.0`). `/raw` and `/ack` are not served (404): no
 * drain uses them.
 *
 * Enforced (vendor): `Authorization: Splunk <token>` (or Basic with the token as password;
 * `?token=` only with `allowQueryToken`, else 400 code 16); 401 code 2 missing, 401 code 3 bad
 * scheme, 403 code 4 unknown token, 403 code 1 disabled token. Body = concatenated JSON objects
 * (whitespace between them allowed), gzip accepted. Empty body → 400 code 5. Per event: valid JSON
 * object (else code 6), `event` present (code 12) and not blank (code 13), `index` in `indexes`
 * when configured (code 7), `fields` a flat object of string / string-array values (code 15).
 * A per-event error answers 400 with `"invalid-event-number": i`; events before i are indexed
 * (recorded), i and after are not — what Splunk does, so resend-from-i+1 is testable.
 * Success: 200 `{"text":"Success","code":0}`. Busy fault: 503 `{"text":"Server is busy","code":9}`.
 *
 * Stricter than Splunk (decided here, to make drain bugs loud):
 *  - `time` above 1e11 is rejected as code 6: a real Splunk would index it ~3000 years out; this
 *    catches sending ms where HEC wants seconds. Non-numeric strings are code 6 too.
 *  - top-level keys other than time/host/source/sourcetype/index/event/fields → code 6 (Splunk
 *    ignores them, so the data would be lost silently); host/source/sourcetype/index must be strings.
 *  - an empty-object `event` counts as blank (code 13); invalid UTF-8 in an event → code 6.
 * Decided without a primary source: max content length defaults to 1,000,000 bytes decompressed
 * and answers 413 `{"text":"Content too large","code":413}`; unsupported Content-Encoding or
 * corrupt gzip → 400 code 6; wrong method → 405 and unknown path → 404 with the same JSON shape
 * (`code` = HTTP status, as Splunk's own 404 body does).
 */
import { isUtf8 } from 'node:buffer';
import {
  HttpReceiver,
  header,
  isObject,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

export const SPLUNK_EVENT_PATHS = [
  '/services/collector/event',
  '/services/collector',
  '/services/collector/event/1.0',
];
export const SPLUNK_HEALTH_PATHS = ['/services/collector/health', '/services/collector/health/1.0'];

export interface SplunkHecEvent {
  event: unknown;
  time?: number | string;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  fields?: Record<string, string | string[]>;
}

export interface SplunkHecReceiverOptions extends ReceiverOptions<SplunkHecEvent> {
  tokens: string[];
  disabledTokens?: string[];
  /** allowed indexes; when set, an event's `index` must be one of them (code 7) */
  indexes?: string[];
  /** max_content_length, decompressed bytes (default 1,000,000) */
  maxContentLength?: number;
  /** accept `?token=` (query-string authorization enabled on the token) */
  allowQueryToken?: boolean;
}

const ALLOWED_KEYS = new Set(['time', 'host', 'source', 'sourcetype', 'index', 'event', 'fields']);
const TEXT: Record<number, string> = {
  0: 'Success',
  1: 'Token disabled',
  2: 'Token is required',
  3: 'Invalid authorization',
  4: 'Invalid token',
  5: 'No data',
  6: 'Invalid data format',
  7: 'Incorrect index',
  8: 'Internal server error',
  9: 'Server is busy',
  12: 'Event field is required',
  13: 'Event field cannot be blank',
  15: 'Error in handling indexed fields',
  16: 'Query string authorization is not enabled',
  17: 'HEC is healthy',
};

function hec(status: number, code: number, detail?: string, eventNumber?: number): Reply<SplunkHecEvent> {
  const body: Record<string, unknown> = { text: TEXT[code] ?? detail ?? '', code };
  if (eventNumber !== undefined) body['invalid-event-number'] = eventNumber;
  return { status, body: JSON.stringify(body), error: detail ?? TEXT[code] ?? '' };
}

/** A code and why, for one event. */
type EventProblem = { code: number; detail: string };

export class SplunkHecReceiver extends HttpReceiver<SplunkHecEvent> {
  protected readonly vendor = 'splunk_hec';
  readonly #tokens: Set<string>;
  readonly #disabled: Set<string>;
  readonly #indexes: Set<string> | undefined;
  readonly #maxContentLength: number;
  readonly #allowQueryToken: boolean;

  constructor(opts: SplunkHecReceiverOptions) {
    super(opts);
    this.#tokens = new Set(opts.tokens);
    this.#disabled = new Set(opts.disabledTokens ?? []);
    this.#indexes = opts.indexes ? new Set(opts.indexes) : undefined;
    this.#maxContentLength = opts.maxContentLength ?? 1_000_000;
    this.#allowQueryToken = opts.allowQueryToken ?? false;
  }

  protected override defaultIdOf(r: SplunkHecEvent): number | undefined {
    if (isObject(r.event) && typeof r.event.seq === 'number') return r.event.seq;
    const s = r.fields?.seq;
    return typeof s === 'string' ? Number(s) : undefined;
  }

  protected override faultReply(status: number) {
    if (status === 503) return { body: JSON.stringify({ text: TEXT[9], code: 9 }) };
    if (status === 500) return { body: JSON.stringify({ text: TEXT[8], code: 8 }) };
    return { body: JSON.stringify({ text: `Error ${status}`, code: status }) };
  }

  /** The token from the request, or the reply for an auth failure. */
  #auth(req: ReceivedRequest, health: boolean): Reply<SplunkHecEvent> | undefined {
    const authz = header(req.headers, 'authorization');
    let token: string | undefined;
    if (authz !== undefined) {
      const sp = authz.indexOf(' ');
      const scheme = sp === -1 ? authz : authz.slice(0, sp);
      const value = sp === -1 ? '' : authz.slice(sp + 1).trim();
      if (scheme === 'Splunk') token = value;
      else if (scheme === 'Basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        token = decoded.slice(decoded.indexOf(':') + 1);
      }
      if (!token)
        return health ? hec(400, 3) : hec(401, 3, `unusable Authorization scheme ${JSON.stringify(scheme)}`);
    } else if (req.query.has('token')) {
      if (!this.#allowQueryToken) return hec(400, 16);
      token = req.query.get('token') ?? '';
    } else {
      return health ? undefined : hec(401, 2);
    }
    if (this.#disabled.has(token)) return health ? hec(400, 1) : hec(403, 1);
    if (!this.#tokens.has(token)) return health ? hec(400, 4) : hec(403, 4);
    return undefined;
  }

  protected async handle(
    req: ReceivedRequest,
    raw: Buffer,
    truncated: boolean,
  ): Promise<Reply<SplunkHecEvent>> {
    if (SPLUNK_HEALTH_PATHS.includes(req.path)) {
      if (req.method !== 'GET') return hec(405, 405, 'Method Not Allowed');
      // the health check needs no token; a wrong one is 400 (what Vector's healthcheck expects)
      return this.#auth(req, true) ?? hec(200, 17);
    }
    if (!SPLUNK_EVENT_PATHS.includes(req.path)) {
      return hec(404, 404, 'The requested URL was not found on this server.');
    }
    if (req.method !== 'POST') return hec(405, 405, 'Method Not Allowed');
    const denied = this.#auth(req, false);
    if (denied) return denied;

    const dec = await this.decode(req, raw, truncated, this.#maxContentLength, ['gzip']);
    if (!dec.ok) {
      if (dec.reason === 'too_large') {
        return {
          status: 413,
          body: JSON.stringify({ text: 'Content too large', code: 413 }),
          error: dec.detail,
        };
      }
      return hec(400, 6, dec.detail);
    }
    return this.#parseEvents(dec.body);
  }

  /**
   * Splits the concatenated objects. A raw newline can only be whitespace between JSON tokens (it
   * is never legal inside a string), so the fast path parses line by line with native indexOf;
   * a line that does not parse as a whole (two objects on a line, a pretty-printed object, an
   * error) hands the rest of the body to the byte scanner, which finds the exact event boundary.
   */
  #parseEvents(buf: Buffer): Reply<SplunkHecEvent> {
    const events: SplunkHecEvent[] = [];
    const utf8 = isUtf8(buf); // checked per event only when the body as a whole is not UTF-8
    const n = buf.length;
    let pos = 0;
    let index = 0;
    while (utf8 && pos < n) {
      let eol = buf.indexOf(0x0a, pos);
      if (eol === -1) eol = n;
      let s = pos;
      let e = eol;
      while (s < e && isSpace(buf[s]!)) s++;
      while (e > s && isSpace(buf[e - 1]!)) e--;
      if (s === e) {
        pos = eol + 1;
        continue;
      }
      if (buf[s] !== 0x7b || buf[e - 1] !== 0x7d) break;
      let ev: unknown;
      try {
        ev = JSON.parse(buf.toString('utf8', s, e));
      } catch {
        break; // maybe several objects on this line: let the scanner decide
      }
      const problem = this.#checkEvent(ev as Record<string, unknown>, index);
      if (problem) return this.#eventError(problem, index, events);
      events.push(ev as SplunkHecEvent);
      index++;
      pos = eol + 1;
    }
    for (; ; index++) {
      while (pos < n && isSpace(buf[pos]!)) pos++;
      if (pos >= n) break;
      const start = pos;
      const end = buf[pos] === 0x7b /* { */ ? scanValue(buf, pos) : -1;
      let problem: EventProblem | undefined;
      let ev: unknown;
      if (end === -1) {
        problem = { code: 6, detail: `event ${index}: not a JSON object at byte ${start}` };
      } else {
        const slice = buf.subarray(start, end);
        pos = end;
        if (!utf8 && !isUtf8(slice)) problem = { code: 6, detail: `event ${index}: invalid UTF-8` };
        else {
          try {
            ev = JSON.parse(slice.toString('utf8'));
          } catch (e) {
            problem = { code: 6, detail: `event ${index}: ${(e as Error).message}` };
          }
        }
        problem ??= this.#checkEvent(ev as Record<string, unknown>, index);
      }
      if (problem) return this.#eventError(problem, index, events);
      events.push(ev as SplunkHecEvent);
    }
    if (events.length === 0) return hec(400, 5);
    return { status: 200, body: '{"text":"Success","code":0}', records: events };
  }

  /** 400 with invalid-event-number; the events before it are indexed, as Splunk does. */
  #eventError(problem: EventProblem, index: number, before: SplunkHecEvent[]): Reply<SplunkHecEvent> {
    const r = hec(400, problem.code, problem.detail, index);
    r.records = before;
    return r;
  }

  #checkEvent(ev: Record<string, unknown>, i: number): EventProblem | undefined {
    for (const k in ev) {
      if (!ALLOWED_KEYS.has(k))
        return { code: 6, detail: `event ${i}: unknown top-level key ${JSON.stringify(k)}` };
    }
    const e = ev.event;
    if (e === undefined || e === null) return { code: 12, detail: `event ${i}: no \`event\`` };
    if ((typeof e === 'string' && e.trim() === '') || (isObject(e) && isEmpty(e))) {
      return { code: 13, detail: `event ${i}: blank \`event\`` };
    }
    const t = ev.time;
    if (t !== undefined) {
      const secs =
        typeof t === 'number' ? t : typeof t === 'string' && t.trim() !== '' ? Number(t) : Number.NaN;
      if (!Number.isFinite(secs) || secs < 0)
        return { code: 6, detail: `event ${i}: \`time\` ${JSON.stringify(t)} is not epoch seconds` };
      // stricter than Splunk: > 1e11 s is year 5138, i.e. almost certainly ms sent as seconds
      if (secs > 1e11)
        return { code: 6, detail: `event ${i}: \`time\` ${t} looks like milliseconds; HEC wants seconds` };
    }
    for (const k of ['host', 'source', 'sourcetype', 'index'] as const) {
      if (ev[k] !== undefined && typeof ev[k] !== 'string')
        return { code: 6, detail: `event ${i}: \`${k}\` must be a string` };
    }
    if (this.#indexes && ev.index !== undefined && !this.#indexes.has(ev.index as string)) {
      return { code: 7, detail: `event ${i}: index ${JSON.stringify(ev.index)} not allowed` };
    }
    const f = ev.fields;
    if (f !== undefined) {
      if (!isObject(f)) return { code: 15, detail: `event ${i}: \`fields\` must be an object` };
      for (const k in f) {
        const v = f[k];
        if (typeof v === 'string') continue;
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) continue;
        return { code: 15, detail: `event ${i}: fields.${k} must be a string or an array of strings` };
      }
    }
    return undefined;
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}

/** End (exclusive) of the object/array starting at `pos`, or -1 if it never closes. */
function scanValue(buf: Buffer, pos: number): number {
  let depth = 0;
  let inString = false;
  for (let i = pos; i < buf.length; i++) {
    const b = buf[i]!;
    if (inString) {
      if (b === 0x5c /* \ */) i++;
      else if (b === 0x22 /* " */) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}
