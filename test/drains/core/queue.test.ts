/**
 * The byte-bounded event ring: first in, first out; a push over the bound evicts the oldest events
 * (returned as a count, for the drain to report as buffer_full); bytes are accounted exactly
 * through wrap-around and growth.
 */
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../src/drains/core/queue.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';

const ev = (n: number) => new LogEvent(0, `line ${n}`, INFO, 'stdout', n, undefined, undefined);

function drain(q: EventQueue): number[] {
  const out: number[] = [];
  for (let e = q.shift(); e !== undefined; e = q.shift()) out.push(e.seq);
  return out;
}

describe('EventQueue', () => {
  it('starts empty', () => {
    const q = new EventQueue(1000);
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
    expect(q.peek()).toBeUndefined();
    expect(q.shift()).toBeUndefined();
    expect(q.bytes).toBe(0);
  });

  it('gives events back in the order they came, peek without taking', () => {
    const q = new EventQueue(1000);
    for (let i = 1; i <= 3; i++) expect(q.push(ev(i), 10)).toBe(0);
    expect(q.peek()?.seq).toBe(1);
    expect(q.length).toBe(3);
    expect(drain(q)).toEqual([1, 2, 3]);
  });

  it('accounts bytes exactly on push and shift', () => {
    const q = new EventQueue(1000);
    q.push(ev(1), 100);
    q.push(ev(2), 250);
    q.push(ev(3), 7);
    expect(q.bytes).toBe(357);
    q.shift();
    expect(q.bytes).toBe(257);
    q.shift();
    q.shift();
    expect(q.bytes).toBe(0);
  });

  it('holds exactly maxBytes without evicting', () => {
    const q = new EventQueue(300);
    expect(q.push(ev(1), 100)).toBe(0);
    expect(q.push(ev(2), 100)).toBe(0);
    expect(q.push(ev(3), 100)).toBe(0);
    expect(q.bytes).toBe(300);
    expect(q.length).toBe(3);
  });

  it('evicts the oldest events, as few as needed, when a push goes over the bound', () => {
    const q = new EventQueue(300);
    for (let i = 1; i <= 3; i++) q.push(ev(i), 100);
    expect(q.push(ev(4), 1)).toBe(1);
    expect(q.bytes).toBe(201);
    expect(q.push(ev(5), 250)).toBe(2);
    expect(q.bytes).toBe(251);
    expect(drain(q)).toEqual([4, 5]);
  });

  it('keeps the newest event alone when it is bigger than the whole bound (a line is never refused)', () => {
    const q = new EventQueue(300);
    q.push(ev(1), 100);
    q.push(ev(2), 100);
    expect(q.push(ev(3), 1000)).toBe(2);
    expect(q.length).toBe(1);
    expect(q.bytes).toBe(1000);
    // the next push evicts it, whatever its size
    expect(q.push(ev(4), 1)).toBe(1);
    expect(q.bytes).toBe(1);
    expect(drain(q)).toEqual([4]);
  });

  it('keeps order and bytes through wrap-around and growth', () => {
    const q = new EventQueue(1_000_000, 2);
    let next = 1;
    let expected = 1;
    let bytes = 0;
    // interleave pushes and shifts so the head wraps around several times between growths
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3 + (round % 5); i++) {
        q.push(ev(next), next);
        bytes += next;
        next++;
      }
      for (let i = 0; i < 2; i++) {
        const e = q.shift()!;
        expect(e.seq).toBe(expected);
        bytes -= expected;
        expected++;
      }
      expect(q.bytes).toBe(bytes);
      expect(q.length).toBe(next - expected);
    }
    const rest = drain(q);
    expect(rest).toEqual(Array.from({ length: next - expected }, (_, i) => expected + i));
    expect(q.bytes).toBe(0);
  });

  it('evicts in order across the wrap point of a grown ring', () => {
    const q = new EventQueue(50, 4);
    for (let i = 1; i <= 3; i++) q.push(ev(i), 10);
    q.shift();
    q.shift(); // head is now in the middle of the ring
    for (let i = 4; i <= 7; i++) expect(q.push(ev(i), 10)).toBe(0); // wraps, then grows
    expect(q.push(ev(8), 10)).toBe(1); // 60 > 50: 3 goes
    expect(q.length).toBe(5);
    expect(q.push(ev(9), 25)).toBe(3); // 75 > 50: 4, 5 and 6 go, oldest first
    expect(q.bytes).toBe(45);
    expect(drain(q)).toEqual([7, 8, 9]);
  });

  it('releases what it held: a shifted slot no longer references its event', () => {
    const q = new EventQueue(1000, 2);
    q.push(ev(1), 1);
    q.shift();
    q.push(ev(2), 1);
    q.push(ev(3), 1);
    expect(q.length).toBe(2);
    expect(drain(q)).toEqual([2, 3]);
    expect(q.peek()).toBeUndefined();
  });
});
