import type { Accounting } from './accounting.js';
import { outcomeText, rejectionText } from './classify.js';
import type { Framing } from './framing.js';
import type { PauseBoard } from './pause-board.js';
import { backoffMs, DRAIN_SCOPE, sleep } from './retry.js';
import type { Sender } from './sender.js';
import type { Batch, Outcome, Verdict } from './types.js';

export interface RetryingSenderOptions<P> {
  id: string;
  sender: Sender<P>;
  framing: Pick<Framing, 'batch'>;
  accounting: Accounting;
  /** the session's named pauses, written from verdicts */
  pauses: PauseBoard;
  /** the spec's classify (or core's table), bound to its config; never throws */
  verdict: (outcome: Outcome, batch: Batch, attempt: number, now: number) => Verdict;
  /** the spec's hint for a refused batch */
  hint: (outcome: Outcome) => string | undefined;
  /** the batch without the events the admit gate now refuses; undefined when the drain has no gate */
  readmit?: (batch: Batch) => Batch;
  /** the vendor's limit on a compressed body, where it has one */
  maxCompressedBytes?: number;
  /** aborted at the flush deadline: ends waits and requests */
  stop: AbortSignal;
  /** one observation per request, for the latency histogram */
  onRequest?: (seconds: number, outcome: Outcome) => void;
  /** `n` records of this batch were taken by the destination */
  onDelivered: (batch: Batch, n: number) => void;
}

/**
 * Delivers one batch whatever it takes, within the flush deadline: backoff with full jitter,
 * Retry-After and named rate limits (`pause` verdicts), halving what is too large, counting what
 * a partial answer refused and re-sending what it did not take. Every record of the batch ends
 * up delivered or dropped and counted (OpenTelemetry JS's retrying transport, Vector's RetryLogic).
 */
export class RetryingSender<P = Buffer> {
  readonly #o: RetryingSenderOptions<P>;
  /** the drain's own pause (Retry-After): no batch of this drain is sent before it */
  #pausedUntil = 0;

  constructor(o: RetryingSenderOptions<P>) {
    this.#o = o;
  }

  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  async deliver(initial: Batch): Promise<void> {
    const o = this.#o;
    const books = o.accounting;
    let batch = initial;
    let attempt = 0;
    const stop = o.stop;
    for (;;) {
      if (stop.aborted) return books.drop(batch.events.length, 'flush_deadline');
      attempt++;
      const wait = this.#pausedUntil - Date.now();
      if (wait > 0) {
        await sleep(wait, stop);
        if (stop.aborted) return books.drop(batch.events.length, 'flush_deadline');
      }
      if (o.readmit !== undefined && (attempt > 1 || wait > 0)) {
        batch = o.readmit(batch);
        if (batch.events.length === 0) return;
      }
      const prepared = o.sender.prepare(batch);
      if (o.maxCompressedBytes !== undefined && prepared.bytes > o.maxCompressedBytes) {
        if (batch.events.length === 1) return books.drop(1, 'too_large');
        return this.#deliverHalves(batch);
      }
      const started = performance.now();
      const outcome = await o.sender.send(prepared, batch, stop);
      books.stats.requests++;
      o.onRequest?.((performance.now() - started) / 1000, outcome);
      if (stop.aborted && outcome.kind === 'error') return books.drop(batch.events.length, 'flush_deadline');
      // one clock reading for the verdict and the wait it asks for: a Retry-After of 1 s waits 1000 ms
      const now = Date.now();
      const verdict = o.verdict(outcome, batch, attempt, now);
      const drainPause = this.#applyPauses(verdict);
      switch (verdict.action) {
        case 'ok':
          books.stats.sentBytes += prepared.bytes;
          return o.onDelivered(batch, batch.events.length);
        case 'partial': {
          if (verdict.accepted > 0) o.onDelivered(batch, verdict.accepted);
          if (verdict.rejected > 0) {
            if (verdict.rejectedReasons === undefined) books.drop(verdict.rejected, verdict.reason);
            else for (const [reason, n] of Object.entries(verdict.rejectedReasons)) books.drop(n, reason);
            const hint = o.hint(outcome);
            books.log(
              verdict.reason,
              `drain ${o.id} rejected ${verdict.rejected} of ${batch.events.length} records (${verdict.reason})${verdict.detail ? `: ${verdict.detail}` : ''}${hint ? `; ${hint}` : ''}`,
            );
          }
          if (verdict.retry !== undefined && verdict.retry.length > 0) {
            // per-item retries: only those records go again, after the same wait as a whole-batch retry
            const keep = verdict.retry.filter((i) => i >= 0 && i < batch.events.length);
            batch = this.#o.framing.batch(
              keep.map((i) => batch.events[i]!),
              keep.map((i) => batch.records[i]!),
            );
            if (batch.events.length === 0) return;
            await this.#retryWait(batch, verdict.reason, outcome, verdict.detail, attempt, drainPause, now);
            continue;
          }
          const from = verdict.resendFrom;
          if (from === undefined || from >= batch.events.length) return;
          batch = this.#subBatch(batch, from, batch.events.length);
          attempt = 0;
          continue;
        }
        case 'retry': {
          await this.#retryWait(batch, verdict.reason, outcome, verdict.detail, attempt, drainPause, now);
          continue;
        }
        case 'split':
          if (batch.events.length === 1) return books.drop(1, verdict.reason);
          return this.#deliverHalves(batch);
        case 'reject': {
          books.drop(batch.events.length, verdict.reason);
          const hint = o.hint(outcome);
          books.log(
            verdict.reason,
            `drain ${o.id} rejected ${batch.events.length} records ${rejectionText(outcome, verdict.detail)}${hint ? `; ${hint}` : ''}`,
          );
          return;
        }
      }
    }
  }

  /** Counts a retry, says so (throttled), and waits: the drain's own pause when it has one, else backoff. */
  async #retryWait(
    batch: Batch,
    reason: string,
    outcome: Outcome,
    detail: string | undefined,
    attempt: number,
    drainPause: number | undefined,
    now: number,
  ): Promise<void> {
    this.#o.accounting.stats.retried += batch.events.length;
    const delay = drainPause !== undefined ? Math.max(0, drainPause - now) : backoffMs(attempt);
    // keyed apart from rejections: a retry notice must not suppress the final rejection and its hint
    this.#o.accounting.log(
      `retry:${reason}`,
      `drain ${this.#o.id} will retry ${batch.events.length} records in ${delay} ms (${outcomeText(outcome, detail)})`,
      'warn',
    );
    await sleep(delay, this.#o.stop);
  }

  /** Records the verdict's pauses; returns the end of the drain's own pause it asked for, if any. */
  #applyPauses(verdict: Verdict): number | undefined {
    if (verdict.pause === undefined) return undefined;
    let own: number | undefined;
    for (const p of verdict.pause) {
      if (p.scope === DRAIN_SCOPE) {
        own = Math.max(own ?? 0, p.until);
        this.#pausedUntil = Math.max(this.#pausedUntil, p.until);
      } else this.#o.pauses.pause(p.scope, p.until);
    }
    return own;
  }

  async #deliverHalves(batch: Batch): Promise<void> {
    const mid = Math.ceil(batch.events.length / 2);
    await this.deliver(this.#subBatch(batch, 0, mid));
    await this.deliver(this.#subBatch(batch, mid, batch.events.length));
  }

  #subBatch(batch: Batch, from: number, to: number): Batch {
    return this.#o.framing.batch(batch.events.slice(from, to), batch.records.slice(from, to));
  }
}
