/** Every engine default in one table; a drain overrides them only through its `limits`. */
export const DEFAULTS = {
  concurrency: 2,
  /** undici headers/body timeout for one attempt */
  requestTimeoutMs: 30_000,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  /** a Retry-After longer than this is capped: the queue bound, not the server, decides what is lost */
  retryAfterMaxMs: 60_000,
  /** gzip level: 3 costs a third of level 6's CPU for ~10% larger log batches */
  gzipLevel: 3,
  responseBodyLimit: 64 * 1024,
  /** at most one "forwarder dropped N events" notice per drain in this period */
  dropNoticeIntervalMs: 30_000,
  /** the same error from one drain is logged at most once in this period, with a count */
  errorLogIntervalMs: 10_000,
  /** after the final flush, how long closing a drain's connections may take before they are abandoned */
  transportCloseMs: 500,
  /** `forwarder check` on a stream: how long the connection is watched after the write for the receiver closing it */
  checkSettleMs: 500,
} as const;
