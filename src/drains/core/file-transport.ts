import { type FileHandle, open } from 'node:fs/promises';
import { errorOutcome } from './classify.js';
import type { Outcome, Transport } from './types.js';

/**
 * Appends each batch to a file. The file is reopened after any failure, so a file removed or
 * rotated away is recreated, and a disk that was full is tried again.
 */
export class FileAppendTransport implements Transport {
  readonly #path: string;
  #handle: FileHandle | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  async send(payload: Buffer): Promise<Outcome> {
    try {
      this.#handle ??= await open(this.#path, 'a', 0o644);
      await this.#handle.write(payload);
      return { kind: 'ok' };
    } catch (err) {
      await this.#handle?.close().catch(() => undefined);
      this.#handle = undefined;
      const e = err as NodeJS.ErrnoException;
      // a full or read-only disk may recover; the file drain's classify decides which codes retry
      return errorOutcome(e.code === undefined ? Object.assign(e, { code: 'EIO' }) : e, false);
    }
  }

  async close(): Promise<void> {
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
  }
}
