// Issue 17 follow-up through the built CLI: `kubectl logs --timestamps | forwarder pipe`, `kubectl
// logs --prefix`, `docker logs -t`, `docker compose logs [-t]`: an app's stack trace under the tool's
// prefix is one event, its error the app's own (test/pipeline/multiline-prefixed.test.ts has the
// prefixes' sources and the grouper's cases).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pipedEvents } from '../helpers/piped.js';
import { GO, JAVA, NODE, PYTHON } from '../helpers/traces.js';

const dir = mkdtempSync(join(tmpdir(), 'fwd-prefixed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ErrorField {
  kind: string;
  message: string;
  stack: string;
}
type Canonical = Record<string, unknown> & {
  message: string;
  stream: string;
  level: string;
  error?: ErrorField;
};

/** `lines` through `forwarder pipe` into the file drain: the app's events, in order. */
const piped = (name: string, lines: readonly string[]) => pipedEvents<Canonical>(join(dir, name), lines);

/** Python 3.11, Throwable.printStackTrace with a cause, Node 20's uncaught report, Go's panic; then a record */
const TRACES = [PYTHON, JAVA, NODE, GO];
const APP_OUTPUT = [...TRACES.flat(), 'INFO ready'];
/** where each event of APP_OUTPUT starts and ends: each trace (its blank lines inside kept), then the record */
const EVENTS: [number, number][] = [];
for (const t of TRACES) {
  const first = EVENTS.length === 0 ? 0 : EVENTS[EVENTS.length - 1]![1] + 1;
  EVENTS.push([first, first + t.length - 1]);
}
EVENTS.push([APP_OUTPUT.length - 1, APP_OUTPUT.length - 1]);
const ERRORS = [
  { kind: 'ZeroDivisionError', message: 'division by zero' },
  { kind: 'java.lang.IllegalStateException', message: 'order 42 failed' },
  { kind: 'Error', message: 'config missing: DATABASE_URL' },
  { kind: 'panic', message: 'runtime error: index out of range [3] with length 3' },
];

// a time of 8 digits: the prefix rule takes 7 or more (kubectl and docker write 9)
const time = (i: number) => `2024-05-14T09:21:${String(7 + (i % 50)).padStart(2, '0')}.41234567Z`;
const PREFIXES: Record<string, (i: number) => string> = {
  'kubectl logs --timestamps': (i) => `${time(i)} `,
  'docker logs -t': (i) => `2024-05-14T09:21:07.${String(i).padStart(9, '0')}Z `,
  'kubectl logs --prefix': () => '[pod/web-7d9f6b8c4-x2k9p/app] ',
  'kubectl logs --prefix --timestamps': (i) => `[pod/web-7d9f6b8c4-x2k9p/app] ${time(i)} `,
  'docker compose logs': () => 'web-1  | ',
  'docker compose logs -t': (i) => `web-1  | ${time(i)} `,
};

describe('a stack trace under kubectl or docker compose prefixes is one event through `forwarder pipe`', () => {
  for (const [name, prefix] of Object.entries(PREFIXES)) {
    it(`${name}: Python, Java, Node and Go traces each one event with the app's error`, async () => {
      const written = APP_OUTPUT.map((l, i) => prefix(i) + l);
      const events = await piped(`${name.replace(/\W+/g, '-')}.ndjson`, written);
      expect(events.map((e) => e.message)).toEqual(
        EVENTS.map(([a, b]) => written.slice(a, b + 1).join('\n')),
      );
      expect(events.map((e) => e.level)).toEqual(['error', 'error', 'error', 'fatal', 'info']);
      for (const [i, want] of ERRORS.entries()) {
        const error = events[i]!.error!;
        expect(error).toMatchObject(want);
        // the stack is the app's lines, without the tool's prefix
        const [a, b] = EVENTS[i]!;
        expect(error.stack).toBe(APP_OUTPUT.slice(a, b + 1).join('\n'));
      }
      expect(events[4]!.error).toBeUndefined();
    });
  }
});

describe('what is not one source, or no prefix, through `forwarder pipe`', () => {
  it('interleaved compose services are never merged; a prefixed line and an unprefixed one are two events', async () => {
    const events = await piped('interleaved.ndjson', [
      'web-1  | Error: boom',
      'web-1  |     at main (/app/a.js:1:1)',
      'db-1   | 2024-05-14 09:21:07.412 UTC [1] LOG:  checkpoint starting: time',
      'web-1  |     at next (/app/a.js:2:2)',
      '[pod/web-1/app] Error: bang',
      '    at main (/app/b.js:2:2)',
    ]);
    expect(events.map((e) => [e.message.split('\n').length, e.level])).toEqual([
      [2, 'error'],
      [1, 'info'],
      [1, 'info'],
      [1, 'error'],
      [1, 'info'],
    ]);
    expect(events[0]!.error).toMatchObject({ kind: 'Error', message: 'boom' });
    expect(events[0]!.error!.stack).toBe('Error: boom\n    at main (/app/a.js:1:1)');
  });

  it("`Total  | 42 rows`, `[note] text`, `2024-05-14 is the date`, an app's own ISO header: grouped as the app wrote them", async () => {
    const lines = [
      'Total  | 42 rows',
      '    more',
      '[note] text',
      '    more',
      '2024-05-14 is the date',
      '    more',
      '2024-05-14T09:21:07.412Z ERROR request failed',
      'java.lang.IllegalStateException: boom',
      '\tat com.acme.App.main(App.java:10)',
    ];
    const events = await piped('look-alike.ndjson', lines);
    expect(events.map((e) => e.message)).toEqual([
      lines.slice(0, 2).join('\n'),
      lines.slice(2, 4).join('\n'),
      lines.slice(4, 6).join('\n'),
      lines.slice(6).join('\n'),
    ]);
    // the app's own header stays in its error's stack: no tool's prefix to take off
    expect(events[3]!.error).toMatchObject({ kind: 'java.lang.IllegalStateException', message: 'boom' });
    expect(events[3]!.error!.stack).toBe(lines.slice(6).join('\n'));
  });
});
