import type { ConfigInputs } from '../config/index.js';
import { INFO } from '../pipeline/levels.js';
import { readStdin } from '../sources/stdin.js';
import { EXIT, signalExit } from './exit-codes.js';
import { flushAndSummarize } from './lifecycle.js';
import { startPipeline } from './pipeline-host.js';
import { openSession } from './session.js';
import { STOP_SIGNALS, signalInbox } from './signals.js';
import { ownStderr } from './stderr.js';

/**
 * `forwarder pipe`: stdin → stdout and the drains; exit 0 at end of input after the final flush.
 * A closed stdout (`| head`) ends the pass-through only, as `tee -p` does: shipping goes on to the
 * end of input. A stop signal ends the input early (what was read is still flushed), exit 128+N.
 */
export async function runPipe(stream: string, inputs: ConfigInputs): Promise<number> {
  const session = openSession(inputs);
  const { logger } = session;
  const host = startPipeline(session);
  if (!host) logger.info('no drain is configured: input passes through and nothing is shipped');
  host?.lifecycle('started', 'forwarder: reading standard input', INFO, { pid: process.pid, mode: 'pipe' });

  let stoppedBy: NodeJS.Signals | undefined;
  const stopped = new Promise<void>((resolve) => {
    signalInbox.listen((signal) => {
      if (!STOP_SIGNALS.has(signal) || stoppedBy) return;
      stoppedBy = signal;
      process.stdin.pause();
      resolve();
    });
  });
  // when_full=block: past the pipeline's bound, stdin is read only as fast as the drains take it.
  const eof = readStdin((chunk, readAt) => {
    ownStderr.passed(chunk, 'stdout');
    if (!host) return undefined;
    host.write(stream, chunk, readAt);
    if (!host.full || stoppedBy) return undefined;
    // a stop signal while waiting ends the input: reading does not resume
    return host.whenRoom().then(() => (stoppedBy ? new Promise<void>(() => undefined) : undefined));
  });
  await Promise.race([eof, stopped]);
  if (host) {
    host.endStream(stream);
    host.lifecycle(
      'stopped',
      stoppedBy ? `forwarder: stopped by ${stoppedBy}` : 'forwarder: end of input',
      INFO,
      { mode: 'pipe', ...(stoppedBy ? { signal: stoppedBy } : {}) },
    );
  }
  await flushAndSummarize(session, host);
  return stoppedBy ? signalExit(stoppedBy) : EXIT.ok;
}
