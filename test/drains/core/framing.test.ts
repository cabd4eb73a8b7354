/** Framing: what each record costs in a batch, and the body built from it, for the three kinds of drain. */
import { describe, expect, it } from 'vitest';
import { Framing } from '../../../src/drains/core/framing.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { INFO } from '../../../src/pipeline/levels.js';

const ev = (n: number) => new LogEvent(0, `m${n}`, INFO, 'stdout', n, undefined, undefined);

describe('framing', () => {
  it('plain framing: bytes written straight from the records; the counted size is exact', () => {
    const f = new Framing({ frame: { open: '', separator: '\n', close: '\n' } }, undefined);
    const b = f.batch([ev(1), ev(2)], ['{"a":"é"}', '{"b":2}']);
    expect(b.raw.toString()).toBe('{"a":"é"}\n{"b":2}\n');
    expect(b.bytes).toBe(b.raw.length);
    expect(b.body).toBe('{"a":"é"}\n{"b":2}\n');
  });

  it("the default is a JSON array; a spec's text framing is built once, on first use", () => {
    expect(new Framing({}, undefined).batch([ev(1)], ['1']).raw.toString()).toBe('[1]');
    let built = 0;
    const f = new Framing(
      {
        frame: (records: readonly string[], c: { tag: string }) => {
          built++;
          return `${c.tag}{${records.join(';')}}`;
        },
        frameOverheadBytes: 6,
      },
      { tag: 'env' },
    );
    const b = f.batch([ev(1), ev(2)], ['x', 'y']);
    expect(built).toBe(0);
    expect(b.bytes).toBe(6 + 1 + 1 + 1);
    expect(b.body).toBe('env{x;y}');
    expect(b.raw.toString()).toBe('env{x;y}');
    expect(built).toBe(1);
  });

  it('a typed payload: the vendor counts its bytes per record, and no body is built', () => {
    const f = new Framing({ payload: () => [], recordOverheadBytes: 26 }, undefined);
    expect(f.recordCost(5, 0)).toBe(31);
    expect(f.recordCost(5, 1)).toBe(31);
    expect(f.batch([ev(1), ev(2)], ['hello', 'é']).bytes).toBe(5 + 26 + 2 + 26);
  });
});
