/**
 * Shared base of the loopback vendor receivers (test/receivers/<vendor>.ts).
 *
 * A receiver is the vendor's contract, not a mock: each subclass checks what the vendor checks and
 * answers a violation with the vendor's own status and error body. This file owns what every
 * vendor shares: a node:http server on 127.0.0.1 (port 0 by default), reading the body with a hard
 * cap, gzip/deflate decoding with a decompressed-size cap, a fault script (and a seeded chaos mode)
 * applied BEFORE validation, the request log, record accounting (kept or only counted, for the
 * bench blackhole), dedupe ids, event-driven waitFor(), and close().
 */
import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';

/** One scripted answer. Faults are consumed in order; each applies to `times` requests (default 1). */
export interface Fault {
  /** answer with this status instead of processing the request (vendor default body/headers unless given) */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /**
   * convenience: sets `Retry-After` (seconds, or an HTTP date string); a function is asked when the
   * answer is sent, for a date relative to that moment (not to when the test set the fault up,
   * which a slow start of the client can leave in the past)
   */
  retryAfter?: number | string | (() => string);
  /** destroy the connection (TCP RST where the platform allows) instead of answering */
  reset?: boolean;
  /**
   * hold the response this long before acting; `Infinity` holds it until the client gives up or
   * close() destroys the socket. With neither `status` nor `reset`, the request is then processed
   * normally (a slow but successful answer).
   */
  stallMs?: number;
  /**
   * hold the request until this settles, then act as scripted: a scripted `status` is then the
   * answer the vendor gave when the request arrived, whatever happened meanwhile (a request
   * overtaken by others). Release it on a condition (`waitFor(…)`), never on a timer.
   */
  until?: Promise<unknown>;
  /**
   * how many requests this fault applies to (default 1; Infinity = until setFaults()).
   * A fault with no status/reset/stallMs passes its requests through: `[{ times: 2 }, { status: 500 }]`
   * accepts two requests, then fails the third.
   */
  times?: number;
  /** only requests to this path consume the fault (default: every path) */
  path?: string;
}

export interface ChaosOptions {
  /** probability of a transient 5xx: 500 or 503 (picked 50/50), or the vendor's own pair (`transientStatuses`) */
  p5xx?: number;
  /** probability of a 429 with Retry-After */
  p429?: number;
  retryAfterS?: number;
  /** probability of a connection reset */
  pReset?: number;
  /** probability of a stall; stallMs defaults to Infinity (the client's timeout must fire) */
  pStall?: number;
  stallMs?: number;
  /** PRNG seed: the same seed gives the same fault sequence for the same request order */
  seed?: number;
}

export interface ReceiverOptions<TRecord> {
  faults?: Fault[];
  /** store accepted records and request bodies (default true); false = count only (bench blackhole) */
  keepRecords?: boolean;
  /** track the dedupe id of every accepted record in `ids` and count repeats in `duplicates` */
  trackIds?: boolean;
  /** override the vendor's default dedupe id (usually the canonical `seq`) */
  idOf?: (record: TRecord) => string | number | undefined;
  /** listen port on 127.0.0.1 (default 0 = any free port) */
  port?: number;
  /** serve HTTPS with this certificate; `ca` + `requestCert` demand a client certificate the CA signed (mTLS) */
  tls?: { cert: string; key: string; ca?: string; requestCert?: boolean };
  /** bytes read from a request before the rest is discarded and the request is "too large" (default 64 MiB) */
  maxReadBytes?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** name, value, name, value… as sent: shows a header sent twice, which `headers` folds */
  rawHeaders: string[];
  /** the body as sent (empty when keepRecords is false) */
  rawBody: Buffer;
  /** the body after Content-Encoding (empty until decoded, or when keepRecords is false) */
  body: Buffer;
  /** length of the body as sent, always set */
  rawBytes: number;
  /** what we answered; 0 while pending, stalled, reset or aborted */
  status: number;
  /**
   * epoch ms (the receiver's clock) when the request began to arrive (its headers): the closest
   * the server sees to when the client sent it, whatever the size of the body
   */
  startedAt: number;
  /** epoch ms (the receiver's clock) when the whole request had been read */
  receivedAt: number;
  /** epoch ms when it was answered, and the headers of that answer (Retry-After…); 0 and {} until then */
  answeredAt: number;
  answerHeaders: Record<string, string>;
  /** why the request was rejected or faulted (human readable) */
  error?: string;
  /** which fault answered it, if any */
  fault?: 'status' | 'reset' | 'stall';
  /** vendor details (e.g. Datadog token form) */
  info?: Record<string, unknown>;
}

/** What a vendor handler returns. `records` are accepted even when the status is not 2xx (Splunk). */
export interface Reply<TRecord> {
  status: number;
  /** text, or bytes for a binary answer (OTLP's protobuf) */
  body: string | Buffer;
  headers?: Record<string, string>;
  error?: string;
  records?: TRecord[];
  /** records accepted without being built (a bench receiver's count-only mode); added to recordCount */
  counted?: number;
  info?: Record<string, unknown>;
}

export type DecodeResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: 'unsupported' | 'too_large' | 'corrupt'; detail: string };

const EMPTY = Buffer.alloc(0);
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** mulberry32: tiny, fast, good enough for fault injection; deterministic per seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function zlibCall(
  fn: typeof gunzip,
  input: Buffer,
  opts: ZlibOptions,
): Promise<{ ok: true; body: Buffer } | { ok: false; err: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    fn(input, opts, (err, out) => resolve(err ? { ok: false, err } : { ok: true, body: out }));
  });
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(headers: IncomingHttpHeaders): string {
  const ct = headers['content-type'];
  if (!ct) return '';
  const semi = ct.indexOf(';');
  return (semi === -1 ? ct : ct.slice(0, semi)).trim().toLowerCase();
}

export abstract class HttpReceiver<TRecord> {
  /** http://127.0.0.1:PORT, set by start() */
  url = '';
  port = 0;
  /** accepted records in arrival order, exactly as parsed (empty when keepRecords is false) */
  readonly records: TRecord[] = [];
  /** accepted records, counted even when not kept */
  recordCount = 0;
  readonly requests: ReceivedRequest[] = [];
  /** requests answered with a 4xx for a contract violation (faults are not here) */
  readonly rejected: ReceivedRequest[] = [];
  /** dedupe ids of accepted records (when trackIds) */
  readonly ids = new Set<string | number>();
  /** accepted records whose id had already been accepted (when trackIds) */
  duplicates = 0;
  /** requests answered by a scripted fault or by chaos */
  faultCount = 0;

  /** vendor name used in messages */
  protected abstract readonly vendor: string;
  protected readonly keepRecords: boolean;
  readonly #trackIds: boolean;
  readonly #idOf: ((record: TRecord) => string | number | undefined) | undefined;
  readonly #port: number;
  readonly #tls: ReceiverOptions<TRecord>['tls'];
  readonly #maxReadBytes: number;
  #faults: Fault[] = [];
  #faultUses = 0;
  #chaos: { o: ChaosOptions; rand: () => number } | undefined;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #events = new EventEmitter();
  #closed = false;

  constructor(opts: ReceiverOptions<TRecord> = {}) {
    this.keepRecords = opts.keepRecords ?? true;
    this.#trackIds = opts.trackIds ?? false;
    this.#idOf = opts.idOf;
    this.#port = opts.port ?? 0;
    this.#tls = opts.tls;
    this.#maxReadBytes = opts.maxReadBytes ?? 64 * 1024 * 1024;
    this.setFaults(opts.faults ?? []);
    this.#events.setMaxListeners(0);
  }

  /** The vendor handler: validate and answer. Runs only for requests no fault answered. */
  protected abstract handle(req: ReceivedRequest, raw: Buffer, truncated: boolean): Promise<Reply<TRecord>>;

  /** The vendor's answer to a fault status when the fault gives no body/headers of its own. */
  protected faultReply(status: number): { body: string | Buffer; headers?: Record<string, string> } {
    return { body: JSON.stringify({ error: `injected fault ${status}` }) };
  }

  /** whether accepted records are looked at (kept, or their ids tracked): if not, a receiver may count them without building them */
  protected get recordsWanted(): boolean {
    return this.keepRecords || this.#trackIds;
  }

  /** the two statuses chaos answers as transient failures: a vendor whose clients retry other ones overrides them */
  protected readonly transientStatuses: readonly [number, number] = [500, 503];

  /** The default dedupe id of a record (the canonical seq, wherever the vendor mapping puts it). */
  protected defaultIdOf(_record: TRecord): string | number | undefined {
    return undefined;
  }

  async start(): Promise<this> {
    if (this.#server) return this;
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      this.#onRequest(req, res).catch((err: unknown) => {
        // a bug in a receiver must be loud, never a hung request
        if (!res.headersSent) {
          res.writeHead(500, JSON_HEADERS);
          res.end(JSON.stringify({ error: `receiver bug: ${String(err)}` }));
        }
      });
    };
    const tls = this.#tls;
    const server = tls
      ? createHttpsServer(
          {
            keepAliveTimeout: 5_000,
            cert: tls.cert,
            key: tls.key,
            ...(tls.ca ? { ca: tls.ca } : {}),
            requestCert: tls.requestCert ?? false,
            rejectUnauthorized: tls.requestCert ?? false,
          },
          onRequest,
        )
      : createServer({ keepAliveTimeout: 5_000 }, onRequest);
    server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
    return this;
  }

  /** Stops listening and destroys every connection, stalled ones included. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const server = this.#server;
    if (!server) return;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of this.#sockets) s.destroy();
    await done;
  }

  /** Replaces the fault script (pending uses of the old script are forgotten). */
  setFaults(faults: Fault[]): void {
    this.#faults = faults.slice();
    this.#faultUses = 0;
  }

  /** Random faults from a seeded PRNG, after the scripted ones; `chaos(undefined)` turns it off. */
  chaos(o: ChaosOptions | undefined): void {
    this.#chaos = o ? { o, rand: seededRandom(o.seed ?? 1) } : undefined;
  }

  /**
   * Resolves once `predicate()` is true, checked now and after every request arrives or is
   * answered (event-driven, no polling). Rejects after timeoutMs with the receiver's state.
   */
  waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`${this.vendor} receiver: waitFor timed out after ${timeoutMs} ms (${this.summary()})`),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#events.off('request', check);
        this.#events.off('handled', check);
      };
      this.#events.on('request', check);
      this.#events.on('handled', check);
    });
  }

  /** One line for test output: requests, statuses, records, duplicates. */
  summary(): string {
    const byStatus = new Map<number, number>();
    for (const r of this.requests) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const statuses = [...byStatus].map(([s, n]) => `${s}x${n}`).join(' ');
    return `requests=${this.requests.length} [${statuses}] records=${this.recordCount} rejected=${this.rejected.length} faults=${this.faultCount} duplicates=${this.duplicates}`;
  }

  /**
   * Decodes Content-Encoding (identity, gzip, deflate — zlib or raw) with the output capped at
   * maxDecodedBytes. Subclasses map the failure to their vendor's status and body.
   */
  protected async decode(
    req: ReceivedRequest,
    raw: Buffer,
    truncated: boolean,
    maxDecodedBytes: number,
    accept: readonly string[] = ['gzip', 'deflate'],
    /** the encoding to apply, when the vendor infers it from something else than Content-Encoding */
    encoding: string | undefined = req.headers['content-encoding'],
  ): Promise<DecodeResult> {
    const ce = (encoding ?? 'identity').trim().toLowerCase();
    if (truncated)
      return { ok: false, reason: 'too_large', detail: `body larger than ${this.#maxReadBytes} bytes` };
    let body: Buffer;
    if (ce === '' || ce === 'identity') {
      body = raw;
      if (body.length > maxDecodedBytes) {
        return { ok: false, reason: 'too_large', detail: `body ${body.length} bytes > ${maxDecodedBytes}` };
      }
    } else if (!accept.includes(ce) || (ce !== 'gzip' && ce !== 'deflate')) {
      return {
        ok: false,
        reason: 'unsupported',
        detail: `unsupported Content-Encoding ${JSON.stringify(ce)}`,
      };
    } else {
      const opts: ZlibOptions = { maxOutputLength: Math.max(1, maxDecodedBytes) };
      let r = await zlibCall(ce === 'gzip' ? gunzip : inflate, raw, opts);
      // "deflate" in HTTP means zlib-wrapped, but raw deflate is common in the wild
      if (!r.ok && ce === 'deflate' && r.err.code !== 'ERR_BUFFER_TOO_LARGE')
        r = await zlibCall(inflateRaw, raw, opts);
      if (!r.ok) {
        if (r.err.code === 'ERR_BUFFER_TOO_LARGE') {
          return { ok: false, reason: 'too_large', detail: `decoded body > ${maxDecodedBytes} bytes` };
        }
        return { ok: false, reason: 'corrupt', detail: `${ce} decoding failed: ${r.err.message}` };
      }
      body = r.body;
    }
    if (this.keepRecords) req.body = body;
    return { ok: true, body };
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      rawBody: EMPTY,
      body: EMPTY,
      rawBytes: 0,
      status: 0,
      startedAt: Date.now(),
      receivedAt: 0,
      answeredAt: 0,
      answerHeaders: {},
    };
    const read = await this.#readBody(req);
    entry.receivedAt = Date.now();
    entry.rawBytes = read.bytes;
    if (read.aborted) {
      entry.error = 'client aborted the request';
      this.requests.push(entry);
      this.#events.emit('handled');
      return;
    }
    if (this.keepRecords) entry.rawBody = read.raw;
    this.requests.push(entry);
    this.#events.emit('request');

    const fault = this.#nextFault(entry.path);
    if (fault && (fault.status !== undefined || fault.reset || (fault.stallMs ?? 0) > 0 || fault.until)) {
      this.faultCount++;
      if (fault.until) {
        await fault.until.then(
          () => undefined,
          () => undefined,
        );
        if (this.#closed || res.destroyed) return;
      }
      if (fault.stallMs !== undefined && fault.stallMs > 0) {
        entry.fault = 'stall';
        entry.error = `stalled ${fault.stallMs} ms`;
        if (!Number.isFinite(fault.stallMs)) return; // held until the client gives up or close()
        const stallMs = fault.stallMs;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.#timers.delete(t);
            resolve();
          }, stallMs);
          this.#timers.add(t);
        });
        if (this.#closed || res.destroyed) return;
      }
      if (fault.reset) {
        entry.fault = 'reset';
        entry.error = 'connection reset (fault)';
        const s = req.socket as Socket & { resetAndDestroy?: () => void };
        if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
        else s.destroy();
        this.#events.emit('handled');
        return;
      }
      if (fault.status !== undefined) {
        entry.fault = 'status';
        entry.error = `fault ${fault.status}`;
        const dflt =
          fault.body === undefined || fault.headers === undefined ? this.faultReply(fault.status) : undefined;
        const headers: Record<string, string> = { ...JSON_HEADERS, ...dflt?.headers, ...fault.headers };
        if (fault.retryAfter !== undefined)
          headers['retry-after'] =
            typeof fault.retryAfter === 'function' ? fault.retryAfter() : String(fault.retryAfter);
        this.#send(res, entry, fault.status, fault.body ?? dflt?.body ?? '', headers);
        return;
      }
    }

    const reply = await this.handle(entry, read.raw, read.truncated);
    if (reply.error !== undefined) entry.error = reply.error;
    if (reply.info !== undefined) entry.info = reply.info;
    if (reply.records && reply.records.length > 0) this.#accept(reply.records);
    if (reply.counted !== undefined) this.recordCount += reply.counted;
    if (reply.status >= 400 && reply.status < 500) this.rejected.push(entry);
    this.#send(res, entry, reply.status, reply.body, { ...JSON_HEADERS, ...reply.headers });
  }

  #send(
    res: ServerResponse,
    entry: ReceivedRequest,
    status: number,
    body: string | Buffer,
    headers: Record<string, string>,
  ) {
    entry.status = status;
    entry.answeredAt = Date.now();
    entry.answerHeaders = headers;
    if (!res.destroyed) {
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      headers['content-length'] = String(buf.length);
      res.writeHead(status, headers);
      res.end(buf);
    }
    this.#events.emit('handled');
  }

  #accept(records: TRecord[]): void {
    this.recordCount += records.length;
    if (this.keepRecords) for (const r of records) this.records.push(r);
    if (this.#trackIds) {
      const idOf = this.#idOf ?? ((r: TRecord) => this.defaultIdOf(r));
      for (const r of records) {
        const id = idOf(r);
        if (id === undefined) continue;
        if (this.ids.has(id)) this.duplicates++;
        else this.ids.add(id);
      }
    }
  }

  #nextFault(path: string): Fault | undefined {
    while (this.#faults.length > 0) {
      const f = this.#faults[0]!;
      if (f.path !== undefined && f.path !== path) break;
      const times = f.times ?? 1;
      if (this.#faultUses < times) {
        this.#faultUses++;
        if (this.#faultUses >= times) {
          this.#faults.shift();
          this.#faultUses = 0;
        }
        return f;
      }
      this.#faults.shift();
      this.#faultUses = 0;
    }
    const c = this.#chaos;
    if (!c) return undefined;
    const r = c.rand();
    let edge = c.o.p5xx ?? 0;
    if (r < edge) return { status: this.transientStatuses[c.rand() < 0.5 ? 0 : 1] };
    if (r < (edge += c.o.p429 ?? 0)) return { status: 429, retryAfter: c.o.retryAfterS ?? 1 };
    if (r < (edge += c.o.pReset ?? 0)) return { reset: true };
    if (r < (edge += c.o.pStall ?? 0)) return { stallMs: c.o.stallMs ?? Number.POSITIVE_INFINITY };
    return undefined;
  }

  #readBody(
    req: IncomingMessage,
  ): Promise<{ raw: Buffer; bytes: number; truncated: boolean; aborted: boolean }> {
    const max = this.#maxReadBytes;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > max) truncated = true;
        else chunks.push(c);
      });
      req.on('end', () => {
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        resolve({ raw: truncated ? EMPTY : raw, bytes, truncated, aborted: false });
      });
      // a client that goes away mid-body: 'close' without 'end' (the promise settles once)
      req.on('close', () => resolve({ raw: EMPTY, bytes, truncated, aborted: true }));
      req.on('error', () => resolve({ raw: EMPTY, bytes, truncated, aborted: true }));
    });
  }
}

/** Header value as a single string (first of a repeated header). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Plain object (not array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
