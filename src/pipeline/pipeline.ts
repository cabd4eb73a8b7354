import { scrubSecrets } from '../config/secret.js';
import {
  type ContainerFormat,
  ContainerRecord,
  detectFormat,
  mayBeRecord,
  PartialJoiner,
  parseCri,
  parseDockerJson,
  type TailFormat,
} from './container-format.js';
import { decodeLine, decodeSpan } from './decode.js';
import { LogEvent } from './event.js';
import { LevelDetector } from './formats/detect.js';
import { HEADER_TIME_END_MASK, HEADER_TIME_END_SHIFT, NO_LEVEL_FOUND } from './formats/lexer.js';
import { type FrameSink, LineFramer, utf8Boundary } from './framer.js';
import { ERROR, INFO, NO_LEVEL } from './levels.js';
import { type GroupSink, MultilineGrouper } from './multiline.js';
import {
  DEFAULT_STRUCTURED_MAX_BYTES,
  emptyStructuredStats,
  StructuredReader,
  type StructuredStats,
} from './structured/reader.js';

export interface PipelineOptions {
  maxLineBytes: number;
  multiline: { enabled: boolean; timeoutMs: number; maxBytes: number; maxLines: number };
  /** level for a line that carries none, per stream name (stdout, stderr); others get info */
  defaultLevels: Readonly<Record<string, number>>;
  /**
   * how the bytes given to write() are written (pipe --format): plain lines (the default), or a
   * container runtime's records (CRI, docker json-file) whose pieces are joined and whose own stream
   * and time are used; auto decides from the first line
   */
  inputFormat?: TailFormat;
  /**
   * JSON and logfmt lines give the event its message, fields, time, trace ids and error (README
   * "Structured events"); off: every line is text. Default on, lines up to 64 KiB.
   */
  structured?: { enabled: boolean; maxBytes: number };
}

export interface StreamStats {
  lines: number;
  bytes: number;
  /** events shipped, by level: index = level / 10 (trace = 1 … fatal = 6) */
  levels: number[];
}

export interface PipelineStats {
  streams: Record<string, StreamStats>;
  /** lines cut at max_line_bytes */
  truncatedLines: number;
  /** multi-line groups closed by the size or line cap */
  cappedGroups: number;
  /** bytes lost before framing because the pipeline fell behind (see supervisor backlog) */
  backlogDroppedBytes: number;
  events: number;
  /** what reading JSON / logfmt lines did and cut */
  structured: StructuredStats;
}

/**
 * One lane per stream: framing → decoding → level → grouping. Lanes never share state, so the
 * two streams are never merged into one event. A file's lanes (one per stream of the file) are fed
 * framed and decoded records by their FileSource instead of framing themselves.
 */
class Lane implements FrameSink, GroupSink {
  readonly framer: LineFramer;
  readonly grouper: MultilineGrouper | null;
  /** read time of the chunk being framed: every line of a chunk shares it (no clock call per line) */
  chunkTs = 0;
  /** when that chunk was read: the grouper's timeout clock (a container record's time is the line's own, chunkTs) */
  readAt = 0;

  constructor(
    readonly stream: string,
    readonly defaultLevel: number,
    readonly pipeline: Pipeline,
    opts: PipelineOptions,
    readonly stats: StreamStats,
  ) {
    // the lane is its framer's and grouper's sink (methods, not closures: framer.ts FrameSink)
    this.framer = new LineFramer(opts.maxLineBytes, this);
    const ml = opts.multiline;
    this.grouper = ml.enabled
      ? new MultilineGrouper({ timeoutMs: ml.timeoutMs, maxBytes: ml.maxBytes, maxLines: ml.maxLines }, this)
      : null;
  }

  /** FrameSink: a line of a written stream, as a Buffer (cut, or not whole within its chunk) */
  line(bytes: Buffer, dropped: number): void {
    this.#onText(decodeLine(bytes, dropped), dropped);
  }

  /** FrameSink: a whole line of a written stream within its chunk */
  span(chunk: Buffer, start: number, end: number): void {
    this.#onText(decodeSpan(chunk, start, end), 0);
  }

  /** GroupSink: a grouped event */
  emit(
    text: string,
    level: number,
    startedAt: number,
    lineCount: number,
    facts: number,
    headerTime: number,
  ): void {
    this.pipeline.emitLine(this, text, level, startedAt, lineCount, facts, headerTime);
  }

  /** GroupSink: a group closed by its size or line cap */
  onCapped(): void {
    this.pipeline.stats.cappedGroups++;
  }

  /** span() of a file's plain line whole within its chunk (nothing cut), read at `at`. */
  fileSpan(chunk: Buffer, start: number, end: number, at: number): void {
    this.chunkTs = at;
    this.readAt = at;
    this.stats.bytes += end - start;
    this.#onText(decodeSpan(chunk, start, end), 0);
  }

  /** One whole line of a file's stream, with the record's own time. */
  fileLine(bytes: Buffer, dropped: number, at: number, readAt: number): void {
    this.chunkTs = at;
    this.readAt = readAt;
    this.stats.bytes += bytes.length;
    this.#onText(decodeLine(bytes, dropped), dropped);
  }

  #onText(text: string, dropped: number): void {
    if (dropped > 0) this.pipeline.stats.truncatedLines++;
    this.stats.lines++;
    const detector = this.pipeline.detector;
    const level = text.length === 0 ? NO_LEVEL : detector.detect(text);
    // the detector's facts of this line ride with it (grouping emits it later, after other lines)
    const facts = text.length === 0 ? 0 : detector.lineFacts;
    const headerTime = text.length === 0 ? Number.NaN : detector.headerTime;
    if (this.grouper !== null) this.grouper.push(text, level, this.chunkTs, facts, this.readAt, headerTime);
    else if (text.length > 0) this.pipeline.emitLine(this, text, level, this.chunkTs, 1, facts, headerTime);
  }
}

/**
 * Events read for structure in one loop (README "Performance"): emitted lines wait here until the
 * entry point that framed them returns, or until this many wait. Reading a run of lines back to back
 * keeps the reader's code and branch history warm: interleaved with framing, level detection and
 * grouping, the same reading cost ~1.7× as much CPU per JSON line.
 */
const READ_BATCH = 256;

/** Bytes a framed container record may take before the framer cuts it (docker escapes can grow a 16 KiB piece ~6×). */
const CONTAINER_FRAME_BYTES = 256 * 1024;

/**
 * A followed file (keyed by its path, not its inode, so that a line split across a rotation is still
 * joined): one framer, the format (decided on the first line under auto), and per stream of the file
 * a joiner for partial records and a lane.
 */
class FileSource implements FrameSink {
  readonly framer: LineFramer;
  format: ContainerFormat | undefined;
  readAt = 0;
  readonly #streams = new Map<string, { lane: Lane; joiner: PartialJoiner; format: ContainerFormat }>();
  readonly #rec = new ContainerRecord();

  constructor(
    format: TailFormat,
    readonly pipeline: Pipeline,
    readonly opts: PipelineOptions,
    /** the stream of a plain line (a file's lines are stdout; pipe's are its --stream) */
    readonly plainStream = 'stdout',
  ) {
    this.format = format === 'auto' ? undefined : format;
    const frameBytes =
      this.format === 'plain' ? opts.maxLineBytes : Math.max(opts.maxLineBytes, CONTAINER_FRAME_BYTES);
    this.framer = new LineFramer(frameBytes, this);
  }

  /**
   * A line whole within its chunk: a plain one (most, under auto too) goes to its lane as the chunk
   * and its bounds; a record, one that may be, or one over max_line_bytes goes through line().
   */
  span(chunk: Buffer, start: number, end: number): void {
    const format = this.format;
    if (
      end - start > this.opts.maxLineBytes ||
      (format === undefined ? end > start && mayBeRecord(chunk, start, end) : format !== 'plain')
    ) {
      this.line(chunk.subarray(start, end), 0);
      return;
    }
    // as line(): under auto a plain line ends the pieces pending on every stream
    if (format === undefined && end > start) for (const other of this.#streams.values()) other.joiner.flush();
    this.#stream(this.plainStream).lane.fileSpan(chunk, start, end, this.readAt);
  }

  line(bytes: Buffer, dropped: number): void {
    let format = this.format;
    if (format === undefined) {
      // auto: decided per line, so that a stream mixing docker json-file and CRI records (or a plain
      // line among them) is read record by record, as Fluent Bit's container_mix case expects
      format = bytes.length === 0 ? 'plain' : detectFormat(bytes, this.#rec);
    }
    const rec = this.#rec;
    if (format !== 'plain') {
      const ok = format === 'cri' ? parseCri(bytes, rec) : parseDockerJson(bytes, rec);
      if (ok) {
        const s = this.#stream(rec.stream);
        // pieces never join a record of another runtime's format
        if (s.format !== format) {
          s.joiner.flush();
          s.format = format;
        }
        s.joiner.push(rec.body, rec.partial, Number.isNaN(rec.timeMs) ? this.readAt : rec.timeMs, dropped);
        return;
      }
    }
    // plain text, or a line that is not a record of the file's format: shipped as it is; under auto it
    // also ends the pieces pending on every stream (they cannot continue across it)
    if (this.format === undefined && bytes.length > 0)
      for (const other of this.#streams.values()) other.joiner.flush();
    const lane = this.#stream(this.plainStream).lane;
    const max = this.opts.maxLineBytes;
    if (bytes.length > max) {
      const cut = utf8Boundary(bytes, 0, max);
      lane.fileLine(bytes.subarray(0, cut), dropped + bytes.length - cut, this.readAt, this.readAt);
    } else lane.fileLine(bytes, dropped, this.readAt, this.readAt);
  }

  #stream(name: string): { lane: Lane; joiner: PartialJoiner; format: ContainerFormat } {
    let s = this.#streams.get(name);
    if (!s) {
      const lane = this.pipeline.fileLane(name);
      const joiner = new PartialJoiner(this.opts.maxLineBytes, (b, d, t) =>
        lane.fileLine(b, d, t, this.readAt),
      );
      s = { lane, joiner, format: 'plain' };
      this.#streams.set(name, s);
    }
    return s;
  }

  /** The file ended (gone, or the run stops): its last line, pieces and open groups are shipped. */
  end(): void {
    this.framer.end();
    for (const s of this.#streams.values()) {
      s.joiner.flush();
      s.lane.grouper?.flush();
    }
  }

  tick(now: number): void {
    for (const s of this.#streams.values()) if (s.lane.grouper?.pending) s.lane.grouper.tick(now);
  }

  /** Its lines stopped coming for the multi-line timeout: open groups are shipped (pieces still wait for their last). */
  closeGroups(): void {
    for (const s of this.#streams.values()) s.lane.grouper?.flush();
  }
}

export class Pipeline {
  readonly stats: PipelineStats = {
    streams: {},
    truncatedLines: 0,
    cappedGroups: 0,
    backlogDroppedBytes: 0,
    events: 0,
    structured: emptyStructuredStats(),
  };
  readonly #opts: PipelineOptions;
  readonly #emit: (ev: LogEvent) => void;
  readonly #lanes = new Map<string, Lane>();
  readonly #files = new Map<string, FileSource>();
  /** write()'s streams under an inputFormat other than plain: decoded like a followed file */
  readonly #inputs = new Map<string, FileSource>();
  /** one per pipeline: its lexer's result fields are reused for every line */
  readonly detector = new LevelDetector();
  /** null when structured reading is off (decided once, not per line) */
  readonly #structured: StructuredReader | null;
  /**
   * events waiting to be read and emitted (structured reading on): the first #batchSize, with their
   * line counts and facts. Arrays of READ_BATCH made once and reused (#spareBatch): an array grown by
   * push() from empty for every batch cost a line ~20 ns, measured (bench/qa/structured-cpu.mjs).
   */
  #batch: (LogEvent | undefined)[] = new Array<LogEvent | undefined>(READ_BATCH).fill(undefined);
  #batchSize = 0;
  /** the array of the batch emitted last, emptied, for the next one; undefined while a batch is emitted */
  #spareBatch: (LogEvent | undefined)[] | undefined = undefined;
  readonly #batchLines = new Int32Array(READ_BATCH);
  readonly #batchFacts = new Int32Array(READ_BATCH);
  /** the lane of each waiting event: its level is counted there once read */
  readonly #batchLanes: Lane[] = new Array<Lane>(READ_BATCH);
  #seq = 0;

  constructor(opts: PipelineOptions, emit: (ev: LogEvent) => void) {
    this.#opts = opts;
    this.#emit = emit;
    const structured = opts.structured ?? { enabled: true, maxBytes: DEFAULT_STRUCTURED_MAX_BYTES };
    this.#structured = structured.enabled
      ? new StructuredReader(this.stats.structured, structured.maxBytes)
      : null;
    // the header's time is read for the reader only: without it, skipping the header is cheaper
    this.detector.readsHeaderTime = structured.enabled;
  }

  write(stream: string, chunk: Buffer, readAt: number): void {
    const records = this.#records(stream);
    if (records !== undefined) {
      records.readAt = readAt;
      records.framer.push(chunk);
    } else {
      const lane = this.#lane(stream);
      lane.stats.bytes += chunk.length;
      lane.chunkTs = readAt;
      lane.readAt = readAt;
      lane.framer.push(chunk);
    }
    this.#readBatch();
  }

  /** Bytes of `stream` that never reached the pipeline: the partial line is finished as cut. */
  gap(stream: string, lostBytes: number): void {
    this.stats.backlogDroppedBytes += lostBytes;
    const records = this.#records(stream);
    if (records !== undefined) records.framer.gap(lostBytes);
    else this.#lane(stream).framer.gap(lostBytes);
    this.#readBatch();
  }

  /** End of one stream: its last unterminated line and open group are shipped. */
  endStream(stream: string): void {
    const input = this.#inputs.get(stream);
    if (input !== undefined) {
      input.end();
      this.#inputs.delete(stream);
    } else {
      const lane = this.#lanes.get(stream);
      if (!lane) return;
      lane.framer.end();
      lane.grouper?.flush();
    }
    this.#readBatch();
  }

  end(): void {
    for (const stream of [...this.#inputs.keys()]) this.endStream(stream);
    for (const stream of this.#lanes.keys()) this.endStream(stream);
    for (const file of [...this.#files.keys()]) this.endFile(file);
  }

  /**
   * Bytes of a followed file (tail): framed per file, decoded per `format`, then each record goes to
   * its (file, stream) lane with the record's own time (plain: the read time, stream stdout).
   */
  writeFile(fileKey: string, format: TailFormat, chunk: Buffer, readAt: number): void {
    let file = this.#files.get(fileKey);
    if (!file) {
      file = new FileSource(format, this, this.#opts);
      this.#files.set(fileKey, file);
    }
    file.readAt = readAt;
    file.framer.push(chunk);
    this.#readBatch();
  }

  /**
   * The file was read to its end and had not been written for `quietMs` (tail): an open group
   * waits no longer when the multi-line timeout has already passed since its last line was written.
   */
  fileQuiet(fileKey: string, quietMs: number): void {
    if (quietMs >= this.#opts.multiline.timeoutMs) this.#files.get(fileKey)?.closeGroups();
    this.#readBatch();
  }

  /** The file is gone for good: its last line, partial pieces and open groups are shipped. */
  endFile(fileKey: string): void {
    const file = this.#files.get(fileKey);
    if (!file) return;
    this.#files.delete(fileKey);
    file.end();
    this.#readBatch();
  }

  /** Closes multi-line groups that have waited `multiline.timeoutMs`; called from a timer. */
  tick(now: number): void {
    for (const lane of this.#lanes.values()) if (lane.grouper?.pending) lane.grouper.tick(now);
    for (const file of this.#files.values()) file.tick(now);
    for (const input of this.#inputs.values()) input.tick(now);
    this.#readBatch();
  }

  /** A lane for one stream of one file (not framed by itself); its counts add to the stream's. */
  fileLane(stream: string): Lane {
    return new Lane(
      stream,
      this.#opts.defaultLevels[stream] ?? INFO,
      this,
      this.#opts,
      this.#statsOf(stream),
    );
  }

  #statsOf(stream: string): StreamStats {
    let s = this.stats.streams[stream];
    if (!s) {
      s = { lines: 0, bytes: 0, levels: [0, 0, 0, 0, 0, 0, 0] };
      this.stats.streams[stream] = s;
    }
    return s;
  }

  /** The forwarder's own events (started, exited, …): same path, own stream. */
  /**
   * Our own events are our own text: a configured secret in them (the app's command line may carry
   * `--api-key=<it>`) is scrubbed, in the message and in every string of `data`, before any drain sees it.
   */
  lifecycle(kind: string, message: string, level: number, data: Record<string, unknown>, at: number): void {
    this.#readBatch(); // the app's lines before it go first
    this.stats.events++;
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) clean[key] = scrubValue(value);
    this.#emit(new LogEvent(at, scrubSecrets(message), level, 'forwarder', ++this.#seq, kind, clean));
  }

  /** The next sequence number, for events made outside the pipeline (a drain's drop notice). */
  nextSeq(): number {
    return ++this.#seq;
  }

  /**
   * `lineCount` > 1: lines the grouper joined (a stack trace gives the event its error); `facts`:
   * what the level detector learnt of the first line (formats/lexer.ts), 0 when nothing;
   * `headerTime`: the time the detector read from its ISO header (NaN: none), which the reader takes.
   */
  emitLine(
    lane: Lane,
    text: string,
    level: number,
    at: number,
    lineCount: number,
    facts: number,
    headerTime = Number.NaN,
  ): void {
    this.stats.events++;
    const lvl = level === NO_LEVEL ? lane.defaultLevel : level;
    const structured = this.#structured;
    // the header's time, read by the detector, is the event's from the start (trusted within 24 h)
    const time =
      structured === null || Number.isNaN(headerTime) ? at : structured.trustedTime(headerTime, at);
    const ev = new LogEvent(time, text, lvl, lane.stream, ++this.#seq, undefined, undefined, at);
    if (structured === null) {
      lane.stats.levels[lvl / 10]!++;
      this.#emit(ev);
      return;
    }
    const n = this.#batchSize;
    // a plain text line costs the reader two native searches, a line whose header time the detector
    // read one more store: read at once when none waits before it (a longer read, such as a header
    // time read here, costs more at once than in the batch's loop: README "Performance")
    if (n === 0 && lineCount === 1 && (structured.textOnly(facts) || !Number.isNaN(headerTime))) {
      structured.readText(ev, facts);
      lane.stats.levels[lvl / 10]!++;
      this.#emit(ev);
      return;
    }
    this.#batchLines[n] = lineCount;
    // a JSON record whose level the detector did not find may tell it one level down (loguru) or by
    // its shape (klog): the reader may set the level, so levels are counted after it has read
    this.#batchFacts[n] = level === NO_LEVEL ? facts | NO_LEVEL_FOUND : facts;
    this.#batchLanes[n] = lane;
    this.#batch[n] = ev;
    this.#batchSize = n + 1;
    if (n + 1 === READ_BATCH) this.#readBatch();
  }

  /**
   * Reads the waiting events, then emits them, in order. Called before every entry point returns
   * (write, gap, endStream, end, writeFile, endFile, fileQuiet, tick) and before a lifecycle event, so that no
   * event waits past the call that made it and the order of events is the order of their lines.
   */
  #readBatch(): void {
    const batch = this.#batch;
    const n = this.#batchSize;
    if (n === 0) return;
    // another array before any emit: a drain that calls back into the pipeline starts its own batch
    this.#batch = this.#spareBatch ?? new Array<LogEvent | undefined>(READ_BATCH).fill(undefined);
    this.#spareBatch = undefined;
    this.#batchSize = 0;
    const structured = this.#structured!;
    const lines = this.#batchLines;
    const facts = this.#batchFacts;
    const lanes = this.#batchLanes;
    structured.load(batch, lines, n, facts);
    for (let i = 0; i < n; i++) {
      const ev = batch[i]!;
      const f = facts[i]!;
      // a header time the detector read is the event's already: its ids after it
      if (((f >>> HEADER_TIME_END_SHIFT) & HEADER_TIME_END_MASK) !== 0) structured.readText(ev, f);
      else structured.read(ev, lines[i]!, f, i);
      if (lines[i]! > 1 && ev.level >= ERROR) structured.readError(ev);
      lanes[i]!.stats.levels[ev.level / 10]!++;
    }
    for (let i = 0; i < n; i++) {
      this.#emit(batch[i]!);
      batch[i] = undefined; // held by the drains from here, not by the pipeline
    }
    this.#spareBatch = batch;
  }

  /** The record decoder of a written stream, or undefined when its bytes are plain lines. */
  #records(stream: string): FileSource | undefined {
    const format = this.#opts.inputFormat;
    if (format === undefined || format === 'plain') return undefined;
    let input = this.#inputs.get(stream);
    if (!input) {
      input = new FileSource(format, this, this.#opts, stream);
      this.#inputs.set(stream, input);
    }
    return input;
  }

  #lane(stream: string): Lane {
    let lane = this.#lanes.get(stream);
    if (!lane) {
      lane = new Lane(
        stream,
        this.#opts.defaultLevels[stream] ?? INFO,
        this,
        this.#opts,
        this.#statsOf(stream),
      );
      this.#lanes.set(stream, lane);
    }
    return lane;
  }
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  return value;
}
