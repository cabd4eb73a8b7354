// Issue 17: every JSON / logfmt library in fixtures/corpus/structured is read to the right message,
// level, time, fields, trace ids and error (the records say what each library's line means).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/pipeline/event.js';
import { levelName } from '../../../src/pipeline/levels.js';
import { Pipeline } from '../../../src/pipeline/pipeline.js';

const DIR = new URL('../../../fixtures/corpus/structured/', import.meta.url);

interface CorpusRecord {
  line: string;
  message: string;
  level: string;
  /** epoch ms the line says, or null when it carries none */
  time: number | null;
  /** a time without zone, read in the host's zone */
  time_local?: string;
  fields: Record<string, unknown> | null;
  trace_id?: string;
  span_id?: string;
  /** `stack`: given where the line's stack is rebuilt from parts (frames as objects) */
  error?: { kind: string; message: string; stack?: string };
  library: string;
}

const records: CorpusRecord[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .flatMap((f) =>
    readFileSync(new URL(f, DIR), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as CorpusRecord),
  );

function localMs(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})$/.exec(text)!;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

function read(line: string, readAt: number): LogEvent[] {
  const out: LogEvent[] = [];
  const p = new Pipeline(
    {
      maxLineBytes: 256 * 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: {},
    },
    (ev) => out.push(ev),
  );
  p.write('stdout', Buffer.from(`${line}\n`), readAt);
  p.end();
  return out;
}

describe('structured corpus', () => {
  it('holds samples of every library the issue names', () => {
    const libs = new Set(records.map((r) => r.library.split(' ')[0]!.toLowerCase()));
    for (const lib of [
      'pino',
      'bunyan',
      'winston',
      'zap',
      'zerolog',
      'log/slog',
      'logrus',
      'structlog',
      'ecs',
      'serilog',
      // documented-more.jsonl: the common shapes beyond the list
      'hclog',
      'logstash-logback-encoder',
      'log4j2',
      'tracing-subscriber',
      'loguru',
      'klog',
      'monolog',
      'spring',
      'nlog',
      'elixir',
    ])
      expect(
        [...libs].some((l) => l.startsWith(lib)),
        lib,
      ).toBe(true);
    expect(records.length).toBeGreaterThanOrEqual(70);
  });

  it.each(records.map((r) => [`${r.library}: ${r.line.slice(0, 60)}`, r] as const))('%s', (_name, r) => {
    const appTime = r.time_local !== undefined ? localMs(r.time_local) : r.time;
    const readAt = (appTime ?? 1_715_678_467_412) + 1500;
    const events = read(r.line, readAt);
    expect(events).toHaveLength(1);
    const ev = events[0]!;
    expect(ev.message).toBe(r.message);
    expect(levelName(ev.level)).toBe(r.level);
    expect(ev.timestamp).toBe(appTime ?? readAt);
    expect(ev.observedTimestamp).toBe(readAt);
    expect(ev.fieldsJson === undefined ? null : JSON.parse(ev.fieldsJson)).toEqual(r.fields);
    expect(ev.traceId).toBe(r.trace_id);
    expect(ev.spanId).toBe(r.span_id);
    if (r.error) {
      const { kind, message, stack } = ev.error ?? {};
      expect(r.error.stack === undefined ? { kind, message } : { kind, message, stack }).toEqual(r.error);
    } else expect(ev.error).toBeUndefined();
    // a structured line keeps its text for the text destinations
    if (r.fields !== null || r.message !== r.line) expect(ev.line).toBe(r.line);
  });
});
