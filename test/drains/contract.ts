/**
 * The contract every drain meets, run through the built CLI against the drain's own strict
 * receiver (Vector's run_and_assert_sink_compliance idea). HTTP drains (`drainContract`): delivery;
 * 5xx retried; a rate limit waited out as long as the server asked; refused credentials reported
 * with the drain's hint and counted; a final 4xx dropped and counted; 413 split; an oversized
 * record truncated, never refused; the final flush at exit; the flush deadline when the vendor
 * hangs; a 100,000-line burst exactly once; `forwarder check` accepted and refused. Stream drains
 * (`streamDrainContract`: syslog, file) run the items a byte stream has, against what they write.
 * An item that does not apply to a drain is named with the reason in the drain's case, and a test
 * per drain checks that every item either ran or has its reason (a new item cannot be skipped
 * silently).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { CORE_SETTINGS } from '../../src/config/settings.js';
import type { DrainSpec } from '../../src/drains/core/types.js';
import { drainSettings } from '../../src/drains/registry.js';
import { APPS, cleanEnv, NODE, runCli, summaryOf as sharedSummaryOf, startCli } from '../helpers/cli.js';
import type { Fault, HttpReceiver, ReceivedRequest, ReceiverOptions } from '../receivers/http-receiver.js';

export const AGENT = 'agent-7';
export const WORKER = 'worker-3';
export const HOST = 'host-9';
export const EMIT = `${APPS}/emit.mjs`;
export const LINES = `${APPS}/lines.mjs`;

/** a timer may fire this much before its time by the wall clock (libuv caches the loop time) */
export const TIMER_SLACK_MS = 20;
/** a retry later than the wait it was asked for by this much is a bug, not scheduling noise */
export const LATE_MS = 4000;

/**
 * The burst's flush deadline: ~5 s is enough on a quiet 2-core machine; the margin is for a busy
 * one (the receivers validate every record in the test process). It is a bound, not a wait.
 */
const BURST_FLUSH_TIMEOUT = '50s';
const BURST_TEST_TIMEOUT_MS = 90_000;

/** Every item of the contract. A drain runs each one or names why it does not apply. */
export const CONTRACT_ITEMS = [
  'delivery',
  'retry_transient',
  'rate_limit_wait',
  'refused_credentials',
  'check_accepted',
  'final_rejection',
  'split_too_large',
  'truncate_oversized',
  'flush_at_exit',
  'flush_deadline',
  'burst_exactly_once',
] as const;
export type ContractItem = (typeof CONTRACT_ITEMS)[number];
/** Why an item does not apply to a drain: a sentence a reader can check. */
export type NotApplicable = Partial<Record<ContractItem, string>>;

export interface DrainContractCase<R> {
  /** the drain id, as in the summary line */
  id: string;
  /** a receiver (not started) with these options and a valid key */
  receiver(opts: ReceiverOptions<R>): HttpReceiver<R>;
  /** env that enables the drain against the receiver at `url` (http://127.0.0.1:PORT) */
  env(url: string): Record<string, string>;
  /** the same with a key the receiver refuses (403, or the vendor's own refusal) */
  badKeyEnv(url: string): Record<string, string>;
  /** what a person must read on stderr for that refusal */
  hint403: RegExp;
  /** the line a record carries */
  message(r: R): string;
  /** its stream, where the vendor's record carries it (lifecycle records have stream "forwarder") */
  stream?(r: R): string;
  /** the forwarder's own lifecycle records (default: stream "forwarder") */
  isLifecycle?(r: R): boolean;
  /** the drain's per-record limit: a longer line must arrive truncated */
  maxRecordBytes: number;
  /** transient failures as the vendor sends them (default a 503 and a 500) */
  transientFaults?: Fault[];
  /** a rate limit as the vendor sends it, asking for a wait of about 1 s (default 429, Retry-After: 1) */
  rateLimitFault?: Fault;
  /** a final rejection as the vendor sends it (default a plain 400 on every request) */
  finalFault?: Fault;
  /** "too large" as the vendor sends it (default 413) */
  splitFault?: Fault;
  notApplicable?: NotApplicable;
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
  try {
    const s = sharedSummaryOf(stderr, id);
    return { ...s, reasons: s.reasonsText };
  } catch (err) {
    // what went wrong is on stderr, above the summary
    throw new Error(
      `${(err as Error).message}\n--- stderr (last 3000 characters) ---\n${stderr.slice(-3000)}`,
    );
  }
}

/**
 * When a rate-limited answer told the client it may come back (receiver's clock, epoch ms):
 * `Retry-After` in seconds (from the answer) or as an HTTP date, else `X-RateLimit-Reset` (epoch s).
 */
export function askedToWaitUntil(answer: ReceivedRequest): number | undefined {
  const retryAfter = answer.answerHeaders['retry-after'];
  if (retryAfter !== undefined) {
    if (/^\d+$/.test(retryAfter)) return answer.answeredAt + Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    return Number.isNaN(at) ? undefined : at;
  }
  const reset = answer.answerHeaders['x-ratelimit-reset'];
  return reset === undefined ? undefined : Number(reset) * 1000;
}

/** The three lines the delivery item writes, with their streams where the record carries them. */
function expectedLines(withStream: boolean): [string, string | undefined][] {
  return [
    ['first line', withStream ? 'stdout' : undefined],
    ['second line', withStream ? 'stderr' : undefined],
    ['third "quoted" ünïcode ✓', withStream ? 'stdout' : undefined],
  ];
}

/** The suite's own check: each item ran, or the case says why it does not apply (and not both). */
function coverage(id: string, ran: readonly ContractItem[], notApplicable: NotApplicable): void {
  it(`${id}: every contract item runs or states why it does not apply`, () => {
    const stated = Object.keys(notApplicable) as ContractItem[];
    expect([...ran, ...stated].sort()).toEqual([...CONTRACT_ITEMS].sort());
    for (const reason of Object.values(notApplicable)) expect(reason).toMatch(/\w+ \w+ \w+/);
  });
}

/** Runs the contract suite for one HTTP drain. */
export function drainContract<R>(c: DrainContractCase<R>): void {
  const na = c.notApplicable ?? {};
  const ran: ContractItem[] = [];
  /** registers an item's test unless the case says the item does not apply */
  const item = (name: ContractItem, title: string, fn: () => Promise<void>, timeoutMs?: number) => {
    if (na[name] !== undefined) return;
    ran.push(name);
    it(title, fn, timeoutMs);
  };
  describe(`${c.id}: drain contract (HTTP)`, () => {
    const open: HttpReceiver<R>[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((r) => r.close()));
    });
    const start = (opts: ReceiverOptions<R> = {}) => {
      const r = c.receiver(opts);
      open.push(r);
      return r.start();
    };
    const isLifecycle = c.isLifecycle ?? ((r: R) => c.stream!(r) === 'forwarder');
    const app = (rx: HttpReceiver<R>) => rx.records.filter((r) => !isLifecycle(r));
    const emit = (url: string, args: string[], extra: Record<string, string> = {}) =>
      runCli(['run', '--', NODE, EMIT, ...args], { env: baseEnv({ ...c.env(url), ...extra }) });

    item('delivery', 'delivers every line, with no contract violation', async () => {
      const rx = await start();
      const res = await emit(rx.url, ['out:first line', 'err:second line', 'out:third "quoted" ünïcode ✓']);
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.rejected).toEqual([]);
      const got = app(rx).map((r) => [c.message(r), c.stream?.(r)]);
      expect(got).toHaveLength(3);
      expect(got).toEqual(expect.arrayContaining(expectedLines(c.stream !== undefined)));
      const s = summaryOf(c.id, res.stderr.toString());
      expect(s.dropped).toBe(0);
      expect(s.delivered).toBe(rx.recordCount);
    });

    const waitsOutRateLimit = na.rate_limit_wait === undefined;
    ran.push(...(waitsOutRateLimit ? (['rate_limit_wait'] as const) : []));
    item(
      'retry_transient',
      waitsOutRateLimit
        ? 'retries transient failures, and waits out a rate limit as long as the server asked'
        : 'retries transient failures',
      async () => {
        const transient = c.transientFaults ?? [{ status: 503 }, { status: 500 }];
        const limit = c.rateLimitFault ?? { status: 429, retryAfter: 1 };
        const rx = await start({ faults: waitsOutRateLimit ? [...transient, limit] : transient });
        // One batch, sent at exit (its attempts follow one another): every request that starts after
        // the rate-limited answer is a new one. With two batches, one already on its way when the
        // limit is answered may arrive after it, rightly (the drain-wide pause, for requests not
        // yet started, is held on a fake clock in core/drain.test.ts).
        const res = await emit(rx.url, ['out:a', 'out:b'], { FORWARDER_BATCH_WAIT: '60s' });
        expect(res.code, res.stderr.toString()).toBe(0);
        expect(app(rx).map(c.message).sort()).toEqual(['a', 'b']);
        const s = summaryOf(c.id, res.stderr.toString());
        expect(s.dropped).toBe(0);
        expect(s.retried).toBeGreaterThanOrEqual(transient.length + (waitsOutRateLimit ? 1 : 0));
        if (!waitsOutRateLimit) return;
        // The server's clock says when the client came back (the request's start, not the end of
        // its body): not before it was allowed, nor much later.
        expect(rx.requests.filter((q) => q.status >= 200 && q.status < 300)).toHaveLength(1); // one batch
        const limited = rx.requests[transient.length]!;
        expect(limited.fault).toBe('status');
        const until = askedToWaitUntil(limited);
        expect(until, 'the rate-limited answer names a time to come back').toBeDefined();
        const next = rx.requests.filter((q) => q.startedAt >= limited.answeredAt && q !== limited);
        expect(next.length).toBeGreaterThan(0);
        const back = Math.min(...next.map((q) => q.startedAt));
        expect(back).toBeGreaterThanOrEqual(until! - TIMER_SLACK_MS);
        expect(back).toBeLessThan(until! + LATE_MS);
      },
    );

    item(
      'refused_credentials',
      'rejects on a refused key: reported with a hint, counted, and `check` fails with it',
      async () => {
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
      },
    );

    item('check_accepted', '`check` exits 0 when the vendor accepts the test event', async () => {
      const rx = await start();
      const check = await runCli(['check'], { env: baseEnv(c.env(rx.url)) });
      expect(check.stdout.toString()).toContain(c.id);
      expect(check.code).toBe(0);
      expect(rx.recordCount).toBe(1);
      expect(rx.rejected).toEqual([]);
    });

    item('final_rejection', 'drops a batch the vendor refuses for good, and counts it', async () => {
      const rx = await start({ faults: [c.finalFault ?? { status: 400, times: Number.POSITIVE_INFINITY }] });
      const res = await emit(rx.url, ['out:a', 'out:b']);
      const stderr = res.stderr.toString();
      expect(stderr).toMatch(/rejected \d+ records/);
      const s = summaryOf(c.id, stderr);
      expect(s.delivered).toBe(0);
      expect(s.dropped).toBeGreaterThanOrEqual(2);
      expect(s.retried).toBe(0);
    });

    item('split_too_large', 'splits a batch answered "too large" and delivers both halves', async () => {
      const rx = await start({ faults: [c.splitFault ?? { status: 413 }] });
      const lines = Array.from({ length: 6 }, (_, i) => `out:line ${i}`);
      // one batch: nothing is sent before the app has exited
      const res = await emit(rx.url, lines, { FORWARDER_BATCH_WAIT: '60s' });
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.requests[0]!.fault).toBe('status');
      expect(rx.requests.length).toBeGreaterThanOrEqual(3);
      expect(
        app(rx)
          .map(c.message)
          .filter((m) => m.startsWith('line '))
          .sort(),
      ).toEqual(lines.map((l) => l.slice(4)).sort());
      expect(summaryOf(c.id, res.stderr.toString()).dropped).toBe(0);
    });

    item(
      'truncate_oversized',
      'truncates a record over the vendor limit, visibly, instead of losing it',
      async () => {
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
      },
    );

    item(
      'flush_at_exit',
      'flushes at exit: lines written just before the app exits arrive before the forwarder exits',
      async () => {
        const rx = await start();
        const res = await emit(rx.url, ['out:last words', 'err:really last'], {
          FORWARDER_BATCH_WAIT: '60s',
        });
        // timed from the app's last words, not from our start-up, which a busy machine stretches
        expect(res.closedAt - res.lastStdoutAt).toBeLessThan(20_000);
        expect(res.code, res.stderr.toString()).toBe(0);
        expect(app(rx).map(c.message).sort()).toEqual(['last words', 'really last']);
      },
    );

    item('flush_deadline', 'gives up at the flush deadline when the vendor hangs, and says so', async () => {
      const rx = await start({
        faults: [{ stallMs: Number.POSITIVE_INFINITY, times: Number.POSITIVE_INFINITY }],
      });
      // 2 s: the pipeline worker must have started and report within deadline + 2 s of grace, or the
      // host stops it and the summary is lost (a busy machine can take seconds to start a worker)
      const res = await emit(rx.url, ['out:never'], { FORWARDER_FLUSH_TIMEOUT: '2s' });
      // the deadline and its grace after the app's last line, not our start-up on a busy machine
      expect(res.closedAt - res.lastStdoutAt).toBeLessThan(10_000);
      const s = summaryOf(c.id, res.stderr.toString());
      expect(s.delivered).toBe(0);
      expect(s.reasons).toMatch(/flush_deadline/);
      expect(s.cut).toBe(true);
    });

    item(
      'burst_exactly_once',
      'delivers a 100,000-line burst exactly once, inside every vendor limit',
      async () => {
        const idOf = (r: R) => /line=(\d+)/.exec(c.message(r))?.[1];
        const rx = await start({ keepRecords: false, trackIds: true, idOf });
        const res = await runCli(['run', '--', NODE, LINES, '100000'], {
          // the queue bound is not what this test is about: room for the whole burst
          env: baseEnv({
            ...c.env(rx.url),
            FORWARDER_FLUSH_TIMEOUT: BURST_FLUSH_TIMEOUT,
            FORWARDER_BUFFER_BYTES: '256MiB',
            // nor the pipeline's: under run it gives way while the app writes flat out, and an 11 MB
            // burst is more than the default FORWARDER_PIPELINE_BUFFER_BYTES (8 MiB) holds meanwhile
            FORWARDER_PIPELINE_BUFFER_BYTES: '64MiB',
          }),
        });
        expect(res.code, res.stderr.toString()).toBe(0);
        expect(rx.rejected.map((r) => `${r.status} ${r.error}`)).toEqual([]);
        expect(rx.ids.size).toBe(100_000);
        expect(rx.duplicates).toBe(0);
        const s = summaryOf(c.id, res.stderr.toString());
        expect(s.dropped).toBe(0);
      },
      BURST_TEST_TIMEOUT_MS,
    );

    coverage(c.id, ran, na);
  });
}

/** What a stream drain writes to, seen from the test: a file, or what a real syslog server stored. */
export interface StreamTarget<R> {
  /** env that enables the drain against this target */
  env: Record<string, string>;
  /** resolves with every record stored since the target was opened, once at least `n` are there */
  records(n: number): Promise<R[]>;
  /** takes the receiver away (connections refused) and brings it back, where the target can */
  stop?(): Promise<void>;
  resume?(): Promise<void>;
  close(): Promise<void>;
}

export interface StreamContractCase<R> {
  id: string;
  /** a fresh target (or a fresh view of a shared one) */
  open(): Promise<StreamTarget<R>>;
  message(r: R): string;
  /** true for the forwarder's own lifecycle records */
  isLifecycle(r: R): boolean;
  /** the stream a record came from, where the transport carries it */
  stream?(r: R): string;
  /** the drain's per-record limit, when it has one a line can reach */
  maxRecordBytes?: number;
  /** a target the drain cannot deliver to for good (bad certificate, unwritable file) */
  refused?: { env(target: StreamTarget<R>): Record<string, string>; hint: RegExp };
  /** a receiver that accepts the connection and never reads from it */
  hanging?(): Promise<{ env: Record<string, string>; close(): Promise<void> }>;
  notApplicable: NotApplicable;
}

/** Runs the items a byte-stream drain has (no HTTP status, so no Retry-After, 4xx or 413). */
export function streamDrainContract<R>(c: StreamContractCase<R>): void {
  const na = c.notApplicable;
  const ran: ContractItem[] = [];
  const item = (name: ContractItem, title: string, fn: () => Promise<void>, timeoutMs?: number) => {
    if (na[name] !== undefined) return;
    ran.push(name);
    it(title, fn, timeoutMs);
  };
  describe(`${c.id}: drain contract (stream)`, () => {
    const open: StreamTarget<R>[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
    });
    const target = async () => {
      const t = await c.open();
      open.push(t);
      return t;
    };
    const app = (rs: R[]) => rs.filter((r) => !c.isLifecycle(r));
    /** every record the summary says was delivered */
    const delivered = async (t: StreamTarget<R>, stderr: string) =>
      t.records(summaryOf(c.id, stderr).delivered);

    item('delivery', 'delivers every line', async () => {
      const t = await target();
      const res = await runCli(
        ['run', '--', NODE, EMIT, 'out:first line', 'err:second line', 'out:third "quoted" ünïcode ✓'],
        {
          env: baseEnv(t.env),
        },
      );
      const stderr = res.stderr.toString();
      expect(res.code, stderr).toBe(0);
      const s = summaryOf(c.id, stderr);
      expect(s.dropped).toBe(0);
      const all = await delivered(t, stderr);
      expect(all).toHaveLength(s.delivered);
      const got = app(all).map((r) => [c.message(r), c.stream?.(r)]);
      expect(got).toEqual(expect.arrayContaining(expectedLines(c.stream !== undefined)));
      expect(got).toHaveLength(3);
    });

    item('retry_transient', 'retries while the receiver is down, and delivers once it is back', async () => {
      const t = await target();
      await t.stop!();
      // One batch, sent at exit, that the receiver being down fails whole: its records are retried
      // once it is back. With the batches 20 ms apart, the `started` event alone could be the one
      // that failed (a busy machine runs the app later), and the app's lines go in a first attempt
      // made after the receiver was back: nothing of theirs would be retried.
      const run = startCli(['run', '--', NODE, EMIT, 'out:a', 'out:b'], {
        env: baseEnv({ ...t.env, FORWARDER_FLUSH_TIMEOUT: BURST_FLUSH_TIMEOUT, FORWARDER_BATCH_WAIT: '60s' }),
      });
      await run.waitForStderr(new RegExp(`drain ${c.id} will retry`));
      await t.resume!();
      const res = await run.result;
      const stderr = res.stderr.toString();
      expect(res.code, stderr).toBe(0);
      const s = summaryOf(c.id, stderr);
      expect(s.dropped).toBe(0);
      expect(s.retried).toBeGreaterThanOrEqual(2);
      expect(
        app(await delivered(t, stderr))
          .map(c.message)
          .sort(),
      ).toEqual(['a', 'b']);
    });

    item(
      'flush_deadline',
      'gives up at the flush deadline when the receiver stops reading, and says so',
      async () => {
        const hang = await c.hanging!();
        try {
          // 8 MB, more than the kernel's socket buffers hold, so writes block on the peer; in few
          // lines, so that framing them stays quick on a busy machine
          const res = await runCli(['run', '--', NODE, LINES, '2000', '4000'], {
            // 3 s: the worker must also frame and encode the 8 MB and report before deadline + grace
            env: baseEnv({ ...hang.env, FORWARDER_FLUSH_TIMEOUT: '3s', FORWARDER_BUFFER_BYTES: '64MiB' }),
          });
          // the deadline and its grace after the app's last line: not our start-up nor the app's
          // 8 MB through the pass-through, which a busy machine stretches (CI-load flake: 10.2 s)
          expect(res.closedAt - res.lastStdoutAt).toBeLessThan(10_000);
          expect(res.code, res.stderr.toString()).toBe(0);
          const s = summaryOf(c.id, res.stderr.toString());
          expect(s.delivered).toBeLessThan(2000);
          expect(s.reasons).toMatch(/flush_deadline/);
          expect(s.cut).toBe(true);
        } finally {
          await hang.close();
        }
      },
    );

    item(
      'refused_credentials',
      'a target refused for good: reported with a hint, counted, and `check` fails with it',
      async () => {
        const t = await target();
        const env = baseEnv(c.refused!.env(t));
        const res = await runCli(['run', '--', NODE, EMIT, 'out:x', 'out:y'], { env });
        const stderr = res.stderr.toString();
        expect(res.code, stderr).toBe(0);
        expect(stderr).toMatch(c.refused!.hint);
        const s = summaryOf(c.id, stderr);
        expect(s.delivered).toBe(0);
        expect(s.dropped).toBeGreaterThanOrEqual(2);
        expect(s.retried).toBe(0);
        const check = await runCli(['check'], { env });
        expect(check.code).not.toBe(0);
        expect(check.stdout.toString()).toMatch(c.refused!.hint);
      },
    );

    item('check_accepted', '`check` exits 0 and the test event is stored', async () => {
      const t = await target();
      const check = await runCli(['check'], { env: baseEnv(t.env) });
      expect(check.stdout.toString()).toContain(c.id);
      expect(check.code, check.stdout.toString()).toBe(0);
      expect(await t.records(1)).toHaveLength(1);
    });

    item(
      'truncate_oversized',
      'truncates a record over the limit, visibly, instead of losing it',
      async () => {
        const t = await target();
        const max = c.maxRecordBytes!;
        const big = 'x'.repeat(max + 50_000);
        const res = await runCli(['pipe'], {
          env: baseEnv({ ...t.env, FORWARDER_MAX_LINE_BYTES: '8MiB', FORWARDER_MULTILINE: 'false' }),
          input: `${big}\nsmall\n`,
        });
        const stderr = res.stderr.toString();
        expect(res.code, stderr).toBe(0);
        const msgs = app(await delivered(t, stderr)).map(c.message);
        expect(msgs).toContain('small');
        const cut = msgs.find((m) => m.startsWith('xxx'));
        expect(cut).toMatch(/…\[truncated \d+ bytes\]$/);
        expect(Buffer.byteLength(cut!)).toBeLessThan(max);
      },
    );

    item(
      'flush_at_exit',
      'flushes at exit: lines written just before the app exits are stored before the forwarder exits',
      async () => {
        const t = await target();
        const res = await runCli(['run', '--', NODE, EMIT, 'out:last words', 'err:really last'], {
          env: baseEnv({ ...t.env, FORWARDER_BATCH_WAIT: '60s' }),
        });
        // timed from the app's last words, not from our start-up, which a busy machine stretches
        expect(res.closedAt - res.lastStdoutAt).toBeLessThan(20_000);
        const stderr = res.stderr.toString();
        expect(res.code, stderr).toBe(0);
        expect(summaryOf(c.id, stderr)).toMatchObject({ dropped: 0, cut: false });
        expect(
          app(await delivered(t, stderr))
            .map(c.message)
            .sort(),
        ).toEqual(['last words', 'really last']);
      },
    );

    item(
      'burst_exactly_once',
      'delivers a 100,000-line burst exactly once',
      async () => {
        const t = await target();
        const res = await runCli(['run', '--', NODE, LINES, '100000'], {
          env: baseEnv({
            ...t.env,
            FORWARDER_FLUSH_TIMEOUT: BURST_FLUSH_TIMEOUT,
            FORWARDER_BUFFER_BYTES: '256MiB',
            // nor the pipeline's: under run it gives way while the app writes flat out, and an 11 MB
            // burst is more than the default FORWARDER_PIPELINE_BUFFER_BYTES (8 MiB) holds meanwhile
            FORWARDER_PIPELINE_BUFFER_BYTES: '64MiB',
          }),
        });
        const stderr = res.stderr.toString();
        expect(res.code, stderr).toBe(0);
        expect(summaryOf(c.id, stderr).dropped).toBe(0);
        const ids = app(await delivered(t, stderr)).map((r) => /line=(\d+)/.exec(c.message(r))?.[1]);
        const distinct = new Set(ids);
        expect(distinct.size).toBe(100_000);
        expect(ids.length).toBe(100_000);
      },
      BURST_TEST_TIMEOUT_MS,
    );

    coverage(c.id, ran, na);
  });
}

/** A spec configured from `env` alone (pure: no network), as the session would configure it. */
export function configureFrom<C, P>(spec: DrainSpec<C, P>, env: Record<string, string>): C | undefined {
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
