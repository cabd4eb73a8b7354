import { basename } from 'node:path';
import type { ConfigInputs } from '../config/index.js';
import { scrubSecrets } from '../config/secret.js';
import { ERROR, INFO } from '../pipeline/levels.js';
import { ChildSource } from '../sources/child.js';
import type { EarlyRun } from './early-spawn.js';
import { describeExit, EXIT, exitCodeFor, signalExit } from './exit-codes.js';
import { flushAndSummarize } from './lifecycle.js';
import { type PipelineHost, startPipeline } from './pipeline-host.js';
import { type CoreSession, openCore, openDrains, type Session, writeStderr } from './session.js';
import { signalInbox, terminalAlreadyDelivered } from './signals.js';
import { ownStderr } from './stderr.js';

/**
 * `forwarder run -- app`. Spawn first: the app starts as soon as the command line and the core
 * settings are read; the drains and the pipeline are set up while it starts (its first
 * output waits in the pipeline's bounded backlog; the pass-through never waits). Only
 * --check-first and FORWARDER_STRICT, which can stop the app from starting, set up the drains before.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  inputs: ConfigInputs,
  opts: { checkFirst?: boolean; early?: EarlyRun } = {},
): Promise<number> {
  if (opts.early) return runStarted(opts.early, args, inputs);
  const base = openCore(inputs);
  const { core } = base;
  let session: Session | undefined;
  if (opts.checkFirst || core.strict) {
    session = openDrains(base);
    if (opts.checkFirst && !(await checkFirst(session))) return EXIT.checkFirstFailed;
  }
  const commandLine = [command, ...args].join(' ');
  const graceMs = base.config.get<number>('pipe_grace') ?? 2000;

  // A stop signal that came during start-up: the app is not started; we exit 128+N with a summary.
  // A signal that arrived while we read the configuration (synchronously) is seen in the event
  // loop's next poll phase: two immediates make sure one has passed (the first may run in this
  // turn's check phase, before any poll), so it stops us now instead of reaching an app just started.
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  const stopBy = signalInbox.pendingStop();
  let host: PipelineHost | undefined;
  if (stopBy) {
    ({ session, host } = setUpShipping(session ?? base));
    session.logger.info(`stopped by ${stopBy} before ${basename(command)} started; not starting it`);
    host?.lifecycle('stopped', `forwarder: stopped by ${stopBy} before ${basename(command)} started`, INFO, {
      signal: stopBy,
      command: commandLine,
    });
    await flushAndSummarize(session, host);
    return signalExit(stopBy);
  }

  // blank (`run -- "$APP"` with APP='  ') is empty too: 127, not a search for a file named '  '
  const child = command.trim()
    ? new ChildSource(command, args, {
        detached: core.signalGroup,
        handlers: {
          onChunk: (stream, chunk, readAt) => {
            ownStderr.passed(chunk, stream);
            host?.write(stream, chunk, readAt);
          },
        },
      })
    : undefined;
  // From here every signal goes to the app (the ones that waited too), except what a terminal
  // already delivered to it.
  signalInbox.listen((signal) => {
    if (!terminalAlreadyDelivered(signal, core.signalGroup)) child?.kill(signal, core.signalGroup);
  });
  ({ session, host } = setUpShipping(session ?? base));
  return superviseChild(command, args, child, session, host, graceMs);
}

/**
 * The app was spawned by spawnEarly before anything else was loaded: the configuration is read
 * now (it was checked to be valid), the pipeline set up, and what the app wrote meanwhile handed
 * over.
 */
async function runStarted(early: EarlyRun, args: readonly string[], inputs: ConfigInputs): Promise<number> {
  const { child, command } = early;
  let base: CoreSession;
  try {
    base = openCore(inputs);
  } catch (err) {
    // Cannot happen when spawnEarly and the loader agree; never leave the app running without us.
    child.kill('SIGKILL', false);
    throw err;
  }
  const { session, host } = setUpShipping(base);
  // After the `started` event, so that the app's first lines follow it.
  const handOver = (): void =>
    early.held.attach(
      // held chunks are private copies (owned): posted as they are, not copied again
      (stream, chunk, readAt, owned) => host?.write(stream, chunk, readAt, owned),
      (stream, run) => host?.dropRun(stream, run),
    );
  const graceMs = base.config.get<number>('pipe_grace') ?? 2000;
  return superviseChild(command, args, child, session, host, graceMs, handOver);
}

/** From the spawn to the exit code: started / failed / exited events, the pipe grace, the final flush. */
async function superviseChild(
  command: string,
  args: readonly string[],
  child: ChildSource | undefined,
  session: Session,
  host: PipelineHost | undefined,
  graceMs: number,
  afterStarted?: () => void,
): Promise<number> {
  const commandLine = [command, ...args].join(' ');
  if (child && !child.realPipes)
    session.logger.debug('the app has socket pairs for stdout and stderr (no mkfifo or temporary directory)');

  const spawned = child ? await child.spawned() : false;
  if (spawned) {
    host?.lifecycle('started', `forwarder: started ${basename(command)} (pid ${child!.pid})`, INFO, {
      pid: child!.pid,
      command: commandLine,
    });
  }
  // Said once the app did start (a command that cannot run gets its one line only), never inside
  // the app's output: before its first byte, or at exit.
  if (spawned && !host)
    ownStderr.beforeAppOutputOrLater(() =>
      session.logger.info(
        "no drain is configured: output passes through and nothing is shipped (set FORWARDER_FILE or a drain's variables; see `forwarder config`)",
      ),
    );
  afterStarted?.();
  const exit = child
    ? await child.exited()
    : { code: null, signal: null, spawnError: Object.assign(new Error('empty'), { code: 'EEMPTY' }) };
  let code: number;
  const notes: string[] = [];
  if (exit.spawnError) {
    const reason = spawnFailureReason(command, exit.spawnError);
    code = exit.spawnError.code === 'EACCES' ? EXIT.notExecutable : EXIT.notFound;
    writeStderr(`forwarder: cannot run "${command}": ${reason}`);
    host?.lifecycle('failed', `forwarder: cannot run "${command}": ${reason}`, ERROR, {
      command: commandLine,
      reason,
      exit_code: code,
    });
  } else {
    // Run time is the app's: a grandchild holding the pipes open does not count.
    const runtimeMs = Date.now() - child!.startedAt;
    const cut = await child!.drained(graceMs);
    if (cut)
      notes.push(
        `a process started by ${basename(command)} still held its output open ${formatMs(graceMs)} after it exited; what it writes from now on is not read (FORWARDER_PIPE_GRACE)`,
      );
    // The app's last lines (and any open stack-trace group) go before the exit event.
    host?.endStream('stdout');
    host?.endStream('stderr');
    code = exitCodeFor(exit.code, exit.signal);
    host?.lifecycle(
      'exited',
      `forwarder: ${basename(command)} ${describeExit(exit.code, exit.signal)} after ${(runtimeMs / 1000).toFixed(1)}s`,
      code === 0 ? INFO : ERROR,
      {
        pid: child!.pid,
        exit_code: code,
        ...(exit.signal ? { signal: exit.signal } : {}),
        runtime_ms: runtimeMs,
        ...(cut ? { pipes_cut_after_ms: graceMs } : {}),
      },
    );
  }
  await flushAndSummarize(session, host, notes);
  return code;
}

/** The drains (unless already set up) and the pipeline. */
function setUpShipping(from: CoreSession | Session): { session: Session; host: PipelineHost | undefined } {
  const session = 'drains' in from ? from : openDrains(from);
  const host = startPipeline(session);
  return { session, host };
}

/** --check-first: false when a drain failed and FORWARDER_STRICT says not to start the app. */
async function checkFirst(session: Session): Promise<boolean> {
  if (session.drains.length === 0 && session.problems.length === 0) return true;
  const { checkDrains, formatCheckTable } = await import('./check.js');
  const rows = await checkDrains(session);
  writeStderr(scrubSecrets(formatCheckTable(rows)).replace(/^/gm, 'forwarder: check: ').trimEnd());
  if (!rows.every((r) => r.ok) && session.core.strict) {
    writeStderr('forwarder: --check-first failed and FORWARDER_STRICT is set; not starting the app');
    return false;
  }
  return true;
}

function spawnFailureReason(command: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'EEMPTY') return 'the command is empty (an unset variable in `run -- "$APP"`?)';
  if (err.code === 'ENOENT') return command.includes('/') ? 'no such file' : 'not found in PATH';
  if (err.code === 'EACCES') return 'permission denied (not executable)';
  return `${err.code ?? 'error'}: ${err.message}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
