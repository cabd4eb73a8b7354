import { describe, expect, it } from 'vitest';
import { LevelDetector } from '../../src/pipeline/formats/detect.js';
import { levelName, NO_LEVEL } from '../../src/pipeline/levels.js';
import { MultilineGrouper } from '../../src/pipeline/multiline.js';

/**
 * Where each runtime's trace starts and ends (src/pipeline/formats/traces.ts), and what comes after
 * it: the shapes below are the ones each runtime prints (Python 3.11 output, Throwable.printStackTrace,
 * Node's uncaught report, Go's panic dump, Dart's and PHP's uncaught handlers, Rails' DebugExceptions),
 * each followed by ordinary lines that must stay events of their own.
 */
const detector = new LevelDetector();

/** Groups `lines` (one per ms, so no timeout fires) into `[first, last, level]` triples. */
function groups(lines: string[]): [number, number, string][] {
  const out: [number, number, string][] = [];
  const g = new MultilineGrouper({
    timeoutMs: 1000,
    maxBytes: 1 << 20,
    maxLines: 1000,
    emit: (_text, level, startedAt, lineCount) => {
      // startedAt is the index of the first line; lineCount excludes trimmed blank lines
      out.push([startedAt, startedAt + lineCount - 1, level === NO_LEVEL ? 'none' : levelName(level)]);
    },
  });
  for (const [i, line] of lines.entries())
    g.push(line, line.length === 0 ? NO_LEVEL : detector.detect(line), i);
  g.flush();
  return out.sort((a, b) => a[0] - b[0]);
}

const PY_TRACE = [
  'Traceback (most recent call last):',
  '  File "/app/worker.py", line 12, in <module>',
  '    run()',
  'ValueError: bad input',
];

describe('Python: the traceback ends at its exception line', () => {
  it('ships the lines after it as their own events (the issue example: error, info, info)', () => {
    expect(groups([...PY_TRACE, 'hello a', 'hello b'])).toEqual([
      [0, 3, 'error'],
      [4, 4, 'none'],
      [5, 5, 'none'],
    ]);
  });

  it('ends with the exception line at the end of input and at a lone plain line', () => {
    expect(groups([...PY_TRACE])).toEqual([[0, 3, 'error']]);
    expect(groups([...PY_TRACE, 'This is not an exception.'])).toEqual([
      [0, 3, 'error'],
      [4, 4, 'none'],
    ]);
  });

  it('an INFO record, then a crash: two events, the second error', () => {
    expect(groups(['2024-05-14 09:21:07,412 INFO worker: processing job 7', ...PY_TRACE])).toEqual([
      [0, 0, 'info'],
      [1, 4, 'error'],
    ]);
    expect(groups(['INFO:worker:processing job 7', ...PY_TRACE, 'INFO:worker:restarted'])).toEqual([
      [0, 0, 'info'],
      [1, 4, 'error'],
      [5, 5, 'info'],
    ]);
  });

  it('keeps a traceback attached to the error+ record that logged it (logger.exception, exc_info)', () => {
    expect(groups(['ERROR:worker:job 7 failed', ...PY_TRACE, 'next'])).toEqual([
      [0, 4, 'error'],
      [5, 5, 'none'],
    ]);
    expect(groups(['CRITICAL:worker:giving up', 'ZeroDivisionError: division by zero'])).toEqual([
      [0, 1, 'fatal'],
    ]);
  });

  it('a warning and then a crash are two events', () => {
    expect(groups(['2024-05-14 09:21:07,412 - app - WARNING - retrying', ...PY_TRACE])).toEqual([
      [0, 0, 'warn'],
      [1, 4, 'error'],
    ]);
  });

  it('starts a new event at a second traceback right after the first', () => {
    expect(groups([...PY_TRACE, ...PY_TRACE])).toEqual([
      [0, 3, 'error'],
      [4, 7, 'error'],
    ]);
  });

  it('keeps an exception message that goes on over lines (unindented line, then indented detail)', () => {
    const lines = [
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 5, in <module>',
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for User',
      'name',
      '  Input should be a valid string [type=string_type]',
      'hello',
    ];
    expect(groups(lines)).toEqual([
      [0, 4, 'error'],
      [5, 5, 'none'],
    ]);
  });

  it('keeps an ExceptionGroup traceback (Python 3.11 box lines) whole, and chained sections inside', () => {
    const group = [
      '  + Exception Group Traceback (most recent call last):',
      '  |   File "<string>", line 2, in <module>',
      '  | ExceptionGroup: many things (2 sub-exceptions)',
      '  +-+---------------- 1 ----------------',
      '    | ValueError: 1',
      '    +---------------- 2 ----------------',
      '    | TypeError: 2',
      '    +------------------------------------',
    ];
    expect(groups([...group, 'hello'])).toEqual([
      [0, 7, 'error'],
      [8, 8, 'none'],
    ]);
    // after a plain or info line it is a crash of its own; after an error record, logger.exception's
    expect(groups(['loading batch 3', ...group, 'done'])).toEqual([
      [0, 0, 'none'],
      [1, 8, 'error'],
      [9, 9, 'none'],
    ]);
    expect(groups(['ERROR:app:import failed', ...group])).toEqual([[0, 8, 'error']]);
    const chained = [
      'Traceback (most recent call last):',
      '  File "<string>", line 3, in <module>',
      "KeyError: 'x'",
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      ...group,
      'INFO:app:next',
    ];
    expect(groups(chained)).toEqual([
      [0, 13, 'error'],
      [14, 14, 'info'],
    ]);
  });
});

describe('the other runtimes end their traces where their format ends them', () => {
  it('Java: frames, Caused by, ... N more; the next plain line is its own event', () => {
    const lines = [
      'Exception in thread "main" java.lang.IllegalStateException: ..null property',
      '     at com.example.myproject.Author.getBookIds(xx.java:38)',
      'Caused by: java.lang.NullPointerException',
      '     at com.example.myproject.Book.getId(Book.java:22)',
      '     ... 1 more',
      'single line',
    ];
    expect(groups(lines)).toEqual([
      [0, 4, 'error'],
      [5, 5, 'none'],
    ]);
  });

  it('a stack under a plain header line makes the event error (JS "Error", a JUL-style header)', () => {
    expect(groups(['Error', '    at bls (<anonymous>:3:9)', '    at <anonymous>:6:4', 'plain'])).toEqual([
      [0, 2, 'error'],
      [3, 3, 'none'],
    ]);
    const jul = [
      'Jul 09, 2015 3:23:29 PM com.example.MakeLog: RuntimeException: Run from this message!',
      '  at com.my.app.Object.do$a1(MakeLog.java:50)',
      '  at java.lang.Thing.call(Thing.java:10)',
    ];
    expect(groups([...jul, ...jul])).toEqual([
      [0, 2, 'error'],
      [3, 5, 'error'],
    ]);
  });

  it('.NET: "Name: msg" then "  at" frames', () => {
    const lines = [
      'System.Collections.Generic.KeyNotFoundException: The given key was not present in the dictionary.',
      '  at System.Collections.Generic.Dictionary`2.get_Item (System.String key) [0x00000] in <filename unknown>:0',
      '  at File2.Processor.Random2 () [0x00037] in /home/Csharp/File2.csharp:28',
      'This is not an exception.',
    ];
    expect(groups(lines)).toEqual([
      [0, 2, 'error'],
      [3, 3, 'none'],
    ]);
  });

  it('Go: the panic and every goroutine block, up to the first line that is no dump line', () => {
    const lines = [
      'panic: my panic',
      '',
      'goroutine 4 [running]:',
      'main.main.func1(0xc420024120)',
      '\tfoo.go:6 +0x39',
      'created by main.main',
      '\tfoo.go:5 +0x58',
      '',
      'goroutine 1 [chan receive]:',
      'runtime.gopark(0x4739b8, 0xc420024178)',
      '\t/usr/local/go/src/runtime/proc.go:280 +0x12c',
      'one more line, no multiline',
    ];
    expect(groups(lines)).toEqual([
      [0, 10, 'fatal'],
      [11, 11, 'none'],
    ]);
  });

  it('Dart: "Unhandled exception:", the error lines, the #N frames and async gaps', () => {
    const lines = [
      'Unhandled exception:',
      'Bad state: oops',
      '#0      handleFailure (file:///test/example/http/handling.dart:16:3)',
      '#1      main (file:///test/example/http/handling.dart:24:5)',
      '<asynchronous suspension>',
      '#2      _startIsolate.<anonymous closure> (dart:isolate-patch/isolate_patch.dart:265)',
      'This is not an exception.',
      'Unhandled exception:',
      'FormatException: Invalid base64 data (at line 3, character 8)',
      'this is not valid',
      '       ^',
      '',
      '#0      main.<anonymous closure> (file:///path/to/code/dartFile.dart:24:20)',
      '#1      printError (file:///path/to/code/dartFile.dart:42:13)',
    ];
    expect(groups(lines)).toEqual([
      [0, 5, 'error'],
      [6, 6, 'none'],
      [7, 13, 'error'],
    ]);
  });

  it('PHP: the uncaught report, "Stack trace:", #N frames, "  thrown in …"', () => {
    const lines = [
      "PHP Fatal error:  Uncaught exception 'Exception' with message 'message' in /app/errors.php:60",
      'Stack trace:',
      '#0 [internal function]: ErrorEntryGenerator::{closure}()',
      '#1 /app/index.php(36): ErrorEntry->raise()',
      '#2 {main}',
      '  thrown in /app/errors.php on line 60',
      "exception 'Exception' with message 'Custom exception' in /home/joe/test.php:5",
      'Stack trace:',
      '#0 /home/joe/test.php(9): func1()',
      '#1 {main}',
      'This is not an exception.',
    ];
    expect(groups(lines)).toEqual([
      [0, 5, 'fatal'],
      [6, 9, 'error'],
      [10, 10, 'none'],
    ]);
  });

  it('Ruby/Rails: " Name (message):" then indented frames', () => {
    const lines = [
      ' ActionController::RoutingError (No route matches [GET] "/settings"):',
      '  ',
      "  actionpack (5.1.4) lib/action_dispatch/middleware/debug_exceptions.rb:63:in `call'",
      "  railties (5.1.4) lib/rails/rack/logger.rb:36:in `call_app'",
      'This is not an exception.',
      "/app/config/routes.rb:6:in `/': divided by 0 (ZeroDivisionError)",
      "\tfrom /app/config/routes.rb:6:in `block in <main>'",
      'done',
    ];
    expect(groups(lines)).toEqual([
      [0, 3, 'error'],
      [4, 4, 'none'],
      [5, 6, 'error'],
      [7, 7, 'none'],
    ]);
  });

  it('Node: the uncaught report from the source line to the "Node.js vNN" footer', () => {
    const lines = [
      '/app/src/server.js:42',
      '    throw new TypeError(`boom`);',
      '    ^',
      '',
      'TypeError: boom',
      '    at a (/app/src/server.js:42:11)',
      '',
      'Node.js v20.20.2',
      'next line',
    ];
    expect(groups(lines)).toEqual([
      [0, 7, 'error'],
      [8, 8, 'none'],
    ]);
  });
});

describe('single-line logs', () => {
  it('merges nothing: every record of a real single-line log is its own event', () => {
    const lines = [
      '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
      '081109 203807 222 WARN dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_-6952295868487656571 terminating',
      '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected',
      'KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-18.32.07.349018 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt',
      '03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken',
      '03-17 16:13:38.819  1702  8671 E PowerManagerService: release:lock=233570404',
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0',
      '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
      '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579',
      '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
    ];
    expect(groups(lines)).toEqual([
      [0, 0, 'info'],
      [1, 1, 'warn'],
      [2, 2, 'info'],
      [3, 3, 'fatal'],
      [4, 4, 'debug'],
      [5, 5, 'error'],
      [6, 6, 'none'],
      [7, 7, 'error'],
      [8, 8, 'none'],
      [9, 9, 'none'],
    ]);
  });
});

describe('indented record headers', () => {
  it('old hclog (Consul/Vault) indented records are events of their own; Java and Python frames stay continuations', () => {
    expect(
      groups([
        '2024-05-14T09:21:07.412Z [TRACE] client.alloc_runner: running pre-run hooks',
        '    2024/05/14 09:21:08 [INFO] raft: entering follower state',
        '    2024/05/14 09:21:09 [ERR] agent: failed to sync remote state',
        '2024-05-14 09:21:10 ERROR c.e.Svc - request failed',
        'java.lang.IllegalStateException: boom',
        '\tat com.example.Svc.run(Svc.java:42)',
      ]),
    ).toEqual([
      [0, 0, 'trace'],
      [1, 1, 'info'],
      [2, 2, 'error'],
      [3, 5, 'error'],
    ]);
  });
});

describe('Go: the group ends at the end of the goroutine dump', () => {
  it('a bare word after the last frame is the next event', () => {
    expect(
      groups([
        'panic: runtime error: index out of range [5] with length 3',
        '',
        'goroutine 1 [running]:',
        'main.main()',
        '\t/src/app/main.go:11 +0x1d',
        'created by main.start in goroutine 1',
        '\t/src/app/main.go:7 +0x25',
        'restarting',
      ]),
    ).toEqual([
      [0, 6, 'fatal'],
      [7, 7, 'none'],
    ]);
  });
});
