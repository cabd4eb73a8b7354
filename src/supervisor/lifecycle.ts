import { formatSummary } from '../telemetry/summary.js';
import type { PipelineHost } from './pipeline-host.js';
import type { Session } from './session.js';
import { STOP_SIGNALS, signalInbox } from './signals.js';
import { ownStderr } from './stderr.js';

/**
 * The end every command that ships shares (run, pipe, tail): its streams were ended by the caller;
 * here the final flush runs under FORWARDER_FLUSH_TIMEOUT, a second stop signal during it means
 * "stop now" (what the drains still hold is counted `interrupted`), and one summary line is printed
 * with every drain's counts, whatever happened to the pipeline. The caller returns the code.
 */
export async function flushAndSummarize(
  session: Pick<Session, 'core' | 'logger'>,
  host: PipelineHost | undefined,
  notes: readonly string[] = [],
): Promise<void> {
  ownStderr.writeDeferred();
  if (!host) {
    for (const note of notes) session.logger.warn(note);
    return;
  }
  signalInbox.listen((signal) => {
    if (STOP_SIGNALS.has(signal) && signalInbox.stops >= 2) host.interrupt();
  });
  const { summary, cutShort } = await host.finish(Date.now() + session.core.flushTimeoutMs);
  const extra = [...notes, ...(cutShort ? [cutShort] : [])];
  const line = formatSummary(summary, host.dropped);
  session.logger.info(extra.length > 0 ? `${line}; ${extra.join('; ')}` : line);
}
