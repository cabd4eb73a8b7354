import { coreOptions, type Mode } from '../config/index.js';
import type { ResolvedConfig } from '../config/load.js';
import { buildControlStages } from '../drains/core/control-stages.js';
import { Drain } from '../drains/core/drain.js';
import { withFieldSelection } from '../drains/core/field-selection.js';
import { heldBytesAtMost } from '../drains/core/held-bytes.js';
import { PauseBoard } from '../drains/core/pause-board.js';
import { type ConfiguredDrain, configureDrains } from '../drains/registry.js';
import { inputFormat } from '../pipeline/container-format.js';
import type { Identity, LogEvent } from '../pipeline/event.js';
import { PodinfoFollower } from '../pipeline/k8s-identity.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { redactorFrom } from '../pipeline/redact-config.js';
import { createLogger } from '../telemetry/logger.js';
import { VERSION } from '../version.js';
import { FLAT_OUT_MS } from './flat-out.js';
import { countPendingAs, type FromPipeline, type RunSummary, type ToPipeline } from './messages.js';

/** How often the counts go to the host (kept there for a summary if the pipeline must be stopped). */
const STATS_INTERVAL_MS = 500;

/**
 * One turn's work, at most, before the event loop gets back to the app's pipes (when_full=drop,
 * `run`). The app's pipe holds 64 KiB, which an app writing flat out fills in ~0.15 ms: a turn
 * longer than that holds the app back. A chunk is framed in slices of whole lines, and the turn
 * ends once its time is up (looked at after each slice); the rest waits for the next turn, after
 * the poll phase has read (and passed through) what the app wrote meanwhile.
 */
const DROP_TURN_BUDGET_MS = 0.1;
/**
 * when_full=drop while the app does not write flat out (its reads come short of FULL_READ_BYTES):
 * its pipe has room for more than a millisecond of its output, so a longer turn holds nothing
 * back and saves event-loop rounds.
 */
const CALM_TURN_BUDGET_MS = 1;
/**
 * when_full=drop: while the app writes flat out, the pipeline's share of this thread's time, at
 * most. Then every moment this thread is busy with the pipeline is a moment the app waits on a
 * full pipe, so after a turn of T ms the next one comes T × (1 / share − 1) ms later (a drain's
 * batch, encoded and compressed inside a turn, counts in T). What the pipeline cannot take
 * meanwhile is dropped at the backlog bound, counted (pipeline_backlog); once the app slows down,
 * the backlog is framed at full pace. This stands in for the pipeline thread's old nice 19.
 * 1%, not 5%: a turn that sends a batch encodes and compresses it whole, so turns overrun their
 * budget and the app waits; app slowdown (workload 1, medians of 7 quiet runs, drain up /
 * stalled) 1.152 / 1.150 at 5%, 1.051 / 1.034 at 1%, while what a flat-out burst keeps is the
 * same (200,000 lines into a file drain: 76,534 read at 5%, 75,776 at 1%; the backlog holds it).
 */
const DROP_BUSY_SHARE = 0.01;
/** when_full=block (pipe, tail): the input waits for us anyway; longer turns, fewer loop rounds. */
const BLOCK_TURN_BUDGET_MS = 4;
/** A slice: the bytes framed between two looks at the clock (~70 lines of ~110 bytes). */
const SLICE_BYTES = 8 * 1024;

/** What the pipeline needs from the session: read once, by the command, and shared. */
export interface RunnerInit {
  config: ResolvedConfig;
  identity: Identity;
  /** the command: `pipe` reads container records from stdin (--format), run and tail do not */
  mode: Mode;
  /** the drains the session configured (problems were reported then; only good ones run) */
  drains: readonly ConfiguredDrain[];
  /**
   * when_full=block (pipe, tail): chunks wait here, unframed and so still counted in the host's
   * backlog, while a drain's queue has no room for them; the host stops reading on that backlog.
   */
  block: boolean;
}

/** What the host and the pipeline share, read without a message per chunk. */
export interface PipelineFlow {
  /** bytes the pipeline has framed (the host's measure of the backlog) */
  consumed: number;
  /** performance.now() of the app's last read of half the read buffer or more (PipelineHost.write) */
  fullReadAt: number;
}

/** The host's handle on the pipeline (PipelineHost). */
export interface PipelinePort {
  /** a message for the pipeline: handled in a later turn (an input chunk), or at once */
  post(m: ToPipeline): void;
  /** stops it now, whatever it is doing: the counts so far are emitted first (`stats`) */
  stop(): void;
}

/**
 * The pipeline and the drains, on the main thread (one V8 isolate: a second one, a worker thread,
 * cost ~12 MB bare plus a second copy of every module). The pass-through stays first because the
 * pipeline's work comes in bounded turns (see DROP_TURN_BUDGET_MS), each from its own setImmediate,
 * so the event loop's poll phase reads the app's pipes between any two of them.
 *
 * A throw in pipeline or drain code must not take the pass-through down: turns and timers are
 * run under a catch, and while the pipeline runs a process-wide guard takes an uncaught exception
 * or rejection for the pipeline's: it is stopped (`failed`: one line, nothing more shipped) and
 * the app runs on.
 */
export function startPipelineRunner(
  init: RunnerInit,
  emit: (m: FromPipeline) => void,
  flow: PipelineFlow,
): PipelinePort {
  /** messages posted before the pipeline was set up (it awaits the metrics module, when asked for) */
  let early: ToPipeline[] | undefined = [];
  let running: { handle: (m: ToPipeline) => void; stop: () => void } | undefined;
  let stopped = false;
  const onCrash = (err: unknown): void => {
    if (!stopped) fail(err);
    // after that, whatever the stopped pipeline's callbacks still throw is ignored: the app runs on
  };
  const unguard = (): void => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    early = undefined;
    try {
      running?.stop();
    } catch {
      // stopping is best effort: the process exits soon
    }
  };
  const fail = (err: unknown): void => {
    if (stopped) return;
    stop();
    emit({ t: 'failed', message: err instanceof Error ? err.message : String(err) });
  };
  /** runs pipeline code: a throw stops the pipeline, never the caller */
  const guarded =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (stopped) return;
      try {
        fn(...args);
      } catch (err) {
        fail(err);
      }
    };
  const handle = guarded((m: ToPipeline) => running!.handle(m));
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  setUpPipeline(init, emit, flow, guarded).then(
    (r) => {
      if (stopped) return r.stop();
      running = r;
      const waiting = early ?? [];
      early = undefined;
      for (const m of waiting) handle(m);
    },
    (err) => fail(err),
  );
  return {
    post: (m) => {
      if (stopped) return;
      if (early) early.push(m);
      else handle(m);
    },
    stop: () => {
      if (!stopped && running) {
        try {
          running.stop();
        } catch {
          // best effort
        }
      }
      stopped = true;
      unguard();
    },
  };
}

type Guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => void;

async function setUpPipeline(
  init: RunnerInit,
  emit: (m: FromPipeline) => void,
  flow: PipelineFlow,
  guarded: Guard,
): Promise<{ handle: (m: ToPipeline) => void; stop: () => void }> {
  const post = emit;
  const { config } = init;
  const core = coreOptions(config);
  const logger = createLogger({
    level: core.logLevel,
    format: core.logFormat,
    write: (line) => post({ t: 'log', line }),
  });
  const ctx = { identity: init.identity, version: VERSION, requestTimeoutMs: core.requestTimeoutMs };
  const configured = init.drains;
  // prom-client is loaded only when metrics are asked for (start-up time).
  const metrics = core.metricsAddr ? new (await import('../telemetry/metrics.js')).Metrics() : undefined;
  let pipeline: Pipeline | undefined;
  const nextSeq = (): number => pipeline!.nextSeq();
  // one board of named pauses for all drains: a vendor's rate limit seen by one drain holds its siblings
  const pauses = new PauseBoard();
  const drains = configured.map(
    (d) =>
      new Drain(d.control?.fields ? withFieldSelection(d.spec, d.control.fields) : d.spec, d.config, {
        ...ctx,
        bufferBytes: core.bufferBytes,
        batchWaitMs: core.batchWaitMs,
        logger,
        nextSeq,
        pauses,
        ...(metrics ? { onRequest: metrics.observer(d.spec.id) } : {}),
        ...(init.block ? { onSettled: () => heldForRoom() } : {}),
      }),
  );
  // Per-drain control and redaction are decided here, once: a drain with no rule is fed directly,
  // and with no redaction configured the fan-out is the pipeline's sink as it was.
  const controls = buildControlStages(configured, drains, { instance: init.identity.instance, nextSeq });
  const entries = controls.entries;
  const fanOutAll = (ev: LogEvent): void => {
    for (let i = 0; i < entries.length; i++) entries[i]!(ev);
  };
  const redactor = redactorFrom(config);
  const fanOut = redactor
    ? (ev: LogEvent): void => {
        redactor.apply(ev);
        fanOutAll(ev);
      }
    : fanOutAll;
  const controlTicker = controls.needsTick
    ? setInterval(
        guarded(() => controls.tick()),
        250,
      )
    : undefined;
  controlTicker?.unref();
  pipeline = new Pipeline(
    {
      maxLineBytes: core.maxLineBytes,
      multiline: core.multiline,
      structured: core.structured,
      defaultLevels: core.defaultLevels,
      inputFormat: init.mode === 'pipe' ? inputFormat(config.get<string>('pipe_format')) : 'plain',
    },
    fanOut,
  );
  if (metrics && core.metricsAddr) {
    const { host, port } = core.metricsAddr;
    metrics.attach({
      pipeline: () => pipeline!.stats,
      drains,
      controls: controls.stages,
      redactions: () => redactor?.counts ?? {},
      // read at scrape time, when the follower below exists
      podinfoCuts: () => podinfo?.cuts,
      startedAt: Date.now(),
      unhealthyAfterMs: core.unhealthyAfterMs,
    });
    metrics.listen(host, port).then(
      (server) => {
        const bound = (server.address() as { port: number }).port;
        logger.debug(`metrics on http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`);
      },
      (err: NodeJS.ErrnoException) =>
        logger.error(
          `cannot serve metrics on ${host}:${port} (${err.code ?? err.message}); check FORWARDER_METRICS_ADDR`,
        ),
    );
  }
  // The pod's labels / annotations, followed: on a change the drains that send attributes take
  // their rebuilt identity parts once (Drain.reconfigure); the lines themselves check nothing.
  const podinfo = init.identity.podinfoDir
    ? new PodinfoFollower(ctx.identity, init.identity.podinfoDir, {
        intervalMs: config.get<number>('k8s_podinfo_poll')!,
        configured: config.get<Record<string, string>>('attributes') ?? {},
        warn: (message) => logger.warn(message),
        onChange: () => {
          const fresh = configureDrains(config, ctx);
          for (const d of drains) {
            if (!d.sendsAttributes) continue;
            const again = fresh.drains.find((f) => f.spec.id === d.id);
            if (again) d.reconfigure(again.config as never);
            else
              logger.warn(
                `drain ${d.id} keeps sending the pod's previous labels / annotations: ${fresh.problems.find((p) => p.id === d.id)?.message ?? 'it is no longer configured'}`,
              );
          }
          logger.debug(
            `the pod's labels / annotations changed (${init.identity.podinfoDir}): sent from now on`,
          );
        },
      })
    : undefined;
  podinfo?.start();
  const tickMs = Math.max(20, Math.min(250, Math.floor(core.multiline.timeoutMs / 4)));
  const ticker = core.multiline.enabled
    ? setInterval(
        guarded(() => pipeline!.tick(Date.now())),
        tickMs,
      )
    : undefined;

  post({ t: 'ready', drains: drains.map((d) => ({ id: d.id, endpoint: d.endpoint })) });

  const summaryNow = (): RunSummary => ({
    pipeline: structuredClone(pipeline!.stats),
    drains: drains.map((d, i) => ({
      id: d.id,
      endpoint: d.endpoint,
      ...d.stats,
      dropped: { ...d.stats.dropped },
      pending: d.pendingEvents,
      ...controls.statsOf(i),
    })),
    redactions: { ...(redactor?.counts ?? {}) },
  });
  // The host keeps the last counts, so the summary has every drain's even if the pipeline must be stopped.
  const statsTimer = setInterval(
    guarded(() => post({ t: 'stats', summary: summaryNow() })),
    STATS_INTERVAL_MS,
  );
  statsTimer.unref();

  /** an input chunk's bytes from `from` to its end, at most ~SLICE_BYTES cut after a newline */
  const sliceEnd = (bytes: Uint8Array, from: number): number => {
    if (bytes.length - from <= SLICE_BYTES) return bytes.length;
    const nl = bytes.indexOf(10, from + SLICE_BYTES);
    return nl === -1 ? bytes.length : nl + 1;
  };
  /** the part of the head chunk already framed (a chunk is framed over several turns) */
  let headOffset = 0;

  const handle = (m: ToPipeline): void => {
    switch (m.t) {
      case 'chunk':
      case 'fileChunk':
        // whole chunks only come here when it is handled at once (before the turns, never under load)
        frame(m, 0, m.bytes.length);
        break;
      case 'gap':
        pipeline!.gap(m.stream, m.lostBytes);
        break;
      case 'endFile':
        pipeline!.endFile(m.file);
        break;
      case 'caughtUp': {
        // groups, then batches: an event a closed group emits goes in the batch sent now
        let quietMs = Number.POSITIVE_INFINITY;
        for (const f of m.files) {
          pipeline!.fileQuiet(f.path, f.quietMs);
          quietMs = Math.min(quietMs, f.quietMs);
        }
        if (m.files.length > 0) for (const d of drains) d.inputQuiet(quietMs);
        break;
      }
      case 'endStream':
        pipeline!.endStream(m.stream);
        break;
      case 'lifecycle':
        pipeline!.lifecycle(m.kind, m.message, m.level, m.data, m.at);
        break;
      case 'finish':
        if (ticker) clearInterval(ticker);
        if (controlTicker) clearInterval(controlTicker);
        podinfo?.stop();
        pipeline!.end();
        controls.end();
        void Promise.all(
          drains.map((d) => d.close(m.deadlineAt, init.block ? core.flushTimeoutMs : undefined)),
        ).then(
          guarded(() => {
            clearInterval(statsTimer);
            post({ t: 'done', summary: summaryNow() });
          }),
        );
        break;
      case 'interrupt': {
        clearInterval(statsTimer);
        podinfo?.stop();
        unschedule();
        post({ t: 'done', summary: countPendingAs(summaryNow(), 'interrupted') });
        break;
      }
    }
  };
  const frame = (m: ToPipeline & { t: 'chunk' | 'fileChunk' }, from: number, to: number): void => {
    const piece = Buffer.from(m.bytes.buffer, m.bytes.byteOffset + from, to - from);
    if (m.t === 'chunk') pipeline!.write(m.stream, piece, m.readAt);
    else pipeline!.writeFile(m.file, m.format, piece, m.readAt);
    flow.consumed += to - from;
  };

  // Messages wait in this inbox and are handled in turns of the event loop, each bounded in time
  // (turnBudgetMs): the poll phase between two turns reads the app's pipes (the pass-through) and
  // runs the drains' I/O callbacks (a file drain's write completion), so neither waits for a burst
  // to be framed. Unhandled bytes are not yet counted as consumed: the host's backlog bound
  // (FORWARDER_PIPELINE_BUFFER_BYTES) bounds this list. when_full=block: a chunk also waits here
  // while a drain's queue has no room for it, the host's backlog fills, and the host stops reading.
  const flatOut = (now: number): boolean => now - flow.fullReadAt < FLAT_OUT_MS;
  const inbox: ToPipeline[] = [];
  let inboxHead = 0;
  /** the next turn, when one is due: at once (setImmediate), or after HELD_RETRY_MS when held for room */
  let scheduled: { immediate: NodeJS.Immediate } | { timer: NodeJS.Timeout } | undefined;
  /** block: the held chunk's heldBytesAtMost, kept while it waits (it is asked again on every settle) */
  let heldCost = -1;
  const turn = guarded((): void => {
    scheduled = undefined;
    const startedAt = performance.now();
    const turnBudgetMs = init.block
      ? BLOCK_TURN_BUDGET_MS
      : flatOut(startedAt)
        ? DROP_TURN_BUDGET_MS
        : CALM_TURN_BUDGET_MS;
    while (inboxHead < inbox.length) {
      const m = inbox[inboxHead]!;
      if (m.t === 'chunk' || m.t === 'fileChunk') {
        if (init.block && headOffset === 0) {
          if (heldCost < 0) heldCost = heldBytesAtMost(m.bytes);
          if (!roomFor(heldCost, Date.now())) {
            // a settled batch asks again at once (onSettled); the timer notices a drain that stalled
            scheduled = { timer: setTimeout(turn, HELD_RETRY_MS) };
            return;
          }
          heldCost = -1;
        }
        const to = sliceEnd(m.bytes, headOffset);
        frame(m, headOffset, to);
        if (to < m.bytes.length) headOffset = to;
        else {
          headOffset = 0;
          inbox[inboxHead++] = undefined as never;
        }
        if (performance.now() - startedAt >= turnBudgetMs) break;
        continue;
      }
      inbox[inboxHead++] = undefined as never;
      handle(m);
    }
    if (inboxHead === inbox.length) {
      inbox.length = 0;
      inboxHead = 0;
      return;
    }
    // a steady stream may never empty the inbox: drop the handled slots now and then
    if (inboxHead >= 1024 && inboxHead * 2 >= inbox.length) {
      inbox.splice(0, inboxHead);
      inboxHead = 0;
    }
    const now = performance.now();
    if (!init.block && flatOut(now)) {
      const restMs = (now - startedAt) * (1 / DROP_BUSY_SHARE - 1);
      scheduled = { timer: setTimeout(turn, restMs) };
    } else scheduled = { immediate: setImmediate(turn) };
  });
  /**
   * Every drain that is moving has room for what this chunk can become (heldBytesAtMost). A drain that has settled nothing for the flush timeout does not hold the
   * input back: its queue drops, counted, as under drop. An empty queue always takes a chunk.
   */
  const roomFor = (cost: number, now: number): boolean => {
    for (const d of drains) {
      const queued = d.queuedBytes;
      if (queued === 0 || queued + cost <= d.maxBytes) continue;
      if (!d.stalled(now, core.flushTimeoutMs)) return false;
    }
    return true;
  };
  /** block: a drain settled a batch; a chunk held for room is offered again now rather than at the timer */
  const heldForRoom = (): void => {
    if (scheduled === undefined || !('timer' in scheduled)) return;
    clearTimeout(scheduled.timer);
    scheduled = { immediate: setImmediate(turn) };
  };
  const unschedule = (): void => {
    if (scheduled === undefined) return;
    if ('timer' in scheduled) clearTimeout(scheduled.timer);
    else clearImmediate(scheduled.immediate);
    scheduled = undefined;
  };

  return {
    handle: (m: ToPipeline): void => {
      if (m.t === 'interrupt') handle(m);
      else {
        inbox.push(m);
        scheduled ??= { immediate: setImmediate(turn) };
      }
    },
    // stopped (a throw, or past the flush deadline): the counts first, then nothing more runs and
    // nothing more is sent (each drain's final flush is cut at once; its queue counted flush_deadline)
    stop: (): void => {
      post({ t: 'stats', summary: summaryNow() });
      for (const t of [ticker, controlTicker, statsTimer]) if (t) clearInterval(t);
      podinfo?.stop();
      unschedule();
      inbox.length = 0;
      inboxHead = 0;
      for (const d of drains) d.close(Date.now()).catch(() => undefined);
    },
  };
}

/** block: besides every settled batch, how often a held chunk is offered again (to notice a drain that stalled). */
const HELD_RETRY_MS = 50;
