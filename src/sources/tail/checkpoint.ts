import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a followed file was left: its path, its identity (device + inode, plus a fingerprint of its
 * first bytes so that a re-used inode is not taken for the old file) and the offset after the last
 * whole line handed to the pipeline.
 */
export interface FileCheckpoint {
  path: string;
  dev: number;
  ino: number;
  offset: number;
  /** sha1 (hex) of the first `fpBytes` bytes of the file */
  fp: string;
  fpBytes: number;
}

interface CheckpointFile {
  version: 1;
  savedAt: number;
  files: FileCheckpoint[];
}

export const CHECKPOINT_FILE = 'tail-checkpoints.json';

/**
 * The restart window. The offset saved is that of the last whole line handed to the pipeline. It is
 * saved every second (CHECKPOINT_INTERVAL_MS, when it changed) and once more at exit after the final
 * flush. So:
 * - graceful stop (SIGTERM/SIGINT) with the drains up: nothing lost, nothing shipped twice;
 * - crash (SIGKILL, OOM): at most the last ~1 s of lines is shipped again, and the events still in the
 *   drains' queues (up to batch_wait plus any retry in progress) are lost, as in run mode;
 * - a line still in CRI/docker pieces at a graceful stop is shipped as it is, and its remaining
 *   pieces become a line of their own after the restart;
 * - one state directory per forwarder: two forwarders sharing one overwrite each other's checkpoint.
 *
 * The checkpoint file under --state-dir. Saved atomically: written to a temporary file, fsynced,
 * then renamed over the old one, so a crash leaves either the old or the new checkpoint, never half.
 */
export class CheckpointStore {
  readonly path: string;
  readonly #tmp: string;
  #last = '';

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, CHECKPOINT_FILE);
    this.#tmp = join(dir, `.${CHECKPOINT_FILE}.${process.pid}.tmp`);
  }

  /** undefined: there was no checkpoint (a first start); a problem reading it is thrown. */
  load(): FileCheckpoint[] | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const data = JSON.parse(text) as CheckpointFile;
    if (data.version !== 1 || !Array.isArray(data.files)) throw new Error('not a version 1 checkpoint');
    this.#last = JSON.stringify(data.files);
    return data.files.filter(
      (f) =>
        typeof f.path === 'string' &&
        Number.isFinite(f.offset) &&
        Number.isFinite(f.ino) &&
        typeof f.fp === 'string',
    );
  }

  /** Writes the checkpoint if it changed since the last save; returns whether it wrote. */
  save(files: readonly FileCheckpoint[]): boolean {
    const body = JSON.stringify(files);
    if (body === this.#last) return false;
    const text = `{"version":1,"savedAt":${Date.now()},"files":${body}}\n`;
    const fd = openSync(this.#tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.#tmp, this.path);
    this.#last = body;
    return true;
  }
}
