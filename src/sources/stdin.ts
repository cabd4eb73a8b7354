import type { Readable } from 'node:stream';

/**
 * `app 2>&1 | forwarder pipe`: our stdin is passed through to our stdout byte for byte and
 * handed to the pipeline. Resolves at end of input. When our stdout is closed (`| head`), the
 * pass-through stops and reading goes on, as `tee -p` does: every line is still shipped.
 * `onChunk` may return a promise (when_full=block: the pipeline is full): reading waits for it,
 * as it waits for our stdout to drain.
 */
export function readStdin(
  onChunk: (chunk: Buffer, readAt: number) => Promise<void> | undefined,
  input: Readable = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  return new Promise((resolve) => {
    let outBroken = false;
    let outWaiting = false;
    let pipelineWaiting = false;
    const resumeIfFree = (): void => {
      if (!outWaiting && !pipelineWaiting) input.resume();
    };
    output.on('error', () => {
      outBroken = true;
      // A write waiting for 'drain' will never get it: read on without the pass-through.
      outWaiting = false;
      resumeIfFree();
    });
    input.on('data', (chunk: Buffer) => {
      const readAt = Date.now();
      if (!outBroken && !output.write(chunk)) {
        outWaiting = true;
        input.pause();
        output.once('drain', () => {
          outWaiting = false;
          resumeIfFree();
        });
      }
      const room = onChunk(chunk, readAt);
      if (room !== undefined) {
        pipelineWaiting = true;
        input.pause();
        void room.then(() => {
          pipelineWaiting = false;
          resumeIfFree();
        });
      }
    });
    input.once('end', resolve);
    input.once('error', () => resolve());
  });
}
