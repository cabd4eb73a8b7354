import { ConfigError } from '../../errors.js';
import type { DrainSpec } from './types.js';

/**
 * `<PREFIX>FIELDS` (Logpush's field_names): which canonical fields a drain sends. A drain whose
 * records are JSON objects says, in `fieldKeys`, which of its record's keys (`a.b` inside an object) carry each
 * canonical field; the others (vendor metadata such as Datadog's ddsource) always stay, and so do
 * timestamp and message, which every destination requires.
 */
export const CANONICAL_FIELDS = [
  'timestamp',
  'level',
  'stream',
  'seq',
  'message',
  'agent_id',
  'worker_id',
  'hostname',
  'instance',
  'attributes',
  'lifecycle',
] as const;

export const REQUIRED_FIELDS: readonly string[] = ['timestamp', 'message'];

/** The file and webhook drains write the canonical event itself: each field is its own key. */
export const CANONICAL_FIELD_KEYS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  CANONICAL_FIELDS.map((f) => [f, [f]]),
);

/** Parses `timestamp,level,message` against the canonical names; throws naming the setting. */
export function parseFields(text: string, where: string): string[] {
  const fields = text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fields.length === 0)
    throw new ConfigError(`${where} is empty (list fields, e.g. timestamp,level,message)`);
  for (const f of fields)
    if (!(CANONICAL_FIELDS as readonly string[]).includes(f))
      throw new ConfigError(`${where}: unknown field "${f}" (use ${CANONICAL_FIELDS.join(', ')})`);
  return fields;
}

/** Checks that the drain can select fields; throws naming the setting when it cannot. */
export function checkFieldSelection(spec: Pick<DrainSpec, 'id' | 'fieldKeys'>, where: string): void {
  if (!spec.fieldKeys)
    throw new ConfigError(
      `${where}: the ${spec.id} drain's records have a fixed vendor shape; field selection applies to drains that send canonical JSON fields`,
    );
}

/**
 * The drain's spec with an encoder that leaves out the keys of unselected fields. It parses the
 * record the vendor encoder made, so it costs a JSON round trip per event, paid only by a drain
 * that asks for it.
 */
export function withFieldSelection<C, P>(spec: DrainSpec<C, P>, fields: readonly string[]): DrainSpec<C, P> {
  const keys = spec.fieldKeys;
  if (!keys) return spec;
  const keep = new Set([...fields, ...REQUIRED_FIELDS]);
  const dropKeys: string[] = [];
  for (const [field, recordKeys] of Object.entries(keys)) if (!keep.has(field)) dropKeys.push(...recordKeys);
  if (dropKeys.length === 0) return spec;
  const encode = spec.encode.bind(spec);
  // `event.stream` (Splunk) names a key inside a nested object
  const paths = dropKeys.map((k) => k.split('.'));
  return {
    ...spec,
    encode(ev, c, ctx) {
      const record = JSON.parse(encode(ev, c, ctx)) as Record<string, unknown>;
      for (const path of paths) deletePath(record, path);
      return JSON.stringify(record);
    },
  };
}

function deletePath(record: Record<string, unknown>, path: readonly string[]): void {
  let node: unknown = record;
  for (let i = 0; i < path.length - 1; i++) {
    node = (node as Record<string, unknown>)[path[i]!];
    if (node === null || typeof node !== 'object') return;
  }
  delete (node as Record<string, unknown>)[path[path.length - 1]!];
}
