/**
 * The OTLP/HTTP logs drain (issue 16) through the built CLI against OtlpReceiver (decoding with
 * the official proto definitions), plus pure tests of the protobuf writer, the configuration by
 * OTEL_EXPORTER_OTLP_* and how answers are read. `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch, Outcome } from '../../src/drains/core/types.js';
import { otlpDrain, parsePairs } from '../../src/drains/otlp/otlp.js';
import {
  encodeExportRequest,
  envelope,
  logRecordBytes,
  recordAttribute,
  severityBytes,
} from '../../src/drains/otlp/protobuf.js';
import { LogEvent } from '../../src/pipeline/event.js';
import { APPS, NODE, runCli } from '../helpers/cli.js';
import { OtlpReceiver, type OtlpReceiverOptions, type OtlpRecord } from '../receivers/otlp.js';
import { createTestPki } from '../receivers/rsyslog.js';
import { AGENT, baseEnv, configureFrom, drainContract, EMIT, HOST, summaryOf, WORKER } from './contract.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: protobufjs' generated static root
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as any;
const Request = root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

const TOKEN = 'Bearer otlp-secret-0123456789';
const env = (url: string, extra: Record<string, string> = {}) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: url,
  OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(TOKEN)}`,
  ...extra,
});
const streamOf = (r: OtlpRecord) =>
  (r.attributes['log.iostream'] ?? r.attributes['forwarder.stream']) as string;

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  drainContract<OtlpRecord>({
    id: 'otlp',
    receiver: (o) => new OtlpReceiver({ tokens: [TOKEN], ...o }),
    env: (url) => env(url, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }),
    badKeyEnv: (url) =>
      env(url, {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20wrong',
      }),
    hint403:
      /401 from .*refused our credentials; check the authorization header in OTEL_EXPORTER_OTLP_HEADERS/,
    message: (r) => r.body,
    stream: streamOf,
    maxRecordBytes: 1_000_000,
    // the OTLP spec's retryable statuses (500 is final there)
    transientFaults: [{ status: 503 }, { status: 502 }, { status: 504 }],
  });
}

describe('otlp: records, field by field', () => {
  const open: OtlpReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const start = async (o: OtlpReceiverOptions = {}) => {
    const r = new OtlpReceiver({ tokens: [TOKEN], ...o });
    open.push(r);
    return r.start();
  };

  it("http/json: the bench's count-only receiver counts the records the strict one accepts", async () => {
    const lines = [
      'out:say ["quoted"] {"logRecords":[]}',
      'err:{"level":"error","msg":"nested","a":{"b":1}}',
      'out:plain',
    ];
    const jsonEnv = (url: string) => baseEnv(env(url, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }));
    const strict = await start();
    const res = await runCli(['run', '--', NODE, EMIT, ...lines], { env: jsonEnv(strict.url) });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(strict.rejected).toEqual([]);
    const counting = await start({ keepRecords: false, countOnly: true });
    const res2 = await runCli(['run', '--', NODE, EMIT, ...lines], { env: jsonEnv(counting.url) });
    expect(res2.code, res2.stderr.toString()).toBe(0);
    expect(counting.rejected).toEqual([]);
    expect(counting.recordCount).toBe(strict.recordCount);
    expect(() => new OtlpReceiver({ countOnly: true })).toThrow(/keepRecords false/);
  });

  for (const [protocol, compression] of [
    ['http/protobuf', 'gzip'],
    ['http/json', 'none'],
  ] as const) {
    it(`${protocol} (${compression}): resource, scope, severity, body, times and log.iostream`, async () => {
      const rx = await start();
      const before = BigInt(Date.now()) * 1_000_000n;
      const res = await runCli(
        ['run', '--', NODE, EMIT, 'err:ERROR broke', 'out:plain', 'out:WARN careful'],
        {
          env: baseEnv(
            env(rx.url, {
              OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
              OTEL_EXPORTER_OTLP_COMPRESSION: compression,
              OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,team=a%2Cb',
              FORWARDER_ATTRIBUTES: 'region=eu',
            }),
          ),
        },
      );
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.rejected).toEqual([]);
      const req = rx.requests.find((q) => q.status === 200)!;
      expect(req.path).toBe('/v1/logs');
      expect(req.headers['content-type']).toBe(
        protocol === 'http/protobuf' ? 'application/x-protobuf' : 'application/json',
      );
      expect(req.headers['content-encoding']).toBe(compression === 'gzip' ? 'gzip' : undefined);
      const err = rx.records.find((r) => r.body === 'ERROR broke')!;
      expect(err).toMatchObject({
        severityNumber: 17,
        severityText: 'ERROR',
        attributes: { 'log.iostream': 'stderr' },
        resource: {
          'service.name': AGENT,
          'service.instance.id': WORKER,
          'host.name': HOST,
          'deployment.environment.name': 'prod',
          team: 'a,b',
          region: 'eu',
        },
        scope: { name: 'forwarder' },
      });
      const time = BigInt(err.timeUnixNano);
      expect(time).toBeGreaterThanOrEqual(before);
      expect(BigInt(err.observedTimeUnixNano)).toBeGreaterThanOrEqual(time);
      expect(rx.records.find((r) => r.body === 'plain')).toMatchObject({
        severityNumber: 9,
        severityText: 'INFO',
        attributes: { 'log.iostream': 'stdout' },
      });
      expect(rx.records.find((r) => r.body === 'WARN careful')?.severityNumber).toBe(13);
    });
  }

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`${protocol}: a structured app — its time, the read time, trace ids, typed attributes from its fields, exception.*`, async () => {
      const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
      const SPAN = '00f067aa0ba902b7';
      const rx = await start();
      const before = BigInt(Date.now()) * 1_000_000n;
      const res = await runCli(['run', '--', NODE, join(APPS, 'structured-app.mjs')], {
        env: baseEnv({
          ...env(rx.url, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }),
          POD_NAME: 'orders-7d9f',
          POD_NAMESPACE: 'shop',
        }),
      });
      const after = BigInt(Date.now()) * 1_000_000n;
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.rejected).toEqual([]);
      const by = (m: string | RegExp) =>
        rx.records.find((r) => (typeof m === 'string' ? r.body === m : m.test(r.body)))!;
      const req = by('request completed');
      expect(req).toMatchObject({
        severityText: 'INFO',
        attributes: {
          'log.iostream': 'stdout',
          pid: 4242,
          hostname: 'web-1',
          reqId: 'r-1',
          res: { statusCode: 200 },
          tags: ['a', 'b'],
        },
        traceId: '',
        droppedAttributesCount: 0,
        // the pod's identity is the resource's, under OpenTelemetry's names
        resource: { 'k8s.pod.name': 'orders-7d9f', 'k8s.namespace.name': 'shop' },
      });
      // the app's time (pino's ms) and the read time after it
      const time = BigInt(req.timeUnixNano);
      const observed = BigInt(req.observedTimeUnixNano);
      expect(time % 1_000_000n).toBe(0n);
      expect(time).toBeGreaterThanOrEqual(before - 1_000_000n);
      expect(observed).toBeGreaterThanOrEqual(time);
      expect(observed).toBeLessThanOrEqual(after);
      expect(by('traced')).toMatchObject({ traceId: TRACE, spanId: SPAN });
      expect(by(/^INFO proxied/)).toMatchObject({ traceId: TRACE, spanId: SPAN });
      // the untrusted 2020 time: both times are the read time
      const old = by('old clock');
      expect(old.timeUnixNano).toBe(old.observedTimeUnixNano);
      expect(old).toMatchObject({ severityText: 'ERROR', attributes: { time: '2020-01-01T00:00:00Z' } });
      const crash = by(/^TypeError: cannot read config/);
      expect(crash).toMatchObject({
        severityText: 'ERROR',
        attributes: {
          'log.iostream': 'stderr',
          'exception.type': 'TypeError',
          'exception.message': 'cannot read config',
          'exception.stacktrace': expect.stringContaining('at '),
        },
      });
    });
  }

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`${protocol}: odd field values (deep, wide, null, -0, huge and tiny doubles, non-ASCII keys) reach the strict receiver intact`, async () => {
      const rx = await start();
      const deep = { a: { b: { c: { d: { e: { f: { g: 'bottom' } } } } } } };
      const line = JSON.stringify({
        msg: 'odd',
        deep,
        wide: Array.from({ length: 200 }, (_, i) => i),
        nothing: null,
        zero: -0,
        huge: 1e308,
        tiny: 1.5e-300,
        neg: -42,
        'clé ✓': 'välue',
        mixed: [null, 'x', { y: [true] }],
      });
      const res = await runCli(['run', '--', NODE, EMIT, `out:${line}`], {
        env: baseEnv(env(rx.url, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol })),
      });
      expect(res.code, res.stderr.toString()).toBe(0);
      expect(rx.rejected).toEqual([]);
      const r = rx.records.find((x) => x.body === 'odd')!;
      expect(r.attributes).toMatchObject({
        deep,
        nothing: null,
        zero: 0,
        huge: 1e308,
        tiny: 1.5e-300,
        neg: -42,
        'clé ✓': 'välue',
        mixed: [null, 'x', { y: [true] }],
      });
      expect(r.attributes.wide).toEqual(Array.from({ length: 128 }, (_, i) => i));
    });
  }

  it("the app's fields past 128 are counted in droppedAttributesCount; a field named like ours is left out", async () => {
    const rx = await start();
    const many: Record<string, number> = {};
    for (let i = 0; i < 140; i++) many[`k${i}`] = i;
    const line = JSON.stringify({ msg: 'wide', 'log.iostream': 'spoof', ...many });
    const res = await runCli(['run', '--', NODE, EMIT, `out:${line}`], { env: baseEnv(env(rx.url)) });
    expect(res.code, res.stderr.toString()).toBe(0);
    const r = rx.records.find((x) => x.body === 'wide')!;
    expect(r.attributes['log.iostream']).toBe('stdout');
    expect(Object.keys(r.attributes)).toHaveLength(129);
    expect(r.droppedAttributesCount).toBe(13);
  });

  it('the receiver refuses ids of the wrong length, and base64 ids in OTLP/JSON (hex there)', async () => {
    const rx = await start({ tokens: undefined });
    /** one request holding one record, `rec` laid over a valid one */
    const request = (rec: Record<string, unknown>) => ({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1',
                  observedTimeUnixNano: '1',
                  severityNumber: 9,
                  severityText: 'INFO',
                  body: { stringValue: 'x' },
                  ...rec,
                },
              ],
            },
          ],
        },
      ],
    });
    const post = (rec: Record<string, unknown>) =>
      fetch(`${rx.url}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request(rec)),
      });
    expect(
      (await post({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' })).status,
    ).toBe(200);
    expect((await post({ traceId: 'S/kvNXezTaajzpKdDg5HNg==' })).status).toBe(400);
    expect((await post({ spanId: '00f067aa0ba902' })).status).toBe(400);
    const bad = Request.encode(Request.fromObject(request({ traceId: Buffer.alloc(15, 1) }))).finish();
    const answer = await fetch(`${rx.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from(bad),
    });
    expect(answer.status).toBe(400);
  });

  it('OTEL_SERVICE_NAME wins over the agent id and over service.name in OTEL_RESOURCE_ATTRIBUTES', async () => {
    const rx = await start();
    const res = await runCli(['run', '--', NODE, EMIT, 'out:x'], {
      env: baseEnv(
        env(rx.url, { OTEL_SERVICE_NAME: 'checkout', OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored' }),
      ),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.records.find((r) => r.body === 'x')?.resource['service.name']).toBe('checkout');
  });

  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`${protocol}: partial_success.rejected_log_records are counted as dropped with the message, never resent`, async () => {
      const rx = await start({
        failWhen: (r) => (r.body.startsWith('bad') ? 'attribute limit exceeded' : undefined),
      });
      const res = await runCli(
        ['run', '--', NODE, EMIT, 'out:good 1', 'out:bad 1', 'out:good 2', 'out:bad 2'],
        {
          env: baseEnv({
            ...env(rx.url, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol }),
            FORWARDER_BATCH_WAIT: '60s',
          }),
        },
      );
      const stderr = res.stderr.toString();
      expect(res.code, stderr).toBe(0);
      expect(stderr).toMatch(/rejected 2 of \d+ records \(otlp_rejected\): attribute limit exceeded/);
      const s = summaryOf('otlp', stderr);
      expect(s.reasons).toBe('otlp_rejected 2');
      expect(s.delivered).toBe(rx.recordCount);
      expect(rx.rejectedRecords).toBe(2);
      expect(rx.records.map((r) => r.body)).toEqual(expect.arrayContaining(['good 1', 'good 2']));
    });
  }

  it('500 is final under the OTLP spec: dropped with the server message, not retried', async () => {
    const rx = await start({ faults: [{ status: 500, times: Number.POSITIVE_INFINITY }] });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:a'], { env: baseEnv(env(rx.url)) });
    const stderr = res.stderr.toString();
    expect(stderr).toMatch(/rejected \d+ records \(HTTP 500\): fault 500/);
    const s = summaryOf('otlp', stderr);
    expect(s.retried).toBe(0);
    expect(s.reasons).toMatch(/http_500/);
  });

  it('FORWARDER_OTLP=0 keeps the drain off while the OTEL variables stay set', async () => {
    const rx = await start();
    const res = await runCli(['run', '--', NODE, EMIT, 'out:a'], {
      env: baseEnv({ ...env(rx.url), FORWARDER_OTLP: '0' }),
    });
    const stderr = res.stderr.toString();
    expect(res.code, stderr).toBe(0);
    expect(stderr).toContain(
      'drain otlp: off: FORWARDER_OTLP=false; the OTEL_EXPORTER_OTLP_* settings are left to the app',
    );
    expect(stderr).not.toMatch(/not enabled|otlp: delivered/);
    expect(rx.requests.filter((q) => q.path === '/v1/logs')).toEqual([]);
  });

  it('grpc and bad headers are config problems naming the variable', async () => {
    const grpc = await runCli(['check'], {
      env: baseEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      }),
    });
    expect(grpc.code).not.toBe(0);
    expect(grpc.stdout.toString() + grpc.stderr.toString()).toContain(
      'OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported',
    );
    const bad = await runCli(['check'], {
      env: baseEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        OTEL_EXPORTER_OTLP_HEADERS: 'novalue',
      }),
    });
    expect(bad.code).not.toBe(0);
    const out = bad.stdout.toString() + bad.stderr.toString();
    expect(out).toContain('OTEL_EXPORTER_OTLP_HEADERS: every item must be key=value');
  });

  it('https with OTEL_EXPORTER_OTLP_CERTIFICATE and a client certificate (mTLS); without it the TLS refusal is counted', async () => {
    const pki = await createTestPki();
    const rx = await start({
      tls: {
        cert: readFileSync(pki.serverCertFile, 'utf8'),
        key: readFileSync(pki.serverKeyFile, 'utf8'),
        ca: pki.caPem,
        requestCert: true,
      },
    });
    expect(rx.url).toMatch(/^https:/);
    const tlsEnv = {
      ...env(rx.url),
      OTEL_EXPORTER_OTLP_CERTIFICATE: pki.caFile,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: pki.clientCertFile,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: pki.clientKeyFile,
    };
    const ok = await runCli(['run', '--', NODE, EMIT, 'out:over mtls'], { env: baseEnv(tlsEnv) });
    expect(ok.code, ok.stderr.toString()).toBe(0);
    expect(rx.records.map((r) => r.body)).toContain('over mtls');
    const {
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: _c,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: _k,
      ...noClient
    } = tlsEnv;
    const refused = await runCli(['run', '--', NODE, EMIT, 'out:no cert'], {
      env: baseEnv({ ...noClient, FORWARDER_FLUSH_TIMEOUT: '5s' }),
    });
    const s = summaryOf('otlp', refused.stderr.toString());
    expect(s.delivered).toBe(0);
    expect(s.dropped).toBeGreaterThanOrEqual(1);
    expect(rx.records.map((r) => r.body)).not.toContain('no cert');
    const half = await runCli(['check'], {
      env: baseEnv({ ...noClient, OTEL_EXPORTER_OTLP_CLIENT_KEY: pki.clientKeyFile }),
    });
    expect(half.code).not.toBe(0);
    expect(half.stdout.toString() + half.stderr.toString()).toContain(
      'OTEL_EXPORTER_OTLP_CLIENT_KEY is set but OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE is missing',
    );
  }, 60_000);

  it('a header value never appears in our output', async () => {
    const rx = await start({
      faults: [{ status: 400, times: Number.POSITIVE_INFINITY, body: `echo ${TOKEN}` }],
    });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:a'], { env: baseEnv(env(rx.url)) });
    const out = res.stdout.toString() + res.stderr.toString();
    expect(out).toMatch(/rejected/);
    expect(out).not.toContain('otlp-secret-0123456789');
  });
});

describe('otlp: the protobuf writer against the official definitions', () => {
  const env0 = envelope(
    [
      ['service.name', 'api'],
      ['host.name', 'h-ü'],
    ],
    { name: 'forwarder', version: '1.2.3' },
  );
  const records = [
    { timeMs: 1_764_000_000_123, severity: severityBytes(9, 'INFO'), body: 'hello', attrs: 'stdout' },
    {
      timeMs: 1_764_000_000_123.5,
      severity: severityBytes(17, 'ERROR'),
      body: 'ü✓ "x"\n'.repeat(40),
      attrs: 'stderr',
    },
    { timeMs: 0.001, severity: severityBytes(21, 'FATAL'), body: '', attrs: 'stdout' },
  ];
  const observed = 1_764_000_001_000;
  // a structured record: every AnyValue kind, the ids, a dropped count and the exception attributes
  const fields: [string, unknown][] = [
    ['user', 'ann'],
    ['ok', false],
    ['count', 42],
    ['delta', -7],
    ['ratio', 0.25],
    ['none', null],
    ['tags', ['a', 1, true, null, { deep: 2.5 }]],
    ['res', { statusCode: 200, headers: { 'x-id': 'q' }, empty: {} }],
    ['big', 2 ** 40],
    ['neg', -(2 ** 40) - 3],
    ['long', 'ü'.repeat(300)],
    ['nested', { a: { b: { c: [1, [2, [3, { d: null }]]] } } }],
    // past 128 items an array is cut (the reference below cuts it too)
    ['many', Array.from({ length: 130 }, (_, i) => i * 1000)],
  ];
  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const SPAN = '00f067aa0ba902b7';
  const structured = logRecordBytes({
    timeMs: 1_764_000_000_100,
    observedMs: 1_764_000_000_250,
    severity: severityBytes(17, 'ERROR'),
    body: 'boom',
    attributes: recordAttribute('log.iostream', 'stderr'),
    fields,
    strings: [['exception.type', 'TypeError']],
    droppedAttributes: 3,
    traceId: TRACE,
    spanId: SPAN,
  });
  const written = encodeExportRequest(env0, [
    ...records.map((r) => ({
      timeMs: r.timeMs,
      observedMs: observed,
      severity: r.severity,
      body: r.body,
      attributes: recordAttribute('log.iostream', r.attrs),
    })),
    { prebuilt: structured },
  ]);
  /** a JSON value as protobufjs' fromObject takes an AnyValue */
  const any = (v: unknown): unknown => {
    if (v === null) return {};
    if (typeof v === 'string') return { stringValue: v };
    if (typeof v === 'boolean') return { boolValue: v };
    if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
    if (Array.isArray(v)) return { arrayValue: { values: v.slice(0, 128).map(any) } };
    return {
      kvlistValue: {
        values: Object.entries(v as object).map(([key, value]) => ({ key, value: any(value) })),
      },
    };
  };

  it('is byte for byte what protobufjs writes for the same message', () => {
    const nanos = (ms: number) =>
      (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1e6))).toString();
    const message = Request.fromObject({
      resourceLogs: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'api' } },
              { key: 'host.name', value: { stringValue: 'h-ü' } },
            ],
          },
          scopeLogs: [
            {
              scope: { name: 'forwarder', version: '1.2.3' },
              logRecords: [
                ...records.map((r, i) => ({
                  timeUnixNano: nanos(r.timeMs),
                  severityNumber: [9, 17, 21][i],
                  severityText: ['INFO', 'ERROR', 'FATAL'][i],
                  body: { stringValue: r.body },
                  attributes: [{ key: 'log.iostream', value: { stringValue: r.attrs } }],
                  observedTimeUnixNano: nanos(observed),
                })),
                {
                  timeUnixNano: nanos(1_764_000_000_100),
                  observedTimeUnixNano: nanos(1_764_000_000_250),
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { stringValue: 'boom' },
                  attributes: [
                    { key: 'log.iostream', value: { stringValue: 'stderr' } },
                    ...fields.map(([key, v]) => ({ key, value: any(v) })),
                    { key: 'exception.type', value: { stringValue: 'TypeError' } },
                  ],
                  droppedAttributesCount: 3,
                  traceId: Buffer.from(TRACE, 'hex'),
                  spanId: Buffer.from(SPAN, 'hex'),
                },
              ],
            },
          ],
        },
      ],
    });
    const reference = Buffer.from(Request.encode(message).finish());
    expect(written.toString('hex')).toBe(reference.toString('hex'));
  });

  it('decodes with the official definitions to the same times, texts, ids and typed attributes', () => {
    const o = Request.toObject(Request.decode(written), { longs: String, enums: Number, bytes: String });
    const lr = o.resourceLogs[0].scopeLogs[0].logRecords;
    expect(lr.map((r: { timeUnixNano: string }) => r.timeUnixNano)).toEqual([
      '1764000000123000000',
      '1764000000123500000',
      '1000',
      '1764000000100000000',
    ]);
    expect(lr[1].body.stringValue).toBe(records[1]!.body);
    expect(lr[2].severityText).toBe('FATAL');
    expect(lr[3].observedTimeUnixNano).toBe('1764000000250000000');
    expect(Buffer.from(lr[3].traceId, 'base64').toString('hex')).toBe(TRACE);
    expect(Buffer.from(lr[3].spanId, 'base64').toString('hex')).toBe(SPAN);
    const attr = (k: string) => lr[3].attributes.find((a: { key: string }) => a.key === k).value;
    expect(attr('delta').intValue).toBe('-7');
    expect(attr('neg').intValue).toBe(String(-(2 ** 40) - 3));
    expect(attr('many').arrayValue.values).toHaveLength(128);
  });
});

describe('otlp: configuration and answers (pure)', () => {
  const urlOf = (e: Record<string, string>) => {
    const c = configureFrom(otlpDrain, e);
    return c && otlpDrain.endpoint(c);
  };

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, 'http://c:4318/v1/logs (http/protobuf)'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }, 'http://c:4318/v1/logs (http/protobuf)'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://gw/otlp' }, 'https://gw/otlp/v1/logs (http/protobuf)'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://l:9/custom' },
      'http://l:9/custom (http/protobuf)',
    ],
    [
      {
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://l:4318/v1/logs',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'gzip',
      },
      'http://l:4318/v1/logs (http/json, gzip)',
    ],
    [{}, undefined],
  ])('%o → %s', (e, expected) => {
    expect(urlOf(e)).toBe(expected);
  });

  it('headers: k=v pairs, percent-decoded, names checked', () => {
    expect(parsePairs(' Authorization=Basic%20YWJj , x-org = 42 ', 'H', true)).toEqual({
      authorization: 'Basic YWJj',
      'x-org': '42',
    });
    expect(() => parsePairs('bad name=1', 'H', true)).toThrow(/not a valid HTTP header name/);
    expect(() => parsePairs('a=%zz', 'H', true)).toThrow(/percent-encoding/);
  });

  it('retries exactly 429/502/503/504 (Retry-After honoured); other statuses are final; 413 splits', () => {
    const c = configureFrom(otlpDrain, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })!;
    const ev = new LogEvent(1, 'x', 30, 'stdout', 1, undefined, undefined);
    const batch = { events: [ev], records: ['x'], body: '' } as unknown as Batch;
    const answer = (status: number, headers: Record<string, string> = {}): Outcome => ({
      kind: 'http',
      status,
      headers,
      body: '',
    });
    const action = (s: number) => otlpDrain.classify!(answer(s), c, batch, 1, Date.now()).action;
    expect([429, 502, 503, 504].map(action)).toEqual(['retry', 'retry', 'retry', 'retry']);
    expect([400, 401, 403, 404, 408, 500, 501].map(action)).toEqual(Array(7).fill('reject'));
    expect(action(413)).toBe('split');
    expect(action(200)).toBe('ok');
    const v = otlpDrain.classify!(answer(503, { 'retry-after': '7' }), c, batch, 1, Date.now());
    expect(v.action).toBe('retry');
    expect(v.pause?.[0]?.scope).toBe('drain');
    expect(v.pause![0]!.until - Date.now()).toBeGreaterThan(6000);
    expect(v.pause![0]!.until - Date.now()).toBeLessThanOrEqual(7000);
  });
});
