/**
 * The table of format families: for each, where its format is documented, the shape of its record
 * header, its level alphabet and where the level sits, and (for a runtime that prints traces) the
 * trace shape the grouper follows (traces.ts). The lexer (lexer.ts) and the dispatcher (detect.ts)
 * read headers by these shapes; each entry's documented examples are its unit tests
 * (test/pipeline/formats/families.test.ts), so an entry and the code cannot drift apart.
 *
 * A family with no documented format is not guessed; families whose records carry no level (syslog
 * without PRI, access logs, Thunderbird, HPC, …) are listed too, with `none` examples, because a word
 * in their message must never become a level.
 */
import type { LevelName } from '../levels.js';
import type { TraceKind } from './traces.js';

export interface FormatFamily {
  /** short name, as used in the corpus files' `format` field where they overlap */
  readonly name: string;
  /** where the format is documented (library docs, spec, or the public sample it was read from) */
  readonly doc: string;
  /** the record header, from the start of the line to the message */
  readonly header: string;
  /** the level alphabet and its position in the header; `none` when the format has no level */
  readonly level: string;
  /** the trace this family's runtime prints, grouped by traces.ts */
  readonly trace?: TraceKind;
  /** documented examples: a line and the level it must get (`none`: no level of its own) */
  readonly examples: readonly (readonly [line: string, level: LevelName | 'none'])[];
}

export const FAMILIES: readonly FormatFamily[] = [
  // ── Python ────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'python-logging',
    doc: 'https://docs.python.org/3/library/logging.html#logrecord-attributes (basicConfig: "%(levelname)s:%(name)s:%(message)s"; asctime formats)',
    header: 'LEVEL:name: | asctime - name - LEVEL - | asctime LEVEL name: | asctime:LEVEL:name:',
    level: 'DEBUG INFO WARNING ERROR CRITICAL, upper case, before the first colon or after the timestamp',
    trace: 'python',
    examples: [
      ['WARNING:root:Disk usage at 91% on /var/lib/postgresql/data', 'warn'],
      ['INFO:app.worker:Processed 128 jobs in 2.41s', 'info'],
      ['CRITICAL:app:database unreachable', 'fatal'],
      ['2024-05-14 09:21:07,412 - app.db - INFO - Connected to postgres at db:5432/orders', 'info'],
      ['2024-05-14 09:21:08,003 - app.billing - WARNING - Invoice 88121 has no tax region', 'warn'],
      ['2024-05-14 09:21:07,412 INFO app.main: started', 'info'],
      ['INFO: retrying after error (attempt 3 of 5): timeout while reading from upstream', 'info'],
    ],
  },
  {
    name: 'python-traceback',
    doc: 'https://docs.python.org/3/library/traceback.html (sys.excepthook output; chained and ExceptionGroup tracebacks)',
    header: '"Traceback (most recent call last):" | "  + Exception Group Traceback (most recent call last):"',
    level: 'none in the header: a traceback is error',
    trace: 'python',
    examples: [
      ['Traceback (most recent call last):', 'error'],
      ['ZeroDivisionError: division by zero', 'error'],
      ['json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)', 'error'],
    ],
  },
  {
    name: 'python-warnings',
    doc: 'https://docs.python.org/3/library/warnings.html#warnings.formatwarning ("file:line: category: message")',
    header: 'path:line: CategoryWarning:',
    level: 'a *Warning category is warn',
    examples: [['/app/main.py:12: DeprecationWarning: datetime.datetime.utcnow() is deprecated', 'warn']],
  },
  {
    name: 'uvicorn',
    doc: 'https://www.uvicorn.org/settings/#logging (default formatter "%(levelprefix)s %(message)s")',
    header: 'LEVEL: padded to 9 columns',
    level: 'TRACE DEBUG INFO WARNING ERROR CRITICAL before the colon; HTTP status codes are not levels',
    trace: 'python',
    examples: [
      ['INFO:     10.0.0.7:40112 - "POST /api/upload HTTP/1.1" 500 Internal Server Error', 'info'],
      ['WARNING:  Invalid HTTP request received.', 'warn'],
      ['ERROR:    Exception in ASGI application', 'error'],
    ],
  },
  {
    name: 'gunicorn',
    doc: 'https://docs.gunicorn.org/en/stable/settings.html#logconfig ("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s")',
    header: '[asctime] [pid] [LEVEL]',
    level: 'DEBUG INFO WARNING ERROR CRITICAL in the third brackets',
    examples: [
      ['[2024-05-14 09:21:07 +0000] [1] [INFO] Starting gunicorn 22.0.0', 'info'],
      ['[2024-05-14 09:22:37 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:9)', 'fatal'],
    ],
  },
  {
    name: 'loguru',
    doc: 'https://loguru.readthedocs.io/en/stable/api/logger.html (default "{time} | {level: <8} | {name}:{function}:{line} - {message}")',
    header: 'time | LEVEL    | name:function:line -',
    level: 'TRACE DEBUG INFO SUCCESS WARNING ERROR CRITICAL between the first bars',
    trace: 'python',
    examples: [
      ['2024-05-14 09:21:07.412 | INFO     | app.main:startup:42 - Connected to Redis', 'info'],
      ["2024-05-14 09:21:08.013 | WARNING  | app.jobs:schedule:88 - Job 'nightly-report' skipped", 'warn'],
    ],
  },
  {
    name: 'structlog',
    doc: 'https://www.structlog.org/en/stable/console-output.html (ConsoleRenderer: "timestamp [level    ] event")',
    header: 'timestamp [level padded]',
    level: 'debug info warning error critical exception, lower case, in the first brackets',
    examples: [
      ['2024-05-14 09:21:07 [info     ] user logged in                 method=password user_id=42', 'info'],
      ['2024-05-14 09:21:08 [warning  ] rate limit nearly exhausted    remaining=3', 'warn'],
    ],
  },
  {
    name: 'celery',
    doc: 'https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-log-format ("[%(asctime)s: %(levelname)s/%(processName)s] %(message)s")',
    header: '[asctime: LEVEL/process]',
    level: 'Python levels after the timestamp inside the brackets',
    examples: [
      ['[2024-05-14 09:21:07,412: INFO/MainProcess] Connected to redis://redis:6379/0', 'info'],
      [
        '[2024-05-14 09:21:07,412: ERROR/ForkPoolWorker-1] Task app.tasks.send[1f2e] raised unexpected: ValueError()',
        'error',
      ],
    ],
  },
  {
    name: 'openstack-oslo-log',
    doc: 'https://docs.openstack.org/oslo.log/latest/configuration/index.html (logging_context_format_string "%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(request_id)s …] %(instance)s%(message)s"); loghub OpenStack sample (file name before the timestamp)',
    header: '[file name] asctime.msecs pid LEVEL logger [request]',
    level: 'Python levels after the pid',
    examples: [
      [
        'nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-2096-447d-96ea-a692162415ae 113d3a99c3da401fbd62cc2caa5b96d2 54fadb412c4e40cdbaed9335e4c35a9e - - -] 10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
        'info',
      ],
      [
        'nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.500 2931 WARNING nova.compute.manager [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] While synchronizing instance power states, found 0 instances in the database and 1 instances on the hypervisor.',
        'warn',
      ],
      [
        '2017-05-16 00:00:05.186 2931 ERROR nova.compute.manager [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Error from libvirt',
        'error',
      ],
    ],
  },
  // ── JVM ───────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'logback',
    doc: 'https://logback.qos.ch/manual/layouts.html#ClassicPatternLayout (default "%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n")',
    header: 'time [thread] LEVEL logger -',
    level: 'TRACE DEBUG INFO WARN ERROR after the thread brackets',
    trace: 'java',
    examples: [
      [
        '09:21:07.412 [main] INFO  com.acme.orders.Application - Started Application in 3.214 seconds',
        'info',
      ],
      [
        '09:21:07.598 [pool-2-thread-1] WARN  com.acme.orders.OutboxRelay - Outbox backlog at 1204 messages',
        'warn',
      ],
    ],
  },
  {
    name: 'log4j2',
    doc: 'https://logging.apache.org/log4j/2.x/manual/pattern-layout.html (%d %p [%t] %c: %m; %level is TRACE DEBUG INFO WARN ERROR FATAL)',
    header: 'date LEVEL [thread] logger: | time [thread] LEVEL logger -',
    level: 'TRACE DEBUG INFO WARN ERROR FATAL after the date or the thread',
    trace: 'java',
    examples: [
      [
        '09:21:07.900 [main] FATAL com.acme.batch.Bootstrap - Unable to load keystore /etc/app/keystore.p12',
        'fatal',
      ],
      ['2024-05-14 09:21:07,412 ERROR [main] c.a.App: boom', 'error'],
    ],
  },
  {
    name: 'hadoop',
    doc: 'Hadoop conf/log4j.properties ("%d{ISO8601} %p %c: %m%n"; MapReduce adds [%t]); loghub Hadoop sample',
    header: 'ISO8601,millis LEVEL [thread] logger:',
    level: 'log4j levels right after the timestamp',
    trace: 'java',
    examples: [
      [
        '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001',
        'info',
      ],
      [
        '2015-10-18 18:10:55,523 ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM.',
        'error',
      ],
      [
        '2015-10-18 18:05:38,553 WARN [LeaseRenewer:msrabi@msra-sa-41:9000] org.apache.hadoop.hdfs.LeaseRenewer: Failed to renew lease',
        'warn',
      ],
    ],
  },
  {
    name: 'hdfs',
    doc: 'Hadoop 0.x log4j "%d{yyMMdd HHmmss} %t %p %c{2}: %m" as in the loghub HDFS sample (compact date, a thread number before the level)',
    header: 'yyMMdd HHmmss thread LEVEL logger:',
    level: 'log4j levels after the thread number',
    examples: [
      [
        '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
        'info',
      ],
      ['081109 204005 35 WARN dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated', 'warn'],
      [
        '081111 081629 19 ERROR dfs.DataNode: Got exception while serving blk_-12345 to /10.251.1.1:',
        'error',
      ],
    ],
  },
  {
    name: 'spark',
    doc: 'Spark conf/log4j.properties.template ("%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n"); loghub Spark sample',
    header: 'yy/MM/dd HH:mm:ss LEVEL logger:',
    level: 'log4j levels after the timestamp',
    trace: 'java',
    examples: [
      [
        '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]',
        'info',
      ],
      ['17/06/09 20:11:11 WARN storage.BlockManager: Putting block rdd_42_20 failed', 'warn'],
      ['17/06/09 20:11:11 ERROR executor.Executor: Exception in task 0.0 in stage 1.0 (TID 1)', 'error'],
    ],
  },
  {
    name: 'zookeeper',
    doc: 'ZooKeeper conf/log4j.properties ("%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n"; 3.5+ logback adds "[myid:%X{myid}]" after the date); loghub Zookeeper sample (component after the level)',
    header: 'ISO8601,millis - LEVEL [thread:class@line] -',
    level: 'log4j levels after " - "',
    trace: 'java',
    examples: [
      [
        '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
        'info',
      ],
      [
        '2015-07-29 19:04:12,394 - WARN  [RecvWorker:188978561024:QuorumCnxManager$RecvWorker@762] - Connection broken for id 188978561024, my id = 1, error = ',
        'warn',
      ],
      [
        '2015-07-29 19:04:29,079 - ERROR [SendWorker:188978561024:QuorumCnxManager$SendWorker@706] - Failed to send last message',
        'error',
      ],
      [
        '2024-05-14 09:30:15,898 [myid:3] - WARN  [QuorumPeer[myid=1]:Leader@602] - Processed 128 jobs',
        'warn',
      ],
    ],
  },
  {
    name: 'spring-boot',
    doc: 'https://docs.spring.io/spring-boot/reference/features/logging.html#features.logging.log-format (date LEVEL pid --- [app] [thread] logger : msg)',
    header: 'ISO8601 LEVEL pid --- [app] [thread] logger :',
    level: 'TRACE DEBUG INFO WARN ERROR, padded, after the timestamp',
    trace: 'java',
    examples: [
      [
        '2024-05-14T09:21:07.412Z  INFO 1 --- [orders] [           main] c.a.orders.OrdersApplication             : Started OrdersApplication in 4.812 seconds',
        'info',
      ],
      [
        '2024-05-14T09:21:09.120Z ERROR 1 --- [orders] [nio-8080-exec-4] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception',
        'error',
      ],
    ],
  },
  {
    name: 'java-util-logging',
    doc: 'https://docs.oracle.com/en/java/javase/21/docs/api/java.logging/java/util/logging/SimpleFormatter.html (two lines: date source, then "LEVEL: message")',
    header: 'line 1 "MMM d, yyyy h:mm:ss a class method"; line 2 "LEVEL:"',
    level: 'FINEST FINER FINE CONFIG INFO WARNING SEVERE before the colon of line 2',
    trace: 'java',
    examples: [
      ['May 14, 2024 9:21:07 AM com.acme.inventory.StockService reload', 'none'],
      ['WARNING: Stock feed is 14 minutes stale', 'warn'],
      ['SEVERE: Failed to persist snapshot', 'error'],
      ['FINE: cache hit', 'debug'],
      ['FINER: entering reload', 'debug'],
      ['FINEST: bytes=512', 'trace'],
    ],
  },
  {
    name: 'tomcat',
    doc: 'https://tomcat.apache.org/tomcat-10.1-doc/logging.html (OneLineFormatter: "dd-MMM-yyyy HH:mm:ss.SSS LEVEL [thread] class.method msg")',
    header: 'dd-MMM-yyyy time LEVEL [thread]',
    level: 'JUL levels after the timestamp',
    trace: 'java',
    examples: [
      [
        '14-May-2024 09:21:07.412 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [1234] milliseconds',
        'info',
      ],
      [
        '14-May-2024 09:21:07.412 SEVERE [main] org.apache.catalina.core.StandardContext.startInternal Context startup failed',
        'error',
      ],
    ],
  },
  {
    name: 'kafka',
    doc: 'Kafka config/log4j.properties ("[%d] %p %m (%c)%n")',
    header: '[date] LEVEL',
    level: 'log4j levels after the date brackets',
    trace: 'java',
    examples: [
      ['[2024-05-14 09:21:07,412] INFO [KafkaServer id=1] started (kafka.server.KafkaServer)', 'info'],
      [
        '[2024-05-14 09:21:07,412] WARN [Producer clientId=x] Connection to node -1 could not be established',
        'warn',
      ],
    ],
  },
  {
    name: 'java-exception',
    doc: 'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Throwable.html#printStackTrace()',
    header: 'qualified.ExceptionName: message | Exception in thread "name" …',
    level: 'an exception is error',
    trace: 'java',
    examples: [
      ['java.lang.IllegalStateException: boom', 'error'],
      [
        'Exception in thread "main" java.lang.IllegalStateException: Failed to start ingest pipeline',
        'error',
      ],
      ['\tat com.acme.App.main(App.java:12)', 'none'],
    ],
  },
  // ── Supercomputers and clusters ───────────────────────────────────────────────────────────────
  {
    name: 'bgl-ras',
    doc: 'Oliner & Stearley, "What Supercomputers Say" (DSN 2007), Blue Gene/L RAS log; loghub BGL sample',
    header: 'alert-tag epoch yyyy.mm.dd node yyyy-mm-dd-hh.mm.ss.micros node RAS SUBSYSTEM LEVEL',
    level: 'INFO WARNING SEVERE ERROR FATAL FAILURE after the subsystem tokens (SEVERE error, FAILURE fatal)',
    examples: [
      [
        '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected',
        'info',
      ],
      [
        '- 1117869872 2005.06.04 R04-M1-N4-I:J18-U11 2005-06-04-00.24.32.432192 R04-M1-N4-I:J18-U11 RAS APP FATAL ciod: failed to read message prefix on control stream',
        'fatal',
      ],
      [
        'KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-18.32.07.349018 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt',
        'fatal',
      ],
      [
        '- 1118767706 2005.06.14 R27-M1-L3-U18-C 2005-06-14-09.48.26.594580 R27-M1-L3-U18-C RAS LINKCARD INFO MidplaneSwitchController performing bit sparing',
        'info',
      ],
      [
        '- 1117955341 2005.06.05 R25-M0-N7-C:J02-U01 2005-06-05-00.09.01.903645 R25-M0-N7-C:J02-U01 RAS KERNEL WARNING 1 ddr errors(s) detected and corrected',
        'warn',
      ],
      [
        '- 1120260603 2005.07.01 R36-M1-NC-I:J18-U11 2005-07-01-16.30.03.398491 R36-M1-NC-I:J18-U11 RAS KERNEL SEVERE idoproxydb hit ASSERT condition',
        'error',
      ],
      [
        '- 1128621623 2005.10.06 R24-M0-N0-C:J14-U11 2005-10-06-11.00.23.640349 R24-M0-N0-C:J14-U11 RAS MMCS ERROR idoproxydb hit ASSERT',
        'error',
      ],
      [
        '- 1118779802 2005.06.14 R12-M0 2005-06-14-13.10.02.227089 R12-M0 NULL DISCOVERY FAILURE Node card VPD check failed',
        'fatal',
      ],
      [
        '- 1118769018 2005.06.14 UNKNOWN_LOCATION 2005-06-14-10.10.18.829744 UNKNOWN_LOCATION NULL CMCS INFO Controlling BGL rows',
        'info',
      ],
    ],
  },
  {
    name: 'thunderbird',
    doc: 'Oliner & Stearley (DSN 2007), Thunderbird syslog; loghub Thunderbird sample',
    header: 'alert-tag epoch yyyy.mm.dd host Mmm d hh:mm:ss host/host program[pid]:',
    level: 'none (syslog without PRI)',
    examples: [
      [
        '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root',
        'none',
      ],
      [
        '- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond[2916]: (root) CMD (run-parts /etc/cron.hourly)',
        'none',
      ],
    ],
  },
  {
    name: 'hpc',
    doc: 'loghub HPC sample (Los Alamos: LogId Node Component State Time Flag Content)',
    header: 'id node component state epoch flag',
    level: 'none',
    examples: [
      [
        '134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component \\042alt0\\042 is in the unavailable state (HWID=1915)',
        'none',
      ],
    ],
  },
  // ── Mobile and OS ─────────────────────────────────────────────────────────────────────────────
  {
    name: 'android-logcat',
    doc: 'https://developer.android.com/tools/logcat#output-format (threadtime "date time PID TID priority tag: message"; time; brief "priority/tag(PID): message"; long "[ date time PID: TID priority/tag ]" then the message lines and a blank line)',
    header:
      'MM-dd HH:mm:ss.SSS pid tid P tag: | MM-dd time P/tag(pid): | P/tag(pid): | [ MM-dd time pid: tid P/tag ]',
    level:
      'V D I W E F A single letters (V verbose → trace, F/A → fatal) after pid and tid, or before the "/"',
    examples: [
      [
        '03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63 token=Token{a64f992}}',
        'debug',
      ],
      [
        '03-17 16:13:38.819  1702  8671 E PowerManagerService: release:lock=233570404, flg=0x0, tag="View Lock"',
        'error',
      ],
      ['03-17 16:13:38.859  2227  2227 V PhoneStatusBar: setLightsOn(true)', 'trace'],
      ['03-17 16:13:39.039  1702  1720 W ActivityManager: Unable to start service Intent', 'warn'],
      ['03-17 16:13:38.811  1702  2395 I ActivityManager: Start proc 2345:com.android.x', 'info'],
      ['03-17 16:13:38.811 D/WindowManager( 1702): printFreezingDisplayLogs', 'debug'],
      ['W/ActivityManager(  585): Unable to start service Intent', 'warn'],
      ['F/libc    ( 1234): Fatal signal 11 (SIGSEGV)', 'fatal'],
      ['I/O error while reading /data', 'none'],
      // -v long: the header alone on its line, the message below it up to a blank line
      ['[ 05-14 09:21:08.120  4242: 4242 E/AndroidRuntime ]', 'error'],
      ['[ 05-14 09:21:11.340   312:  312 F/libc ]', 'fatal'],
    ],
  },
  {
    name: 'syslog-pri',
    doc: 'RFC 3164 §4.1.1 and RFC 5424 §6.2.1 (PRI = facility × 8 + severity; 0 emerg … 7 debug); man 3 sd-daemon ("<3>" prefixes)',
    header: '<PRI>',
    level: 'severity = PRI mod 8: 0-2 fatal, 3 error, 4 warn, 5-6 info, 7 debug',
    examples: [
      ['<34>Oct 11 22:14:15 mymachine su: su root failed for lonvick on /dev/pts/8', 'fatal'],
      [
        '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 - An application event',
        'info',
      ],
      ['<3>Orders.Api.Program[0] Unhandled exception', 'error'],
      ['<4>kernel: low memory', 'warn'],
      ['<7>Microsoft.EntityFrameworkCore[10403] query', 'debug'],
    ],
  },
  {
    name: 'dmesg-decode',
    doc: 'man 1 dmesg (util-linux): -x, --decode "decode facility and level (priority) numbers to human-readable prefixes"',
    header: 'facility :level : [seconds]',
    level: 'emerg alert crit err warn notice info debug between the two colons',
    examples: [
      ['kern  :err   : [    9.012333] FATAL flag cleared after health check passed', 'error'],
      ['kern  :warn  : [   12.016444] Exported report q3-summary.csv', 'warn'],
      ['kern  :emerg : [    0.000000] Unhandled promise rejections: none in the last hour', 'fatal'],
      ['kern  :info  : [   15.020555] usb 1-1: new high-speed USB device number 2', 'info'],
    ],
  },
  {
    name: 'journald-json',
    doc: 'https://www.freedesktop.org/software/systemd/man/latest/systemd.journal-fields.html (PRIORITY, 0 emerg … 7 debug; journalctl -o json)',
    header: 'JSON {"PRIORITY":"N",…}',
    level: 'PRIORITY as a syslog severity',
    examples: [
      [
        '{"__REALTIME_TIMESTAMP":"1715680414748000","PRIORITY":"3","SYSLOG_IDENTIFIER":"orders","MESSAGE":"Exported"}',
        'error',
      ],
      ['{"PRIORITY":"6","MESSAGE":"error budget ok"}', 'info'],
    ],
  },
  {
    name: 'bsd-syslog-file',
    doc: 'RFC 3164 §4.1.2 (Mmm dd hh:mm:ss host tag[pid]:) as written to /var/log; loghub Linux, OpenSSH and Mac samples',
    header: 'Mmm dd hh:mm:ss host program[pid]:',
    level: 'none (the file keeps no priority)',
    examples: [
      [
        'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
        'none',
      ],
      [
        // OpenSSH's log.c prefixes error() messages with "error: " (bsd-syslog-daemon-severity)
        'Dec 10 06:55:46 LabSZ sshd[24200]: error: Received disconnect from 101.200.1.1: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]',
        'error',
      ],
      [
        'Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet',
        'none',
      ],
    ],
  },
  {
    name: 'windows-cbs',
    doc: 'Windows CBS.log (Component-Based Servicing: "date time, Level  Component  message"); loghub Windows sample',
    header: 'yyyy-mm-dd hh:mm:ss, Level (padded) component',
    level: 'Info Warning Error, capitalised, padded, after the comma',
    examples: [
      [
        '2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core',
        'info',
      ],
      [
        '2016-09-28 04:30:31, Error                 CSI    00000001@2016/9/27:20:30:31.455 (F) failed',
        'error',
      ],
      ['2016-09-28 04:30:31, Warning               CBS    Failed to get session', 'warn'],
    ],
  },
  {
    name: 'healthapp',
    doc: 'loghub HealthApp sample (timestamp|component|pid|message)',
    header: 'yyyymmdd-hh:mm:ss:SSS|component|pid|',
    level: 'none',
    examples: [['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', 'none']],
  },
  {
    name: 'proxifier',
    doc: 'loghub Proxifier sample ([mm.dd hh:mm:ss] program - target …)',
    header: '[mm.dd hh:mm:ss] program -',
    level: 'none',
    examples: [
      [
        '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
        'none',
      ],
      ['[10.30 16:49:07] chrome.exe - proxy.cse.cuhk.edu.hk:5070 error : Could not connect to proxy', 'none'],
    ],
  },
  // ── Web servers and databases ─────────────────────────────────────────────────────────────────
  {
    name: 'apache-error',
    doc: 'https://httpd.apache.org/docs/2.4/logs.html#errorlog and mod/core.html#errorlogformat ("[date] [module:level] [pid …]"; 2.2: "[date] [level]")',
    header: '[date] [module:level] [pid N:tid N] | [date] [level]',
    level: 'emerg alert crit error warn notice info debug trace1-8 in the second brackets',
    examples: [
      ['[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties', 'info'],
      ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6', 'error'],
      [
        '[Tue May 14 09:21:07.001122 2024] [mpm_event:notice] [pid 1:tid 140245521287048] AH00489: Apache/2.4.59 (Unix) configured',
        'info',
      ],
      [
        '[Tue May 14 09:21:08.412345 2024] [proxy:error] [pid 12:tid 140245380159232] (111)Connection refused: AH00957',
        'error',
      ],
    ],
  },
  {
    name: 'http-access-log',
    doc: 'https://httpd.apache.org/docs/2.4/logs.html#accesslog (Common/Combined Log Format); nginx log_format combined',
    header: 'client - user [date] "request" status bytes',
    level: 'none: a 4xx/5xx status is not a level',
    examples: [
      ['192.168.100.200 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 500 2326', 'none'],
      ['192.168.100.200 ERROR GET /apache_pb.gif 500', 'none'],
      [
        '10.42.0.17 - - [14/May/2024:09:21:07 +0000] "GET /error/404.html HTTP/1.1" 404 1532 "-" "Mozilla/5.0"',
        'none',
      ],
    ],
  },
  {
    name: 'nginx-error',
    doc: 'https://nginx.org/en/docs/ngx_core_module.html#error_log ("yyyy/mm/dd hh:mm:ss [level] pid#tid: *cid msg")',
    header: 'yyyy/mm/dd hh:mm:ss [level] pid#tid:',
    level: 'debug info notice warn error crit alert emerg in brackets',
    examples: [
      ['2024/05/14 09:21:07 [notice] 1#1: using the "epoll" event method', 'info'],
      ['2024/05/14 09:21:08 [warn] 1#1: the "listen ... http2" directive is deprecated', 'warn'],
      ['2024/05/14 09:21:09 [crit] 29#29: *7 SSL_do_handshake() failed', 'fatal'],
    ],
  },
  {
    name: 'postgresql',
    doc: 'https://www.postgresql.org/docs/current/runtime-config-logging.html (log_line_prefix "%m [%p] "; severity levels; the server writes "SEVERITY:  message", two spaces after the colon, whatever the prefix)',
    header: 'timestamp zone [pid] [user@db] LEVEL:',
    level:
      'DEBUG1-5 LOG INFO NOTICE WARNING ERROR FATAL PANIC before the colon; DETAIL/HINT/STATEMENT continue',
    examples: [
      ['2024-05-14 09:21:07.412 UTC [1] LOG:  database system is ready to accept connections', 'info'],
      ['2024-05-14 09:21:08.120 UTC [88] FATAL:  password authentication failed for user "app"', 'fatal'],
      ['2024-05-14 09:21:09.551 UTC [2231] STATEMENT:  INSERT INTO users (email) VALUES ($1)', 'none'],
      // pgBadger's recommended prefixes (https://pgbadger.darold.net/documentation.html#POSTGRESQL-CONFIGURATION);
      // the second is also Amazon RDS's default
      [
        '2024-05-14 09:21:07 UTC [1234]: [1-1] user=app,db=shop,app=psql,client=10.0.0.7 ERROR:  relation "x" does not exist',
        'error',
      ],
      [
        '2024-05-14 09:21:07 UTC:10.0.0.7(51234):app@shop:[1234]:ERROR:  syntax error at or near "SELEC"',
        'error',
      ],
      [
        '2024-05-14 09:21:07 UTC:10.0.0.7(51234):app@shop:[1234]:LOG:  connection authorized: 0 errors',
        'info',
      ],
      [
        '2024-05-14 09:21:07 UTC:10.0.0.7(51234):app@shop:[1234]:DETAIL:  Key (id)=(1) already exists.',
        'none',
      ],
    ],
  },
  {
    name: 'mysql',
    doc: 'https://dev.mysql.com/doc/refman/8.4/en/error-log-format.html ("time thread [label] [err_code] [subsystem] msg")',
    header: 'ISO8601 thread [Label] [MY-code] [Subsystem]',
    level: 'System Error Warning Note in the first brackets (Note is info; System has no level)',
    examples: [
      [
        '2024-05-14T09:21:07.412345Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.',
        'warn',
      ],
      ['2024-05-14T09:21:07.412345Z 0 [ERROR] [MY-000067] [Server] unknown variable', 'error'],
      [
        '2024-05-14T09:46:44.389477Z 1 [Note] [MY-011261] [InnoDB] FATAL flag cleared after health check',
        'info',
      ],
    ],
  },
  {
    name: 'redis',
    doc: 'https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/ (loglevel; "pid:role dd Mmm yyyy hh:mm:ss.mmm mark msg", marks . - * #)',
    header: 'pid:role date mark',
    level: '. debug, - verbose, * notice, # warning',
    examples: [
      ['1:C 14 May 2024 09:21:07.412 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', 'info'],
      ['1:C 14 May 2024 09:21:07.412 # WARNING Memory overcommit must be enabled!', 'warn'],
    ],
  },
  {
    name: 'mongodb',
    doc: 'https://www.mongodb.com/docs/manual/reference/log-messages/#std-label-log-severity-levels ("s": F E W I D1-D5); before 4.4 https://www.mongodb.com/docs/v4.2/reference/log-messages/ (text "timestamp severity component [context] message")',
    header: 'JSON {"t":…,"s":…} | ISO8601 S COMPONENT [context]',
    level: '"s": F E W I D1..D5; the same letters after the timestamp in the text log',
    examples: [
      [
        '{"t":{"$date":"2024-05-14T09:21:07.412+00:00"},"s":"W","c":"CONTROL","id":22120,"ctx":"initandlisten","msg":"Access control is not enabled"}',
        'warn',
      ],
      // before 4.4 (https://www.mongodb.com/docs/v4.2/reference/log-messages/): "ts S  COMPONENT [ctx] msg"
      ['2024-05-14T09:21:08.120+0000 E  NETWORK  [conn12] SocketException handling request', 'error'],
      ['2024-05-14T09:21:09.001+0000 F  -        [main] Fatal assertion 28595', 'fatal'],
      ['2024-05-14T09:21:11.340+0000 D2 QUERY    [conn13] Running query', 'debug'],
      ['2024-05-14T09:21:10.230+0000 I  NETWORK  [listener] connection accepted, 0 errors', 'info'],
    ],
  },
  // ── Go ────────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'go-slog',
    doc: 'https://pkg.go.dev/log/slog (TextHandler "time=… level=INFO msg=…", JSONHandler, default logger "2024/05/14 09:21:07 INFO msg")',
    header: 'time=… level=LEVEL | date time LEVEL | JSON level',
    level: 'DEBUG INFO WARN ERROR, with +N/-N offsets',
    trace: 'go',
    examples: [
      ['time=2024-05-14T09:21:07.412Z level=INFO msg="server started" addr=:8080', 'info'],
      [
        '2024/05/14 09:21:09 ERROR request failed method=GET path=/v1/users/42 err="context deadline exceeded"',
        'error',
      ],
      ['{"time":"2024-05-14T09:21:07.412345678Z","level":"WARN+2","msg":"slow"}', 'warn'],
    ],
  },
  {
    name: 'zap',
    doc: 'https://pkg.go.dev/go.uber.org/zap#NewDevelopmentConfig (console: time\\tLEVEL\\tcaller\\tmsg; production JSON "level")',
    header: 'ISO8601 TAB LEVEL TAB caller | JSON level',
    level: 'debug info warn error dpanic panic fatal',
    trace: 'go',
    examples: [
      ['2024-05-14T09:21:07.412Z\tINFO\tserver/server.go:88\tlistening\t{"addr": ":8080"}', 'info'],
      [
        '{"level":"error","ts":1715678469.551002,"caller":"api/handler.go:61","msg":"failed to decode request"}',
        'error',
      ],
    ],
  },
  {
    name: 'zerolog',
    doc: 'https://github.com/rs/zerolog#pretty-logging (ConsoleWriter: "3:04PM INF msg"; JSON "level")',
    header: 'kitchen time LVL | JSON level',
    level: 'TRC DBG INF WRN ERR FTL PNC',
    examples: [
      ['9:21AM INF starting HTTP server addr=:8080', 'info'],
      ['9:21AM WRN low disk space disk=/data free_pct=4.2', 'warn'],
    ],
  },
  {
    name: 'logrus',
    doc: 'https://github.com/sirupsen/logrus#formatters (TextFormatter: time="…" level=warning msg="…"; TTY: WARN[0012])',
    header: 'time="…" level=… | LEVEL[seconds]',
    level: 'trace debug info warning error fatal panic',
    examples: [
      [
        'time="2024-05-14T09:21:08Z" level=warning msg="Certificate expires in 6 days" cn=api.example.com',
        'warn',
      ],
      ['time="2024-05-14T09:21:09Z" level=info msg="error budget ok" remaining=0.97', 'info'],
      ['INFO[0000] Starting server                               port=8080', 'info'],
    ],
  },
  {
    name: 'glog-klog',
    doc: 'https://github.com/google/glog#log-line-prefix-format ("Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg"); https://github.com/kubernetes/klog',
    header: 'Lmmdd hh:mm:ss.uuuuuu thread file:line]',
    level: 'I W E F as the first letter',
    trace: 'go',
    examples: [
      ['I0514 09:21:07.412345       1 main.go:61] Starting controller manager v1.30.1', 'info'],
      [
        'W0514 09:21:07.498812       1 client_config.go:659] Neither --kubeconfig nor --master was specified.',
        'warn',
      ],
      ['E0514 09:21:08.000001       1 reflector.go:147] Failed to watch *v1.Pod', 'error'],
      ['F0514 09:21:09.000001       1 main.go:80] cannot start', 'fatal'],
    ],
  },
  {
    name: 'go-runtime',
    doc: 'https://pkg.go.dev/runtime (panic and fatal error output; GOTRACEBACK)',
    header: 'panic: msg | fatal error: msg | goroutine N [state]:',
    level: 'a panic or fatal error is fatal',
    trace: 'go',
    examples: [
      ['panic: runtime error: index out of range [5] with length 3', 'fatal'],
      ['fatal error: all goroutines are asleep - deadlock!', 'fatal'],
      [
        '2024/05/14 09:21:07 http: panic serving 10.0.0.1:51234: runtime error: invalid memory address',
        'error',
      ],
      ['2024/05/14 09:21:07 open config.yaml: no such file or directory', 'none'],
    ],
  },
  {
    name: 'hclog',
    doc: 'https://github.com/hashicorp/go-hclog ("time [LEVEL]  name: msg")',
    header: 'ISO8601 [LEVEL]',
    level: 'TRACE DEBUG INFO WARN ERROR in brackets',
    examples: [['2024-05-14T09:21:07.412Z [ERROR] agent: failed to sync', 'error']],
  },
  {
    name: 'cockroachdb',
    doc: 'https://www.cockroachlabs.com/docs/stable/log-formats (crdb-v1/crdb-v2: "Lyymmdd hh:mm:ss.uuuuuu goid file:line ⋮ [tags] counter msg")',
    header: 'letter, YYMMDD, time, goroutine id, file:line',
    level: 'I W E F (glog letters) then six digits',
    examples: [
      ['W240514 09:21:07.412345 78 server/status/runtime.go:300 ⋮ [n1] 2  disk slowness detected', 'warn'],
      ['E240514 09:21:08.412345 90 kv/kvserver/replica.go:100 ⋮ [n1,s1] 3  snapshot failed', 'error'],
      ['F240514 09:21:09.412345 91 storage/pebble.go:900 ⋮ [n1] 4  disk stall detected', 'fatal'],
      ['I240514 09:21:10.412345 1 server/server.go:1500 ⋮ [n1] 5  error reporting enabled', 'info'],
    ],
  },
  {
    name: 'clickhouse',
    doc: 'https://clickhouse.com/docs/en/operations/server-configuration-parameters/settings#logger (server log: "YYYY.MM.DD hh:mm:ss.uuuuuu [ thread ] {query_id} <Level> logger: msg")',
    header: 'YYYY.MM.DD time, [ thread id ], {query id}, <Level>',
    level: 'Trace Debug Information Notice Warning Error Critical Fatal in angle brackets',
    examples: [
      [
        '2024.05.14 09:21:07.412345 [ 46 ] {5e1f-9a} <Error> executeQuery: Code: 60. DB::Exception: Unknown table',
        'error',
      ],
      [
        '2024.05.14 09:21:08.412345 [ 45 ] {} <Warning> Context: transparent hugepages are set to "always"',
        'warn',
      ],
      ['2024.05.14 09:21:09.412345 [ 1 ] {} <Information> Application: Ready for connections.', 'info'],
      ['2024.05.14 09:21:10.412345 [ 47 ] {} <Debug> executeQuery: SELECT count() FROM errors', 'debug'],
      ['2024.05.14 09:21:11.412345 [ 48 ] {} <Fatal> BaseDaemon: Received signal 11', 'fatal'],
    ],
  },
  {
    name: 'bsd-syslog-daemon-severity',
    doc: 'postfix msg(3) (https://www.postfix.org/postconf.5.html#notify_classes; "warning:", "error:", "fatal:", "panic:" prefixes); OpenSSH log.c (error:/fatal:); Dovecot https://doc.dovecot.org/admin_manual/logging/ ("Error:", "Warning:", "Fatal:")',
    header: 'Mmm dd hh:mm:ss host tag[pid]: [sub-process: ]',
    level: 'warning error fatal panic (any first-letter case) plus a colon, right after the tag',
    examples: [
      ['May 14 09:21:07 mx1 postfix/smtpd[4321]: warning: hostname mail.example does not resolve', 'warn'],
      ['May 14 09:21:08 mx1 postfix/master[1]: fatal: bind 0.0.0.0 port 25: Address already in use', 'fatal'],
      ['May 14 09:21:09 mx1 dovecot: imap(alice)<77><xyz>: Error: Mailbox Sent: open failed', 'error'],
      ['May 14 09:21:10 gw sshd[918]: error: maximum authentication attempts exceeded for root', 'error'],
      [
        'May 14 09:21:11 gw sshd[918]: Failed password for invalid user admin from 10.0.0.7 port 5555',
        'none',
      ],
      [
        'May 14 09:21:12 mx1 postfix/smtp[1300]: 4ABC: to=<a@b.c>, status=bounced (host said: 550 error)',
        'none',
      ],
    ],
  },
  {
    name: 'windows-event-text',
    doc: 'https://learn.microsoft.com/en-us/windows/win32/eventlog/event-types (Event Viewer "Save All Events As… Text (Tab delimited)": Level, Date and Time, Source, Event ID, Task Category, message)',
    header: 'Level<TAB>date time<TAB>source<TAB>event id',
    level: 'Information Warning Error Critical Verbose, the first tab-separated column',
    examples: [
      [
        'Error\t5/14/2024 9:21:07 AM\tService Control Manager\t7000\tNone\tThe Spooler service failed to start',
        'error',
      ],
      [
        'Critical\t5/14/2024 9:21:08 AM\tKernel-Power\t41\t(63)\tThe system has rebooted without cleanly shutting down',
        'fatal',
      ],
      ['Warning\t5/14/2024 9:21:09 AM\tDNS Client Events\t1014\t(1014)\tName resolution timed out', 'warn'],
      [
        'Information\t5/14/2024 9:21:10 AM\tService Control Manager\t7036\tNone\tThe service entered the running state',
        'info',
      ],
    ],
  },
  {
    name: 'jenkins',
    doc: 'https://www.jenkins.io/doc/book/system-administration/viewing-logs/ (jenkins.util.logging SupportLogFormatter: "ts [id=N]<TAB>LEVEL<TAB>logger#method: msg", java.util.logging levels)',
    header: 'ISO date time+zone, [id=thread], TAB',
    level: 'SEVERE WARNING INFO CONFIG FINE FINER FINEST, tab-separated after the thread id',
    trace: 'java',
    examples: [
      [
        '2024-05-14 09:21:07.412+0000 [id=50]\tSEVERE\thudson.model.Executor#finish1: Executor threw an exception',
        'error',
      ],
      [
        '2024-05-14 09:21:08.412+0000 [id=45]\tWARNING\thudson.model.UpdateCenter#updateDefaultSite: Upgrading',
        'warn',
      ],
      [
        '2024-05-14 09:21:09.412+0000 [id=32]\tINFO\tjenkins.InitReactorRunner$1#onAttained: Completed initialization',
        'info',
      ],
    ],
  },
  {
    name: 'nestjs',
    doc: 'https://docs.nestjs.com/techniques/logger (ConsoleLogger: "[Nest] pid  - date, time   LEVEL [Context] message"; levels log error warn debug verbose fatal)',
    header: '[Nest] pid - locale date and time, padded LEVEL, [Context]',
    level: 'LOG (info) ERROR WARN DEBUG VERBOSE (trace) FATAL, right-aligned before [Context]',
    trace: 'node',
    examples: [
      [
        '[Nest] 4242  - 05/14/2024, 9:21:07 AM   ERROR [ExceptionsHandler] Cannot read properties of undefined',
        'error',
      ],
      ['[Nest] 4242  - 05/14/2024, 9:21:08 AM    WARN [ConfigService] Missing env SMTP_HOST +1ms', 'warn'],
      [
        '[Nest] 4242  - 05/14/2024, 9:21:09 AM     LOG [RoutesResolver] ErrorController {/errors}: +2ms',
        'info',
      ],
      ['[Nest] 4242  - 05/14/2024, 9:21:10 AM   DEBUG [Cache] miss key=user:1', 'debug'],
      ['[Nest] 4242  - 05/14/2024, 9:21:11 AM VERBOSE [Cache] detail', 'trace'],
    ],
  },
  {
    name: 'hclog-legacy',
    doc: 'https://developer.hashicorp.com/consul/docs/agent (pre-hclog Consul/Vault/Nomad output: Go log "date time [LEVEL] name: msg", indented by the agent\'s log writer)',
    header: 'indent, YYYY/MM/DD hh:mm:ss [LEVEL]',
    level: 'TRACE DEBUG INFO WARN ERR in brackets; the indented header is a record of its own',
    examples: [
      ['    2024/05/14 09:21:07 [ERR] memberlist: probe of node-3 failed', 'error'],
      ['    2024/05/14 09:21:08 [WARN] raft: election timeout reached, restarting election', 'warn'],
      ['    2024/05/14 09:21:09 [INFO] serf: EventMemberJoin: node-4 10.0.0.4', 'info'],
    ],
  },
  {
    name: 'logfmt',
    doc: 'https://brandur.org/logfmt; go-kit log, log15 (lvl=eror/crit), Grafana',
    header: 'key=value pairs',
    level: 'level= lvl= severity= log.level=',
    examples: [
      ['level=error ts=2024-05-14T09:21:07.412Z caller=main.go:12 msg="scrape failed"', 'error'],
      ['t=2024-05-14T09:21:07+0000 lvl=eror msg="Failed to send alert"', 'error'],
      ['ts=2024-05-14T09:21:07Z msg="done" error_count=0', 'none'],
    ],
  },
  // ── Rust ──────────────────────────────────────────────────────────────────────────────────────
  {
    name: 'rust-log',
    doc: 'https://docs.rs/env_logger ("[time LEVEL target] msg"); https://docs.rs/tracing-subscriber/latest/tracing_subscriber/fmt/ ("time  LEVEL target: msg")',
    header: '[ISO8601 LEVEL target] | ISO8601 LEVEL span: target:',
    level: 'TRACE DEBUG INFO WARN ERROR',
    trace: 'rust',
    examples: [
      ['[2024-05-14T09:21:07Z INFO  orders_svc] listening on 0.0.0.0:8080', 'info'],
      [
        '2024-05-14T09:21:09.551002Z ERROR request{method=POST uri=/v1/orders}: orders_svc::api: handler failed',
        'error',
      ],
    ],
  },
  {
    name: 'rust-panic',
    doc: 'https://doc.rust-lang.org/std/macro.panic.html and std::backtrace (RUST_BACKTRACE=1: "stack backtrace:", "note: …")',
    header: "thread 'name' [(tid)] panicked at file:line:col:",
    level: 'a panic is fatal',
    trace: 'rust',
    examples: [
      ["thread 'main' panicked at src/config.rs:41:10:", 'fatal'],
      ["thread 'main' (9251) panicked at p.rs:1:45:", 'fatal'],
    ],
  },
  {
    name: 'rustc-cargo',
    doc: 'https://doc.rust-lang.org/rustc/json.html (diagnostic levels error, warning; human output "error[E0425]: …")',
    header: 'level[code]: | level:',
    level: 'error warning',
    examples: [
      ['error[E0425]: cannot find value `x` in this scope', 'error'],
      ['warning: unused variable: `y`', 'warn'],
      ['   Compiling serde v1.0.200', 'none'],
    ],
  },
  // ── Node.js ───────────────────────────────────────────────────────────────────────────────────
  {
    name: 'pino-bunyan',
    doc: 'https://getpino.io/#/docs/api?id=levels (10 trace … 60 fatal); https://github.com/trentm/node-bunyan#levels',
    header: 'JSON {"level":N,…}',
    level: 'numbers 10 20 30 40 50 60',
    examples: [
      [
        '{"level":30,"time":1715678467412,"pid":7,"hostname":"api","msg":"Server listening at http://0.0.0.0:3000"}',
        'info',
      ],
      [
        '{"name":"billing","hostname":"b","pid":1,"level":60,"msg":"uncaught exception, process exiting","v":0}',
        'fatal',
      ],
    ],
  },
  {
    name: 'pino-pretty',
    doc: 'https://github.com/pinojs/pino-pretty ("[time] LEVEL (pid): msg")',
    header: '[time] LEVEL (pid):',
    level: 'TRACE DEBUG INFO WARN ERROR FATAL after the time brackets',
    trace: 'node',
    examples: [['[09:21:07.412] INFO (7): Server listening at http://0.0.0.0:3000', 'info']],
  },
  {
    name: 'winston',
    doc: 'https://github.com/winstonjs/winston#logging-levels (npm levels; simple format "level: message")',
    header: 'level: | JSON level',
    level: 'error warn info http verbose debug silly (lower-case verbose is debug)',
    examples: [
      ['info: Worker 3 picked up job 5521 {"queue":"emails"}', 'info'],
      [
        '{"level":"error","message":"Failed to reach payment gateway: ETIMEDOUT","service":"orders"}',
        'error',
      ],
      ['{"level":"verbose","message":"cache probe"}', 'debug'],
    ],
  },
  {
    name: 'node-errors',
    doc: 'https://nodejs.org/api/errors.html#errorstack ("Name: message" then "    at …" frames); uncaught-exception report with source line, caret and "Node.js vX" footer',
    header: 'ErrorName: message | file:line (crash report)',
    level: 'an error is error; (node:pid) …Warning is warn',
    trace: 'node',
    examples: [
      ["Error: ENOENT: no such file or directory, open '/app/config/local.json'", 'error'],
      ["TypeError: Cannot read properties of undefined (reading 'id')", 'error'],
      ['(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.', 'warn'],
      ['    at Object.openSync (node:fs:573:18)', 'none'],
    ],
  },
  // ── Ruby, PHP, .NET, others ───────────────────────────────────────────────────────────────────
  {
    name: 'ruby-logger',
    doc: 'https://ruby-doc.org/3.3/stdlibs/logger/Logger/Formatter.html ("SeverityID, [DateTime #pid] SeverityLabel -- ProgName: message")',
    header: 'L, [ISO8601 #pid] LEVEL -- progname:',
    level: 'D I W E F A as the first letter',
    trace: 'ruby',
    examples: [
      ['I, [2024-05-14T09:21:07.412345 #1]  INFO -- : Refreshed 312 exchange rates', 'info'],
      [
        "E, [2024-05-14T09:21:09.771002 #1] ERROR -- : undefined method `id' for nil (NoMethodError)",
        'error',
      ],
    ],
  },
  {
    name: 'ruby-exception',
    doc: 'https://docs.ruby-lang.org/en/3.4/Exception.html#method-i-full_message ("file:line:in \'method\': message (Class)" then "\\tfrom …")',
    header:
      "file:line:in `method': message (ClassName) | Rails ' Name (message):' (one space in), indented frames",
    level: 'an uncaught exception is error',
    trace: 'ruby',
    examples: [
      ["/app/lib/worker.rb:12:in 'Worker#run': undefined method 'id' for nil (NoMethodError)", 'error'],
      ["app.rb:2:in `/': divided by 0 (ZeroDivisionError)", 'error'],
    ],
  },
  {
    name: 'monolog',
    doc: 'https://github.com/Seldaek/monolog/blob/main/doc/01-usage.md (LineFormatter "[%datetime%] %channel%.%level_name%: %message%")',
    header: '[datetime] channel.LEVEL:',
    level: 'DEBUG INFO NOTICE WARNING ERROR CRITICAL ALERT EMERGENCY after the channel',
    trace: 'php',
    examples: [
      ['[2024-05-14T09:21:07.412345+00:00] app.INFO: User 42 logged in {"ip":"203.0.113.7"} []', 'info'],
      ['[2024-05-14 09:21:07] local.ERROR: SQLSTATE[HY000] [2002] Connection refused', 'error'],
    ],
  },
  {
    name: 'php-errors',
    doc: 'https://www.php.net/manual/en/errorfunc.constants.php (error_log "PHP Fatal error:  …", "PHP Warning:  …")',
    header: '[date zone] PHP Kind:',
    level: 'Fatal error / Parse error fatal, Warning warn, Notice / Deprecated info',
    trace: 'php',
    examples: [
      ['PHP Fatal error:  Uncaught Exception: boom in /app/index.php:3', 'fatal'],
      ['[14-May-2024 09:21:07 UTC] PHP Warning:  Undefined variable $x in /app/index.php on line 3', 'warn'],
    ],
  },
  {
    name: 'dotnet-console',
    doc: 'https://learn.microsoft.com/en-us/dotnet/core/extensions/console-log-formatter (simple: "level: Category[EventId]"; trce dbug info warn fail crit)',
    header: 'lvl: Category[EventId] then an indented message',
    level: 'trce dbug info warn fail crit; the runtime\'s "Unhandled exception." is fatal',
    trace: 'dotnet',
    examples: [
      ['info: Microsoft.Hosting.Lifetime[14]', 'info'],
      ['fail: Microsoft.AspNetCore.Server.Kestrel[13]', 'error'],
      ['crit: Microsoft.AspNetCore.Hosting.Diagnostics[6]', 'fatal'],
      ['trce: Orders.Api[0]', 'trace'],
      ['dbug: Orders.Api[0]', 'debug'],
      [
        "Unhandled exception. System.IO.FileNotFoundException: Could not find file '/app/config.json'.",
        'fatal',
      ],
      ['      Now listening on: http://[::]:8080', 'none'],
    ],
  },
  {
    name: 'serilog',
    doc: 'https://github.com/serilog/serilog/wiki/Formatting-Output ("[{Timestamp:HH:mm:ss} {Level:u3}] {Message}"); CLEF https://clef-json.org/ (@l)',
    header: '[time LVL] | JSON @l',
    level: 'VRB DBG INF WRN ERR FTL; Verbose (below Debug: trace) Debug Information Warning Error Fatal',
    trace: 'dotnet',
    examples: [
      ['[09:21:07 INF] Starting web host', 'info'],
      ['{"@t":"2024-05-14T09:21:07.412Z","@mt":"Failed {Id}","@l":"Error","Id":7}', 'error'],
      [
        '{"@t":"2024-05-14T09:41:40.199Z","@mt":"error_count=0 ({OrderId})","@l":"Verbose","OrderId":7001}',
        'trace',
      ],
    ],
  },
  {
    name: 'ecs-otel-gcp-json',
    doc: 'https://www.elastic.co/guide/en/ecs/current/ecs-log.html (log.level); https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-severitynumber; https://cloud.google.com/logging/docs/structured-logging (severity)',
    header: 'JSON',
    level: '"log.level", "severityText"/"severityNumber" (1-24), "severity" (DEFAULT = no level)',
    examples: [
      [
        '{"@timestamp":"2024-05-14T09:21:07.412Z", "log.level": "WARN", "message":"high disk watermark"}',
        'warn',
      ],
      ['{"severityNumber":17,"severityText":"ERROR","body":"x"}', 'error'],
      ['{"severity":"WARNING","message":"quota at 90%"}', 'warn'],
      ['{"severity":"DEFAULT","message":"x"}', 'none'],
    ],
  },
  {
    name: 'elixir-logger',
    doc: 'https://hexdocs.pm/logger/Logger.Backends.Console.html (default format "\\n$time $metadata[$level] $message\\n"); crash reports from Logger.Translator (lib/logger/lib/logger/translator.ex) and Exception.format_banner ("** (Kind) reason")',
    header: 'time, metadata key=value pairs, [level] | "** (Kind) reason" for an uncaught exception',
    level:
      'debug info notice warning error critical alert emergency in brackets; a "** (…)" banner is error, and its frames and labelled lines (Last message:, State:, …) join the record',
    trace: 'elixir',
    examples: [
      ['09:21:07.412 [error] GenServer MyApp.Worker terminating', 'error'],
      ['09:21:07.412 request_id=F6x2 [warning] slow query took 812ms', 'warn'],
      ['2024-05-14 09:21:07.412 [notice] Application billing exited: :stopped', 'info'],
      ['** (ArgumentError) argument error', 'error'],
      ['** (exit) shutdown', 'error'],
      ['Last message: {:charge, 42}', 'none'],
    ],
  },
  {
    name: 'erlang-otp-report',
    doc: 'https://www.erlang.org/doc/apps/kernel/logger_formatter.html (legacy_header: "=ERROR REPORT==== 27-Jan-2018::10:11:12.987564 ==="); SASL crash, supervisor and progress reports (https://www.erlang.org/doc/apps/sasl/error_logging.html)',
    header: '=LEVEL REPORT==== d-Mmm-yyyy::hh:mm:ss.micros ===',
    level:
      'ERROR WARNING INFO NOTICE DEBUG CRITICAL ALERT EMERGENCY; CRASH and SUPERVISOR reports error, PROGRESS info; the report runs to the blank line after it',
    trace: 'erlang',
    examples: [
      ['=ERROR REPORT==== 14-May-2024::09:21:07.412345 ===', 'error'],
      ['=CRASH REPORT==== 14-May-2024::09:21:07.412345 ===', 'error'],
      ['=SUPERVISOR REPORT==== 14-May-2024::09:21:07 ===', 'error'],
      ['=WARNING REPORT==== 14-May-2024::09:21:07 ===', 'warn'],
      ['=INFO REPORT==== 14-May-2024::09:21:07 ===', 'info'],
      ['=PROGRESS REPORT==== 14-May-2024::09:21:07 ===', 'info'],
      ['=ERRORS==== not a header', 'none'],
    ],
  },
  {
    name: 'nextjs-cli',
    doc: 'Next.js packages/next/src/build/output/log.ts (prefixes: wait ○, error ⨯, warn ⚠, ready ▲, info, event ✓, trace »; printed as " " + prefix + " " + message); Next.js ≤ 13.4 "error - ", "warn  - ", "info  - "',
    header: 'space, one prefix character, space | level padded to 5, " - "',
    level: '⨯ error, ⚠ warn, ✓ ○ ▲ info, » trace; the indented frames of an error join it',
    trace: 'node',
    examples: [
      [" ⨯ TypeError: Cannot read properties of undefined (reading 'map')", 'error'],
      [' ⚠ Invalid next.config.js options detected: ', 'warn'],
      [' ✓ Compiled /api/errors in 412ms (301 modules)', 'info'],
      [' ○ Compiling /error ...', 'info'],
      ['error - ./pages/index.tsx:12:3', 'error'],
      ['warn  - Fast Refresh had to perform a full reload.', 'warn'],
      ['info  - Loaded env from /app/.env.local', 'info'],
      ['warn - unpadded, so not the format', 'none'],
    ],
  },
  {
    name: 'fluent-bit',
    doc: 'Fluent Bit src/flb_log.c ("[%Y/%m/%d %H:%M:%S] [level] [component] message"; the level right-aligned in five columns)',
    header: '[yyyy/mm/dd hh:mm:ss] [ level] [component]',
    level: 'error warn info debug trace, right-aligned inside the second brackets',
    examples: [
      ['[2024/05/14 09:21:08] [ warn] [engine] failed to flush chunk, retry in 7 seconds', 'warn'],
      ['[2024/05/14 09:21:09] [error] [output:es:es.0] HTTP status=400 URI=/_bulk', 'error'],
      ['[2024/05/14 09:21:07] [ info] [engine] flush succeeded at retry 1: errors=0', 'info'],
    ],
  },
  {
    name: 'fluentd',
    doc: 'https://docs.fluentd.org/deployment/logging ("yyyy-mm-dd hh:mm:ss +zone [level]: message")',
    header: 'date time numeric-zone [level]:',
    level: 'trace debug info warn error fatal in brackets after the zone',
    examples: [
      ['2024-05-14 09:21:08 +0000 [warn]: #0 failed to flush the buffer. retry_times=1', 'warn'],
      ['2024-05-14 09:21:12 +0000 [fatal]: #0 config error file="/fluentd/etc/fluent.conf"', 'fatal'],
      ['2024-05-14 09:21:11 +0000 [info]: #0 retry succeeded. chunk_id="61a2"', 'info'],
    ],
  },
  {
    name: 'mariadb',
    doc: 'https://mariadb.com/kb/en/error-log/#format ("yyyy-mm-dd hh:mm:ss thread [Label] message", the hour padded with a space)',
    header: 'yyyy-mm-dd, space-padded hh:mm:ss, thread id, [Label]',
    level: 'Note (info) Warning ERROR in brackets',
    examples: [
      ["2024-05-14  9:21:08 0 [Warning] Aborted connection 4 to db: 'shop'", 'warn'],
      ['2024-05-14  9:21:09 0 [ERROR] InnoDB: Operating system error number 13', 'error'],
      ['2024-05-14 10:21:11 0 [Note] mariadbd: ready for connections.', 'info'],
    ],
  },
  {
    name: 'supervisord',
    doc: 'https://supervisord.org/logging.html#activity-log-levels (activity log "date time,ms LEVEL message")',
    header: 'yyyy-mm-dd hh:mm:ss,ms LEVEL',
    level: 'CRIT (fatal) ERRO WARN INFO DEBG TRAC BLAT (trace)',
    examples: [
      ['2024-05-14 09:21:07,412 CRIT Supervisor is running as root.', 'fatal'],
      ['2024-05-14 09:21:11,340 ERRO pool worker event buffer overflowed', 'error'],
      ["2024-05-14 09:21:12,450 DEBG 'worker' stdout output: handled 0 errors", 'debug'],
      ['2024-05-14 09:21:14,670 BLAT read event caused by <PInputDispatcher>', 'trace'],
      ['2024-05-14 09:21:15,780 INFO gave up: worker entered FATAL state', 'info'],
    ],
  },
  {
    name: 'bind-named',
    doc: 'BIND 9 Administrator Reference Manual, logging statement: print-time, print-category and print-severity ("dd-Mon-yyyy hh:mm:ss.mmm category: severity: message"; critical error warning notice info "debug N" dynamic)',
    header: 'date time, category, colon',
    level: 'critical error warning notice info debug N, lower case, followed by a colon, after the category',
    examples: [
      [
        '14-May-2024 09:21:08.120 general: error: zone bad.example/IN: loading from master file failed',
        'error',
      ],
      ["14-May-2024 09:21:09.001 lame-servers: warning: timed out resolving 'example.net/A/IN'", 'warn'],
      ['14-May-2024 09:21:11.340 general: critical: exiting (due to fatal error)', 'fatal'],
      ['14-May-2024 09:21:12.450 resolver: debug 1: fetch: errors.example/A', 'debug'],
      ['14-May-2024 09:21:07.412 general: zone example.com/IN: loaded serial 1 with 0 errors', 'none'],
    ],
  },
  {
    name: 'unbound',
    doc: 'https://unbound.docs.nlnetlabs.nl/en/latest/manpages/unbound.conf.html (logfile lines "[epoch] unbound[pid:thread] severity: message")',
    header: '[epoch] program[pid:thread]',
    level: 'info notice warning error debug, lower case with a colon, after the program and its pid',
    examples: [
      ['[1715678469] unbound[812:1] warning: so-rcvbuf 1048576 was not granted.', 'warn'],
      ["[1715678470] unbound[812:0] error: can't bind socket: Address already in use", 'error'],
      ['[1715678472] unbound[812:0] info: server stats for thread 0: 0 errors', 'info'],
    ],
  },
  {
    name: 'gelf-nextcloud-json',
    doc: 'GELF 1.1 (https://go2docs.graylog.org/current/getting_in_log_data/gelf.html: "level" is the syslog severity); Nextcloud\'s nextcloud.log (https://docs.nextcloud.com/server/latest/admin_manual/configuration_server/logging_configuration.html: "level" 0 DEBUG … 4 FATAL); .NET\'s LogLevel written as its number (https://learn.microsoft.com/dotnet/api/microsoft.extensions.logging.loglevel: 0 Trace … 5 Critical, 6 None; a JSON logger provider\'s README, JsonStreamLogger: {"Category":…,"LogLevel":2,"EventId":{…},…})',
    header:
      'JSON {"version":"1.1","short_message":…,"level":N} | {"reqId":…,"level":N,…} | {"LogLevel":N,"EventId":…,…}',
    level:
      'GELF or beside a syslog facility: 0-2 fatal, 3 error, 4 warn, 5-6 info, 7 debug; Nextcloud (a reqId key): 0 debug, 1 info, 2 warn, 3 error, 4 fatal; .NET (a LogLevel key, or EventId / MessageTemplate beside): 0 trace, 1 debug, 2 info, 3 warn, 4 error, 5 fatal; a number 0-7 in a record that names no library: none',
    examples: [
      [
        '{"version":"1.1","host":"web1","short_message":"disk full","timestamp":1715678467.4,"level":2}',
        'fatal',
      ],
      ['{"version":"1.1","host":"web1","short_message":"cache miss","level":7}', 'debug'],
      [
        '{"reqId":"a1b2","level":1,"time":"2024-05-14T09:21:07+00:00","app":"files","message":"0 errors","version":"28.0.4.1"}',
        'info',
      ],
      [
        '{"reqId":"a1b3","level":0,"time":"2024-05-14T09:21:08+00:00","app":"core","message":"debug trace"}',
        'debug',
      ],
      [
        '{"reqId":"a1b4","level":3,"time":"2024-05-14T09:21:09+00:00","app":"core","message":"Exception"}',
        'error',
      ],
      [
        '{"reqId":"a1b5","level":4,"time":"2024-05-14T09:21:10+00:00","app":"core","message":"Fatal"}',
        'fatal',
      ],
      [
        '{"Category":"Test","LogLevel":2,"EventId":{"Id":0,"Name":null},"State":{"Id":12345},"Exception":null,"Message":"[12345] is Konnnichiwa"}',
        'info',
      ],
      [
        '{"Category":"Test","LogLevel":3,"EventId":{"Id":987,"Name":"NanikaEvent"},"Exception":null,"Message":"[67890] is Nya-n"}',
        'warn',
      ],
      ['{"level":0,"time":"2024-05-14T09:21:10Z","msg":"a scale no key names"}', 'none'],
    ],
  },
  {
    name: 'consola-json',
    doc: "consola's log object as JSON (https://github.com/unjs/consola examples/json.ts: a reporter writing JSON.stringify(logObj); src/constants.ts LogLevels: 0 fatal and error, 1 warn, 2 log, 3 info, 4 debug, 5 trace)",
    header: 'JSON {"date":…,"args":[…],"type":"info","level":3,"tag":…}',
    level:
      '"level" on consola\'s scale when the record has its args array and type: 0 error (fatal when type is fatal), 1 warn, 2-3 info, 4 debug, 5 trace',
    examples: [
      ['{"date":"2024-05-14T09:21:07.412Z","args":["Build ready"],"type":"info","level":3,"tag":""}', 'info'],
      [
        '{"date":"2024-05-14T09:21:07.412Z","args":["Build failed"],"type":"error","level":0,"tag":""}',
        'error',
      ],
      [
        '{"date":"2024-05-14T09:21:07.412Z","args":["Out of memory"],"type":"fatal","level":0,"tag":""}',
        'fatal',
      ],
      ['{"date":"2024-05-14T09:21:07.412Z","args":["deprecated"],"type":"warn","level":1,"tag":""}', 'warn'],
      ['{"date":"2024-05-14T09:21:07.412Z","args":["cache hit"],"type":"debug","level":4,"tag":""}', 'debug'],
      ['{"date":"2024-05-14T09:21:07.412Z","args":["resolve"],"type":"trace","level":5,"tag":""}', 'trace'],
    ],
  },
  {
    name: 'log4js-json',
    doc: 'log4js\' logEvent as JSON (https://github.com/log4js-node/log4js-node/blob/master/docs/layouts.md, "Adding your own layouts": JSON.stringify(logEvent); its Level {level, levelStr, colour}); log4js-json-layout (https://github.com/id0Sch/log4js-json-layout: the level as its word)',
    header: 'JSON {"startTime":…,"categoryName":…,"data":[…],"level":{"level":20000,"levelStr":"INFO"},…}',
    level: '"level" object: its levelStr word (TRACE DEBUG INFO WARN ERROR FATAL); or the word itself',
    examples: [
      [
        '{"startTime":"2024-05-14T09:21:07.412Z","categoryName":"json-test","data":["this is just a test"],"level":{"level":20000,"levelStr":"INFO"},"context":{}}',
        'info',
      ],
      [
        '{"startTime":"2024-05-14T09:21:07.412Z","categoryName":"develop","data":["Cheese is too ripe!"],"level":{"level":40000,"levelStr":"ERROR","colour":"red"},"context":{},"pid":69466}',
        'error',
      ],
      [
        '{"startTime":"2024-05-14T09:21:07.412Z","categoryName":"redis-client.js","level":"DEBUG","data":"Connection to Redis successful!"}',
        'debug',
      ],
    ],
  },
  {
    name: 'mysql-json',
    doc: 'MySQL 8 JSON error log, log_sink_json (https://dev.mysql.com/doc/refman/8.0/en/error-log-format.html; prio in https://dev.mysql.com/doc/refman/8.0/en/error-log-event-fields.html: 0 System, 1 Error, 2 Warning, 3 Note)',
    header: 'JSON { "prio" : N, "err_code" : …, "msg" : …, "time" : …, "err_symbol" : …, "label" : … }',
    level: '"prio" when the record carries err_symbol or label: 0 System info, 1 error, 2 warn, 3 Note info',
    examples: [
      [
        '{ "prio" : 1, "err_code" : 10886, "msg" : "Aborting", "time" : "2024-05-14T09:21:07.412345Z", "err_symbol" : "ER_ABORTING", "label" : "Error" }',
        'error',
      ],
      [
        '{ "prio" : 2, "err_code" : 10068, "msg" : "CA certificate ca.pem is self signed.", "time" : "2024-05-14T09:21:07.412345Z", "err_symbol" : "ER_CA_SELF_SIGNED", "label" : "Warning" }',
        'warn',
      ],
      [
        '{ "prio" : 3, "err_code" : 10051, "msg" : "Event Scheduler: scheduler thread started with id 5", "time" : "2024-05-14T09:21:07.412345Z", "label" : "Note" }',
        'info',
      ],
      ['{"prio":1,"msg":"job queued","queue":"mail"}', 'none'],
    ],
  },
  {
    name: 'gitea',
    doc: 'https://docs.gitea.com/administration/logging-config ("date time file:line:func() [L] message")',
    header: 'yyyy/mm/dd hh:mm:ss, caller file:line:func(), [L]',
    level: 'T D I W E C F in brackets after the caller (C critical and F fatal: fatal)',
    examples: [
      ['2024/05/14 09:21:09 ...s/graceful/manager.go:103:func1() [E] Failed to start server', 'error'],
      [
        '2024/05/14 09:21:08 ...ules/setting/oauth2.go:153:loadOAuth2From() [W] OAuth2 JWT secret missing',
        'warn',
      ],
      ['2024/05/14 09:21:07 cmd/web.go:242:runWeb() [I] Starting Gitea: 0 errors', 'info'],
    ],
  },
  {
    name: 'glusterfs',
    doc: 'https://docs.gluster.org/en/latest/Administrator-Guide/Logging/ ("[timestamp] Level [MSGID: id] [file:line:function] domain: message")',
    header: '[yyyy-mm-dd hh:mm:ss.micros +zone] L [MSGID: n] [file:line:function]',
    level: 'T D I W E C (C critical: fatal), one letter between the time and the next brackets',
    examples: [
      [
        '[2024-05-14 09:21:09.001000 +0000] E [MSGID: 106187] [glusterd-store.c:4580:resolve] 0-glusterd: failed',
        'error',
      ],
      [
        '[2024-05-14 09:21:10.230000 +0000] C [rpc-clnt-ping.c:162:expired] 0-vol-client-0: no reply',
        'fatal',
      ],
      [
        '[2024-05-14 09:21:07.412345 +0000] I [MSGID: 100030] [glusterfsd.c:2865:main] 0-glusterd: 0 errors',
        'info',
      ],
    ],
  },
  {
    name: 'ansible',
    doc: 'ansible lib/ansible/utils/display.py ("[WARNING]: ", "[DEPRECATION WARNING]: ", "ERROR! " ≤ 2.18, "[ERROR]: " ≥ 2.19; log_path format "%(asctime)s p=%(process)d u=%(user)s n=%(name)s | %(message)s", 2.19 adds "%(levelname)s|"; its colour-to-level map: error colour → ERROR); default callback "fatal: [host]: FAILED! => {…}"',
    header: 'the display line | asctime p=pid u=user n=name [LEVEL]| display line',
    level:
      '[WARNING]: and [DEPRECATION WARNING]: warn, ERROR! and [ERROR]: error, "fatal: [host]: FAILED!/UNREACHABLE!" error (a failed task, not a fatal process)',
    examples: [
      ['[WARNING]: Platform linux on host web1 is using the discovered Python interpreter', 'warn'],
      ['[DEPRECATION WARNING]: The include module is deprecated. This feature will be removed', 'warn'],
      ["ERROR! the role 'nginx' was not found in /etc/ansible/roles", 'error'],
      ["[ERROR]: Task failed: Module failed: No package matching 'nginxx' is available", 'error'],
      ['fatal: [db1]: FAILED! => {"changed": false, "msg": "No package matching \'pgsql\'"}', 'error'],
      ['fatal: [db2]: UNREACHABLE! => {"changed": false, "unreachable": true}', 'error'],
      ['ok: [web1] => {"msg": "0 errors"}', 'none'],
      [
        '2024-05-14 09:21:07,412 p=4242 u=deploy n=ansible | [WARNING]: Could not match supplied host pattern',
        'warn',
      ],
      ['2024-05-14 09:21:08,412 p=4242 u=deploy n=ansible | fatal: [web2]: FAILED! => {"rc": 1}', 'error'],
      ['2024-05-14 09:21:09,412 p=4242 u=deploy n=ansible | changed: [web1]', 'none'],
      ['2024-05-14 09:21:10,412 p=4242 u=deploy n=ansible WARNING| Skipping plugin', 'warn'],
    ],
  },
];
