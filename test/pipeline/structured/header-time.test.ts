// Issue 17: the app's own time from a text line's header when it is not ISO 8601 (header-time.ts):
// one case per shape, each a real documented line (its source beside it), the negatives, the year
// of a header that has none, and the reader's minute cache.
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/pipeline/event.js';
import { HeaderTimeReader, headerTimeMayStart } from '../../../src/pipeline/structured/header-time.js';
import { TimeReader } from '../../../src/pipeline/structured/time.js';
import { pipeLines, testPipeline } from '../../helpers/pipe-lines.js';

/** epoch ms of a time written in the host's zone (month 1–12) */
const local = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number =>
  new Date(y, mo - 1, d, h, mi, s, ms).getTime();

/** The time read from `line`'s header at `readAt`, and where the header time ended; NaN when none. */
function readHeader(line: string, readAt: number, r = new HeaderTimeReader(new TimeReader())) {
  const c0 = line.charCodeAt(0);
  const t = headerTimeMayStart(line, c0) ? r.read(line, c0, readAt) : Number.NaN;
  return { t, end: Number.isNaN(t) ? -1 : r.end };
}

const READ = local(2024, 5, 14, 9, 22, 0);

describe('header times by shape (documented lines)', () => {
  const cases: [name: string, line: string, time: number, header: string][] = [
    // https://pkg.go.dev/log#pkg-constants: Ldate | Ltime | Lmicroseconds | Llongfile
    [
      "Go's log package",
      '2009/01/23 01:23:23.123123 /a/b/c/d.go:23: message',
      local(2009, 1, 23, 1, 23, 23, 123),
      '2009/01/23 01:23:23.123123',
    ],
    // nginx src/core/ngx_log.c: "%4d/%02d/%02d %02d:%02d:%02d [%V] %P#%TID: "
    [
      'nginx error log',
      '2024/05/14 09:21:07 [error] 123#0: *1 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)',
      local(2024, 5, 14, 9, 21, 7),
      '2024/05/14 09:21:07',
    ],
    // Fluent Bit's own log (src/flb_log.c: "[%Y/%m/%d %H:%M:%S] [%5s] ")
    [
      "Fluent Bit's own log",
      '[2024/05/14 09:21:07] [ info] [fluent bit] version=3.0.3, commit=, pid=1',
      local(2024, 5, 14, 9, 21, 7),
      '[2024/05/14 09:21:07',
    ],
    // RFC 3164 §5.4, example 1 (the month and day made May 14, the read's)
    [
      'RFC 3164 with PRI',
      "<34>May 14 09:21:07 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      local(2024, 5, 14, 9, 21, 7),
      '<34>May 14 09:21:07',
    ],
    // a syslog file as rsyslog writes it (RSYSLOG_TraditionalFileFormat), the day padded with a space
    [
      'RFC 3164 in a syslog file',
      'May  4 09:21:07 web-1 sshd[812]: Accepted publickey for deploy from 10.0.0.7 port 50122 ssh2',
      local(2024, 5, 4, 9, 21, 7),
      'May  4 09:21:07',
    ],
    // RFC 5424 §6.5, example 1
    [
      'RFC 5424',
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8",
      Date.UTC(2003, 9, 11, 22, 14, 15, 3),
      '<34>1 2003-10-11T22:14:15.003Z',
    ],
    // RFC 5424 §6.5, example 2 (a zone offset, µs)
    [
      'RFC 5424 with an offset',
      "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
      Date.UTC(2003, 7, 24, 12, 14, 15, 0),
      '<165>1 2003-08-24T05:14:15.000003-07:00',
    ],
    // klog / glog header: "Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg" (k8s.io/klog README)
    [
      'klog',
      'I0514 09:21:07.412345       1 controller.go:42] "Starting controller" name="node"',
      local(2024, 5, 14, 9, 21, 7, 412),
      'I0514 09:21:07.412345',
    ],
    // CockroachDB crdb-v1: the year in the header
    [
      'CockroachDB',
      'W240514 09:21:07.412345 78 server/x.go:300 ⋮ [n1] slow heartbeat',
      local(2024, 5, 14, 9, 21, 7, 412),
      'W240514 09:21:07.412345',
    ],
    // Ruby's Logger (ruby-doc.org Logger: "I, [1999-03-03T02:34:24.895701 #19074]  INFO -- Main: info.")
    [
      "Ruby's Logger",
      'I, [1999-03-03T02:34:24.895701 #19074]  INFO -- Main: info.',
      local(1999, 3, 3, 2, 34, 24, 895),
      'I, [1999-03-03T02:34:24.895701',
    ],
    // https://httpd.apache.org/docs/2.4/logs.html#errorlog
    [
      'Apache error log',
      '[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico',
      local(2011, 9, 9, 10, 42, 29, 902),
      '[Fri Sep 09 10:42:29.902022 2011',
    ],
    // Tomcat's catalina.out (OneLineFormatter: dd-MMM-yyyy HH:mm:ss.SSS)
    [
      'Tomcat / Catalina',
      '14-May-2024 09:21:07.412 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [1234] milliseconds',
      local(2024, 5, 14, 9, 21, 7, 412),
      '14-May-2024 09:21:07.412',
    ],
    // Redis (server.c serverLogRaw: "%d:%c %d %b %Y %H:%M:%S.%03d")
    [
      'Redis',
      '1:M 14 May 2024 09:21:07.412 * Ready to accept connections tcp',
      local(2024, 5, 14, 9, 21, 7, 412),
      '1:M 14 May 2024 09:21:07.412',
    ],
    // Android logcat -v threadtime (developer.android.com/tools/logcat: date, time, PID, TID, priority, tag)
    [
      'Android logcat threadtime',
      '05-14 09:21:07.412  1234  1250 I ActivityManager: Start proc 4321:com.example/u0a123',
      local(2024, 5, 14, 9, 21, 7, 412),
      '05-14 09:21:07.412',
    ],
    // java.util.logging.SimpleFormatter's default (its Javadoc: "Mar 22, 2011 1:11:31 PM MyClass fatal")
    [
      'java.util.logging SimpleFormatter',
      'Mar 22, 2011 1:11:31 PM MyClass fatal',
      local(2011, 3, 22, 13, 11, 31),
      'Mar 22, 2011 1:11:31 PM',
    ],
    // Django's runserver (WSGIRequestHandler: "[%d/%b/%Y %H:%M:%S]")
    [
      'Django runserver',
      '[14/May/2024 09:21:07] "GET / HTTP/1.1" 200 10697',
      local(2024, 5, 14, 9, 21, 7),
      '[14/May/2024 09:21:07',
    ],
    // the Common Log Format's time when a line opens with it (`[%t]`)
    [
      'CLF time in brackets',
      '[14/May/2024:09:21:07 +0200] GET /health 200',
      Date.UTC(2024, 4, 14, 7, 21, 7),
      '[14/May/2024:09:21:07 +0200',
    ],
    // Hadoop HDFS (LogHub's HDFS_1: log4j %d{yyMMdd HHmmss})
    [
      'HDFS (log4j yyMMdd HHmmss)',
      '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
      local(2008, 11, 9, 20, 36, 15),
      '081109 203615',
    ],
    // Squid's native access.log: epoch seconds with ms
    [
      'epoch seconds (Squid)',
      '1715678467.412    123 10.0.0.1 TCP_MISS/200 1024 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html',
      1715678467412,
      '1715678467.412',
    ],
    // Unbound without log-time-ascii: "[epoch] unbound[pid:thread] level: msg"
    [
      'epoch seconds in brackets (Unbound)',
      '[1715678467] unbound[812:0] info: start of service (unbound 1.19.0).',
      1715678467000,
      '[1715678467',
    ],
    // Spark's conf/log4j2.properties.template: %d{yy/MM/dd HH:mm:ss} (LogHub's Spark sample)
    [
      'Spark',
      '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]',
      local(2017, 6, 9, 20, 10, 40),
      '17/06/09 20:10:40',
    ],
    // MariaDB's error log (the hour padded with a space)
    [
      'MariaDB',
      '2024-05-14  9:58:22 0 [Note] InnoDB: Buffer pool(s) load completed',
      local(2024, 5, 14, 9, 58, 22),
      '2024-05-14  9:58:22',
    ],
    // nginx's default access log (log_format combined) / Apache's %h %l %u %t: the time after the client
    [
      'access log (Combined Log Format)',
      '83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "-" "Mozilla/5.0"',
      Date.UTC(2015, 4, 17, 10, 5, 3),
      '83.149.9.216 - - [17/May/2015:10:05:03 +0000',
    ],
    // Django's logging docs, the `verbose` formatter: "{levelname} {asctime} {module} {process:d} {thread:d} {message}"
    [
      'a level word, then ISO 8601 (Django verbose)',
      'INFO 2024-05-14 09:22:58,807 base 8 140245113 retry queue empty',
      local(2024, 5, 14, 9, 22, 58, 807),
      'INFO 2024-05-14 09:22:58,807',
    ],
    // Erlang/OTP's legacy report header (error_logger; RabbitMQ before 3.9)
    [
      'Erlang/OTP report',
      '=ERROR REPORT==== 2-Jan-2024::15:04:05.123456 ===',
      local(2024, 1, 2, 15, 4, 5, 123),
      '=ERROR REPORT==== 2-Jan-2024::15:04:05.123456',
    ],
    // PHP's error_log (php_log_err: "[d-M-Y H:i:s e]", the zone's name from date.timezone)
    [
      "PHP's error log (UTC)",
      '[14-May-2024 09:21:07 UTC] PHP Fatal error:  Uncaught Exception: boom in /app/index.php:3',
      Date.UTC(2024, 4, 14, 9, 21, 7),
      '[14-May-2024 09:21:07 UTC',
    ],
    // PHP-FPM's own log (its documented startup lines)
    [
      'PHP-FPM',
      '[14-May-2024 09:21:07] NOTICE: fpm is running, pid 1',
      local(2024, 5, 14, 9, 21, 7),
      '[14-May-2024 09:21:07',
    ],
    // NestJS ConsoleLogger (docs.nestjs.com/techniques/logger; en-US, Node's default locale)
    [
      'NestJS',
      '[Nest] 19096  - 05/14/2024, 9:21:07 AM     LOG [NestFactory] Starting Nest application...',
      local(2024, 5, 14, 9, 21, 7),
      '[Nest] 19096  - 05/14/2024, 9:21:07 AM',
    ],
    // ctime, as date(1) prints it in the C locale
    [
      'ctime',
      'Tue May 14 09:21:07 2024 backup started',
      local(2024, 5, 14, 9, 21, 7),
      'Tue May 14 09:21:07 2024',
    ],
  ];

  it.each(cases)('%s', (_name, line, time, header) => {
    const { t, end } = readHeader(line, READ);
    expect(t).toBe(time);
    expect(line.slice(0, end)).toBe(header);
  });

  it('reads no time from a line that opens with none', () => {
    for (const line of [
      '1.2.3 started', // a version
      '10.0.0.1 - - [not a time] "GET / HTTP/1.1" 200 612', // an IP (read as no time: only the CLF time after it is)
      '10.0.0.1 connected',
      'ERROR 404 page not found', // a level word and a number
      'INFO:     127.0.0.1:52000 - "GET / HTTP/1.1" 200 OK', // uvicorn: no time
      '=INFO REPORT==== x', // the report header without its time
      '[14-May-2024 09:21:07 Europe/Paris] PHP Warning: x', // a zone's name not resolved here: no time rather than a wrong one
      '[Nest] 19096  - 14/05/2024, 09:21:07     LOG [NestFactory] x', // another locale's date (no AM / PM)
      '12:30 elapsed', // a duration
      '2024/05/14 backup done', // a date with no time of day
      '14-May-2024 closed', // the same, Tomcat's way
      'May 14 release notes', // the same, syslog's way
      '09:21:07 elapsed', // a time of day (or a duration) before prose: no header
      '[09:21:07] done', // the same in brackets, no level after it
      'May I ask', // a month's name in prose
      'Mon 14 items', // a day's name in prose
      'I0514 not a header', // a klog letter without its time
      'A0514 09:21:07.412345 1 x.go:1] x', // not a klog letter
      '<6>systemd[1]: Started x', // a PRI and no time
      '1234567 rows', // a number that is no epoch
      '12345678901 bytes', // 11 digits
      '2024/13/14 09:21:07 bad month',
      'May 14 25:21:07 bad hour',
      'The app started',
    ]) {
      expect(readHeader(line, READ).t, line).toBeNaN();
    }
  });

  it('cuts finer digits, never rounds them up, and reads `,` as the fraction mark', () => {
    expect(readHeader('2024/05/14 09:21:07.999999 x', READ).t).toBe(local(2024, 5, 14, 9, 21, 7, 999));
    expect(readHeader('2024/05/14 09:21:07.5 x', READ).t).toBe(local(2024, 5, 14, 9, 21, 7, 500));
    expect(readHeader('2024/05/14 09:21:07,25 x', READ).t).toBe(local(2024, 5, 14, 9, 21, 7, 250));
    expect(readHeader('1715678467.9999 x', READ).t).toBe(1715678467999);
    expect(readHeader('1715678467412 x', READ).t).toBe(1715678467412);
  });
});

describe('a header without a year', () => {
  it("takes the read time's year in the host's zone", () => {
    expect(readHeader('Jan  2 03:04:05 h app: x', local(2025, 1, 2, 3, 5, 0)).t).toBe(
      local(2025, 1, 2, 3, 4, 5),
    );
    expect(readHeader('I0102 03:04:05.000006 1 a.go:1] x', local(2025, 1, 2, 3, 5, 0)).t).toBe(
      local(2025, 1, 2, 3, 4, 5),
    );
  });

  it('takes the year before when the line would be more than a day ahead (December read in January)', () => {
    expect(readHeader('Dec 31 23:59:58 h app: x', local(2025, 1, 1, 0, 0, 3)).t).toBe(
      local(2024, 12, 31, 23, 59, 58),
    );
    // an app clock less than a day ahead stays in the read's year
    expect(readHeader('May 15 09:00:00 h app: x', READ).t).toBe(local(2024, 5, 15, 9, 0, 0));
  });

  it('takes the year after when that puts it within a day of the read (January read on December 31st)', () => {
    expect(readHeader('01-01 00:00:01.000 1 1 I t: x', local(2024, 12, 31, 23, 59, 59)).t).toBe(
      local(2025, 1, 1, 0, 0, 1),
    );
  });

  it('chooses the year again when the read time has moved on, though the minute is the one it read last', () => {
    const r = new HeaderTimeReader(new TimeReader());
    expect(readHeader('Dec 31 23:59:58 h app: x', local(2024, 12, 31, 23, 59, 59), r).t).toBe(
      local(2024, 12, 31, 23, 59, 58),
    );
    // the same minute text, read a year later (a replayed file): that year's, not the cached one
    expect(readHeader('Dec 31 23:59:59 h app: x', local(2025, 12, 31, 23, 59, 59), r).t).toBe(
      local(2025, 12, 31, 23, 59, 59),
    );
  });
});

describe('the minute cache', () => {
  it('reads each line of one minute, other shapes and a new minute exactly', () => {
    const r = new HeaderTimeReader(new TimeReader());
    const lines: [string, number][] = [
      ['2024/05/14 09:21:01 a', local(2024, 5, 14, 9, 21, 1)],
      ['2024/05/14 09:21:02.5 b', local(2024, 5, 14, 9, 21, 2, 500)],
      ['May 14 09:21:03 h c', local(2024, 5, 14, 9, 21, 3)],
      ['14-May-2024 09:21:04.004 INFO d', local(2024, 5, 14, 9, 21, 4, 4)],
      ['2024/05/14 09:20:05 e', local(2024, 5, 14, 9, 20, 5)],
      ['[14/May/2024:09:21:06 +0000] f', Date.UTC(2024, 4, 14, 9, 21, 6)],
      ['2024/05/14 09:20:07 g', local(2024, 5, 14, 9, 20, 7)],
      // the line's text up to the minute is the last one's: only the seconds are read, and still checked
      ['2024/05/14 09:20:08.250 h', local(2024, 5, 14, 9, 20, 8, 250)],
      ['2024/05/14 09:20 i', Number.NaN],
      ['2024/05/14 09:20:61 j', Number.NaN],
      ['2024/05/14 09:20:09 k', local(2024, 5, 14, 9, 20, 9)],
      // a zone, a year or AM / PM after the seconds: never shortcut
      ['[14/May/2024 09:21:10] l', local(2024, 5, 14, 9, 21, 10)],
      ['[14/May/2024 09:21:11 +0200] m', Date.UTC(2024, 4, 14, 7, 21, 11)],
      ['May 14, 2024 9:21:12 AM n', local(2024, 5, 14, 9, 21, 12)],
      ['May 14, 2024 9:21:13 PM o', local(2024, 5, 14, 21, 21, 13)],
      ['Tue May 14 09:21:14 2024 p', local(2024, 5, 14, 9, 21, 14)],
      ['Tue May 14 09:21:15 2025 q', local(2025, 5, 14, 9, 21, 15)],
      ['[14-May-2024 09:21:15] NOTICE: u', local(2024, 5, 14, 9, 21, 15)],
      ['[14-May-2024 09:21:15 UTC] PHP Warning: v', Date.UTC(2024, 4, 14, 9, 21, 15)],
      // a new shape in the same minute
      ['May 14 09:21:16 h r', local(2024, 5, 14, 9, 21, 16)],
      ['I0514 09:21:17.000001 1 a.go:1] s', local(2024, 5, 14, 9, 21, 17)],
      ['May 14 09:21:18 h t', local(2024, 5, 14, 9, 21, 18)],
      // zoned times (Date.UTC once a minute): the same minute in another zone, another minute, day, month, year
      ['[14/May/2024:09:21:19 -0700] w', Date.UTC(2024, 4, 14, 16, 21, 19)],
      ['[14/May/2024:09:21:20 +0000] x', Date.UTC(2024, 4, 14, 9, 21, 20)],
      ['[14/May/2024:09:22:21 +0000] y', Date.UTC(2024, 4, 14, 9, 22, 21)],
      ['[15/May/2024:09:22:22 +0000] z', Date.UTC(2024, 4, 15, 9, 22, 22)],
      ['[15/Jun/2024:09:22:23 +0000] za', Date.UTC(2024, 5, 15, 9, 22, 23)],
      ['[15/Jun/2023:09:22:24 +0000] zb', Date.UTC(2023, 5, 15, 9, 22, 24)],
      ['[15/Jun/2023:10:22:25 +0000] zc', Date.UTC(2023, 5, 15, 10, 22, 25)],
      ['[31/Jun/2023:10:22:26 +0000] zd', Number.NaN],
      ['[15/Jun/2023:10:22:27 +0000] ze', Date.UTC(2023, 5, 15, 10, 22, 27)],
    ];
    expect(lines.map(([l]) => readHeader(l, READ, r).t)).toEqual(lines.map(([, t]) => t));
  });
});

describe('through the pipeline', () => {
  // the lines in one write (under 500), as an app's burst: the pipeline's batches read them
  const run = pipeLines;

  it('gives each shape its time, keeps the read time as observed_timestamp and a plain line its read time', () => {
    const { events } = run(
      [
        'May 14 09:21:07 web-1 app[1]: started', // first of its batch: the path that reads text at once
        'I0514 09:21:08.412345       1 main.go:61] ready',
        '2024/05/14 09:21:09 [error] 7#0: *1 connect() failed',
        '1:M 14 May 2024 09:21:10.412 * Ready to accept connections',
        'The worker started',
        '09:21:11.000 [info] no date: the date nearest the read',
      ],
      READ,
    );
    expect(events.map((e) => e.timestamp)).toEqual([
      local(2024, 5, 14, 9, 21, 7),
      local(2024, 5, 14, 9, 21, 8, 412),
      local(2024, 5, 14, 9, 21, 9),
      local(2024, 5, 14, 9, 21, 10, 412),
      READ,
      local(2024, 5, 14, 9, 21, 11),
    ]);
    expect(events.every((e) => e.observedTimestamp === READ)).toBe(true);
    expect(events.map((e) => e.level)).toEqual([30, 30, 50, 30, 30, 30]);
  });

  it('reads no time from a day past its month (Date.UTC would roll 30 February into March), in any shape', () => {
    const { events, stats } = run(
      [
        '2024-02-30T09:21:07Z INFO iso header',
        '2023-02-29 09:21:07,412 INFO python asctime',
        '{"time":"2024-04-31T09:21:07Z","level":"info","msg":"json"}',
        'time=2024-06-31T09:21:07Z level=info msg=logfmt',
        '10.0.0.1 - - [31/Sep/2024:09:21:07 +0000] "GET / HTTP/1.1" 200 1',
        '2024/11/31 09:21:07 go log',
        // the last day of each is a date
        '2024-02-29T09:21:07Z INFO leap day',
        'time=2024-06-30T09:21:07Z level=info msg=june',
      ],
      Date.UTC(2024, 1, 29, 9, 21, 8),
    );
    const read = Date.UTC(2024, 1, 29, 9, 21, 8);
    expect(events.map((e) => e.timestamp)).toEqual([read, read, read, read, read, read, read - 1000, read]);
    // no time was read, so none was distrusted (June's is more than 24 h away)
    expect(stats.timeUntrusted).toBe(1);
  });

  it('does not trust a header time more than 24 h from the read, and counts it', () => {
    const { events, stats } = run(
      ['081109 203615 148 INFO dfs.DataNode: old', 'May 16 09:21:07 h app: two days ahead'],
      READ,
    );
    expect(events.map((e) => e.timestamp)).toEqual([READ, READ]);
    expect(stats.timeUntrusted).toBe(2);
  });

  it('reads trace ids after the header time, never in it', () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const span = '00f067aa0ba902b7';
    const { events } = run([`May 14 09:21:07 h app[1]: traceparent=00-${trace}-${span}-01 done`], READ);
    expect(events[0]).toMatchObject({
      timestamp: local(2024, 5, 14, 9, 21, 7),
      traceId: trace,
      spanId: span,
    });
  });

  it("a tailed CRI record's header time wins over the record's own, as an ISO header's does", () => {
    const events: LogEvent[] = [];
    const p = testPipeline(events);
    const cri = Date.UTC(2024, 4, 14, 9, 21, 9, 500);
    p.writeFile(
      '/logs/a.log',
      'cri',
      Buffer.from(
        `${new Date(cri).toISOString()} stderr F I0514 09:21:08.412345       1 main.go:61] ready\n` +
          `${new Date(cri).toISOString()} stdout F no header\n`,
      ),
      cri + 5000,
    );
    p.end();
    const app = events.filter((e) => e.kind === undefined);
    expect(app.map((e) => [e.timestamp, e.observedTimestamp])).toEqual([
      [local(2024, 5, 14, 9, 21, 8, 412), cri],
      [cri, cri],
    ]);
  });
});
