import { scrubSecrets } from '../../config/secret.js';
import { LogEvent } from '../../pipeline/event.js';
import { WARN } from '../../pipeline/levels.js';
import type { Logger } from '../../telemetry/logger.js';
import { DEFAULTS } from './defaults.js';
import { type DrainStats, emptyDrainStats } from './drain-stats.js';

/**
 * A drain's books: its stats, every drop by reason, the `dropped` notice that tells the destination
 * what was lost, and its log lines, each problem at most once per interval. Time comes from
 * `Date.now()` (a fake clock in tests).
 */
export class Accounting {
  readonly stats: DrainStats = emptyDrainStats();
  readonly #id: string;
  readonly #logger: Logger;
  /** drops not yet told to the destination by a notice (the flush deadline's are told in the summary) */
  #unreported: Record<string, number> = {};
  #lastNoticeAt = 0;
  readonly #errorLog = new Map<string, { at: number; suppressed: number }>();

  constructor(id: string, logger: Logger) {
    this.#id = id;
    this.#logger = logger;
  }

  delivered(n: number): void {
    this.stats.delivered += n;
    this.stats.lastSuccessAt = Date.now();
  }

  drop(n: number, reason: string): void {
    if (n <= 0) return;
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + n;
    if (reason !== 'flush_deadline') this.#unreported[reason] = (this.#unreported[reason] ?? 0) + n;
  }

  get hasUnreported(): boolean {
    for (const _ in this.#unreported) return true;
    return false;
  }

  /** A notice is due: drops to tell and none told within the notice interval. */
  noticeDue(now: number): boolean {
    return this.hasUnreported && now - this.#lastNoticeAt >= DEFAULTS.dropNoticeIntervalMs;
  }

  /** One `dropped` event saying what was lost since the last one; the drops count as told. */
  takeNotice(now: number, seq: number): LogEvent {
    const reasons = Object.entries(this.#unreported);
    this.#lastNoticeAt = now;
    this.#unreported = {};
    const total = reasons.reduce((sum, [, n]) => sum + n, 0);
    const text = `forwarder dropped ${total} events for drain ${this.#id}: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`;
    const data = { drain: this.#id, dropped: Object.fromEntries(reasons) };
    return new LogEvent(now, text, WARN, 'forwarder', seq, 'dropped', data);
  }

  /**
   * A notice that will never be sent (evicted by a full queue): its drops are untold again, and
   * the next notice (an interval on, or the final flush's) tells them. Not at once: under a
   * sustained overflow each new notice would be evicted in turn.
   */
  untell(notice: LogEvent): void {
    // the pipeline's own `dropped` events (pipeline_backlog) carry no drain's counts: nothing to untell
    const dropped = (notice.data as { dropped?: Record<string, number> } | undefined)?.dropped;
    if (dropped === undefined) return;
    for (const [reason, n] of Object.entries(dropped))
      this.#unreported[reason] = (this.#unreported[reason] ?? 0) + n;
  }

  /** At exit: drops whose notice never reached the destination (the undelivered one, the untold ones). */
  closeBooks(undeliveredNotice: LogEvent | undefined): void {
    if (this.stats.dropped.flush_deadline) this.stats.deadlineCut = true;
    if (undeliveredNotice !== undefined) this.stats.dropsNotNoticed += noticedCount(undeliveredNotice);
    for (const n of Object.values(this.#unreported)) this.stats.dropsNotNoticed += n;
  }

  /** The same problem (`key`) is logged at most once per interval, with how many were suppressed. */
  log(key: string, message: string, level: 'warn' | 'error' = 'error'): void {
    const now = Date.now();
    const seen = this.#errorLog.get(key);
    if (seen && now - seen.at < DEFAULTS.errorLogIntervalMs) {
      seen.suppressed++;
      return;
    }
    const suffix = seen?.suppressed ? ` (${seen.suppressed} more like this since the last message)` : '';
    this.#errorLog.set(key, { at: now, suppressed: 0 });
    this.#logger[level](oneLine(scrubSecrets(message + suffix)));
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** How many drops a `dropped` notice reports. */
function noticedCount(notice: LogEvent): number {
  const dropped = (notice.data as { dropped?: Record<string, number> } | undefined)?.dropped;
  return Object.values(dropped ?? {}).reduce((sum, n) => sum + n, 0);
}
