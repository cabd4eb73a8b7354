import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Pool } from 'undici';
import { errorOutcome } from './classify.js';
import { DEFAULTS } from './defaults.js';
import type { HttpRequestParts, Outcome, Transport } from './types.js';

export interface HttpTransportOptions {
  request: (payload: Buffer, gzip: boolean) => HttpRequestParts;
  gzip: boolean;
  connections: number;
  timeoutMs?: number;
  /** extra CA (PEM file) trusted on top of Node's store, for private endpoints */
  caFile?: string;
  /** a client certificate and its key (PEM files), for endpoints that demand one (mTLS) */
  clientCertFile?: string;
  clientKeyFile?: string;
  /** false only where a drain explicitly allows it (Splunk), with a warning at start */
  rejectUnauthorized?: boolean;
  /** bytes of an answer kept for classify (default DEFAULTS.responseBodyLimit): more for per-record answers */
  responseBodyLimit?: number;
  /** `latin1` keeps a binary answer (protobuf) byte for byte in the outcome's text; default utf8 */
  responseEncoding?: 'utf8' | 'latin1';
}

type UndiciClient = typeof import('./undici-client.js');
let undiciLoading: Promise<UndiciClient> | undefined;
/**
 * undici's client parts (undici-client.ts), loaded once, when the first batch is sent: an app that
 * writes nothing (and no lifecycle event is due yet) never loads them.
 */
function loadUndici(): Promise<UndiciClient> {
  undiciLoading ??= import('./undici-client.js');
  return undiciLoading;
}

/**
 * Loads the HTTP client now, for a pipeline that has an HTTP drain: before the run-time V8 flags
 * are set (pipeline-host.ts), so that it and the node built-ins it needs (http, http2, …) are
 * compiled under start-up's flags, from node's own code cache and ours. Its WebAssembly parser is
 * compiled only at the first connection, after the flags (`--liftoff-only`).
 */
export async function loadHttpClient(): Promise<void> {
  await loadUndici();
}

/**
 * One keep-alive undici Pool per drain origin; `send` makes exactly one attempt and turns every
 * failure into an Outcome (core decides about retries).
 */
export class HttpTransport implements Transport {
  readonly #opts: HttpTransportOptions;
  readonly #pools = new Map<string, Pool>();

  constructor(opts: HttpTransportOptions) {
    this.#opts = opts;
  }

  async send(payload: Buffer, _batch: unknown, signal: AbortSignal): Promise<Outcome> {
    const parts = this.#opts.request(payload, this.#opts.gzip);
    const url = new URL(parts.url);
    const headers: Record<string, string> = { ...parts.headers, 'content-length': String(payload.length) };
    if (this.#opts.gzip) headers['content-encoding'] = 'gzip';
    const timeout = this.#opts.timeoutMs ?? DEFAULTS.requestTimeoutMs;
    try {
      const undici = await loadUndici();
      const res = await undici.request.call(this.#pool(url.origin, undici), {
        path: url.pathname + url.search,
        method: parts.method ?? 'POST',
        headers,
        body: payload,
        signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const body = await readCapped(
        res.body,
        this.#opts.responseBodyLimit ?? DEFAULTS.responseBodyLimit,
        this.#opts.responseEncoding,
      );
      return { kind: 'http', status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      return errorOutcome(err);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.#pools.clear();
  }

  #pool(origin: string, { Pool }: UndiciClient): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      const ca = this.#opts.caFile ? readFileSync(this.#opts.caFile, 'utf8') : undefined;
      pool = new Pool(origin, {
        connections: this.#opts.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: {
          rejectUnauthorized: this.#opts.rejectUnauthorized ?? true,
          ...(this.#opts.clientCertFile && this.#opts.clientKeyFile
            ? {
                cert: readFileSync(this.#opts.clientCertFile, 'utf8'),
                key: readFileSync(this.#opts.clientKeyFile, 'utf8'),
              }
            : {}),
          ...(ca ? { ca: [...tlsRootCertificates(), ca] } : {}),
        },
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }
}

/** Adding a CA must not replace the public roots (a proxy may sit in front of a public endpoint). */
function tlsRootCertificates(): readonly string[] {
  return rootCertificates;
}

async function readCapped(
  body: AsyncIterable<Buffer>,
  limit: number,
  encoding: 'utf8' | 'latin1' = 'utf8',
): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) {
      parts.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    }
  }
  return Buffer.concat(parts).toString(encoding);
}
