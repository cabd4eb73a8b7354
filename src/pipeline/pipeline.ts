import { decodeLine } from './decode.js';
import { LogEvent } from './event.js';
import { LineFramer } from './framer.js';
import { detectLevel } from './level-detect.js';
import { INFO, NO_LEVEL } from './levels.js';
import { MultilineGrouper } from './multiline.js';

export interface PipelineOptions {
  maxLineBytes: number;
  multiline: { enabled: boolean; timeoutMs: number; maxBytes: number; maxLines: number };
  /** level for a line that carries none, per stream name (stdout, stderr); others get info */
  defaultLevels: Readonly<Record<string, number>>;
}

export interface StreamStats {
  lines: number;
  bytes: number;
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
}

/**
 * One lane per stream: framing → decoding → level → grouping. Lanes never share state, so the
 * two streams are never merged into one event.
 */
class Lane {
  readonly framer: LineFramer;
  readonly grouper: MultilineGrouper | null;
  readonly stats: StreamStats = { lines: 0, bytes: 0 };
  /** read time of the chunk being framed: every line of a chunk shares it (no clock call per line) */
  chunkTs = 0;

  constructor(
    readonly stream: string,
    readonly defaultLevel: number,
    readonly pipeline: Pipeline,
    opts: PipelineOptions,
  ) {
    this.framer = new LineFramer(opts.maxLineBytes, (bytes, dropped) => this.#onLine(bytes, dropped));
    const ml = opts.multiline;
    this.grouper = ml.enabled
      ? new MultilineGrouper({
          timeoutMs: ml.timeoutMs,
          maxBytes: ml.maxBytes,
          maxLines: ml.maxLines,
          emit: (text, level, startedAt) => this.pipeline.emitLine(this, text, level, startedAt),
          onCapped: () => this.pipeline.stats.cappedGroups++,
        })
      : null;
  }

  #onLine(bytes: Buffer, dropped: number): void {
    if (dropped > 0) this.pipeline.stats.truncatedLines++;
    const text = decodeLine(bytes, dropped);
    this.stats.lines++;
    const level = text.length === 0 ? NO_LEVEL : detectLevel(text);
    if (this.grouper !== null) this.grouper.push(text, level, this.chunkTs);
    else if (text.length > 0) this.pipeline.emitLine(this, text, level, this.chunkTs);
  }
}

export class Pipeline {
  readonly stats: PipelineStats = {
    streams: {},
    truncatedLines: 0,
    cappedGroups: 0,
    backlogDroppedBytes: 0,
    events: 0,
  };
  readonly #opts: PipelineOptions;
  readonly #emit: (ev: LogEvent) => void;
  readonly #lanes = new Map<string, Lane>();
  #seq = 0;

  constructor(opts: PipelineOptions, emit: (ev: LogEvent) => void) {
    this.#opts = opts;
    this.#emit = emit;
  }

  write(stream: string, chunk: Buffer, readAt: number): void {
    const lane = this.#lane(stream);
    lane.stats.bytes += chunk.length;
    lane.chunkTs = readAt;
    lane.framer.push(chunk);
  }

  /** Bytes of `stream` that never reached the pipeline: the partial line is finished as cut. */
  gap(stream: string, lostBytes: number): void {
    this.stats.backlogDroppedBytes += lostBytes;
    this.#lane(stream).framer.gap(lostBytes);
  }

  /** End of one stream: its last unterminated line and open group are shipped. */
  endStream(stream: string): void {
    const lane = this.#lanes.get(stream);
    if (!lane) return;
    lane.framer.end();
    lane.grouper?.flush();
  }

  end(): void {
    for (const stream of this.#lanes.keys()) this.endStream(stream);
  }

  /** Closes multi-line groups that have waited `multiline.timeoutMs`; called from a timer. */
  tick(now: number): void {
    for (const lane of this.#lanes.values()) if (lane.grouper?.pending) lane.grouper.tick(now);
  }

  /** The forwarder's own events (started, exited, …): same path, own stream. */
  lifecycle(kind: string, message: string, level: number, data: Record<string, unknown>, at: number): void {
    this.stats.events++;
    this.#emit(new LogEvent(at, message, level, 'forwarder', ++this.#seq, kind, data));
  }

  /** The next sequence number, for events made outside the pipeline (a drain's drop notice). */
  nextSeq(): number {
    return ++this.#seq;
  }

  emitLine(lane: Lane, text: string, level: number, at: number): void {
    this.stats.events++;
    const lvl = level === NO_LEVEL ? lane.defaultLevel : level;
    this.#emit(new LogEvent(at, text, lvl, lane.stream, ++this.#seq, undefined, undefined));
  }

  #lane(stream: string): Lane {
    let lane = this.#lanes.get(stream);
    if (!lane) {
      lane = new Lane(stream, this.#opts.defaultLevels[stream] ?? INFO, this, this.#opts);
      this.#lanes.set(stream, lane);
      this.stats.streams[stream] = lane.stats;
    }
    return lane;
  }
}
