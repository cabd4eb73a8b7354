/**
 * The named pauses of one pipeline (a vendor's rate limits by category): a drain's verdict writes
 * them, every drain that obeys a scope reads them. One board per pipeline, shared by its drains, so
 * two drains on one account (Sentry's logs and error events) see the same limits; nothing here is
 * module-level.
 */
export class PauseBoard {
  readonly #until = new Map<string, number>();
  /** bumped on every change, so a reader can keep its answer until the board moves */
  #version = 0;

  get version(): number {
    return this.#version;
  }

  /** Nothing is sent in `scope` until `until` (epoch ms); a shorter pause never shortens a longer one. */
  pause(scope: string, until: number): void {
    if ((this.#until.get(scope) ?? 0) >= until) return;
    this.#until.set(scope, until);
    this.#version++;
  }

  /** The end of the longest pause among `scopes`; 0 when none is paused. */
  until(scopes: readonly string[]): number {
    let max = 0;
    for (const s of scopes) max = Math.max(max, this.#until.get(s) ?? 0);
    return max;
  }
}
