import type { ConfigInputs } from '../config/index.js';
import { INFO } from '../pipeline/levels.js';
import { readStdin } from '../sources/stdin.js';
import { formatSummary } from '../telemetry/summary.js';
import { exitCodeFor } from './exit-codes.js';
import { startPipeline } from './pipeline-host.js';
import { FORWARDED_SIGNALS } from './run.js';
import { openSession } from './session.js';

/** `forwarder pipe`: stdin → stdout and the drains; exit 0 at end of input after the final flush. */
export async function runPipe(stream: string, inputs: ConfigInputs, workerEntry: URL): Promise<number> {
  const session = openSession(inputs);
  const { core, logger } = session;
  const host = startPipeline(session, workerEntry);
  if (!host) logger.info('no drain is configured: input passes through and nothing is shipped');
  host?.lifecycle('started', 'forwarder: reading standard input', INFO, { pid: process.pid, mode: 'pipe' });

  let exitCode = 0;
  const eof = readStdin((chunk, readAt) => host?.write(stream, chunk, readAt));
  // A signal ends the input early: what was read is still flushed, then we exit 128+N.
  const stopped = new Promise<void>((resolve) => {
    for (const signal of FORWARDED_SIGNALS) {
      if (signal === 'SIGWINCH') continue;
      process.once(signal, () => {
        exitCode = exitCodeFor(null, signal);
        process.stdin.pause();
        resolve();
      });
    }
  });
  await Promise.race([eof, stopped]);
  if (host) {
    host.endStream(stream);
    host.lifecycle(
      'stopped',
      exitCode === 0 ? 'forwarder: end of input' : 'forwarder: stopped by a signal',
      INFO,
      { mode: 'pipe' },
    );
    const summary = await host.finish(Date.now() + core.flushTimeoutMs);
    logger.info(formatSummary(summary, host.dropped));
  }
  return exitCode;
}
