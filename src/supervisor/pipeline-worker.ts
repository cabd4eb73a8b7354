import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { coreOptions } from '../config/index.js';
import { buildControlStages } from '../drains/core/control-stages.js';
import { Drain } from '../drains/core/drain.js';
import { withFieldSelection } from '../drains/core/field-selection.js';
import { heldBytesAtMost } from '../drains/core/held-bytes.js';
import { PauseBoard } from '../drains/core/pause-board.js';
import { configureDrains } from '../drains/registry.js';
import { inputFormat } from '../pipeline/container-format.js';
import type { LogEvent } from '../pipeline/event.js';
import { PodinfoFollower } from '../pipeline/k8s-identity.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { redactorFrom } from '../pipeline/redact-config.js';
import { createLogger } from '../telemetry/logger.js';
import { VERSION } from '../version.js';
import { configFromSnapshot } from './config-snapshot.js';
import {
  countPendingAs,
  type FromWorker,
  type RunSummary,
  type ToWorker,
  type WorkerInit,
} from './messages.js';

/** How often the counts go to the main thread. */
const STATS_INTERVAL_MS = 500;

/**
 * The pipeline and the drains run here, off the main thread, so that pass-through of the app's
 * output never competes with parsing, encoding or compression for the event loop.
 */
/**
 * The pipeline thread runs below the app (FORWARDER_PIPELINE_NICENESS, default +19): on a machine
 * the app keeps busy, the scheduler gives the app the CPU first and the pipeline what is left, so
 * shipping falls behind (the bounded buffers drop, counted) rather than the app slowing down. The
 * pass-through on the main thread keeps its normal priority. Linux: this thread alone
 * (setpriority on its thread id); elsewhere nothing happens.
 */
function lowerThreadPriority(niceness: number): void {
  if (niceness <= 0) return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/')[2]);
    if (Number.isInteger(tid)) setPriority(tid, Math.min(19, getPriority(tid) + niceness));
  } catch {
    // No /proc, or not permitted: the pipeline keeps the process's priority.
  }
}

export async function runPipelineWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runPipelineWorker must run in a worker thread');
  const init = workerData as WorkerInit;
  const post = (m: FromWorker): void => port.postMessage(m);
  /** shared with the main thread: bytes framed so far (mod 2^32), its measure of our backlog */
  const consumed = init.consumed ?? new Int32Array(1);

  const config = configFromSnapshot(init.config);
  const core = coreOptions(config);
  lowerThreadPriority(core.pipelineNiceness);
  const logger = createLogger({
    level: core.logLevel,
    format: core.logFormat,
    write: (line) => post({ t: 'log', line }),
  });
  const ctx = { identity: init.identity, version: VERSION, requestTimeoutMs: core.requestTimeoutMs };
  // Problems were reported by the main thread before the app started; here only the good ones run.
  const { drains: configured } = configureDrains(config, ctx);
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
  const controlTicker = controls.needsTick ? setInterval(() => controls.tick(), 250) : undefined;
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
  const ticker = core.multiline.enabled ? setInterval(() => pipeline!.tick(Date.now()), tickMs) : undefined;

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
  // The host keeps the last counts, so the summary has every drain's even if this thread must be stopped.
  const statsTimer = setInterval(() => post({ t: 'stats', summary: summaryNow() }), STATS_INTERVAL_MS);
  statsTimer.unref();

  const handle = (m: ToWorker): void => {
    switch (m.t) {
      case 'chunk':
        pipeline!.write(
          m.stream,
          Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength),
          m.readAt,
        );
        Atomics.add(consumed, 0, m.bytes.byteLength);
        break;
      case 'gap':
        pipeline!.gap(m.stream, m.lostBytes);
        break;
      case 'fileChunk':
        pipeline!.writeFile(
          m.file,
          m.format,
          Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength),
          m.readAt,
        );
        Atomics.add(consumed, 0, m.bytes.byteLength);
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
        ).then(() => {
          clearInterval(statsTimer);
          post({ t: 'done', summary: summaryNow() });
          port.close();
        });
        break;
      case 'interrupt': {
        clearInterval(statsTimer);
        podinfo?.stop();
        unschedule();
        post({ t: 'done', summary: countPendingAs(summaryNow(), 'interrupted') });
        port.close();
        break;
      }
    }
  };

  // Messages are taken from the port into this inbox and handled one input chunk per turn of the
  // event loop: a port hands over everything queued in one go, and handling a burst of chunks
  // back to back would starve the drains' I/O callbacks (a file drain's write completion) until
  // the burst is framed, so their queues would overflow. Unhandled chunks are not yet counted as
  // consumed: the host's backlog bound (FORWARDER_PIPELINE_BUFFER_BYTES) bounds this list.
  // when_full=block: a chunk also waits here while a drain's queue has no room for it, the host's
  // backlog fills, and the host stops reading.
  const inbox: ToWorker[] = [];
  let inboxHead = 0;
  /** the next turn, when one is due: at once (setImmediate), or after HELD_RETRY_MS when held for room */
  let scheduled: { immediate: NodeJS.Immediate } | { timer: NodeJS.Timeout } | undefined;
  /** block: the held chunk's heldBytesAtMost, kept while it waits (it is asked again on every settle) */
  let heldCost = -1;
  const turn = (): void => {
    scheduled = undefined;
    while (inboxHead < inbox.length) {
      const m = inbox[inboxHead]!;
      const isChunk = m.t === 'chunk' || m.t === 'fileChunk';
      if (isChunk && init.block) {
        if (heldCost < 0) heldCost = heldBytesAtMost(m.bytes);
        if (!roomFor(heldCost, Date.now())) {
          // a settled batch asks again at once (onSettled); the timer notices a drain that stalled
          scheduled = { timer: setTimeout(turn, HELD_RETRY_MS) };
          return;
        }
        heldCost = -1;
      }
      inbox[inboxHead++] = undefined as never;
      handle(m);
      if (isChunk) break;
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
    scheduled = { immediate: setImmediate(turn) };
  };
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

  port.on('message', (m: ToWorker) => {
    if (m.t === 'interrupt') return handle(m);
    inbox.push(m);
    scheduled ??= { immediate: setImmediate(turn) };
  });
}

/** block: besides every settled batch, how often a held chunk is offered again (to notice a drain that stalled). */
const HELD_RETRY_MS = 50;
