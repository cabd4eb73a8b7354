import type { ResolvedConfig } from '../config/load.js';
import { maskUrl, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import { attributesSetting, httpRequest, tokenSetting, urlSetting } from './core/builders.js';
import { defaultClassify, excerpt } from './core/classify.js';
import {
  attributesFragment,
  errorFragment,
  fieldsFragment,
  isoTime,
  levelJson,
  streamJson,
  traceFragment,
} from './core/fields.js';
import { connectionHint } from './core/hints.js';
import { jsonString } from './core/json-string.js';
import { resetAtPause } from './core/retry.js';
import type { Batch, DrainSpec, Outcome, Verdict } from './core/types.js';

/**
 * Axiom ingest API (shared/reference/destinations.md §7): NDJSON, gzip, `Authorization: Bearer`.
 * A 200 may still report failed events (`failed`, `failures[]`): those are counted as dropped,
 * never resent. A 429 waits for X-RateLimit-Reset (UTC epoch seconds, Axiom's API-limits page).
 */

// Limits page: at most 10,000 events per ingest request; a field value over 1 MB is replaced with
// "<invalid string: too long>", so a longer record is cut here, visibly.
const MAX_EVENTS = 10_000;
const MAX_RECORD_BYTES = 1_000_000;
// Axiom documents no request-size limit; 5 MB keeps one batch (and its retries) modest.
const MAX_BODY_BYTES = 5_000_000;
const DEFAULT_BASE = 'https://api.axiom.co';

interface AxiomConfig {
  url: string;
  token: Secret;
  dataset: string;
  tail: string;
  level: (level: number) => string;
  stream: (s: string) => string;
  /** `_time`, ISO 8601 */
  time: (ms: number) => string;
  version: string;
}

export const axiomDrain: DrainSpec<AxiomConfig> = {
  id: 'axiom',
  // the record's tail: identity, FORWARDER_ATTRIBUTES and the pod's k8s.*
  identityParts: ['tail'],
  envPrefix: 'AXIOM_',
  fieldKeys: {
    level: ['level'],
    stream: ['stream'],
    agent_id: ['agent_id'],
    worker_id: ['worker_id'],
    hostname: ['hostname'],
    attributes: ['attributes'],
    trace_id: ['trace_id'],
    span_id: ['span_id'],
    error: ['error'],
    fields: ['fields'],
  },
  description: 'Axiom ingest API: NDJSON events with _time, gzip; partial failures counted.',
  enabledBy: 'AXIOM_TOKEN with AXIOM_DATASET',
  settings: [
    tokenSetting(
      'axiom.token',
      'AXIOM_TOKEN',
      'Enables the drain (with AXIOM_DATASET): an API token with ingest permission.',
    ),
    { key: 'axiom.dataset', env: 'AXIOM_DATASET', type: 'string', doc: 'The dataset events go to.' },
    attributesSetting(
      'axiom.attributes',
      'AXIOM_ATTRIBUTES',
      'k=v,k2=v2 added to every event under attributes.',
    ),
    urlSetting(
      'axiom.url',
      'AXIOM_URL',
      'Axiom base URL (https://api.eu.axiom.co, an edge domain) or a full ingest URL.',
      { defaultDoc: DEFAULT_BASE },
    ),
  ],
  configure(config: ResolvedConfig, ctx) {
    const token = config.get<Secret>('axiom.token');
    const dataset = config.get<string>('axiom.dataset')?.trim() || undefined;
    if (!token && !dataset) return undefined;
    if (!token) throw new ConfigError(`${config.nameOf('axiom.dataset')} is set but AXIOM_TOKEN is missing`);
    if (!dataset)
      throw new ConfigError(`${config.nameOf('axiom.token')} is set but AXIOM_DATASET is missing`);
    const { agentId, workerId, hostname, attributes } = ctx.identity;
    return {
      url: ingestUrl(config.get<string>('axiom.url') ?? DEFAULT_BASE, dataset),
      token,
      dataset,
      tail: `,"agent_id":${JSON.stringify(agentId)},"worker_id":${JSON.stringify(workerId)},"hostname":${JSON.stringify(hostname)}${attributesFragment(attributes, config.get<Record<string, string>>('axiom.attributes'))}}`,
      level: levelJson(),
      stream: streamJson(),
      time: isoTime(),
      version: ctx.version,
    };
  },
  endpoint: (c) => maskUrl(c.url),
  limits: () => ({
    maxBatchBytes: MAX_BODY_BYTES,
    maxBatchRecords: MAX_EVENTS,
    maxRecordBytes: MAX_RECORD_BYTES,
    gzip: true,
  }),
  encode: (ev, c) =>
    `{"_time":"${c.time(ev.timestamp)}","message":${jsonString(ev.message)},"level":${c.level(ev.level)},"stream":${c.stream(ev.stream)}${traceFragment(ev, '"trace_id"', '"span_id"')}${errorFragment(ev, '"error"', '"kind"', '"message"', '"stack"')}${fieldsFragment(ev, '"fields"')}${c.tail}`,
  frame: { open: '', separator: '\n', close: '\n' },
  request: (c) =>
    httpRequest(c.url, 'application/x-ndjson', c.version, { authorization: `Bearer ${c.token.reveal()}` }),
  classify(outcome: Outcome, _c, batch: Batch, _attempt, now): Verdict {
    if (outcome.kind === 'http' && outcome.status >= 200 && outcome.status < 300) {
      const failed = ingestFailures(outcome.body);
      if (failed === undefined || failed.count === 0) return { action: 'ok' };
      const rejected = Math.min(failed.count, batch.events.length);
      return {
        action: 'partial',
        accepted: batch.events.length - rejected,
        rejected,
        reason: 'axiom_failed',
        ...(failed.first ? { detail: excerpt(failed.first, 200) } : {}),
      };
    }
    const verdict = defaultClassify(outcome, batch.events.length, now);
    if (outcome.kind === 'http' && outcome.status === 429 && verdict.action === 'retry') {
      const reset = resetAtPause(
        outcome.headers['x-ratelimit-reset'] ?? outcome.headers['x-ingestlimit-reset'],
        now,
      );
      if (reset !== undefined && verdict.pause === undefined) return { ...verdict, pause: [reset] };
    }
    return verdict;
  },
  hint(outcome, c) {
    if (outcome.kind !== 'http') return connectionHint(outcome, maskUrl(c.url));
    switch (outcome.status) {
      case 401:
      case 403:
        return `${outcome.status} from Axiom: AXIOM_TOKEN was refused; use an API token with ingest permission on dataset ${JSON.stringify(c.dataset)}`;
      case 404:
        return `404 from Axiom: dataset ${JSON.stringify(c.dataset)} was not found at ${maskUrl(c.url)}; create it, fix AXIOM_DATASET, or set AXIOM_URL to your region (https://api.eu.axiom.co)`;
      default:
        return undefined;
    }
  },
};

/** Base URL → the ingest path (edge domains use /v1/ingest/{dataset}); a URL with a path is used as given. */
function ingestUrl(raw: string, dataset: string): string {
  const url = new URL(raw);
  if (url.pathname !== '' && url.pathname !== '/') return url.toString();
  const ds = encodeURIComponent(dataset);
  url.pathname = url.hostname.endsWith('.edge.axiom.co') ? `/v1/ingest/${ds}` : `/v1/datasets/${ds}/ingest`;
  return url.toString();
}

function ingestFailures(body: string): { count: number; first: string | undefined } | undefined {
  try {
    const o = JSON.parse(body) as { failed?: unknown; failures?: unknown };
    if (typeof o.failed !== 'number') return undefined;
    const first = Array.isArray(o.failures) ? (o.failures[0] as { error?: unknown } | undefined) : undefined;
    return { count: o.failed, first: typeof first?.error === 'string' ? first.error : undefined };
  } catch {
    return undefined;
  }
}
