/**
 * Issue 9, reliability: secret canaries. Every secret setting (read from the settings table, so a
 * new drain's secrets are covered without touching this file), and the secret parts of the webhook
 * URL, get a unique canary value; then every failure path runs: connection refused, an unresolvable
 * host, 401 and 403 whose bodies echo every canary back (as a careless server might), TLS to a
 * plain-HTTP port, malformed URLs, a core config error under FORWARDER_STRICT, `forwarder config`
 * and `forwarder check`, all at FORWARDER_LOG_LEVEL=debug. No canary may appear anywhere in the
 * forwarder's stdout or stderr.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSettings } from '../../src/settings-catalogue.js';
import { APPS, cleanEnv, NODE, runCli } from '../helpers/cli.js';
import { freePort } from '../receivers/rsyslog.js';
import { WebhookReceiver } from '../receivers/webhook.js';

interface Canary {
  env: string;
  value: string;
  /** what must never be printed: the unique part(s) of the value */
  needles: string[];
}

const unique = (): string => `cnry${randomBytes(6).toString('hex')}`;

/** A canary value that the setting accepts; the DSN needs the target's host, so it is built per target. */
function canaryFor(env: string, type: string, host: string, scheme: string): Canary {
  if (type === 'map') {
    const a = unique();
    const b = unique();
    return { env, value: `x-canary-a=${a},x-canary-b=${b}`, needles: [a, b] };
  }
  if (/DSN/.test(env)) {
    const key = unique();
    return { env, value: `${scheme}//${key}@${host}/42`, needles: [key] };
  }
  const v = unique();
  return { env, value: v, needles: [v] };
}

const SECRET_DEFS = allSettings().filter((d) => d.secret);
const URL_PASSWORD = unique();
const URL_TOKEN = unique();

/** Every drain pointed at `base` (http[s]://host:port), with the canaries of `host`. */
function envFor(base: string, syslogEndpoint: string, opts: { aliases?: boolean } = {}) {
  const { host, protocol } = new URL(base);
  const canaries: Canary[] = [];
  const env: Record<string, string> = {
    FORWARDER_LOG_LEVEL: 'debug',
    FORWARDER_REQUEST_TIMEOUT: '1s',
    FORWARDER_FLUSH_TIMEOUT: '3s',
    // the webhook URL's password and query values are registered as secrets by the drain
    WEBHOOK_URL: `${base.replace('://', `://user:${URL_PASSWORD}@`)}/hook?token=${URL_TOKEN}`,
    LOGS_ENABLE_SPLUNK: '1',
    SPLUNK_HEC_URL: base,
    DATADOG_URL: `${base}/api/v2/logs`,
    NEW_RELIC_URL: `${base}/log/v1`,
    AXIOM_URL: base,
    AXIOM_DATASET: 'canary-dataset',
    SYSLOG_ENDPOINT: syslogEndpoint,
    AWS_ACCESS_KEY_ID: 'AKIAFORWARDERCANARY0',
    AWS_REGION: 'eu-west-1',
    CLOUDWATCH_LOG_GROUP: 'canary-group',
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: base,
    SENTRY_EVENTS_LEVEL: 'error',
  };
  canaries.push({ env: 'WEBHOOK_URL', value: env.WEBHOOK_URL!, needles: [URL_PASSWORD, URL_TOKEN] });
  for (const def of SECRET_DEFS) {
    const names = opts.aliases && def.aliases?.length ? def.aliases : [def.env];
    for (const name of names) {
      const c = canaryFor(name, def.type, host, protocol);
      env[name] = c.value;
      canaries.push(c);
    }
  }
  return { env, canaries };
}

function leaks(output: string, canaries: Canary[]): string[] {
  const found: string[] = [];
  for (const c of canaries) for (const n of c.needles) if (output.includes(n)) found.push(`${c.env} (${n})`);
  return found;
}

const APP = ['run', '--', NODE, `${APPS}/emit.mjs`, 'out:hello', 'err:ERROR boom', 'err:FATAL crash'];

let echo401: WebhookReceiver;
let echo403: WebhookReceiver;
let closedPort: number;
beforeAll(async () => {
  echo401 = await new WebhookReceiver({ keepRecords: false }).start();
  echo403 = await new WebhookReceiver({ keepRecords: false }).start();
  closedPort = await freePort();
});
afterAll(async () => {
  await echo401?.close();
  await echo403?.close();
});

/** A server that answers `status` to everything, echoing every canary in its body. */
function echoing(r: WebhookReceiver, status: number, canaries: Canary[]): void {
  const all = canaries.map((c) => c.value).join(' ');
  r.setFaults([
    { status, times: Number.POSITIVE_INFINITY, body: JSON.stringify({ error: `bad credentials: ${all}` }) },
  ]);
}

describe('reliability: secret canaries', () => {
  it(`no secret (${SECRET_DEFS.map((d) => d.env).join(', ')}) appears in any output, on any failure path`, async () => {
    const scenarios: { name: string; args: string[]; env: Record<string, string>; canaries: Canary[] }[] = [];
    const add = (
      name: string,
      args: string[],
      made: ReturnType<typeof envFor>,
      extra: Record<string, string> = {},
    ) => scenarios.push({ name, args, env: { ...made.env, ...extra }, canaries: made.canaries });

    const refused = envFor(`http://127.0.0.1:${closedPort}`, `127.0.0.1:${closedPort}`);
    add('refused connection', APP, refused);
    add('forwarder config', ['config'], refused);
    add('forwarder check (refused)', ['check'], refused);
    add(
      'aliases (DD_API_KEY, …), refused',
      APP,
      envFor(`http://127.0.0.1:${closedPort}`, `127.0.0.1:${closedPort}`, { aliases: true }),
    );
    add(
      'unresolvable host',
      APP,
      envFor('http://forwarder-canary.invalid:9', 'forwarder-canary.invalid:6514'),
    );

    const e401 = envFor(echo401.url, `127.0.0.1:${echo401.port}`);
    echoing(echo401, 401, e401.canaries);
    add('401 echoing the credentials (syslog: TLS to an HTTP port)', APP, e401);
    add('forwarder check (401)', ['check'], e401);
    const e403 = envFor(echo403.url, `127.0.0.1:${echo403.port}`);
    echoing(echo403, 403, e403.canaries);
    add('403 echoing the credentials', APP, e403);

    const tls = envFor(echo401.url.replace('http://', 'https://'), `127.0.0.1:${echo401.port}`);
    add('TLS to a plain-HTTP port', APP, tls);
    add('forwarder check (TLS error)', ['check'], tls);

    const bad = envFor(`http://127.0.0.1:${closedPort}`, `127.0.0.1:${closedPort}`);
    add('malformed URLs', APP, bad, {
      SPLUNK_HEC_URL: 'http://[::bad',
      DATADOG_URL: 'not a url',
      NEW_RELIC_URL: 'ftp://',
      AXIOM_URL: '::',
      SYSLOG_ENDPOINT: 'no-port',
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://[',
    });
    add('drain config error under FORWARDER_STRICT', APP, bad, {
      FORWARDER_STRICT: '1',
      DATADOG_REGION: 'mars',
    });
    add('core config error', APP, bad, { FORWARDER_BUFFER_BYTES: 'lots', FORWARDER_STRICT: '1' });
    add('forwarder config with errors', ['config'], bad, {
      DATADOG_REGION: 'mars',
      FORWARDER_BUFFER_BYTES: 'lots',
    });

    const results = await Promise.all(
      scenarios.map(async (s) => {
        const res = await runCli(s.args, { env: cleanEnv(s.env) });
        const out = `${res.stdout.toString()}\n${res.stderr.toString()}`;
        const found = leaks(out, s.canaries);
        if (found.length > 0 || res.code === 70) console.log(`--- ${s.name} (exit ${res.code}):\n${out}`);
        return { name: s.name, code: res.code, found, bytes: out.length, out };
      }),
    );
    const configOut = results.find((r) => r.name === 'forwarder config')!.out;
    console.log(
      `secret canaries: ${SECRET_DEFS.length} secret settings + the webhook URL's password and query; scenarios:\n  ${results
        .map((r) => `${r.name}: exit ${r.code}, ${r.bytes} bytes of output, ${r.found.length} leaks`)
        .join('\n  ')}`,
    );
    // the paths were really exercised: drains were enabled and failed, errors were printed
    expect(configOut).toMatch(/webhook/);
    expect(results.find((r) => r.name === 'core config error')!.code).toBe(78);
    expect(results.find((r) => r.name === 'forwarder check (401)')!.code).toBe(1);
    for (const r of results)
      expect({ scenario: r.name, leaks: r.found }).toEqual({ scenario: r.name, leaks: [] });
  }, 90_000);
});

describe("reliability: the app's command line (issue 13 item 13)", () => {
  it('a configured secret in the command is scrubbed from the started event, like all our own text', async () => {
    const hook = await new WebhookReceiver().start();
    try {
      const secret = unique();
      const res = await runCli(['run', '--', 'true', `--api-key=${secret}`, '--token', secret], {
        env: cleanEnv({ WEBHOOK_URL: hook.url, WEBHOOK_SECRET: secret }),
      });
      expect(res.code).toBe(0);
      const started = hook.records.find((e) => e.lifecycle?.kind === 'started');
      expect(started?.lifecycle?.command).toBe('true --api-key=[secret] --token [secret]');
      expect(JSON.stringify(hook.records)).not.toContain(secret);
    } finally {
      await hook.close();
    }
  });
});
