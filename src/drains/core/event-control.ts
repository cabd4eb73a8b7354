import { LogEvent } from '../../pipeline/event.js';
import { ERROR } from '../../pipeline/levels.js';
import type { EventPredicate } from './event-filter.js';

/**
 * Per-drain control: the stage between the fan-out and one drain's queue. It decides, per event,
 * whether the drain gets it (minimum level → filter → sampling → rate limit) and cuts long
 * messages; every event it removes is counted by rule. It is built only for a drain that has a
 * rule, so a drain without one is fed by the fan-out directly, at no cost.
 */
export interface ControlOptions {
  minLevel: number | undefined;
  filter: { text: string; test: EventPredicate } | undefined;
  /** 0–1; undefined = every event */
  sampleRate: number | undefined;
  /** sampling may drop error and fatal too */
  sampleErrors: boolean;
  /** events per second */
  rateLimit: number | undefined;
  /** canonical fields to send (applied by the drain's encoder, see field-selection.ts) */
  fields: readonly string[] | undefined;
  maxMessageChars: number | undefined;
}

/** The rules that remove events, as counted in /metrics and the summary. */
export type ControlRule = 'min_level' | 'filter' | 'sample' | 'rate_limit';

export interface ControlStats {
  /** events this drain did not get, by rule */
  filtered: Partial<Record<ControlRule, number>>;
  /** events whose message was cut at max_message_chars */
  truncated: number;
}

export interface ControlContext {
  /** the process's instance id: with seq, what sampling hashes */
  instance: string;
  nextSeq: () => number;
  now?: () => number;
}

const WINDOW_MS = 1000;
/** distinct messages remembered per rate-limit window, and their characters in all; the rest are summarised as one count */
const MAX_REPEAT_KEYS = 100;
const MAX_REPEAT_CHARS = 256 * 1024;

export function hasRules(o: ControlOptions): boolean {
  return (
    o.minLevel !== undefined ||
    o.filter !== undefined ||
    o.sampleRate !== undefined ||
    o.rateLimit !== undefined ||
    o.maxMessageChars !== undefined
  );
}

export class DrainControl {
  readonly stats: ControlStats = { filtered: {}, truncated: 0 };
  readonly #sink: (ev: LogEvent) => void;
  readonly #minLevel: number;
  readonly #filter: EventPredicate | undefined;
  /** sampling keeps an event when its hash is below this (0..2^32); undefined = no sampling */
  readonly #sampleBelow: number | undefined;
  /** error and above pass sampling unless SAMPLE_ERRORS */
  readonly #sampleUpTo: number;
  readonly #instanceHash: number;
  readonly #maxChars: number | undefined;
  readonly #limiter: RateLimiter | undefined;

  constructor(opts: ControlOptions, sink: (ev: LogEvent) => void, ctx: ControlContext) {
    this.#sink = sink;
    this.#minLevel = opts.minLevel ?? 0;
    this.#filter = opts.filter?.test;
    this.#sampleBelow =
      opts.sampleRate === undefined || opts.sampleRate >= 1
        ? undefined
        : Math.floor(opts.sampleRate * 2 ** 32);
    this.#sampleUpTo = opts.sampleErrors ? Number.POSITIVE_INFINITY : ERROR;
    this.#instanceHash = hashString(ctx.instance);
    this.#maxChars = opts.maxMessageChars;
    this.#limiter =
      opts.rateLimit === undefined
        ? undefined
        : new RateLimiter(
            opts.rateLimit,
            (ev) => this.#deliver(ev),
            ctx.nextSeq,
            ctx.now ?? Date.now,
            (n) => this.#count('rate_limit', n),
          );
    if (opts.minLevel !== undefined) this.stats.filtered.min_level = 0;
    if (opts.filter !== undefined) this.stats.filtered.filter = 0;
    if (this.#sampleBelow !== undefined) this.stats.filtered.sample = 0;
    if (opts.rateLimit !== undefined) this.stats.filtered.rate_limit = 0;
  }

  /** Never throws for an event: a rule decides, the drain's push (which never blocks) gets the rest. */
  push(ev: LogEvent): void {
    const rule = this.#refusedBy(ev);
    if (rule !== undefined) {
      if (rule !== 'rate_limit') this.#count(rule, 1);
      return;
    }
    this.#deliver(ev);
  }

  /** To the drain, cut to MAX_MESSAGE_CHARS (the rate limiter's summaries too). */
  #deliver(ev: LogEvent): void {
    const max = this.#maxChars;
    this.#sink(max !== undefined && ev.message.length > max ? this.#truncate(ev, max) : ev);
  }

  /** The first rule that keeps the event from this drain (the rate limiter counts its own). */
  #refusedBy(ev: LogEvent): ControlRule | undefined {
    if (ev.level < this.#minLevel) return 'min_level';
    if (this.#filter !== undefined && !this.#filter(ev)) return 'filter';
    // Lifecycle events (started, exited, …) are few and say what happened to the app: volume rules spare them.
    if (ev.kind !== undefined) return undefined;
    if (
      this.#sampleBelow !== undefined &&
      ev.level < this.#sampleUpTo &&
      sampleHash(ev.seq, this.#instanceHash) >= this.#sampleBelow
    )
      return 'sample';
    if (this.#limiter !== undefined && !this.#limiter.admit(ev)) return 'rate_limit';
    return undefined;
  }

  /** Closes a rate-limit window that has ended (called from a timer, so a flood's summary is not held back). */
  tick(): void {
    this.#limiter?.roll(false);
  }

  /** At exit: what the rate limit held back is reported now. */
  end(): void {
    this.#limiter?.roll(true);
  }

  #count(rule: ControlRule, n: number): void {
    this.stats.filtered[rule] = (this.stats.filtered[rule] ?? 0) + n;
  }

  /** A copy: the event is shared with the other drains, which keep the whole message. */
  #truncate(ev: LogEvent, max: number): LogEvent {
    let cut = max;
    const c = ev.message.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--; // never split a surrogate pair
    this.stats.truncated++;
    const text = `${ev.message.slice(0, cut)}…[truncated ${ev.message.length - cut} chars]`;
    return ev.withMessage(text);
  }
}

/**
 * At most `perSecond` events per one-second window. What is over the limit is counted, and each
 * run of identical messages comes back as one event when the window closes:
 * `<message> [repeated N times in 850ms; rate limit 100/s]` (a message held back once is sent as
 * it was). So a second carries at most the limit plus one event per distinct message held back.
 * Memory is bounded: at most MAX_REPEAT_KEYS distinct messages of MAX_REPEAT_CHARS in all are
 * remembered; the others become one "N other events" line.
 */
class RateLimiter {
  #windowStart = Number.NEGATIVE_INFINITY;
  #admitted = 0;
  readonly #repeats = new Map<string, { first: LogEvent; n: number; firstAt: number; lastAt: number }>();
  #repeatChars = 0;
  #others = 0;
  #othersFirst: LogEvent | undefined;
  readonly #maxKeys: number;

  constructor(
    readonly perSecond: number,
    readonly sink: (ev: LogEvent) => void,
    readonly nextSeq: () => number,
    readonly now: () => number,
    readonly onLimited: (n: number) => void,
  ) {
    this.#maxKeys = Math.min(MAX_REPEAT_KEYS, perSecond);
  }

  admit(ev: LogEvent): boolean {
    const now = this.now();
    if (now - this.#windowStart >= WINDOW_MS) {
      this.roll(true);
      this.#windowStart = now;
    }
    if (this.#admitted < this.perSecond) {
      this.#admitted++;
      return true;
    }
    this.onLimited(1);
    const seen = this.#repeats.get(ev.message);
    if (seen !== undefined) {
      seen.n++;
      seen.lastAt = now;
    } else if (
      this.#repeats.size < this.#maxKeys &&
      this.#repeatChars + ev.message.length <= MAX_REPEAT_CHARS
    ) {
      this.#repeatChars += ev.message.length;
      this.#repeats.set(ev.message, { first: ev, n: 1, firstAt: now, lastAt: now });
    } else {
      this.#others++;
      this.#othersFirst ??= ev;
    }
    return false;
  }

  /** Emits the window's summaries if it has ended (or `force`); the summaries are not counted against the limit. */
  roll(force: boolean): void {
    if (!force && this.now() - this.#windowStart < WINDOW_MS) return;
    for (const [message, r] of this.#repeats) {
      if (r.n === 1) {
        // One message held back is no flood: it goes as it was, a moment late, and is not counted.
        this.onLimited(-1);
        this.sink(r.first);
        continue;
      }
      const span = formatSpan(r.lastAt - r.firstAt);
      const text = `${message} [repeated ${r.n} times in ${span}; rate limit ${this.perSecond}/s]`;
      this.sink(
        new LogEvent(
          r.first.timestamp,
          text,
          r.first.level,
          r.first.stream,
          this.nextSeq(),
          undefined,
          undefined,
        ),
      );
    }
    this.#repeats.clear();
    this.#repeatChars = 0;
    if (this.#others > 0 && this.#othersFirst !== undefined) {
      const f = this.#othersFirst;
      const text = `forwarder: ${this.#others} other events over the rate limit of ${this.perSecond}/s were not sent`;
      this.sink(new LogEvent(f.timestamp, text, f.level, 'forwarder', this.nextSeq(), undefined, undefined));
    }
    this.#others = 0;
    this.#othersFirst = undefined;
    this.#admitted = 0;
    this.#windowStart = Number.NEGATIVE_INFINITY;
  }
}

function formatSpan(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** FNV-1a over the instance id: computed once per drain. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Deterministic per event and the same for every drain: murmur3's finaliser over seq and the
 * instance, uniform over 0..2^32, so a 10% drain gets a subset of what a 50% drain gets.
 */
export function sampleHash(seq: number, instanceHash: number): number {
  let h = (seq ^ instanceHash ^ Math.floor(seq / 4294967296)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
