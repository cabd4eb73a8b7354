/**
 * The WebAssembly logfmt pair scan (assembly/logfmt-scan.ts), in the module of the JSON scan
 * (json-scan-wasm.ts): LogfmtReader's fast path for the logfmt lines of a reading batch, copied into
 * the module's memory with the batch's JSON lines (one write for both). Its results (pairs' positions,
 * quoted flags, keys' roles, the times it reads) sit in the module's memory, where LogfmtReader's
 * arrays view them.
 */
import type { WasmJsonScan } from './json-scan-wasm.js';

interface WasmGlobal {
  readonly value: number;
}

interface LogfmtExports {
  memory: { readonly buffer: ArrayBuffer };
  logfmtScan(off: number, len: number): number;
  logfmtFields(off: number, pairs: number): number;
  LF_KEY_START: WasmGlobal;
  LF_KEY_END: WasmGlobal;
  LF_VALUE_START: WasmGlobal;
  LF_VALUE_END: WasmGlobal;
  LF_QUOTED: WasmGlobal;
  LF_ROLE: WasmGlobal;
  LF_OMIT: WasmGlobal;
  LF_MAY_HOLD_IDS: WasmGlobal;
  LF_TIME: WasmGlobal;
  LF_TIME_ROLES: WasmGlobal;
  LF_END: WasmGlobal;
  LF_FIELDS: WasmGlobal;
  IN: WasmGlobal;
}

/** logfmtScan()'s answers besides a pair count: not logfmt as LogfmtReader.read() takes it */
export const WASM_NOT_LOGFMT = -1;
/** a value opens with `'` (structlog's repr): LogfmtReader reads the line itself */
export const WASM_SINGLE_QUOTED = -2;

/**
 * Buffer's own Latin-1 decoder, the one toString('latin1', start, end) ends in (a Buffer method in
 * every Node version, not in its typings): called directly, without toString()'s argument checks
 * and encoding lookup, one call per logfmt line.
 */
interface Latin1Decoder {
  latin1Slice(start: number, end: number): string;
}

export class WasmLogfmtScan {
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  readonly quoted: Uint8Array;
  readonly role: Uint8Array;
  /**
   * per pair whose key's role is one of of()'s `timeRoles`: its value's epoch ms where the module
   * reads it as time.ts textTime() does (an RFC 3339 time with its zone), NaN where the JS side reads it
   */
  readonly time: Float64Array;
  /** [0]: 0 when the line scan() read last holds no trace id form (trace-ids.ts mayHoldIds() over all of it) */
  readonly mayHoldIds: Int32Array;
  /** written by the caller before fields(): 1 for a pair left out of the fields */
  readonly omit: Uint8Array;
  /** Pairs of the line at unit offset `off` (what WasmJsonScan.add() returned) of `len` units, or a WASM_* answer. */
  readonly scan: (off: number, len: number) => number;
  /**
   * The fields' JSON text of the line scan() read last (at `off`, `pairs` recorded), the pairs marked
   * in `omit` left out, as one string; undefined when the JS side builds it (a value JSON escapes, a
   * character over 255: logfmtFields()).
   */
  fields(off: number, pairs: number): string | undefined {
    const n = this.#fields(off, pairs);
    return n < 0 ? undefined : this.#bytes.latin1Slice(this.#out, this.#out + n);
  }
  readonly #fields: (off: number, pairs: number) => number;
  readonly #bytes: Latin1Decoder;
  readonly #out: number;

  /**
   * The logfmt scan of `json`'s module, reading the values of the keys of `timeRoles` (roles below
   * 64) as times; undefined when that module has none (its areas would not fit).
   */
  static of(json: WasmJsonScan, slots: number, timeRoles: readonly number[]): WasmLogfmtScan | undefined {
    const ex = json.exports as Partial<LogfmtExports>;
    if (ex.logfmtScan === undefined || ex.LF_END === undefined || ex.IN === undefined) return undefined;
    if (
      ex.LF_END.value > ex.IN.value ||
      ex.LF_FIELDS === undefined ||
      ex.logfmtFields === undefined ||
      ex.LF_MAY_HOLD_IDS === undefined ||
      ex.LF_TIME_ROLES === undefined ||
      timeRoles.some((r) => r <= 0 || r >= 64)
    )
      return undefined;
    return new WasmLogfmtScan(ex as LogfmtExports, slots, timeRoles, json);
  }

  /** Does the memory still hold the batch of the JSON scan whose lines this reads (WasmJsonScan.holds())? */
  holds(): boolean {
    return this.#json.holds();
  }
  readonly #json: WasmJsonScan;

  private constructor(ex: LogfmtExports, slots: number, timeRoles: readonly number[], json: WasmJsonScan) {
    this.#json = json;
    const buf = ex.memory.buffer;
    const readTime = new Uint8Array(buf, ex.LF_TIME_ROLES.value, 64);
    for (const r of timeRoles) readTime[r] = 1;
    this.time = new Float64Array(buf, ex.LF_TIME.value, slots);
    this.keyStart = new Int32Array(buf, ex.LF_KEY_START.value, slots);
    this.keyEnd = new Int32Array(buf, ex.LF_KEY_END.value, slots);
    this.valueStart = new Int32Array(buf, ex.LF_VALUE_START.value, slots);
    this.valueEnd = new Int32Array(buf, ex.LF_VALUE_END.value, slots);
    this.quoted = new Uint8Array(buf, ex.LF_QUOTED.value, slots);
    this.role = new Uint8Array(buf, ex.LF_ROLE.value, slots);
    this.omit = new Uint8Array(buf, ex.LF_OMIT.value, slots);
    this.mayHoldIds = new Int32Array(buf, ex.LF_MAY_HOLD_IDS.value, 1);
    this.scan = ex.logfmtScan;
    this.#fields = ex.logfmtFields;
    const bytes = Buffer.from(buf);
    const direct = bytes as unknown as Partial<Latin1Decoder>;
    this.#bytes =
      typeof direct.latin1Slice === 'function'
        ? (direct as Latin1Decoder)
        : { latin1Slice: (start, end) => bytes.toString('latin1', start, end) };
    this.#out = ex.LF_FIELDS.value;
  }
}
