import type { ResolvedConfig } from '../config/load.js';
import { type RedactionOptions, Redactor, redactionOptions } from './redact.js';

/** FORWARDER_REDACT / FORWARDER_REDACT_PATTERNS as options; throws a ConfigError naming the setting. */
export function redactionFrom(config: ResolvedConfig): RedactionOptions | undefined {
  return redactionOptions(config.get<string>('redact'), config.get<string>('redact_patterns'), {
    rules: config.nameOf('redact'),
    patterns: config.nameOf('redact_patterns'),
  });
}

/** The redactor the pipeline puts before the fan-out; undefined when redaction is off. */
export function redactorFrom(config: ResolvedConfig): Redactor | undefined {
  const opts = redactionFrom(config);
  return opts ? new Redactor(opts) : undefined;
}

/** One line for `forwarder config`: the rules in effect. */
export function describeRedaction(opts: RedactionOptions | undefined): string {
  if (!opts) return 'off';
  return [...opts.builtins.map((r) => r.name), ...opts.custom.map((r) => `${r.name} (custom)`)].join(', ');
}
