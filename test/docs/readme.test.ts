import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DRAIN_SPECS } from '../../src/drains/registry.js';
import { allSettings } from '../../src/settings-catalogue.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two commands a new user runs: the demo and the tests (which CI runs)', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    expect(firstBlock).toContain('npm ci && npm run demo');
    expect(firstBlock).toContain('npm ci && npm test');
    // CI installs from the lock only (no `npm install` fallback that would hide a broken lock).
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toMatch(/\nnpm ci [^\n]*&& npm test\n/);
    expect(ci).not.toContain('npm install');
  });

  it('documents every setting by its variable', () => {
    const missing = allSettings()
      .map((d) => d.env)
      .filter((env) => !README.includes(env));
    expect(missing).toEqual([]);
  });

  it('has one row per drain in the drains table', () => {
    const ids = new Set(DRAIN_SPECS.map((s) => s.id).filter((id) => id !== 'sentry_events'));
    for (const id of ids) expect(README).toMatch(new RegExp(`\\n\\| \`${id}\` \\|`));
  });
});

describe('drain files', () => {
  it('each drain lives in src/drains/<id with _ → ->.ts, or that folder with its own transport (sentry_events is the second spec of sentry.ts)', () => {
    for (const spec of DRAIN_SPECS) {
      const file = spec.id === 'sentry_events' ? 'sentry' : spec.id.replace(/_/g, '-');
      const flat = new URL(`../../src/drains/${file}.ts`, import.meta.url);
      const folder = new URL(`../../src/drains/${file}/${file}.ts`, import.meta.url);
      const source = readFileSync(existsSync(flat) ? flat : folder, 'utf8');
      expect(source).toContain(`id: '${spec.id}'`);
    }
  });
});
