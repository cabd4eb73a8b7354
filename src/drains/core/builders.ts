import type { SettingDef } from '../../config/settings.js';
import type { HttpRequestParts } from './types.js';

/**
 * The settings and requests most drains have, written once: a new drain lists
 * `tokenSetting(...)`, `urlSetting(...)`, … and builds its request with `httpRequest(...)`.
 * `more` adds or overrides fields (aliases, defaultDoc, …).
 */
type More = Partial<Omit<SettingDef, 'key' | 'env' | 'doc'>>;

/** A secret string (API key, token, password): masked everywhere, also read from `<ENV>_FILE`. */
export function tokenSetting(key: string, env: string, doc: string, more: More = {}): SettingDef {
  return { key, env, type: 'string', secret: true, doc, ...more };
}

/** An endpoint URL (checked when read; userinfo in it is a secret). */
export function urlSetting(key: string, env: string, doc: string, more: More = {}): SettingDef {
  return { key, env, type: 'url', doc, ...more };
}

/** `k=v,k2=v2` added to every record. */
export function attributesSetting(key: string, env: string, doc: string, more: More = {}): SettingDef {
  return { key, env, type: 'map', doc, ...more };
}

/** Extra HTTP request headers, `k=v,k2=v2`: checked as HTTP allows, values treated as secrets. */
export function headersSetting(key: string, env: string, doc: string, more: More = {}): SettingDef {
  return { key, env, type: 'map', secret: true, httpHeaders: true, doc, ...more };
}

/**
 * One request: POST to `url` with the body's content type, our user agent and the drain's own
 * headers (auth, vendor headers), which win.
 */
export function httpRequest(
  url: string,
  contentType: string,
  version: string,
  headers: Readonly<Record<string, string>> = {},
): HttpRequestParts {
  return { url, headers: { 'content-type': contentType, 'user-agent': `forwarder/${version}`, ...headers } };
}
