import { retryAfterPause } from './retry.js';
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

/**
 * A thrown error (a socket's, undici's, an SDK's, a transport bug's) as an `error` outcome: its
 * code (a numeric or missing code becomes the error's name), and `permanent` for TLS and
 * client-side failures and Node's own `ERR_*` codes that are not network trouble.
 */
export function errorOutcome(err: unknown, permanent?: boolean): Outcome & { kind: 'error' } {
  const e = err instanceof Error ? err : new Error(String(err));
  const raw = (e as NodeJS.ErrnoException).code;
  const code = typeof raw === 'string' ? raw : e.name || 'ERROR';
  return { kind: 'error', code, message: e.message, permanent: permanent ?? isPermanentCode(code) };
}

function isPermanentCode(code: string): boolean {
  if (TLS_CODES.test(code) || CLIENT_CODES.test(code)) return true;
  return !RETRYABLE_CODES.has(code) && code.startsWith('ERR_');
}

/**
 * Core's default table: `ok` ok (its rejected records dropped by reason); 2xx ok; 408, 429, 5xx
 * and transient errors retry (a Retry-After pauses the drain); 413 splits; other 4xx and
 * permanent errors are final.
 */
export function defaultClassify(outcome: Outcome, batchSize = 0, now: number = Date.now()): Verdict {
  if (outcome.kind === 'ok') return okVerdict(outcome.rejected, batchSize);
  if (outcome.kind === 'error') {
    const detail = errorText(outcome.code, outcome.message);
    if (TLS_CODES.test(outcome.code)) return { action: 'reject', reason: 'tls', detail };
    if (CLIENT_CODES.test(outcome.code)) return { action: 'reject', reason: 'invalid_request', detail };
    if (!outcome.permanent) return { action: 'retry', reason: 'network', detail };
    return { action: 'reject', reason: 'error', detail };
  }
  const { status } = outcome;
  if (status >= 200 && status < 300) return { action: 'ok' };
  if (status === 413) return { action: 'split', reason: 'too_large' };
  if (status === 408 || status === 429 || status >= 500) {
    const pause = retryAfterPause(outcome.headers['retry-after'], now);
    return {
      action: 'retry',
      reason: `http_${status}`,
      detail: excerpt(outcome.body),
      ...(pause ? { pause: [pause] } : {}),
    };
  }
  return { action: 'reject', reason: `http_${status}`, detail: excerpt(outcome.body) };
}

/** An `ok` answer with records refused by reason: the rest delivered, those dropped and counted. */
export function okVerdict(
  rejected: Readonly<Record<string, number>> | undefined,
  batchSize: number,
): Verdict {
  if (rejected === undefined) return { action: 'ok' };
  const reasons = Object.keys(rejected).filter((r) => rejected[r]! > 0);
  if (reasons.length === 0) return { action: 'ok' };
  const n = reasons.reduce((sum, r) => sum + rejected[r]!, 0);
  return {
    action: 'partial',
    accepted: Math.max(0, batchSize - n),
    rejected: n,
    reason: reasons.length === 1 ? reasons[0]! : 'rejected',
    rejectedReasons: rejected,
  };
}

/** `HTTP 503`, `ECONNREFUSED`, or `written` for a transport's success that involved no HTTP. */
export function describeOutcome(outcome: Outcome): string {
  if (outcome.kind === 'error') return outcome.code;
  if (outcome.kind === 'ok') return 'written';
  return `HTTP ${outcome.status}`;
}
