import { describe, expect, it } from 'vitest';
import { jsonString } from '../../../src/drains/core/json-string.js';

describe('jsonString (the per-line JSON.stringify)', () => {
  it('produces exactly what JSON.stringify produces, escapes included', () => {
    const cases = [
      '',
      'plain ascii line with spaces',
      'quote " and backslash \\ inside',
      'tab\there, newline\nthere, CR\r, NUL\u0000, bell\u0007, ESC\u001b, DEL\u007f',
      'UTF-8: ü€😀 — and U+2028\u2028 U+2029\u2029',
      'lone high surrogate \ud83d alone',
      'lone low surrogate \ude00 alone',
      'replacement \ufffd characters',
      'x'.repeat(100_000),
    ];
    for (const text of cases) expect(jsonString(text)).toBe(JSON.stringify(text));
  });

  it('agrees with JSON.stringify on every single UTF-16 code unit', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const text = `a${String.fromCharCode(c)}b`;
      if (jsonString(text) !== JSON.stringify(text)) expect.fail(`differs at U+${c.toString(16)}`);
    }
  });
});
