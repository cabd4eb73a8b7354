/**
 * The input writes flat out when a read filled half the read buffer or more (its pipe had that
 * much waiting) this recently (PipelineFlow.fullReadAt, set by the host for every read, dropped
 * or not): an app writing at a moderate pace is read in small chunks, its pipe never fills.
 */
export const FLAT_OUT_MS = 5;

/**
 * when_full=drop: how long the pipeline's loading and set-up, all their steps together, may wait
 * for an app writing flat out to ease, at most (whenInputEases), from its first bytes. Past it the pipeline is loaded anyway (once: ~35 ms of this
 * thread's time), so an app that never eases still has its output shipped from then on.
 */
export const START_DEFER_MAX_MS = 1000;

/**
 * when_full=drop: how long the pipeline's loading waits for the input's first bytes (or its end),
 * at most. An app spawned first starts writing while we load (a node app ~40 ms after its spawn):
 * loading before its first read cannot tell a burst from a quiet start. A quiet app (a server
 * waiting for requests) has the pipeline ready this much later; its first line shipped no later.
 */
export const FIRST_INPUT_WAIT_MS = 100;

/** What whenInputEases reads from the host (PipelineHost). */
export interface InputPace {
  /** performance.now() of the input's last read of half the read buffer or more */
  fullReadAt(): number;
  /** the input's first bytes (or its end, or the final flush) have come */
  seen(): boolean;
  /** resolves when seen() becomes true */
  first: Promise<void>;
}

/**
 * Resolves once the input is not writing flat out, or `maxMs` after the call. Each look comes
 * after a poll phase (setImmediate), so a read already waiting in the app's pipe is seen first:
 * the pipeline's code is loaded and set up in synchronous steps of several ms each (compiling,
 * undici, the drains) during which the app's pipe is not read; started in the middle of a burst,
 * they hold the app back (a 2M-line burst under `run`, the app's run time +10%). Work the app
 * does not wait for (the app's output meanwhile is held up to the backlog bound, the rest counted
 * as dropped there, as it would be at the pipeline's 1% share) waits for a pause instead.
 */
export async function whenInputEases(input: InputPace, maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = performance.now();
    if (now - input.fullReadAt() >= FLAT_OUT_MS || now >= until) return;
    await new Promise<void>((resolve) => setTimeout(resolve, FLAT_OUT_MS));
  }
}

/**
 * Resolves once the input's first bytes have come (or its end), or FIRST_INPUT_WAIT_MS after the
 * call: whether it writes flat out shows in its first reads (whenInputEases looks then).
 */
export async function whenInputStarts(input: InputPace): Promise<void> {
  if (input.seen()) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    input.first,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FIRST_INPUT_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
}
