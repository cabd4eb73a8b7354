import { DEFAULTS } from './defaults.js';
import type { Pause } from './types.js';

/** Capped exponential backoff with full jitter (Fluent Bit backoff_full_jitter, Vector JitterMode::Full). */
export function backoffMs(
  attempt: number,
  baseMs: number = DEFAULTS.backoffBaseMs,
  maxMs: number = DEFAULTS.backoffMaxMs,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

const HTTP_DATE_START = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

/** `Retry-After` in either form (delta seconds or an HTTP date) → ms from now, capped; undefined if absent or bad. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
  maxMs: number = DEFAULTS.retryAfterMaxMs,
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    // Every HTTP-date form opens with the day name; Date.parse alone would take "-1" or "2026"
    // for a past date and turn garbage into an immediate retry.
    if (!HTTP_DATE_START.test(text)) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(maxMs, Math.max(0, Math.ceil(ms)));
}

/** A Retry-After as a pause of this drain (its batches wait until then); undefined when absent or bad. */
export function retryAfterPause(
  value: string | string[] | undefined,
  now: number = Date.now(),
  maxMs: number = DEFAULTS.retryAfterMaxMs,
): Pause | undefined {
  const ms = parseRetryAfter(value, now, maxMs);
  return ms === undefined ? undefined : { scope: DRAIN_SCOPE, until: now + ms };
}

/**
 * A rate-limit reset header in epoch seconds (`X-RateLimit-Reset`, Axiom's `X-IngestLimit-Reset`)
 * as a pause of this drain, capped like Retry-After; a past reset is now; undefined when absent or bad.
 */
export function resetAtPause(
  value: string | string[] | undefined,
  now: number = Date.now(),
  maxMs: number = DEFAULTS.retryAfterMaxMs,
): Pause | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  // Number('') is 0 (epoch 0, long past): an empty header would mean "retry at once"
  const at = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(at)) return undefined;
  const ms = Math.min(maxMs, Math.max(0, Math.ceil(at * 1000 - now)));
  return { scope: DRAIN_SCOPE, until: now + ms };
}

/** The pause scope of the drain itself: its batches wait (see `Pause`). */
export const DRAIN_SCOPE = 'drain';

/** Resolves after `ms`, or early (without throwing) when `signal` aborts; the timer never holds the process open. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    timer.unref();
    function done(): void {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
