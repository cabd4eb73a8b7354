import { setFlagsFromString } from 'node:v8';
import { emptyDrainStats } from '../drains/core/drain-stats.js';
import { loadHttpClient } from '../drains/core/http-transport.js';
import type { TailFormat } from '../pipeline/container-format.js';
import { WARN } from '../pipeline/levels.js';
import { emptyStructuredStats } from '../pipeline/structured/reader.js';
import { READ_BUFFER_BYTES } from '../sources/child.js';
import { countNewlines, type DroppedRun } from './dropped-run.js';
import { type InputPace, START_DEFER_MAX_MS, whenInputEases, whenInputStarts } from './flat-out.js';
import { countPendingAs, type FromPipeline, type RunSummary, type ToPipeline } from './messages.js';
import type { PipelineFlow, PipelinePort } from './pipeline-runner.js';
import { type Session, writeStderr } from './session.js';

/** Starts the pipeline: it reports through `emit`, and shares `flow` with the host. */
export type PipelineStarter = (emit: (m: FromPipeline) => void, flow: PipelineFlow) => PipelinePort;

/**
 * V8 flags set at run time (the process has no command line of its own to carry them: the
 * executable, `node forwarder.cjs`; NODE_OPTIONS would reach the app). Each is read by V8 when it
 * acts, so it takes effect set here, after start-up (`--max-semi-space-size` and
 * `--max-old-space-size` are read only when the heap is made, and a hard limit would end the
 * whole process, pass-through included, where it used to end a worker thread):
 *
 * - `--heap-growing-percent=20` (60 under block): after a full collection the old generation may
 *   grow 20% over what is live before the next one, not V8's 1.1–4×: garbage (evicted events,
 *   sent batches) does not pile up to several times the configured buffers.
 * - `--liftoff-only`: undici's HTTP parser (llhttp) is WebAssembly; V8 compiles it again with its
 *   optimising compiler once it runs, which for a moment costs ~30 MB (an idle forwarder whose
 *   drain is up: VmHWM 97 → 61–62 MB, the bundle). Baseline code parses our small answers well.
 * - when_full=drop (run) also `--semi-space-growth-factor=1`: the young generation stays at its
 *   initial 1 MB semi-spaces instead of growing to 16 MB, which a burst fills with lines and
 *   batches already dead. It costs CPU (more scavenges), paid only while the pipeline has work,
 *   and under drop the app comes first; under block (pipe, tail) the input waits for the drains
 *   and V8's default keeps the throughput.
 *
 * Measured with a dead drain under a 2M-line burst (dist/cli.js, VmHWM, 16 MiB queue and 8 MiB
 * backlog): 114–115 MB with neither heap flag, 98–101 with both. Only while the configured buffers
 * are at most TIGHT_HEAP_UP_TO_BYTES.
 */
export function runtimeV8Flags(block: boolean, configuredBytes: number): string {
  // Buffers raised far past the defaults (a 2 GiB queue to ride out an outage) are memory asked
  // for: there the tight heap costs more than it saves (a 2M-line burst into a 2 GiB queue under
  // run: 3.1 → 4.9 CPU-s per million lines, half of it collecting), so V8 keeps its defaults.
  if (configuredBytes > TIGHT_HEAP_UP_TO_BYTES) return '--liftoff-only';
  // under block the input waits for the drains, so the heap holds what they hold: a looser old
  // generation there (60%, not 20%) cost +5–10 MB of peak and saved ~0.5 CPU-s per million lines
  // (workload 8, pipe and tail: 270,000–300,000 → 325,000–387,000 lines/s, three quiet runs each)
  if (block) return `--heap-growing-percent=${BLOCK_HEAP_GROWING_PERCENT} --liftoff-only`;
  return `--heap-growing-percent=${DROP_HEAP_GROWING_PERCENT} --liftoff-only --semi-space-growth-factor=1`;
}

const DROP_HEAP_GROWING_PERCENT = 20;
const BLOCK_HEAP_GROWING_PERCENT = 60;

/** The heap flags above apply while every drain's buffer plus the pipeline's add up to at most this. */
export const TIGHT_HEAP_UP_TO_BYTES = 256 * 1024 * 1024;

/** A read this large means the app's pipe had that much waiting: the app writes flat out (see pipeline-runner.ts). */
const FULL_READ_BYTES = READ_BUFFER_BYTES / 2;

/** block: how often a waiting reader looks at the backlog again. */
const ROOM_POLL_MS = 5;

/** block, final flush: how often progress is looked at. */
const PROGRESS_WATCH_MS = 250;

/** At most one "dropped" notice event per this period while the pipeline is behind. */
const DROP_NOTICE_INTERVAL_MS = 10_000;

/** Past the flush deadline, how long the pipeline gets before it is stopped whatever its drains are doing. */
const STOP_GRACE_MS = 2000;

/** After "stop now", how long the pipeline gets to report its counts (it answers at once unless stuck). */
const INTERRUPT_REPORT_MS = 500;

/** How the final flush ended, for the summary. */
export interface FlushResult {
  summary: RunSummary;
  /** why the counts are the last ones reported rather than final, when they are */
  cutShort?: string;
}

/**
 * The command's side of the pipeline (pipeline-runner.ts, on this thread). `write` never blocks and
 * never throws: the bytes are copied and queued; if the pipeline has fallen far behind (or
 * stopped), they are dropped, counted, and the pipeline is told so that the cut line is marked.
 */
export class PipelineHost {
  readonly #port: PipelinePort;
  readonly #ready: Promise<{ id: string; endpoint: string }[]>;
  readonly #done: Promise<RunSummary | undefined>;
  /** bytes posted (one thread: a plain count, compared with the pipeline's `consumed`) */
  #posted = 0;
  /** bytes the pipeline has framed (counted by it) and when the app last wrote flat out (by us) */
  readonly #flow: PipelineFlow = { consumed: 0, fullReadAt: Number.NEGATIVE_INFINITY };
  #dead = false;
  /** per stream: bytes dropped while the backlog was full, reported to the pipeline as one gap */
  #lost = new Map<string, number>();
  /** what was dropped before the pipeline ever saw it (pipeline_backlog), for the summary */
  readonly dropped = { bytes: 0, lines: 0, notices: 0 };
  /** per stream: the last chunk handed on ended inside a line, which the gap will ship cut */
  #midLine = new Map<string, boolean>();
  /** per stream: that cut line's newline is in the dropped bytes, and must not count as a dropped line */
  #skipNewline = new Map<string, boolean>();
  /**
   * per stream: the dropped bytes end inside a line, so the next chunk opens with that line's tail:
   * shipped, it would be a line's end without its start (a fragment taken for a line of its own)
   */
  #lostMidLine = new Map<string, boolean>();
  /** dropped since the last notice event, which goes to the drains at most once per interval */
  #unreported = { bytes: 0, lines: 0 };
  #lastNoticeAt = 0;

  /** FORWARDER_PIPELINE_BUFFER_BYTES: bytes handed to the pipeline and not yet framed, at most */
  readonly #maxBacklogBytes: number;
  /** the pipeline's last counts (every STATS_INTERVAL_MS), or zeros for every drain until the first */
  #lastSummary: RunSummary;
  /** set by interrupt(): the final flush stops now */
  #interrupted = false;
  #onInterrupt: (() => void) | undefined;
  /** when_full=block: nothing is dropped at the backlog; the reader waits for room (whenRoom) */
  readonly #block: boolean;
  /** block: how long the final flush may go on without progress before the pipeline is stopped */
  readonly #noProgressMs: number;

  constructor(
    start: PipelineStarter,
    writeLog: (line: string) => void,
    maxBacklogBytes: number,
    drains: readonly { id: string; endpoint: string }[],
    flow: { block: boolean; noProgressMs: number } = { block: false, noProgressMs: 0 },
  ) {
    this.#maxBacklogBytes = maxBacklogBytes;
    this.#block = flow.block;
    this.#noProgressMs = flow.noProgressMs;
    this.#lastSummary = emptySummary(drains);
    let resolveReady!: (d: { id: string; endpoint: string }[]) => void;
    this.#ready = new Promise((r) => (resolveReady = r));
    let resolveDone!: (summary: RunSummary | undefined) => void;
    this.#done = new Promise((r) => (resolveDone = r));
    this.#port = start((m) => {
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
          resolveDone(m.summary);
          break;
        case 'failed':
          this.#dead = true;
          writeLog(
            `forwarder: error: the pipeline stopped (${m.message}); the app keeps running, nothing more is shipped\n`,
          );
          resolveReady([]);
          resolveDone(undefined);
          break;
      }
    }, this.#flow);
  }

  ready(): Promise<{ id: string; endpoint: string }[]> {
    return this.#ready;
  }

  /**
   * A chunk of the app's output, copied before it is posted: the reader reads into the same memory
   * again. `owned`: the chunk is a private copy already (held before the pipeline existed), posted
   * as it is.
   */
  write(stream: string, read: Buffer, readAt: number, owned = false): void {
    this.#sawInput();
    let chunk = read;
    // kept for every read, dropped or not: the pipeline gives way while the app writes flat out
    if (chunk.length >= FULL_READ_BYTES) this.#flow.fullReadAt = performance.now();
    if (this.#dead) {
      this.#countDrop(chunk.length, countNewlines(chunk));
      return;
    }
    if (!this.#block && this.backlogBytes + chunk.length > this.#maxBacklogBytes) {
      this.drop(stream, chunk);
      return;
    }
    if (this.#lostMidLine.get(stream)) {
      // the tail of a line whose start was dropped is dropped with it, up to and with its newline
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.drop(stream, chunk);
        return;
      }
      this.drop(stream, chunk.subarray(0, nl + 1));
      chunk = chunk.subarray(nl + 1);
    }
    const lost = this.#lost.get(stream);
    if (lost) {
      this.#lost.delete(stream);
      this.#skipNewline.delete(stream);
      this.#post({ t: 'gap', stream, lostBytes: lost });
      if (Date.now() - this.#lastNoticeAt >= DROP_NOTICE_INTERVAL_MS) this.#noticeDrops();
      if (chunk.length === 0) {
        this.#midLine.set(stream, false);
        return;
      }
    }
    this.#midLine.set(stream, chunk[chunk.length - 1] !== 10);
    this.#posted += chunk.length;
    if (owned) {
      this.#port.post({ t: 'chunk', stream, bytes: chunk, readAt });
      return;
    }
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    this.#port.post({ t: 'chunk', stream, bytes, readAt });
  }

  /**
   * A chunk of the app's output the pipeline will not get (the backlog is full, or it came before
   * the pipeline existed and past the bound it is held to): counted, and the gap marked.
   */
  drop(stream: string, chunk: Buffer): void {
    this.#dropCounted(stream, chunk.length, countNewlines(chunk), chunk[chunk.length - 1] !== 10);
  }

  /**
   * Bytes of one stream dropped in a row, already counted (what came past the bound before the
   * pipeline existed, HeldOutput): the same accounting as dropping them chunk by chunk.
   */
  dropRun(stream: string, run: DroppedRun): void {
    this.#sawInput();
    if (run.bytes > 0) this.#dropCounted(stream, run.bytes, run.newlines, run.endsMidLine);
  }

  #dropCounted(stream: string, bytes: number, newlines: number, endsMidLine: boolean): void {
    if (!this.#lost.has(stream) && this.#midLine.get(stream)) this.#skipNewline.set(stream, true);
    let lines = newlines;
    if (lines > 0 && this.#skipNewline.get(stream)) {
      this.#skipNewline.delete(stream);
      lines--;
    }
    this.#countDrop(bytes, lines);
    this.#lost.set(stream, (this.#lost.get(stream) ?? 0) + bytes);
    this.#lostMidLine.set(stream, endsMidLine);
  }

  /** block: the backlog is at its bound; the reader should wait for whenRoom() before reading on. */
  get full(): boolean {
    return this.#block && !this.#dead && this.backlogBytes >= this.#maxBacklogBytes;
  }

  /**
   * block: resolves once the backlog is below half its bound (or the pipeline stopped): reading
   * resumes in large steps rather than chunk by chunk. Polled: the pipeline counts what it frames
   * and sends no message per chunk.
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

  // declared before inputPace, whose promise sets #onInputSeen as it is made
  #inputSeen = false;
  #onInputSeen: () => void = () => undefined;
  /** how the input comes (flat-out.ts): the pipeline's loading waits while it comes flat out */
  readonly inputPace: InputPace = {
    fullReadAt: () => this.#flow.fullReadAt,
    seen: () => this.#inputSeen,
    first: new Promise((resolve) => {
      this.#onInputSeen = resolve;
    }),
  };
  #sawInput(): void {
    if (this.#inputSeen) return;
    this.#inputSeen = true;
    this.#onInputSeen();
  }

  /** Bytes posted and not yet framed by the pipeline: tail stops reading above a mark instead of dropping. */
  get backlogBytes(): number {
    return this.#posted - this.#flow.consumed;
  }

  /**
   * tail: whole lines of a followed file. The caller keeps the backlog low (a file can wait), so
   * nothing is dropped here unless the pipeline stopped.
   */
  writeFile(file: string, format: TailFormat, chunk: Buffer, readAt: number): void {
    this.#sawInput();
    if (this.#dead) {
      this.#countDrop(chunk.length, countNewlines(chunk));
      return;
    }
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    this.#posted += chunk.length;
    this.#port.post({ t: 'fileChunk', file, format, bytes, readAt });
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
    this.#sawInput();
    const lost = this.#lost.get(stream);
    if (lost) {
      // a last line with no newline, begun in the dropped bytes, is a lost line too
      if (this.#lostMidLine.get(stream) && !this.#skipNewline.get(stream)) this.#countLostLines(1);
      this.#post({ t: 'gap', stream, lostBytes: lost });
    }
    this.#lost.delete(stream);
    this.#lostMidLine.delete(stream);
    this.#skipNewline.delete(stream);
    this.#post({ t: 'endStream', stream });
    if (this.#unreported.bytes > 0) this.#noticeDrops();
  }

  /**
   * Lines are counted by their newlines: what the pipeline would have framed. A line begun in
   * bytes the pipeline has is shipped cut at the gap, so its newline is not a lost line (dropRun).
   */
  #countDrop(bytes: number, lines: number): void {
    this.dropped.bytes += bytes;
    this.#unreported.bytes += bytes;
    this.#countLostLines(lines);
  }

  #countLostLines(lines: number): void {
    this.dropped.lines += lines;
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
   * pipeline stopped, was stopped past the deadline, or the flush was interrupted) the last ones it
   * reported, with what the drains still held counted as dropped.
   */
  async finish(deadlineAt: number): Promise<FlushResult> {
    this.#sawInput();
    this.#post({ t: 'finish', deadlineAt });
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      if (!this.#block) {
        timer = setTimeout(() => resolve('overdue'), Math.max(0, deadlineAt - Date.now()) + STOP_GRACE_MS);
        return;
      }
      // block: the pipeline is stopped only once nothing has moved (bytes framed, events settled)
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
        if (now - movedAt >= this.#noProgressMs + STOP_GRACE_MS) resolve('overdue');
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
        'the pipeline did not finish by the flush deadline and was stopped',
      );
    }
    this.#port.stop();
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

  #stopWithLastCounts(reason: string, cutShort: string): FlushResult {
    // the pipeline reports its counts as it stops: they are the last ones
    this.#port.stop();
    const summary = countPendingAs(this.#lastSummary, reason);
    if (reason === 'flush_deadline')
      for (const d of summary.drains) if (d.dropped.flush_deadline) d.deadlineCut = true;
    return { summary, cutShort: `${cutShort}; counts as it last reported them` };
  }

  /** Changes whenever the pipeline frames bytes or a drain settles events (from its periodic counts). */
  #progressMark(): string {
    let settled = 0;
    for (const d of this.#lastSummary.drains) {
      settled += d.delivered;
      for (const n of Object.values(d.dropped)) settled += n;
    }
    return `${this.#flow.consumed}:${settled}`;
  }

  #post(m: ToPipeline): void {
    if (!this.#dead) this.#port.post(m);
  }
}

/**
 * The pipeline for a session, on this thread; undefined when no drain is enabled (then nothing is
 * parsed at all: the forwarder is a transparent wrapper). Its code is loaded only then.
 */
export function startPipeline(session: Session): PipelineHost | undefined {
  if (session.drains.length === 0) return undefined;
  const { core } = session;
  const block = whenFullFor(session) === 'block';
  if (session.config.isSet('pipeline_niceness'))
    session.logger.warn(
      `${session.config.nameOf('pipeline_niceness')} has no effect: the pipeline runs on the main thread in short turns that give way to the pass-through`,
    );
  const flags = runtimeV8Flags(block, session.drains.length * core.bufferBytes + core.pipelineBufferBytes);
  // The flags change V8's flag hash, and a script compiled after that misses every code cache
  // made under start-up's flags, node's own built-ins' included: the pipeline's code and the HTTP
  // client are loaded first (nothing runs in the pipeline before the flags are set).
  const httpDrain = session.drains.some((d) => d.spec.request !== undefined || d.spec.sendsOverHttp === true);
  // when_full=drop: each step waits while the app writes flat out (whenInputEases, flat-out.ts),
  // all of them together at most START_DEFER_MAX_MS from the input's first bytes
  let deferUntil = 0;
  const eased = (): Promise<void> =>
    block ? Promise.resolve() : whenInputEases(host.inputPace, Math.max(0, deferUntil - performance.now()));
  // (a microtask later: `host` is made below)
  const runner = Promise.resolve()
    .then(() => (block ? undefined : whenInputStarts(host.inputPace)))
    .then(() => {
      deferUntil = performance.now() + START_DEFER_MAX_MS;
      return eased();
    })
    .then(async () => {
      const m = await import('./pipeline-runner.js');
      await eased();
      if (httpDrain) await loadHttpClient();
      // the drains and the pipeline are set up once this resolves (portOnceLoaded)
      await eased();
      // the pipeline's turns read the clock: the global `performance` loads node's perf_hooks at its first use
      performance.now();
      setFlagsFromString(flags);
      return m;
    });
  const host: PipelineHost = new PipelineHost(
    (emit, flow) =>
      portOnceLoaded(
        runner.then(({ startPipelineRunner }) =>
          startPipelineRunner(
            {
              config: session.config,
              identity: session.identity,
              mode: session.inputs.mode,
              drains: session.drains,
              block,
            },
            emit,
            flow,
          ),
        ),
        emit,
      ),
    writeStderr,
    core.pipelineBufferBytes,
    session.drains.map((d) => ({ id: d.spec.id, endpoint: d.spec.endpoint(d.config as never) })),
    { block, noProgressMs: core.flushTimeoutMs },
  );
  return host;
}

/**
 * A port for a pipeline whose code is still loading: what is posted meanwhile waits here, in
 * order (the app's first output is bounded by the backlog like any other).
 */
function portOnceLoaded(loading: Promise<PipelinePort>, emit: (m: FromPipeline) => void): PipelinePort {
  let port: PipelinePort | undefined;
  let waiting: ToPipeline[] = [];
  let stopped = false;
  loading.then(
    (p) => {
      if (stopped) return p.stop();
      port = p;
      for (const m of waiting) p.post(m);
      waiting = [];
    },
    (err: Error) => emit({ t: 'failed', message: err.message }),
  );
  return {
    post: (m) => (port ? port.post(m) : void waiting.push(m)),
    stop: () => {
      stopped = true;
      waiting = [];
      port?.stop();
    },
  };
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
