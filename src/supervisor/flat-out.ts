/**
 * The input writes flat out when a read filled half the read buffer or more (its pipe had that
 * much waiting) this recently (PipelineFlow.fullReadAt, set by the host for every read, dropped
 * or not): an app writing at a moderate pace is read in small chunks, its pipe never fills.
 */
export const FLAT_OUT_MS = 5;

/**
 * when_full=drop: how long the pipeline's loading and set-up may wait for an app writing flat out
 * to ease, at most (whenInputEases). Past it the pipeline is loaded anyway (once: ~35 ms of this
 * thread's time), so an app that never eases still has its output shipped from then on.
 */
export const START_DEFER_MAX_MS = 1000;

/**
 * Resolves once the input is not writing flat out, or `maxMs` after the call. Each look comes
 * after a poll phase (setImmediate), so a read already waiting in the app's pipe is seen first:
 * the pipeline's code is loaded and set up in synchronous steps of several ms each (compiling,
 * undici, the drains) during which the app's pipe is not read; started in the middle of a burst,
 * they hold the app back (a 2M-line burst under `run`, the app's run time +10%). Work the app
 * does not wait for (the app's output meanwhile is held up to the backlog bound, the rest counted
 * as dropped there, as it would be at the pipeline's 1% share) waits for a pause instead.
 */
export async function whenInputEases(fullReadAt: () => number, maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = performance.now();
    if (now - fullReadAt() >= FLAT_OUT_MS || now >= until) return;
    await new Promise<void>((resolve) => setTimeout(resolve, FLAT_OUT_MS));
  }
}
