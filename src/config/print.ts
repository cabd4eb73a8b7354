import { levelName } from '../pipeline/levels.js';
import type { ResolvedConfig } from './load.js';
import { formatBytes, formatDuration } from './parse-value.js';
import { maskCredentials, maskUrl, Secret, scrubSecrets } from './secret.js';

/** `forwarder config`: every setting's effective value (secrets masked) and where it came from. */
export function formatConfig(
  config: ResolvedConfig,
  enabled: readonly string[],
  problems: readonly { id: string; message: string }[],
  /** per enabled drain, the control rules in effect (README "Per-drain control"), and the redaction */
  rules?: { drains: readonly { id: string; text: string }[]; redaction: string },
): string {
  const rows: [string, string, string][] = [];
  for (const { def, value, origin, error } of config.entries()) {
    let shown: string;
    if (error) shown = `INVALID: ${error.message}`;
    else if (value === undefined) shown = '(unset)';
    else if (value instanceof Secret || def.secret) shown = '****** (secret)';
    // A URL may carry credentials (user:password@, ?token=): shown masked, like everywhere else.
    else if (def.type === 'url') shown = maskUrl(String(value));
    else if (def.type === 'level') shown = levelName(value as number);
    else if (def.type === 'duration') shown = formatDuration(value as number);
    else if (def.type === 'bytes') shown = formatBytes(value as number);
    else if (typeof value === 'object')
      shown =
        Object.entries(value as Record<string, string>)
          .map(([k, v]) => `${k}=${v}`)
          .join(',') || '(empty)';
    // host:port endpoints (syslog) and any other text may still hold user:password@ or ?token=
    else shown = maskCredentials(String(value));
    const shadowed = config.shadowed(def.key);
    rows.push([
      def.env,
      shown,
      shadowed.length > 0 ? `${origin} (wins over ${shadowed.join(', ')})` : origin,
    ]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.min(60, Math.max(...rows.map((r) => r[1].length)));
  const lines = rows.map(([k, v, o]) => `${k.padEnd(w0)}  ${v.padEnd(w1)}  ${o}`);
  lines.push('');
  lines.push(
    `drains enabled: ${enabled.length > 0 ? enabled.join(', ') : 'none (output passes through, nothing is shipped)'}`,
  );
  for (const p of problems) lines.push(`drain ${p.id} disabled: ${p.message}`);
  if (rules) {
    lines.push(`redaction: ${rules.redaction}`);
    for (const r of rules.drains) lines.push(`drain ${r.id} gets: ${r.text}`);
  }
  if (config.yamlPath) lines.push(`config file: ${config.yamlPath}`);
  return scrubSecrets(`${lines.join('\n')}\n`);
}
