import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, execFileAsync, NODE, ROOT, tempDir } from '../helpers/cli.js';
import { CloudWatchLogsReceiver, TEST_AWS_CREDENTIALS } from '../receivers/cloudwatch-logs.js';
import { SplunkHecReceiver } from '../receivers/splunk-hec.js';

const BUNDLE = join(ROOT, 'dist/forwarder.cjs');
const dir = tempDir('fwd-bundle-');

beforeAll(async () => {
  await execFileAsync('npm', ['run', 'bundle'], { cwd: ROOT });
  // the bundle alone, far from the repository's node_modules
  copyFileSync(BUNDLE, dir.file('forwarder.cjs'));
}, 120_000);
afterAll(() => dir.cleanup());

function runBundle(args: string[], env: Record<string, string> = {}): ReturnType<typeof spawnSync> {
  return spawnSync(NODE, [dir.file('forwarder.cjs'), ...args], {
    cwd: dir.path,
    env: cleanEnv({ NODE_PATH: undefined, ...env }),
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('the single-file bundle', () => {
  it('is one ESM file with a node shebang, and imports nothing but node: built-ins', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const imports = [...text.matchAll(/^import\s[^;]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]);
    for (const spec of imports)
      expect(spec, 'only node: built-ins are imported').toMatch(
        /^node:|^(fs|path|os|url|module|worker_threads|child_process|crypto|events|stream|util|http|https|net|tls|zlib|buffer|string_decoder|process|dns|assert|perf_hooks|diagnostics_channel|async_hooks|querystring|timers|readline|v8|vm|http2|console|tty|constants|punycode|inspector|sqlite)(\/.*)?$/,
      );
    expect(statSync(BUNDLE).size).toBeLessThan(8 * 1024 * 1024);
  });

  it('runs a command end to end from a directory holding only the bundle (CLI and pipeline)', () => {
    const out = dir.file('out.ndjson');
    const r = runBundle(['run', '--', NODE, '-e', "console.log('x'); console.error('Error: boom')"], {
      FORWARDER_FILE: out,
    });
    expect(r.status, String(r.stderr)).toBe(0);
    expect(r.stdout).toBe('x\n');
    const events = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { message: string; stream: string; level: string; lifecycle?: { kind: string } },
      );
    expect(events.filter((e) => e.stream !== 'forwarder').map((e) => [e.stream, e.message, e.level])).toEqual(
      [
        ['stdout', 'x', 'info'],
        ['stderr', 'Error: boom', 'error'],
      ],
    );
    expect(events.map((e) => e.lifecycle?.kind).filter(Boolean)).toEqual(['started', 'exited']);
    expect(String(r.stderr)).toMatch(/summary: read 2 lines/);
  });

  it("ships to an HTTP drain: undici's client parts are a payload of their own, loaded to send", async () => {
    const token = '11111111-2222-3333-4444-555555555555';
    const r = await new SplunkHecReceiver({ tokens: [token] }).start();
    try {
      const code = await new Promise<number | null>((resolve) => {
        const c = spawn(
          NODE,
          [dir.file('forwarder.cjs'), 'run', '--', NODE, '-e', 'console.log("over http")'],
          {
            cwd: dir.path,
            stdio: 'ignore',
            env: cleanEnv({
              NODE_PATH: undefined,
              LOGS_ENABLE_SPLUNK: '1',
              SPLUNK_HEC_TOKEN: token,
              SPLUNK_HEC_URL: r.url,
            }),
          },
        );
        c.on('close', resolve);
      });
      expect(code).toBe(0);
      expect(r.records.map((x) => (x as { event: { message: string } }).event.message)).toContain(
        'over http',
      );
    } finally {
      await r.close();
    }
  }, 60_000);

  it('loads a dependency only some drains use (the AWS SDK) from its own payload', async () => {
    const r = await new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }).start();
    try {
      let stderr = '';
      const code = await new Promise<number | null>((resolve) => {
        const c = spawn(
          NODE,
          [dir.file('forwarder.cjs'), 'run', '--', NODE, '-e', 'console.log("via the sdk")'],
          {
            cwd: dir.path,
            stdio: ['ignore', 'ignore', 'pipe'],
            env: cleanEnv({
              NODE_PATH: undefined,
              AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
              AWS_SECRET_ACCESS_KEY: TEST_AWS_CREDENTIALS.secretAccessKey,
              AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: r.url,
              AWS_CONFIG_FILE: dir.file('no-aws-config'),
              AWS_SHARED_CREDENTIALS_FILE: dir.file('no-aws-credentials'),
              AWS_EC2_METADATA_DISABLED: 'true',
              FORWARDER_AGENT_ID: 'agent-a',
              FORWARDER_WORKER_ID: 'w-1',
              FORWARDER_FLUSH_TIMEOUT: '15s',
            }),
          },
        );
        c.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
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

  it('passes the exit code through and prints its version and the example config', () => {
    expect(runBundle(['run', '--', NODE, '-e', 'process.exit(3)']).status).toBe(3);
    expect(String(runBundle(['--version']).stdout).trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(String(runBundle(['config', '--example']).stdout)).toContain('#max_line_bytes:');
  });

  it("compiles main and undici's client from the V8 code caches built into it (run with one HTTP drain)", async () => {
    const token = '11111111-2222-3333-4444-555555555555';
    const r = await new SplunkHecReceiver({ tokens: [token] }).start();
    try {
      // --profile-deserialization (left out of V8's flag hash, so caches stay valid under it)
      // prints one line per code cache V8 takes; a rejected one prints "[Cached code failed check]"
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        let out = '';
        const c = spawn(
          NODE,
          ['--profile-deserialization', dir.file('forwarder.cjs'), 'run', '--', NODE, '-e', '0'],
          {
            cwd: dir.path,
            stdio: ['ignore', 'pipe', 'ignore'],
            env: cleanEnv({
              NODE_PATH: undefined,
              LOGS_ENABLE_SPLUNK: '1',
              SPLUNK_HEC_TOKEN: token,
              SPLUNK_HEC_URL: r.url,
            }),
          },
        );
        c.stdout!.on('data', (b: Buffer) => (out += b.toString()));
        c.on('close', (status) => resolve({ code: status, stdout: out }));
      });
      expect(code).toBe(0);
      // ours are the large ones (main ~500 KB, undici's client ~270 KB; node's own modules' are smaller)
      const taken = [...stdout.matchAll(/Deserializing from (\d+) bytes/g)].map((m) => Number(m[1]));
      expect(
        taken.filter((bytes) => bytes > 150_000),
        stdout,
      ).toHaveLength(2);
    } finally {
      await r.close();
    }
  }, 60_000);
});
