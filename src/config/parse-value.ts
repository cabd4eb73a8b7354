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
    return out;
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
        fail(where, 'a URL', shown, 'e.g. https://host:port/path');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        fail(where, 'an http(s) URL', def.secret ? shown : JSON.stringify(url.protocol), 'use https://…');
      }
      return text.trim();
    }
    case 'map': {
      const m = parseMap(text);
      if (!m) fail(where, 'a list of key=value pairs', shown, 'e.g. env=prod,team=core');
      return m;
    }
  }
}

function checkRange(def: SettingDef, n: number, where: string, shown: string): number {
  if (def.min !== undefined && n < def.min) {
    throw new ConfigError(`${where} is too small: ${shown} (the minimum is ${def.min})`);
  }
  if (def.max !== undefined && n > def.max) {
    throw new ConfigError(`${where} is too large: ${shown} (the maximum is ${def.max})`);
  }
  return n;
}
