// Issue 15: the heap is kept tight (a small young generation under run, the old generation growing
// 20% past what is live) only while the configured buffers are near the defaults; buffers raised far
// past them are memory asked for, where the tight heap cost more CPU than it saved.
import { describe, expect, it } from 'vitest';
import { runtimeV8Flags, TIGHT_HEAP_UP_TO_BYTES } from '../../src/supervisor/pipeline-host.js';

const MiB = 1024 * 1024;

describe('run-time V8 flags', () => {
  it('default buffers: a tight heap, and under run (drop) a young generation that does not grow', () => {
    expect(runtimeV8Flags(false, 16 * MiB + 8 * MiB)).toBe(
      '--heap-growing-percent=20 --liftoff-only --semi-space-growth-factor=1',
    );
    // block (pipe, tail): the input waits for the drains; a looser old generation keeps the throughput
    expect(runtimeV8Flags(true, 4 * 16 * MiB + 8 * MiB)).toBe('--heap-growing-percent=60 --liftoff-only');
  });

  it("buffers raised past the bound: V8's own heap sizing", () => {
    expect(runtimeV8Flags(false, TIGHT_HEAP_UP_TO_BYTES)).toContain('--heap-growing-percent=20');
    expect(runtimeV8Flags(false, TIGHT_HEAP_UP_TO_BYTES + 1)).toBe('--liftoff-only');
    expect(runtimeV8Flags(true, 2048 * MiB + 2048 * MiB)).toBe('--liftoff-only');
  });
});
