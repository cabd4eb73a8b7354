import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { canonicalEncoder } from './core/canonical.js';
import { errorText } from './core/classify.js';
import { CANONICAL_FIELD_KEYS } from './core/field-selection.js';
import { FileAppendTransport } from './core/file-transport.js';
import type { DrainSpec, Outcome, Verdict } from './core/types.js';

interface FileConfig {
  path: string;
  encode: ReturnType<typeof canonicalEncoder>;
}

/** Errors that may clear up by themselves (space freed, quota raised): retried; others are final. */
const TRANSIENT = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE']);

export const fileDrain: DrainSpec<FileConfig> = {
  id: 'file',
  // the canonical encoder holds the identity part, attributes included
  identityParts: ['encode'],
  fieldKeys: CANONICAL_FIELD_KEYS,
  envPrefix: 'FORWARDER_FILE_',
  description: 'Appends one canonical JSON event per line to a local file (the local default).',
  enabledBy: 'FORWARDER_FILE',
  settings: [
    {
      key: 'file.path',
      env: 'FORWARDER_FILE',
      flag: 'file',
      type: 'string',
      doc: 'Append every event as one JSON line to this file (created if missing).',
    },
  ],
  configure(config: ResolvedConfig, ctx) {
    const raw = config.get<string>('file.path');
    if (!raw) return undefined;
    const path = resolve(raw);
    const where = config.nameOf('file.path');
    try {
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
        throw new ConfigError(`${where} is a directory: ${path}`);
      accessSync(dirname(path), constants.W_OK);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new ConfigError(
        `${where} cannot be written: ${path} (${code}: the directory is missing or not writable)`,
      );
    }
    return { path, encode: canonicalEncoder(ctx.identity) };
  },
  endpoint: (c) => c.path,
  limits: () => ({
    maxBatchBytes: 1024 * 1024,
    maxBatchRecords: 10_000,
    maxRecordBytes: 64 * 1024 * 1024,
    concurrency: 1,
    // A local file costs nothing per write: keep the latency low.
    batchWaitMs: 100,
  }),
  encode: (ev, c) => c.encode(ev),
  frame: { open: '', separator: '\n', close: '\n' },
  transport: (c) => new FileAppendTransport(c.path),
  classify(outcome: Outcome): Verdict {
    if (outcome.kind !== 'error') return { action: 'ok' };
    const detail = errorText(outcome.code, outcome.message);
    return TRANSIENT.has(outcome.code)
      ? { action: 'retry', reason: outcome.code.toLowerCase(), detail }
      : { action: 'reject', reason: outcome.code.toLowerCase(), detail };
  },
  hint: (outcome, c) =>
    outcome.kind === 'error' && outcome.code === 'EACCES' ? `check the permissions of ${c.path}` : undefined,
};
