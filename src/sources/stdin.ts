import type { Readable } from 'node:stream';

/**
 * `app 2>&1 | forwarder pipe`: our stdin is passed through to our stdout byte for byte and
 * handed to the pipeline. Resolves at end of input.
 */
export function readStdin(
  onChunk: (chunk: Buffer, readAt: number) => void,
  input: Readable = process.stdin,
): Promise<void> {
  return new Promise((resolve) => {
    let outBroken = false;
    process.stdout.on('error', () => {
      outBroken = true;
    });
    input.on('data', (chunk: Buffer) => {
      const readAt = Date.now();
      if (!outBroken && !process.stdout.write(chunk)) {
        input.pause();
        process.stdout.once('drain', () => input.resume());
      }
      onChunk(chunk, readAt);
    });
    input.once('end', resolve);
    input.once('error', () => resolve());
  });
}
