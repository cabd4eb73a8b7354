import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { makeOsPipes } from './os-pipe.js';

export interface ChildHandlers {
  /** every chunk the child writes, in order, per stream; called after the pass-through write */
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
    const readers: Readable[] = pipes
      ? pipes.map((p) => new Socket({ fd: p.read, readable: true, writable: false }))
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
    const [out, err] = readers;
    this.#streamsEnded =
      out && err
        ? Promise.all([
            passThrough(out, opts.out ?? process.stdout, 'stdout', opts.handlers),
            passThrough(err, opts.err ?? process.stderr, 'stderr', opts.handlers),
          ]).then(() => undefined)
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

function passThrough(
  src: Readable,
  dst: NodeJS.WritableStream,
  name: 'stdout' | 'stderr',
  handlers: ChildHandlers,
): Promise<void> {
  return new Promise((resolve) => {
    let dstBroken = false;
    dst.on('error', (err: NodeJS.ErrnoException) => {
      dstBroken = true;
      // Our reader went away: closing our end gives the child SIGPIPE / EPIPE on its next write,
      // as it would get without us. What it wrote before is still shipped.
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
    src.once('end', resolve);
    src.once('close', resolve);
    src.once('error', () => resolve());
  });
}
