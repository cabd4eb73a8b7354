import { describe, expect, it } from 'vitest';
import { compileCustomPatterns, Redactor, redactionOptions } from '../../src/pipeline/redact.js';
import { BUILTIN_RULES, BUILTIN_TRIGGERS, luhnValid } from '../../src/pipeline/redact-patterns.js';

const WHERE = { rules: 'FORWARDER_REDACT', patterns: 'FORWARDER_REDACT_PATTERNS' };
const redactor = (rules = 'default', patterns?: string) =>
  new Redactor(redactionOptions(rules, patterns, WHERE)!);

describe('built-in redaction', () => {
  const r = redactor();
  const cases: [string, string, string][] = [
    ['card', 'paid with 4111 1111 1111 1111 ok', 'paid with [REDACTED] ok'],
    ['card', 'card=5555-5555-5555-4444', 'card=[REDACTED]'],
    ['card', 'amex 378282246310005.', 'amex [REDACTED].'],
    ['card', 'amex 3782 822463 10005 ok', 'amex [REDACTED] ok'],
    [
      'jwt',
      'auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U done',
      'auth [REDACTED] done',
    ],
    ['aws_access_key_id', 'key AKIAIOSFODNN7EXAMPLE used', 'key [REDACTED] used'],
    [
      'aws_secret_access_key',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key=[REDACTED]',
    ],
    ['github_token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 x', 'token [REDACTED] x'],
    ['slack_token', 'slack xoxb-123456789012-abcdefghijkl', 'slack [REDACTED]'],
    ['stripe_key', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe [REDACTED]'],
    ['google_api_key', 'g AIzaSyA1234567890abcdefghijklmnopqrstuv', 'g [REDACTED]'],
    ['bearer', 'Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer [REDACTED]'],
    [
      'url_credentials',
      'connecting to postgres://app:s3cr%40t@db:5432/orders',
      'connecting to postgres://app:[REDACTED]@db:5432/orders',
    ],
    ['url_credentials', 'GET https://bob:hunter2@example.com/x', 'GET https://bob:[REDACTED]@example.com/x'],
    ['url_credentials', 'redis://:p4ss@cache:6379', 'redis://:[REDACTED]@cache:6379'],
    ['secret_pair', 'login user=bob password=hunter2 ok', 'login user=bob password=[REDACTED] ok'],
    ['secret_pair', 'db_password="p a s s" next', 'db_password="[REDACTED]" next'],
    ['secret_pair', 'password=s', 'password=[REDACTED]'],
    ['secret_json', '{"password":"a"}', '{"password":"[REDACTED]"}'],
    ['secret_pair', 'url?api_key=XYZ123&x=1', 'url?api_key=[REDACTED]&x=1'],
    ['secret_pair', 'client_secret = s3cr3t', 'client_secret = [REDACTED]'],
    [
      'secret_json',
      '{"user":"bob","password":"hunter2","n":1}',
      '{"user":"bob","password":"[REDACTED]","n":1}',
    ],
    ['secret_json', '{"accessToken": "abc\\"def"}', '{"accessToken": "[REDACTED]"}'],
  ];
  for (const [rule, input, output] of cases) {
    it(`${rule}: ${input.slice(0, 40)}`, () => {
      const before = r.counts[rule]!;
      expect(r.redact(input)).toBe(output);
      expect(r.counts[rule]).toBe(before + 1);
    });
  }

  it('keeps look-alikes: numbers failing Luhn, timestamps, ordinary words', () => {
    const kept = [
      'order 4111 1111 1111 1112 shipped',
      'ts=1700000000000 and 1732145678901234',
      'max_tokens=100 tokens=5',
      'password reset link sent to bob',
      'the token expired',
      'bearer of bad news',
      'phone 555-123-4567',
      'GET /orders/123456789 200',
      'see https://example.com:8443/a@b and mailto:bob@example.com',
      'ssh git@github.com:org/repo.git',
    ];
    for (const line of kept) expect(r.redact(line)).toBe(line);
  });

  it('guards every built-in rule by a trigger scan (a rule outside them would never run)', () => {
    for (const rule of BUILTIN_RULES)
      expect([rule.name, BUILTIN_TRIGGERS.some((t) => t.rules.includes(rule.name))]).toEqual([
        rule.name,
        true,
      ]);
  });

  it('takes linear time on hostile 256 KiB lines (a quadratic pattern would take tens of seconds)', () => {
    const N = 256 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
    const hostile = [
      `password ${fill('a.')}`,
      `token ${fill('a-')}`,
      fill('41111111111111111111 '),
      `"password":"${fill('a\\')}`,
      fill('"a.password'),
      fill('authorization: '),
      fill('bearer '),
      fill('eyJ-'),
      fill('eyJaaaaaaaaa.'),
      fill('password="'),
      fill('aws_secret_access_key='),
      fill('a://b:'),
      `x://${fill('a:')}`,
    ];
    for (const line of hostile) {
      const started = performance.now();
      const out = r.redact(line);
      const ms = performance.now() - started;
      expect(out.length).toBeGreaterThan(0);
      expect(ms, line.slice(0, 24)).toBeLessThan(1000);
    }
  });

  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('4111-1111-1111-1111')).toBe(true);
    expect(luhnValid('42')).toBe(false);
  });

  it('turns on only the rules named', () => {
    const jwtOnly = redactor('jwt');
    expect(jwtOnly.redact('password=hunter2')).toBe('password=hunter2');
    expect(redactionOptions('off', undefined, WHERE)).toBeUndefined();
    expect(redactionOptions('false', undefined, WHERE)).toBeUndefined();
    expect(redactionOptions('on', undefined, WHERE)!.builtins).toHaveLength(BUILTIN_RULES.length);
    expect(redactionOptions(undefined, undefined, WHERE)).toBeUndefined();
    expect(redactionOptions('default', undefined, WHERE)!.builtins).toHaveLength(BUILTIN_RULES.length);
    expect(() => redactionOptions('default,cards', undefined, WHERE)).toThrow(
      /^FORWARDER_REDACT: unknown rule "cards"/,
    );
  });
});

describe('custom redaction patterns', () => {
  it('replaces the whole match, or only the group when the pattern has one', () => {
    const r = redactor('off', JSON.stringify({ order_id: 'ORD-[0-9]{8}', session: 'session=([a-f0-9]+)' }));
    expect(r.redact('order ORD-12345678 for session=deadbeef now')).toBe(
      'order [REDACTED] for session=[REDACTED] now',
    );
    expect(r.counts).toEqual({ order_id: 1, session: 1 });
    // a value that also appears in the kept part: every occurrence is hidden
    const twice = redactor('off', JSON.stringify({ pin: 'pin (\\d+) for \\d+' }));
    expect(twice.redact('pin 42 for 42')).toBe('pin [REDACTED] for [REDACTED]');
  });

  it('runs hostile patterns in linear time instead of backtracking for ever', () => {
    const r = redactor('off', JSON.stringify({ evil: '(a+)+$', evil2: '(x|x)*y', quad: '\\d+\\d+z' }));
    const line = `${'a'.repeat(30_000)}!${'x'.repeat(30_000)}${'1'.repeat(30_000)}`;
    const started = performance.now();
    expect(r.redact(line)).toBe(line);
    // With backtracking, (a+)+$ alone on 30 a's takes minutes; linear time is milliseconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses patterns that cannot be bounded, bad regexes, and bad JSON, naming the setting', () => {
    const bad: [string, RegExp][] = [
      [
        '{"rep":"(a)\\\\1"}',
        /FORWARDER_REDACT_PATTERNS: pattern "rep" is refused: it needs back-references or look-around/,
      ],
      ['{"look":"(?<=x)y"}', /pattern "look" is refused/],
      ['{"open":"(ab"}', /pattern "open" is not a valid regex/],
      ['{"empty":"a*"}', /pattern "empty" matches empty text/],
      ['{"Bad Name":"x"}', /pattern name "Bad Name"/],
      ['{"jwt":"x"}', /"jwt" is a built-in rule's name/],
      ['["x"]', /must be a JSON object of name → regex/],
      ['{oops', /^FORWARDER_REDACT_PATTERNS is not valid JSON/],
    ];
    for (const [text, message] of bad)
      expect(() => compileCustomPatterns(text, 'FORWARDER_REDACT_PATTERNS')).toThrow(message);
  });
});
