import { gzipSync } from 'node:zlib';
import { DEFAULTS } from './defaults.js';
import { HttpTransport, type HttpTransportOptions } from './http-transport.js';
import type { Batch, Outcome, Transport } from './types.js';

/**
 * HTTP for a drain whose body is its typed payload (`spec.payload`: a protobuf message, Loki's
 * grouped streams), not framed records: the sender hands the payload over uncompressed, and this
 * compresses it at the engine's level (when `gzip`) and sends it in one attempt.
 */
export class PayloadHttpTransport implements Transport<Buffer> {
  readonly #http: HttpTransport;
  readonly #gzip: boolean;

  constructor(opts: HttpTransportOptions) {
    this.#gzip = opts.gzip;
    // the flag also sets Content-Encoding on the request
    this.#http = new HttpTransport(opts);
  }

  send(payload: Buffer, batch: Batch, signal: AbortSignal): Promise<Outcome> {
    const body = this.#gzip ? gzipSync(payload, { level: DEFAULTS.gzipLevel }) : payload;
    return this.#http.send(body, batch, signal);
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
