/**
 * Issue 9, reliability: the receiver is down (nothing listens: connection refused) and comes back on
 * the same port. While the buffer holds, nothing is lost and nothing is counted as dropped; when it
 * does not, the drop count is exact: every event is either received or counted, never both, never
 * neither. (engine.test.ts has the 503 variant of the second case.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APPS, cleanEnv, NODE, startCli } from '../helpers/cli.js';
import { freePort } from '../receivers/rsyslog.js';
import { WebhookReceiver } from '../receivers/webhook.js';
import { summaryOf } from './helpers.js';

const open: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

/** Runs `lines` lines through a forwarder whose receiver is down until the first retry is logged. */
async function outage(lines: number, bufferBytes: string) {
  const port = await freePort();
  const run = startCli(
    ['run', '--', 'sh', '-c', `${NODE} ${APPS}/lines.mjs ${lines} && exec ${NODE} ${APPS}/trap-term.mjs`],
    { env: cleanEnv({ WEBHOOK_URL: `http://127.0.0.1:${port}/`, FORWARDER_BUFFER_BYTES: bufferBytes }) },
  );
  // down: wait for the forwarder to say it will retry (connection refused), and for the app to finish
  let stderr = '';
  const refused = new Promise<void>((resolve) => {
    run.child.stderr!.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (/will retry \d+ records .*ECONNREFUSED/.test(stderr)) resolve();
    });
  });
  await refused;
  await run.waitForStdout('ready\n');
  // back, on the same port
  const r = await new WebhookReceiver({ port, path: '/' }).start();
  open.push(r);
  return { run, r };
}

describe('reliability: receiver down, then back', () => {
  it('loses nothing and drops nothing while the buffer holds', async () => {
    const lines = 20_000;
    const { run, r } = await outage(lines, '32MiB');
    // every app line, ready, and started: then stop the app
    await r.waitFor(() => r.records.filter((e) => e.stream !== 'forwarder').length >= lines + 1, 60_000);
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    expect(s.dropped).toBe(0);
    const expected = lines + 4; // + ready, bye, started, exited
    expect(s.delivered).toBe(expected);
    const seqs = new Set(r.records.map((e) => e.seq));
    for (let seq = 1; seq <= expected; seq++) expect(seqs.has(seq)).toBe(true);
    expect(r.rejected).toHaveLength(0);
    console.log(`outage (buffer holds): ${s.retried} retried, ${r.duplicates} duplicates, 0 dropped`);
  }, 90_000);

  it('counts exactly what it drops when the buffer does not hold', async () => {
    const lines = 20_000;
    const { run, r } = await outage(lines, '64KiB');
    // the app's last line before it waits arrives once the queue has drained (it is the newest event,
    // never the one evicted); the drop notices come while the receiver is up or in the final flush
    await r.waitFor(() => r.records.some((e) => e.message === 'ready'), 60_000);
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    const s = summaryOf(res.stderr.toString(), 'webhook');
    const notices = r.records.filter((e) => e.message.startsWith('forwarder dropped')).length;
    const total = lines + 4 + notices;
    expect(s.reasons.buffer_full).toBeGreaterThan(0);
    expect(s.dropped).toBe(s.reasons.buffer_full);
    expect(r.duplicates).toBe(0);
    // received and dropped partition the events exactly
    expect(r.records.length).toBe(s.delivered);
    // A drop notice queued while the receiver was down can itself be evicted (and is counted as a
    // drop): at most one notice per 10 s of this ≤ 60 s run, so 0 to 6 events beyond `total`.
    const evictedNotices = s.delivered + s.dropped - total;
    expect(evictedNotices).toBeGreaterThanOrEqual(0);
    expect(evictedNotices).toBeLessThanOrEqual(6);
    expect(new Set(r.records.map((e) => e.seq)).size).toBe(s.delivered);
    console.log(`outage (64 KiB buffer): delivered ${s.delivered}, dropped ${s.dropped} of ${total}`);
  }, 90_000);
});
