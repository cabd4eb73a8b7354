/**
 * Axiom ingest API, per shared/reference/destinations.md §7.
 *
 * Serves `POST /v1/datasets/{dataset}/ingest` (legacy) and `POST /v1/ingest/{dataset}` (edge).
 * Enforced (vendor): `Authorization: Bearer <token>` (401 missing, 403 wrong), the dataset must be
 * the configured one (404), Content-Type `application/json` (an array of objects) or
 * `application/x-ndjson` / `application/nd-json`, Content-Encoding gzip or identity, ≤ 10,000
 * events per request (400). `timestamp-field` query parameter honoured (default `_time`).
 * Answer: 200 `{"ingested","failed","failures":[{"timestamp","error"}],"processedBytes","blocksCreated":0,"walLength"}`
 * — partial failure is a 200; failed events are not recorded. `failWhen` marks events as failing.
 * 429 faults: `{"message":"rate limit exceeded"}` with X-RateLimit-Scope/Limit/Remaining/Reset.
 *
 * Stricter than Axiom / decided without a primary source:
 *  - an event without a parseable `_time` (ISO 8601 string or finite epoch number) is reported as a
 *    failure (Axiom would stamp it with ingest time; our drain always sets `_time`);
 *  - a JSON body must be an array (not a single object); a non-object event or a bad NDJSON line
 *    fails the whole request with 400;
 *  - zstd (documented by Axiom) → 415, because Node 20's zlib cannot decode it; text/csv → 415;
 *  - the decoded body is capped at 100,000,000 bytes (→ 413; Axiom's limit is undocumented);
 *  - error bodies `{"code":N,"message":"…"}`; X-RateLimit-Reset is UTC epoch seconds (Axiom's
 *    API-limits page; not re-verified here).
 */
import {
  HttpReceiver,
  header,
  isObject,
  mediaType,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

export const AXIOM_MAX_EVENTS = 10_000;

export type AxiomEvent = Record<string, unknown>;
export interface AxiomFailure {
  timestamp: string;
  error: string;
}
export interface AxiomIngestStatus {
  ingested: number;
  failed: number;
  failures: AxiomFailure[];
  processedBytes: number;
  blocksCreated: number;
  walLength: number;
}

export interface AxiomReceiverOptions extends ReceiverOptions<AxiomEvent> {
  tokens: string[];
  dataset: string;
  /** return an error text to make that event fail (partial failure), undefined to ingest it */
  failWhen?: (event: AxiomEvent, index: number) => string | undefined;
  maxDecodedBytes?: number;
  /** seconds from now written to X-RateLimit-Reset on 429 faults (default 1) */
  rateLimitResetS?: number;
}

const LEGACY = /^\/v1\/datasets\/([^/]+)\/ingest$/;
const EDGE = /^\/v1\/ingest\/([^/]+)$/;
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/nd-json']);

const fail = (status: number, message: string, detail = message): Reply<AxiomEvent> => ({
  status,
  body: JSON.stringify({ code: status, message }),
  error: detail,
});

export class AxiomReceiver extends HttpReceiver<AxiomEvent> {
  protected readonly vendor = 'axiom';
  /** events reported as failed, counted even when records are not kept */
  failedCount = 0;
  /** the failures answered, in order (kept only with keepRecords) */
  readonly failures: AxiomFailure[] = [];
  readonly #tokens: Set<string>;
  readonly #dataset: string;
  readonly #failWhen: AxiomReceiverOptions['failWhen'];
  readonly #maxDecodedBytes: number;
  readonly #resetS: number;

  constructor(opts: AxiomReceiverOptions) {
    super(opts);
    this.#tokens = new Set(opts.tokens);
    this.#dataset = opts.dataset;
    this.#failWhen = opts.failWhen;
    this.#maxDecodedBytes = opts.maxDecodedBytes ?? 100_000_000;
    this.#resetS = opts.rateLimitResetS ?? 1;
  }

  protected override defaultIdOf(r: AxiomEvent): number | undefined {
    return typeof r.seq === 'number' ? r.seq : undefined;
  }

  protected override faultReply(status: number) {
    if (status === 429) {
      return {
        body: JSON.stringify({ message: 'rate limit exceeded' }),
        headers: {
          'x-ratelimit-scope': 'organization',
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + this.#resetS),
        },
      };
    }
    return { body: JSON.stringify({ code: status, message: `error ${status}` }) };
  }

  protected async handle(req: ReceivedRequest, raw: Buffer, truncated: boolean): Promise<Reply<AxiomEvent>> {
    const m = LEGACY.exec(req.path) ?? EDGE.exec(req.path);
    if (!m) return fail(404, 'not found', `unknown path ${req.path}`);
    if (req.method !== 'POST') return fail(405, 'method not allowed');
    const authz = header(req.headers, 'authorization');
    if (!authz) return fail(401, 'unauthorized', 'missing Authorization');
    if (!authz.startsWith('Bearer ') || !this.#tokens.has(authz.slice(7).trim())) {
      return fail(403, 'forbidden', 'invalid token');
    }
    const dataset = decodeURIComponent(m[1]!);
    if (dataset !== this.#dataset)
      return fail(404, 'dataset not found', `dataset ${JSON.stringify(dataset)}`);
    const mt = mediaType(req.headers);
    const ndjson = NDJSON_TYPES.has(mt);
    if (!ndjson && mt !== 'application/json')
      return fail(415, `unsupported content type ${JSON.stringify(mt)}`);
    const dec = await this.decode(req, raw, truncated, this.#maxDecodedBytes, ['gzip']);
    if (!dec.ok) {
      if (dec.reason === 'too_large') return fail(413, 'request entity too large', dec.detail);
      if (dec.reason === 'unsupported') return fail(415, dec.detail);
      return fail(400, dec.detail);
    }
    let events: unknown[];
    if (ndjson) {
      const parsed = parseNdjson(dec.body);
      if (typeof parsed === 'string') return fail(400, parsed);
      events = parsed;
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(dec.body.toString('utf8'));
      } catch (e) {
        return fail(400, `invalid JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(parsed)) return fail(400, 'application/json body must be an array of events');
      events = parsed;
    }
    if (events.length > AXIOM_MAX_EVENTS)
      return fail(400, `${events.length} events > ${AXIOM_MAX_EVENTS} per request`);

    const tsField = req.query.get('timestamp-field') ?? '_time';
    const ingested: AxiomEvent[] = [];
    const failures: AxiomFailure[] = [];
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (!isObject(ev)) return fail(400, `event ${i} is not an object`);
      const t = ev[tsField];
      const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : Number.NaN;
      let error: string | undefined;
      if (!Number.isFinite(ms)) error = `missing or unparseable ${tsField}`;
      else error = this.#failWhen?.(ev, i);
      if (error === undefined) ingested.push(ev);
      else failures.push({ timestamp: new Date(Number.isFinite(ms) ? ms : Date.now()).toISOString(), error });
    }
    this.failedCount += failures.length;
    if (this.keepRecords) this.failures.push(...failures);
    const status: AxiomIngestStatus = {
      ingested: ingested.length,
      failed: failures.length,
      failures,
      processedBytes: dec.body.length,
      blocksCreated: 0,
      walLength: ingested.length,
    };
    return {
      status: 200,
      body: JSON.stringify(status),
      records: ingested,
      ...(failures.length > 0 ? { error: `${failures.length} events failed` } : {}),
    };
  }
}

function parseNdjson(buf: Buffer): unknown[] | string {
  const out: unknown[] = [];
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1) end = buf.length;
    let stop = end;
    if (stop > start && buf[stop - 1] === 0x0d) stop--;
    if (stop > start) {
      try {
        out.push(JSON.parse(buf.toString('utf8', start, stop)));
      } catch (e) {
        return `line ${line + 1}: ${(e as Error).message}`;
      }
    }
    line++;
    start = end + 1;
  }
  return out;
}
