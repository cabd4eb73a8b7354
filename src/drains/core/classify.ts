import { parseRetryAfter } from './retry.js';
import type { Outcome, Verdict } from './types.js';

/** Network errors worth another attempt (undici's list, plus timeouts). */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** TLS failures are configuration problems: retrying will not fix a wrong CA or host name. */
const TLS_CODES = /^(ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_SSL_|HOSTNAME_MISMATCH|ERR_OSSL)/;

/**
 * Client-side errors: the request was never valid (a bad header, an unsupported option, a bad
 * argument), so no attempt can succeed. Dropped and counted at once, not retried.
 */
const CLIENT_CODES =
  /^(UND_ERR_INVALID_ARG|UND_ERR_INVALID_RETURN_VALUE|UND_ERR_NOT_SUPPORTED|UND_ERR_REQ_CONTENT_LENGTH_MISMATCH|ERR_INVALID_|TypeError$|RangeError$)/;

/** `CODE: message`, or the message alone when it already names its code (Node's `connect ECONNREFUSED …`). */
export function errorText(code: string, message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  // OpenSSL's `…:error:0A00042E:SSL routines:fn:tlsv1 alert protocol version:file:line…` → its reason.
  const reason = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):/.exec(oneLine)?.[1];
  if (reason !== undefined) return `${code}: ${reason}`;
  return oneLine.includes(code) ? oneLine : `${code}: ${oneLine}`;
}

/** What a log line says about an outcome: `HTTP 503: <detail>`, or the error's text once, never `CODE: CODE: …`. */
export function outcomeText(outcome: Outcome, detail: string | undefined): string {
  const what = describeOutcome(outcome);
  if (!detail) return what;
  return detail.includes(what) ? detail : `${what}: ${detail}`;
}

/** `(HTTP 400): <body excerpt>`, or `(ENOSPC): no space left…` without the code twice. */
export function rejectionText(outcome: Outcome, detail: string | undefined): string {
  const what = describeOutcome(outcome);
  if (!detail) return `(${what})`;
  return `(${what}): ${detail.startsWith(`${what}: `) ? detail.slice(what.length + 2) : detail}`;
}

export function excerpt(text: string, max = 512): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** Core's default table: 2xx ok; 408, 429, 5xx and network errors retry; 413 splits; other 4xx are final. */
export function defaultClassify(outcome: Outcome): Verdict {
  if (outcome.kind === 'error') {
    const detail = errorText(outcome.code, outcome.error.message);
    if (TLS_CODES.test(outcome.code)) return { action: 'reject', reason: 'tls', detail };
    if (CLIENT_CODES.test(outcome.code)) return { action: 'reject', reason: 'invalid_request', detail };
    if (RETRYABLE_CODES.has(outcome.code) || !outcome.code.startsWith('ERR_')) {
      return { action: 'retry', reason: 'network', detail };
    }
    return { action: 'reject', reason: 'error', detail };
  }
  const { status } = outcome;
  if (status >= 200 && status < 300) return { action: 'ok' };
  if (status === 413) return { action: 'split', reason: 'too_large' };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(outcome.headers['retry-after']);
    return {
      action: 'retry',
      reason: `http_${status}`,
      detail: excerpt(outcome.body),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { action: 'reject', reason: `http_${status}`, detail: excerpt(outcome.body) };
}

/** `HTTP 503`, `ECONNREFUSED`, or `written` for a stream or file transport's success (no HTTP involved). */
export function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'error') return outcome.code;
  return Object.keys(outcome.headers).length === 0 ? 'written' : `HTTP ${outcome.status}`;
}
