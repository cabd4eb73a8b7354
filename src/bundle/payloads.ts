import type { Script } from 'node:vm';

/**
 * The bundle's and the executable's code comes as CommonJS payloads (scripts/payloads.mjs):
 * `main` (the command line, config, supervisor, pipeline and drains: one module graph), undici's
 * client parts (compiled when an HTTP drain sends its first batch), and the large dependencies
 * only some configurations use (the AWS SDK for CloudWatch, prom-client for metrics, yaml for a
 * config file). Each is compiled only when asked for.
 *
 * `sourceOf(name)` gives a payload's text, or undefined when there is none by that name, with the
 * V8 code cache made for it at build time when there is one (scripts/code-cache.mjs): V8 then
 * takes the payload's compiled functions from the cache instead of parsing and compiling them. A
 * cache made by another Node version or under other V8 flags is rejected by V8 and the payload is
 * compiled from its text as without one. `compiled` is told of each payload compiled (the build
 * makes the caches from those scripts). A payload's `require` of another payload's name loads that
 * one, anything else goes to `nodeRequire` (Node's built-ins).
 */
export function payloadLoader(
  sourceOf: (name: string) => PayloadSource | undefined,
  filename: string,
  nodeRequire: (id: string) => unknown,
  compiled?: (name: string, script: Script) => void,
): <T>(name: string) => T {
  const loaded = new Map<string, { exports: unknown }>();
  // node:vm is required at the first payload, after the app's spawn, not imported before it
  let vm: typeof import('node:vm') | undefined;
  const load = <T>(name: string): T => {
    let module = loaded.get(name);
    if (!module) {
      const source = sourceOf(name);
      if (source === undefined) return nodeRequire(name) as T;
      module = { exports: {} };
      loaded.set(name, module);
      vm ??= nodeRequire('node:vm') as typeof import('node:vm');
      const script = new vm.Script(wrapped(source.text), { filename, cachedData: source.codeCache });
      compiled?.(name, script);
      const wrapper = script.runInThisContext() as (
        e: unknown,
        r: (id: string) => unknown,
        m: { exports: unknown },
        f: string,
        d: string,
      ) => void;
      wrapper(module.exports, load, module, filename, filename.slice(0, filename.lastIndexOf('/')) || '/');
    }
    return module.exports as T;
  };
  return load;
}

export interface PayloadSource {
  text: string;
  /** V8's code cache for exactly this text (`Script.createCachedData`), made at build time */
  codeCache?: Buffer | undefined;
}

/** The script V8 compiles (and its code cache is made for): the payload in CommonJS's wrapper. */
function wrapped(text: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
}
