import type { Readable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';

type Subprocess = ResultPromise<{
  stdin: 'inherit';
  stdout: 'pipe';
  stderr: 'pipe';
  buffer: false;
  reject: false;
}>;

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
 * Spawns the command without a shell, stdin inherited, stdout and stderr piped and passed through
 * to ours byte for byte. Back-pressure from our stdout reaches the child exactly as it would
 * without us (we pause reading); nothing downstream of the pass-through can hold it back.
 */
export class ChildSource {
  readonly process: Subprocess;
  readonly #exited: Promise<ChildExit>;
  readonly #streamsEnded: Promise<void>;

  constructor(
    command: string,
    args: readonly string[],
    opts: { detached: boolean; handlers: ChildHandlers },
  ) {
    this.process = execa(command, args, {
      stdin: 'inherit',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      stripFinalNewline: false,
      // We forward signals ourselves and never escalate to SIGKILL behind the user's back.
      forceKillAfterDelay: false,
      cleanup: true,
      detached: opts.detached,
    });
    // execa's own promise settles after exit; we read exit and stream ends ourselves.
    this.process.catch(() => undefined);
    this.#exited = new Promise((resolve) => {
      this.process.once('error', (err: NodeJS.ErrnoException) => {
        if (this.process.pid === undefined) resolve({ code: null, signal: null, spawnError: err });
      });
      this.process.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const out = this.process.stdout as Readable;
    const err = this.process.stderr as Readable;
    this.#streamsEnded = Promise.all([
      passThrough(out, process.stdout, 'stdout', opts.handlers),
      passThrough(err, process.stderr, 'stderr', opts.handlers),
    ]).then(() => undefined);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  exited(): Promise<ChildExit> {
    return this.#exited;
  }

  /**
   * After the child exits, its last words may still be in the pipes; a grandchild that kept them
   * open would hold us forever, so the wait is bounded.
   */
  async drained(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      timer = setTimeout(r, graceMs);
    });
    await Promise.race([this.#streamsEnded, timeout]);
    clearTimeout(timer);
    (this.process.stdout as Readable).destroy();
    (this.process.stderr as Readable).destroy();
  }

  kill(signal: NodeJS.Signals, group: boolean): void {
    const pid = this.process.pid;
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
  dst: NodeJS.WriteStream,
  name: 'stdout' | 'stderr',
  handlers: ChildHandlers,
): Promise<void> {
  return new Promise((resolve) => {
    let dstBroken = false;
    dst.on('error', (err: NodeJS.ErrnoException) => {
      // Our reader went away: the child gets EPIPE on its next write, as it would without us.
      dstBroken = true;
      if (err.code === 'EPIPE') src.destroy();
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
