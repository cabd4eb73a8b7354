import type { LogEvent } from '../../pipeline/event.js';
import type { Logger } from '../../telemetry/logger.js';
import { Accounting } from './accounting.js';
import { Batcher } from './batcher.js';
import { type CheckResult, checkOnce } from './check.js';
import { defaultClassify } from './classify.js';
import { DEFAULTS } from './defaults.js';
import type { DrainStats } from './drain-stats.js';
import { Framing } from './framing.js';
import { heldBytes } from './held-bytes.js';
import { HttpTransport } from './http-transport.js';
import { PauseBoard } from './pause-board.js';
import { RetryingSender } from './retrying-sender.js';
import { Sender } from './sender.js';
import type { Batch, DrainContext, DrainSpec, Outcome, Transport, Verdict } from './types.js';

export type { CheckResult } from './check.js';

export interface DrainRuntimeOptions extends DrainContext {
  bufferBytes: number;
  batchWaitMs: number;
  logger: Logger;
  /** the process-wide sequence, so synthetic events get ids like every other */
  nextSeq: () => number;
  /** the pipeline's named pauses (vendor rate limits), shared by its drains; a board of its own when absent */
  pauses?: PauseBoard;
  /** one observation per request: seconds and the outcome, for the latency histogram */
  onRequest?: (seconds: number, outcome: Outcome) => void;
  /** a batch settled (delivered, refused or dropped): its queue has room again (when_full=block) */
  onSettled?: () => void;
}

/**
 * One enabled drain: the stages a spec's pure parts are plugged into — batcher (queue → batches),
 * framing, sender (one attempt), retrying sender (backoff, pauses, split, partial) and accounting
 * (stats, drops, notices, throttled logs) — plus a bounded final flush. Drains share nothing but
 * the pause board, so one that is stuck never delays another.
 */
export class Drain<C = unknown, P = Buffer> {
  readonly id: string;
  readonly endpoint: string;
  readonly #spec: DrainSpec<C, P>;
  readonly #cfg: C;
  readonly #opts: DrainRuntimeOptions;
  readonly #concurrency: number;
  readonly #books: Accounting;
  readonly #framing: Framing<C>;
  readonly #batcher: Batcher;
  readonly #sender: Sender<P>;
  readonly #retrying: RetryingSender<P>;
  readonly #classify: (o: Outcome, c: C, b: Batch, attempt: number, now: number) => Verdict;
  /** the admit gate (spec's admit + named pauses) ; undefined when there is none (no per-line cost) */
  readonly #gate: ((ev: LogEvent, now: number) => string | null | undefined) | undefined;
  /** aborted at the flush deadline: cancels requests and backoff waits */
  readonly #hardStop = new AbortController();
  #inflight = 0;
  #inflightEvents = 0;
  /** queue cost (as `push` counts it) of the events in batches being sent or waiting to retry */
  #inflightBytes = 0;
  /** the `dropped` notice sent by the final flush, until a request carrying it is accepted */
  #finalNotice: LogEvent | undefined;
  #closing = false;
  readonly #batchWaitMs: number;
  #idleWaiters: (() => void)[] = [];
  /** epoch ms of the last settled batch, or of the push that found the drain empty: its no-progress clock */
  #lastProgressAt = Date.now();

  constructor(spec: DrainSpec<C, P>, cfg: C, opts: DrainRuntimeOptions) {
    this.id = spec.id;
    this.#spec = spec;
    this.#cfg = cfg;
    this.#opts = opts;
    this.endpoint = spec.endpoint(cfg);
    const limits = spec.limits(cfg);
    this.#batchWaitMs = limits.batchWaitMs ?? opts.batchWaitMs;
    this.#concurrency = limits.concurrency ?? DEFAULTS.concurrency;
    this.#books = new Accounting(spec.id, opts.logger);
    this.#classify =
      spec.classify?.bind(spec) ?? ((o, _c, b, _a, now) => defaultClassify(o, b.events.length, now));
    this.#gate = gateOf(spec, cfg, opts.pauses ?? new PauseBoard());
    const admitted =
      this.#gate !== undefined ? (ev: LogEvent, now: number) => this.#admitted(ev, now) : undefined;
    this.#framing = new Framing<C>(spec, cfg);
    const encode = spec.encode.bind(spec);
    this.#batcher = new Batcher({
      bufferBytes: opts.bufferBytes,
      maxBatchRecords: limits.maxBatchRecords,
      maxBatchBytes: limits.maxBatchBytes,
      maxRecordBytes: limits.maxRecordBytes,
      batchWaitMs: this.#batchWaitMs,
      framing: this.#framing,
      encode: (ev) => encode(ev, cfg, opts),
      ...(admitted ? { admitted } : {}),
      onTruncated: () => this.#books.stats.truncated++,
      // A notice pushed out by newer lines has told nobody: its drops are told by the next one.
      onNoticeEvicted: (notice) => {
        this.#books.untell(notice);
        if (notice === this.#finalNotice) this.#finalNotice = undefined;
      },
      onDue: () => this.#pump(),
    });
    const payload = spec.payload?.bind(spec);
    this.#sender = new Sender<P>({
      transport: this.#transport(limits.gzip ?? false),
      gzip: limits.gzip ?? false,
      ...(payload ? { payload: (batch: Batch) => payload(batch, cfg) } : {}),
    });
    this.#retrying = new RetryingSender<P>({
      id: spec.id,
      sender: this.#sender,
      framing: this.#framing,
      accounting: this.#books,
      pauses: opts.pauses ?? new PauseBoard(),
      verdict: (o, b, attempt, now) => this.#verdict(o, b, attempt, now),
      hint: (o) => spec.hint?.(o, cfg),
      ...(admitted ? { readmit: (b: Batch) => this.#readmit(b) } : {}),
      ...(limits.maxCompressedBytes !== undefined ? { maxCompressedBytes: limits.maxCompressedBytes } : {}),
      stop: this.#hardStop.signal,
      ...(opts.onRequest ? { onRequest: opts.onRequest } : {}),
      onDelivered: (batch, n) => this.#delivered(batch, n),
    });
  }

  #transport(gzip: boolean): Transport<P> {
    const spec = this.#spec;
    if (spec.transport) return spec.transport(this.#cfg, this.#opts);
    if (spec.request) {
      const request = spec.request.bind(spec);
      const cfg = this.#cfg;
      return new HttpTransport({
        request: (payload, gz) => request(cfg, payload, gz),
        gzip,
        connections: this.#concurrency,
        timeoutMs: this.#opts.requestTimeoutMs,
        ...spec.tls?.(cfg),
      }) as unknown as Transport<P>;
    }
    throw new Error(`drain ${spec.id} has neither request() nor transport()`);
  }

  /**
   * The identity's attributes changed (the pod's labels / annotations, README "Kubernetes"): `fresh`
   * is the spec's configure() run again, and the parts it built from the identity (its
   * `identityParts`: a record's tail, an envelope, a resource) are taken from it, once, here; no
   * line checks anything. Records already encoded keep the text they were encoded with.
   */
  reconfigure(fresh: C): void {
    const parts = this.#spec.identityParts;
    if (!parts) return;
    for (const k of parts) this.#cfg[k] = fresh[k];
    this.#framing.resize(this.#spec, this.#cfg);
  }

  /** Whether the drain sends the identity's attributes, and so takes a change of them (reconfigure). */
  get sendsAttributes(): boolean {
    return this.#spec.identityParts !== undefined;
  }

  get stats(): DrainStats {
    return this.#books.stats;
  }

  /** Bytes of the events the drain holds: queued, being sent, or waiting to retry. */
  get queuedBytes(): number {
    return this.#batcher.bytes + this.#inflightBytes;
  }

  /** Events the drain holds: queued, being sent, or waiting to retry. */
  get queuedEvents(): number {
    return this.#batcher.length + this.#inflightEvents;
  }

  /** The queue bound (FORWARDER_BUFFER_BYTES), in the measure queuedBytes uses. */
  get maxBytes(): number {
    return this.#batcher.maxBytes;
  }

  /**
   * The drain holds events and has settled no batch for `ms`: under block it no longer holds
   * the input back (its queue drops, counted, until it moves again).
   */
  stalled(now: number, ms: number): boolean {
    return this.pendingEvents > 0 && now - this.#lastProgressAt >= ms;
  }

  get inflight(): number {
    return this.#inflight;
  }

  /** Events queued or in a batch not yet settled (being sent, or waiting to retry). */
  get pendingEvents(): number {
    return this.#batcher.length + this.#inflightEvents;
  }

  /** Never blocks and never throws: the event is queued, possibly evicting the oldest ones (counted). */
  push(ev: LogEvent): void {
    if (this.#closing && this.#hardStop.signal.aborted) {
      this.#books.drop(1, 'flush_deadline');
      return;
    }
    if (this.#gate !== undefined && !this.#admitted(ev, Date.now())) return;
    if (this.#batcher.length === 0 && this.#inflight === 0) this.#lastProgressAt = Date.now();
    const evicted = this.#batcher.push(ev);
    if (evicted > 0) this.#books.drop(evicted, 'buffer_full');
    this.#pump();
  }

  /**
   * The input had been quiet for `quietMs` when it was last read to its end (tail): a batch waiting
   * to fill goes now if batch_wait has already passed since the newest line was written.
   */
  inputQuiet(quietMs: number): void {
    if (quietMs < this.#batchWaitMs) return;
    this.#batcher.dueNow();
    this.#pump();
  }

  /**
   * Final flush: sends everything queued without waiting for batch timers, until `deadlineAt`
   * (epoch ms). With `noProgressMs` (when_full=block), the deadline bounds only a drain that makes
   * no progress: it is stopped once no batch has settled for that long, counted from the later of
   * the close and its last progress; a drain still delivering goes on.
   */
  async close(deadlineAt: number, noProgressMs?: number): Promise<void> {
    this.#closing = true;
    this.#batcher.stopTimer();
    const closedAt = Date.now();
    let hard: NodeJS.Timeout | undefined;
    const arm = (): void => {
      const due =
        noProgressMs === undefined ? deadlineAt : Math.max(closedAt, this.#lastProgressAt) + noProgressMs;
      const wait = due - Date.now();
      if (wait <= 0) this.#hardStop.abort();
      else hard = setTimeout(arm, wait);
    };
    arm();
    this.#pump();
    await this.#idle();
    // Drops during the final flush (rejections, a full queue) are told to the destination too.
    if (!this.#hardStop.signal.aborted && this.#books.hasUnreported) {
      this.#finalNotice = this.#noticeDrops(Date.now());
      await this.#idle();
    }
    clearTimeout(hard);
    if (this.#batcher.length > 0) this.#books.drop(this.#batcher.clear(), 'flush_deadline');
    this.#books.closeBooks(this.#finalNotice);
    await this.#sender.close();
  }

  /** `forwarder check`: one event straight through the transport, one attempt, no queue. */
  check(ev: LogEvent): Promise<CheckResult> {
    const batch = this.#framing.batch([ev], [this.#batcher.encode(ev)]);
    return checkOnce(
      batch,
      this.#sender,
      (o) => this.#verdict(o, batch, 1, Date.now()),
      (o) => this.#spec.hint?.(o, this.#cfg),
      this.#opts.requestTimeoutMs,
    );
  }

  #idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#isIdle()) resolve();
      else this.#idleWaiters.push(resolve);
    });
  }

  #isIdle(): boolean {
    return this.#inflight === 0 && (this.#batcher.length === 0 || this.#hardStop.signal.aborted);
  }

  #pump(): void {
    while (this.#inflight < this.#concurrency && !this.#hardStop.signal.aborted) {
      if (!this.#batcher.ready(this.#closing)) break;
      const batch = this.#batcher.take();
      if (batch.events.length === 0) continue;
      let cost = 0;
      for (const ev of batch.events) cost += heldBytes(ev);
      this.#inflight++;
      this.#inflightEvents += batch.events.length;
      this.#inflightBytes += cost;
      this.#retrying
        .deliver(batch)
        .catch((err: unknown) => {
          this.#books.log('internal', `drain ${this.id} failed to deliver a batch: ${String(err)}`);
          this.#books.drop(batch.events.length, 'internal_error');
        })
        .finally(() => {
          this.#lastProgressAt = Date.now();
          this.#inflight--;
          this.#inflightEvents -= batch.events.length;
          this.#inflightBytes -= cost;
          this.#pump();
          this.#opts.onSettled?.();
          if (this.#isIdle()) for (const w of this.#idleWaiters.splice(0)) w();
        });
    }
    if (this.#isIdle()) for (const w of this.#idleWaiters.splice(0)) w();
  }

  /** Asks the gate: false when the event is skipped (null) or dropped and counted (a reason). */
  #admitted(ev: LogEvent, now: number): boolean {
    const verdict = this.#gate!(ev, now);
    if (verdict === undefined) return true;
    if (verdict !== null) this.#books.drop(1, verdict);
    return false;
  }

  /** The batch without the events the gate now refuses (e.g. a rate limit announced meanwhile). */
  #readmit(batch: Batch): Batch {
    const now = Date.now();
    const keep: number[] = [];
    for (let i = 0; i < batch.events.length; i++) if (this.#admitted(batch.events[i]!, now)) keep.push(i);
    if (keep.length === batch.events.length) return batch;
    return this.#framing.batch(
      keep.map((i) => batch.events[i]!),
      keep.map((i) => batch.records[i]!),
    );
  }

  /** The drain's classify, which reads vendor bodies; a surprise there is a rejection, not a crash. */
  #verdict(outcome: Outcome, batch: Batch, attempt: number, now: number): Verdict {
    try {
      return this.#classify(outcome, this.#cfg, batch, attempt, now);
    } catch (err) {
      return { action: 'reject', reason: 'unreadable_answer', detail: String(err) };
    }
  }

  #delivered(batch: Batch, n: number): void {
    if (
      this.#finalNotice !== undefined &&
      n === batch.events.length &&
      batch.events.includes(this.#finalNotice)
    )
      this.#finalNotice = undefined;
    this.#books.delivered(n);
    // After a recovery, one synthetic event says what was lost, so the gap is visible where people look.
    if (!this.#closing && this.#books.noticeDue(Date.now())) this.#noticeDrops(Date.now());
  }

  /** Queues one `dropped` event saying what was lost since the last one. */
  #noticeDrops(now: number): LogEvent {
    const notice = this.#books.takeNotice(now, this.#opts.nextSeq());
    this.push(notice);
    return notice;
  }
}

/**
 * The admit gate: the spec's own (a filter, a vendor rule) and the named pauses it obeys (rate
 * limits by category: data for a paused scope is dropped as `rate_limited`). undefined when the
 * drain has neither, so pushing costs nothing extra.
 */
function gateOf<C, P>(
  spec: DrainSpec<C, P>,
  cfg: C,
  board: PauseBoard,
): ((ev: LogEvent, now: number) => string | null | undefined) | undefined {
  const admit = spec.admit?.bind(spec);
  const scopes = spec.pauseScopes?.(cfg) ?? [];
  if (scopes.length === 0) return admit ? (ev, now) => admit(ev, cfg, now) : undefined;
  let seen = -1;
  let until = 0;
  return (ev, now) => {
    const own = admit?.(ev, cfg, now);
    if (own !== undefined) return own;
    if (board.version !== seen) {
      seen = board.version;
      until = board.until(scopes);
    }
    return now < until ? 'rate_limited' : undefined;
  };
}
