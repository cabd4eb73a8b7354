// V8 code caches for the payloads (scripts/payloads.mjs), shipped inside the bundle and the
// executable: made by running `forwarder run -- <node -e 0>` from the payloads with one HTTP drain
// (a loopback sink here) under this node (src/bundle/code-cache-warm.ts), then checked: a cache
// this node would reject fails the build. At run time a cache that does not fit (another Node
// version, other V8 flags) is rejected by V8 and the payload is compiled from its text, as
// without one. A payload compiled after our run-time V8 flags are set (undici's client) has its
// cache made under the flags `run` sets at default buffers: `pipe` and `tail` compile it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { COMMON } from './payloads.mjs';

/** name → payload text  ⇒  name → its code cache (only the payloads the run compiled) */
export async function codeCaches(payloads) {
  const dir = mkdtempSync(join(tmpdir(), 'forwarder-code-cache-'));
  try {
    const files = {};
    for (const [name, text] of Object.entries(payloads)) {
      files[name] = `${name.replace(/[@/]/g, '_')}.cjs`;
      writeFileSync(join(dir, files[name]), text);
    }
    writeFileSync(join(dir, 'payloads.json'), JSON.stringify(files));
    await build({
      ...COMMON,
      entryPoints: ['src/bundle/code-cache-warm.ts'],
      format: 'esm',
      outfile: join(dir, 'code-cache-warm.mjs'),
    });
    // compiled before any flag is set: the cache of the run that only noted them; after: of the run that set them
    const caches = {};
    const checks = [];
    for (const flagsMode of ['noted', 'set']) {
      await warmRun(dir, flagsMode);
      const run = JSON.parse(readFileSync(join(dir, `${flagsMode}.json`), 'utf8'));
      for (const [name, afterFlags] of Object.entries(run.afterFlags)) {
        if (afterFlags !== (flagsMode === 'set')) continue;
        caches[name] = readFileSync(join(dir, `${files[name]}.${flagsMode}.cache`));
        checks.push({
          name,
          file: join(dir, files[name]),
          cache: join(dir, `${files[name]}.${flagsMode}.cache`),
          flags: afterFlags ? run.flags : [],
        });
      }
    }
    for (const c of checks)
      if (rejected(c.file, c.cache, c.flags))
        throw new Error(
          `the code cache made for payload ${c.name} is rejected by this node${c.flags.length ? ` under ${c.flags.join(' ')}` : ''}`,
        );
    return caches;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `forwarder run` with a Splunk HEC drain at a loopback sink that accepts everything */
async function warmRun(dir, flagsMode) {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"Success","code":0}'),
    );
  });
  await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
  try {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LOGS_ENABLE_SPLUNK: '1',
      SPLUNK_HEC_TOKEN: '00000000-0000-0000-0000-000000000000',
      SPLUNK_HEC_URL: `http://127.0.0.1:${sink.address().port}`,
    };
    // no NODE_OPTIONS and no node flags: the caches carry the hash of node's own V8 flags
    const args = [join(dir, 'code-cache-warm.mjs'), dir, flagsMode, process.execPath, '-e', '0'];
    let stderr = '';
    const code = await new Promise((resolve, reject) => {
      const c = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      c.stderr.on('data', (d) => (stderr += d));
      c.on('error', reject);
      c.on('close', resolve);
    });
    if (code !== 0 || !/splunk_hec: delivered 2\b/.test(stderr))
      throw new Error(`the code cache's warm-up run failed (exit ${code}): ${stderr.trim()}`);
  } finally {
    sink.close();
  }
}

/**
 * In a fresh node under `flags`, as the shipped forms compile the payload: wrapped as
 * src/bundle/payloads.ts wraps it (a wrapper that differs there fails the build here).
 */
function rejected(file, cache, flags) {
  const check = `
    const { readFileSync } = require('node:fs');
    const { Script } = require('node:vm');
    if (process.argv[3]) require('node:v8').setFlagsFromString(process.argv[3]);
    const text = readFileSync(process.argv[1], 'utf8');
    const wrapped = '(function (exports, require, module, __filename, __dirname) {' + text + '\\n})';
    process.stdout.write(String(new Script(wrapped, { cachedData: readFileSync(process.argv[2]) }).cachedDataRejected));`;
  return (
    execFileSync(process.execPath, ['-e', check, file, cache, flags.join(' ')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    }) !== 'false'
  );
}
