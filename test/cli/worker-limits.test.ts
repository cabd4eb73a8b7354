import { describe, expect, it } from 'vitest';
import { workerHeapLimitMb, workerResourceLimits } from '../../src/supervisor/pipeline-host.js';

describe("the pipeline thread's V8 limits", () => {
  it('under drop (run) the young generation is small: a burst of dead lines and batches does not inflate memory', () => {
    expect(workerResourceLimits(workerHeapLimitMb(1, 32 * 1024 * 1024, 16 * 1024 * 1024), false)).toEqual({
      maxOldGenerationSizeMb: 176,
      maxYoungGenerationSizeMb: 6,
    });
  });

  it("under block (pipe, tail) V8's default young generation is kept, for throughput", () => {
    expect(workerResourceLimits(176, true)).toEqual({ maxOldGenerationSizeMb: 176 });
  });
});
