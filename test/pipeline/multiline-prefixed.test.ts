import { describe, expect, it } from 'vitest';
import { LevelDetector } from '../../src/pipeline/formats/detect.js';
import { levelName, NO_LEVEL } from '../../src/pipeline/levels.js';
import { MultilineGrouper } from '../../src/pipeline/multiline.js';
import { rfc3339End, SourcePrefix, withoutPrefixes } from '../../src/pipeline/source-prefix.js';
import { errorFromTrace, stackFrames } from '../../src/pipeline/structured/errors.js';
import { GO, JAVA, NODE, PYTHON } from '../helpers/traces.js';

/**
 * Issue 17 follow-up: a stack trace piped in from kubectl or docker compose carries their prefix on
 * every line. The prefixes, as the tools print them:
 * - `kubectl logs --timestamps` (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs:
 *   "Include timestamps on each line in the log output"): the kubelet's RFC3339NanoFixed time (9
 *   fraction digits, pkg/kubelet/kuberuntime/logs/logs.go), a space, the container's line;
 * - `docker logs -t` / `docker compose logs -t` ("Show timestamps"): the same with nine digits;
 * - `kubectl logs --prefix` ("Prefix each log line with the log source (pod name and container
 *   name)"): `[pod/<pod>/<container>] `, before the time when both are asked for;
 * - `docker compose logs` (https://docs.docker.com/reference/cli/docker/compose/logs/, the prefix
 *   `--no-log-prefix` turns off): the container's name padded to the longest, ` | `.
 */
const detector = new LevelDetector();

interface Group {
  first: number;
  last: number;
  level: string;
  text: string;
}

/** Groups `lines` (one per ms, so no timeout fires) as the pipeline does (the detector's level and facts). */
function groups(lines: readonly string[]): Group[] {
  const out: Group[] = [];
  const g = new MultilineGrouper({
    timeoutMs: 1000,
    maxBytes: 1 << 20,
    maxLines: 1000,
    emit: (text, level, startedAt, lineCount) => {
      out.push({
        first: startedAt,
        last: startedAt + lineCount - 1,
        level: level === NO_LEVEL ? 'none' : levelName(level),
        text,
      });
    },
  });
  for (const [i, line] of lines.entries()) {
    const level = line.length === 0 ? NO_LEVEL : detector.detect(line);
    g.push(line, level, i, line.length === 0 ? 0 : detector.lineFacts);
  }
  g.flush();
  return out.sort((a, b) => a.first - b.first);
}

const spans = (gs: Group[]) => gs.map((g) => [g.first, g.last, g.level]);

const TRACES = { python: PYTHON, java: JAVA, node: NODE, go: GO };
/** each trace is followed by the app's next lines, which stay events of their own */
const AFTER = ['worker 2 started', 'INFO ready'];

const PREFIXES = {
  // 8 digits: the prefix rule takes 7 or more (kubectl and docker write 9)
  'kubectl --timestamps': (i: number) => `2024-05-14T09:21:${String(7 + i).padStart(2, '0')}.41234567Z `,
  'docker logs -t': (i: number) => `2024-05-14T09:21:${String(7 + i).padStart(2, '0')}.412345678Z `,
  'kubectl --prefix': () => '[pod/web-7d9f6b8c4-x2k9p/app] ',
  'kubectl --prefix --timestamps': (i: number) => `[pod/web-7d9f6b8c4-x2k9p/app] 2024-05-14T09:21:07.${i}1Z `,
  'docker compose logs': () => 'web-1  | ',
  'docker compose logs -t': (i: number) => `web-1  | 2024-05-14T09:21:07.41234567${i % 10}Z `,
} as const;

describe('a trace under a source prefix groups as it does without one', () => {
  for (const [traceName, trace] of Object.entries(TRACES)) {
    for (const [prefixName, prefix] of Object.entries(PREFIXES)) {
      it(`${traceName} under ${prefixName}: the same events, levels and error; the text as written`, () => {
        const bare = [...trace, ...AFTER];
        const written = bare.map((l, i) => prefix(i) + l);
        const plain = groups(bare);
        const prefixed = groups(written);
        expect(spans(prefixed)).toEqual(spans(plain));
        expect(plain[0]!.level).toMatch(/^(error|fatal)$/);
        expect(plain[0]!.last).toBeGreaterThan(plain[0]!.first);
        // each event's text is its lines as written, prefixes and all (a trailing blank line trimmed)
        for (const g of prefixed) expect(g.text).toBe(written.slice(g.first, g.last + 1).join('\n'));
        // the error is the app's: kind, message, and a stack without the prefixes
        const sp = new SourcePrefix();
        const error = errorFromTrace(withoutPrefixes(prefixed[0]!.text, sp));
        expect(error).toEqual(errorFromTrace(plain[0]!.text));
        // Sentry's frames, read from that stack: the app's files and functions
        const frames = stackFrames(error!.stack);
        expect(frames.length).toBeGreaterThan(0);
        expect(frames).toEqual(stackFrames(plain[0]!.text));
      });
    }
  }

  it("a time of milliseconds or microseconds is the app's own header, not a tool's prefix: its lines are weighed as written", () => {
    // kubectl's and docker's times have 7 digits or more; an app's ISO header before each line of
    // a trace it printed is read as the app wrote it (each line its own record), as before prefixes
    // were read, so that ordinary ISO-timestamped lines pay nothing for them
    for (const digits of ['412', '412345']) {
      const written = PYTHON.map(
        (l, i) => `2024-05-14T09:21:${String(7 + i).padStart(2, '0')}.${digits}Z ${l}`,
      );
      expect(groups(written).length, digits).toBe(written.length);
    }
    const nanos = PYTHON.map((l, i) => `2024-05-14T09:21:${String(7 + i).padStart(2, '0')}.4123456Z ${l}`);
    expect(spans(groups(nanos))).toEqual([[0, PYTHON.length - 1, 'error']]);
  });

  it('the errors are the runtimes own (kind and message)', () => {
    const kinds = Object.values(TRACES).map((t) => {
      const e = errorFromTrace(groups(t)[0]!.text);
      return [e?.kind, e?.message];
    });
    expect(kinds).toEqual([
      ['ZeroDivisionError', 'division by zero'],
      ['java.lang.IllegalStateException', 'order 42 failed'],
      ['Error', 'config missing: DATABASE_URL'],
      ['panic', 'runtime error: index out of range [3] with length 3'],
    ]);
  });
});

describe('lines of different sources never join', () => {
  it('compose: a db-1 line ends web-1 trace; the frames after it are no longer a trace', () => {
    const lines = [
      'web-1  | Traceback (most recent call last):',
      'web-1  |   File "/app/worker.py", line 12, in <module>',
      'db-1   | 2024-05-14 09:21:07.412 UTC [1] LOG:  checkpoint starting: time',
      'web-1  |     run()',
      'web-1  | ZeroDivisionError: division by zero',
    ];
    expect(spans(groups(lines))).toEqual([
      [0, 1, 'error'],
      [2, 2, 'info'],
      [3, 3, 'none'],
      [4, 4, 'error'],
    ]);
  });

  it('kubectl --prefix: two containers stacks interleaved are never one event', () => {
    const lines = [
      '[pod/web-1/app] Error: boom',
      '[pod/web-1/app]     at main (/app/a.js:1:1)',
      '[pod/web-2/app] Error: bang',
      '[pod/web-2/app]     at main (/app/b.js:2:2)',
      '[pod/web-1/sidecar]     at other (/app/c.js:3:3)',
    ];
    expect(spans(groups(lines))).toEqual([
      [0, 1, 'error'],
      [2, 3, 'error'],
      [4, 4, 'none'],
    ]);
  });

  it('a prefixed line followed by an unprefixed one (and the other way round): two events', () => {
    expect(spans(groups(['[pod/web-1/app] Error: boom', '    at main (/app/a.js:1:1)']))).toEqual([
      [0, 0, 'error'],
      [1, 1, 'none'],
    ]);
    expect(spans(groups(['web-1  | Error: boom', '    at main (/app/a.js:1:1)']))).toEqual([
      [0, 0, 'error'],
      [1, 1, 'none'],
    ]);
    expect(spans(groups(['Error: boom', 'web-1  |     at main (/app/a.js:1:1)']))).toEqual([
      [0, 0, 'error'],
      [1, 1, 'none'],
    ]);
  });

  it('a blank line of another source ends the group; a blank line of its own is tentative as without a prefix', () => {
    const own = [
      'web-1  | panic: boom',
      'web-1  | ',
      'web-1  | goroutine 1 [running]:',
      'web-1  | main.main()',
    ];
    expect(spans(groups(own))).toEqual([[0, 3, 'fatal']]);
    const other = ['web-1  | panic: boom', 'db-1   | ', 'web-1  | goroutine 1 [running]:'];
    expect(spans(groups(other))).toEqual([
      [0, 0, 'fatal'],
      [2, 2, 'none'],
    ]);
  });
});

describe('the existing bounds hold under a prefix', () => {
  it('a prefixed trace over the line cap is shipped in parts of at most maxLines, the rest at its level', () => {
    const out: [number, string][] = [];
    const g = new MultilineGrouper({
      timeoutMs: 1000,
      maxBytes: 1 << 20,
      maxLines: 3,
      emit: (text, level) => out.push([text.split('\n').length, levelName(level)]),
    });
    const lines = [
      'Error: boom',
      ...Array.from({ length: 7 }, (_, i) => `    at f${i} (/app/a.js:${i}:1)`),
    ].map((l) => `web-1  | ${l}`);
    for (const [i, line] of lines.entries()) g.push(line, detector.detect(line), i, detector.lineFacts);
    g.flush();
    expect(out).toEqual([
      [3, 'error'],
      [3, 'error'],
      [2, 'error'],
    ]);
  });

  it("without the level detector's facts (a tool's own grouper) lines are read as they are", () => {
    const out: number[] = [];
    const g = new MultilineGrouper({
      timeoutMs: 1000,
      maxBytes: 1 << 20,
      maxLines: 1000,
      emit: (_text, _level, _at, lineCount) => out.push(lineCount),
    });
    for (const [i, line] of ['web-1  | Error: boom', 'web-1  |     at f (/app/a.js:1:1)'].entries())
      g.push(line, NO_LEVEL, i);
    g.flush();
    expect(out).toEqual([1, 1]);
  });
});

describe('an app own header, or a line that only looks like a prefix, is grouped as before', () => {
  it("an app's own ISO 8601 header before its unprefixed stack keeps it (the time is the app's)", () => {
    const lines = ['2024-05-14T09:21:07.412Z ERROR request failed', '    at main (/app/a.js:1:1)', 'next'];
    expect(spans(groups(lines))).toEqual([
      [0, 1, 'error'],
      [2, 2, 'none'],
    ]);
    // the stack is the lines as written: the first line's time is the app's own
    const text = groups(lines)[0]!.text;
    expect(withoutPrefixes(text, new SourcePrefix())).toBe(text);
  });

  it('a padded level after the time (Spring Boot `Z  INFO`) is a record, not an indented line', () => {
    const lines = [
      '2024-05-14T09:21:09.120Z ERROR 1 --- [main] c.a.App : failed',
      'java.lang.IllegalStateException: boom',
      '\tat com.acme.App.main(App.java:10)',
      '2024-05-14T09:21:09.310Z  INFO 1 --- [main] c.a.App : recovered',
    ];
    expect(spans(groups(lines))).toEqual([
      [0, 2, 'error'],
      [3, 3, 'info'],
    ]);
  });

  it('`Total  | 42 rows`, `[note] text`, `2024-05-14 is the date`: an indented line after each joins it', () => {
    for (const head of ['Total  | 42 rows', '[note] text', '2024-05-14 is the date', '[pod] text']) {
      // (`[note]` is a level word: info)
      expect(groups([head, '    more', 'next']).map((g) => [g.first, g.last])).toEqual([
        [0, 1],
        [2, 2],
      ]);
    }
  });

  it('the prefix reader: what is a prefix and where the app line starts', () => {
    const sp = new SourcePrefix();
    const read = (s: string) => {
      const b = sp.read(s, s.length > 0 ? s.charCodeAt(0) : -1);
      return [b, sp.keyEnd];
    };
    expect(read('2024-05-14T09:21:07.412345678Z x')).toEqual([31, 0]);
    expect(read('2024-05-14T09:21:07.4123456+02:00 x')).toEqual([34, 0]);
    // a time alone is a tool's only with 7 fraction digits or more (an app's own header is not)
    expect(read('2024-05-14T09:21:07Z x')).toEqual([0, 0]);
    expect(read('2024-05-14T09:21:07.412345+02:00 x')).toEqual([0, 0]);
    expect(read('2024-05-14T09:21:07.412345678Z')).toEqual([30, 0]);
    expect(read('[pod/web-1/app] x')).toEqual([16, 16]);
    expect(read('[pod/web-1/app] 2024-05-14T09:21:07Z x')).toEqual([37, 16]);
    expect(read('web-1  | x')).toEqual([9, 9]);
    expect(read('web-1  | 2024-05-14T09:21:07Z x')).toEqual([30, 9]);
    for (const s of [
      '2024-05-14 is the date',
      '2024-05-14T09:21:07 no zone',
      '2024-05-14T09:21:07.1234567890123456Z x',
      '2024-05-14T09:21:07Zx',
      '[note] text',
      '[pod] text',
      'Total  | 42 rows',
      'worker 1 started',
      '42',
      '',
    ])
      expect(read(s)).toEqual([0, 0]);
    // the digits are not looked at one by one: the separators, the zone and the length are
    expect(rfc3339End('2024-05-14T09:21:07.41234-07:00 x', 0)).toBe(31);
    expect(rfc3339End('2024-05-14T09:21:07.41234-0700 x', 0)).toBe(-1);
  });
});
