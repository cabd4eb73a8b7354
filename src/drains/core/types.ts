import type { ResolvedConfig } from '../../config/load.js';
import type { SettingDef } from '../../config/settings.js';
import type { Identity, LogEvent } from '../../pipeline/event.js';

/** Vendor limits; core closes a batch on whichever is reached first (plus the age, batch_wait). */
export interface DrainLimits {
  /** request body as sent before compression (the vendor's uncompressed limit) */
  maxBatchBytes: number;
  /** request body after compression, where the vendor limits that too */
  maxCompressedBytes?: number;
  maxBatchRecords: number;
  /** one encoded record; longer ones have their message truncated with a visible marker */
  maxRecordBytes: number;
  /** requests in flight at once; 1 keeps order (files, sockets) */
  concurrency?: number;
  gzip?: boolean;
  /** ms; overrides FORWARDER_BATCH_WAIT for a vendor that needs it */
  batchWaitMs?: number;
}

/**
 * What one attempt produced. `ok`: the destination took the batch (with `rejected`, some records
 * by reason, e.g. CloudWatch's too-old events); `http`: an HTTP answer to read; `error`: no answer
 * (a network, TLS, credential or SDK failure), `permanent` when no later attempt can succeed.
 * Transports that speak no HTTP (file, stream, SDK) answer `ok` or `error`, never a made-up status.
 */
export type Outcome =
  | { kind: 'ok'; rejected?: Readonly<Record<string, number>> }
  | {
      kind: 'http';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      /** at most RESPONSE_BODY_LIMIT bytes of the body, as text */
      body: string;
    }
  | { kind: 'error'; code: string; permanent: boolean; message: string };

/**
 * A rate limit or Retry-After, as a core concept: nothing is sent in `scope` until `until` (epoch
 * ms). Scope `drain` holds this drain's batches (they wait, nothing is lost); any other scope is a
 * named limit on the session's pause board, and the drains that list it in their spec's
 * `pauseScopes` drop their data for it (counted as `rate_limited`) until it ends (Sentry's
 * categories).
 */
export interface Pause {
  scope: string;
  until: number;
}

/** The vendor's answer about an outcome; core acts on it (Vector's RetryLogic, Fluent Bit's FLB_RETRY). */
export type Verdict = (
  | { action: 'ok' }
  /** some records were taken: `accepted` of them; `rejected` are dropped and counted; resend the rest from `resendFrom`, or `retry` some */
  | {
      action: 'partial';
      accepted: number;
      rejected: number;
      resendFrom?: number;
      reason: string;
      /** the rejected records by drop reason (summing to `rejected`), when they differ; else all count under `reason` */
      rejectedReasons?: Readonly<Record<string, number>>;
      /**
       * indexes (in this batch) of records to try again after a backoff, alone (per-item answers such
       * as Elasticsearch `_bulk`'s 429 items); neither accepted nor rejected. Not with `resendFrom`.
       */
      retry?: readonly number[];
      detail?: string;
    }
  /** try again: after the `drain` pause when there is one (Retry-After), else after core's backoff */
  | { action: 'retry'; reason: string; detail?: string }
  /** too large: core halves the batch and sends each half */
  | { action: 'split'; reason: string }
  /** permanent: the whole batch is dropped and counted */
  | { action: 'reject'; reason: string; detail?: string }
) & {
  /** rate limits the answer announced (any verdict: a 200 may carry X-Sentry-Rate-Limits too) */
  pause?: readonly Pause[];
};

export interface Batch {
  events: readonly LogEvent[];
  /** each event as encoded (and truncated) by the spec */
  records: readonly string[];
  /** the batch's size as the vendor counts it (framing included), before compression */
  readonly bytes: number;
  /** body as framed, before compression, as text (built on first use from `raw`) */
  readonly body: string;
  /** body as framed, before compression, as bytes: built directly from the records, no joined string */
  readonly raw: Buffer;
}

/**
 * One attempt at delivering a batch; retries, backoff and splitting are core's business. `P` is
 * what the spec hands it: the compressed body (`Buffer`) for byte transports, or a typed payload
 * (CloudWatch: the SDK's input events).
 */
export interface Transport<P = Buffer> {
  send(payload: P, batch: Batch, signal: AbortSignal): Promise<Outcome>;
  close(): Promise<void>;
  /**
   * `forwarder check`, after a successful send on a transport with no answer (a stream): watches the
   * connection for `ms` and returns an error outcome if the receiver closed it (it refused what we
   * wrote, e.g. a framing it does not speak); undefined when it stayed open.
   */
  settle?(ms: number): Promise<Outcome | undefined>;
}

export interface HttpRequestParts {
  url: string;
  method?: 'POST' | 'PUT';
  headers: Record<string, string>;
}

export interface DrainTls {
  /** a PEM file trusted on top of Node's store */
  caFile?: string;
  rejectUnauthorized?: boolean;
}

export interface DrainNotice {
  level: 'info' | 'warn';
  message: string;
}

export interface DrainContext {
  identity: Identity;
  /** the forwarder's version, for user-agent style headers */
  version: string;
  /** one attempt's time limit (FORWARDER_REQUEST_TIMEOUT) */
  requestTimeoutMs: number;
}

/**
 * A vendor drain: pure parts only. No timers, retries, queues, clients or env reads here —
 * core does those (see drains/core/drain.ts).
 */
export interface DrainSpec<C = unknown, P = Buffer> {
  /** snake_case noun named after the service; the file is the id with _ → - */
  id: string;
  description: string;
  settings: readonly SettingDef[];
  /**
   * What turns the drain on, as a person sets it (`DATADOG_TOKEN`); named when other settings of the
   * drain are set but the drain stays off.
   */
  enabledBy?: string;
  /**
   * The prefix of the drain's per-drain control settings (`SENTRY_` → SENTRY_MIN_LEVEL, SENTRY_FILTER,
   * …; README "Per-drain control"); the rows are generated from it, under the YAML section `id`.
   */
  envPrefix: string;
  /** JSON-record drains: the record's top-level keys that carry each canonical field, for <PREFIX>FIELDS */
  fieldKeys?: Readonly<Record<string, readonly string[]>>;
  /**
   * The config's parts built from `ctx.identity.attributes` (a record's tail, an envelope, a
   * resource): when the pod's labels / annotations change, configure() runs again and these parts,
   * only, are taken from it, once per change (README "Kubernetes"). Left out by a drain that sends
   * no attributes; stateful parts (a clock, a cache) never belong here.
   */
  identityParts?: readonly (keyof C & string)[];
  /** undefined when the drain is not enabled (its secrets are absent); throws ConfigError when misconfigured */
  configure(config: ResolvedConfig, ctx: DrainContext): C | undefined;
  /** where it sends, with secrets masked: shown by `check`, the summary and logs */
  endpoint(c: C): string;
  limits(c: C): DrainLimits;
  /** one event → one record as text (JSON object, syslog line, …) */
  encode(ev: LogEvent, c: C, ctx: DrainContext): string;
  /** records → body; default `[` + records joined with `,` + `]` */
  frame?: { open: string; separator: string; close: string } | ((records: readonly string[], c: C) => string);
  /** bytes `frame` adds beyond the records and separators, when `frame` is a function (an upper bound; per config when it depends on it) */
  frameOverheadBytes?: number | ((c: C) => number);
  /**
   * Typed-payload drains (an SDK transport): the batch → what `transport` sends, instead of a framed,
   * compressed body. The batch is sized as Σ(record bytes + `recordOverheadBytes`) + `frameOverheadBytes`.
   */
  payload?(batch: Batch, c: C): P;
  /** what the vendor counts per record on top of its bytes (CloudWatch: 26), for `payload` drains */
  recordOverheadBytes?: number;
  /** HTTP drains: where and how to send a body (`payload` as sent, for signatures) */
  request?(c: C, payload: Buffer, gzip: boolean): HttpRequestParts;
  /** HTTP drains: TLS for the connection (an extra CA; verification off only where the vendor's users need it) */
  tls?(c: C): DrainTls;
  /**
   * What a person should know about this drain's configuration, enabled or not (`c` undefined):
   * logged once at start by the session, e.g. "secrets set but the drain is off" or "TLS verification is off".
   */
  notices?(config: ResolvedConfig, c: C | undefined): readonly DrainNotice[];
  /** non-HTTP drains (file, syslog, SDK-based): their own transport, built from core pieces */
  transport?(c: C, ctx: DrainContext): Transport<P>;
  /**
   * true when `transport` is an HttpTransport (a drain with `request` always sends through one):
   * its HTTP client is then loaded before the run-time V8 flags are set (pipeline-host.ts).
   */
  sendsOverHttp?: boolean;
  /**
   * Optional gate, asked for each event when it is pushed, when it is taken into a batch, and again
   * before a batch is re-sent after a wait. `undefined` = send it; `null` = not for this drain (a
   * filter, not counted); a string = drop it and count it under that reason (e.g. `rate_limited`).
   * Pure: a vendor's rate limits are `pause` verdicts and `pauseScopes`, not state shared with classify.
   */
  admit?(ev: LogEvent, c: C, now: number): string | null | undefined;
  /**
   * Named pause scopes this drain obeys (see `Pause`): while one is paused, its events are dropped
   * and counted as `rate_limited` (at push, when batched, and before a re-send).
   */
  pauseScopes?(c: C): readonly string[];
  /**
   * Pure: outcome → verdict. undefined = core's default table (ok; 2xx ok; 408/429/5xx and transient
   * errors retry, honouring Retry-After as a `drain` pause; 413 split; other 4xx and permanent errors reject)
   */
  classify?(outcome: Outcome, c: C, batch: Batch, attempt: number, now: number): Verdict;
  /** a hint a person can act on for a failed check or a rejected batch */
  hint?(outcome: Outcome, c: C): string | undefined;
}
