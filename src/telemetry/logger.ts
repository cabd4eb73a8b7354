import { createRequire } from 'node:module';
import type { Logger as PinoLogger } from 'pino';
import { scrubSecrets } from '../config/secret.js';

/** What our code logs with: pino's methods (a pino logger is one). */
export type Logger = Pick<PinoLogger, 'debug' | 'info' | 'warn' | 'error'>;

type Pino = typeof import('pino');
let pinoModule: Pino | undefined;

/**
 * pino, loaded only for a call that gives more than a message (an object, format arguments): a
 * message alone, all we write, makes the line pino would (pinoLine) without it. Loading pino
 * costs ~3 ms and brings node's worker_threads and assert, once per run for the summary line. Synchronous, as a message
 * is written when logged: Node's require from ESM, or in the bundle and the executable their
 * payloads' require, which finds it as a payload of its own (scripts/payloads.mjs LAZY).
 */
function loadPino(): Pino {
  pinoModule ??= (typeof require === 'function' ? require : createRequire(import.meta.url))('pino') as Pino;
  return pinoModule;
}

/** pino's level numbers, for the check made before pino is loaded */
const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

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
  let logger: PinoLogger | undefined;
  const pinoLogger = (): PinoLogger => {
    if (!logger) {
      // the CommonJS module is the function, with itself as `pino` (the bundle's payload has only the latter)
      const { pino } = loadPino();
      logger = pino(
        {
          name: 'forwarder',
          level: opts.level,
          base: undefined,
          timestamp: opts.format === 'json' ? pino.stdTimeFunctions.epochTime : false,
        },
        destination,
      );
    }
    return logger;
  };
  // a level we do not know is pino's to judge (and to refuse)
  const threshold = LEVEL_VALUES[opts.level];
  if (threshold === undefined) return pinoLogger();
  const method = (name: 'debug' | 'info' | 'warn' | 'error'): PinoLogger['info'] => {
    const value = LEVEL_VALUES[name]!;
    const enabled = value >= threshold;
    return ((...args: unknown[]) => {
      if (!enabled) return;
      // A message alone (every one we write) is the line pino would make, made here.
      if (args.length === 1 && typeof args[0] === 'string')
        destination.write(pinoLine(value, args[0], opts.format));
      else (pinoLogger()[name] as (...a: unknown[]) => void)(...args);
    }) as PinoLogger['info'];
  };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/**
 * The JSON line pino writes for a message alone with our options (name, no base, epoch `time` in
 * JSON, none in text): `{"level":30,"time":…,"name":"forwarder","msg":"…"}`. pino escapes the
 * message as JSON.stringify does.
 */
function pinoLine(level: number, msg: string, format: 'text' | 'json'): string {
  const time = format === 'json' ? `,"time":${Date.now()}` : '';
  return `{"level":${level}${time},"name":"forwarder","msg":${JSON.stringify(msg)}}\n`;
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
