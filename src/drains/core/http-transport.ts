import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { DEFAULTS } from './defaults.js';
import type { Batch, HttpRequestParts, Outcome, Transport } from './types.js';

export interface HttpTransportOptions {
  request: (payload: Buffer, gzip: boolean) => HttpRequestParts;
  gzip: boolean;
  connections: number;
  timeoutMs?: number;
  /** extra CA (PEM file) trusted on top of Node's store, for private endpoints */
  caFile?: string;
  /** false only where a drain explicitly allows it (Splunk), with a warning at start */
  rejectUnauthorized?: boolean;
}

/** How long an idle keep-alive connection is kept open for the next batch. */
const KEEP_ALIVE_MS = 30_000;

/**
 * One keep-alive agent (node:http / node:https) per drain origin, at most `connections` requests
 * at once; `send` makes exactly one attempt and turns every failure into an Outcome (core decides
 * about retries). Node's own client rather than undici: loading undici costs the pipeline thread
 * ~15 MB of memory for nothing a batch POST needs (measured: +18 MB RSS against +3 MB).
 */
export class HttpTransport implements Transport {
  readonly #opts: HttpTransportOptions;
  readonly #agents = new Map<string, HttpAgent>();

  constructor(opts: HttpTransportOptions) {
    this.#opts = opts;
  }

  async send(_batch: Batch, payload: Buffer, signal: AbortSignal): Promise<Outcome> {
    const parts = this.#opts.request(payload, this.#opts.gzip);
    const timeout = this.#opts.timeoutMs ?? DEFAULTS.requestTimeoutMs;
    try {
      const url = new URL(parts.url);
      const headers: Record<string, string> = {
        ...parts.headers,
        'content-length': String(payload.length),
      };
      if (this.#opts.gzip) headers['content-encoding'] = 'gzip';
      const res = await this.#request(url, parts.method ?? 'POST', headers, payload, signal, timeout);
      const body = await readCapped(res, DEFAULTS.responseBodyLimit);
      return { kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const code = typeof e.code === 'string' ? tlsCodeOf(e.code, e.message) : e.name || 'ERROR';
      return { kind: 'error', error: e, code };
    }
  }

  async close(): Promise<void> {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  /**
   * One request; resolves with the response once its headers are in. An abort of `signal` ends it
   * with the signal's reason; `timeoutMs` without a byte either way ends it as ETIMEDOUT.
   */
  #request(
    url: URL,
    method: string,
    headers: Record<string, string>,
    payload: Buffer,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<IncomingMessage> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const https = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      // Credentials in the URL are not sent (as before, with undici's pool per origin).
      const req = (https ? httpsRequest : httpRequest)({
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        agent: this.#agent(url.origin, https),
      });
      const onAbort = (): void => {
        req.destroy(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => signal.removeEventListener('abort', onAbort);
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          Object.assign(new Error(`no answer for ${timeoutMs} ms`), { code: 'ETIMEDOUT' }) as Error,
        ),
      );
      req.once('response', (res) => {
        // the body's own errors (reset mid-body, abort) are read by readCapped
        res.once('close', settle);
        resolve(res);
      });
      req.once('error', (err) => {
        settle();
        reject(err);
      });
      req.end(payload);
    });
  }

  #agent(origin: string, https: boolean): HttpAgent {
    let agent = this.#agents.get(origin);
    if (!agent) {
      const common = {
        keepAlive: true,
        maxSockets: this.#opts.connections,
        maxFreeSockets: this.#opts.connections,
        timeout: KEEP_ALIVE_MS,
      };
      if (https) {
        const ca = this.#opts.caFile ? readFileSync(this.#opts.caFile, 'utf8') : undefined;
        agent = new HttpsAgent({
          ...common,
          rejectUnauthorized: this.#opts.rejectUnauthorized ?? true,
          ...(ca ? { ca: [...tlsRootCertificates(), ca] } : {}),
        });
      } else agent = new HttpAgent(common);
      this.#agents.set(origin, agent);
    }
    return agent;
  }
}

/**
 * Node's client writes the request before the TLS handshake is done, so a handshake the server
 * refuses can surface as the write's EPROTO carrying OpenSSL's text. Named as the TLS socket
 * names it (`ERR_SSL_` + the reason), so that it is classified as the TLS failure it is.
 */
function tlsCodeOf(code: string, message: string): string {
  if (code !== 'EPROTO') return code;
  const reason = /:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):/.exec(message)?.[1];
  return reason ? `ERR_SSL_${reason.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}` : code;
}

/** Adding a CA must not replace the public roots (a proxy may sit in front of a public endpoint). */
function tlsRootCertificates(): readonly string[] {
  return rootCertificates;
}

async function readCapped(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) {
      parts.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    }
  }
  return Buffer.concat(parts).toString('utf8');
}
