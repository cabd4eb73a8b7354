import { createHash, randomUUID } from 'node:crypto';
import type { ResolvedConfig } from '../config/load.js';
import { registerSecretValue, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import type { Identity, LogEvent } from '../pipeline/event.js';
import { DEBUG, ERROR, FATAL, INFO, levelName, TRACE, WARN } from '../pipeline/levels.js';
import { stackFrames } from '../pipeline/structured/errors.js';
import { defaultClassify, excerpt } from './core/classify.js';
import { flatFields } from './core/fields.js';
import { connectionHint } from './core/hints.js';
import { jsonString } from './core/json-string.js';
import { parseRetryAfter } from './core/retry.js';
import type { DrainSpec, HttpRequestParts, Outcome, Pause, Verdict } from './core/types.js';

/**
 * Sentry limits (develop.sentry.dev envelopes / logs; destinations.md §5): at most 100 logs in the
 * one `log` item of an envelope; an item at most 1 MiB (the envelope may reach 200 MiB, so the item
 * is the binding limit). Core counts the item payload: `{"items":[` + logs + `]}`, hence the 12
 * bytes of frame overhead; the envelope and item headers (< 1 KiB) come on top.
 */
const MAX_LOGS_PER_ENVELOPE = 100;
const MAX_ITEM_BYTES = 1024 * 1024;
const ITEM_WRAPPER_BYTES = 12;
/** 429 with neither X-Sentry-Rate-Limits nor Retry-After: 60 s for every category (rate-limiting page). */
const DEFAULT_RATE_LIMIT_MS = 60_000;
/** Event tag values are cut by Relay above 200 characters. */
const MAX_TAG_CHARS = 200;
/** The app's fields sent as log attributes, at most (the rest stays in the line's text). */
const MAX_FIELD_ATTRIBUTES = 200;
const LOG_CATEGORIES = ['log_item', 'log_byte'] as const;
const EVENT_CATEGORIES = ['error'] as const;
const SEVERITY: Record<number, number> = {
  [TRACE]: 1,
  [DEBUG]: 5,
  [INFO]: 9,
  [WARN]: 13,
  [ERROR]: 17,
  [FATAL]: 21,
};
/** Error events say `warning`, not `warn`, and have no `trace`. */
const EVENT_LEVEL: Record<number, string> = {
  [TRACE]: 'debug',
  [DEBUG]: 'debug',
  [INFO]: 'info',
  [WARN]: 'warning',
  [ERROR]: 'error',
  [FATAL]: 'fatal',
};

/** Pause scopes of Sentry's rate-limit categories (`''` = every category); shared by both Sentry drains. */
const SCOPE_PREFIX = 'sentry:';
const scopeOf = (category: string): string => `${SCOPE_PREFIX}${category === '' ? 'all' : category}`;
const LOG_SCOPES = ['', ...LOG_CATEGORIES].map(scopeOf);
const EVENT_SCOPES = ['', ...EVENT_CATEGORIES].map(scopeOf);

/**
 * The rate limits an answer announces, as Sentry's rate-limiting page prescribes: X-Sentry-Rate-Limits
 * on any response wins (per category; categories we send nothing in are ignored); else a 429's
 * Retry-After, else 60 s, for all categories. Pure: core keeps them (a `pause` verdict) and both
 * Sentry drains obey them through their `pauseScopes`.
 */
export function sentryRateLimitPauses(
  headers: Record<string, string | string[] | undefined>,
  status: number,
  now: number,
): Pause[] {
  const pauses: Pause[] = [];
  const raw = headers['x-sentry-rate-limits'];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (value !== undefined && value.trim() !== '') {
    for (const part of value.split(',')) {
      const [after, cats = ''] = part.trim().split(':');
      const seconds = Number(after);
      if (after === undefined || after.trim() === '' || !Number.isFinite(seconds) || seconds < 0) continue;
      const until = now + seconds * 1000;
      const categories = cats.split(';').filter((c) => c !== '');
      if (categories.length === 0) pauses.push({ scope: scopeOf(''), until });
      else for (const c of categories) if (isOurs(c)) pauses.push({ scope: scopeOf(c), until });
    }
  } else if (status === 429) {
    const ms =
      parseRetryAfter(headers['retry-after'], now, Number.POSITIVE_INFINITY) ?? DEFAULT_RATE_LIMIT_MS;
    pauses.push({ scope: scopeOf(''), until: now + ms });
  }
  return pauses;
}

function isOurs(c: string): boolean {
  return (
    (LOG_CATEGORIES as readonly string[]).includes(c) || (EVENT_CATEGORIES as readonly string[]).includes(c)
  );
}

export interface SentryDsn {
  protocol: string;
  publicKey: string;
  secretKey: string | undefined;
  /** host[:port] */
  host: string;
  /** '' or '/sentry' (self-hosted behind a sub-path) */
  pathPrefix: string;
  projectId: string;
}

/** `{PROTOCOL}://{PUBLIC_KEY}[:{SECRET_KEY}]@{HOST}[:{PORT}]{PATH}/{PROJECT_ID}`; a string says what is wrong. */
export function parseDsn(raw: string): SentryDsn | string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    return `the scheme must be https or http, not ${u.protocol.slice(0, -1)}`;
  if (!u.username) return 'the public key (before the @) is missing';
  if (u.search || u.hash) return 'a DSN has no query or fragment';
  const path = u.pathname.replace(/\/$/, '');
  const slash = path.lastIndexOf('/');
  const projectId = path.slice(slash + 1);
  if (!/^\d+$/.test(projectId)) return 'the last path segment must be the numeric project id';
  return {
    protocol: u.protocol,
    publicKey: decodeURIComponent(u.username),
    secretKey: u.password ? decodeURIComponent(u.password) : undefined,
    host: u.host,
    pathPrefix: path.slice(0, slash),
    projectId,
  };
}

interface SentryConfig {
  url: string;
  headers: Record<string, string>;
  /** `"sdk":{…}` for the envelope header */
  sdkJson: string;
  traceId: string;
  spanId: string;
  /** `"contexts":{"trace":{…}}` with the process's trace: an error event of a line with its own trace replaces it */
  traceContext: string;
  /** JSON of the attributes every log carries, after `stream` */
  logAttrs: string;
  /** JSON of the fields every error event carries, after `message` */
  eventTail: string;
  identity: Identity;
  dsnName: string;
  /** sentry_events only: lines at or above this level become error events */
  eventsLevel: number;
}

function sentryConfig(config: ResolvedConfig, identity: Identity, version: string): SentryConfig | undefined {
  const dsnSecret = config.get<Secret>('sentry.dsn');
  if (!dsnSecret) return undefined;
  const dsnName = config.nameOf('sentry.dsn');
  const dsn = parseDsn(dsnSecret.reveal());
  if (typeof dsn === 'string') {
    throw new ConfigError(
      `${dsnName} is not a valid Sentry DSN: ${dsn} (expected https://<public key>@<host>[:port][/path]/<project id>)`,
    );
  }
  registerSecretValue(dsn.publicKey);
  if (dsn.secretKey) registerSecretValue(dsn.secretKey);
  const environment = config.get<string>('sentry.environment');
  const release = config.get<string>('sentry.release');
  const attr = (name: string, value: string) =>
    `${JSON.stringify(name)}:{"value":${JSON.stringify(value)},"type":"string"}`;
  const own: [string, string | undefined][] = [
    ['agent_id', identity.agentId],
    ['worker_id', identity.workerId],
    ['hostname', identity.hostname],
    ['sentry.environment', environment],
    ['sentry.release', release],
    ['sentry.sdk.name', 'forwarder'],
    ['sentry.sdk.version', version],
  ];
  const names = new Set(['stream', ...own.map(([n]) => n)]);
  const extra = Object.entries(identity.attributes).filter(([k]) => !names.has(k));
  const logAttrs = [...own, ...extra]
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([n, v]) => attr(n, v))
    .join(',');
  // One trace per process, the same for both Sentry drains (logs and error events link up): derived
  // from the instance id, so the two drains agree without sharing state.
  const trace = createHash('sha256').update(`forwarder trace ${identity.instance}`).digest('hex');
  const traceId = trace.slice(0, 32);
  const spanId = trace.slice(32, 48);
  const tag = (v: string) => JSON.stringify(v.slice(0, MAX_TAG_CHARS));
  const eventTail =
    `"server_name":${JSON.stringify(identity.hostname)}` +
    (environment !== undefined ? `,"environment":${JSON.stringify(environment)}` : '') +
    (release !== undefined ? `,"release":${JSON.stringify(release)}` : '') +
    `,${traceContext(traceId, spanId)}` +
    `,"extra":${JSON.stringify(Object.fromEntries(extra))}` +
    `,"sdk":{"name":"forwarder","version":${JSON.stringify(version)}}` +
    `,"tags":{"agent_id":${tag(identity.agentId)},"worker_id":${tag(identity.workerId)},"stream":`;
  const auth = [
    `sentry_version=7`,
    `sentry_key=${dsn.publicKey}`,
    ...(dsn.secretKey ? [`sentry_secret=${dsn.secretKey}`] : []),
    `sentry_client=forwarder/${version}`,
  ];
  const c: SentryConfig = {
    url: `${dsn.protocol}//${dsn.host}${dsn.pathPrefix}/api/${dsn.projectId}/envelope/`,
    headers: {
      'content-type': 'application/x-sentry-envelope',
      'x-sentry-auth': `Sentry ${auth.join(', ')}`,
      'user-agent': `forwarder/${version}`,
    },
    sdkJson: `"sdk":{"name":"forwarder","version":${JSON.stringify(version)}}`,
    traceId,
    spanId,
    traceContext: traceContext(traceId, spanId),
    logAttrs,
    eventTail,
    identity,
    dsnName,
    eventsLevel: config.get<number>('sentry.events_level') ?? Number.POSITIVE_INFINITY,
  };
  return c;
}

/** Status rules shared by both Sentry drains: announce rate limits, drop (never retry) what a 429 refused. */
function classify(outcome: Outcome, size: number, now: number): Verdict {
  if (outcome.kind !== 'http') return defaultClassify(outcome, size, now);
  const limits = sentryRateLimitPauses(outcome.headers, outcome.status, now);
  const pause = limits.length > 0 ? { pause: limits } : {};
  if (outcome.status === 429)
    return { action: 'reject', reason: 'rate_limited', detail: excerpt(outcome.body), ...pause };
  // a Retry-After on a 503 is the engine's business (this drain waits), as for every drain
  const verdict = defaultClassify(outcome, size, now);
  return limits.length > 0 ? { ...verdict, pause: [...(verdict.pause ?? []), ...limits] } : verdict;
}

function hint(outcome: Outcome, c: SentryConfig): string | undefined {
  if (outcome.kind !== 'http') return connectionHint(outcome, `the Sentry host of ${c.dsnName}`);
  if (outcome.status === 401 || outcome.status === 403)
    return `Sentry refused the key or project: check ${c.dsnName} (Project Settings → Client Keys)`;
  if (outcome.status === 404)
    return `no Sentry envelope endpoint at this path: check the host and path prefix in ${c.dsnName}`;
  if (outcome.status === 429)
    return 'Sentry rate-limited this project (quota or spike protection); limited data is dropped until the limit ends';
  return undefined;
}

function request(c: SentryConfig): HttpRequestParts {
  return { url: c.url, headers: c.headers };
}

const EVENTS_LEVEL_KEY = 'sentry.events_level';

export const sentryDrain: DrainSpec<SentryConfig> = {
  id: 'sentry',
  // the attributes every log carries, and the error event's `extra`
  identityParts: ['logAttrs', 'eventTail'],
  envPrefix: 'SENTRY_',
  description: "Sends lines to Sentry's Logs product as envelopes of up to 100 logs.",
  enabledBy: 'SENTRY_DSN',
  settings: [
    {
      key: 'sentry.dsn',
      env: 'SENTRY_DSN',
      type: 'string',
      secret: true,
      doc: 'Enables the drain: the project DSN (Project Settings → Client Keys).',
    },
    {
      key: 'sentry.environment',
      env: 'SENTRY_ENVIRONMENT',
      type: 'string',
      doc: 'Sent as the sentry.environment attribute (and the environment of error events).',
    },
    {
      key: 'sentry.release',
      env: 'SENTRY_RELEASE',
      type: 'string',
      doc: 'Sent as the sentry.release attribute (and the release of error events).',
    },
    {
      key: EVENTS_LEVEL_KEY,
      env: 'SENTRY_EVENTS_LEVEL',
      type: 'level',
      doc: 'Also send each line (or grouped stack trace) at or above this level as a Sentry error event, which creates issues. Off by default.',
    },
  ],
  configure: (config, ctx) => sentryConfig(config, ctx.identity, ctx.version),
  endpoint: (c) => c.url,
  limits: () => ({
    maxBatchBytes: MAX_ITEM_BYTES,
    maxBatchRecords: MAX_LOGS_PER_ENVELOPE,
    maxRecordBytes: MAX_ITEM_BYTES - ITEM_WRAPPER_BYTES,
    gzip: true,
  }),
  pauseScopes: () => LOG_SCOPES,
  encode(ev, c) {
    const life =
      ev.kind === undefined ? '' : `,"forwarder.event":{"value":${JSON.stringify(ev.kind)},"type":"string"}`;
    // The log's own trace (README "Structured events"), else the process's
    const trace = `"trace_id":"${ev.traceId ?? c.traceId}"${ev.spanId === undefined ? '' : `,"span_id":"${ev.spanId}"`}`;
    const extra = ev.error === undefined && ev.fieldsJson === undefined ? '' : logAttributes(ev);
    return `{"timestamp":${ev.timestamp / 1000},${trace},"level":"${levelName(ev.level)}","severity_number":${SEVERITY[ev.level] ?? 9},"body":${jsonString(ev.message)},"attributes":{"stream":{"value":${JSON.stringify(ev.stream)},"type":"string"},${c.logAttrs}${life}${extra}}}`;
  },
  // Built per batch, so sent_at is the time the batch is formed (retries keep it: Relay only corrects
  // clock drift above 55 minutes, far beyond core's capped backoff).
  frame(records, c) {
    const payload = `{"items":[${records.join(',')}]}`;
    return `{"sent_at":"${new Date().toISOString()}",${c.sdkJson}}\n{"type":"log","item_count":${records.length},"content_type":"application/vnd.sentry.items.log+json","length":${Buffer.byteLength(payload)}}\n${payload}\n`;
  },
  frameOverheadBytes: ITEM_WRAPPER_BYTES,
  request,
  classify: (outcome, _c, batch, _attempt, now) => classify(outcome, batch.events.length, now),
  hint,
};

/**
 * SENTRY_EVENTS_LEVEL: a second drain on the same DSN, configuration and rate limits, enabled
 * only when the variable is set. Each line at or above the level becomes one error event, in an
 * envelope of its own (one `event` item per envelope; rate-limit category `error`).
 */
export const sentryEventsDrain: DrainSpec<SentryConfig> = {
  id: 'sentry_events',
  // the attributes every log carries, and the error event's `extra`
  identityParts: ['logAttrs', 'eventTail'],
  envPrefix: 'SENTRY_EVENTS_',
  description: 'Sends lines at or above SENTRY_EVENTS_LEVEL to Sentry as error events (issues).',
  enabledBy: 'SENTRY_DSN with SENTRY_EVENTS_LEVEL',
  settings: [],
  configure(config, ctx) {
    if (config.get<number>(EVENTS_LEVEL_KEY) === undefined) return undefined;
    try {
      return sentryConfig(config, ctx.identity, ctx.version);
    } catch (err) {
      // a bad SENTRY_DSN is reported once, by the sentry drain
      if (err instanceof ConfigError) return undefined;
      throw err;
    }
  },
  endpoint: (c) => c.url,
  limits: () => ({
    maxBatchBytes: MAX_ITEM_BYTES,
    maxBatchRecords: 1,
    maxRecordBytes: MAX_ITEM_BYTES,
    gzip: true,
  }),
  admit: (ev, c) => (ev.level < c.eventsLevel ? null : undefined),
  pauseScopes: () => EVENT_SCOPES,
  // event_id comes first, at a fixed offset, so that frame can copy it into the envelope header
  encode: (ev, c) =>
    `{"event_id":"${randomUUID().replace(/-/g, '')}","timestamp":${ev.timestamp / 1000},"platform":"other","level":"${EVENT_LEVEL[ev.level] ?? 'info'}","logger":${JSON.stringify(ev.stream)},"message":{"formatted":${jsonString(ev.message)}}${eventException(ev)},${ev.traceId === undefined && ev.fieldsJson === undefined ? c.eventTail : c.eventTail.replace(c.traceContext, () => eventContexts(ev, c))}${JSON.stringify(ev.stream.slice(0, MAX_TAG_CHARS))}}}`,
  frame(records, c) {
    const event = records[0] ?? '';
    return `{"event_id":"${event.slice(13, 45)}","sent_at":"${new Date().toISOString()}",${c.sdkJson}}\n{"type":"event","length":${Buffer.byteLength(event)}}\n${event}\n`;
  },
  frameOverheadBytes: 0,
  request,
  classify: (outcome, _c, batch, _attempt, now) => classify(outcome, batch.events.length, now),
  hint,
};

function traceContext(traceId: string, spanId: string): string {
  return `"contexts":{"trace":{"trace_id":"${traceId}","span_id":"${spanId}"}}`;
}

/** Sentry's attribute types for a scalar. */
function typedValue(v: string | number | boolean): string {
  if (typeof v === 'string') return `{"value":${JSON.stringify(v)},"type":"string"}`;
  if (typeof v === 'boolean') return `{"value":${v},"type":"boolean"}`;
  return `{"value":${v},"type":"${Number.isInteger(v) ? 'integer' : 'double'}"}`;
}

/**
 * A log's structured part as attributes: the app's fields flattened (`fields.<name>`, arrays as
 * their JSON text) and the error as OpenTelemetry's exception.type / message / stacktrace.
 */
function logAttributes(ev: LogEvent): string {
  let out = '';
  const e = ev.error;
  if (e !== undefined) {
    if (e.kind !== '') out += `,"exception.type":${typedValue(e.kind)}`;
    out += `,"exception.message":${typedValue(e.message)}`;
    if (e.stack !== '') out += `,"exception.stacktrace":${typedValue(e.stack)}`;
  }
  if (ev.fieldsJson !== undefined)
    for (const [name, value] of flatFields(ev.fieldsJson, 'fields.', MAX_FIELD_ATTRIBUTES))
      out += `,${JSON.stringify(name)}:${typedValue(value)}`;
  return out;
}

/**
 * An error event's exception: type and value, and frames for Python, Java, Node and Go traces
 * (oldest first, as Sentry wants them).
 */
function eventException(ev: LogEvent): string {
  const e = ev.error;
  if (e === undefined) return '';
  const frames = e.stack === '' ? [] : stackFrames(e.stack);
  const stacktrace = frames.length > 0 ? `,"stacktrace":{"frames":${JSON.stringify(frames)}}` : '';
  return `,"exception":{"values":[{"type":${JSON.stringify(e.kind || 'Error')},"value":${JSON.stringify(e.message)}${stacktrace}}]}`;
}

/** An error event's contexts: the line's own trace (else the process's) and the app's fields as the `fields` context. */
function eventContexts(ev: LogEvent, c: SentryConfig): string {
  const trace = ev.traceId === undefined ? c.traceContext : traceContext(ev.traceId, ev.spanId ?? c.spanId);
  if (ev.fieldsJson === undefined) return trace;
  return `${trace.slice(0, -1)},"fields":${ev.fieldsJson}}`;
}
