import type {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  InputLogEvent,
  RejectedLogEventsInfo,
} from '@aws-sdk/client-cloudwatch-logs';
import { errorOutcome } from '../core/classify.js';
import { DEFAULTS } from '../core/defaults.js';
import type { Batch, Outcome, Transport } from '../core/types.js';

/** PutLogEvents: the valid events of one call may span at most 24 hours (API reference). */
export const MAX_SPAN_MS = 24 * 3_600_000;

/** Outcome code for credential problems (no CloudWatch request was made); `permanent` says whether a retry may help. */
export const AWS_CREDENTIALS = 'AWS_CREDENTIALS';

/** Service errors worth another attempt (besides every 5xx). */
export const RETRY_TYPES = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalFailure',
  'RequestExpired',
  'RequestTimeout',
  'RequestTimeoutException',
  'LimitExceededException',
  'InvalidSequenceTokenException',
  // a refreshing credential source renews it; the drain's classify bounds the attempts
  'ExpiredTokenException',
]);

export interface AwsStaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsLogsTransportOptions {
  region: string;
  logGroupName: string;
  logStreamName: string;
  /** explicit endpoint (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / AWS_ENDPOINT_URL); else the SDK's own resolution */
  endpoint?: string;
  /** static keys from our config; undefined = the SDK's default credential chain */
  credentials?: AwsStaticCredentials;
  timeoutMs?: number;
}

interface Progress {
  chunks: InputLogEvent[][];
  next: number;
  rejected: Record<string, number>;
}

const SILENT = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

type Sdk = typeof import('@aws-sdk/client-cloudwatch-logs');
let sdkLoading: Promise<Sdk> | undefined;
/**
 * The SDK is loaded on the first send, not at start-up: evaluating it costs a quarter of a
 * second, which every `forwarder run` would otherwise pay whether CloudWatch is enabled or not.
 */
function loadSdk(): Promise<Sdk> {
  sdkLoading ??= import('@aws-sdk/client-cloudwatch-logs');
  return sdkLoading;
}

/**
 * One PutLogEvents "attempt" through the AWS SDK (SigV4, credential chain, endpoint resolution),
 * given the SDK's input events (the spec's typed payload): they are sorted by time and cut into
 * calls of at most 24 h each; a missing group/stream is created and the call resent once. The SDK's
 * own retries are off (`maxAttempts: 1`): core retries on what the drain's classify says, so every
 * failure becomes an `error` outcome — a service error with AWS's error type as its code, permanent
 * unless AWS says it is transient; success is `ok` with the refused events counted by reason.
 *
 * When a batch needs several calls (24 h rule) and a later one fails, the calls that succeeded are
 * remembered for that batch object, so core's retry of the same batch resends only the rest.
 */
export class PutLogEventsTransport implements Transport<InputLogEvent[]> {
  #client: CloudWatchLogsClient | undefined;
  #sdk: Sdk | undefined;
  readonly #options: AwsLogsTransportOptions;
  readonly #group: string;
  readonly #stream: string;
  readonly #progress = new WeakMap<Batch, Progress>();

  constructor(o: AwsLogsTransportOptions) {
    this.#options = o;
    this.#group = o.logGroupName;
    this.#stream = o.logStreamName;
  }

  async #ready(): Promise<{ client: CloudWatchLogsClient; sdk: Sdk }> {
    if (this.#client && this.#sdk) return { client: this.#client, sdk: this.#sdk };
    const sdk = await loadSdk();
    const o = this.#options;
    const timeout = o.timeoutMs ?? DEFAULTS.requestTimeoutMs;
    // The SDK warns on stderr (process.emitWarning) about Node < 22 when a client is built; that
    // line would land in the app's stderr stream. The variable is set only while constructing, so
    // it never reaches the app's environment.
    const WARN_VAR = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
    const before = process.env[WARN_VAR];
    process.env[WARN_VAR] = 'true';
    try {
      this.#client ??= new sdk.CloudWatchLogsClient({
        region: o.region,
        maxAttempts: 1,
        logger: SILENT,
        requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 10_000) },
        ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        ...(o.credentials ? { credentials: o.credentials } : {}),
      });
    } finally {
      if (before === undefined) delete process.env[WARN_VAR];
      else process.env[WARN_VAR] = before;
    }
    this.#sdk = sdk;
    return { client: this.#client, sdk };
  }

  async send(logEvents: InputLogEvent[], batch: Batch, signal: AbortSignal): Promise<Outcome> {
    let p = this.#progress.get(batch);
    if (!p) {
      p = {
        chunks: chunkBySpan(sortByTime(logEvents)),
        next: 0,
        rejected: {},
      };
      this.#progress.set(batch, p);
    }
    const credentialProblem = await this.#checkCredentials();
    if (credentialProblem) return credentialProblem;
    while (p.next < p.chunks.length) {
      const r = await this.#put(p.chunks[p.next]!, signal);
      if ('outcome' in r) return r.outcome;
      addRejected(p.rejected, r.info, p.chunks[p.next]!.length);
      p.next++;
    }
    this.#progress.delete(batch);
    return { kind: 'ok', rejected: p.rejected };
  }

  async close(): Promise<void> {
    this.#client?.destroy();
  }

  /** Credentials are resolved (and cached, and refreshed) by the SDK; a failure here is not CloudWatch's answer. */
  async #checkCredentials(): Promise<Outcome | undefined> {
    try {
      const { client } = await this.#ready();
      await client.config.credentials();
      return undefined;
    } catch (err) {
      const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
      if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return errorOutcome(e);
      const status = e.$metadata?.httpStatusCode;
      const transient =
        (status !== undefined && status >= 500) ||
        /Throttl|ServiceUnavailable|Timeout|RequestExpired/i.test(e.name);
      return {
        kind: 'error',
        code: AWS_CREDENTIALS,
        permanent: !transient,
        message: `no usable AWS credentials (${e.name}): ${e.message}`,
      };
    }
  }

  async #put(
    logEvents: InputLogEvent[],
    signal: AbortSignal,
  ): Promise<{ info: RejectedLogEventsInfo | undefined } | { outcome: Outcome }> {
    const input = { logGroupName: this.#group, logStreamName: this.#stream, logEvents };
    try {
      const { client, sdk } = await this.#ready();
      const res = await client.send(new sdk.PutLogEventsCommand(input), { abortSignal: signal });
      return { info: res.rejectedLogEventsInfo };
    } catch (err) {
      if (errorType(err) !== 'ResourceNotFoundException') return { outcome: toOutcome(err) };
    }
    const created = await this.#createDestination(signal);
    if (created) return { outcome: created };
    try {
      const { client, sdk } = await this.#ready();
      const res = await client.send(new sdk.PutLogEventsCommand(input), { abortSignal: signal });
      return { info: res.rejectedLogEventsInfo };
    } catch (err) {
      return { outcome: toOutcome(err) };
    }
  }

  /**
   * The stream first: a group made by infrastructure (with its retention) is the common case, and
   * then logs:CreateLogGroup is neither needed nor called. Only when the group is missing too is it
   * created, then the stream. ResourceAlreadyExistsException (a race with another instance) is success.
   */
  async #createDestination(signal: AbortSignal): Promise<Outcome | undefined> {
    const { client, sdk } = await this.#ready();
    const group = { logGroupName: this.#group };
    const stream = { logGroupName: this.#group, logStreamName: this.#stream };
    const attempt = async (cmd: CreateLogGroupCommand | CreateLogStreamCommand): Promise<unknown> => {
      try {
        await client.send(cmd as CreateLogStreamCommand, { abortSignal: signal });
        return undefined;
      } catch (err) {
        return errorType(err) === 'ResourceAlreadyExistsException' ? undefined : err;
      }
    };
    let err = await attempt(new sdk.CreateLogStreamCommand(stream));
    if (err === undefined) return undefined;
    if (errorType(err) !== 'ResourceNotFoundException') return toOutcome(err);
    err = await attempt(new sdk.CreateLogGroupCommand(group));
    if (err !== undefined) return toOutcome(err);
    err = await attempt(new sdk.CreateLogStreamCommand(stream));
    return err === undefined ? undefined : toOutcome(err);
  }
}

/** Stable sort by timestamp (PutLogEvents fails the whole call on an out-of-order batch). */
export function sortByTime(events: InputLogEvent[]): InputLogEvent[] {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp! < events[i - 1]!.timestamp!)
      return events.slice().sort((a, b) => a.timestamp! - b.timestamp!);
  }
  return events;
}

/** Cuts sorted events into runs whose first and last timestamps are less than 24 h apart. */
export function chunkBySpan(sorted: InputLogEvent[], maxSpanMs: number = MAX_SPAN_MS): InputLogEvent[][] {
  const chunks: InputLogEvent[][] = [];
  let current: InputLogEvent[] = [];
  for (const e of sorted) {
    if (current.length > 0 && e.timestamp! - current[0]!.timestamp! >= maxSpanMs) {
      chunks.push(current);
      current = [];
    }
    current.push(e);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * rejectedLogEventsInfo → counts by reason. The indexes refer to the sorted call: too old =
 * [0, tooOldLogEventEndIndex), expired = [0, expiredLogEventEndIndex) (counted only beyond the
 * too-old ones, so an event is never counted twice), too new = [tooNewLogEventStartIndex, n).
 */
export function addRejected(
  into: Record<string, number>,
  info: RejectedLogEventsInfo | undefined,
  n: number,
): void {
  if (!info) return;
  const tooOld = clamp(info.tooOldLogEventEndIndex ?? 0, n);
  const expired = Math.max(0, clamp(info.expiredLogEventEndIndex ?? 0, n) - tooOld);
  const oldEnd = tooOld + expired;
  const tooNew =
    info.tooNewLogEventStartIndex === undefined
      ? 0
      : n - Math.max(oldEnd, clamp(info.tooNewLogEventStartIndex, n));
  for (const [reason, count] of [
    ['too_old', tooOld],
    ['expired', expired],
    ['too_new', tooNew],
  ] as const) {
    if (count > 0) into[reason] = (into[reason] ?? 0) + count;
  }
}

function clamp(i: number, n: number): number {
  return Math.max(0, Math.min(n, i));
}

/** AWS's error type: the SDK's `name`, with any `namespace#` prefix or `:http…` suffix stripped. */
export function errorType(err: unknown): string {
  const name = (err as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string') return 'Error';
  return name.replace(/^.*#/, '').replace(/:.*$/, '');
}

/** An SDK failure as an Outcome: a service error has AWS's type as its code; others are network errors. */
export function toOutcome(err: unknown): Outcome {
  const e = err as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.$fault !== undefined && status !== undefined) {
    const type = errorType(e);
    const transient = RETRY_TYPES.has(type) || status >= 500;
    return { kind: 'error', code: type, permanent: !transient, message: e.message };
  }
  return errorOutcome(err);
}
