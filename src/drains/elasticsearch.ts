import type { ResolvedConfig } from '../config/load.js';
import { maskUrl, registerSecretValue, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import type { LogEvent } from '../pipeline/event.js';
import { basicAuthFrom, readableFile } from './core/auth-settings.js';
import { defaultClassify, excerpt } from './core/classify.js';
import { cachedTime, fieldsFragment, levelJson, streamJson, traceFragment } from './core/fields.js';
import { connectionHint } from './core/hints.js';
import { HttpTransport } from './core/http-transport.js';
import { jsonString } from './core/json-string.js';
import type { Batch, DrainSpec, Outcome, Transport, Verdict } from './core/types.js';

/**
 * Elasticsearch / OpenSearch `_bulk` (NDJSON): every event is a `create` into the data stream
 * `logs-forwarder-default` (data streams take only `create`; the `logs-*-*` template maps it with
 * ECS), with ECS field names. The answer is read item by item: created items are delivered;
 * items answered 429 or 5xx are sent again alone, after a backoff; items refused for good (a
 * mapping conflict: `document_parsing_exception`…) are dropped and counted with the reason ES
 * gave. A 413 (over http.max_content_length) splits the batch.
 *
 * Structured events (README "Structured events"): `@timestamp` is the app's own time and
 * `event.created` the read time (ECS: when the agent first read the event); `trace.id`, `span.id`,
 * `error.type`, `error.message` and `error.stack_trace` are ECS's; the app's own fields go under
 * one `fields` object, so an app's `host` or `error` can never collide with the ECS objects.
 * Inside `fields`, the default `logs-*-*` template has `ignore_malformed` (ES 8.9+): a field seen
 * as a number and later as a string keeps the document (the odd value stays in `_source`); only an
 * object where a value was mapped (or the reverse) is refused, dropped as `es_mapping`.
 */

const DEFAULT_INDEX = 'logs-forwarder-default';
// Filebeat's bulk_max_size is 1600; Elastic's guidance is a few MB per bulk request.
const MAX_ITEMS = 2000;
const MAX_BODY_BYTES = 5_000_000;
const MAX_RECORD_BYTES = 1_000_000;
/** the per-item answer of 2000 items with their reasons: well under this */
const ANSWER_LIMIT = 4 * 1024 * 1024;
/** only what the per-item accounting reads (ES's response filtering, `filter_path`) */
const FILTER_PATH = 'errors,items.*.status,items.*.error.type,items.*.error.reason';
/** ES's index name rules: lowercase, none of \ / * ? " < > | space , #, not starting with - _ + */
const BAD_INDEX = /[A-Z\\/*?"<>| ,#:]|^[-_+]|^\.\.?$/;
/** an answer that opens with `"errors":false`: every item succeeded */
const ALL_CREATED = /^\s*\{\s*"errors"\s*:\s*false\s*[,}]/;
const MAPPING_TYPES = /parsing_exception|mapper_|illegal_argument|strict_dynamic_mapping/;

interface ElasticsearchConfig {
  url: string;
  authorization: string | undefined;
  caFile: string | undefined;
  index: string;
  /** `,"service.name":…,…}` and the newline: the same for every document of this process, encoded once */
  tail: Buffer;
  time: (ms: number) => string;
  /** a second cache for the read time: the two alternate per event once an app's time is used */
  created: (ms: number) => string;
  level: (level: number) => string;
  stream: (s: string) => string;
  authNames: string;
  version: string;
}

export const elasticsearchDrain: DrainSpec<ElasticsearchConfig> = {
  id: 'elasticsearch',
  // the document's tail: `labels` holds the attributes
  identityParts: ['tail'],
  envPrefix: 'ELASTICSEARCH_',
  description:
    'Elasticsearch / OpenSearch _bulk: ECS documents created in a data stream, per-item results (retried alone or dropped with the reason).',
  enabledBy: 'ELASTICSEARCH_URL',
  settings: [
    {
      key: 'elasticsearch.url',
      env: 'ELASTICSEARCH_URL',
      type: 'url',
      doc: 'Enables the drain: the cluster URL (https://my-deployment.es.eu-west-1.aws.elastic.cloud, http://opensearch:9200).',
    },
    {
      key: 'elasticsearch.api_key',
      env: 'ELASTICSEARCH_API_KEY',
      type: 'string',
      secret: true,
      doc: 'An API key (its encoded form, or id:api_key), sent as Authorization: ApiKey; not with a user.',
    },
    {
      key: 'elasticsearch.username',
      env: 'ELASTICSEARCH_USERNAME',
      type: 'string',
      doc: 'Basic auth user, with ELASTICSEARCH_PASSWORD.',
    },
    {
      key: 'elasticsearch.password',
      env: 'ELASTICSEARCH_PASSWORD',
      type: 'string',
      secret: true,
      doc: 'Basic auth password, with ELASTICSEARCH_USERNAME.',
    },
    {
      key: 'elasticsearch.index',
      env: 'ELASTICSEARCH_INDEX',
      type: 'string',
      default: DEFAULT_INDEX,
      doc: 'The data stream (or index) documents are created in; logs-<dataset>-<namespace> gets the logs template.',
    },
    {
      key: 'elasticsearch.ca_file',
      env: 'ELASTICSEARCH_CA_FILE',
      type: 'string',
      doc: 'A PEM file of CA certificates trusted for the cluster (a self-managed cluster’s http_ca.crt), on top of the system’s.',
    },
  ],
  configure(config: ResolvedConfig, ctx) {
    const raw = config.get<string>('elasticsearch.url');
    if (!raw) return undefined;
    const apiKey = config.get<Secret>('elasticsearch.api_key');
    if (apiKey && (config.isSet('elasticsearch.username') || config.isSet('elasticsearch.password')))
      throw new ConfigError(
        `${config.nameOf('elasticsearch.api_key')} and ${config.nameOf(config.isSet('elasticsearch.username') ? 'elasticsearch.username' : 'elasticsearch.password')} are both set: use an API key or a user and password`,
      );
    let authorization = basicAuthFrom(config, 'elasticsearch.username', 'elasticsearch.password');
    if (apiKey) {
      const key = apiKey.reveal().trim();
      // Kibana shows the encoded key; the API returns id and api_key apart: accept both forms
      const encoded = key.includes(':') ? Buffer.from(key).toString('base64') : key;
      registerSecretValue(encoded);
      authorization = `ApiKey ${encoded}`;
    }
    const index = config.get<string>('elasticsearch.index')!.trim();
    if (index === '' || BAD_INDEX.test(index) || Buffer.byteLength(index) > 255)
      throw new ConfigError(
        `${config.nameOf('elasticsearch.index')} is not a valid index name: ${JSON.stringify(index)} (lowercase, no spaces or \\ / * ? " < > | , # :, not starting with - _ +)`,
      );
    const caFile = readableFile(config, 'elasticsearch.ca_file');
    const { agentId, workerId, hostname, attributes } = ctx.identity;
    const url = new URL(raw);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(index)}/_bulk`;
    url.searchParams.set('filter_path', FILTER_PATH);
    const labels = Object.keys(attributes).length > 0 ? `,"labels":${JSON.stringify(attributes)}` : '';
    return {
      url: url.toString(),
      authorization,
      caFile,
      index,
      tail: Buffer.from(
        `,"service.name":${JSON.stringify(agentId)},"service.node.name":${JSON.stringify(workerId)}` +
          `,"host.name":${JSON.stringify(hostname)},"agent.id":${JSON.stringify(agentId)}` +
          `,"agent.type":"forwarder","agent.version":${JSON.stringify(ctx.version)}${labels}}\n`,
      ),
      time: cachedTime((ms) => new Date(ms).toISOString()),
      created: cachedTime((ms) => new Date(ms).toISOString()),
      level: levelJson(),
      stream: streamJson(),
      authNames: apiKey
        ? `${config.nameOf('elasticsearch.api_key')} was`
        : 'ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD were',
      version: ctx.version,
    };
  },
  endpoint: (c) => maskUrl(c.url.replace(/\?.*$/, '')),
  // a record is a document's own fields; the action line and the constant tail are added to each
  // when the body is written, so the batch and record limits leave room for them
  // (fewer documents per request when the tail is long: many FORWARDER_ATTRIBUTES)
  limits: (c) => {
    const items = Math.max(1, Math.min(MAX_ITEMS, Math.floor(MAX_BODY_BYTES / 2 / (c.tail.length + 14))));
    return {
      maxBatchBytes: MAX_BODY_BYTES - items * c.tail.length,
      maxBatchRecords: items,
      maxRecordBytes: Math.max(MAX_RECORD_BYTES / 2, MAX_RECORD_BYTES - c.tail.length),
      gzip: true,
    };
  },
  encode: (ev, c) =>
    `{"@timestamp":"${c.time(ev.timestamp)}","event.created":"${c.created(ev.observedTimestamp)}","message":${jsonString(ev.message)},"log.level":${c.level(ev.level)},"log.iostream":${c.stream(ev.stream)},"event.sequence":${ev.seq}${ev.traceId === undefined && ev.spanId === undefined && ev.error === undefined && ev.fieldsJson === undefined ? '' : structured(ev)}`,
  // NDJSON written once into one buffer: per document the action line, its fields, the shared tail
  payload: (batch, c) => bulkBody(batch.records, c.tail),
  // the action line; the tail is in the limits above
  recordOverheadBytes: 14,
  sendsOverHttp: true,
  transport(c, ctx): Transport {
    const headers: Record<string, string> = {
      'content-type': 'application/x-ndjson',
      'user-agent': `forwarder/${ctx.version}`,
    };
    if (c.authorization) headers.authorization = c.authorization;
    return new HttpTransport({
      request: () => ({ url: c.url, headers }),
      gzip: true,
      connections: 2,
      timeoutMs: ctx.requestTimeoutMs,
      responseBodyLimit: ANSWER_LIMIT,
      ...(c.caFile ? { caFile: c.caFile } : {}),
    });
  },
  classify(outcome: Outcome, _c, batch: Batch, _attempt, now): Verdict {
    if (outcome.kind === 'http' && outcome.status >= 200 && outcome.status < 300)
      return itemVerdict(outcome.body, batch.events.length);
    const verdict = defaultClassify(outcome, batch.events.length, now);
    const reason = outcome.kind === 'http' && outcome.status >= 400 ? errorReason(outcome.body) : undefined;
    return reason !== undefined && 'detail' in verdict ? { ...verdict, detail: reason } : verdict;
  },
  hint(outcome, c) {
    if (outcome.kind !== 'http')
      return connectionHint(outcome, maskUrl(c.url.replace(/\?.*$/, '')), 'check ELASTICSEARCH_URL');
    switch (outcome.status) {
      case 401:
        return c.authorization
          ? `401 from Elasticsearch: ${c.authNames} refused`
          : '401 from Elasticsearch: it wants credentials: set ELASTICSEARCH_API_KEY, or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD';
      case 403:
        return `403 from Elasticsearch: the credentials may not write to ${JSON.stringify(c.index)}; they need the create_doc (and auto_configure) privilege on it`;
      case 404:
        return `404 from Elasticsearch: ${JSON.stringify(c.index)} does not exist and cannot be created here; create it (or its index template), or set ELASTICSEARCH_INDEX`;
      case 413:
        return "413 from Elasticsearch: a single document was over the cluster's http.max_content_length";
      default:
        return undefined;
    }
  },
};

const CREATE = Buffer.from('{"create":{}}\n');

/** `{"create":{}}\n{…record…<tail>}\n` per record, into one buffer (sizes first, constants copied). */
function bulkBody(records: readonly string[], tail: Buffer): Buffer {
  const sizes = new Array<number>(records.length);
  let total = (CREATE.length + tail.length) * records.length;
  for (let i = 0; i < records.length; i++) total += sizes[i] = Buffer.byteLength(records[i]!);
  const buf = Buffer.allocUnsafe(total);
  let off = 0;
  for (let i = 0; i < records.length; i++) {
    off += CREATE.copy(buf, off);
    off += buf.write(records[i]!, off, sizes[i]!);
    off += tail.copy(buf, off);
  }
  return buf;
}

/** ECS trace and error fields, and the app's fields under `fields`. */
function structured(ev: LogEvent): string {
  let out = traceFragment(ev, '"trace.id"', '"span.id"');
  const e = ev.error;
  if (e !== undefined) {
    // a type or stack the error has not: left out, not sent empty
    if (e.kind !== '') out += `,"error.type":${jsonString(e.kind)}`;
    out += `,"error.message":${jsonString(e.message)}`;
    if (e.stack !== '') out += `,"error.stack_trace":${jsonString(e.stack)}`;
  }
  return out + fieldsFragment(ev, '"fields"');
}

interface BulkItem {
  status?: number;
  error?: { type?: string; reason?: string };
}

/**
 * The bulk answer, item by item (items are in request order): 2xx and 409 (already there) are
 * delivered; 429 and 5xx are sent again alone; any other status is dropped with its reason.
 */
export function itemVerdict(body: string, sent: number): Verdict {
  // the common answer, read without parsing its thousands of items (filter_path keeps `errors` first)
  if (ALL_CREATED.test(body)) return { action: 'ok' };
  let parsed: { errors?: unknown; items?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { action: 'reject', reason: 'unreadable_answer', detail: excerpt(body, 200) };
  }
  if (parsed.errors === false) return { action: 'ok' };
  const items = Array.isArray(parsed.items) ? (parsed.items as Record<string, BulkItem>[]) : undefined;
  if (items === undefined || items.length !== sent)
    return {
      action: 'reject',
      reason: 'unreadable_answer',
      detail: `the bulk answer has ${items?.length ?? 'no'} items for ${sent} documents`,
    };
  const retry: number[] = [];
  const rejectedReasons: Record<string, number> = {};
  let rejected = 0;
  let firstRetry = '';
  let firstReject = '';
  for (let i = 0; i < items.length; i++) {
    const item = Object.values(items[i] ?? {})[0];
    const status = item?.status ?? 0;
    if ((status >= 200 && status < 300) || status === 409) continue;
    const what = `${item?.error?.type ?? `HTTP ${status}`}: ${item?.error?.reason ?? ''}`.replace(/: $/, '');
    if (status === 429 || status >= 500) {
      retry.push(i);
      firstRetry ||= what;
      continue;
    }
    const reason = MAPPING_TYPES.test(item?.error?.type ?? '') ? 'es_mapping' : `es_item_${status}`;
    rejectedReasons[reason] = (rejectedReasons[reason] ?? 0) + 1;
    rejected++;
    firstReject ||= what;
  }
  if (retry.length === 0 && rejected === 0) return { action: 'ok' };
  return {
    action: 'partial',
    accepted: sent - retry.length - rejected,
    rejected,
    reason: 'es_rejected',
    rejectedReasons,
    // one detail serves the rejection's log line and the retry's: what was refused, and why some go again
    detail: excerpt(
      [firstReject, retry.length > 0 ? `${retry.length} to retry: ${firstRetry}` : '']
        .filter(Boolean)
        .join('; '),
      300,
    ),
    ...(retry.length > 0 ? { retry } : {}),
  };
}

/** `error.root_cause[0].reason` or `error.reason` of an ES error answer. */
function errorReason(body: string): string | undefined {
  try {
    const o = JSON.parse(body) as { error?: { type?: string; reason?: string } | string };
    if (typeof o.error === 'string') return excerpt(o.error, 300);
    if (o.error?.reason) return excerpt(`${o.error.type ?? 'error'}: ${o.error.reason}`, 300);
  } catch {
    // not JSON: a proxy's page
  }
  return undefined;
}
