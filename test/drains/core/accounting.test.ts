/**
 * Issue 13 items 8 and 11, in the engine with a fake clock: a client-side error is dropped at once
 * (never retried), a transport that never settles is cut at the flush deadline with everything it
 * held counted, and the queue gauges count events held while retrying.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Accounting } from '../../../src/drains/core/accounting.js';
import { errorOutcome } from '../../../src/drains/core/classify.js';
import { DEFAULTS } from '../../../src/drains/core/defaults.js';
import { Drain } from '../../../src/drains/core/drain.js';
import type { Outcome, Transport } from '../../../src/drains/core/types.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO, WARN } from '../../../src/pipeline/levels.js';
import { fakeDrainSpec } from '../../helpers/fake-drain.js';

type Send = (events: number) => Promise<Outcome>;

function drainWith(send: Send): { drain: Drain<object>; calls: number[] } {
  const calls: number[] = [];
  const transport: Transport = {
    send: (_payload, batch) => {
      calls.push(batch.events.length);
      return send(batch.events.length);
    },
    close: () => new Promise<void>(() => undefined), // a peer that never lets go
  };
  const spec = fakeDrainSpec(transport, { limits: { maxBatchRecords: 100 } });
  let seq = 0;
  const drain = new Drain(
    spec,
    {},
    {
      identity: { agentId: 'a', workerId: 'w', hostname: 'h', instance: 'i', attributes: {} },
      version: 'test',
      requestTimeoutMs: 1000,
      bufferBytes: 1 << 20,
      batchWaitMs: 50,
      logger: pino({ level: 'silent' }),
      nextSeq: () => ++seq,
    },
  );
  return { drain, calls };
}

const event = (n: number): LogEvent =>
  new LogEvent(Date.now(), `line ${n}`, INFO, 'stdout', n, undefined, undefined);
const error = (code: string, message: string): Outcome =>
  errorOutcome(Object.assign(new Error(message), { code }));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('drain accounting (issue 13)', () => {
  it('a client-side error (undici invalid argument) is dropped on the first attempt, not retried', async () => {
    const { drain, calls } = drainWith(async () => error('UND_ERR_INVALID_ARG', 'invalid x-a header'));
    for (let i = 1; i <= 3; i++) drain.push(event(i));
    const closed = drain.close(Date.now() + 10_000);
    await vi.advanceTimersByTimeAsync(1000);
    await closed;
    // the batch, then the final `dropped` notice, refused the same way: each tried once
    expect(calls).toEqual([3, 1]);
    expect(drain.stats.retried).toBe(0);
    expect(drain.stats.dropped).toEqual({ invalid_request: 4 });
    expect(drain.stats.dropsNotNoticed).toBe(4);
  });

  it('a transport that never settles is cut at the flush deadline: its batch and queue are counted, close() returns', async () => {
    const { drain, calls } = drainWith(() => new Promise<Outcome>(() => undefined));
    for (let i = 1; i <= 5; i++) drain.push(event(i));
    let done = false;
    const closed = drain.close(Date.now() + 2000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(done).toBe(false);
    // the deadline, plus the bounded wait for the wedged transport to close
    await vi.advanceTimersByTimeAsync(1 + 500);
    await closed;
    expect(done).toBe(true);
    expect(calls).toEqual([5]);
    expect(drain.stats.dropped).toEqual({ flush_deadline: 5 });
    expect(drain.stats.deadlineCut).toBe(true);
  });

  it('forwarder_drain_queue_events / _bytes count the events held while retrying', async () => {
    const { drain } = drainWith(async () => error('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'));
    // the retry's full jitter picks its wait at random in [0, 500) ms: at half of it, the one retry
    // is still waiting 10 ms past the batch wait (a wait under 10 ms, 1 in 50, would have sent it)
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    for (let i = 1; i <= 4; i++) drain.push(event(i));
    expect(drain.queuedEvents).toBe(4);
    const queuedBytes = drain.queuedBytes;
    expect(queuedBytes).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(60); // the batch wait: taken into a batch, sent, refused, waiting to retry
    expect(drain.stats.retried).toBe(4);
    expect(drain.queuedEvents).toBe(4);
    expect(drain.queuedBytes).toBe(queuedBytes);
    const closed = drain.close(Date.now());
    await vi.advanceTimersByTimeAsync(600);
    await closed;
    expect(drain.queuedEvents).toBe(0);
    expect(drain.queuedBytes).toBe(0);
    expect(drain.stats.dropped).toEqual({ flush_deadline: 4 });
  });
});

describe('accounting alone (fake clock)', () => {
  const T0 = Date.UTC(2026, 10, 29, 4, 0, 0);
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts drops by reason; a notice tells them once per interval; the flush deadline is only in the summary', () => {
    const books = new Accounting('d', pino({ level: 'silent' }));
    books.drop(2, 'buffer_full');
    books.drop(1, 'http_400');
    books.drop(5, 'flush_deadline');
    expect(books.stats.dropped).toEqual({ buffer_full: 2, http_400: 1, flush_deadline: 5 });
    expect(books.noticeDue(Date.now())).toBe(true);
    const notice = books.takeNotice(Date.now(), 42);
    expect(notice).toMatchObject({
      message: 'forwarder dropped 3 events for drain d: buffer_full 2, http_400 1',
      kind: 'dropped',
      seq: 42,
      data: { drain: 'd', dropped: { buffer_full: 2, http_400: 1 } },
    });
    books.drop(1, 'buffer_full');
    expect(books.noticeDue(Date.now())).toBe(false);
    vi.advanceTimersByTime(DEFAULTS.dropNoticeIntervalMs);
    expect(books.noticeDue(Date.now())).toBe(true);
    books.closeBooks(notice);
    expect(books.stats).toMatchObject({ deadlineCut: true, dropsNotNoticed: 3 + 1 });
  });

  it("a drain's own notice evicted by a full queue is told again; the pipeline's backlog notice, evicted, changes nothing", () => {
    const books = new Accounting('d', pino({ level: 'silent' }));
    books.drop(2, 'buffer_full');
    const notice = books.takeNotice(Date.now(), 1);
    books.untell(notice);
    const backlog = new LogEvent(Date.now(), 'forwarder dropped 9 lines', WARN, 'forwarder', 2, 'dropped', {
      reason: 'pipeline_backlog',
      lines: 9,
      bytes: 900,
    });
    books.untell(backlog);
    books.closeBooks(backlog);
    expect(books.stats.dropsNotNoticed).toBe(2);
  });

  it('logs the same problem at most once per interval, then says how many were suppressed', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => lines.push(JSON.parse(l).msg) });
    const books = new Accounting('d', logger);
    books.log('http_500', 'first\n  second line');
    books.log('http_500', 'again');
    books.log('http_500', 'and again');
    vi.advanceTimersByTime(DEFAULTS.errorLogIntervalMs);
    books.log('http_500', 'later');
    expect(lines).toEqual(['first second line', 'later (2 more like this since the last message)']);
  });
});
