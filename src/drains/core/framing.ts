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

  /** A batch of these records; `bytes` is their size as `recordCost` counts it, when the caller knows it. */
  batch(events: readonly LogEvent[], records: readonly string[], bytes?: number): Batch {
    let size = bytes;
    if (size === undefined) {
      size = this.fixedBytes;
      for (let i = 0; i < records.length; i++) size += this.recordCost(Buffer.byteLength(records[i]!), i);
    }
    return new FramedBatch(events, records, size, this.#parts, this.#text, this.#exact);
  }
}

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
  ) {}

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
