import type { InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { ResolvedConfig } from '../../config/load.js';
import { maskUrl, type Secret } from '../../config/secret.js';
import { ConfigError } from '../../errors.js';
import { defaultClassify, excerpt, okVerdict } from '../core/classify.js';
import { connectionHint } from '../core/hints.js';
import type { DrainSpec, Outcome, Verdict } from '../core/types.js';
import {
  AWS_CREDENTIALS,
  type AwsStaticCredentials,
  PutLogEventsTransport,
} from './put-log-events-transport.js';

interface CloudWatchConfig {
  region: string;
  logGroupName: string;
  logStreamName: string;
  endpoint: string | undefined;
  credentials: AwsStaticCredentials | undefined;
  /** for hints: which variables hold the credentials */
  credentialSource: string;
}

/**
 * PutLogEvents limits (API reference, destinations.md §3): a call carries at most 10,000 events
 * and 1,048,576 bytes counted as Σ(UTF-8 bytes of message) + 26 bytes per event; one event is at
 * most 1 MB. A record is the message itself and core counts 26 bytes per record on top (the spec's
 * `recordOverheadBytes`), so core's count is AWS's exactly. A message over MAX_RECORD_BYTES is cut
 * with core's marker, which keeps message + 26 within the limit.
 */
const MAX_BATCH_BYTES = 1_048_576;
const MAX_BATCH_EVENTS = 10_000;
const EVENT_OVERHEAD_BYTES = 26;
const MAX_RECORD_BYTES = MAX_BATCH_BYTES - EVENT_OVERHEAD_BYTES;
/** logGroupName / logStreamName: 1–512 characters (CreateLogGroup / CreateLogStream API reference). */
const MAX_NAME_CHARS = 512;
/** ExpiredTokenException: a refreshing credential source gets new keys; a static token never will. */
const EXPIRED_TOKEN_ATTEMPTS = 3;

/** An AWS error type (`ThrottlingException`), as opposed to a network code (`ECONNREFUSED`). */
const AWS_TYPE = /^[A-Z][a-z][A-Za-z]*$/;
const CREDENTIAL_TYPES = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);

export const cloudwatchLogsDrain: DrainSpec<CloudWatchConfig, InputLogEvent[]> = {
  id: 'cloudwatch_logs',
  envPrefix: 'CLOUDWATCH_',
  description: 'Sends each line as one event to AWS CloudWatch Logs (PutLogEvents, via the AWS SDK).',
  enabledBy: 'AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY, or FORWARDER_CLOUDWATCH=1',
  settings: [
    {
      key: 'cloudwatch_logs.enabled',
      env: 'FORWARDER_CLOUDWATCH',
      type: 'bool',
      defaultDoc: 'on when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set',
      doc: '1 = on with the AWS credential chain (session token, IRSA, Pod Identity, ECS); 0 = off even with keys.',
    },
    {
      key: 'cloudwatch_logs.access_key_id',
      env: 'AWS_ACCESS_KEY_ID',
      type: 'string',
      doc: 'With AWS_SECRET_ACCESS_KEY: enables the drain.',
    },
    {
      key: 'cloudwatch_logs.secret_access_key',
      env: 'AWS_SECRET_ACCESS_KEY',
      type: 'string',
      secret: true,
      doc: 'The secret of AWS_ACCESS_KEY_ID.',
    },
    {
      key: 'cloudwatch_logs.session_token',
      env: 'AWS_SESSION_TOKEN',
      type: 'string',
      secret: true,
      doc: 'Temporary credentials: the session token that goes with the keys.',
    },
    {
      key: 'cloudwatch_logs.region',
      env: 'AWS_REGION',
      aliases: ['AWS_DEFAULT_REGION'],
      type: 'string',
      default: 'us-west-2',
      doc: 'AWS region of the log group.',
    },
    {
      key: 'cloudwatch_logs.log_group',
      env: 'CLOUDWATCH_LOG_GROUP',
      type: 'string',
      defaultDoc: 'the agent id, sanitised',
      doc: 'Log group (created if missing).',
    },
    {
      key: 'cloudwatch_logs.log_stream',
      env: 'CLOUDWATCH_LOG_STREAM',
      type: 'string',
      defaultDoc: 'the worker id, sanitised',
      doc: 'Log stream (created if missing).',
    },
    {
      key: 'cloudwatch_logs.endpoint',
      env: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
      aliases: ['AWS_ENDPOINT_URL'],
      type: 'url',
      defaultDoc: 'https://logs.<region>.amazonaws.com',
      doc: "Endpoint override (the AWS SDK's own variables), e.g. a VPC endpoint.",
    },
  ],
  configure(config: ResolvedConfig, ctx) {
    const enabled = config.get<boolean>('cloudwatch_logs.enabled');
    if (enabled === false) return undefined;
    const keyId = config.get<string>('cloudwatch_logs.access_key_id');
    const secret = config.get<Secret>('cloudwatch_logs.secret_access_key');
    const keyName = config.nameOf('cloudwatch_logs.access_key_id');
    const secretName = config.nameOf('cloudwatch_logs.secret_access_key');
    if (enabled === undefined && Boolean(keyId) !== Boolean(secret)) {
      throw new ConfigError(
        `${keyName} and ${secretName} must be set together (or FORWARDER_CLOUDWATCH=1 for the AWS credential chain)`,
      );
    }
    if (enabled === undefined && !(keyId && secret)) return undefined;
    const token = config.get<Secret>('cloudwatch_logs.session_token');
    const region = config.get<string>('cloudwatch_logs.region')!;
    if (!/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(region)) {
      throw new ConfigError(
        `${config.nameOf('cloudwatch_logs.region')} is not an AWS region: "${region}" (e.g. us-west-2)`,
      );
    }
    return {
      region,
      logGroupName: groupName(config, ctx.identity.agentId),
      logStreamName: streamName(config, ctx.identity.workerId),
      endpoint: config.get<string>('cloudwatch_logs.endpoint'),
      // Keys from our config (env, *_FILE, YAML) are passed as they are; without them the SDK's
      // default chain finds credentials (AWS_SESSION_TOKEN, web identity, Pod Identity, ECS, IMDS).
      credentials:
        keyId && secret
          ? {
              accessKeyId: keyId,
              secretAccessKey: secret.reveal(),
              ...(token ? { sessionToken: token.reveal() } : {}),
            }
          : undefined,
      credentialSource:
        keyId && secret
          ? `${keyName} / ${secretName}${token ? ` / ${config.nameOf('cloudwatch_logs.session_token')}` : ''}`
          : 'the AWS credential chain (AWS_SESSION_TOKEN, AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, EKS Pod Identity, ECS task role)',
    };
  },
  endpoint: (c) =>
    `${c.endpoint ? maskUrl(c.endpoint) : `https://logs.${c.region}.amazonaws.com`} ${c.logGroupName}:${c.logStreamName}`,
  notices(config, c) {
    if (c !== undefined || config.get<boolean>('cloudwatch_logs.enabled') !== false) return [];
    if (!config.isSet('cloudwatch_logs.access_key_id')) return [];
    return [
      {
        level: 'info',
        message: `cloudwatch_logs is off (${config.nameOf('cloudwatch_logs.enabled')}=0) although AWS keys are set`,
      },
    ];
  },
  limits: () => ({
    maxBatchBytes: MAX_BATCH_BYTES,
    maxBatchRecords: MAX_BATCH_EVENTS,
    maxRecordBytes: MAX_RECORD_BYTES,
  }),
  // PutLogEvents refuses an empty message; an empty line carries nothing, so it is skipped, not counted.
  admit: (ev) => (ev.message.length === 0 ? null : undefined),
  // the record is the message itself: the SDK's input event is built from it and the event's time
  encode: (ev) => ev.message,
  recordOverheadBytes: EVENT_OVERHEAD_BYTES,
  payload: (batch) => {
    const out: InputLogEvent[] = new Array(batch.records.length);
    for (let i = 0; i < out.length; i++)
      out[i] = { timestamp: Math.floor(batch.events[i]!.timestamp), message: batch.records[i]! };
    return out;
  },
  transport: (c, ctx) =>
    new PutLogEventsTransport({
      timeoutMs: ctx.requestTimeoutMs,
      region: c.region,
      logGroupName: c.logGroupName,
      logStreamName: c.logStreamName,
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      ...(c.credentials ? { credentials: c.credentials } : {}),
    }),
  classify(outcome: Outcome, _c, batch, attempt, now): Verdict {
    if (outcome.kind === 'ok') {
      const verdict = okVerdict(outcome.rejected, batch.events.length);
      return verdict.action === 'partial'
        ? {
            ...verdict,
            detail:
              'CloudWatch keeps events from the last 14 days (and the group retention) up to 2 hours ahead',
          }
        : verdict;
    }
    if (outcome.kind === 'http') return defaultClassify(outcome, batch.events.length, now);
    const { code, message } = outcome;
    if (code === AWS_CREDENTIALS)
      return outcome.permanent
        ? { action: 'reject', reason: 'credentials', detail: message }
        : { action: 'retry', reason: 'credentials_unavailable', detail: message };
    if (!AWS_TYPE.test(code) || code === 'TimeoutError' || code === 'AbortError')
      return defaultClassify(outcome, batch.events.length, now);
    const detail = `${code}: ${excerpt(message)}`;
    if (CREDENTIAL_TYPES.has(code)) return { action: 'reject', reason: 'credentials', detail };
    if (code === 'ExpiredTokenException') {
      return attempt < EXPIRED_TOKEN_ATTEMPTS
        ? { action: 'retry', reason: 'expired_token', detail }
        : { action: 'reject', reason: 'credentials', detail };
    }
    if (code === 'DataAlreadyAcceptedException') return { action: 'ok' };
    if (!outcome.permanent) return { action: 'retry', reason: snake(code), detail };
    if (code === 'InvalidParameterException' && /too large/i.test(detail))
      return { action: 'split', reason: 'too_large' };
    return { action: 'reject', reason: snake(code), detail };
  },
  hint(outcome, c) {
    if (outcome.kind !== 'error') return undefined;
    const { code } = outcome;
    if (code === AWS_CREDENTIALS) return `no AWS credentials could be loaded from ${c.credentialSource}`;
    if (CREDENTIAL_TYPES.has(code) || code === 'ExpiredTokenException')
      return `AWS refused the credentials (${code}): check ${c.credentialSource}`;
    if (code === 'AccessDeniedException')
      return 'the credentials lack IAM permissions: logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents';
    return connectionHint(
      outcome,
      'the CloudWatch Logs endpoint',
      'check AWS_REGION / AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
    );
  },
};

function snake(type: string): string {
  return type
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Log group: AWS allows 1–512 of [.-_/#A-Za-z0-9]. The agent id default has every other character
 * replaced by `_` and is cut to 512; a value the user set must already be valid (changing it
 * silently would send the logs somewhere unexpected).
 */
function groupName(config: ResolvedConfig, agentId: string): string {
  const set = config.get<string>('cloudwatch_logs.log_group');
  if (set !== undefined) {
    if (set.length > MAX_NAME_CHARS || !/^[.\-_/#A-Za-z0-9]+$/.test(set)) {
      throw new ConfigError(
        `${config.nameOf('cloudwatch_logs.log_group')} is not a valid log group name: use 1–512 of A-Z a-z 0-9 . - _ / #`,
      );
    }
    return set;
  }
  return cut(agentId.replace(/[^.\-_/#A-Za-z0-9]/g, '_')) || 'forwarder';
}

/** Log stream: 1–512 characters without `:` or `*`; the worker id default has them replaced by `_`. */
function streamName(config: ResolvedConfig, workerId: string): string {
  const set = config.get<string>('cloudwatch_logs.log_stream');
  if (set !== undefined) {
    if ([...set].length > MAX_NAME_CHARS || /[:*]/.test(set)) {
      throw new ConfigError(
        `${config.nameOf('cloudwatch_logs.log_stream')} is not a valid log stream name: 1–512 characters, no ":" or "*"`,
      );
    }
    return set;
  }
  return cut(workerId.replace(/[:*]/g, '_')) || 'forwarder';
}

function cut(name: string): string {
  return [...name].slice(0, MAX_NAME_CHARS).join('');
}
