import type { LogEvent } from '../../pipeline/event.js';
import type { Framing } from './framing.js';
import { EVENT_FIXED_BYTES, heldBytes } from './held-bytes.js';
import { EventQueue } from './queue.js';
import type { Batch } from './types.js';

const TRUNCATION_MARKER_RESERVE = 40;

export interface BatcherOptions {
  /** the queue bound in held bytes (FORWARDER_BUFFER_BYTES) */
  bufferBytes: number;
  maxBatchRecords: number;
  /** a batch's size as the framing counts it */
  maxBatchBytes: number;
  /** one encoded record; a longer one has its message cut with a visible marker */
  maxRecordBytes: number;
  /** how long a batch that is not full waits for more (batch_wait) */
  batchWaitMs: number;
  framing: Framing;
  /** the spec's encoder, bound to its config */
  encode: (ev: LogEvent) => string;
  /** the admit gate, asked again as events are taken (a rate limit announced meanwhile); undefined = none */
  admitted?: (ev: LogEvent, now: number) => boolean;
  onTruncated: () => void;
  /** one of the drain's own `dropped` notices was evicted before it was sent */
  onNoticeEvicted?: (notice: LogEvent) => void;
  /** the age timer fired: a batch is due although not full */
  onDue: () => void;
}

/**
 * The queue → batches: closes a batch on count, encoded bytes or age, encodes each event once
 * (the head that did not fit is kept for the next batch) and truncates an over-long record.
 */
export class Batcher {
  readonly #o: BatcherOptions;
  readonly #queue: EventQueue;
  #timer: NodeJS.Timeout | undefined;
  #due = false;
  /** the head event's encoded record, kept when it did not fit the previous batch */
  #headRecord: string | undefined;

  readonly #onEvicted: ((ev: LogEvent) => void) | undefined;

  constructor(o: BatcherOptions) {
    this.#o = o;
    const onNotice = o.onNoticeEvicted;
    this.#onEvicted =
      onNotice === undefined
        ? undefined
        : (ev) => {
            if (ev.kind === 'dropped') onNotice(ev);
          };
    this.#queue = new EventQueue(o.bufferBytes);
  }

  get length(): number {
    return this.#queue.length;
  }

  /** held bytes of the queued events */
  get bytes(): number {
    return this.#queue.bytes;
  }

  get maxBytes(): number {
    return this.#queue.maxBytes;
  }

  /** Queues `ev`; returns how many of the oldest events were evicted (to be counted as buffer_full). */
  push(ev: LogEvent): number {
    const evicted = this.#queue.push(ev, heldBytes(ev), this.#onEvicted);
    if (evicted > 0) this.#headRecord = undefined;
    return evicted;
  }

  /**
   * A batch should be taken now: the queue could fill one, its age is up, or `flushing` (the final
   * flush sends what there is). Otherwise the age timer is armed and `onDue` will say when.
   */
  ready(flushing: boolean): boolean {
    if (this.#queue.length === 0) return false;
    // A batch is full when the queued messages alone could fill it: their characters are a lower
    // bound of their encoded bytes, where the held bytes (with each event's fixed part) would
    // close a batch of long lines well short of the vendor's limit.
    const messageBytes = this.#queue.bytes - this.#queue.length * EVENT_FIXED_BYTES;
    if (this.#queue.length >= this.#o.maxBatchRecords || messageBytes >= this.#o.maxBatchBytes) return true;
    if (this.#due || flushing) return true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#due = true;
      this.#o.onDue();
    }, this.#o.batchWaitMs);
    return false;
  }

  /** The input went quiet for batch_wait: what is queued is due now, as if its age were up. */
  dueNow(): void {
    if (this.#queue.length === 0) return;
    this.stopTimer();
    this.#due = true;
  }

  /** Stops the age timer (the final flush no longer waits for it). */
  stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The next batch, as many events as fit the count and byte limits (possibly none, if the gate refused them all). */
  take(): Batch {
    const { maxBatchRecords, maxBatchBytes, framing, admitted } = this.#o;
    const records: string[] = [];
    const events: LogEvent[] = [];
    let bytes = framing.fixedBytes;
    const now = admitted !== undefined ? Date.now() : 0;
    // plain framing: each record is written into the body as it is taken, which measures it too
    const body = framing.bodyWriter(maxBatchBytes, Math.min(this.#queue.length, maxBatchRecords));
    while (records.length < maxBatchRecords) {
      const ev = this.#queue.peek();
      if (ev === undefined) break;
      if (admitted !== undefined && !admitted(ev, now)) {
        this.#queue.shift();
        this.#headRecord = undefined;
        continue;
      }
      const record = this.#headRecord ?? this.encode(ev);
      const recordBytes = body !== undefined ? body.write(record, records.length) : Buffer.byteLength(record);
      const size = framing.recordCost(recordBytes, records.length);
      if (records.length > 0 && bytes + size > maxBatchBytes) {
        body?.undo();
        this.#headRecord = record;
        break;
      }
      this.#headRecord = undefined;
      this.#queue.shift();
      records.push(record);
      events.push(ev);
      bytes += size;
    }
    if (this.#queue.length === 0) this.#due = false;
    return framing.batch(events, records, bytes, body?.finish());
  }

  /** Empties the queue (the flush deadline); returns how many events it held. */
  clear(): number {
    let n = 0;
    while (this.#queue.shift() !== undefined) n++;
    this.#headRecord = undefined;
    return n;
  }

  /** Encodes one event; a record over the limit has its message cut with a visible marker. */
  encode(ev: LogEvent): string {
    const record = this.#o.encode(ev);
    const max = this.#o.maxRecordBytes;
    if (record.length * 3 <= max) return record;
    const bytes = Buffer.byteLength(record);
    if (bytes <= max) return record;
    this.#o.onTruncated();
    const message = Buffer.from(ev.message);
    // a text drain sends a structured line as written (ev.line): it is cut to the same budget
    const line = ev.line === undefined ? undefined : Buffer.from(ev.line);
    // the excess is shared between the texts that are cut (a drain may encode both)
    const texts = line === undefined ? 1 : 2;
    // Escaping may make the encoded message longer than the raw one; shrink until it fits.
    let keep = Math.max(
      0,
      Math.max(message.length, line?.length ?? 0) -
        Math.ceil((bytes - max) / texts) -
        TRUNCATION_MARKER_RESERVE,
    );
    for (;;) {
      // every other field (the structured parts included) is kept
      const smaller = ev.withMessage(cutText(message, keep));
      if (line !== undefined) smaller.line = cutText(line, keep);
      const out = this.#o.encode(smaller);
      const size = Buffer.byteLength(out);
      if (size <= max || keep === 0) return out;
      keep = Math.max(0, keep - Math.ceil((size - max) / texts) - 8);
    }
  }
}

/** The first `keep` bytes of `text` (never inside a UTF-8 sequence) and a marker saying how much went. */
function cutText(text: Buffer, keep: number): string {
  if (text.length <= keep) return text.toString();
  let cut = keep;
  while (cut > 0 && (text[cut]! & 0xc0) === 0x80) cut--;
  return `${text.subarray(0, cut).toString()}…[truncated ${text.length - cut} bytes]`;
}
