import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { errorOutcome } from './classify.js';
import { DEFAULTS } from './defaults.js';
import type { Outcome, Transport } from './types.js';

export interface StreamTlsOptions {
  /** extra CA (PEM), trusted on top of Node's roots and NODE_EXTRA_CA_CERTS */
  ca?: string;
  /** client certificate and key (PEM), for receivers that ask for one */
  cert?: string;
  key?: string;
}

export interface StreamTransportOptions {
  host: string;
  port: number;
  /** TLS settings; `false` = plain TCP, only when the user asked for it explicitly */
  tls: StreamTlsOptions | false;
  connectTimeoutMs?: number;
  /** a write the receiver does not take within this time fails the batch and drops the connection */
  writeTimeoutMs?: number;
  /**
   * Bytes of the latest writes kept per connection. TCP has no acknowledgement a receiver gives
   * after it stored a message: a receiver that closes the connection (a restart, a crash, a reset)
   * may have dropped what it read last. When the connection ends other than by our close(), the
   * writes of its last `resendWindowMs` are written again first on the next connection.
   * At-least-once: the receiver may see them twice.
   */
  resendBytes?: number;
  resendWindowMs?: number;
}

/** What a TLS failure means, by category; the drain turns it into a hint that names its variables. */
export type TlsProblem =
  | 'expired'
  | 'not_yet_valid'
  | 'host'
  | 'unknown_ca'
  | 'protocol'
  | 'not_tls'
  | 'client_cert'
  | 'other';

const TLS_PROBLEMS: Record<string, TlsProblem> = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not_yet_valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'host',
  HOSTNAME_MISMATCH: 'host',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown_ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown_ca',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown_ca',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown_ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown_ca',
  CERT_UNTRUSTED: 'unknown_ca',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'protocol',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'protocol',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'protocol',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not_tls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'not_tls',
  ERR_SSL_HTTP_REQUEST: 'not_tls',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'client_cert',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'client_cert',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'client_cert',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'client_cert',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'client_cert',
};

const TLS_PROBLEM_TEXT: Record<TlsProblem, string> = {
  expired: "the server's certificate has expired",
  not_yet_valid: "the server's certificate is not valid yet (check this host's clock)",
  host: "the server's certificate is not issued for the host name we connected to",
  unknown_ca: "the server's certificate is signed by a CA we do not trust (unknown CA)",
  protocol: 'the server does not offer TLS 1.2 or higher (protocol version refused)',
  not_tls: 'the server did not answer with TLS (is this a plain TCP port?)',
  client_cert: 'the server refused our client certificate (or wanted one and got none)',
  other: 'the TLS handshake failed',
};

/** The category of a TLS error code; undefined when the code is not a TLS failure. */
export function tlsProblem(code: string): TlsProblem | undefined {
  const known = TLS_PROBLEMS[code];
  if (known) return known;
  return /^(ERR_TLS_|ERR_SSL_|CERT_|ERR_OSSL)/.test(code) ? 'other' : undefined;
}

let extraCaCache: string | undefined;
/** NODE_EXTRA_CA_CERTS as Node read it at start: an explicit `ca` list replaces Node's store, so we add it back. */
function nodeExtraCa(): string {
  if (extraCaCache !== undefined) return extraCaCache;
  const file = process.env.NODE_EXTRA_CA_CERTS;
  try {
    extraCaCache = file ? readFileSync(file, 'utf8') : '';
  } catch {
    extraCaCache = ''; // Node itself warned at start
  }
  return extraCaCache;
}

/** One line: OpenSSL's `…:error:0A00042E:SSL routines:fn:tlsv1 alert protocol version:file:line…` → its reason. */
function opensslReason(err: NodeJS.ErrnoException): string {
  const text = err.message.replace(/\s+/g, ' ').trim();
  const reason = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(text)?.[1];
  return `${err.code}: ${reason ?? text}`;
}

function codedError(code: string, message: string, cause?: unknown): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message, cause === undefined ? undefined : { cause });
  err.code = code;
  return err;
}

const OK: Outcome = { kind: 'ok' };

/**
 * One TLS (or, when asked, plain TCP) connection to a stream receiver such as syslog. `send` makes
 * one attempt: it connects lazily (so the engine's retry is the reconnect backoff), writes the
 * payload and resolves ok only once the write was handed to the kernel. A connection that closes
 * or fails before that is an error outcome, so the engine sends the whole batch again; a
 * connection the receiver ends after writes succeeded has its latest writes resent (`resendBytes`).
 * Waiting for each write to complete is the back-pressure: a receiver that stops reading holds at
 * most one batch here, and a write that makes no progress within the timeout fails.
 */
export class StreamTransport implements Transport {
  readonly #opts: StreamTransportOptions;
  readonly #tlsOptions: tls.ConnectionOptions | undefined;
  #socket: net.Socket | undefined;
  /** the last error seen on the current socket (a reset, a broken pipe) */
  #socketError: NodeJS.ErrnoException | undefined;
  /** writes that completed on the current connection, newest last, at most `resendBytes` */
  #written: { data: Buffer; at: number }[] = [];
  #writtenBytes = 0;
  /** writes to repeat first on the next connection, because the last one was reset */
  #resend: Buffer[] = [];

  constructor(opts: StreamTransportOptions) {
    this.#opts = opts;
    if (opts.tls !== false) {
      const t = opts.tls;
      this.#tlsOptions = {
        host: opts.host,
        port: opts.port,
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
        // SNI is a host name; RFC 6066 forbids IP literals in it.
        ...(net.isIP(opts.host) === 0 ? { servername: opts.host } : {}),
        ...(t.ca ? { ca: [...tls.rootCertificates, nodeExtraCa(), t.ca].filter(Boolean) } : {}),
        ...(t.cert ? { cert: t.cert } : {}),
        ...(t.key ? { key: t.key } : {}),
      };
    }
  }

  async send(payload: Buffer, _batch: unknown, signal: AbortSignal): Promise<Outcome> {
    if (signal.aborted) return errorOutcome(codedError('ABORT_ERR', 'aborted at the flush deadline'));
    let socket = this.#socket;
    if (socket && (socket.destroyed || !socket.writable)) this.#release(socket);
    socket = this.#socket;
    if (!socket) {
      try {
        socket = await this.#connect(signal);
      } catch (err) {
        return errorOutcome(err);
      }
    }
    const resent = this.#resend;
    const data = resent.length > 0 ? Buffer.concat([...resent, payload]) : payload;
    const outcome = await this.#write(socket, data, signal);
    if (outcome.kind !== 'ok') return outcome;
    // The receiver ended the connection while we wrote: not confirmed, so the engine sends it again.
    if (this.#socket !== socket)
      return errorOutcome(
        this.#socketError ?? codedError('ECONNRESET', 'the receiver closed the connection during the write'),
      );
    if (this.#resend === resent) this.#resend = [];
    this.#remember(data);
    return outcome;
  }

  settle(ms: number): Promise<Outcome | undefined> {
    const socket = this.#socket;
    const closed = (): Outcome =>
      errorOutcome(
        codedError('EPEERCLOSED', 'the receiver closed the connection right after our first message'),
      );
    if (!socket || socket.destroyed) return Promise.resolve(closed());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.off('close', onClose);
        resolve(undefined);
      }, ms);
      const onClose = (): void => {
        clearTimeout(timer);
        resolve(closed());
      };
      socket.once('close', onClose);
    });
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 2000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      // A clean end (TLS close_notify, then FIN): the receiver reads everything before it.
      socket.end();
    });
  }

  #connect(signal: AbortSignal): Promise<net.Socket> {
    const { host, port } = this.#opts;
    const timeoutMs = this.#opts.connectTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const socket = this.#tlsOptions ? tls.connect(this.#tlsOptions) : net.connect({ host, port });
      const timer = setTimeout(
        () => fail(codedError('ETIMEDOUT', `no connection to ${host}:${port} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onAbort = (): void => fail(codedError('ABORT_ERR', 'aborted at the flush deadline'));
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.off('error', fail);
      };
      function fail(err: NodeJS.ErrnoException): void {
        cleanup();
        socket.destroy();
        const problem = err.code ? tlsProblem(err.code) : undefined;
        reject(
          problem ? codedError(err.code!, `${TLS_PROBLEM_TEXT[problem]} (${opensslReason(err)})`, err) : err,
        );
      }
      socket.once(this.#tlsOptions ? 'secureConnect' : 'connect', () => {
        cleanup();
        this.#adopt(socket);
        resolve(socket);
      });
      socket.once('error', fail);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The connection is ours until it fails or the receiver closes it; the next send then reconnects. */
  #adopt(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    this.#socket = socket;
    this.#socketError = undefined;
    this.#written = [];
    this.#writtenBytes = 0;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.#socket === socket) this.#socketError = err;
    });
    // Receivers do not talk back; reading is how we learn that they closed.
    socket.on('data', () => undefined);
    socket.once('end', () => this.#release(socket));
    socket.once('close', () => this.#release(socket));
  }

  /** Forgets a connection that ended (idempotent); its latest writes are queued for resending. */
  #release(socket: net.Socket): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    const since = Date.now() - (this.#opts.resendWindowMs ?? 2000);
    const recent = this.#written.filter((w) => w.at >= since).map((w) => w.data);
    if (recent.length > 0) this.#resend = recent;
    this.#written = [];
    this.#writtenBytes = 0;
  }

  #remember(data: Buffer): void {
    const max = this.#opts.resendBytes ?? 0;
    if (max <= 0) return;
    this.#written.push({ data, at: Date.now() });
    this.#writtenBytes += data.length;
    while (this.#writtenBytes > max && this.#written.length > 1)
      this.#writtenBytes -= this.#written.shift()!.data.length;
  }

  #write(socket: net.Socket, data: Buffer, signal: AbortSignal): Promise<Outcome> {
    const timeoutMs = this.#opts.writeTimeoutMs ?? DEFAULTS.requestTimeoutMs;
    return new Promise<Outcome>((resolve) => {
      let done = false;
      const finish = (outcome: Outcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.off('close', onClose);
        resolve(outcome);
      };
      const drop = (err: NodeJS.ErrnoException): void => {
        // Not confirmed as written: the engine resends the whole batch on a new connection.
        if (this.#socket === socket) this.#socketError ??= err;
        this.#release(socket);
        socket.destroy();
        finish(errorOutcome(err));
      };
      const onClose = (): void =>
        finish(
          errorOutcome(
            this.#socketError ??
              codedError('ECONNRESET', 'the receiver closed the connection before the batch was written'),
          ),
        );
      const onAbort = (): void => drop(codedError('ABORT_ERR', 'aborted at the flush deadline'));
      const timer = setTimeout(
        () =>
          drop(
            codedError(
              'ETIMEDOUT',
              `the receiver took no data for ${timeoutMs} ms (it stopped reading); reconnecting`,
            ),
          ),
        timeoutMs,
      );
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('close', onClose);
      socket.write(data, (err) => {
        if (err) finish(errorOutcome(this.#socketError ?? err));
        else finish(OK);
      });
    });
  }
}
