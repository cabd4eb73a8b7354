import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APPS,
  appLines,
  cleanEnv,
  fileDrainEnvs,
  NODE,
  readEvents,
  runCli,
  startCli,
  tempDir,
  waitForFile,
} from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const fileEnv = fileDrainEnvs(tmp);

describe('forwarder run: the done-when case', () => {
  it('passes out/err through, exits 3, and ships both lines with identity and lifecycle events', async () => {
    const { env, path } = fileEnv({ FORWARDER_WORKER_ID: 'w-1', FORWARDER_AGENT_ID: 'agent-a' });
    const res = await runCli(['run', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { env });
    expect(res.code).toBe(3);
    expect(res.stdout.toString()).toBe('out\n');
    expect(res.stderr.toString().startsWith('err\n')).toBe(true);
    const events = readEvents(path);
    const lines = appLines(events);
    expect(lines.map((e) => [e.stream, e.message, e.level])).toEqual(
      expect.arrayContaining([
        ['stdout', 'out', 'info'],
        ['stderr', 'err', 'info'],
      ]),
    );
    expect(lines).toHaveLength(2);
    for (const e of events) {
      expect(e.agent_id).toBe('agent-a');
      expect(e.worker_id).toBe('w-1');
      expect(typeof e.hostname).toBe('string');
      expect(e.instance).toMatch(/^[0-9a-f]{16}$/);
      expect(Number.isInteger(e.seq)).toBe(true);
      expect(e.timestamp).toBeGreaterThan(1.7e12);
    }
    // seq is unique and increasing in file order (one writer, in order)
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const kinds = events.filter((e) => e.stream === 'forwarder').map((e) => e.lifecycle?.kind);
    expect(kinds).toEqual(['started', 'exited']);
    const exited = events.find((e) => e.lifecycle?.kind === 'exited')!;
    expect(exited.lifecycle).toMatchObject({ exit_code: 3 });
    expect(exited.level).toBe('error');
    expect(events.find((e) => e.lifecycle?.kind === 'started')!.lifecycle).toMatchObject({
      command: 'sh -c echo out; echo err >&2; exit 3',
    });
  });

  it('defaults agent_id to the command basename and worker_id to $HOSTNAME', async () => {
    const { env, path } = fileEnv({ HOSTNAME: 'pod-xyz' });
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:hello'], { env });
    expect(res.code).toBe(0);
    const [ev] = appLines(readEvents(path));
    expect(ev).toMatchObject({ message: 'hello', agent_id: 'node', worker_id: 'pod-xyz' });
  });
});

describe('forwarder run: signals and exit codes', () => {
  it('forwards SIGTERM; the child says bye, exits 0, and bye is shipped', async () => {
    const { env, path } = fileEnv();
    const run = startCli(['run', '--', NODE, `${APPS}/trap-term.mjs`], { env });
    await run.waitForStdout('ready\n');
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('ready\nbye\n');
    expect(appLines(readEvents(path)).map((e) => e.message)).toEqual(['ready', 'bye']);
  });

  it('forwards SIGHUP and SIGUSR2 without ending the child', async () => {
    const { env } = fileEnv();
    const run = startCli(['run', '--', NODE, `${APPS}/trap-term.mjs`], { env });
    await run.waitForStdout('ready\n');
    run.child.kill('SIGHUP');
    await run.waitForStdout('got SIGHUP\n');
    run.child.kill('SIGUSR2');
    await run.waitForStdout('got SIGUSR2\n');
    run.child.kill('SIGTERM');
    expect((await run.result).code).toBe(0);
  });

  it('sends signals to the whole process group with --signal-group', async () => {
    const { env } = fileEnv();
    // The shell runs the trap app as a grandchild; only a group signal reaches it.
    const run = startCli(
      ['run', '--signal-group', '--', 'sh', '-c', `${NODE} ${APPS}/trap-term.mjs; exit 5`],
      { env },
    );
    await run.waitForStdout('ready\n');
    run.child.kill('SIGUSR2');
    await run.waitForStdout('got SIGUSR2\n');
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.stdout.toString()).toContain('bye\n');
  });

  it('exits 128+N when the child is killed by signal N (SIGKILL → 137)', async () => {
    const { env, path } = fileEnv();
    const res = await runCli(['run', '--', 'sh', '-c', 'kill -9 $$'], { env });
    expect(res.code).toBe(137);
    const exited = readEvents(path).find((e) => e.lifecycle?.kind === 'exited')!;
    expect(exited.lifecycle).toMatchObject({ exit_code: 137, signal: 'SIGKILL' });
  });

  it('exits 127 with one clear line when the command is not found', async () => {
    const { env, path } = fileEnv();
    const res = await runCli(['run', '--', 'pyton', 'agent.py'], { env });
    expect(res.code).toBe(127);
    expect(res.stderr.toString()).toContain('forwarder: cannot run "pyton": not found in PATH\n');
    expect(res.stderr.toString()).not.toMatch(/\n\s+at /);
    const failed = readEvents(path).find((e) => e.lifecycle?.kind === 'failed')!;
    expect(failed.message).toContain('not found in PATH');
    expect(failed.level).toBe('error');
  });

  it('exits 126 when the command is not executable', async () => {
    const script = tmp.file('not-exec.sh');
    writeFileSync(script, '#!/bin/sh\necho never\n');
    chmodSync(script, 0o644);
    const { env } = fileEnv();
    const res = await runCli(['run', '--', script], { env });
    expect(res.code).toBe(126);
    expect(res.stderr.toString()).toContain(
      `forwarder: cannot run "${script}": permission denied (not executable)`,
    );
  });
});

describe('forwarder run: pass-through is byte for byte', () => {
  const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const cases: [string, Buffer][] = [
    ['binary bytes 0..255', every],
    ['a last line without a newline', Buffer.from('first\nno newline at end')],
    [
      'invalid UTF-8 and ANSI colours',
      Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x52, 0x1b, 0x5b, 0x30, 0x6d, 0xff, 0xfe, 0x0a]),
    ],
    ['CRLF and a carriage-return progress bar', Buffer.from('a\r\n10%\r50%\r100%\n')],
  ];
  for (const [name, bytes] of cases) {
    it(`stdout and stderr unchanged: ${name}`, async () => {
      const { env } = fileEnv();
      const hex = bytes.toString('hex');
      const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, `raw-out:${hex}`, `raw-err:${hex}`], {
        env,
      });
      expect(res.code).toBe(0);
      expect(res.stdout.equals(bytes)).toBe(true);
      expect(res.stderr.subarray(0, bytes.length).equals(bytes)).toBe(true);
      // Our summary starts on a fresh line: after the app's bytes, a newline of ours only if they lack one.
      const fresh = bytes[bytes.length - 1] === 10 ? '' : '\n';
      expect(res.stderr.subarray(bytes.length).toString()).toMatch(
        new RegExp(`^${fresh}forwarder: summary: .*\n$`),
      );
    });
  }

  it('passes a 1 MiB line through whole, and ships it cut to max_line_bytes', async () => {
    const { env, path } = fileEnv();
    const line = 'x'.repeat(1024 * 1024);
    const res = await runCli(
      ['run', '--', NODE, '-e', `process.stdout.write('${'x'}'.repeat(${1024 * 1024}) + '\\nafter\\n')`],
      { env },
    );
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe(`${line}\nafter\n`);
    const [big, after] = appLines(readEvents(path));
    expect(big!.message).toBe(`${'x'.repeat(256 * 1024)}…[truncated ${1024 * 1024 - 256 * 1024} bytes]`);
    expect(after!.message).toBe('after');
  });

  it('is a transparent wrapper when no drain is configured, and says so once', async () => {
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:a', 'err:b', 'exit:4'], {
      env: cleanEnv(),
    });
    expect(res.code).toBe(4);
    expect(res.stdout.toString()).toBe('a\n');
    const err = res.stderr.toString();
    expect(err).toContain('b\n');
    expect(err.match(/nothing is shipped/g)).toHaveLength(1);
  });
});

describe('the shipped copy', () => {
  it('cuts long lines with a visible marker and counts them; the rest of the line is not a new line', async () => {
    const { env, path } = fileEnv();
    const long = `${'é'.repeat(3000)}TAIL`;
    const res = await runCli(
      ['run', '--max-line-bytes', '1KiB', '--', NODE, `${APPS}/emit.mjs`, `out:${long}`, 'out:next'],
      { env },
    );
    expect(res.code).toBe(0);
    const [cut, next] = appLines(readEvents(path));
    // 1024 bytes is 512 two-byte characters: cut at a character boundary, never mid-sequence
    expect(cut!.message).toBe(`${'é'.repeat(512)}…[truncated ${6004 - 1024} bytes]`);
    expect(next!.message).toBe('next');
    expect(res.stderr.toString()).toMatch(/truncated 1/);
  });

  it('replaces invalid UTF-8 with U+FFFD, strips ANSI, keeps NUL and control bytes valid JSON', async () => {
    const { env, path } = fileEnv();
    const bytes = Buffer.concat([
      Buffer.from('\x1b[31mERROR\x1b[0m red '),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(' nul:\x00 bell:\x07 end\n'),
    ]);
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, `raw-out:${bytes.toString('hex')}`], {
      env,
    });
    expect(res.stdout.equals(bytes)).toBe(true);
    const [ev] = appLines(readEvents(path));
    expect(ev!.message).toBe('ERROR red \ufffd(\ufffd nul:\x00 bell:\x07 end');
  });

  it('leaves no ESC in the shipped copy: lone escapes and sequences cut off by the line end', async () => {
    const { env, path } = fileEnv({ FORWARDER_MULTILINE: '0' });
    const bytes = Buffer.from('lone\x1b esc\nosc \x1b]0;title\x07done\ncut \x1b[38;5\n');
    await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, `raw-out:${bytes.toString('hex')}`], { env });
    expect(appLines(readEvents(path)).map((e) => e.message)).toEqual(['lone esc', 'osc done', 'cut ']);
  });

  it('does not ship empty lines; ships a final unterminated line; splits CRLF', async () => {
    const { env, path } = fileEnv({ FORWARDER_MULTILINE: '0' });
    const res = await runCli(
      ['run', '--', NODE, `${APPS}/emit.mjs`, `raw-out:${Buffer.from('a\r\n\n\r\nb\nlast').toString('hex')}`],
      { env },
    );
    expect(res.code).toBe(0);
    expect(appLines(readEvents(path)).map((e) => e.message)).toEqual(['a', 'b', 'last']);
  });

  it('takes the level from the line, not from the stream', async () => {
    const { env, path } = fileEnv({ FORWARDER_MULTILINE: 'false' });
    await runCli(
      [
        'run',
        '--',
        NODE,
        `${APPS}/emit.mjs`,
        'err:INFO:app:started',
        'err:ERROR:app:failed',
        'out:{"level":"warn","msg":"x"}',
        'err:no level here',
      ],
      { env },
    );
    // stdout and stderr are two pipes: the relative order of their lines is not defined, so sort.
    const byMessage = appLines(readEvents(path))
      .map((e) => [e.message.slice(0, 14), e.level])
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    // the JSON line's message is its msg field (issue 17)
    expect(byMessage).toEqual([
      ['ERROR:app:fail', 'error'],
      ['INFO:app:start', 'info'],
      ['no level here', 'info'],
      ['x', 'warn'],
    ]);
  });

  it('gives stderr lines without a level FORWARDER_STDERR_LEVEL', async () => {
    const { env, path } = fileEnv({ FORWARDER_STDERR_LEVEL: 'warn', FORWARDER_MULTILINE: '0' });
    await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'err:plain', 'out:plain'], { env });
    const byStream = Object.fromEntries(appLines(readEvents(path)).map((e) => [e.stream, e.level]));
    expect(byStream).toEqual({ stderr: 'warn', stdout: 'info' });
  });
});

describe('one thread', () => {
  /** the nice value of every thread of `pid` (field 19 of /proc/<pid>/task/<tid>/stat) */
  function threadNiceness(pid: number): number[] {
    return readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });
  }

  it('the pipeline runs on the main thread: no thread of ours is below normal priority', async () => {
    const { env, path } = fileEnv();
    const run = startCli(['run', '--', NODE, `${APPS}/trap-term.mjs`], { env });
    await waitForFile(path, (t) => t.includes('"message":"ready"'));
    expect(threadNiceness(run.child.pid!).every((n) => n === 0)).toBe(true);
    run.child.kill('SIGTERM');
    expect((await run.result).code).toBe(0);
  });

  it('FORWARDER_PIPELINE_NICENESS is still accepted, and said to have no effect', async () => {
    const { env, path } = fileEnv({ FORWARDER_PIPELINE_NICENESS: '0' });
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:hello'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('hello\n');
    expect(res.stderr.toString()).toMatch(
      /FORWARDER_PIPELINE_NICENESS has no effect: the pipeline runs on the main thread/,
    );
    expect(appLines(readEvents(path)).map((e) => e.message)).toEqual(['hello']);
  });
});

describe('forwarder pipe', () => {
  it('passes stdin through, ships it, and exits 0 at EOF after the final flush', async () => {
    const { env, path } = fileEnv();
    const input = 'one\ntwo\nthree';
    const res = await runCli(['pipe'], { env, input });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe(input);
    expect(appLines(readEvents(path)).map((e) => [e.message, e.stream])).toEqual([
      ['one', 'stdout'],
      ['two', 'stdout'],
      ['three', 'stdout'],
    ]);
  });
});

describe('the file drain', () => {
  it('a file that cannot be written disables the drain with one clear line; the app still runs', async () => {
    const env = cleanEnv({ FORWARDER_FILE: '/proc/forwarder-cannot-write/x.ndjson' });
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:still runs', 'exit:2'], { env });
    expect(res.code).toBe(2);
    expect(res.stdout.toString()).toBe('still runs\n');
    expect(res.stderr.toString()).toMatch(
      /drain file is disabled: FORWARDER_FILE cannot be written: \/proc\/forwarder-cannot-write\/x\.ndjson/,
    );
  });

  it('FORWARDER_STRICT=1 makes a misconfigured drain fatal (78) before the app starts', async () => {
    const env = cleanEnv({ FORWARDER_FILE: '/proc/nope/x.ndjson', FORWARDER_STRICT: '1' });
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:must not run'], { env });
    expect(res.code).toBe(78);
    expect(res.stdout.toString()).toBe('');
  });

  it('a write failure at run time (disk full) is retried, reported and counted, never fatal to the app', async () => {
    // /dev/full accepts open() and fails every write with ENOSPC, like a full disk.
    const env = cleanEnv({ FORWARDER_FILE: '/dev/full', FORWARDER_FLUSH_TIMEOUT: '1s' });
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:x', 'exit:0'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('x\n');
    const err = res.stderr.toString();
    expect(err).toMatch(/drain file will retry \d+ records .*ENOSPC/);
    // started + the line + exited: all three are counted as lost when the deadline ends the retries
    expect(err).toMatch(
      /file: delivered 0, retried \d+, dropped 3 \(flush_deadline 3\), cut by the flush deadline/,
    );
  });
});
