import { type ResourceLimits, Worker } from 'node:worker_threads';
import { emptyDrainStats } from '../drains/core/drain-stats.js';
import type { TailFormat } from '../pipeline/container-format.js';
import { WARN } from '../pipeline/levels.js';
import { emptyStructuredStats } from '../pipeline/structured/reader.js';
import { snapshotConfig } from './config-snapshot.js';
import {
  countPendingAs,
  type FromWorker,
  type RunSummary,
  type ToWorker,
  type WorkerInit,
} from './messages.js';
import { type Session, writeStderr } from './session.js';

/**
 * The main thread's side of the pipeline worker. `write` never blocks and never throws: the
 * bytes are copied and posted; if the worker has fallen far behind (or died), they are dropped,
 * counted, and the worker is told so that the cut line is marked.
 */
/**
 * The pipeline worker's old-generation limit: room for every drain's queue twice over (queues are
 * counted in the bytes their events hold, see held-bytes.ts; batches in flight add their encoded
 * records and payloads), the pipeline buffer, and a fixed part for code and state. Near it V8
 * collects harder; the bounded queues keep live data well below it.
 */
export function workerHeapLimitMb(drains: number, bufferBytes: number, pipelineBufferBytes: number): number {
  const MiB = 1024 * 1024;
  return Math.ceil(96 + (2 * drains * bufferBytes + pipelineBufferBytes) / MiB);
}

/**
 * when_full=drop (run): the pipeline worker's young generation, in MB (V8 counts two semi-spaces
 * and the new large-object space, so 6 is 2 MB semi-spaces). V8's default grows it to 48 MB, which
 * a burst fills with lines and batches already dead before a scavenge: with a dead drain under a
 * 2M-line burst, 6 MB lowers the peak RSS by ~25–50 MB (dist/cli.js, medians of 5: 189 → 139 MB).
 * It costs CPU (more scavenges, more promoted): through `pipe`, 3.0 → 4.5 CPU-s per million lines.
 * So only under drop, where the app comes first and what the pipeline cannot take is dropped;
 * under block (pipe, tail) the input waits for the drains, memory is bounded by that, and the
 * pipeline keeps V8's default for throughput.
 */
const DROP_YOUNG_GENERATION_MB = 6;

/** The pipeline worker's V8 limits: the old generation sized from the buffers; under drop, a small young generation. */
export function workerResourceLimits(heapLimitMb: number, block: boolean): ResourceLimits {
  return {
    maxOldGenerationSizeMb: heapLimitMb,
    ...(block ? {} : { maxYoungGenerationSizeMb: DROP_YOUNG_GENERATION_MB }),
  };
}

/** block: how often a waiting reader looks at the backlog again. */
const ROOM_POLL_MS = 5;

/** block, final flush: how often progress is looked at. */
const PROGRESS_WATCH_MS = 250;

/** At most one "dropped" notice event per this period while the pipeline is behind. */
const DROP_NOTICE_INTERVAL_MS = 10_000;

/** Past the flush deadline, how long the pipeline thread gets before it is stopped whatever it is doing. */
const WORKER_STOP_GRACE_MS = 2000;

/** After "stop now", how long the pipeline thread gets to report its counts (it answers at once unless stuck). */
const INTERRUPT_REPORT_MS = 500;

/** How the final flush ended, for the summary. */
export interface FlushResult {
  summary: RunSummary;
  /** why the counts are the last ones reported rather than final, when they are */
  cutShort?: string;
}

export class PipelineHost {
  readonly #worker: Worker;
  readonly #ready: Promise<{ id: string; endpoint: string }[]>;
  readonly #done: Promise<RunSummary | undefined>;
  /** bytes posted, modulo 2^32 (compared with the worker's count, which wraps the same way) */
  #posted = 0;
  /** bytes the worker has framed, counted by the worker: no message per chunk to keep it */
  readonly #consumed = new Int32Array(new SharedArrayBuffer(4));
  #dead = false;
  /** per stream: bytes dropped while the backlog was full, reported to the worker as one gap */
  #lost = new Map<string, number>();
  /** what was dropped before the pipeline ever saw it (pipeline_backlog), for the summary */
  readonly dropped = { bytes: 0, lines: 0, notices: 0 };
  /** per stream: the last chunk handed on ended inside a line, which the gap will ship cut */
  #midLine = new Map<string, boolean>();
  /** per stream: that cut line's newline is in the dropped bytes, and must not count as a dropped line */
  #skipNewline = new Map<string, boolean>();
  /** dropped since the last notice event, which goes to the drains at most once per interval */
  #unreported = { bytes: 0, lines: 0 };
  #lastNoticeAt = 0;

  /** FORWARDER_PIPELINE_BUFFER_BYTES: bytes handed to the worker and not yet framed, at most */
  readonly #maxBacklogBytes: number;
  /** the worker's last counts (every STATS_INTERVAL_MS), or zeros for every drain until the first */
  #lastSummary: RunSummary;
  /** set by interrupt(): the final flush stops now */
  #interrupted = false;
  #onInterrupt: (() => void) | undefined;
  /** when_full=block: nothing is dropped at the backlog; the reader waits for room (whenRoom) */
  readonly #block: boolean;
  /** block: how long the final flush may go on without progress before the thread is stopped */
  readonly #noProgressMs: number;

  constructor(
    entry: URL,
    init: WorkerInit,
    writeLog: (line: string) => void,
    maxBacklogBytes: number,
    heapLimitMb: number,
    drains: readonly { id: string; endpoint: string }[],
    flow: { block: boolean; noProgressMs: number } = { block: false, noProgressMs: 0 },
  ) {
    this.#maxBacklogBytes = maxBacklogBytes;
    this.#block = flow.block;
    this.#noProgressMs = flow.noProgressMs;
    this.#lastSummary = emptySummary(drains);
    this.#worker = new Worker(entry, {
      // V8 lets a heap grow far past what is live before it collects; a limit sized from the
      // configured buffers keeps garbage from inflating memory (see workerHeapLimitMb).
      resourceLimits: workerResourceLimits(heapLimitMb, flow.block),
      workerData: { ...init, consumed: this.#consumed, block: flow.block } satisfies WorkerInit,
      stdout: false,
      stderr: false,
    });
    let resolveReady!: (d: { id: string; endpoint: string }[]) => void;
    this.#ready = new Promise((r) => (resolveReady = r));
    this.#done = new Promise((resolve) => {
      this.#worker.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'log':
            writeLog(m.line);
            break;
          case 'ready':
            resolveReady(m.drains);
            break;
          case 'stats':
            this.#lastSummary = m.summary;
            break;
          case 'done':
            resolve(m.summary);
            break;
        }
      });
      this.#worker.on('error', (err) => {
        this.#dead = true;
        writeLog(
          `forwarder: error: the pipeline stopped (${err.message}); the app keeps running, nothing more is shipped\n`,
        );
        resolveReady([]);
        resolve(undefined);
      });
      this.#worker.on('exit', () => {
        this.#dead = true;
        resolveReady([]);
        resolve(undefined);
      });
    });
  }

  ready(): Promise<{ id: string; endpoint: string }[]> {
    return this.#ready;
  }

  write(stream: string, chunk: Buffer, readAt: number): void {
    if (this.#dead) {
      this.#countDrop(chunk);
      return;
    }
    if (!this.#block && this.backlogBytes + chunk.length > this.#maxBacklogBytes) {
      this.drop(stream, chunk);
      return;
    }
    this.#midLine.set(stream, chunk[chunk.length - 1] !== 10);
    const lost = this.#lost.get(stream);
    if (lost) {
      this.#lost.delete(stream);
      this.#skipNewline.delete(stream);
      this.#post({ t: 'gap', stream, lostBytes: lost });
      if (Date.now() - this.#lastNoticeAt >= DROP_NOTICE_INTERVAL_MS) this.#noticeDrops();
    }
    // A copy of exactly this chunk, transferred: cloning the Buffer would copy its whole pooled backing store.
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    this.#posted = (this.#posted + chunk.length) | 0;
    this.#worker.postMessage({ t: 'chunk', stream, bytes, readAt } satisfies ToWorker, [bytes.buffer]);
  }

  /**
   * A chunk of the app's output the pipeline will not get (the backlog is full, or it came before
   * the pipeline existed and past the bound it is held to): counted, and the gap marked.
   */
  drop(stream: string, chunk: Buffer): void {
    if (!this.#lost.has(stream) && this.#midLine.get(stream)) this.#skipNewline.set(stream, true);
    this.#countDrop(chunk, stream);
    this.#lost.set(stream, (this.#lost.get(stream) ?? 0) + chunk.length);
  }

  /** block: the backlog is at its bound; the reader should wait for whenRoom() before reading on. */
  get full(): boolean {
    return this.#block && !this.#dead && this.backlogBytes >= this.#maxBacklogBytes;
  }

  /**
   * block: resolves once the backlog is below half its bound (or the worker is gone): reading
   * resumes in large steps rather than chunk by chunk. Polled, as the worker's count is shared
   * memory, not a message.
   */
  whenRoom(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.#dead || this.backlogBytes < this.#maxBacklogBytes / 2) resolve();
        else setTimeout(check, ROOM_POLL_MS);
      };
      check();
    });
  }

  /** Bytes posted and not yet framed by the worker: tail stops reading above a mark instead of dropping. */
  get backlogBytes(): number {
    return (this.#posted - Atomics.load(this.#consumed, 0)) >>> 0;
  }

  /**
   * tail: whole lines of a followed file. The caller keeps the backlog low (a file can wait), so
   * nothing is dropped here unless the worker died.
   */
  writeFile(file: string, format: TailFormat, chunk: Buffer, readAt: number): void {
    if (this.#dead) {
      this.#countDrop(chunk);
      return;
    }
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    this.#posted = (this.#posted + chunk.length) | 0;
    this.#worker.postMessage({ t: 'fileChunk', file, format, bytes, readAt } satisfies ToWorker, [
      bytes.buffer,
    ]);
  }

  endFile(file: string): void {
    this.#post({ t: 'endFile', file });
  }

  /** tail: every file read to its end, and how long each had been quiet (after the chunks already posted). */
  caughtUp(files: readonly { path: string; quietMs: number }[]): void {
    this.#post({ t: 'caughtUp', files });
  }

  lifecycle(kind: string, message: string, level: number, data: Record<string, unknown>): void {
    this.#post({ t: 'lifecycle', kind, message, level, data, at: Date.now() });
  }

  endStream(stream: string): void {
    const lost = this.#lost.get(stream);
    if (lost) this.#post({ t: 'gap', stream, lostBytes: lost });
    this.#lost.delete(stream);
    this.#post({ t: 'endStream', stream });
    if (this.#unreported.bytes > 0) this.#noticeDrops();
  }

  /**
   * Lines are counted by their newlines: what the pipeline would have framed. A line begun in
   * bytes the pipeline has is shipped cut at the gap, so its newline here is not a lost line.
   */
  #countDrop(chunk: Buffer, stream?: string): void {
    let lines = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (lines > 0 && stream !== undefined && this.#skipNewline.get(stream)) {
      this.#skipNewline.delete(stream);
      lines--;
    }
    this.dropped.bytes += chunk.length;
    this.dropped.lines += lines;
    this.#unreported.bytes += chunk.length;
    this.#unreported.lines += lines;
  }

  /** One event to every drain saying what never reached the pipeline, so the gap is visible where people look. */
  #noticeDrops(): void {
    const { bytes, lines } = this.#unreported;
    this.#unreported = { bytes: 0, lines: 0 };
    this.#lastNoticeAt = Date.now();
    this.dropped.notices++;
    this.lifecycle(
      'dropped',
      `forwarder dropped ${lines} lines (${bytes} bytes) of the app's output: the pipeline fell behind (pipeline_backlog)`,
      WARN,
      { reason: 'pipeline_backlog', lines, bytes },
    );
  }

  /**
   * Final flush under the deadline. Always yields every drain's counts: the final ones, or (if the
   * worker died, was stopped past the deadline, or the flush was interrupted) the last ones it
   * reported, with what the drains still held counted as dropped.
   */
  async finish(deadlineAt: number): Promise<FlushResult> {
    this.#post({ t: 'finish', deadlineAt });
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      if (!this.#block) {
        timer = setTimeout(
          () => resolve('overdue'),
          Math.max(0, deadlineAt - Date.now()) + WORKER_STOP_GRACE_MS,
        );
        return;
      }
      // block: the thread is stopped only once nothing has moved (bytes framed, events settled)
      // for the no-progress deadline and the grace; a flush still delivering goes on.
      let mark = this.#progressMark();
      let movedAt = Date.now();
      const watch = (): void => {
        const now = Date.now();
        const m = this.#progressMark();
        if (m !== mark) {
          mark = m;
          movedAt = now;
        }
        if (now - movedAt >= this.#noProgressMs + WORKER_STOP_GRACE_MS) resolve('overdue');
        else timer = setTimeout(watch, PROGRESS_WATCH_MS);
      };
      timer = setTimeout(watch, PROGRESS_WATCH_MS);
    });
    const interrupted = new Promise<'interrupted'>((resolve) => {
      if (this.#interrupted) resolve('interrupted');
      else this.#onInterrupt = () => resolve('interrupted');
    });
    let outcome = await Promise.race([this.#done, overdue, interrupted]);
    clearTimeout(timer);
    let cutShort: string | undefined;
    if (outcome === 'interrupted') {
      this.#post({ t: 'interrupt' });
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), INTERRUPT_REPORT_MS);
      });
      outcome = await Promise.race([this.#done, late]);
      clearTimeout(timer);
      cutShort = 'stopped now by a second signal';
      if (outcome === undefined) return this.#stopWithLastCounts('interrupted', cutShort);
    } else if (outcome === 'overdue') {
      return this.#stopWithLastCounts(
        'flush_deadline',
        'the pipeline thread did not finish by the flush deadline and was stopped',
      );
    }
    await this.#worker.terminate();
    if (outcome === undefined)
      return {
        summary: countPendingAs(this.#lastSummary, 'pipeline_stopped'),
        cutShort: 'the pipeline stopped early',
      };
    return { summary: outcome, ...(cutShort ? { cutShort } : {}) };
  }

  /** A second stop signal during the final flush: stop now (finish() reports with what was cut counted). */
  interrupt(): void {
    this.#interrupted = true;
    this.#onInterrupt?.();
  }

  async #stopWithLastCounts(reason: string, cutShort: string): Promise<FlushResult> {
    await this.#worker.terminate();
    const summary = countPendingAs(this.#lastSummary, reason);
    if (reason === 'flush_deadline')
      for (const d of summary.drains) if (d.dropped.flush_deadline) d.deadlineCut = true;
    return { summary, cutShort: `${cutShort}; counts as it last reported them` };
  }

  /** Changes whenever the worker frames bytes or a drain settles events (from its periodic counts). */
  #progressMark(): string {
    let settled = 0;
    for (const d of this.#lastSummary.drains) {
      settled += d.delivered;
      for (const n of Object.values(d.dropped)) settled += n;
    }
    return `${Atomics.load(this.#consumed, 0)}:${settled}`;
  }

  #post(m: ToWorker): void {
    if (!this.#dead) this.#worker.postMessage(m);
  }
}

/**
 * The pipeline worker for a session, sized from its configuration; undefined when no drain is
 * enabled (then nothing is parsed at all: the forwarder is a transparent wrapper).
 */
export function startPipeline(session: Session, entry: URL): PipelineHost | undefined {
  if (session.drains.length === 0) return undefined;
  const { core } = session;
  const block = whenFullFor(session) === 'block';
  return new PipelineHost(
    entry,
    {
      role: 'pipeline',
      config: snapshotConfig(session.config),
      identity: session.identity,
      mode: session.inputs.mode,
    },
    writeStderr,
    core.pipelineBufferBytes,
    workerHeapLimitMb(session.drains.length, core.bufferBytes, core.pipelineBufferBytes),
    session.drains.map((d) => ({ id: d.spec.id, endpoint: d.spec.endpoint(d.config as never) })),
    { block, noProgressMs: core.flushTimeoutMs },
  );
}

/**
 * FORWARDER_WHEN_FULL for this command: `block` by default for pipe and tail (their input can
 * wait), `drop` for run, which never holds the app back whatever is set (said once).
 */
export function whenFullFor(
  session: Pick<Session, 'core' | 'inputs' | 'logger' | 'config'>,
): 'drop' | 'block' {
  const { whenFull } = session.core;
  if (session.inputs.mode === 'run') {
    if (whenFull === 'block')
      session.logger.warn(
        `${session.config.nameOf('when_full')}=block applies to pipe and tail; run never holds the app back: drop`,
      );
    return 'drop';
  }
  return whenFull ?? 'block';
}

function emptySummary(drains: readonly { id: string; endpoint: string }[]): RunSummary {
  return {
    pipeline: {
      streams: {},
      truncatedLines: 0,
      cappedGroups: 0,
      backlogDroppedBytes: 0,
      events: 0,
      structured: emptyStructuredStats(),
    },
    drains: drains.map((d) => ({ ...d, ...emptyDrainStats() })),
  };
}
