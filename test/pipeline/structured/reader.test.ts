// Issue 17: structured reading of JSON / logfmt lines, the app's time, trace ids, errors, and its
// bounds against hostile input (depth bombs, huge lines, duplicate keys, bad escapes, field floods).
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/pipeline/event.js';
import { Pipeline, type PipelineOptions } from '../../../src/pipeline/pipeline.js';
import { errorFromTrace, stackFrames } from '../../../src/pipeline/structured/errors.js';
import { MAX_FIELD_VALUES } from '../../../src/pipeline/structured/json-record.js';
import { lower64Decimal, TraceIds } from '../../../src/pipeline/structured/trace-ids.js';

const NOW = Date.UTC(2026, 10, 29, 9, 0, 0);

function run(lines: string[], opts: Partial<PipelineOptions> = {}, readAt = NOW) {
  const events: LogEvent[] = [];
  const p = new Pipeline(
    {
      maxLineBytes: 256 * 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: {},
      ...opts,
    },
    (ev) => events.push(ev),
  );
  p.write('stdout', Buffer.from(`${lines.join('\n')}\n`), readAt);
  p.end();
  return { events, stats: p.stats.structured, streams: p.stats.streams };
}

const fields = (ev: LogEvent): unknown =>
  ev.fieldsJson === undefined ? undefined : JSON.parse(ev.fieldsJson);

describe('JSON lines', () => {
  it('takes message, level and time out, and keeps the rest nested as written', () => {
    const line = `{"level":"warn","time":${NOW - 5000},"msg":"disk low","disk":{"free":"10%","mounts":["/","/data"]},"ok":false,"n":null}`;
    const { events, stats } = run([line]);
    const ev = events[0]!;
    expect(ev.message).toBe('disk low');
    expect(ev.level).toBe(40);
    expect(ev.timestamp).toBe(NOW - 5000);
    expect(ev.observedTimestamp).toBe(NOW);
    expect(ev.line).toBe(line);
    expect(fields(ev)).toEqual({ disk: { free: '10%', mounts: ['/', '/data'] }, ok: false, n: null });
    expect(stats.json).toBe(1);
  });

  it('a record with no message keeps the whole line as its message, and unescapes an escaped one', () => {
    const { events } = run(['{"a":1}', '{"msg":"say \\"hi\\"\\n\\u00e9"}']);
    expect(events[0]!.message).toBe('{"a":1}');
    expect(fields(events[0]!)).toEqual({ a: 1 });
    expect(events[1]!.message).toBe('say "hi"\né');
    expect(events[1]!.fieldsJson).toBeUndefined();
  });

  it('invalid escapes, raw control characters and trailing text: shipped as text, counted', () => {
    const bad = [
      '{"msg":"bad \\q escape"}',
      '{"msg":"tab\there"}',
      '{"msg":"x"} trailing',
      '{"msg":"x",}',
      '{"n":01}',
    ];
    const { events, stats } = run(bad);
    expect(events.map((e) => e.message)).toEqual(bad);
    expect(events.every((e) => e.fieldsJson === undefined && e.line === undefined)).toBe(true);
    expect(stats.invalid).toBe(bad.length);
  });

  it('duplicate keys: the first of a role is used, and every duplicate stays in fields as written', () => {
    const { events } = run(['{"msg":"first","msg":"second","a":1,"a":2}']);
    expect(events[0]!.message).toBe('first');
    expect(events[0]!.fieldsJson).toBe('{"msg":"second","a":1,"a":2}');
  });

  it('a depth bomb is not parsed: shipped as text, counted, no stack overflow', () => {
    const bomb = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const { events, stats } = run([bomb], { structured: { enabled: true, maxBytes: 1024 * 1024 } });
    expect(events[0]!.message).toBe(bomb);
    expect(events[0]!.fieldsJson).toBeUndefined();
    expect(stats.tooDeep).toBe(1);
  });

  it('a field nested deeper than 8 levels is sent as its JSON text, counted; the rest stays', () => {
    const deep = `${'{"x":'.repeat(12)}1${'}'.repeat(12)}`;
    const { events, stats } = run([`{"msg":"m","deep":${deep},"ok":1}`]);
    expect(fields(events[0]!)).toEqual({ deep, ok: 1 });
    expect(stats.depthCut).toBe(1);
  });

  it('a flood of fields is cut at the cap, counted; the message is still found after them', () => {
    const members = Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(',');
    const { events, stats } = run([`{${members},"msg":"after the flood"}`], {
      structured: { enabled: true, maxBytes: 1024 * 1024 },
    });
    const ev = events[0]!;
    expect(ev.message).toBe('after the flood');
    expect(Object.keys(fields(ev) as object)).toHaveLength(MAX_FIELD_VALUES);
    expect(stats.fieldsCut).toBe(5000 - MAX_FIELD_VALUES);
  });

  it('a 10 MB JSON line: cut by max_line_bytes, then not parsed (too large), counted; bounded and fast', () => {
    const huge = `{"msg":"big","blob":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    const started = performance.now();
    const { events, stats } = run([huge]);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(events[0]!.message.length).toBeLessThan(300 * 1024);
    expect(events[0]!.fieldsJson).toBeUndefined();
    expect(stats.tooLarge).toBe(1);
    // the same line under a 16 MiB line cap: whole, still not parsed
    const whole = run([huge], { maxLineBytes: 16 * 1024 * 1024 });
    expect(whole.events[0]!.message).toBe(huge);
    expect(whole.stats.tooLarge).toBe(1);
  });

  it('__proto__ keys stay data: no prototype is touched', () => {
    const { events } = run(['{"msg":"x","__proto__":{"polluted":1},"constructor":{"prototype":{"p":1}}}']);
    const f = fields(events[0]!) as Record<string, unknown>;
    expect(Object.hasOwn(f, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('--no-structured ships every line as text', () => {
    const { events, stats } = run(['{"msg":"m","a":1}'], { structured: { enabled: false, maxBytes: 65536 } });
    expect(events[0]!.message).toBe('{"msg":"m","a":1}');
    expect(events[0]!.fieldsJson).toBeUndefined();
    expect(stats.json).toBe(0);
  });
});

describe("the app's own time", () => {
  it('epoch seconds, ms, µs, ns and ISO with offsets are read', () => {
    const s = NOW / 1000;
    const lines = [
      `{"ts":${s - 1.5},"msg":"s"}`,
      `{"time":${NOW - 2},"msg":"ms"}`,
      `{"time":${(NOW - 3) * 1000},"msg":"us"}`,
      `{"time":"${(NOW - 4) * 1_000_000}","msg":"ns as text"}`,
      `{"@timestamp":"2026-11-29T10:00:00.5+01:00","msg":"offset"}`,
      '{"timestamp":"2026-11-29T08:59:59.123456789Z","msg":"nanos"}',
    ];
    const { events } = run(lines);
    expect(events.map((e) => NOW - e.timestamp)).toEqual([1500, 2, 3, 4, -500, 877]);
  });

  it("epoch seconds with a fraction (zap's ts) keep their milliseconds exactly", () => {
    const s = NOW / 1000 - 1;
    const { events } = run([
      `{"ts":${s}.913,"msg":"a"}`,
      `{"ts":${s}.1,"msg":"b"}`,
      `{"ts":${s}.123987,"msg":"c"}`,
      `{"ts":${s}.5e0,"msg":"exponent: via Number"}`,
    ]);
    expect(events.map((e) => e.timestamp - (NOW - 1000))).toEqual([913, 100, 123, 500]);
  });

  it('a time without zone is read in the host zone', () => {
    const { events } = run(['{"asctime":"2026-11-29 08:30:00,250","msg":"local"}']);
    expect(events[0]!.timestamp).toBe(new Date(2026, 10, 29, 8, 30, 0, 250).getTime());
  });

  it('a time more than 24 h from the read time is not trusted: read time used, counted, kept in fields', () => {
    const { events, stats } = run([
      `{"time":${NOW - 25 * 3600_000},"msg":"old"}`,
      `{"time":${NOW + 25 * 3600_000},"msg":"future"}`,
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW, NOW]);
    expect(fields(events[0]!)).toEqual({ time: NOW - 25 * 3600_000 });
    expect(stats.timeUntrusted).toBe(2);
  });

  it("a plain line's header time is used; a line without one keeps the read time", () => {
    const { events } = run([
      '2026-11-29T08:59:58.000Z INFO started',
      '[2026-11-29 08:59:57+00:00] x',
      'no time',
    ]);
    expect(events.map((e) => NOW - e.timestamp)).toEqual([2000, 3000, 0]);
  });

  it('lines of one minute in other zones, precisions and a new minute are each read exactly', () => {
    // the reader remembers the last minute it read: what follows it must still be read in full
    const { events } = run([
      '2026-11-29T08:59:01.5Z a',
      '2026-11-29T08:59:02.25+00:00 b',
      '2026-11-29T08:59:03.123456-01:30 c',
      '2026-11-29T08:59:04 d',
      '2026-11-29T09:59:05+01:00 e',
      '2026-11-29T08:58:06.999Z f',
      '2026-11-29 08:58:07,001 g',
      '2026-11-29 08:58:08,002 h',
    ]);
    const local = (s: number, ms: number) => new Date(2026, 10, 29, 8, 58, s, ms).getTime();
    expect(events.map((e) => e.timestamp)).toEqual([
      NOW - 60_000 + 1500,
      NOW - 60_000 + 2250,
      NOW - 60_000 + 3123 + 90 * 60_000,
      new Date(2026, 10, 29, 8, 59, 4, 0).getTime(),
      NOW - 60_000 + 5000,
      NOW - 120_000 + 6999,
      local(7, 1),
      local(8, 2),
    ]);
  });

  it('lines of one second: what follows the second is read for each, a new minute or day in full', () => {
    // the reader remembers the last second it read as written; a line that differs anywhere in its
    // first 19 characters, or has no seconds, is read in full
    const utc = (d: number, h: number, mi: number, s: number, ms: number) =>
      Date.UTC(2026, 10, d, h, mi, s, ms);
    const { events } = run([
      '2026-11-29T08:59:01.100Z a',
      '2026-11-29T08:59:01.2+01:00 b',
      '2026-11-29T08:59:01,3 c',
      '2026-11-29T08:58Z d',
      '2026-11-29T08:59:01.456789Z e',
      '2026-11-29 08:59:01.5Z f',
      '2026-11-29T09:30:01.600Z g',
      '2026-11-28T09:30:01.700Z h',
      '2026-11-28T09:30:01 i',
      '2026-11-28T09:30:61.8Z j',
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([
      utc(29, 8, 59, 1, 100),
      utc(29, 7, 59, 1, 200),
      new Date(2026, 10, 29, 8, 59, 1, 300).getTime(),
      utc(29, 8, 58, 0, 0),
      utc(29, 8, 59, 1, 456),
      utc(29, 8, 59, 1, 500),
      utc(29, 9, 30, 1, 600),
      utc(28, 9, 30, 1, 700),
      new Date(2026, 10, 28, 9, 30, 1, 0).getTime(),
      NOW,
    ]);
  });

  it('lines with the digits of one second: the separators still decide, any header reads its own', () => {
    // every line here has the same 14 digits in its first 19 characters (a cache of the second
    // read last must know them apart: ISO with `T` or a space, bracketed, Go's `/`, shuffled, `t`)
    const utc = (ms: number) => Date.UTC(2026, 10, 29, 8, 59, 1, ms);
    const { events } = run([
      '2026-11-29T08:59:01.100Z a',
      '2026-11-29 08:59:01.200Z b',
      '[2026-11-29T08:59:01.300Z] c',
      '2026/11/29 08:59:01.400 d',
      '2026-11-29T0859:-01.5Z e',
      '2026-11-29T08:59:01.6+01:00 f',
      '2026-11-29t08:59:01.7Z g',
      '2026-11-29T08:59:01.800Z boom',
      '    at run (/app/x.js:1:1)',
      '2026-11-29T08:59:01 h',
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([
      utc(100),
      utc(200),
      utc(300),
      new Date(2026, 10, 29, 8, 59, 1, 400).getTime(),
      NOW,
      utc(600) - 3_600_000,
      utc(700),
      utc(800),
      new Date(2026, 10, 29, 8, 59, 1, 0).getTime(),
    ]);
    expect(events[7]!.message).toContain('\n    at run');
  });
});

describe('trace ids', () => {
  const T = '4bf92f3577b34da6a3ce929d0e0e4736';
  const S = '00f067aa0ba902b7';
  it('come from fields, traceparent anywhere, X-Ray and Datadog decimals', () => {
    const { events } = run([
      `{"msg":"a","traceId":"${T.toUpperCase()}","spanId":"${S}"}`,
      `{"msg":"b","headers":{"traceparent":"00-${T}-${S}-01"}}`,
      `{"msg":"c","dd":{"trace_id":"7234567890123456789","span_id":"42"}}`,
      `GET / Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`,
      'trace_id=0000000000000000000000000000000 not an id',
      `{"msg":"zero","trace_id":"00000000000000000000000000000000"}`,
      `00-${T}-${S}-01 opens the line`,
      `2026-11-29 08:00 dashes-but-no-ids then traceparent=00-${T}-${S}-01`,
      `done trace_id=${T} span_id=${S}`,
      'no dash 00 and no id',
    ]);
    expect(events.map((e) => [e.traceId, e.spanId])).toEqual([
      [T, S],
      [T, S],
      [`0000000000000000${7234567890123456789n.toString(16)}`, '000000000000002a'],
      ['5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8'],
      [undefined, undefined],
      [undefined, undefined],
      [T, S],
      [T, S],
      [T, S],
      [undefined, undefined],
    ]);
    expect(fields(events[0]!)).toBeUndefined();
  });

  it('trace_id= in text among underscores: after many snake_case words, and not under another key', () => {
    const { events } = run([
      `job_a_b done: user_id=7 order_id=9 shard_key=x row_count=3 batch_no=1 is_retry=no ok_then=1 trace_id=${T} span_id=${S}`,
      `a_b c_d e_f g_h i_j k_l m_n o_p q_r s_t u_v w_x y_z trace_id=${T}`,
      'saw request_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 user_trace=1',
      `_trace_id=${T}`,
    ]);
    expect(events.map((e) => [e.traceId, e.spanId])).toEqual([
      [T, S],
      [T, undefined],
      [undefined, undefined],
      [T, undefined],
    ]);
  });

  it('after a header time (searched from its end): right after it, in brackets, and not in the time itself', () => {
    const { events } = run([
      `2026-11-29T08:59:58.123Z 00-${T}-${S}-01 right after the time`,
      `[2026-11-29T08:59:57Z] done trace_id=${T} span_id=${S}`,
      '2026-11-29 08:59:56 GET / Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      '2000-01-01T00:00:00Z a time whose own 00- starts no id',
    ]);
    expect(events.map((e) => [e.traceId, e.spanId])).toEqual([
      [T, S],
      [T, S],
      ['5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8'],
      [undefined, undefined],
    ]);
    expect(events.slice(0, 3).map((e) => e.timestamp)).toEqual([
      Date.UTC(2026, 10, 29, 8, 59, 58, 123),
      Date.UTC(2026, 10, 29, 8, 59, 57),
      new Date(2026, 10, 29, 8, 59, 56).getTime(),
    ]);
  });

  it('Datadog gets the decimal of the lower 64 bits', () => {
    expect(lower64Decimal(`0000000000000000${7234567890123456789n.toString(16)}`)).toBe(
      '7234567890123456789',
    );
    expect(lower64Decimal(T)).toBe(BigInt(`0x${T.slice(16)}`).toString());
    const ids = new TraceIds();
    expect(ids.trace('x', 0, 1)).toBe(false);
  });
});

describe('logfmt lines', () => {
  it('trace ids in the text after a leading time pair, and in a pair before a time', () => {
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    const S = '00f067aa0ba902b7';
    const { events } = run([
      `time=2026-11-29T08:59:00Z msg="call 00-${T}-${S}-01 done" path=/a`,
      `ts=2000-01-01T00:00:00Z msg="said trace_id=${T}" path=/b`,
      `req=00-${T}-${S}-01 time=2026-11-29T08:59:00Z msg=x`,
      'time=2026-11-29T08:59:00Z msg=x path=/c',
    ]);
    expect(events.map((e) => [e.traceId, e.spanId])).toEqual([
      [T, S],
      [T, undefined],
      [T, S],
      [undefined, undefined],
    ]);
  });

  it('every token a pair, at least two: message, level, time out; values stay text', () => {
    const { events, stats } = run([
      'time=2026-11-29T08:59:59Z level=warn msg="disk \\"low\\"" free=10% path=/data',
      'user=alice logged in',
      'a=1',
    ]);
    expect(events[0]!.message).toBe('disk "low"');
    expect(events[0]!.level).toBe(40);
    expect(events[0]!.timestamp).toBe(NOW - 1000);
    expect(fields(events[0]!)).toEqual({ free: '10%', path: '/data' });
    expect(events[1]!.fieldsJson).toBeUndefined();
    expect(events[2]!.fieldsJson).toBeUndefined();
    expect(stats.logfmt).toBe(1);
  });

  it('values that JSON escapes (quotes, backslashes, escapes, non-ASCII) reach fields as the same text', () => {
    const line =
      'level=error msg=failed dir=C:\\tmp note="said \\"hi\\"\\tthen left" name="Zoë 🙂" err="boom \\"x\\"" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 empty=""';
    const { events } = run([line]);
    expect(events[0]!.message).toBe('failed');
    expect(events[0]!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(events[0]!.error).toEqual({ kind: '', message: 'boom "x"', stack: '' });
    expect(fields(events[0]!)).toEqual({
      dir: 'C:\\tmp',
      note: 'said "hi"\tthen left',
      name: 'Zoë 🙂',
      err: 'boom "x"',
      empty: '',
    });
    expect(events[0]!.line).toBe(line);
  });

  it("a quoted value's escapes as Go's strconv.Quote and Python's repr write them: \\n \\t \\r \\xNN \\uNNNN; others drop the backslash", () => {
    const line =
      'level=info msg="a\\nb" tab="x\\ty" cr="r\\r" hex="bell\\x07 e\\xe9" uni="caf\\u00e9" short="\\x4 \\u12" other="\\q\\\\z" end="tail\\\\"';
    const { events } = run([line]);
    expect(events[0]!.message).toBe('a\nb');
    expect(fields(events[0]!)).toEqual({
      tab: 'x\ty',
      cr: 'r\r',
      hex: 'bell\u0007 e\u00e9',
      uni: 'caf\u00e9',
      short: 'x4 u12',
      other: 'q\\z',
      end: 'tail\\',
    });
  });

  it('a quoted value ends at its first unescaped quote, whichever values before or after it hold backslashes', () => {
    const { events } = run([
      'level=info msg="plain one" path=C:\\x err="a \\"b\\" c" note="tail \\\\" last="x"',
      'level=info msg="no backslash at all" a=1',
      'level=info msg="ends with \\\\" b="q"',
      'level=info msg="open \\" quote',
    ]);
    expect(events.map((e) => e.message)).toEqual([
      'plain one',
      'no backslash at all',
      'ends with \\',
      'level=info msg="open \\" quote',
    ]);
    expect(fields(events[0]!)).toEqual({ path: 'C:\\x', err: 'a "b" c', note: 'tail \\', last: 'x' });
    expect(fields(events[2]!)).toEqual({ b: 'q' });
  });
});

describe('errors from grouped traces', () => {
  it('Java under a logger record, Node, Python, Go and Rust', () => {
    const { events } = run([
      '2026-11-29 08:59:59,000 ERROR [main] c.e.App - request failed',
      'java.lang.IllegalStateException: pool exhausted',
      '\tat com.example.Pool.take(Pool.java:42)',
      '\tat com.example.App.main(App.java:7)',
      'TypeError: cannot read x',
      '    at load (/app/config.js:10:5)',
      '    at /app/index.js:3:1',
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 3, in <module>',
      '    main()',
      'ValueError: bad value',
      'panic: runtime error: index out of range [3] with length 3',
      '',
      'goroutine 1 [running]:',
      'main.main()',
      '\t/app/main.go:12 +0x1d',
      'exit status 2',
    ]);
    const errors = events.map((e) => e.error && { kind: e.error.kind, message: e.error.message });
    expect(errors).toEqual([
      { kind: 'java.lang.IllegalStateException', message: 'pool exhausted' },
      { kind: 'TypeError', message: 'cannot read x' },
      { kind: 'ValueError', message: 'bad value' },
      { kind: 'panic', message: 'runtime error: index out of range [3] with length 3' },
    ]);
    expect(events.every((e) => e.error?.stack === e.message)).toBe(true);
    expect(
      errorFromTrace(
        "thread 'main' panicked at src/main.rs:2:5:\nboom\nstack backtrace:\n   0: rust_begin_unwind",
      ),
    ).toMatchObject({ kind: 'panic', message: 'boom' });
  });

  it('frames for Sentry, oldest call first', () => {
    expect(
      stackFrames('Error: x\n    at inner (/a.js:1:2)\n    at outer (/b.js:3:4)').map((f) => f.function),
    ).toEqual(['outer', 'inner']);
    expect(
      stackFrames(
        'Traceback (most recent call last):\n  File "/m.py", line 3, in <module>\n  File "/f.py", line 9, in f\nE: x',
      ).map((f) => [f.filename, f.lineno]),
    ).toEqual([
      ['/m.py', 3],
      ['/f.py', 9],
    ]);
    expect(
      stackFrames('x: y\n\tat a.B.c(B.java:5)\n\tat a.B.main(B.java:9)').map((f) => [
        f.module,
        f.function,
        f.lineno,
      ]),
    ).toEqual([
      ['a.B', 'main', 9],
      ['a.B', 'c', 5],
    ]);
    expect(
      stackFrames(
        'panic: x\n\ngoroutine 1 [running]:\nmain.f(...)\n\t/app/m.go:5 +0x1\nmain.main()\n\t/app/m.go:9 +0x2',
      ).map((f) => [f.function, f.lineno]),
    ).toEqual([
      ['main.main', 9],
      ['main.f', 5],
    ]);
  });
});

describe('forwarder_events_total source', () => {
  it('counts events per stream and level', () => {
    const { streams } = run(['{"level":"error","msg":"e"}', 'plain', 'WARN x']);
    expect(streams.stdout!.levels).toEqual([0, 0, 0, 1, 1, 1, 0]);
  });
});

describe('message, level, time and error one level down, and by shape', () => {
  const T = NOW - 5000;
  const iso = new Date(T).toISOString();

  it("tracing-subscriber: fields.message is cut from fields; an object left empty goes; the top level's own are kept", () => {
    const { events } = run([
      `{"timestamp":"${iso}","level":"INFO","fields":{"message":"only"},"target":"a"}`,
      `{"timestamp":"${iso}","level":"INFO","fields":{"a":1,"message":"mid","b":2},"target":"a"}`,
      `{"timestamp":"${iso}","level":"INFO","fields":{"a":1,"message":"last"}}`,
      `{"timestamp":"${iso}","level":"INFO","msg":"top","fields":{"message":"inner","time":"2020-01-01T00:00:00Z"}}`,
    ]);
    expect(events.map((e) => e.message)).toEqual(['only', 'mid', 'last', 'top']);
    expect(fields(events[0]!)).toEqual({ target: 'a' });
    expect(fields(events[1]!)).toEqual({ fields: { a: 1, b: 2 }, target: 'a' });
    expect(fields(events[2]!)).toEqual({ fields: { a: 1 } });
    // a record with its own message: the nested object is its data, read for nothing
    expect(fields(events[3]!)).toEqual({ fields: { message: 'inner', time: '2020-01-01T00:00:00Z' } });
    expect(events[3]!.timestamp).toBe(T);
  });

  it("an app's own `record` beside its message is data: its time is not the event's", () => {
    const line = `{"level":"info","msg":"saved","record":{"id":5,"timestamp":${T - 60_000},"message":"m"}}`;
    const { events, stats } = run([line]);
    expect(events[0]!.message).toBe('saved');
    expect(events[0]!.timestamp).toBe(NOW);
    expect(fields(events[0]!)).toEqual({ record: { id: 5, timestamp: T - 60_000, message: 'm' } });
    expect(stats.timeUntrusted).toBe(0);
  });

  it('a nested object of more than 64 members keeps the ones past them as written', () => {
    const many = Array.from({ length: 70 }, (_, i) => `"k${i}":${i}`).join(',');
    const { events } = run([`{"level":"info","fields":{"message":"m",${many}}}`]);
    const f = fields(events[0]!) as { fields: Record<string, number> };
    expect(events[0]!.message).toBe('m');
    expect(Object.keys(f.fields)).toHaveLength(70);
    expect(f.fields.k69).toBe(69);
  });

  it('loguru: level from record.level (name, else its number), time from record.time.timestamp', () => {
    const rec = (name: string, no: number) =>
      `{"text":"x\\n","record":{"level":{"icon":"*","name":"${name}","no":${no}},"message":"m","time":{"repr":"r","timestamp":${T / 1000}}}}`;
    const { events, streams } = run([rec('ERROR', 40), rec('CUSTOM', 35), rec('TRACE', 5)]);
    expect(events.map((e) => e.level)).toEqual([50, 40, 10]);
    expect(events.map((e) => e.timestamp)).toEqual([T, T, T]);
    expect(fields(events[0]!)).toEqual({ text: 'x\n' });
    // the per-level counts follow the level read from the record
    expect(streams.stdout!.levels).toEqual([0, 1, 0, 0, 1, 1, 0]);
  });

  it('klog: no level, no v and an error is an error; with v, or an empty error, or a level, it is not', () => {
    const { events } = run([
      `{"ts":${T},"msg":"failed","err":"timeout"}`,
      `{"ts":${T},"msg":"ok","err":"timeout","v":2}`,
      `{"ts":${T},"msg":"ok","error":""}`,
      `{"ts":${T},"msg":"ok","error":null}`,
      `{"ts":${T},"level":"info","msg":"ok","err":"timeout"}`,
    ]);
    expect(events.map((e) => e.level)).toEqual([50, 30, 30, 30, 30]);
  });

  it('a lone stack trace is an error only when it names the exception', () => {
    const { events } = run([
      '{"level":"error","msg":"m","stacktrace":"main.main\\n\\t/app/main.go:40"}',
      '{"level":"error","message":"m","stack_trace":"java.lang.IllegalStateException: boom\\n\\tat a.B.c(B.java:1)"}',
      '{"level":"error","message":"m","error.type":"X","error.message":"y"}',
    ]);
    expect(events[0]!.error).toBeUndefined();
    expect(events[1]!.error).toMatchObject({ kind: 'java.lang.IllegalStateException', message: 'boom' });
    expect(events[2]!.error).toEqual({ kind: 'X', message: 'y', stack: '' });
  });

  it("Log4j2's thrown frames become a Java trace (Sentry can read its frames); structlog's dict traceback a Python one", () => {
    const { events } = run([
      '{"timeMillis":1,"level":"ERROR","message":"m","thrown":{"name":"a.BoomException","message":"boom","extendedStackTrace":[{"class":"a.B","method":"c","file":"B.java","line":7},{"class":"a.D","method":"e","line":-2}]}}',
      '{"event":"m","level":"error","exception":[{"exc_type":"KeyError","exc_value":"\'k\'","frames":[{"filename":"/app/x.py","lineno":3,"name":"f"}]}]}',
    ]);
    expect(events[0]!.error!.stack).toBe(
      'a.BoomException: boom\n\tat a.B.c(B.java:7)\n\tat a.D.e(Unknown Source)',
    );
    expect(stackFrames(events[0]!.error!.stack).map((f) => [f.module, f.function, f.lineno])).toEqual([
      ['a.D', 'e', undefined],
      ['a.B', 'c', 7],
    ]);
    expect(events[1]!.error).toEqual({
      kind: 'KeyError',
      message: "'k'",
      stack: 'Traceback (most recent call last):\n  File "/app/x.py", line 3, in f\nKeyError: \'k\'',
    });
  });

  it('a trace written as lines (semantic_logger) is the stack; a GELF full_message that is no trace gives no error', () => {
    const { events } = run([
      '{"level":"error","message":"m","exception":{"name":"RuntimeError","message":"boom","stack_trace":["app.rb:3:in `f\'","app.rb:9:in `<main>\'"]}}',
      '{"version":"1.1","short_message":"m","full_message":"a longer\\ntext","level":3}',
    ]);
    expect(events[0]!.error).toEqual({
      kind: 'RuntimeError',
      message: 'boom',
      stack: "app.rb:3:in `f'\napp.rb:9:in `<main>'",
    });
    expect(events[1]!.error).toBeUndefined();
    expect(events[1]!.level).toBe(50);
  });

  it('the object a message was cut from stays within the caps: past 256 values it is cut, deeper than 8 it goes as text', () => {
    const wide = Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`).join(',');
    const deep = `${'{"a":'.repeat(9)}1${'}'.repeat(9)}`;
    const { events, stats } = run(
      [
        `{"level":"info","fields":{"message":"wide",${wide}},"after":1}`,
        `{"level":"info","fields":{"message":"deep","d":${deep}}}`,
      ],
      { structured: { enabled: true, maxBytes: 1024 * 1024 } },
    );
    expect(events.map((e) => e.message)).toEqual(['wide', 'deep']);
    expect(fields(events[0]!)).toBeUndefined();
    expect(stats.fieldsCut).toBe(2);
    expect(fields(events[1]!)).toEqual({ fields: `{"message":"deep","d":${deep}}` });
    expect(stats.depthCut).toBe(1);
  });

  it('hostile nested values: deep objects, odd types, a huge nested object: no crash, bounded', () => {
    const deep = `${'{"a":'.repeat(60)}1${'}'.repeat(60)}`;
    const { events } = run([
      `{"fields":${deep}}`,
      '{"record":{"level":{"name":7,"no":"x"},"time":{"timestamp":"soon"},"message":5}}',
      '{"fields":[1,2],"record":"text","syslog":null,"instant":{"epochSecond":-5}}',
      // loguru's shape ({text, record}): read one level down, within bounds
      `{"text":"m\\n","record":{"message":"m",${Array.from({ length: 2000 }, (_, i) => `"k${i}":{"time":${i}}`).join(',')}}}`,
    ]);
    expect(events).toHaveLength(4);
    expect(events[1]!.message.startsWith('{')).toBe(true);
    expect(events[3]!.message).toBe('m');
  });
});

describe('real-world shapes (issue 17, fixtures/corpus/structured/documented-realworld.jsonl)', () => {
  it('a pretty-printed record is one event read as one record; a bare { group that is no JSON ships as text, counted invalid', () => {
    const pretty = JSON.stringify(
      { level: 'error', time: NOW - 5000, msg: 'declined', order: { id: 7 } },
      null,
      2,
    );
    const { events, stats } = run([...pretty.split('\n'), 'after']);
    expect(events.map((e) => e.message)).toEqual(['declined', 'after']);
    expect(events[0]!.level).toBe(50);
    expect(events[0]!.timestamp).toBe(NOW - 5000);
    expect(fields(events[0]!)).toEqual({ order: { id: 7 } });
    // one line again (NDJSON destinations embed it as written), its strings untouched
    expect(events[0]!.fieldsJson).toBe('{"order":{"id":7}}');
    expect(events[0]!.line).toBe(pretty);
    const spaced = run(['{', '  "msg": "m",', '  "note": "a  b\\" c",', '  "level": "info"', '}']);
    expect(spaced.events[0]!.fieldsJson).toBe('{"note":"a  b\\" c"}');
    expect(stats.json).toBe(1);
    const text = run(['{', '  not json', '}']);
    expect(text.events.map((e) => e.message)).toEqual(['{\n  not json\n}']);
    expect(text.stats.invalid).toBe(1);
  });

  it('a level field the detector does not read stays in fields; one it reads is taken out', () => {
    const { events } = run([
      '{"msg":"moved","level":"castle-2"}',
      '{"msg":"moved","level":"log"}',
      'msg=moved level=castle-2',
      'msg=moved level=warn',
    ]);
    expect(fields(events[0]!)).toEqual({ level: 'castle-2' });
    expect(events[0]!.level).toBe(30);
    expect(fields(events[1]!)).toBeUndefined();
    expect(fields(events[2]!)).toEqual({ level: 'castle-2' });
    expect([events[3]!.level, fields(events[3]!)]).toEqual([40, undefined]);
  });

  it("a second level key whose value is no level (a scanner's severity: high) stays in fields; both go when both are levels", () => {
    const { events } = run([
      '{"level":"info","msg":"vulnerability found","severity":"high"}',
      '{"severity":"high","level":"warn","msg":"x"}',
      '{"levelname":"ERROR","level":"error","msg":"y"}',
      '{"level":30,"severity":"P2","msg":"z"}',
    ]);
    expect(events.map((e) => e.level)).toEqual([30, 40, 50, 30]);
    const lf = run([
      'level=info msg="vulnerability found" severity=high',
      'severity=warn level=error msg=x',
    ]).events;
    expect(lf.map((e) => [e.level, fields(e)])).toEqual([
      [30, { severity: 'high' }],
      [40, undefined],
    ]);
    expect(events.map((e) => fields(e))).toEqual([
      { severity: 'high' },
      { severity: 'high' },
      undefined,
      { severity: 'P2' },
    ]);
  });

  it("start_time is the time of a record with no message (Envoy's access log), never of an app's record with one", () => {
    const started = new Date(NOW - 2 * 3600_000).toISOString();
    const { events } = run([
      `{"start_time":"${started}","method":"GET","response_code":200}`,
      `{"message":"job done","start_time":"${started}"}`,
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW - 2 * 3600_000, NOW]);
    expect(fields(events[1]!)).toEqual({ start_time: started });
  });

  it("an `s` is MongoDB's severity only in a record with no level key; any other `s` stays in fields", () => {
    const { events } = run([
      '{"t":{"$date":"2026-11-29T09:00:00Z"},"s":"W","c":"NETWORK","msg":"slow"}',
      '{"level":"info","msg":"retry","s":"2s"}',
      '{"level":"info","msg":"probe","s":"I"}',
      '{"msg":"done","s":"ok"}',
    ]);
    expect([events[0]!.level, fields(events[0]!)]).toEqual([40, { c: 'NETWORK' }]);
    expect(fields(events[1]!)).toEqual({ s: '2s' });
    expect(fields(events[2]!)).toEqual({ s: 'I' });
    expect(fields(events[3]!)).toEqual({ s: 'ok' });
  });

  it('slog level offsets move the level on slog scale (DEBUG-4 trace, INFO+2 info, ERROR+4 fatal)', () => {
    const { events } = run([
      '{"level":"DEBUG-4","msg":"a"}',
      '{"level":"INFO+2","msg":"b"}',
      '{"level":"ERROR+4","msg":"c"}',
      'level=WARN+4 msg=d',
    ]);
    expect(events.map((e) => e.level)).toEqual([10, 30, 60, 50]);
  });

  it('0x ids, a numeric span {id} that is no span id, and Scopes ids only when the record has none', () => {
    const { events } = run([
      '{"body":"b","severity_text":"INFO","trace_id":"0x4bf92f3577b34da6a3ce929d0e0e4736","span_id":"0x00f067aa0ba902b7"}',
      '{"level":"INFO","fields":{"message":"m"},"span":{"id":42,"name":"request"}}',
      '{"LogLevel":"Information","Message":"m","TraceId":"11111111111111111111111111111111","Scopes":[{"TraceId":"4bf92f3577b34da6a3ce929d0e0e4736"}]}',
    ]);
    expect([events[0]!.message, events[0]!.traceId, events[0]!.spanId]).toEqual([
      'b',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '00f067aa0ba902b7',
    ]);
    expect(events[1]!.spanId).toBeUndefined();
    expect(events[2]!.traceId).toBe('11111111111111111111111111111111');
  });

  it('t is a time as text or {$date}, never as a number (a reading, a tick)', () => {
    const iso = new Date(NOW - 5000).toISOString();
    const { events, stats } = run([
      `{"msg":"a","t":{"$date":"${iso}"}}`,
      `t=${iso} msg=b level=info`,
      '{"msg":"c","t":21.5}',
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW - 5000, NOW - 5000, NOW]);
    expect(fields(events[2]!)).toEqual({ t: 21.5 });
    expect(stats.timeUntrusted).toBe(0);
  });

  it("Java's ZonedDateTime text (an offset, then the zone's id) is a time; a zone id without an offset is not", () => {
    const base = new Date(NOW - 5000).toISOString().slice(0, 23);
    const { events } = run([
      `{"msg":"a","timestamp":"${base}Z[UTC]"}`,
      `{"msg":"b","timestamp":"${base}+00:00[Europe/London]"}`,
      `{"msg":"c","timestamp":"${base}[UTC]"}`,
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW - 5000, NOW - 5000, NOW]);
  });

  it('an empty error text is no error (Echo writes "error":"" for every request), in JSON and logfmt', () => {
    const { events } = run(['{"method":"GET","status":200,"error":""}', 'level=info msg=ok error=""']);
    expect(events.map((e) => e.error)).toEqual([undefined, undefined]);
    expect(events.map((e) => e.level)).toEqual([30, 30]);
  });

  it("a body is the message only of a record with no message key and OpenTelemetry's severity (text) or a level (its {stringValue})", () => {
    const { events } = run([
      '{"method":"POST","body":"{\\"a\\":1}"}',
      '{"level":"info","msg":"m","body":"x"}',
      '{"level":"info","method":"POST","body":"{\\"user\\":1}"}',
      '{"severity_text":"INFO","body":"from OTel"}',
      '{"level":"info","body":{"stringValue":"from OTLP"}}',
    ]);
    expect(events[2]!.message).toBe('{"level":"info","method":"POST","body":"{\\"user\\":1}"}');
    expect(fields(events[2]!)).toEqual({ method: 'POST', body: '{"user":1}' });
    expect(events[3]!.message).toBe('from OTel');
    expect(events[4]!.message).toBe('from OTLP');
    expect(events[0]!.message).toBe('{"method":"POST","body":"{\\"a\\":1}"}');
    expect(events[1]!.message).toBe('m');
    expect(fields(events[1]!)).toEqual({ body: 'x' });
  });
});

describe('real-world shapes, round 2 (the cases round 1 left out)', () => {
  it("zerolog's stack of frame objects is the error's stack, as pkg/errors prints it, and Sentry reads its frames", () => {
    const line = `{"level":"error","stack":[{"func":"inner","line":"20","source":"errors.go"},{"func":"main","line":"15","source":"errors.go"}],"error":"boom","time":${Math.floor(NOW / 1000)}}`;
    const { events } = run([line]);
    const err = events[0]!.error!;
    expect(err).toEqual({
      kind: '',
      message: 'boom',
      stack: 'boom\ninner\n\terrors.go:20\nmain\n\terrors.go:15',
    });
    // oldest call first
    expect(stackFrames(err.stack).map((f) => [f.function, f.filename, f.lineno])).toEqual([
      ['main', 'errors.go', 15],
      ['inner', 'errors.go', 20],
    ]);
    // the error and its frames stay in fields, as the app wrote them
    expect(fields(events[0]!)).toEqual({
      error: 'boom',
      stack: [
        { func: 'inner', line: '20', source: 'errors.go' },
        { func: 'main', line: '15', source: 'errors.go' },
      ],
    });
  });

  it('a stack array of anything but frames gives no stack', () => {
    const { events } = run(['{"level":"error","error":"boom","stack":[1,{"x":2}]}']);
    expect(events[0]!.error).toEqual({ kind: '', message: 'boom', stack: '' });
  });

  it("Google Cloud's X-Cloud-Trace-Context value gives the trace and the span (decimal to 16 hex); projects/P/traces/ID the trace", () => {
    const ids = new TraceIds();
    const read = (v: string): [string | undefined, string | undefined, boolean] => {
      ids.reset();
      const ok = ids.trace(v, 0, v.length);
      return [ids.traceId, ids.spanId, ok];
    };
    const trace = '105445aa7843bc8bf206b12000100000';
    expect(read(`${trace}/2947402951238473920;o=1`)).toEqual([trace, '28e7475e3e81d8c0', true]);
    expect(read(`${trace}/1`)).toEqual([trace, '0000000000000001', true]);
    expect(read(`${trace};o=1`)).toEqual([trace, undefined, true]);
    expect(read(`${trace}/;o=1`)).toEqual([trace, undefined, true]);
    expect(read(`${trace.toUpperCase()}/0;o=0`)).toEqual([trace, undefined, true]);
    expect(read(`${'0'.repeat(32)}/1;o=1`)).toEqual([undefined, undefined, false]);
    expect(read(`${trace.slice(0, 31)}x/1;o=1`)).toEqual([undefined, undefined, false]);
    expect(read(`projects/my-project/traces/${trace}`)).toEqual([trace, undefined, true]);
  });

  it("Python's created (epoch seconds as a float) is the time only of a record that has no other", () => {
    const sec = (NOW - 2000) / 1000;
    const { events, stats } = run([
      `{"created": ${sec}.123456, "levelname": "INFO", "message": "a"}`,
      `{"created": ${sec}.5, "time": "${new Date(NOW - 9000).toISOString()}", "msg": "b"}`,
      `{"created": ${sec}, "msg": "c"}`,
      `{"created": "${sec}.5", "msg": "d"}`,
      `{"created": ${sec - 3 * 86400}.5, "levelname": "INFO", "msg": "e"}`,
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW - 2000 + 123, NOW - 9000, NOW, NOW, NOW]);
    expect(events.map((e) => fields(e))).toEqual([
      undefined,
      { created: sec + 0.5 },
      { created: sec },
      { created: `${sec}.5` },
      { created: sec - 3 * 86400 + 0.5 },
    ]);
    expect(stats.timeUntrusted).toBe(1);
  });

  it("structlog's KeyValueRenderer (repr values) is read apart from Go's logfmt, which keeps its rules", () => {
    const { events, stats } = run([
      "level='warning' event='disk low' free='10%' mounts=['/', '/data'] ok=False",
      "event='tab\\there \\x41' level='info'",
      "event='unclosed level='info'",
      'level=info msg="plain logfmt" a=b',
      "just prose with a='quote' in it",
    ]);
    expect(events[0]!.message).toBe('disk low');
    expect(events[0]!.level).toBe(40);
    expect(fields(events[0]!)).toEqual({ free: '10%', mounts: "['/', '/data']", ok: 'False' });
    expect(events[1]!.message).toBe('tab\there A');
    // quotes that do not pair: not a KeyValueRenderer line; Go's logfmt reads its values as written
    expect(events[2]!.message).toBe("'unclosed");
    expect(fields(events[2]!)).toEqual({ level: "'info'" });
    expect(events[3]!.message).toBe('plain logfmt');
    expect(fields(events[3]!)).toEqual({ a: 'b' });
    expect(events[4]!.message).toBe("just prose with a='quote' in it");
    expect(stats.logfmt).toBe(4);
  });

  it("a numeric level's scale follows the record's library: GELF syslog, consola's own, MySQL's prio only beside its keys", () => {
    const iso = new Date(NOW - 3000).toISOString();
    const { events } = run([
      '{"version":"1.1","host":"h","short_message":"gelf","level":3}',
      `{"date":"${iso}","args":["consola info"],"type":"info","level":3,"tag":""}`,
      `{"date":"${iso}","args":["down"],"type":"fatal","level":0,"tag":""}`,
      '{"level":3,"args":["x"],"msg":"no type: no library named, no level"}',
      `{"time":"${new Date(NOW - 7000).toISOString()}","date":"${iso}","msg":"date is no time beside time"}`,
      '{ "prio" : 2, "msg" : "mysql", "err_symbol" : "ER_X", "label" : "Warning" }',
      '{"prio":2,"msg":"a queue\'s prio"}',
    ]);
    expect(events.map((e) => e.level)).toEqual([50, 30, 60, 30, 30, 40, 30]);
    expect(events.map((e) => e.message)).toEqual([
      'gelf',
      'consola info',
      'down',
      'no type: no library named, no level',
      'date is no time beside time',
      'mysql',
      "a queue's prio",
    ]);
    expect(events[1]!.timestamp).toBe(NOW - 3000);
    expect(fields(events[3]!)).toEqual({ level: 3, args: ['x'] });
    expect(events[4]!.timestamp).toBe(NOW - 7000);
    expect(fields(events[5]!)).toEqual({ err_symbol: 'ER_X', label: 'Warning' });
    expect(fields(events[6]!)).toEqual({ prio: 2 });
  });
});

describe('real-world shapes, round 3 (what the review left open)', () => {
  it("AWS Lambda's errorType / errorMessage are the error at level error or with no level; on an info record, the app's data", () => {
    const { events } = run([
      '{"level":"info","msg":"form rejected","errorType":"none","errorMessage":"Email is required"}',
      '{"level":"error","msg":"payment failed","errorType":"CardDeclined","errorMessage":"insufficient funds"}',
      '{"errorType":"ZeroDivisionError","errorMessage":"division by zero","stackTrace":["  File \\"f.py\\", line 5, in h\\n"]}',
      '{"level":"info","message":{"errorType":"ValidationError","errorMessage":"email is required"}}',
      '{"level":"ERROR","message":{"errorType":"ReferenceError","errorMessage":"x is not defined","stackTrace":["ReferenceError: x is not defined"]}}',
      '{"level":"castle","errorType":"E","errorMessage":"m"}',
      // Spring Boot's ECS keys are an error at any level (they are written only for a thrown exception)
      '{"log.level":"WARN","message":"retrying","error.type":"java.io.IOException","error.message":"reset"}',
    ]);
    expect(events.map((e) => e.error && [e.error.kind, e.error.message])).toEqual([
      undefined,
      ['CardDeclined', 'insufficient funds'],
      ['ZeroDivisionError', 'division by zero'],
      undefined,
      ['ReferenceError', 'x is not defined'],
      undefined,
      ['java.io.IOException', 'reset'],
    ]);
    expect(events.map((e) => e.level)).toEqual([30, 50, 50, 30, 50, 30, 40]);
    expect(fields(events[0]!)).toEqual({ errorType: 'none', errorMessage: 'Email is required' });
  });

  it("a {Type, Value} body is the message only beside OpenTelemetry's severity text; {stringValue} beside any level", () => {
    const { events } = run([
      '{"level":"info","method":"POST","body":{"Type":"form","Value":"alice@example.com"}}',
      '{"Timestamp":"2024-05-14T09:21:07.412Z","Severity":9,"SeverityText":"INFO","Body":{"Type":"String","Value":"from Go"}}',
      '{"level":"info","body":{"stringValue":"from OTLP"}}',
    ]);
    expect(events[0]!.message).toBe(
      '{"level":"info","method":"POST","body":{"Type":"form","Value":"alice@example.com"}}',
    );
    expect(fields(events[0]!)).toEqual({
      method: 'POST',
      body: { Type: 'form', Value: 'alice@example.com' },
    });
    expect(events[1]!.message).toBe('from Go');
    expect(events[1]!.level).toBe(30);
    expect(events[2]!.message).toBe('from OTLP');
  });

  it("status is the level only with no level key (Datadog's reserved attribute); a numeric severity only beside a syslog facility", () => {
    const { events } = run([
      '{"level":"info","msg":"job finished","job":"backup","status":"error"}',
      '{"status":"error","level":"castle"}',
      '{"status":"warn","service":"web","message":"slow response"}',
      '{"id":"BUG-1042","title":"Login broken","severity":3,"status":"open"}',
      '{"host":"web-1","facility":"3","severity":"3","message":"disk error"}',
      '{"severity":"ERROR","message":"Google Cloud text severity"}',
    ]);
    expect(events.map((e) => e.level)).toEqual([30, 30, 40, 30, 50, 50]);
    expect(fields(events[0]!)).toEqual({ job: 'backup', status: 'error' });
    expect(fields(events[1]!)).toEqual({ status: 'error', level: 'castle' });
    // the bug's severity stays its field
    expect(fields(events[3]!)).toEqual({
      id: 'BUG-1042',
      title: 'Login broken',
      severity: 3,
      status: 'open',
    });
    expect(fields(events[4]!)).toEqual({ host: 'web-1', facility: '3' });
  });
});

describe('a record printed with indent 0', () => {
  it('is one event read as one record (Python\'s json.dumps(indent=0), Go\'s MarshalIndent(v, "", ""))', () => {
    const iso = new Date(NOW - 4000).toISOString();
    const record = [
      '{',
      '"level": "error",',
      `"time": "${iso}",`,
      '"msg": "disk {full}",',
      '"mounts": [',
      '"/",',
      '"/data"',
      '],',
      '"ok": false',
      '}',
    ];
    const { events, stats } = run([...record, 'after']);
    expect(events).toHaveLength(2);
    const ev = events[0]!;
    expect(ev.message).toBe('disk {full}');
    expect(ev.level).toBe(50);
    expect(ev.timestamp).toBe(NOW - 4000);
    expect(ev.fieldsJson).toBe('{"mounts":["/","/data"],"ok":false}');
    expect(ev.line).toBe(record.join('\n'));
    expect(events[1]!.message).toBe('after');
    expect(stats.json).toBe(1);
  });
});

describe("generic role keys that are the app's own data (review, item 5)", () => {
  it("a small number under a time key is the app's (a duration), neither a time nor an untrusted one", () => {
    const { events, stats } = run([
      '{"method":"GET","status":200,"time":12.5,"msg":"request"}',
      '{"msg":"query","ts":3,"rows":2}',
      `{"msg":"epoch seconds","ts":${(NOW - 2000) / 1000}}`,
      `{"msg":"too old","time":${NOW - 3 * 86_400_000}}`,
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW, NOW, NOW - 2000, NOW]);
    expect(fields(events[0]!)).toEqual({ method: 'GET', status: 200, time: 12.5 });
    expect(fields(events[1]!)).toEqual({ ts: 3, rows: 2 });
    // only the real time that is too far away is counted
    expect(stats.timeUntrusted).toBe(1);
  });

  it('an error text that says "no error" (none, null, <nil>, false) is none, in JSON and logfmt; a real one stays', () => {
    const { events } = run([
      '{"level":"info","msg":"sync done","error":"none"}',
      '{"level":"info","msg":"sync done","err":"<nil>"}',
      '{"level":"info","msg":"uploaded","exception":"None"}',
      'level=info msg="call done" err=null',
      'level=error msg="retrying" err="connection reset"',
      '{"level":"error","msg":"retrying","error":"null pointer"}',
    ]);
    expect(events.map((e) => e.error?.message)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'connection reset',
      'null pointer',
    ]);
    expect(fields(events[1]!)).toEqual({ err: '<nil>' });
  });

  it("a one-line stack is the app's (a deployment's stack name); a message or event object is an error only in Lambda's shape", () => {
    const { events } = run([
      '{"level":"error","msg":"deploy failed","error":"timeout","stack":"prod-eu"}',
      '{"msg":"deployed","stack":"prod-eu"}',
      '{"msg":"x","event":{"type":"click"}}',
      '{"message":{"type":"text","content":"hi"}}',
      '{"level":"error","msg":"boom","error":"boom","stack":"Error: boom\\n    at f (a.js:1:1)"}',
    ]);
    expect(events[0]!.error).toEqual({ kind: '', message: 'timeout', stack: '' });
    expect(events[1]!.error).toBeUndefined();
    expect(events[2]!.error).toBeUndefined();
    expect(events[2]!.level).toBe(30);
    expect(events[3]!.error).toBeUndefined();
    expect(events[3]!.level).toBe(30);
    expect(events[4]!.error).toEqual({
      kind: '',
      message: 'boom',
      stack: 'Error: boom\n    at f (a.js:1:1)',
    });
  });
});

describe("generic role keys that are the app's own data, round 2", () => {
  it("a short decimal under trace_id / span_id is the app's number; Datadog's keys take any decimal", () => {
    const { events } = run([
      '{"level":"info","msg":"order","trace_id":"12345","span_id":"7"}',
      'level=info msg=order trace_id=12345',
      '{"level":"info","msg":"x","trace_id":"7234567890123456789","span_id":"1234567890123"}',
      '{"msg":"x","dd.trace_id":"42","dd.span_id":"7"}',
    ]);
    expect(events.map((e) => [e.traceId, e.spanId])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
      ['00000000000000006466592a6a418115', '0000011f71fb04cb'],
      ['0000000000000000000000000000002a', '0000000000000007'],
    ]);
    expect(fields(events[0]!)).toEqual({ trace_id: '12345', span_id: '7' });
    expect(fields(events[1]!)).toEqual({ trace_id: '12345' });
  });

  it("a nested fields / record object gives the message only in its library's shape", () => {
    const { events } = run([
      '{"action":"save","fields":{"message":"Body text","title":"T"}}',
      '{"user":"bob","record":{"id":5,"message":"hello"}}',
      '{"timestamp":"x","level":"INFO","fields":{"message":"from tracing"},"target":"app"}',
      '{"text":"from loguru\\n","record":{"message":"from loguru","level":{"name":"WARNING","no":30}}}',
    ]);
    expect(events.map((e) => e.message)).toEqual([
      '{"action":"save","fields":{"message":"Body text","title":"T"}}',
      '{"user":"bob","record":{"id":5,"message":"hello"}}',
      'from tracing',
      'from loguru',
    ]);
    expect(fields(events[0]!)).toEqual({ action: 'save', fields: { message: 'Body text', title: 'T' } });
    expect(events[3]!.level).toBe(40);
  });
});

describe('a numeric severity in logfmt', () => {
  it("is syslog's only beside a facility; alone or beside a level it stays the app's field", () => {
    const { events } = run([
      'msg="ticket filed" severity=3 id=BUG-1',
      'level=info msg="job done" severity=2',
      'severity=3 msg="disk error" facility=local0',
      'severity=err msg="named severity"',
    ]);
    expect(events.map((e) => e.level)).toEqual([30, 30, 50, 50]);
    expect(fields(events[0]!)).toEqual({ severity: '3', id: 'BUG-1' });
    expect(fields(events[1]!)).toEqual({ severity: '2' });
    expect(fields(events[2]!)).toEqual({ facility: 'local0' });
  });
});

describe('a small numeric level (0–7): its scale is named by the record, or it is no level', () => {
  it("syslog's only for GELF or beside a facility; Nextcloud's, consola's and .NET's by their keys; otherwise no level", () => {
    const { events } = run([
      '{"version":"1.1","host":"h","short_message":"gelf emerg","level":0}',
      '{"level":3,"facility":"daemon","msg":"beside a facility"}',
      '{"reqId":"r1","level":0,"app":"core","message":"nextcloud debug"}',
      '{"Category":"Test","LogLevel":2,"EventId":{"Id":0,"Name":null},"Message":"dotnet information"}',
      '{"Category":"Test","LogLevel":4,"Message":"dotnet error"}',
      '{"timestamp":"x","logLevel":5,"eventId":{"id":1},"message":"dotnet critical, camelCase"}',
      '{"Timestamp":"x","Level":3,"MessageTemplate":{"Text":"t"},"Message":"serilog warning"}',
      '{"level":0,"msg":"unknown scale: not an emergency"}',
      '{"level":"1","message":"zerolog\'s info as text"}',
      '{"Level":1,"Message":"a Go struct with no tags: PascalCase alone names no library"}',
      '{"LogLevel":6,"Message":".NET None is no level"}',
    ]);
    expect(events.map((e) => e.level)).toEqual([60, 50, 20, 30, 50, 60, 40, 30, 30, 30, 30]);
    // a number read as no level stays the app's field
    expect(fields(events[7]!)).toEqual({ level: 0 });
    expect(fields(events[8]!)).toEqual({ level: '1' });
    expect(fields(events[9]!)).toEqual({ Level: 1 });
    expect(fields(events[3]!)).toEqual({ Category: 'Test', EventId: { Id: 0, Name: null } });
  });

  it("in logfmt, a level of 0–7 is syslog's only beside a facility", () => {
    const { events } = run([
      'level=0 msg="unknown scale"',
      'level=3 facility=daemon msg="syslog error"',
      'level=50 msg=pino',
    ]);
    expect(events.map((e) => e.level)).toEqual([30, 50, 50]);
    expect(fields(events[0]!)).toEqual({ level: '0' });
  });
});

describe("a record's error below level error", () => {
  it('a message alone is a mention and stays in fields; an exception (its type or its trace) is the error; at error any error is', () => {
    const { events } = run([
      '{"level":"info","msg":"retrying","err":{"message":"socket hang up"}}',
      '{"level":"info","msg":"retrying","error":"connection reset"}',
      'level=warn msg=retrying err="connection reset"',
      '{"level":"warn","msg":"fallback","error":{"code":"E42","message":"quota"}}',
      '{"level":30,"msg":"handled","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at f (/app/a.js:1:1)"}}',
      '{"level":"warn","msg":"retry","error":"dial tcp: i/o timeout","stacktrace":"main.f\\n\\t/app/main.go:12"}',
      '{"level":"warn","msg":"two lines, no frames","error":"first\\nsecond"}',
      '{"level":"error","msg":"failed","error":"connection reset"}',
      '{"level":50,"msg":"failed","err":{"message":"socket hang up"}}',
      'level=error msg=failed err="connection reset"',
    ]);
    expect(events.map((e) => e.error && [e.error.kind, e.error.message])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      ['Error', 'boom'],
      ['', 'dial tcp: i/o timeout'],
      undefined,
      ['', 'connection reset'],
      ['', 'socket hang up'],
      ['', 'connection reset'],
    ]);
    // what is no error of the event stays the app's field, as written
    expect(fields(events[0]!)).toEqual({ err: { message: 'socket hang up' } });
    expect(fields(events[2]!)).toEqual({ err: 'connection reset' });
    expect(events.map((e) => e.level)).toEqual([30, 30, 40, 40, 30, 40, 40, 50, 50, 50]);
  });
});

describe('which field is the time', () => {
  it("a duration, a time of day, a date or a small number under a time key is no time (not counted); a business object's created is no time", () => {
    const sec = (NOW - 2000) / 1000;
    const { events, stats } = run([
      '{"level":"info","msg":"a","time":"12.5ms"}',
      '{"level":"info","msg":"b","time":42}',
      '{"level":"info","msg":"c","time":"42"}',
      '{"level":"info","msg":"d","ts":"10:04"}',
      '{"level":"info","msg":"e","timestamp":"2024-05-14"}',
      'level=info msg=f time=250',
      `{"level":"info","msg":"order placed","created":${sec}.5}`,
      `{"created":${sec}.25,"levelno":20,"msg":"a LogRecord's created"}`,
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW, NOW, NOW, NOW, NOW, NOW, NOW, NOW - 2000 + 250]);
    expect(fields(events[2]!)).toEqual({ time: '42' });
    expect(fields(events[5]!)).toEqual({ time: '250' });
    expect(fields(events[6]!)).toEqual({ created: sec + 0.5 });
    expect(stats.timeUntrusted).toBe(0);
  });

  it("two time keys: the library's, whichever comes first (winston's timestamp last, pino's time first, ECS @timestamp)", () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const { events, stats } = run([
      // winston: the app's meta `time` (a job's start), then format.timestamp()'s own
      `{"level":"info","message":"job done","time":"${iso(NOW - 3_600_000)}","timestamp":"${iso(NOW - 5)}"}`,
      // pino: its time first, then the app's own `timestamp` (an order's)
      `{"level":30,"time":${NOW - 7},"msg":"order","timestamp":"${iso(NOW - 86_400_000 * 3)}"}`,
      // ECS: @timestamp is a logging library's key; the app's `time` is its data, even when close
      `{"@timestamp":"${iso(NOW - 9)}","log.level":"info","message":"m","time":"${iso(NOW - 1)}"}`,
      // logfmt: Grafana's `t` first, an app's `ts` later
      `t=${iso(NOW - 11)} level=info msg="query" ts=${iso(NOW - 7_200_000)}`,
      // both older than 24 h: the read time, the skew counted once
      `{"level":"info","msg":"old","time":"${iso(NOW - 86_400_000 * 2)}","timestamp":"${iso(NOW - 86_400_000 * 3)}"}`,
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([NOW - 5, NOW - 7, NOW - 9, NOW - 11, NOW]);
    expect(fields(events[0]!)).toEqual({ time: iso(NOW - 3_600_000) });
    expect(fields(events[1]!)).toEqual({ timestamp: iso(NOW - 86_400_000 * 3) });
    expect(fields(events[2]!)).toEqual({ time: iso(NOW - 1) });
    expect(fields(events[3]!)).toEqual({ ts: iso(NOW - 7_200_000) });
    expect(fields(events[4]!)).toEqual({
      time: iso(NOW - 86_400_000 * 2),
      timestamp: iso(NOW - 86_400_000 * 3),
    });
    expect(stats.timeUntrusted).toBe(1);
  });
});

describe('.NET exception objects and a plain object serialized as an error', () => {
  it("PascalCase {Name|ClassName, Message, StackTrace|StackTraceString}, Serilog's Elasticsearch `exceptions` (the thrown one first); pino's type Object is no type", () => {
    const { events } = run([
      '{"LogLevel":4,"EventId":{"Id":0},"Exception":{"Name":"System.Exception","Message":"Yabai","StackTrace":"(snip)","InnerException":null},"Message":"m"}',
      '{"@timestamp":"x","level":"Error","message":"Hosting failed to start","exceptions":[{"Depth":0,"ClassName":"System.Net.Sockets.SocketException","Message":"Permission denied","StackTraceString":"   at A.B()\\n   at C.D()"},{"Depth":1,"ClassName":"Inner","Message":"i"}]}',
      '{"level":50,"msg":"failed","err":{"type":"Object","message":"quota exceeded","stack":""}}',
      '{"level":30,"msg":"falling back","err":{"type":"Object","message":"quota exceeded","stack":""}}',
      '{"level":"error","msg":"m","exceptions":[]}',
    ]);
    expect(events.map((e) => e.error)).toEqual([
      { kind: 'System.Exception', message: 'Yabai', stack: '(snip)' },
      {
        kind: 'System.Net.Sockets.SocketException',
        message: 'Permission denied',
        stack: '   at A.B()\n   at C.D()',
      },
      { kind: '', message: 'quota exceeded', stack: '' },
      undefined,
      undefined,
    ]);
    expect(events.map((e) => e.level)).toEqual([50, 50, 50, 30, 50]);
  });
});

describe('two time keys in a backfill', () => {
  it("a library's key more than 24 h away is still the record's: its skew is counted and the app's recent time is not taken", () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const { events, stats } = run([
      `{"@timestamp":"${iso(NOW - 86_400_000 * 2)}","message":"m","time":"${iso(NOW - 3_600_000)}"}`,
    ]);
    expect(events[0]!.timestamp).toBe(NOW);
    expect(fields(events[0]!)).toEqual({
      '@timestamp': iso(NOW - 86_400_000 * 2),
      time: iso(NOW - 3_600_000),
    });
    expect(stats.timeUntrusted).toBe(1);
  });
});

describe("log4js' logEvent as JSON", () => {
  it('data is the message, level.levelStr the level, startTime the time, only beside its categoryName', () => {
    const iso = new Date(NOW - 4000).toISOString();
    const { events } = run([
      `{"startTime":"${iso}","categoryName":"develop","data":["Entering cheese testing","yes",1,2],"level":{"level":5000,"levelStr":"TRACE","colour":"blue"},"context":{},"pid":69466}`,
      `{"startTime":"${iso}","categoryName":"redis","level":"DEBUG","data":"Connection to Redis successful!"}`,
      `{"startTime":"${iso}","categoryName":"app","data":[{"user":1}],"level":{"level":40000,"levelStr":"ERROR"}}`,
      `{"job":"sync","startTime":"${iso}","data":["users"]}`,
    ]);
    expect(events.map((e) => [e.message, e.level, e.timestamp])).toEqual([
      ['Entering cheese testing yes 1 2', 10, NOW - 4000],
      ['Connection to Redis successful!', 20, NOW - 4000],
      [
        `{"startTime":"${iso}","categoryName":"app","data":[{"user":1}],"level":{"level":40000,"levelStr":"ERROR"}}`,
        50,
        NOW - 4000,
      ],
      [`{"job":"sync","startTime":"${iso}","data":["users"]}`, 30, NOW],
    ]);
    expect(fields(events[0]!)).toEqual({ categoryName: 'develop', context: {}, pid: 69466 });
    // an object among the arguments: the record is its own message, its data a field
    expect(fields(events[2]!)).toEqual({ categoryName: 'app', data: [{ user: 1 }] });
    expect(fields(events[3]!)).toEqual({ job: 'sync', startTime: iso, data: ['users'] });
  });
});

describe("tslog's JSON", () => {
  it('"0" is the message, _meta.logLevelName the level, _meta.date the time; a logged Error is the error; an app\'s _meta is data', () => {
    const iso = new Date(NOW - 6000).toISOString();
    const meta = (id: number, name: string) =>
      `"_meta":{"runtime":"node","name":"app","date":"${iso}","logLevelId":${id},"logLevelName":"${name}","path":{"fileName":"a.mjs"}}`;
    const { events } = run([
      `{"0":"Hello World",${meta(3, 'INFO')}}`,
      `{"0":"retrying","1":{"attempt":2},${meta(4, 'WARN')}}`,
      `{"nativeError":{},"name":"Error","message":"boom","stack":[{"fullFilePath":"file:///app/a.mjs:5:11","method":"[undefined]"},{"fullFilePath":"node:internal/x:1:2","method":"run"}],${meta(5, 'ERROR')}}`,
      `{"id":7,"_meta":{"date":"${iso}"},"0":"first row"}`,
    ]);
    expect(events.map((e) => [e.message, e.level, e.timestamp])).toEqual([
      ['Hello World', 30, NOW - 6000],
      ['retrying', 40, NOW - 6000],
      ['boom', 50, NOW - 6000],
      [`{"id":7,"_meta":{"date":"${iso}"},"0":"first row"}`, 30, NOW],
    ]);
    expect(fields(events[1]!)).toEqual({
      '1': { attempt: 2 },
      _meta: { runtime: 'node', name: 'app', logLevelId: 4, path: { fileName: 'a.mjs' } },
    });
    expect(events[2]!.error).toEqual({
      kind: 'Error',
      message: 'boom',
      stack: 'Error: boom\n    at file:///app/a.mjs:5:11\n    at run (node:internal/x:1:2)',
    });
    expect(events[3]!.error).toBeUndefined();
  });
});

describe('a weekday-led time in a time field (RFC 1123 / 2822, asctime, JavaScript)', () => {
  const T = Date.UTC(2026, 10, 29, 8, 59, 58);
  it('reads HTTP dates, numeric and named zones, no weekday, asctime, toString and CLF in brackets', () => {
    const cases: [string, number][] = [
      ['Sun, 29 Nov 2026 08:59:58 GMT', T],
      ['Sun, 29 Nov 2026 09:59:58 +0100', T],
      ['Sun, 29 Nov 2026 03:59:58 EST', T],
      ['Sun, 29 Nov 2026 00:59:58 PST', T],
      ['29 Nov 2026 08:59:58 +0000', T],
      ['Sun, 29 Nov 2026 08:59 UT', T - 58_000],
      ['Sun Nov 29 08:59:58 UTC 2026', T],
      ['Sun Nov 29 2026 10:59:58 GMT+0200 (Central European Standard Time)', T],
      ['[29/Nov/2026:08:59:58 +0000]', T],
    ];
    for (const [text, want] of cases) {
      const { events, stats } = run([`{"level":"info","msg":"m","time":${JSON.stringify(text)}}`]);
      expect(events[0]!.timestamp, text).toBe(want);
      expect(fields(events[0]!), text).toBeUndefined();
      expect(stats.timeUntrusted).toBe(0);
    }
    // asctime without a zone: the host's
    const { events } = run(['{"level":"info","msg":"m","time":"Sun Nov 29 08:59:58 2026"}']);
    expect(events[0]!.timestamp).toBe(new Date(2026, 10, 29, 8, 59, 58).getTime());
    // in logfmt too
    const lf = run(['time="Sun, 29 Nov 2026 08:59:58 GMT" level=info msg=ok']).events[0]!;
    expect(lf.timestamp).toBe(T);
  });

  it('a zone name that names several offsets, a bad day or a weekday prose is no time: it stays in fields', () => {
    for (const text of [
      'Sun, 29 Nov 2026 09:59:58 CET',
      'Sun, 32 Nov 2026 08:59:58 GMT',
      'Sunday was sunny',
      'Mon, 29 Nov 2026',
    ]) {
      const { events } = run([`{"level":"info","msg":"m","time":${JSON.stringify(text)}}`]);
      expect(events[0]!.timestamp, text).toBe(NOW);
      expect(fields(events[0]!), text).toEqual({ time: text });
    }
  });
});

describe("rsyslog's properties as keys (jsonmesg, json templates)", () => {
  it('timereported is the time, syslogseverity (text or number) and syslogseverity-text the level; the rest stays', () => {
    const t = '2026-11-29T08:59:58.412+00:00';
    const { events } = run([
      `{"msg":"oom","timereported":"${t}","syslogfacility":"0","syslogseverity":"3","timegenerated":"${t}","programname":"kernel"}`,
      `{"timereported":"${t}","programname":"sshd","syslogseverity-text":"warning","msg":"bad password"}`,
      `{"timereported":"${t}","syslogseverity-text":"crit","msg":"disk full"}`,
      `{"timereported":"${t}","syslogseverity":7,"syslogfacility":16,"msg":"dbg"}`,
    ]);
    expect(events.map((e) => e.level)).toEqual([50, 40, 60, 20]);
    expect(events.map((e) => e.timestamp)).toEqual(Array(4).fill(Date.parse(t)));
    expect(fields(events[0]!)).toEqual({ syslogfacility: '0', timegenerated: t, programname: 'kernel' });
    expect(fields(events[1]!)).toEqual({ programname: 'sshd' });
    expect(events[2]!.fieldsJson).toBeUndefined();
  });

  it("rsyslog's msg of a BSD syslog line keeps the space after the tag: dropped; elsewhere a leading space stays", () => {
    const { events } = run([
      '{"timereported":"2026-11-29T08:59:58Z","programname":"app","msg":" disk almost full"}',
      '{"msg":" disk almost full","rawmsg":"<12>Nov 29 08:59:58 app: disk almost full"}',
      '{"level":"info","msg":"  indented by the app"}',
    ]);
    expect(events.map((e) => e.message)).toEqual([
      'disk almost full',
      'disk almost full',
      '  indented by the app',
    ]);
  });
});

describe("NLog's ordinal level and .NET's field names", () => {
  it("a 0–7 level beside NLog's longdate is on .NET's scale; without it, still no level", () => {
    const { events } = run([
      '{ "time": "2026-11-29 08:59:58.4120", "level": 3, "message": "queue 90% full" }',
      '{ "time": "2026-11-29 08:59:58.4120", "level": 5, "message": "dead" }',
      '{ "time": "2026-11-29 08:59:58.412", "level": 3, "message": "no scale named" }',
    ]);
    expect(events.map((e) => e.level)).toEqual([40, 60, 30]);
    expect(fields(events[0]!)).toBeUndefined();
    expect(fields(events[2]!)).toEqual({ level: 3 });
  });

  it("NLog.StructuredLogging.Json's TimeStamp is the time; a CRLF .NET exception gives its type and message", () => {
    const exc =
      'System.TimeoutException: timed out.\r\n   at Acme.Orders.Place()\r\n   at Acme.Program.Main()';
    const { events } = run([
      `{"TimeStamp":"2026-11-29T08:59:58.412Z","Level":"Error","Message":"failed","Exception":${JSON.stringify(exc)}}`,
    ]);
    const ev = events[0]!;
    expect(ev.timestamp).toBe(Date.UTC(2026, 10, 29, 8, 59, 58, 412));
    expect(ev.level).toBe(50);
    expect(ev.error).toEqual({ kind: 'System.TimeoutException', message: 'timed out.', stack: exc });
    expect(errorFromTrace(exc)).toEqual(ev.error);
  });
});

describe("a `date` key and an access log's `started_at`", () => {
  it("`date` is the time beside a level and a message when no other key gives one; an order's day stays", () => {
    const { events } = run([
      '{"date":"2026-11-29T08:59:58.4123456+00:00","level":"INFO","logger":"App","message":"started"}',
      '{"level":"info","message":"order shipped","date":"2026-11-20"}',
      '{"message":"no level key","date":"2026-11-29T08:59:58Z"}',
      '{"time":"2026-11-29T08:59:57Z","level":"info","message":"m","date":"2026-11-29T08:59:58Z"}',
    ]);
    expect(events[0]!.timestamp).toBe(Date.UTC(2026, 10, 29, 8, 59, 58, 412));
    expect(fields(events[0]!)).toEqual({ logger: 'App' });
    expect(fields(events[1]!)).toEqual({ date: '2026-11-20' });
    expect(events[2]!.timestamp).toBe(NOW);
    expect(events[3]!.timestamp).toBe(Date.UTC(2026, 10, 29, 8, 59, 57));
    expect(fields(events[3]!)).toEqual({ date: '2026-11-29T08:59:58Z' });
  });

  it("Kong's started_at (epoch ms) is the time of a record with no message; beside a message it is data", () => {
    const { events } = run([
      `{"request":{"method":"GET"},"response":{"status":200},"started_at":${NOW - 2000}}`,
      `{"msg":"job done","level":"info","started_at":${NOW - 60_000}}`,
    ]);
    expect(events[0]!.timestamp).toBe(NOW - 2000);
    expect(events[1]!.timestamp).toBe(NOW);
    expect(fields(events[1]!)).toEqual({ started_at: NOW - 60_000 });
  });
});

describe("zap's unnamed levels and a collector's `log` line", () => {
  it('"Level(-2)" and below are trace, "Level(n)" of a named level is that level; past fatal, or not a number, no level', () => {
    const { events } = run([
      '{"level":"Level(-2)","msg":"a"}',
      '{"level":"Level(-7)","msg":"b"}',
      '{"level":"Level(2)","msg":"c"}',
      '{"level":"Level(6)","msg":"d"}',
      '{"level":"Level(x)","msg":"e"}',
    ]);
    expect(events.map((e) => e.level)).toEqual([10, 10, 50, 30, 30]);
    expect(fields(events[0]!)).toBeUndefined();
    expect(fields(events[3]!)).toEqual({ level: 'Level(6)' });
  });

  it("`log` text is the message of a record with no message key, without docker's line end; beside a message it is data", () => {
    const { events } = run([
      '{"log":"WARN disk 91%\\r\\n","stream":"stdout","time":"2026-11-29T08:59:58.412345678Z"}',
      `{"date":${(NOW - 2000) / 1000},"log":"GET / 200"}`,
      '{"msg":"done","log":"npm ci: 312 packages"}',
      '{"log":{"level":"info"},"message":"ECS log object"}',
      '{"log":"\\n","stream":"stdout"}',
    ]);
    expect(events.map((e) => e.message)).toEqual([
      'WARN disk 91%',
      'GET / 200',
      'done',
      'ECS log object',
      '{"log":"\\n","stream":"stdout"}',
    ]);
    expect(events[0]!.level).toBe(40);
    expect(fields(events[0]!)).toEqual({ stream: 'stdout' });
    expect(events[1]!.timestamp).toBe(NOW - 2000);
    expect(fields(events[2]!)).toEqual({ log: 'npm ci: 312 packages' });
  });
});

describe('key cases and a date with slashes', () => {
  it("a level key the detector reads in any case leaves fields; Go's untagged Time / Level / Msg; TIMESTAMP and MSG", () => {
    const { events } = run([
      '{"Time":"2026-11-29T08:59:58Z","Level":"WARN","Msg":"a","Key":1}',
      '{"TIMESTAMP":"2026-11-29T08:59:58Z","LEVEL":"ERROR","MESSAGE":"b"}',
      '{"time":"2026-11-29T08:59:58Z","Severity":"WARNING","msg":"c"}',
      'TIME=2026-11-29T08:59:58Z LVL=warn MSG=d n=1',
    ]);
    expect(events.map((e) => [e.message, e.level, e.timestamp])).toEqual([
      ['a', 40, Date.UTC(2026, 10, 29, 8, 59, 58)],
      ['b', 50, Date.UTC(2026, 10, 29, 8, 59, 58)],
      ['c', 40, Date.UTC(2026, 10, 29, 8, 59, 58)],
      ['d', 40, Date.UTC(2026, 10, 29, 8, 59, 58)],
    ]);
    expect(events.map((e) => fields(e))).toEqual([{ Key: 1 }, undefined, undefined, { n: '1' }]);
  });

  it('`2026/11/29 08:59:58` is read as ISO (zoned or not); a day alone or a loose date is no time', () => {
    const { events } = run([
      '{"time":"2026/11/29 09:59:58.412+01:00","msg":"a"}',
      '{"time":"2026/11/29 08:59:58","msg":"b"}',
      '{"time":"2026/11/29","msg":"c"}',
      '{"time":"2026/1/2 3:04:05","msg":"d"}',
    ]);
    expect(events[0]!.timestamp).toBe(Date.UTC(2026, 10, 29, 8, 59, 58, 412));
    expect(events[1]!.timestamp).toBe(new Date(2026, 10, 29, 8, 59, 58).getTime());
    expect(events[2]!.timestamp).toBe(NOW);
    expect(events[3]!.timestamp).toBe(NOW);
    expect(fields(events[3]!)).toEqual({ time: '2026/1/2 3:04:05' });
  });
});

describe("Erlang jsonlog's body", () => {
  it('body.body text is the message beside a level; a report map stays the body; without a level it is data', () => {
    const { events } = run([
      '{"body":{"body":"hello"},"level":"info","pid":"<0.155.0>"}',
      '{"body":{"structured":"msg"},"level":"info"}',
      '{"body":{"body":"a request body"},"path":"/x"}',
    ]);
    expect(events[0]!.message).toBe('hello');
    expect(fields(events[0]!)).toEqual({ pid: '<0.155.0>' });
    expect(events[1]!.message).toBe('{"body":{"structured":"msg"},"level":"info"}');
    expect(fields(events[2]!)).toEqual({ body: { body: 'a request body' }, path: '/x' });
  });
});

describe('a UUID under a trace key', () => {
  it('is the trace id (its 32 hex digits, lower case); under another key, all zeros or not hex it stays a field', () => {
    const { events } = run([
      '{"level":"info","msg":"a","trace_id":"4BF92F35-77B3-4DA6-A3CE-929D0E0E4736"}',
      'level=info msg=b traceId=4bf92f35-77b3-4da6-a3ce-929d0e0e4736',
      '{"level":"info","msg":"c","request_id":"4bf92f35-77b3-4da6-a3ce-929d0e0e4736"}',
      '{"level":"info","msg":"d","trace_id":"00000000-0000-0000-0000-000000000000"}',
      '{"level":"info","msg":"e","trace_id":"4bf92f35-77b3-4da6-a3ce-929d0e0e473g"}',
    ]);
    expect(events.map((e) => e.traceId)).toEqual([
      '4bf92f3577b34da6a3ce929d0e0e4736',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      undefined,
      undefined,
      undefined,
    ]);
    expect(fields(events[0]!)).toBeUndefined();
    expect(fields(events[4]!)).toEqual({ trace_id: '4bf92f35-77b3-4da6-a3ce-929d0e0e473g' });
  });
});
