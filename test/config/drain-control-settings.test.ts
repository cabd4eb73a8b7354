import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_SETTING_NAMES } from '../../src/config/drain-control-settings.js';
import { identityFrom } from '../../src/config/index.js';
import { controlOptions, describeControl, parseRate } from '../../src/drains/core/control-config.js';
import { DRAIN_SPECS } from '../../src/drains/registry.js';
import { WARN } from '../../src/pipeline/levels.js';
import { allSettings, loadAll } from '../../src/settings-catalogue.js';
import { tempDir } from '../helpers/cli.js';

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

function load(env: Record<string, string>, yaml?: string) {
  let configPath: string | undefined;
  if (yaml !== undefined) {
    const d = tempDir();
    dirs.push(d);
    configPath = d.file('forwarder.yaml');
    writeFileSync(configPath, yaml);
  }
  const inputs = {
    mode: 'pipe' as const,
    flags: {},
    env: configPath ? { ...env, FORWARDER_CONFIG: configPath } : env,
    configPath: undefined,
  };
  const config = loadAll(inputs);
  return { config, identity: identityFrom(config, inputs) };
}

const spec = (id: string) => DRAIN_SPECS.find((s) => s.id === id)!;

describe('per-drain control settings', () => {
  it('gives every drain the seven settings under its own prefix and section, with no name clashing', () => {
    const defs = allSettings();
    for (const s of DRAIN_SPECS)
      for (const name of CONTROL_SETTING_NAMES) {
        const def = defs.find((d) => d.key === `${s.id}.${name}`);
        expect(def?.env).toBe(`${s.envPrefix}${name.toUpperCase()}`);
      }
    const envs = defs.flatMap((d) => [d.env, ...(d.aliases ?? [])]);
    expect(envs.filter((e, i) => envs.indexOf(e) !== i)).toEqual([]);
    const keys = defs.map((d) => d.key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('reads a drain section and top-level defaults from YAML; env wins; the drain’s own setting wins', () => {
    const yaml = [
      'min_level: warn',
      'sample_rate: "0.5"',
      'webhook:',
      '  url: http://127.0.0.1:9/hook',
      '  filter: \'{"where":{"key":"message","operator":"contains","value":"x"}}\'',
      '  rate_limit: 100',
    ].join('\n');
    const { config, identity } = load({ WEBHOOK_SAMPLE_RATE: '10%' }, yaml);
    const o = controlOptions(config, spec('webhook'), identity)!;
    expect(o.minLevel).toBe(WARN);
    expect(o.sampleRate).toBe(0.1);
    expect(o.rateLimit).toBe(100);
    expect(o.filter?.text).toContain('contains');
    expect(describeControl(o)).toBe(
      'min_level warn; filter {"where":{"key":"message","operator":"contains","value":"x"}}; sample_rate 0.1 (error and fatal always sent); rate_limit 100/s',
    );
    const file = controlOptions(config, spec('file'), identity)!;
    expect([file.minLevel, file.sampleRate, file.filter]).toEqual([WARN, 0.5, undefined]);
  });

  it('takes a filter and redaction patterns as YAML structures too', () => {
    const yaml = [
      'redact_patterns:',
      '  order_id: "ORD-[0-9]{8}"',
      'webhook:',
      '  url: http://127.0.0.1:9/hook',
      '  filter:',
      '    where:',
      '      or:',
      '        - { key: level, operator: geq, value: error }',
      '        - { key: message, operator: contains, value: "payment" }',
    ].join('\n');
    const { config, identity } = load({}, yaml);
    const o = controlOptions(config, spec('webhook'), identity)!;
    expect(JSON.parse(o.filter!.text)).toEqual({
      where: {
        or: [
          { key: 'level', operator: 'geq', value: 'error' },
          { key: 'message', operator: 'contains', value: 'payment' },
        ],
      },
    });
    expect(config.get('redact_patterns')).toBe('{"order_id":"ORD-[0-9]{8}"}');
  });

  it('builds no stage for a drain without rules', () => {
    const { config, identity } = load({});
    expect(controlOptions(config, spec('datadog'), identity)).toBeUndefined();
    expect(describeControl(undefined)).toBe('every event, whole');
  });

  it('applies FORWARDER_FIELDS where a drain can select fields, and refuses a fixed-shape drain’s own FIELDS', () => {
    const { config, identity } = load({ FORWARDER_FIELDS: 'level', SYSLOG_FIELDS: 'level' });
    expect(controlOptions(config, spec('webhook'), identity)?.fields).toEqual(['level']);
    expect(controlOptions(config, spec('cloudwatch_logs'), identity)).toBeUndefined();
    expect(() => controlOptions(config, spec('syslog'), identity)).toThrow(
      /^SYSLOG_FIELDS: the syslog drain/,
    );
  });

  it('parses sampling rates as fractions or percentages, naming the setting when wrong', () => {
    expect(parseRate('0.25', 'X')).toBe(0.25);
    expect(parseRate('25%', 'X')).toBe(0.25);
    expect(parseRate('0', 'X')).toBe(0);
    for (const bad of ['1.5', '-1', 'half', '%', ''])
      expect(() => parseRate(bad, 'DATADOG_SAMPLE_RATE')).toThrow(
        /^DATADOG_SAMPLE_RATE is not a rate from 0 to 1/,
      );
  });
});
