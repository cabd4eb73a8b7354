import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { coreOptions, loadAll } from '../config/index.js';
import { Drain } from '../drains/core/drain.js';
import { configureDrains } from '../drains/registry.js';
import { inputFormat } from '../pipeline/container-format.js';
import type { LogEvent } from '../pipeline/event.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { createLogger } from '../telemetry/logger.js';
import { VERSION } from '../version.js';
import type { FromWorker, ToWorker, WorkerInit } from './messages.js';

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

  const config = loadAll(init.inputs);
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
  const drains = configured.map(
    (d) =>
      new Drain(d.spec, d.config, {
        ...ctx,
        bufferBytes: core.bufferBytes,
        batchWaitMs: core.batchWaitMs,
        logger,
        nextSeq,
        ...(metrics ? { onRequest: metrics.observer(d.spec.id) } : {}),
      }),
  );
  const fanOut = (ev: LogEvent): void => {
    for (let i = 0; i < drains.length; i++) drains[i]!.push(ev);
  };
  pipeline = new Pipeline(
    {
      maxLineBytes: core.maxLineBytes,
      multiline: core.multiline,
      defaultLevels: core.defaultLevels,
      inputFormat: init.inputs.mode === 'pipe' ? inputFormat(config.get<string>('pipe_format')) : 'plain',
    },
    fanOut,
  );
  if (metrics && core.metricsAddr) {
    const { host, port } = core.metricsAddr;
    metrics.attach({
      pipeline: () => pipeline!.stats,
      drains,
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
  const tickMs = Math.max(20, Math.min(250, Math.floor(core.multiline.timeoutMs / 4)));
  const ticker = core.multiline.enabled ? setInterval(() => pipeline!.tick(Date.now()), tickMs) : undefined;

  post({ t: 'ready', drains: drains.map((d) => ({ id: d.id, endpoint: d.endpoint })) });

  port.on('message', (m: ToWorker) => {
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
      case 'endStream':
        pipeline!.endStream(m.stream);
        break;
      case 'lifecycle':
        pipeline!.lifecycle(m.kind, m.message, m.level, m.data, m.at);
        break;
      case 'finish':
        if (ticker) clearInterval(ticker);
        pipeline!.end();
        void Promise.all(drains.map((d) => d.close(m.deadlineAt))).then(() => {
          post({
            t: 'done',
            summary: {
              pipeline: pipeline!.stats,
              drains: drains.map((d) => ({ id: d.id, endpoint: d.endpoint, ...d.stats })),
            },
          });
          port.close();
        });
        break;
    }
  });
}
