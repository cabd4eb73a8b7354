import { expect } from 'vitest';
import type { LogEvent } from '../../src/pipeline/event.js';
import { Pipeline, type PipelineStats } from '../../src/pipeline/pipeline.js';

/** A Pipeline with the tests' settings (256 KiB lines, multi-line on, no default levels) that collects its events into `events`. */
export function testPipeline(events: LogEvent[]): Pipeline {
  return new Pipeline(
    {
      maxLineBytes: 256 * 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: {},
    },
    (ev) => events.push(ev),
  );
}

/**
 * `lines` through a Pipeline on stdout, in writes of 500 lines so that the structured reader's
 * batches are full ones: the events and the structured-reading counts.
 */
export function pipeLines(
  lines: string[],
  now: number,
): { events: LogEvent[]; stats: PipelineStats['structured'] } {
  const events: LogEvent[] = [];
  const p = testPipeline(events);
  for (let b = 0; b < lines.length; b += 500)
    p.write('stdout', Buffer.from(`${lines.slice(b, b + 500).join('\n')}\n`), now);
  p.end();
  return { events, stats: p.stats.structured };
}

/** Two runs of the same lines (e.g. with and without the WebAssembly scan) gave the same events, in order, and the same counts. */
export function expectSameRuns(a: ReturnType<typeof pipeLines>, b: ReturnType<typeof pipeLines>): void {
  expect(a.events.length).toBe(b.events.length);
  for (let i = 0; i < a.events.length; i++) {
    const x = a.events[i]!;
    const y = b.events[i]!;
    expect({ ...x, seq: 0 }, y.line ?? y.message).toEqual({ ...y, seq: 0 });
  }
  expect(a.stats).toEqual(b.stats);
}
