/**
 * Loopback contract receiver for Sentry envelopes (`POST {pathPrefix}/api/{projectId}/envelope/`):
 * the Logs product (`log` items) and error events (`event` items).
 *
 * Wire details from shared/reference/destinations.md §5 (develop.sentry.dev transport, envelope,
 * logs and rate-limit pages). Auth status codes follow Relay's `BadEventMeta` (missing/malformed
 * auth → 401, `{"detail": …}`). The envelope checks are deliberately STRICTER than Relay (which
 * drops bad items with an outcome and still answers 200): here a violation is a loud 400 naming it,
 * so a drain bug cannot hide.
 */
import { randomBytes } from 'node:crypto';
import {
  HttpReceiver,
  header,
  isObject,
  mediaType,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

export interface SentryLog {
  timestamp: number;
  trace_id: string;
  span_id?: string;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  body: string;
  severity_number?: number;
  attributes?: Record<string, { value: unknown; type: string; unit?: string }>;
}

export type SentryEvent = Record<string, unknown> & { event_id: string; level: string };

export type SentryRecord = { type: 'log'; log: SentryLog } | { type: 'event'; event: SentryEvent };

export interface SentryRateLimit {
  /** seconds; the header carries what is left of it when sent */
  retryAfterS: number;
  /** data categories (`log_item`, `log_byte`, `error`, …); empty = all */
  categories: string[];
  scope?: 'organization' | 'project' | 'key';
  reason?: string;
}

export interface SentryReceiverOptions extends ReceiverOptions<SentryRecord> {
  publicKey: string;
  projectId: string;
  /** self-hosted behind a sub-path, e.g. '/sentry' (no trailing slash) */
  pathPrefix?: string;
  /** limits active from start(); see setRateLimits() */
  rateLimits?: SentryRateLimit[];
  /** a raw X-Sentry-Rate-Limits value added verbatim to every response (parser tests; not enforced) */
  rateLimitsHeader?: string;
  /** require `sent_at` and `sdk` in the envelope header (our client always sends them; default true) */
  requireClientHeaders?: boolean;
  now?: () => number;
}

export const SENTRY_LIMITS = {
  maxLogsPerEnvelope: 100,
  maxItemBytes: 1024 * 1024,
  maxEnvelopeBytes: 200 * 1024 * 1024,
} as const;

const LOG_CONTENT_TYPE = 'application/vnd.sentry.items.log+json';
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const EVENT_LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'];
/** OTel severity ranges per Sentry log level */
const SEVERITY: Record<string, [number, number]> = {
  trace: [1, 4],
  debug: [5, 8],
  info: [9, 12],
  warn: [13, 16],
  error: [17, 20],
  fatal: [21, 24],
};
const LOG_KEYS = new Set([
  'timestamp',
  'trace_id',
  'span_id',
  'level',
  'body',
  'severity_number',
  'attributes',
]);
const ATTR_TYPES = new Set([
  'string',
  'boolean',
  'integer',
  'double',
  'string[]',
  'boolean[]',
  'integer[]',
  'double[]',
]);
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const CATEGORY_OF_ITEM: Record<string, string[]> = { log: ['log_item', 'log_byte'], event: ['error'] };

class EnvelopeError extends Error {}

interface ActiveLimit extends SentryRateLimit {
  until: number;
  announced: boolean;
}

export class SentryReceiver extends HttpReceiver<SentryRecord> {
  protected readonly vendor = 'sentry';
  readonly publicKey: string;
  readonly projectId: string;
  readonly pathPrefix: string;
  /** accepted logs and events (also in `records`) */
  readonly logs: SentryLog[] = [];
  readonly events: SentryEvent[] = [];
  /** envelopes whose data belonged to a category the receiver had already announced as limited */
  readonly rateLimitViolations: { categories: string[]; at: number }[] = [];
  /** items dropped because their category was limited (Relay drops them and still answers) */
  rateLimitedItems = 0;
  readonly #now: () => number;
  readonly #requireClientHeaders: boolean;
  #rawLimitsHeader: string | undefined;
  #limits: ActiveLimit[] = [];

  constructor(opts: SentryReceiverOptions) {
    super(opts);
    this.publicKey = opts.publicKey;
    this.projectId = opts.projectId;
    this.pathPrefix = (opts.pathPrefix ?? '').replace(/\/+$/, '');
    this.#now = opts.now ?? Date.now;
    this.#requireClientHeaders = opts.requireClientHeaders ?? true;
    this.#rawLimitsHeader = opts.rateLimitsHeader;
    this.setRateLimits(opts.rateLimits ?? []);
  }

  /** The DSN a client should use for this receiver (call after start()). */
  get dsn(): string {
    const u = new URL(this.url);
    return `${u.protocol}//${this.publicKey}@${u.host}${this.pathPrefix}/${this.projectId}`;
  }

  get envelopePath(): string {
    return `${this.pathPrefix}/api/${this.projectId}/envelope/`;
  }

  /**
   * Activates rate limits from now on, as Sentry would: every response carries
   * X-Sentry-Rate-Limits; items of a limited category are dropped (429 with Retry-After when the
   * whole envelope is limited, else 200); data arriving after a response announced the limit is
   * recorded in `rateLimitViolations`.
   */
  setRateLimits(limits: SentryRateLimit[], rawHeader: string | undefined = this.#rawLimitsHeader): void {
    const now = this.#now();
    this.#limits = limits.map((l) => ({ ...l, until: now + l.retryAfterS * 1000, announced: false }));
    this.#rawLimitsHeader = rawHeader;
  }

  #activeLimits(now: number): ActiveLimit[] {
    this.#limits = this.#limits.filter((l) => l.until > now);
    return this.#limits;
  }

  /** X-Sentry-Rate-Limits for a response sent now; marks the limits announced. */
  #limitHeaders(now: number): Record<string, string> {
    const parts: string[] = [];
    for (const l of this.#activeLimits(now)) {
      l.announced = true;
      const left = Math.max(1, Math.ceil((l.until - now) / 1000));
      parts.push(
        `${left}:${l.categories.join(';')}:${l.scope ?? 'organization'}${l.reason ? `:${l.reason}` : ''}`,
      );
    }
    if (this.#rawLimitsHeader) parts.push(this.#rawLimitsHeader);
    return parts.length > 0 ? { 'x-sentry-rate-limits': parts.join(', ') } : {};
  }

  protected override faultReply(status: number): { body: string; headers?: Record<string, string> } {
    const detail =
      status === 429 ? 'event submission rejected with_reason: RateLimited' : `injected fault ${status}`;
    return { body: JSON.stringify({ detail }), headers: this.#limitHeaders(this.#now()) };
  }

  protected async handle(
    req: ReceivedRequest,
    raw: Buffer,
    truncated: boolean,
  ): Promise<Reply<SentryRecord>> {
    const now = this.#now();
    const reply = (
      status: number,
      detail: string,
      extra: Record<string, string> = {},
    ): Reply<SentryRecord> => ({
      status,
      body: JSON.stringify({ detail }),
      headers: { ...this.#limitHeaders(now), ...extra },
      error: detail,
    });

    if (req.path !== this.envelopePath) {
      const m = /^(.*)\/api\/(\d+)\/envelope\/$/.exec(req.path);
      if (m && m[1] === this.pathPrefix)
        return reply(403, 'event submission rejected with_reason: ProjectId');
      return reply(404, `not found: ${req.path}`);
    }
    if (req.method !== 'POST') return reply(405, `method not allowed: ${req.method}`);

    // auth from header or query, before the body (Relay's order); the envelope dsn is the fallback
    const authHeader = header(req.headers, 'x-sentry-auth');
    const queryKey = req.query.get('sentry_key');
    if (authHeader !== undefined && queryKey !== null)
      return reply(401, 'multiple authorization payloads detected');
    let key: string | undefined;
    if (authHeader !== undefined) {
      const a = parseAuthHeader(authHeader);
      if (typeof a === 'string') return reply(401, `bad x-sentry-auth header: ${a}`);
      if (a.sentry_version !== '7') return reply(400, `unsupported protocol version (${a.sentry_version})`);
      key = a.sentry_key;
    } else if (queryKey !== null) {
      const v = req.query.get('sentry_version');
      if (v !== null && v !== '7') return reply(400, `unsupported protocol version (${v})`);
      key = queryKey;
    }
    if (key !== undefined && key !== this.publicKey)
      return reply(403, 'event submission rejected with_reason: invalid public key');

    if (mediaType(req.headers) !== 'application/x-sentry-envelope') {
      return reply(
        415,
        `unsupported content type ${JSON.stringify(mediaType(req.headers))}, expected application/x-sentry-envelope`,
      );
    }
    const decoded = await this.decode(req, raw, truncated, SENTRY_LIMITS.maxEnvelopeBytes, [
      'gzip',
      'deflate',
    ]);
    if (!decoded.ok) {
      const status = decoded.reason === 'unsupported' ? 415 : decoded.reason === 'too_large' ? 413 : 400;
      return reply(status, decoded.detail);
    }

    let env: ParsedEnvelope;
    try {
      env = parseEnvelope(decoded.body);
    } catch (e) {
      return reply(400, `invalid envelope: ${(e as Error).message}`);
    }
    // dsn in the envelope header: the auth when nothing else was given, and must agree otherwise
    const dsn = env.header.dsn;
    if (dsn !== undefined) {
      const d = typeof dsn === 'string' ? parseDsn(dsn) : undefined;
      if (!d) return reply(401, 'bad envelope authentication header');
      if (
        d.publicKey !== this.publicKey ||
        d.projectId !== this.projectId ||
        d.pathPrefix !== this.pathPrefix
      ) {
        return reply(403, 'event submission rejected with_reason: dsn does not match this project');
      }
      key ??= d.publicKey;
    }
    if (key === undefined) return reply(401, 'missing authorization information');

    let records: SentryRecord[];
    try {
      records = this.#validate(env);
    } catch (e) {
      const tooBig = e instanceof EnvelopeError && e.message.includes('exceeds');
      return reply(tooBig ? 413 : 400, `invalid envelope: ${(e as Error).message}`);
    }

    // rate limits: drop limited items; a violation if the limit had already been announced
    const limits = this.#activeLimits(now);
    if (limits.length > 0) {
      const kept: SentryRecord[] = [];
      for (const r of records) {
        const cats = CATEGORY_OF_ITEM[r.type]!;
        const hit = limits.filter(
          (l) => l.categories.length === 0 || l.categories.some((c) => cats.includes(c)),
        );
        if (hit.length === 0) kept.push(r);
        else {
          this.rateLimitedItems++;
          if (hit.some((l) => l.announced)) this.rateLimitViolations.push({ categories: cats, at: now });
        }
      }
      if (kept.length === 0) {
        const retry = Math.max(...limits.map((l) => Math.ceil((l.until - now) / 1000)));
        return reply(429, 'event submission rejected with_reason: RateLimited', {
          'retry-after': String(Math.max(1, retry)),
        });
      }
      records = kept;
    }

    if (this.keepRecords) {
      for (const r of records) {
        if (r.type === 'log') this.logs.push(r.log);
        else this.events.push(r.event);
      }
    }
    const id =
      typeof env.header.event_id === 'string' ? env.header.event_id : randomBytes(16).toString('hex');
    return { status: 200, body: JSON.stringify({ id }), headers: this.#limitHeaders(now), records };
  }

  #validate(env: ParsedEnvelope): SentryRecord[] {
    const h = env.header;
    if (this.#requireClientHeaders) {
      if (typeof h.sent_at !== 'string') throw new EnvelopeError('envelope header: sent_at is required');
      if (!isObject(h.sdk)) throw new EnvelopeError('envelope header: sdk {name, version} is required');
    }
    if (
      h.sent_at !== undefined &&
      (typeof h.sent_at !== 'string' || !RFC3339.test(h.sent_at) || Number.isNaN(Date.parse(h.sent_at)))
    ) {
      throw new EnvelopeError(`envelope header: sent_at ${JSON.stringify(h.sent_at)} is not RFC 3339`);
    }
    if (
      h.sdk !== undefined &&
      (!isObject(h.sdk) || typeof h.sdk.name !== 'string' || typeof h.sdk.version !== 'string')
    ) {
      throw new EnvelopeError('envelope header: sdk must be {name: string, version: string}');
    }
    if (env.items.length === 0) throw new EnvelopeError('envelope has no items');
    const types = new Set(env.items.map((i) => i.header.type));
    const logItems = env.items.filter((i) => i.header.type === 'log').length;
    if (logItems > 1) throw new EnvelopeError(`${logItems} log items in one envelope (at most 1)`);
    if (logItems === 1 && types.size > 1)
      throw new EnvelopeError(`log item mixed with other item types (${[...types].join(', ')})`);
    if (env.items.filter((i) => i.header.type === 'event').length > 1)
      throw new EnvelopeError('more than one event item in one envelope');

    const out: SentryRecord[] = [];
    env.items.forEach((item, idx) => {
      const where = `item ${idx} (${String(item.header.type)})`;
      if (item.payload.length > SENTRY_LIMITS.maxItemBytes) {
        throw new EnvelopeError(
          `${where}: payload ${item.payload.length} bytes exceeds ${SENTRY_LIMITS.maxItemBytes}`,
        );
      }
      if (item.header.type === 'log') {
        for (const log of validateLogItem(item, where)) out.push({ type: 'log', log });
      } else if (item.header.type === 'event') {
        out.push({ type: 'event', event: validateEventItem(item, env.header, where) });
      } else {
        throw new EnvelopeError(
          `${where}: unsupported item type ${JSON.stringify(item.header.type)} (this receiver takes log and event)`,
        );
      }
    });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------

interface ParsedEnvelope {
  header: Record<string, unknown>;
  items: { header: Record<string, unknown>; payload: Buffer }[];
}

function jsonObject(buf: Buffer, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new EnvelopeError(`${what} is not valid JSON`);
  }
  if (!isObject(v)) throw new EnvelopeError(`${what} is not a JSON object`);
  return v;
}

/** Splits an envelope strictly: header line, then (item header line, payload) pairs. */
export function parseEnvelope(body: Buffer): ParsedEnvelope {
  if (body.length === 0) throw new EnvelopeError('empty body');
  let nl = body.indexOf(0x0a);
  const header = jsonObject(body.subarray(0, nl === -1 ? body.length : nl), 'envelope header');
  let pos = nl === -1 ? body.length : nl + 1;
  const items: ParsedEnvelope['items'] = [];
  while (pos < body.length) {
    const i = items.length;
    nl = body.indexOf(0x0a, pos);
    if (nl === -1) throw new EnvelopeError(`item ${i}: header without payload`);
    const ih = jsonObject(body.subarray(pos, nl), `item ${i} header`);
    if (typeof ih.type !== 'string' || ih.type === '')
      throw new EnvelopeError(`item ${i} header: type is required`);
    pos = nl + 1;
    let payload: Buffer;
    if (ih.length !== undefined) {
      if (typeof ih.length !== 'number' || !Number.isSafeInteger(ih.length) || ih.length < 0) {
        throw new EnvelopeError(`item ${i} header: length must be a non-negative integer`);
      }
      if (pos + ih.length > body.length) {
        throw new EnvelopeError(`item ${i}: length ${ih.length} but only ${body.length - pos} bytes follow`);
      }
      payload = body.subarray(pos, pos + ih.length);
      pos += ih.length;
      if (pos < body.length) {
        if (body[pos] !== 0x0a)
          throw new EnvelopeError(
            `item ${i}: payload is not followed by a newline (length ${ih.length} is wrong)`,
          );
        pos++;
      }
    } else {
      nl = body.indexOf(0x0a, pos);
      payload = body.subarray(pos, nl === -1 ? body.length : nl);
      pos = nl === -1 ? body.length : nl + 1;
    }
    items.push({ header: ih, payload });
  }
  return { header, items };
}

function validateLogItem(item: ParsedEnvelope['items'][number], where: string): SentryLog[] {
  const ih = item.header;
  if (ih.content_type !== LOG_CONTENT_TYPE)
    throw new EnvelopeError(
      `${where}: content_type must be ${LOG_CONTENT_TYPE}, got ${JSON.stringify(ih.content_type)}`,
    );
  if (typeof ih.item_count !== 'number' || !Number.isSafeInteger(ih.item_count))
    throw new EnvelopeError(`${where}: item_count is required`);
  const p = jsonObject(item.payload, `${where} payload`);
  if (!Array.isArray(p.items)) throw new EnvelopeError(`${where}: payload must be {"items": [...]}`);
  if (p.items.length !== ih.item_count)
    throw new EnvelopeError(`${where}: item_count ${ih.item_count} but ${p.items.length} logs`);
  if (p.items.length === 0) throw new EnvelopeError(`${where}: no logs`);
  if (p.items.length > SENTRY_LIMITS.maxLogsPerEnvelope) {
    throw new EnvelopeError(
      `${where}: ${p.items.length} logs (at most ${SENTRY_LIMITS.maxLogsPerEnvelope} per envelope)`,
    );
  }
  return p.items.map((log: unknown, j: number) => validateLog(log, `${where} log ${j}`));
}

function validateLog(log: unknown, where: string): SentryLog {
  if (!isObject(log)) throw new EnvelopeError(`${where}: not an object`);
  for (const k of Object.keys(log))
    if (!LOG_KEYS.has(k)) throw new EnvelopeError(`${where}: unknown field ${JSON.stringify(k)}`);
  const { timestamp, trace_id, span_id, level, body, severity_number, attributes } = log;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp <= 0)
    throw new EnvelopeError(`${where}: timestamp must be a number of seconds`);
  if (timestamp > 1e11)
    throw new EnvelopeError(`${where}: timestamp ${timestamp} looks like milliseconds (must be seconds)`);
  if (typeof trace_id !== 'string' || !HEX32.test(trace_id))
    throw new EnvelopeError(`${where}: trace_id must be 32 lowercase hex`);
  if (span_id !== undefined && (typeof span_id !== 'string' || !HEX16.test(span_id)))
    throw new EnvelopeError(`${where}: span_id must be 16 lowercase hex`);
  if (typeof level !== 'string' || !LOG_LEVELS.includes(level)) {
    throw new EnvelopeError(`${where}: level ${JSON.stringify(level)} is not one of ${LOG_LEVELS.join('|')}`);
  }
  if (typeof body !== 'string') throw new EnvelopeError(`${where}: body must be a string`);
  if (severity_number !== undefined) {
    const [lo, hi] = SEVERITY[level]!;
    if (
      typeof severity_number !== 'number' ||
      !Number.isInteger(severity_number) ||
      severity_number < lo ||
      severity_number > hi
    ) {
      throw new EnvelopeError(
        `${where}: severity_number ${JSON.stringify(severity_number)} does not fit level ${level} (${lo}..${hi})`,
      );
    }
  }
  if (attributes !== undefined) {
    if (!isObject(attributes)) throw new EnvelopeError(`${where}: attributes must be an object`);
    for (const [name, a] of Object.entries(attributes))
      validateAttribute(a, `${where} attribute ${JSON.stringify(name)}`);
  }
  return log as unknown as SentryLog;
}

function validateAttribute(a: unknown, where: string): void {
  if (!isObject(a)) throw new EnvelopeError(`${where}: must be {value, type}`);
  for (const k of Object.keys(a))
    if (k !== 'value' && k !== 'type' && k !== 'unit')
      throw new EnvelopeError(`${where}: unknown field ${JSON.stringify(k)}`);
  const { type, value } = a;
  if (typeof type !== 'string' || !ATTR_TYPES.has(type))
    throw new EnvelopeError(
      `${where}: type ${JSON.stringify(type)} is not one of ${[...ATTR_TYPES].join('|')}`,
    );
  const scalar = type.endsWith('[]') ? type.slice(0, -2) : type;
  const fits = (v: unknown) =>
    scalar === 'string'
      ? typeof v === 'string'
      : scalar === 'boolean'
        ? typeof v === 'boolean'
        : scalar === 'integer'
          ? typeof v === 'number' && Number.isSafeInteger(v)
          : typeof v === 'number' && Number.isFinite(v);
  const ok = type.endsWith('[]') ? Array.isArray(value) && value.every(fits) : fits(value);
  if (!ok) throw new EnvelopeError(`${where}: value ${JSON.stringify(value)} is not a ${type}`);
}

function validateEventItem(
  item: ParsedEnvelope['items'][number],
  envHeader: Record<string, unknown>,
  where: string,
): SentryEvent {
  const id = envHeader.event_id;
  if (typeof id !== 'string' || !HEX32.test(id))
    throw new EnvelopeError('envelope header: event_id (32 lowercase hex) is required with an event item');
  const e = jsonObject(item.payload, `${where} payload`);
  if (e.event_id !== id)
    throw new EnvelopeError(
      `${where}: event_id ${JSON.stringify(e.event_id)} does not match the envelope header's ${id}`,
    );
  if (typeof e.level !== 'string' || !EVENT_LEVELS.includes(e.level)) {
    throw new EnvelopeError(
      `${where}: level ${JSON.stringify(e.level)} is not one of ${EVENT_LEVELS.join('|')}`,
    );
  }
  if (typeof e.platform !== 'string' || e.platform === '')
    throw new EnvelopeError(`${where}: platform is required`);
  const ts = e.timestamp;
  const tsOk =
    (typeof ts === 'number' && Number.isFinite(ts) && ts > 0 && ts <= 1e11) ||
    (typeof ts === 'string' && RFC3339.test(ts) && !Number.isNaN(Date.parse(ts)));
  if (!tsOk)
    throw new EnvelopeError(
      `${where}: timestamp must be seconds (number) or RFC 3339, got ${JSON.stringify(ts)}`,
    );
  const msg = e.message;
  const msgOk = typeof msg === 'string' || (isObject(msg) && typeof msg.formatted === 'string');
  if (msg !== undefined && !msgOk)
    throw new EnvelopeError(`${where}: message must be a string or {formatted: string}`);
  if (msg === undefined && e.exception === undefined && e.logentry === undefined)
    throw new EnvelopeError(`${where}: needs a message or an exception`);
  if (e.tags !== undefined) {
    if (!isObject(e.tags)) throw new EnvelopeError(`${where}: tags must be an object`);
    for (const [k, v] of Object.entries(e.tags)) {
      if (typeof v !== 'string' || v.length > 200)
        throw new EnvelopeError(`${where}: tag ${JSON.stringify(k)} must be a string of at most 200 chars`);
    }
  }
  return e as SentryEvent;
}

function parseAuthHeader(
  h: string,
): (Record<string, string> & { sentry_key: string; sentry_version: string }) | string {
  const m = /^\s*sentry\s+(.*)$/i.exec(h);
  if (!m) return 'must start with "Sentry "';
  const out: Record<string, string> = {};
  for (const part of m[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (!out.sentry_key) return 'sentry_key is missing';
  if (!out.sentry_version) return 'sentry_version is missing';
  return out as Record<string, string> & { sentry_key: string; sentry_version: string };
}

/** DSN → key, project, path prefix (the sentry-javascript shape: last segment = project). */
export function parseDsn(
  dsn: string,
): { publicKey: string; projectId: string; pathPrefix: string; host: string } | undefined {
  const m = /^(\w+):\/\/(\w+)(?::\w*)?@([\w.-]+(?::\d+)?)(\/.*)?\/(\d+)$/.exec(dsn);
  if (!m) return undefined;
  return { publicKey: m[2]!, host: m[3]!, pathPrefix: (m[4] ?? '').replace(/\/+$/, ''), projectId: m[5]! };
}

/** Builds an envelope the way our client must (length on every item). For tests. */
export function buildEnvelope(
  header: Record<string, unknown>,
  items: { header: Record<string, unknown>; payload: string | Buffer }[],
): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const it of items) {
    const p = typeof it.payload === 'string' ? Buffer.from(it.payload) : it.payload;
    parts.push(
      Buffer.from(`${JSON.stringify({ ...it.header, length: it.header.length ?? p.length })}\n`),
      p,
      Buffer.from('\n'),
    );
  }
  return Buffer.concat(parts);
}
