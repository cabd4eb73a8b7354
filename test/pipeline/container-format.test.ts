import { describe, expect, it } from 'vitest';
import {
  ContainerRecord,
  detectFormat,
  mayBeRecord,
  PartialJoiner,
  parseCri,
  parseDockerJson,
  parseTime,
} from '../../src/pipeline/container-format.js';
import type { LogEvent } from '../../src/pipeline/event.js';
import { ERROR, INFO, WARN } from '../../src/pipeline/levels.js';
import { Pipeline, type PipelineOptions } from '../../src/pipeline/pipeline.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

function pipeline(over: Partial<PipelineOptions> = {}): { p: Pipeline; events: LogEvent[] } {
  const events: LogEvent[] = [];
  const p = new Pipeline(
    {
      maxLineBytes: 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: { stdout: INFO, stderr: INFO },
      ...over,
    },
    (ev) => events.push(ev),
  );
  return { p, events };
}

describe('parseTime (RFC 3339 with nanoseconds)', () => {
  it('reads Z and offsets, any number of fraction digits', () => {
    expect(parseTime('2024-01-02T03:04:05.123456789Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 123));
    expect(parseTime('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 0));
    expect(parseTime('2024-01-02T03:04:05.9+01:00')).toBe(Date.UTC(2024, 0, 2, 2, 4, 5, 900));
    expect(parseTime('2024-01-02T03:04:05.000000001-05:30')).toBe(Date.UTC(2024, 0, 2, 8, 34, 5, 0));
    expect(parseTime('2024-01-02 03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 0));
  });

  it('agrees with Date.parse at millisecond precision', () => {
    for (const t of [
      '2019-07-21T22:18:09.312870473Z',
      '1999-12-31T23:59:59.999Z',
      '2030-06-01T00:00:00+02:00',
    ])
      expect(parseTime(t)).toBe(Date.parse(t));
  });

  it('rejects what is not a timestamp', () => {
    for (const t of [
      'hello world, this is long',
      '2024-01-02T03:04:05',
      '2024-01-02T03:04:05.1X',
      '2024/01/02T03:04:05Z',
    ])
      expect(parseTime(t)).toBeNaN();
  });
});

describe('parseCri', () => {
  const rec = new ContainerRecord();

  it('decodes stream, tag, time and body', () => {
    expect(parseCri(b('2024-01-02T03:04:05.5Z stderr F boom: it broke'), rec)).toBe(true);
    expect(rec.stream).toBe('stderr');
    expect(rec.partial).toBe(false);
    expect(rec.timeMs).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 500));
    expect(rec.body.toString()).toBe('boom: it broke');
    expect(parseCri(b('2024-01-02T03:04:05.5Z stdout P piece '), rec)).toBe(true);
    expect(rec.partial).toBe(true);
    expect(rec.stream).toBe('stdout');
    expect(rec.body.toString()).toBe('piece ');
  });

  it('keeps the body byte for byte (spaces, tabs, JSON, an empty log)', () => {
    parseCri(b('2024-01-02T03:04:05Z stdout F   \t{"a": 1}  '), rec);
    expect(rec.body.toString()).toBe('  \t{"a": 1}  ');
    expect(parseCri(b('2024-01-02T03:04:05Z stdout F'), rec)).toBe(true);
    expect(rec.body.length).toBe(0);
    expect(parseCri(b('2024-01-02T03:04:05Z stdout F '), rec)).toBe(true);
    expect(rec.body.length).toBe(0);
  });

  it('accepts extra tags after P/F', () => {
    expect(parseCri(b('2024-01-02T03:04:05Z stdout F:x hello'), rec)).toBe(true);
    expect(rec.body.toString()).toBe('hello');
  });

  it('rejects other lines', () => {
    for (const line of [
      'plain text line that is long enough',
      '2024-01-02T03:04:05Z stdio F x',
      '2024-01-02T03:04:05Z stdout X x',
      'not-a-time-at-all-here stdout F x',
      '{"log":"x\\n"}',
    ])
      expect(parseCri(b(line), rec), line).toBe(false);
  });
});

describe('parseDockerJson', () => {
  const rec = new ContainerRecord();

  it('decodes log, stream and time; a log without "\\n" is a piece', () => {
    expect(
      parseDockerJson(
        b(
          '{"log":"hello \\u001b[31mred\\u001b[0m\\n","stream":"stderr","time":"2019-07-21T22:18:09.312870473Z"}',
        ),
        rec,
      ),
    ).toBe(true);
    expect(rec.stream).toBe('stderr');
    expect(rec.partial).toBe(false);
    expect(rec.timeMs).toBe(Date.parse('2019-07-21T22:18:09.312Z'));
    expect(rec.body.toString()).toBe('hello \x1b[31mred\x1b[0m');
    parseDockerJson(b('{"log":"first half","stream":"stdout","time":"2019-07-21T22:18:09Z"}'), rec);
    expect(rec.partial).toBe(true);
    expect(rec.stream).toBe('stdout');
    parseDockerJson(b('{"log":"crlf\\r\\n","stream":"stdout","time":"2019-07-21T22:18:09Z"}'), rec);
    expect(rec.body.toString()).toBe('crlf');
  });

  it('rejects JSON that is not a docker record', () => {
    expect(parseDockerJson(b('{"level":30,"msg":"pino"}'), rec)).toBe(false);
    expect(parseDockerJson(b('{broken'), rec)).toBe(false);
    expect(parseDockerJson(b('null'), rec)).toBe(false);
  });
});

describe('detectFormat (auto)', () => {
  it('tells CRI, docker json-file and plain apart from one line', () => {
    expect(detectFormat(b('2024-01-02T03:04:05.1Z stdout F hi'))).toBe('cri');
    expect(detectFormat(b('{"log":"hi\\n","stream":"stdout","time":"2024-01-02T03:04:05Z"}'))).toBe(
      'docker-json',
    );
    expect(detectFormat(b('{"level":"info","msg":"an app that logs JSON"}'))).toBe('plain');
    expect(detectFormat(b('INFO starting'))).toBe('plain');
  });
});

describe('mayBeRecord (auto, from the chunk)', () => {
  it('false only where detectFormat says plain, reading nothing past the line', () => {
    const lines = [
      '2024-01-02T03:04:05.1Z stdout F hi',
      '2024-01-02T03:04:05.1Z stderr P piece',
      '2024-01-02T03:04:05.1Z stdout F:x,y tagged',
      '2024-01-02T03:04:05.1Z stdout F',
      '2024-01-02T03:04:05.1Z stdout Fx',
      '2024-01-02T03:04:05.1Z stdin F no',
      '2024-05-14T09:21:07.412Z INFO app line=000000001 xxxx',
      '2024-05-14 09:21:07 stdout F not a CRI time',
      '12345678901234567890 stdout F numbers',
      '1234',
      '2024-01-02T03:04:05Z',
      '{"log":"hi\\n","stream":"stdout","time":"2024-01-02T03:04:05Z"}',
      '{"log"',
      '{"lo',
      '{"level":"info","msg":"an app that logs JSON"}',
      'INFO starting',
      '\u00e9t\u00e9 2024',
    ];
    for (const line of lines) {
      const bytes = b(line);
      // the line in a chunk, with what would make a record of it right after it
      const chunk = Buffer.concat([b('x\n'), bytes, b('\n stdout F {"log" 2024-01-02T03:04:05.1Z stdout F')]);
      const may = mayBeRecord(chunk, 2, 2 + bytes.length);
      if (detectFormat(bytes) !== 'plain') expect(may, line).toBe(true);
      // a line it lets through as plain is one detectFormat calls plain
      if (!may) expect(detectFormat(bytes), line).toBe('plain');
    }
    expect(mayBeRecord(b('2024-05-14T09:21:07.412Z INFO app'), 0, 33)).toBe(false);
    expect(mayBeRecord(b('{"lo'), 0, 4)).toBe(false);
  });

  it('auto: the same events however the input is cut into chunks (lines whole in a chunk or carried across)', () => {
    const input = [
      '2024-05-14T09:21:07.412Z INFO app line one',
      '2019-05-07T18:57:50.904275087+00:00 stdout P 1a. some ',
      '2019-05-07T18:57:51.904275088+00:00 stdout F log',
      'plain ERROR line',
      '',
      '{"log":"docker line\\n","stream":"stderr","time":"2024-01-02T03:04:05Z"}',
      '{"level":"info","msg":"json app"}',
      `${'y'.repeat(1500)} over max_line_bytes`,
      '\u001b[31mred\u001b[0m WARN coloured',
      'last',
    ].join('\n');
    const run = (size: number) => {
      const { p, events } = pipeline({ inputFormat: 'auto' });
      const bytes = b(input);
      for (let o = 0; o < bytes.length; o += size) p.write('stdout', bytes.subarray(o, o + size), 5);
      p.endStream('stdout');
      return {
        events: events.map((e) => [e.stream, e.message, e.level, e.timestamp]),
        lines: p.stats.streams.stdout?.lines,
        bytes: p.stats.streams.stdout?.bytes,
        truncated: p.stats.truncatedLines,
      };
    };
    const whole = run(1 << 20);
    expect(whole.events.map((e) => e[1])).toContain('red WARN coloured');
    expect(whole.truncated).toBe(1);
    for (const size of [1, 5, 64, 333]) expect(run(size), `chunks of ${size}`).toEqual(whole);
  });
});

describe('PartialJoiner', () => {
  it('joins pieces up to the final one, with the time of the first piece', () => {
    const out: [string, number, number][] = [];
    const j = new PartialJoiner(100, (bytes, dropped, t) => out.push([bytes.toString(), dropped, t]));
    j.push(b('ab'), true, 1, 0);
    j.push(b('cd'), true, 2, 0);
    j.push(b('ef'), false, 3, 0);
    j.push(b('whole'), false, 4, 0);
    expect(out).toEqual([
      ['abcdef', 0, 1],
      ['whole', 0, 4],
    ]);
  });

  it('caps the joined line at maxBytes on a UTF-8 boundary and counts the rest', () => {
    const out: [string, number][] = [];
    const j = new PartialJoiner(10, (bytes, dropped) => out.push([bytes.toString(), dropped]));
    j.push(b('12345678'), true, 0, 0);
    j.push(b('é€xyz'), true, 0, 0); // é is 2 bytes (fits), € is 3 (does not)
    j.push(b('tail'), false, 0, 0);
    expect(out).toEqual([['12345678é', 3 + 3 + 4]]);
    j.push(b('x'.repeat(25)), false, 0, 0);
    expect(out[1]).toEqual(['x'.repeat(10), 15]);
  });

  it('flush ships a line still in pieces', () => {
    const out: string[] = [];
    const j = new PartialJoiner(100, (bytes) => out.push(bytes.toString()));
    j.push(b('half'), true, 0, 0);
    expect(j.pending).toBe(true);
    j.flush();
    expect(out).toEqual(['half']);
    expect(j.pending).toBe(false);
  });
});

describe('Pipeline.writeFile', () => {
  it('CRI: per-stream lanes, record time and stream, P pieces joined across chunks', () => {
    const { p, events } = pipeline();
    p.writeFile('/logs/a.log', 'cri', b('2024-01-02T03:04:05.1Z stdout P hel'), 99);
    p.writeFile('/logs/a.log', 'cri', b('lo \n2024-01-02T03:04:05.2Z stderr F other stream\n'), 99);
    p.writeFile('/logs/a.log', 'cri', b('2024-01-02T03:04:05.3Z stdout F world\n'), 99);
    p.end();
    // each stream's lane groups (and so emits) on its own: compare in stream order
    const app = events.filter((e) => e.stream !== 'forwarder').sort((x, y) => (x.stream < y.stream ? -1 : 1));
    expect(app.map((e) => [e.stream, e.message, e.timestamp])).toEqual([
      ['stderr', 'other stream', Date.UTC(2024, 0, 2, 3, 4, 5, 200)],
      ['stdout', 'hello world', Date.UTC(2024, 0, 2, 3, 4, 5, 100)],
    ]);
  });

  it("a backfill of old CRI records: a trace split across two reads stays one event (the group's wait runs on the read clock, not the records' time)", () => {
    const { p, events } = pipeline();
    const readAt = Date.UTC(2026, 10, 29, 12, 0, 0);
    const rec = (t: string, body: string): string => `2024-01-02T03:04:${t}Z stderr F ${body}\n`;
    p.writeFile(
      '/logs/a.log',
      'cri',
      b(
        rec('05.1', 'ERROR job failed') +
          rec('05.1', 'Traceback (most recent call last):') +
          rec('05.1', '  File "/app/job.py", line 3, in run'),
      ),
      readAt,
    );
    // the timer between two reads of the file: the records are two years old, the read was 300 ms ago
    p.tick(readAt + 300);
    p.writeFile(
      '/logs/a.log',
      'cri',
      b(rec('05.1', '    fail()') + rec('05.1', 'ValueError: bad') + rec('05.2', 'next line')),
      readAt + 300,
    );
    // and a group does close a timeout after its last read, whatever its records' time
    p.tick(readAt + 300 + 1000);
    expect(events.map((e) => e.message)).toEqual([
      'ERROR job failed\nTraceback (most recent call last):\n  File "/app/job.py", line 3, in run\n    fail()\nValueError: bad',
      'next line',
    ]);
    expect(events[0]!.timestamp).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 100));
  });

  it('a rotation between pieces: state is keyed by the path, not the file', () => {
    const { p, events } = pipeline();
    // old file ends with a P piece; the new file at the same path starts with its F piece
    p.writeFile('/logs/a.log', 'cri', b('2024-01-02T03:04:05Z stdout P first half, \n'), 1);
    p.writeFile('/logs/a.log', 'cri', b('2024-01-02T03:04:06Z stdout F second half\n'), 2);
    p.end();
    expect(events.map((e) => e.message)).toEqual(['first half, second half']);
  });

  it('docker json: 16 KiB splits are joined; ANSI is removed; the cap adds the marker', () => {
    const { p, events } = pipeline({ maxLineBytes: 1024 });
    const piece = 'y'.repeat(700);
    const rec = (log: string, stream = 'stdout'): string =>
      `${JSON.stringify({ log, stream, time: '2024-01-02T03:04:05.000000001Z' })}\n`;
    p.writeFile('c.log', 'docker-json', b(rec(piece) + rec(piece) + rec('end\n')), 1);
    p.writeFile('c.log', 'docker-json', b(rec('\u001b[32mgreen\u001b[0m\n', 'stderr')), 1);
    p.end();
    expect(events[0]!.message).toBe(`${'y'.repeat(1024)}…[truncated ${1400 + 3 - 1024} bytes]`);
    expect(events[1]!.message).toBe('green');
    expect(events[1]!.stream).toBe('stderr');
  });

  it('level detection and multi-line grouping run per (file, stream)', () => {
    const { p, events } = pipeline();
    const cri = (stream: string, log: string): string => `2024-01-02T03:04:05Z ${stream} F ${log}\n`;
    p.writeFile(
      'x',
      'cri',
      b(
        cri('stderr', 'Traceback (most recent call last):') +
          cri('stdout', 'INFO: unrelated') +
          cri('stderr', '  File "app.py", line 1, in <module>') +
          cri('stderr', 'ValueError: bad'),
      ),
      0,
    );
    p.end();
    const err = events.find((e) => e.stream === 'stderr')!;
    expect(err.message.split('\n')).toHaveLength(3);
    expect(err.level).toBe(ERROR);
    expect(events.filter((e) => e.stream === 'stdout').map((e) => e.message)).toEqual(['INFO: unrelated']);
  });

  it('auto decides per file; a line that is not a record of the format is shipped as text', () => {
    const { p, events } = pipeline();
    p.writeFile('cri.log', 'auto', b('2024-01-02T03:04:05Z stdout F from cri\nnot cri at all\n'), 5);
    p.writeFile('plain.log', 'auto', b('just text\n'), 7);
    p.end();
    expect(events.map((e) => [e.message, e.timestamp])).toEqual([
      ['from cri', Date.UTC(2024, 0, 2, 3, 4, 5)],
      ['not cri at all', 5],
      ['just text', 7],
    ]);
  });

  it('endFile ships a line left in pieces; the existing stream API is unchanged', () => {
    const { p, events } = pipeline();
    p.writeFile('gone.log', 'cri', b('2024-01-02T03:04:05Z stdout P never finished\n'), 0);
    p.endFile('gone.log');
    p.write('stdout', b('run mode line\n'), 42);
    p.end();
    expect(events.map((e) => e.message)).toEqual(['never finished', 'run mode line']);
    expect(p.stats.streams.stdout!.lines).toBe(2);
  });
});

describe('Pipeline.write under an input format (pipe --format)', () => {
  const CRI =
    '2019-05-07T18:57:50.904275087+00:00 stdout P 1a. some \n' +
    '2019-05-07T18:57:51.904275088+00:00 stdout P multiline \n' +
    '2019-05-07T18:57:52.904275089+00:00 stdout F log\n' +
    '2019-05-07T18:57:53.904275090+00:00 stderr F ERROR: db gone\n';

  it('auto: CRI pieces written in any chunking become one record with its own stream, time and level', () => {
    for (const size of [1, 7, 64, CRI.length]) {
      const { p, events } = pipeline({ inputFormat: 'auto' });
      for (let o = 0; o < CRI.length; o += size) p.write('stdout', b(CRI.slice(o, o + size)), 5);
      p.endStream('stdout');
      expect(events.map((e) => [e.stream, e.message, e.level, e.timestamp])).toEqual([
        ['stdout', '1a. some multiline log', INFO, Date.UTC(2019, 4, 7, 18, 57, 50, 904)],
        ['stderr', 'ERROR: db gone', ERROR, Date.UTC(2019, 4, 7, 18, 57, 53, 904)],
      ]);
    }
  });

  it('auto: plain input is framed exactly as without a format, on the written stream, gaps included', () => {
    const feed = (p: Pipeline): void => {
      p.write('stderr', b('WARNING:app:slow\nhalf a li'), 1);
      p.gap('stderr', 100);
      p.write('stderr', b('ne\nnext\n'), 2);
      p.end();
    };
    const auto = pipeline({ inputFormat: 'auto' });
    const none = pipeline();
    feed(auto.p);
    feed(none.p);
    const shape = (events: LogEvent[]) => events.map((e) => [e.stream, e.message, e.level]);
    expect(shape(auto.events)).toEqual(shape(none.events));
    expect(auto.events[0]!.level).toBe(WARN);
    expect(auto.events[1]!.message).toContain('half a li');
    expect(auto.p.stats.backlogDroppedBytes).toBe(100);
  });

  it('plain: container records are shipped as the lines they are', () => {
    const { p, events } = pipeline({ inputFormat: 'plain' });
    p.write('stdout', b(CRI), 1);
    p.endStream('stdout');
    expect(events.map((e) => e.message)).toEqual(CRI.trimEnd().split('\n'));
  });
});
