import { ConfigError } from '../../errors.js';
import type { Identity, LogEvent } from '../../pipeline/event.js';
import { levelFromName } from '../../pipeline/levels.js';

/**
 * `<PREFIX>FILTER`: a filter in Cloudflare Logpush's JSON form, compiled once into a tree of
 * closures, so an event costs a few property reads and comparisons, never a parse.
 *
 *   {"where":{"key":"message","operator":"!contains","value":"healthcheck"}}
 *   {"where":{"and":[{"key":"level","operator":"geq","value":"warn"},
 *                    {"or":[{"key":"stream","operator":"eq","value":"stderr"}, …]}]}}
 *
 * Keys are canonical event fields; `level` compares by severity (`gt info` is warn and above);
 * identity fields are the same for every event of the process; `attributes.<name>` is read per
 * event, as the pod's labels and annotations can change while it runs.
 */
export type EventPredicate = (ev: LogEvent) => boolean;

export const FILTER_OPERATORS = [
  'eq',
  '!eq',
  'lt',
  'leq',
  'gt',
  'geq',
  'startsWith',
  '!startsWith',
  'endsWith',
  '!endsWith',
  'contains',
  '!contains',
  'in',
  '!in',
] as const;
type Operator = (typeof FILTER_OPERATORS)[number];

export const FILTER_KEYS = [
  'message',
  'level',
  'stream',
  'timestamp',
  'seq',
  'kind',
  'agent_id',
  'worker_id',
  'hostname',
  'instance',
  'attributes.<name>',
] as const;

/** How deep and/or groups may nest, and how many conditions one filter may hold: a filter is config, not data. */
const MAX_DEPTH = 8;
const MAX_CONDITIONS = 64;

type Reader =
  | { kind: 'string'; read: (ev: LogEvent) => string }
  | { kind: 'number'; read: (ev: LogEvent) => number };

/** Parses and compiles; throws a ConfigError naming `where` (the setting) and what is wrong. */
export function compileFilter(text: string, where: string, identity: Identity): EventPredicate {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `${where} is not valid JSON (${(err as Error).message}); use Logpush's form, e.g. {"where":{"key":"message","operator":"!contains","value":"healthcheck"}}`,
    );
  }
  if (!isObject(doc) || !('where' in doc))
    throw new ConfigError(`${where} must be a JSON object with a "where" condition`);
  const state = { conditions: 0 };
  return compileNode(doc.where, where, identity, 0, state);
}

function compileNode(
  node: unknown,
  where: string,
  identity: Identity,
  depth: number,
  state: { conditions: number },
): EventPredicate {
  if (depth > MAX_DEPTH) throw new ConfigError(`${where} nests and/or groups deeper than ${MAX_DEPTH}`);
  if (!isObject(node))
    throw new ConfigError(`${where}: a condition must be an object with key/operator/value, or "and"/"or"`);
  const group = 'and' in node ? 'and' : 'or' in node ? 'or' : undefined;
  if (group !== undefined) {
    const list = node[group];
    if (!Array.isArray(list) || list.length === 0 || Object.keys(node).length !== 1)
      throw new ConfigError(
        `${where}: "${group}" must be the only key of its object and hold a non-empty array`,
      );
    const parts = list.map((n) => compileNode(n, where, identity, depth + 1, state));
    if (parts.length === 1) return parts[0]!;
    if (group === 'and')
      return (ev) => {
        for (let i = 0; i < parts.length; i++) if (!parts[i]!(ev)) return false;
        return true;
      };
    return (ev) => {
      for (let i = 0; i < parts.length; i++) if (parts[i]!(ev)) return true;
      return false;
    };
  }
  if (++state.conditions > MAX_CONDITIONS)
    throw new ConfigError(`${where} has more than ${MAX_CONDITIONS} conditions`);
  return compileCondition(node, where, identity);
}

function compileCondition(node: Record<string, unknown>, where: string, identity: Identity): EventPredicate {
  const { key, operator, value } = node;
  const extra = Object.keys(node).filter((k) => k !== 'key' && k !== 'operator' && k !== 'value');
  if (extra.length > 0) throw new ConfigError(`${where}: unknown property "${extra[0]}" in a condition`);
  if (typeof key !== 'string') throw new ConfigError(`${where}: a condition needs "key" (a field name)`);
  if (typeof operator !== 'string' || !(FILTER_OPERATORS as readonly string[]).includes(operator))
    throw new ConfigError(
      `${where}: unknown operator ${JSON.stringify(operator)} for key "${key}" (use ${FILTER_OPERATORS.join(', ')})`,
    );
  const op = operator as Operator;
  const reader = readerFor(key, where, identity);
  if (op === 'in' || op === '!in') {
    if (!Array.isArray(value) || value.length === 0)
      throw new ConfigError(`${where}: "${op}" on "${key}" needs a non-empty array value`);
    const set = new Set<string | number>(value.map((v) => operand(reader, key, v, where)));
    const has =
      reader.kind === 'number'
        ? (ev: LogEvent) => set.has(reader.read(ev))
        : (ev: LogEvent) => set.has(reader.read(ev));
    return op === 'in' ? has : (ev) => !has(ev);
  }
  if (Array.isArray(value) || isObject(value) || value === undefined || value === null)
    throw new ConfigError(`${where}: "${op}" on "${key}" needs a single value`);
  const v = operand(reader, key, value, where);
  if (reader.kind === 'number') {
    const n = v as number;
    const read = reader.read;
    switch (op) {
      case 'eq':
        return (ev) => read(ev) === n;
      case '!eq':
        return (ev) => read(ev) !== n;
      case 'lt':
        return (ev) => read(ev) < n;
      case 'leq':
        return (ev) => read(ev) <= n;
      case 'gt':
        return (ev) => read(ev) > n;
      case 'geq':
        return (ev) => read(ev) >= n;
      default:
        throw new ConfigError(`${where}: "${op}" applies to text; "${key}" is a number`);
    }
  }
  const s = v as string;
  const read = reader.read;
  switch (op) {
    case 'eq':
      return (ev) => read(ev) === s;
    case '!eq':
      return (ev) => read(ev) !== s;
    case 'startsWith':
      return (ev) => read(ev).startsWith(s);
    case '!startsWith':
      return (ev) => !read(ev).startsWith(s);
    case 'endsWith':
      return (ev) => read(ev).endsWith(s);
    case '!endsWith':
      return (ev) => !read(ev).endsWith(s);
    case 'contains':
      return (ev) => read(ev).includes(s);
    case '!contains':
      return (ev) => !read(ev).includes(s);
    default:
      throw new ConfigError(`${where}: "${op}" compares numbers; "${key}" is text`);
  }
}

function readerFor(key: string, where: string, identity: Identity): Reader {
  const constant = (text: string): Reader => ({ kind: 'string', read: () => text });
  switch (key) {
    case 'message':
      return { kind: 'string', read: (ev) => ev.message };
    case 'stream':
      return { kind: 'string', read: (ev) => ev.stream };
    case 'kind':
      return { kind: 'string', read: (ev) => ev.kind ?? '' };
    case 'level':
      return { kind: 'number', read: (ev) => ev.level };
    case 'timestamp':
      return { kind: 'number', read: (ev) => ev.timestamp };
    case 'seq':
      return { kind: 'number', read: (ev) => ev.seq };
    case 'agent_id':
      return constant(identity.agentId);
    case 'worker_id':
      return constant(identity.workerId);
    case 'hostname':
      return constant(identity.hostname);
    case 'instance':
      return constant(identity.instance);
  }
  if (key.startsWith('attributes.') && key.length > 'attributes.'.length) {
    // read when asked: the pod's labels / annotations may change while running (PodinfoFollower)
    const name = key.slice('attributes.'.length);
    return { kind: 'string', read: () => identity.attributes[name] ?? '' };
  }
  throw new ConfigError(`${where}: unknown key "${key}" (use ${FILTER_KEYS.join(', ')})`);
}

/** The condition's value in the field's terms: a level word becomes its number, "30" a number. */
function operand(reader: Reader, key: string, value: unknown, where: string): string | number {
  if (key === 'level') {
    const n = typeof value === 'string' ? levelFromName(value.trim()) : undefined;
    if (n === undefined)
      throw new ConfigError(
        `${where}: ${JSON.stringify(value)} is not a level (use ${['trace', 'debug', 'info', 'warn', 'error', 'fatal'].join(', ')})`,
      );
    return n;
  }
  if (reader.kind === 'number') {
    const n =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
    if (!Number.isFinite(n) || (typeof value === 'string' && value.trim() === ''))
      throw new ConfigError(`${where}: "${key}" is a number; ${JSON.stringify(value)} is not`);
    return n;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ConfigError(`${where}: "${key}" compares text; ${JSON.stringify(value)} is not`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** For `forwarder config`: the filter as the user wrote it, on one line. */
export function describeFilter(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}
