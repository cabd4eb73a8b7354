import type { LogEvent } from '../../pipeline/event.js';
import { type LevelName, levelName } from '../../pipeline/levels.js';
import { jsonString } from './json-string.js';

/**
 * Small pieces the vendor encoders share: per-level and per-stream JSON fragments built once
 * (pino's lsCache idea), the optional `attributes` object, and "base URL or full URL" endpoints.
 */

/** level number → the vendor's word as a JSON string literal, looked up in an array (no per-line work). */
/** Our own level words, for vendors that take them as they are. */
const OWN_WORDS: Readonly<Record<LevelName, string>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

export function levelJson(words: Readonly<Record<LevelName, string>> = OWN_WORDS): (level: number) => string {
  const table: string[] = [];
  for (let n = 0; n <= 60; n += 10) table.push(JSON.stringify(words[levelName(n)]));
  const info = table[3]!;
  return (level) => table[level / 10] ?? info;
}

/** JSON.stringify(stream), cached: there are only a handful of stream names in a process. */
export function streamJson(): (stream: string) => string {
  const cache = new Map<string, string>();
  return (stream) => {
    let s = cache.get(stream);
    if (s === undefined) {
      s = JSON.stringify(stream);
      cache.set(stream, s);
    }
    return s;
  };
}

/** `,"attributes":{…}` when there are attributes (FORWARDER_ATTRIBUTES and the drain's own), else ''. */
export function attributesFragment(...maps: (Readonly<Record<string, string>> | undefined)[]): string {
  const merged: Record<string, string> = {};
  for (const m of maps) if (m) Object.assign(merged, m);
  return Object.keys(merged).length > 0 ? `,"attributes":${JSON.stringify(merged)}` : '';
}

/**
 * A user's endpoint setting may be a base URL (`https://host:8088`) or the full intake URL: a URL
 * with no path gets the vendor's default path; one with a path is used as given.
 */
export function withDefaultPath(raw: string, defaultPath: string): string {
  const url = new URL(raw);
  if (url.pathname === '' || url.pathname === '/') url.pathname = defaultPath;
  return url.toString();
}

/**
 * A timestamp formatter that remembers its last answer: every line of a chunk shares one read
 * time, so formatting (toISOString, toFixed) runs once per chunk rather than once per line.
 */
export function cachedTime(format: (ms: number) => string): (ms: number) => string {
  let lastMs = Number.NaN;
  let last = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      last = format(ms);
    }
    return last;
  };
}

/**
 * A record fragment per stream and level, made on first use and kept: a process has a handful of
 * streams and six levels, so the table stays small.
 */
export function fragmentTable(
  make: (stream: string, level: number) => string,
): (stream: string, level: number) => string {
  const byStream = new Map<string, string[]>();
  return (stream, level) => {
    let row = byStream.get(stream);
    if (row === undefined) {
      row = [];
      byStream.set(stream, row);
    }
    const i = level / 10;
    let fragment = row[i];
    if (fragment === undefined) {
      fragment = make(stream, level);
      row[i] = fragment;
    }
    return fragment;
  };
}

export const isoTime = (): ((ms: number) => string) => cachedTime((ms) => new Date(ms).toISOString());

/** `,"<key>":{…}` with the app's fields (README "Structured events"), or '' when the event has none. */
export function fieldsFragment(ev: LogEvent, key: string): string {
  return ev.fieldsJson === undefined ? '' : `,${key}:${ev.fieldsJson}`;
}

/** `,"<traceKey>":"…","<spanKey>":"…"` for the ids the event carries, or ''. Keys are JSON literals. */
export function traceFragment(ev: LogEvent, traceKey: string, spanKey: string): string {
  if (ev.traceId === undefined) return ev.spanId === undefined ? '' : `,${spanKey}:"${ev.spanId}"`;
  return ev.spanId === undefined
    ? `,${traceKey}:"${ev.traceId}"`
    : `,${traceKey}:"${ev.traceId}",${spanKey}:"${ev.spanId}"`;
}

/**
 * `,"<key>":{"kind":…,"message":…,"stack":…}` (names as given, JSON literals), or ''. A vendor's
 * attributes (`whole` false) leave out a kind or stack the error has not (zap's `error` text has no
 * type): Datadog Error Tracking and New Relic group by the type, and `""` is no type. The canonical
 * event (file, webhook) keeps all three, its documented shape.
 */
export function errorFragment(
  ev: LogEvent,
  key: string,
  kind: string,
  message: string,
  stack: string,
  whole = false,
): string {
  const e = ev.error;
  if (e === undefined) return '';
  if (whole)
    return `,${key}:{${kind}:${jsonString(e.kind)},${message}:${jsonString(e.message)},${stack}:${jsonString(e.stack)}}`;
  const k = e.kind === '' ? '' : `${kind}:${jsonString(e.kind)},`;
  const st = e.stack === '' ? '' : `,${stack}:${jsonString(e.stack)}`;
  return `,${key}:{${k}${message}:${jsonString(e.message)}${st}}`;
}

/**
 * The app's fields as flat attributes (`a.b` for nested objects) for vendors whose attributes are
 * scalars (New Relic: no arrays; Sentry: typed scalars): arrays become their JSON text, and at most
 * `max` attributes are kept (the cut is the vendor's own attribute limit).
 */
export function flatFields(
  fieldsJson: string,
  prefix: string,
  max: number,
): [string, string | number | boolean][] {
  const out: [string, string | number | boolean][] = [];
  const walk = (o: Record<string, unknown>, p: string): void => {
    for (const k of Object.keys(o)) {
      if (out.length >= max) return;
      const v = o[k];
      if (v === null || v === undefined) continue;
      if (Array.isArray(v)) out.push([p + k, JSON.stringify(v)]);
      else if (typeof v === 'object') walk(v as Record<string, unknown>, `${p}${k}.`);
      else out.push([p + k, v as string | number | boolean]);
    }
  };
  walk(JSON.parse(fieldsJson) as Record<string, unknown>, prefix);
  return out;
}
