/**
 * Issue 15, packaging: `npm run package` builds dist/forwarder, a Node single executable
 * application. It runs where there is no `node` at all: here from a directory whose PATH holds
 * only `sh`, wrapping an app, shipping its lines through the pipeline worker (carried inside the
 * executable), passing its exit code through; and as `pipe`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLines, ROOT, readEvents, tempDir } from '../helpers/cli.js';

const dir = tempDir('fwd-sea-');
const exe = dir.file('forwarder');
const bin = dir.file('bin');

beforeAll(() => {
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'ignore' });
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

  it('--version answers without a pipeline', () => {
    const res = runExe(['--version']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
