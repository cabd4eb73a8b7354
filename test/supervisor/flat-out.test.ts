/**
 * when_full=drop (issue 15, app slowdown): the pipeline's loading and set-up wait while the app
 * writes flat out, at most START_DEFER_MAX_MS, and wait for its first bytes at most
 * FIRST_INPUT_WAIT_MS. Fake clock: full reads are simulated by moving fullReadAt.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FIRST_INPUT_WAIT_MS,
  FLAT_OUT_MS,
  type InputPace,
  START_DEFER_MAX_MS,
  whenInputEases,
  whenInputStarts,
} from '../../src/supervisor/flat-out.js';

beforeEach(() => {
  vi.useFakeTimers({
    toFake: [
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'setImmediate',
      'clearImmediate',
      'performance',
    ],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

/** An input whose last full read the test sets; `see()` marks its first bytes. */
function input(): InputPace & { lastFull: number; see(): void } {
  let seen = false;
  let onSeen!: () => void;
  const pace = {
    lastFull: Number.NEGATIVE_INFINITY,
    fullReadAt: () => pace.lastFull,
    seen: () => seen,
    first: new Promise<void>((resolve) => {
      onSeen = resolve;
    }),
    see: () => {
      seen = true;
      onSeen();
    },
  };
  return pace;
}

/** Watches a promise: `done` becomes true once it resolved. */
function watch(p: Promise<void>): { done: boolean } {
  const w = { done: false };
  void p.then(() => {
    w.done = true;
  });
  return w;
}

describe('whenInputEases', () => {
  it('resolves after one poll phase when the input does not write flat out', async () => {
    const app = input();
    const w = watch(whenInputEases(app, START_DEFER_MAX_MS));
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(true);
  });

  it('waits while full reads keep coming, and resolves once they stop for FLAT_OUT_MS', async () => {
    const app = input();
    app.lastFull = performance.now();
    const w = watch(whenInputEases(app, START_DEFER_MAX_MS));
    for (let i = 0; i < 40; i++) {
      await vi.advanceTimersByTimeAsync(1);
      app.lastFull = performance.now();
    }
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(FLAT_OUT_MS - 1);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * FLAT_OUT_MS);
    expect(w.done).toBe(true);
  });

  it('resolves by START_DEFER_MAX_MS when the input never eases', async () => {
    const app = input();
    const w = watch(whenInputEases(app, START_DEFER_MAX_MS));
    const flatOut = setInterval(() => {
      app.lastFull = performance.now();
    }, 1);
    app.lastFull = performance.now();
    await vi.advanceTimersByTimeAsync(START_DEFER_MAX_MS - FLAT_OUT_MS);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * FLAT_OUT_MS);
    expect(w.done).toBe(true);
    clearInterval(flatOut);
  });
});

describe('whenInputStarts', () => {
  it('resolves at once when the input has been seen', async () => {
    const app = input();
    app.see();
    const w = watch(whenInputStarts(app));
    await Promise.resolve();
    await Promise.resolve();
    expect(w.done).toBe(true);
  });

  it("resolves with the input's first bytes", async () => {
    const app = input();
    const w = watch(whenInputStarts(app));
    await vi.advanceTimersByTimeAsync(FIRST_INPUT_WAIT_MS / 2);
    expect(w.done).toBe(false);
    app.see();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves after FIRST_INPUT_WAIT_MS for an input that writes nothing', async () => {
    const app = input();
    const w = watch(whenInputStarts(app));
    await vi.advanceTimersByTimeAsync(FIRST_INPUT_WAIT_MS - 1);
    expect(w.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.done).toBe(true);
  });
});
