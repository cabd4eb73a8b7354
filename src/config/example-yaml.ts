import type { SettingDef } from './settings.js';

/**
 * forwarder.example.yaml, generated from the settings table (core rows + every drain's rows), so it
 * documents exactly the settings that exist. Layout, which the completeness test relies on:
 * - comment lines start with "# " (or "  # " inside a section);
 * - a setting is one commented-out line, "#key: default" at the top level and "#  key: default"
 *   inside a drain's section (under "#section:"): removing the leading "#" of those lines gives a
 *   valid file that sets every default.
 */
export function exampleYaml(
  defs: readonly SettingDef[],
  sectionDocs: Readonly<Record<string, string>>,
): string {
  const out: string[] = [
    '# forwarder.example.yaml: every setting, with its environment variable, flag and default.',
    '# Generated from the settings table by `forwarder config --example`; do not edit by hand.',
    '#',
    '# Use it with `--config <file>` or FORWARDER_CONFIG=<file>. Precedence: flags > environment > this',
    '# file > defaults. Unknown keys are errors. Everything below is commented out: a line "#key: value"',
    '# shows the default; remove its "#" to set it. Keep secrets (API keys, tokens) in the environment',
    '# or in a file named by NAME_FILE (e.g. a mounted Kubernetes Secret), not here.',
    '# Sizes: 512KiB, 32MiB or bytes. Durations: 500ms, 10s, 2m; a bare number is seconds.',
  ];
  const top = defs.filter((d) => !d.key.includes('.'));
  const sections = new Map<string, SettingDef[]>();
  for (const d of defs) {
    if (!d.key.includes('.')) continue;
    const name = d.key.slice(0, d.key.indexOf('.'));
    const list = sections.get(name) ?? [];
    list.push(d);
    sections.set(name, list);
  }
  out.push('', '# ─── core ───');
  for (const d of top) {
    out.push('');
    for (const line of describe(d)) out.push(`# ${line}`);
    out.push(`#${d.key}:${valueText(d)}`);
  }
  for (const [name, list] of sections) {
    const about = sectionDocs[name];
    out.push('', `# ─── drain: ${name} ───`);
    if (about) for (const line of wrap(about, 96)) out.push(`# ${line}`);
    out.push(`#${name}:`);
    list.forEach((d, i) => {
      if (i > 0) out.push('');
      for (const line of describe(d)) out.push(`  # ${line}`);
      out.push(`#  ${d.key.slice(name.length + 1)}:${valueText(d)}`);
    });
  }
  return `${out.join('\n')}\n`;
}

function describe(d: SettingDef): string[] {
  const where = [`env ${d.env}`];
  if (d.secret) where.push(`or ${d.env}_FILE (a file holding the value)`);
  for (const a of d.aliases ?? []) where.push(`or ${a}`);
  if (d.flag) where.push(`flag --${d.type === 'bool' && d.default === true ? 'no-' : ''}${d.flag}`);
  const facts: string[] = [where.join(', ')];
  if (d.defaultDoc) facts.push(`default: ${d.defaultDoc}`);
  else if (d.default !== undefined) facts.push(`default: ${shown(d, d.default)}`);
  else facts.push('default: unset');
  if (d.values) facts.push(`one of: ${d.values.join(', ')}`);
  if (d.min !== undefined || d.max !== undefined) {
    const lo = d.min === undefined ? undefined : shown(d, d.min);
    const hi = d.max === undefined ? undefined : shown(d, d.max);
    facts.push(lo && hi ? `from ${lo} to ${hi}` : lo ? `at least ${lo}` : `at most ${hi}`);
  }
  if (d.secret) facts.push('secret');
  return [...wrap(d.doc, 96), ...wrap(`${facts.join('; ')}.`, 96)];
}

/** The value part of the setting line: " <default>", or nothing when the default is computed or unset. */
function valueText(d: SettingDef): string {
  if (d.default === undefined || d.defaultDoc) return '';
  return ` ${shown(d, d.default)}`;
}

function shown(d: SettingDef, v: string | number | boolean): string {
  if (typeof v === 'number') {
    if (d.type === 'bytes') return bytesText(v);
    if (d.type === 'duration') return durationText(v);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  return /^[\w./:@-]+$/.test(v) && !/^(?:true|false|yes|no|on|off|null|~)$/i.test(v) ? v : JSON.stringify(v);
}

function bytesText(n: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return String(n);
}

function durationText(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}
