// Four runtimes' uncaught errors as they print them, for the prefixed-trace tests (the grouper's
// in test/pipeline/multiline-prefixed.test.ts, the CLI's in test/cli/prefixed-traces.test.ts).

/** Python 3.11's uncaught exception (traceback.print_exception) */
export const PYTHON = [
  'Traceback (most recent call last):',
  '  File "/app/worker.py", line 12, in <module>',
  '    run()',
  '  File "/app/worker.py", line 8, in run',
  '    1 / 0',
  '    ~~^~~',
  'ZeroDivisionError: division by zero',
];
/** Throwable.printStackTrace() of an uncaught exception with a cause */
export const JAVA = [
  'Exception in thread "main" java.lang.IllegalStateException: order 42 failed',
  '\tat com.example.orders.OrderService.place(OrderService.java:57)',
  '\tat com.example.orders.Main.main(Main.java:12)',
  'Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
  '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
  '\tat com.example.orders.OrderService.place(OrderService.java:51)',
  '\t... 1 more',
];
/** Node 20's uncaught exception report */
export const NODE = [
  '/app/server.js:14',
  "    throw new Error('config missing: DATABASE_URL');",
  '    ^',
  '',
  'Error: config missing: DATABASE_URL',
  '    at Object.<anonymous> (/app/server.js:14:11)',
  '    at Module._compile (node:internal/modules/cjs/loader:1358:14)',
  '    at node:internal/main/run_main_module:28:49',
  '',
  'Node.js v20.12.2',
];
/** Go's runtime panic */
export const GO = [
  'panic: runtime error: index out of range [3] with length 3',
  '',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/app/main.go:8 +0x1d',
];
