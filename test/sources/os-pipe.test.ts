import { closeSync, fstatSync, mkdtempSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeOsPipes, temporaryDirectory } from '../../src/sources/os-pipe.js';

describe('temporaryDirectory: os.tmpdir() without node:os', () => {
  it('answers as os.tmpdir() does on POSIX', () => {
    expect(temporaryDirectory({})).toBe('/tmp');
    expect(temporaryDirectory({ TMPDIR: '/var/tmp/' })).toBe('/var/tmp');
    expect(temporaryDirectory({ TMPDIR: '', TMP: '/t1', TEMP: '/t2' })).toBe('/t1');
    expect(temporaryDirectory({ TEMP: '/t2' })).toBe('/t2');
    expect(temporaryDirectory({ TMPDIR: '/' })).toBe('/');
    expect(temporaryDirectory({ TMPDIR: tmpdir() })).toBe(tmpdir());
  });
});

describe('makeOsPipes', () => {
  const dirs: string[] = [];
  const saved = process.env.TMPDIR;
  afterEach(() => {
    process.env.TMPDIR = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('gives real pipes and leaves nothing behind in the temporary directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'os-pipe-test-'));
    dirs.push(dir);
    process.env.TMPDIR = dir;
    const pipes = makeOsPipes(2);
    expect(pipes).toHaveLength(2);
    expect(readdirSync(dir)).toEqual([]);
    for (const p of pipes!) {
      expect(fstatSync(p.read).isFIFO()).toBe(true);
      expect(fstatSync(p.write).isFIFO()).toBe(true);
      writeSync(p.write, 'x');
      const b = Buffer.alloc(4);
      expect(readSync(p.read, b)).toBe(1);
      closeSync(p.write);
      closeSync(p.read);
    }
  });

  it('is undefined where no directory can be made', () => {
    process.env.TMPDIR = '/nonexistent/forwarder-test';
    expect(makeOsPipes(2)).toBeUndefined();
  });
});
