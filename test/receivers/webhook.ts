/**
 * The forwarder's own signed webhook (issue 4; shared/reference/destinations.md §11 for the Convex
 * shape it imitates). Also the chaos receiver: `chaos()` from the base class, and duplicates are
 * always counted by (instance, seq).
 *
 * Contract (ours, so these are decisions, not vendor facts):
 *  - `POST <path>` (default `/`); Content-Type application/json; Content-Encoding gzip or identity.
 *  - Body: a JSON array of 1..128 canonical events (> maxEvents → 400), ≤ 1 MiB both as sent and
 *    decoded (→ 413).
 *  - Each event: `timestamp` epoch ms (number, 1e11..1e14), `message` string (both always present;
 *    the others may be left out by WEBHOOK_FIELDS and are checked when present), `level` one of
 *    trace|debug|info|warn|error|fatal, `stream` string, `agent_id`, `worker_id`, `hostname`,
 *    `instance` non-empty strings, `seq` non-negative integer, `attributes` object of strings;
 *    optional `lifecycle` (object with a string `kind`) on the forwarder's own events; optional
 *    `observed_timestamp` (epoch ms), `trace_id` (32 lowercase hex), `span_id` (16), `error` (strings
 *    `kind`, `message`, `stack`) and `fields` (an object) on structured events. Any other key → 400
 *    (`allowUnknownFields: true` relaxes that).
 *  - With a secret: `x-webhook-timestamp` is unix **seconds** (integer), and
 *    `x-webhook-signature: sha256=<hex>` where hex = HMAC-SHA256(secret, `${timestamp}.` + body),
 *    the body being **the exact bytes on the wire** (the gzip bytes when Content-Encoding is gzip),
 *    so a receiver verifies before decompressing anything. Compared with timingSafeEqual. Missing,
 *    malformed, wrong or stale (|now − timestamp| > 300 s) → 401; the check runs before any body
 *    parsing. Error bodies: `{"error":"<detail>"}`.
 *  - With basicAuth: `Authorization: Basic base64(user:password)` exactly, else 401 (checked first).
 *    Credentials are never accepted in the request line.
 *  - Success: 200 `{"accepted":n}`. 4xx are final for the sender, 429/5xx are retried.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LevelName } from '../../src/pipeline/levels.js';
import {
  HttpReceiver,
  header,
  isObject,
  mediaType,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

export const WEBHOOK_MAX_EVENTS = 128;
export const WEBHOOK_MAX_BYTES = 1024 * 1024;
export const WEBHOOK_MAX_SKEW_S = 300;

/** The canonical event as the webhook drain writes it. */
export interface WebhookEvent {
  timestamp: number;
  message: string;
  level: LevelName;
  stream: string;
  agent_id: string;
  worker_id: string;
  hostname: string;
  seq: number;
  instance: string;
  attributes: Record<string, string>;
  lifecycle?: { kind: string; [key: string]: unknown };
  observed_timestamp?: number;
  trace_id?: string;
  span_id?: string;
  error?: { kind: string; message: string; stack: string };
  fields?: Record<string, unknown>;
}

export interface WebhookReceiverOptions extends ReceiverOptions<WebhookEvent> {
  /** the path the drain posts to (default '/') */
  path?: string;
  /** when set, every request must carry `Authorization: Basic base64(user:password)` */
  basicAuth?: { user: string; password: string };
  /** when set, every request must be signed (see above) */
  secret?: string;
  maxEvents?: number;
  maxBytes?: number;
  /** accepted clock skew in seconds (default 300) */
  maxSkewS?: number;
  allowUnknownFields?: boolean;
  /** the clock used for staleness, in ms (tests) */
  now?: () => number;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const KNOWN = new Set([
  'timestamp',
  'message',
  'level',
  'stream',
  'agent_id',
  'worker_id',
  'hostname',
  'seq',
  'instance',
  'attributes',
  'lifecycle',
  'observed_timestamp',
  'trace_id',
  'span_id',
  'error',
  'fields',
]);
const SIG_PREFIX = 'sha256=';

/**
 * Independent verification of a webhook signature: HMAC-SHA256(secret, `${timestamp}.` + rawBody)
 * in hex, after `sha256=`, compared in constant time. Staleness is the caller's concern.
 */
export function verifyWebhookSignature(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  rawBody: Uint8Array,
): boolean {
  if (!timestampHeader || !signatureHeader?.startsWith(SIG_PREFIX)) return false;
  const given = Buffer.from(signatureHeader.slice(SIG_PREFIX.length), 'hex');
  const expected = createHmac('sha256', secret).update(`${timestampHeader}.`).update(rawBody).digest();
  // Buffer.from(hex) stops at the first non-hex pair, so a malformed header comes out short
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const fail = (status: number, detail: string): Reply<WebhookEvent> => ({
  status,
  body: JSON.stringify({ error: detail }),
  error: detail,
});

export class WebhookReceiver extends HttpReceiver<WebhookEvent> {
  protected readonly vendor = 'webhook';
  readonly #path: string;
  readonly #secret: string | undefined;
  readonly #basicAuth: string | undefined;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #maxSkewS: number;
  readonly #allowUnknown: boolean;
  readonly #now: () => number;

  constructor(opts: WebhookReceiverOptions = {}) {
    super({ trackIds: true, ...opts });
    this.#path = opts.path ?? '/';
    this.#secret = opts.secret;
    this.#basicAuth = opts.basicAuth
      ? `Basic ${Buffer.from(`${opts.basicAuth.user}:${opts.basicAuth.password}`).toString('base64')}`
      : undefined;
    this.#maxEvents = opts.maxEvents ?? WEBHOOK_MAX_EVENTS;
    this.#maxBytes = opts.maxBytes ?? WEBHOOK_MAX_BYTES;
    this.#maxSkewS = opts.maxSkewS ?? WEBHOOK_MAX_SKEW_S;
    this.#allowUnknown = opts.allowUnknownFields ?? false;
    this.#now = opts.now ?? Date.now;
  }

  /** dedupe id: `${instance}:${seq}` */
  protected override defaultIdOf(r: WebhookEvent): string {
    return `${r.instance}:${r.seq}`;
  }

  protected override faultReply(status: number) {
    return {
      body: JSON.stringify({ error: `injected fault ${status}` }),
      ...(status === 429 ? { headers: { 'retry-after': '1' } } : {}),
    };
  }

  protected async handle(
    req: ReceivedRequest,
    raw: Buffer,
    truncated: boolean,
  ): Promise<Reply<WebhookEvent>> {
    if (this.#basicAuth !== undefined && header(req.headers, 'authorization') !== this.#basicAuth)
      return fail(401, 'missing or wrong Basic credentials');
    if (req.path !== this.#path) return fail(404, `unknown path ${req.path}`);
    if (req.method !== 'POST') return fail(405, `method ${req.method}`);
    if (truncated || req.rawBytes > this.#maxBytes)
      return fail(413, `body ${req.rawBytes} bytes > ${this.#maxBytes}`);
    if (this.#secret !== undefined) {
      const problem = this.#checkSignature(req, raw, this.#secret);
      if (problem) return fail(401, problem);
    }
    if (mediaType(req.headers) !== 'application/json')
      return fail(415, `Content-Type ${req.headers['content-type']}`);
    const dec = await this.decode(req, raw, truncated, this.#maxBytes, ['gzip']);
    if (!dec.ok) {
      if (dec.reason === 'too_large') return fail(413, dec.detail);
      if (dec.reason === 'unsupported') return fail(415, dec.detail);
      return fail(400, dec.detail);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(dec.body.toString('utf8'));
    } catch (e) {
      return fail(400, `invalid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed)) return fail(400, 'body must be a JSON array of events');
    if (parsed.length === 0) return fail(400, 'empty batch');
    if (parsed.length > this.#maxEvents) return fail(400, `${parsed.length} events > ${this.#maxEvents}`);
    for (let i = 0; i < parsed.length; i++) {
      const problem = this.#checkEvent(parsed[i]);
      if (problem) return fail(400, `event ${i}: ${problem}`);
    }
    return { status: 200, body: `{"accepted":${parsed.length}}`, records: parsed as WebhookEvent[] };
  }

  #checkSignature(req: ReceivedRequest, raw: Buffer, secret: string): string | undefined {
    const ts = header(req.headers, 'x-webhook-timestamp');
    const sig = header(req.headers, 'x-webhook-signature');
    if (ts === undefined) return 'missing x-webhook-timestamp';
    if (sig === undefined) return 'missing x-webhook-signature';
    if (!/^\d{1,16}$/.test(ts)) return 'x-webhook-timestamp must be unix seconds (an integer)';
    const secs = Number(ts);
    if (secs > 1e11) return 'x-webhook-timestamp looks like milliseconds; send unix seconds';
    if (!/^sha256=[0-9a-f]{64}$/.test(sig)) return 'x-webhook-signature must be sha256=<64 lowercase hex>';
    if (!verifyWebhookSignature(secret, ts, sig, raw)) return 'signature mismatch';
    const skew = Math.abs(this.#now() / 1000 - secs);
    if (skew > this.#maxSkewS)
      return `stale x-webhook-timestamp (${Math.round(skew)} s off, max ${this.#maxSkewS})`;
    return undefined;
  }

  #checkEvent(e: unknown): string | undefined {
    if (!isObject(e)) return 'not an object';
    const ts = e.timestamp;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 1e11 || ts >= 1e14) {
      return `timestamp must be epoch ms, got ${JSON.stringify(ts)}`;
    }
    if (typeof e.message !== 'string') return 'message must be a string';
    // timestamp and message are always sent; the others may be left out by WEBHOOK_FIELDS, and are checked when present.
    if (e.level !== undefined && (typeof e.level !== 'string' || !LEVELS.has(e.level)))
      return `level ${JSON.stringify(e.level)} is not a level name`;
    if (e.stream !== undefined && (typeof e.stream !== 'string' || e.stream === ''))
      return 'stream must be a non-empty string';
    for (const k of ['agent_id', 'worker_id', 'hostname', 'instance'] as const) {
      if (e[k] !== undefined && (typeof e[k] !== 'string' || e[k] === ''))
        return `${k} must be a non-empty string`;
    }
    if (e.seq !== undefined && (typeof e.seq !== 'number' || !Number.isSafeInteger(e.seq) || e.seq < 0))
      return 'seq must be a non-negative integer';
    const attrs = e.attributes;
    if (attrs !== undefined) {
      if (!isObject(attrs)) return 'attributes must be an object';
      for (const k in attrs) if (typeof attrs[k] !== 'string') return `attributes.${k} must be a string`;
    }
    if (e.lifecycle !== undefined && (!isObject(e.lifecycle) || typeof e.lifecycle.kind !== 'string')) {
      return 'lifecycle must be an object with a string kind';
    }
    const obs = e.observed_timestamp;
    if (obs !== undefined && (typeof obs !== 'number' || !Number.isFinite(obs) || obs < 1e11 || obs >= 1e14))
      return `observed_timestamp must be epoch ms, got ${JSON.stringify(obs)}`;
    if (e.trace_id !== undefined && (typeof e.trace_id !== 'string' || !/^[0-9a-f]{32}$/.test(e.trace_id)))
      return 'trace_id must be 32 lowercase hex';
    if (e.span_id !== undefined && (typeof e.span_id !== 'string' || !/^[0-9a-f]{16}$/.test(e.span_id)))
      return 'span_id must be 16 lowercase hex';
    if (e.error !== undefined) {
      const er = e.error;
      if (!isObject(er) || ['kind', 'message', 'stack'].some((k) => typeof er[k] !== 'string'))
        return 'error must be an object of strings kind, message, stack';
    }
    if (e.fields !== undefined && !isObject(e.fields)) return 'fields must be an object';
    if (!this.#allowUnknown)
      for (const k in e) if (!KNOWN.has(k)) return `unknown field ${JSON.stringify(k)}`;
    return undefined;
  }
}
