import type { SettingDef } from './settings.js';

/**
 * Per-drain control (README "Per-drain control"): the same seven settings for every drain, under
 * the drain's own prefix (`SENTRY_MIN_LEVEL`) and YAML section (`sentry.min_level`), plus the
 * `FORWARDER_` row of each that sets the default for all drains. One builder makes every row, so
 * a new drain gets them by declaring its prefix.
 */
export const CONTROL_SETTING_NAMES = [
  'min_level',
  'filter',
  'sample_rate',
  'sample_errors',
  'rate_limit',
  'fields',
  'max_message_chars',
] as const;
export type ControlSettingName = (typeof CONTROL_SETTING_NAMES)[number];

/** `section` '' and `envPrefix` 'FORWARDER_' give the defaults for all drains (top-level keys). */
export function controlSettingRows(section: string, envPrefix: string, whose: string): SettingDef[] {
  const key = (name: ControlSettingName): string => (section ? `${section}.${name}` : name);
  const env = (name: ControlSettingName): string => `${envPrefix}${name.toUpperCase()}`;
  const defaultOf = section ? '' : ' The default for every drain; a drain’s own setting wins.';
  const rows: SettingDef[] = [
    {
      key: key('min_level'),
      env: env('min_level'),
      type: 'level',
      doc: `Send only events at or above this level to ${whose} (e.g. warn).${defaultOf}`,
    },
    {
      key: key('filter'),
      env: env('filter'),
      type: 'json',
      doc: `Send only events matching this filter to ${whose}, in Cloudflare Logpush's JSON form: {"where":{"key":"message","operator":"!contains","value":"healthcheck"}}, with "and"/"or" groups.${defaultOf}`,
    },
    {
      key: key('sample_rate'),
      env: env('sample_rate'),
      type: 'string',
      doc: `Send this fraction (0–1) of events to ${whose}, chosen per event (the same events for every drain with the same rate); error and fatal are always sent unless SAMPLE_ERRORS is true.${defaultOf}`,
    },
    {
      key: key('sample_errors'),
      env: env('sample_errors'),
      type: 'bool',
      ...(section ? {} : { default: false }),
      doc: `Let SAMPLE_RATE drop error and fatal events too (for ${whose}).${defaultOf}`,
    },
    {
      key: key('rate_limit'),
      env: env('rate_limit'),
      type: 'int',
      min: 1,
      max: 1_000_000,
      doc: `At most this many events per second to ${whose}; the excess is counted, and each run of identical messages is replaced by one "repeated N times in T" event.${defaultOf}`,
    },
    {
      key: key('fields'),
      env: env('fields'),
      type: 'string',
      doc: `Which canonical fields ${whose} sends, comma-separated (e.g. timestamp,level,message); timestamp, message and fields the vendor requires are always sent.${defaultOf}`,
    },
    {
      key: key('max_message_chars'),
      env: env('max_message_chars'),
      type: 'int',
      min: 16,
      max: 64 * 1024 * 1024,
      doc: `Cut messages longer than this many characters for ${whose}, with a visible "…[truncated N chars]" marker.${defaultOf}`,
    },
  ];
  if (section)
    rows.forEach((r, i) => {
      r.doc += ` Unset: FORWARDER_${CONTROL_SETTING_NAMES[i]!.toUpperCase()} applies.`;
    });
  return rows;
}

export const DEFAULT_CONTROL_SETTINGS: readonly SettingDef[] = controlSettingRows(
  '',
  'FORWARDER_',
  'every drain',
);

export const REDACT_SETTINGS: readonly SettingDef[] = [
  {
    key: 'redact',
    env: 'FORWARDER_REDACT',
    type: 'string',
    doc: 'Replace secrets in every event before any drain sees it (the file included): `default` turns on every built-in rule (payment cards passing Luhn, JWTs, AWS keys, GitHub/Slack/Stripe/Google tokens, Bearer credentials, password=/secret=/token=/api_key= values and their JSON forms), or list rule names. Only the value is replaced: password=[REDACTED].',
  },
  {
    key: 'redact_patterns',
    env: 'FORWARDER_REDACT_PATTERNS',
    type: 'json',
    doc: 'Your own redaction rules, a JSON object of name → regex, e.g. {"order_id":"ORD-[0-9]{8}"}; a group (…) marks the part to hide. Run by a linear-time engine; patterns it cannot bound (back-references, look-around) are refused.',
  },
];
