// A Python LogRecord's msg % args (structured/percent-format.ts): each expected text is what
// /usr/bin/python3 prints for the same format and arguments.
import { describe, expect, it } from 'vitest';
import { percentFormat, WrittenNumber } from '../../../src/pipeline/structured/percent-format.js';

describe("msg % args, as Python's % operator writes it", () => {
  it('conversions, widths, flags, precisions, %% and one mapping', () => {
    expect(percentFormat('%5d|%-5d|%05d', [42, 42, 42])).toBe('   42|42   |00042');
    expect(percentFormat('%.2f %e %g', [7.125, 12345.678, 0.0001])).toBe('7.12 1.234568e+04 0.0001');
    expect(percentFormat('%x %X %o', [255, 255, 8])).toBe('ff FF 10');
    expect(percentFormat('%+d % d', [5, 5])).toBe('+5  5');
    expect(percentFormat('%s %r %s', ['a', 'b', null])).toBe("a 'b' None");
    expect(percentFormat('%s %s', [true, 1.5])).toBe('True 1.5');
    expect(percentFormat('%.3s', ['abcdef'])).toBe('abc');
    expect(percentFormat('100%% %s', ['done'])).toBe('100% done');
    expect(percentFormat('%(a)s-%(b)d', { a: 'x', b: 7 })).toBe('x-7');
  });

  it('%f rounds the exact value half to even, as Python does (JavaScript rounds a tie up)', () => {
    expect(percentFormat('%.2f|%.0f|%.0f|%f|%.1f', [7.125, 0.5, 1.5, -2.5, 0.05])).toBe(
      '7.12|0|2|-2.500000|0.1',
    );
    expect(percentFormat('%.3f|%f', [1e21, -0])).toBe('1000000000000000000000.000|-0.000000');
  });

  it("a number as the record wrote it: %s prints Python's repr of a float, %d and %f its value", () => {
    const n = (t: string) => new WrittenNumber(t);
    expect(percentFormat('%s %s %r %d %.1f', [n('1.0'), n('1e-05'), n('2.5'), n('3.9'), n('0.25')])).toBe(
      '1.0 1e-05 2.5 3 0.2',
    );
  });

  it('args that do not fit give undefined (the message stays as written)', () => {
    expect(percentFormat('%s %s', ['one'])).toBeUndefined(); // too few
    expect(percentFormat('%s', ['one', 'two'])).toBeUndefined(); // not all converted
    expect(percentFormat('%d', ['text'])).toBeUndefined(); // a number wanted
    expect(percentFormat('%(missing)s', { a: 1 })).toBeUndefined();
    expect(percentFormat('%*d', [5, 1])).toBeUndefined(); // a width from the args: not read
    expect(percentFormat('%s', 'not args')).toBeUndefined();
  });

  it('a width or precision over 100 gives undefined, not a gigabyte of padding or a thrown RangeError', () => {
    expect(percentFormat('%999999999d', [1])).toBeUndefined();
    expect(percentFormat('%(a)999999s', { a: 'x' })).toBeUndefined();
    expect(percentFormat('%.200e|%.200g', [1.5, 1.5])).toBeUndefined();
    expect(percentFormat('%.99999999f', [1e22])).toBeUndefined();
    expect(percentFormat('%100d|%.100f', [7, 0.5])).toBe(`${' '.repeat(99)}7|0.5${'0'.repeat(99)}`);
  });
});
