/**
 * Container log file formats, one framed line at a time:
 * - CRI (kubelet, containerd, CRI-O): `<RFC3339Nano time> <stdout|stderr> <P|F>[:tags] <log>`; `P` is a
 *   piece of a longer line (the runtime splits at 16 KiB), `F` the last (or only) piece.
 * - docker json-file: `{"log":"…\n","stream":"stderr","time":"…"}`; a `log` without the trailing "\n" is
 *   a piece (dockerd splits at 16 KiB).
 * The stream and the time come from the record. Pieces are joined per (file, stream) by PartialJoiner,
 * capped at max_line_bytes with the usual `…[truncated N bytes]` marker.
 *
 * CRI decoding is charCode checks on the Buffer: no regex and no string of the body per line.
 */
import { utf8Boundary } from './framer.js';

export type ContainerFormat = 'plain' | 'cri' | 'docker-json';
export type TailFormat = ContainerFormat | 'auto';
export const TAIL_FORMATS: readonly TailFormat[] = ['plain', 'cri', 'docker-json', 'auto'];

/** The --format setting of tail and pipe: `docker` is docker json-file. */
export function inputFormat(value: string | undefined): TailFormat {
  if (value === 'docker') return 'docker-json';
  return (value as TailFormat | undefined) ?? 'auto';
}

/** One decoded record, reused from line to line (filled in by the parse functions). */
export class ContainerRecord {
  stream = 'stdout';
  partial = false;
  /** epoch ms from the record's own time */
  timeMs = 0;
  body: Buffer = EMPTY;
}

const EMPTY = Buffer.alloc(0);
const SP = 0x20;
const LF = 0x0a;
const CR = 0x0d;

/**
 * CRI: fills `out` and returns true, or returns false when the line is not a CRI record.
 * The body is a view into `line`.
 */
export function parseCri(line: Buffer, out: ContainerRecord): boolean {
  const sp1 = line.indexOf(SP);
  // shortest time: 2006-01-02T15:04:05Z (20 bytes)
  if (sp1 < 20) return false;
  const s = sp1 + 1;
  // "stdout P" / "stderr F" at least
  if (line.length < s + 8 || line[s + 6] !== SP) return false;
  if (line[s] !== 0x73 || line[s + 1] !== 0x74 || line[s + 2] !== 0x64) return false; // "std"
  let stream: string;
  const a = line[s + 3];
  if (a === 0x6f && line[s + 4] === 0x75 && line[s + 5] === 0x74) stream = 'stdout';
  else if (a === 0x65 && line[s + 4] === 0x72 && line[s + 5] === 0x72) stream = 'stderr';
  else return false;
  const tag = line[s + 7];
  if (tag !== 0x50 && tag !== 0x46) return false; // P or F
  // tags may carry more (":"-separated): skip to the space before the log
  let sp3 = s + 8;
  if (sp3 < line.length && line[sp3] !== SP) {
    sp3 = line.indexOf(SP, sp3);
    if (sp3 === -1) sp3 = line.length;
  }
  const t = parseTime(line.toString('latin1', 0, sp1));
  if (Number.isNaN(t)) return false;
  out.stream = stream;
  out.partial = tag === 0x50;
  out.timeMs = t;
  out.body = sp3 + 1 <= line.length ? line.subarray(sp3 + 1) : EMPTY;
  return true;
}

/** docker json-file: fills `out` and returns true, or false when the line is not such a record. */
export function parseDockerJson(line: Buffer, out: ContainerRecord): boolean {
  if (line[0] !== 0x7b) return false; // {
  let rec: { log?: unknown; stream?: unknown; time?: unknown };
  try {
    rec = JSON.parse(line.toString('utf8')) as typeof rec;
  } catch {
    return false;
  }
  if (rec === null || typeof rec.log !== 'string') return false;
  let log = rec.log;
  const partial = log.length === 0 || log.charCodeAt(log.length - 1) !== LF;
  if (!partial) log = log.slice(0, log.charCodeAt(log.length - 2) === CR ? -2 : -1);
  const t = typeof rec.time === 'string' ? parseTime(rec.time) : Number.NaN;
  out.stream = rec.stream === 'stderr' ? 'stderr' : 'stdout';
  out.partial = partial;
  out.timeMs = t;
  out.body = log.length === 0 ? EMPTY : Buffer.from(log, 'utf8');
  return true;
}

/**
 * auto: the format of one line. A docker json-file record opens with its `log` key (`{"log":`, as
 * dockerd writes it), so other JSON lines (pino, bunyan, …) are never parsed here; a CRI record is
 * `<time> <stdout|stderr> <P|F>`, rejected within its first bytes otherwise. `scratch` receives the
 * CRI fields (the caller's reused record).
 */
export function detectFormat(
  line: Buffer,
  scratch: ContainerRecord = new ContainerRecord(),
): ContainerFormat {
  if (line[0] === 0x7b) {
    return line[1] === 0x22 && line[2] === 0x6c && line[3] === 0x6f && line[4] === 0x67 && line[5] === 0x22
      ? 'docker-json'
      : 'plain';
  }
  if (line[0]! >= 0x30 && line[0]! <= 0x39 && parseCri(line, scratch)) return 'cri';
  return 'plain';
}

/**
 * Whether detectFormat could take `chunk[start, end)` (a non-empty line) for a record: `{"log"` or
 * what parseCri checks before it reads the time. false: the line is plain, decided from the chunk
 * without a view of the line (a digit-led plain line, `2024-05-14T09:21:07Z INFO …`, is turned
 * down at the stream's place).
 */
export function mayBeRecord(chunk: Buffer, start: number, end: number): boolean {
  const c0 = chunk[start]!;
  if (c0 === 0x7b)
    return (
      end - start >= 6 &&
      chunk[start + 1] === 0x22 &&
      chunk[start + 2] === 0x6c &&
      chunk[start + 3] === 0x6f &&
      chunk[start + 4] === 0x67 &&
      chunk[start + 5] === 0x22
    );
  if (c0 < 0x30 || c0 > 0x39) return false;
  let sp = start;
  while (sp < end && chunk[sp] !== SP) sp++;
  if (sp - start < 20) return false;
  const s = sp + 1;
  if (end < s + 8 || chunk[s + 6] !== SP) return false;
  if (chunk[s] !== 0x73 || chunk[s + 1] !== 0x74 || chunk[s + 2] !== 0x64) return false;
  const a = chunk[s + 3];
  const out = a === 0x6f && chunk[s + 4] === 0x75 && chunk[s + 5] === 0x74;
  const err = a === 0x65 && chunk[s + 4] === 0x72 && chunk[s + 5] === 0x72;
  if (!out && !err) return false;
  const tag = chunk[s + 7];
  return tag === 0x50 || tag === 0x46;
}

/**
 * RFC 3339 with any number of fractional digits (Go's RFC3339Nano), `Z` or `±hh:mm`, to epoch ms.
 * No cache of the last text: runtimes write nanoseconds, so consecutive records almost never repeat it.
 */
export function parseTime(text: string): number {
  const n = text.length;
  if (n < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58)
    return Number.NaN;
  const T = text.charCodeAt(10);
  if (T !== 84 && T !== 116 && T !== 32) return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const min = digits(text, 14, 2);
  const sec = digits(text, 17, 2);
  if (year < 0 || month < 1 || day < 1 || hour < 0 || min < 0 || sec < 0) return Number.NaN;
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    i++;
    let scale = 100;
    while (i < n) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
      i++;
    }
    ms = Math.floor(ms);
  }
  let offsetMin = 0;
  const z = text.charCodeAt(i);
  if (z === 90 || z === 122) i++;
  else if ((z === 43 || z === 45) && i + 6 === n && text.charCodeAt(i + 3) === 58) {
    const oh = digits(text, i + 1, 2);
    const om = digits(text, i + 4, 2);
    if (oh < 0 || om < 0) return Number.NaN;
    offsetMin = (z === 43 ? 1 : -1) * (oh * 60 + om);
    i += 6;
  } else return Number.NaN;
  if (i !== n) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, min, sec, ms) - offsetMin * 60_000;
}

function digits(text: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Joins the pieces of one (file, stream) into whole lines, keeping at most `maxBytes` (cut at a UTF-8
 * boundary; the rest is counted for the truncation marker). A whole line with nothing pending goes
 * straight through without a copy; pending pieces are copied (only up to the cap), so a piece never
 * pins the chunk it came in.
 */
export class PartialJoiner {
  readonly #maxBytes: number;
  readonly #emit: (bytes: Buffer, droppedBytes: number, timeMs: number) => void;
  #parts: Buffer[] = [];
  #length = 0;
  #dropped = 0;
  #timeMs = 0;

  constructor(maxBytes: number, emit: (bytes: Buffer, droppedBytes: number, timeMs: number) => void) {
    this.#maxBytes = maxBytes;
    this.#emit = emit;
  }

  get pending(): boolean {
    return this.#parts.length > 0 || this.#dropped > 0;
  }

  /** One record's body; `dropped` counts bytes already cut from it (a framed line over the cap). */
  push(body: Buffer, partial: boolean, timeMs: number, dropped: number): void {
    if (!this.pending) {
      if (!partial) {
        if (body.length > this.#maxBytes) {
          const cut = utf8Boundary(body, 0, this.#maxBytes);
          this.#emit(body.subarray(0, cut), dropped + body.length - cut, timeMs);
        } else this.#emit(body, dropped, timeMs);
        return;
      }
      // the line's time is the time of its first piece
      this.#timeMs = timeMs;
    }
    const room = this.#maxBytes - this.#length;
    // once a line is cut, the rest of it is only counted
    if (room <= 0 || this.#dropped > 0) this.#dropped += body.length;
    else if (body.length <= room) this.#add(body);
    else {
      const cut = utf8Boundary(body, 0, room);
      this.#add(body.subarray(0, cut));
      this.#dropped += body.length - cut;
    }
    this.#dropped += dropped;
    if (!partial) this.flush();
  }

  /** End of the file (or of the run): a line still in pieces is shipped as it is. */
  flush(): void {
    if (!this.pending) return;
    const bytes = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#length);
    const dropped = this.#dropped;
    this.#parts = [];
    this.#length = 0;
    this.#dropped = 0;
    this.#emit(bytes, dropped, this.#timeMs);
  }

  #add(piece: Buffer): void {
    if (piece.length === 0) {
      // an empty piece still opens the line
      if (this.#parts.length === 0) this.#parts.push(EMPTY);
      return;
    }
    this.#parts.push(Buffer.from(piece));
    this.#length += piece.length;
  }
}
