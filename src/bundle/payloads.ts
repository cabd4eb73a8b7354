import { runInThisContext } from 'node:vm';

/**
 * The bundle's and the executable's code comes as CommonJS payloads (scripts/payloads.mjs):
 * `main` (the command line, config, supervisor), `worker` (the pipeline thread), and the large
 * dependencies only some configurations use (the AWS SDK for CloudWatch, prom-client for
 * metrics). Each is compiled only by the thread that asks for it, when it asks: one payload
 * holding everything cost each of the two threads ~20 MB of memory to compile.
 *
 * `sourceOf(name)` gives a payload's text, or undefined when there is none by that name; a
 * payload's `require` of another payload's name loads that one, anything else goes to
 * `nodeRequire` (Node's built-ins). Each thread has its own loader and its own loaded payloads.
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
