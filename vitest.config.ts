import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run in parallel, two per core: most of a file's time is spent waiting on a spawned
 * CLI, a receiver or a flush deadline, not on the CPU (vitest's default, cores − 1, is a single
 * worker on a 2-core machine). Files share nothing: every server listens on port 0 of 127.0.0.1
 * and every file writes under its own mkdtemp directory; dist/ is built once, before vitest.
 */
const workers = Math.max(2, availableParallelism() * 2);

/**
 * Files that keep both cores busy on their own (megabytes of hostile input validated by six
 * receivers in the test process, a burst to four drains under chaos) and bound how long the
 * forwarder may take: they run after the others, one at a time, so that load from the other
 * files cannot push them over their deadlines.
 */
const CPU_BOUND = ['test/reliability/bad-input.test.ts', 'test/reliability/chaos.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: workers,
    minWorkers: 1,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: CPU_BOUND,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'cpu-bound',
          include: CPU_BOUND,
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
