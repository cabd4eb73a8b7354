/** A drain's counts: kept apart from the engine so the main thread can hold them without loading it. */
export interface DrainStats {
  delivered: number;
  /** records that needed another attempt */
  retried: number;
  /** records dropped, by reason (buffer_full, flush_deadline, too_large, http_401, rejected, …) */
  dropped: Record<string, number>;
  requests: number;
  /** epoch ms of the last accepted request; 0 = never */
  lastSuccessAt: number;
  /** the flush deadline cut delivery short at exit */
  deadlineCut: boolean;
  /** records whose message was truncated to the vendor's per-record limit */
  truncated: number;
  /** payload bytes (as sent, after compression) of accepted requests */
  sentBytes: number;
  /** drops the destination was never told of: the final flush could not deliver their `dropped` notice */
  dropsNotNoticed: number;
}

/** A drain's counts before it has done anything (also the host's stand-in when the pipeline never reported). */
export function emptyDrainStats(): DrainStats {
  return {
    delivered: 0,
    retried: 0,
    dropped: {},
    requests: 0,
    lastSuccessAt: 0,
    deadlineCut: false,
    truncated: 0,
    sentBytes: 0,
    dropsNotNoticed: 0,
  };
}
