import { setFlagsFromString } from 'node:v8';
import { ConfigError } from '../errors.js';
import type { LogEvent } from './event.js';
import { BUILTIN_RULES, BUILTIN_TRIGGERS, REDACTED, type RedactRule } from './redact-patterns.js';

/**
 * FORWARDER_REDACT: secrets are replaced in each event's message before the fan-out, so every
 * drain (the file included) sees the redacted text. Only the value is replaced, never the line.
 *
 * Custom patterns (FORWARDER_REDACT_PATTERNS) are the user's regexes, and a regex can backtrack
 * for ever on a hostile line (`(a+)+$`). They are compiled for V8's linear-time engine (the `l`
 * flag): matching costs time proportional to the line, whatever the pattern. A pattern that engine
 * cannot run (back-references, look-around) is refused at start-up, as is one matching empty text.
 */
export interface RedactionOptions {
  /** built-in rules turned on (all of them for `default`) */
  builtins: readonly RedactRule[];
  custom: readonly RedactRule[];
}

export class Redactor {
  /** replacements made, per rule name */
  readonly counts: Record<string, number> = {};
  /** per trigger scan, the rules it guards that are on (scans guarding none are left out) */
  readonly #groups: { test: RegExp; rules: RedactRule[] }[];
  readonly #custom: readonly RedactRule[];
  /** off while the copies of a structured line's parts are redacted (the line itself was counted) */
  #counting = true;

  constructor(opts: RedactionOptions) {
    // Own copies: a global RegExp carries lastIndex, which no two redactors should share.
    const own = (r: RedactRule): RedactRule => ({
      ...r,
      pattern: new RegExp(r.pattern.source, r.pattern.flags),
    });
    this.#groups = BUILTIN_TRIGGERS.map((t) => ({
      test: t.test,
      rules: opts.builtins.filter((r) => t.rules.includes(r.name)).map(own),
    })).filter((g) => g.rules.length > 0);
    this.#custom = opts.custom.map(own);
    for (const r of [...opts.builtins, ...opts.custom]) this.counts[r.name] = 0;
  }

  /**
   * Replaces secrets in the event's message, in place (the event is not yet shared with any drain);
   * for a structured line also in its original text, its fields and its error, which are copies of
   * parts of that text: a secret is counted once, where the whole line is redacted.
   */
  apply(ev: LogEvent): void {
    const structured = ev.line !== undefined;
    if (structured) {
      const line = this.redact(ev.line!);
      if (line === ev.line) return; // nothing in the line: nothing in its parts
      ev.line = line;
      this.#counting = false;
    }
    try {
      const text = this.redact(ev.message);
      if (text !== ev.message) ev.message = text;
      this.#counting = false;
      if (ev.fieldsJson !== undefined) ev.fieldsJson = this.#redactJson(ev.fieldsJson);
      const e = ev.error;
      if (e !== undefined)
        ev.error = { kind: e.kind, message: this.redact(e.message), stack: this.redact(e.stack) };
    } finally {
      this.#counting = true;
    }
    // Lifecycle events carry the app's command line (`--password=…` happens): their strings too.
    if (ev.data !== undefined)
      for (const [k, v] of Object.entries(ev.data)) if (typeof v === 'string') ev.data[k] = this.redact(v);
  }

  /**
   * Fields are JSON text: redacted as text (so `"password":"…"` rules see the key), kept when the
   * result is still JSON; else (a rule matched a number or across quotes) each value is redacted
   * with its key beside it, and the object re-encoded.
   */
  #redactJson(json: string): string {
    const text = this.redact(json);
    if (text === json) return json;
    try {
      JSON.parse(text);
      return text;
    } catch {
      const walk = (v: unknown, key: string): unknown => {
        if (Array.isArray(v)) return v.map((x) => walk(x, key));
        if (v !== null && typeof v === 'object') {
          const out: Record<string, unknown> = {};
          for (const [k, x] of Object.entries(v))
            Object.defineProperty(out, k, { value: walk(x, k), enumerable: true });
          return out;
        }
        if (typeof v !== 'string' && typeof v !== 'number') return v;
        const pair = JSON.stringify({ [key]: String(v) });
        const red = this.redact(pair);
        if (red === pair) return v;
        try {
          return (JSON.parse(red) as Record<string, string>)[key];
        } catch {
          return REDACTED;
        }
      };
      return JSON.stringify(walk(JSON.parse(json), ''));
    }
  }

  redact(text: string): string {
    let out = text;
    for (let g = 0; g < this.#groups.length; g++) {
      const group = this.#groups[g]!;
      if (!group.test.test(out)) continue;
      for (let i = 0; i < group.rules.length; i++) out = this.#run(group.rules[i]!, out);
    }
    for (let i = 0; i < this.#custom.length; i++) out = this.#run(this.#custom[i]!, out);
    return out;
  }

  #run(rule: RedactRule, text: string): string {
    return text.replace(rule.pattern, (match: string, ...rest: unknown[]) => {
      const value = firstGroup(rest) ?? match;
      if (value === '' || (rule.accept !== undefined && !rule.accept(value))) return match;
      if (this.#counting) this.counts[rule.name]!++;
      if (value === match) return REDACTED;
      // Without group offsets (the linear engine has no `d` flag) the value is found in the match:
      // where it occurs once, that is it; a built-in rule's value is always its last part; for a
      // custom pattern every occurrence is hidden (on the safe side).
      const at = match.lastIndexOf(value);
      if (match.indexOf(value) !== at && rule.custom) return match.split(value).join(REDACTED);
      return `${match.slice(0, at)}${REDACTED}${match.slice(at + value.length)}`;
    });
  }
}

/** The first capture group that took part in the match (`replace` passes groups, then offset, string). */
function firstGroup(rest: unknown[]): string | undefined {
  for (const g of rest) {
    if (typeof g === 'string') return g;
    if (typeof g === 'number') return undefined;
  }
  return undefined;
}

/**
 * `FORWARDER_REDACT`: `default` (every built-in rule), `off`, or a comma-separated list of rule
 * names; `FORWARDER_REDACT_PATTERNS`: a JSON object of name → regex. Undefined when nothing is on.
 */
export function redactionOptions(
  rules: string | undefined,
  patterns: string | undefined,
  where: { rules: string; patterns: string },
): RedactionOptions | undefined {
  const builtins: RedactRule[] = [];
  const words = (rules ?? '')
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  for (const w of words) {
    if (w === 'off' || w === 'none' || w === 'false' || w === 'no' || w === '0') {
      if (words.length > 1)
        throw new ConfigError(`${where.rules}: "${w}" cannot be combined with other rules`);
      continue;
    }
    if (w === 'default' || w === 'on' || w === 'true' || w === 'yes' || w === '1') {
      for (const r of BUILTIN_RULES) if (!builtins.includes(r)) builtins.push(r);
      continue;
    }
    const rule = BUILTIN_RULES.find((r) => r.name === w);
    if (!rule)
      throw new ConfigError(
        `${where.rules}: unknown rule "${w}" (use default, off, or some of ${BUILTIN_RULES.map((r) => r.name).join(', ')}; own patterns go in ${where.patterns})`,
      );
    if (!builtins.includes(rule)) builtins.push(rule);
  }
  const custom = patterns?.trim() ? compileCustomPatterns(patterns, where.patterns) : [];
  if (builtins.length === 0 && custom.length === 0) return undefined;
  return { builtins, custom };
}

const MAX_CUSTOM_PATTERNS = 32;
const MAX_PATTERN_CHARS = 1024;

export function compileCustomPatterns(text: string, where: string): RedactRule[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `${where} is not valid JSON (${(err as Error).message}); use {"name":"regex", …}, e.g. {"order_id":"ORD-[0-9]{8}"}`,
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(`${where} must be a JSON object of name → regex`);
  const entries = Object.entries(doc as Record<string, unknown>);
  if (entries.length > MAX_CUSTOM_PATTERNS)
    throw new ConfigError(`${where} has ${entries.length} patterns; at most ${MAX_CUSTOM_PATTERNS}`);
  enableLinearEngine();
  return entries.map(([name, source]) => {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(name))
      throw new ConfigError(`${where}: pattern name "${name}" must be lower-case letters, digits and _`);
    if (BUILTIN_RULES.some((r) => r.name === name))
      throw new ConfigError(`${where}: "${name}" is a built-in rule's name; choose another`);
    if (typeof source !== 'string' || source === '')
      throw new ConfigError(`${where}: pattern "${name}" must be a non-empty string`);
    if (source.length > MAX_PATTERN_CHARS)
      throw new ConfigError(`${where}: pattern "${name}" is longer than ${MAX_PATTERN_CHARS} characters`);
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, 'gl');
    } catch (err) {
      const message = (err as Error).message;
      if (/linear time/.test(message))
        throw new ConfigError(
          `${where}: pattern "${name}" is refused: it needs back-references or look-around, which can take exponential time on hostile input; rewrite it without them`,
        );
      if (/Invalid flags/.test(message))
        throw new ConfigError(
          `${where}: this Node.js has no linear-time regex engine, so custom patterns cannot be bounded and are refused`,
        );
      throw new ConfigError(
        `${where}: pattern "${name}" is not a valid regex (${message.replace(/^.*: /, '')})`,
      );
    }
    if (pattern.test('')) throw new ConfigError(`${where}: pattern "${name}" matches empty text`);
    pattern.lastIndex = 0;
    return { name, pattern, doc: `custom pattern ${source}`, custom: true };
  });
}

let linearEngineEnabled = false;

/** V8's linear-time engine is behind a flag; it is read when a RegExp is compiled, so turning it on here is enough. */
function enableLinearEngine(): void {
  if (linearEngineEnabled) return;
  setFlagsFromString('--enable-experimental-regexp-engine');
  linearEngineEnabled = true;
}
