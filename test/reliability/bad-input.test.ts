/**
 * Issue 9, reliability: hostile output from the app (50 MB of random bytes, invalid UTF-8, NULs, an
 * ANSI flood, a carriage-return progress bar, and a 20 MB line with no newline at the very end).
 * The forwarder must not crash, must stay within a memory bound, and every drain's output must stay
 * valid for its vendor: the receivers reject what their vendor would reject, so zero `rejected`
 * requests is the proof; the file drain's output must be valid UTF-8 JSON lines without ANSI.
 *
 * Memory bound (peak RSS of the forwarder, VmHWM, every thread): 450 MB. Measured on a loaded
 * 2-core machine: 320-330 MB with 5 MB of random bytes and six drains, 390 MB with 50 MB and the
 * file drain alone. Measured idle with these drains: ~60-70 MB (Node plus the modules, one thread).
 * On top, by configuration: the pipeline backlog (64 MiB, set here to hold the whole burst), the
 * drain queues (16 MiB accounted, events shared by the drains, but strings holding U+FFFD take two
 * bytes per character, so up to ~32 MiB real), and per drain up to 2 in-flight batches of ≤ 1 MB
 * plus their gzip copies, and GC slack under a burst of short-lived strings. 450 MB still fails if the
 * random input or the 20 MB line were held whole per drain (6 × 20 MB lines alone would be 240 MB
 * of two-byte strings on top of the idle size).
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, NODE, startCli, tempDir } from '../helpers/cli.js';
import type { HttpReceiver } from '../receivers/http-receiver.js';
import { peakRss, RELIABILITY_APPS } from './helpers.js';
import { MISSING, VENDORS } from './vendors.js';

const PEAK_RSS_BOUND_MB = 450;
/**
 * MB of random bytes sent through every vendor drain. The receivers validate every record in this
 * test process, which at the issue's 50 MB takes minutes on 2 cores; the full 50 MB goes through
 * the file drain in the second test. RELIABILITY_RANDOM_MB=50 runs the vendors at full size too.
 */
const RANDOM_MB = Number(process.env.RELIABILITY_RANDOM_MB ?? 10);
/** The issue's size, through the file drain (no receiver to keep up with). */
const FULL_RANDOM_MB = 50;

// biome-ignore lint/suspicious/noExplicitAny: receivers of every vendor
const open: HttpReceiver<any>[] = [];
const dirs: { cleanup(): void }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('reliability: bad input', () => {
  it(`survives ${RANDOM_MB} MB of random bytes, invalid UTF-8, NULs, ANSI floods, CR progress bars and a 20 MB line, within bounded memory, with valid output for every drain`, async () => {
    if (MISSING.length > 0) console.log(`bad input: drains not registered, skipped: ${MISSING.join(', ')}`);
    const dir = tempDir();
    dirs.push(dir);
    const file = dir.file('events.ndjson');
    // 60 s: nine vendor drains (their receivers validating every record in this process) share 2
    // cores with the forwarder; the deadline bounds the run, it is not what this test is about
    // A backlog that holds the whole burst: the app writes ~35 MB flat out, and while it does the
    // pipeline gives way (run, when_full=drop), so with the default 8 MiB the marker lines after
    // the random bytes would be dropped (counted, pipeline_backlog) before any drain saw them.
    const env: Record<string, string> = {
      FORWARDER_FILE: file,
      FORWARDER_FLUSH_TIMEOUT: '60s',
      FORWARDER_PIPELINE_BUFFER_BYTES: '64MiB',
    };
    const rx = [];
    for (const v of VENDORS) {
      const r = await v.receiver({}).start();
      open.push(r);
      Object.assign(env, v.env(r.url));
      rx.push({ v, r });
    }
    const run = startCli(['run', '--', NODE, `${RELIABILITY_APPS}/bad-input.mjs`, String(RANDOM_MB), '20'], {
      env: cleanEnv(env),
    });
    const rss = peakRss(run.child.pid!);
    const res = await run.result;
    const peak = rss.stop();
    const stderr = res.stderr.toString();
    const summary = stderr.split('\n').find((l) => l.includes('summary:')) ?? '(no summary line)';
    const report = [`peak RSS ${peak.toFixed(0)} MB (bound ${PEAK_RSS_BOUND_MB} MB)`, summary];
    const checks = rx.map(({ v, r }) => {
      const messages = r.records.map((rec: unknown) => v.message(rec) ?? '');
      const leftEsc = messages.filter((m) => m.includes('\x1b')).length;
      report.push(
        `${v.id}: ${r.summary()}; ${leftEsc} messages keep a lone/unterminated ESC; statuses ${r.requests
          .map((q) => `${q.status}${q.error ? `(${q.error.slice(0, 40)})` : ''}`)
          .slice(0, 8)
          .join(' ')}`,
      );
      return {
        id: v.id,
        rejected: r.rejected.map((q) => `${q.status} ${q.error}`).slice(0, 5),
        markers: messages.filter((m) => m === 'bad-input marker').length >= 2,
        truncatedLine: messages.some((m) => m.includes('[truncated')),
        ansiSequences: messages.some((m) => m.includes('\x1b[31m') || m.includes('\x1b]0;title')),
      };
    });
    const raw = readFileSync(file);
    const events = raw
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { message: string });
    report.push(`file: ${events.length} events`);
    console.log(`bad input:\n  ${report.join('\n  ')}`);

    expect(res.code, stderr.slice(-2000)).toBe(0);
    expect(stderr).not.toMatch(/internal error|pipeline stopped|failed to deliver a batch/);
    expect(peak).toBeLessThan(PEAK_RSS_BOUND_MB);
    for (const c of checks) {
      expect(c).toEqual({ id: c.id, rejected: [], markers: true, truncatedLine: true, ansiSequences: false });
    }
    expect(isUtf8(raw)).toBe(true);
    expect(events.some((e) => e.message === 'bad-input marker')).toBe(true);
    expect(events.some((e) => e.message.includes('\x1b[31m'))).toBe(false);
    expect(events.some((e) => e.message.includes('[truncated'))).toBe(true);
    expect(events.some((e) => e.message.includes('\r'))).toBe(true); // the progress bar stays one line
  }, 120_000);

  it(`survives ${FULL_RANDOM_MB} MB of random bytes and a 20 MB line through the file drain, within bounded memory, every line valid JSON`, async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = dir.file('events.ndjson');
    const run = startCli(
      ['run', '--', NODE, `${RELIABILITY_APPS}/bad-input.mjs`, String(FULL_RANDOM_MB), '20'],
      {
        env: cleanEnv({ FORWARDER_FILE: file, FORWARDER_FLUSH_TIMEOUT: '30s' }),
      },
    );
    const rss = peakRss(run.child.pid!);
    const res = await run.result;
    const peak = rss.stop();
    const stderr = res.stderr.toString();
    console.log(
      `bad input (${FULL_RANDOM_MB} MB, file drain): peak RSS ${peak.toFixed(0)} MB; ${stderr.split('\n').find((l) => l.includes('summary:'))}`,
    );
    expect(res.code, stderr.slice(-2000)).toBe(0);
    expect(stderr).not.toMatch(/internal error|pipeline stopped|failed to deliver a batch/);
    expect(peak).toBeLessThan(PEAK_RSS_BOUND_MB);
    const raw = readFileSync(file);
    expect(isUtf8(raw)).toBe(true);
    const events = raw
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { message: string });
    // At this rate the pipeline falls behind and drops (counted) rather than slow the app, so
    // which lines arrive varies; what arrives is exactly what the summary says was delivered.
    const delivered = Number(/file: delivered (\d+)/.exec(stderr)?.[1]);
    expect(events).toHaveLength(delivered);
    expect(events.some((e) => e.message.includes('\x1b'))).toBe(false);
  }, 120_000);
});
