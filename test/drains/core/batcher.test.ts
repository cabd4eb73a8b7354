/**
 * The batcher alone, on a fake clock: batches close on count, on encoded bytes and on age
 * (batch_wait), the head that did not fit is encoded once, and an over-long record is truncated
 * with a visible marker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher, type BatcherOptions } from '../../../src/drains/core/batcher.js';
import { Framing } from '../../../src/drains/core/framing.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';

const T0 = Date.UTC(2026, 10, 29, 4, 0, 0);
const ev = (n: number, message = `line ${n}`) =>
  new LogEvent(T0, message, INFO, 'stdout', n, undefined, undefined);

function batcher(o: Partial<BatcherOptions> = {}) {
  const seen = { encoded: 0, truncated: 0, due: 0 };
  const b = new Batcher({
    bufferBytes: 1 << 20,
    maxBatchRecords: 1000,
    maxBatchBytes: 1 << 20,
    maxRecordBytes: 1 << 16,
    batchWaitMs: 200,
    framing: new Framing({ frame: { open: '[', separator: ',', close: ']' } }, undefined),
    encode: (e) => {
      seen.encoded++;
      return JSON.stringify(e.message);
    },
    onTruncated: () => seen.truncated++,
    onDue: () => seen.due++,
    ...o,
  });
  return { b, seen };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('batcher', () => {
  it('a batch that is not full waits batch_wait, then is due', () => {
    const { b, seen } = batcher();
    b.push(ev(1));
    expect(b.ready(false)).toBe(false);
    vi.advanceTimersByTime(199);
    expect(seen.due).toBe(0);
    vi.advanceTimersByTime(1);
    expect(seen.due).toBe(1);
    expect(b.ready(false)).toBe(true);
    const batch = b.take();
    expect(batch.records).toEqual(['"line 1"']);
    expect(batch.raw.toString()).toBe('["line 1"]');
    expect(batch.bytes).toBe(batch.raw.length);
    // the queue is empty: the next event waits its own batch_wait
    b.push(ev(2));
    expect(b.ready(false)).toBe(false);
  });

  it('closes a batch on count, without waiting', () => {
    const { b } = batcher({ maxBatchRecords: 3 });
    for (let i = 1; i <= 7; i++) b.push(ev(i));
    expect(b.ready(false)).toBe(true);
    expect(b.take().events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(b.take().events.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(b.ready(false)).toBe(false);
    // the final flush sends what there is
    expect(b.ready(true)).toBe(true);
    expect(b.take().events.map((e) => e.seq)).toEqual([7]);
  });

  it('closes a batch on encoded bytes; the head that did not fit is encoded once', () => {
    // each record is `"xxxxxxxx"` (10 bytes); [ + 3 records + 2 commas + ] = 34 bytes
    const { b, seen } = batcher({ maxBatchBytes: 34 });
    for (let i = 1; i <= 4; i++) b.push(ev(i, 'x'.repeat(8)));
    const first = b.take();
    expect(first.events).toHaveLength(3);
    expect(first.bytes).toBe(34);
    expect(first.raw.length).toBe(34);
    expect(seen.encoded).toBe(4);
    expect(b.take().events.map((e) => e.seq)).toEqual([4]);
    expect(seen.encoded).toBe(4);
  });

  it('writes the body as records are taken: the framed records exactly, within the byte bound, whatever their widths', () => {
    // records of 1-, 2-, 3- and 4-byte characters and of growing lengths: the body starts small
    // (sized on the first record) and grows; records near the bound are measured, not written blind
    const chars = ['a', 'é', '€', '😀'];
    const messages: string[] = [];
    for (let i = 0; i < 400; i++) messages.push(chars[i % 4]!.repeat(1 + ((i * 37) % 300)));
    // a first record over the bound: the body grows past it, and the next record is taken back
    messages.unshift('€'.repeat(400));
    for (const maxBatchBytes of [600, 5_000, 1 << 20]) {
      const { b } = batcher({ maxBatchBytes, maxRecordBytes: 1 << 20 });
      for (let i = 0; i < messages.length; i++) b.push(ev(i + 1, messages[i]));
      let taken = 0;
      while (b.length > 0) {
        const batch = b.take();
        const framed = `[${batch.records.join(',')}]`;
        expect(batch.raw.toString()).toBe(framed);
        expect(batch.bytes).toBe(Buffer.byteLength(framed));
        // over the bound only as a batch's one record
        if (batch.records.length > 1) expect(batch.bytes).toBeLessThanOrEqual(maxBatchBytes);
        expect(batch.records).toEqual(batch.events.map((e) => JSON.stringify(e.message)));
        taken += batch.events.length;
      }
      expect(taken).toBe(messages.length);
    }
  });

  it('truncates an over-long record with a visible marker, on a character boundary', () => {
    const { b, seen } = batcher({ maxRecordBytes: 100 });
    b.push(ev(1, 'é'.repeat(200)));
    const [record] = b.take().records;
    expect(Buffer.byteLength(record!)).toBeLessThanOrEqual(100);
    expect(record).toMatch(/^"é+…\[truncated \d+ bytes\]"$/);
    expect(seen.truncated).toBe(1);
  });

  it('a truncated structured record keeps its fields and trace ids; the app line is cut too', () => {
    const encode = (e: LogEvent) =>
      JSON.stringify({ m: e.message, line: e.line, f: e.fieldsJson, t: e.traceId });
    const { b } = batcher({ maxRecordBytes: 300, encode });
    const big = ev(1, 'x'.repeat(1000));
    big.line = `{"msg":"${'x'.repeat(1000)}"}`;
    big.fieldsJson = '{"user":"bob"}';
    big.traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    b.push(big);
    const record = JSON.parse(b.take().records[0]!);
    expect(Buffer.byteLength(encode(big))).toBeGreaterThan(300);
    expect(record.f).toBe('{"user":"bob"}');
    expect(record.t).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(record.m).toMatch(/^x+…\[truncated \d+ bytes\]$/);
    expect(record.line).toMatch(/^\{"msg":"x+…\[truncated \d+ bytes\]$/);
  });

  it('evicts the oldest events over its byte bound and says how many', () => {
    const { b } = batcher({ bufferBytes: 1000 });
    let evicted = 0;
    for (let i = 1; i <= 20; i++) evicted += b.push(ev(i));
    expect(evicted).toBeGreaterThan(0);
    expect(b.length + evicted).toBe(20);
    expect(b.bytes).toBeLessThanOrEqual(1000);
    expect(b.clear()).toBe(20 - evicted);
    expect(b.length).toBe(0);
  });

  it('asks the admit gate again as events are taken', () => {
    const { b } = batcher({ admitted: (e) => e.seq % 2 === 0 });
    for (let i = 1; i <= 4; i++) b.push(ev(i));
    expect(b.take().events.map((e) => e.seq)).toEqual([2, 4]);
  });
});
