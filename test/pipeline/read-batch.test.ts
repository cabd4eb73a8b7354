// Issue 17 (performance): with structured reading on, the pipeline reads the lines an entry point
// framed in one loop before emitting them. What users see must not change: every event is emitted
// before the call that framed its line returns, in the order of the lines, once, and read.
import { describe, expect, it, vi } from 'vitest';
import type { LogEvent } from '../../src/pipeline/event.js';
import { Pipeline, type PipelineOptions } from '../../src/pipeline/pipeline.js';

const NOW = Date.UTC(2026, 10, 29, 9, 0, 0);

function pipeline(emit: (ev: LogEvent, p: Pipeline) => void, opts: Partial<PipelineOptions> = {}): Pipeline {
  const p: Pipeline = new Pipeline(
    {
      maxLineBytes: 64 * 1024,
      multiline: { enabled: false, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: {},
      ...opts,
    },
    (ev) => emit(ev, p),
  );
  return p;
}

const json = (i: number): string => `{"level":30,"time":${NOW - 1000},"msg":"line ${i}","i":${i}}`;

describe('reading lines in batches', () => {
  it('emits every line of a write, read and in order, before write returns (more lines than one batch)', () => {
    const out: LogEvent[] = [];
    const p = pipeline((ev) => out.push(ev));
    const lines = Array.from({ length: 700 }, (_, i) => (i % 3 === 0 ? `plain ${i}` : json(i)));
    p.write('stdout', Buffer.from(`${lines.join('\n')}\n`), NOW);
    expect(out.map((ev) => ev.message)).toEqual(lines.map((l, i) => (l.startsWith('{') ? `line ${i}` : l)));
    expect(out.filter((ev) => ev.fieldsJson !== undefined)).toHaveLength(466);
    expect(out.map((ev) => ev.seq)).toEqual(out.map((_, i) => i + 1));
    expect(p.stats.structured.json).toBe(466);
  });

  it('keeps a lifecycle event after the lines written before it and before the lines after it', () => {
    const out: string[] = [];
    const p = pipeline((ev) => out.push(ev.message));
    p.write('stdout', Buffer.from(`${json(1)}\n${json(2)}\n`), NOW);
    p.write('stderr', Buffer.from(`${json(3)}\n{"msg":"no newline yet"}`), NOW);
    p.lifecycle('exited', 'forwarder: app exited', 30, {}, NOW);
    p.end();
    expect(out).toEqual(['line 1', 'line 2', 'line 3', 'forwarder: app exited', 'no newline yet']);
  });

  it('emits the events of gap, endStream, writeFile, endFile, tick and fileQuiet before each returns', () => {
    const out: string[] = [];
    const p = pipeline((ev) => out.push(ev.message));
    p.write('stdout', Buffer.from('{"msg":"cut'), NOW);
    p.gap('stdout', 10);
    expect(out).toEqual(['{"msg":"cut…[truncated 10 bytes]']);
    p.write('stderr', Buffer.from(json(1)), NOW);
    p.endStream('stderr');
    expect(out.at(-1)).toBe('line 1');
    p.writeFile('/var/log/app.log', 'plain', Buffer.from(`${json(2)}\n${json(3)}`), NOW);
    expect(out.at(-1)).toBe('line 2');
    p.endFile('/var/log/app.log');
    expect(out.at(-1)).toBe('line 3');

    const grouped: LogEvent[] = [];
    const g = pipeline((ev) => grouped.push(ev), {
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
    });
    g.write(
      'stdout',
      Buffer.from(
        'ERROR boom\nTraceback (most recent call last):\n  File "a.py", line 1, in <module>\nValueError: bad\n',
      ),
      NOW,
    );
    g.tick(NOW + 5000);
    expect(grouped.map((ev) => ev.error?.kind)).toEqual(['ValueError']);

    // tail: a file read to its end that had been quiet for the multi-line timeout ships its group now
    g.writeFile('/var/log/app.log', 'plain', Buffer.from('ERROR again\n    at f (/app/a.js:1:1)\n'), NOW);
    g.fileQuiet('/var/log/app.log', 1000);
    expect(grouped.map((ev) => ev.message).at(-1)).toBe('ERROR again\n    at f (/app/a.js:1:1)');
  });

  it('a drain that calls back into the pipeline while events are emitted gets each event once', () => {
    const out: string[] = [];
    const emit = vi.fn((ev: LogEvent, p: Pipeline) => {
      out.push(ev.message);
      if (ev.message === 'line 1') p.lifecycle('files', 'forwarder: a drain spoke', 30, {}, NOW);
    });
    const p = pipeline(emit);
    p.write('stdout', Buffer.from(`${json(0)}\n${json(1)}\n${json(2)}\n`), NOW);
    expect(out).toEqual(['line 0', 'line 1', 'forwarder: a drain spoke', 'line 2']);
    expect(emit).toHaveBeenCalledTimes(4);
  });

  it('a drain that writes into the pipeline while a batch is emitted: its lines are read and emitted once, and so are later batches', () => {
    // the batch's arrays are reused from batch to batch: one written during an emission must not share them
    const out: string[] = [];
    const p = pipeline((ev, pl) => {
      out.push(ev.message);
      if (ev.message === 'line 1')
        pl.write('stderr', Buffer.from(`${json(10)}\n${json(11)}\n${json(12)}\n`), NOW);
    });
    p.write('stdout', Buffer.from(`${json(0)}\n${json(1)}\n${json(2)}\n`), NOW);
    p.write('stdout', Buffer.from(`${json(3)}\n${json(4)}\n`), NOW);
    const many = Array.from({ length: 600 }, (_, i) => json(100 + i));
    p.write('stdout', Buffer.from(`${many.join('\n')}\n`), NOW);
    expect(out).toEqual([
      'line 0',
      'line 1',
      'line 10',
      'line 11',
      'line 12',
      'line 2',
      'line 3',
      'line 4',
      ...many.map((_, i) => `line ${100 + i}`),
    ]);
    expect(p.stats.structured.json).toBe(608);
  });

  it('a plain line read at once, with nothing waiting, still gets the trace ids in its text', () => {
    const out: LogEvent[] = [];
    const p = pipeline((ev) => out.push(ev));
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    p.write('stdout', Buffer.from(`done trace_id=${T} span_id=00f067aa0ba902b7\n`), NOW);
    p.write('stdout', Buffer.from(`calling upstream traceparent: 00-${T}-00f067aa0ba902b7-01\n`), NOW);
    p.write('stdout', Buffer.from('plain words, no ids\n'), NOW);
    expect(out.map((ev) => [ev.traceId, ev.spanId])).toEqual([
      [T, '00f067aa0ba902b7'],
      [T, '00f067aa0ba902b7'],
      [undefined, undefined],
    ]);
  });

  it('structured reading off emits each line as it is framed, unread', () => {
    const out: LogEvent[] = [];
    const p = pipeline((ev) => out.push(ev), { structured: { enabled: false, maxBytes: 64 * 1024 } });
    p.write('stdout', Buffer.from(`${json(1)}\n`), NOW);
    expect(out.map((ev) => [ev.message, ev.fieldsJson])).toEqual([[json(1), undefined]]);
  });

  it("an ISO header's time, read by the level detector as it skips it, is the event's, read alone, in a batch or grouped; over 24 h away: the read time, counted", () => {
    const out: LogEvent[] = [];
    const p = pipeline((ev) => out.push(ev), {
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
    });
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    // alone (nothing waits: read at once), with its ids after the time
    p.write('stdout', Buffer.from(`2026-11-29T08:59:58.250Z INFO one traceparent=${tp}\n`), NOW);
    // behind a JSON record (read in the batch), in brackets, with an offset, then grouped with its trace
    const lines = [
      json(1),
      '[2026-11-29T10:59:57.5+02:00] WARN two',
      '2026-11-29 08:59:56,125 ERROR three',
      'Traceback (most recent call last):',
      '  File "app.py", line 1, in <module>',
      'ValueError: x',
      '2026-11-27T08:59:59Z INFO four, two days old',
      '2026-11-29 08:59:55 UTC five (a zone after a space: the reader reads it)',
    ];
    p.write('stdout', Buffer.from(`${lines.join('\n')}\n`), NOW);
    p.end();
    const local = new Date(2026, 10, 29, 8, 59, 56, 125).getTime();
    expect(out.map((ev) => [ev.message.split('\n')[0], ev.timestamp, ev.observedTimestamp])).toEqual([
      [`2026-11-29T08:59:58.250Z INFO one traceparent=${tp}`, NOW - 1750, NOW],
      ['line 1', NOW - 1000, NOW],
      ['[2026-11-29T10:59:57.5+02:00] WARN two', NOW - 2500, NOW],
      ['2026-11-29 08:59:56,125 ERROR three', Math.abs(local - NOW) <= 86_400_000 ? local : NOW, NOW],
      ['2026-11-27T08:59:59Z INFO four, two days old', NOW, NOW],
      ['2026-11-29 08:59:55 UTC five (a zone after a space: the reader reads it)', NOW - 5000, NOW],
    ]);
    expect(out[0]!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(out[3]!.message.split('\n')).toHaveLength(4);
    expect(out[3]!.error?.kind).toBe('ValueError');
    expect(p.stats.structured.timeUntrusted).toBe(1);
  });
});
