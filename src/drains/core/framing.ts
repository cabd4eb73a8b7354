import type { LogEvent } from '../../pipeline/event.js';
import type { Batch, DrainSpec } from './types.js';

/**
 * Records → a batch's body, and what each record costs in it: plain concatenation
 * (open/separator/close, written straight into one buffer), a spec's own text framing (envelopes,
 * blocks), or none at all for a typed payload (the size the vendor counts per record).
 */
export class Framing<C = unknown> {
  /** bytes the body holds beyond its records (open + close, a spec's envelope bound); see resize */
  fixedBytes: number;
  /** bytes between two records */
  readonly separatorBytes: number;
  /** bytes the vendor counts per record beyond the record itself (typed payloads) */
  readonly perRecordBytes: number;
  readonly #parts: { open: string; separator: string; close: string } | undefined;
  readonly #text: ((records: readonly string[]) => string) | undefined;
  /** a batch's counted size is its framed body's exact size (plain framing) */
  readonly #exact: boolean;

  constructor(
    spec: Pick<DrainSpec<C, unknown>, 'frame' | 'frameOverheadBytes' | 'payload' | 'recordOverheadBytes'>,
    cfg: C,
  ) {
    const overhead = spec.frameOverheadBytes;
    const declaredOverhead = typeof overhead === 'function' ? overhead(cfg) : (overhead ?? 0);
    this.perRecordBytes = 0;
    if (spec.payload !== undefined) {
      this.#parts = { open: '', separator: '\n', close: '' };
      this.#text = undefined;
      this.fixedBytes = declaredOverhead;
      this.separatorBytes = 0;
      this.perRecordBytes = spec.recordOverheadBytes ?? 0;
      this.#exact = false;
      return;
    }
    const frame = spec.frame ?? { open: '[', separator: ',', close: ']' };
    if (typeof frame === 'function') {
      this.#parts = undefined;
      this.#text = (records) => frame(records, cfg);
      this.fixedBytes = declaredOverhead;
      this.separatorBytes = 1;
      this.#exact = false;
    } else {
      this.#parts = frame;
      this.#text = undefined;
      this.fixedBytes = Buffer.byteLength(frame.open) + Buffer.byteLength(frame.close);
      this.separatorBytes = Buffer.byteLength(frame.separator);
      this.#exact = true;
    }
  }

  /**
   * The config's identity parts were rebuilt (the pod's labels changed): a spec whose envelope
   * depends on its config (New Relic's `common`, OTLP's resource) declares a new bound.
   */
  resize(spec: Pick<DrainSpec<C, unknown>, 'frameOverheadBytes'>, cfg: C): void {
    const overhead = spec.frameOverheadBytes;
    if (typeof overhead === 'function') this.fixedBytes = overhead(cfg);
  }

  /** What the `index`th record of a batch adds to it. */
  recordCost(recordBytes: number, index: number): number {
    return recordBytes + this.perRecordBytes + (index > 0 ? this.separatorBytes : 0);
  }

  /**
   * A batch of these records; `bytes` is their size as `recordCost` counts it, when the caller knows
   * it; `raw`, their framed body when the caller wrote it already (a BodyWriter's).
   */
  batch(events: readonly LogEvent[], records: readonly string[], bytes?: number, raw?: Buffer): Batch {
    let size = bytes;
    if (size === undefined) {
      size = this.fixedBytes;
      for (let i = 0; i < records.length; i++) size += this.recordCost(Buffer.byteLength(records[i]!), i);
    }
    return new FramedBatch(events, records, size, this.#parts, this.#text, this.#exact, raw);
  }

  /**
   * Plain framing (the body is the records as they are, nothing counted per record): a writer of
   * the body at most `maxBytes` long, for about `expected` records; undefined for other framings.
   */
  bodyWriter(maxBytes: number, expected: number): BodyWriter | undefined {
    if (!this.#exact || this.#parts === undefined) return undefined;
    return new BodyWriter(this.#parts, this.separatorBytes, maxBytes, expected);
  }
}

/**
 * A plain-framed body written record by record as the batcher takes them: writing a record into
 * the body is what measures it, where measuring it first (Buffer.byteLength) and copying it later
 * went over its text twice, each time through a call into C++ (V8 joins a record made of pieces
 * into one string on the first of them). A record the body has no room for within its bound is
 * measured only, and left for the next batch.
 */
export class BodyWriter {
  readonly #parts: { open: string; separator: string; close: string };
  readonly #separatorBytes: number;
  readonly #closeBytes: number;
  readonly #maxBytes: number;
  readonly #expected: number;
  #buf: Buffer = EMPTY;
  #off = 0;
  /** where the last record (with its separator) began: undo() goes back there */
  #mark = 0;

  constructor(
    parts: { open: string; separator: string; close: string },
    separatorBytes: number,
    maxBytes: number,
    expected: number,
  ) {
    this.#parts = parts;
    this.#separatorBytes = separatorBytes;
    this.#closeBytes = Buffer.byteLength(parts.close);
    this.#maxBytes = maxBytes;
    this.#expected = Math.max(1, expected);
  }

  /**
   * Writes the `index`th record of the batch (after a separator when index > 0) and returns its
   * bytes. A record that would take the body past the bound is measured and not written (index > 0;
   * the first record is always written): the caller refuses it.
   */
  write(record: string, index: number): number {
    if (this.#buf === EMPTY) this.#open(record.length);
    const sep = index > 0 ? this.#separatorBytes : 0;
    this.#mark = this.#off;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: with that much room the record is written blind
    if (this.#off + sep + 3 * record.length + this.#closeBytes > this.#buf.length) {
      const n = Buffer.byteLength(record);
      const end = this.#off + sep + n + this.#closeBytes;
      if (index > 0 && end > this.#maxBytes) return n;
      if (end > this.#buf.length) this.#grow(end);
    }
    if (sep > 0) this.#off += this.#buf.write(this.#parts.separator, this.#off);
    const n = this.#buf.write(record, this.#off);
    this.#off += n;
    return n;
  }

  /** The last record written is taken back (the caller refused it). */
  undo(): void {
    this.#off = this.#mark;
  }

  /** The body: what was written, closed. */
  finish(): Buffer {
    if (this.#buf === EMPTY) this.#open(0);
    this.#off += this.#buf.write(this.#parts.close, this.#off);
    // a batch cut well short of its room (the age timer, the final flush) does not pin the rest
    if (this.#off * 2 < this.#buf.length) return Buffer.from(this.#buf.subarray(0, this.#off));
    return this.#buf.subarray(0, this.#off);
  }

  /** Room for about the expected records, each the size of the first, within the bound. */
  #open(firstChars: number): void {
    const open = Buffer.byteLength(this.#parts.open);
    const guess = open + this.#expected * (firstChars + this.#separatorBytes) * 1.25 + this.#closeBytes;
    this.#buf = Buffer.allocUnsafe(Math.ceil(Math.min(this.#maxBytes, Math.max(guess, MIN_BODY_BYTES))));
    this.#off = this.#buf.write(this.#parts.open, 0);
  }

  #grow(atLeast: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(atLeast, Math.min(this.#maxBytes, this.#buf.length * 2)));
    this.#buf.copy(bigger, 0, 0, this.#off);
    this.#buf = bigger;
  }
}

const EMPTY = Buffer.alloc(0);
/** the smallest body a writer starts with (a batch of a few lines) */
const MIN_BODY_BYTES = 4096;

/** A batch whose body is built on first use, as bytes or text, whichever the sender asks for first. */
class FramedBatch implements Batch {
  #raw: Buffer | undefined;
  #body: string | undefined;
  constructor(
    readonly events: readonly LogEvent[],
    readonly records: readonly string[],
    readonly bytes: number,
    readonly parts: { open: string; separator: string; close: string } | undefined,
    readonly text: ((records: readonly string[]) => string) | undefined,
    /** `bytes` is the framed body's exact size (plain framing, nothing counted per record) */
    readonly exact: boolean,
    /** the body, when it was written as the records were taken */
    raw: Buffer | undefined,
  ) {
    this.#raw = raw;
  }

  get raw(): Buffer {
    if (this.#raw === undefined) {
      this.#raw =
        this.parts !== undefined
          ? frameBytes(this.parts, this.records, this.exact ? this.bytes : undefined)
          : Buffer.from(this.body);
    }
    return this.#raw;
  }

  get body(): string {
    if (this.#body === undefined) {
      this.#body = this.text !== undefined ? this.text(this.records) : this.raw.toString('utf8');
    }
    return this.#body;
  }
}

/**
 * open + records joined by separator + close, encoded once into one buffer (no joined string, no
 * second copy); `total` is the exact size when known (plain framing), else it is counted here.
 */
function frameBytes(
  parts: { open: string; separator: string; close: string },
  records: readonly string[],
  total: number | undefined,
): Buffer {
  let size = total;
  if (size === undefined) {
    size = Buffer.byteLength(parts.open) + Buffer.byteLength(parts.close);
    const sep = Buffer.byteLength(parts.separator);
    for (let i = 0; i < records.length; i++) size += Buffer.byteLength(records[i]!) + (i > 0 ? sep : 0);
  }
  const buf = Buffer.allocUnsafe(size);
  let off = buf.write(parts.open, 0);
  for (let i = 0; i < records.length; i++) {
    if (i > 0) off += buf.write(parts.separator, off);
    off += buf.write(records[i]!, off);
  }
  off += buf.write(parts.close, off);
  return off === size ? buf : buf.subarray(0, off);
}
