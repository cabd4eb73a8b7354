import { constants } from 'node:os';

/**
 * Every exit code the forwarder itself decides, in one table (as tini and zx keep theirs). Any
 * other code is the app's own; 128+N is "killed by signal N", ours or the app's. The README's
 * exit-code table is this one.
 */
export const EXIT = {
  /** the app exited 0, input ended, or a followed set of files was stopped cleanly */
  ok: 0,
  /** check: at least one drain did not accept the verification event, or none is configured */
  checkFailed: 1,
  /** bad command line (unknown option, missing argument) */
  usage: 2,
  /** --check-first failed under FORWARDER_STRICT; the app was not started (sysexits EX_UNAVAILABLE) */
  checkFirstFailed: 69,
  /** a bug in the forwarder: one line on stderr (sysexits EX_SOFTWARE) */
  internal: 70,
  /** bad configuration; nothing was started (sysexits EX_CONFIG) */
  config: 78,
  /** the command exists but cannot be executed */
  notExecutable: 126,
  /** the command was not found (or is empty) */
  notFound: 127,
  /** + N: killed by signal N (the app), or stopped by signal N before the app started */
  signalBase: 128,
} as const;

/** code → meaning, in the order the README lists them. */
export const EXIT_TABLE: readonly { code: string; meaning: string }[] = [
  { code: "the app's code", meaning: 'the app exited (run)' },
  {
    code: '0',
    meaning:
      'run: the app exited 0; pipe: end of input; tail: stopped by SIGTERM/SIGINT; check: every drain accepted',
  },
  { code: '1', meaning: 'check: a drain did not accept the verification event, or no drain is configured' },
  { code: '2', meaning: 'bad command line (unknown option, missing command)' },
  { code: '69', meaning: '`--check-first` failed under `FORWARDER_STRICT=1`; the app was not started' },
  { code: '70', meaning: 'internal error in the forwarder (one line on stderr; please report it)' },
  {
    code: '78',
    meaning:
      'bad configuration (a core setting, or any drain under `FORWARDER_STRICT=1`); nothing was started',
  },
  { code: '126', meaning: 'the command is not executable (or is a directory, `run -- /`)' },
  { code: '127', meaning: 'the command was not found, or is empty or blank (`forwarder run -- "$UNSET"`)' },
  {
    code: '128+N',
    meaning:
      'the app was killed by signal N (137: SIGKILL, often the OOM killer; 141: SIGPIPE; 143: SIGTERM); pipe/run: we were stopped by signal N before the app started or input ended',
  },
];

/**
 * Thrown to end the command with a code after its one line was written: only commands.ts calls
 * process.exit, so the summary and the exit always happen in one place.
 */
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** tini's convention: a child killed by signal N makes us exit 128+N. */
export function exitCodeFor(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) return signalExit(signal);
  return 1;
}

export function signalExit(signal: NodeJS.Signals): number {
  return EXIT.signalBase + (constants.signals[signal] ?? 0);
}

/** What a person reads next to an exit: "137: killed by SIGKILL (often the OOM killer)". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (code !== null) return `exited with code ${code}`;
  const n = exitCodeFor(null, signal);
  const why = signal === 'SIGKILL' ? ' (often the OOM killer)' : '';
  return `killed by ${signal} (exit ${n})${why}`;
}
