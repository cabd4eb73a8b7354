import { runInThisContext } from 'node:vm';

/**
 * The bundle's and the executable's code comes as CommonJS payloads (scripts/payloads.mjs):
 * `main` (the command line, config, supervisor, pipeline and drains: one module graph), undici's
 * client parts (compiled when an HTTP drain sends its first batch), and the large dependencies
 * only some configurations use (the AWS SDK for CloudWatch, prom-client for metrics, yaml for a
 * config file). Each is compiled only when asked for.
 *
 * `sourceOf(name)` gives a payload's text, or undefined when there is none by that name; a
 * payload's `require` of another payload's name loads that one, anything else goes to
 * `nodeRequire` (Node's built-ins).
 */
export function payloadLoader(
  sourceOf: (name: string) => string | undefined,
  filename: string,
  nodeRequire: (id: string) => unknown,
): <T>(name: string) => T {
  const loaded = new Map<string, { exports: unknown }>();
  const load = <T>(name: string): T => {
    let module = loaded.get(name);
    if (!module) {
      const source = sourceOf(name);
      if (source === undefined) return nodeRequire(name) as T;
      module = { exports: {} };
      loaded.set(name, module);
      const wrapper = runInThisContext(
        `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
        { filename },
      ) as (e: unknown, r: (id: string) => unknown, m: { exports: unknown }, f: string, d: string) => void;
      wrapper(module.exports, load, module, filename, filename.slice(0, filename.lastIndexOf('/')) || '/');
    }
    return module.exports as T;
  };
  return load;
}
