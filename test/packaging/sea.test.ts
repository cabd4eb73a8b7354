/**
 * Issue 15, packaging: `npm run package` builds dist/forwarder, a Node single executable
 * application. It runs where there is no `node` at all: here from a directory whose PATH holds
 * only `sh`, wrapping an app, shipping its lines through the pipeline (carried inside the
 * executable), passing its exit code through; and as `pipe`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLines, execFileAsync, ROOT, readEvents, tempDir } from '../helpers/cli.js';
import { CloudWatchLogsReceiver, TEST_AWS_CREDENTIALS } from '../receivers/cloudwatch-logs.js';

const dir = tempDir('fwd-sea-');
const exe = dir.file('forwarder');
const bin = dir.file('bin');

beforeAll(async () => {
  await execFileAsync('npm', ['run', 'package'], { cwd: ROOT });
  copyFileSync(join(ROOT, 'dist/forwarder'), exe);
  // PATH holds sh and nothing else: no node
  mkdirSync(bin);
  symlinkSync('/bin/sh', join(bin, 'sh'));
}, 120_000);
afterAll(() => dir.cleanup());

function runExe(args: string[], env: Record<string, string> = {}, input?: string) {
  return spawnSync(exe, args, {
    cwd: dir.path,
    env: { PATH: bin, ...env },
    encoding: 'utf8',
    timeout: 20_000,
    ...(input === undefined ? {} : { input }),
  });
}

describe('the self-contained executable (npm run package)', () => {
  it('runs an app with no node on PATH: output passed through, lines shipped, exit code kept', () => {
    const events = dir.file('run.ndjson');
    const res = runExe(
      ['run', '--', 'sh', '-c', 'command -v node || echo no-node; echo hello; echo oops >&2; exit 7'],
      {
        FORWARDER_FILE: events,
      },
    );
    expect(res.status).toBe(7);
    expect(res.stdout).toBe('no-node\nhello\n');
    expect(res.stderr).toMatch(/^oops\n/);
    expect(res.stderr).toMatch(/forwarder: summary: read 3 lines; file: delivered 5, retried 0, dropped 0/);
    expect(appLines(readEvents(events)).map((e) => [e.stream, e.message])).toEqual([
      ['stdout', 'no-node'],
      ['stdout', 'hello'],
      ['stderr', 'oops'],
    ]);
  });

  it('pipe: stdin through, every line shipped', () => {
    const events = dir.file('pipe.ndjson');
    const input = Array.from({ length: 1000 }, (_, i) => `line ${i}`)
      .join('\n')
      .concat('\n');
    const res = runExe(['pipe'], { FORWARDER_FILE: events }, input);
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(input);
    expect(appLines(readEvents(events))).toHaveLength(1000);
  });

  it('loads the AWS SDK (an asset of its own) only for CloudWatch', async () => {
    const r = await new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }).start();
    try {
      let stderr = '';
      const code = await new Promise<number | null>((resolve) => {
        const c = spawn(exe, ['run', '--', 'sh', '-c', 'echo via the sdk'], {
          cwd: dir.path,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: {
            PATH: bin,
            AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_AWS_CREDENTIALS.secretAccessKey,
            AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: r.url,
            AWS_CONFIG_FILE: dir.file('no-aws-config'),
            AWS_SHARED_CREDENTIALS_FILE: dir.file('no-aws-credentials'),
            AWS_EC2_METADATA_DISABLED: 'true',
            FORWARDER_AGENT_ID: 'agent-a',
            FORWARDER_WORKER_ID: 'w-1',
            FORWARDER_FLUSH_TIMEOUT: '15s',
          },
        });
        c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
        c.on('close', resolve);
      });
      expect(code).toBe(0);
      expect(
        r.records.map((x) => x.message),
        stderr,
      ).toContain('via the sdk');
    } finally {
      await r.close();
    }
  }, 60_000);

  it('reads a YAML config file (its parser is an asset loaded only then)', () => {
    const events = dir.file('yaml.ndjson');
    const config = dir.file('forwarder.yaml');
    writeFileSync(config, `file:\n  path: ${events}\n`);
    const res = runExe(['run', '--', 'sh', '-c', 'echo from yaml'], { FORWARDER_CONFIG: config });
    expect(res.status, res.stderr).toBe(0);
    expect(appLines(readEvents(events)).map((e) => e.message)).toEqual(['from yaml']);
  });

  it('--version answers without a pipeline', () => {
    const res = runExe(['--version']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
