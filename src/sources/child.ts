import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { Socket, type SocketConstructorOpts } from 'node:net';
import type { Readable } from 'node:stream';
import { makeOsPipes } from './os-pipe.js';

export interface ChildHandlers {
  /**
   * every chunk the child writes, in order, per stream; called after the pass-through write. The
   * chunk's memory is read into again after the call: what is kept must be copied.
   */
  onChunk(stream: 'stdout' | 'stderr', chunk: Buffer, readAt: number): void;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** set when the command could not be started: ENOENT, EACCES, … */
  spawnError?: NodeJS.ErrnoException;
}

/**
 * Spawns the command without a shell, stdin inherited, stdout and stderr on real pipes (see
 * makeOsPipes) that we read and pass through to ours byte for byte. Back-pressure from our stdout
 * reaches the child exactly as it would without us (we pause reading); nothing downstream of the
 * pass-through can hold it back. When our stdout is closed (`| head`), we close our end of the
 * child's stdout pipe: its next write gets SIGPIPE / EPIPE, as in a shell pipeline.
 */
export class ChildSource {
  readonly #child: ChildProcess | undefined;
  readonly #exited: Promise<ChildExit>;
  /** settled from the constructor on: the spawn may succeed or fail before anyone asks */
  readonly #spawned: Promise<boolean>;
  readonly #streams: Readable[];
  readonly #streamsEnded: Promise<void>;
  /** false when real pipes could not be made and the child got socket pairs */
  readonly realPipes: boolean;
  /** epoch ms of the spawn: the app's run time is measured from here */
  readonly startedAt = Date.now();

  constructor(
    command: string,
    args: readonly string[],
    opts: {
      detached: boolean;
      handlers: ChildHandlers;
      /** our stdout and stderr (tests and the bench may pass others) */
      out?: NodeJS.WritableStream;
      err?: NodeJS.WritableStream;
    },
  ) {
    const pipes = makeOsPipes(2);
    this.realPipes = pipes !== undefined;
    let child: ChildProcess | undefined;
    let spawnError: NodeJS.ErrnoException | undefined;
    try {
      child = spawn(command, args, {
        stdio: ['inherit', pipes ? pipes[0]!.write : 'pipe', pipes ? pipes[1]!.write : 'pipe'],
        detached: opts.detached,
      });
    } catch (err) {
      // An argument Node refuses before trying (a NUL byte in the command): as if not found.
      spawnError = Object.assign(err as NodeJS.ErrnoException, { code: 'ENOENT' });
    } finally {
      // Only the child holds the write ends now: EOF comes when it (and what it started) closes them.
      if (pipes) for (const p of pipes) closeSync(p.write);
    }
    this.#child = child;
    const dsts = [opts.out ?? process.stdout, opts.err ?? process.stderr] as const;
    const names = ['stdout', 'stderr'] as const;
    const readers: Readable[] = pipes
      ? pipes.map((p, i) => readIntoOneBuffer(p.read, dsts[i]!, names[i]!, opts.handlers))
      : child
        ? [child.stdout!, child.stderr!]
        : [];
    this.#streams = readers;
    this.#spawned = new Promise((resolve) => {
      if (!child) return resolve(false);
      child.once('spawn', () => resolve(true));
      child.once('error', () => resolve(child.pid !== undefined));
    });
    this.#exited = new Promise((resolve) => {
      if (!child) {
        resolve({ code: null, signal: null, spawnError: spawnError! });
        return;
      }
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: err });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.#streamsEnded =
      readers.length === 2
        ? Promise.all(
            readers.map((r, i) => ended(pipes ? r : passThrough(r, dsts[i]!, names[i]!, opts.handlers))),
          ).then(() => undefined)
        : Promise.resolve();
    if (!child) for (const r of readers) r.destroy();
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Resolves when the process is running (false: it could not be started). */
  spawned(): Promise<boolean> {
    return this.#spawned;
  }

  exited(): Promise<ChildExit> {
    return this.#exited;
  }

  /**
   * After the child exits, its last words may still be in the pipes; a grandchild that kept them
   * open would hold us forever, so the wait is bounded. True when the grace ran out with a pipe
   * still open (what is written to it later is not read).
   */
  async drained(graceMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    let cut = false;
    const timeout = new Promise<void>((r) => {
      timer = setTimeout(() => {
        cut = true;
        r();
      }, graceMs);
    });
    await Promise.race([this.#streamsEnded, timeout]);
    clearTimeout(timer);
    for (const s of this.#streams) s.destroy();
    return cut;
  }

  kill(signal: NodeJS.Signals, group: boolean): void {
    const pid = this.#child?.pid;
    if (pid === undefined) return;
    try {
      if (group) process.kill(-pid, signal);
      else process.kill(pid, signal);
    } catch {
      // Already gone: the exit handler reports it.
    }
  }
}

/** Bytes per read of the app's pipe: libuv's own read size. */
export const READ_BUFFER_BYTES = 64 * 1024;

/**
 * The app's pipe, read into one buffer reused for every read (net.Socket's `onread`). Reading
 * into a fresh 64 KiB buffer per read, as a stream's 'data' does, leaves every one to the
 * garbage collector, and under a burst V8 lets ~30–50 MB of them pile up before it collects.
 * The buffer is read into again only once the previous chunk is out of it: the pass-through
 * write has completed (when our stdout cannot take it at once, reading pauses until it has,
 * the back-pressure the app would get without us) and onChunk, which copies what it keeps,
 * has returned.
 */
function readIntoOneBuffer(
  fd: number,
  dst: NodeJS.WritableStream,
  name: 'stdout' | 'stderr',
  handlers: ChildHandlers,
): Readable {
  let dstBroken = false;
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  // `onread` is in Node's constructor since 12.2 but not in @types/node's SocketConstructorOpts
  const options: SocketConstructorOpts & { onread: unknown } = {
    fd,
    readable: true,
    writable: false,
    onread: {
      buffer,
      callback: (nread: number): boolean => {
        const readAt = Date.now();
        const chunk = buffer.subarray(0, nread);
        let written = true;
        if (!dstBroken) {
          dst.write(chunk, () => {
            if (!written) src.resume();
          });
          // Still queued (not all taken by the kernel): the write refers to the buffer.
          written = (dst as { writableLength?: number }).writableLength === 0;
        }
        handlers.onChunk(name, chunk, readAt);
        return written;
      },
    },
  };
  const src = new Socket(options);
  dst.on('error', (err: NodeJS.ErrnoException) => {
    dstBroken = true;
    // Our reader went away: closing our end gives the child SIGPIPE / EPIPE on its next write,
    // as it would get without us. What it wrote before is still shipped.
    if (err.code === 'EPIPE') src.destroy();
    else src.resume();
  });
  return src;
}

/**
 * The fallback socket pairs (no mkfifo): read as a stream. onChunk may keep nothing of a chunk
 * past its call either way (see readIntoOneBuffer).
 */
function passThrough(
  src: Readable,
  dst: NodeJS.WritableStream,
  name: 'stdout' | 'stderr',
  handlers: ChildHandlers,
): Readable {
  let dstBroken = false;
  dst.on('error', (err: NodeJS.ErrnoException) => {
    dstBroken = true;
    // as in readIntoOneBuffer
    if (err.code === 'EPIPE') src.destroy();
    else src.resume();
  });
  src.on('data', (chunk: Buffer) => {
    const readAt = Date.now();
    if (!dstBroken && !dst.write(chunk)) {
      src.pause();
      dst.once('drain', () => src.resume());
    }
    handlers.onChunk(name, chunk, readAt);
  });
  return src;
}

function ended(src: Readable): Promise<void> {
  return new Promise((resolve) => {
    src.once('end', resolve);
    src.once('close', resolve);
    src.once('error', () => resolve());
  });
}
