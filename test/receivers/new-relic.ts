/**
 * New Relic Log API (`POST /log/v1`), per shared/reference/destinations.md §4.
 *
 * Enforced (vendor): `Api-Key`, `X-License-Key` or `X-Insert-Key` header, or `?Api-Key=` (403 when
 * missing or wrong); Content-Type application/json (also `json`, `application/gzip`, `gzip`, the
 * last two meaning a gzip body); Content-Encoding gzip or identity; body **as sent** ≤ 1,000,000
 * bytes (413); detailed form `[{common:{timestamp?,attributes?}, logs:[{timestamp?,message,attributes?}]}]`
 * or the simple single-object form; attribute values are scalars or objects (flattened with `.`),
 * never arrays; ≤ 255 attributes per log after merging common + log, names ≤ 255 chars; UTF-8.
 * Success: 202 `{"requestId":"<uuid>"}`. 429 faults carry `Retry-After` (seconds, default 1).
 *
 * Stricter than New Relic / decided without a primary source: every log needs a string `message`
 * (NR also renames `log`/`LOG`/`MESSAGE`; a drain should send `message`), `timestamp` must be a
 * number (ms or s), `common` may only hold `timestamp` and `attributes`; zero logs in the body → 400;
 * the decoded body is capped at 10,000,000 bytes (→ 413; NR's uncompressed limit is unclear);
 * error bodies are `{"error":"<detail>"}` (NR's 4xx bodies are undocumented); other media types →
 * 415; deflate → 415.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import {
  HttpReceiver,
  header,
  isObject,
  mediaType,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

export const NEW_RELIC_PATH = '/log/v1';
export const NEW_RELIC_MAX_BODY_BYTES = 1_000_000;
export const NEW_RELIC_MAX_ATTRIBUTES = 255;

export type NewRelicAttributes = Record<string, unknown>;
export interface NewRelicCommon {
  timestamp?: number;
  attributes?: NewRelicAttributes;
}
export interface NewRelicLog {
  message: string;
  timestamp?: number;
  attributes?: NewRelicAttributes;
  [attribute: string]: unknown;
}
/** One accepted log: the log object as parsed and its block's `common` (shared, not copied; undefined in the simple form). */
export interface NewRelicRecord {
  common: NewRelicCommon | undefined;
  log: NewRelicLog;
}

export interface NewRelicReceiverOptions extends ReceiverOptions<NewRelicRecord> {
  /** valid license / API / insert keys */
  keys: string[];
  maxBodyBytes?: number;
  maxDecodedBytes?: number;
}

const JSON_TYPES = new Set(['application/json', 'json']);
const GZIP_TYPES = new Set(['application/gzip', 'gzip']);

/**
 * What New Relic stores for a record: common attributes, then the log's own (log wins), nested
 * objects flattened with `.`, plus `message` and `timestamp` (log's, else common's).
 */
export function newRelicView(r: NewRelicRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.common?.attributes) flattenInto(out, r.common.attributes, '');
  const { attributes, message, timestamp, ...rest } = r.log;
  if (attributes) flattenInto(out, attributes, '');
  flattenInto(out, rest, '');
  out.message = message;
  const ts = timestamp ?? r.common?.timestamp;
  if (ts !== undefined) out.timestamp = ts;
  return out;
}

function flattenInto(out: Record<string, unknown>, o: Record<string, unknown>, prefix: string): void {
  for (const k in o) {
    const v = o[k];
    if (isObject(v)) flattenInto(out, v, `${prefix}${k}.`);
    else out[prefix + k] = v;
  }
}

/** Counts flattened attributes and checks values; returns a problem or the count. */
function checkAttributes(o: Record<string, unknown>, prefix: string, where: string): string | number {
  let n = 0;
  for (const k in o) {
    const name = prefix + k;
    if (name.length > 255) return `${where}: attribute name longer than 255 chars`;
    const v = o[k];
    if (Array.isArray(v)) return `${where}: attribute ${JSON.stringify(name)} is an array (not supported)`;
    if (isObject(v)) {
      const sub = checkAttributes(v, `${name}.`, where);
      if (typeof sub === 'string') return sub;
      n += sub;
    } else if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      return `${where}: attribute ${JSON.stringify(name)} has an unsupported type`;
    } else n++;
  }
  return n;
}

const fail = (status: number, detail: string): Reply<NewRelicRecord> => ({
  status,
  body: JSON.stringify({ error: detail }),
  error: detail,
});

export class NewRelicReceiver extends HttpReceiver<NewRelicRecord> {
  protected readonly vendor = 'new_relic';
  readonly #keys: Set<string>;
  readonly #maxBodyBytes: number;
  readonly #maxDecodedBytes: number;

  constructor(opts: NewRelicReceiverOptions) {
    super(opts);
    this.#keys = new Set(opts.keys);
    this.#maxBodyBytes = opts.maxBodyBytes ?? NEW_RELIC_MAX_BODY_BYTES;
    this.#maxDecodedBytes = opts.maxDecodedBytes ?? 10_000_000;
  }

  protected override defaultIdOf(r: NewRelicRecord): number | undefined {
    const s = r.log.attributes?.seq ?? r.log.seq;
    return typeof s === 'number' ? s : undefined;
  }

  protected override faultReply(status: number) {
    if (status === 429) return { body: '', headers: { 'retry-after': '1' } };
    return { body: JSON.stringify({ error: `Error ${status}` }) };
  }

  protected async handle(
    req: ReceivedRequest,
    raw: Buffer,
    truncated: boolean,
  ): Promise<Reply<NewRelicRecord>> {
    if (req.path !== NEW_RELIC_PATH) return fail(404, `unknown path ${req.path}`);
    if (req.method !== 'POST') return fail(405, `method ${req.method}`);
    const key =
      header(req.headers, 'api-key') ??
      header(req.headers, 'x-license-key') ??
      header(req.headers, 'x-insert-key') ??
      req.query.get('Api-Key') ??
      undefined;
    if (key === undefined) return fail(403, 'missing Api-Key / X-License-Key');
    if (!this.#keys.has(key)) return fail(403, 'invalid key');
    const mt = mediaType(req.headers);
    if (!JSON_TYPES.has(mt) && !GZIP_TYPES.has(mt))
      return fail(415, `Content-Type ${req.headers['content-type']}`);
    if (truncated || req.rawBytes > this.#maxBodyBytes) {
      return fail(413, `body ${req.rawBytes} bytes as sent > ${this.#maxBodyBytes}`);
    }
    const ce = req.headers['content-encoding'] ?? (GZIP_TYPES.has(mt) ? 'gzip' : undefined);
    const dec = await this.decode(req, raw, truncated, this.#maxDecodedBytes, ['gzip'], ce);
    if (!dec.ok) {
      if (dec.reason === 'too_large') return fail(413, dec.detail);
      if (dec.reason === 'unsupported') return fail(415, dec.detail);
      return fail(400, dec.detail);
    }
    if (!isUtf8(dec.body)) return fail(400, 'body is not valid UTF-8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(dec.body.toString('utf8'));
    } catch (e) {
      return fail(400, `invalid JSON: ${(e as Error).message}`);
    }
    const records: NewRelicRecord[] = [];
    if (Array.isArray(parsed)) {
      for (let b = 0; b < parsed.length; b++) {
        const problem = this.#block(parsed[b], b, records);
        if (problem) return fail(400, problem);
      }
    } else if (isObject(parsed)) {
      const problem = this.#log(parsed, 0, 'simple object', records, undefined);
      if (problem) return fail(400, problem);
    } else {
      return fail(400, 'body must be an array of blocks or one log object');
    }
    if (records.length === 0) return fail(400, 'no logs in the body');
    return { status: 202, body: JSON.stringify({ requestId: randomUUID() }), records };
  }

  #block(block: unknown, b: number, out: NewRelicRecord[]): string | undefined {
    if (!isObject(block)) return `block ${b}: not an object`;
    for (const k in block)
      if (k !== 'common' && k !== 'logs') return `block ${b}: unknown key ${JSON.stringify(k)}`;
    const common = block.common;
    let commonCount = 0;
    if (common !== undefined) {
      if (!isObject(common)) return `block ${b}: \`common\` must be an object`;
      for (const k in common) {
        if (k !== 'timestamp' && k !== 'attributes') return `block ${b}: unknown key common.${k}`;
      }
      if (common.timestamp !== undefined && typeof common.timestamp !== 'number') {
        return `block ${b}: common.timestamp must be a number`;
      }
      if (common.attributes !== undefined) {
        if (!isObject(common.attributes)) return `block ${b}: common.attributes must be an object`;
        const c = checkAttributes(common.attributes, '', `block ${b} common`);
        if (typeof c === 'string') return c;
        commonCount = c;
      }
    }
    if (!Array.isArray(block.logs)) return `block ${b}: \`logs\` must be an array`;
    for (let i = 0; i < block.logs.length; i++) {
      const problem = this.#log(
        block.logs[i],
        commonCount,
        `block ${b} log ${i}`,
        out,
        common as NewRelicCommon,
      );
      if (problem) return problem;
    }
    return undefined;
  }

  #log(
    log: unknown,
    commonCount: number,
    where: string,
    out: NewRelicRecord[],
    common: NewRelicCommon | undefined,
  ): string | undefined {
    if (!isObject(log)) return `${where}: not an object`;
    if (typeof log.message !== 'string') return `${where}: \`message\` must be a string`;
    if (
      log.timestamp !== undefined &&
      (typeof log.timestamp !== 'number' || !Number.isFinite(log.timestamp))
    ) {
      return `${where}: \`timestamp\` must be a number (epoch ms or s)`;
    }
    let n = commonCount;
    for (const k in log) {
      if (k === 'message' || k === 'timestamp') continue;
      const v = log[k];
      if (k === 'attributes') {
        if (!isObject(v)) return `${where}: \`attributes\` must be an object`;
        const c = checkAttributes(v, '', where);
        if (typeof c === 'string') return c;
        n += c;
        continue;
      }
      const c = checkAttributes({ [k]: v }, '', where);
      if (typeof c === 'string') return c;
      n += c;
    }
    if (n > NEW_RELIC_MAX_ATTRIBUTES) return `${where}: ${n} attributes > ${NEW_RELIC_MAX_ATTRIBUTES}`;
    out.push({ common, log: log as NewRelicLog });
    return undefined;
  }
}
