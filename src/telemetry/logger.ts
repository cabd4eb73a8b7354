import pino, { type Logger } from 'pino';
import { scrubSecrets } from '../config/secret.js';

export type { Logger };

const LEVEL_WORDS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * Our own messages: pino, every line scrubbed of secret values, and either one readable
 * `forwarder: …` line (default: these sit between the app's own lines in `kubectl logs`) or
 * pino's JSON with `"name":"forwarder"`. They go to `write` (stderr, or the pipeline host's
 * writer) and never into the pipeline.
 */
export function createLogger(opts: {
  level: string;
  format: 'text' | 'json';
  write: (line: string) => void;
}): Logger {
  const destination = {
    write(json: string): void {
      const line = opts.format === 'json' ? json : toText(json);
      opts.write(scrubSecrets(line));
    },
  };
  return pino(
    {
      name: 'forwarder',
      level: opts.level,
      base: undefined,
      timestamp: opts.format === 'json' ? pino.stdTimeFunctions.epochTime : false,
    },
    destination,
  );
}

function toText(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `forwarder: ${json}`;
  }
  const level = LEVEL_WORDS[rec.level as number] ?? 'info';
  const parts = [`forwarder: ${level === 'info' ? '' : `${level}: `}${String(rec.msg ?? '')}`];
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'level' || k === 'msg' || k === 'name' || k === 'time') continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    parts.push(`${k}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`);
  }
  return `${parts.join(' ')}\n`;
}
