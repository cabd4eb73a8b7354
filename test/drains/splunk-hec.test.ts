/**
 * The Splunk HEC drain (issue 5) through the built CLI against SplunkHecReceiver, plus pure tests
 * of its configuration and of how it reads HEC's error bodies. `npm run build` first.
 */
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch } from '../../src/drains/core/types.js';
import { splunkHecDrain } from '../../src/drains/splunk-hec.js';
import { LogEvent } from '../../src/pipeline/event.js';
import { ERROR, INFO, WARN } from '../../src/pipeline/levels.js';
import { NODE, runCli } from '../helpers/cli.js';
import {
  type SplunkHecEvent,
  SplunkHecReceiver,
  type SplunkHecReceiverOptions,
} from '../receivers/splunk-hec.js';
import { AGENT, baseEnv, configureFrom, drainContract, EMIT, HOST, summaryOf, WORKER } from './contract.js';

const TOKEN = '11111111-2222-3333-4444-555555555555';
type Body = { message: string; stream: string; level: string };
const body = (r: SplunkHecEvent) => r.event as Body;
const on = (url: string, extra: Record<string, string> = {}) => ({
  LOGS_ENABLE_SPLUNK: '1',
  SPLUNK_HEC_TOKEN: TOKEN,
  SPLUNK_HEC_URL: url,
  ...extra,
});

drainContract<SplunkHecEvent>({
  id: 'splunk_hec',
  receiver: (o) => new SplunkHecReceiver({ tokens: [TOKEN], ...o }),
  env: (url) => on(url),
  badKeyEnv: (url) => on(url, { SPLUNK_HEC_TOKEN: '99999999-2222-3333-4444-555555555555' }),
  hint403: /Splunk refused SPLUNK_HEC_TOKEN/,
  message: (r) => body(r).message,
  stream: (r) => body(r).stream,
  maxRecordBytes: 1_000_000,
});

describe('splunk_hec: records, field by field', () => {
  const open: SplunkHecReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const start = async (o: Partial<SplunkHecReceiverOptions> = {}) => {
    const r = new SplunkHecReceiver({ tokens: [TOKEN], ...o });
    open.push(r);
    return r.start();
  };
  const app = (rx: SplunkHecReceiver) => rx.records.filter((r) => body(r).stream !== 'forwarder');

  it('top level host/source/sourcetype/time and the event body of the issue table, defaults', async () => {
    const rx = await start();
    const before = Date.now();
    const res = await runCli(['run', '--', NODE, EMIT, 'out:plain line', 'err:ERROR broke', 'out:WARN w'], {
      env: baseEnv(on(rx.url)),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const r = app(rx).find((x) => body(x).message === 'ERROR broke')!;
    expect(r).toEqual({
      time: expect.any(Number),
      host: WORKER,
      source: 'forwarder',
      sourcetype: '_json',
      event: {
        message: 'ERROR broke',
        stream: 'stderr',
        level: 'error',
        agent_id: AGENT,
        worker_id: WORKER,
        hostname: HOST,
      },
    });
    // epoch seconds with milliseconds
    expect(r.time as number).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(r.time as number).toBeLessThanOrEqual(Date.now() / 1000);
    expect(Math.round((r.time as number) * 1000) % 1).toBe(0);
    expect(app(rx).map((x) => body(x).level)).toEqual(expect.arrayContaining(['info', 'error', 'warn']));
    const req = rx.requests.find((q) => q.status === 200)!;
    expect(req.path).toBe('/services/collector/event');
    expect(req.headers.authorization).toBe(`Splunk ${TOKEN}`);
    expect(req.headers['content-encoding']).toBe('gzip');
  });

  it('SPLUNK_INDEX, SPLUNK_SOURCE, SPLUNK_SOURCETYPE and the full collector URL', async () => {
    const rx = await start({ indexes: ['app_logs'] });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:x'], {
      env: baseEnv(
        on(`${rx.url}/services/collector/event`, {
          SPLUNK_INDEX: 'app_logs',
          SPLUNK_SOURCE: 'checkout',
          SPLUNK_SOURCETYPE: 'app:json',
        }),
      ),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const r = app(rx)[0]!;
    expect([r.index, r.source, r.sourcetype]).toEqual(['app_logs', 'checkout', 'app:json']);
  });

  it('is off without LOGS_ENABLE_SPLUNK=1 even with token and URL set, and says so once', async () => {
    const rx = await start();
    const res = await runCli(['run', '--', NODE, EMIT, 'out:x'], {
      env: baseEnv({ SPLUNK_HEC_TOKEN: TOKEN, SPLUNK_HEC_URL: rx.url }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.requests).toEqual([]);
    const notes = res.stderr.toString().match(/drain splunk_hec: not enabled.*LOGS_ENABLE_SPLUNK=1/g);
    expect(notes).toHaveLength(1);
  });

  it('LOGS_ENABLE_SPLUNK=1 without a URL is a config problem naming it', async () => {
    const res = await runCli(['check'], {
      env: baseEnv({ LOGS_ENABLE_SPLUNK: '1', SPLUNK_HEC_TOKEN: TOKEN }),
    });
    expect(res.code).not.toBe(0);
    expect(res.stdout.toString() + res.stderr.toString()).toContain(
      'LOGS_ENABLE_SPLUNK is set but SPLUNK_HEC_URL is missing',
    );
  });

  it('an index the token may not use (code 7 at event 0): dropped, counted, with a hint, not resent', async () => {
    const rx = await start({ indexes: ['main'] });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:a', 'out:b'], {
      env: baseEnv(on(rx.url, { SPLUNK_INDEX: 'secret', FORWARDER_BATCH_WAIT: '60s' })),
    });
    const stderr = res.stderr.toString();
    expect(stderr).toContain('SPLUNK_INDEX');
    const s = summaryOf('splunk_hec', stderr);
    expect(s.delivered).toBe(0);
    expect(s.reasons).toMatch(/hec_incorrect_index/);
    // the batch, then the final flush's `dropped` notice (issue 13 item 11), refused the same way
    expect(rx.requests).toHaveLength(2);
    expect(rx.recordCount).toBe(0);
  });

  it('invalid-event-number i: events before i count as delivered, i is dropped, the rest is resent once', async () => {
    const rx = await start({
      faults: [
        {
          status: 400,
          body: '{"text":"Invalid data format","code":6,"invalid-event-number":2}',
          headers: {},
        },
      ],
    });
    const lines = ['out:l0', 'out:l1', 'out:l2', 'out:l3', 'out:l4'];
    const res = await runCli(['run', '--', NODE, EMIT, ...lines], {
      env: baseEnv(on(rx.url, { FORWARDER_BATCH_WAIT: '60s' })),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const first = gunzipSync(rx.requests[0]!.rawBody)
      .toString()
      .split('\n')
      .map((l) => body(JSON.parse(l) as SplunkHecEvent).message);
    // the batch, the rest resent, then the final flush's `dropped` notice (issue 13 item 11)
    expect(rx.requests).toHaveLength(3);
    const messages = rx.records.map((r) => body(r).message);
    // the receiver (a fault) indexed nothing; Splunk would have indexed first[0..1]: never resent
    expect(messages.slice(0, -1)).toEqual(first.slice(3));
    expect(messages.at(-1)).toBe(
      'forwarder dropped 1 events for drain splunk_hec: hec_invalid_data_format 1',
    );
    const s = summaryOf('splunk_hec', res.stderr.toString());
    expect(s.delivered).toBe(first.length - 1 + 1);
    expect(s.dropped).toBe(1);
    expect(s.reasons).toBe('hec_invalid_data_format 1');
  });

  it('SPLUNK_TLS_VERIFY=false warns loudly at start', async () => {
    const rx = await start();
    const res = await runCli(['check'], { env: baseEnv(on(rx.url, { SPLUNK_TLS_VERIFY: 'false' })) });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(res.stderr.toString()).toMatch(/warn: drain splunk_hec: TLS CERTIFICATE VERIFICATION IS OFF/);
  });

  it('an unreadable SPLUNK_CA_FILE is a config problem', async () => {
    const res = await runCli(['check'], {
      env: baseEnv(on('https://127.0.0.1:1', { SPLUNK_CA_FILE: '/nonexistent/ca.pem' })),
    });
    expect(res.code).not.toBe(0);
    expect(res.stdout.toString() + res.stderr.toString()).toContain(
      'SPLUNK_CA_FILE cannot be read: /nonexistent/ca.pem',
    );
  });
});

describe('splunk_hec: configuration and HEC answers (pure)', () => {
  const c = configureFrom(splunkHecDrain, on('https://splunk.example.com:8088'))!;
  const ctx = {
    identity: { agentId: AGENT, workerId: WORKER, hostname: HOST, instance: 'i-1', attributes: {} },
    version: '0.0.0-test',
    requestTimeoutMs: 30_000,
  };
  const batch = (n: number): Batch => ({
    events: Array(n).fill(null),
    records: [],
    body: '',
    bytes: 0,
    raw: Buffer.alloc(0),
  });
  const res = (status: number, body: object) => ({
    kind: 'http' as const,
    status,
    headers: {},
    body: JSON.stringify(body),
  });

  it.each([
    ['https://splunk.example.com:8088', 'https://splunk.example.com:8088/services/collector/event'],
    ['https://splunk.example.com:8088/', 'https://splunk.example.com:8088/services/collector/event'],
    ['https://h:8088/services/collector/event', 'https://h:8088/services/collector/event'],
    ['https://h:8088/services/collector', 'https://h:8088/services/collector'],
    ['https://proxy/splunk', 'https://proxy/splunk/services/collector/event'],
  ])('SPLUNK_HEC_URL %s → %s', (raw, expected) => {
    expect(splunkHecDrain.endpoint(configureFrom(splunkHecDrain, on(raw))!)).toBe(expected);
  });

  it('reads HEC codes', () => {
    const classify = (status: number, b: object, n = 10) =>
      splunkHecDrain.classify!(res(status, b), c, batch(n), 1, Date.now());
    expect(classify(200, { text: 'Success', code: 0 })).toEqual({ action: 'ok' });
    expect(classify(503, { text: 'Server is busy', code: 9 })).toMatchObject({
      action: 'retry',
      reason: 'hec_server_is_busy',
    });
    expect(classify(500, { text: 'Internal server error', code: 8 })).toMatchObject({ action: 'retry' });
    expect(classify(403, { text: 'Invalid token', code: 4 })).toMatchObject({
      action: 'reject',
      reason: 'hec_invalid_token',
    });
    expect(classify(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 3 })).toMatchObject({
      action: 'partial',
      accepted: 3,
      rejected: 1,
      resendFrom: 4,
    });
    // a request-level code: every event from i on would fail the same way
    expect(classify(400, { text: 'Incorrect index', code: 7, 'invalid-event-number': 0 })).toMatchObject({
      action: 'partial',
      accepted: 0,
      rejected: 10,
    });
    expect(classify(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 99 })).toMatchObject(
      {
        action: 'reject',
      },
    );
    expect(classify(413, { text: 'Content too large', code: 413 })).toMatchObject({ action: 'split' });
  });

  it('a plain record (joined from its per-time opening and per-stream-and-level closing) has the bytes of the general form', () => {
    const at = 1_715_678_467_410;
    const encode = (ev: LogEvent) => splunkHecDrain.encode(ev, c, ctx);
    const record = (message: string, stream: string, level: string, extra = '') =>
      `{"time":1715678467.410,"host":"${WORKER}","source":"forwarder","sourcetype":"_json","event":{"message":${message},"stream":"${stream}","level":"${level}"${extra},"agent_id":"${AGENT}","worker_id":"${WORKER}","hostname":"${HOST}"}}`;
    const line = (text: string, level: number, stream = 'stdout') =>
      new LogEvent(at, text, level, stream, 1, undefined, undefined);
    // the plain form, twice over (the second from the tables), per stream and level
    for (let i = 0; i < 2; i++) {
      expect(encode(line('plain line', INFO))).toBe(record('"plain line"', 'stdout', 'info'));
      expect(encode(line('broke', ERROR, 'stderr'))).toBe(record('"broke"', 'stderr', 'error'));
      expect(encode(line('w', WARN))).toBe(record('"w"', 'stdout', 'warn'));
    }
    // a message that needs escaping, and structured parts: the general form
    expect(encode(line('say "hi"\tab\u0001', INFO))).toBe(
      record(JSON.stringify('say "hi"\tab\u0001'), 'stdout', 'info'),
    );
    const traced = line('with ids', INFO);
    traced.traceId = '0af7651916cd43dd8448eb211c80319c';
    traced.spanId = 'b7ad6b7169203331';
    expect(encode(traced)).toBe(
      record(
        '"with ids"',
        'stdout',
        'info',
        ',"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331"',
      ),
    );
    // another time: a new opening
    expect(encode(new LogEvent(at + 1005, 'later', INFO, 'stdout', 2, undefined, undefined))).toBe(
      record('"later"', 'stdout', 'info').replace('1715678467.410', '1715678468.415'),
    );
    for (const r of [encode(line('plain line', INFO)), encode(traced)])
      expect(() => JSON.parse(r)).not.toThrow();
  });

  it('passes TLS options to the transport', () => {
    expect(splunkHecDrain.tls!(c)).toEqual({ rejectUnauthorized: true });
    const off = configureFrom(splunkHecDrain, on('https://h:8088', { SPLUNK_TLS_VERIFY: 'false' }))!;
    expect(splunkHecDrain.tls!(off)).toEqual({ rejectUnauthorized: false });
  });
});
