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
    const at = parseHttpDate(text, now);
    if (at === undefined) return undefined;
    ms = at - now;
  }
  return Math.min(maxMs, Math.max(0, Math.ceil(ms)));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** RFC 9110 §5.6.7, the preferred form: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** The obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit year). */
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** The obsolete asctime form: `Sun Nov  6 08:49:37 1994` (no zone written, and still GMT). */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/**
 * An HTTP date in any of its three forms (recipients MUST accept all three) → epoch ms, read as
 * GMT whatever the local zone: `Date.parse` reads the zone-less asctime form as local time.
 * Undefined for anything else, an impossible date included (31 Feb), so garbage never turns into
 * an immediate retry.
 */
export function parseHttpDate(text: string, now: number = Date.now()): number | undefined {
  let fields: (string | undefined)[];
  let m: RegExpExecArray | null;
  if ((m = IMF_FIXDATE.exec(text)) !== null) fields = m.slice(1);
  else if ((m = RFC850_DATE.exec(text)) !== null) fields = m.slice(1);
  else if ((m = ASCTIME_DATE.exec(text)) !== null) fields = [m[2], m[1], m[6], m[3], m[4], m[5]];
  else return undefined;
  const [dayText, monthName, yearText, ...time] = fields as string[];
  const day = Number(dayText);
  const month = MONTHS.indexOf(monthName as string);
  const year = yearText?.length === 2 ? fullYear(Number(yearText), now) : Number(yearText);
  const [hour, minute, second] = time.map(Number) as [number, number, number];
  // The grammar allows a leap second (60); Date.UTC carries it into the next minute.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const at = Date.UTC(year, month, day, hour, minute, second);
  const date = new Date(at - (second === 60 ? 1000 : 0));
  return date.getUTCDate() === day && date.getUTCMonth() === month ? at : undefined;
}

/** RFC 9110: a two-digit year more than 50 years ahead is the most recent past year ending in those digits. */
function fullYear(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  const year = thisYear - (thisYear % 100) + twoDigits;
  return year > thisYear + 50 ? year - 100 : year;
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
