import { gzipSync } from 'node:zlib';
import { errorOutcome } from './classify.js';
import { DEFAULTS } from './defaults.js';
import type { Batch, Outcome, Transport } from './types.js';

export interface SenderOptions<P> {
  transport: Transport<P>;
  /** byte transports: compress the framed body */
  gzip: boolean;
  /** typed-payload drains: the batch → the transport's payload (no framing, no compression) */
  payload?: (batch: Batch) => P;
}

/** What a batch becomes on the wire, and its size as sent (after compression) for limits and stats. */
export interface Prepared<P> {
  payload: P;
  bytes: number;
}

/**
 * One attempt at one batch: the payload (the framed body, compressed; or a spec's typed payload),
 * then one transport call that cannot throw and cannot outlive its signal.
 */
export class Sender<P = Buffer> {
  readonly #o: SenderOptions<P>;

  constructor(o: SenderOptions<P>) {
    this.#o = o;
  }

  /**
   * Compression runs here, inside the pipeline's turn (its time counts in the share the pipeline
   * takes while the app writes flat out, see supervisor/pipeline-runner.ts), not in libuv's pool
   * where it would compete with the app unchecked; it costs ~1 ms per MiB at level 3 and measured
   * faster end to end than the async form (bench workload 2, with the pipeline in a thread).
   */
  prepare(batch: Batch): Prepared<P> {
    if (this.#o.payload !== undefined) {
      const payload = this.#o.payload(batch);
      // an HTTP body built by the spec (a protobuf message, grouped streams) is compressed here too;
      // an SDK's typed input is not a body and goes as it is
      if (!Buffer.isBuffer(payload)) return { payload, bytes: batch.bytes };
      const body = this.#o.gzip ? gzipSync(payload, { level: DEFAULTS.gzipLevel }) : payload;
      return { payload: body as P, bytes: body.length };
    }
    const raw = batch.raw;
    const body = this.#o.gzip ? gzipSync(raw, { level: DEFAULTS.gzipLevel }) : raw;
    return { payload: body as P, bytes: body.length };
  }

  /**
   * A transport bug or a library's odd error (a numeric `code`, no code at all) still becomes a
   * well-formed Outcome; a transport that ignores the abort (a wedged connection pool) does not
   * hold the drain past it.
   */
  async send(prepared: Prepared<P>, batch: Batch, signal: AbortSignal): Promise<Outcome> {
    try {
      return await abortable(this.#o.transport.send(prepared.payload, batch, signal), signal);
    } catch (err) {
      return errorOutcome(err);
    }
  }

  settle(ms: number): Promise<Outcome | undefined> {
    return this.#o.transport.settle?.(ms) ?? Promise.resolve(undefined);
  }

  get settles(): boolean {
    return this.#o.transport.settle !== undefined;
  }

  /** Closing connections may hang on a wedged peer: it gets a moment, never the process. */
  async close(): Promise<void> {
    const closed = this.#o.transport.close().catch(() => undefined);
    await abortable(closed, AbortSignal.timeout(DEFAULTS.transportCloseMs)).catch(() => undefined);
  }
}

/** `work`, or an AbortError as soon as `signal` fires, whichever comes first. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : Object.assign(new Error('aborted'), { name: 'AbortError' });
}
