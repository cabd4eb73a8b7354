import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LevelDetector } from '../../../src/pipeline/formats/detect.js';
import { HeaderLexer } from '../../../src/pipeline/formats/lexer.js';
import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, TRACE, WARN } from '../../../src/pipeline/levels.js';

const detector = new LevelDetector();
const detectLevel = (line: string): number => detector.detect(line);
const lexer = new HeaderLexer();
const isExceptionHeader = (line: string): boolean => lexer.exceptionHeader(line, 0) === ERROR;
const isQualifiedExceptionHeader = (line: string): boolean =>
  lexer.exceptionHeader(line, 0) === ERROR && lexer.qualified;

/** What the pipeline does before detection (issue 3: ANSI escapes are removed from the shipped copy). */
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const stripAnsi = (s: string): string => s.replace(ANSI, '');

const NAMES: Record<number, string> = {
  [NO_LEVEL]: 'none',
  [TRACE]: 'trace',
  [DEBUG]: 'debug',
  [INFO]: 'info',
  [WARN]: 'warn',
  [ERROR]: 'error',
  [FATAL]: 'fatal',
};
const nameOf = (lv: number): string => NAMES[lv] ?? `?${lv}`;

interface LevelCase {
  line: string;
  level: string;
  format: string;
  stream: string;
  note?: string;
}

function load(url: URL): LevelCase[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LevelCase);
}

const SHARED = load(new URL('../../../fixtures/corpus/levels.shared.jsonl', import.meta.url));
const EXTRA = load(new URL('../../../fixtures/corpus/levels.extra.jsonl', import.meta.url));

/** Lines whose true level is at most info: reporting one as error/fatal pages someone at night. */
const QUIET = new Set(['trace', 'debug', 'info', 'none']);

function score(cases: LevelCase[], prepare: (s: string) => string) {
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const c of cases) {
    const got = nameOf(detectLevel(prepare(c.line)));
    if (got !== c.level)
      misses.push(`${c.format}: expected ${c.level}, got ${got}: ${JSON.stringify(c.line)}`);
    if (QUIET.has(c.level) && (got === 'error' || got === 'fatal')) falseAlarms.push(misses.at(-1)!);
  }
  return { right: cases.length - misses.length, total: cases.length, misses, falseAlarms };
}

describe('detectLevel on the shared corpus (levels.shared.jsonl)', () => {
  it('is at least 99% exactly right, with no false alarm', () => {
    const r = score(SHARED, stripAnsi);
    console.log(
      `levels.shared.jsonl: ${r.right}/${r.total} exactly right (${((100 * r.right) / r.total).toFixed(1)}%)`,
    );
    expect(r.total).toBe(166);
    expect(r.right / r.total).toBeGreaterThanOrEqual(0.99);
    expect(r.falseAlarms).toEqual([]);
    // every miss is listed here so that a regression shows which line broke
    expect(r.misses.length).toBeLessThanOrEqual(Math.floor(r.total * 0.01));
  });

  it('gives the same answers when ANSI escapes were left in the line', () => {
    const r = score(SHARED, (s) => s);
    expect(r.falseAlarms).toEqual([]);
    expect(r.right / r.total).toBeGreaterThanOrEqual(0.99);
  });
});

describe('detectLevel on our own cases (fixtures/corpus/levels.extra.jsonl)', () => {
  it('gets every case right, with or without ANSI', () => {
    const r = score(EXTRA, stripAnsi);
    console.log(`levels.extra.jsonl: ${r.right}/${r.total} exactly right`);
    expect(r.misses).toEqual([]);
    expect(score(EXTRA, (s) => s).misses).toEqual([]);
  });
});

describe('detectLevel: the level comes from the level position only', () => {
  it.each([
    ['INFO: retrying after error', INFO],
    ['level=info msg="error budget ok"', INFO],
    ['time="2024-05-14T09:21:09Z" level=info msg="level=error in the message"', INFO],
    ['GET /error/404', NO_LEVEL],
    ['0 errors', NO_LEVEL],
    ['[09:21:07] Found 0 errors. Watching for file changes.', NO_LEVEL],
    ['2024-05-14 09:21:10,022 - app.sync - INFO - Retrying after error: connection reset', INFO],
    ['INFO:     10.0.0.7:40112 - "POST /api/upload HTTP/1.1" 500 Internal Server Error', INFO],
    ['2024-05-14 09:21:12.001 UTC [412] LOG:  could not receive data from client', INFO],
    ['1:C 14 May 2024 09:21:07.412 # Error condition on socket for SYNC', WARN],
    ['Completed 500 Internal Server Error in 38ms', NO_LEVEL],
    ['{"status":"ok","error":null,"took_ms":12}', NO_LEVEL],
    ['{"msg":"x","err":{"level":"error"}}', NO_LEVEL],
    ['Error handling enabled', NO_LEVEL],
    ['Alert: new device signed in', NO_LEVEL],
    ['FAIL src/app.test.ts', NO_LEVEL],
    ['2024-05-14 09:21:07 WARNING - name - ERROR - x', WARN],
  ])('%j → %i', (line, level) => {
    expect(nameOf(detectLevel(line))).toBe(nameOf(level));
  });
});

describe('detectLevel: structured lines', () => {
  it.each([
    ['{"level":10}', TRACE],
    ['{"level":20}', DEBUG],
    ['{"level":30}', INFO],
    ['{"level":40}', WARN],
    ['{"level":50}', ERROR],
    ['{"level":60}', FATAL],
    ['{"level":45,"msg":"custom"}', WARN],
    ['{"level":"30"}', INFO],
    ['{ "msg" : "x" , "level" : "Warning" }', WARN],
    ['{"severity":"CRITICAL"}', FATAL],
    ['{"severity":"EMERGENCY"}', FATAL],
    ['{"severity":"INFO"}', INFO],
    // a number under `severity` is syslog's only beside a facility (rsyslog); alone, a bug tracker's
    ['{"severity":3}', NO_LEVEL],
    ['{"id":"BUG-1","title":"login broken","severity":1,"status":"open"}', NO_LEVEL],
    ['{"msg":"ticket filed","severity":"2"}', NO_LEVEL],
    ['{"host":"web-1","facility":3,"severity":3,"message":"x"}', ERROR],
    ['{"syslogfacility":"16","severity":"4","msg":"x"}', WARN],
    ['{"Severity":9,"SeverityText":"INFO","Body":{"Type":"String","Value":"x"}}', INFO],
    ['{"lvl":"dbug"}', DEBUG],
    ['{"LogLevel":"Trace"}', TRACE],
    ['{"LogLevel":"Debug"}', DEBUG],
    ['{"LogLevel":"Error"}', ERROR],
    ['{"log.level":"warn"}', WARN],
    ['{"log":{"level":"fatal"}}', FATAL],
    ['{"@level":"Fatal"}', FATAL],
    ['{"loglevel":"notice"}', INFO],
    ['{"levelname":"CRITICAL"}', FATAL],
    ['{"status":"error","msg":"x"}', ERROR],
    // Datadog's status is the level only in a record with no level key of its own
    ['{"status":"error","level":"info","msg":"job finished","job":"backup"}', INFO],
    ['{"level":"info","status":"error"}', INFO],
    ['{"status":"error","level":"castle"}', NO_LEVEL],
    ['{"status":"error","level":null,"msg":"x"}', NO_LEVEL],
    ['{"status":"error","severity":2,"msg":"x"}', NO_LEVEL],
    ['{"status":"warn","service":"web","message":"slow"}', WARN],
    ['{"status":"error","levelname":"WARNING"}', WARN],
    ['{"status":500}', NO_LEVEL],
    ['{"PRIORITY":"3","MESSAGE":"x"}', ERROR],
    ['{"msg":"enqueued","priority":1}', NO_LEVEL],
    ['{"msg":"ticket","Priority":"2"}', NO_LEVEL],
    ['{"levelno":5}', TRACE],
    ['{"a":[1,{"level":"error"}],"b":"}{\\"","level":"info"}', INFO],
    ['{"level":"info"', INFO],
    ['{', NO_LEVEL],
    ['{}', NO_LEVEL],
    ['{"log":"WARNING:app:x\\n","stream":"stderr"}', WARN],
  ])('%s → %i', (line, level) => {
    expect(nameOf(detectLevel(line))).toBe(nameOf(level));
  });
});

describe('detectLevel: text formats and their level names', () => {
  it.each([
    // Python logging, uvicorn, gunicorn, loguru, structlog
    ['DEBUG:asyncio:Using selector: EpollSelector', DEBUG],
    ['WARNING:  Invalid HTTP request received.', WARN],
    ['2024-05-14 09:21:07.412 | SUCCESS  | app:main:1 - done', INFO],
    ['2024-05-14 09:21:07 [warning  ] slow', WARN],
    // Go log/slog's default handler: a minus offset only after DEBUG, as slog writes one
    ['2024/05/14 09:21:07 DEBUG-4 entering', TRACE],
    ['2024/05/14 09:21:07 INFO+2 notice', INFO],
    ['2024/05/14 09:21:07 ERROR+4 disk gone', FATAL],
    ['2024/05/14 09:21:07 ERROR-1045 access denied', ERROR],
    ['2024/05/14 09:21:07 WARN-2 odd', WARN],
    ['{"level":"ERROR-1045","msg":"x"}', ERROR],
    ['time=2024-05-14T09:21:07Z level=ERROR-1045 msg=x', ERROR],
    // JUL names
    ['SEVERE: x', ERROR],
    ['FINEST: x', TRACE],
    ['FINE: x', DEBUG],
    ['CONFIG: x', INFO],
    // .NET console
    ['trce: A[1]', TRACE],
    ['dbug: A[1]', DEBUG],
    ['info: A[1]', INFO],
    ['warn: A[1]', WARN],
    ['fail: A[1]', ERROR],
    ['crit: A[1]', FATAL],
    ['<6>A[0] x', INFO],
    ['<5>A[0] x', INFO],
    ['<0>A[0] x', FATAL],
    // Go
    ['W0514 09:21:07.498812       1 x.go:1] x', WARN],
    ['F0514 09:21:07.498812       1 x.go:1] x', FATAL],
    ['9:21PM WRN x', WARN],
    ['9:21AM PNC x', FATAL],
    ['PANI[0001] x', FATAL],
    ['TRAC[0001] x', TRACE],
    ['panic: boom [recovered]', FATAL],
    // Java / Spring
    ['2024-05-14 09:21:07.412 DEBUG 4821 --- [main] o.s.C : x', DEBUG],
    ['09:21:07.412 [main] TRACE c.a.X - x', TRACE],
    // servers
    ['2024/05/14 09:21:07 [info] 1#1: x', INFO],
    ['2024/05/14 09:21:07 [crit] 1#1: x', FATAL],
    ['[Tue May 14 09:21:07.001122 2024] [core:emerg] [pid 1] x', FATAL],
    ['[Tue May 14 09:21:07.001122 2024] [core:alert] [pid 1] x', FATAL],
    ['2024-05-14 09:21:07.412 UTC [1] NOTICE:  x', INFO],
    ['2024-05-14 09:21:07.412 UTC [1] INFO:  x', INFO],
    ['2024-05-14 09:21:07.412 UTC [1] DEBUG5:  x', DEBUG],
    ['2024-05-14 09:21:07.412 UTC [1] HINT:  x', NO_LEVEL],
    ['1:S 14 May 2024 09:21:07.412 - verbose', DEBUG],
    // runtimes
    ["thread 'main' panicked at src/config.rs:41:10:", FATAL],
    ['Exception in thread "main" java.lang.IllegalStateException: x', ERROR],
    ['java.lang.OutOfMemoryError: Java heap space', ERROR],
    ['    at Object.<anonymous> (/app/x.js:1:1)', NO_LEVEL],
    ['\tat com.acme.X.y(X.java:1)', NO_LEVEL],
    ['      Now listening on: http://[::]:8080', NO_LEVEL],
  ])('%j → %i', (line, level) => {
    expect(nameOf(detectLevel(line))).toBe(nameOf(level));
  });
});

describe('detectLevel: a source prefix before the line', () => {
  it("docker compose logs' `service  | ` before the service's own line: its level; a table row stays as it was", () => {
    expect(detectLevel('web-1  | 2024-05-14T09:21:07.412Z ERROR db down')).toBe(ERROR);
    expect(detectLevel('web-1  | ERROR db down')).toBe(ERROR);
    expect(detectLevel('api | WARN slow request')).toBe(WARN);
    expect(detectLevel('worker-2  | {"level":"debug","msg":"tick"}')).toBe(DEBUG);
    expect(detectLevel('web-1  | ready to accept connections')).toBe(NO_LEVEL);
    expect(detectLevel('Total  | 42 rows')).toBe(NO_LEVEL);
    expect(detectLevel('a|b ERROR x')).toBe(NO_LEVEL);
  });
});

describe('exception header helpers (used by the grouper)', () => {
  it.each([
    ['TypeError: x', true, false],
    ['Error: x', true, false],
    ['java.io.IOException: x', true, true],
    ['org.acme.FooException', true, true],
    ['Exception in thread "main" java.lang.X: y', true, false],
    ['Error [ERR_X]: y', true, false],
    ['ErrorHandler ready', false, false],
    ['DeprecationWarning: x', false, false],
    ['KeyboardInterrupt', false, false],
  ])('%j', (line, header, qualified) => {
    expect(isExceptionHeader(line)).toBe(header);
    expect(isQualifiedExceptionHeader(line)).toBe(qualified);
  });
});

describe('detectLevel: robustness', () => {
  it('handles empty, whitespace-only, very long and odd lines without throwing', () => {
    const odd = [
      '',
      ' ',
      '\r',
      '[',
      ']',
      '<',
      '(',
      '/',
      '{"',
      '{"level":',
      '{"level":"',
      'level=',
      'level="unterminated',
      '2024-05-14',
      '2024-05-14 09:21:07',
      '[2024-05-14 09:21:07',
      'x'.repeat(100_000),
      `{"a":"${'\\'.repeat(1001)}"}`,
      '\u001b[31m',
      '\u001b',
    ];
    for (const line of odd) expect(typeof detectLevel(line)).toBe('number');
  });
});
