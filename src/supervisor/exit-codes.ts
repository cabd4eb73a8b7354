import { constants } from 'node:os';

/** tini's convention: a child killed by signal N makes us exit 128+N. */
export function exitCodeFor(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) return 128 + (constants.signals[signal] ?? 0);
  return 1;
}

/** What a person reads next to an exit: "137: killed by SIGKILL (often the OOM killer)". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (code !== null) return `exited with code ${code}`;
  const n = exitCodeFor(null, signal);
  const why = signal === 'SIGKILL' ? ' (often the OOM killer)' : '';
  return `killed by ${signal} (exit ${n})${why}`;
}

export const EXIT_NOT_FOUND = 127;
export const EXIT_NOT_EXECUTABLE = 126;
