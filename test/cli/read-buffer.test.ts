import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { appLines, CLI, fileDrainEnvs, NODE, readEvents, tempDir } from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const fileEnv = fileDrainEnvs(tmp);

// 60,000 numbered lines on each stream (~3.9 MB each), interleaved, as fast as python can.
const APP = [
  'import sys',
  'for i in range(60000):',
  "    sys.stdout.write('out %06d %s\\n' % (i, 'o' * 50))",
  "    sys.stderr.write('err %06d %s\\n' % (i, 'e' * 50))",
].join('\n');
const expectedOut = Array.from(
  { length: 60000 },
  (_, i) => `out ${String(i).padStart(6, '0')} ${'o'.repeat(50)}\n`,
);
const expectedErr = Array.from(
  { length: 60000 },
  (_, i) => `err ${String(i).padStart(6, '0')} ${'e'.repeat(50)}\n`,
);

// A reader slower than the app: 4 KiB at a time with a pause, so our pass-through writes queue
// (not taken by the kernel at once) and reading the app's pipe must wait for them.
const SLOW_READER = [
  'import sys, time',
  'while True:',
  '    b = sys.stdin.buffer.read1(4096)',
  '    if not b: break',
  '    sys.stdout.buffer.write(b)',
  '    time.sleep(0.0005)',
].join('\n');

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('forwarder run: one read buffer per pipe, reused for every read', () => {
  it('a slow reader downstream gets every byte in order, and the shipped copy is exact too', async () => {
    const { env, path } = fileEnv();
    const outFile = tmp.file('slow-out.bin');
    const errFile = tmp.file('slow-err.bin');
    const code = await new Promise<number | null>((resolve) => {
      const c = spawn(
        'sh',
        ['-c', '"$NODE" "$CLI" run -- python3 -c "$APP" 2>"$ERR_FILE" | python3 -c "$SLOW" >"$OUT_FILE"'],
        {
          env: { ...env, NODE, CLI, APP, SLOW: SLOW_READER, OUT_FILE: outFile, ERR_FILE: errFile },
          stdio: 'ignore',
        },
      );
      c.on('close', resolve);
    });
    expect(code).toBe(0);
    expect(sha(readFileSync(outFile))).toBe(sha(expectedOut.join('')));
    const err = readFileSync(errFile, 'utf8');
    const appErr = err.slice(0, err.indexOf('forwarder: summary:'));
    expect(sha(appErr)).toBe(sha(expectedErr.join('')));
    const lines = appLines(readEvents(path));
    const out = lines.filter((e) => e.stream === 'stdout').map((e) => `${e.message}\n`);
    const errs = lines.filter((e) => e.stream === 'stderr').map((e) => `${e.message}\n`);
    expect(out).toEqual(expectedOut);
    expect(errs).toEqual(expectedErr);
  }, 120_000);
});
