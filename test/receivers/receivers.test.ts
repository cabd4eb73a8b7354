/**
 * Tests of the contract receivers themselves: each accepts a valid request, answers each contract
 * violation with the vendor's status and body, applies faults in order, and enforces size limits.
 */
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { AxiomReceiver } from './axiom.js';
import { DatadogReceiver, remapDatadogStatus } from './datadog.js';
import type { HttpReceiver } from './http-receiver.js';
import { NewRelicReceiver, newRelicView } from './new-relic.js';
import { SplunkHecReceiver } from './splunk-hec.js';
import { verifyWebhookSignature, type WebhookEvent, WebhookReceiver } from './webhook.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
/** Starts a receiver and closes it after the test. */
function started<T extends HttpReceiver<R>, R>(r: T & HttpReceiver<R>): Promise<T> {
  open.push(r);
  return r.start();
}

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}
async function post(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Res> {
  const res = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

const TS = 1795250460123; // 2026-11-21T08:41:00.123Z

// ---------------------------------------------------------------------------------------------
describe('Datadog receiver', () => {
  const KEY = 'abcdef0123456789abcdef0123456789';
  const PUB = 'pub0123456789abcdef0123456789abcd';
  const item = (i: number) => ({
    message: `line ${i}`,
    ddsource: 'agent',
    ddtags: 'env:prod,agent_id:A_1',
    hostname: 'pod-abc',
    service: 'svc',
    status: 'error',
    timestamp: TS + i,
    seq: i,
  });
  const mk = (o = {}) => started(new DatadogReceiver({ apiKeys: [KEY], clientTokens: [PUB], ...o }));
  const json = { 'content-type': 'application/json' };

  it('accepts a gzip JSON array with an API key: 202 {} and the items as sent', async () => {
    const dd = await mk();
    const items = [item(0), item(1)];
    const r = await post(`${dd.url}/api/v2/logs`, gzipSync(JSON.stringify(items)), {
      ...json,
      'content-encoding': 'gzip',
      'dd-api-key': KEY,
    });
    expect(r.status).toBe(202);
    expect(r.text).toBe('{}');
    expect(dd.records).toEqual(items);
    expect(dd.requests[0]!.info).toEqual({ tokenForm: 'api_key', authVia: 'header' });
    expect(dd.tokenForms).toEqual({ api_key: 1, client_token: 0 });
  });

  it('accepts a single object and a client token in the query string, recording the token form', async () => {
    const dd = await mk();
    const r = await post(
      `${dd.url}/api/v2/logs?ddsource=agent&dd-api-key=${PUB}`,
      JSON.stringify(item(0)),
      json,
    );
    expect(r.status).toBe(202);
    expect(dd.records).toHaveLength(1);
    expect(dd.requests[0]!.info).toEqual({ tokenForm: 'client_token', authVia: 'query' });
  });

  it('answers auth failures with 401 (missing) and 403 {"errors":["Forbidden"]} (wrong)', async () => {
    const dd = await mk();
    const body = JSON.stringify([item(0)]);
    const missing = await post(`${dd.url}/api/v2/logs`, body, json);
    expect(missing.status).toBe(401);
    expect(missing.json()).toEqual({ errors: ['Unauthorized'] });
    const wrong = await post(`${dd.url}/api/v2/logs`, body, { ...json, 'dd-api-key': 'nope' });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toBe('{"errors":["Forbidden"]}');
    const unknownPub = await post(`${dd.url}/api/v2/logs`, body, { ...json, 'dd-api-key': 'pubnope' });
    expect(unknownPub.status).toBe(403);
    expect(dd.rejected).toHaveLength(3);
    expect(dd.recordCount).toBe(0);
  });

  it.each([
    ['no message', [{ ddsource: 'x' }], /message/],
    ['ddtags as array', [{ ...item(0), ddtags: ['env:prod'] }], /ddtags/],
    ['empty tag', [{ ...item(0), ddtags: 'env:prod,,x' }], /empty tag/],
    ['unknown status', [{ ...item(0), status: 'loud' }], /status remapper/],
    ['timestamp in seconds', [{ ...item(0), timestamp: 1795250460 }], /milliseconds/],
    ['timestamp as ISO string', [{ ...item(0), timestamp: '2026-11-21T08:41:00Z' }], /milliseconds/],
    ['hostname a number', [{ ...item(0), hostname: 7 }], /hostname/],
    ['empty array', [], /empty/],
    ['1001 items', Array.from({ length: 1001 }, (_, i) => item(i)), /1001 items/],
  ])('rejects %s with 400', async (_name, items, why) => {
    const dd = await mk();
    const r = await post(`${dd.url}/api/v2/logs`, JSON.stringify(items), { ...json, 'dd-api-key': KEY });
    expect(r.status).toBe(400);
    expect((r.json().errors as string[])[0]).toMatch(why);
    expect(dd.recordCount).toBe(0);
  });

  it('rejects a non-JSON content type and zstd with 415, and a body over 5,000,000 bytes uncompressed with 413', async () => {
    const dd = await mk();
    const h = { 'dd-api-key': KEY };
    expect((await post(`${dd.url}/api/v2/logs`, 'x', { ...h, 'content-type': 'text/plain' })).status).toBe(
      415,
    );
    expect(
      (await post(`${dd.url}/api/v2/logs`, 'x', { ...h, ...json, 'content-encoding': 'zstd' })).status,
    ).toBe(415);
    // ~5.2 MB of JSON that gzips to a few KB: the limit is on the decoded size
    const big = JSON.stringify(
      Array.from({ length: 500 }, (_, i) => ({ ...item(i), message: 'a'.repeat(10_400) })),
    );
    expect(big.length).toBeGreaterThan(5_000_000);
    const r = await post(`${dd.url}/api/v2/logs`, gzipSync(big), {
      ...h,
      ...json,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(413);
    expect(r.json()).toEqual({ errors: ['Request Entity Too Large'] });
  });

  it('accepts an item over 1 MB with 202 and counts it as truncated', async () => {
    const dd = await mk();
    const items = [{ ...item(0), message: 'b'.repeat(1_100_000) }, item(1)];
    const r = await post(`${dd.url}/api/v2/logs`, JSON.stringify(items), { ...json, 'dd-api-key': KEY });
    expect(r.status).toBe(202);
    expect(dd.truncatedCount).toBe(1);
    expect(dd.requests[0]!.info).toMatchObject({ truncatedItems: 1 });
  });

  it('maps levels the way the Log Status Remapper does', () => {
    expect(remapDatadogStatus('fatal')).toBe('emergency');
    expect(remapDatadogStatus('trace')).toBe('debug');
    expect(remapDatadogStatus('warn')).toBe('warning');
    expect(remapDatadogStatus('error')).toBe('error');
    expect(remapDatadogStatus('info')).toBe('info');
    expect(remapDatadogStatus('debug')).toBe('debug');
    expect(remapDatadogStatus('critical')).toBe('critical');
    expect(remapDatadogStatus('loud')).toBeUndefined();
  });

  it('answers an unknown path with 404', async () => {
    const dd = await mk();
    expect((await post(`${dd.url}/v1/input`, '[]', { ...json, 'dd-api-key': KEY })).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Splunk HEC receiver', () => {
  const TOKEN = '11111111-2222-3333-4444-555555555555';
  const auth = { authorization: `Splunk ${TOKEN}` };
  const ev = (i: number, extra: Record<string, unknown> = {}) => ({
    time: 1795250460.123 + i,
    host: 'pod-abc',
    source: 'forwarder',
    sourcetype: '_json',
    event: { message: `line ${i}`, level: 'info', seq: i },
    fields: { agent_id: 'A_1', tags: ['a', 'b'] },
    ...extra,
  });
  const mk = (o = {}) => started(new SplunkHecReceiver({ tokens: [TOKEN], indexes: ['main'], ...o }));
  const concat = (...evs: unknown[]) => evs.map((e) => JSON.stringify(e)).join('\n');

  it('accepts concatenated objects (with and without whitespace, gzip) on /event and the alias', async () => {
    const hec = await mk();
    const body = `${JSON.stringify(ev(0))}${JSON.stringify(ev(1))}\n  ${JSON.stringify(ev(2, { index: 'main' }))}\n`;
    const r = await post(`${hec.url}/services/collector/event`, gzipSync(body), {
      ...auth,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ text: 'Success', code: 0 });
    expect(hec.records).toEqual([ev(0), ev(1), ev(2, { index: 'main' })]);
    const alias = await post(`${hec.url}/services/collector`, concat(ev(3)), auth);
    expect(alias.status).toBe(200);
    expect(hec.recordCount).toBe(4);
  });

  it('answers auth failures with the HEC codes', async () => {
    const hec = await mk();
    const url = `${hec.url}/services/collector/event`;
    const body = concat(ev(0));
    const none = await post(url, body);
    expect([none.status, none.json()]).toEqual([401, { text: 'Token is required', code: 2 }]);
    const wrong = await post(url, body, { authorization: 'Splunk 0000' });
    expect([wrong.status, wrong.json()]).toEqual([403, { text: 'Invalid token', code: 4 }]);
    const scheme = await post(url, body, { authorization: `Bearer ${TOKEN}` });
    expect([scheme.status, scheme.json()]).toEqual([401, { text: 'Invalid authorization', code: 3 }]);
    const query = await post(`${url}?token=${TOKEN}`, body);
    expect([query.status, query.json().code]).toEqual([400, 16]);
    const basic = await post(url, body, {
      authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
    });
    expect(basic.status).toBe(200);
  });

  it('indexes the events before invalid-event-number and none after it', async () => {
    const hec = await mk();
    const body = concat(ev(0), ev(1), ev(2, { event: '   ' }), ev(3));
    const r = await post(`${hec.url}/services/collector/event`, body, auth);
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({ text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 2 });
    expect(hec.records).toEqual([ev(0), ev(1)]);
    expect(hec.rejected).toHaveLength(1);
  });

  it.each([
    ['missing event', () => ({ time: 1 }), 12],
    ['null event', () => ev(1, { event: null }), 12],
    ['empty-object event', () => ev(1, { event: {} }), 13],
    ['time in ms', () => ev(1, { time: 1795250460123 }), 6],
    ['non-numeric time', () => ev(1, { time: 'yesterday' }), 6],
    ['unknown top-level key', () => ev(1, { level: 'info' }), 6],
    ['index not allowed', () => ev(1, { index: 'secret' }), 7],
    ['nested fields', () => ev(1, { fields: { a: { b: 'c' } } }), 15],
    ['numeric fields value', () => ev(1, { fields: { a: 1 } }), 15],
  ])('rejects %s with its code at invalid-event-number 1', async (_name, bad, code) => {
    const hec = await mk();
    const r = await post(`${hec.url}/services/collector/event`, concat(ev(0), bad(), ev(2)), auth);
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ code, 'invalid-event-number': 1 });
    expect(hec.records).toEqual([ev(0)]);
  });

  it('rejects malformed JSON (code 6 at its index) and an empty body (code 5)', async () => {
    const hec = await mk();
    const url = `${hec.url}/services/collector/event`;
    const r = await post(url, `${JSON.stringify(ev(0))}{"event":"x",}`, auth);
    expect(r.json()).toEqual({ text: 'Invalid data format', code: 6, 'invalid-event-number': 1 });
    const garbage = await post(url, `${JSON.stringify(ev(0))} hello`, auth);
    expect(garbage.json()).toMatchObject({ code: 6, 'invalid-event-number': 1 });
    const empty = await post(url, '  \n', auth);
    expect([empty.status, empty.json()]).toEqual([400, { text: 'No data', code: 5 }]);
    // strings containing braces do not confuse the splitter
    const tricky = await post(url, concat(ev(0, { event: 'a } { "b" \\" }' })), auth);
    expect(tricky.status).toBe(200);
    // pretty-printed objects, and two on one line after a normal line
    const pretty = `${JSON.stringify(ev(1))}\n${JSON.stringify(ev(2), null, 2)}\n${JSON.stringify(ev(3))}${JSON.stringify(ev(4))}`;
    const p = await post(url, pretty, auth);
    expect(p.status).toBe(200);
    expect(hec.records.slice(-4)).toEqual([ev(1), ev(2), ev(3), ev(4)]);
    // invalid UTF-8 is pinned to its event
    const latin1 = Buffer.concat([
      Buffer.from(`${JSON.stringify(ev(0))}\n{"event":"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const u = await post(url, latin1, auth);
    expect(u.json()).toMatchObject({ code: 6, 'invalid-event-number': 1 });
  });

  it('answers 413 above max content length, measured decompressed', async () => {
    const hec = await mk({ maxContentLength: 10_000 });
    const body = concat(...Array.from({ length: 100 }, (_, i) => ev(i)));
    expect(body.length).toBeGreaterThan(10_000);
    const r = await post(`${hec.url}/services/collector/event`, gzipSync(body), {
      ...auth,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(413);
    expect(hec.recordCount).toBe(0);
  });

  it('answers the busy fault with 503 code 9, then accepts', async () => {
    const hec = await mk({ faults: [{ status: 503 }] });
    const url = `${hec.url}/services/collector/event`;
    const busy = await post(url, concat(ev(0)), auth);
    expect([busy.status, busy.json()]).toEqual([503, { text: 'Server is busy', code: 9 }]);
    expect(hec.recordCount).toBe(0);
    expect((await post(url, concat(ev(0)), auth)).status).toBe(200);
    expect(hec.recordCount).toBe(1);
  });

  it('serves the health endpoint', async () => {
    const hec = await mk();
    const ok = await post(`${hec.url}/services/collector/health`, '', {}, 'GET');
    expect([ok.status, ok.json()]).toEqual([200, { text: 'HEC is healthy', code: 17 }]);
    const bad = await post(
      `${hec.url}/services/collector/health`,
      '',
      { authorization: 'Splunk nope' },
      'GET',
    );
    expect([bad.status, bad.json().code]).toEqual([400, 4]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('New Relic receiver', () => {
  const KEY = 'eu01xx0123456789abcdef0123456789abcdNRAL';
  const h = { 'content-type': 'application/json', 'api-key': KEY };
  const payload = (n: number, extra: Record<string, unknown> = {}) => [
    {
      common: { attributes: { logtype: 'forwarder', hostname: 'pod-abc', agent: { id: 'A_1' } } },
      logs: Array.from({ length: n }, (_, i) => ({
        timestamp: TS + i,
        message: `line ${i}`,
        attributes: { level: 'info', seq: i, ...extra },
      })),
    },
  ];
  const mk = (o = {}) => started(new NewRelicReceiver({ keys: [KEY], ...o }));

  it('accepts the detailed format with gzip: 202 {requestId}', async () => {
    const nr = await mk();
    const r = await post(`${nr.url}/log/v1`, gzipSync(JSON.stringify(payload(2))), {
      ...h,
      'content-encoding': 'gzip',
    });
    expect(r.status).toBe(202);
    expect(r.json().requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(nr.records).toHaveLength(2);
    expect(newRelicView(nr.records[1]!)).toEqual({
      logtype: 'forwarder',
      hostname: 'pod-abc',
      'agent.id': 'A_1',
      level: 'info',
      seq: 1,
      message: 'line 1',
      timestamp: TS + 1,
    });
  });

  it('accepts the simple object form and X-License-Key', async () => {
    const nr = await mk();
    const r = await post(
      `${nr.url}/log/v1`,
      JSON.stringify({ message: 'hi', timestamp: TS, level: 'warn' }),
      {
        'content-type': 'application/json',
        'x-license-key': KEY,
      },
    );
    expect(r.status).toBe(202);
    expect(nr.records[0]!.log).toEqual({ message: 'hi', timestamp: TS, level: 'warn' });
  });

  it('answers a missing or wrong key with 403', async () => {
    const nr = await mk();
    const body = JSON.stringify(payload(1));
    expect((await post(`${nr.url}/log/v1`, body, { 'content-type': 'application/json' })).status).toBe(403);
    expect((await post(`${nr.url}/log/v1`, body, { ...h, 'api-key': 'wrong' })).status).toBe(403);
  });

  it('limits the body as sent to 1,000,000 bytes: 413 above, a compressible 2 MB body gzipped is fine', async () => {
    const nr = await mk();
    const big = JSON.stringify(payload(1, { pad: 'x'.repeat(1_000_000) }));
    expect((await post(`${nr.url}/log/v1`, big, h)).status).toBe(413);
    const twoMb = JSON.stringify(payload(200, { pad: 'y'.repeat(3000) }));
    expect(twoMb.length).toBeGreaterThan(500_000);
    const r = await post(`${nr.url}/log/v1`, gzipSync(twoMb), { ...h, 'content-encoding': 'gzip' });
    expect(r.status).toBe(202);
  });

  it.each([
    ['an array attribute', payload(1, { tags: ['a'] }), /array/],
    ['a log without message', [{ logs: [{ timestamp: TS }] }], /message/],
    ['a string timestamp', [{ logs: [{ message: 'x', timestamp: 'now' }] }], /timestamp/],
    ['no logs', [{ common: {}, logs: [] }], /no logs/],
    [
      '256 attributes',
      payload(1, Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`a${i}`, i]))),
      /attributes/,
    ],
  ])('rejects %s with 400', async (_name, body, why) => {
    const nr = await mk();
    const r = await post(`${nr.url}/log/v1`, JSON.stringify(body), h);
    expect(r.status).toBe(400);
    expect(r.json().error).toMatch(why);
  });

  it('gives 429 faults a Retry-After in seconds', async () => {
    const nr = await mk({ faults: [{ status: 429 }, { status: 429, retryAfter: 7 }] });
    const body = JSON.stringify(payload(1));
    expect((await post(`${nr.url}/log/v1`, body, h)).headers.get('retry-after')).toBe('1');
    const second = await post(`${nr.url}/log/v1`, body, h);
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await post(`${nr.url}/log/v1`, body, h)).status).toBe(202);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Axiom receiver', () => {
  const TOKEN = 'xaat-01234567-89ab-cdef-0123-456789abcdef';
  const h = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
  const ev = (i: number) => ({
    _time: new Date(TS + i).toISOString(),
    message: `line ${i}`,
    level: 'info',
    seq: i,
  });
  const mk = (o = {}) => started(new AxiomReceiver({ tokens: [TOKEN], dataset: 'logs', ...o }));

  it('accepts a JSON array on the legacy path and NDJSON+gzip on the edge path', async () => {
    const ax = await mk();
    const r = await post(`${ax.url}/v1/datasets/logs/ingest`, JSON.stringify([ev(0), ev(1)]), h);
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ ingested: 2, failed: 0, failures: [], blocksCreated: 0, walLength: 2 });
    const nd = `${JSON.stringify(ev(2))}\n${JSON.stringify({ ...ev(3), _time: TS + 3 })}\n`;
    const e = await post(`${ax.url}/v1/ingest/logs`, gzipSync(nd), {
      ...h,
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
    });
    expect(e.status).toBe(200);
    expect(e.json()).toMatchObject({ ingested: 2, processedBytes: nd.length });
    expect(ax.records.map((x) => x.seq)).toEqual([0, 1, 2, 3]);
  });

  it('answers 401 without a token, 403 for a wrong one, 404 for another dataset', async () => {
    const ax = await mk();
    const body = JSON.stringify([ev(0)]);
    const none = await post(`${ax.url}/v1/ingest/logs`, body, { 'content-type': 'application/json' });
    expect(none.status).toBe(401);
    expect((await post(`${ax.url}/v1/ingest/logs`, body, { ...h, authorization: 'Bearer x' })).status).toBe(
      403,
    );
    const other = await post(`${ax.url}/v1/ingest/other`, body, h);
    expect([other.status, other.json()]).toEqual([404, { code: 404, message: 'dataset not found' }]);
  });

  it('reports partial failure in a 200 and records only the ingested events', async () => {
    const ax = await mk({
      failWhen: (e: Record<string, unknown>) => (e.seq === 1 ? 'field too long' : undefined),
    });
    const { _time: _dropped, ...noTime } = ev(2);
    const r = await post(`${ax.url}/v1/ingest/logs`, JSON.stringify([ev(0), ev(1), noTime]), h);
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ ingested: 1, failed: 2, walLength: 1, blocksCreated: 0 });
    expect(body.failures).toEqual([
      { timestamp: new Date(TS + 1).toISOString(), error: 'field too long' },
      { timestamp: expect.any(String), error: 'missing or unparseable _time' },
    ]);
    expect(ax.records).toEqual([ev(0)]);
    expect(ax.failedCount).toBe(2);
  });

  it('rejects more than 10,000 events with 400, zstd with 415, a non-array with 400', async () => {
    const ax = await mk();
    const url = `${ax.url}/v1/ingest/logs`;
    const many = JSON.stringify(Array.from({ length: 10_001 }, (_, i) => ev(i)));
    expect((await post(url, many, h)).status).toBe(400);
    expect((await post(url, 'x', { ...h, 'content-encoding': 'zstd' })).status).toBe(415);
    expect((await post(url, JSON.stringify(ev(0)), h)).status).toBe(400);
    expect((await post(url, 'a,b', { ...h, 'content-type': 'text/csv' })).status).toBe(415);
    expect(ax.recordCount).toBe(0);
  });

  it('answers 429 faults with X-RateLimit-* headers, Reset in epoch seconds', async () => {
    const ax = await mk({ faults: [{ status: 429 }] });
    const before = Math.floor(Date.now() / 1000);
    const r = await post(`${ax.url}/v1/ingest/logs`, JSON.stringify([ev(0)]), h);
    expect(r.status).toBe(429);
    expect(r.json()).toEqual({ message: 'rate limit exceeded' });
    expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(r.headers.get('x-ratelimit-scope')).toBe('organization');
    const reset = Number(r.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(before);
    expect(reset).toBeLessThan(before + 10);
  });
});

// ---------------------------------------------------------------------------------------------
describe('webhook receiver', () => {
  const SECRET = 'whsec-test-0123456789';
  const event = (seq: number, instance = 'inst-1'): WebhookEvent => ({
    timestamp: TS + seq,
    message: `line ${seq}`,
    level: 'info',
    stream: 'stdout',
    agent_id: 'A_1',
    worker_id: 'W_9',
    hostname: 'pod-abc',
    seq,
    instance,
    attributes: { env: 'prod' },
  });
  /** The test's own signer, written from the contract (not shared with the receiver). */
  const sign = (body: Uint8Array, ts = Math.floor(Date.now() / 1000)) => ({
    'x-webhook-timestamp': String(ts),
    'x-webhook-signature': `sha256=${createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex')}`,
  });
  const ct = { 'content-type': 'application/json' };

  it('accepts a signed gzip batch (signature over the bytes on the wire)', async () => {
    const wh = await started(new WebhookReceiver({ secret: SECRET, path: '/hook' }));
    const body = gzipSync(JSON.stringify([event(0), event(1)]));
    const headers = { ...ct, 'content-encoding': 'gzip', ...sign(body) };
    const r = await post(`${wh.url}/hook`, body, headers);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ accepted: 2 });
    expect(wh.records).toEqual([event(0), event(1)]);
    const req = wh.requests[0]!;
    expect(
      verifyWebhookSignature(
        SECRET,
        req.headers['x-webhook-timestamp'] as string,
        req.headers['x-webhook-signature'] as string,
        req.rawBody,
      ),
    ).toBe(true);
  });

  it('verifyWebhookSignature rejects a wrong secret, a changed body, a malformed header', () => {
    const body = Buffer.from('[]');
    const s = sign(body, 1795250460);
    expect(verifyWebhookSignature(SECRET, s['x-webhook-timestamp'], s['x-webhook-signature'], body)).toBe(
      true,
    );
    expect(verifyWebhookSignature('other', s['x-webhook-timestamp'], s['x-webhook-signature'], body)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(SECRET, s['x-webhook-timestamp'], s['x-webhook-signature'], Buffer.from('[ ]')),
    ).toBe(false);
    expect(verifyWebhookSignature(SECRET, '1795250461', s['x-webhook-signature'], body)).toBe(false);
    expect(verifyWebhookSignature(SECRET, s['x-webhook-timestamp'], 'sha256=zz', body)).toBe(false);
    expect(verifyWebhookSignature(SECRET, s['x-webhook-timestamp'], undefined, body)).toBe(false);
  });

  it('answers 401 for a missing, bad, stale or millisecond-stamped signature', async () => {
    const wh = await started(new WebhookReceiver({ secret: SECRET }));
    const body = Buffer.from(JSON.stringify([event(0)]));
    const now = Math.floor(Date.now() / 1000);
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /missing x-webhook-timestamp/],
      [{ ...sign(body), 'x-webhook-signature': `sha256=${'0'.repeat(64)}` }, /mismatch/],
      [sign(Buffer.from('[]')), /mismatch/],
      [sign(body, now - 301), /stale/],
      [sign(body, now + 400), /stale/],
      [sign(body, now * 1000), /milliseconds/],
    ];
    for (const [headers, why] of cases) {
      const r = await post(`${wh.url}/`, body, { ...ct, ...headers });
      expect(r.status).toBe(401);
      expect(r.json().error).toMatch(why);
    }
    expect(wh.recordCount).toBe(0);
    expect(wh.rejected).toHaveLength(cases.length);
  });

  it.each([
    ['129 events', () => Array.from({ length: 129 }, (_, i) => event(i)), 400],
    ['a bad level', () => [{ ...event(0), level: 'warning' }], 400],
    ['a seconds timestamp', () => [{ ...event(0), timestamp: 1795250460 }], 400],
    ['a fractional seq', () => [{ ...event(0), seq: 1.5 }], 400],
    ['a non-string attribute', () => [{ ...event(0), attributes: { n: 1 } }], 400],
    ['an unknown field', () => [{ ...event(0), extra: true }], 400],
    ['a non-array body', () => event(0), 400],
    ['more than 1 MiB', () => [{ ...event(0), message: 'z'.repeat(1024 * 1024) }], 413],
  ])('rejects %s', async (_name, body, status) => {
    const wh = await started(new WebhookReceiver());
    const r = await post(`${wh.url}/`, JSON.stringify(body()), ct);
    expect(r.status).toBe(status);
    expect(wh.recordCount).toBe(0);
  });

  it('accepts lifecycle events with a lifecycle object, and counts duplicates by (instance, seq)', async () => {
    const wh = await started(new WebhookReceiver());
    const life = { ...event(2), stream: 'forwarder', lifecycle: { kind: 'exited', exit_code: 0 } };
    await post(`${wh.url}/`, JSON.stringify([event(0), event(1), life]), ct);
    await post(`${wh.url}/`, JSON.stringify([event(1), event(1, 'inst-2')]), ct);
    expect(wh.recordCount).toBe(5);
    expect(wh.ids.size).toBe(4);
    expect(wh.duplicates).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('fault script, chaos and the common machinery', () => {
  const ct = { 'content-type': 'application/json' };
  const batch = (from: number, n = 1) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        timestamp: TS,
        message: 'm',
        level: 'info',
        stream: 'stdout',
        agent_id: 'a',
        worker_id: 'w',
        hostname: 'h',
        seq: from + i,
        instance: 'i',
        attributes: {},
      })),
    );

  it('applies faults in order, each `times` times, before validation; faulted records are not recorded', async () => {
    const wh = await started(
      new WebhookReceiver({
        faults: [
          { status: 503, times: 2 },
          { status: 429, retryAfter: 3, headers: { 'x-extra': 'y' } },
          { times: 1 }, // pass through
          { reset: true },
          { status: 500, body: 'custom' },
        ],
      }),
    );
    const statuses: (number | string)[] = [];
    const headers: (string | null)[] = [];
    for (let i = 0; i < 7; i++) {
      try {
        const r = await post(`${wh.url}/`, batch(i), ct);
        statuses.push(r.status);
        headers.push(r.headers.get('retry-after'));
        if (r.status === 500) expect(r.text).toBe('custom');
      } catch {
        statuses.push('reset');
        headers.push(null);
      }
    }
    expect(statuses).toEqual([503, 503, 429, 200, 'reset', 500, 200]);
    expect(headers[2]).toBe('3');
    expect(wh.records.map((r) => r.seq)).toEqual([3, 6]);
    expect(wh.faultCount).toBe(5);
    expect(wh.rejected).toHaveLength(0);
    expect(wh.requests.map((r) => r.fault)).toEqual([
      'status',
      'status',
      'status',
      undefined,
      'reset',
      'status',
      undefined,
    ]);
  });

  it('faults apply even to requests that would be rejected (faults come first)', async () => {
    const wh = await started(new WebhookReceiver({ faults: [{ status: 503 }] }));
    expect((await post(`${wh.url}/`, 'not json', ct)).status).toBe(503);
    expect((await post(`${wh.url}/`, 'not json', ct)).status).toBe(400);
  });

  it('a finite stall delays a normal answer; an infinite stall is released by close()', async () => {
    const wh = await started(
      new WebhookReceiver({ faults: [{ stallMs: 30 }, { stallMs: Number.POSITIVE_INFINITY }] }),
    );
    const r = await post(`${wh.url}/`, batch(0), ct);
    expect(r.status).toBe(200);
    // held for the stall (timer slack below, scheduling noise above), then answered normally
    const held = wh.requests[0]!.answeredAt - wh.requests[0]!.receivedAt;
    expect(held).toBeGreaterThanOrEqual(25);
    expect(held).toBeLessThan(1000);
    const pending = post(`${wh.url}/`, batch(1), ct);
    await wh.waitFor(() => wh.requests.length === 2);
    expect(wh.requests[1]!.status).toBe(0);
    await wh.close();
    await expect(pending).rejects.toThrow();
    expect(wh.recordCount).toBe(1);
  });

  it('a path-scoped fault only hits that path', async () => {
    const hec = await started(
      new SplunkHecReceiver({ tokens: ['t'], faults: [{ status: 503, path: '/services/collector/event' }] }),
    );
    const health = await post(`${hec.url}/services/collector/health`, '', {}, 'GET');
    expect(health.status).toBe(200);
    const ev = await post(`${hec.url}/services/collector/event`, '{"event":"x"}', {
      authorization: 'Splunk t',
    });
    expect(ev.status).toBe(503);
  });

  it('chaos is deterministic for a seed and sends 5xx, 429 with Retry-After and resets', async () => {
    const run = async () => {
      const wh = await started(new WebhookReceiver());
      wh.chaos({ p5xx: 0.3, p429: 0.2, retryAfterS: 2, pReset: 0.1, seed: 42 });
      const out: (number | string)[] = [];
      for (let i = 0; i < 40; i++) {
        try {
          const r = await post(`${wh.url}/`, batch(i), ct);
          out.push(r.status === 429 ? `429/${r.headers.get('retry-after')}` : r.status);
        } catch {
          out.push('reset');
        }
      }
      return { out, wh };
    };
    const a = await run();
    const b = await run();
    expect(a.out).toEqual(b.out);
    expect(new Set(a.out)).toEqual(new Set([200, 500, 503, '429/2', 'reset']));
    expect(a.wh.recordCount).toBe(a.out.filter((s) => s === 200).length);
    a.wh.chaos(undefined);
    expect((await post(`${a.wh.url}/`, batch(99), ct)).status).toBe(200);
  });

  it('keepRecords: false counts records and tracks ids without storing bodies', async () => {
    const wh = await started(new WebhookReceiver({ keepRecords: false }));
    await post(`${wh.url}/`, batch(0, 100), ct);
    await post(`${wh.url}/`, batch(50, 100), ct);
    expect(wh.records).toHaveLength(0);
    expect(wh.recordCount).toBe(200);
    expect(wh.ids.size).toBe(150);
    expect(wh.duplicates).toBe(50);
    expect(wh.requests[0]!.rawBody.length).toBe(0);
    expect(wh.requests[0]!.rawBytes).toBeGreaterThan(0);
  });

  it('waitFor resolves on the request that satisfies it and times out with the state', async () => {
    const wh = await started(new WebhookReceiver());
    const waiting = wh.waitFor(() => wh.recordCount >= 3, 5000);
    await post(`${wh.url}/`, batch(0, 2), ct);
    await post(`${wh.url}/`, batch(2, 1), ct);
    await waiting;
    await expect(wh.waitFor(() => wh.recordCount > 100, 20)).rejects.toThrow(/timed out.*records=3/);
  });

  it('caps decompression: a gzip bomb is answered 413 without inflating it all', async () => {
    const dd = await started(new DatadogReceiver({ apiKeys: ['k'] }));
    const bomb = gzipSync(Buffer.alloc(50_000_000, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const r = await post(`${dd.url}/api/v2/logs`, bomb, {
      ...ct,
      'content-encoding': 'gzip',
      'dd-api-key': 'k',
    });
    expect(r.status).toBe(413);
  });

  it('listens on loopback only', async () => {
    const wh = await started(new WebhookReceiver());
    expect(wh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
