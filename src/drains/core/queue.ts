import type { LogEvent } from '../../pipeline/event.js';

/**
 * A ring of events bounded in bytes (undici's FixedQueue idea: no Array#shift). When a push goes
 * over the bound, the oldest events are evicted and returned to the caller to be counted.
 */
export class EventQueue {
  #items: (LogEvent | undefined)[];
  #sizes: Float64Array;
  #head = 0;
  #length = 0;
  #bytes = 0;
  readonly maxBytes: number;

  constructor(maxBytes: number, initialCapacity = 1024) {
    this.maxBytes = maxBytes;
    this.#items = new Array(initialCapacity);
    this.#sizes = new Float64Array(initialCapacity);
  }

  get length(): number {
    return this.#length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Adds `ev`; returns how many of the oldest events were evicted to stay within maxBytes.
   * `onEvicted` sees each of them (only on this rare path; a drop notice must not vanish untold).
   */
  push(ev: LogEvent, size: number, onEvicted?: (ev: LogEvent) => void): number {
    if (this.#length === this.#items.length) this.#grow();
    const at = (this.#head + this.#length) & (this.#items.length - 1);
    this.#items[at] = ev;
    this.#sizes[at] = size;
    this.#length++;
    this.#bytes += size;
    let evicted = 0;
    while (this.#bytes > this.maxBytes && this.#length > 1) {
      const gone = this.shift()!;
      evicted++;
      onEvicted?.(gone);
    }
    return evicted;
  }

  peek(): LogEvent | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  shift(): LogEvent | undefined {
    if (this.#length === 0) return undefined;
    const ev = this.#items[this.#head];
    this.#bytes -= this.#sizes[this.#head]!;
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#length--;
    return ev;
  }

  #grow(): void {
    const cap = this.#items.length * 2;
    const items = new Array<LogEvent | undefined>(cap);
    const sizes = new Float64Array(cap);
    for (let i = 0; i < this.#length; i++) {
      const from = (this.#head + i) & (this.#items.length - 1);
      items[i] = this.#items[from];
      sizes[i] = this.#sizes[from]!;
    }
    this.#items = items;
    this.#sizes = sizes;
    this.#head = 0;
  }
}
