import { accessSync, constants } from 'node:fs';
import type { ResolvedConfig } from '../../config/load.js';
import { registerSecretValue, type Secret } from '../../config/secret.js';
import { ConfigError } from '../../errors.js';

/**
 * Settings that several drains read the same way: a user and password sent as HTTP Basic auth,
 * and a CA file that must be readable at start (not at the first request, minutes later).
 */

/** `Basic …` from a user and password setting, both or neither; the encoded value is scrubbed from our output. */
export function basicAuthFrom(
  config: ResolvedConfig,
  userKey: string,
  passwordKey: string,
): string | undefined {
  const user = config.get<string>(userKey)?.trim() || undefined;
  const password = config.get<Secret>(passwordKey);
  if (user && !password)
    throw new ConfigError(`${config.nameOf(userKey)} is set but ${config.nameOf(passwordKey)} is missing`);
  if (password && !user)
    throw new ConfigError(`${config.nameOf(passwordKey)} is set but ${config.nameOf(userKey)} is missing`);
  if (!user || !password) return undefined;
  const encoded = Buffer.from(`${user}:${password.reveal()}`).toString('base64');
  registerSecretValue(encoded);
  return `Basic ${encoded}`;
}

/** The path a CA-file setting names, checked readable now; undefined when unset. */
export function readableFile(config: ResolvedConfig, key: string): string | undefined {
  const path = config.get<string>(key) || undefined;
  if (path === undefined) return undefined;
  try {
    accessSync(path, constants.R_OK);
  } catch (err) {
    throw new ConfigError(
      `${config.nameOf(key)} cannot be read: ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return path;
}
