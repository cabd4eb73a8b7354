/**
 * A followed file that had gone unwritten for the multi-line timeout when it was read to its end
 * (tail, see the follower's caughtUp): its open groups are shipped then, not a timeout later.
 * Pieces of a container record still wait for their last piece.
 */
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/pipeline/event.js';
import { INFO } from '../../src/pipeline/levels.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';

function pipeline() {
  const events: LogEvent[] = [];
  const p = new Pipeline(
    {
      maxLineBytes: 1024,
      multiline: { enabled: true, timeoutMs: 1000, maxBytes: 1 << 20, maxLines: 1000 },
      defaultLevels: { stdout: INFO, stderr: INFO },
    },
    (ev) => events.push(ev),
  );
  return { p, events };
}

const TRACE = 'Error: boom\n    at f (/app/a.js:1:1)\n    at g (/app/a.js:2:1)\n';

describe('pipeline: a quiet file', () => {
  it('ships its open group once the file was quiet for the multi-line timeout, not before', () => {
    const { p, events } = pipeline();
    p.writeFile('/logs/a.log', 'plain', Buffer.from(`first\n${TRACE}`), 1);
    expect(events.map((e) => e.message)).toEqual(['first']);
    p.fileQuiet('/logs/a.log', 999);
    expect(events).toHaveLength(1);
    // another file's quiet closes nothing here
    p.fileQuiet('/logs/b.log', 60_000);
    expect(events).toHaveLength(1);
    p.fileQuiet('/logs/a.log', 1000);
    expect(events.map((e) => e.message)).toEqual(['first', TRACE.slice(0, -1)]);
    // a line after it starts a group of its own
    p.writeFile('/logs/a.log', 'plain', Buffer.from('    at h (/app/a.js:3:1)\nnext\n'), 2);
    expect(events).toHaveLength(3);
  });

  it('a CRI record in pieces still waits for its last piece', () => {
    const { p, events } = pipeline();
    p.writeFile('/logs/c.log', 'cri', Buffer.from('2024-01-02T03:04:05.1Z stdout P half a \n'), 1);
    p.fileQuiet('/logs/c.log', 60_000);
    expect(events).toEqual([]);
    p.writeFile('/logs/c.log', 'cri', Buffer.from('2024-01-02T03:04:05.2Z stdout F line\n'), 2);
    p.fileQuiet('/logs/c.log', 60_000);
    expect(events.map((e) => e.message)).toEqual(['half a line']);
  });
});
