import { readFileSync } from 'node:fs';
import type { Node as YamlNode } from 'yaml';
import { ConfigError, errorMessage } from '../errors.js';
import { parseSettingValue } from './parse-value.js';
import { registerSecretValue, Secret } from './secret.js';
import type { SettingDef } from './settings.js';
import { yamlParser } from './yaml-parser.js';

export type FlagValues = Record<string, string | boolean | undefined>;

interface Resolved {
  def: SettingDef;
  /** parsed value; a Secret for secret settings */
  value: unknown;
  /** where the value came from: `flag --x`, `env X`, `env X_FILE`, `file.yaml:12`, `default` */
  origin: string;
  /** a bad value: raised when the setting is read, so only its owner (core or one drain) fails */
  error?: ConfigError;
  /** other variables that also set it and lose (`X_FILE` when `X` is set, an alias): named, never silently */
  shadowed?: string[];
}

/**
 * The effective configuration: flags > environment (including NAME_FILE for secrets) > YAML >
 * defaults. Bad values are kept as errors on their key, so that a drain's bad setting disables
 * that drain alone, while core settings fail start-up.
 */
export class ResolvedConfig {
  readonly #byKey = new Map<string, Resolved>();
  readonly yamlPath: string | undefined;

  constructor(entries: Resolved[], yamlPath: string | undefined) {
    for (const e of entries) this.#byKey.set(e.def.key, e);
    this.yamlPath = yamlPath;
  }

  /** The value of a setting (a Secret for secrets); throws the setting's ConfigError if its value is bad. */
  get<T = unknown>(key: string): T | undefined {
    const r = this.#byKey.get(key);
    if (!r) throw new Error(`unknown setting ${key}`);
    if (r.error) throw r.error;
    return r.value as T | undefined;
  }

  /** True when the user set it (not a default). */
  isSet(key: string): boolean {
    const r = this.#byKey.get(key);
    return r !== undefined && r.origin !== 'default' && r.origin !== 'unset';
  }

  origin(key: string): string {
    return this.#byKey.get(key)?.origin ?? 'unset';
  }

  /** The variables that were also set for this setting and are ignored (the one in use wins). */
  shadowed(key: string): readonly string[] {
    return this.#byKey.get(key)?.shadowed ?? [];
  }

  /** How the user named it, for messages: the env variable, or the flag if it came from one. */
  nameOf(key: string): string {
    const r = this.#byKey.get(key);
    if (!r) return key;
    if (r.origin.startsWith('flag ') || r.origin.startsWith('env '))
      return r.origin.slice(r.origin.indexOf(' ') + 1);
    if (r.origin.includes(':')) return `${r.origin}: ${key}`;
    return r.def.env;
  }

  entries(): readonly Resolved[] {
    return [...this.#byKey.values()];
  }

  /** Errors of the given settings (e.g. all core ones), one line each. */
  errorsOf(keys: Iterable<string>): ConfigError[] {
    const out: ConfigError[] = [];
    for (const k of keys) {
      const e = this.#byKey.get(k)?.error;
      if (e) out.push(e);
    }
    return out;
  }
}

export interface LoadOptions {
  defs: readonly SettingDef[];
  flags: FlagValues;
  env: NodeJS.ProcessEnv;
  /** from --config, else FORWARDER_CONFIG */
  configPath: string | undefined;
}

export function loadConfig(opts: LoadOptions): ResolvedConfig {
  const yaml = opts.configPath ? readYaml(opts.configPath, opts.defs) : new Map<string, YamlValue>();
  const entries: Resolved[] = [];
  for (const def of opts.defs) entries.push(resolveOne(def, opts, yaml));
  return new ResolvedConfig(entries, opts.configPath);
}

function resolveOne(def: SettingDef, opts: LoadOptions, yaml: Map<string, YamlValue>): Resolved {
  const resolved = resolveValue(def, opts, yaml);
  const shadowed = shadowedNames(def, opts, resolved.origin);
  return shadowed.length > 0 ? { ...resolved, shadowed } : resolved;
}

/** Every variable that sets `def` besides the one used (`origin`), in precedence order. */
function shadowedNames(def: SettingDef, opts: LoadOptions, origin: string): string[] {
  const names: string[] = [];
  if (def.flag && opts.flags[camel(def.flag)] !== undefined) names.push(`--${def.flag}`);
  for (const name of [def.env, ...(def.aliases ?? [])]) {
    const v = opts.env[name];
    if (v !== undefined && v !== '') names.push(name);
    if (def.secret && opts.env[`${name}_FILE`]) names.push(`${name}_FILE`);
  }
  const used = origin.replace(/^(flag|env) /, '');
  return names.includes(used) ? names.filter((n) => n !== used) : [];
}

function resolveValue(def: SettingDef, opts: LoadOptions, yaml: Map<string, YamlValue>): Resolved {
  const pick = (): { raw: unknown; origin: string; where: string } | undefined => {
    const flag = def.flag ? opts.flags[camel(def.flag)] : undefined;
    if (flag !== undefined) return { raw: flag, origin: `flag --${def.flag}`, where: `--${def.flag}` };
    for (const name of [def.env, ...(def.aliases ?? [])]) {
      const v = opts.env[name];
      if (v !== undefined && v !== '') return { raw: v, origin: `env ${name}`, where: name };
      if (def.secret) {
        const file = opts.env[`${name}_FILE`];
        if (file)
          return {
            raw: readSecretFile(`${name}_FILE`, file),
            origin: `env ${name}_FILE`,
            where: `${name}_FILE`,
          };
      }
    }
    const y = yaml.get(def.key);
    // `file.yaml:12: key`, the same shape as the file's own errors (`file.yaml:12: unknown setting …`)
    if (y !== undefined) return { raw: y.value, origin: y.where, where: `${y.where}: ${def.key}` };
    return undefined;
  };
  let picked: ReturnType<typeof pick>;
  try {
    picked = pick();
  } catch (err) {
    return { def, value: undefined, origin: 'error', error: asConfigError(err) };
  }
  if (!picked)
    return {
      def,
      value: def.default === undefined ? undefined : defaultValue(def),
      origin: def.default === undefined ? 'unset' : 'default',
    };
  try {
    const parsed = parseSettingValue(def, picked.raw, picked.where);
    if (def.secret && typeof parsed === 'string')
      return { def, value: new Secret(parsed), origin: picked.origin };
    if (def.secret && parsed && typeof parsed === 'object') {
      for (const v of Object.values(parsed as Record<string, string>)) registerSecretValue(v);
    }
    // Any endpoint may carry credentials (user:password@host, ?token=…): scrubbed from our output.
    if (mayHoldCredentials(def) && typeof parsed === 'string') registerUrlCredentials(parsed);
    return { def, value: parsed, origin: picked.origin };
  } catch (err) {
    // Even a URL that does not parse is kept out of our output (its error never quotes it either).
    if (mayHoldCredentials(def) && typeof picked.raw === 'string') registerUrlCredentials(picked.raw);
    return { def, value: undefined, origin: picked.origin, error: asConfigError(err) };
  }
}

/** URL settings, and endpoints written as host:port (syslog), which may still carry user:password@. */
function mayHoldCredentials(def: { type: string; key: string }): boolean {
  return def.type === 'url' || /(^|\.)endpoint$/.test(def.key);
}

function registerUrlCredentials(raw: string): void {
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    url = undefined;
  }
  // Unparsable, or no `//` (so `svc:pw@host:port` would be read as scheme `svc:`): whatever sits
  // between `scheme://` (or the start) and the last `@` may be user:password.
  if (!url || !raw.includes('://')) {
    const start = raw.indexOf('://');
    const at = raw.lastIndexOf('@');
    if (at > start) {
      const userinfo = raw.slice(start === -1 ? 0 : start + 3, at).trim();
      const colon = userinfo.indexOf(':');
      registerSecretValue(colon === -1 ? userinfo : userinfo.slice(colon + 1));
    }
    return;
  }
  if (url.password) registerSecretValue(safeDecode(url.password));
  // A user-only userinfo (`https://TOKEN@host`) is how many services take a token.
  else if (url.username) registerSecretValue(safeDecode(url.username));
  for (const v of url.searchParams.values()) registerSecretValue(v);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Defaults are written in internal units (ms, bytes) already; only words need parsing. */

function defaultValue(def: SettingDef): unknown {
  return typeof def.default === 'string' ? parseSettingValue(def, def.default, 'default') : def.default;
}

function asConfigError(err: unknown): ConfigError {
  return err instanceof ConfigError ? err : new ConfigError(errorMessage(err));
}

function readSecretFile(name: string, path: string): string {
  try {
    // Secret files from Kubernetes/Docker usually end in one newline that is not part of the value.
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`${name} names a file that cannot be read: ${path} (${code})`);
  }
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

interface YamlValue {
  value: unknown;
  where: string;
}

/** Reads the YAML file into `key path → value`, rejecting unknown keys with their line. */
function readYaml(path: string, defs: readonly SettingDef[]): Map<string, YamlValue> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read the config file ${path} (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)}); check --config / FORWARDER_CONFIG`,
    );
  }
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yamlParser();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: YamlNode | null | undefined): number =>
    node?.range ? lines.linePos(node.range[0]).line : 1;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lines.linePos(e.pos[0]).line;
    throw new ConfigError(`${path}:${line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const out = new Map<string, YamlValue>();
  const known = new Set(defs.map((d) => d.key));
  const sections = new Set(
    defs.filter((d) => d.key.includes('.')).map((d) => d.key.slice(0, d.key.indexOf('.'))),
  );
  const typeOf = new Map(defs.map((d) => [d.key, d.type]));
  const root = doc.contents;
  if (root === null || root === undefined) return out;
  if (!isMap(root))
    throw new ConfigError(
      `${path}:${lineOf(root as YamlNode)}: the config file must be a mapping of settings`,
    );

  const walk = (map: { items: { key: unknown; value: unknown }[] }, prefix: string): void => {
    for (const pair of map.items) {
      const keyNode = pair.key as YamlNode;
      const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const full = prefix ? `${prefix}.${name}` : name;
      const line = lineOf(keyNode);
      const valueNode = pair.value as YamlNode | null;
      if (!prefix && sections.has(name) && !known.has(full)) {
        if (!isMap(valueNode))
          throw new ConfigError(`${path}:${line}: ${full} must be a mapping of that drain's settings`);
        walk(valueNode, full);
        continue;
      }
      if (!known.has(full)) {
        const hint = closest(full, [...known]);
        throw new ConfigError(
          `${path}:${line}: unknown setting "${full}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
        );
      }
      const structured = typeOf.get(full) === 'json' || (isMap(valueNode) && typeOf.get(full) === 'map');
      if ((isSeq(valueNode) || isMap(valueNode)) && !structured) {
        throw new ConfigError(`${path}:${line}: ${full} must be a single value`);
      }
      const value =
        valueNode === null || valueNode === undefined ? null : (valueNode as { toJSON(): unknown }).toJSON();
      if (value === null) continue;
      out.set(full, { value, where: `${path}:${line}` });
    }
  };
  walk(root, '');
  return out;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Math.max(3, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
