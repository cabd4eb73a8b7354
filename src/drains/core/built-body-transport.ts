import { gzipSync } from 'node:zlib';
import { DEFAULTS } from './defaults.js';
import { HttpTransport, type HttpTransportOptions } from './http-transport.js';
import type { Batch, Outcome, Transport } from './types.js';

export interface BuiltBodyOptions extends Omit<HttpTransportOptions, 'gzip'> {
  /** the request body, built from the batch's events and records (a protobuf message, grouped streams) */
  build: (batch: Batch) => Buffer;
  gzip: boolean;
}

/**
 * An HTTP transport for a body that is not the records joined by a separator: one that nests
 * them by length (protobuf) or groups them (Loki's streams). The spec frames its records as
 * nothing (`frame: () => ''`, so core builds no text body), and this builds the real body once
 * per attempt from the batch, compresses it at the engine's level, and sends it.
 */
export class BuiltBodyTransport implements Transport {
  readonly #http: HttpTransport;
  readonly #build: (batch: Batch) => Buffer;
  readonly #gzip: boolean;

  constructor(opts: BuiltBodyOptions) {
    const { build, gzip, ...http } = opts;
    this.#build = build;
    this.#gzip = gzip;
    // core sets content-encoding from this flag; the body it is given is already compressed here
    this.#http = new HttpTransport({ ...http, gzip });
  }

  send(batch: Batch, _framed: Buffer, signal: AbortSignal): Promise<Outcome> {
    const raw = this.#build(batch);
    const body = this.#gzip ? gzipSync(raw, { level: DEFAULTS.gzipLevel }) : raw;
    return this.#http.send(batch, body, signal);
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
