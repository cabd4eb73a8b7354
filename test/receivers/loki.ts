/**
 * A strict Grafana Loki push API receiver (`POST /loki/api/v1/push`, JSON), with Loki's default
 * limits and its answers (Loki HTTP API reference; "Enforce rate limits and push request
 * validation"; limits_config defaults).
 *
 * Enforced: the path (404), POST (405); credentials when configured — Basic user/password or a
 * Bearer token (401) — and `X-Scope-OrgID` when a tenant is configured (401 "no org id");
 * Content-Type `application/json` (protobuf+snappy → 415 here: not decoded by this receiver);
 * Content-Encoding gzip, deflate or identity; a body `{"streams":[{"stream":{…},"values":[…]}]}`
 * with string label values, label names as Prometheus' (not `__…`), ≤ 15 labels, values ≤ 2048
 * characters and not empty; each value `[ "<ns decimal string>", "<line>" ]` or with a third
 * member, the structured metadata (an object of strings, ≤ 128 entries and ≤ 64 KB of names and
 * values; refused with Loki's 400 when `structuredMetadata` is false). Per entry, as Loki does (the others of the request are kept,
 * and the answer is a 400 naming what was ignored, per stream, in Loki's words): a line over
 * max_line_size (256 KB) → line too long; older than reject_old_samples_max_age (1 week) → too
 * old; newer than now + creation_grace_period (10 min) → too far in the future; more than an hour
 * (max_chunk_age / 2) behind the stream's newest entry → too far behind (Loki 2.4+'s default,
 * unordered writes); with `orderedWrites` (the legacy setting) any entry older than the stream's
 * newest → out of order. An entry with the same time and line as
 * the stream's previous one is dropped silently, as Loki does (counted in `silentDuplicates`).
 * Success is 204 with no body.
 *
 * `countOnly` (the bench's sink, so the sink is not what the bench measures): the path, method,
 * credentials, tenant, Content-Type and Content-Encoding are checked as above and the decoded body
 * must be `{"streams":[…]}`; its entries are counted (each `["` outside a string opens one: inside
 * a JSON string a quote is escaped) and nothing else is parsed, so no per-entry rule applies.
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

export interface LokiEntry {
  labels: Record<string, string>;
  /** ns since the epoch, as sent */
  ts: string;
  line: string;
  metadata?: Record<string, string>;
}

export interface LokiReceiverOptions extends ReceiverOptions<LokiEntry> {
  basic?: { user: string; password: string };
  tokens?: string[];
  /** X-Scope-OrgID required and equal to this */
  tenant?: string;
  structuredMetadata?: boolean;
  maxLineBytes?: number;
  /** Loki's legacy ordered writes (unordered_writes: false): any entry older than the stream's newest is refused */
  orderedWrites?: boolean;
  /** count entries without parsing them (bench): needs keepRecords false and no trackIds */
  countOnly?: boolean;
}

const MAX_LABELS = 15;
/** limits_config max_structured_metadata_entries_count and max_structured_metadata_size (64KB) defaults */
const MAX_METADATA_ENTRIES = 128;
const MAX_METADATA_BYTES = 64 * 1024;
const MAX_LABEL_VALUE = 2048;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const WEEK_NS = 168n * 3600n * 1_000_000_000n;
const GRACE_NS = 10n * 60n * 1_000_000_000n;
/** unordered writes take an entry up to max_chunk_age / 2 (2 h / 2) behind the stream's newest */
const HOUR_NS = 3600n * 1_000_000_000n;

const text = (status: number, body: string, error = body): Reply<LokiEntry> => ({
  status,
  body,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  error,
});

export class LokiReceiver extends HttpReceiver<LokiEntry> {
  protected readonly vendor = 'loki';
  /** entries Loki would have dropped without a word (same time and line as the stream's previous) */
  silentDuplicates = 0;
  /** entries ignored with a 400, by Loki's reason */
  readonly ignored: Record<string, number> = {};
  readonly #opts: LokiReceiverOptions;
  /** per stream (label set JSON): the newest entry's ns and line */
  readonly #last = new Map<string, { ts: bigint; line: string; newest: bigint }>();

  constructor(opts: LokiReceiverOptions = {}) {
    super(opts);
    this.#opts = opts;
    if (opts.countOnly && this.recordsWanted)
      throw new Error('LokiReceiver: countOnly builds no records: set keepRecords false and no trackIds');
  }

  protected override defaultIdOf(r: LokiEntry): string {
    return `${JSON.stringify(r.labels)} ${r.ts} ${r.line}`;
  }

  protected override faultReply(status: number) {
    if (status === 429)
      return {
        body: 'Ingestion rate limit exceeded for user fake (limit: 4194304 bytes/sec) while attempting to ingest 2 lines totaling 20 bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      };
    return { body: `fault ${status}`, headers: { 'content-type': 'text/plain; charset=utf-8' } };
  }

  protected async handle(req: ReceivedRequest, raw: Buffer, truncated: boolean): Promise<Reply<LokiEntry>> {
    if (req.path !== '/loki/api/v1/push') return text(404, '404 page not found\n', `path ${req.path}`);
    if (req.method !== 'POST') return text(405, 'method not allowed\n');
    const authz = header(req.headers, 'authorization');
    const { basic, tokens, tenant } = this.#opts;
    if (basic || tokens) {
      const okBasic =
        basic && authz === `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString('base64')}`;
      const okToken = tokens && authz?.startsWith('Bearer ') && tokens.includes(authz.slice(7));
      if (!okBasic && !okToken) return text(401, 'invalid authentication credentials\n', 'credentials');
    }
    if (tenant !== undefined && header(req.headers, 'x-scope-orgid') !== tenant)
      return text(401, 'no org id\n', 'X-Scope-OrgID');
    const type = mediaType(req.headers);
    if (type !== 'application/json')
      return text(415, `unsupported Content-Type ${JSON.stringify(type)} (this receiver decodes JSON only)`);
    const dec = await this.decode(req, raw, truncated, 100 * 1024 * 1024, ['gzip', 'deflate']);
    if (!dec.ok) return text(dec.reason === 'too_large' ? 413 : 400, dec.detail);
    if (this.#opts.countOnly) return countEntries(dec.body);
    let body: unknown;
    try {
      body = JSON.parse(dec.body.toString('utf8'));
    } catch (e) {
      return text(400, `loghttp.PushRequest.ReadObject: ${(e as Error).message}`);
    }
    if (!isObject(body) || !Array.isArray(body.streams) || Object.keys(body).length !== 1)
      return text(400, 'the body must be {"streams":[…]}');
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const accepted: LokiEntry[] = [];
    const errors: string[] = [];
    for (const s of body.streams) {
      if (!isObject(s) || !isObject(s.stream) || !Array.isArray(s.values))
        return text(400, 'each stream must be {"stream":{…},"values":[…]}');
      const labels = s.stream as Record<string, unknown>;
      const names = Object.keys(labels);
      if (names.length > MAX_LABELS)
        return text(
          400,
          `stream '${JSON.stringify(labels)}' has ${names.length} label names; limit ${MAX_LABELS}`,
        );
      for (const n of names) {
        const v = labels[n];
        if (!LABEL_NAME.test(n) || n.startsWith('__'))
          return text(400, `invalid label name ${JSON.stringify(n)}`);
        if (typeof v !== 'string' || v === '') return text(400, `label ${n} must be a non-empty string`);
        if (v.length > MAX_LABEL_VALUE) return text(400, `label value too long for ${n}`);
      }
      const key = JSON.stringify(Object.fromEntries(names.sort().map((n) => [n, labels[n]])));
      let ignored = 0;
      let firstReason = '';
      let firstTs = '';
      for (const v of s.values) {
        if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3))
          return text(400, 'each value must be [timestamp, line] or [timestamp, line, metadata]');
        const [ts, line, meta] = v as unknown[];
        if (typeof ts !== 'string' || !/^\d+$/.test(ts))
          return text(400, `timestamp ${JSON.stringify(ts)} must be a decimal string`);
        if (typeof line !== 'string') return text(400, 'the line must be a string');
        if (meta !== undefined) {
          if (!isObject(meta) || Object.values(meta).some((x) => typeof x !== 'string'))
            return text(400, 'structured metadata must be an object of strings');
          const entries = Object.entries(meta as Record<string, string>);
          if (entries.length > MAX_METADATA_ENTRIES)
            return text(
              400,
              `stream '${key}' has too many structured metadata labels: '${entries.length}', limit: '${MAX_METADATA_ENTRIES}'`,
            );
          const size = entries.reduce((n, [k, x]) => n + k.length + x.length, 0);
          if (size > MAX_METADATA_BYTES)
            return text(
              400,
              `stream '${key}' has structured metadata too large: '${size}' bytes, limit: '${MAX_METADATA_BYTES}'`,
            );
          if (this.#opts.structuredMetadata === false)
            return text(
              400,
              `stream '${key}' includes structured metadata, but this feature is disallowed. Please see limits_config.structured_metadata or contact your Loki administrator to enable it.`,
            );
        }
        const t = BigInt(ts);
        const last = this.#last.get(key);
        let reason: string | undefined;
        if (Buffer.byteLength(line) > (this.#opts.maxLineBytes ?? 256 * 1024))
          reason = `line too long (limit ${this.#opts.maxLineBytes ?? 256 * 1024})`;
        else if (t < nowNs - WEEK_NS) reason = 'entry has timestamp too old';
        else if (t > nowNs + GRACE_NS) reason = 'entry has timestamp too far in the future';
        else if (last && this.#opts.orderedWrites && t < last.ts) reason = 'entry out of order';
        else if (last && t < last.newest - HOUR_NS)
          reason = `entry too far behind, oldest acceptable timestamp is: ${new Date(Number((last.newest - HOUR_NS) / 1_000_000n)).toISOString()}`;
        if (reason !== undefined) {
          ignored++;
          this.ignored[reason] = (this.ignored[reason] ?? 0) + 1;
          if (!firstReason) {
            firstReason = reason;
            firstTs = new Date(Number(t / 1_000_000n)).toISOString();
          }
          continue;
        }
        if (last && t === last.ts && line === last.line) {
          this.silentDuplicates++;
          continue;
        }
        this.#last.set(key, { ts: t, line, newest: last && last.newest > t ? last.newest : t });
        accepted.push({
          labels: labels as Record<string, string>,
          ts,
          line,
          ...(meta !== undefined ? { metadata: meta as Record<string, string> } : {}),
        });
      }
      if (ignored > 0)
        errors.push(
          `entry with timestamp ${firstTs} ignored, reason: '${firstReason}',\nuser 'fake', total ignored: ${ignored} out of ${s.values.length} for stream: ${key}`,
        );
    }
    if (errors.length > 0) return { ...text(400, errors.join('\n')), records: accepted };
    return { status: 204, body: '', records: accepted };
  }
}

const STREAMS_OPEN = Buffer.from('{"streams":[');
const STREAMS_CLOSE = Buffer.from(']}');
const ENTRY_OPEN = Buffer.from('["');

/** count-only mode: the body's shape at its ends, and its entries counted by their `["`. */
function countEntries(body: Buffer): Reply<LokiEntry> {
  if (
    body.length < STREAMS_OPEN.length + STREAMS_CLOSE.length ||
    body.compare(STREAMS_OPEN, 0, STREAMS_OPEN.length, 0, STREAMS_OPEN.length) !== 0 ||
    body.compare(STREAMS_CLOSE, 0, STREAMS_CLOSE.length, body.length - STREAMS_CLOSE.length) !== 0
  )
    return text(400, 'the body must be {"streams":[…]}');
  let n = 0;
  for (let i = body.indexOf(ENTRY_OPEN); i !== -1; i = body.indexOf(ENTRY_OPEN, i + 2)) n++;
  return { status: 204, body: '', counted: n };
}
