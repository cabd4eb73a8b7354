// Issue 17, round 6: real-world shapes the reader did not read (held-out check, round 3): a record
// after a time prefix (kubectl --timestamps, docker logs -t, CRI lines as text), time-only headers,
// more header shapes, more JSON libraries.
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/pipeline/event.js';
import { Pipeline } from '../../../src/pipeline/pipeline.js';

const NOW = Date.UTC(2024, 4, 14, 9, 21, 8, 912);
const PREFIX = '2024-05-14T09:21:07.412345678Z';
const PREFIX_MS = Date.UTC(2024, 4, 14, 9, 21, 7, 412);

function run(lines: string[], readAt = NOW, stream = 'stdout') {
  const events: LogEvent[] = [];
  const p = new Pipeline(
    {
      maxLineBytes: 256 * 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: {},
    },
    (ev) => events.push(ev),
  );
  p.write(stream, Buffer.from(`${lines.join('\n')}\n`), readAt);
  p.end();
  return { events, stats: p.stats.structured };
}

const fields = (ev: LogEvent): unknown =>
  ev.fieldsJson === undefined ? undefined : JSON.parse(ev.fieldsJson);

describe('a record after a time prefix (kubectl logs --timestamps, docker logs -t, CRI as text)', () => {
  it("a JSON record: its message, level, fields and own time; the prefix's time when it has none", () => {
    const withTime = `${PREFIX} {"level":"warn","msg":"disk low","ts":1715678467.1,"pct":91}`;
    const without = `${PREFIX} {"level":"error","msg":"boom","error":"connection reset"}`;
    const { events, stats } = run([withTime, without]);
    expect(events.map((e) => [e.message, e.level, e.timestamp, fields(e)])).toEqual([
      ['disk low', 40, Date.UTC(2024, 4, 14, 9, 21, 7, 100), { pct: 91 }],
      ['boom', 50, PREFIX_MS, { error: 'connection reset' }],
    ]);
    expect(events[1]!.error).toEqual({ kind: '', message: 'connection reset', stack: '' });
    // text destinations keep the whole line
    expect(events.map((e) => e.line)).toEqual([withTime, without]);
    expect(stats.json).toBe(2);
  });

  it("a logfmt record, CRI's stream and tag before it, and a record with no message (the whole line is the message)", () => {
    const cri = `${PREFIX} stdout F {"level":"info","msg":"ready","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`;
    const bare = `${PREFIX} {"status":200,"path":"/"}`;
    const { events } = run([`${PREFIX} level=error msg="disk full" dev=sda`, cri, bare]);
    expect(events.map((e) => [e.message, e.level, e.timestamp, fields(e)])).toEqual([
      ['disk full', 50, PREFIX_MS, { dev: 'sda' }],
      ['ready', 30, PREFIX_MS, undefined],
      [bare, 30, PREFIX_MS, { status: 200, path: '/' }],
    ]);
    expect(events[1]!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it("a JSON record after a syslog or Heroku header (its tag, or RFC 5424's nil structured data), not after a word of the app's text", () => {
    const { events } = run([
      'May 14 09:21:06 web-1 app[123]: {"level":"error","msg":"boom","user":5}',
      '2024-05-14T09:21:07.412345+00:00 app[web.1]: {"level":"warn","msg":"slow"}',
      '<165>1 2024-05-14T09:21:07.412Z host app 1234 ID47 - {"level":"error","msg":"x"}',
      'May 14 09:21:06 web-1 app[123]: payload: {"msg":"hi"}',
      '[2024-05-14T09:21:07.412Z] {"level":"warn","msg":"bracketed"}',
      '2024-05-14 09:21:06 INFO Received payload {"msg":"hello"}',
    ]);
    expect(events.map((e) => [e.message, e.level, fields(e)])).toEqual([
      ['boom', 50, { user: 5 }],
      ['slow', 40, undefined],
      ['x', 50, undefined],
      ['May 14 09:21:06 web-1 app[123]: payload: {"msg":"hi"}', 30, undefined],
      ['bracketed', 40, undefined],
      ['2024-05-14 09:21:06 INFO Received payload {"msg":"hello"}', 30, undefined],
    ]);
    expect(events[1]!.timestamp).toBe(PREFIX_MS);
    expect(events[0]!.line).toBe('May 14 09:21:06 web-1 app[123]: {"level":"error","msg":"boom","user":5}');
  });

  it('kubectl logs --prefix: the pod and container before the record, with or without the time; the time before text', () => {
    const { events } = run([
      '[pod/web-7d4b9c-x2k/app] {"level":"error","msg":"boom","order":7}',
      `[pod/web-7d4b9c-x2k/app] ${PREFIX} level=warn msg="slow" ms=912`,
      `[pod/web-7d4b9c-x2k/app] ${PREFIX} plain text`,
      '[pod] not a prefix {"msg":"x"}',
    ]);
    expect(events.map((e) => [e.message, e.level, e.timestamp, fields(e)])).toEqual([
      ['boom', 50, NOW, { order: 7 }],
      ['slow', 40, PREFIX_MS, { ms: '912' }],
      [`[pod/web-7d4b9c-x2k/app] ${PREFIX} plain text`, 30, PREFIX_MS, undefined],
      ['[pod] not a prefix {"msg":"x"}', 30, NOW, undefined],
    ]);
  });

  it('docker compose logs: the service and its bar before the record, with or without -t; prose after the bar stays text', () => {
    const { events } = run([
      'web-1  | {"level":"error","msg":"boom","order":7}',
      `db-1   | ${PREFIX} level=warn msg="slow" ms=912`,
      'web-1  | plain text here',
      'a | b',
    ]);
    expect(events.map((e) => [e.message, e.level, e.timestamp, fields(e)])).toEqual([
      ['boom', 50, NOW, { order: 7 }],
      ['slow', 40, PREFIX_MS, { ms: '912' }],
      ['web-1  | plain text here', 30, NOW, undefined],
      ['a | b', 30, NOW, undefined],
    ]);
    expect(events[0]!.line).toBe('web-1  | {"level":"error","msg":"boom","order":7}');
  });

  it('a record time more than 24 h away: the prefix time, the record time kept in fields', () => {
    const { events, stats } = run([`${PREFIX} {"msg":"x","time":"2020-01-01T00:00:00Z"}`]);
    expect(events[0]!.timestamp).toBe(PREFIX_MS);
    expect(fields(events[0]!)).toEqual({ time: '2020-01-01T00:00:00Z' });
    expect(stats.timeUntrusted).toBe(1);
  });

  it('text after the time stays text: prose, a brace in prose, prose with a key=, an ISO line with a level', () => {
    const lines = [
      `${PREFIX} plain text line`,
      `${PREFIX} {not json} here`,
      `${PREFIX} {"unterminated": true`,
      `${PREFIX} user=alice logged in`,
      '2024-05-14 09:21:07,412 INFO  [main] c.e.App - started',
      `${PREFIX} stdout F plain`,
    ];
    const { events, stats } = run(lines);
    expect(events.map((e) => [e.message, e.timestamp, e.fieldsJson])).toEqual(
      lines.map((l, i) => [
        l,
        i === 4 ? new Date(2024, 4, 14, 9, 21, 7, 412).getTime() : PREFIX_MS,
        undefined,
      ]),
    );
    expect(events[4]!.level).toBe(30);
    expect(stats.json + stats.logfmt + stats.invalid).toBe(0);
  });
});

describe('more JSON libraries (round 6)', () => {
  const T = Date.UTC(2024, 4, 14, 9, 21, 7, 412);

  it('katip: `at` is the time, `sev` the level (its names); an `at` that is no time stays a field', () => {
    const { events } = run([
      '{"at":"2024-05-14T09:21:07.412345Z","env":"production","ns":["MyApp"],"data":{"user":5},"msg":"Started","sev":"Warning","thread":"5"}',
      '{"at":"checkout","msg":"cart saved","sev":"Critical"}',
      '{"sev":"high","msg":"scan done"}',
    ]);
    expect(events.map((e) => [e.message, e.level, e.timestamp, fields(e)])).toEqual([
      ['Started', 40, T, { env: 'production', ns: ['MyApp'], data: { user: 5 }, thread: '5' }],
      ['cart saved', 60, NOW, { at: 'checkout' }],
      ['scan done', 30, NOW, { sev: 'high' }],
    ]);
  });

  it("an app's `at` beside the library's `time` stays a field: `at` is a generic key, ranked as `time`", () => {
    const { events } = run(['{"at":"2024-05-14T09:00:00Z","msg":"x","time":"2024-05-14T09:21:07.412Z"}']);
    expect(events[0]!.timestamp).toBe(T);
    expect(fields(events[0]!)).toEqual({ at: '2024-05-14T09:00:00Z' });
  });

  it("Roarr: the context's logLevel (pino's numbers) is the level when the top has none; another context key stays", () => {
    const { events } = run([
      `{"context":{"logLevel":40,"package":"slonik"},"message":"pool exhausted","sequence":"0","time":${T},"version":"2.0.0"}`,
      `{"context":{"logLevel":20},"message":"query","sequence":"1","time":${T},"version":"2.0.0"}`,
      `{"context":{"level":50},"message":"an app's context","time":${T}}`,
    ]);
    expect(events.map((e) => [e.message, e.level, fields(e)])).toEqual([
      ['pool exhausted', 40, { context: { package: 'slonik' }, sequence: '0', version: '2.0.0' }],
      ['query', 20, { sequence: '1', version: '2.0.0' }],
      ["an app's context", 30, { context: { level: 50 } }],
    ]);
  });

  it("Python's LogRecord dumped whole: msg % args is the message; args that do not fit leave it as written", () => {
    const rec = (msg: string, args: string) =>
      `{"name":"app","msg":${JSON.stringify(msg)},"args":${args},"levelname":"WARNING","levelno":30,"created":1715678467.412345,"lineno":10}`;
    const { events } = run([
      rec('user %s logged in %d times (%.1f%%), %r', '["bob",3,12.345,"x"]'),
      rec('%(user)s from %(ip)s', '{"user":"amy","ip":"10.0.0.1"}'),
      rec('100% sure', '[]'),
      rec('two %s %s', '["only one"]'),
      // hostile widths and precisions (a gigabyte of padding, JavaScript's limit of 100 digits)
      rec('x %999999999d', '[1]'),
      rec('%.200e %.500f', '[1.5, 2.5]'),
    ]);
    expect(events.map((e) => [e.message, e.level, e.timestamp])).toEqual([
      ["user bob logged in 3 times (12.3%), 'x'", 40, T],
      ['amy from 10.0.0.1', 40, T],
      ['100% sure', 40, T],
      ['two %s %s', 40, T],
      ['x %999999999d', 40, T],
      ['%.200e %.500f', 40, T],
    ]);
    expect(fields(events[0]!)).toEqual({ name: 'app', levelno: 30, lineno: 10 });
    expect(fields(events[3]!)).toEqual({ name: 'app', args: ['only one'], levelno: 30, lineno: 10 });
  });

  it('a LogRecord is told by its own top-level keys: msg and args beside none of them stay as written (zap, etcd)', () => {
    const { events } = run([
      // etcd's zap: `args` is the command line, `msg` no format
      '{"level":"info","ts":"2024-05-14T09:21:07.412345Z","caller":"etcdmain/etcd.go:73","msg":"Running: %s","args":["etcd","--name","s1"]}',
      // a LogRecord's key as a value, or nested, is none of the record's
      '{"msg":"a %s","args":["b"],"note":"levelname","meta":{"lineno":3}}',
      // each attribute alone is enough
      ...[
        'levelname',
        'levelno',
        'msecs',
        'relativeCreated',
        'funcName',
        'lineno',
        'threadName',
        'processName',
        'pathname',
      ].map((k) => `{"msg":"a %s","args":["b"],"${k}":1}`),
    ]);
    expect(events.map((e) => e.message)).toEqual(['Running: %s', 'a %s', ...Array(9).fill('a b')]);
  });

  it('syslog\'s "informational" is info, in JSON and logfmt', () => {
    const { events } = run([
      '{"level":"informational","msg":"x"}',
      'level=informational msg=y',
      '{"level":"informationally","msg":"z"}',
    ]);
    expect(events.map((e) => [e.message, e.level, e.fieldsJson])).toEqual([
      ['x', 30, undefined],
      ['y', 30, undefined],
      ['z', 30, '{"level":"informationally"}'],
    ]);
  });

  it("go-logr funcr's JSON: level is the V-level (0 info, 1+ debug); its Error has none and is an error; a bare level 0 stays", () => {
    const { events } = run([
      '{"logger":"","level":0,"msg":"hello","val1":1}',
      '{"logger":"ctrl","ts":"2024-05-14 09:21:07.412345","level":2,"msg":"reconcile","n":3}',
      '{"logger":"","msg":"uh oh","error":"an error","val":1}',
      '{"level":0,"msg":"no logger"}',
    ]);
    expect(events.map((e) => [e.message, e.level, fields(e)])).toEqual([
      ['hello', 30, { logger: '', val1: 1 }],
      ['reconcile', 20, { logger: 'ctrl', n: 3 }],
      ['uh oh', 50, { logger: '', error: 'an error', val: 1 }],
      ['no logger', 30, { level: 0 }],
    ]);
    expect(events[1]!.timestamp).toBe(new Date(2024, 4, 14, 9, 21, 7, 412).getTime());
    expect(events[2]!.error).toEqual({ kind: '', message: 'an error', stack: '' });
  });
});

describe('text header shapes (round 6)', () => {
  const local = (h: number, mi: number, sec: number, ms = 0, d = 14) =>
    new Date(2024, 4, d, h, mi, sec, ms).getTime();
  /** each line alone, so that each is the first of its batch (the reader's quick path for plain text) */
  const times = (lines: string[], readAt = local(9, 21, 8, 912)) =>
    lines.map((l) => run([l], readAt).events[0]!.timestamp - readAt);

  it('a time of day as a header: the date that puts it nearest the read time, in the host zone', () => {
    const lines = [
      '09:21:07.412 [main] INFO  c.e.App - started', // logback / Log4j2 default
      '09:21:07.412 [info] Running MyAppWeb.Endpoint', // Elixir
      '09:21:07.412 request_id=F6x [info] GET /', // Phoenix
      '09:21:07,412 ERROR [org.jboss.as] (MSC service thread 1-2) boom', // WildFly
      '09:21:07 INFO  [io.quarkus] (main) started', // Quarkus
      '[09:21:07 WRN] slow', // Serilog console
      '[09:21:07.412] INFO (7): hello', // pino-pretty
      '09:21:07 info: Microsoft.Hosting.Lifetime[14] Now listening', // .NET's console logger, TimestampFormat "HH:mm:ss "
    ];
    const read = local(9, 21, 8, 912);
    expect(times(lines, read)).toEqual([-1500, -1500, -1500, -1500, -1912, -1912, -1500, -1912]);
    // read just after midnight, a line of just before: yesterday; read just before, a line of just after: tomorrow
    const [late] = run(['23:59:59.000 [info] late'], local(0, 0, 1, 0, 15)).events;
    expect(late!.timestamp).toBe(local(23, 59, 59, 0, 14));
    const [early] = run(['00:00:01.000 [info] early'], local(23, 59, 59, 0, 14)).events;
    expect(early!.timestamp).toBe(local(0, 0, 1, 0, 15));
  });

  it('a time of day that is no header stays text: a duration, a clock in prose, a time without a level or bracket', () => {
    const lines = [
      '00:00:05 elapsed',
      '12:30:00 remaining on the timer',
      '09:21:07.412 took 5ms',
      '[09:21:07] done',
      '[09:21:07 GMT] meeting',
      '9:21 started',
      '09:21:07 note: prose after a clock',
    ];
    expect(times(lines)).toEqual(lines.map(() => 0));
  });

  it("WebLogic's header: its zone (UTC, GMT, the US names) and its severity; another zone's name gives no time", () => {
    const { events } = run([
      '<May 14, 2024 9:21:07,412 AM UTC> <Error> <HTTP> <BEA-101017> <[ServletContext] Root cause.>',
      '####<May 14, 2024 2:21:07,412 AM PDT> <Warning> <Health> <host> <srv> <52% free>',
      '<May 14, 2024 11:21:07,412 AM CEST> <Notice> <WebLogicServer> <BEA-000365> <RUNNING>',
    ]);
    const t = Date.UTC(2024, 4, 14, 9, 21, 7, 412);
    expect(events.map((e) => [e.timestamp, e.level])).toEqual([
      [t, 50],
      [t, 40],
      [NOW, 30],
    ]);
  });

  it('an access log led by a host name, a host and port, or an IPv6 client', () => {
    const tail = ' - - [14/May/2024:09:21:07 +0000] "GET / HTTP/1.1" 200 5';
    const lines = [
      `example.com 10.0.0.1${tail}`,
      `example.com:443 10.0.0.1${tail}`,
      `::1${tail}`,
      `2001:db8::1${tail}`,
      `fe80::1${tail}`,
    ];
    const read = Date.UTC(2024, 4, 14, 9, 21, 8, 912);
    expect(times(lines, read)).toEqual(lines.map(() => -1912));
    // AWS: S3's server access log (its bucket owner's 64 hex digits first), ALB's ISO 8601 after its
    // request type, CloudFront's date TAB time (UTC)
    const owner = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    expect(
      times(
        [
          `${owner} awsexamplebucket1 [14/May/2024:09:21:07 +0000] 192.0.2.3 ${owner} 3E57427F3EXAMPLE REST.GET.VERSIONING -`,
          `a${owner.slice(1)} bucket [14/May/2024:09:21:07 +0000] 192.0.2.3 x`,
          'http 2024-05-14T09:21:07.412641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80',
          '2024-05-14\t09:21:07\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200',
        ],
        read,
      ),
    ).toEqual([-1912, -1912, -1500, -1912]);
    expect(
      times(
        ['retry 2024-05-14 later', 'worker 3 app line=1 done', 'deploy 2024-05-14T09:21:07Z scheduled'],
        read,
      ),
    ).toEqual([0, 0, 0]);
    // a host-like first word before prose stays text
    expect(times(['com.example.App started', 'app.js 3000 listening', 'error: 10 retries'], read)).toEqual([
      0, 0, 0,
    ]);
  });

  it("more ISO and compact shapes: Serilog's file sink offset (+02:00 after a space), Cassandra's level and thread before ISO, yyyyMMdd-HH:mm:ss:SSS", () => {
    const { events } = run([
      '2024-05-14 09:21:07.412 +02:00 [INF] Serilog file sink',
      '2024-05-14 09:21:07.412 -0400 EDT logrus',
      '12345678-1234 not a date',
    ]);
    expect(events.map((e) => e.timestamp)).toEqual([
      Date.UTC(2024, 4, 14, 7, 21, 7, 412),
      Date.UTC(2024, 4, 14, 13, 21, 7, 412),
      NOW,
    ]);
    const read = local(9, 21, 8, 912);
    expect(
      times(
        [
          'INFO  [main] 2024-05-14 09:21:07,412 CassandraDaemon.java:123 - Startup complete',
          '20240514-09:21:07:606|Step_LSC|30002312|onStandStepChanged 3579',
          '14.05.2024 09:21:07 Dienst gestartet',
          'E20240514 09:21:07.411655 15520 main.c++:9] glog with its year',
          'E [14/May/2024:09:21:07 +0000] Unable to open listen socket', // CUPS
          'W [not a time] x',
          '4.5.2024 09:21:07 one-digit day',
          '10.0.0.1 connected',
          '14.05.24 09:21:07 a two-digit year',
        ],
        read,
      ),
    ).toEqual([-1500, -1306, -1912, -1501, -1912, 0, 0, 0, 0]);
    expect(run(['E20240514 09:21:07.411655 15520 main.c++:9] boom']).events[0]!.level).toBe(50);
  });

  it('dates with slashes, the year last: month or day first by which is a date, else the nearer to the read; AM / PM', () => {
    const read = local(9, 21, 8, 912);
    const lines = [
      '5/14/2024 9:21:07 AM Starting', // .NET en-US
      '5/14/2024, 9:21:07 PM Evening', // JavaScript en-US toLocaleString
      '14/05/2024 09:21:07 started', // en-GB
      '[INFO] [05/14/2024 09:21:07.412] [sys-akka.actor.default-dispatcher-3] [akka://sys/user/a] hi', // Akka
      '[WARN] [2024-05-14 09:21:07,412] ISO after a bracketed level',
    ];
    expect(times(lines, read)).toEqual([-1912, 12 * 3600_000 - 1912, -1912, -1500, -1500]);
    // 05/04: both readings more than a day away: no time (counted untrusted); a date alone: no time
    expect(times(['05/04/2024 09:21:07 far', '05/14/2024 alone'], read)).toEqual([0, 0]);
  });
});
