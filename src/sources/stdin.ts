import type { Readable } from 'node:stream';

/**
 * `app 2>&1 | forwarder pipe`: our stdin is passed through to our stdout byte for byte and
 * handed to the pipeline. Resolves at end of input. When our stdout is closed (`| head`), the
 * pass-through stops and reading goes on, as `tee -p` does: every line is still shipped.
 */
export function readStdin(
  onChunk: (chunk: Buffer, readAt: number) => void,
  input: Readable = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  return new Promise((resolve) => {
    let outBroken = false;
    output.on('error', () => {
      outBroken = true;
      // A write waiting for 'drain' will never get it: read on without the pass-through.
      input.resume();
    });
    input.on('data', (chunk: Buffer) => {
      const readAt = Date.now();
      if (!outBroken && !output.write(chunk)) {
        input.pause();
        output.once('drain', () => input.resume());
      }
      onChunk(chunk, readAt);
    });
    input.once('end', resolve);
    input.once('error', () => resolve());
  });
}
