/**
 * The Loki drain (issue 16) through the built CLI against LokiReceiver (Loki's push API with its
 * default limits and ordered writes), plus pure tests of its configuration and of how it reads
 * Loki's 400s. `npm run build` first.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Batch } from '../../src/drains/core/types.js';
import { entryMs, identityForLoki, ignoredEntries, lokiDrain } from '../../src/drains/loki.js';
import { LogEvent } from '../../src/pipeline/event.js';
import { APPS, NODE, runCli } from '../helpers/cli.js';
import { type LokiEntry, LokiReceiver, type LokiReceiverOptions } from '../receivers/loki.js';
import { AGENT, baseEnv, configureFrom, drainContract, EMIT, HOST, summaryOf, WORKER } from './contract.js';

const USER = '123456';
const PASSWORD = 'glc_secret_0123456789abcdef';
const env = (url: string, extra: Record<string, string> = {}) => ({
  LOKI_URL: url,
  LOKI_USERNAME: USER,
  LOKI_PASSWORD: PASSWORD,
  ...extra,
});

drainContract<LokiEntry>({
  id: 'loki',
  receiver: (o) => new LokiReceiver({ basic: { user: USER, password: PASSWORD }, ...o }),
  env,
  badKeyEnv: (url) => env(url, { LOKI_PASSWORD: 'glc_wrong' }),
  hint403: /401 from Loki: LOKI_USERNAME and LOKI_PASSWORD were refused/,
  message: (r) => r.line,
  stream: (r) => r.labels.stream!,
  maxRecordBytes: 256_000,
});

describe('loki: streams, labels and entries', () => {
  const open: LokiReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const start = async (o: LokiReceiverOptions = {}) => {
    const r = new LokiReceiver({ basic: { user: USER, password: PASSWORD }, ...o });
    open.push(r);
    return r.start();
  };

  it("the bench's count-only receiver counts the entries the strict one accepts, brackets and quotes in lines included", async () => {
    const lines = ['out:say ["quoted"] then [\\"x\\"]', 'err:{"a":["b",["c"]],"msg":"nested"}', 'out:plain'];
    const strict = await start();
    const res = await runCli(['run', '--', NODE, EMIT, ...lines], { env: baseEnv(env(strict.url)) });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(strict.rejected).toEqual([]);
    expect(strict.records.map((r) => r.line)).toEqual(
      expect.arrayContaining(['say ["quoted"] then [\\"x\\"]', '{"a":["b",["c"]],"msg":"nested"}']),
    );
    const counting = await start({ keepRecords: false, countOnly: true });
    const res2 = await runCli(['run', '--', NODE, EMIT, ...lines], { env: baseEnv(env(counting.url)) });
    expect(res2.code, res2.stderr.toString()).toBe(0);
    expect(counting.rejected).toEqual([]);
    expect(counting.recordCount).toBe(strict.recordCount);
    expect(() => new LokiReceiver({ countOnly: true })).toThrow(/keepRecords false/);
  });

  it('labels agent_id, level, stream and LOKI_LABELS only; worker and host as structured metadata; gzip; tenant', async () => {
    const rx = await start({ tenant: 'team-a' });
    const before = BigInt(Date.now()) * 1_000_000n;
    const res = await runCli(['run', '--', NODE, EMIT, 'err:ERROR broke', 'out:plain'], {
      env: baseEnv(env(rx.url, { LOKI_LABELS: 'env=prod,cluster=eu1', LOKI_TENANT_ID: 'team-a' })),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const e = rx.records.find((r) => r.line === 'ERROR broke')!;
    expect(e.labels).toEqual({
      agent_id: AGENT,
      env: 'prod',
      cluster: 'eu1',
      level: 'error',
      stream: 'stderr',
    });
    expect(e.metadata).toEqual({ worker_id: WORKER, hostname: HOST });
    expect(BigInt(e.ts)).toBeGreaterThanOrEqual(before);
    expect(rx.records.find((r) => r.line === 'plain')?.labels).toMatchObject({
      level: 'info',
      stream: 'stdout',
    });
    const req = rx.requests.find((q) => q.status === 204)!;
    expect(req.path).toBe('/loki/api/v1/push');
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-scope-orgid']).toBe('team-a');
  });

  it('the same line twice in one ms stays two entries, in order, even for a Loki with ordered writes (Loki keeps one of an equal time and line)', async () => {
    const rx = await start({ orderedWrites: true });
    const lines = Array.from({ length: 50 }, () => 'out:tick');
    const res = await runCli(['run', '--', NODE, EMIT, ...lines], { env: baseEnv(env(rx.url)) });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.silentDuplicates).toBe(0);
    const ticks = rx.records.filter((r) => r.line === 'tick');
    expect(ticks).toHaveLength(50);
    const ts = ticks.map((r) => BigInt(r.ts));
    for (let i = 1; i < ts.length; i++) expect(ts[i]! > ts[i - 1]!).toBe(true);
  });

  it("a structured app: the app's line as written, the level label from its level field, trace ids as structured metadata (never labels)", async () => {
    const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
    const SPAN = '00f067aa0ba902b7';
    const rx = await start({ orderedWrites: true });
    const before = BigInt(Date.now()) * 1_000_000n;
    const res = await runCli(['run', '--', NODE, join(APPS, 'structured-app.mjs')], {
      env: baseEnv({ ...env(rx.url), FORWARDER_REDACT: 'default' }),
    });
    const after = BigInt(Date.now()) * 1_000_000n;
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const app = rx.records.filter((r) => r.labels.stream !== 'forwarder');
    const req = app.find((r) => r.line.includes('"msg":"request completed"'))!;
    expect(JSON.parse(req.line)).toMatchObject({ level: 30, reqId: 'r-1', res: { statusCode: 200 } });
    expect(req.labels).toEqual({ agent_id: AGENT, level: 'info', stream: 'stdout' });
    expect(BigInt(req.ts)).toBeGreaterThanOrEqual(before);
    expect(BigInt(req.ts)).toBeLessThanOrEqual(after);
    const traced = app.find((r) => r.line.includes('"msg":"traced"'))!;
    expect(traced.metadata).toEqual({ worker_id: WORKER, hostname: HOST, trace_id: TRACE, span_id: SPAN });
    expect(Object.keys(traced.labels).sort()).toEqual(['agent_id', 'level', 'stream']);
    expect(app.find((r) => r.line.startsWith('INFO proxied'))!.metadata).toMatchObject({
      trace_id: TRACE,
      span_id: SPAN,
    });
    expect(app.find((r) => r.line.includes('"msg":"login"'))!.labels.level).toBe('warn');
    expect(app.find((r) => r.line.startsWith('time=2020'))!.labels.level).toBe('error');
    const crash = app.find((r) => r.line.startsWith('TypeError: cannot read config'))!;
    expect(crash.labels).toMatchObject({ level: 'error', stream: 'stderr' });
    expect(crash.line).toContain('\n    at ');
    expect(app.find((r) => r.line.includes('"msg":"request completed"'))!.metadata).toEqual({
      worker_id: WORKER,
      hostname: HOST,
    });
    expect(rx.records.map((r) => r.line).join('\n')).not.toContain('hunter2');
  });

  it('LOKI_TOKEN is sent as a bearer token', async () => {
    const rx = await start({ basic: undefined, tokens: ['gw-token-123456'] });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:x'], {
      env: baseEnv({ LOKI_URL: `${rx.url}/`, LOKI_TOKEN: 'gw-token-123456' }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.records.map((r) => r.line)).toContain('x');
  });

  it('a Loki that refuses structured metadata: the 400 is reported with the setting to change', async () => {
    const rx = await start({ structuredMetadata: false });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:x'], { env: baseEnv(env(rx.url)) });
    const stderr = res.stderr.toString();
    expect(stderr).toMatch(/this Loki refuses structured metadata: set LOKI_STRUCTURED_METADATA=false/);
    const ok = await start({ structuredMetadata: false });
    const again = await runCli(['run', '--', NODE, EMIT, 'out:x'], {
      env: baseEnv(env(ok.url, { LOKI_STRUCTURED_METADATA: 'false' })),
    });
    expect(again.code, again.stderr.toString()).toBe(0);
    expect(ok.records.find((r) => r.line === 'x')?.metadata).toBeUndefined();
  });

  it('entries Loki ignores (too old) are dropped and counted by reason, never retried; the rest are stored', async () => {
    const rx = await start();
    // docker-json lines carry their own time: one of them eight days old
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
    const now = new Date().toISOString();
    const input = [
      JSON.stringify({ log: 'fresh 1\n', stream: 'stdout', time: now }),
      JSON.stringify({ log: 'ancient\n', stream: 'stdout', time: old }),
      JSON.stringify({ log: 'fresh 2\n', stream: 'stderr', time: now }),
    ].join('\n');
    const res = await runCli(['pipe', '--format', 'docker-json'], {
      env: baseEnv({ ...env(rx.url), FORWARDER_BATCH_WAIT: '60s' }),
      input: `${input}\n`,
    });
    const stderr = res.stderr.toString();
    expect(res.code, stderr).toBe(0);
    const s = summaryOf('loki', stderr);
    expect(s.reasons).toBe('loki_too_old 1');
    expect(s.retried).toBe(0);
    expect(rx.records.map((r) => r.line)).toEqual(expect.arrayContaining(['fresh 1', 'fresh 2']));
    expect(rx.records.map((r) => r.line)).not.toContain('ancient');
    expect(stderr).toMatch(/rejected 1 of \d+ records \(loki_rejected\): entry with timestamp/);
  });

  it('bad labels and half credentials are config problems naming the setting', async () => {
    const cases: [Record<string, string>, string][] = [
      [
        { LOKI_URL: 'http://127.0.0.1:9', LOKI_LABELS: 'bad-name=1' },
        'LOKI_LABELS: "bad-name" is not a Loki label name',
      ],
      [
        { LOKI_URL: 'http://127.0.0.1:9', LOKI_LABELS: 'level=x' },
        'LOKI_LABELS: level is set by the forwarder itself',
      ],
      [
        { LOKI_URL: 'http://127.0.0.1:9', LOKI_USERNAME: 'u' },
        'LOKI_USERNAME is set but LOKI_PASSWORD is missing',
      ],
      [
        { LOKI_URL: 'http://127.0.0.1:9', LOKI_TOKEN: 't-123456', LOKI_PASSWORD: 'p-123456' },
        'LOKI_TOKEN and LOKI_PASSWORD are both set',
      ],
    ];
    for (const [e, message] of cases) {
      const res = await runCli(['check'], { env: baseEnv(e) });
      expect(res.code).not.toBe(0);
      expect(res.stdout.toString() + res.stderr.toString()).toContain(message);
    }
  });
});

describe('loki: configuration and answers (pure)', () => {
  it.each([
    ['https://logs-prod-006.grafana.net', 'https://logs-prod-006.grafana.net/loki/api/v1/push'],
    ['http://loki:3100/', 'http://loki:3100/loki/api/v1/push'],
    ['http://gw/loki-a', 'http://gw/loki-a/loki/api/v1/push'],
    ['http://loki:3100/loki/api/v1/push', 'http://loki:3100/loki/api/v1/push'],
  ])('%s → %s', (url, expected) => {
    const c = configureFrom(lokiDrain, { LOKI_URL: url })!;
    expect(lokiDrain.endpoint(c)).toBe(expected);
  });

  it('entry times are unique and rising within a ms, whatever the sequence numbers (no wrap at a million)', () => {
    const c = configureFrom(lokiDrain, { LOKI_URL: 'http://l' })!;
    const ctx = {
      identity: { agentId: 'a', workerId: 'w', hostname: 'h', instance: 'i', attributes: {} },
      version: 'v',
      requestTimeoutMs: 1,
    };
    const ts = [999_998, 999_999, 1_000_000, 1_000_001].map((seq) =>
      BigInt(
        JSON.parse(
          lokiDrain.encode(
            new LogEvent(1_764_000_000_000, 'x', 30, 'stdout', seq, undefined, undefined),
            c,
            ctx,
          ),
        )[0],
      ),
    );
    expect(ts.map(String)).toEqual([
      '1764000000000000000',
      '1764000000000000001',
      '1764000000000000002',
      '1764000000000000003',
    ]);
    const next = lokiDrain.encode(
      new LogEvent(1_764_000_000_001, 'x', 30, 'stdout', 5, undefined, undefined),
      c,
      ctx,
    );
    expect(JSON.parse(next)[0]).toBe('1764000000001000000');
  });

  it("the entry time is the app's within 30 min behind / 5 min ahead of the read time, else the read time", () => {
    const read = 1_764_000_000_000;
    const at = (app: number) => entryMs(new LogEvent(app, 'm', 30, 'stdout', 1, undefined, undefined, read));
    expect(at(read - 1234)).toBe(read - 1234);
    expect(at(read - 29 * 60_000)).toBe(read - 29 * 60_000);
    expect(at(read - 31 * 60_000)).toBe(read);
    expect(at(read + 4 * 60_000)).toBe(read + 4 * 60_000);
    expect(at(read + 6 * 60_000)).toBe(read);
    // a record's own time (CRI, docker-json) is the read time too: kept, whatever its age
    const old = read - 8 * 24 * 3600_000;
    expect(entryMs(new LogEvent(old, 'm', 30, 'stdout', 1, undefined, undefined))).toBe(old);
  });

  it("the pod's identity: namespace and container as index labels while there is room, the rest as structured metadata under Loki's OTLP names, annotations left out", () => {
    const attributes = {
      'k8s.pod.name': 'orders-7d9f',
      'k8s.namespace.name': 'shop',
      'k8s.container.name': 'app',
      'k8s.pod.label.app.kubernetes.io/name': 'orders',
      'k8s.pod.label.app_kubernetes_io_name': 'shadowed',
      'k8s.pod.annotation.checksum/config': 'f'.repeat(64),
      hostname: 'not ours to overwrite',
      ['__proto__']: 'a name like any other',
      env: 'prod',
    };
    const { labels, metadata } = identityForLoki(attributes, 12, {});
    expect(labels).toEqual([
      ['k8s_namespace_name', 'shop'],
      ['k8s_container_name', 'app'],
    ]);
    expect(JSON.parse(JSON.stringify(metadata))).toEqual({
      k8s_pod_name: 'orders-7d9f',
      k8s_pod_label_app_kubernetes_io_name: 'orders',
      ['__proto__']: 'a name like any other',
      env: 'prod',
    });
    // LOKI_LABELS first: one label of room, and a configured name wins
    expect(identityForLoki(attributes, 1, {}).labels).toEqual([['k8s_namespace_name', 'shop']]);
    expect(identityForLoki(attributes, 1, {}).metadata).toHaveProperty('k8s_container_name', 'app');
    expect(identityForLoki(attributes, 12, { k8s_namespace_name: 'mine' }).labels).toEqual([
      ['k8s_container_name', 'app'],
    ]);
    // Loki's default max_structured_metadata_entries_count is 128, 4 of them ours
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k8s.pod.label.l${i}`, 'v']));
    expect(Object.keys(identityForLoki(many, 12, {}).metadata)).toHaveLength(124);
  });

  it('structured metadata off: no trace ids anywhere but the line', () => {
    const c = configureFrom(lokiDrain, { LOKI_URL: 'http://l', LOKI_STRUCTURED_METADATA: 'false' })!;
    const ctx = {
      identity: { agentId: 'a', workerId: 'w', hostname: 'h', instance: 'i', attributes: {} },
      version: 'v',
      requestTimeoutMs: 1,
    };
    const ev = new LogEvent(5, 'm', 30, 'stdout', 1, undefined, undefined, 5, '{"msg":"m"}');
    ev.traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(JSON.parse(lokiDrain.encode(ev, c, ctx))).toEqual(['5000000', '{"msg":"m"}']);
  });

  it("reads Loki's 400: ignored entries by reason, across streams; a 400 naming none refuses the batch", () => {
    const body = [
      "entry with timestamp 2024-05-06 15:58:50 +0000 UTC ignored, reason: 'entry too far behind, oldest acceptable timestamp is: 2024-05-07T10:25:30Z',",
      'user \'fake\', total ignored: 2 out of 5 for stream: {app="a"}',
      "entry with timestamp 2024-05-06 15:58:50 +0000 UTC ignored, reason: 'entry for stream '{app=\"b\"}' has timestamp too old: 2024-05-06T15:58:50Z, oldest acceptable timestamp is: 2024-05-07T10:25:30Z',",
      'user \'fake\', total ignored: 1 out of 3 for stream: {app="b"}',
    ].join('\n');
    expect(ignoredEntries(body)).toEqual({ total: 3, byReason: { loki_out_of_order: 2, loki_too_old: 1 } });
    expect(ignoredEntries('error at least one label pair is required per stream')).toBeUndefined();
    const c = configureFrom(lokiDrain, { LOKI_URL: 'http://l' })!;
    const batch = { events: new Array(8).fill(null), records: [], body: '' } as unknown as Batch;
    const v = lokiDrain.classify!({ kind: 'http', status: 400, headers: {}, body }, c, batch, 1, Date.now());
    expect(v).toMatchObject({ action: 'partial', accepted: 5, rejected: 3 });
    const w = lokiDrain.classify!(
      { kind: 'http', status: 400, headers: {}, body: 'bad labels' },
      c,
      batch,
      1,
      Date.now(),
    );
    expect(w.action).toBe('reject');
    const r = lokiDrain.classify!(
      { kind: 'http', status: 429, headers: {}, body: 'rate' },
      c,
      batch,
      1,
      Date.now(),
    );
    expect(r.action).toBe('retry');
  });
});
