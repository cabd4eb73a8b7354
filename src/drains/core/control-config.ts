import type { ResolvedConfig } from '../../config/load.js';
import { ConfigError } from '../../errors.js';
import type { Identity } from '../../pipeline/event.js';
import { levelName } from '../../pipeline/levels.js';
import { type ControlOptions, hasRules } from './event-control.js';
import { compileFilter, describeFilter } from './event-filter.js';
import { checkFieldSelection, parseFields } from './field-selection.js';
import type { DrainSpec } from './types.js';

/**
 * A drain's control rules from its settings: its own (`sentry.min_level`) when set, else the
 * default for all drains (`min_level`, FORWARDER_MIN_LEVEL). Undefined when the drain has no rule
 * (and selects no fields): then no stage is built for it.
 */
export function controlOptions(
  config: ResolvedConfig,
  spec: Pick<DrainSpec, 'id' | 'fieldKeys'>,
  identity: Identity,
): ControlOptions | undefined {
  const pick = <T>(name: string): { value: T | undefined; where: string; own: boolean } => {
    const ownKey = `${spec.id}.${name}`;
    const own = config.isSet(ownKey);
    const key = own ? ownKey : name;
    return { value: config.get<T>(key), where: config.nameOf(key), own };
  };
  const filter = pick<string>('filter');
  const sample = pick<string>('sample_rate');
  const fields = pick<string>('fields');
  const filterText = filter.value?.trim() ? filter.value : undefined;
  const opts: ControlOptions = {
    minLevel: pick<number>('min_level').value,
    filter: filterText
      ? { text: filterText, test: compileFilter(filterText, filter.where, identity) }
      : undefined,
    sampleRate: sample.value?.trim() ? parseRate(sample.value, sample.where) : undefined,
    sampleErrors: pick<boolean>('sample_errors').value ?? false,
    rateLimit: pick<number>('rate_limit').value,
    fields: fields.value?.trim() ? parseFields(fields.value, fields.where) : undefined,
    maxMessageChars: pick<number>('max_message_chars').value,
  };
  // FORWARDER_FIELDS applies to the drains that can select fields; a drain's own FIELDS must be possible.
  if (opts.fields && fields.own) checkFieldSelection(spec, fields.where);
  if (opts.fields && !spec.fieldKeys) opts.fields = undefined;
  return hasRules(opts) || opts.fields ? opts : undefined;
}

/** `0.1`, `.25`, `10%`: a fraction from 0 to 1. */
export function parseRate(raw: string, where: string): number {
  const text = raw.trim();
  const pct = text.endsWith('%');
  const n = Number(pct ? text.slice(0, -1) : text);
  const rate = pct ? n / 100 : n;
  if (text === '' || text === '%' || !Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new ConfigError(`${where} is not a rate from 0 to 1: ${JSON.stringify(raw)} (e.g. 0.1 or 10%)`);
  return rate;
}

/** One line for `forwarder config`: the rules in effect for a drain. */
export function describeControl(o: ControlOptions | undefined): string {
  if (!o) return 'every event, whole';
  const parts: string[] = [];
  if (o.minLevel !== undefined) parts.push(`min_level ${levelName(o.minLevel)}`);
  if (o.filter) parts.push(`filter ${describeFilter(o.filter.text)}`);
  if (o.sampleRate !== undefined)
    parts.push(
      `sample_rate ${o.sampleRate}${o.sampleErrors ? ' (errors sampled too)' : ' (error and fatal always sent)'}`,
    );
  if (o.rateLimit !== undefined) parts.push(`rate_limit ${o.rateLimit}/s`);
  if (o.fields) parts.push(`fields ${o.fields.join(',')}`);
  if (o.maxMessageChars !== undefined) parts.push(`max_message_chars ${o.maxMessageChars}`);
  return parts.join('; ');
}
