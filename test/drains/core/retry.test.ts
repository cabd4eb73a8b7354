/**
 * The retry policy's parts with a fake clock and an injected random source: capped exponential
 * backoff with full jitter, `Retry-After` in both forms (the one parser every HTTP drain uses,
 * through core's default classify, Splunk HEC's and Sentry's), and the abortable sleep the engine
 * waits with.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultClassify } from '../../../src/drains/core/classify.js';
import { DEFAULTS } from '../../../src/drains/core/defaults.js';
import { backoffMs, parseRetryAfter, sleep } from '../../../src/drains/core/retry.js';

/** The largest double below 1: what Math.random may return at most. */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

describe('backoffMs: capped exponential backoff with full jitter', () => {
  const ceiling = (attempt: number) => backoffMs(attempt, 500, 30_000, () => ALMOST_ONE) + 1;

  it('doubles the ceiling from the base on each attempt', () => {
    expect([1, 2, 3, 4, 5, 6].map(ceiling)).toEqual([500, 1000, 2000, 4000, 8000, 16_000]);
  });

  it('stops growing at the cap, however many attempts', () => {
    expect([7, 8, 20, 1000, 10_000].map(ceiling)).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('takes the whole range from 0 (full jitter), never reaching the ceiling', () => {
    expect(backoffMs(3, 500, 30_000, () => 0)).toBe(0);
    expect(backoffMs(3, 500, 30_000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 500, 30_000, () => ALMOST_ONE)).toBe(1999);
    expect(backoffMs(50, 500, 30_000, () => ALMOST_ONE)).toBe(29_999);
  });

  it('treats attempt 0 (or less) like the first attempt', () => {
    expect(ceiling(0)).toBe(500);
    expect(ceiling(-3)).toBe(500);
  });

  it('stays in [0, ceiling) for any random value, with the default source', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const top = Math.min(DEFAULTS.backoffMaxMs, DEFAULTS.backoffBaseMs * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const ms = backoffMs(attempt);
        expect(Number.isInteger(ms)).toBe(true);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThan(top);
      }
    }
  });

  it('uses the defaults table: base 500 ms, cap 30 s', () => {
    expect(backoffMs(1, undefined, undefined, () => ALMOST_ONE)).toBe(DEFAULTS.backoffBaseMs - 1);
    expect(backoffMs(99, undefined, undefined, () => ALMOST_ONE)).toBe(DEFAULTS.backoffMaxMs - 1);
  });
});

describe('parseRetryAfter', () => {
  const NOW = Date.UTC(2026, 10, 29, 4, 0, 0);

  it('reads delta seconds, whole or fractional, around whitespace', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7000);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
    expect(parseRetryAfter('0.0004', NOW)).toBe(1); // rounded up: never earlier than asked
  });

  it('reads an HTTP date as the time left until it (IMF-fixdate, obsolete RFC 850)', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 04:00:03 GMT', NOW)).toBe(3000);
    expect(parseRetryAfter('Sunday, 29-Nov-26 04:00:10 GMT', NOW)).toBe(10_000);
  });

  it('reads a date in the past as "now" (0 ms), not as a negative wait', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 03:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW)).toBe(0);
  });

  it('caps both forms at retryAfterMaxMs (the queue bound, not the server, decides what is lost)', () => {
    expect(parseRetryAfter('3600', NOW)).toBe(DEFAULTS.retryAfterMaxMs);
    expect(parseRetryAfter('Mon, 30 Nov 2026 04:00:00 GMT', NOW)).toBe(DEFAULTS.retryAfterMaxMs);
    expect(parseRetryAfter('3600', NOW, 5000)).toBe(5000);
    expect(parseRetryAfter('3600', NOW, Number.POSITIVE_INFINITY)).toBe(3_600_000);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['blank', '   '],
    ['a word', 'soon'],
    ['a negative number', '-1'],
    ['a signed number', '+5'],
    ['a day name alone', 'Sun, soon'],
    ['a number with a unit', '5s'],
    ['hex', '0x10'],
    ['exponent', '1e3'],
    ['infinity', 'Infinity'],
    ['an ISO date (not an HTTP date)', '2026-11-29T04:00:05Z'],
    ['two numbers', '1, 2'],
  ])('ignores garbage (%s), so the computed backoff is used instead', (_what, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3000);
  });

  describe('against the fake clock (Date.now() is the default "now")', () => {
    beforeEach(() => {
      vi.useFakeTimers({ now: NOW });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('counts a date from the current time, which moves', () => {
      const header = 'Sun, 29 Nov 2026 04:00:30 GMT';
      expect(parseRetryAfter(header)).toBe(30_000);
      vi.advanceTimersByTime(25_000);
      expect(parseRetryAfter(header)).toBe(5000);
      vi.advanceTimersByTime(10_000);
      expect(parseRetryAfter(header)).toBe(0);
    });

    it('is what core default classify puts on a 429/503 verdict', () => {
      const answer = (status: number, retryAfter?: string) =>
        defaultClassify({
          kind: 'http',
          status,
          headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
          body: '',
        });
      expect(answer(429, '2')).toMatchObject({
        action: 'retry',
        pause: [{ scope: 'drain', until: Date.now() + 2000 }],
      });
      expect(answer(503, 'Sun, 29 Nov 2026 04:00:04 GMT')).toMatchObject({
        action: 'retry',
        pause: [{ scope: 'drain', until: Date.now() + 4000 }],
      });
      expect(answer(503, '86400')).toMatchObject({
        action: 'retry',
        pause: [{ scope: 'drain', until: Date.now() + DEFAULTS.retryAfterMaxMs }],
      });
      expect(answer(503, 'garbage')).not.toHaveProperty('pause');
      expect(answer(429)).not.toHaveProperty('pause');
      // Retry-After on a final answer is not a reason to retry
      expect(answer(400, '1')).toMatchObject({ action: 'reject' });
    });
  });
});

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function track(p: Promise<void>): { done: () => boolean } {
    let settled = false;
    void p.then(() => {
      settled = true;
    });
    return { done: () => settled };
  }

  it('resolves exactly when the time is up, not a millisecond before', async () => {
    const s = track(sleep(2000));
    await vi.advanceTimersByTimeAsync(1999);
    expect(s.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.done()).toBe(true);
  });

  it('resolves at once for 0 or a negative wait', async () => {
    const zero = track(sleep(0));
    const negative = track(sleep(-5));
    await vi.advanceTimersByTimeAsync(0);
    expect(zero.done()).toBe(true);
    expect(negative.done()).toBe(true);
  });

  it('ends early, without throwing, when the signal aborts (the flush deadline)', async () => {
    const stop = new AbortController();
    const s = track(sleep(30_000, stop.signal));
    await vi.advanceTimersByTimeAsync(100);
    expect(s.done()).toBe(false);
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.done()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not wait at all on an already aborted signal', async () => {
    const s = track(sleep(30_000, AbortSignal.abort()));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.done()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
