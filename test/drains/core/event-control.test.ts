import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ControlOptions, DrainControl, sampleHash } from '../../../src/drains/core/event-control.js';
import { compileFilter } from '../../../src/drains/core/event-filter.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { DEBUG, ERROR, FATAL, INFO, WARN } from '../../../src/pipeline/levels.js';

const NONE: ControlOptions = {
  minLevel: undefined,
  filter: undefined,
  sampleRate: undefined,
  sampleErrors: false,
  rateLimit: undefined,
  fields: undefined,
  maxMessageChars: undefined,
};

let seq = 0;
const ev = (message: string, level = INFO, kind?: string): LogEvent =>
  new LogEvent(Date.now(), message, level, 'stdout', ++seq, kind, undefined);

function control(opts: Partial<ControlOptions>) {
  const out: LogEvent[] = [];
  let next = 1_000_000;
  const c = new DrainControl({ ...NONE, ...opts }, (e) => out.push(e), {
    instance: 'inst-1',
    nextSeq: () => next++,
  });
  return { c, out };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  seq = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('per-drain control', () => {
  it('passes only events at or above the minimum level, counting the rest', () => {
    const { c, out } = control({ minLevel: WARN });
    for (const l of [DEBUG, INFO, WARN, ERROR, FATAL]) c.push(ev('x', l));
    expect(out.map((e) => e.level)).toEqual([WARN, ERROR, FATAL]);
    expect(c.stats.filtered).toEqual({ min_level: 2 });
  });

  it('applies the filter after the level, counting under filter', () => {
    const test = compileFilter('{"where":{"key":"message","operator":"!contains","value":"health"}}', 'F', {
      agentId: 'a',
      workerId: 'w',
      hostname: 'h',
      instance: 'i',
      attributes: {},
    });
    const { c, out } = control({ minLevel: INFO, filter: { text: '', test } });
    c.push(ev('GET /health'));
    c.push(ev('GET /health', DEBUG));
    c.push(ev('GET /orders'));
    expect(out.map((e) => e.message)).toEqual(['GET /orders']);
    expect(c.stats.filtered).toEqual({ min_level: 1, filter: 1 });
  });

  it('samples deterministically per event, near the rate, keeping error and fatal', () => {
    const { c, out } = control({ sampleRate: 0.1 });
    const events = Array.from({ length: 20_000 }, () => ev('x'));
    for (const e of events) c.push(e);
    expect(out.length).toBeGreaterThan(1800);
    expect(out.length).toBeLessThan(2200);
    expect(c.stats.filtered.sample).toBe(20_000 - out.length);
    // the same events again: the same decisions
    const again = control({ sampleRate: 0.1 });
    for (const e of events) again.c.push(e);
    expect(again.out.map((e) => e.seq)).toEqual(out.map((e) => e.seq));
    // a lower rate takes a subset of a higher one (the same hash for every drain)
    const half = control({ sampleRate: 0.5 });
    for (const e of events) half.c.push(e);
    const inHalf = new Set(half.out.map((e) => e.seq));
    expect(out.every((e) => inHalf.has(e.seq))).toBe(true);
    const errors = control({ sampleRate: 0 });
    for (const l of [INFO, ERROR, FATAL]) errors.c.push(ev('x', l));
    expect(errors.out.map((e) => e.level)).toEqual([ERROR, FATAL]);
    const all = control({ sampleRate: 0, sampleErrors: true });
    for (const l of [INFO, ERROR, FATAL]) all.c.push(ev('x', l));
    expect(all.out).toEqual([]);
    expect(all.c.stats.filtered).toEqual({ sample: 3 });
  });

  it('spreads the sampling hash evenly over consecutive sequence numbers', () => {
    const buckets = new Array(10).fill(0);
    for (let s = 0; s < 100_000; s++) buckets[Math.floor((sampleHash(s, 12345) / 2 ** 32) * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('never samples or rate-limits lifecycle events', () => {
    const { c, out } = control({ sampleRate: 0, rateLimit: 1 });
    c.push(ev('started', INFO, 'started'));
    c.push(ev('exited', INFO, 'exited'));
    expect(out.map((e) => e.message)).toEqual(['started', 'exited']);
  });

  it('rate-limits per second and replaces a flood of identical messages by one "repeated" event', () => {
    const { c, out } = control({ rateLimit: 10 });
    for (let i = 0; i < 500; i++) c.push(ev('connection refused', ERROR));
    c.push(ev('one other line'));
    expect(out).toHaveLength(10);
    expect(c.stats.filtered.rate_limit).toBe(491);
    vi.advanceTimersByTime(999);
    c.tick();
    expect(out).toHaveLength(10);
    vi.advanceTimersByTime(1);
    c.tick();
    // the flood comes back as one event; the single line held back is sent as it was
    expect(out.slice(10).map((e) => e.message)).toEqual([
      'connection refused [repeated 490 times in 0ms; rate limit 10/s]',
      'one other line',
    ]);
    expect(out[10]!.level).toBe(ERROR);
    expect(c.stats.filtered.rate_limit).toBe(490);
    // a new window passes events again
    c.push(ev('fresh'));
    expect(out.at(-1)!.message).toBe('fresh');
  });

  it('keeps what a window remembers bounded, summarising the rest as one count', () => {
    const { c, out } = control({ rateLimit: 2 });
    for (let i = 0; i < 1000; i++) c.push(ev(`distinct ${i}`));
    c.end();
    const texts = out.map((e) => e.message);
    expect(texts.slice(0, 2)).toEqual(['distinct 0', 'distinct 1']);
    // two remembered (sent as they were), the other 996 counted in one line
    expect(texts.slice(2)).toEqual([
      'distinct 2',
      'distinct 3',
      'forwarder: 996 other events over the rate limit of 2/s were not sent',
    ]);
    expect(c.stats.filtered.rate_limit).toBe(996);
  });

  it('bounds the characters it remembers too: long distinct messages beyond 256 Ki chars are only counted', () => {
    const { c, out } = control({ rateLimit: 1 });
    c.push(ev('first'));
    const big = 'y'.repeat(200 * 1024);
    c.push(ev(`a${big}`));
    c.push(ev(`b${big}`));
    c.end();
    expect(out.map((e) => e.message.slice(0, 12))).toEqual(['first', `a${'y'.repeat(11)}`, 'forwarder: 1']);
  });

  it("cuts the rate limiter's summaries too", () => {
    const { c, out } = control({ rateLimit: 1, maxMessageChars: 16 });
    for (let i = 0; i < 3; i++) c.push(ev('same message here'));
    c.end();
    expect(out.map((e) => e.message)).toEqual([
      'same message her…[truncated 1 chars]',
      'same message her…[truncated 43 chars]',
    ]);
  });

  it('cuts long messages with a visible marker, on a copy, never inside a surrogate pair', () => {
    const { c, out } = control({ maxMessageChars: 20 });
    const long = ev('x'.repeat(50));
    c.push(long);
    c.push(ev('short'));
    c.push(ev(`${'a'.repeat(19)}😀tail`));
    expect(out[0]!.message).toBe(`${'x'.repeat(20)}…[truncated 30 chars]`);
    expect(long.message).toBe('x'.repeat(50));
    expect(out[1]!.message).toBe('short');
    expect(out[2]!.message).toBe(`${'a'.repeat(19)}…[truncated 6 chars]`);
    expect(c.stats.truncated).toBe(2);
  });
});
