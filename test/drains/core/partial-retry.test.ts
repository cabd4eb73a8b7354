/**
 * A partial verdict that names records to try again (Elasticsearch `_bulk` items answered 429 or
 * 5xx), on a fake clock through a scripted transport and classify: the accepted ones are counted
 * delivered, the refused ones dropped by reason, and only the named ones are sent again, after a
 * backoff (or the Retry-After it carries); nothing else is resent.
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Drain } from '../../../src/drains/core/drain.js';
import type { Batch, DrainSpec, Outcome, Transport, Verdict } from '../../../src/drains/core/types.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';

const T0 = Date.UTC(2026, 10, 29, 5, 0, 0);
const ok: Outcome = { kind: 'response', status: 200, headers: { 'content-type': 'text/plain' }, body: '' };

class RecordingTransport implements Transport {
  readonly attempts: { at: number; messages: string[] }[] = [];
  async send(batch: Batch): Promise<Outcome> {
    this.attempts.push({ at: Date.now() - T0, messages: batch.events.map((e) => e.message) });
    return ok;
  }
  async close(): Promise<void> {}
}

/** Each attempt's verdict from a script of functions of the batch (the last one repeats). */
function drainWith(transport: RecordingTransport, script: ((b: Batch) => Verdict)[]): Drain<object> {
  let n = 0;
  const spec: DrainSpec<object> = {
    id: 'per_record',
    description: 'a drain whose answers name records',
    settings: [],
    envPrefix: 'TEST_',
    configure: () => ({}),
    endpoint: () => 'scripted://',
    limits: () => ({
      maxBatchBytes: 1 << 20,
      maxBatchRecords: 1000,
      maxRecordBytes: 1 << 16,
      concurrency: 1,
    }),
    encode: (ev) => JSON.stringify(ev.message),
    transport: () => transport,
    classify: (_o, _c, batch) => script[Math.min(n++, script.length - 1)]!(batch),
  };
  return new Drain(
    spec,
    {},
    {
      identity: { agentId: 'a', workerId: 'w', hostname: 'h', instance: 'i', attributes: {} },
      version: '0.0.0-test',
      requestTimeoutMs: 30_000,
      bufferBytes: 1 << 20,
      batchWaitMs: 10,
      logger: pino({ level: 'silent' }),
      nextSeq: () => 0,
    },
  );
}

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

describe('partial verdict with records to retry (fake clock)', () => {
  it('counts the accepted and refused ones, then sends only the named records, after the wait asked', async () => {
    const transport = new RecordingTransport();
    const drain = drainWith(transport, [
      // 5 records: #0 and #3 taken, #2 refused for good, #1 and #4 busy (come back in 1.5 s)
      () => ({
        action: 'partial',
        accepted: 2,
        rejected: 1,
        reason: 'refused',
        rejectedReasons: { mapping: 1 },
        retry: { indices: [1, 4], reason: 'busy', retryAfterMs: 1500 },
      }),
      // the resend: one still busy, backoff this time
      (b) => {
        expect(b.events.map((e) => e.message)).toEqual(['line 1', 'line 4']);
        return {
          action: 'partial',
          accepted: 1,
          rejected: 0,
          reason: 'refused',
          retry: { indices: [1], reason: 'busy' },
        };
      },
      () => ({ action: 'ok' }),
    ]);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    for (let i = 0; i < 5; i++)
      drain.push(new LogEvent(T0, `line ${i}`, INFO, 'stdout', i, undefined, undefined));
    const closing = drain.close(T0 + 600_000);
    await clockAt(0);
    expect(transport.attempts).toEqual([
      { at: 0, messages: ['line 0', 'line 1', 'line 2', 'line 3', 'line 4'] },
    ]);
    await clockAt(1499);
    expect(transport.attempts).toHaveLength(1);
    await clockAt(1500);
    expect(transport.attempts[1]).toEqual({ at: 1500, messages: ['line 1', 'line 4'] });
    // second attempt of this delivery: backoff ceiling 1000 ms, × 0.5 = 500 ms
    await clockAt(1999);
    expect(transport.attempts).toHaveLength(2);
    await clockAt(2000);
    expect(transport.attempts[2]).toEqual({ at: 2000, messages: ['line 4'] });
    await clockAt(60_000);
    await closing;
    const sent = transport.attempts.flatMap((a) => a.messages).filter((m) => m.startsWith('line'));
    expect(sent).toHaveLength(8);
    // four lines, then the final flush's notice of the one refused
    expect(transport.attempts.at(-1)?.messages).toEqual([
      'forwarder dropped 1 events for drain per_record: mapping 1',
    ]);
    expect(drain.stats).toMatchObject({ delivered: 5, retried: 3, dropped: { mapping: 1 } });
  });
});
