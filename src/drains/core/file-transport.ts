import { type FileHandle, open } from 'node:fs/promises';
import type { Batch, Outcome, Transport } from './types.js';

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

  async send(_batch: Batch, payload: Buffer): Promise<Outcome> {
    try {
      this.#handle ??= await open(this.#path, 'a', 0o644);
      await this.#handle.write(payload);
      return { kind: 'response', status: 200, headers: {}, body: '' };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      await this.#handle?.close().catch(() => undefined);
      this.#handle = undefined;
      return { kind: 'error', error: e, code: e.code ?? 'EIO' };
    }
  }

  async close(): Promise<void> {
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
  }
}
