import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { appLines, cleanEnv, readEvents, runCli, tempDir } from '../helpers/cli.js';

/**
 * The shared corpus through the public entry point: the built CLI (`forwarder pipe`) with the
 * file drain, exactly as a user runs it. The unit tests beside this file cover the same corpus
 * line by line; this proves the wiring (ANSI stripped before detection, per-stream defaults,
 * grouping, flush at end of input).
 */
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const strip = (s: string): string => s.replace(ANSI, '');
const shown = (level: string): string => (level === 'none' ? 'info' : level);

interface LevelCase {
  line: string;
  level: string;
  format: string;
}
interface GroupCase {
  format: string;
  lines: string[];
  events: [number, number][];
  levels: string[];
}

function jsonl<T>(url: URL): T[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

// An empty line is not shipped at all (there is nothing to ship), so it has no level to compare.
const LEVELS = jsonl<LevelCase>(new URL('../../fixtures/corpus/levels.shared.jsonl', import.meta.url)).filter(
  (c) => strip(c.line).replace(/\r$/, '') !== '',
);
const GROUPS = jsonl<GroupCase>(new URL('../../fixtures/corpus/multiline.shared.jsonl', import.meta.url));

let n = 0;
// The corpus lines are what apps write: `--format plain`, so that the one docker json-file line among
// them is shipped as written (under `auto` it is unwrapped; the container cases below cover that).
async function pipe(
  lines: string[],
  extra: Record<string, string> = {},
): Promise<ReturnType<typeof readEvents>> {
  const path = tmp.file(`corpus-${++n}.ndjson`);
  const res = await runCli(['pipe', '--stream', 'stderr', '--format', 'plain'], {
    env: cleanEnv({ FORWARDER_FILE: path, ...extra }),
    input: `${lines.join('\n')}\n`,
  });
  expect(res.code).toBe(0);
  return appLines(readEvents(path));
}

describe('the shared corpus through `forwarder pipe`', () => {
  it('levels.shared.jsonl: ≥ 99% exactly right, and no info/debug line ever shipped as error/fatal', async () => {
    const events = await pipe(
      LEVELS.map((c) => c.line),
      { FORWARDER_MULTILINE: '0' },
    );
    expect(events).toHaveLength(LEVELS.length);
    let right = 0;
    const alarms: string[] = [];
    LEVELS.forEach((c, i) => {
      const got = events[i]!;
      expect(got.message).toBe(strip(c.line).replace(/\r$/, ''));
      if (got.level === shown(c.level)) right++;
      if (['trace', 'debug', 'info', 'none'].includes(c.level) && ['error', 'fatal'].includes(got.level))
        alarms.push(c.line);
    });
    console.log(`levels through the CLI: ${right}/${LEVELS.length} exactly right`);
    expect(right / LEVELS.length).toBeGreaterThanOrEqual(0.99);
    expect(alarms).toEqual([]);
  });

  for (const group of GROUPS) {
    it(`multiline.shared.jsonl: ${group.format} is grouped exactly`, async () => {
      const events = await pipe(group.lines);
      const expected = group.events.map(([from, to], i) => ({
        message: strip(group.lines.slice(from, to + 1).join('\n')).replace(/\n+$/, ''),
        level: shown(group.levels[i]!),
      }));
      expect(events.map((e) => ({ message: e.message, level: e.level }))).toEqual(expected);
    });
  }
});

describe('levels and grouping from the format table, through `forwarder pipe` (issue 14)', () => {
  const run = async (input: string, args: string[] = []) => {
    const path = tmp.file(`issue14-${++n}.ndjson`);
    const res = await runCli(['pipe', ...args], { env: cleanEnv({ FORWARDER_FILE: path }), input });
    expect(res.code).toBe(0);
    return appLines(readEvents(path)).map((e) => ({ level: e.level, stream: e.stream, message: e.message }));
  };

  it('a traceback ends at its exception line: the two lines after it are their own events', async () => {
    const events = await run(
      'Traceback (most recent call last):\n  File "x", line 1\nValueError: bad input\nhello a\nhello b\n',
    );
    expect(events).toEqual([
      {
        level: 'error',
        stream: 'stdout',
        message: 'Traceback (most recent call last):\n  File "x", line 1\nValueError: bad input',
      },
      { level: 'info', stream: 'stdout', message: 'hello a' },
      { level: 'info', stream: 'stdout', message: 'hello b' },
    ]);
  });

  it('an INFO record and then a crash are two events, the second error', async () => {
    const events = await run(
      '2024-05-14 09:21:07,412 INFO worker: processing job 7\nTraceback (most recent call last):\n  File "/app/w.py", line 3, in <module>\nKeyError: 7\n',
      ['--stream', 'stderr'],
    );
    expect(events.map((e) => [e.level, e.message.split('\n').length])).toEqual([
      ['info', 1],
      ['error', 3],
    ]);
  });

  const CRI =
    '2019-05-07T18:57:50.904275087+00:00 stdout P 1a. some \n' +
    '2019-05-07T18:57:51.904275088+00:00 stdout P multiline \n' +
    '2019-05-07T18:57:52.904275089+00:00 stdout F log\n' +
    '2019-05-07T18:57:53.904275090+00:00 stderr F level=error msg="db gone"\n';

  it("CRI P/P/F pieces become one record, with the record's own stream (--format auto and cri)", async () => {
    const want = [
      { level: 'info', stream: 'stdout', message: '1a. some multiline log' },
      { level: 'error', stream: 'stderr', message: 'level=error msg="db gone"' },
    ];
    expect(await run(CRI)).toEqual(want);
    expect(await run(CRI, ['--format', 'cri'])).toEqual(want);
  });

  it('docker json-file lines are unwrapped (--format docker); --format plain ships lines as they are', async () => {
    const docker =
      '{"log":"part one, ","stream":"stdout","time":"2024-05-14T09:21:07.1Z"}\n' +
      '{"log":"part two\\n","stream":"stdout","time":"2024-05-14T09:21:07.2Z"}\n' +
      '{"log":"WARNING:app:slow\\n","stream":"stderr","time":"2024-05-14T09:21:07.3Z"}\n';
    expect(await run(docker, ['--format', 'docker'])).toEqual([
      { level: 'info', stream: 'stdout', message: 'part one, part two' },
      { level: 'warn', stream: 'stderr', message: 'WARNING:app:slow' },
    ]);
    const plain = await run(CRI, ['--format', 'plain']);
    expect(plain.map((e) => e.message)).toEqual(CRI.trimEnd().split('\n'));
  });

  it('Elixir, Erlang/OTP, Next.js and logcat -v long records: one event each, at their level (also under CRI)', async () => {
    const elixir = [
      '09:21:07.412 [info] Running ShopWeb.Endpoint with Bandit at 0.0.0.0:4000',
      '09:21:08.001 [error] GenServer Shop.Worker terminating',
      '** (RuntimeError) boom',
      '    (shop 0.1.0) lib/shop/worker.ex:12: Shop.Worker.handle_info/2',
      '    (stdlib 5.2) gen_server.erl:1095: :gen_server.try_handle_info/4',
      'Last message: :tick',
      'State: %{jobs: 0}',
      '',
      '=ERROR REPORT==== 14-May-2024::09:21:09.123456 ===',
      'Error in process <0.90.0> with exit value:',
      "{badarith,[{erlang,'/',[1,0],[]}]}",
      '',
      '\x1b[31m\x1b[1m⨯\x1b[22m\x1b[39m Error: fetch failed',
      '    at async Page (/app/.next/server/app/page.js:1:2345)',
      ' ⚠ Fast Refresh had to perform a full reload.',
      '[ 05-14 09:21:10.120  4242: 4242 E/AndroidRuntime ]',
      'FATAL EXCEPTION: main',
      'Process: com.acme.shop, PID: 4242',
      '',
      'done',
    ];
    const want = [
      ['info', 1],
      ['error', 6],
      ['error', 3],
      ['error', 2],
      ['warn', 1],
      ['error', 3],
      ['info', 1],
    ];
    const plain = await run(`${elixir.join('\n')}\n`, ['--stream', 'stderr']);
    expect(plain.map((e) => [e.level, e.message.split('\n').length])).toEqual(want);
    expect(plain[2]!.message).not.toContain('\x1b');
    // the same lines as a container runtime writes them (a millisecond apart): CRI records, the long ones
    // split in P/F pieces
    const cri = elixir
      .map((line, i) => {
        const ts = `2024-05-14T09:21:10.${String(i).padStart(3, '0')}000000Z stderr`;
        if (line.length < 20) return `${ts} F ${line}`;
        return `${ts} P ${line.slice(0, 12)}\n${ts} F ${line.slice(12)}`;
      })
      .join('\n');
    const unwrapped = await run(`${cri}\n`);
    expect(unwrapped.map((e) => [e.level, e.message.split('\n').length])).toEqual(want);
    expect(unwrapped.map((e) => e.message)).toEqual(plain.map((e) => e.message));
  });

  it('auto reads record by record: docker json-file and CRI records mixed, pieces flushed at a foreign line', async () => {
    // the shapes of Fluent Bit's tests/internal/multiline.c docker and container_mix cases
    const docker = (log: string, stream: string) =>
      `{"log": ${JSON.stringify(log)}, "stream": "${stream}", "time": "2024-05-14T09:21:07.1Z"}`;
    const cri = (stream: string, tag: string, text: string) =>
      `2024-05-14T09:21:07.2Z ${stream} ${tag} ${text}`;
    const input = [
      docker('a1\n', 'stdout'),
      docker('b', 'stdout'),
      docker('c', 'stdout'),
      docker('d', 'stderr'),
      docker('e\n', 'stderr'),
      cri('stdout', 'F', 'single full'),
      cri('stdout', 'P', 'one '),
      cri('stdout', 'F', 'record'),
      docker('x', 'stderr'),
      'a plain line ends the pending piece',
      docker('y\n', 'stderr'),
    ];
    const events = await run(`${input.join('\n')}\n`);
    const byStream = (name: string) => events.filter((e) => e.stream === name).map((e) => e.message);
    expect(byStream('stdout')).toEqual([
      'a1',
      'bc',
      'single full',
      'one record',
      'a plain line ends the pending piece',
    ]);
    expect(byStream('stderr')).toEqual(['de', 'x', 'y']);
  });

  it('a bad --format gets one line naming the setting', async () => {
    const res = await runCli(['pipe', '--format', 'xml'], { env: cleanEnv({}), input: 'x\n' });
    expect(res.code).not.toBe(0);
    const stderr = res.stderr.toString().trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain('--format');
  });
});
