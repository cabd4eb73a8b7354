import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APPS,
  appLines,
  CLI,
  cleanEnv,
  fileDrainEnvs,
  NODE,
  readEvents,
  startCli,
  summaryOf,
  tempDir,
} from '../helpers/cli.js';
import { WebhookReceiver } from '../receivers/webhook.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const fileEnv = fileDrainEnvs(tmp);

/** Runs `args` in a new session on a pseudo-terminal, types ^C after "ready"; what it printed. */
function inPty(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn('python3', [`${APPS}/in-pty.py`, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', () => resolve(out));
  });
}

/** Resolves once the process catches `signal` (its handler is installed): /proc/<pid>/status SigCgt. */
async function catches(pid: number, signalNumber: number): Promise<void> {
  const bit = 1n << BigInt(signalNumber - 1);
  for (;;) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mask = BigInt(`0x${/SigCgt:\s*([0-9a-f]+)/.exec(status)![1]}`);
    if ((mask & bit) !== 0n) return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('one Ctrl-C reaches the app once', () => {
  it('in the terminal’s foreground group with the app: the terminal delivers ^C, we do not forward it again', async () => {
    const out = await inPty([NODE, CLI, 'run', '--', 'python3', `${APPS}/count-sigint.py`], cleanEnv());
    expect(out).toContain('sigint count=1');
    expect(out).toMatch(/exit=0\n$/);
  });

  it('with --signal-group (the app in its own session), the ^C we get is forwarded, once', async () => {
    const out = await inPty(
      [NODE, CLI, 'run', '--signal-group', '--', 'python3', `${APPS}/count-sigint.py`],
      cleanEnv(),
    );
    expect(out).toContain('sigint count=1');
    expect(out).toMatch(/exit=0\n$/);
  });

  it('a SIGINT sent to us (no terminal) is forwarded', async () => {
    // detached: a new session, so no controlling terminal whatever the test runner has.
    const run = spawn(NODE, [CLI, 'run', '--', 'python3', `${APPS}/count-sigint.py`], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const ready = new Promise<void>((resolve) =>
      run.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('ready')) resolve();
      }),
    );
    const closed = new Promise<number | null>((resolve) => run.on('close', (code) => resolve(code)));
    await ready;
    run.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(out).toContain('sigint count=1');
  });
});

describe('a signal during start-up', () => {
  it('before the app starts: the app is not started, exit 128+N, with a summary and a `stopped` event', async () => {
    // The configuration file is a FIFO: reading it holds start-up until the test has sent the signal.
    const fifo = tmp.file('config.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const { env, path } = fileEnv({ FORWARDER_CONFIG: fifo });
    const run = startCli(['run', '--', 'sh', '-c', 'echo app-ran'], { env });
    // SIGHUP: Node itself catches SIGTERM and SIGINT from its own start, so only our handler sets this bit.
    await catches(run.child.pid!, 1);
    run.child.kill('SIGHUP');
    await writeFile(fifo, 'flush_timeout: 5s\n');
    const res = await run.result;
    expect(res.code).toBe(129);
    expect(res.stdout.toString()).toBe('');
    const err = res.stderr.toString();
    expect(err).toContain('forwarder: stopped by SIGHUP before sh started; not starting it\n');
    expect(summaryOf(err, 'file')).toMatchObject({ delivered: 1, dropped: 0 });
    const events = readEvents(path);
    expect(events.map((e) => e.lifecycle?.kind)).toEqual(['stopped']);
    expect(appLines(events)).toEqual([]);
  });

  it('after the app starts: forwarded (the app says bye and exits 0)', async () => {
    const { env, path } = fileEnv();
    const run = startCli(['run', '--', NODE, `${APPS}/trap-term.mjs`], { env });
    await run.waitForStdout('ready\n');
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(appLines(readEvents(path)).map((e) => e.message)).toEqual(['ready', 'bye']);
  });
});

describe('a second stop signal during a stuck final flush', () => {
  it('stops now: the summary prints, with what was cut counted `interrupted`', async () => {
    const hook = await new WebhookReceiver({
      faults: [{ stallMs: Number.POSITIVE_INFINITY, times: Number.POSITIVE_INFINITY }],
    }).start();
    try {
      const env = cleanEnv({
        WEBHOOK_URL: `${hook.url}/`,
        FORWARDER_BATCH_WAIT: '60s',
        FORWARDER_FLUSH_TIMEOUT: '120s',
        FORWARDER_REQUEST_TIMEOUT: '120s',
      });
      const run = startCli(['run', '--', NODE, `${APPS}/trap-term.mjs`], { env });
      await run.waitForStdout('ready\n');
      run.child.kill('SIGTERM');
      // The app exits; the final flush sends its batch, which the receiver holds.
      await hook.waitFor(() => hook.requests.length > 0, 20_000);
      run.child.kill('SIGTERM');
      const res = await run.result;
      expect(res.code).toBe(0);
      const err = res.stderr.toString();
      expect(summaryOf(err, 'webhook')).toMatchObject({ delivered: 0, reasons: { interrupted: 4 } });
      expect(err).toMatch(/; stopped now by a second signal\n/);
    } finally {
      await hook.close();
    }
  });
});
