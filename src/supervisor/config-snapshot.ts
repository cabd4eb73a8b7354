import { ResolvedConfig } from '../config/load.js';
import { allSecretValues, registerSecretValue, Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import { allSettings } from '../settings-catalogue.js';

/**
 * The resolved configuration as plain data, for the pipeline thread: the YAML file and the `_FILE`
 * secrets are read once, by the main thread, and the worker sees exactly the values the main
 * thread checked (a file changed in between cannot make the two disagree, and a FIFO or slow
 * volume is read once).
 */
export interface ConfigSnapshot {
  yamlPath: string | undefined;
  entries: {
    key: string;
    value?: unknown;
    /** a secret's value, wrapped in a Secret again on the other side */
    secret?: string;
    origin: string;
    error?: string;
  }[];
  /** every value our output must be scrubbed of (secrets, URL passwords, header values) */
  scrub: string[];
}

export function snapshotConfig(config: ResolvedConfig): ConfigSnapshot {
  return {
    yamlPath: config.yamlPath,
    entries: config.entries().map((e) => ({
      key: e.def.key,
      ...(e.value instanceof Secret ? { secret: e.value.reveal() } : { value: e.value }),
      origin: e.origin,
      ...(e.error ? { error: e.error.message } : {}),
    })),
    scrub: allSecretValues(),
  };
}

export function configFromSnapshot(snapshot: ConfigSnapshot): ResolvedConfig {
  for (const value of snapshot.scrub) registerSecretValue(value);
  const defs = new Map(allSettings().map((d) => [d.key, d]));
  const entries = snapshot.entries.flatMap((e) => {
    const def = defs.get(e.key);
    if (!def) return [];
    return [
      {
        def,
        value: e.secret !== undefined ? new Secret(e.secret) : e.value,
        origin: e.origin,
        ...(e.error !== undefined ? { error: new ConfigError(e.error) } : {}),
      },
    ];
  });
  return new ResolvedConfig(entries, snapshot.yamlPath);
}
