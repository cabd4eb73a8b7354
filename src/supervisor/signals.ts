import { readFileSync } from 'node:fs';

/** Every signal we catch: forwarded to the app while it runs (SIGKILL and SIGSTOP cannot be caught, as with tini). */
export const HANDLED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGWINCH',
];

/** The signals that ask us to stop; the others are only passed on. */
export const STOP_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']);

/**
 * The signals a terminal sends to its whole foreground process group (^C, ^\, a resize): when we
 * and the app are both in that group, the app already has it and must not get it twice.
 */
const TERMINAL_SIGNALS: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT', 'SIGWINCH']);

/**
 * Catches signals from the first instruction (cli.ts installs it before loading anything else), so
 * that a signal during start-up never kills the forwarder with the app half started. Until a command
 * listens, signals wait here; then each goes to the current listener (forward to the app, stop
 * reading, or "stop now" during the final flush).
 */
export class SignalInbox {
  readonly #pending: NodeJS.Signals[] = [];
  #listener: ((signal: NodeJS.Signals) => void) | undefined;
  /** stop signals received so far: the second one during the final flush means "stop now" */
  stops = 0;

  install(): void {
    for (const signal of HANDLED_SIGNALS) process.on(signal, () => this.#receive(signal));
  }

  /** The first stop signal that arrived before anyone listened: the app must not be started. */
  pendingStop(): NodeJS.Signals | undefined {
    return this.#pending.find((s) => STOP_SIGNALS.has(s));
  }

  /** From now on signals go to `listener`; those that waited are handed over in order. */
  listen(listener: (signal: NodeJS.Signals) => void): void {
    this.#listener = listener;
    for (const signal of this.#pending.splice(0)) listener(signal);
  }

  #receive(signal: NodeJS.Signals): void {
    if (STOP_SIGNALS.has(signal)) this.stops++;
    if (this.#listener) this.#listener(signal);
    else this.#pending.push(signal);
  }
}

/**
 * One per process: signals are process-wide. Kept on globalThis because the single-file bundle
 * holds this module twice (its entry, and the payload it loads after the app started).
 */
const shared = globalThis as { forwarderSignalInbox?: SignalInbox };
export const signalInbox: SignalInbox = (shared.forwarderSignalInbox ??= new SignalInbox());

/**
 * True when a terminal delivered this signal to the app as well: the signal is one a terminal
 * sends (^C, ^\, resize), the app shares our process group (not --signal-group), and that group
 * is the terminal's foreground group. Read from /proc/self/stat (fields pgrp, tty_nr, tpgid) at
 * the moment the signal arrives, as a shell may move us to the background. Elsewhere: false.
 */
export function terminalAlreadyDelivered(signal: NodeJS.Signals, childInOwnGroup: boolean): boolean {
  if (childInOwnGroup || !TERMINAL_SIGNALS.has(signal)) return false;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    const ttyNr = Number(fields[4]);
    const tpgid = Number(fields[5]);
    return ttyNr !== 0 && tpgid > 0 && tpgid === pgrp;
  } catch {
    return false;
  }
}
