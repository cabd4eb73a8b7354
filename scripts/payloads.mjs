// The payloads of the bundle (scripts/bundle.mjs) and of the executable (scripts/package.mjs):
// see src/bundle/payloads.ts. CommonJS, minified; import() becomes require(), as a payload is
// compiled by vm (where a real import() cannot run) and finds the lazy dependencies by name.
import { build } from 'esbuild';

export const COMMON = { bundle: true, platform: 'node', target: 'node20', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning' };

/** loaded only when required, by name */
export const LAZY = ['@aws-sdk/client-cloudwatch-logs', 'prom-client', 'yaml', 'pino'];

/**
 * undici's client parts (src/drains/core/undici-client.ts), a payload of their own: compiled only
 * when an HTTP drain sends its first batch. They share no state with our modules.
 */
const UNDICI_CLIENT = 'undici-client';
const undiciClientApart = {
  name: 'undici-client-apart',
  setup(b) {
    b.onResolve({ filter: /\/undici-client\.js$/ }, () => ({ path: UNDICI_CLIENT, external: true }));
  },
};

/** name → the payload's CommonJS text */
export async function buildPayloads() {
  const sources = {
    main: { entryPoints: ['src/commands.ts'], external: LAZY, plugins: [undiciClientApart] },
    [UNDICI_CLIENT]: { entryPoints: ['src/drains/core/undici-client.ts'] },
  };
  // as ESM, as the code that loads it does (import()): the package's ESM build
  for (const name of LAZY)
    sources[name] = { stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: '.' } };
  const payloads = {};
  for (const [name, opts] of Object.entries(sources)) {
    const out = await build({
      ...COMMON,
      format: 'cjs',
      write: false,
      supported: { 'dynamic-import': false },
      // a payload always has a require (src/config/yaml-parser.ts takes it before import.meta)
      define: { 'import.meta.url': '"file:///forwarder-payload.cjs"' },
      ...opts,
    });
    payloads[name] = out.outputFiles[0].text;
  }
  return payloads;
}
