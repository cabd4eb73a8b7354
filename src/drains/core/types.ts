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

/** What one attempt produced: a response, or an error before there was one. */
export type Outcome =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      /** at most RESPONSE_BODY_LIMIT bytes of the body, as text */
      body: string;
    }
  | { kind: 'error'; error: Error; code: string };

/** The vendor's answer about an outcome; core acts on it (Vector's RetryLogic, Fluent Bit's FLB_RETRY). */
export type Verdict =
  | { action: 'ok' }
  /** some records were taken: `accepted` of them; `rejected` are dropped and counted; resend the rest from `resendFrom` */
  | {
      action: 'partial';
      accepted: number;
      rejected: number;
      resendFrom?: number;
      reason: string;
      /** the rejected records by drop reason (summing to `rejected`), when they differ; else all count under `reason` */
      rejectedReasons?: Readonly<Record<string, number>>;
      detail?: string;
      /**
       * per-record answers (Elasticsearch `_bulk` items): these records (indices into the batch) were
       * neither taken nor refused for good; they alone are sent again after a backoff, or after
       * `retryAfterMs`. Not with `resendFrom`.
       */
      retry?: { indices: readonly number[]; reason: string; detail?: string; retryAfterMs?: number };
    }
  | { action: 'retry'; reason: string; retryAfterMs?: number; detail?: string }
  /** too large: core halves the batch and sends each half */
  | { action: 'split'; reason: string }
  /** permanent: the whole batch is dropped and counted */
  | { action: 'reject'; reason: string; detail?: string };

export interface Batch {
  events: readonly LogEvent[];
  records: readonly string[];
  /** body as framed, before compression, as text (built on first use when `raw` exists) */
  readonly body: string;
  /** body as framed, before compression, as bytes: built directly from the records, no joined string */
  readonly raw?: Buffer;
}

/** One attempt at delivering a batch; retries, backoff and splitting are core's business. */
export interface Transport {
  send(batch: Batch, payload: Buffer, signal: AbortSignal): Promise<Outcome>;
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
export interface DrainSpec<C = unknown> {
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
  transport?(c: C, ctx: DrainContext): Transport;
  /**
   * Optional gate, asked for each event when it is pushed, when it is taken into a batch, and again
   * before a batch is re-sent after a wait. `undefined` = send it; `null` = not for this drain (a
   * filter, not counted); a string = drop it and count it under that reason (e.g. `rate_limited`).
   * It may read state that `classify` recorded in the drain's config object (a vendor's rate limits).
   */
  admit?(ev: LogEvent, c: C, now: number): string | null | undefined;
  /** undefined = core's default HTTP table (2xx ok; 408/429/5xx/network retry; 413 split; other 4xx reject) */
  classify?(outcome: Outcome, c: C, batch: Batch, attempt: number): Verdict;
  /** a hint a person can act on for a failed check or a rejected batch */
  hint?(outcome: Outcome, c: C): string | undefined;
}
