/**
 * The contract every HTTP drain meets, run through the built CLI against the drain's contract
 * receiver (Vector's run_and_assert_sink_compliance idea): delivery; 5xx and 429 retried with the
 * wait the server asked for; a 4xx rejected, reported with the drain's hint and counted; 413 split;
 * an oversized record truncated, never refused; a 100,000-line burst inside the vendor's limits;
 * the final flush at exit; `forwarder check` accepted and refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { CORE_SETTINGS } from '../../src/config/settings.js';
import type { DrainSpec } from '../../src/drains/core/types.js';
import { drainSettings } from '../../src/drains/registry.js';
import { APPS, cleanEnv, NODE, runCli, summaryOf as sharedSummaryOf } from '../helpers/cli.js';
import type { Fault, HttpReceiver, ReceiverOptions } from '../receivers/http-receiver.js';

export const AGENT = 'agent-7';
export const WORKER = 'worker-3';
export const HOST = 'host-9';
export const EMIT = `${APPS}/emit.mjs`;
export const LINES = `${APPS}/lines.mjs`;

export interface DrainContractCase<R> {
  /** the drain id, as in the summary line */
  id: string;
  /** a receiver (not started) with these options and a valid key */
  receiver(opts: ReceiverOptions<R>): HttpReceiver<R>;
  /** env that enables the drain against the receiver at `url` (http://127.0.0.1:PORT) */
  env(url: string): Record<string, string>;
  /** the same with a key the receiver refuses with 403 */
  badKeyEnv(url: string): Record<string, string>;
  /** what a person must read on stderr for that 403 */
  hint403: RegExp;
  /** the line a record carries, and its stream (lifecycle records have stream "forwarder") */
  message(r: R): string;
  stream(r: R): string;
  /** the drain's per-record limit: a longer line must arrive truncated */
  maxRecordBytes: number;
  /** a 429 as the vendor sends it, asking for a wait of about 1 s */
  rateLimitFault?: Fault;
}

/** Env for every run: fixed identity, short batch wait, a flush deadline well under the test timeout. */
export function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return cleanEnv({
    FORWARDER_AGENT_ID: AGENT,
    FORWARDER_WORKER_ID: WORKER,
    FORWARDER_HOSTNAME: HOST,
    FORWARDER_BATCH_WAIT: '20ms',
    FORWARDER_FLUSH_TIMEOUT: '10s',
    ...extra,
  });
}

/** One drain's part of the summary line, with its reasons as printed (`axiom_failed 2`). */
export function summaryOf(
  id: string,
  stderr: string,
): { delivered: number; retried: number; dropped: number; reasons: string; cut: boolean } {
  const s = sharedSummaryOf(stderr, id);
  return { ...s, reasons: s.reasonsText };
}

/** Runs the contract suite for one drain. */
export function drainContract<R>(c: DrainContractCase<R>): void {
  describe(`${c.id}: HTTP drain contract`, () => {
    const open: HttpReceiver<R>[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((r) => r.close()));
    });
    const start = (opts: ReceiverOptions<R> = {}) => {
      const r = c.receiver(opts);
      open.push(r);
      return r.start();
    };
    const app = (rx: HttpReceiver<R>) => rx.records.filter((r) => c.stream(r) !== 'forwarder');
    const emit = (url: string, args: string[], extra: Record<string, string> = {}) =>
      runCli(['run', '--', NODE, EMIT, ...args], { env: baseEnv({ ...c.env(url), ...extra }) });

    it('delivers every line, with no contract violation', async () => {
      const rx = await start();
      const res = await emit(rx.url, ['out:first line', 'err:second line', 'out:third "quoted" ünïcode ✓']);
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.rejected).toEqual([]);
      const got = app(rx).map((r) => [c.message(r), c.stream(r)]);
      expect(got).toHaveLength(3);
      expect(got).toEqual(
        expect.arrayContaining([
          ['first line', 'stdout'],
          ['second line', 'stderr'],
          ['third "quoted" ünïcode ✓', 'stdout'],
        ]),
      );
      const s = summaryOf(c.id, res.stderr.toString());
      expect(s.dropped).toBe(0);
      expect(s.delivered).toBe(rx.recordCount);
    });

    it('retries 5xx and 429, waiting as long as the 429 asked', async () => {
      const rx = await start({
        faults: [{ status: 503 }, { status: 500 }, c.rateLimitFault ?? { status: 429, retryAfter: 1 }],
      });
      const run = emit(rx.url, ['out:a', 'out:b']);
      await rx.waitFor(() => rx.requests.length >= 3 && rx.requests[2]!.status !== 0, 20_000);
      const limitedAt = Date.now();
      await rx.waitFor(() => rx.requests.length >= 4, 20_000);
      const waited = Date.now() - limitedAt;
      const res = await run;
      expect(res.code, res.stderr.toString()).toBe(0);
      // the receiver asked for ~1 s (Retry-After: 1, or a reset at the next whole second + 1)
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(app(rx).map(c.message).sort()).toEqual(['a', 'b']);
      const s = summaryOf(c.id, res.stderr.toString());
      expect(s.dropped).toBe(0);
      expect(s.retried).toBeGreaterThanOrEqual(3);
    });

    it('rejects on a refused key: reported with a hint, counted, and `check` fails with it', async () => {
      const rx = await start();
      const env = baseEnv(c.badKeyEnv(rx.url));
      const res = await runCli(['run', '--', NODE, EMIT, 'out:x', 'out:y'], { env });
      const stderr = res.stderr.toString();
      expect(res.code, stderr).toBe(0); // the app's exit code, whatever the drain did
      expect(stderr).toMatch(c.hint403);
      const s = summaryOf(c.id, stderr);
      expect(s.delivered).toBe(0);
      expect(s.dropped).toBeGreaterThanOrEqual(2);
      const check = await runCli(['check'], { env });
      expect(check.code).not.toBe(0);
      expect(check.stdout.toString()).toMatch(c.hint403);
    });

    it('`check` exits 0 when the vendor accepts the test event', async () => {
      const rx = await start();
      const check = await runCli(['check'], { env: baseEnv(c.env(rx.url)) });
      expect(check.stdout.toString()).toContain(c.id);
      expect(check.code).toBe(0);
      expect(rx.recordCount).toBe(1);
      expect(rx.rejected).toEqual([]);
    });

    it('drops a batch the vendor answers with a plain 400, and counts it', async () => {
      const rx = await start({ faults: [{ status: 400, times: Number.POSITIVE_INFINITY }] });
      const res = await emit(rx.url, ['out:a', 'out:b']);
      const stderr = res.stderr.toString();
      expect(stderr).toMatch(/rejected \d+ records/);
      const s = summaryOf(c.id, stderr);
      expect(s.delivered).toBe(0);
      expect(s.dropped).toBeGreaterThanOrEqual(2);
    });

    it('splits a batch answered 413 and delivers both halves', async () => {
      const rx = await start({ faults: [{ status: 413 }] });
      const lines = Array.from({ length: 6 }, (_, i) => `out:line ${i}`);
      // one batch: nothing is sent before the app has exited
      const res = await emit(rx.url, lines, { FORWARDER_BATCH_WAIT: '60s' });
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.requests[0]!.status).toBe(413);
      expect(rx.requests.length).toBeGreaterThanOrEqual(3);
      expect(
        app(rx)
          .map(c.message)
          .filter((m) => m.startsWith('line '))
          .sort(),
      ).toEqual(lines.map((l) => l.slice(4)).sort());
      expect(summaryOf(c.id, res.stderr.toString()).dropped).toBe(0);
    });

    it('truncates a record over the vendor limit, visibly, instead of losing it', async () => {
      const rx = await start();
      const big = 'x'.repeat(c.maxRecordBytes + 50_000);
      const res = await runCli(['pipe'], {
        env: baseEnv({ ...c.env(rx.url), FORWARDER_MAX_LINE_BYTES: '8MiB', FORWARDER_MULTILINE: 'false' }),
        input: `${big}\nsmall\n`,
      });
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.rejected).toEqual([]);
      const msgs = app(rx).map(c.message);
      expect(msgs).toContain('small');
      const cut = msgs.find((m) => m.startsWith('xxx'));
      expect(cut).toMatch(/…\[truncated \d+ bytes\]$/);
      expect(Buffer.byteLength(cut!)).toBeLessThan(c.maxRecordBytes);
    });

    it('flushes at exit: lines written just before the app exits arrive before the forwarder exits', async () => {
      const rx = await start();
      const started = Date.now();
      const res = await emit(rx.url, ['out:last words', 'err:really last'], { FORWARDER_BATCH_WAIT: '60s' });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(app(rx).map(c.message).sort()).toEqual(['last words', 'really last']);
    });

    it('gives up at the flush deadline when the vendor hangs, and says so', async () => {
      const rx = await start({
        faults: [{ stallMs: Number.POSITIVE_INFINITY, times: Number.POSITIVE_INFINITY }],
      });
      const started = Date.now();
      const res = await emit(rx.url, ['out:never'], { FORWARDER_FLUSH_TIMEOUT: '500ms' });
      expect(Date.now() - started).toBeLessThan(10_000);
      const s = summaryOf(c.id, res.stderr.toString());
      expect(s.delivered).toBe(0);
      expect(s.reasons).toMatch(/flush_deadline/);
      expect(s.cut).toBe(true);
    });

    it('delivers a 100,000-line burst exactly once, inside every vendor limit', async () => {
      const idOf = (r: R) => /line=(\d+)/.exec(c.message(r))?.[1];
      const rx = await start({ keepRecords: false, trackIds: true, idOf });
      const res = await runCli(['run', '--', NODE, LINES, '100000'], {
        // the queue bound is not what this test is about: room for the whole burst
        env: baseEnv({ ...c.env(rx.url), FORWARDER_FLUSH_TIMEOUT: '20s', FORWARDER_BUFFER_BYTES: '256MiB' }),
      });
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.rejected.map((r) => `${r.status} ${r.error}`)).toEqual([]);
      expect(rx.ids.size).toBe(100_000);
      expect(rx.duplicates).toBe(0);
      const s = summaryOf(c.id, res.stderr.toString());
      expect(s.dropped).toBe(0);
    }, 60_000);
  });
}

/** A spec configured from `env` alone (pure: no network), as the session would configure it. */
export function configureFrom<C>(spec: DrainSpec<C>, env: Record<string, string>): C | undefined {
  const config = loadConfig({
    defs: [...CORE_SETTINGS, ...drainSettings()],
    flags: {},
    env,
    configPath: undefined,
  });
  return spec.configure(config, {
    identity: { agentId: AGENT, workerId: WORKER, hostname: HOST, instance: 'i-1', attributes: {} },
    version: '0.0.0-test',
    requestTimeoutMs: 30_000,
  });
}
