const LF = 0x0a;
const CR = 0x0d;

/**
 * Where a framer's lines go: methods of one object (the pipeline's lane or file source, classes),
 * not closures made per framer, so that every framer of a process calls one target (as GroupSink).
 */
export interface FrameSink {
  /** a line that is not whole within one chunk, or one cut at the cap (`droppedBytes` > 0) */
  line(line: Buffer, droppedBytes: number): void;
  /** a whole line within `chunk`, under the cap: its bytes are chunk[start..end) */
  span(chunk: Buffer, start: number, end: number): void;
}

/**
 * Splits a byte stream into lines without decoding it first: `indexOf(LF)` on Buffers and
 * `subarray` views, copying only the partial tail carried into the next chunk. A line longer than
 * `maxLineBytes` is cut at a UTF-8 boundary; the rest of it is consumed and counted, never taken
 * for a new line. LF and CRLF both end a line; a final line without LF is emitted by `end()`.
 * Empty lines are emitted too: inside a stack trace they belong to the group; the caller drops
 * the ones that stand alone.
 */
export class LineFramer {
  readonly #maxLineBytes: number;
  readonly #sink: FrameSink;
  /** the unterminated tail of the previous chunk(s), at most maxLineBytes (+1 for a pending CR) */
  #carry: Buffer | null = null;
  /** bytes of the current line beyond the cap, already discarded */
  #dropped = 0;
  /** the last discarded byte was a CR: if LF follows, it is the line's end, not a dropped byte */
  #droppedCr = false;

  /**
   * `sink` takes the lines: a function takes every line as a Buffer view (a test's or a tool's
   * framer); a FrameSink, the pipeline's, takes the lines that lie whole within one chunk and under
   * the cap (almost all of them) as the chunk and the line's bounds, so that a caller that only
   * decodes them makes no Buffer view per line (~45 ns and ~90 bytes for the collector each).
   */
  constructor(maxLineBytes: number, sink: FrameSink | ((line: Buffer, droppedBytes: number) => void)) {
    this.#maxLineBytes = maxLineBytes;
    this.#sink =
      typeof sink === 'function'
        ? { line: sink, span: (chunk, start, end) => sink(chunk.subarray(start, end), 0) }
        : sink;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(LF, 0);
    if (this.#carry !== null || this.#dropped > 0) {
      if (nl === -1) {
        this.#appendCarry(chunk);
        return;
      }
      this.#appendCarry(chunk.subarray(0, nl));
      this.#emitCarry(true);
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    const max = this.#maxLineBytes;
    while (nl !== -1) {
      let end = nl;
      if (end > start && chunk[end - 1] === CR) end--;
      if (end - start > max) {
        const cut = utf8Boundary(chunk, start, start + max);
        this.#sink.line(chunk.subarray(start, cut), end - cut);
      } else {
        this.#sink.span(chunk, start, end);
      }
      start = nl + 1;
      nl = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.#appendCarry(chunk.subarray(start));
  }

  /** End of input: the last line is shipped even without a newline. */
  end(): void {
    if (this.#carry !== null || this.#dropped > 0) this.#emitCarry(false);
  }

  /** Bytes were lost upstream (back-pressure drop): finish the current line as cut. */
  gap(lostBytes: number): void {
    if (this.#carry !== null || this.#dropped > 0) {
      this.#dropped += lostBytes;
      this.#droppedCr = false;
      this.#emitCarry(false);
    }
  }

  #appendCarry(part: Buffer): void {
    const have = this.#carry === null ? 0 : this.#carry.length;
    // Keep one byte past the cap so a CR that turns out to be part of CRLF is not counted as dropped.
    const room = this.#maxLineBytes + 1 - have;
    if (room <= 0) {
      this.#drop(part);
      return;
    }
    const take = part.length <= room ? part : part.subarray(0, room);
    if (take.length < part.length) this.#drop(part.subarray(take.length));
    this.#carry = this.#carry === null ? Buffer.from(take) : Buffer.concat([this.#carry, take]);
  }

  #drop(part: Buffer): void {
    if (part.length === 0) return;
    this.#dropped += part.length;
    this.#droppedCr = part[part.length - 1] === CR;
  }

  /** `terminated`: an LF ended the line, so it is emitted even when empty (as within a chunk). */
  #emitCarry(terminated: boolean): void {
    let line = this.#carry ?? Buffer.alloc(0);
    let dropped = this.#dropped;
    this.#carry = null;
    this.#dropped = 0;
    if (dropped > 0) {
      if (this.#droppedCr) dropped--;
    } else if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    this.#droppedCr = false;
    if (line.length > this.#maxLineBytes) {
      const cut = utf8Boundary(line, 0, this.#maxLineBytes);
      dropped += line.length - cut;
      line = line.subarray(0, cut);
    }
    if (line.length > 0 || dropped > 0 || terminated) this.#sink.line(line, dropped);
  }
}

/** The largest index ≤ `cut` that does not split a UTF-8 sequence (backs over continuation bytes). */
export function utf8Boundary(buf: Buffer, start: number, cut: number): number {
  let i = cut;
  while (i > start && i > cut - 4 && (buf[i]! & 0xc0) === 0x80) i--;
  return i === start ? cut : i;
}
