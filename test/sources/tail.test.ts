import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE } from '../../src/sources/tail/checkpoint.js';
import { readAheadBytes } from '../../src/supervisor/tail.js';
import {
  type CanonicalEvent,
  CLI,
  cleanEnv,
  type Running,
  startCli,
  tempDir,
  waitForFile,
} from '../helpers/cli.js';
import { WebhookReceiver } from '../receivers/webhook.js';

beforeAll(() => {
  // `npm test` builds dist/ once before vitest; rebuilding here would rewrite it under the files running in parallel
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

interface Tail {
  run: Running;
  out: string;
  logs: string;
  state: string;
}

function setup(): { dir: ReturnType<typeof tempDir>; logs: string; out: string; state: string } {
  const dir = tempDir('fwd-tail-');
  cleanups.push(() => dir.cleanup());
  const logs = dir.file('logs');
  execFileSync('mkdir', ['-p', logs]);
  return { dir, logs, out: dir.file('out.ndjson'), state: dir.file('state') };
}

function startTail(
  s: { logs: string; out: string; state: string },
  args: string[],
  pattern = join(s.logs, '*.log'),
): Tail {
  const run = startCli(['tail', ...args, pattern], {
    // no stack traces here: a lone line need not wait the default 1 s for a continuation
    env: cleanEnv({
      FORWARDER_FILE: s.out,
      FORWARDER_TAIL_POLL_INTERVAL: '100ms',
      FORWARDER_MULTILINE_TIMEOUT: '100ms',
    }),
  });
  cleanups.push(() => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });
  return { run, out: s.out, logs: s.logs, state: s.state };
}

/** Whole lines only: the drain may be in the middle of appending. */
function events(text: string): CanonicalEvent[] {
  const end = text.lastIndexOf('\n');
  return text
    .slice(0, end + 1)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as CanonicalEvent);
}

const app = (evs: CanonicalEvent[]): CanonicalEvent[] => evs.filter((e) => e.stream !== 'forwarder');
const messages = (evs: CanonicalEvent[]): string[] => app(evs).map((e) => e.message);
const life = (evs: CanonicalEvent[], kind: string, path?: string): CanonicalEvent[] =>
  evs.filter((e) => e.lifecycle?.kind === kind && (path === undefined || e.lifecycle.path === path));

function until(
  out: string,
  pred: (evs: CanonicalEvent[]) => boolean,
  timeoutMs = 15_000,
): Promise<CanonicalEvent[]> {
  return waitForFile(out, (text) => pred(events(text)), timeoutMs).then(events, (err: Error) => {
    let text = '';
    try {
      text = readFileSync(out, 'utf8');
    } catch {}
    // what was shipped so far, to see what is missing
    throw new Error(`${err.message}; shipped so far: ${JSON.stringify(events(text).map((e) => e.message))}`);
  });
}

async function stop(t: Tail, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  t.run.child.kill(signal);
  const r = await t.run.result;
  return r.code;
}

const cri = (stream: string, tag: 'P' | 'F', log: string, sec = 5): string =>
  `2024-01-02T03:04:${String(sec).padStart(2, '0')}.123456789Z ${stream} ${tag} ${log}\n`;
const docker = (log: string, stream = 'stdout'): string =>
  `${JSON.stringify({ log, stream, time: '2024-01-02T03:04:05.5Z' })}\n`;

describe('forwarder tail (built CLI)', () => {
  it('starts at the end, follows files that appear later, and survives rename-and-create with a CRI line in pieces across it', async () => {
    const s = setup();
    const a = join(s.logs, 'a.log');
    writeFileSync(a, cri('stdout', 'F', 'written before the start'));
    const t = startTail(s, ['--format', 'cri']);
    await until(s.out, (evs) => life(evs, 'followed', a).length === 1);

    // the stdout record after the piece tells us the piece was read
    appendFileSync(a, cri('stderr', 'P', 'split across ', 6) + cri('stdout', 'F', 'one'));
    await until(s.out, (evs) => messages(evs).includes('one'));
    // logrotate "create": rename, then a new file at the same path whose first record finishes the line
    renameSync(a, `${a}.1`);
    writeFileSync(a, cri('stderr', 'F', 'the rotation', 7) + cri('stdout', 'F', 'two'));
    const b = join(s.logs, 'b.log');
    writeFileSync(b, cri('stdout', 'F', 'a file that appeared later'));

    const evs = await until(
      s.out,
      (e) => messages(e).includes('two') && messages(e).includes('a file that appeared later'),
    );
    expect(messages(evs)).not.toContain('written before the start');
    const joined = app(evs).find((e) => e.message === 'split across the rotation')!;
    expect(joined.stream).toBe('stderr');
    // the record's own time (of its first piece), not the read time
    expect(joined.timestamp).toBe(Date.UTC(2024, 0, 2, 3, 4, 6, 123));
    expect(life(evs, 'rotated', a)).toHaveLength(1);
    expect(life(evs, 'followed', b)[0]!.lifecycle!.from).toBe('start');
    expect(await stop(t)).toBe(0);
    const final = events(readFileSync(s.out, 'utf8'));
    expect(life(final, 'stopped')).toHaveLength(1);
    // nothing twice
    expect(new Set(messages(final)).size).toBe(messages(final).length);
  });

  it('survives copy-truncate with a docker json-file line split across it, and reads existing files whole with --from-beginning', async () => {
    const s = setup();
    const c = join(s.logs, 'c.log');
    writeFileSync(c, docker('existing\n'));
    const t = startTail(s, ['--format', 'docker-json', '--from-beginning']);
    await until(s.out, (evs) => messages(evs).includes('existing'));

    // the whole stderr record after the two stdout pieces tells us the pieces were read
    appendFileSync(c, docker('before ') + docker('the copy, ') + docker('read\n', 'stderr'));
    await until(s.out, (evs) => messages(evs).includes('read'));
    copyFileSync(c, `${c}.1`);
    truncateSync(c, 0);
    await until(s.out, (evs) => life(evs, 'truncated', c).length === 1);
    appendFileSync(c, docker('after the truncate\n') + docker('boom\n', 'stderr'));

    const evs = await until(s.out, (e) => messages(e).includes('boom'));
    expect(messages(evs)).toEqual(['existing', 'read', 'before the copy, after the truncate', 'boom']);
    expect(app(evs)[3]!.stream).toBe('stderr');
    expect(app(evs)[2]!.timestamp).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 500));
    expect(await stop(t)).toBe(0);
  });

  it('detects truncation of a plain file and reads it again from the start', async () => {
    const s = setup();
    const p = join(s.logs, 'plain.log');
    writeFileSync(p, '');
    const t = startTail(s, ['--format', 'plain']);
    await until(s.out, (evs) => life(evs, 'followed', p).length === 1);
    appendFileSync(p, 'ERROR first run of lines\nsecond\n');
    await until(s.out, (evs) => messages(evs).includes('second'));
    truncateSync(p, 0);
    await until(s.out, (evs) => life(evs, 'truncated', p).length === 1);
    appendFileSync(p, 'after\n');
    const evs = await until(s.out, (e) => messages(e).includes('after'));
    expect(messages(evs)).toEqual(['ERROR first run of lines', 'second', 'after']);
    expect(app(evs)[0]!.level).toBe('error');
    expect(await stop(t)).toBe(0);
  });

  it('restarts from the checkpoint: nothing lost, nothing twice (graceful stop, then a crash, then a rotation while down)', async () => {
    const s = setup();
    const a = join(s.logs, 'a.log');
    const lines = (from: number, to: number): string => {
      let text = '';
      for (let i = from; i <= to; i++) text += cri('stdout', 'F', `line ${i}`);
      return text;
    };
    writeFileSync(a, lines(1, 5));
    // first start, no state: from the end, so lines 1-5 are not shipped
    let t = startTail(s, ['--format', 'cri', '--state-dir', s.state]);
    await until(s.out, (evs) => life(evs, 'followed', a).length === 1);
    appendFileSync(a, lines(6, 20));
    await until(s.out, (evs) => messages(evs).includes('line 20'));
    expect(await stop(t)).toBe(0);

    // written while stopped
    appendFileSync(a, lines(21, 30));
    t = startTail(s, ['--format', 'cri', '--state-dir', s.state]);
    await until(s.out, (evs) => messages(evs).includes('line 30'));
    const resumed = events(readFileSync(s.out, 'utf8'));
    expect(life(resumed, 'followed', a).at(-1)!.lifecycle!.from).toBe('checkpoint');

    // a crash (SIGKILL) right after the checkpoint covered line 40
    appendFileSync(a, lines(31, 40));
    await until(s.out, (evs) => messages(evs).includes('line 40'));
    await waitForCheckpoint(s.state, a, readFileSync(a).length);
    expect(await stop(t, 'SIGKILL')).toBe(null);

    // while down: more lines, then a rename rotation and a new file
    appendFileSync(a, lines(41, 45));
    renameSync(a, `${a}.1`);
    writeFileSync(a, lines(46, 50));
    t = startTail(s, ['--format', 'cri', '--state-dir', s.state]);
    await until(s.out, (evs) => messages(evs).includes('line 50'));
    expect(await stop(t)).toBe(0);

    const got = messages(events(readFileSync(s.out, 'utf8')));
    const want = Array.from({ length: 45 }, (_, i) => `line ${i + 6}`);
    expect(
      got.join(','),
      JSON.stringify(
        events(readFileSync(s.out, 'utf8'))
          .filter((e) => e.stream === 'forwarder')
          .map((e) => e.message),
      ),
    ).toEqual(want.join(','));
  });

  it('closes deleted files: the descriptor count stays bounded', async () => {
    const s = setup();
    const t = startTail(s, ['--format', 'plain']);
    const pid = t.run.child.pid!;
    await until(s.out, (evs) => life(evs, 'started').length === 1);
    const before = fdCount(pid);
    const n = 40;
    for (let i = 0; i < n; i++) writeFileSync(join(s.logs, `f${i}.log`), `file ${i}\n`);
    await until(s.out, (evs) => app(evs).length === n);
    expect(fdCount(pid)).toBeGreaterThanOrEqual(before + n);
    for (let i = 0; i < n; i++) unlinkSync(join(s.logs, `f${i}.log`));
    // each deleted file is read to its end, kept open for the rotate wait (5 s), then closed and reported gone
    await until(s.out, (evs) => life(evs, 'gone').length === n, 20_000);
    expect(fdCount(pid)).toBeLessThanOrEqual(before + 1);
    expect(await stop(t)).toBe(0);
  }, 40_000);

  it('a backfill of a file written long ago ends at once: its last group and batch wait neither the multi-line timeout nor batch_wait', async () => {
    const r = await new WebhookReceiver().start();
    cleanups.push(() => void r.close());
    const s = setup();
    const old = join(s.logs, 'old.log');
    const trace = 'Error: boom\n    at f (/app/a.js:1:1)\n    at g (/app/a.js:2:1)';
    writeFileSync(old, `one\ntwo\n${trace}\n`);
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    // both waits far longer than the test may take: only the quiet file can end them
    const run = startCli(['tail', '--from-beginning', old], {
      env: cleanEnv({
        WEBHOOK_URL: r.url,
        FORWARDER_MULTILINE_TIMEOUT: '1m',
        FORWARDER_BATCH_WAIT: '1m',
      }),
    });
    cleanups.push(() => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    });
    await r.waitFor(() => r.records.some((e) => e.message === trace), 20_000);
    expect(r.records.filter((e) => e.stream !== 'forwarder').map((e) => e.message)).toEqual([
      'one',
      'two',
      trace,
    ]);
    run.child.kill('SIGTERM');
    expect((await run.result).code).toBe(0);
  }, 40_000);
});

function fdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

async function waitForCheckpoint(stateDir: string, path: string, offset: number): Promise<void> {
  await waitForFile(join(stateDir, CHECKPOINT_FILE), (text) => {
    try {
      const data = JSON.parse(text) as { files: { path: string; offset: number }[] };
      return data.files.some((f) => f.path === path && f.offset === offset);
    } catch {
      return false;
    }
  });
}

describe('tail read-ahead', () => {
  it('stays within FORWARDER_PIPELINE_BUFFER_BYTES when it is set lower, and within 8 MiB otherwise', () => {
    const MiB = 1024 * 1024;
    expect(readAheadBytes(MiB)).toBe(MiB);
    expect(readAheadBytes(16 * MiB)).toBe(8 * MiB);
  });
});
