import { inspect } from 'node:util';

const MASK = '[secret]';
/** Every secret value seen by the process, so that our own output can be scrubbed of them. */
const knownSecrets = new Set<string>();

/**
 * A secret masks itself everywhere a value can leak by accident: string conversion, JSON,
 * util.inspect (and so pino and console). Only `reveal()` gives the value, at the wire.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    // Very short values would scrub ordinary words from our output; they are still masked as values.
    if (value.length >= 4) knownSecrets.add(value);
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return MASK;
  }
  toJSON(): string {
    return MASK;
  }
  [inspect.custom](): string {
    return MASK;
  }
}

/** Registers a value that is secret but not held in a Secret (a URL's password, a header value). */
export function registerSecretValue(value: string): void {
  if (value.length >= 4) knownSecrets.add(value);
}

/** Replaces every known secret value in `text`. Used on every line of our own output. */
export function scrubSecrets(text: string): string {
  if (knownSecrets.size === 0) return text;
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return out;
}

export function allSecretValues(): string[] {
  return [...knownSecrets];
}

/** Masks userinfo and query values of a URL for display; the path stays readable. */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username) url.username = '****';
    if (url.password) url.password = '****';
    for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '****');
    return url.toString();
  } catch {
    return MASK;
  }
}

/**
 * Masks what may be credentials in a setting shown as text that is not (or not yet) a parsed URL:
 * everything before the last `@` of the authority (`tcp://****@host:port`, `****@host:port`) and
 * every query value. Used whether the value parses or not, so a malformed one never leaks either.
 */
export function maskCredentials(raw: string): string {
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(raw);
  const start = scheme ? scheme[0].length : 0;
  let out = raw;
  const at = out.lastIndexOf('@');
  // without a scheme, only `user@host` shapes: a path such as /var/log/a@b is not an endpoint
  if (at >= start && (scheme || !out.slice(0, at).includes('/')))
    out = `${out.slice(0, start)}****${out.slice(at)}`;
  const query = scheme ? out.indexOf('?', start) : -1;
  if (query !== -1) out = `${out.slice(0, query)}?****`;
  return out;
}
