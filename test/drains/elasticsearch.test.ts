/**
 * The Elasticsearch / OpenSearch drain (issue 16) through the built CLI against
 * ElasticsearchReceiver (the `_bulk` API with per-item answers), plus pure tests of its
 * configuration and of how it reads a bulk answer. `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { elasticsearchDrain, itemVerdict } from '../../src/drains/elasticsearch.js';
import { APPS, NODE, runCli } from '../helpers/cli.js';
import {
  ElasticsearchReceiver,
  type ElasticsearchReceiverOptions,
  type EsDoc,
} from '../receivers/elasticsearch.js';
import { createTestPki } from '../receivers/rsyslog.js';
import { AGENT, baseEnv, configureFrom, drainContract, EMIT, HOST, summaryOf, WORKER } from './contract.js';

const API_KEY = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');
const env = (url: string, extra: Record<string, string> = {}) => ({
  ELASTICSEARCH_URL: url,
  ELASTICSEARCH_API_KEY: API_KEY,
  ...extra,
});

drainContract<EsDoc>({
  id: 'elasticsearch',
  receiver: (o) => new ElasticsearchReceiver({ apiKeys: [API_KEY], ...o }),
  env,
  badKeyEnv: (url) => env(url, { ELASTICSEARCH_API_KEY: 'd3Jvbmc6a2V5' }),
  hint403: /401 from Elasticsearch: ELASTICSEARCH_API_KEY was refused/,
  message: (r) => r.message as string,
  stream: (r) => r['log.iostream'] as string,
  maxRecordBytes: 1_000_000,
});

describe('elasticsearch: documents and per-item answers', () => {
  const open: ElasticsearchReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const start = async (o: ElasticsearchReceiverOptions = {}) => {
    const r = new ElasticsearchReceiver({ apiKeys: [API_KEY], ...o });
    open.push(r);
    return r.start();
  };

  it("the bench's count-only receiver counts the documents the strict one creates, and answers every item", async () => {
    const lines = [
      'out:say ["quoted"] {"create":{}}',
      'err:{"level":"error","msg":"nested","a":{"b":1}}',
      'out:plain',
    ];
    const strict = await start();
    const res = await runCli(['run', '--', NODE, EMIT, ...lines], { env: baseEnv(env(strict.url)) });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(strict.rejected).toEqual([]);
    const counting = await start({ keepRecords: false, countOnly: true });
    const res2 = await runCli(['run', '--', NODE, EMIT, ...lines], { env: baseEnv(env(counting.url)) });
    expect(res2.code, res2.stderr.toString()).toBe(0);
    expect(counting.rejected).toEqual([]);
    expect(counting.recordCount).toBe(strict.recordCount);
    expect(summaryOf('elasticsearch', res2.stderr.toString())).toMatchObject({
      delivered: counting.recordCount,
      dropped: 0,
    });
    expect(() => new ElasticsearchReceiver({ countOnly: true })).toThrow(/keepRecords false/);
  });

  it('creates ECS documents in the data stream logs-forwarder-default', async () => {
    const rx = await start();
    const before = Date.now();
    const res = await runCli(['run', '--', NODE, EMIT, 'err:ERROR broke', 'out:plain'], {
      env: baseEnv({ ...env(rx.url), FORWARDER_ATTRIBUTES: 'team=core' }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const d = rx.records.find((r) => r.message === 'ERROR broke')!;
    expect(d).toEqual({
      '@timestamp': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      'event.created': d['@timestamp'],
      message: 'ERROR broke',
      'log.level': 'error',
      'log.iostream': 'stderr',
      'event.sequence': expect.any(Number),
      'service.name': AGENT,
      'service.node.name': WORKER,
      'host.name': HOST,
      'agent.id': AGENT,
      'agent.type': 'forwarder',
      'agent.version': expect.any(String),
      labels: { team: 'core' },
    });
    expect(Date.parse(d['@timestamp'] as string)).toBeGreaterThanOrEqual(before - 5);
    expect([...rx.indices]).toEqual(['logs-forwarder-default']);
    const req = rx.requests.find((q) => q.status === 200)!;
    expect(req.path).toBe('/logs-forwarder-default/_bulk');
    expect(req.headers['content-type']).toBe('application/x-ndjson');
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.headers.authorization).toBe(`ApiKey ${API_KEY}`);
  });

  it('a structured app: its own time as @timestamp, the read time as event.created, ECS trace and error fields, its fields under `fields`', async () => {
    const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
    const SPAN = '00f067aa0ba902b7';
    const rx = await start();
    const res = await runCli(['run', '--', NODE, join(APPS, 'structured-app.mjs')], {
      env: baseEnv(env(rx.url)),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const by = (m: string | RegExp) =>
      rx.records.find((r) => (typeof m === 'string' ? r.message === m : m.test(r.message as string)))!;
    const req = by('request completed');
    expect(req).toMatchObject({
      'log.level': 'info',
      fields: { pid: 4242, hostname: 'web-1', reqId: 'r-1', res: { statusCode: 200 }, tags: ['a', 'b'] },
      // the ECS host object is ours; the app's hostname stays in fields
      'host.name': HOST,
    });
    expect(Date.parse(req['@timestamp'] as string)).toBeLessThanOrEqual(
      Date.parse(req['event.created'] as string),
    );
    expect(by('traced')).toMatchObject({ 'trace.id': TRACE, 'span.id': SPAN });
    expect(by(/^INFO proxied/)).toMatchObject({ 'trace.id': TRACE, 'span.id': SPAN });
    // a 2020 time is not trusted: both times are the read time
    const old = by('old clock');
    expect(old['@timestamp']).toBe(old['event.created']);
    const crash = by(/^TypeError: cannot read config/);
    expect(crash).toMatchObject({
      'log.level': 'error',
      'error.type': 'TypeError',
      'error.message': 'cannot read config',
      'error.stack_trace': expect.stringContaining('at '),
    });
    expect(crash).not.toHaveProperty('fields');
  });

  it("the app's fields cannot clash with ECS; mixed number/string types are kept (ignore_malformed); an object where a value was seen is dropped as es_mapping", async () => {
    const rx = await start();
    const lines = [
      'out:{"msg":"a","status":200,"host":"app-host","error":"none"}',
      'out:{"msg":"b","status":"ok"}',
      'out:{"msg":"c","user":"ann"}',
      'out:{"msg":"d","user":{"id":7}}',
    ];
    const res = await runCli(['run', '--', NODE, EMIT, ...lines], {
      env: baseEnv({ ...env(rx.url), FORWARDER_BATCH_WAIT: '60s' }),
    });
    const stderr = res.stderr.toString();
    expect(res.code, stderr).toBe(0);
    const app = rx.records.filter((r) => r['log.iostream'] === 'stdout');
    expect(app.map((r) => r.message).sort()).toEqual(['a', 'b', 'c']);
    expect(rx.records.find((r) => r.message === 'a')).toMatchObject({
      fields: { status: 200, host: 'app-host', error: 'none' },
      'host.name': HOST,
    });
    expect(rx.records.find((r) => r.message === 'b')!.fields).toEqual({ status: 'ok' });
    expect(stderr).toMatch(
      /rejected 1 of \d+ records \(es_rejected\): document_parsing_exception: .*fields\.user/,
    );
    expect(summaryOf('elasticsearch', stderr).reasons).toBe('es_mapping 1');
  });

  it('429 items are sent again alone; mapping 400s are dropped with the reason; nothing is duplicated', async () => {
    const rx = await start({
      trackIds: true,
      itemFault: (doc, n) => {
        const m = doc.message as string;
        if (m.startsWith('busy') && n <= 6)
          return {
            status: 429,
            type: 'es_rejected_execution_exception',
            reason: 'rejected execution of primary operation',
          };
        if (m.startsWith('bad'))
          return {
            status: 400,
            type: 'document_parsing_exception',
            reason: "[1:42] failed to parse field [message] of type [long] in document with id 'x'",
          };
        return undefined;
      },
    });
    const lines = ['out:ok 1', 'out:busy 1', 'out:bad 1', 'out:ok 2', 'out:busy 2', 'out:ok 3'];
    const res = await runCli(['run', '--', NODE, EMIT, ...lines], {
      env: baseEnv({ ...env(rx.url), FORWARDER_BATCH_WAIT: '60s' }),
    });
    const stderr = res.stderr.toString();
    expect(res.code, stderr).toBe(0);
    expect(stderr).toMatch(
      /will retry 2 records in \d+ ms \(HTTP 200: .*2 to retry: es_rejected_execution_exception: rejected execution of primary operation\)/,
    );
    expect(stderr).toMatch(
      /rejected 1 of \d+ records \(es_rejected\): document_parsing_exception: \[1:42\] failed to parse field \[message\]/,
    );
    const s = summaryOf('elasticsearch', stderr);
    expect(s.reasons).toBe('es_mapping 1');
    expect(s.retried).toBe(2);
    expect(rx.duplicates).toBe(0);
    const messages = rx.records.map((r) => r.message as string);
    expect(messages.filter((m) => /^(ok|busy) /.test(m)).sort()).toEqual([
      'busy 1',
      'busy 2',
      'ok 1',
      'ok 2',
      'ok 3',
    ]);
    // the retry carried only the two busy documents
    const retry = rx.requests.filter((q) => q.status === 200)[1]!;
    const docs = retry.body
      .toString()
      .trim()
      .split('\n')
      .filter((_, i) => i % 2 === 1);
    expect(docs.map((l) => JSON.parse(l).message).sort()).toEqual(['busy 1', 'busy 2']);
  });

  it('user and password are sent as Basic; half of them is a config problem', async () => {
    const rx = await start({ apiKeys: undefined, basic: { user: 'elastic', password: 'changeme-123' } });
    const res = await runCli(['run', '--', NODE, EMIT, 'out:x'], {
      env: baseEnv({
        ELASTICSEARCH_URL: rx.url,
        ELASTICSEARCH_USERNAME: 'elastic',
        ELASTICSEARCH_PASSWORD: 'changeme-123',
      }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.records.map((r) => r.message)).toContain('x');
    const half = await runCli(['check'], {
      env: baseEnv({ ELASTICSEARCH_URL: rx.url, ELASTICSEARCH_USERNAME: 'elastic' }),
    });
    expect(half.code).not.toBe(0);
    expect(half.stdout.toString() + half.stderr.toString()).toContain(
      'ELASTICSEARCH_USERNAME is set but ELASTICSEARCH_PASSWORD is missing',
    );
  });

  it('https with ELASTICSEARCH_CA_FILE (a self-managed cluster); without it the unknown CA is refused and counted', async () => {
    const pki = await createTestPki();
    const rx = await start({
      tls: { cert: readFileSync(pki.serverCertFile, 'utf8'), key: readFileSync(pki.serverKeyFile, 'utf8') },
    });
    const ok = await runCli(['run', '--', NODE, EMIT, 'out:over tls'], {
      env: baseEnv(env(rx.url, { ELASTICSEARCH_CA_FILE: pki.caFile })),
    });
    expect(ok.code, ok.stderr.toString()).toBe(0);
    expect(rx.records.map((r) => r.message)).toContain('over tls');
    const refused = await runCli(['run', '--', NODE, EMIT, 'out:unverified'], { env: baseEnv(env(rx.url)) });
    const s = summaryOf('elasticsearch', refused.stderr.toString());
    expect(s.delivered).toBe(0);
    expect(s.reasons).toMatch(/tls \d+/);
    expect(rx.records.map((r) => r.message)).not.toContain('unverified');
  }, 60_000);

  it('a bad index name is a config problem naming ELASTICSEARCH_INDEX', async () => {
    const res = await runCli(['check'], {
      env: baseEnv({ ELASTICSEARCH_URL: 'http://127.0.0.1:9', ELASTICSEARCH_INDEX: 'Logs App' }),
    });
    expect(res.code).not.toBe(0);
    expect(res.stdout.toString() + res.stderr.toString()).toContain(
      'ELASTICSEARCH_INDEX is not a valid index name',
    );
  });
});

describe('elasticsearch: configuration and answers (pure)', () => {
  it.each([
    [{}, 'http://es:9200/logs-forwarder-default/_bulk'],
    [{ ELASTICSEARCH_INDEX: 'logs-app-prod' }, 'http://es:9200/logs-app-prod/_bulk'],
  ])('%o → %s', (e, expected) => {
    const c = configureFrom(elasticsearchDrain, { ELASTICSEARCH_URL: 'http://es:9200/', ...e })!;
    expect(elasticsearchDrain.endpoint(c)).toBe(expected);
  });

  it('every request keeps room for the action line and the shared tail, however long the tail (many attributes)', () => {
    const c = configureFrom(elasticsearchDrain, { ELASTICSEARCH_URL: 'http://es:9200/' })!;
    for (const tailBytes of [c.tail.length, 5_000, 200_000]) {
      const l = elasticsearchDrain.limits({ ...c, tail: Buffer.alloc(tailBytes, 0x20) });
      // a batch counts each record plus its action line; the tail is added per document when written
      expect(l.maxBatchBytes + l.maxBatchRecords * tailBytes).toBe(5_000_000);
      expect(l.maxBatchBytes).toBeGreaterThanOrEqual(2_500_000);
      expect(l.maxBatchRecords).toBe(Math.min(2000, Math.floor(2_500_000 / (tailBytes + 14))));
    }
  });

  it('an API key given as id:api_key is encoded as ES expects', () => {
    const c = configureFrom(elasticsearchDrain, {
      ELASTICSEARCH_URL: 'http://es',
      ELASTICSEARCH_API_KEY: 'id1:key1',
    })!;
    expect(c.authorization).toBe(`ApiKey ${Buffer.from('id1:key1').toString('base64')}`);
  });

  it('reads a bulk answer item by item', () => {
    expect(itemVerdict('{"errors":false}', 3)).toEqual({ action: 'ok' });
    const body = JSON.stringify({
      errors: true,
      items: [
        { create: { status: 201 } },
        { create: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'busy' } } },
        { create: { status: 400, error: { type: 'document_parsing_exception', reason: 'bad field' } } },
        { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } } },
        { create: { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary down' } } },
        { create: { status: 403, error: { type: 'security_exception', reason: 'no create_doc' } } },
      ],
    });
    expect(itemVerdict(body, 6)).toEqual({
      action: 'partial',
      accepted: 2,
      rejected: 2,
      reason: 'es_rejected',
      rejectedReasons: { es_mapping: 1, es_item_403: 1 },
      detail: 'document_parsing_exception: bad field; 2 to retry: es_rejected_execution_exception: busy',
      retry: [1, 4],
    });
    expect(itemVerdict('{"errors":true,"items":[]}', 2).action).toBe('reject');
    expect(itemVerdict('<html>', 2)).toMatchObject({ action: 'reject', reason: 'unreadable_answer' });
  });
});
