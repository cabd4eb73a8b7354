/**
 * Issue 15, back-pressure by mode (FORWARDER_WHEN_FULL): pipe and tail read only as fast as the
 * drains accept by default (block), so a large input through a slow receiver is delivered whole;
 * a dead drain holds the input back only for the no-progress deadline, then its drops are counted
 * and the command ends within the deadline; run never holds the app back, whatever is set.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  APPS,
  cleanEnv,
  NODE,
  readEvents,
  runCli,
  startCli,
  summaryOf,
  tempDir,
  waitForFile,
} from '../helpers/cli.js';
import { freePort } from '../receivers/rsyslog.js';
import { WebhookReceiver } from '../receivers/webhook.js';

const open: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * 120,000 lines of ~500 bytes: 60 MB, about 2.5 times what the default buffers hold (8 MiB of
 * pipeline backlog, 16 MiB of drain queue), so under drop most of it would be lost.
 */
const LINES = 120_000;
/** under run, the no-progress deadline block would hold the app for, were it applied (FORWARDER_FLUSH_TIMEOUT) */
const NO_PROGRESS_MS = 600_000;
const INPUT = Buffer.from(
  Array.from({ length: LINES }, (_, i) => `line=${String(i).padStart(9, '0')} ${'x'.repeat(486)}\n`).join(''),
);
/** every line of INPUT has this many bytes, its newline included */
const INPUT_LINE_BYTES = INPUT.length / LINES;

/** A receiver that takes 5 ms over every request: slower than we read, never failing. */
async function slowReceiver(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver({
    keepRecords: false,
    faults: [{ stallMs: 5, times: Infinity }],
  }).start();
  open.push(r);
  return r;
}

describe('FORWARDER_WHEN_FULL: pipe and tail block by default', () => {
  it('pipe delivers every line of a large input to a slow receiver with default settings', async () => {
    const r = await slowReceiver();
    const res = await runCli(['pipe'], { env: cleanEnv({ WEBHOOK_URL: r.url }), input: INPUT });
    expect(res.code).toBe(0);
    // the pass-through is whole, and every line plus the started / end-of-input events arrived
    expect(res.stdout.length).toBe(INPUT.length);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    expect(s).toMatchObject({ delivered: LINES + 2, dropped: 0 });
    expect(r.recordCount).toBe(LINES + 2);
    expect(res.stderr.toString()).not.toMatch(/pipeline_backlog/);
  }, 90_000);

  it('the same input under FORWARDER_WHEN_FULL=drop loses lines, counted (what block prevents)', async () => {
    const r = await slowReceiver();
    const res = await runCli(['pipe'], {
      env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_WHEN_FULL: 'drop' }),
      input: INPUT,
    });
    expect(res.code).toBe(0);
    const stderr = res.stderr.toString();
    const s = summaryOf(stderr, 'webhook');
    const backlog = Number(/pipeline_backlog dropped (\d+) lines/.exec(stderr)?.[1] ?? 0);
    expect(backlog + (s.reasons.buffer_full ?? 0)).toBeGreaterThan(0);
    // nothing silent: every line was delivered or counted somewhere
    expect(s.delivered + s.dropped + backlog).toBeGreaterThanOrEqual(LINES + 2);
    // The receiver took what was counted as delivered, and at most the batches whose answer the
    // forwarder never read: an attempt that timed out and went again (counted as retried), or one
    // the flush deadline ended (counted as flush_deadline). Both happen only on a busy machine.
    const summary = stderr.slice(stderr.indexOf('summary:'));
    expect(r.recordCount, summary).toBeGreaterThanOrEqual(s.delivered);
    expect(r.recordCount - s.delivered, summary).toBeLessThanOrEqual(
      s.retried + (s.reasons.flush_deadline ?? 0),
    );
  }, 90_000);

  it('pipe with a dead drain: blocked only for the no-progress deadline, then drops are counted and it ends', async () => {
    const port = await freePort();
    // What is timed here is the deadlines, not the work: buffers of 1 MiB (the queue and the
    // backlog) and a fifth of the large input, still ten times what they hold, so that framing it,
    // which a busy machine can make take many seconds, is a small part of the time allowed.
    const lines = 20_000;
    const input = INPUT.subarray(0, INPUT_LINE_BYTES * lines);
    const started = Date.now();
    const res = await runCli(['pipe'], {
      env: cleanEnv({
        WEBHOOK_URL: `http://127.0.0.1:${port}/`,
        FORWARDER_FLUSH_TIMEOUT: '1s',
        FORWARDER_BUFFER_BYTES: '1MiB',
        FORWARDER_PIPELINE_BUFFER_BYTES: '1MiB',
      }),
      input,
    });
    const elapsed = Date.now() - started;
    expect(res.code).toBe(0);
    expect(res.stdout.length).toBe(input.length);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    expect(s.delivered).toBe(0);
    // every line (and the two lifecycle events) is counted: dropped while it was stalled, or at the deadline
    expect(s.dropped).toBe(lines + 2);
    expect(s.reasons.buffer_full).toBeGreaterThan(0);
    expect(s.reasons.flush_deadline).toBeGreaterThan(0);
    // one no-progress deadline while reading, one at the end, the worker's grace, and start-up
    expect(elapsed).toBeLessThan(15_000);
  }, 60_000);

  it('a dead drain holds a healthy one back only for the no-progress deadline: the healthy one gets every line', async () => {
    const port = await freePort();
    const path = tmp.file('beside-dead.ndjson');
    const res = await runCli(['pipe'], {
      env: cleanEnv({
        WEBHOOK_URL: `http://127.0.0.1:${port}/`,
        FORWARDER_FILE: path,
        FORWARDER_FLUSH_TIMEOUT: '1s',
      }),
      input: INPUT,
    });
    expect(res.code).toBe(0);
    const stderr = res.stderr.toString();
    expect(summaryOf(stderr, 'file')).toMatchObject({ delivered: LINES + 2, dropped: 0 });
    expect(readEvents(path).filter((e) => e.stream !== 'forwarder')).toHaveLength(LINES);
    expect(summaryOf(stderr, 'webhook')).toMatchObject({ delivered: 0, dropped: LINES + 2 });
  }, 60_000);

  it('tail --from-beginning backfills a large file to a slow receiver, every line delivered', async () => {
    const r = await slowReceiver();
    const path = tmp.file('backfill.log');
    writeFileSync(path, INPUT);
    const run = startCli(['tail', '--from-beginning', path], { env: cleanEnv({ WEBHOOK_URL: r.url }) });
    await r.waitFor(() => r.recordCount >= LINES + 2, 60_000);
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    expect(s.dropped).toBe(0);
    expect(s.delivered).toBe(r.recordCount);
  }, 90_000);
});

describe('FORWARDER_WHEN_FULL under run', () => {
  it('block is refused for run with one warning: the app is never held back by a dead drain', async () => {
    const port = await freePort();
    const exitedFile = tmp.file('block-under-run.ndjson');
    // The app times itself. Under block a dead drain would hold it for the no-progress deadline
    // (FORWARDER_FLUSH_TIMEOUT): ten minutes here, far beyond anything a busy machine adds to its
    // own run time, so the two cannot be mistaken for one another (the app's time is not compared
    // with a few seconds, which a loaded machine can take to push 60 MB through our pass-through).
    const app = `import sys, time
t = time.monotonic()
for i in range(${LINES}): sys.stdout.write("line=%09d %s\\n" % (i, "x" * 486))
sys.stdout.flush()
sys.stderr.write("app took %d ms\\n" % ((time.monotonic() - t) * 1000))`;
    const run = startCli(['run', '--', 'python3', '-c', app], {
      env: cleanEnv({
        WEBHOOK_URL: `http://127.0.0.1:${port}/`,
        FORWARDER_WHEN_FULL: 'block',
        FORWARDER_FLUSH_TIMEOUT: `${NO_PROGRESS_MS}ms`,
        // only the `exited` event: the final flush has begun (its signal handling is in place)
        FORWARDER_FILE: exitedFile,
        FORWARDER_FILE_FILTER: '{"where":{"key":"kind","operator":"eq","value":"exited"}}',
      }),
    });
    const [, took] = await run.waitForStderr(/app took (\d+) ms/);
    expect(Number(took)).toBeLessThan(NO_PROGRESS_MS);
    // The dead drain would hold the final flush for the same ten minutes: a second stop signal
    // ends it now (SIGTERM then SIGINT: two of one signal sent at once can arrive as one).
    await waitForFile(exitedFile, (text) => text.includes('"kind":"exited"'), 60_000);
    run.child.kill('SIGTERM');
    run.child.kill('SIGINT');
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(res.stdout.length).toBe(INPUT.length);
    const stderr = res.stderr.toString();
    expect(
      stderr.match(/FORWARDER_WHEN_FULL=block applies to pipe and tail; run never holds the app back/g),
    ).toHaveLength(1);
    expect(stderr).toMatch(/; stopped now by a second signal\n/);
    const s = summaryOf(stderr, 'webhook');
    expect(s.delivered).toBe(0);
    expect(s.dropped).toBeGreaterThan(0);
  }, 90_000);

  it('a healthy local file drain keeps pace with a 200,000-line burst: nothing dropped at its queue', async () => {
    const path = tmp.file('burst.ndjson');
    const res = await runCli(['run', '--', NODE, `${APPS}/lines.mjs`, '200000'], {
      env: cleanEnv({ FORWARDER_FILE: path }),
    });
    expect(res.code).toBe(0);
    const s = summaryOf(res.stderr.toString(), 'file');
    // what reached the pipeline is all written (run may still drop at the pipeline backlog, counted apart)
    expect(s.dropped).toBe(0);
    expect(s.delivered).toBeGreaterThan(0);
    expect(readEvents(path)).toHaveLength(s.delivered);
  }, 60_000);
});
