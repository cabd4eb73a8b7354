/**
 * The WebAssembly JSON record scan (assembly/json-scan.ts): JsonRecordScanner's fast path for the
 * single-line JSON records of a reading batch. The batch's candidate lines are copied into the
 * module's memory at once (one string, one UTF-16 write: ~40 CPU ns for a 150-character line), each
 * followed by a 0 unit; each line is then scanned by one call, whose results sit in the module's
 * memory where JsonRecordScanner's arrays view them (no copy back). Positions are UTF-16 units, the
 * string's own indices, so any line the module takes reads exactly as the JS scan reads it.
 *
 * One instance per process, shared by the scanners (a pipeline's each): its memory holds the batch of
 * the scanner that committed last, and a scanner whose batch another's replaced reads by the JS scan
 * (holds()). A batch is loaded and read in one synchronous pass (reader.ts load(), then read() of its
 * events), so in a process of one pipeline that never happens; what sharing buys is one call target
 * for scan() wherever pipelines come and go (the bench's runs, tests): with an instance each, V8 saw a
 * new target per pipeline, stopped inlining the call into the module and paid its generic wrapper
 * (json_trace's extra in `npm run bench` 275–279 → 243–261 CPU ns/line, alternated runs).
 */
import { JSON_SCAN_WASM } from './json-scan-wasm.generated.js';

/** What is used of WebAssembly (the project's TS lib, ES2022 without DOM, does not declare it). */
interface WasmGlobal {
  readonly value: number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (mod: object, imports: object) => { readonly exports: object };
}

interface ScanExports {
  memory: { readonly buffer: ArrayBuffer };
  scan(off: number, len: number): number;
  OUT: WasmGlobal;
  M_START: WasmGlobal;
  V_START: WasmGlobal;
  V_END: WasmGlobal;
  AFTER: WasmGlobal;
  ROLE: WasmGlobal;
  DEEP: WasmGlobal;
  HEX: WasmGlobal;
  READ_ROLE: WasmGlobal;
  TIME: WasmGlobal;
  GATE: WasmGlobal;
  WORDS: WasmGlobal;
  MAX_WORDS: WasmGlobal;
  IN: WasmGlobal;
  IN_UNITS: WasmGlobal;
}

/** scan()'s answers besides a member count */
export const WASM_INVALID = -1;
export const WASM_TOO_DEEP = -2;
/** more members than the module records: the JS scan reads the line (it keeps role slots past the cap) */
export const WASM_TOO_MANY = -3;

/** Lines longer than this are left to the JS scan: a batch of long lines would fill the input area with a few. */
export const WASM_MAX_LINE = 16 * 1024;

/** The memory's current batch: the scanner whose batch it holds (commit()). */
interface ScanArea {
  holder: WasmJsonScan | undefined;
}

/**
 * The compiled module: made once per process, on first use (never on the hot path); and its shared
 * instance with the role table written, with the words, role function and read roles it was written
 * from (a scanner that asks for others gets an instance of its own).
 */
const compiled: {
  module?: object | null;
  shared?: {
    ex: ScanExports;
    area: ScanArea;
    words: readonly string[];
    roleOf: unknown;
    reads: string;
  };
} = {};

/** The compiled module; null where WebAssembly (or its SIMD) is not there. */
function scanModule(): object | null {
  if (compiled.module === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      compiled.module = api === undefined ? null : new api.Module(Buffer.from(JSON_SCAN_WASM, 'base64'));
    } catch {
      compiled.module = null;
    }
  }
  return compiled.module;
}

export class WasmJsonScan {
  readonly memberStart: Int32Array;
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  readonly valuesAfter: Int32Array;
  readonly role: Uint8Array;
  readonly deep: Uint8Array;
  /** per member whose role is in `hexRoles`: its string value's hex class (assembly/json-scan.ts HEX; 255: not read) */
  readonly hex: Uint8Array;
  /** per member whose role is in `timeRoles`: its number value's epoch ms (assembly/json-scan.ts TIME; -1: not read) */
  readonly time: Float64Array;
  /** the line scanned last: [0] 1 when it had a backslash or a tab/CR/LF (not CLEAN_LINE), [1] its longest string's span */
  readonly out: Int32Array;
  readonly scan: (off: number, len: number) => number;
  /** the instance's exports, for the module's other scans (logfmt-scan-wasm.ts) */
  readonly exports: object;
  readonly #bytes: Buffer;
  /** the instance's memory's current batch, shared with the other scanners of the instance */
  readonly #area: ScanArea;
  readonly #in: number;
  /** units the input area takes, the 0 after each line and 8 units of SIMD read-ahead counted */
  readonly #capacity: number;
  #pending = '';
  #units = 0;

  /**
   * The module with the role table written: `words` (json-record.ts ROLE_WORDS) and their roles
   * (roleOf()), so the module tells a key's role as keyRole() does. It reads as it scans the hex class
   * of the values of `hexRoles` (trace and span ids) and the epoch time of those of `timeRoles`
   * (roles below 64). Undefined when the module cannot be had or the tables do not fit it: the JS scan
   * does all then.
   */
  static create(
    words: readonly string[],
    roleOf: (s: string, ks: number, ke: number) => number,
    slots: number,
    hexRoles: readonly number[],
    timeRoles: readonly number[],
  ): WasmJsonScan | undefined {
    const mod = scanModule();
    if (mod === null) return undefined;
    const read = [...hexRoles, ...timeRoles];
    if (read.some((r) => r <= 0 || r >= 64)) return undefined;
    const reads = `${hexRoles.join(',')};${timeRoles.join(',')}`;
    const shared = compiled.shared;
    if (shared !== undefined && shared.words === words && shared.roleOf === roleOf && shared.reads === reads)
      return new WasmJsonScan(shared.ex, slots, shared.area);
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
    const ex = new api.Instance(mod, {}).exports as ScanExports;
    const buf = ex.memory.buffer;
    const readRole = new Uint8Array(buf, ex.READ_ROLE.value, 64);
    for (const r of hexRoles) readRole[r] = 1;
    for (const r of timeRoles) readRole[r] = 2;
    const gate = new Uint32Array(buf, ex.GATE.value, 4096);
    const table = new Uint16Array(buf, ex.WORDS.value, ex.MAX_WORDS.value * 32);
    const unique = [...new Set(words)]
      .filter((w) => w.length < 32 && w.charCodeAt(0) < 128)
      .map((w) => ({ w, slot: (w.length << 7) | w.charCodeAt(0) }))
      .sort((a, b) => a.slot - b.slot);
    if (unique.length > ex.MAX_WORDS.value) return undefined;
    unique.forEach(({ w, slot }, e) => {
      const g = gate[slot]!;
      gate[slot] = g === 0 ? (e << 8) | 1 : g + 1;
      table[e * 32] = roleOf(w, 0, w.length);
      for (let j = 0; j < w.length; j++) table[e * 32 + 1 + j] = w.charCodeAt(j);
    });
    const area: ScanArea = { holder: undefined };
    // the first words asked for (json-record.ts's, the only ones outside tests) are the shared ones
    compiled.shared ??= { ex, area, words, roleOf, reads };
    return new WasmJsonScan(ex, slots, area);
  }

  private constructor(ex: ScanExports, slots: number, area: ScanArea) {
    this.#area = area;
    const buf = ex.memory.buffer;
    this.memberStart = new Int32Array(buf, ex.M_START.value, slots);
    this.valueStart = new Int32Array(buf, ex.V_START.value, slots);
    this.valueEnd = new Int32Array(buf, ex.V_END.value, slots);
    this.valuesAfter = new Int32Array(buf, ex.AFTER.value, slots);
    this.role = new Uint8Array(buf, ex.ROLE.value, slots);
    this.deep = new Uint8Array(buf, ex.DEEP.value, slots);
    this.hex = new Uint8Array(buf, ex.HEX.value, slots);
    this.time = new Float64Array(buf, ex.TIME.value, slots);
    this.out = new Int32Array(buf, ex.OUT.value, 2);
    this.scan = ex.scan;
    this.exports = ex;
    this.#bytes = Buffer.from(buf);
    this.#in = ex.IN.value;
    this.#capacity = ex.IN_UNITS.value - 8;
  }

  /** Starts a batch: the lines added after this replace the last batch's. */
  begin(): void {
    this.#pending = '';
    this.#units = 0;
  }

  /** Adds s to the batch: its unit offset for scan(), or -1 when it is left to the JS scan (too long, the area full). */
  add(s: string): number {
    const at = this.#units;
    if (s.length > WASM_MAX_LINE || at + s.length + 1 > this.#capacity) return -1;
    this.#pending += `${s}\0`;
    this.#units = at + s.length + 1;
    return at;
  }

  /** Copies the batch's lines into the module's memory (one write). */
  commit(): void {
    if (this.#units > 0) this.#bytes.write(this.#pending, this.#in, 'utf16le');
    this.#pending = '';
    this.#area.holder = this;
  }

  /**
   * Does the memory still hold this scanner's batch (no other scanner of the instance committed one
   * since)? The offsets add() gave are good for scan() only then.
   */
  holds(): boolean {
    return this.#area.holder === this;
  }
}
