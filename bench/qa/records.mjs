// A held-out QA set for level detection and grouping (issue 14): families that are neither in the table
// (src/pipeline/formats/families.ts) nor in the corpus (fixtures/corpus/families) when it was written.
// Every record follows its family's documented layout (the `doc` of each family); levels are the
// record's own level field, `none` where the format has none (shipped as info). A record of several
// lines must come out as one event. Scored by bench/qa/score.mjs; not used to tune single lines.
//
// Record: [level, line] or [level, [line, …]].

const T = '\t';

export const FAMILIES = [
  {
    name: 'cassandra',
    doc: 'Cassandra conf/logback.xml: "%-5level [%thread] %date{ISO8601} %F:%L - %msg%n"',
    records: [
      ['info', 'INFO  [main] 2024-05-14 09:21:07,412 CassandraDaemon.java:617 - Startup complete'],
      [
        'info',
        'INFO  [ScheduledTasks:1] 2024-05-14 09:21:08,001 StatusLogger.java:65 - Pool Name  Active  Pending  Completed  Blocked  All Time Blocked',
      ],
      [
        'warn',
        'WARN  [Native-Transport-Requests-3] 2024-05-14 09:21:09,120 NoSpamLogger.java:108 - Query SELECT * FROM ks.t LIMIT 5000 ALLOW FILTERING; exceeded failure threshold',
      ],
      [
        'warn',
        'WARN  [GossipTasks:1] 2024-05-14 09:21:10,500 FailureDetector.java:288 - Not marking nodes down due to local pause of 8123ms > 5000ms',
      ],
      [
        'error',
        [
          'ERROR [CompactionExecutor:7] 2024-05-14 09:21:11,004 CassandraDaemon.java:244 - Exception in thread Thread[CompactionExecutor:7,1,main]',
          'java.lang.RuntimeException: Tried to hard link to file that does not exist /var/lib/cassandra/data/ks/t/nb-12-big-Data.db',
          '\tat org.apache.cassandra.io.util.FileUtils.createHardLink(FileUtils.java:185)',
          '\tat org.apache.cassandra.db.compaction.CompactionTask.runMayThrow(CompactionTask.java:220)',
          '\tat java.base/java.lang.Thread.run(Thread.java:829)',
        ],
      ],
      [
        'info',
        'INFO  [CompactionExecutor:7] 2024-05-14 09:21:12,200 CompactionTask.java:241 - Compacted 4 sstables to [nb-13]; 0 errors',
      ],
      [
        'debug',
        'DEBUG [MemtableFlushWriter:2] 2024-05-14 09:21:13,300 Memtable.java:456 - Writing Memtable-t@1@1',
      ],
      [
        'error',
        'ERROR [Native-Transport-Requests-1] 2024-05-14 09:21:14,010 ErrorMessage.java:384 - Unexpected exception during request',
      ],
      [
        'info',
        'INFO  [HintsDispatcher:1] 2024-05-14 09:21:15,120 HintsDispatchExecutor.java:282 - Finished hinted handoff of file 1a2b.hints to endpoint /10.0.0.3: failed=false',
      ],
      [
        'warn',
        'WARN  [main] 2024-05-14 09:21:16,200 StartupChecks.java:143 - JMX is not enabled to receive remote connections',
      ],
    ],
  },
  {
    name: 'quarkus',
    doc: 'https://quarkus.io/guides/logging (default console format "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n")',
    records: [
      [
        'info',
        '2024-05-14 09:21:07,412 INFO  [io.quarkus] (main) code-with-quarkus 1.0.0-SNAPSHOT on JVM (powered by Quarkus 3.10.0) started in 1.204s. Listening on: http://0.0.0.0:8080',
      ],
      [
        'info',
        '2024-05-14 09:21:07,413 INFO  [io.quarkus] (main) Installed features: [cdi, rest, smallrye-health]',
      ],
      [
        'warn',
        '2024-05-14 09:21:08,101 WARN  [io.qua.config] (main) Unrecognized configuration key "quarkus.http.cors" was provided',
      ],
      [
        'error',
        [
          '2024-05-14 09:21:09,220 ERROR [io.qua.ver.htt.run.QuarkusErrorHandler] (executor-thread-1) HTTP Request to /orders failed, error id: 7f3c-1',
          'java.lang.IllegalArgumentException: order id must be positive',
          '\tat org.acme.OrderResource.get(OrderResource.java:31)',
          '\tat org.acme.OrderResource$quarkusrestinvoker$get_1.invoke(Unknown Source)',
          '\tat io.quarkus.vertx.core.runtime.VertxCoreRecorder$14.runWith(VertxCoreRecorder.java:635)',
        ],
      ],
      [
        'info',
        '2024-05-14 09:21:10,300 INFO  [org.acm.OrderService] (executor-thread-2) retry after error succeeded for order 42',
      ],
      [
        'debug',
        '2024-05-14 09:21:11,400 DEBUG [org.hib.SQL] (executor-thread-2) select o1_0.id from orders o1_0 where o1_0.status=?',
      ],
      [
        'fatal',
        '2024-05-14 09:21:12,500 FATAL [io.qua.run.Application] (main) Failed to start application (with profile [prod])',
      ],
      [
        'info',
        '2024-05-14 09:21:13,600 INFO  [io.quarkus] (Shutdown thread) code-with-quarkus stopped in 0.021s',
      ],
      [
        'trace',
        '2024-05-14 09:21:14,700 TRACE [org.acm.Cache] (executor-thread-3) probe key=user:7 hit=false',
      ],
    ],
  },
  {
    name: 'wildfly',
    doc: 'https://docs.wildfly.org/32/Admin_Guide.html#Logging (default pattern "%d{HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n")',
    records: [
      [
        'info',
        '09:21:07,412 INFO  [org.jboss.as] (MSC service thread 1-2) WFLYSRV0049: WildFly Full 32.0.0.Final (WildFly Core 24.0.0.Final) starting',
      ],
      [
        'warn',
        '09:21:08,120 WARN  [org.jboss.as.txn] (ServerService Thread Pool -- 76) WFLYTX0013: The node-identifier attribute on the /subsystem=transactions is set to the default value',
      ],
      [
        'error',
        '09:21:09,001 ERROR [org.jboss.as.controller.management-operation] (Controller Boot Thread) WFLYCTL0013: Operation ("deploy") failed - address: ([("deployment" => "app.war")])',
      ],
      [
        'info',
        '09:21:10,230 INFO  [org.jboss.as.server] (ServerService Thread Pool -- 45) WFLYSRV0010: Deployed "errors-dashboard.war" (runtime-name : "errors-dashboard.war")',
      ],
      [
        'debug',
        '09:21:11,340 DEBUG [org.jboss.weld.Bootstrap] (Weld Thread Pool -- 3) WELD-000119: Not generating any bean definitions',
      ],
      [
        'error',
        [
          '09:21:12,450 ERROR [io.undertow.request] (default task-1) UT005023: Exception handling request to /app/api/orders',
          'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null',
          '\tat com.acme.api.OrderEndpoint.create(OrderEndpoint.java:44)',
          '\tat io.undertow.servlet.handlers.ServletHandler.handleRequest(ServletHandler.java:74)',
        ],
      ],
      [
        'info',
        '09:21:13,560 INFO  [org.jboss.as] (Controller Boot Thread) WFLYSRV0025: WildFly Full 32.0.0.Final started in 4211ms - Started 512 of 740 services',
      ],
      [
        'fatal',
        '09:21:14,670 FATAL [org.jboss.as.server] (Controller Boot Thread) WFLYSRV0056: Server boot has failed in an unrecoverable manner; exiting.',
      ],
    ],
  },
  {
    name: 'jetty-stderrlog',
    doc: 'https://www.eclipse.org/jetty/javadoc/jetty-9/org/eclipse/jetty/util/log/StdErrLog.html ("timestamp:LEVEL:logger:thread: message")',
    records: [
      [
        'info',
        '2024-05-14 09:21:07.412:INFO::main: Logging initialized @512ms to org.eclipse.jetty.util.log.StdErrLog',
      ],
      ['info', '2024-05-14 09:21:07.600:INFO:oejs.Server:main: jetty-9.4.54.v20240208; built: 2024-02-08'],
      [
        'warn',
        '2024-05-14 09:21:08.001:WARN:oejw.WebAppContext:main: Failed startup of context o.e.j.w.WebAppContext@5a2e4553{/,null,UNAVAILABLE}',
      ],
      [
        'info',
        '2024-05-14 09:21:08.300:INFO:oejs.AbstractConnector:main: Started ServerConnector@3f0ee7cb{HTTP/1.1}{0.0.0.0:8080}',
      ],
      [
        // a group's level is the highest of its lines' and its trace's (issue 14): the attached trace is error
        'error',
        [
          '2024-05-14 09:21:09.500:WARN:oejs.HttpChannel:qtp1-20: /api/errors',
          'java.io.IOException: Broken pipe',
          '\tat java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)',
          '\tat org.eclipse.jetty.io.ChannelEndPoint.flush(ChannelEndPoint.java:279)',
        ],
      ],
      ['debug', '2024-05-14 09:21:10.600:DBUG:oejs.session:main: sessionIdManager=DefaultSessionIdManager@1'],
      ['info', '2024-05-14 09:21:11.700:INFO:oejs.Server:main: Started @3120ms'],
    ],
  },
  {
    name: 'akka-classic',
    doc: 'https://doc.akka.io/docs/akka/current/logging.html (StdOutLogger: "[LEVEL] [date time] [thread] [logSource] message")',
    records: [
      ['info', '[INFO] [05/14/2024 09:21:07.412] [main] [akka.event.slf4j.Slf4jLogger] Slf4jLogger started'],
      [
        'warn',
        '[WARN] [05/14/2024 09:21:08.120] [orders-akka.actor.default-dispatcher-5] [akka://orders/user/router] received dead letter from Actor[akka://orders/user/ingest#1]',
      ],
      [
        'error',
        '[ERROR] [05/14/2024 09:21:09.001] [orders-akka.actor.default-dispatcher-3] [akka://orders/user/payments] Payment gateway timed out after 5 seconds',
      ],
      [
        'debug',
        '[DEBUG] [05/14/2024 09:21:10.230] [orders-akka.actor.default-dispatcher-2] [akka://orders/system] now supervising Actor[akka://orders/user/errors#7]',
      ],
      [
        'info',
        '[INFO] [05/14/2024 09:21:11.340] [orders-akka.actor.default-dispatcher-4] [akka://orders/user/reporter] 0 errors in the last window',
      ],
      [
        'error',
        [
          '[ERROR] [05/14/2024 09:21:12.450] [orders-akka.actor.default-dispatcher-6] [akka://orders/user/parser] boom',
          'java.lang.IllegalStateException: boom',
          '\tat com.acme.Parser$$anonfun$receive$1.applyOrElse(Parser.scala:21)',
          '\tat akka.actor.Actor.aroundReceive(Actor.scala:537)',
        ],
      ],
    ],
  },
  {
    name: 'sbt-play-dev',
    doc: 'https://www.scala-sbt.org/1.x/docs/Howto-Logging.html (sbt console "[info] ", "[warn] ", "[error] ", "[success] " prefixes); Play dev mode runs inside sbt',
    records: [
      ['info', '[info] welcome to sbt 1.9.9 (Eclipse Adoptium Java 17.0.10)'],
      ['info', '[info] loading settings for project root from build.sbt ...'],
      ['warn', '[warn] there were 3 deprecation warnings; re-run with -deprecation for details'],
      ['error', '[error] /app/app/controllers/HomeController.scala:14:5: not found: value Ok2'],
      ['error', '[error] (Compile / compileIncremental) Compilation failed'],
      ['info', '[success] Total time: 12 s, completed May 14, 2024, 9:21:07 AM'],
      ['info', '[info] p.c.s.AkkaHttpServer - Listening for HTTP on /[0:0:0:0:0:0:0:0]:9000'],
      ['warn', '[warn] a.a.CoordinatedShutdown - Could not register Runtime shutdown hook'],
      [
        'info',
        '[info] compiling 4 Scala sources to /app/target/scala-2.13/classes ... (error handling module)',
      ],
    ],
  },
  {
    name: 'fluent-bit-self',
    doc: 'Fluent Bit src/flb_log.c ("[%Y/%m/%d %H:%M:%S] [level] [component] message", level right-aligned in 5: "[ info]", "[ warn]", "[error]", "[debug]", "[trace]")',
    records: [
      ['info', '[2024/05/14 09:21:07] [ info] [fluent bit] version=3.0.4, commit=3e2b8b, pid=1'],
      ['info', '[2024/05/14 09:21:07] [ info] [storage] ver=1.5.2, type=memory, sync=normal, checksum=off'],
      ['info', '[2024/05/14 09:21:07] [ info] [input:tail:tail.0] initializing'],
      ['warn', '[2024/05/14 09:21:08] [ warn] [input:tail:tail.0] error scanning path: /var/log/app/*.log'],
      [
        'error',
        '[2024/05/14 09:21:09] [error] [output:es:es.0] HTTP status=400 URI=/_bulk, response: {"errors":true}',
      ],
      [
        'warn',
        "[2024/05/14 09:21:09] [ warn] [engine] failed to flush chunk '1-1715678469.123.flb', retry in 7 seconds",
      ],
      ['debug', '[2024/05/14 09:21:10] [debug] [out flush] cb_destroy coro_id=12'],
      [
        'info',
        '[2024/05/14 09:21:11] [ info] [engine] flush chunk succeeded at retry 1: task_id=0, errors=0',
      ],
      [
        'error',
        "[2024/05/14 09:21:12] [error] [engine] chunk '1-1715678470.2.flb' cannot be retried: task_id=1",
      ],
      ['trace', '[2024/05/14 09:21:13] [trace] [io] connection #42 to es:9200 is connected'],
    ],
  },
  {
    name: 'fluentd',
    doc: 'https://docs.fluentd.org/deployment/logging ("time [level]: message"; levels trace debug info warn error fatal)',
    records: [
      [
        'info',
        '2024-05-14 09:21:07 +0000 [info]: parsing config file is succeeded path="/fluentd/etc/fluent.conf"',
      ],
      ['info', '2024-05-14 09:21:07 +0000 [info]: #0 starting fluentd worker pid=17 ppid=7 worker=0'],
      [
        'warn',
        '2024-05-14 09:21:08 +0000 [warn]: #0 failed to flush the buffer. retry_times=1 next_retry_time=2024-05-14 09:21:10 +0000 chunk="61a2" error_class=Errno::ECONNREFUSED',
      ],
      [
        'error',
        '2024-05-14 09:21:09 +0000 [error]: #0 unexpected error on reading data host="10.0.0.2" port=51122 error_class=MessagePack::MalformedFormatError',
      ],
      [
        'debug',
        '2024-05-14 09:21:10 +0000 [debug]: #0 fluent/log.rb:309:debug: Created new chunk chunk_id="61a3"',
      ],
      ['info', '2024-05-14 09:21:11 +0000 [info]: #0 retry succeeded. chunk_id="61a2"'],
      [
        'fatal',
        '2024-05-14 09:21:12 +0000 [fatal]: #0 config error file="/fluentd/etc/fluent.conf" error="unknown parameter"',
      ],
      ['trace', '2024-05-14 09:21:13 +0000 [trace]: #0 enqueueing all chunks in buffer instance=1'],
    ],
  },
  {
    name: 'logstash',
    doc: 'https://www.elastic.co/guide/en/logstash/current/logging.html (log4j2.properties "[%d{ISO8601}][%-5p][%-25c]%notEmpty{[%X{pipeline.id}]}%notEmpty{[%X{plugin.id}]} %m%n")',
    records: [
      [
        'info',
        '[2024-05-14T09:21:07,412][INFO ][logstash.runner          ] Starting Logstash {"logstash.version"=>"8.13.4"}',
      ],
      [
        'warn',
        '[2024-05-14T09:21:08,120][WARN ][logstash.outputs.elasticsearch][main] Attempted to resurrect connection to dead ES instance, but got an error',
      ],
      [
        'error',
        '[2024-05-14T09:21:09,001][ERROR][logstash.agent           ] Failed to execute action {:action=>LogStash::PipelineAction::Create/pipeline_id:main}',
      ],
      [
        'info',
        '[2024-05-14T09:21:10,230][INFO ][logstash.javapipeline    ][main] Pipeline started {"pipeline.id"=>"main"}',
      ],
      [
        'debug',
        '[2024-05-14T09:21:11,340][DEBUG][logstash.filters.grok    ][main] Grok compiled OK {:pattern=>"%{ERRORCODE}"}',
      ],
      ['fatal', '[2024-05-14T09:21:12,450][FATAL][logstash.runner          ] An unexpected error occurred!'],
      [
        'info',
        '[2024-05-14T09:21:13,560][INFO ][logstash.agent           ] Pipelines running {:count=>1, :non_running_pipelines=>[]}',
      ],
    ],
  },
  {
    name: 'nats-server',
    doc: 'https://docs.nats.io/running-a-nats-service/configuration/logging ("[pid] date time [LVL] message"; INF WRN ERR FTL DBG TRC)',
    records: [
      ['info', '[1] 2024/05/14 09:21:07.412345 [INF] Starting nats-server'],
      ['info', '[1] 2024/05/14 09:21:07.412400 [INF]   Version:  2.10.14'],
      ['info', '[1] 2024/05/14 09:21:07.500000 [INF] Listening for client connections on 0.0.0.0:4222'],
      [
        'warn',
        '[1] 2024/05/14 09:21:08.100000 [WRN] 10.0.0.7:53210 - cid:12 - Readloop processing time: 2.1s',
      ],
      ['error', '[1] 2024/05/14 09:21:09.200000 [ERR] 10.0.0.8:40112 - cid:13 - authentication error'],
      ['debug', '[1] 2024/05/14 09:21:10.300000 [DBG] 10.0.0.9:40200 - cid:14 - Client connection created'],
      ['trace', '[1] 2024/05/14 09:21:11.400000 [TRC] 10.0.0.9:40200 - cid:14 - <<- [PING]'],
      [
        'fatal',
        '[1] 2024/05/14 09:21:12.500000 [FTL] Error listening on port: 0.0.0.0:4222, "address already in use"',
      ],
      ['info', '[1] 2024/05/14 09:21:13.600000 [INF] Server is ready (0 errors so far)'],
    ],
  },
  {
    name: 'haproxy-startup',
    doc: 'https://docs.haproxy.org/2.8/management.html (messages on stderr: "[NOTICE]   (pid) : …", "[WARNING]  (pid) : …", "[ALERT]    (pid) : …")',
    records: [
      ['info', '[NOTICE]   (1) : New worker (8) forked'],
      ['info', '[NOTICE]   (1) : Loading success.'],
      [
        'warn',
        '[WARNING]  (8) : Server be_app/app2 is DOWN, reason: Layer4 connection problem, info: "Connection refused"',
      ],
      ['warn', "[WARNING]  (1) : config : missing timeouts for backend 'be_errors'."],
      [
        'fatal',
        "[ALERT]    (1) : config : parsing [/usr/local/etc/haproxy/haproxy.cfg:31] : unknown keyword 'timout'",
      ],
      ['fatal', '[ALERT]    (1) : config : Fatal errors found in configuration.'],
      ['info', '[NOTICE]   (1) : haproxy version is 2.8.9-1842fd0'],
    ],
  },
  {
    name: 'envoy',
    doc: 'https://www.envoyproxy.io/docs/envoy/latest/operations/cli#cmdoption-log-format (default "[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v")',
    records: [
      [
        'info',
        '[2024-05-14 09:21:07.412][1][info][main] [source/server/server.cc:430] initializing epoch 0 (base id=0)',
      ],
      [
        'info',
        '[2024-05-14 09:21:07.500][1][info][main] [source/server/server.cc:950] starting main dispatch loop',
      ],
      [
        'warn',
        '[2024-05-14 09:21:08.120][1][warning][config] [source/extensions/config_subscription/grpc/grpc_stream.h:152] StreamAggregatedResources gRPC config stream closed: 14, upstream connect error',
      ],
      [
        'error',
        '[2024-05-14 09:21:09.001][17][error][upstream] [source/common/upstream/health_checker_impl.cc:300] health check failed for errors-svc',
      ],
      [
        'fatal',
        '[2024-05-14 09:21:10.230][1][critical][main] [source/server/server.cc:131] error initializing configuration',
      ],
      [
        'debug',
        '[2024-05-14 09:21:11.340][20][debug][http] [source/common/http/conn_manager_impl.cc:391] [C4][S1] request end stream',
      ],
      [
        'trace',
        '[2024-05-14 09:21:12.450][20][trace][connection] [source/common/network/connection_impl.cc:574] [C4] socket event: 3',
      ],
    ],
  },
  {
    name: 'coredns',
    doc: 'https://coredns.io/plugins/log/ and https://coredns.io/plugins/errors/ ("[INFO] …", "[WARNING] …", "[ERROR] plugin/errors: …")',
    records: [
      ['info', '[INFO] plugin/reload: Running configuration SHA512 = 4a1f0f7d'],
      ['info', 'CoreDNS-1.11.1'],
      [
        'info',
        '[INFO] 10.244.0.7:41234 - 5512 "A IN errors.example.org. udp 36 false 512" NXDOMAIN qr,rd,ra 129 0.0023s',
      ],
      ['warn', '[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API'],
      [
        'error',
        '[ERROR] plugin/errors: 2 api.example.org. AAAA: read udp 10.244.0.5:51234->10.96.0.10:53: i/o timeout',
      ],
      ['info', '[INFO] SIGTERM: Shutting down servers then terminating'],
      ['fatal', '[FATAL] plugin/loop: Loop (127.0.0.1:53 -> :53) detected for zone "."'],
    ],
  },
  {
    name: 'caddy-json',
    doc: 'https://caddyserver.com/docs/logging (zap JSON: "level", "ts", "logger", "msg")',
    records: [
      [
        'info',
        '{"level":"info","ts":1715678467.412,"msg":"using config from file","file":"/etc/caddy/Caddyfile"}',
      ],
      [
        'info',
        '{"level":"info","ts":1715678467.5,"logger":"http.log.access","msg":"handled request","status":503,"err_id":"x1"}',
      ],
      [
        'warn',
        '{"level":"warn","ts":1715678468.1,"logger":"http","msg":"HTTP/2 skipped because it requires TLS","server_name":"srv0"}',
      ],
      [
        'error',
        '{"level":"error","ts":1715678469.0,"logger":"http.handlers.reverse_proxy","msg":"aborting with incomplete response","error":"EOF"}',
      ],
      [
        'debug',
        '{"level":"debug","ts":1715678470.2,"logger":"tls.cache","msg":"added certificate to cache"}',
      ],
      [
        'fatal',
        '{"level":"fatal","ts":1715678471.3,"msg":"loading initial config: listen tcp :443: bind: permission denied"}',
      ],
    ],
  },
  {
    name: 'etcd-json',
    doc: 'https://etcd.io/docs/v3.5/op-guide/configuration/ (--logger zap, JSON "level" debug info warn error panic fatal)',
    records: [
      [
        'info',
        '{"level":"info","ts":"2024-05-14T09:21:07.412Z","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":["etcd"]}',
      ],
      [
        'warn',
        '{"level":"warn","ts":"2024-05-14T09:21:08.120Z","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"212ms"}',
      ],
      [
        'error',
        '{"level":"error","ts":"2024-05-14T09:21:09.001Z","caller":"rafthttp/peer.go:320","msg":"failed to send out heartbeat on time"}',
      ],
      [
        'info',
        '{"level":"info","ts":"2024-05-14T09:21:10.230Z","caller":"mvcc/index.go:214","msg":"compact tree index","revision":1200,"errors":0}',
      ],
      [
        'fatal',
        '{"level":"fatal","ts":"2024-05-14T09:21:11.340Z","caller":"etcdmain/etcd.go:204","msg":"discovery failed","error":"member not found"}',
      ],
      [
        'fatal',
        '{"level":"panic","ts":"2024-05-14T09:21:12.450Z","caller":"backend/backend.go:190","msg":"failed to open database"}',
      ],
    ],
  },
  {
    name: 'traefik',
    doc: 'https://doc.traefik.io/traefik/observability/logs/ (v2 logrus text "time=… level=… msg=…"; v3 zerolog console "time LVL msg")',
    records: [
      ['info', 'time="2024-05-14T09:21:07Z" level=info msg="Configuration loaded from flags."'],
      [
        'error',
        'time="2024-05-14T09:21:08Z" level=error msg="service \\"api\\" error: unable to find the IP address" providerName=docker',
      ],
      ['warn', 'time="2024-05-14T09:21:09Z" level=warning msg="No domain found in rule PathPrefix(`/`)"'],
      ['info', '2024-05-14T09:21:10Z INF Traefik version 3.0.0 built on 2024-04-29T14:25:59Z version=3.0.0'],
      [
        'error',
        '2024-05-14T09:21:11Z ERR Error while starting server error="accept tcp [::]:80: use of closed network connection"',
      ],
      ['warn', '2024-05-14T09:21:12Z WRN Could not find network for the container, using default network'],
      ['debug', '2024-05-14T09:21:13Z DBG Filtering disabled container providerName=docker'],
    ],
  },
  {
    name: 'airflow',
    doc: 'https://airflow.apache.org/docs/apache-airflow/stable/administration-and-deployment/logging-monitoring/logging-tasks.html (LOG_FORMAT "[%(asctime)s] {%(filename)s:%(lineno)d} %(levelname)s - %(message)s")',
    records: [
      [
        'info',
        '[2024-05-14T09:21:07.412+0000] {taskinstance.py:1979} INFO - Dependencies all met for dep_context=non-requeueable',
      ],
      [
        'info',
        '[2024-05-14T09:21:07.500+0000] {standard_task_runner.py:60} INFO - Started process 4242 to run task',
      ],
      [
        'warn',
        '[2024-05-14T09:21:08.120+0000] {taskinstance.py:2051} WARNING - No retries left for task extract',
      ],
      [
        'error',
        [
          '[2024-05-14T09:21:09.001+0000] {taskinstance.py:2698} ERROR - Task failed with exception',
          'Traceback (most recent call last):',
          '  File "/opt/airflow/dags/etl.py", line 21, in extract',
          '    rows = fetch()',
          'ConnectionRefusedError: [Errno 111] Connection refused',
        ],
      ],
      [
        'info',
        '[2024-05-14T09:21:10.230+0000] {taskinstance.py:1138} INFO - Marking task as FAILED. dag_id=etl, task_id=extract',
      ],
      [
        'info',
        '[2024-05-14T09:21:11.340+0000] {local_task_job_runner.py:234} INFO - Task exited with return code 1',
      ],
      [
        'critical',
        '[2024-05-14T09:21:12.450+0000] {scheduler_job_runner.py:870} CRITICAL - Exception when executing SchedulerJob._run_scheduler_loop',
      ],
    ].map(([l, r]) => [l === 'critical' ? 'fatal' : l, r]),
  },
  {
    name: 'sidekiq',
    doc: 'https://github.com/sidekiq/sidekiq/wiki/Logging (Sidekiq::Logger::Formatters::Pretty: "time pid=N tid=X [class=… jid=…] LEVEL: message")',
    records: [
      [
        'info',
        '2024-05-14T09:21:07.412Z pid=1 tid=2fhk INFO: Booted Rails 7.1.3 application in production environment',
      ],
      ['info', '2024-05-14T09:21:07.500Z pid=1 tid=2fhk INFO: Starting processing, hit Ctrl-C to stop'],
      ['info', '2024-05-14T09:21:08.120Z pid=1 tid=2g1a class=ReportJob jid=b4a2 INFO: start'],
      ['info', '2024-05-14T09:21:08.900Z pid=1 tid=2g1a class=ReportJob jid=b4a2 elapsed=0.78 INFO: done'],
      [
        'warn',
        '2024-05-14T09:21:09.001Z pid=1 tid=2g1b class=MailJob jid=c5d1 WARN: Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>',
      ],
      ['error', '2024-05-14T09:21:09.100Z pid=1 tid=2g1b class=MailJob jid=c5d1 elapsed=5.01 ERROR: fail'],
      ['debug', '2024-05-14T09:21:10.230Z pid=1 tid=2g1c DEBUG: Firing heartbeat'],
      ['info', '2024-05-14T09:21:11.340Z pid=1 tid=2g1d class=ErrorDigestJob jid=d6e2 INFO: start'],
    ],
  },
  {
    name: 'scrapy',
    doc: 'https://docs.scrapy.org/en/latest/topics/settings.html#log-format (LOG_FORMAT "%(asctime)s [%(name)s] %(levelname)s: %(message)s")',
    records: [
      ['info', '2024-05-14 09:21:07 [scrapy.utils.log] INFO: Scrapy 2.11.1 started (bot: shop)'],
      ['info', '2024-05-14 09:21:07 [scrapy.core.engine] INFO: Spider opened'],
      [
        'debug',
        '2024-05-14 09:21:08 [scrapy.core.engine] DEBUG: Crawled (200) <GET https://example.com/errors> (referer: None)',
      ],
      [
        'debug',
        '2024-05-14 09:21:08 [scrapy.core.engine] DEBUG: Crawled (404) <GET https://example.com/missing> (referer: None)',
      ],
      [
        'warn',
        '2024-05-14 09:21:09 [py.warnings] WARNING: /app/shop/spiders/s.py:12: ScrapyDeprecationWarning: old api',
      ],
      [
        'error',
        [
          '2024-05-14 09:21:10 [scrapy.core.scraper] ERROR: Spider error processing <GET https://example.com/p/1> (referer: None)',
          'Traceback (most recent call last):',
          '  File "/app/shop/spiders/s.py", line 30, in parse',
          '    price = float(resp.css(".price::text").get())',
          "TypeError: float() argument must be a string or a real number, not 'NoneType'",
        ],
      ],
      [
        'info',
        "2024-05-14 09:21:11 [scrapy.statscollectors] INFO: Dumping Scrapy stats: {'log_count/ERROR': 1}",
      ],
      ['fatal', '2024-05-14 09:21:12 [twisted] CRITICAL: Unhandled error in Deferred:'],
    ],
  },
  {
    name: 'odoo',
    doc: 'https://www.odoo.com/documentation/17.0/developer/reference/cli.html#logging (format "%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s")',
    records: [
      ['info', '2024-05-14 09:21:07,412 4242 INFO ? odoo: Odoo version 17.0-20240514'],
      ['info', '2024-05-14 09:21:07,500 4242 INFO shop odoo.modules.loading: loading 1 modules...'],
      [
        'warn',
        '2024-05-14 09:21:08,120 4242 WARNING shop odoo.addons.base.models.ir_mail_server: Mail delivery failed via SMTP server',
      ],
      ['error', '2024-05-14 09:21:09,001 4242 ERROR shop odoo.sql_db: bad query: SELECT * FROM errors_log'],
      [
        'info',
        '2024-05-14 09:21:10,230 4242 INFO shop werkzeug: 10.0.0.7 - - [14/May/2024 09:21:10] "POST /web/dataset/call_kw HTTP/1.1" 500 - 3 0.002 0.015',
      ],
      [
        'fatal',
        '2024-05-14 09:21:11,340 4242 CRITICAL shop odoo.service.server: Failed to initialize database `shop`.',
      ],
      ['debug', '2024-05-14 09:21:12,450 4242 DEBUG shop odoo.models: field errors_count computed'],
    ],
  },
  {
    name: 'home-assistant',
    doc: 'https://www.home-assistant.io/integrations/logger/ (log format "%(asctime)s.%(msecs)03d %(levelname)s (%(threadName)s) [%(name)s] %(message)s")',
    records: [
      ['info', '2024-05-14 09:21:07.412 INFO (MainThread) [homeassistant.setup] Setting up http'],
      [
        'warn',
        '2024-05-14 09:21:08.120 WARNING (MainThread) [homeassistant.loader] We found a custom integration hacs which has not been tested',
      ],
      [
        'error',
        '2024-05-14 09:21:09.001 ERROR (MainThread) [homeassistant.components.mqtt] Failed to connect to MQTT server due to exception: [Errno 111]',
      ],
      [
        'error',
        [
          '2024-05-14 09:21:10.230 ERROR (MainThread) [homeassistant.config_entries] Error setting up entry Hue for hue',
          'Traceback (most recent call last):',
          '  File "/usr/src/homeassistant/homeassistant/config_entries.py", line 575, in async_setup',
          '    result = await component.async_setup_entry(hass, self)',
          'aiohue.errors.Unauthorized: Unauthorized',
        ],
      ],
      [
        'info',
        '2024-05-14 09:21:11.340 INFO (SyncWorker_3) [homeassistant.loader] Loaded errors_dashboard from custom_components',
      ],
      [
        'fatal',
        '2024-05-14 09:21:12.450 CRITICAL (MainThread) [homeassistant.bootstrap] Home Assistant core failed to initialize.',
      ],
      ['debug', '2024-05-14 09:21:13.560 DEBUG (MainThread) [custom_components.x] poll ok'],
    ],
  },
  {
    name: 'tidb',
    doc: 'https://github.com/tikv/rfcs/blob/master/text/0018-unified-log-format.md (unified log format "[date time zone] [LEVEL] [file:line] [message] [key=value]…")',
    records: [
      [
        'info',
        '[2024/05/14 09:21:07.412 +00:00] [INFO] [printer.go:54] ["Welcome to TiDB."] ["Release Version"=v8.1.0]',
      ],
      [
        'warn',
        '[2024/05/14 09:21:08.120 +00:00] [WARN] [session.go:1234] ["run statement failed"] [error="[planner:1054]Unknown column"]',
      ],
      [
        'error',
        '[2024/05/14 09:21:09.001 +00:00] [ERROR] [client.go:321] ["[pd] fetch pending tso requests error"] [error="context canceled"]',
      ],
      [
        'fatal',
        '[2024/05/14 09:21:10.230 +00:00] [FATAL] [main.go:700] ["failed to create the server"] [error="address already in use"]',
      ],
      [
        'info',
        '[2024/05/14 09:21:11.340 +00:00] [INFO] [ddl_worker.go:900] ["[ddl] finish DDL job"] [errors=0]',
      ],
      ['debug', '[2024/05/14 09:21:12.450 +00:00] [DEBUG] [coprocessor.go:800] ["send batch requests"]'],
    ],
  },
  {
    name: 'aws-lambda',
    doc: 'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html (text format "timestamp<TAB>requestId<TAB>LEVEL<TAB>message"); https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html ("[LEVEL]<TAB>timestamp<TAB>requestId<TAB>message"); START/END/REPORT platform lines',
    records: [
      ['none', 'START RequestId: 8f5c1a2e-4b1d-4e2a-9a3f-0c1d2e3f4a5b Version: $LATEST'],
      [
        'info',
        `2024-05-14T09:21:07.412Z${T}8f5c1a2e-4b1d-4e2a-9a3f-0c1d2e3f4a5b${T}INFO${T}processing order 42`,
      ],
      [
        'warn',
        `2024-05-14T09:21:07.500Z${T}8f5c1a2e-4b1d-4e2a-9a3f-0c1d2e3f4a5b${T}WARN${T}inventory low for sku 9`,
      ],
      [
        'error',
        `2024-05-14T09:21:07.600Z${T}8f5c1a2e-4b1d-4e2a-9a3f-0c1d2e3f4a5b${T}ERROR${T}Invoke Error ${T}{"errorType":"Error","errorMessage":"boom"}`,
      ],
      ['none', 'END RequestId: 8f5c1a2e-4b1d-4e2a-9a3f-0c1d2e3f4a5b'],
      [
        'none',
        'REPORT RequestId: 8f5c1a2e-4b1d-4e2a-9a3f-0c1d2e3f4a5b	Duration: 201.43 ms	Billed Duration: 202 ms',
      ],
      [
        'info',
        `[INFO]${T}2024-05-14T09:21:08.120Z${T}1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6${T}Found 0 errors in batch`,
      ],
      [
        'error',
        `[ERROR]${T}2024-05-14T09:21:08.200Z${T}1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6${T}Failed to write item 7`,
      ],
      [
        'warn',
        `[WARNING]${T}2024-05-14T09:21:08.300Z${T}1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6${T}Retrying DynamoDB put`,
      ],
    ],
  },
  {
    name: 'go-log-prefix',
    doc: 'https://pkg.go.dev/log#New (prefix before the date; with Lmsgprefix after it) and log.Lshortfile',
    records: [
      ['error', 'ERROR: 2024/05/14 09:21:07 db.go:41: connection refused'],
      ['info', 'INFO: 2024/05/14 09:21:07 main.go:22: listening on :8080'],
      ['warn', 'WARNING: 2024/05/14 09:21:08 cache.go:90: eviction rate high'],
      ['error', '2024/05/14 09:21:09 ERROR: failed to parse config: unexpected EOF'],
      ['info', '2024/05/14 09:21:10 INFO: 3 workers started'],
      ['none', '2024/05/14 09:21:11 handler.go:55: request finished with status 500'],
      [
        'none',
        '2024/05/14 09:21:12 retrying after error: dial tcp 10.0.0.2:5432: connect: connection refused',
      ],
    ],
  },
  {
    name: 'deno',
    doc: 'https://docs.deno.com/runtime/fundamentals/debugging/ (uncaught errors: "error: Uncaught (in promise) Name: message" then "    at …" frames)',
    records: [
      ['none', 'Listening on http://0.0.0.0:8000/'],
      ['none', 'Task start deno run --allow-net main.ts'],
      [
        'error',
        [
          "error: Uncaught (in promise) TypeError: Cannot read properties of undefined (reading 'id')",
          '    at handler (file:///app/main.ts:12:21)',
          '    at ext:deno_http/00_serve.ts:377:24',
        ],
      ],
      ['none', 'Watcher Restarting! File change detected: "/app/main.ts"'],
      [
        'error',
        [
          'error: Uncaught Error: boom',
          '  throw new Error("boom");',
          '        ^',
          '    at file:///app/crash.ts:1:7',
        ],
      ],
      ['warn', 'Warning: "--unstable" flag is deprecated. Use granular --unstable-* flags instead'],
    ],
  },
  {
    name: 'android-logcat-long',
    doc: 'https://developer.android.com/tools/logcat#output-format ("long": "[ date time pid: tid P/tag ]" header, the message on the following lines, a blank line between entries)',
    records: [
      [
        'info',
        [
          '[ 05-14 09:21:07.412  1702: 2395 I/ActivityManager ]',
          'Start proc 4242:com.acme.shop/u0a123 for activity',
          '',
        ],
      ],
      [
        'error',
        [
          '[ 05-14 09:21:08.120  4242: 4242 E/AndroidRuntime ]',
          'FATAL EXCEPTION: main',
          'Process: com.acme.shop, PID: 4242',
          '',
        ],
      ],
      [
        'warn',
        [
          '[ 05-14 09:21:09.001  1702: 1720 W/ActivityManager ]',
          'Unable to start service Intent { act=x }',
          '',
        ],
      ],
      [
        'debug',
        ['[ 05-14 09:21:10.230  4242: 4260 D/OkHttp ]', '<-- 500 https://api.acme.com/orders (312ms)', ''],
      ],
      [
        'fatal',
        ['[ 05-14 09:21:11.340   312:  312 F/libc ]', 'Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR)', ''],
      ],
      ['trace', ['[ 05-14 09:21:12.450  4242: 4242 V/Choreographer ]', 'Skipped 0 frames; errors none', '']],
    ],
  },
  {
    name: 'solr',
    doc: 'https://solr.apache.org/guide/solr/latest/deployment-guide/configuring-logging.html (log4j2.xml "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p (%t) [%notEmpty{c:%X{collection}}…] %c{1.} %m%notEmpty{ =>%ex{short}}%n")',
    records: [
      [
        'info',
        '2024-05-14 09:21:07.412 INFO  (main) [   ] o.a.s.c.CoreContainer Loading cores into CoreContainer',
      ],
      [
        'warn',
        '2024-05-14 09:21:08.120 WARN  (main) [   ] o.a.s.c.CoreContainer Not all security plugins configured!',
      ],
      [
        'error',
        '2024-05-14 09:21:09.001 ERROR (qtp1-21) [c:orders s:shard1 r:core_node2 x:orders_shard1_replica_n1] o.a.s.h.RequestHandlerBase Server exception => org.apache.solr.common.SolrException: undefined field errors_count',
      ],
      [
        'info',
        '2024-05-14 09:21:10.230 INFO  (qtp1-22) [c:orders s:shard1] o.a.s.c.S.Request webapp=/solr path=/select params={q=error} hits=0 status=0 QTime=1',
      ],
      [
        'debug',
        '2024-05-14 09:21:11.340 DEBUG (main) [   ] o.a.s.u.SolrIndexConfig IndexWriter infoStream solr logging is enabled',
      ],
    ],
  },
  {
    name: 'micronaut-ansi',
    doc: 'https://docs.micronaut.io/latest/guide/#logging (generated logback.xml "%cyan(%d{HH:mm:ss.SSS}) %gray([%thread]) %highlight(%-5level) %magenta(%logger{36}) - %msg%n", ANSI colours on a terminal)',
    records: [
      [
        'info',
        '\x1b[36m09:21:07.412\x1b[0;39m \x1b[1;30m[main]\x1b[0;39m \x1b[34mINFO \x1b[0;39m \x1b[35mio.micronaut.runtime.Micronaut\x1b[0;39m - Startup completed in 812ms. Server Running: http://localhost:8080',
      ],
      [
        'warn',
        '\x1b[36m09:21:08.120\x1b[0;39m \x1b[1;30m[default-nioEventLoopGroup-1-2]\x1b[0;39m \x1b[31mWARN \x1b[0;39m \x1b[35mi.m.h.s.netty.RoutingInBoundHandler\x1b[0;39m - Unexpected error occurred: Connection reset',
      ],
      [
        'error',
        '\x1b[36m09:21:09.001\x1b[0;39m \x1b[1;30m[io-executor-thread-1]\x1b[0;39m \x1b[1;31mERROR\x1b[0;39m \x1b[35mi.m.http.server.RouteExecutor\x1b[0;39m - Unexpected error occurred: boom',
      ],
      [
        'debug',
        '\x1b[36m09:21:10.230\x1b[0;39m \x1b[1;30m[main]\x1b[0;39m \x1b[39mDEBUG\x1b[0;39m \x1b[35mi.m.context.DefaultBeanContext\x1b[0;39m - Resolving beans for type: ErrorHandler',
      ],
      [
        'info',
        '\x1b[36m09:21:11.340\x1b[0;39m \x1b[1;30m[main]\x1b[0;39m \x1b[34mINFO \x1b[0;39m \x1b[35mcom.acme.Jobs\x1b[0;39m - 0 failed jobs, fatal=false',
      ],
      [
        'trace',
        '\x1b[36m09:21:12.450\x1b[0;39m \x1b[1;30m[main]\x1b[0;39m \x1b[39mTRACE\x1b[0;39m \x1b[35mcom.acme.Cache\x1b[0;39m - probe',
      ],
    ],
  },
  {
    name: 'uwsgi',
    doc: 'https://uwsgi-docs.readthedocs.io/en/latest/Logging.html (uWSGI\'s own log lines carry no level; request lines "[pid: N|app: 0|req: 1/1] ip () {vars} [date] METHOD uri => generated … (HTTP/1.1 500)")',
    records: [
      ['none', '*** Starting uWSGI 2.0.25.1 (64bit) on [Tue May 14 09:21:07 2024] ***'],
      ['none', 'spawned uWSGI worker 1 (pid: 8, cores: 1)'],
      ['none', '--- no python application found, check your startup logs for errors ---'],
      [
        'none',
        '[pid: 8|app: 0|req: 1/1] 10.0.0.7 () {34 vars in 512 bytes} [Tue May 14 09:21:08 2024] GET /error => generated 21 bytes in 3 msecs (HTTP/1.1 500) 2 headers in 84 bytes (1 switches on core 0)',
      ],
      ['none', 'DAMN ! worker 1 (pid: 8) died, killed by signal 9 :( trying respawn ...'],
      ['none', 'Respawned uWSGI worker 1 (new pid: 9)'],
      ['none', 'SIGINT/SIGTERM received...killing workers...'],
    ],
  },
  {
    name: 'mariadb',
    doc: 'https://mariadb.com/kb/en/error-log/#format ("yyyy-mm-dd hh:mm:ss thread [Label] message", the hour space-padded; labels Note, Warning, ERROR)',
    records: [
      ['info', '2024-05-14  9:21:07 0 [Note] Starting MariaDB 11.3.2-MariaDB source revision as process 1'],
      ['info', '2024-05-14  9:21:07 0 [Note] InnoDB: Completed initialization of buffer pool'],
      [
        'warn',
        "2024-05-14  9:21:08 0 [Warning] 'proxies_priv' entry '@% root@db1' ignored in --skip-name-resolve mode.",
      ],
      [
        'error',
        '2024-05-14  9:21:09 0 [ERROR] InnoDB: Operating system error number 13 in a file operation.',
      ],
      ['error', '2024-05-14 10:21:10 0 [ERROR] Aborting'],
      ['info', '2024-05-14 10:21:11 0 [Note] mariadbd: ready for connections. (0 errors at startup)'],
      [
        'warn',
        "2024-05-14 10:21:12 4 [Warning] Aborted connection 4 to db: 'shop' user: 'app' host: '10.0.0.7' (Got an error reading communication packets)",
      ],
    ],
  },
  {
    name: 'pgbouncer',
    doc: 'https://www.pgbouncer.org/config.html#log-settings (log lines "date time zone [pid] LEVEL message"; LOG, WARNING, ERROR, FATAL, DEBUG, NOISE)',
    records: [
      [
        'info',
        '2024-05-14 09:21:07.412 UTC [1] LOG kernel file descriptor limit: 1048576 (hard: 1048576); max_client_conn: 100',
      ],
      ['info', '2024-05-14 09:21:07.413 UTC [1] LOG listening on 0.0.0.0:6432'],
      [
        'info',
        '2024-05-14 09:21:08.120 UTC [1] LOG stats: 0 xacts/s, 0 queries/s, 0 client parses/s, errors 0',
      ],
      [
        'warn',
        '2024-05-14 09:21:09.001 UTC [1] WARNING C-0x55d1: shop/app@10.0.0.7:40112 pooler error: no more connections allowed (max_client_conn)',
      ],
      [
        'error',
        '2024-05-14 09:21:10.230 UTC [1] ERROR S: login failed: FATAL: password authentication failed for user "app"',
      ],
      [
        'fatal',
        '2024-05-14 09:21:11.340 UTC [1] FATAL @src/main.c:951 in function main(): could not load config file',
      ],
      ['debug', '2024-05-14 09:21:12.450 UTC [1] DEBUG C-0x55d1: shop/app@10.0.0.7:40112 pause_client'],
    ],
  },
  {
    name: 'gitlab-runner',
    doc: 'https://docs.gitlab.com/runner/configuration/advanced-configuration.html#the-global-section (log_format text: logrus TextFormatter without timestamps, "LEVEL: message  key=value")',
    records: [
      [
        'info',
        'Runtime platform                                    arch=amd64 os=linux pid=7 revision=535ced5f version=16.11.0',
      ],
      ['info', 'Starting multi-runner from /etc/gitlab-runner/config.toml...  builds=0 max_builds=4'],
      [
        'warn',
        "WARNING: Checking for jobs... failed                runner=aB3xYz status=couldn't execute POST against https://gitlab.example.com/api/v4/jobs/request",
      ],
      [
        'error',
        'ERROR: Failed to load config stat /etc/gitlab-runner/config.toml: no such file or directory  builder=omnibus',
      ],
      [
        'info',
        'Checking for jobs... received                       job=4242 repo_url=https://gitlab.example.com/acme/errors.git runner=aB3xYz',
      ],
      [
        'warn',
        'WARNING: Job failed: exit code 1                    duration_s=12.4 job=4242 project=17 runner=aB3xYz',
      ],
      [
        'fatal',
        'FATAL: Service run failed                           error=listen tcp :9252: bind: address already in use',
      ],
    ],
  },
  {
    name: 'supervisord',
    doc: 'https://supervisord.org/logging.html#activity-log-levels (activity log "date time,ms LEVEL message"; levels CRIT ERRO WARN INFO DEBG TRAC BLAT)',
    records: [
      [
        'fatal',
        '2024-05-14 09:21:07,412 CRIT Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.',
      ],
      ['info', '2024-05-14 09:21:07,500 INFO supervisord started with pid 1'],
      ['info', "2024-05-14 09:21:08,510 INFO spawned: 'worker' with pid 8"],
      [
        'info',
        '2024-05-14 09:21:09,520 INFO success: worker entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)',
      ],
      ['warn', '2024-05-14 09:21:10,230 WARN exited: worker (exit status 1; not expected)'],
      ['error', '2024-05-14 09:21:11,340 ERRO pool worker event buffer overflowed, discarding event 42'],
      ['debug', "2024-05-14 09:21:12,450 DEBG 'worker' stdout output: handled 0 errors"],
      ['trace', '2024-05-14 09:21:13,560 TRAC fd 7 closed, stopped monitoring <POutputDispatcher>'],
      [
        'trace',
        '2024-05-14 09:21:14,670 BLAT read event caused by <PInputDispatcher at 0x7f for <Subprocess at 0x7f with name worker>>',
      ],
      [
        'info',
        '2024-05-14 09:21:15,780 INFO gave up: worker entered FATAL state, too many start retries too quickly',
      ],
    ],
  },
  {
    name: 'journal-short-iso',
    doc: 'https://www.freedesktop.org/software/systemd/man/latest/journalctl.html#short-iso ("date host identifier[pid]: message"; the priority is not printed)',
    records: [
      [
        'none',
        '2024-05-14T09:21:07+0000 web1 systemd[1]: Started nginx.service - A high performance web server and a reverse proxy server.',
      ],
      [
        'none',
        '2024-05-14T09:21:08+0000 web1 kernel: Out of memory: Killed process 4242 (java) total-vm:8123456kB',
      ],
      [
        'none',
        '2024-05-14T09:21:09+0000 web1 systemd[1]: app.service: Main process exited, code=exited, status=1/FAILURE',
      ],
      ['none', "2024-05-14T09:21:10+0000 web1 systemd[1]: app.service: Failed with result 'exit-code'."],
      [
        'none',
        '2024-05-14T09:21:11+0000 web1 sudo[812]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/journalctl -p err',
      ],
      ['none', '2024-05-14T09:21:12+0000 web1 CRON[901]: (root) CMD (/usr/local/bin/error-report)'],
    ],
  },
  {
    name: 'php-fpm',
    doc: 'https://www.php.net/manual/en/install.fpm.configuration.php (error_log of the master: "[dd-Mmm-yyyy hh:mm:ss] LEVEL: message"; log_level alert error warning notice debug)',
    records: [
      ['info', '[14-May-2024 09:21:07] NOTICE: fpm is running, pid 1'],
      ['info', '[14-May-2024 09:21:07] NOTICE: ready to handle connections'],
      [
        'warn',
        '[14-May-2024 09:21:08] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it',
      ],
      [
        'warn',
        '[14-May-2024 09:21:09] WARNING: [pool www] child 31 said into stderr: "PHP message: error rendering view"',
      ],
      [
        'error',
        "[14-May-2024 09:21:10] ERROR: unable to bind listening socket for address '127.0.0.1:9000': Address already in use (98)",
      ],
      ['fatal', '[14-May-2024 09:21:11] ALERT: [pool www] user has not been defined'],
      [
        'debug',
        '[14-May-2024 09:21:12] DEBUG: pid 1, fpm_pctl_perform_idle_server_maintenance(), line 378: [pool www] currently 0 active children',
      ],
    ],
  },
  {
    name: 'cobra-cli',
    doc: 'https://github.com/spf13/cobra/blob/main/command.go (a failing command prints "Error: " + err, then its usage); helm and kubectl print "WARNING: " notices',
    records: [
      ['error', 'Error: INSTALLATION FAILED: cannot re-use a name that is still in use'],
      [
        'warn',
        'WARNING: Kubernetes configuration file is group-readable. This is insecure. Location: /root/.kube/config',
      ],
      ['error', 'Error: unknown flag: --namspace'],
      ['none', ['Usage:', '  helm install [NAME] [CHART] [flags]']],
      ['none', 'NAME: shop'],
      ['none', 'STATUS: failed'],
    ],
  },
  {
    name: 'mongodb-legacy-text',
    doc: 'https://www.mongodb.com/docs/v4.2/reference/log-messages/ (before 4.4: "timestamp severity component [context] message"; severity F E W I D)',
    records: [
      [
        'info',
        '2024-05-14T09:21:07.412+0000 I  CONTROL  [initandlisten] MongoDB starting : pid=1 port=27017 dbpath=/data/db 64-bit host=db1',
      ],
      [
        'warn',
        '2024-05-14T09:21:07.500+0000 W  STORAGE  [initandlisten] Detected unclean shutdown - /data/db/mongod.lock is not empty.',
      ],
      [
        'error',
        '2024-05-14T09:21:08.120+0000 E  NETWORK  [conn12] SocketException handling request, closing client connection: 9001 socket exception',
      ],
      [
        'fatal',
        '2024-05-14T09:21:09.001+0000 F  -        [main] Fatal assertion 28595 NonExistentPath: /data/db: No such file or directory',
      ],
      [
        'info',
        '2024-05-14T09:21:10.230+0000 I  NETWORK  [listener] connection accepted from 10.0.0.7:40112 #13 (1 connection now open)',
      ],
      ['debug', '2024-05-14T09:21:11.340+0000 D1 QUERY    [conn13] Running query: { find: "errors" }'],
    ],
  },
  {
    name: 'bind-named',
    doc: 'BIND 9 ARM, logging statement (print-time, print-category and print-severity: "dd-Mon-yyyy hh:mm:ss.mmm category: severity: message")',
    records: [
      ['info', '14-May-2024 09:21:07.412 general: info: zone example.com/IN: loaded serial 2024051401'],
      [
        'error',
        '14-May-2024 09:21:08.120 general: error: zone bad.example/IN: loading from master file db.bad failed: file not found',
      ],
      [
        'warn',
        "14-May-2024 09:21:09.001 lame-servers: warning: timed out resolving 'example.net/A/IN': 10.0.0.53#53",
      ],
      [
        'info',
        '14-May-2024 09:21:10.230 security: notice: client @0x7f 10.0.0.7#51234 (errors.example): query (cache) denied',
      ],
      ['fatal', '14-May-2024 09:21:11.340 general: critical: exiting (due to fatal error)'],
      ['debug', '14-May-2024 09:21:12.450 resolver: debug 1: fetch: errors.example/A'],
    ],
  },
  {
    name: 'unbound',
    doc: 'https://unbound.docs.nlnetlabs.nl/en/latest/manpages/unbound.conf.html (log lines "[epoch] unbound[pid:thread] level: message"; info, notice, warning, error, debug)',
    records: [
      ['info', '[1715678467] unbound[812:0] info: start of service (unbound 1.19.3).'],
      ['info', '[1715678468] unbound[812:0] notice: init module 0: validator'],
      ['warn', '[1715678469] unbound[812:1] warning: so-rcvbuf 1048576 was not granted. Got 425984.'],
      [
        'error',
        "[1715678470] unbound[812:0] error: can't bind socket: Address already in use for 0.0.0.0 port 53",
      ],
      ['debug', '[1715678471] unbound[812:0] debug: cache memory msg=66072 rrset=66072 infra=7616'],
      ['info', '[1715678472] unbound[812:0] info: server stats for thread 0: 0 errors'],
    ],
  },
  {
    name: 'linkerd-proxy',
    doc: 'Linkerd2-proxy logs (tracing-subscriber with an uptime timer: "[  seconds s]  LEVEL ThreadId(NN) target: message"), https://linkerd.io/2/tasks/modifying-proxy-log-level/',
    records: [
      [
        'info',
        '[     0.001234s]  INFO ThreadId(01) linkerd2_proxy: release 2.227.0 (abc1234) by linkerd on 2024-04-01T00:00:00Z',
      ],
      [
        'warn',
        '[    12.512345s]  WARN ThreadId(02) outbound: linkerd_reconnect: Failed to connect error=Connection refused (os error 111)',
      ],
      [
        'error',
        '[    30.001000s] ERROR ThreadId(01) inbound: linkerd_app_core::errors::respond: Failed to proxy request: connection closed',
      ],
      ['debug', '[    31.100000s] DEBUG ThreadId(03) linkerd_proxy_http: client established'],
      [
        'info',
        '[    40.000000s]  INFO ThreadId(01) linkerd_proxy::signal: received SIGTERM, starting shutdown',
      ],
    ],
  },
  {
    name: 'istio-scope',
    doc: 'https://istio.io/latest/docs/ops/diagnostic-tools/component-logging/ (istiod: "timestamp<TAB>level<TAB>scope<TAB>message")',
    records: [
      [
        'info',
        `2024-05-14T09:21:07.412345Z${T}info${T}ads${T}ADS: new connection for node:sidecar~10.0.0.7~shop.default`,
      ],
      ['warn', `2024-05-14T09:21:08.120000Z${T}warn${T}model${T}duplicate virtual service errors/default`],
      [
        'error',
        `2024-05-14T09:21:09.001000Z${T}error${T}klog${T}failed to list *v1.Secret: secrets is forbidden`,
      ],
      [
        'debug',
        `2024-05-14T09:21:10.230000Z${T}debug${T}ads${T}push debounce stable 1 for config ServiceEntry`,
      ],
    ],
  },
  {
    name: 'grafana-prometheus-loki',
    doc: 'go-kit/log logfmt as these services print it: Grafana "logger=… t=… level=… msg=…" (https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#log), Prometheus 2 "ts=… caller=… level=… msg=…", Loki/Promtail "level=… ts=… caller=…"',
    records: [
      [
        'info',
        'logger=settings t=2024-05-14T09:21:07.412345Z level=info msg="Starting Grafana" version=10.4.2',
      ],
      [
        'error',
        'logger=context userId=1 orgId=1 uname=admin t=2024-05-14T09:21:08.12Z level=error msg="Request Completed" method=GET path=/api/ds/query status=500 remote_addr=10.0.0.7 time_ms=12 duration=12ms size=102 referer= handler=/api/ds/query status_source=downstream',
      ],
      [
        'warn',
        'ts=2024-05-14T09:21:09.001Z caller=main.go:1170 level=warn component=tsdb msg="Head GC completed with errors" duration=1.2s',
      ],
      [
        'info',
        'ts=2024-05-14T09:21:10.230Z caller=compact.go:523 level=info component=tsdb msg="write block" mint=0 maxt=7200000 errors=0',
      ],
      [
        'error',
        'level=error ts=2024-05-14T09:21:11.340Z caller=client.go:430 component=client host=loki:3100 msg="final error sending batch" status=500 error="server returned HTTP status 500"',
      ],
      [
        'debug',
        'level=debug ts=2024-05-14T09:21:12.450Z caller=logging.go:76 traceID=7f msg="GET /ready (200) 120µs"',
      ],
    ],
  },
  {
    name: 'consul-json',
    doc: 'https://developer.hashicorp.com/consul/docs/agent/config/config-files#log_json (hclog JSON: "@level", "@message", "@module", "@timestamp")',
    records: [
      [
        'info',
        '{"@level":"info","@message":"agent: Consul agent running!","@module":"agent","@timestamp":"2024-05-14T09:21:07.412345Z"}',
      ],
      [
        'error',
        '{"@level":"error","@message":"agent: Coordinate update error","@module":"agent","@timestamp":"2024-05-14T09:21:08.120000Z","error":"No cluster leader"}',
      ],
      [
        'warn',
        '{"@level":"warn","@message":"agent.server.raft: heartbeat timeout reached, starting election","@module":"agent.server.raft","@timestamp":"2024-05-14T09:21:09.001000Z"}',
      ],
      [
        'debug',
        '{"@level":"debug","@message":"agent: Skipping remote check since it is managed automatically","@module":"agent","@timestamp":"2024-05-14T09:21:10.23Z","check":"serfHealth"}',
      ],
      [
        'trace',
        '{"@level":"trace","@message":"agent.tlsutil: IncomingRPCConfig: version=1","@module":"agent.tlsutil","@timestamp":"2024-05-14T09:21:11.34Z"}',
      ],
    ],
  },
  {
    name: 'erlang-lager',
    doc: 'https://github.com/erlang-lager/lager#custom-formatting (default "date time [severity] pid@module:function:line message"; RabbitMQ < 3.9 and Riak use it)',
    records: [
      [
        'info',
        '2024-05-14 09:21:07.412 [info] <0.250.0>@rabbit_networking:start_tcp_listener:101 started TCP listener on [::]:5672',
      ],
      [
        'warn',
        "2024-05-14 09:21:08.120 [warning] <0.260.0> closing AMQP connection <0.260.0> (10.0.0.7:51234 -> 10.0.0.2:5672, vhost: '/', user: 'shop'): client unexpectedly closed TCP connection",
      ],
      [
        'error',
        '2024-05-14 09:21:09.001 [error] <0.270.0> Channel error on connection <0.266.0>: operation queue.declare caused a channel exception precondition_failed',
      ],
      [
        'info',
        '2024-05-14 09:21:10.230 [notice] <0.88.0> Changed loghwm of /var/log/rabbitmq/rabbit.log to 50',
      ],
      [
        'fatal',
        '2024-05-14 09:21:11.340 [critical] <0.300.0> disk resource limit alarm set on node rabbit@mq1',
      ],
      ['debug', '2024-05-14 09:21:12.450 [debug] <0.310.0> Supervisor {local,rabbit_amqp_sup} started'],
    ],
  },
  {
    name: 'glusterfs',
    doc: 'https://docs.gluster.org/en/latest/Administrator-Guide/Logging/ ("[timestamp] Level [MSGID: id] [file:line:function] domain: message"; levels T D I W E C)',
    records: [
      [
        'info',
        '[2024-05-14 09:21:07.412345 +0000] I [MSGID: 100030] [glusterfsd.c:2865:main] 0-/usr/sbin/glusterd: Started running version [{arg=/usr/sbin/glusterd}]',
      ],
      [
        'warn',
        '[2024-05-14 09:21:08.120000 +0000] W [MSGID: 106204] [glusterd-store.c:3273:glusterd_store_retrieve_volume] 0-management: Unknown key: brick-0',
      ],
      [
        'error',
        '[2024-05-14 09:21:09.001000 +0000] E [MSGID: 106187] [glusterd-store.c:4580:glusterd_resolve_all_bricks] 0-glusterd: resolve brick failed in restore',
      ],
      [
        'fatal',
        '[2024-05-14 09:21:10.230000 +0000] C [rpc-clnt-ping.c:162:rpc_clnt_ping_timer_expired] 0-vol-client-0: server 10.0.0.2:49152 has not responded in the last 42 seconds',
      ],
      [
        'debug',
        '[2024-05-14 09:21:11.340000 +0000] D [MSGID: 0] [io-stats.c:3733:ios_destroy] 0-vol: errors=0',
      ],
    ],
  },
  {
    name: 'grouping-logger-traces',
    doc: "a logger record followed by the exception its library prints under it: Serilog's console sink (exception on the next lines), pino-pretty's err object, winston's format.errors stack, gunicorn's worker traceback, Spring Boot's Caused by / common frames omitted, logback's Suppressed",
    records: [
      [
        'error',
        [
          '[09:21:07 ERR] Failed to process order 42',
          'System.InvalidOperationException: Sequence contains no elements',
          '   at System.Linq.ThrowHelper.ThrowNoElementsException()',
          '   at Shop.Orders.Process(Int32 id) in /src/Orders.cs:line 31',
        ],
      ],
      ['info', '[09:21:08 INF] Order 43 processed'],
      [
        'error',
        [
          '[09:21:09.412] ERROR (7): request failed',
          '    err: {',
          '      "type": "Error",',
          '      "message": "boom",',
          '      "stack":',
          '          Error: boom',
          '              at handler (/app/src/routes.js:14:11)',
          '    }',
        ],
      ],
      ['info', '[09:21:10.001] INFO (7): request completed'],
      [
        'error',
        [
          'error: payment failed {"orderId":42}',
          'Error: card declined',
          '    at charge (/app/src/pay.js:20:9)',
          '    at async /app/src/routes.js:40:5',
        ],
      ],
      ['info', 'info: retry scheduled {"orderId":42}'],
      [
        'error',
        [
          '[2024-05-14 09:21:11 +0000] [9] [ERROR] Exception in worker process',
          'Traceback (most recent call last):',
          '  File "/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker',
          '    worker.init_process()',
          "ModuleNotFoundError: No module named 'shop'",
        ],
      ],
      ['info', '[2024-05-14 09:21:12 +0000] [9] [INFO] Worker exiting (pid: 9)'],
      [
        'error',
        [
          '2024-05-14T09:21:13.412Z ERROR 1 --- [shop] [nio-8080-exec-2] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception',
          'org.springframework.dao.DataIntegrityViolationException: could not execute statement',
          '\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:290)',
          'Caused by: org.hibernate.exception.ConstraintViolationException: could not execute statement',
          '\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:95)',
          '\t... 52 common frames omitted',
        ],
      ],
      [
        'info',
        '2024-05-14T09:21:14.412Z  INFO 1 --- [shop] [nio-8080-exec-3] c.a.shop.OrderController                 : order 44 created',
      ],
      [
        'error',
        [
          '09:21:15.412 [main] ERROR c.a.shop.Importer - import failed',
          'java.io.UncheckedIOException: read failed',
          '\tat c.a.shop.Importer.run(Importer.java:40)',
          '\tSuppressed: java.io.IOException: close failed',
          '\t\tat c.a.shop.Importer.close(Importer.java:55)',
        ],
      ],
      ['info', '09:21:16.001 [main] INFO  c.a.shop.Importer - import retried'],
    ],
  },
  {
    name: 'jvm-data-platforms',
    doc: 'log4j/logback layouts of Flink (log4j2 "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n"), HBase ("%d{ISO8601} %-5p [%t] %c{2}: %m%n"), Trino (tab-separated "time level thread logger message", https://trino.io/docs/current/admin/logging.html), SonarQube ("yyyy.MM.dd HH:mm:ss LEVEL process[][logger] msg"), Artifactory ("time [service] [LEVEL] [trace] [class:line] [thread] - msg")',
    records: [
      [
        'info',
        '2024-05-14 09:21:07,412 INFO  org.apache.flink.runtime.jobmaster.JobMaster                  [] - Job orders (a1b2) switched from state RUNNING to FAILING.',
      ],
      [
        'warn',
        '2024-05-14 09:21:08,120 WARN  org.apache.flink.runtime.taskmanager.Task                    [] - Source: kafka (1/4) switched from RUNNING to FAILED with failure cause: java.io.IOException',
      ],
      [
        'error',
        '2024-05-14 09:21:09,001 ERROR [RS_OPEN_REGION-regionserver/hb1:16020-0] handler.AssignRegionHandler: Failed to open region orders,,1715678467412.abc.',
      ],
      [
        'info',
        '2024-05-14 09:21:10,230 INFO  [main] regionserver.HRegionServer: STARTED HRegionServer; 0 errors',
      ],
      [
        'info',
        `2024-05-14T09:21:11.340Z${T}INFO${T}main${T}io.trino.server.Server${T}======== SERVER STARTED ========`,
      ],
      [
        'error',
        `2024-05-14T09:21:12.450Z${T}ERROR${T}dispatcher-query-3${T}io.trino.dispatcher.DispatchManager${T}Query 20240514_092112_00001_abcde failed`,
      ],
      [
        'warn',
        '2024.05.14 09:21:13 WARN  web[][o.s.s.a.TomcatAccessLog] Web server is not started, health check failed',
      ],
      ['info', '2024.05.14 09:21:14 INFO  ce[][o.s.p.ProcessEntryPoint] Starting Compute Engine'],
      [
        'error',
        '2024-05-14T09:21:15.412Z [jfrt ] [ERROR] [6f1c2d3e4a5b6c7d] [o.a.r.s.ArtifactoryService:120] [http-nio-8081-exec-3] - Could not deploy artifact',
      ],
      [
        'info',
        '2024-05-14T09:21:16.412Z [jfac ] [INFO ] [] [o.j.a.s.s.AccessServiceImpl:301] [main] - Access started',
      ],
    ],
  },
  {
    name: 'gitea',
    doc: 'https://docs.gitea.com/administration/logging-config ("date time file:line:func() [L] message", L one of T D I W E C F)',
    records: [
      ['info', '2024/05/14 09:21:07 cmd/web.go:242:runWeb() [I] Starting Gitea on PID: 1'],
      [
        'warn',
        '2024/05/14 09:21:08 ...ules/setting/oauth2.go:153:loadOAuth2From() [W] OAuth2 JWT secret missing',
      ],
      [
        'error',
        '2024/05/14 09:21:09 ...s/graceful/manager.go:103:func1() [E] Failed to start server: listen tcp :3000: bind: address already in use',
      ],
      ['debug', '2024/05/14 09:21:10 routers/web/web.go:120:func1() [D] request /api/v1/errors handled'],
      [
        'fatal',
        '2024/05/14 09:21:11 cmd/web.go:300:runWeb() [F] Failed to create listener: permission denied',
      ],
    ],
  },
  {
    name: 'grouping-crash-reports',
    doc: "runtime crash reports as the runtimes print them: Node's unhandled rejection report (lib/internal/process/promises.js), Go's recovered re-panic, Celery's task failure with its traceback, Python's SyntaxError report, Java's uncaught error with a cause",
    records: [
      [
        'error',
        [
          'node:internal/process/promises:289',
          '            triggerUncaughtException(err, true /* fromPromise */);',
          '            ^',
          '',
          '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "boom".] {',
          "  code: 'ERR_UNHANDLED_REJECTION'",
          '}',
          '',
          'Node.js v20.12.2',
        ],
      ],
      ['none', 'npm notice Lifecycle script `start` ended'],
      [
        'fatal',
        [
          'panic: boom [recovered]',
          '\tpanic: boom',
          '',
          'goroutine 1 [running]:',
          'main.main.func1()',
          '\t/app/main.go:9 +0x65',
          'panic({0x4a1b20?, 0x4e0f40?})',
          '\t/usr/local/go/src/runtime/panic.go:770 +0x132',
          'main.main()',
          '\t/app/main.go:12 +0x45',
          'exit status 2',
        ],
      ],
      ['none', 'service exited, restarting'],
      [
        'error',
        [
          "[2024-05-14 09:21:07,412: ERROR/ForkPoolWorker-2] Task shop.tasks.charge[1f2e3d] raised unexpected: ValueError('amount must be positive')",
          'Traceback (most recent call last):',
          '  File "/usr/local/lib/python3.12/site-packages/celery/app/trace.py", line 477, in trace_task',
          '    R = retval = fun(*args, **kwargs)',
          'ValueError: amount must be positive',
        ],
      ],
      ['info', '[2024-05-14 09:21:08,001: INFO/MainProcess] Task shop.tasks.charge[2a3b4c] received'],
      [
        'error',
        [
          '  File "/app/settings.py", line 12',
          '    DEBUG = True,,',
          '                 ^',
          'SyntaxError: invalid syntax',
        ],
      ],
      ['none', 'container exited with code 1'],
      [
        'error',
        [
          'Exception in thread "main" java.lang.ExceptionInInitializerError',
          '\tat com.acme.Main.main(Main.java:5)',
          'Caused by: java.lang.IllegalStateException: missing SHOP_DB_URL',
          '\tat com.acme.Config.<clinit>(Config.java:12)',
          '\t... 1 more',
        ],
      ],
      ['none', 'waiting 5s before restart'],
    ],
  },
  {
    name: 'access-logs-more',
    doc: 'Caddy/Traefik Common Log Format; IIS W3C (https://learn.microsoft.com/en-us/windows/win32/http/w3c-logging); AWS ELB access log (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html); HAProxy HTTP log: no level, whatever the status',
    records: [
      [
        'none',
        '10.0.0.7 - - [14/May/2024:09:21:07 +0000] "GET /api/errors HTTP/2.0" 500 57 "-" "curl/8.7.1" 12 "api@docker" "http://172.18.0.4:8080" 3ms',
      ],
      ['none', '2024-05-14 09:21:08 10.0.0.1 GET /default.aspx - 443 - 10.0.0.7 Mozilla/5.0 500 0 64 15'],
      [
        'none',
        '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken',
      ],
      [
        'none',
        'https 2024-05-14T09:21:09.001Z app/my-alb/50dc6c495c0c9188 10.0.0.7:2817 10.0.1.5:80 0.000 0.001 0.000 502 502 34 366 "GET https://www.example.com:443/fatal HTTP/1.1" "curl/8.7.1" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262" "-" "-" 0 2024-05-14T09:21:09.000Z "forward" "-" "-" "10.0.1.5:80" "502" "-" "-"',
      ],
      [
        'none',
        '<134>May 14 09:21:10 haproxy[8]: 10.0.0.7:51234 [14/May/2024:09:21:10.120] fe_http be_app/app1 0/0/1/3/4 503 212 - - SC-- 1/1/0/0/0 0/0 "GET /error HTTP/1.1"',
      ],
      [
        'none',
        '127.0.0.1 - - [14/May/2024:09:21:11 +0000] "POST /fail?reason=fatal HTTP/1.1" 404 0 "-" "ERROR-reporter/1.0"',
      ],
    ].map(([l, r]) => [r.startsWith('<134>') ? 'info' : l, r]),
  },
  {
    name: 'negatives-words',
    doc: 'info/debug records of documented formats whose messages carry error/fail/fatal words, counts and status codes',
    records: [
      [
        'info',
        '2024-05-14 09:21:07,412 INFO  [io.quarkus] (main) Error page /error registered; fatal handler installed',
      ],
      ['info', '[2024/05/14 09:21:08] [ info] [output:http:http.0] status=500 handled, errors=0 failures=0'],
      [
        'info',
        '{"level":"info","ts":1715678469.1,"msg":"ERROR: relation does not exist was retried successfully"}',
      ],
      ['info', '[1] 2024/05/14 09:21:10.000000 [INF] JetStream fatal_errors=0 panic_count=0'],
      [
        'debug',
        '2024-05-14 09:21:11 [scrapy.core.engine] DEBUG: Crawled (500) <GET https://example.com/fatal> (referer: None)',
      ],
      [
        'info',
        '[2024-05-14T09:21:12.412+0000] {taskinstance.py:1} INFO - exception handler ready; error budget 99.9%',
      ],
      [
        'info',
        'INFO  [main] 2024-05-14 09:21:13,412 CassandraDaemon.java:1 - Panic mode disabled; FATAL flag cleared',
      ],
      ['info', '2024-05-14T09:21:14.412Z pid=1 tid=2fhk INFO: ErrorReportJob finished, 0 failed'],
      [
        'info',
        '2024-05-14 09:21:15.412 INFO (MainThread) [homeassistant.core] Error sensor state changed to off',
      ],
    ],
  },
  {
    name: 'grouping-fluent-bit-cases',
    doc: 'Fluent Bit built-in multiline parsers (https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/multiline-parsing#built-in-multiline-parsers: go, python, java, ruby) and their tests/internal/multiline.c cases, in our own words: a trace ends where its runtime ends it and the next plain line is its own event',
    records: [
      [
        'error',
        [
          'Exception in thread "main" java.lang.IllegalStateException: config property was null',
          '     at com.acme.inventory.Loader.read(Loader.java:38)',
          '     at com.acme.inventory.Main.main(Main.java:14)',
          'Caused by: java.lang.NullPointerException',
          '     at com.acme.inventory.Props.get(Props.java:22)',
          '     ... 1 more',
        ],
      ],
      ['none', 'plain line after the java trace'],
      [
        'error',
        [
          'Traceback (most recent call last):',
          '  File "/srv/app/handlers.py", line 1535, in __call__',
          '    rv = self.handle_exception(request, response, e)',
          '  File "/srv/app/views.py", line 5, in get',
          "    raise Exception('spam', 'eggs')",
          "Exception: ('spam', 'eggs')",
        ],
      ],
      ['none', 'hello world, after the python traceback'],
      [
        'fatal',
        [
          'panic: worker pool exhausted',
          '',
          'goroutine 4 [running]:',
          'main.main.func1(0xc000012345)',
          '\t/app/main.go:6 +0x39',
          'created by main.main in goroutine 1',
          '\t/app/main.go:5 +0x58',
          '',
          'goroutine 1 [chan receive]:',
          'main.main()',
          '\t/app/main.go:9 +0x6f',
        ],
      ],
      ['none', 'one more line after the go panic'],
      [
        'error',
        [
          "/app/lib/importer.rb:14:in 'Importer#parse': unexpected token at 'x' (JSON::ParserError)",
          "\tfrom /app/lib/importer.rb:7:in 'Array#each'",
          "\tfrom /app/bin/import:3:in '<main>'",
        ],
      ],
      ['none', 'import finished with 1 failure'],
      [
        'error',
        [
          '[some test] IndexNotFoundException[no such index [orders]]',
          '    at org.elasticsearch.cluster.metadata.IndexNameExpressionResolver.infe(IndexNameExpressionResolver.java:1200)',
          '    at org.elasticsearch.action.admin.indices.delete.TransportDeleteIndexAction.masterOperation(TransportDeleteIndexAction.java:75)',
        ],
      ],
      ['none', 'another separate log line'],
    ],
  },
  {
    name: 'grouping-detect-exceptions-shapes',
    doc: "the trace shapes of Google's fluent-plugin-detect-exceptions test suite (test/plugin/test_exception_detector.rb: Java with a JUL-style header, browser and V8 JS, C# (Mono), Rails, PHP, Dart), in our own words; each exception twice in a row must stay two events",
    records: [
      ['none', 'This line is no exception.'],
      [
        'error',
        [
          'May 14, 2024 9:21:07 AM com.acme.feeder.Loader: RuntimeException: feed rejected',
          '  at com.acme.feeder.Loader.read(Loader.java:50)',
          '  at com.acme.feeder.Main.main(Main.java:10)',
        ],
      ],
      [
        'error',
        [
          'Error',
          '    at render (<anonymous>:3:9)',
          '    at <anonymous>:6:4',
          '    at Object.evaluate (<anonymous>)',
        ],
      ],
      [
        'error',
        [
          'V8 errors stack trace',
          '  eval at Widget.load (eval at Page.init (page.js:10:3))',
          '  at new Widget (native)',
        ],
      ],
      ['none', 'This line is no exception either.'],
      [
        'error',
        [
          " NoMethodError (undefined method `total' for nil):",
          "  app/controllers/orders_controller.rb:21:in `show'",
          "  app/controllers/application_controller.rb:9:in `around'",
        ],
      ],
      [
        'error',
        [
          ' ActionController::RoutingError (No route matches [GET] "/admin"):',
          '  ',
          "  actionpack (7.1.3) lib/action_dispatch/middleware/debug_exceptions.rb:34:in `call'",
        ],
      ],
      [
        'error',
        [
          ' ActionController::RoutingError (No route matches [GET] "/admin2"):',
          "  actionpack (7.1.3) lib/action_dispatch/middleware/debug_exceptions.rb:34:in `call'",
        ],
      ],
      [
        'error',
        [
          "exception 'InvalidArgumentException' with message 'bad sku' in /srv/app/Cart.php:14",
          'Stack trace:',
          '#0 /srv/app/index.php(9): Cart->add()',
          '#1 {main}',
        ],
      ],
      [
        'error',
        [
          'System.IO.IOException: The process cannot access the file because it is being used by another process.',
          '  at System.IO.FileStream..ctor (System.String path) [0x00000] in <filename unknown>:0',
          '  at Shop.Export.Run () [0x00012] in /src/Export.cs:33',
        ],
      ],
      [
        'error',
        [
          'Unhandled exception:',
          'FormatException: Unexpected character (at character 3)',
          'ab{',
          '  ^',
          '',
          '#0      Parser.parse (package:shop/parser.dart:12:5)',
          '<asynchronous suspension>',
          '#1      main (file:///app/bin/main.dart:7:3)',
        ],
      ],
      [
        'error',
        [
          'Unhandled exception:',
          'Stack Overflow',
          '#0      recurse (file:///app/bin/main.dart:3:3)',
          '#1      recurse (file:///app/bin/main.dart:3:3)',
        ],
      ],
      ['none', 'This arbitrary text sounds tympanic, like a drum.'],
    ],
  },
  {
    name: 'grouping-runtimes',
    doc: "each runtime's documented trace shape (src/pipeline/formats/traces.ts), followed by ordinary lines; an INFO record then a crash; ExceptionGroup; Node, .NET, Rust, PHP",
    records: [
      ['info', '2024-05-14 09:21:07,412 INFO worker: processing job 7'],
      [
        'error',
        [
          'Traceback (most recent call last):',
          '  File "/app/worker.py", line 40, in <module>',
          '    run(job)',
          "KeyError: 'customer_id'",
        ],
      ],
      ['none', 'worker exited'],
      [
        'error',
        [
          '  + Exception Group Traceback (most recent call last):',
          '  |   File "/app/batch.py", line 9, in <module>',
          '  |     raise ExceptionGroup("batch failed", errs)',
          '  | ExceptionGroup: batch failed (2 sub-exceptions)',
          '  +-+---------------- 1 ----------------',
          '    | ValueError: bad row 3',
          '    +---------------- 2 ----------------',
          '    | TypeError: bad row 9',
          '    +------------------------------------',
        ],
      ],
      ['none', 'batch aborted'],
      [
        'error',
        [
          "TypeError: Cannot read properties of undefined (reading 'total')",
          '    at computeInvoice (/app/src/invoice.js:41:18)',
          '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
        ],
      ],
      ['none', 'invoice service restarting'],
      [
        'fatal',
        [
          'Unhandled exception. System.InvalidOperationException: Sequence contains no elements',
          '   at System.Linq.ThrowHelper.ThrowNoElementsException()',
          '   at Program.<Main>$(String[] args) in /src/Program.cs:line 7',
        ],
      ],
      ['none', 'container exited with code 134'],
      [
        'fatal',
        [
          "thread 'main' panicked at src/main.rs:4:5:",
          'index out of bounds: the len is 3 but the index is 7',
          'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
        ],
      ],
      ['none', 'rust worker gone'],
      [
        'fatal',
        [
          'PHP Fatal error:  Uncaught RuntimeException: quota exceeded in /var/www/src/Quota.php:22',
          'Stack trace:',
          '#0 /var/www/public/index.php(9): Quota->check()',
          '#1 {main}',
          '  thrown in /var/www/src/Quota.php on line 22',
        ],
      ],
      ['none', 'php-fpm child 31 exited'],
      ['info', '2024-05-14 09:21:08,412 INFO worker: processing job 8'],
    ],
  },
];
