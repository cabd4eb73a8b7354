import type { ResolvedConfig } from '../config/load.js';
import { maskUrl, type Secret } from '../config/secret.js';
import type { LogEvent } from '../pipeline/event.js';
import { httpRequest, tokenSetting, urlSetting } from './core/builders.js';
import { attributesFragment, flatFields, levelJson, streamJson, withDefaultPath } from './core/fields.js';
import { connectionHint } from './core/hints.js';
import { jsonString } from './core/json-string.js';
import type { DrainSpec } from './core/types.js';

/**
 * New Relic Log API (shared/reference/destinations.md §4), detailed form: one block per request,
 * the process's identity once in `common`, each line in `logs`. gzip, `Api-Key: <license key>`.
 * Core's default table is New Relic's (Telemetry SDK spec): 408/429 (Retry-After)/5xx retry,
 * 413 split, other 4xx final; so there is no classify here.
 */

const ENDPOINTS = {
  us: 'https://log-api.newrelic.com/log/v1',
  eu: 'https://log-api.eu.newrelic.com/log/v1',
  fedramp: 'https://gov-log-api.newrelic.com/log/v1',
} as const;
type Region = keyof typeof ENDPOINTS;

// Log API docs, "Limits and restricted characters": payload ≤ 1MB (10^6 bytes) per POST. The
// docs do not say whether that is before or after gzip, so both are held to it: the body before
// compression, and the body as sent (gzip can grow incompressible input by a few bytes; core then
// splits the batch).
const MAX_PAYLOAD_BYTES = 1_000_000;
/** No count limit is documented; the byte limit decides. */
const MAX_LOGS = 10_000;
/** New Relic keeps 255 attributes per log (common ones included): the app's fields get at most this many. */
const MAX_FIELD_ATTRIBUTES = 200;
// An attribute value keeps 4,094 searchable characters, then up to 128,000 bytes as a blob
// (newrelic.ext.message); the rest is dropped silently. Cut a longer record here, visibly.
const MAX_RECORD_BYTES = 4_094 + 128_000 + 1_024;

interface NewRelicConfig {
  url: string;
  key: Secret;
  region: Region | 'custom';
  keyName: string;
  /** the block's `common` object, JSON, built once */
  common: string;
  level: (level: number) => string;
  stream: (s: string) => string;
  version: string;
}

export const newRelicDrain: DrainSpec<NewRelicConfig> = {
  id: 'new_relic',
  // the block's `common` attributes
  identityParts: ['common'],
  envPrefix: 'NEW_RELIC_',
  // NEW_RELIC_FIELDS: the identity is sent once per request in `common`, so it stays
  fieldKeys: { level: ['attributes.level'], stream: ['attributes.stream'] },
  description: 'New Relic Log API: detailed-form batches with shared attributes, gzip.',
  enabledBy: 'NEW_RELIC_LICENSE_KEY',
  settings: [
    tokenSetting(
      'new_relic.license_key',
      'NEW_RELIC_LICENSE_KEY',
      'Enables the drain: an INGEST - LICENSE key (sent as Api-Key).',
    ),
    {
      key: 'new_relic.region',
      env: 'NEW_RELIC_REGION',
      type: 'enum',
      values: ['us', 'eu', 'fedramp'],
      defaultDoc: 'from the key: eu when it starts with eu01x…, else us',
      doc: 'Which Log API endpoint: us, eu or fedramp.',
    },
    urlSetting(
      'new_relic.url',
      'NEW_RELIC_URL',
      'Send here instead of the region endpoint (a proxy or a test receiver); a bare host gets /log/v1.',
    ),
  ],
  configure(config: ResolvedConfig, ctx) {
    const key = config.get<Secret>('new_relic.license_key');
    if (!key) return undefined;
    const region = config.get<Region>('new_relic.region') ?? regionOfKey(key.reveal());
    const override = config.get<string>('new_relic.url');
    const { agentId, workerId, hostname, attributes } = ctx.identity;
    return {
      url: override ? withDefaultPath(override, '/log/v1') : ENDPOINTS[region],
      key,
      region: override ? 'custom' : region,
      keyName: config.nameOf('new_relic.license_key'),
      common: `{"attributes":{"agentId":${JSON.stringify(agentId)},"workerId":${JSON.stringify(workerId)},"hostname":${JSON.stringify(hostname)}${attributesFragment(attributes)}}}`,
      level: levelJson(),
      stream: streamJson(),
      version: ctx.version,
    };
  },
  endpoint: (c) => maskUrl(c.url),
  limits: () => ({
    maxBatchBytes: MAX_PAYLOAD_BYTES,
    maxCompressedBytes: MAX_PAYLOAD_BYTES,
    maxBatchRecords: MAX_LOGS,
    maxRecordBytes: MAX_RECORD_BYTES,
    gzip: true,
  }),
  encode: (ev, c) =>
    `{"timestamp":${ev.timestamp},"message":${jsonString(ev.message)},"attributes":{"level":${c.level(ev.level)},"stream":${c.stream(ev.stream)}${ev.traceId === undefined && ev.error === undefined && ev.fieldsJson === undefined ? '' : structured(ev)}}}`,
  // Each record is exactly its bytes in the body plus one comma: core's per-record count is exact.
  frame: (records, c) => `[{"common":${c.common},"logs":[${records.join(',')}]}]`,
  frameOverheadBytes: (c) => Buffer.byteLength(`[{"common":${c.common},"logs":[]}]`),
  request: (c) => httpRequest(c.url, 'application/json', c.version, { 'api-key': c.key.reveal() }),
  hint(outcome, c) {
    const where = c.region === 'custom' ? maskUrl(c.url) : `New Relic ${c.region}`;
    if (outcome.kind !== 'http') return connectionHint(outcome, maskUrl(c.url));
    if (outcome.status === 401 || outcome.status === 403) {
      const other = c.region === 'eu' ? 'us' : 'eu';
      return `${outcome.status} from ${where}: the key was refused; check ${c.keyName} (an INGEST - LICENSE key), or set NEW_RELIC_REGION=${other} if the account is in the ${other.toUpperCase()} region`;
    }
    if (outcome.status === 404)
      return `404 from ${maskUrl(c.url)}: the Log API path is /log/v1; check NEW_RELIC_URL`;
    if (outcome.status === 400)
      return `400 from ${where}: New Relic refused the payload; please report it with the detail`;
    return undefined;
  },
};

/** EU license keys start with their region, `eu01xx…` (New Relic agents read the prefix before the first x). */
function regionOfKey(key: string): Region {
  return /^eu\d+x/i.test(key) ? 'eu' : 'us';
}

/**
 * Structured events (README "Structured events"): logs-in-context names (`trace.id`, `span.id`),
 * the error as `error.class` / `error.message` / `error.stack`, and the app's fields flattened as
 * `fields.<name>` (New Relic takes no arrays: an array is sent as its JSON text).
 */
function structured(ev: LogEvent): string {
  let out = '';
  if (ev.traceId !== undefined) out += `,"trace.id":"${ev.traceId}"`;
  if (ev.spanId !== undefined) out += `,"span.id":"${ev.spanId}"`;
  const e = ev.error;
  // a kind or stack the error has not is left out (zap's `error` text has no type: `""` is none)
  if (e !== undefined) {
    if (e.kind !== '') out += `,"error.class":${jsonString(e.kind)}`;
    out += `,"error.message":${jsonString(e.message)}`;
    if (e.stack !== '') out += `,"error.stack":${jsonString(e.stack)}`;
  }
  if (ev.fieldsJson !== undefined)
    for (const [name, value] of flatFields(ev.fieldsJson, 'fields.', MAX_FIELD_ATTRIBUTES))
      out += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
  return out;
}
