import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../config/load.js';
import { maskUrl, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import type { LogEvent } from '../pipeline/event.js';
import { lower64Decimal } from '../pipeline/structured/trace-ids.js';
import { httpRequest, tokenSetting, urlSetting } from './core/builders.js';
import { defaultClassify } from './core/classify.js';
import {
  attributesFragment,
  errorFragment,
  fieldsFragment,
  levelJson,
  streamJson,
  withDefaultPath,
} from './core/fields.js';
import { connectionHint } from './core/hints.js';
import { jsonString } from './core/json-string.js';
import type { DrainSpec, Outcome, Verdict } from './core/types.js';

/**
 * Datadog Logs HTTP intake v2 (shared/reference/destinations.md §1): a JSON array of log items,
 * gzip, `DD-API-KEY`. Client tokens (`pub…`) go to the browser intake, as Datadog's own SDKs send them.
 */

/** Site ids from the LiveKit doc and Datadog's site list → the site domain. */
const SITES: Readonly<Record<string, string>> = {
  us1: 'datadoghq.com',
  us3: 'us3.datadoghq.com',
  us5: 'us5.datadoghq.com',
  eu: 'datadoghq.eu',
  ap1: 'ap1.datadoghq.com',
  ap2: 'ap2.datadoghq.com',
  'us1-fed': 'ddog-gov.com',
};
/** Sites on Datadog's API page whose intake host is only inferred from the pattern (reference: UNCONFIRMED). */
const EXTRA_SITE_DOMAINS = ['uk1.datadoghq.com', 'us2.ddog-gov.com'];
const SITE_BY_DOMAIN = new Map<string, string>([
  ...Object.entries(SITES).map(([id, domain]) => [domain, id] as [string, string]),
  ...EXTRA_SITE_DOMAINS.map((d) => [d, d] as [string, string]),
]);

// API page, "Send logs": ≤ 5 MB uncompressed per request, ≤ 1 MB per log, ≤ 1000 entries per array.
// Core counts the encoded bytes exactly, so the hard limits are used as they are (read as 10^6).
const MAX_BODY_BYTES = 5_000_000;
const MAX_ITEMS = 1000;
const MAX_ITEM_BYTES = 1_000_000;
/** 401/403 are retried this many attempts before they are final: Vector retries them for transient auth blips. */
const AUTH_ATTEMPTS = 3;

interface DatadogConfig {
  url: string;
  key: Secret;
  clientToken: boolean;
  /** `us1`, `eu`, … or the domain the user gave; for hints */
  region: string;
  keyName: string;
  regionName: string;
  urlOverridden: boolean;
  /** everything after `"stream":…` that is the same for every record of this process */
  tail: string;
  status: (level: number) => string;
  stream: (s: string) => string;
  version: string;
}

export const datadogDrain: DrainSpec<DatadogConfig> = {
  id: 'datadog',
  // the record's tail: identity, FORWARDER_ATTRIBUTES and the pod's k8s.*
  identityParts: ['tail'],
  envPrefix: 'DATADOG_',
  // DATADOG_FIELDS: hostname, ddsource and service stay (Datadog's host, source and service facets)
  fieldKeys: {
    level: ['status'],
    stream: ['stream'],
    agent_id: ['agent_id'],
    worker_id: ['worker_id'],
    attributes: ['attributes'],
    trace_id: ['dd', 'trace_id'],
    span_id: ['dd.span_id', 'span_id'],
    error: ['error'],
    fields: ['fields'],
  },
  description: 'Datadog Logs (HTTP intake v2): JSON arrays, gzip, API key or client token.',
  enabledBy: 'DATADOG_TOKEN (or DD_API_KEY)',
  settings: [
    tokenSetting(
      'datadog.token',
      'DATADOG_TOKEN',
      'Enables the drain: a Datadog API key, or a client token (pub…, sent to the browser intake).',
      { aliases: ['DD_API_KEY'] },
    ),
    {
      key: 'datadog.region',
      env: 'DATADOG_REGION',
      aliases: ['DD_SITE'],
      type: 'string',
      default: 'us1',
      doc: 'Datadog site: us1, us3, us5, eu, ap1, ap2, us1-fed, or a site domain such as datadoghq.eu.',
    },
    {
      key: 'datadog.tags',
      env: 'DATADOG_TAGS',
      aliases: ['DD_TAGS'],
      type: 'string',
      doc: 'Tags sent as ddtags on every log, comma-separated key:value (env:prod,team:core).',
    },
    {
      key: 'datadog.service',
      env: 'DATADOG_SERVICE',
      aliases: ['DD_SERVICE'],
      type: 'string',
      defaultDoc: 'the agent id',
      doc: 'The service attribute of every log.',
    },
    {
      key: 'datadog.env',
      env: 'DATADOG_ENV',
      aliases: ['DD_ENV'],
      type: 'string',
      doc: 'Adds the tag env:<value>.',
    },
    {
      key: 'datadog.version',
      env: 'DATADOG_VERSION',
      aliases: ['DD_VERSION'],
      type: 'string',
      doc: 'Adds the tag version:<value>.',
    },
    urlSetting(
      'datadog.url',
      'DATADOG_URL',
      'Send here instead of the site intake (a proxy or a test receiver); a bare host gets /api/v2/logs.',
    ),
  ],
  configure(config: ResolvedConfig, ctx) {
    const key = config.get<Secret>('datadog.token');
    if (!key) return undefined;
    const regionRaw = config.get<string>('datadog.region')!.trim().toLowerCase();
    const region = SITES[regionRaw] ? regionRaw : SITE_BY_DOMAIN.get(regionRaw);
    if (region === undefined) {
      throw new ConfigError(
        `${config.nameOf('datadog.region')} is not a Datadog site: ${JSON.stringify(regionRaw)} (use one of ${Object.keys(SITES).join(', ')}, or a site domain such as ${Object.values(SITES).join(', ')})`,
      );
    }
    const site = SITES[region] ?? region;
    const clientToken = key.reveal().startsWith('pub');
    const override = config.get<string>('datadog.url');
    const url = override
      ? withDefaultPath(override, '/api/v2/logs')
      : clientToken
        ? `https://browser-intake-${site.replace(/\.(?=.*\.)/g, '-')}/api/v2/logs`
        : `https://http-intake.logs.${site}/api/v2/logs`;
    const { agentId, workerId } = ctx.identity;
    const service = config.get<string>('datadog.service') || agentId;
    const tags = tagList(config);
    const tail =
      `,"hostname":${JSON.stringify(workerId)},"ddsource":${JSON.stringify(agentId)},"service":${JSON.stringify(service)}` +
      (tags ? `,"ddtags":${JSON.stringify(tags)}` : '') +
      `,"agent_id":${JSON.stringify(agentId)},"worker_id":${JSON.stringify(workerId)}` +
      `${attributesFragment(ctx.identity.attributes)}}`;
    return {
      url: clientToken ? withQuery(url, 'ddsource', agentId) : url,
      key,
      clientToken,
      region,
      keyName: config.nameOf('datadog.token'),
      regionName: config.nameOf('datadog.region'),
      urlOverridden: override !== undefined,
      tail,
      // The Log Status Remapper's words. fatal → emergency: the remapper itself maps any status
      // starting with "f" to emergency, so this is how a fatal from any other source shows too.
      status: levelJson({
        trace: 'debug',
        debug: 'debug',
        info: 'info',
        warn: 'warning',
        error: 'error',
        fatal: 'emergency',
      }),
      stream: streamJson(),
      version: ctx.version,
    };
  },
  endpoint: (c) => maskUrl(c.url),
  limits: () => ({
    maxBatchBytes: MAX_BODY_BYTES,
    maxBatchRecords: MAX_ITEMS,
    // Datadog truncates a longer log silently (and still answers 202): cut it here, visibly.
    maxRecordBytes: MAX_ITEM_BYTES,
    gzip: true,
  }),
  // Structured events (README "Structured events"): Datadog's trace correlation reads dd.trace_id /
  // dd.span_id as the decimal of the ids' lower 64 bits; Error Tracking reads error.kind / message /
  // stack; the app's fields are attributes under `fields` (so they cannot clash with ours).
  encode: (ev, c) =>
    `{"message":${jsonString(ev.message)},"status":${c.status(ev.level)},"timestamp":${intakeTime(ev)},"stream":${c.stream(ev.stream)}${ev.traceId === undefined && ev.error === undefined && ev.fieldsJson === undefined ? '' : structured(ev)}${c.tail}`,
  request(c) {
    return httpRequest(c.url, 'application/json', c.version, {
      'dd-api-key': c.key.reveal(),
      'dd-evp-origin': 'forwarder',
      'dd-evp-origin-version': c.version,
      // Datadog's mobile SDKs send client-token traffic with a request id (dd-sdk-android LogsRequestFactory).
      ...(c.clientToken ? { 'dd-request-id': randomUUID() } : {}),
    });
  },
  classify(outcome: Outcome, _c, _batch, attempt): Verdict {
    if (
      outcome.kind === 'http' &&
      (outcome.status === 401 || outcome.status === 403) &&
      attempt < AUTH_ATTEMPTS
    ) {
      return { action: 'retry', reason: `http_${outcome.status}`, detail: outcome.body.slice(0, 200) };
    }
    return defaultClassify(outcome);
  },
  hint(outcome, c) {
    const where = c.urlOverridden ? c.url : `Datadog ${c.region}`;
    if (outcome.kind === 'error') {
      if (outcome.code === 'ENOTFOUND' || outcome.code === 'EAI_AGAIN')
        return `cannot resolve the intake host: check ${c.regionName}${c.urlOverridden ? ' and DATADOG_URL' : ''}`;
      return connectionHint(outcome, maskUrl(c.url));
    }
    if (outcome.kind !== 'http') return undefined;
    switch (outcome.status) {
      case 401:
        return `401 from ${where}: no key reached the intake; set ${c.keyName}`;
      case 403:
        return c.clientToken
          ? `403 from ${where}: the client token was refused; it may be revoked or belong to another site: check ${c.keyName}, or set ${c.regionName} (${Object.keys(SITES).join(' ')})`
          : `403 from ${where}: the API key was refused; it may belong to another site: set ${c.regionName} (${Object.keys(SITES).join(' ')}), or check ${c.keyName}`;
      case 400:
        return `400 from ${where}: Datadog refused the payload; this is a forwarder bug, please report it with the detail`;
      case 404:
        return `404 from ${maskUrl(c.url)}: the intake path is /api/v2/logs; check DATADOG_URL`;
      case 413:
        return `413 from ${where}: a single log was over Datadog's 5 MB request limit`;
      default:
        return undefined;
    }
  },
};

/** DATADOG_TAGS (comma- or space-separated, as the Agent's DD_TAGS) plus env:/version: from DD_ENV/DD_VERSION. */
function tagList(config: ResolvedConfig): string {
  const tags = (config.get<string>('datadog.tags') ?? '').split(/[\s,]+/).filter((t) => t !== '');
  for (const [key, name] of [
    ['datadog.env', 'env'],
    ['datadog.version', 'version'],
  ] as const) {
    const v = config.get<string>(key)?.trim();
    if (v && !tags.some((t) => t.startsWith(`${name}:`))) tags.push(`${name}:${v}`);
  }
  return tags.join(',');
}

function withQuery(raw: string, name: string, value: string): string {
  const url = new URL(raw);
  url.searchParams.set(name, value);
  return url.toString();
}

function structured(ev: LogEvent): string {
  let out = '';
  if (ev.traceId !== undefined) {
    const span = ev.spanId === undefined ? '' : `,"span_id":"${lower64Decimal(ev.spanId)}"`;
    out = `,"dd":{"trace_id":"${lower64Decimal(ev.traceId)}"${span}},"trace_id":"${ev.traceId}"`;
    if (ev.spanId !== undefined) out += `,"span_id":"${ev.spanId}"`;
  }
  return `${out}${errorFragment(ev, '"error"', '"kind"', '"message"', '"stack"')}${fieldsFragment(ev, '"fields"')}`;
}

/** Datadog takes log times from 18 h in the past to 2 h in the future (reference §1). */
const INTAKE_PAST_MS = 18 * 3600_000;
const INTAKE_FUTURE_MS = 2 * 3600_000;

/**
 * The app's own time when the intake takes it; outside Datadog's window (an app time we trust,
 * within 24 h, but not Datadog) the read time, so the log is not lost to the window.
 */
function intakeTime(ev: LogEvent): number {
  const d = ev.timestamp - ev.observedTimestamp;
  return d > INTAKE_FUTURE_MS || d < -INTAKE_PAST_MS ? ev.observedTimestamp : ev.timestamp;
}
