import { fstatSync } from 'node:fs';

/**
 * Our own lines share stderr with the app's pass-through: each of ours starts on a fresh line,
 * even when the app's last line has no newline yet (`err2-no-nlforwarder: summary: …` otherwise).
 * One per process, as stderr is.
 */
class SharedStderr {
  /** the app's last byte on stderr (or on stdout, when both are one file) was not a newline */
  #appMidLine = false;
  #sharesStdout: boolean | undefined;
  /** some of the app's output has passed to our stderr (or to stdout, when both are one file) */
  #appWrote = false;
  #deferred: (() => void)[] = [];

  /**
   * The pass-through wrote this chunk to our stdout or stderr (per chunk, one byte looked at).
   * Stdout counts only when fd 1 and fd 2 are the same open file (`2>&1`, one pipe, one tty):
   * then the last byte written to either, in write order, is what our next line follows.
   */
  passed(chunk: Uint8Array, stream: 'stdout' | 'stderr' = 'stderr'): void {
    if (chunk.length === 0) return;
    if (stream === 'stdout' && !this.#stdoutIsStderr()) return;
    this.#appWrote = true;
    this.#appMidLine = chunk[chunk.length - 1] !== 10;
  }

  #stdoutIsStderr(): boolean {
    if (this.#sharesStdout === undefined) {
      try {
        const [out, err] = [fstatSync(1), fstatSync(2)];
        this.#sharesStdout = out.dev === err.dev && out.ino === err.ino && out.rdev === err.rdev;
      } catch {
        this.#sharesStdout = false;
      }
    }
    return this.#sharesStdout;
  }

  /**
   * A notice about the whole run (no drain configured): before the app's first byte when none has
   * passed yet, else held until our next line or the exit, so the app's output stays byte-exact.
   */
  beforeAppOutputOrLater(write: () => void): void {
    if (!this.#appWrote) write();
    else this.#deferred.push(write);
  }

  /** Writes what beforeAppOutputOrLater held (at exit, on a fresh line). */
  writeDeferred(): void {
    const deferred = this.#deferred;
    this.#deferred = [];
    for (const write of deferred) write();
  }

  writeLine(line: string): void {
    if (this.#deferred.length > 0) this.writeDeferred();
    const text = line.endsWith('\n') ? line : `${line}\n`;
    process.stderr.write(this.#appMidLine ? `\n${text}` : text);
    this.#appMidLine = false;
  }
}

/** One per process, kept on globalThis for the same reason as signalInbox (the bundle holds this module twice). */
const shared = globalThis as { forwarderStderr?: SharedStderr };
export const ownStderr: SharedStderr = (shared.forwarderStderr ??= new SharedStderr());
