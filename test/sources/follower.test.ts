/**
 * The follower alone, on real files: after it has handed on lines and every file is read to its
 * end, it says so once, with how long each file had gone unwritten (its modification time, counted
 * 2 s short for coarse filesystems), unless every file is still being written. The pipeline and the drains act on it (test/pipeline/
 * file-quiet.test.ts, test/drains/core/drain.test.ts); end to end in test/sources/tail.test.ts.
 */
import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Follower, type FollowerHandlers, type QuietFile } from '../../src/sources/tail/follower.js';
import { tempDir } from '../helpers/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const HOUR_MS = 3_600_000;

function follow(dir: string, o: { canRead?: () => boolean; pollIntervalMs?: number } = {}) {
  const seen = {
    lines: [] as string[],
    followed: [] as string[],
    caughtUp: [] as QuietFile[][],
    caughtUpAtLine: [] as number[],
  };
  const handlers: FollowerHandlers = {
    data: (_path, chunk) => seen.lines.push(...chunk.toString().split('\n').filter(Boolean)),
    end: () => undefined,
    event: (ev) => {
      if (ev.kind === 'followed') seen.followed.push(ev.path);
    },
    canRead: o.canRead ?? (() => true),
    caughtUp: (files) => {
      seen.caughtUp.push([...files]);
      seen.caughtUpAtLine.push(seen.lines.length);
    },
  };
  const follower = new Follower(
    {
      patterns: [join(dir, '*.log')],
      pollIntervalMs: o.pollIntervalMs ?? 60_000,
      fromBeginning: true,
      checkpoints: undefined,
      watch: false,
    },
    handlers,
  );
  cleanups.push(() => {
    follower.stop(false);
    follower.close();
  });
  return { follower, seen };
}

/** Resolves once `pred` holds, checked every few ms (the follower polls on its own timer). */
function until(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      if (pred()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(check, 5);
    };
    check();
  });
}

describe('follower: caught up', () => {
  it('a file written an hour ago, read whole: caught up once, quiet for the hour less the 2 s allowance', () => {
    const dir = tempDir('fwd-follow-');
    cleanups.push(dir.cleanup);
    const a = dir.file('a.log');
    const b = dir.file('b.log');
    writeFileSync(a, 'one\ntwo\n');
    writeFileSync(b, 'three\n');
    const hourAgo = Math.floor((Date.now() - HOUR_MS) / 1000);
    utimesSync(a, hourAgo, hourAgo);
    utimesSync(b, hourAgo, hourAgo);
    const before = Date.now();
    const { follower, seen } = follow(dir.path);
    follower.start();
    const after = Date.now();
    expect(seen.lines.sort()).toEqual(['one', 'three', 'two']);
    expect(seen.caughtUp).toHaveLength(1);
    const quiet = new Map(seen.caughtUp[0]!.map((f) => [f.path, f.quietMs]));
    expect([...quiet.keys()].sort()).toEqual([a, b]);
    for (const ms of quiet.values()) {
      expect(ms).toBeGreaterThanOrEqual(before - hourAgo * 1000 - 2000);
      expect(ms).toBeLessThanOrEqual(after - hourAgo * 1000 - 2000);
    }
  });

  it('a file being written says nothing, nor does a pass with nothing new; a line read from a quiet file does', async () => {
    const dir = tempDir('fwd-follow-');
    cleanups.push(dir.cleanup);
    const a = dir.file('a.log');
    writeFileSync(a, 'one\n');
    let reading = true;
    const { follower, seen } = follow(dir.path, { pollIntervalMs: 20, canRead: () => reading });
    follower.start();
    expect(seen.lines).toEqual(['one']);
    expect(seen.caughtUp).toEqual([]);
    // a pass that finds only an empty new file hands on nothing
    const empty = dir.file('empty.log');
    writeFileSync(empty, '');
    const hourAgo = Math.floor((Date.now() - HOUR_MS) / 1000);
    utimesSync(empty, hourAgo, hourAgo);
    await until(() => seen.followed.includes(empty));
    expect(seen.caughtUp).toEqual([]);
    // a line written an hour ago (as far as the file says) and read now
    reading = false;
    appendFileSync(a, 'two\n');
    utimesSync(a, hourAgo, hourAgo);
    reading = true;
    await until(() => seen.caughtUp.length === 1);
    expect(seen.lines).toEqual(['one', 'two']);
    expect(seen.caughtUpAtLine).toEqual([2]);
    const quiet = new Map(seen.caughtUp[0]!.map((f) => [f.path, f.quietMs]));
    expect([...quiet.keys()].sort()).toEqual([a, empty]);
    for (const ms of quiet.values()) expect(ms).toBeGreaterThan(HOUR_MS - 3000);
  });

  it('says nothing while a file is not read to its end (the pipeline is behind, or its last line is unfinished)', () => {
    const dir = tempDir('fwd-follow-');
    cleanups.push(dir.cleanup);
    writeFileSync(dir.file('held.log'), 'one\n');
    const held = follow(dir.path, { canRead: () => false });
    held.follower.start();
    expect(held.seen.lines).toEqual([]);
    expect(held.seen.caughtUp).toEqual([]);

    const dir2 = tempDir('fwd-follow-');
    cleanups.push(dir2.cleanup);
    writeFileSync(dir2.file('cut.log'), 'one\nunfinished');
    const cut = follow(dir2.path);
    cut.follower.start();
    expect(cut.seen.lines).toEqual(['one']);
    expect(cut.seen.caughtUp).toEqual([]);
  });
});
