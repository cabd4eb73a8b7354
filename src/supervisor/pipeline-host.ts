import { Worker } from 'node:worker_threads';
import type { TailFormat } from '../pipeline/container-format.js';
import type { FromWorker, RunSummary, ToWorker, WorkerInit } from './messages.js';

/**
 * The main thread's side of the pipeline worker. `write` never blocks and never throws: the
 * bytes are copied and posted; if the worker has fallen far behind (or died), they are dropped,
 * counted, and the worker is told so that the cut line is marked.
 */
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
  droppedBytes = 0;

  /** FORWARDER_PIPELINE_BUFFER_BYTES: bytes handed to the worker and not yet framed, at most */
  readonly #maxBacklogBytes: number;

  constructor(entry: URL, init: WorkerInit, writeLog: (line: string) => void, maxBacklogBytes: number) {
    this.#maxBacklogBytes = maxBacklogBytes;
    this.#worker = new Worker(entry, {
      workerData: { ...init, consumed: this.#consumed } satisfies WorkerInit,
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
      this.droppedBytes += chunk.length;
      return;
    }
    if (this.backlogBytes + chunk.length > this.#maxBacklogBytes) {
      this.droppedBytes += chunk.length;
      this.#lost.set(stream, (this.#lost.get(stream) ?? 0) + chunk.length);
      return;
    }
    const lost = this.#lost.get(stream);
    if (lost) {
      this.#lost.delete(stream);
      this.#post({ t: 'gap', stream, lostBytes: lost });
    }
    // A copy of exactly this chunk, transferred: cloning the Buffer would copy its whole pooled backing store.
    const bytes = new Uint8Array(chunk.length);
    bytes.set(chunk);
    this.#posted = (this.#posted + chunk.length) | 0;
    this.#worker.postMessage({ t: 'chunk', stream, bytes, readAt } satisfies ToWorker, [bytes.buffer]);
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
      this.droppedBytes += chunk.length;
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

  lifecycle(kind: string, message: string, level: number, data: Record<string, unknown>): void {
    this.#post({ t: 'lifecycle', kind, message, level, data, at: Date.now() });
  }

  endStream(stream: string): void {
    const lost = this.#lost.get(stream);
    if (lost) this.#post({ t: 'gap', stream, lostBytes: lost });
    this.#lost.delete(stream);
    this.#post({ t: 'endStream', stream });
  }

  /** Final flush under the deadline; resolves with the summary (undefined if the worker died). */
  async finish(deadlineAt: number): Promise<RunSummary | undefined> {
    this.#post({ t: 'finish', deadlineAt });
    // Past the deadline plus a grace period the worker is stopped whatever it is doing.
    const grace = setTimeout(
      () => void this.#worker.terminate(),
      Math.max(0, deadlineAt - Date.now()) + 2000,
    );
    const summary = await this.#done;
    clearTimeout(grace);
    await this.#worker.terminate();
    return summary;
  }

  #post(m: ToWorker): void {
    if (!this.#dead) this.#worker.postMessage(m);
  }
}
