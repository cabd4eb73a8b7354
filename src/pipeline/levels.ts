/**
 * Levels are small integers (pino's scale) so that comparisons and table look-ups on the hot
 * path are integer work; the words exist only at the edges (config, encoders).
 */
export const TRACE = 10;
export const DEBUG = 20;
export const INFO = 30;
export const WARN = 40;
export const ERROR = 50;
export const FATAL = 60;
/** "The line carries no level of its own": the stream default applies. */
export const NO_LEVEL = 0;

export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export const LEVEL_NAMES: readonly LevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const NAME_BY_NUMBER: Record<number, LevelName> = {
  [TRACE]: 'trace',
  [DEBUG]: 'debug',
  [INFO]: 'info',
  [WARN]: 'warn',
  [ERROR]: 'error',
  [FATAL]: 'fatal',
};

export function levelName(level: number): LevelName {
  return NAME_BY_NUMBER[level] ?? 'info';
}

export function levelFromName(name: string): number | undefined {
  switch (name.toLowerCase()) {
    case 'trace':
      return TRACE;
    case 'debug':
      return DEBUG;
    case 'info':
      return INFO;
    case 'warn':
    case 'warning':
      return WARN;
    case 'error':
      return ERROR;
    case 'fatal':
      return FATAL;
    default:
      return undefined;
  }
}
