/**
 * Under `run` (when_full=drop) what the backlog cannot hold is dropped in whole chunks, which cut
 * lines anywhere. Every line must then reach the pipeline whole, or as its own start shipped cut at
 * the gap, or be counted lost: never a line's tail taken for a line of its own.
 */
import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../src/pipeline/framer.js';
import { countNewlines } from '../../src/supervisor/dropped-run.js';
import { PipelineHost, type PipelineStarter } from '../../src/supervisor/pipeline-host.js';
import type { PipelineFlow } from '../../src/supervisor/pipeline-runner.js';

const drains = [{ id: 'file', endpoint: 'file:///dev/null' }];

/** The host in front of a framer; `consume()` lets the pipeline catch up with all that was posted. */
function hostWithFramer(maxBacklogBytes: number) {
  const framed: { line: string; cut: boolean }[] = [];
  const framer = new LineFramer(1 << 20, (line, dropped) =>
    framed.push({ line: line.toString(), cut: dropped > 0 }),
  );
  let flow!: PipelineFlow;
  let posted = 0;
  const start: PipelineStarter = (emit, f) => {
    flow = f;
    emit({ t: 'ready', drains });
    return {
      post: (m) => {
        if (m.t === 'chunk') {
          posted += m.bytes.length;
          framer.push(Buffer.from(m.bytes));
        } else if (m.t === 'gap') framer.gap(m.lostBytes);
        else if (m.t === 'endStream') framer.end();
      },
      stop: () => undefined,
    };
  };
  const host = new PipelineHost(start, () => undefined, maxBacklogBytes, drains);
  return { host, framed, consume: () => void (flow.consumed = posted) };
}

/** A small deterministic generator, so each case is the same run after run. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('a gap in the backlog (when_full=drop)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`lines reach the pipeline whole, or cut at the gap, or are counted lost (chunking ${seed})`, () => {
      const lines = Array.from(
        { length: 400 },
        (_, i) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(i % 37)}`,
      );
      const input = Buffer.from(`${lines.join('\n')}\n`);
      const random = lcg(seed);
      const { host, framed, consume } = hostWithFramer(120);
      for (let at = 0; at < input.length; ) {
        const size = 1 + Math.floor(random() * 90);
        host.write('stdout', input.subarray(at, at + size), 0);
        at += size;
        if (random() < 0.3) consume(); // the pipeline catches up now and then; between, the backlog fills
      }
      host.endStream('stdout');
      const known = new Set(lines);
      for (const { line, cut } of framed) {
        if (cut)
          expect(
            lines.some((l) => l.startsWith(line)),
            `a cut line is a line's start: ${line}`,
          ).toBe(true);
        else expect(known.has(line), `a whole line: ${line}`).toBe(true);
      }
      expect(host.dropped.lines).toBeGreaterThan(0);
      expect(framed.length + host.dropped.lines).toBe(lines.length);
    });
  }

  for (const seed of [11, 12, 13, 14]) {
    it(`a run dropped before the pipeline existed (dropRun) counts as its chunks dropped one by one (chunking ${seed})`, () => {
      const lines = Array.from({ length: 120 }, (_, i) => `line ${i} ${'y'.repeat(i % 23)}`);
      const input = Buffer.from(`${lines.join('\n')}\n`);
      const random = lcg(seed);
      const cuts: number[] = [0];
      while (cuts[cuts.length - 1]! < input.length)
        cuts.push(Math.min(input.length, cuts[cuts.length - 1]! + 1 + Math.floor(random() * 60)));
      const chunks = cuts.slice(1).map((end, i) => input.subarray(cuts[i]!, end));
      // held before the pipeline: the first third; past the bound: the next third; then the live rest
      const held = chunks.slice(0, Math.floor(chunks.length / 3));
      const over = chunks.slice(held.length, Math.floor((2 * chunks.length) / 3));
      const live = chunks.slice(held.length + over.length);
      const outcome = (dropOver: (host: PipelineHost) => void) => {
        const { host, framed, consume } = hostWithFramer(1 << 20);
        for (const c of held) host.write('stdout', c, 0, true);
        dropOver(host);
        for (const c of live) host.write('stdout', c, 0);
        consume();
        host.endStream('stdout');
        return { framed, dropped: { ...host.dropped } };
      };
      const oneByOne = outcome((host) => {
        for (const c of over) host.drop('stdout', c);
      });
      const asRun = outcome((host) => {
        const bytes = Buffer.concat(over);
        host.dropRun('stdout', {
          bytes: bytes.length,
          newlines: countNewlines(bytes),
          endsMidLine: bytes[bytes.length - 1] !== 10,
        });
      });
      expect(asRun).toEqual(oneByOne);
      expect(asRun.framed.length + asRun.dropped.lines).toBe(lines.length);
    });
  }

  it('a last line with no newline, begun in the dropped bytes, is counted lost', () => {
    const { host, framed, consume } = hostWithFramer(10);
    host.write('stdout', Buffer.from('first\n'), 0);
    host.write('stdout', Buffer.from('second line, dropped'), 0); // over the bound: dropped
    consume();
    host.write('stdout', Buffer.from(' and its end'), 0); // its tail: dropped with it
    host.endStream('stdout');
    expect(framed).toEqual([{ line: 'first', cut: false }]);
    expect(host.dropped.lines).toBe(1);
  });
});
