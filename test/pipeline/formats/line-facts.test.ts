// The level detector's facts of a line (formats/lexer.ts), which later stages trust instead of
// reading the line again: each must agree with the reading it spares, on every corpus line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LevelDetector } from '../../../src/pipeline/formats/detect.js';
import {
  FIRST_WORD_NOT_KEY,
  HEADER_TIME_END_MASK,
  HEADER_TIME_END_SHIFT,
  NO_HEADER_TIME,
} from '../../../src/pipeline/formats/lexer.js';
import { HeaderTimeReader, headerTimeMayStart } from '../../../src/pipeline/structured/header-time.js';
import { looksLikeLogfmt } from '../../../src/pipeline/structured/logfmt.js';
import { TimeReader } from '../../../src/pipeline/structured/time.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every line of the corpus: the `line` of a JSONL record, else the file's own lines. */
function corpusLines(): string[] {
  const out: string[] = [];
  for (const path of files('fixtures/corpus')) {
    if (path.endsWith('.mjs') || path.endsWith('.md')) continue;
    for (const raw of readFileSync(path, 'utf8').split('\n')) {
      if (raw.length === 0) continue;
      out.push(raw);
      if (path.endsWith('.jsonl')) {
        const rec = JSON.parse(raw) as { line?: unknown; lines?: unknown };
        if (typeof rec.line === 'string') out.push(rec.line);
        if (Array.isArray(rec.lines)) for (const l of rec.lines) if (typeof l === 'string') out.push(l);
      }
    }
  }
  return out;
}

const notKey = (d: LevelDetector, line: string): boolean => {
  d.detect(line);
  return (d.lineFacts & FIRST_WORD_NOT_KEY) !== 0;
};

describe('FIRST_WORD_NOT_KEY', () => {
  it('is set only where looksLikeLogfmt() says no, on every corpus line', () => {
    const d = new LevelDetector();
    const lines = corpusLines();
    let set = 0;
    for (const line of lines) {
      if (!notKey(d, line)) continue;
      set++;
      expect(looksLikeLogfmt(line, line.charCodeAt(0)), line).toBe(false);
    }
    expect(lines.length).toBeGreaterThan(2000);
    expect(set).toBeGreaterThan(200);
  });

  it('a word then a space or colon: set; a key (even with `$`), a path before `=`, an ANSI-stripped reading, a prefix: not', () => {
    const d = new LevelDetector();
    expect(notKey(d, 'worker 3 app line=000000001 done')).toBe(true);
    expect(notKey(d, 'Processing order 42')).toBe(true);
    expect(notKey(d, 'oneword')).toBe(true);
    expect(notKey(d, 'time=2026-11-29T08:59:59Z level=warn msg=x')).toBe(false);
    expect(notKey(d, 'user=alice logged in')).toBe(false);
    expect(notKey(d, 'a/b=1 c=2')).toBe(false);
    expect(looksLikeLogfmt('a/b=1 c=2', 97)).toBe(true);
    expect(notKey(d, 'a$b=1 c=2')).toBe(false);
    expect(looksLikeLogfmt('a$b=1 c=2', 97)).toBe(false);
    expect(notKey(d, '\x1b[31mworker 3 went red\x1b[0m')).toBe(false);
    expect(notKey(d, '[web] worker 3 app')).toBe(false);
  });
});

describe('NO_HEADER_TIME', () => {
  const noHeaderTime = (d: LevelDetector, line: string): boolean => {
    d.detect(line);
    return (d.lineFacts & NO_HEADER_TIME) !== 0;
  };

  it('is set only with FIRST_WORD_NOT_KEY, and only where no header time is read, on every corpus line', () => {
    const d = new LevelDetector();
    const r = new HeaderTimeReader(new TimeReader());
    let set = 0;
    for (const line of corpusLines()) {
      if (!noHeaderTime(d, line)) continue;
      set++;
      expect(d.lineFacts & FIRST_WORD_NOT_KEY, line).toBe(FIRST_WORD_NOT_KEY);
      const c0 = line.charCodeAt(0);
      if (headerTimeMayStart(line, c0)) expect(r.read(line, c0, Date.now()), line).toBeNaN();
    }
    expect(set).toBeGreaterThan(200);
  });

  it("a word of any length: set; a capitalised three-letter word or a word in capitals before a space: not (a month's, a day's, a level's)", () => {
    const d = new LevelDetector();
    expect(noHeaderTime(d, 'worker 3 app line=000000001 done')).toBe(true);
    expect(noHeaderTime(d, 'Worker 3 app line=000000001 done')).toBe(true);
    expect(noHeaderTime(d, 'May 14 09:21:07 web-1 app[1]: started')).toBe(false);
    expect(noHeaderTime(d, 'Tue May 14 09:21:07 2024 backup')).toBe(false);
    expect(noHeaderTime(d, 'The app started')).toBe(false);
    expect(noHeaderTime(d, 'GET /health 200')).toBe(false);
  });

  it('a host before an access log (a word with a dot or colon, then an address, or a port): not; a dotted word before prose: set', () => {
    const d = new LevelDetector();
    const tail = ' - - [14/May/2024:09:21:07 +0000] "GET / HTTP/1.1" 200 5';
    expect(noHeaderTime(d, `example.com 10.0.0.1${tail}`)).toBe(false);
    expect(noHeaderTime(d, `example.com:443 10.0.0.1${tail}`)).toBe(false);
    expect(noHeaderTime(d, `localhost:8080 10.0.0.1${tail}`)).toBe(false);
    expect(noHeaderTime(d, `fe80::1${tail}`)).toBe(false);
    expect(noHeaderTime(d, 'http 2024-05-14T09:21:07.412641Z app/lb 192.168.131.39:2817')).toBe(false);
    expect(noHeaderTime(d, `a${'0'.repeat(63)} bucket [14/May/2024:09:21:07 +0000] x`)).toBe(false);
    expect(noHeaderTime(d, 'worker 3 app line=1 done')).toBe(true);
    expect(noHeaderTime(d, 'web-1  | {"level":"error","msg":"boom"}')).toBe(false); // docker compose
    expect(noHeaderTime(d, 'two  spaces then prose')).toBe(true);
    expect(noHeaderTime(d, 'com.example.App started')).toBe(true);
    expect(noHeaderTime(d, 'app.js listening')).toBe(true);
    expect(noHeaderTime(d, 'note: disk almost full')).toBe(true);
  });
});

describe('headerTime (HEADER_TIME_END_SHIFT)', () => {
  it('is the time and end the reader reads first, and skips what skipTs() skips, on every corpus line', () => {
    const d = new LevelDetector();
    d.readsHeaderTime = true;
    const skip = new LevelDetector();
    let set = 0;
    for (const line of corpusLines()) {
      d.detect(line);
      const end = (d.lineFacts >>> HEADER_TIME_END_SHIFT) & HEADER_TIME_END_MASK;
      if (Number.isNaN(d.headerTime)) {
        expect(end, line).toBe(0);
        continue;
      }
      set++;
      // what StructuredReader.read() reads at a digit or `[`, with a reader of its own
      const p = line.charCodeAt(0) === 91 ? 1 : 0;
      const time = new TimeReader();
      expect(time.isoTime(line, p, line.length), line).toBe(d.headerTime);
      expect(time.end, line).toBe(end);
      // skipTs() would have stopped at the same place, with the same findings
      expect(skip.skipTs(line, p), line).toBe(end);
      expect([skip.tsColon, skip.tsT], line).toEqual([d.tsColon, d.tsT]);
    }
    expect(set).toBeGreaterThan(100);
  });

  it('an ISO time at the start or in a leading `[`: read; a `t`, a zone after a space, more time characters or a time further in: left to the reader', () => {
    const d = new LevelDetector();
    d.readsHeaderTime = true;
    const read = (line: string): [number, number] => {
      d.detect(line);
      return [d.headerTime, (d.lineFacts >>> HEADER_TIME_END_SHIFT) & HEADER_TIME_END_MASK];
    };
    expect(read('2024-05-14T09:21:07.412Z INFO app started')).toEqual([
      Date.UTC(2024, 4, 14, 9, 21, 7, 412),
      24,
    ]);
    expect(read('[2024-05-14T09:21:07.412+02:00] ERROR boom')).toEqual([
      Date.UTC(2024, 4, 14, 7, 21, 7, 412),
      30,
    ]);
    expect(read('2024-05-14 09:21:07,412 - app - WARNING - x')).toEqual([
      new Date(2024, 4, 14, 9, 21, 7, 412).getTime(),
      23,
    ]);
    for (const line of [
      '2024-05-14t09:21:07Z INFO x',
      '2024-05-14 09:21:07 UTC [42] LOG:  x',
      '2014-03-10 19:57:38.562264131 -0400 EDT level=info',
      '2014-03-10 19:57:38.562264131 -0400 level=info',
      '2024-05-14 09:21:07.412 +02:00 [WRN] Retrying',
      '2024-05-14T09:21:07.412345678Z {"level":"info","msg":"a record after kubectl logs --timestamps"}',
      '[2024-05-14T09:21:07.412Z] level=info msg=x',
      '2024-05-14 09:21:07,412:INFO:app:x',
      'app 2024-05-14T09:21:07Z INFO x',
      '1715678467 INFO x',
    ])
      expect(read(line)[1], line).toBe(0);
    // structured reading off: the header is only skipped
    d.readsHeaderTime = false;
    expect(read('2024-05-14T09:21:07.412Z INFO app started')).toEqual([Number.NaN, 0]);
  });
});
