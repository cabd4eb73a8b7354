import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APPS,
  cleanEnv,
  NODE,
  runCli,
  startCli,
  summaryOf,
  tempDir,
  waitForFile,
} from '../../helpers/cli.js';
import { WebhookReceiver } from '../../receivers/webhook.js';

/** Asks `url` until its body satisfies `ok`, one request at a time (the condition is the pipeline's own count). */
async function until(url: string, ok: (text: string) => boolean, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const res = await request(url);
    if (ok(await res.body.text())) return;
    if (Date.now() > end) throw new Error(`${url}: condition not met within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The drain engine, through the built CLI and the webhook drain (core behaviour is shared by
 * every drain; each vendor's own rules are tested in its file).
 */
/** a timer may fire this much before its time by the wall clock (libuv caches the loop time) */
const TIMER_SLACK_MS = 20;
/** a retry later than its wait by this much is a bug, not scheduling noise on a busy machine */
const LATE_MS = 4000;

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function hook(opts: ConstructorParameters<typeof WebhookReceiver>[0] = {}): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver({ path: '/', ...opts }).start();
  receivers.push(r);
  return r;
}

describe('drain engine', () => {
  it('loses nothing when faults are transient: every instance+seq arrives (chaos: 5xx, 429, resets, stalls)', async () => {
    const r = await hook();
    r.chaos({ p5xx: 0.15, p429: 0.08, retryAfterS: 1, pReset: 0.05, pStall: 0.03, stallMs: 5000, seed: 7 });
    const lines = 20_000;
    const res = await runCli(['run', '--', NODE, `${APPS}/lines.mjs`, String(lines)], {
      env: cleanEnv({
        WEBHOOK_URL: r.url,
        FORWARDER_REQUEST_TIMEOUT: '500ms',
        FORWARDER_FLUSH_TIMEOUT: '60s',
      }),
    });
    expect(res.code).toBe(0);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    const expected = lines + 2; // + started, exited
    const seqs = new Set(r.records.map((e) => e.seq));
    expect(seqs.size).toBe(expected);
    for (let seq = 1; seq <= expected; seq++) expect(seqs.has(seq)).toBe(true);
    expect(s.dropped).toBe(0);
    expect(r.faultCount).toBeGreaterThan(0);
    expect(s.retried).toBeGreaterThan(0);
    // Stalled and reset requests may have been processed before the answer was lost: at-least-once.
    console.log(
      `chaos: ${r.requests.length} requests, ${r.faultCount} faults, ${r.duplicates} duplicate events, ${s.retried} retried`,
    );
  }, 90_000);

  it('counts exactly what it drops when the receiver is down longer than the buffer lasts, and says so once it recovers', async () => {
    const r = await hook();
    // The receiver refuses from the start until the pipeline has framed all of the app's lines (its
    // answers held till then), and a while longer (its retry backoff): the whole burst is queued,
    // on a busy machine too, while the destination is down, so the `dropped` notice its recovery
    // sends is not itself pushed out of the full queue by lines framed after it. The app's `ready`
    // on our stdout is not that moment (the pass-through runs ahead of the pipeline); the
    // pipeline's own count of the lines it framed is.
    let framed!: () => void;
    r.setFaults([{ status: 503, times: 4, until: new Promise<void>((resolve) => (framed = resolve)) }]);
    // 20,000 lines overflow a 64 KiB buffer while the receiver refuses; then the app waits for SIGTERM.
    const run = startCli(
      [
        'run',
        '--metrics-addr',
        '127.0.0.1:0',
        '--',
        'sh',
        '-c',
        `${NODE} ${APPS}/lines.mjs 20000 && exec ${NODE} ${APPS}/trap-term.mjs`,
      ],
      {
        env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_BUFFER_BYTES: '64KiB', FORWARDER_LOG_LEVEL: 'debug' }),
      },
    );
    const [, base] = await run.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    await until(`${base}/metrics`, (text) =>
      text.includes('forwarder_input_lines_total{stream="stdout"} 20001'),
    );
    framed();
    await r.waitFor(() => r.records.some((e) => e.message.startsWith('forwarder dropped')), 30_000);
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    const notice = r.records.find((e) => e.message.startsWith('forwarder dropped'))!;
    expect(notice).toMatchObject({
      stream: 'forwarder',
      level: 'warn',
      lifecycle: { kind: 'dropped', drain: 'webhook' },
    });
    expect(notice.message).toMatch(/^forwarder dropped \d+ events for drain webhook: buffer_full \d+$/);
    expect(s.reasons.buffer_full).toBeGreaterThan(0);
    expect(s.dropped).toBe(s.reasons.buffer_full);
    // Every event was either delivered or counted as dropped, nothing else: 20,000 lines, ready,
    // bye, started, exited and the one notice (the next may come 30 s later at the earliest).
    // issue 13 item 11: drops after the first notice (its own push may evict one) are told at the final flush
    const noticeEvents = r.records.filter((e) => e.message.startsWith('forwarder dropped'));
    const notices = noticeEvents.length;
    const told = noticeEvents.reduce((n, e) => n + Number(/^forwarder dropped (\d+)/.exec(e.message)![1]), 0);
    expect(told).toBe(s.dropped);
    expect(r.duplicates).toBe(0);
    expect(r.records.length).toBe(s.delivered);
    expect(s.delivered + s.dropped).toBe(20_004 + notices);
    expect(Math.max(...r.records.map((e) => e.seq))).toBe(20_004 + notices);
  }, 60_000);

  it('does not let a stalled drain delay another drain', async () => {
    const stalled = await hook();
    stalled.setFaults([{ stallMs: Number.POSITIVE_INFINITY, times: 1000 }]);
    const dir = tempDir();
    const file = dir.file('events.ndjson');
    const run = startCli(['run', '--', NODE, `${APPS}/trap-term.mjs`], {
      env: cleanEnv({ WEBHOOK_URL: stalled.url, FORWARDER_FILE: file, FORWARDER_FLUSH_TIMEOUT: '1s' }),
    });
    // The file drain delivers "ready" while the webhook's request hangs with no answer.
    await waitForFile(file, (t) => t.includes('"message":"ready"'));
    await stalled.waitFor(() => stalled.requests.length > 0);
    expect(stalled.records).toHaveLength(0);
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(summaryOf(res.stderr.toString(), 'file').dropped).toBe(0);
    dir.cleanup();
  });

  // The exact wait (to the millisecond, capped) is held on a fake clock in drain.test.ts; here the
  // receiver's own clock shows the built CLI came back when it was told to, not before, not much after.
  it('honours Retry-After (seconds) before the next attempt', async () => {
    const r = await hook();
    r.setFaults([{ status: 429, retryAfter: 1 }]);
    // one batch, sent at exit: the second request is the retry, not another batch already on its way
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:x'], {
      env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code).toBe(0);
    expect(res.stderr.toString()).toMatch(/drain webhook will retry \d+ records in 1000 ms \(HTTP 429/);
    const [limited, retry] = r.requests;
    expect(limited!.answerHeaders['retry-after']).toBe('1');
    expect(retry!.status).toBe(200);
    const gap = retry!.startedAt - limited!.answeredAt;
    expect(gap).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
    expect(gap).toBeLessThan(1000 + LATE_MS);
    expect(r.records.some((e) => e.message === 'x')).toBe(true);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const r = await hook();
    // the date two seconds after the answer, not after this line: the CLI may take longer to start
    r.setFaults([{ status: 503, retryAfter: () => new Date(Date.now() + 2000).toUTCString() }]);
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:y'], {
      env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code).toBe(0);
    const [limited, retry] = r.requests;
    // the date has one-second resolution: the wait is whatever is left until it
    const until = Date.parse(limited!.answerHeaders['retry-after']!);
    expect(retry!.status).toBe(200);
    expect(retry!.startedAt).toBeGreaterThanOrEqual(until - TIMER_SLACK_MS);
    expect(retry!.startedAt).toBeLessThan(until + LATE_MS);
    expect(r.records.some((e) => e.message === 'y')).toBe(true);
  });

  it('splits a batch answered 413 in half and resends the halves', async () => {
    const r = await hook();
    r.setFaults([{ status: 413 }]);
    const args = Array.from({ length: 10 }, (_, i) => `out:line ${i}`);
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, ...args], {
      env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_MULTILINE: '0' }),
    });
    expect(res.code).toBe(0);
    const first = r.requests[0]!;
    expect(first.status).toBe(413);
    const sent = (JSON.parse(first.rawBody.toString()) as unknown[]).length;
    const [a, b] = [r.requests[1]!, r.requests[2]!].map(
      (q) => (JSON.parse(q.rawBody.toString()) as unknown[]).length,
    );
    expect(a! + b!).toBe(sent);
    expect(Math.abs(a! - b!)).toBeLessThanOrEqual(1);
    expect(r.records.filter((e) => e.message.startsWith('line ')).map((e) => e.message)).toEqual(
      args.map((a) => a.slice(4)),
    );
  });

  it("reports a permanent failure with the receiver's text and counts it, without retrying", async () => {
    const r = await hook();
    r.setFaults([{ status: 400, body: '{"error":"field x is not allowed"}', times: 100 }]);
    // one batch, sent at exit: the second request is the retry, not another batch already on its way
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:x'], {
      env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code).toBe(0);
    const err = res.stderr.toString();
    expect(err).toMatch(
      /drain webhook rejected \d+ records \(HTTP 400\): \{"error":"field x is not allowed"\}/,
    );
    const s = summaryOf(err, 'webhook');
    expect(s.retried).toBe(0);
    expect(s.reasons.http_400).toBe(s.dropped);
    expect(r.requests.length).toBe(r.faultCount);
  });

  it('ends the final flush at FORWARDER_FLUSH_TIMEOUT and says what the deadline cut', async () => {
    const r = await hook();
    r.setFaults([{ stallMs: Number.POSITIVE_INFINITY, times: 1000 }]);
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:a', 'out:b'], {
      env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_FLUSH_TIMEOUT: '1s' }),
    });
    // from the app's last line, not from our start-up, which a busy machine stretches
    const took = res.closedAt - res.lastStdoutAt;
    expect(res.code).toBe(0);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    expect(s.cut).toBe(true);
    expect(s.reasons.flush_deadline).toBe(4);
    expect(s.delivered).toBe(0);
    // 1 s of deadline and its grace: far below the 30 s request timeout it would otherwise wait.
    expect(took).toBeLessThan(10_000);
  });

  it('flushes everything written before exit without waiting for the batch timer', async () => {
    const r = await hook();
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:last words'], {
      env: cleanEnv({ WEBHOOK_URL: r.url, FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code).toBe(0);
    expect(r.records.some((e) => e.message === 'last words')).toBe(true);
    // from the app's last words: far below the 60 s batch timer
    expect(res.closedAt - res.lastStdoutAt).toBeLessThan(30_000);
  });
});
