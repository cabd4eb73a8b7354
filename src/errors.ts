/**
 * Typed errors with stable codes (undici's model): code matches on `code`, users read `message`.
 * Messages name the setting to fix and never contain a secret.
 */
export type ErrorCode =
  | 'FWD_ERR_CONFIG'
  | 'FWD_ERR_SPAWN'
  | 'FWD_ERR_DRAIN_HTTP'
  | 'FWD_ERR_DRAIN_TIMEOUT'
  | 'FWD_ERR_DRAIN_NETWORK'
  | 'FWD_ERR_DRAIN_IO'
  | 'FWD_ERR_TLS';

export class ForwarderError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForwarderError';
    this.code = code;
  }
}

/** A bad setting: `where` is `FORWARDER_FILE`, `--file` or `forwarder.yaml:12 file.path`. */
export class ConfigError extends ForwarderError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FWD_ERR_CONFIG', message, options);
    this.name = 'ConfigError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
