import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { appLines, cleanEnv, NODE, readEvents, runCli, startCli, tempDir } from '../helpers/cli.js';
import { SentryReceiver } from '../receivers/sentry.js';
import { SplunkHecReceiver } from '../receivers/splunk-hec.js';
import { WebhookReceiver } from '../receivers/webhook.js';

/**
 * Per-drain control and redaction through the built CLI (README "Per-drain control"): each rule
 * with the file drain or the webhook receiver, its count in the summary, and its config errors.
 */
const dirs: ReturnType<typeof tempDir>[] = [];
const receivers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) d.cleanup();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

function outFile(): string {
  const d = tempDir();
  dirs.push(d);
  return d.file('out.jsonl');
}

async function hook(): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver({ path: '/hook' }).start();
  receivers.push(r);
  return r;
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;
const summaryOf = (stderr: Buffer): string => /summary: .*/.exec(stderr.toString())?.[0] ?? '';

describe('per-drain control through the CLI', () => {
  it('MIN_LEVEL and FILTER choose what one drain gets, while another gets everything', async () => {
    const file = outFile();
    const webhook = await hook();
    const res = await runCli(['pipe'], {
      input: lines(
        'DEBUG starting',
        'INFO GET /healthcheck 200',
        'WARN disk 91%',
        'ERROR GET /healthcheck 500',
      ),
      env: cleanEnv({
        FORWARDER_FILE: file,
        WEBHOOK_URL: `${webhook.url}/hook`,
        WEBHOOK_MIN_LEVEL: 'info',
        WEBHOOK_FILTER: '{"where":{"key":"message","operator":"!contains","value":"healthcheck"}}',
      }),
    });
    expect(res.code).toBe(0);
    expect(appLines(readEvents(file))).toHaveLength(4);
    expect(appLines(webhook.records as never).map((e) => e.message)).toEqual(['WARN disk 91%']);
    expect(summaryOf(res.stderr)).toContain(
      'webhook: delivered 3, retried 0, dropped 0, filtered 3 (min_level 1, filter 2)',
    );
  });

  it('SENTRY_MIN_LEVEL=warn: Sentry gets warnings and errors while the archive gets everything', async () => {
    const file = outFile();
    const sentry = new SentryReceiver({ publicKey: 'abc123def456', projectId: '4509876' });
    receivers.push(sentry);
    await sentry.start();
    const res = await runCli(['pipe'], {
      input: lines('DEBUG cache warm', 'INFO GET / 200', 'WARN slow query', 'ERROR payment failed'),
      env: cleanEnv({
        FORWARDER_FILE: file,
        SENTRY_DSN: sentry.dsn,
        SENTRY_MIN_LEVEL: 'warn',
        FORWARDER_BATCH_WAIT: '50ms',
      }),
    });
    expect(res.code).toBe(0);
    expect(appLines(readEvents(file))).toHaveLength(4);
    expect(sentry.logs.filter((l) => l.attributes?.stream?.value !== 'forwarder').map((l) => l.body)).toEqual(
      ['WARN slow query', 'ERROR payment failed'],
    );
    expect(summaryOf(res.stderr)).toMatch(
      /sentry: delivered 2, retried 0, dropped 0, filtered 4 \(min_level 4\)/,
    );
  });

  it('FORWARDER_ sets the default for every drain; a drain’s own setting wins', async () => {
    const file = outFile();
    const webhook = await hook();
    const res = await runCli(['pipe'], {
      input: lines('INFO a', 'WARN b', 'ERROR c'),
      env: cleanEnv({
        FORWARDER_FILE: file,
        WEBHOOK_URL: `${webhook.url}/hook`,
        FORWARDER_MIN_LEVEL: 'error',
        WEBHOOK_MIN_LEVEL: 'warn',
      }),
    });
    expect(res.code).toBe(0);
    expect(appLines(readEvents(file)).map((e) => e.message)).toEqual(['ERROR c']);
    expect(appLines(webhook.records as never).map((e) => e.message)).toEqual(['WARN b', 'ERROR c']);
  });

  it('SAMPLE_RATE keeps about that share and every error; drains agree on which events (a 25% drain gets a subset of a 50% one)', async () => {
    const input = lines(
      ...Array.from({ length: 2000 }, (_, i) => (i % 10 === 0 ? `ERROR e${i}` : `INFO i${i}`)),
    );
    const file = outFile();
    const webhook = await hook();
    const res = await runCli(['pipe'], {
      input,
      env: cleanEnv({
        FORWARDER_FILE: file,
        FORWARDER_FILE_SAMPLE_RATE: '25%',
        WEBHOOK_URL: `${webhook.url}/hook`,
        WEBHOOK_SAMPLE_RATE: '0.5',
      }),
    });
    expect(res.code).toBe(0);
    const got = appLines(readEvents(file));
    const errors = got.filter((e) => e.level === 'error');
    const infos = got.filter((e) => e.level === 'info');
    expect(errors).toHaveLength(200);
    expect(infos.length).toBeGreaterThan(1800 * 0.2);
    expect(infos.length).toBeLessThan(1800 * 0.3);
    expect(summaryOf(res.stderr)).toContain(
      `filtered ${1800 - infos.length} (sample ${1800 - infos.length})`,
    );
    const half = new Set(appLines(webhook.records as never).map((e) => e.seq));
    expect(half.size).toBeGreaterThan(1800 * 0.45 + 200);
    expect(half.size).toBeLessThan(1800 * 0.55 + 200);
    expect(got.filter((e) => !half.has(e.seq))).toEqual([]);
  });

  it('RATE_LIMIT replaces a flood of identical lines by one "repeated N times" event', async () => {
    const file = outFile();
    const flood = Array.from({ length: 3000 }, () => 'ERROR upstream connect refused');
    const res = await runCli(['pipe'], {
      input: lines('INFO begin', ...flood),
      env: cleanEnv({ FORWARDER_FILE: file, FORWARDER_FILE_RATE_LIMIT: '100' }),
    });
    expect(res.code).toBe(0);
    const got = appLines(readEvents(file));
    const repeated = got.filter((e) =>
      /\[repeated \d+ times in \d+(ms|\.\ds); rate limit 100\/s\]$/.test(e.message),
    );
    const plain = got.filter((e) => e.message === 'ERROR upstream connect refused');
    expect(repeated.length).toBeGreaterThanOrEqual(1);
    const suppressed = repeated.reduce((n, e) => n + Number(/repeated (\d+) times/.exec(e.message)![1]), 0);
    expect(plain.length + suppressed).toBe(3000);
    expect(summaryOf(res.stderr)).toContain(`rate_limit ${suppressed}`);
  });

  it('FIELDS sends only the chosen canonical fields (timestamp and message always)', async () => {
    const file = outFile();
    const webhook = await hook();
    const res = await runCli(['pipe'], {
      input: lines('WARN slim'),
      env: cleanEnv({
        FORWARDER_FILE: file,
        FORWARDER_FILE_FIELDS: 'level,hostname',
        WEBHOOK_URL: `${webhook.url}/hook`,
        WEBHOOK_FIELDS: 'timestamp,level,message',
      }),
    });
    expect(res.code).toBe(0);
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.includes('WARN slim'))!;
    expect(Object.keys(JSON.parse(line))).toEqual(['timestamp', 'level', 'message', 'hostname']);
    expect(webhook.rejected).toEqual([]);
    const got = (webhook.records as unknown as Record<string, unknown>[]).find(
      (e) => e.message === 'WARN slim',
    )!;
    expect(Object.keys(got)).toEqual(['timestamp', 'level', 'message']);
  });

  it('SPLUNK_FIELDS reaches inside the HEC event, keeping the HEC metadata', async () => {
    const token = '11111111-2222-3333-4444-555555555555';
    const hec = new SplunkHecReceiver({ tokens: [token] });
    receivers.push(hec);
    await hec.start();
    const res = await runCli(['pipe'], {
      input: lines('WARN slim'),
      env: cleanEnv({
        LOGS_ENABLE_SPLUNK: '1',
        SPLUNK_HEC_TOKEN: token,
        SPLUNK_HEC_URL: hec.url,
        SPLUNK_FIELDS: 'level',
        FORWARDER_BATCH_WAIT: '50ms',
      }),
    });
    expect(res.code).toBe(0);
    expect(hec.rejected).toEqual([]);
    const got = hec.records.find((r) => (r.event as { message: string }).message === 'WARN slim')!;
    expect(Object.keys(got).sort()).toEqual(['event', 'host', 'source', 'sourcetype', 'time']);
    expect(got.event).toEqual({ message: 'WARN slim', level: 'warn' });
  });

  it('MAX_MESSAGE_CHARS cuts messages for one drain with a visible marker', async () => {
    const file = outFile();
    const webhook = await hook();
    const res = await runCli(['pipe'], {
      input: lines(`INFO ${'x'.repeat(100)}`),
      env: cleanEnv({
        FORWARDER_FILE: file,
        FORWARDER_FILE_MAX_MESSAGE_CHARS: '20',
        WEBHOOK_URL: `${webhook.url}/hook`,
      }),
    });
    expect(res.code).toBe(0);
    expect(appLines(readEvents(file))[0]!.message).toBe(`INFO ${'x'.repeat(15)}…[truncated 85 chars]`);
    expect(appLines(webhook.records as never)[0]!.message).toBe(`INFO ${'x'.repeat(100)}`);
    // the forwarder's own lines ("forwarder: reading standard input") are cut too
    const cut = readEvents(file).filter((e) => /…\[truncated \d+ chars\]$/.test(e.message)).length;
    expect(summaryOf(res.stderr)).toMatch(
      new RegExp(`file: delivered \\d+, retried 0, dropped 0, messages cut ${cut};`),
    );
  });

  it('a bad filter is one config error naming the key; the drain is disabled, or start-up stops under strict', async () => {
    const file = outFile();
    const env = cleanEnv({
      FORWARDER_FILE: file,
      FORWARDER_FILE_FILTER: '{"where":{"key":"message","operator":"like","value":"x"}}',
    });
    const res = await runCli(['pipe'], { input: 'INFO a\n', env });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('INFO a\n');
    expect(res.stderr.toString()).toContain(
      'drain file is disabled: FORWARDER_FILE_FILTER: unknown operator "like" for key "message"',
    );
    const strict = await runCli(['pipe'], { input: 'INFO a\n', env: { ...env, FORWARDER_STRICT: '1' } });
    expect(strict.code).toBe(78);
    const bad = await runCli(['pipe'], {
      input: 'INFO a\n',
      env: cleanEnv({ FORWARDER_FILE: file, FORWARDER_SAMPLE_RATE: '2' }),
    });
    expect(bad.code).toBe(78);
    expect(bad.stderr.toString().trim()).toBe(
      'forwarder: config error: FORWARDER_SAMPLE_RATE is not a rate from 0 to 1: "2" (e.g. 0.1 or 10%)',
    );
  });

  it('`forwarder config` shows the rules in effect per drain and the redaction', async () => {
    const file = outFile();
    const res = await runCli(['config'], {
      env: cleanEnv({
        FORWARDER_FILE: file,
        FORWARDER_FILE_MIN_LEVEL: 'warn',
        FORWARDER_SAMPLE_RATE: '0.5',
        FORWARDER_REDACT: 'jwt,secret_pair',
        FORWARDER_REDACT_PATTERNS: '{"order_id":"ORD-[0-9]{8}"}',
      }),
    });
    expect(res.code).toBe(0);
    const out = res.stdout.toString();
    expect(out).toContain('redaction: jwt, secret_pair, order_id (custom)');
    expect(out).toContain('drain file gets: min_level warn; sample_rate 0.5 (error and fatal always sent)');
    expect(out).toMatch(/FORWARDER_FILE_MIN_LEVEL +warn +env FORWARDER_FILE_MIN_LEVEL/);
  });

  it('`forwarder check` sends its verification event past filters and sampling', async () => {
    const file = outFile();
    const res = await runCli(['check'], {
      env: cleanEnv({
        FORWARDER_FILE: file,
        FORWARDER_FILE_MIN_LEVEL: 'fatal',
        FORWARDER_FILE_SAMPLE_RATE: '0',
        FORWARDER_FILE_FILTER: '{"where":{"key":"message","operator":"eq","value":"never"}}',
      }),
    });
    expect(res.code).toBe(0);
    expect(readEvents(file).map((e) => e.message)).toEqual(['forwarder connection test']);
  });
});

describe('redaction through the CLI', () => {
  it('every drain, the file included, sees the redacted line; the app’s own output is untouched', async () => {
    const file = outFile();
    const webhook = await hook();
    const input = lines(
      'login ok user=bob password=hunter2',
      'charge card 4111 1111 1111 1111 amount=5',
      'order 4111 1111 1111 1112 kept',
      '{"user":"bob","api_key":"k-123"}',
    );
    const res = await runCli(['pipe'], {
      input,
      env: cleanEnv({
        FORWARDER_FILE: file,
        WEBHOOK_URL: `${webhook.url}/hook`,
        FORWARDER_REDACT: 'default',
      }),
    });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe(input);
    const expected = [
      'login ok user=bob password=[REDACTED]',
      'charge card [REDACTED] amount=5',
      'order 4111 1111 1111 1112 kept',
      '{"user":"bob","api_key":"[REDACTED]"}',
    ];
    expect(appLines(readEvents(file)).map((e) => e.message)).toEqual(expected);
    expect(appLines(webhook.records as never).map((e) => e.message)).toEqual(expected);
    expect(summaryOf(res.stderr)).toContain('redacted 3 (card 1, secret_pair 1, secret_json 1)');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it("redacts the app's command line in the lifecycle events too", async () => {
    const file = outFile();
    const res = await runCli(['run', '--', NODE, '-e', "console.log('up')", 'db_password=hunter2'], {
      env: cleanEnv({ FORWARDER_FILE: file, FORWARDER_REDACT: 'default' }),
    });
    expect(res.code).toBe(0);
    const started = readEvents(file).find((e) => e.lifecycle?.kind === 'started')!;
    expect(String(started.lifecycle!.command)).toContain('db_password=[REDACTED]');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it('custom patterns replace their group; a hostile one runs bounded; one that cannot be bounded is refused', async () => {
    const file = outFile();
    const hostile = `${'a'.repeat(50_000)}!`;
    const res = await runCli(['pipe'], {
      input: lines('session=deadbeef42 ok', hostile),
      env: cleanEnv({
        FORWARDER_FILE: file,
        FORWARDER_REDACT_PATTERNS: JSON.stringify({ session: 'session=([0-9a-f]+)', evil: '(a+)+$' }),
      }),
    });
    expect(res.code).toBe(0);
    expect(appLines(readEvents(file)).map((e) => e.message)).toEqual(['session=[REDACTED] ok', hostile]);
    const refused = await runCli(['pipe'], {
      input: 'x\n',
      env: cleanEnv({ FORWARDER_FILE: file, FORWARDER_REDACT_PATTERNS: '{"twice":"(\\\\w+) \\\\1"}' }),
    });
    expect(refused.code).toBe(78);
    expect(refused.stderr.toString().trim()).toBe(
      'forwarder: config error: FORWARDER_REDACT_PATTERNS: pattern "twice" is refused: it needs back-references or look-around, which can take exponential time on hostile input; rewrite it without them',
    );
  });

  it('/metrics counts filtered events by drain and rule, and redactions by rule', async () => {
    const file = outFile();
    const app = [
      "process.on('SIGTERM', () => process.exit(0));",
      "console.log('DEBUG noise'); console.log('token=abc123 used'); console.log('ready');",
      'setInterval(() => {}, 1 << 30);',
    ].join('');
    const run = startCli(['run', '--metrics-addr', '127.0.0.1:0', '--', NODE, '-e', app], {
      env: cleanEnv({
        FORWARDER_FILE: file,
        FORWARDER_FILE_MIN_LEVEL: 'info',
        FORWARDER_REDACT: 'default',
        FORWARDER_LOG_LEVEL: 'debug',
      }),
    });
    const [, base] = await run.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    await run.waitForStdout('ready\n');
    let text = '';
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      text = await (await request(`${base}/metrics`)).body.text();
      if (text.includes('forwarder_redactions_total{rule="secret_pair"} 2')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // the app's line, and its command line (the -e script holds the same text) in the started event
    expect(text).toContain('forwarder_redactions_total{rule="secret_pair"} 2');
    expect(text).toContain('forwarder_events_filtered_total{drain="file",rule="min_level"} 1');
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(summaryOf(res.stderr)).toContain('filtered 1 (min_level 1)');
  });
});
