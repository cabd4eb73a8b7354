/**
 * The retrying sender alone, on a fake clock with a scripted transport: backoff, a Retry-After as
 * the drain's own pause, named pauses on the board, split, partial with resend, and the flush
 * deadline; every record ends up delivered or dropped and counted.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Accounting } from '../../../src/drains/core/accounting.js';
import { defaultClassify } from '../../../src/drains/core/classify.js';
import { DEFAULTS } from '../../../src/drains/core/defaults.js';
import { Framing } from '../../../src/drains/core/framing.js';
import { PauseBoard } from '../../../src/drains/core/pause-board.js';
import { RetryingSender } from '../../../src/drains/core/retrying-sender.js';
import { Sender } from '../../../src/drains/core/sender.js';
import type { Batch, Outcome, Verdict } from '../../../src/drains/core/types.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';

const T0 = Date.UTC(2026, 10, 29, 4, 0, 0);
const framing = new Framing({}, undefined);
const batchOf = (n: number): Batch => {
  const events = Array.from(
    { length: n },
    (_, i) => new LogEvent(T0, `m${i}`, INFO, 'stdout', i, undefined, undefined),
  );
  return framing.batch(
    events,
    events.map((e) => JSON.stringify(e.message)),
  );
};
const http = (status: number, headers: Record<string, string> = {}): Outcome => ({
  kind: 'http',
  status,
  headers,
  body: '',
});

function setup(script: Outcome[], classify?: (o: Outcome, b: Batch, attempt: number) => Verdict) {
  const attempts: { at: number; size: number }[] = [];
  const delivered: number[] = [];
  const stop = new AbortController();
  const books = new Accounting('t', pino({ level: 'silent' }));
  const pauses = new PauseBoard();
  const sender = new Sender({
    transport: {
      send: async (_payload, batch) => {
        attempts.push({ at: Date.now() - T0, size: batch.events.length });
        return script[Math.min(attempts.length - 1, script.length - 1)]!;
      },
      close: async () => undefined,
    },
    gzip: false,
  });
  const retrying = new RetryingSender({
    id: 't',
    sender,
    framing,
    accounting: books,
    pauses,
    verdict: classify ?? ((o, b, _attempt, now) => defaultClassify(o, b.events.length, now)),
    hint: () => undefined,
    stop: stop.signal,
    onDelivered: (_b, n) => {
      delivered.push(n);
      books.delivered(n);
    },
  });
  return { retrying, attempts, delivered, books, pauses, stop };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('retrying sender', () => {
  it('backs off with jitter, doubling up to the cap, until the destination takes the batch', async () => {
    const { retrying, attempts, books } = setup([http(503), http(503), http(503), http(200)]);
    const done = retrying.deliver(batchOf(3));
    await vi.runAllTimersAsync();
    await done;
    const base = DEFAULTS.backoffBaseMs / 2; // random() = 0.5 of the ceiling
    expect(attempts.map((a) => a.at)).toEqual([0, base, base + 2 * base, base + 2 * base + 4 * base]);
    expect(books.stats).toMatchObject({ delivered: 3, retried: 9, requests: 4, dropped: {} });
  });

  it("a Retry-After is the drain's own pause: the retry waits exactly that long", async () => {
    const { retrying, attempts } = setup([http(429, { 'retry-after': '7' }), http(200)]);
    const done = retrying.deliver(batchOf(1));
    await vi.runAllTimersAsync();
    await done;
    expect(attempts.map((a) => a.at)).toEqual([0, 7000]);
    expect(retrying.pausedUntil).toBe(T0 + 7000);
  });

  it('a named pause goes to the board, for the drains that obey it; the batch is not held', async () => {
    const { retrying, pauses, attempts } = setup([http(200)], () => ({
      action: 'ok',
      pause: [{ scope: 'vendor:logs', until: T0 + 60_000 }],
    }));
    await retrying.deliver(batchOf(1));
    expect(pauses.until(['vendor:logs'])).toBe(T0 + 60_000);
    expect(pauses.until(['vendor:errors'])).toBe(0);
    expect(retrying.pausedUntil).toBe(0);
    expect(attempts).toHaveLength(1);
  });

  it('413 halves the batch until it fits; a single record too large is dropped and counted', async () => {
    const { retrying, attempts, books } = setup([], (_o, b) =>
      b.events.length > 1 ? { action: 'split', reason: 'too_large' } : { action: 'ok' },
    );
    await retrying.deliver(batchOf(4));
    expect(attempts.map((a) => a.size)).toEqual([4, 2, 1, 1, 2, 1, 1]);
    expect(books.stats.delivered).toBe(4);
    const one = setup([], () => ({ action: 'split', reason: 'too_large' }));
    await one.retrying.deliver(batchOf(1));
    expect(one.books.stats.dropped).toEqual({ too_large: 1 });
  });

  it('partial: the taken records delivered, the refused counted by reason, the rest resent', async () => {
    let n = 0;
    const { retrying, attempts, books } = setup([http(200)], () =>
      n++ === 0
        ? {
            action: 'partial',
            accepted: 2,
            rejected: 1,
            resendFrom: 3,
            reason: 'bad_event',
            rejectedReasons: { bad_event: 1 },
          }
        : { action: 'ok' },
    );
    await retrying.deliver(batchOf(5));
    expect(attempts.map((a) => a.size)).toEqual([5, 2]);
    expect(books.stats).toMatchObject({ delivered: 4, dropped: { bad_event: 1 } });
  });

  it('partial with per-item retries: only those records go again, after a backoff, until taken', async () => {
    let n = 0;
    const sizes: string[][] = [];
    const { retrying, attempts, books } = setup([http(200)], (_o, b) => {
      sizes.push(b.records.slice());
      return n++ === 0
        ? { action: 'partial', accepted: 2, rejected: 1, reason: 'mapping', retry: [1, 3] }
        : { action: 'ok' };
    });
    const done = retrying.deliver(batchOf(5));
    await vi.runAllTimersAsync();
    await done;
    expect(attempts.map((a) => a.at)).toEqual([0, DEFAULTS.backoffBaseMs / 2]);
    expect(sizes[1]).toEqual(['"m1"', '"m3"']);
    expect(books.stats).toMatchObject({ delivered: 4, retried: 2, dropped: { mapping: 1 } });
  });

  it('an `ok` answer with refused records (a typed transport) is a partial verdict by reason', async () => {
    const { retrying, books } = setup([{ kind: 'ok', rejected: { too_old: 2, too_new: 1 } }]);
    await retrying.deliver(batchOf(10));
    expect(books.stats).toMatchObject({ delivered: 7, dropped: { too_old: 2, too_new: 1 } });
  });

  it('a permanent error is dropped at once; the flush deadline ends a wait and counts the batch', async () => {
    const tls = setup([{ kind: 'error', code: 'CERT_HAS_EXPIRED', permanent: true, message: 'expired' }]);
    await tls.retrying.deliver(batchOf(2));
    expect(tls.books.stats.dropped).toEqual({ tls: 2 });
    const down = setup([http(503, { 'retry-after': '3600' })]);
    const done = down.retrying.deliver(batchOf(3));
    await vi.advanceTimersByTimeAsync(1000);
    down.stop.abort();
    await done;
    expect(down.attempts).toHaveLength(1);
    expect(down.books.stats.dropped).toEqual({ flush_deadline: 3 });
  });
});
