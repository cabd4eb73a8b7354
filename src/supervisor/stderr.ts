/**
 * Our own lines share stderr with the app's pass-through: each of ours starts on a fresh line,
 * even when the app's last line has no newline yet (`err2-no-nlforwarder: summary: …` otherwise).
 * One per process, as stderr is.
 */
class SharedStderr {
  /** the app's last byte on stderr was not a newline */
  #appMidLine = false;

  /** The pass-through wrote this chunk of the app's stderr (per chunk, one byte looked at). */
  passed(chunk: Uint8Array): void {
    if (chunk.length > 0) this.#appMidLine = chunk[chunk.length - 1] !== 10;
  }

  writeLine(line: string): void {
    const text = line.endsWith('\n') ? line : `${line}\n`;
    process.stderr.write(this.#appMidLine ? `\n${text}` : text);
    this.#appMidLine = false;
  }
}

/** One per process, kept on globalThis for the same reason as signalInbox (the bundle holds this module twice). */
const shared = globalThis as { forwarderStderr?: SharedStderr };
export const ownStderr: SharedStderr = (shared.forwarderStderr ??= new SharedStderr());
