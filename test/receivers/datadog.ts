/**
 * Datadog Logs HTTP intake v2 (`POST /api/v2/logs`), per shared/reference/destinations.md §1.
 *
 * Enforced (vendor): DD-API-KEY header or `dd-api-key` query (401 missing, 403 wrong), JSON body,
 * Content-Encoding identity/gzip/deflate, ≤ 5,000,000 bytes uncompressed (413), ≤ 1000 items,
 * every item an object with a string `message`; items over 1,000,000 bytes are accepted (202) and
 * counted as truncated, as Datadog does. 202 `{}`.
 *
 * Stricter than Datadog (it would accept and silently degrade; we answer 400 so a mapping bug is
 * loud — set `strict: false` to turn these off):
 *  - `status` must match a Log Status Remapper rule (Datadog maps anything else to info);
 *  - `timestamp` must be a number of epoch **ms** (Datadog also takes ISO 8601 strings);
 *  - `ddtags` must be a comma-separated string with no empty tag; `hostname`, `service`,
 *    `ddsource` must be strings.
 * Decided without a primary source: > 1000 items → 400 (undocumented; a batching bug should be
 * loud), empty array → 400, non-JSON Content-Type → 415, zstd → 415 (Node 20 cannot decode it),
 * 401 body `{"errors":["Unauthorized"]}`. The "5 MB" limit is read as 5,000,000 bytes (Vector's
 * hard cap) and "1 MB" per log as 1,000,000 bytes.
 *
 * Client tokens (`pub…`) are accepted on the same path (the drain decides the host: http-intake or
 * browser-intake); each request's `info.tokenForm` says which form arrived and `info.authVia`
 * whether it came in the header or the query string.
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

export const DATADOG_PATH = '/api/v2/logs';
export const DATADOG_MAX_BODY_BYTES = 5_000_000;
export const DATADOG_MAX_ITEMS = 1000;
export const DATADOG_MAX_ITEM_BYTES = 1_000_000;
/** an empty tag: `a,,b`, a leading or trailing comma, or an empty string */
const EMPTY_TAG = /(^|,)\s*(,|$)/;

/** One log item exactly as parsed from the body (HTTPLogItem plus any attributes). */
export interface DatadogLogItem {
  message: string;
  ddsource?: string;
  ddtags?: string;
  hostname?: string;
  service?: string;
  status?: string;
  timestamp?: number;
  [attribute: string]: unknown;
}

export type DatadogStatus =
  | 'emergency'
  | 'alert'
  | 'critical'
  | 'error'
  | 'warning'
  | 'notice'
  | 'info'
  | 'debug'
  | 'ok';

/**
 * The Log Status Remapper's string rules (docs: "Log Status Remapper"), or undefined when no rule
 * matches (Datadog would then show info). `fatal` → emergency, `trace` → debug, `warn` → warning.
 */
export function remapDatadogStatus(status: string): DatadogStatus | undefined {
  const s = status.trim().toLowerCase();
  if (s === '') return undefined;
  if (s.startsWith('emerg') || s.startsWith('f')) return 'emergency';
  if (s.startsWith('a')) return 'alert';
  if (s.startsWith('c')) return 'critical';
  if (s.startsWith('err')) return 'error';
  if (s.startsWith('w')) return 'warning';
  if (s.startsWith('n')) return 'notice';
  if (s.startsWith('i')) return 'info';
  if (s.startsWith('d') || s === 'trace' || s === 'verbose') return 'debug';
  if (s.startsWith('o') || s.startsWith('s')) return 'ok';
  return undefined;
}

export interface DatadogReceiverOptions extends ReceiverOptions<DatadogLogItem> {
  /** valid API keys (at least one of apiKeys / clientTokens) */
  apiKeys?: string[];
  /** valid client tokens (`pub…`) */
  clientTokens?: string[];
  /** the record-level checks documented above (default true) */
  strict?: boolean;
}

const err = (status: number, text: string, detail: string): Reply<DatadogLogItem> => ({
  status,
  body: JSON.stringify({ errors: [text] }),
  error: detail,
});
const bad = (detail: string) => err(400, `Bad Request: ${detail}`, detail);

export class DatadogReceiver extends HttpReceiver<DatadogLogItem> {
  protected readonly vendor = 'datadog';
  /** accepted items that Datadog would truncate (over 1,000,000 bytes), counted */
  truncatedCount = 0;
  /** accepted requests per token form */
  readonly tokenForms = { api_key: 0, client_token: 0 };
  readonly #apiKeys: Set<string>;
  readonly #clientTokens: Set<string>;
  readonly #strict: boolean;

  constructor(opts: DatadogReceiverOptions) {
    super(opts);
    this.#apiKeys = new Set(opts.apiKeys ?? []);
    this.#clientTokens = new Set(opts.clientTokens ?? []);
    this.#strict = opts.strict ?? true;
    if (this.#apiKeys.size + this.#clientTokens.size === 0)
      throw new Error('DatadogReceiver: give apiKeys or clientTokens');
  }

  protected override defaultIdOf(r: DatadogLogItem): number | undefined {
    return typeof r.seq === 'number' ? r.seq : undefined;
  }

  protected override faultReply(status: number) {
    const text: Record<number, string> = {
      408: 'Request Timeout',
      429: 'Too Many Requests',
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
      504: 'Gateway Timeout',
    };
    return { body: JSON.stringify({ errors: [text[status] ?? `Error ${status}`] }) };
  }

  protected async handle(
    req: ReceivedRequest,
    raw: Buffer,
    truncated: boolean,
  ): Promise<Reply<DatadogLogItem>> {
    if (req.path !== DATADOG_PATH) return err(404, 'Not Found', `unknown path ${req.path}`);
    if (req.method !== 'POST') return err(405, 'Method Not Allowed', `method ${req.method}`);

    const fromHeader = header(req.headers, 'dd-api-key');
    const key = fromHeader ?? req.query.get('dd-api-key') ?? undefined;
    if (key === undefined || key === '') return err(401, 'Unauthorized', 'missing DD-API-KEY');
    const tokenForm = key.startsWith('pub') ? 'client_token' : 'api_key';
    const valid = tokenForm === 'client_token' ? this.#clientTokens.has(key) : this.#apiKeys.has(key);
    if (!valid) return err(403, 'Forbidden', `invalid ${tokenForm}`);
    const info = { tokenForm, authVia: fromHeader !== undefined ? 'header' : 'query' };

    if (mediaType(req.headers) !== 'application/json') {
      return { ...err(415, 'Unsupported Media Type', `Content-Type ${req.headers['content-type']}`), info };
    }
    const dec = await this.decode(req, raw, truncated, DATADOG_MAX_BODY_BYTES);
    if (!dec.ok) {
      if (dec.reason === 'too_large') return { ...err(413, 'Request Entity Too Large', dec.detail), info };
      if (dec.reason === 'unsupported') return { ...err(415, 'Unsupported Media Type', dec.detail), info };
      return { ...bad(dec.detail), info };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(dec.body.toString('utf8'));
    } catch (e) {
      return { ...bad(`invalid JSON: ${(e as Error).message}`), info };
    }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    if (items.length === 0) return { ...bad('empty array'), info };
    if (items.length > DATADOG_MAX_ITEMS)
      return { ...bad(`${items.length} items > ${DATADOG_MAX_ITEMS}`), info };
    // no item can exceed 1 MB when the whole body does not
    const checkItemSize = dec.body.length > DATADOG_MAX_ITEM_BYTES;
    let truncatedItems = 0;
    for (let i = 0; i < items.length; i++) {
      const problem = this.#checkItem(items[i]);
      if (problem) return { ...bad(`item ${i}: ${problem}`), info };
      if (checkItemSize && Buffer.byteLength(JSON.stringify(items[i])) > DATADOG_MAX_ITEM_BYTES)
        truncatedItems++;
    }
    this.truncatedCount += truncatedItems;
    this.tokenForms[tokenForm]++;
    return {
      status: 202,
      body: '{}',
      records: items as DatadogLogItem[],
      info: truncatedItems > 0 ? { ...info, truncatedItems } : info,
    };
  }

  #checkItem(item: unknown): string | undefined {
    if (!isObject(item)) return 'not an object';
    if (typeof item.message !== 'string') return '`message` must be a string';
    if (!this.#strict) return undefined;
    for (const k of ['hostname', 'service', 'ddsource'] as const) {
      if (item[k] !== undefined && typeof item[k] !== 'string') return `\`${k}\` must be a string`;
    }
    const tags = item.ddtags;
    if (tags !== undefined) {
      if (typeof tags !== 'string') return `\`ddtags\` must be a comma-separated string, not ${typeof tags}`;
      if (EMPTY_TAG.test(tags)) return '`ddtags` has an empty tag';
    }
    const st = item.status;
    if (st !== undefined) {
      if (typeof st !== 'string') return '`status` must be a string';
      if (remapDatadogStatus(st) === undefined)
        return `\`status\` ${JSON.stringify(st)} matches no status remapper rule`;
    }
    const ts = item.timestamp;
    if (ts !== undefined) {
      // epoch ms between 1973 and 5138: catches seconds (too small) and µs/ns (too large)
      if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 1e11 || ts >= 1e14) {
        return `\`timestamp\` must be epoch milliseconds, got ${JSON.stringify(ts)}`;
      }
    }
    return undefined;
  }
}
