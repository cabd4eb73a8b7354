/**
 * The drain engine's waits, on a fake clock, through a scripted transport: the Retry-After a
 * server asked for is honoured to the millisecond (in seconds and as an HTTP date, capped), the
 * computed backoff grows and stops at the cap when there is none, and the flush deadline ends a
 * wait. The same behaviour end to end, through the built CLI and a real receiver, is in
 * engine.test.ts and the contract suite; this file holds the exact timing those cannot.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../../../src/drains/core/defaults.js';
import { Drain } from '../../../src/drains/core/drain.js';
import { PauseBoard } from '../../../src/drains/core/pause-board.js';
import type { DrainSpec, Outcome, Transport } from '../../../src/drains/core/types.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';

const T0 = Date.UTC(2026, 10, 29, 4, 0, 0);

/** A transport that answers from a script (the last answer repeats) and notes when each attempt came. */
class ScriptedTransport implements Transport {
  readonly attempts: { at: number; records: number }[] = [];
  /** the messages of every attempt, in order (the app's lines and the drain's own notices) */
  readonly messages: string[][] = [];
  constructor(readonly script: Outcome[]) {}
  async send(_payload: Buffer, batch: { events: readonly { message: string }[] }): Promise<Outcome> {
    this.attempts.push({ at: Date.now() - T0, records: batch.events.length });
    this.messages.push(batch.events.map((e) => e.message));
    return this.script[Math.min(this.attempts.length - 1, this.script.length - 1)]!;
  }
  async close(): Promise<void> {}
}

const ok: Outcome = { kind: 'http', status: 200, headers: { 'content-type': 'text/plain' }, body: '' };
const answer = (status: number, retryAfter?: string): Outcome => ({
  kind: 'http',
  status,
  headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
  body: '',
});

interface TestDrainOptions {
  limits?: Partial<ReturnType<DrainSpec<object>['limits']>>;
  bufferBytes?: number;
  /** spec fields laid over the scripted one (id, classify, pauseScopes, …) */
  spec?: Partial<DrainSpec<object>>;
  pauses?: PauseBoard;
}

/** A drain around `transport`, no vendor in it: 1,000 lines a batch, one batch at a time unless `o` says otherwise. */
function testDrain(transport: Transport, o: TestDrainOptions = {}): Drain<object> {
  const spec: DrainSpec<object> = {
    id: 'scripted',
    description: 'a drain whose transport answers from a script',
    settings: [],
    envPrefix: 'TEST_',
    configure: () => ({}),
    endpoint: () => 'scripted://',
    limits: () => ({
      maxBatchBytes: 1 << 20,
      maxBatchRecords: 1000,
      maxRecordBytes: 1 << 16,
      concurrency: 1,
      ...o.limits,
    }),
    encode: (ev) => JSON.stringify(ev.message),
    transport: () => transport,
    ...o.spec,
  };
  return new Drain(
    spec,
    {},
    {
      identity: { agentId: 'a', workerId: 'w', hostname: 'h', instance: 'i', attributes: {} },
      version: '0.0.0-test',
      requestTimeoutMs: 30_000,
      bufferBytes: o.bufferBytes ?? 1 << 20,
      batchWaitMs: 10,
      logger: pino({ level: 'silent' }),
      nextSeq: () => 0,
      ...(o.pauses ? { pauses: o.pauses } : {}),
    },
  );
}

const line = (n: number) => new LogEvent(T0, `line ${n}`, INFO, 'stdout', n, undefined, undefined);

/** Starts a drain with `lines` queued and its final flush under `deadlineMs`; returns when it settles. */
function run(script: Outcome[], lines = 2, deadlineMs = 600_000) {
  const transport = new ScriptedTransport(script);
  const drain = testDrain(transport);
  for (let i = 1; i <= lines; i++) drain.push(line(i));
  let closed = false;
  const closing = drain.close(T0 + deadlineMs).then(() => {
    closed = true;
  });
  return { transport, drain, closing, closed: () => closed };
}

/** Moves the fake clock to `ms` after T0, running every timer and promise due on the way. */
async function clockAt(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(T0 + ms - Date.now());
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('drain engine timing (fake clock)', () => {
  it('waits exactly the Retry-After seconds a 429 asked for, then resends the whole batch', async () => {
    const r = run([answer(429, '2'), ok]);
    await clockAt(0);
    expect(r.transport.attempts).toEqual([{ at: 0, records: 2 }]);
    await clockAt(1999);
    expect(r.transport.attempts).toHaveLength(1);
    await clockAt(2000);
    expect(r.transport.attempts).toEqual([
      { at: 0, records: 2 },
      { at: 2000, records: 2 },
    ]);
    await r.closing;
    expect(r.drain.stats).toMatchObject({ delivered: 2, retried: 2, dropped: {}, requests: 2 });
  });

  it('waits until the HTTP date a 503 named', async () => {
    const r = run([answer(503, new Date(T0 + 3000).toUTCString()), ok]);
    await clockAt(2999);
    expect(r.transport.attempts).toHaveLength(1);
    await clockAt(3000);
    expect(r.transport.attempts.map((a) => a.at)).toEqual([0, 3000]);
    await r.closing;
    expect(r.drain.stats.delivered).toBe(2);
  });

  it('caps a Retry-After longer than retryAfterMaxMs', async () => {
    const r = run([answer(503, '86400'), ok]);
    await clockAt(DEFAULTS.retryAfterMaxMs - 1);
    expect(r.transport.attempts).toHaveLength(1);
    await clockAt(DEFAULTS.retryAfterMaxMs);
    expect(r.transport.attempts.map((a) => a.at)).toEqual([0, DEFAULTS.retryAfterMaxMs]);
    await r.closing;
  });

  it('without Retry-After (or with garbage), backs off with full jitter: doubling ceilings up to the cap', async () => {
    // the top of each jitter range: 499, 999, 1999, … then 29,999 ms once the cap is reached
    vi.spyOn(Math, 'random').mockReturnValue(1 - Number.EPSILON / 2);
    const failures = 9;
    const r = run([...Array.from({ length: failures }, () => answer(503, 'soon')), ok]);
    await clockAt(10 * 60_000);
    await r.closing;
    const gaps = r.transport.attempts.slice(1).map((a, i) => a.at - r.transport.attempts[i]!.at);
    expect(gaps).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
    expect(r.drain.stats).toMatchObject({ delivered: 2, dropped: {} });
  });

  it('backs off from the bottom of the range when the jitter draws 0 (retries at once)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const r = run([answer(500), answer(500), ok]);
    await clockAt(0);
    await r.closing;
    expect(r.transport.attempts.map((a) => a.at)).toEqual([0, 0, 0]);
  });

  it('ends a wait at the flush deadline and counts what it cut', async () => {
    const r = run([answer(503, '30')], 3, 5000);
    await clockAt(4999);
    expect(r.closed()).toBe(false);
    expect(r.transport.attempts).toHaveLength(1);
    await clockAt(5000);
    await r.closing;
    expect(r.transport.attempts).toHaveLength(1);
    expect(r.drain.stats).toMatchObject({
      delivered: 0,
      dropped: { flush_deadline: 3 },
      deadlineCut: true,
    });
  });

  it('a final 4xx is not retried, whatever Retry-After says', async () => {
    const r = run([answer(400, '1')]);
    await clockAt(0);
    await r.closing;
    // the lines went once; the only later attempt is the drain's own final "dropped" notice, which
    // the same 400 refuses too and is counted as one more drop
    expect(r.transport.attempts).toHaveLength(2);
    expect(r.transport.messages[0]).toEqual(['line 1', 'line 2']);
    expect(r.transport.messages[1]).toHaveLength(1);
    expect(r.transport.messages[1]![0]).not.toMatch(/^line /);
    expect(r.drain.stats).toMatchObject({ delivered: 0, retried: 0, dropped: { http_400: 3 } });
  });
});

describe('a Retry-After pauses the whole drain, not only the batch it answered (fake clock)', () => {
  it('no new request starts before it ends; one already on its way carries on', async () => {
    /** Answers line 1 at once with a 429 and line 2 only when the test says; the rest at once. */
    let answerLine2: (o: Outcome) => void = () => undefined;
    const attempts: { at: number; lines: string[] }[] = [];
    const transport: Transport = {
      async send(_payload, batch) {
        const lines = batch.events.map((e) => e.message);
        attempts.push({ at: Date.now() - T0, lines });
        if (lines[0] === 'line 2' && attempts.filter((a) => a.lines[0] === 'line 2').length === 1)
          return new Promise<Outcome>((resolve) => {
            answerLine2 = resolve;
          });
        return attempts.length === 1 ? answer(429, '2') : ok;
      },
      async close() {},
    };
    // one line a batch, two batches at once
    const drain = testDrain(transport, { limits: { maxBatchRecords: 1, concurrency: 2 } });
    drain.push(line(1));
    drain.push(line(2));
    await clockAt(0);
    // line 1 was answered 429 (Retry-After: 2) while line 2 was on its way
    expect(attempts).toEqual([
      { at: 0, lines: ['line 1'] },
      { at: 0, lines: ['line 2'] },
    ]);
    await clockAt(500);
    answerLine2(ok); // the request already on its way is answered after the 429: no harm done
    drain.push(line(3)); // a new batch, a free slot: it still waits for the pause to end
    await clockAt(1999);
    expect(attempts).toHaveLength(2);
    await clockAt(2000);
    expect(attempts.slice(2).map((a) => a.at)).toEqual([2000, 2000]);
    expect(
      attempts
        .slice(2)
        .flatMap((a) => a.lines)
        .sort(),
    ).toEqual(['line 1', 'line 3']);
    await drain.close(Date.now() + 1000);
    expect(drain.stats).toMatchObject({ delivered: 3, dropped: {} });
  });
});

describe('named pauses shared by drains (fake clock)', () => {
  it("a limit one drain's answer announces drops the other's data until it ends, counted as rate_limited", async () => {
    const board = new PauseBoard();
    const announcing = new ScriptedTransport([ok]);
    const obeying = new ScriptedTransport([ok]);
    const a = testDrain(announcing, {
      pauses: board,
      spec: {
        id: 'announcing',
        classify: (_o, _c, _b, _attempt, now) => ({
          action: 'ok',
          pause: [{ scope: 'vendor:logs', until: now + 60_000 }],
        }),
      },
    });
    const b = testDrain(obeying, {
      pauses: board,
      spec: { id: 'obeying', pauseScopes: () => ['vendor:logs'] },
    });
    a.push(line(1));
    await clockAt(10);
    expect(announcing.attempts).toHaveLength(1);
    b.push(line(2));
    // announced at 10 ms (the first batch's age) for 60 s
    await clockAt(60_009);
    b.push(line(3));
    await clockAt(60_009);
    expect(obeying.attempts).toHaveLength(0);
    expect(b.stats.dropped).toEqual({ rate_limited: 2 });
    await clockAt(60_010);
    b.push(line(4));
    await clockAt(60_020);
    // the limit is over: the line goes, followed by the notice of what the limit dropped
    expect(obeying.messages[0]).toEqual(['line 4']);
    await Promise.all([a.close(Date.now() + 1000), b.close(Date.now() + 1000)]);
    expect(obeying.messages.flat()).toContain('forwarder dropped 2 events for drain obeying: rate_limited 2');
    expect(b.stats).toMatchObject({ delivered: 2, dropped: { rate_limited: 2 } });
  });
});

describe('a drop notice pushed out of a full queue (fake clock)', () => {
  it('is told by the next notice: every drop reaches the destination', async () => {
    /** answers each attempt only when the test releases it */
    const gates: (() => void)[] = [];
    const sent: string[][] = [];
    const transport: Transport = {
      send: (_payload: Buffer, batch: { events: readonly LogEvent[] }) =>
        new Promise<Outcome>((resolve) => {
          sent.push(batch.events.map((e) => e.message));
          gates.push(() => resolve(ok));
        }),
      close: async () => {},
    };
    // five lines a batch; room for about ten queued lines
    const drain = testDrain(transport, { limits: { maxBatchRecords: 5 }, bufferBytes: 2000 });
    let n = 0;
    const burst = (count: number) => {
      for (let i = 0; i < count; i++) drain.push(line(++n));
    };
    burst(5);
    await clockAt(10);
    expect(gates).toHaveLength(1);
    // the first batch is in flight: a burst overflows the queue
    burst(40);
    const dropsBefore = drain.stats.dropped.buffer_full!;
    expect(dropsBefore).toBeGreaterThan(0);
    // its answer comes: the notice of those drops is queued behind the survivors…
    gates.shift()!();
    await clockAt(20);
    // …and a second burst pushes it out before any batch could carry it
    burst(40);
    gates.shift()?.();
    // the app stops; the final flush sends everything left, each request answered as it comes
    let closed = false;
    const closing = drain.close(Date.now() + 10_000).then(() => {
      closed = true;
    });
    for (let t = Date.now() - T0 + 10; !closed && t < 20_000; t += 10) {
      gates.shift()?.();
      await clockAt(t);
    }
    await closing;
    const told = sent
      .flat()
      .filter((m) => m.startsWith('forwarder dropped'))
      .map((m) => Number(/dropped (\d+) events/.exec(m)![1]));
    const dropped = drain.stats.dropped.buffer_full!;
    // every drop is told: the evicted notice's drops and its own eviction included
    expect(told.reduce((a, b) => a + b, 0)).toBe(dropped);
    expect(drain.stats.dropsNotNoticed).toBe(0);
  });
});

describe('a quiet input (tail caught up with files written long ago; fake clock)', () => {
  it('sends the batch waiting to fill once the input was quiet for batch_wait, not before', async () => {
    const transport = new ScriptedTransport([ok]);
    const drain = testDrain(transport, { limits: { batchWaitMs: 1000 } });
    drain.push(line(1));
    drain.push(line(2));
    await clockAt(100);
    drain.inputQuiet(999);
    await clockAt(101);
    expect(transport.attempts).toEqual([]);
    drain.inputQuiet(1000);
    await clockAt(102);
    expect(transport.attempts).toEqual([{ at: 101, records: 2 }]);
    // the next line waits its batch_wait again
    drain.push(line(3));
    await clockAt(1100);
    expect(transport.attempts).toHaveLength(1);
    await clockAt(1102);
    expect(transport.attempts).toEqual([
      { at: 101, records: 2 },
      { at: 1102, records: 1 },
    ]);
  });
});
