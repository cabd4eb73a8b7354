/**
 * The Datadog drain (issue 5) through the built CLI against DatadogReceiver, plus pure tests of
 * its configuration (site → intake host, client tokens, tags). `npm run build` first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { datadogDrain } from '../../src/drains/datadog.js';
import { NODE, runCli } from '../helpers/cli.js';
import { type DatadogLogItem, DatadogReceiver } from '../receivers/datadog.js';
import { AGENT, baseEnv, configureFrom, drainContract, EMIT, HOST, summaryOf, WORKER } from './contract.js';

const KEY = 'abcdef0123456789abcdef0123456789';
const PUB = 'pub0123456789abcdef0123456789abcd';
const at = (url: string) => `${url}/api/v2/logs`;

drainContract<DatadogLogItem>({
  id: 'datadog',
  receiver: (o) => new DatadogReceiver({ apiKeys: [KEY], ...o }),
  env: (url) => ({ DATADOG_TOKEN: KEY, DATADOG_URL: at(url) }),
  badKeyEnv: (url) => ({ DATADOG_TOKEN: 'wrong0123456789wrong0123456789', DATADOG_URL: at(url) }),
  hint403: /403 from .*the API key was refused.*set DATADOG_REGION/,
  message: (r) => r.message,
  stream: (r) => r.stream as string,
  maxRecordBytes: 1_000_000,
});

describe('datadog: records, field by field', () => {
  const open: DatadogReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const start = async (o: ConstructorParameters<typeof DatadogReceiver>[0]) => {
    const r = new DatadogReceiver(o);
    open.push(r);
    return r.start();
  };

  it('maps each line to the issue table: hostname, ddsource, service, stream, status, message, timestamp, ids', async () => {
    const rx = await start({ apiKeys: [KEY] });
    const before = Date.now();
    const res = await runCli(
      [
        'run',
        '--',
        NODE,
        EMIT,
        'out:TRACE t',
        'out:DEBUG d',
        'out:plain',
        'err:WARN w',
        'err:ERROR e',
        'err:FATAL f',
      ],
      { env: baseEnv({ DATADOG_TOKEN: KEY, DATADOG_URL: at(rx.url) }) },
    );
    const after = Date.now();
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const app = rx.records.filter((r) => r.stream !== 'forwarder');
    const status = Object.fromEntries(app.map((r) => [r.message, r.status]));
    // fatal → emergency: what Datadog's own status remapper makes of "fatal" from any other source
    expect(status).toEqual({
      'TRACE t': 'debug',
      'DEBUG d': 'debug',
      plain: 'info',
      'WARN w': 'warning',
      'ERROR e': 'error',
      'FATAL f': 'emergency',
    });
    const one = app.find((r) => r.message === 'ERROR e')!;
    expect(one).toEqual({
      message: 'ERROR e',
      status: 'error',
      timestamp: expect.any(Number),
      stream: 'stderr',
      hostname: WORKER,
      ddsource: AGENT,
      service: AGENT,
      agent_id: AGENT,
      worker_id: WORKER,
    });
    expect(one.timestamp).toBeGreaterThanOrEqual(before);
    expect(one.timestamp).toBeLessThanOrEqual(after);
    const req = rx.requests.find((r) => r.status === 202)!;
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.headers['dd-api-key']).toBe(KEY);
    expect(req.info).toEqual({ tokenForm: 'api_key', authVia: 'header' });
    expect(HOST).not.toBe(one.hostname); // hostname is the worker id, as in the seed
  });

  it("takes Datadog's own variable names: DD_API_KEY, DD_SITE, DD_TAGS, DD_SERVICE, DD_ENV, DD_VERSION", async () => {
    const rx = await start({ apiKeys: [KEY] });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:hello'], {
      env: baseEnv({
        DD_API_KEY: KEY,
        DD_SITE: 'datadoghq.eu',
        DD_TAGS: 'team:core, tier:1',
        DD_SERVICE: 'checkout',
        DD_ENV: 'prod',
        DD_VERSION: '1.4.2',
        DATADOG_URL: at(rx.url),
      }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const r = rx.records.find((x) => x.message === 'hello')!;
    expect(r.service).toBe('checkout');
    expect(r.ddtags).toBe('team:core,tier:1,env:prod,version:1.4.2');
    expect(summaryOf('datadog', res.stderr.toString()).delivered).toBeGreaterThanOrEqual(1);
  });

  it('sends a client token (pub…) in DD-API-KEY with ddsource in the query, as the mobile SDKs do', async () => {
    const rx = await start({ clientTokens: [PUB] });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:from a client token'], {
      env: baseEnv({ DATADOG_TOKEN: PUB, DATADOG_URL: at(rx.url) }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.records.map((r) => r.message)).toContain('from a client token');
    expect(rx.tokenForms.client_token).toBeGreaterThanOrEqual(1);
    expect(rx.tokenForms.api_key).toBe(0);
    const req = rx.requests.find((r) => r.status === 202)!;
    expect(req.query.get('ddsource')).toBe(AGENT);
    expect(req.headers['dd-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an unknown region disables the drain with the valid ones listed; `check` fails', async () => {
    const res = await runCli(['check'], { env: baseEnv({ DATADOG_TOKEN: KEY, DATADOG_REGION: 'mars1' }) });
    expect(res.code).not.toBe(0);
    const out = res.stdout.toString() + res.stderr.toString();
    expect(out).toContain('DATADOG_REGION is not a Datadog site: "mars1"');
    expect(out).toContain('us1, us3, us5, eu, ap1, ap2, us1-fed');
    expect(out).not.toContain(KEY);
  });
});

describe('datadog: configuration (pure)', () => {
  const url = (env: Record<string, string>) => {
    const c = configureFrom(datadogDrain, env);
    return c && datadogDrain.endpoint(c);
  };

  it('is off without a token', () => {
    expect(configureFrom(datadogDrain, { DATADOG_REGION: 'eu' })).toBeUndefined();
  });

  it.each([
    ['us1', 'https://http-intake.logs.datadoghq.com/api/v2/logs'],
    ['us3', 'https://http-intake.logs.us3.datadoghq.com/api/v2/logs'],
    ['us5', 'https://http-intake.logs.us5.datadoghq.com/api/v2/logs'],
    ['eu', 'https://http-intake.logs.datadoghq.eu/api/v2/logs'],
    ['ap1', 'https://http-intake.logs.ap1.datadoghq.com/api/v2/logs'],
    ['ap2', 'https://http-intake.logs.ap2.datadoghq.com/api/v2/logs'],
    ['us1-fed', 'https://http-intake.logs.ddog-gov.com/api/v2/logs'],
    ['datadoghq.eu', 'https://http-intake.logs.datadoghq.eu/api/v2/logs'],
    ['US3.datadoghq.com', 'https://http-intake.logs.us3.datadoghq.com/api/v2/logs'],
  ])('API key, region %s → %s', (region, expected) => {
    expect(url({ DATADOG_TOKEN: KEY, DATADOG_REGION: region })).toBe(expected);
  });

  it.each([
    ['us1', 'https://browser-intake-datadoghq.com/api/v2/logs'],
    ['us3', 'https://browser-intake-us3-datadoghq.com/api/v2/logs'],
    ['eu', 'https://browser-intake-datadoghq.eu/api/v2/logs'],
    ['us1-fed', 'https://browser-intake-ddog-gov.com/api/v2/logs'],
  ])('client token, region %s → %s', (region, expected) => {
    expect(url({ DATADOG_TOKEN: PUB, DATADOG_REGION: region })).toBe(`${expected}?ddsource=****`);
  });

  it('DATADOG_URL wins; a bare host gets the intake path', () => {
    expect(url({ DATADOG_TOKEN: KEY, DATADOG_URL: 'http://proxy:8080' })).toBe(
      'http://proxy:8080/api/v2/logs',
    );
  });

  it('the hint names the site and the variable to set on a 403', () => {
    const c = configureFrom(datadogDrain, { DD_API_KEY: KEY, DATADOG_REGION: 'us1' })!;
    const hint = datadogDrain.hint!({ kind: 'http', status: 403, headers: {}, body: '' }, c);
    expect(hint).toBe(
      '403 from Datadog us1: the API key was refused; it may belong to another site: set DATADOG_REGION (us1 us3 us5 eu ap1 ap2 us1-fed), or check DD_API_KEY',
    );
  });

  it('retries 401/403 twice (transient auth blips, as Vector does), then rejects', () => {
    const c = configureFrom(datadogDrain, { DATADOG_TOKEN: KEY })!;
    const o = { kind: 'http' as const, status: 403, headers: {}, body: '{"errors":["Forbidden"]}' };
    const batch = { events: [], records: [], body: '', bytes: 0, raw: Buffer.alloc(0) };
    expect(datadogDrain.classify!(o, c, batch, 1, Date.now()).action).toBe('retry');
    expect(datadogDrain.classify!(o, c, batch, 2, Date.now()).action).toBe('retry');
    expect(datadogDrain.classify!(o, c, batch, 3, Date.now()).action).toBe('reject');
    expect(datadogDrain.classify!({ ...o, status: 400 }, c, batch, 1, Date.now()).action).toBe('reject');
    expect(datadogDrain.classify!({ ...o, status: 413 }, c, batch, 1, Date.now()).action).toBe('split');
  });
});
