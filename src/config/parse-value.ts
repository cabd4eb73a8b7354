import { ConfigError } from '../errors.js';
import { levelFromName } from '../pipeline/levels.js';
import type { SettingDef } from './settings.js';

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};
const DURATION_UNITS: Record<string, number> = { ms: 1, '': 1000, s: 1000, m: 60_000, h: 3_600_000 };

export function parseBytes(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  if (!m) return undefined;
  const unit = BYTE_UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? undefined : Math.floor(Number(m[1]) * unit);
}

/** A bare number is seconds, as in most log shippers' configs; `500ms`, `10s`, `2m`, `1h`. */
export function parseDuration(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(raw);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * DURATION_UNITS[(m[2] ?? '').toLowerCase()]!);
}

export function parseBool(raw: string): boolean | undefined {
  switch (raw.trim().toLowerCase()) {
    case '1':
    case 'true':
    case 'yes':
    case 'on':
      return true;
    case '0':
    case 'false':
    case 'no':
    case 'off':
    case '':
      return false;
    default:
      return undefined;
  }
}

/** `k=v,k2=v2`; a value may contain `=`; whitespace around pairs is ignored. */
export function parseMap(raw: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function fail(where: string, what: string, shown: string, hint: string): never {
  throw new ConfigError(`${where} is not ${what}: ${shown} (${hint})`);
}

/**
 * Turns one raw value (a string from env/flags, or a YAML scalar/map) into the setting's type.
 * `where` names the source for the message: `FORWARDER_FLUSH_TIMEOUT`, `--flush-timeout` or
 * `forwarder.yaml:7 flush_timeout`.
 */
export function parseSettingValue(def: SettingDef, raw: unknown, where: string): unknown {
  const shown = def.secret ? '(secret value hidden)' : JSON.stringify(raw);
  if (def.type === 'map' && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = String(v);
    return def.httpHeaders ? checkHeaders(out, where) : out;
  }
  if (def.type === 'json' && raw !== null && typeof raw === 'object') return JSON.stringify(raw);
  if (raw !== null && typeof raw === 'object') fail(where, 'a single value', shown, def.doc);
  const text = String(raw);
  switch (def.type) {
    case 'string':
    case 'json':
      return text;
    case 'int': {
      const n = Number(text);
      if (!Number.isInteger(n)) fail(where, 'a whole number', shown, `e.g. ${def.default ?? 100}`);
      return checkRange(def, n, where, String(n));
    }
    case 'bytes': {
      const n = typeof raw === 'number' ? raw : parseBytes(text);
      if (n === undefined) fail(where, 'a size', shown, 'e.g. 32MiB, 256KiB or a number of bytes');
      return checkRange(def, n, where, text);
    }
    case 'duration': {
      const n = parseDuration(text);
      if (n === undefined) fail(where, 'a duration', shown, 'e.g. 500ms, 10s, 2m; a bare number is seconds');
      return checkRange(def, n, where, text);
    }
    case 'bool': {
      const b = typeof raw === 'boolean' ? raw : parseBool(text);
      if (b === undefined) fail(where, 'true or false', shown, 'use 1/0, true/false, yes/no or on/off');
      return b;
    }
    case 'enum': {
      const v = text.trim().toLowerCase();
      if (!def.values?.includes(v))
        fail(where, 'one of the allowed values', shown, `use ${def.values?.join(', ')}`);
      return v;
    }
    case 'level': {
      const n = levelFromName(text.trim());
      if (n === undefined) fail(where, 'a level', shown, 'use trace, debug, info, warn, error or fatal');
      return n;
    }
    case 'url': {
      let url: URL;
      try {
        url = new URL(text.trim());
      } catch {
        // A URL may carry user:password@ or ?token=: an unparsable one cannot be masked, so no part is shown.
        throw new ConfigError(
          `${where} is not a URL (value hidden: it may hold credentials); ${urlProblem(text)}`,
        );
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        fail(where, 'an http(s) URL', def.secret ? shown : JSON.stringify(url.protocol), 'use https://…');
      }
      return text.trim();
    }
    case 'map': {
      const m = parseMap(text);
      if (!m) fail(where, 'a list of key=value pairs', shown, 'e.g. env=prod,team=core');
      return def.httpHeaders ? checkHeaders(m, where) : m;
    }
  }
}

/** RFC 9110 token characters: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header values: visible Latin-1 and blanks inside, never CR, LF, NUL or another control byte. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the HTTP client sets itself; a request that sets them could never be sent. */
const CLIENT_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
  'host',
]);
/** Headers the drain sets on every request (body type, gzip, WEBHOOK_SECRET's signature): a second copy would be sent. */
const DRAIN_HEADERS = new Set([
  'content-type',
  'content-encoding',
  'x-webhook-timestamp',
  'x-webhook-signature',
]);

/**
 * Checked here, once, so that a header that no request could carry is a config error naming the
 * setting, not an error on every request. Values are secrets: only the header's name is shown.
 */
function checkHeaders(headers: Record<string, string>, where: string): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw new ConfigError(
        `${where} has a header name that HTTP does not allow: ${JSON.stringify(name)} (use letters, digits and - only)`,
      );
    if (CLIENT_HEADERS.has(name.toLowerCase()))
      throw new ConfigError(`${where} sets ${name}, which the HTTP client sets itself: remove it`);
    if (DRAIN_HEADERS.has(name.toLowerCase()))
      throw new ConfigError(`${where} sets ${name}, which forwarder sets on every request itself: remove it`);
    if (!HEADER_VALUE.test(value)) {
      const what = /[\r\n]/.test(value)
        ? 'a line break (CR or LF)'
        : /[\x00-\x1f\x7f]/.test(value)
          ? 'a control character'
          : 'a character outside Latin-1';
      throw new ConfigError(
        `${where}: the value of header ${name} contains ${what}, which HTTP headers cannot carry (value hidden)`,
      );
    }
  }
  return headers;
}

/** What is likely wrong with an unparsable URL, said without quoting any of it. */
function urlProblem(text: string): string {
  const trimmed = text.trim();
  if (/\s/.test(trimmed)) return 'it contains a space or another blank: percent-encode it (%20)';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return 'it must start with https:// or http://';
  const authority = trimmed.slice(trimmed.indexOf('//') + 2);
  if (authority.includes('@'))
    return 'a # / ? @ or % in the user name or password must be percent-encoded (# is %23, / is %2F, @ is %40)';
  return 'expected https://host[:port]/path';
}

/** As a person writes it (and the parser reads it back): `10s`, `500ms`, `5m`, `1h`. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `32MiB`, `256KiB`, or a plain number of bytes when no binary unit divides it. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const)
    if (bytes > 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

function checkRange(def: SettingDef, n: number, where: string, shown: string): number {
  // limits in the setting's own units, as the user writes them
  const unit = (v: number): string =>
    def.type === 'duration' ? formatDuration(v) : def.type === 'bytes' ? formatBytes(v) : String(v);
  if (def.min !== undefined && n < def.min) {
    throw new ConfigError(`${where} is too small: ${shown} (the minimum is ${unit(def.min)})`);
  }
  if (def.max !== undefined && n > def.max) {
    throw new ConfigError(`${where} is too large: ${shown} (the maximum is ${unit(def.max)})`);
  }
  return n;
}
