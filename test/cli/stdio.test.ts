import { spawn } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APPS,
  appLines,
  CLI,
  cleanEnv,
  fileDrainEnvs,
  NODE,
  readEvents,
  runCli,
  tempDir,
} from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const fileEnv = fileDrainEnvs(tmp);

/** A real shell pipeline: `sh -c 'script'`, its stdout and stderr collected, its exit code. */
function shell(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn('sh', ['-c', script], { env: { ...env, CLI, NODE }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe("forwarder run: the app's stdout and stderr are real pipes", () => {
  it('[ -p /dev/stdout ] and [ -p /dev/stderr ] are true inside the app', async () => {
    const { env } = fileEnv();
    const res = await runCli(
      [
        'run',
        '--',
        'sh',
        '-c',
        '[ -p /dev/stdout ] && echo out-is-a-pipe; [ -p /dev/stderr ] && echo err-is-a-pipe >&2',
      ],
      { env },
    );
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('out-is-a-pipe\n');
    expect(res.stderr.toString()).toMatch(/^err-is-a-pipe\n/);
  });

  it('an nginx-style access.log → /dev/stdout symlink works, and what is written to it is shipped', async () => {
    const { env, path } = fileEnv();
    const link = tmp.file('access.log');
    symlinkSync('/dev/stdout', link);
    const res = await runCli(['run', '--', 'sh', '-c', `echo 'GET / 200' >> ${link}; echo done`], { env });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('GET / 200\ndone\n');
    expect(appLines(readEvents(path)).map((e) => e.message)).toEqual(['GET / 200', 'done']);
  });

  it("Python's logging.FileHandler('/dev/stdout') works", async () => {
    const { env, path } = fileEnv();
    const py = [
      'import logging',
      "h = logging.FileHandler('/dev/stdout')",
      "h.setFormatter(logging.Formatter('%(levelname)s %(message)s'))",
      'log = logging.getLogger("app")',
      'log.addHandler(h)',
      "log.warning('disk almost full')",
    ].join('\n');
    const res = await runCli(['run', '--', 'python3', '-c', py], { env });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('WARNING disk almost full\n');
    const [ev] = appLines(readEvents(path));
    expect(ev).toMatchObject({ message: 'WARNING disk almost full', level: 'warn', stream: 'stdout' });
  });

  it('`forwarder run -- yes | head -n 3`: the app dies of SIGPIPE and we exit 141, as without the wrapper', async () => {
    const { env, path } = fileEnv();
    const bare = await shell('{ yes; echo "status=$?" >&2; } | head -n 3', env);
    const wrapped = await shell('{ "$NODE" "$CLI" run -- yes; echo "status=$?" >&2; } | head -n 3', env);
    expect(bare.stderr).toBe('status=141\n');
    expect(wrapped.stdout).toBe('y\ny\ny\n');
    expect(wrapped.stderr).toMatch(/\nstatus=141\n$/);
    expect(wrapped.stderr).not.toMatch(/Connection reset|Broken pipe|error/i);
    const exited = readEvents(path).find((e) => e.lifecycle?.kind === 'exited')!;
    expect(exited.lifecycle).toMatchObject({ exit_code: 141, signal: 'SIGPIPE' });
  });

  it("the app's stderr goes on after our stdout is closed; only its stdout gets EPIPE", async () => {
    const { env, path } = fileEnv();
    // The app ignores SIGPIPE, writes until a write fails, then says so on stderr.
    const app =
      'trap "" PIPE; i=0; while echo line$i 2>/dev/null; do i=$((i+1)); done; echo "stdout closed after $i lines" >&2';
    const res = await shell(`"$NODE" "$CLI" run -- sh -c '${app}' | head -n 1`, env);
    expect(res.stdout).toBe('line0\n');
    expect(res.stderr).toMatch(/^stdout closed after \d+ lines\n/);
    const shipped = appLines(readEvents(path));
    expect(shipped.at(-1)).toMatchObject({
      stream: 'stderr',
      message: expect.stringMatching(/^stdout closed after/),
    });
  });
});

describe('without a writable temporary directory', () => {
  it('the app gets socket pairs as before, says so at debug level, and everything still works', async () => {
    const { env, path } = fileEnv({ TMPDIR: tmp.file('does-not-exist'), FORWARDER_LOG_LEVEL: 'debug' });
    const res = await runCli(['run', '--', 'sh', '-c', '[ -p /dev/stdout ] || echo not-a-pipe; echo e >&2'], {
      env,
    });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('not-a-pipe\n');
    expect(res.stderr.toString()).toContain(
      'forwarder: debug: the app has socket pairs for stdout and stderr',
    );
    expect(
      appLines(readEvents(path))
        .map((e) => e.message)
        .sort(),
    ).toEqual(['e', 'not-a-pipe']);
  });
});

describe('forwarder pipe: a closed stdout ends the pass-through only (tee -p)', () => {
  it('`seq 1 100000 | forwarder pipe | head -2` exits 0 and ships every line', async () => {
    const { env, path } = fileEnv();
    const res = await shell('seq 1 100000 | "$NODE" "$CLI" pipe | head -2; echo "done" >&2', env);
    expect(res.stdout).toBe('1\n2\n');
    expect(res.stderr).toMatch(
      /forwarder: summary: read 100000 lines; file: delivered 100002, retried 0, dropped 0\n/,
    );
    const lines = appLines(readEvents(path));
    expect(lines).toHaveLength(100000);
    expect(lines[99999]!.message).toBe('100000');
  });

  it('without a drain it exits 0 too', async () => {
    const res = await shell('seq 1 100000 | "$NODE" "$CLI" pipe | head -2; echo "done" >&2', cleanEnv());
    expect(res.stdout).toBe('1\n2\n');
    expect(res.stderr).toMatch(/done\n$/);
    // `set -o pipefail` is not POSIX: the forwarder's own code is checked by a second run.
    const own = await shell(
      '{ seq 1 100000 | "$NODE" "$CLI" pipe; echo "status=$?" >&2; } | head -2',
      cleanEnv(),
    );
    expect(own.stderr).toMatch(/status=0\n$/);
  });
});

describe('our lines start on a fresh line', () => {
  it("the summary is not glued to the app's last stderr line when it has no newline", async () => {
    const { env } = fileEnv();
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'raw-err:657272322d6e6f2d6e6c'], {
      env,
    });
    expect(res.code).toBe(0);
    expect(res.stderr.toString()).toMatch(/^err2-no-nl\nforwarder: summary: /);
  });

  /** Our CLI under `sh -c '… 2>&1'`: stdout and stderr are one pipe; resolves with what it carried. */
  function sharedPipe(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn('sh', ['-c', script, NODE, CLI], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.on('close', (code) => resolve({ code, out: Buffer.concat(chunks).toString() }));
    });
  }

  it("run with 2>&1: the summary is not glued to the app's last stdout line", async () => {
    const { env } = fileEnv();
    const res = await sharedPipe(`"$0" "$1" run -- sh -c 'printf out-no-nl' 2>&1`, env);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^out-no-nl\nforwarder: summary: /);
  });

  it("pipe with 2>&1: the summary is not glued to the input's last line", async () => {
    const { env } = fileEnv();
    const res = await sharedPipe(`printf in-no-nl | "$0" "$1" pipe 2>&1`, env);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^in-no-nl\nforwarder: summary: /);
  });

  it('stdout and stderr apart: no newline of ours on stderr for a partial stdout line', async () => {
    const { env } = fileEnv();
    const res = await runCli(['run', '--', 'sh', '-c', 'printf out-no-nl'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('out-no-nl');
    expect(res.stderr.toString()).toMatch(/^forwarder: summary: /);
  });
});
