/**
 * The New Relic drain (issue 5) through the built CLI against NewRelicReceiver, plus pure tests of
 * its configuration (region from the key, override). `npm run build` first.
 */
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { newRelicDrain } from '../../src/drains/new-relic.js';
import { NODE, runCli } from '../helpers/cli.js';
import { NewRelicReceiver, type NewRelicRecord, newRelicView } from '../receivers/new-relic.js';
import { AGENT, baseEnv, configureFrom, drainContract, EMIT, HOST, LINES, WORKER } from './contract.js';

const KEY = 'abcdef0123456789abcdef0123456789abcdNRAL';
const env = (url: string) => ({ NEW_RELIC_LICENSE_KEY: KEY, NEW_RELIC_URL: url });

drainContract<NewRelicRecord>({
  id: 'new_relic',
  receiver: (o) => new NewRelicReceiver({ keys: [KEY], ...o }),
  env,
  badKeyEnv: (url) => ({
    NEW_RELIC_LICENSE_KEY: 'ffffff0123456789abcdef0123456789abcdNRAL',
    NEW_RELIC_URL: url,
  }),
  hint403: /403 from .*the key was refused; check NEW_RELIC_LICENSE_KEY/,
  message: (r) => r.log.message,
  stream: (r) => newRelicView(r).stream as string,
  maxRecordBytes: 4_094 + 128_000 + 1_024,
});

describe('new_relic: records, field by field', () => {
  const open: NewRelicReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const start = async (o: Partial<ConstructorParameters<typeof NewRelicReceiver>[0]> = {}) => {
    const r = new NewRelicReceiver({ keys: [KEY], ...o });
    open.push(r);
    return r.start();
  };

  it('agentId, workerId, hostname once per batch in common; message, level, stream, timestamp per log', async () => {
    const rx = await start();
    const before = Date.now();
    const res = await runCli(['run', '--', NODE, EMIT, 'out:INFO ready', 'err:ERROR broke', 'out:DEBUG d'], {
      env: baseEnv({ ...env(rx.url), FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const views = rx.records.map(newRelicView).filter((v) => v.stream !== 'forwarder');
    const broke = views.find((v) => v.message === 'ERROR broke')!;
    expect(broke).toEqual({
      agentId: AGENT,
      workerId: WORKER,
      hostname: HOST,
      message: 'ERROR broke',
      level: 'error',
      stream: 'stderr',
      timestamp: expect.any(Number),
    });
    expect(broke.timestamp as number).toBeGreaterThanOrEqual(before);
    expect(broke.timestamp as number).toBeLessThanOrEqual(Date.now());
    expect(views.map((v) => v.level).sort()).toEqual(['debug', 'error', 'info']);
    // one request, one block: the identity is sent once, not per log
    expect(rx.requests).toHaveLength(1);
    const req = rx.requests[0]!;
    expect(req.path).toBe('/log/v1');
    expect(req.headers['api-key']).toBe(KEY);
    expect(req.headers['content-encoding']).toBe('gzip');
    const blocks = JSON.parse(gunzipSync(req.rawBody).toString()) as { common: unknown; logs: unknown[] }[];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.common).toEqual({ attributes: { agentId: AGENT, workerId: WORKER, hostname: HOST } });
    expect(blocks[0]!.logs[0]).toEqual({
      timestamp: expect.any(Number),
      message: expect.any(String),
      attributes: { level: expect.any(String), stream: expect.any(String) },
    });
  });

  it('keeps every request under 1 MB as sent, with lines that compress badly', async () => {
    const rx = await start({ keepRecords: false });
    // 3,000 lines of 1 KB: ~3 MB uncompressed, so several requests are needed
    const res = await runCli(['run', '--', NODE, LINES, '3000', '1000'], { env: baseEnv(env(rx.url)) });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    expect(rx.recordCount).toBeGreaterThanOrEqual(3000);
    expect(Math.max(...rx.requests.map((r) => r.rawBytes))).toBeLessThanOrEqual(1_000_000);
  });
});

describe('new_relic: configuration (pure)', () => {
  const url = (e: Record<string, string>) => {
    const c = configureFrom(newRelicDrain, e);
    return c && newRelicDrain.endpoint(c);
  };
  it.each([
    [{ NEW_RELIC_LICENSE_KEY: KEY }, 'https://log-api.newrelic.com/log/v1'],
    [
      { NEW_RELIC_LICENSE_KEY: 'eu01xx0123456789abcdef0123456789abcdNRAL' },
      'https://log-api.eu.newrelic.com/log/v1',
    ],
    [
      { NEW_RELIC_LICENSE_KEY: 'eu01xx0123456789abcdef0123456789abcdNRAL', NEW_RELIC_REGION: 'us' },
      'https://log-api.newrelic.com/log/v1',
    ],
    [{ NEW_RELIC_LICENSE_KEY: KEY, NEW_RELIC_REGION: 'EU' }, 'https://log-api.eu.newrelic.com/log/v1'],
    [{ NEW_RELIC_LICENSE_KEY: KEY, NEW_RELIC_REGION: 'fedramp' }, 'https://gov-log-api.newrelic.com/log/v1'],
    [{ NEW_RELIC_LICENSE_KEY: KEY, NEW_RELIC_URL: 'http://proxy:9000' }, 'http://proxy:9000/log/v1'],
  ])('%o → %s', (e, expected) => {
    expect(url(e)).toBe(expected);
  });

  it('is off without a key; a bad region names the allowed ones', () => {
    expect(configureFrom(newRelicDrain, {})).toBeUndefined();
    expect(() =>
      configureFrom(newRelicDrain, { NEW_RELIC_LICENSE_KEY: KEY, NEW_RELIC_REGION: 'asia' }),
    ).toThrow(/NEW_RELIC_REGION.*us, eu, fedramp/);
  });

  it('frame overhead is exact, so core never sends more than it counted', () => {
    const c = configureFrom(newRelicDrain, { NEW_RELIC_LICENSE_KEY: KEY })!;
    const frame = newRelicDrain.frame as (r: readonly string[], c: unknown) => string;
    const overhead = (newRelicDrain.frameOverheadBytes as (c: unknown) => number)(c);
    const records = ['{"a":1}', '{"b":2}', '{"c":3}'];
    const counted = overhead + records.reduce((n, r) => n + r.length, 0) + records.length - 1;
    expect(Buffer.byteLength(frame(records, c))).toBe(counted);
  });
});
