import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let yaml: Yaml | undefined;

/**
 * The YAML parser, loaded on first use: only a config file needs it, and loading it costs
 * ~8 MB of memory.
 * Synchronous, as settings are read before anything runs: Node's require from ESM, or in the
 * bundle and the executable their payloads' require, which finds it as a payload of its own.
 */
export function yamlParser(): Yaml {
  yaml ??= (typeof require === 'function' ? require : createRequire(import.meta.url))('yaml') as Yaml;
  return yaml;
}
