import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run in parallel, two per core: most of a file's time is spent waiting on a spawned
 * CLI, a receiver or a flush deadline, not on the CPU (vitest's default, cores − 1, is a single
 * worker on a 2-core machine). Files share nothing: every server listens on port 0 of 127.0.0.1
 * and every file writes under its own mkdtemp directory.
 */
const workers = Math.max(2, availableParallelism() * 2);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: workers,
    minWorkers: 1,
    reporters: ['default'],
  },
});
