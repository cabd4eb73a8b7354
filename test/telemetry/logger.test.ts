import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerSecretValue } from '../../src/config/secret.js';
import { createLogger } from '../../src/telemetry/logger.js';

/** the lines pino itself writes with the options createLogger gives it */
function pinoLines(level: string, format: 'text' | 'json', log: (l: pino.Logger) => void): string[] {
  const lines: string[] = [];
  const l = pino(
    {
      name: 'forwarder',
      level,
      base: undefined,
      timestamp: format === 'json' ? pino.stdTimeFunctions.epochTime : false,
    },
    { write: (s: string) => lines.push(s) },
  );
  log(l);
  return lines;
}

const MESSAGES = [
  'summary: read 0 lines; splunk_hec: delivered 2, retried 0, dropped 0',
  'a "quoted" \\ back\\slash, a tab\there, a control \u0001 char, é, 100%s and %d kept',
  'an emoji 😀',
];

describe('createLogger: our messages without loading pino', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-29T14:00:00.123Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('writes, for a message alone, the JSON line pino writes', () => {
    const ours: string[] = [];
    const logger = createLogger({ level: 'debug', format: 'json', write: (s) => ours.push(s) });
    for (const m of MESSAGES) {
      logger.debug(m);
      logger.info(m);
      logger.warn(m);
      logger.error(m);
    }
    const theirs = pinoLines('debug', 'json', (l) => {
      for (const m of MESSAGES) {
        l.debug(m);
        l.info(m);
        l.warn(m);
        l.error(m);
      }
    });
    expect(ours).toEqual(theirs);
    expect(ours[1]).toBe(
      '{"level":30,"time":1795960800123,"name":"forwarder","msg":"summary: read 0 lines; splunk_hec: delivered 2, retried 0, dropped 0"}\n',
    );
  });

  it('escapes a lone surrogate, where pino writes it raw (U+FFFD once encoded): the line stays well-formed', () => {
    const ours: string[] = [];
    createLogger({ level: 'info', format: 'json', write: (s) => ours.push(s) }).info('lone \ud800 half');
    expect(ours).toEqual([
      '{"level":30,"time":1795960800123,"name":"forwarder","msg":"lone \\ud800 half"}\n',
    ]);
  });

  it('writes the readable line in text format, and nothing below its level', () => {
    const ours: string[] = [];
    const logger = createLogger({ level: 'warn', format: 'text', write: (s) => ours.push(s) });
    logger.debug('not written');
    logger.info('not written either');
    logger.warn('drain x will retry');
    logger.error(MESSAGES[1]!);
    expect(ours).toEqual(['forwarder: warn: drain x will retry\n', `forwarder: error: ${MESSAGES[1]}\n`]);
  });

  it('hands anything but a message alone to pino, in order with the rest', () => {
    const ours: string[] = [];
    const logger = createLogger({ level: 'info', format: 'json', write: (s) => ours.push(s) });
    logger.info('first');
    logger.warn({ drain: 'x' }, 'with a field');
    logger.info('%s formatted', 'this');
    expect(ours).toEqual(
      pinoLines('info', 'json', (l) => {
        l.info('first');
        l.warn({ drain: 'x' }, 'with a field');
        l.info('%s formatted', 'this');
      }),
    );
  });

  it('scrubs secret values from every line', () => {
    registerSecretValue('s3cr3t-logger-test-value');
    const ours: string[] = [];
    const logger = createLogger({ level: 'info', format: 'json', write: (s) => ours.push(s) });
    logger.warn('token s3cr3t-logger-test-value refused');
    logger.warn({ token: 's3cr3t-logger-test-value' }, 'refused');
    expect(ours).toHaveLength(2);
    for (const line of ours) expect(line).not.toContain('s3cr3t');
  });
});
