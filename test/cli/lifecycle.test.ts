import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_TABLE } from '../../src/supervisor/exit-codes.js';
import { PipelineHost, type PipelineStarter } from '../../src/supervisor/pipeline-host.js';
import { formatSummary } from '../../src/telemetry/summary.js';
import {
  APPS,
  cleanEnv,
  fileDrainEnvs,
  NODE,
  readEvents,
  runCli,
  startCli,
  summaryOf,
  tempDir,
  waitForFile,
} from '../helpers/cli.js';
import { WebhookReceiver } from '../receivers/webhook.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const fileEnv = fileDrainEnvs(tmp);

describe('forwarder run -- "" (an unset $APP)', () => {
  it('exits 127 with one line, with a drain, and ships a `failed` event', async () => {
    const { env, path } = fileEnv();
    const res = await runCli(['run', '--', ''], { env });
    expect(res.code).toBe(127);
    const err = res.stderr.toString();
    expect(err.match(/cannot run/g)).toHaveLength(1);
    expect(err).toContain('forwarder: cannot run "": the command is empty');
    expect(readEvents(path).map((e) => e.lifecycle?.kind)).toEqual(['failed']);
  });

  it('exits 127 with the same line without a drain', async () => {
    const res = await runCli(['run', '--', ''], { env: cleanEnv() });
    expect(res.code).toBe(127);
    expect(res.stderr.toString()).toContain('forwarder: cannot run "": the command is empty');
  });
});

describe('a blank command or a directory: a command error, never a config error', () => {
  for (const blank of ['   ', '\t']) {
    it(`run -- ${JSON.stringify(blank)} with a drain exits 127: the command is empty`, async () => {
      const { env } = fileEnv();
      const res = await runCli(['run', '--', blank], { env });
      expect(res.code).toBe(127);
      const err = res.stderr.toString();
      expect(err.match(/cannot run/g)).toHaveLength(1);
      expect(err).toContain('the command is empty');
      expect(err).not.toContain('FORWARDER_AGENT_ID');
    });
  }

  it('run -- / (a directory) with a drain exits 126 like a non-executable path', async () => {
    const { env } = fileEnv();
    const res = await runCli(['run', '--', '/'], { env });
    expect(res.code).toBe(126);
    const err = res.stderr.toString();
    expect(err).toContain('forwarder: cannot run "/"');
    expect(err).not.toContain('FORWARDER_AGENT_ID');
  });
});

describe('without a drain: the notice never lands inside the app’s output', () => {
  const NOTICE = /^forwarder: no drain is configured: [^\n]*\n/m;

  it('the app’s stderr stays byte-exact around a partial line; the notice is one line of its own', async () => {
    // the app writes a partial line, pauses (while we set up), then ends it
    const res = await runCli(['run', '--', 'sh', '-c', 'printf abc-partial >&2; sleep .3; echo -def >&2'], {
      env: cleanEnv(),
    });
    expect(res.code).toBe(0);
    const err = res.stderr.toString();
    expect(err.match(new RegExp(NOTICE.source, 'gm'))).toHaveLength(1);
    expect(err.replace(NOTICE, '')).toBe('abc-partial-def\n');
  });

  it('run -- "" prints one line: the command error, no notice', async () => {
    const res = await runCli(['run', '--', ''], { env: cleanEnv() });
    expect(res.code).toBe(127);
    expect(res.stderr.toString()).toBe(
      'forwarder: cannot run "": the command is empty (an unset variable in `run -- "$APP"`?)\n',
    );
  });
});

describe('a grandchild that keeps the app’s pipes open', () => {
  it('run time is the app’s; the pipes are cut after FORWARDER_PIPE_GRACE and the summary says so', async () => {
    // A grace long against our own start-up, which can delay when we see the app exit on a busy machine.
    const { env, path } = fileEnv({ FORWARDER_PIPE_GRACE: '3s' });
    // The shell leaves a sleeping child holding stdout and stderr, prints its pid, and exits.
    const res = await runCli(['run', '--', 'sh', '-c', 'sleep 60 & echo $!; echo early'], { env });
    const grandchild = Number(res.stdout.toString().split('\n')[0]);
    process.kill(grandchild, 'SIGKILL');
    expect(res.code).toBe(0);
    const err = res.stderr.toString();
    expect(summaryOf(err, 'file').dropped).toBe(0);
    expect(err).toMatch(
      /forwarder: summary: .*; a process started by sh still held its output open 3s after it exited; what it writes from now on is not read \(FORWARDER_PIPE_GRACE\)\n/,
    );
    const exited = readEvents(path).find((e) => e.lifecycle?.kind === 'exited')!;
    expect(exited.lifecycle).toMatchObject({ exit_code: 0, pipes_cut_after_ms: 3000 });
    expect(exited.lifecycle!.runtime_ms as number).toBeLessThan(3000);
  });
});

describe('the summary has every drain’s counts, whatever happens to the pipeline', () => {
  const drains = [{ id: 'webhook', endpoint: 'http://127.0.0.1:9/' }];
  const drain = {
    id: 'webhook',
    endpoint: 'http://127.0.0.1:9/',
    delivered: 5,
    retried: 1,
    dropped: { buffer_full: 2 },
    requests: 2,
    lastSuccessAt: 0,
    deadlineCut: false,
    truncated: 0,
    sentBytes: 100,
    pending: 7,
  };
  const pipeline = {
    streams: { stdout: { lines: 14, bytes: 140 } },
    truncatedLines: 0,
    cappedGroups: 0,
    backlogDroppedBytes: 0,
    events: 14,
  };
  /**
   * A pipeline that reports its counts once, then never finishes a flush nor answers "stop now"
   * (as one whose drain is wedged would); it records being stopped.
   */
  const stuck = (): { start: PipelineStarter; stopped: () => boolean } => {
    let stopped = false;
    return {
      start: (emit) => {
        emit({ t: 'stats', summary: { pipeline, drains: [drain] } as never });
        emit({ t: 'ready', drains });
        return { post: () => undefined, stop: () => void (stopped = true) };
      },
      stopped: () => stopped,
    };
  };

  it('a pipeline that does not finish by the deadline is stopped; its last counts are printed, what it held counted flush_deadline', async () => {
    const p = stuck();
    const host = new PipelineHost(p.start, () => undefined, 1 << 20, drains);
    await host.ready();
    const { summary, cutShort } = await host.finish(Date.now());
    expect(formatSummary(summary, host.dropped)).toBe(
      'summary: read 14 lines; webhook: delivered 5, retried 1, dropped 9 (buffer_full 2, flush_deadline 7), cut by the flush deadline',
    );
    expect(cutShort).toBe(
      'the pipeline did not finish by the flush deadline and was stopped; counts as it last reported them',
    );
    expect(p.stopped()).toBe(true);
  });

  it('"stop now" with a pipeline that does not answer: its last counts, what it held counted interrupted', async () => {
    const p = stuck();
    const host = new PipelineHost(p.start, () => undefined, 1 << 20, drains);
    await host.ready();
    const finished = host.finish(Date.now() + 60_000);
    host.interrupt();
    const { summary, cutShort } = await finished;
    expect(formatSummary(summary, host.dropped)).toBe(
      'summary: read 14 lines; webhook: delivered 5, retried 1, dropped 9 (buffer_full 2, interrupted 7)',
    );
    expect(cutShort).toBe('stopped now by a second signal; counts as it last reported them');
    expect(p.stopped()).toBe(true);
  });

  it('a pipeline that fails says so in one line; the flush reports its last counts, what it held counted pipeline_stopped', async () => {
    const lines: string[] = [];
    let fail!: () => void;
    const host = new PipelineHost(
      (emit) => {
        emit({ t: 'stats', summary: { pipeline, drains: [drain] } as never });
        emit({ t: 'ready', drains });
        fail = () => emit({ t: 'failed', message: 'boom' });
        return { post: () => undefined, stop: () => undefined };
      },
      (line) => lines.push(line),
      1 << 20,
      drains,
    );
    await host.ready();
    fail();
    host.write('stdout', Buffer.from('after\n'), Date.now());
    const { summary, cutShort } = await host.finish(Date.now() + 60_000);
    expect(lines).toEqual([
      'forwarder: error: the pipeline stopped (boom); the app keeps running, nothing more is shipped\n',
    ]);
    expect(formatSummary(summary, host.dropped)).toMatch(/dropped 9 \(buffer_full 2, pipeline_stopped 7\)/);
    expect(host.dropped.lines).toBe(1);
    expect(cutShort).toBe('the pipeline stopped early');
  });
});

describe('check', () => {
  it('a stop signal ends it at once with 128+N, even while a drain does not answer', async () => {
    const hook = await new WebhookReceiver({
      faults: [{ stallMs: Number.POSITIVE_INFINITY, times: Number.POSITIVE_INFINITY }],
    }).start();
    try {
      const run = startCli(['check'], { env: cleanEnv({ WEBHOOK_URL: `${hook.url}/` }) });
      await hook.waitFor(() => hook.requests.length > 0, 20_000);
      run.child.kill('SIGTERM');
      expect((await run.result).code).toBe(143);
    } finally {
      await hook.close();
    }
  });
});

describe('tail', () => {
  it('prints its summary with the forwarder: prefix', async () => {
    const log = tmp.file('app.log');
    const { env, path } = fileEnv();
    const run = startCli(['tail', '--from-beginning', log], { env });
    await run.waitForStderr(/no file matches|following/);
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(res.stderr.toString()).toMatch(
      /\nforwarder: summary: read 0 lines; file: delivered \d+, retried 0, dropped 0\n$/,
    );
    await waitForFile(path, (t) => t.includes('"stopped"'));
  });
});

describe('help', () => {
  it('says what --no-multiline does, without "turn off: Group…"', async () => {
    const help = (await runCli(['run', '--help'])).stdout.toString().replace(/\s+/g, ' ');
    expect(help).not.toContain('turn off:');
    expect(help).toContain(
      '--no-multiline Group stack traces and other multi-line records into one event: on by default; this flag turns it off.',
    );
  });

  it('check and pipe list only options that act there; config offers every flag (it prints their effect)', async () => {
    const flags = async (cmd: string): Promise<string[]> =>
      [...(await runCli([cmd, '--help'])).stdout.toString().matchAll(/^\s+(--[\w-]+)/gm)].map((m) => m[1]!);
    const pipe = await flags('pipe');
    expect(pipe).not.toContain('--signal-group');
    expect(pipe).not.toContain('--pipe-grace');
    expect(pipe).toContain('--flush-timeout');
    const check = await flags('check');
    for (const idle of [
      '--flush-timeout',
      '--signal-group',
      '--pipe-grace',
      '--no-multiline',
      '--batch-wait',
      '--state-dir',
    ])
      expect(check).not.toContain(idle);
    expect(check).toEqual(expect.arrayContaining(['--config', '--agent-id', '--strict', '--file']));
    expect(await flags('config')).toEqual(
      expect.arrayContaining(['--flush-timeout', '--signal-group', '--state-dir']),
    );
    expect(await flags('run')).toEqual(
      expect.arrayContaining(['--signal-group', '--pipe-grace', '--check-first']),
    );
  });
});

describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('has the exit-code table of src/supervisor/exit-codes.ts, 70 and check’s 1 included', () => {
    for (const row of EXIT_TABLE) expect(readme).toContain(`| ${row.code} | ${row.meaning} |`);
  });

  it('names every lifecycle kind, `stopped` included', () => {
    expect(readme).toMatch(/`stopped`/);
  });
});

it('the exit-code table’s bare codes are what the CLI returns (usage 2)', async () => {
  const res = await runCli(['run', '--no-such-option', '--', NODE, `${APPS}/emit.mjs`]);
  expect(res.code).toBe(2);
});
