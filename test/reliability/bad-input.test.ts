/**
 * Issue 9, reliability: hostile output from the app (50 MB of random bytes, invalid UTF-8, NULs, an
 * ANSI flood, a carriage-return progress bar, and a 20 MB line with no newline at the very end).
 * The forwarder must not crash, must stay within a memory bound, and every drain's output must stay
 * valid for its vendor: the receivers reject what their vendor would reject, so zero `rejected`
 * requests is the proof; the file drain's output must be valid UTF-8 JSON lines without ANSI.
 *
 * Memory bound (peak RSS of the forwarder, VmHWM, every thread): 400 MB. Measured idle with these
 * drains: ~130-160 MB (Node plus the modules, loaded in the main thread and again in the pipeline
 * worker). On top, by configuration: the pipeline backlog (64 MiB, supervisor/pipeline-host.ts), the
 * drain queues (32 MiB accounted, events shared by the drains, but strings holding U+FFFD take two
 * bytes per character, so up to ~64 MiB real), and per drain up to 2 in-flight batches of ≤ 1 MB
 * plus their gzip copies. That is ~300 MB at worst; 400 MB leaves room for GC slack on a loaded
 * machine while still failing if the 50 MB input or the 20 MB line were held whole per drain.
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, NODE, startCli, tempDir } from '../helpers/cli.js';
import type { HttpReceiver } from '../receivers/http-receiver.js';
import { peakRss, RELIABILITY_APPS, summaryOf } from './helpers.js';
import { MISSING, VENDORS } from './vendors.js';

const PEAK_RSS_BOUND_MB = 400;
/** MB of random bytes (the issue's figure; smaller only for a local experiment) */
const RANDOM_MB = Number(process.env.RELIABILITY_RANDOM_MB ?? 50);

// biome-ignore lint/suspicious/noExplicitAny: receivers of every vendor
const open: HttpReceiver<any>[] = [];
const dirs: { cleanup(): void }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('reliability: bad input', () => {
  it('survives random bytes, invalid UTF-8, NULs, ANSI floods, CR progress bars and a 20 MB line, within bounded memory, with valid output for every drain', async () => {
    if (MISSING.length > 0) console.log(`bad input: drains not registered, skipped: ${MISSING.join(', ')}`);
    const dir = tempDir();
    dirs.push(dir);
    const file = dir.file('events.ndjson');
    const env: Record<string, string> = { FORWARDER_FILE: file, FORWARDER_FLUSH_TIMEOUT: '30s' };
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
    expect(res.code, stderr.slice(-2000)).toBe(0);
    expect(stderr).not.toMatch(/internal error|pipeline stopped|failed to deliver a batch/);
    expect(peak).toBeLessThan(PEAK_RSS_BOUND_MB);

    const report = [`peak RSS ${peak.toFixed(0)} MB (bound ${PEAK_RSS_BOUND_MB} MB)`];
    for (const { v, r } of rx) {
      const s = summaryOf(stderr, v.id);
      const messages = r.records.map((rec: unknown) => v.message(rec) ?? '');
      expect({ id: v.id, rejected: r.rejected.map((q) => `${q.status} ${q.error}`) }).toEqual({
        id: v.id,
        rejected: [],
      });
      expect(messages.filter((m) => m === 'bad-input marker').length, v.id).toBeGreaterThanOrEqual(2);
      expect(
        messages.some((m) => m.includes('[truncated')),
        `${v.id}: the 20 MB line`,
      ).toBe(true);
      expect(
        messages.some((m) => m.includes('\x1b')),
        `${v.id}: ANSI shipped`,
      ).toBe(false);
      report.push(
        `${v.id}: ${r.recordCount} records, delivered ${s.delivered}, dropped ${s.dropped}${s.dropped ? ` (${JSON.stringify(s.reasons)})` : ''}`,
      );
    }
    const raw = readFileSync(file);
    expect(isUtf8(raw)).toBe(true);
    const events = raw
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { message: string });
    expect(events.some((e) => e.message === 'bad-input marker')).toBe(true);
    expect(events.some((e) => e.message.includes('\x1b'))).toBe(false);
    expect(events.some((e) => e.message.includes('[truncated'))).toBe(true);
    expect(events.some((e) => e.message.includes('\r'))).toBe(true); // the progress bar stays one line
    report.push(`file: ${events.length} events`);
    console.log(
      `bad input:\n  ${report.join('\n  ')}\n  ${stderr.split('\n').find((l) => l.includes('summary:'))}`,
    );
  }, 120_000);
});
