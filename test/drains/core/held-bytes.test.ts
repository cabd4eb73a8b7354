/**
 * Issue 15: the queue bound is counted in the bytes an event actually holds. heldBytes is checked
 * against the heap itself: events queued as the pipeline makes them (a message decoded from its
 * own bytes), heapUsed measured after a full collection before and after, within 10% either way.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  EVENT_FIXED_BYTES,
  heldBytes,
  heldBytesAtMost,
  STRUCTURED_EXTRA_BYTES,
} from '../../../src/drains/core/held-bytes.js';
import { EventQueue } from '../../../src/drains/core/queue.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';
import { emptyStructuredStats, StructuredReader } from '../../../src/pipeline/structured/reader.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const T = Date.UTC(2026, 10, 29);
const event = (text: string, i: number) =>
  new LogEvent(T + i, Buffer.from(text).toString('utf8'), INFO, 'stdout', i + 1, undefined, undefined);

/** Heap bytes per queued event, and heldBytes' figure for the same events. */
function perEvent(make: (i: number) => string, build = event): { heap: number; counted: number } {
  const n = 100_000;
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const q = new EventQueue(Number.MAX_SAFE_INTEGER, 1 << 17);
  for (let i = 0; i < n; i++) {
    const ev = build(make(i), i);
    q.push(ev, heldBytes(ev));
  }
  gc();
  gc();
  const heap = (process.memoryUsage().heapUsed - before) / n;
  expect(q.length).toBe(n);
  return { heap, counted: q.bytes / n };
}

describe('heldBytes: what a queued event holds', () => {
  it.each([
    ['short ASCII', (i: number) => `ok ${i}`],
    [
      '110-byte ASCII',
      (i: number) => `2026-11-29T05:00:00Z INFO request ${String(i).padStart(9, '0')} ${'x'.repeat(70)}`,
    ],
    ['1 KiB ASCII', (i: number) => `line ${i} ${'y'.repeat(1010)}`],
    ['Latin-1 (one byte per character)', (i: number) => `café ${i} ${'é'.repeat(100)}`],
    ['Cyrillic (two bytes per character)', (i: number) => `строка ${i} ${'ж'.repeat(100)}`],
    ['ASCII with one emoji (the whole string is two-byte)', (i: number) => `line ${i} 🚀 ${'x'.repeat(100)}`],
  ])('%s: within 10%% of the heap measured', (name, make) => {
    const { heap, counted } = perEvent(make);
    console.log(`${name}: counted ${counted.toFixed(1)} B, heap ${heap.toFixed(1)} B per event`);
    expect(Math.abs(counted - heap) / heap).toBeLessThan(0.1);
  });

  it.each([
    [
      'a pino JSON line',
      (i: number) =>
        `{"level":30,"time":${T + i},"pid":4242,"hostname":"web-1","reqId":"req-${i}","res":{"statusCode":200},"msg":"request completed ${i}"}`,
    ],
    [
      'a logfmt line',
      (i: number) =>
        `time=2026-11-29T00:00:00Z level=info msg="request ${i}" method=GET path=/orders/${i} status=200`,
    ],
  ])('structured, %s as the pipeline reads it: within 10%% of the heap measured', (name, make) => {
    const reader = new StructuredReader(emptyStructuredStats());
    const { heap, counted } = perEvent(make, (text, i) => {
      const ev = event(text, i);
      reader.read(ev, 1);
      return ev;
    });
    console.log(`${name}: counted ${counted.toFixed(1)} B, heap ${heap.toFixed(1)} B per event`);
    expect(Math.abs(counted - heap) / heap).toBeLessThan(0.1);
  });

  it('counts a character beyond Latin-1 as two bytes, one within it as one', () => {
    expect(heldBytes(event('abc', 0))).toBe(EVENT_FIXED_BYTES + 3);
    expect(heldBytes(event('ééé', 0))).toBe(EVENT_FIXED_BYTES + 3);
    expect(heldBytes(event('жжж', 0))).toBe(EVENT_FIXED_BYTES + 6);
  });

  it('heldBytesAtMost bounds what a chunk of input becomes, whatever its characters', () => {
    for (const text of ['a\nbb\nccc\n', 'é\nжж\n🚀x\n', 'no newline at all']) {
      const bytes = Buffer.from(text);
      const lines = text.split('\n').filter((l) => l.length > 0);
      const held = lines.reduce((sum, l, i) => sum + heldBytes(event(l, i)), 0);
      expect(heldBytesAtMost(bytes)).toBeGreaterThanOrEqual(held);
      const newlines = text.split('\n').length - 1;
      expect(heldBytesAtMost(bytes)).toBe(
        2 * bytes.length + (newlines + 1) * (EVENT_FIXED_BYTES + STRUCTURED_EXTRA_BYTES),
      );
    }
  });
});
