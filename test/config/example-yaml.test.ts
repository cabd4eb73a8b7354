import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exampleYaml } from '../../src/config/example-yaml.js';
import { allSettings, drainDescriptions, loadAll } from '../../src/settings-catalogue.js';
import { ROOT, tempDir } from '../helpers/cli.js';

const FILE = join(ROOT, 'forwarder.example.yaml');
const REGENERATE =
  'regenerate it: npm run build && node dist/cli.js config --example > forwarder.example.yaml';
const dir = tempDir('fwd-example-');
afterAll(() => dir.cleanup());

/** The layout exampleYaml documents: removing the "#" of "#key:" and "#  key:" lines sets every default. */
function uncomment(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^#(?=[a-z]|\s{2}[a-z])/.test(l) ? l.slice(1) : l))
    .join('\n');
}

function keysOf(doc: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const [k, v] of Object.entries(doc ?? {})) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !allSettings().some((d) => d.key === k))
      for (const sub of Object.keys(v)) keys.push(`${k}.${sub}`);
    else keys.push(k);
  }
  return keys.sort();
}

function loadFile(path: string): ReturnType<typeof loadAll> {
  return loadAll({ mode: 'config', flags: { config: path }, env: {}, configPath: undefined });
}

describe('forwarder.example.yaml', () => {
  const text = readFileSync(FILE, 'utf8');

  it('documents every setting in the live settings table, and nothing else', () => {
    const documented = keysOf(parse(uncomment(text)) as Record<string, unknown>);
    const live = allSettings()
      .map((d) => d.key)
      .sort();
    const missing = live.filter((k) => !documented.includes(k));
    const extra = documented.filter((k) => !live.includes(k));
    expect({ missing, extra }, REGENERATE).toEqual({ missing: [], extra: [] });
  });

  it('names each setting with its environment variable', () => {
    for (const d of allSettings())
      expect(text, `${d.key} → ${d.env}; ${REGENERATE}`).toContain(`env ${d.env}`);
  });

  it('is accepted as a config file as it is, and with every default uncommented', () => {
    const asIs = loadFile(FILE);
    expect(asIs.entries().filter((e) => e.error)).toEqual([]);
    const open = dir.file('uncommented.yaml');
    writeFileSync(open, uncomment(text));
    const all = loadFile(open);
    expect(all.entries().flatMap((e) => (e.error ? [`${e.def.key}: ${e.error.message}`] : []))).toEqual([]);
    // an uncommented default reads back as the same value
    for (const d of allSettings())
      if (d.default !== undefined && !d.defaultDoc)
        expect(all.origin(d.key), d.key).toMatch(/uncommented\.yaml:\d+$/);
  });

  it('matches the generator (the file is generated, not edited by hand)', () => {
    expect(text, REGENERATE).toBe(exampleYaml(allSettings(), drainDescriptions()));
  });
});
