/**
 * Line framing on raw bytes: LF and CRLF, partial lines carried between chunks, the line-length cap
 * (cut at a UTF-8 boundary, the rest counted, never taken for a new line), the last line without a
 * newline, and the same lines whichever way the input is cut into chunks.
 */
import { describe, expect, it } from 'vitest';
import { decodeLine, decodeSpan } from '../../src/pipeline/decode.js';
import { LineFramer, utf8Boundary } from '../../src/pipeline/framer.js';

type Line = [text: string, dropped: number];

/** Frames `chunks` with a cap of `max` bytes; `end` = the input ended (EOF). */
function frame(max: number, chunks: (string | Buffer)[], end = true): Line[] {
  const out: Line[] = [];
  const framer = new LineFramer(max, (line, dropped) => out.push([line.toString('utf8'), dropped]));
  for (const c of chunks) framer.push(typeof c === 'string' ? Buffer.from(c) : c);
  if (end) framer.end();
  return out;
}

/** The input cut at the given byte offsets. */
function cutAt(input: Buffer, offsets: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const at of [...offsets].sort((a, b) => a - b)) {
    parts.push(input.subarray(from, at));
    from = at;
  }
  parts.push(input.subarray(from));
  return parts;
}

/** A small seeded generator (mulberry32), so a failing split can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('LineFramer', () => {
  it('splits on LF and strips the CR of CRLF', () => {
    expect(frame(100, ['one\ntwo\r\nthree\n'])).toEqual([
      ['one', 0],
      ['two', 0],
      ['three', 0],
    ]);
  });

  it('keeps a CR that does not end a line', () => {
    expect(frame(100, ['progress\r50%\rdone\r\n', 'a\r\rb\n'])).toEqual([
      ['progress\r50%\rdone', 0],
      ['a\r\rb', 0],
    ]);
  });

  it('emits empty lines (inside a stack trace they belong to the group), LF or CRLF', () => {
    expect(frame(100, ['a\n\nb\r\n\r\nc\n'])).toEqual([
      ['a', 0],
      ['', 0],
      ['b', 0],
      ['', 0],
      ['c', 0],
    ]);
  });

  it('carries a partial line into the next chunk', () => {
    expect(frame(100, ['hel', 'lo\nwor', 'ld\n'])).toEqual([
      ['hello', 0],
      ['world', 0],
    ]);
  });

  it('joins a line split across many chunks, with no newline in most of them', () => {
    const chunks = ['a', 'b', 'c', 'd', 'e', 'f\n'];
    expect(frame(100, chunks)).toEqual([['abcdef', 0]]);
  });

  it('joins a CRLF split between two chunks', () => {
    expect(frame(100, ['line one\r', '\nline two\r', '\n'])).toEqual([
      ['line one', 0],
      ['line two', 0],
    ]);
  });

  it('emits nothing for a partial line until the input ends; end() ships it without a newline', () => {
    expect(frame(100, ['no newline yet'], false)).toEqual([]);
    expect(frame(100, ['done\nlast words'])).toEqual([
      ['done', 0],
      ['last words', 0],
    ]);
    expect(frame(100, ['last\r'])).toEqual([['last', 0]]);
  });

  it('emits nothing at the end of input that ended on a newline', () => {
    expect(frame(100, ['a\n'])).toEqual([['a', 0]]);
    expect(frame(100, [])).toEqual([]);
  });

  it('cuts a line over the cap and counts the rest, in one chunk', () => {
    expect(frame(5, ['abcdefghij\nok\n'])).toEqual([
      ['abcde', 5],
      ['ok', 0],
    ]);
  });

  it('cuts a line over the cap that arrives in many chunks, and never takes its rest for a new line', () => {
    const long = 'x'.repeat(1000);
    const chunks = long.match(/.{1,7}/g)!.concat(['\nnext\n']);
    expect(frame(10, chunks)).toEqual([
      ['x'.repeat(10), 990],
      ['next', 0],
    ]);
  });

  it('counts the same dropped bytes for a CRLF line over the cap, whatever the chunking', () => {
    const input = 'abcdefg\r\nok\r\n';
    const whole = frame(4, [input]);
    expect(whole).toEqual([
      ['abcd', 3],
      ['ok', 0],
    ]);
    expect(frame(4, ['abcdefg\r', '\nok\r\n'])).toEqual(whole);
    expect(frame(4, ['abc', 'defg', '\r', '\n', 'ok\r\n'])).toEqual(whole);
    // a CR that is part of the line (before the CRLF) is a dropped byte like any other
    expect(frame(4, ['abcd\r\r\n'])).toEqual([['abcd', 1]]);
    expect(frame(4, ['abcd\r', '\r', '\n'])).toEqual([['abcd', 1]]);
  });

  it('takes a line of exactly the cap whole, with or without CRLF', () => {
    expect(frame(4, ['abcd\n', 'efgh\r\n', 'ij', 'kl\r', '\n'])).toEqual([
      ['abcd', 0],
      ['efgh', 0],
      ['ijkl', 0],
    ]);
  });

  it('cuts an unterminated line over the cap at end of input', () => {
    expect(frame(3, ['abcdef'])).toEqual([['abc', 3]]);
  });

  it('never cuts inside a UTF-8 character', () => {
    // "é" is 2 bytes, "✓" is 3: a cap of 4 falls inside the second "✓"
    expect(frame(4, ['a✓✓b\n'])).toEqual([['a✓', 4]]);
    expect(frame(4, ['a✓', '✓b\n'])).toEqual([['a✓', 4]]);
    expect(frame(3, ['éé\n'])).toEqual([['é', 2]]);
  });

  it('finishes the current line as cut when bytes were lost upstream (gap)', () => {
    const out: Line[] = [];
    const framer = new LineFramer(100, (line, dropped) => out.push([line.toString(), dropped]));
    framer.push(Buffer.from('whole\npart'));
    framer.gap(4096);
    framer.push(Buffer.from('fresh\n'));
    framer.gap(10); // between lines: nothing to finish
    expect(out).toEqual([
      ['whole', 0],
      ['part', 4096],
      ['fresh', 0],
    ]);
  });

  it('gives the same lines however the input is cut into chunks', () => {
    const input = Buffer.from(
      [
        'plain line',
        'crlf line\r',
        '',
        'ünïcødé ✓ line',
        'y'.repeat(40),
        `${'z'.repeat(35)}\r`,
        `${'q'.repeat(7)}\r\r`,
        `${'q'.repeat(8)}\r\r`,
        `${'q'.repeat(16)}\r\r`,
        '\r',
        'tail without newline',
      ].join('\n'),
    );
    for (const max of [8, 16, 33, 100]) {
      const expected = frame(max, [input]);
      const random = seeded(max);
      for (let trial = 0; trial < 200; trial++) {
        const cuts = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
          Math.floor(random() * (input.length + 1)),
        );
        const got = frame(max, cutAt(input, cuts));
        expect(got, `max ${max}, cuts ${cuts.join(',')}`).toEqual(expected);
      }
    }
  });

  it('with onSpan, the same texts as decoding every line as a Buffer, however the input is cut', () => {
    // escapes (whole, cut off, lone), invalid UTF-8 (a lead byte before ESC), CRLF, long lines
    const input = Buffer.concat([
      Buffer.from('\x1b[31mred\x1b[0m line\r\nplain\n\x1b]0;title\x07osc\nlone \x1b esc\n'),
      Buffer.from([0xe2, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x78, 0x0a, 0xff, 0xfe, 0x0a]),
      Buffer.from(`${'ü'.repeat(30)}\n\ncut csi \x1b[3\nlast`),
    ]);
    const decoded = (max: number, chunks: Buffer[], spans: boolean): Line[] => {
      const out: Line[] = [];
      const framer = spans
        ? new LineFramer(max, {
            line: (line, dropped) => out.push([decodeLine(line, dropped), dropped]),
            span: (chunk, start, end) => out.push([decodeSpan(chunk, start, end), 0]),
          })
        : new LineFramer(max, (line, dropped) => out.push([decodeLine(line, dropped), dropped]));
      for (const c of chunks) framer.push(c);
      framer.end();
      return out;
    };
    for (const max of [8, 40, 1000]) {
      const expected = decoded(max, [input], false);
      expect(decoded(max, [input], true)).toEqual(expected);
      const random = seeded(max + 1);
      for (let trial = 0; trial < 100; trial++) {
        const cuts = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
          Math.floor(random() * (input.length + 1)),
        );
        expect(decoded(max, cutAt(input, cuts), true), `max ${max}, cuts ${cuts.join(',')}`).toEqual(
          expected,
        );
      }
    }
    expect(
      decoded(1000, [input], true)
        .map(([t]) => t)
        .slice(0, 4),
    ).toEqual(['red line', 'plain', 'osc', 'lone  esc']);
  });

  it('keeps no more than the cap (+1 byte for a pending CR) of a line that never ends', () => {
    // memory bound: a 10 MiB line in 64 KiB chunks is carried as at most max + 1 bytes
    const out: Line[] = [];
    const framer = new LineFramer(1024, (line, dropped) => out.push([line.toString(), dropped]));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let i = 0; i < 160; i++) framer.push(chunk);
    framer.end();
    expect(out).toEqual([['a'.repeat(1024), 160 * 64 * 1024 - 1024]]);
  });
});

describe('utf8Boundary', () => {
  const buf = Buffer.from('a✓b'); // 61 e2 9c 93 62
  it('backs over continuation bytes to the start of the character', () => {
    expect(utf8Boundary(buf, 0, 1)).toBe(1);
    expect(utf8Boundary(buf, 0, 2)).toBe(1);
    expect(utf8Boundary(buf, 0, 3)).toBe(1);
    expect(utf8Boundary(buf, 0, 4)).toBe(4);
  });
  it('cuts at the cap when no boundary lies after the start (never returns an empty line)', () => {
    expect(utf8Boundary(Buffer.from('✓'), 0, 2)).toBe(2);
  });
});
