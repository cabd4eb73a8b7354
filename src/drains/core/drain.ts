import { gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import { scrubSecrets } from '../../config/secret.js';
import { LogEvent } from '../../pipeline/event.js';
import { WARN } from '../../pipeline/levels.js';
import { defaultClassify, describeOutcome, outcomeText, rejectionText } from './classify.js';
import { DEFAULTS } from './defaults.js';
import { type DrainStats, emptyDrainStats } from './drain-stats.js';
import { EVENT_FIXED_BYTES, heldBytes } from './held-bytes.js';
import { HttpTransport } from './http-transport.js';
import { EventQueue } from './queue.js';
import { backoffMs, sleep } from './retry.js';
import type { Batch, DrainContext, DrainLimits, DrainSpec, Outcome, Transport, Verdict } from './types.js';

const TRUNCATION_MARKER_RESERVE = 40;

export interface DrainRuntimeOptions extends DrainContext {
  bufferBytes: number;
  batchWaitMs: number;
  logger: Logger;
  /** the process-wide sequence, so synthetic events get ids like every other */
  nextSeq: () => number;
  /** one observation per request: seconds and the outcome, for the latency histogram */
  onRequest?: (seconds: number, outcome: Outcome) => void;
  /** a batch settled (delivered, refused or dropped): its queue has room again (when_full=block) */
  onSettled?: () => void;
}

export interface CheckResult {
  ok: boolean;
  result: string;
  latencyMs: number;
  detail?: string;
  hint?: string;
}

/**
 * Everything a drain needs beyond its vendor file, written once: the byte-bounded queue, batching
 * on encoded bytes, compression, the send loop with retry / split / partial handling, drop
 * accounting with a notice, and a bounded final flush. One instance per enabled drain; drains
 * share nothing, so one that is stuck never delays another.
 */
export class Drain<C = unknown> {
  readonly id: string;
  readonly endpoint: string;
  readonly stats: DrainStats = emptyDrainStats();
  readonly #spec: DrainSpec<C>;
  readonly #cfg: C;
  readonly #opts: DrainRuntimeOptions;
  readonly #limits: Required<
    Pick<DrainLimits, 'maxBatchBytes' | 'maxBatchRecords' | 'maxRecordBytes' | 'concurrency'>
  > &
    DrainLimits;
  readonly #queue: EventQueue;
  readonly #transport: Transport;
  readonly #classify: (o: Outcome, c: C, b: Batch, attempt: number) => Verdict;
  /** the spec's admit gate, bound to its config; undefined when the spec has none (no per-line cost) */
  readonly #admit: ((ev: LogEvent, now: number) => string | null | undefined) | undefined;
  /** a spec's own framing (envelopes, blocks), which builds the body as text */
  readonly #frameText: ((records: readonly string[]) => string) | undefined;
  /** the spec's open/separator/close, when framing is plain concatenation (bytes written directly) */
  readonly #frameParts: { open: string; separator: string; close: string } | undefined;
  readonly #frameOverhead: number;
  readonly #separatorBytes: number;
  readonly #batchWaitMs: number;
  /** aborted at the flush deadline: cancels requests and backoff waits */
  readonly #hardStop = new AbortController();
  #inflight = 0;
  #inflightEvents = 0;
  /** queue cost (as `push` counts it) of the events in batches being sent or waiting to retry */
  #inflightBytes = 0;
  /** the `dropped` notice sent by the final flush, until a request carrying it is accepted */
  #finalNotice: LogEvent | undefined;
  #timer: NodeJS.Timeout | undefined;
  #flushDue = false;
  #closing = false;
  /** the head event's encoded record, kept when it did not fit the previous batch */
  #headRecord: string | undefined;
  #pausedUntil = 0;
  #unreportedDrops: Record<string, number> = {};
  #lastNoticeAt = 0;
  #idleWaiters: (() => void)[] = [];
  /** epoch ms of the last settled batch, or of the push that found the drain empty: its no-progress clock */
  #lastProgressAt = Date.now();
  #errorLog = new Map<string, { at: number; suppressed: number }>();

  constructor(spec: DrainSpec<C>, cfg: C, opts: DrainRuntimeOptions) {
    this.id = spec.id;
    this.#spec = spec;
    this.#cfg = cfg;
    this.#opts = opts;
    this.endpoint = spec.endpoint(cfg);
    const limits = spec.limits(cfg);
    this.#limits = { concurrency: DEFAULTS.concurrency, ...limits };
    this.#batchWaitMs = limits.batchWaitMs ?? opts.batchWaitMs;
    this.#queue = new EventQueue(opts.bufferBytes);
    this.#classify = spec.classify ?? defaultClassify;
    const admit = spec.admit?.bind(spec);
    this.#admit = admit ? (ev, now) => admit(ev, cfg, now) : undefined;
    const frame = spec.frame ?? { open: '[', separator: ',', close: ']' };
    if (typeof frame === 'function') {
      this.#frameParts = undefined;
      this.#frameText = (records) => frame(records, cfg);
      const overhead = spec.frameOverheadBytes;
      this.#frameOverhead = typeof overhead === 'function' ? overhead(cfg) : (overhead ?? 0);
      this.#separatorBytes = 1;
    } else {
      this.#frameParts = frame;
      this.#frameText = undefined;
      this.#frameOverhead = Buffer.byteLength(frame.open) + Buffer.byteLength(frame.close);
      this.#separatorBytes = Buffer.byteLength(frame.separator);
    }
    if (spec.transport) this.#transport = spec.transport(cfg, opts);
    else if (spec.request) {
      const request = spec.request.bind(spec);
      this.#transport = new HttpTransport({
        request: (payload, gz) => request(cfg, payload, gz),
        gzip: limits.gzip ?? false,
        connections: this.#limits.concurrency,
        timeoutMs: opts.requestTimeoutMs,
        ...spec.tls?.(cfg),
      });
    } else throw new Error(`drain ${spec.id} has neither request() nor transport()`);
  }

  /** Bytes of the events the drain holds: queued, being sent, or waiting to retry. */
  get queuedBytes(): number {
    return this.#queue.bytes + this.#inflightBytes;
  }

  /** Events the drain holds: queued, being sent, or waiting to retry. */
  get queuedEvents(): number {
    return this.#queue.length + this.#inflightEvents;
  }

  /** The queue bound (FORWARDER_BUFFER_BYTES), in the measure queuedBytes uses. */
  get maxBytes(): number {
    return this.#queue.maxBytes;
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
    return this.#queue.length + this.#inflightEvents;
  }

  /** Never blocks and never throws: the event is queued, possibly evicting the oldest ones (counted). */
  push(ev: LogEvent): void {
    if (this.#closing && this.#hardStop.signal.aborted) {
      this.#drop(1, 'flush_deadline');
      return;
    }
    if (this.#admit !== undefined && !this.#admitted(ev, Date.now())) return;
    if (this.#queue.length === 0 && this.#inflight === 0) this.#lastProgressAt = Date.now();
    const evicted = this.#queue.push(ev, heldBytes(ev));
    if (evicted > 0) {
      this.#headRecord = undefined;
      this.#drop(evicted, 'buffer_full');
    }
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
    if (this.#timer) clearTimeout(this.#timer);
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
    if (!this.#hardStop.signal.aborted && Object.keys(this.#unreportedDrops).length > 0) {
      this.#finalNotice = this.#noticeDrops(Date.now());
      await this.#idle();
    }
    clearTimeout(hard);
    if (this.#queue.length > 0) this.#drop(this.#drainQueue(), 'flush_deadline');
    if (this.stats.dropped.flush_deadline) this.stats.deadlineCut = true;
    if (this.#finalNotice !== undefined) this.stats.dropsNotNoticed += noticedCount(this.#finalNotice);
    for (const n of Object.values(this.#unreportedDrops)) this.stats.dropsNotNoticed += n;
    // Closing connections may hang on a wedged peer: it gets a moment, never the process.
    const closed = this.#transport.close().catch(() => undefined);
    await abortable(closed, AbortSignal.timeout(DEFAULTS.transportCloseMs)).catch(() => undefined);
  }

  /** `forwarder check`: one event straight through the transport, one attempt, no queue. */
  async check(ev: LogEvent): Promise<CheckResult> {
    const record = this.#encode(ev);
    const batch = this.#batch([ev], [record]);
    const started = performance.now();
    let outcome = await this.#attempt(
      batch,
      await this.#payload(batch),
      AbortSignal.timeout(this.#opts.requestTimeoutMs),
    );
    // A stream receiver says nothing back; one that refuses what it read closes the connection.
    if (outcome.kind === 'response' && this.#transport.settle)
      outcome = (await this.#transport.settle(DEFAULTS.checkSettleMs)) ?? outcome;
    const latencyMs = Math.round(performance.now() - started);
    const verdict = this.#verdict(outcome, batch, 1);
    const ok = verdict.action === 'ok';
    // One table row each: a multi-line vendor message or hint is folded onto one line.
    const detail = 'detail' in verdict && verdict.detail ? oneLine(scrubSecrets(verdict.detail)) : undefined;
    const hint = ok ? undefined : oneLine(this.#spec.hint?.(outcome, this.#cfg) ?? '') || undefined;
    return {
      ok,
      result: ok
        ? `accepted (${describeOutcome(outcome)})`
        : `${verdict.action}: ${describeOutcome(outcome)}`,
      latencyMs,
      ...(detail ? { detail } : {}),
      ...(hint ? { hint } : {}),
    };
  }

  #idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#isIdle()) resolve();
      else this.#idleWaiters.push(resolve);
    });
  }

  #isIdle(): boolean {
    return this.#inflight === 0 && (this.#queue.length === 0 || this.#hardStop.signal.aborted);
  }

  #pump(): void {
    const { maxBatchRecords, maxBatchBytes, concurrency } = this.#limits;
    while (this.#inflight < concurrency && this.#queue.length > 0) {
      if (this.#hardStop.signal.aborted) break;
      // A batch is full when the queued messages alone could fill it: their characters are a lower
      // bound of their encoded bytes, where the held bytes (with each event's fixed part) would
      // close a batch of long lines well short of the vendor's limit.
      const messageBytes = this.#queue.bytes - this.#queue.length * EVENT_FIXED_BYTES;
      const full = this.#queue.length >= maxBatchRecords || messageBytes >= maxBatchBytes;
      if (!full && !this.#flushDue && !this.#closing) {
        if (!this.#timer) {
          this.#timer = setTimeout(() => {
            this.#timer = undefined;
            this.#flushDue = true;
            this.#pump();
          }, this.#batchWaitMs);
        }
        return;
      }
      const batch = this.#takeBatch();
      if (this.#queue.length === 0) this.#flushDue = false;
      if (batch.events.length === 0) continue;
      let cost = 0;
      for (const ev of batch.events) cost += heldBytes(ev);
      this.#inflight++;
      this.#inflightEvents += batch.events.length;
      this.#inflightBytes += cost;
      this.#deliver(batch)
        .catch((err: unknown) => {
          this.#logError('internal', `drain ${this.id} failed to deliver a batch: ${String(err)}`);
          this.#drop(batch.events.length, 'internal_error');
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

  #takeBatch(): Batch {
    const { maxBatchRecords, maxBatchBytes } = this.#limits;
    const records: string[] = [];
    const events: LogEvent[] = [];
    let bytes = this.#frameOverhead;
    const now = this.#admit !== undefined ? Date.now() : 0;
    while (records.length < maxBatchRecords) {
      const ev = this.#queue.peek();
      if (ev === undefined) break;
      if (this.#admit !== undefined && !this.#admitted(ev, now)) {
        this.#queue.shift();
        this.#headRecord = undefined;
        continue;
      }
      const record = this.#headRecord ?? this.#encode(ev);
      const size = Buffer.byteLength(record) + (records.length > 0 ? this.#separatorBytes : 0);
      if (records.length > 0 && bytes + size > maxBatchBytes) {
        this.#headRecord = record;
        break;
      }
      this.#headRecord = undefined;
      this.#queue.shift();
      records.push(record);
      events.push(ev);
      bytes += size;
    }
    return this.#batch(events, records, bytes);
  }

  /** A batch with its body framed: as bytes written straight from the records where the framing allows. */
  #batch(events: readonly LogEvent[], records: readonly string[], knownBytes?: number): Batch {
    if (this.#frameParts === undefined)
      return new FramedBatch(events, records, undefined, this.#frameText!(records));
    return new FramedBatch(
      events,
      records,
      this.#frameBytes(this.#frameParts, records, knownBytes),
      undefined,
    );
  }

  /** open + records joined by separator + close, encoded once into one buffer (no joined string, no second copy). */
  #frameBytes(
    parts: { open: string; separator: string; close: string },
    records: readonly string[],
    knownBytes?: number,
  ): Buffer {
    let total = knownBytes;
    if (total === undefined) {
      total = this.#frameOverhead;
      for (let i = 0; i < records.length; i++)
        total += Buffer.byteLength(records[i]!) + (i > 0 ? this.#separatorBytes : 0);
    }
    const buf = Buffer.allocUnsafe(total);
    let off = buf.write(parts.open, 0);
    for (let i = 0; i < records.length; i++) {
      if (i > 0) off += buf.write(parts.separator, off);
      off += buf.write(records[i]!, off);
    }
    off += buf.write(parts.close, off);
    return off === total ? buf : buf.subarray(0, off);
  }

  /** Asks the spec's admit gate: false when the event is skipped (null) or dropped and counted (a reason). */
  #admitted(ev: LogEvent, now: number): boolean {
    const verdict = this.#admit!(ev, now);
    if (verdict === undefined) return true;
    if (verdict !== null) this.#drop(1, verdict);
    return false;
  }

  /** The batch without the events the admit gate now refuses (e.g. a rate limit announced meanwhile). */
  #readmit(batch: Batch): Batch {
    const now = Date.now();
    const keep: number[] = [];
    for (let i = 0; i < batch.events.length; i++) if (this.#admitted(batch.events[i]!, now)) keep.push(i);
    if (keep.length === batch.events.length) return batch;
    return this.#batch(
      keep.map((i) => batch.events[i]!),
      keep.map((i) => batch.records[i]!),
    );
  }

  /** Encodes one event; a record over the vendor's limit has its message cut with a visible marker. */
  #encode(ev: LogEvent): string {
    const record = this.#spec.encode(ev, this.#cfg, this.#opts);
    const max = this.#limits.maxRecordBytes;
    if (record.length * 3 <= max) return record;
    const bytes = Buffer.byteLength(record);
    if (bytes <= max) return record;
    this.stats.truncated++;
    const message = Buffer.from(ev.message);
    // Escaping may make the encoded message longer than the raw one; shrink until it fits.
    let keep = Math.max(0, message.length - (bytes - max) - TRUNCATION_MARKER_RESERVE);
    for (;;) {
      let cut = keep;
      while (cut > 0 && (message[cut]! & 0xc0) === 0x80) cut--;
      const text = `${message.subarray(0, cut).toString()}…[truncated ${message.length - cut} bytes]`;
      const smaller = new LogEvent(ev.timestamp, text, ev.level, ev.stream, ev.seq, ev.kind, ev.data);
      const out = this.#spec.encode(smaller, this.#cfg, this.#opts);
      const size = Buffer.byteLength(out);
      if (size <= max || cut === 0) return out;
      keep = Math.max(0, cut - (size - max) - 8);
    }
  }

  /**
   * Compression runs here, on the pipeline thread and at its low priority, not in libuv's pool
   * where it would compete with the app at normal priority; it costs ~1 ms per MiB at level 3
   * and measured faster end to end than the async form (bench workload 2).
   */
  async #payload(batch: Batch): Promise<Buffer> {
    const raw = batch.raw ?? Buffer.from(batch.body);
    return this.#limits.gzip ? gzipSync(raw, { level: DEFAULTS.gzipLevel }) : raw;
  }

  async #deliver(initial: Batch): Promise<void> {
    let batch = initial;
    let attempt = 0;
    const stop = this.#hardStop.signal;
    for (;;) {
      if (stop.aborted) return this.#drop(batch.events.length, 'flush_deadline');
      attempt++;
      const wait = this.#pausedUntil - Date.now();
      if (wait > 0) {
        await sleep(wait, stop);
        if (stop.aborted) return this.#drop(batch.events.length, 'flush_deadline');
      }
      if (this.#admit !== undefined && (attempt > 1 || wait > 0)) {
        batch = this.#readmit(batch);
        if (batch.events.length === 0) return;
      }
      const payload = await this.#payload(batch);
      const maxCompressed = this.#limits.maxCompressedBytes;
      if (maxCompressed !== undefined && payload.length > maxCompressed) {
        if (batch.events.length === 1) return this.#drop(1, 'too_large');
        return this.#deliverHalves(batch);
      }
      const started = performance.now();
      const outcome = await this.#attempt(batch, payload, stop);
      this.stats.requests++;
      this.#opts.onRequest?.((performance.now() - started) / 1000, outcome);
      if (stop.aborted && outcome.kind === 'error') return this.#drop(batch.events.length, 'flush_deadline');
      const verdict = this.#verdict(outcome, batch, attempt);
      switch (verdict.action) {
        case 'ok':
          this.stats.sentBytes += payload.length;
          if (this.#finalNotice !== undefined && batch.events.includes(this.#finalNotice))
            this.#finalNotice = undefined;
          return this.#delivered(batch.events.length);
        case 'partial': {
          if (verdict.accepted > 0) this.#delivered(verdict.accepted);
          if (verdict.rejected > 0) {
            if (verdict.rejectedReasons === undefined) this.#drop(verdict.rejected, verdict.reason);
            else for (const [reason, n] of Object.entries(verdict.rejectedReasons)) this.#drop(n, reason);
            const hint = this.#spec.hint?.(outcome, this.#cfg);
            this.#logError(
              verdict.reason,
              `drain ${this.id} rejected ${verdict.rejected} of ${batch.events.length} records (${verdict.reason})${verdict.detail ? `: ${verdict.detail}` : ''}${hint ? `; ${hint}` : ''}`,
            );
          }
          const retry = verdict.retry;
          if (retry !== undefined && retry.indices.length > 0) {
            this.stats.retried += retry.indices.length;
            const delay = retry.retryAfterMs ?? backoffMs(attempt);
            if (retry.retryAfterMs !== undefined)
              this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + delay);
            this.#logError(
              `retry:${retry.reason}`,
              `drain ${this.id} will retry ${retry.indices.length} of ${batch.events.length} records in ${delay} ms (${retry.reason}${retry.detail ? `: ${retry.detail}` : ''})`,
              'warn',
            );
            batch = this.#pick(batch, retry.indices);
            await sleep(delay, stop);
            continue;
          }
          const from = verdict.resendFrom;
          if (from === undefined || from >= batch.events.length) return;
          batch = this.#subBatch(batch, from, batch.events.length);
          attempt = 0;
          continue;
        }
        case 'retry': {
          this.stats.retried += batch.events.length;
          const delay = verdict.retryAfterMs ?? backoffMs(attempt);
          if (verdict.retryAfterMs !== undefined)
            this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + delay);
          // keyed apart from rejections: a retry notice must not suppress the final rejection and its hint
          this.#logError(
            `retry:${verdict.reason}`,
            `drain ${this.id} will retry ${batch.events.length} records in ${delay} ms (${outcomeText(outcome, verdict.detail)})`,
            'warn',
          );
          await sleep(delay, stop);
          continue;
        }
        case 'split':
          if (batch.events.length === 1) return this.#drop(1, verdict.reason);
          return this.#deliverHalves(batch);
        case 'reject': {
          this.#drop(batch.events.length, verdict.reason);
          const hint = this.#spec.hint?.(outcome, this.#cfg);
          this.#logError(
            verdict.reason,
            `drain ${this.id} rejected ${batch.events.length} records ${rejectionText(outcome, verdict.detail)}${hint ? `; ${hint}` : ''}`,
          );
          return;
        }
      }
    }
  }

  /**
   * One transport call that cannot throw: a transport bug or a library's odd error (a numeric
   * `code`, no code at all) still becomes a well-formed Outcome for classify.
   */
  async #attempt(batch: Batch, payload: Buffer, signal: AbortSignal): Promise<Outcome> {
    try {
      // A transport that ignores the abort (a wedged connection pool) must not hold the drain past it.
      const outcome = await abortable(this.#transport.send(batch, payload, signal), signal);
      if (outcome.kind === 'error' && typeof outcome.code !== 'string') {
        return {
          kind: 'error',
          error: outcome.error,
          code: String(outcome.code ?? outcome.error?.name ?? 'ERROR'),
        };
      }
      return outcome;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const code = (e as NodeJS.ErrnoException).code;
      return { kind: 'error', error: e, code: typeof code === 'string' ? code : e.name || 'ERROR' };
    }
  }

  /** The drain's classify, which reads vendor bodies; a surprise there is a rejection, not a crash. */
  #verdict(outcome: Outcome, batch: Batch, attempt: number): Verdict {
    try {
      return this.#classify(outcome, this.#cfg, batch, attempt);
    } catch (err) {
      return { action: 'reject', reason: 'unreadable_answer', detail: String(err) };
    }
  }

  async #deliverHalves(batch: Batch): Promise<void> {
    const mid = Math.ceil(batch.events.length / 2);
    await this.#deliver(this.#subBatch(batch, 0, mid));
    await this.#deliver(this.#subBatch(batch, mid, batch.events.length));
  }

  /** The records at `indices` (ascending) as a batch of their own. */
  #pick(batch: Batch, indices: readonly number[]): Batch {
    return this.#batch(
      indices.map((i) => batch.events[i]!),
      indices.map((i) => batch.records[i]!),
    );
  }

  #subBatch(batch: Batch, from: number, to: number): Batch {
    return this.#batch(batch.events.slice(from, to), batch.records.slice(from, to));
  }

  #delivered(n: number): void {
    this.stats.delivered += n;
    this.stats.lastSuccessAt = Date.now();
    this.#maybeNoticeDrops();
  }

  #drop(n: number, reason: string): void {
    if (n <= 0) return;
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + n;
    if (reason !== 'flush_deadline') this.#unreportedDrops[reason] = (this.#unreportedDrops[reason] ?? 0) + n;
  }

  #drainQueue(): number {
    let n = 0;
    while (this.#queue.shift() !== undefined) n++;
    this.#headRecord = undefined;
    return n;
  }

  /** After a recovery, one synthetic event says what was lost, so the gap is visible where people look. */
  #maybeNoticeDrops(): void {
    if (Object.keys(this.#unreportedDrops).length === 0 || this.#closing) return;
    const now = Date.now();
    if (now - this.#lastNoticeAt < DEFAULTS.dropNoticeIntervalMs) return;
    this.#noticeDrops(now);
  }

  /** Queues one `dropped` event saying what was lost since the last one. */
  #noticeDrops(now: number): LogEvent {
    const reasons = Object.entries(this.#unreportedDrops);
    this.#lastNoticeAt = now;
    this.#unreportedDrops = {};
    const total = reasons.reduce((sum, [, n]) => sum + n, 0);
    const text = `forwarder dropped ${total} events for drain ${this.id}: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`;
    const data = { drain: this.id, dropped: Object.fromEntries(reasons) };
    const notice = new LogEvent(now, text, WARN, 'forwarder', this.#opts.nextSeq(), 'dropped', data);
    this.push(notice);
    return notice;
  }

  /** The same problem is logged at most once per interval, with how many were suppressed. */
  #logError(key: string, message: string, level: 'warn' | 'error' = 'error'): void {
    const now = Date.now();
    const seen = this.#errorLog.get(key);
    if (seen && now - seen.at < DEFAULTS.errorLogIntervalMs) {
      seen.suppressed++;
      return;
    }
    const suffix = seen?.suppressed ? ` (${seen.suppressed} more like this since the last message)` : '';
    this.#errorLog.set(key, { at: now, suppressed: 0 });
    this.#opts.logger[level](oneLine(scrubSecrets(message + suffix)));
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** How many drops a `dropped` notice reports. */
function noticedCount(notice: LogEvent): number {
  const dropped = (notice.data as { dropped: Record<string, number> }).dropped;
  return Object.values(dropped).reduce((sum, n) => sum + n, 0);
}

/** `work`, or an AbortError as soon as `signal` fires, whichever comes first. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
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

/** A batch whose text body is made only if a transport asks for it (most send the bytes). */
class FramedBatch implements Batch {
  #body: string | undefined;
  constructor(
    readonly events: readonly LogEvent[],
    readonly records: readonly string[],
    readonly raw: Buffer | undefined,
    body: string | undefined,
  ) {
    this.#body = body;
  }

  get body(): string {
    this.#body ??= this.raw!.toString('utf8');
    return this.#body;
  }
}
