import { basename } from 'node:path';
import type { ConfigInputs } from '../config/index.js';
import { scrubSecrets } from '../config/secret.js';
import { ERROR, INFO } from '../pipeline/levels.js';
import { ChildSource } from '../sources/child.js';
import { formatSummary } from '../telemetry/summary.js';
import { describeExit, EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, exitCodeFor } from './exit-codes.js';
import { startPipeline } from './pipeline-host.js';
import { openSession, writeStderr } from './session.js';

/** Forwarded to the child (or its group); SIGKILL and SIGSTOP cannot be caught, as with tini. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

/** How long to wait for the pipes to close after the child exits (a grandchild may hold them). */
const PIPE_GRACE_MS = 2000;

/** sysexits EX_UNAVAILABLE: --check-first failed under FORWARDER_STRICT. */
const EXIT_CHECK_FAILED = 69;

export async function runCommand(
  command: string,
  args: readonly string[],
  inputs: ConfigInputs,
  workerEntry: URL,
  opts: { checkFirst?: boolean } = {},
): Promise<number> {
  const session = openSession(inputs);
  const { core, logger } = session;
  if (opts.checkFirst && (session.drains.length > 0 || session.problems.length > 0)) {
    const { checkDrains, formatCheckTable } = await import('./check.js');
    const rows = await checkDrains(session);
    writeStderr(scrubSecrets(formatCheckTable(rows)).replace(/^/gm, 'forwarder: check: ').trimEnd());
    if (!rows.every((r) => r.ok) && core.strict) {
      writeStderr('forwarder: --check-first failed and FORWARDER_STRICT is set; not starting the app');
      return EXIT_CHECK_FAILED;
    }
  }
  const commandLine = [command, ...args].join(' ');
  const host = startPipeline(session, workerEntry);
  if (!host)
    logger.info(
      "no drain is configured: output passes through and nothing is shipped (set FORWARDER_FILE or a drain's variables; see `forwarder config`)",
    );

  const startedAt = Date.now();
  const child = new ChildSource(command, args, {
    detached: core.signalGroup,
    handlers: { onChunk: (stream, chunk, readAt) => host?.write(stream, chunk, readAt) },
  });

  child.process.once('spawn', () => {
    host?.lifecycle('started', `forwarder: started ${basename(command)} (pid ${child.pid})`, INFO, {
      pid: child.pid,
      command: commandLine,
    });
  });
  const forward = (signal: NodeJS.Signals): void => child.kill(signal, core.signalGroup);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

  const exit = await child.exited();
  let code: number;
  if (exit.spawnError) {
    const reason = spawnFailureReason(command, exit.spawnError);
    code = exit.spawnError.code === 'EACCES' ? EXIT_NOT_EXECUTABLE : EXIT_NOT_FOUND;
    writeStderr(`forwarder: cannot run "${command}": ${reason}`);
    host?.lifecycle('failed', `forwarder: cannot run "${command}": ${reason}`, ERROR, {
      command: commandLine,
      reason,
      exit_code: code,
    });
  } else {
    await child.drained(PIPE_GRACE_MS);
    // The app's last lines (and any open stack-trace group) go before the exit event.
    host?.endStream('stdout');
    host?.endStream('stderr');
    code = exitCodeFor(exit.code, exit.signal);
    const runtimeMs = Date.now() - startedAt;
    host?.lifecycle(
      'exited',
      `forwarder: ${basename(command)} ${describeExit(exit.code, exit.signal)} after ${(runtimeMs / 1000).toFixed(1)}s`,
      code === 0 ? INFO : ERROR,
      {
        pid: child.pid,
        exit_code: code,
        ...(exit.signal ? { signal: exit.signal } : {}),
        runtime_ms: runtimeMs,
      },
    );
  }
  if (host) {
    const summary = await host.finish(Date.now() + core.flushTimeoutMs);
    logger.info(formatSummary(summary, host.dropped));
  }
  for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
  return code;
}

function spawnFailureReason(command: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return command.includes('/') ? 'no such file' : 'not found in PATH';
  if (err.code === 'EACCES') return 'permission denied (not executable)';
  return `${err.code ?? 'error'}: ${err.message}`;
}
