import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { DroppedRun } from '../../src/supervisor/dropped-run.js';
import { HeldOutput, spawnEarly } from '../../src/supervisor/early-spawn.js';
import {
  APPS,
  appLines,
  cleanEnv,
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

describe('spawn first', () => {
  it("the app's output from its first instruction is passed through and shipped whole", async () => {
    const path = tmp.file('events.ndjson');
    const env = cleanEnv({ FORWARDER_FILE: path, FORWARDER_FLUSH_TIMEOUT: '5s' });
    const res = await runCli(['run', '--flush-timeout', '5s', '--', 'seq', '1', '20000'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe(`${Array.from({ length: 20000 }, (_, i) => i + 1).join('\n')}\n`);
    const events = readEvents(path);
    // The `started` event comes first, then the app's lines, held while the pipeline started.
    expect(events[0]!.lifecycle?.kind).toBe('started');
    const lines = appLines(events);
    expect(lines).toHaveLength(20000);
    expect(lines[0]!.message).toBe('1');
    expect(lines[19999]!.message).toBe('20000');
  });

  it('the app runs while the drains’ settings are still being read (a secret file on a slow volume)', async () => {
    // The webhook secret comes from a FIFO: reading it holds the forwarder until the test writes it.
    const fifo = tmp.file('secret');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    mkdirSync(tmp.file('marks'));
    const marker = tmp.file('marks/app-started');
    const hook = await new WebhookReceiver({ secret: 'very-secret-value' }).start();
    try {
      const run = startCli(['run', '--', 'sh', '-c', `touch ${marker}; echo hello`], {
        env: cleanEnv({
          WEBHOOK_URL: `${hook.url}/`,
          WEBHOOK_SECRET_FILE: fifo,
          FORWARDER_FLUSH_TIMEOUT: '5s',
        }),
      });
      await waitForFile(marker, () => true);
      await writeFile(fifo, 'very-secret-value\n');
      const res = await run.result;
      expect(res.code).toBe(0);
      expect(res.stdout.toString()).toBe('hello\n');
      expect(summaryOf(res.stderr.toString(), 'webhook')).toMatchObject({ delivered: 3, dropped: 0 });
    } finally {
      await hook.close();
    }
  });

  it('a bad core setting still stops the app from starting (exit 78, one line)', async () => {
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:should-not-run'], {
      env: cleanEnv({ FORWARDER_FLUSH_TIMEOUT: 'soon' }),
    });
    expect(res.code).toBe(78);
    expect(res.stdout.toString()).toBe('');
    expect(res.stderr.toString()).toMatch(/^forwarder: config error: FORWARDER_FLUSH_TIMEOUT/);
  });

  it('takes the early path only when nothing could stop the app from starting', () => {
    const argv = (...a: string[]): string[] => ['node', 'forwarder', ...a];
    const early = spawnEarly(argv('run', '--signal-group', '--flush-timeout=3s', '--', 'true'), {});
    expect(early?.command).toBe('true');
    const none = [
      spawnEarly(argv('run', '--', 'true'), { FORWARDER_CONFIG: '/etc/forwarder.yaml' }),
      spawnEarly(argv('run', '--config', 'x.yaml', '--', 'true'), {}),
      spawnEarly(argv('run', '--check-first', '--', 'true'), {}),
      spawnEarly(argv('run', '--strict', '--', 'true'), {}),
      spawnEarly(argv('run', '--', 'true'), { FORWARDER_STRICT: '1' }),
      spawnEarly(argv('run', '--', 'true'), { FORWARDER_MAX_LINE_BYTES: 'lots' }),
      spawnEarly(argv('run', '--no-such-flag', '--', 'true'), {}),
      spawnEarly(argv('run', '--help'), {}),
      spawnEarly(argv('run', '-h'), {}),
      spawnEarly(argv('run', '--', ''), {}),
      spawnEarly(argv('pipe'), {}),
    ];
    expect(none.every((e) => e === undefined)).toBe(true);
  });
});

describe('HeldOutput: what the app wrote before the pipeline existed', () => {
  it('is handed over in order; past its bound the shipped copy is reported lost, counted, not kept', () => {
    const held = new HeldOutput(8);
    held.onChunk('stdout', Buffer.from('ab\n'), 1);
    held.onChunk('stderr', Buffer.from('cd\n'), 2);
    held.onChunk('stdout', Buffer.from('too long\n'), 3);
    const got: string[] = [];
    const lost: [string, DroppedRun][] = [];
    held.attach(
      (stream, chunk, _readAt, owned) => got.push(`${stream}:${chunk}${owned ? ' (a held copy)' : ''}`),
      (stream, run) => lost.push([stream, run]),
    );
    // after handover, chunks are the reader's buffer again: the sink must copy what it keeps
    held.onChunk('stdout', Buffer.from('after\n'), 4);
    expect(got).toEqual(['stdout:ab\n (a held copy)', 'stderr:cd\n (a held copy)', 'stdout:after\n']);
    expect(lost).toEqual([['stdout', { bytes: 9, newlines: 1, endsMidLine: false }]]);
  });

  it('past its bound, a stream keeps nothing more until handover: one run per stream, none shipped ahead of its gap', () => {
    const held = new HeldOutput(8);
    held.onChunk('stdout', Buffer.from('ab\n'), 1);
    held.onChunk('stdout', Buffer.from('a long line\nand a cu'), 2);
    // fits the bound, but comes after stdout's gap: counted with it
    held.onChunk('stdout', Buffer.from('t\nx'), 3);
    held.onChunk('stderr', Buffer.from('e\n'), 4);
    const got: string[] = [];
    const lost: [string, DroppedRun][] = [];
    held.attach(
      (stream, chunk) => got.push(`${stream}:${chunk}`),
      (stream, run) => lost.push([stream, run]),
    );
    expect(got).toEqual(['stdout:ab\n', 'stderr:e\n']);
    expect(lost).toEqual([['stdout', { bytes: 23, newlines: 2, endsMidLine: true }]]);
  });
});
