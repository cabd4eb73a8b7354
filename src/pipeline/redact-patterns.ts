/**
 * The built-in redaction rules (`FORWARDER_REDACT=default`). Each finds a secret and says which
 * part of the match is the value: only that part becomes `[REDACTED]`, so `password=hunter2`
 * becomes `password=[REDACTED]` and the line stays readable.
 *
 * Every pattern is written without nested or overlapping quantifiers (no catastrophic
 * backtracking: each position is tried a bounded number of ways), and all of them sit behind one
 * trigger pattern, so a line with nothing that looks like a secret costs one scan.
 */
export const REDACTED = '[REDACTED]';

export interface RedactRule {
  name: string;
  /** global; group 1 (when present) is the value; without groups the whole match is */
  pattern: RegExp;
  /** a further check on the value (Luhn for card numbers): false keeps the text */
  accept?: (value: string) => boolean;
  doc: string;
  /** a user's pattern (FORWARDER_REDACT_PATTERNS): its group may sit anywhere in the match */
  custom?: boolean;
}

/** Payment card: 13–19 digits, spaces or dashes between groups, a card-network first digit, Luhn-valid. */
export function luhnValid(text: string): boolean {
  let sum = 0;
  let digits = 0;
  let double = false;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    digits++;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits >= 13 && digits <= 19 && sum % 10 === 0;
}

/**
 * key names whose value is a secret, in key=value and JSON "key": "value" forms. The name is
 * matched by its ending (db_password, client_secret, access_token all end in one), never by a
 * free prefix: a prefix like `[\w.-]*?` would make a long "a.a.a.…" line cost quadratic time.
 */
const SECRET_KEY =
  '(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)';

export const BUILTIN_RULES: readonly RedactRule[] = [
  {
    name: 'card',
    // first digit 2–6 (Mastercard 2-series, Amex/Diners/JCB, Visa, Mastercard, Discover/UnionPay):
    // epoch timestamps (1…) are never taken for a card
    pattern: /(?<![\d.])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\d])/g,
    accept: luhnValid,
    doc: 'payment card numbers (13–19 digits, optionally grouped by spaces or dashes) that pass the Luhn check',
  },
  {
    name: 'jwt',
    // starts only where a run of token characters starts, so each run is scanned once (linear time)
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
    doc: 'JSON Web Tokens (header.payload.signature, base64url)',
  },
  {
    name: 'aws_access_key_id',
    pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
    doc: 'AWS access key ids (AKIA… long-term, ASIA… temporary; other AWS ids such as AIDA… are not secrets)',
  },
  {
    name: 'aws_secret_access_key',
    pattern:
      /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)["']?\s{0,5}[:=]\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    doc: 'AWS secret access keys (40 characters after an aws_secret_access_key name)',
  },
  {
    name: 'github_token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
    doc: 'GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)',
  },
  {
    name: 'slack_token',
    pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,250}|hooks\.slack\.com\/services\/([A-Za-z0-9/]{20,120})/g,
    doc: 'Slack tokens (xoxb-, xoxp-, …) and incoming-webhook URLs',
  },
  {
    name: 'stripe_key',
    pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}\b|\bwhsec_[A-Za-z0-9]{20,100}\b/g,
    doc: 'Stripe secret and restricted keys (sk_live_, rk_live_, …) and webhook secrets (whsec_)',
  },
  {
    name: 'google_api_key',
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    doc: 'Google API keys (AIza…)',
  },
  {
    name: 'bearer',
    pattern:
      /\bbearer\s{1,5}([A-Za-z0-9._~+/-]{8,4096}=*)|\bauthorization["']?\s{0,5}[:=]\s{0,5}["']?(?:basic|token|digest)?\s{0,5}([A-Za-z0-9._~+/-]{8,4096}=*)/gi,
    doc: 'credentials after `Bearer` and in Authorization headers (Basic, Token, …)',
  },
  {
    name: 'url_credentials',
    // scheme://user:password@host (RFC 3986 userinfo): only the password goes. The user part cannot
    // hold ':' and the password cannot hold '@', '/', '?', '#' or space, so each "://" is tried a
    // bounded number of ways
    pattern: /\b[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/?#@]{0,256}:([^\s@/?#]{1,1024})@/g,
    doc: 'passwords in URLs (postgres://user:password@host, https://user:password@host/…)',
  },
  {
    name: 'secret_pair',
    pattern: new RegExp(
      String.raw`${SECRET_KEY}\s{0,5}=\s{0,5}(?:"([^"\n]{1,4096})"|'([^'\n]{1,4096})'|([^\s&,;"'<>]{1,4096}))`,
      'gi',
    ),
    doc: 'values of password=, secret=, token=, api_key= (and similar names, e.g. db_password=, client_secret=)',
  },
  {
    name: 'secret_json',
    pattern: new RegExp(
      String.raw`"[A-Za-z0-9_.-]{0,64}${SECRET_KEY}"\s{0,5}:\s{0,5}"((?:[^"\\\n]|\\.){1,4096})"`,
      'gi',
    ),
    doc: 'values of "password": "…" and the other secret names in JSON',
  },
];

/**
 * Five scans decide which rules can match, each kept small so V8 can skip through the line (one
 * alternation over many first characters measured slower than two over few): ten digits not inside
 * a longer number for cards, one for a URL with userinfo, two for the literal starts of the tokens, and the secret key
 * names. A line with nothing that looks like a secret costs these five tests and nothing else.
 */
export const BUILTIN_TRIGGERS: readonly { test: RegExp; rules: readonly string[] }[] = [
  // ten digits (4-4-2 covers Amex's 4-6-5 grouping too), not inside a longer number
  { test: /(?:^|[^\d.])[2-6]\d{3}[ -]?\d{4}[ -]?\d{2}/, rules: ['card'] },
  { test: /eyJ|A(?:KIA|SIA|Iza)/, rules: ['jwt', 'aws_access_key_id', 'google_api_key'] },
  {
    test: /gh[pousr]_|github_pat_|xox[abposre]-|hooks\.slack|[sr]k_(?:live|test)_|whsec_/,
    rules: ['github_token', 'slack_token', 'stripe_key'],
  },
  { test: /:\/\/[^\s@/]{1,256}@/, rules: ['url_credentials'] },
  {
    test: /token|passw|secret|bearer|authoriz|api.?key|access.?key|private.?key|credential/i,
    rules: ['aws_secret_access_key', 'bearer', 'secret_pair', 'secret_json'],
  },
];
