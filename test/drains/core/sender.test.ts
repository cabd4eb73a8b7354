/**
 * The sender: one attempt, with the body compressed or a spec's typed payload, a transport that
 * throws or ignores the abort turned into a well-formed `error` outcome.
 */
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Framing } from '../../../src/drains/core/framing.js';
import { Sender } from '../../../src/drains/core/sender.js';
import type { Outcome, Transport } from '../../../src/drains/core/types.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';

const T0 = Date.UTC(2026, 10, 29, 4, 0, 0);
const ev = (n: number) => new LogEvent(T0 + n, `m${n}`, INFO, 'stdout', n, undefined, undefined);
const batch = new Framing({}, undefined).batch([ev(1), ev(2)], ['"m1"', '"m2"']);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sender', () => {
  it('hands a byte transport the framed body, gzipped when asked, and its size as sent', async () => {
    const got: Buffer[] = [];
    const transport: Transport = {
      send: async (payload) => {
        got.push(payload);
        return { kind: 'ok' };
      },
      close: async () => undefined,
    };
    const plain = new Sender({ transport, gzip: false });
    const p = plain.prepare(batch);
    expect(p.payload.toString()).toBe('["m1","m2"]');
    expect(p.bytes).toBe(11);
    const zipped = new Sender({ transport, gzip: true }).prepare(batch);
    expect(gunzipSync(zipped.payload).toString()).toBe('["m1","m2"]');
    expect(zipped.bytes).toBe(zipped.payload.length);
    expect(await plain.send(p, batch, new AbortController().signal)).toEqual({ kind: 'ok' });
    expect(got).toHaveLength(1);
  });

  it("hands a typed transport the spec's payload, never a body", async () => {
    const got: unknown[] = [];
    const transport: Transport<{ t: number; m: string }[]> = {
      send: async (payload) => {
        got.push(payload);
        return { kind: 'ok', rejected: { too_old: 1 } };
      },
      close: async () => undefined,
    };
    const sender = new Sender({
      transport,
      gzip: true,
      payload: (b) => b.events.map((e, i) => ({ t: e.timestamp, m: b.records[i]! })),
    });
    const p = sender.prepare(batch);
    expect(p.bytes).toBe(batch.bytes);
    expect(await sender.send(p, batch, new AbortController().signal)).toEqual({
      kind: 'ok',
      rejected: { too_old: 1 },
    });
    expect(got).toEqual([
      [
        { t: T0 + 1, m: '"m1"' },
        { t: T0 + 2, m: '"m2"' },
      ],
    ]);
  });

  it('a throwing transport is an error outcome: its code, or its name when the code is not a string', async () => {
    const throwing = (err: unknown) =>
      new Sender({
        transport: { send: () => Promise.reject(err), close: async () => undefined },
        gzip: false,
      });
    const signal = new AbortController().signal;
    const send = (err: unknown) => {
      const s = throwing(err);
      return s.send(s.prepare(batch), batch, signal);
    };
    expect(await send(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toEqual({
      kind: 'error',
      code: 'ECONNREFUSED',
      permanent: false,
      message: 'refused',
    });
    expect(await send(Object.assign(new TypeError('bad header'), { code: 42 }))).toMatchObject({
      code: 'TypeError',
      permanent: true,
    });
    expect(await send('a string')).toMatchObject({ kind: 'error', code: 'Error', message: 'a string' });
  });

  it('a transport that ignores the abort does not hold the attempt past it', async () => {
    const sender = new Sender({
      transport: { send: () => new Promise<Outcome>(() => undefined), close: async () => undefined },
      gzip: false,
    });
    const stop = new AbortController();
    const attempt = sender.send(sender.prepare(batch), batch, stop.signal);
    vi.advanceTimersByTime(60_000);
    stop.abort();
    expect(await attempt).toMatchObject({ kind: 'error', code: 'AbortError', permanent: false });
  });
});
