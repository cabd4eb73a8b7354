import type { LogEvent } from '../../src/pipeline/event.js';
import { Pipeline, type PipelineStats } from '../../src/pipeline/pipeline.js';

/**
 * `lines` through a Pipeline on stdout, in writes of 500 lines so that the structured reader's
 * batches are full ones: the events and the structured-reading counts.
 */
export function pipeLines(
  lines: string[],
  now: number,
): { events: LogEvent[]; stats: PipelineStats['structured'] } {
  const events: LogEvent[] = [];
  const p = new Pipeline(
    {
      maxLineBytes: 256 * 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: {},
    },
    (ev) => events.push(ev),
  );
  for (let b = 0; b < lines.length; b += 500)
    p.write('stdout', Buffer.from(`${lines.slice(b, b + 500).join('\n')}\n`), now);
  p.end();
  return { events, stats: p.stats.structured };
}
