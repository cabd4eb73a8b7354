import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LevelDetector } from '../../src/pipeline/formats/detect.js';
import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, TRACE, WARN } from '../../src/pipeline/levels.js';
import {
  DEFAULT_MULTILINE_MAX_BYTES,
  DEFAULT_MULTILINE_MAX_LINES,
  DEFAULT_MULTILINE_TIMEOUT_MS,
  MultilineGrouper,
  type MultilineOptions,
} from '../../src/pipeline/multiline.js';

const detector = new LevelDetector();
const detectLevel = (line: string): number => detector.detect(line);
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

interface Emitted {
  text: string;
  level: string;
  startedAt: number;
  lineCount: number;
}

function harness(opts: Partial<Omit<MultilineOptions, 'emit'>> = {}) {
  const events: Emitted[] = [];
  let capped = 0;
  const g = new MultilineGrouper({
    timeoutMs: DEFAULT_MULTILINE_TIMEOUT_MS,
    maxBytes: DEFAULT_MULTILINE_MAX_BYTES,
    maxLines: DEFAULT_MULTILINE_MAX_LINES,
    ...opts,
    emit: (text, level, startedAt, lineCount) =>
      events.push({ text, level: NAMES[level] ?? String(level), startedAt, lineCount }),
    onCapped: () => capped++,
  });
  /** what the pipeline does per line: strip ANSI, detect, push */
  const push = (line: string, now: number) => {
    const text = stripAnsi(line);
    g.push(text, text.length === 0 ? NO_LEVEL : detectLevel(text), now);
  };
  return { g, events, push, capped: () => capped };
}

interface GroupCase {
  format: string;
  lines: string[];
  events: [number, number][];
  levels: string[];
  note?: string;
  /** optional, per line: the stream it came from (a merged reader's sequence) */
  streams?: string[];
}

function load(url: URL): GroupCase[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as GroupCase);
}

/**
 * CRI `P`/`F` reassembly happens in the CRI decoder before grouping and is tested there; a corpus record
 * in that format would model a different layer, so it is excluded here by name.
 */
const isCriFormat = (c: GroupCase): boolean => /^cri\b/i.test(c.format);

/** Expected events: the corpus ranges, each shipped without its trailing blank lines. */
function expected(c: GroupCase) {
  return c.events.map(([a, b], k) => {
    const lines = c.lines.slice(a, b + 1).map(stripAnsi);
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    return { text: lines.join('\n'), level: c.levels[k], startedAt: a, lineCount: lines.length };
  });
}

/**
 * Feeds a corpus case through one grouper per stream, as the pipeline does (records without `streams`
 * are one stream). Line i is pushed at now = i ms, so no timeout fires. Events are put back in the order
 * of their first line.
 */
function run(c: GroupCase) {
  const groupers = new Map<string, ReturnType<typeof harness>>();
  for (const [i, line] of c.lines.entries()) {
    const stream = c.streams?.[i] ?? 'default';
    let h = groupers.get(stream);
    if (!h) groupers.set(stream, (h = harness()));
    h.push(line, i);
  }
  const out: Emitted[] = [];
  for (const h of groupers.values()) {
    h.g.flush();
    expect(h.g.pending).toBe(false);
    out.push(...h.events);
  }
  return out.sort((x, y) => x.startedAt - y.startedAt);
}

const SHARED = load(new URL('../../fixtures/corpus/multiline.shared.jsonl', import.meta.url));
const EXTRA = load(new URL('../../fixtures/corpus/multiline.extra.jsonl', import.meta.url));

describe('multiline grouping on the shared corpus (multiline.shared.jsonl)', () => {
  const cases = SHARED.filter((c) => !isCriFormat(c));
  it('covers the corpus', () => {
    console.log(
      `multiline.shared.jsonl: ${cases.length}/${SHARED.length} groups checked (CRI P/F excluded: ${SHARED.length - cases.length})`,
    );
    expect(cases.length).toBe(12);
  });
  it.each(cases.map((c) => [c.format, c] as const))('%s', (_name, c) => {
    expect(run(c)).toEqual(expected(c));
  });
});

describe('multiline grouping on our own cases (fixtures/corpus/multiline.extra.jsonl)', () => {
  it.each(EXTRA.map((c) => [c.format, c] as const))('%s', (_name, c) => {
    expect(run(c)).toEqual(expected(c));
  });
});

describe('timeout', () => {
  it('holds a single-line record until the next line or the timeout, never longer', () => {
    const h = harness({ timeoutMs: 1000 });
    h.push('INFO:app:ready', 0);
    expect(h.g.pending).toBe(true);
    h.g.tick(999);
    expect(h.events).toEqual([]);
    h.g.tick(1000);
    expect(h.events).toEqual([{ text: 'INFO:app:ready', level: 'info', startedAt: 0, lineCount: 1 }]);
    expect(h.g.pending).toBe(false);
  });

  it('measures the timeout from the last line, so a stack that is still arriving stays whole', () => {
    const h = harness({ timeoutMs: 1000 });
    h.push('Error: boom', 0);
    h.push('    at a (/app/a.js:1:1)', 900);
    h.g.tick(1800);
    expect(h.events).toEqual([]);
    h.push('    at b (/app/b.js:1:1)', 1850);
    h.g.tick(2849);
    expect(h.events).toEqual([]);
    h.g.tick(2850);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({ level: 'error', lineCount: 3, startedAt: 0 });
  });

  it('closes a stale group on push even when no tick came (a late continuation starts a new event)', () => {
    const h = harness({ timeoutMs: 1000 });
    h.push('ERROR:app:failed', 0);
    h.push('    detail arriving late', 5000);
    h.g.flush();
    expect(h.events.map((e) => [e.text, e.level])).toEqual([
      ['ERROR:app:failed', 'error'],
      ['    detail arriving late', 'none'],
    ]);
  });

  it('does not let blank lines keep a group open past the timeout', () => {
    const h = harness({ timeoutMs: 1000 });
    h.push('INFO:app:ready', 0);
    h.push('', 600);
    h.push('', 1200);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]!.text).toBe('INFO:app:ready');
  });
});

describe('caps', () => {
  it('closes a group at maxLines, counts it, and carries the level into the rest of the record', () => {
    const h = harness({ maxLines: 3 });
    h.push('Traceback (most recent call last):', 0);
    for (let i = 1; i <= 5; i++) h.push(`  File "/app/x.py", line ${i}, in f`, i);
    h.push('ValueError: bad', 6);
    h.push('INFO:app:next', 7);
    h.g.flush();
    expect(h.events.map((e) => [e.lineCount, e.level])).toEqual([
      [3, 'error'],
      [3, 'error'],
      [1, 'error'],
      [1, 'info'],
    ]);
    expect(h.events[2]!.text).toBe('ValueError: bad');
    expect(h.capped()).toBe(2);
  });

  it('closes a group at maxBytes (UTF-16 length of the joined text) and counts it', () => {
    const h = harness({ maxBytes: 30 });
    h.push('Error: boom', 0); // 11
    h.push('    at a (x:1)', 1); // +1+14 = 26
    h.push('    at b (x:2)', 2); // +15 = 41 > 30: cap
    h.g.flush();
    expect(h.events.map((e) => e.text)).toEqual(['Error: boom\n    at a (x:1)', '    at b (x:2)']);
    expect(h.events[1]!.level).toBe('error');
    for (const e of h.events) expect(e.text.length).toBeLessThanOrEqual(30);
    expect(h.capped()).toBe(1);
  });

  it('does not count a group closed by a new record, the timeout or flush', () => {
    const h = harness({ maxLines: 2 });
    h.push('INFO:a:1', 0);
    h.push('INFO:a:2', 1);
    h.g.tick(5000);
    h.push('INFO:a:3', 6000);
    h.g.flush();
    expect(h.events).toHaveLength(3);
    expect(h.capped()).toBe(0);
  });

  it('stays bounded under a flood of blank lines inside a group', () => {
    const h = harness({ maxLines: 1000 });
    h.push('ERROR:app:x', 0);
    for (let i = 0; i < 10_000; i++) h.push('', 1);
    h.push('INFO:app:y', 2);
    h.g.flush();
    expect(h.events.map((e) => e.text)).toEqual(['ERROR:app:x', 'INFO:app:y']);
    expect(h.capped()).toBe(0);
  });
});

describe('flush', () => {
  it('emits the open group at end of input, and nothing when none is open', () => {
    const h = harness();
    h.g.flush();
    expect(h.events).toEqual([]);
    h.push('panic: boom', 10);
    h.push('', 11);
    h.push('goroutine 1 [running]:', 12);
    h.push('main.main()', 13);
    h.push('\t/app/main.go:5 +0x1d', 14);
    h.g.flush();
    expect(h.events).toEqual([
      {
        text: 'panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d',
        level: 'fatal',
        startedAt: 10,
        lineCount: 5,
      },
    ]);
    h.g.flush();
    expect(h.events).toHaveLength(1);
  });
});

describe('blank lines', () => {
  it('drops a blank line outside a group and trims trailing blank lines from a group', () => {
    const h = harness();
    h.push('', 0);
    h.push('   ', 0);
    expect(h.g.pending).toBe(false);
    h.push('Error: x', 1);
    h.push('    at y (z:1:1)', 2);
    h.push('', 3);
    h.push(' \t', 4);
    h.g.flush();
    expect(h.events).toEqual([
      { text: 'Error: x\n    at y (z:1:1)', level: 'error', startedAt: 1, lineCount: 2 },
    ]);
  });

  it('keeps blank lines inside a group (Python chained exceptions)', () => {
    const h = harness();
    const lines = [
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'KeyError: 1',
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'Traceback (most recent call last):',
      '  File "a.py", line 3, in <module>',
      'RuntimeError: 2',
      '',
    ];
    for (const [i, l] of lines.entries()) h.push(l, i);
    h.g.flush();
    expect(h.events).toHaveLength(1);
    expect(h.events[0]!.text).toBe(lines.slice(0, 9).join('\n'));
    expect(h.events[0]!.lineCount).toBe(9);
  });
});

describe('never merging', () => {
  it('keeps streams apart: each stream has its own grouper, interleaving changes nothing', () => {
    const out = harness();
    const err = harness();
    err.push('ERROR:    Exception in ASGI application', 0);
    err.push('Traceback (most recent call last):', 1);
    out.push('INFO:     10.0.0.7:40112 - "GET /users/42 HTTP/1.1" 500 Internal Server Error', 2);
    err.push('  File "/app/db.py", line 23, in fetch_user', 3);
    out.push('    indented stdout line', 4);
    err.push('ValueError: x', 5);
    out.g.flush();
    err.g.flush();
    expect(err.events.map((e) => [e.level, e.lineCount])).toEqual([['error', 4]]);
    expect(out.events.map((e) => [e.level, e.lineCount])).toEqual([['info', 2]]);
  });

  it('starts a new event at every new record, however close together', () => {
    const h = harness();
    const lines = [
      'INFO:app:one',
      'WARNING:app:two',
      '2024-05-14T09:21:07.412Z\tERROR\tx.go:1\tthree',
      '{"level":30,"msg":"four"}',
      'time=2024-05-14T09:21:07.412Z level=INFO msg=five',
      'plain six',
      'plain seven',
    ];
    for (const l of lines) h.push(l, 0);
    h.g.flush();
    expect(h.events.map((e) => e.text)).toEqual(lines);
  });

  it('does not attach an exception that follows a plain line', () => {
    const h = harness();
    h.push('Hello from worker 3', 0);
    h.push('Traceback (most recent call last):', 1);
    h.push('  File "a.py", line 1, in <module>', 2);
    h.push('ValueError: x', 3);
    h.g.flush();
    expect(h.events.map((e) => [e.level, e.lineCount])).toEqual([
      ['none', 1],
      ['error', 3],
    ]);
  });
});

describe('pretty-printed JSON (issue 17)', () => {
  it('groups a bare { or [ with its indented lines and the closing bracket at column 0, and nothing after', () => {
    const { g, events, push } = harness();
    const lines = ['{', '  "level": "warn",', '  "tags": [', '    "a"', '  ]', '}', 'next', '[', '  1', ']'];
    for (const [i, l] of lines.entries()) push(l, 1000 + i);
    g.flush();
    expect(events.map((e) => [e.text, e.lineCount])).toEqual([
      ['{\n  "level": "warn",\n  "tags": [\n    "a"\n  ]\n}', 6],
      ['next', 1],
      ['[\n  1\n]', 3],
    ]);
  });

  it('groups a value printed with indent 0 (Python\'s json.dumps(indent=0), Go\'s MarshalIndent(v, "", "")) by its brackets\' depth', () => {
    const { g, events, push } = harness();
    // python3 -c 'import json; print(json.dumps({"level": "info", "msg": "a {x} \"q\"", "b": [1, 2], "c": {"d": None}, "e": []}, indent=0))'
    const py = [
      '{',
      '"level": "info",',
      '"msg": "a {x} \\"q\\"",',
      '"b": [',
      '1,',
      '2',
      '],',
      '"c": {',
      '"d": null',
      '},',
      '"e": []',
      '}',
    ];
    const lines = [
      ...py,
      '2024-05-14 09:21:07 INFO next',
      '[',
      '{',
      '"n": -1.5e3',
      '}',
      ']',
      '{',
      '"a": "b"',
      'INFO not json',
      '}',
    ];
    for (const [i, l] of lines.entries()) push(l, 1000 + i);
    g.flush();
    expect(events.map((e) => e.text)).toEqual([
      py.join('\n'),
      '2024-05-14 09:21:07 INFO next',
      '[\n{\n"n": -1.5e3\n}\n]',
      // a line that is no JSON line ends the group where it is: what follows is the app's own
      '{\n"a": "b"',
      'INFO not json',
      '}',
    ]);
  });

  it('leaves a bare { whose next line is at column 0 and no bracket as it was', () => {
    const { g, events, push } = harness();
    for (const [i, l] of ['{', 'not json', '}'].entries()) push(l, 1000 + i);
    g.flush();
    expect(events.map((e) => e.text)).toEqual(['{', 'not json', '}']);
  });
});
