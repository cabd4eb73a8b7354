import { createHmac } from 'node:crypto';
import type { ResolvedConfig } from '../config/load.js';
import { maskUrl, registerSecretValue, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import { headersSetting, tokenSetting, urlSetting } from './core/builders.js';
import { canonicalEncoder } from './core/canonical.js';
import { CANONICAL_FIELD_KEYS } from './core/field-selection.js';
import { connectionHint } from './core/hints.js';
import type { DrainSpec } from './core/types.js';

interface WebhookConfig {
  url: string;
  secret: Secret | undefined;
  batchSize: number;
  gzip: boolean;
  headers: Record<string, string>;
  encode: ReturnType<typeof canonicalEncoder>;
  version: string;
}

/** Convex log streams' generic destination: ≤128 events per request (reference §11). */
const MAX_BODY_BYTES = 1024 * 1024;

export const webhookDrain: DrainSpec<WebhookConfig> = {
  id: 'webhook',
  // the canonical encoder holds the identity part, attributes included
  identityParts: ['encode'],
  fieldKeys: CANONICAL_FIELD_KEYS,
  envPrefix: 'WEBHOOK_',
  description: 'POSTs JSON arrays of canonical events to any URL, optionally HMAC-signed.',
  enabledBy: 'WEBHOOK_URL',
  settings: [
    urlSetting(
      'webhook.url',
      'WEBHOOK_URL',
      'Enables the drain: POST batches of canonical events here. A user:password@ in it is sent as HTTP Basic auth (percent-decoded, as curl does), never in the URL.',
    ),
    tokenSetting(
      'webhook.secret',
      'WEBHOOK_SECRET',
      'Sign each request: x-webhook-signature = sha256=HMAC-SHA256(secret, "<x-webhook-timestamp>." + body).',
    ),
    {
      key: 'webhook.batch_size',
      env: 'WEBHOOK_BATCH_SIZE',
      type: 'int',
      default: 128,
      min: 1,
      max: 10_000,
      doc: 'Events per request at most (and 1 MiB).',
    },
    {
      key: 'webhook.gzip',
      env: 'WEBHOOK_GZIP',
      type: 'bool',
      default: false,
      doc: 'gzip request bodies (Content-Encoding: gzip).',
    },
    headersSetting(
      'webhook.headers',
      'WEBHOOK_HEADERS',
      'Extra request headers, k=v,k2=v2 (values are treated as secrets).',
    ),
  ],
  configure(config: ResolvedConfig, ctx) {
    const raw = config.get<string>('webhook.url');
    if (!raw) return undefined;
    const headers = { ...(config.get<Record<string, string>>('webhook.headers') ?? {}) };
    const url = new URL(raw);
    if (url.username || url.password) {
      if (Object.keys(headers).some((h) => h.toLowerCase() === 'authorization'))
        throw new ConfigError(
          `${config.nameOf('webhook.url')} has user:password@ and ${config.nameOf('webhook.headers')} sets authorization: keep one`,
        );
      headers.authorization = basicAuth(url);
      url.username = '';
      url.password = '';
    }
    return {
      url: url.toString(),
      secret: config.get<Secret>('webhook.secret'),
      batchSize: config.get<number>('webhook.batch_size')!,
      gzip: config.get<boolean>('webhook.gzip')!,
      headers,
      encode: canonicalEncoder(ctx.identity),
      version: ctx.version,
    };
  },
  endpoint: (c) => maskUrl(c.url),
  limits: (c) => ({
    maxBatchBytes: MAX_BODY_BYTES,
    maxBatchRecords: c.batchSize,
    maxRecordBytes: MAX_BODY_BYTES - 2,
    gzip: c.gzip,
  }),
  encode: (ev, c) => c.encode(ev),
  request(c, payload) {
    const headers: Record<string, string> = { ...c.headers, 'content-type': 'application/json' };
    // the user's User-Agent (any case) replaces ours rather than adding a second one
    if (!Object.keys(c.headers).some((h) => h.toLowerCase() === 'user-agent'))
      headers['user-agent'] = `forwarder/${c.version}`;
    if (c.secret) {
      // The timestamp is signed with the body so a captured request cannot be replayed later.
      const timestamp = String(Math.floor(Date.now() / 1000));
      const hmac = createHmac('sha256', c.secret.reveal())
        .update(`${timestamp}.`)
        .update(payload)
        .digest('hex');
      headers['x-webhook-timestamp'] = timestamp;
      headers['x-webhook-signature'] = `sha256=${hmac}`;
    }
    return { url: c.url, headers };
  },
  hint(outcome) {
    if (outcome.kind === 'http' && (outcome.status === 401 || outcome.status === 403)) {
      return "the receiver refused our credentials: check WEBHOOK_URL's user:password, WEBHOOK_SECRET and WEBHOOK_HEADERS";
    }
    return connectionHint(outcome, 'WEBHOOK_URL');
  },
};

/** `Basic base64(user:password)` from a URL's userinfo, percent-decoded first (curl's behaviour); scrubbed from our output. */
function basicAuth(url: URL): string {
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const token = Buffer.from(`${decode(url.username)}:${decode(url.password)}`).toString('base64');
  registerSecretValue(token);
  return `Basic ${token}`;
}
