/**
 * The sentry (Logs product) and sentry_events (error events) drains: pure parts (DSN forms, rate
 * limit parsing, encode/frame against the receiver's strict envelope parser, classify), then the
 * built CLI end to end against the loopback receiver (`npm run build` first; `npm test` does it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { PauseBoard } from '../../src/drains/core/pause-board.js';
import type { Outcome } from '../../src/drains/core/types.js';
import { parseDsn, sentryDrain, sentryEventsDrain, sentryRateLimitPauses } from '../../src/drains/sentry.js';
import { type Identity, LogEvent } from '../../src/pipeline/event.js';
import { ERROR, INFO, WARN } from '../../src/pipeline/levels.js';
import { CLI, type CliResult, cleanEnv, NODE, runCli } from '../helpers/cli.js';
import { parseEnvelope, SENTRY_LIMITS, SentryReceiver, type SentryRecord } from '../receivers/sentry.js';
import { drainContract } from './contract.js';

const CONTRACT_KEY = 'abc123def456';
const CONTRACT_PROJECT = '4509876';
const dsnAt = (url: string, key: string) => `${url.replace('://', `://${key}@`)}/${CONTRACT_PROJECT}`;
drainContract<SentryRecord>({
  id: 'sentry',
  receiver: (o) => new SentryReceiver({ publicKey: CONTRACT_KEY, projectId: CONTRACT_PROJECT, ...o }),
  env: (url) => ({ SENTRY_DSN: dsnAt(url, CONTRACT_KEY) }),
  badKeyEnv: (url) => ({ SENTRY_DSN: dsnAt(url, 'fff000fff000') }),
  hint403: /Sentry refused the key or project: check SENTRY_DSN/,
  message: (r) => (r.type === 'log' ? r.log.body : String(r.event.message ?? '')),
  stream: (r) => (r.type === 'log' ? String(r.log.attributes?.stream?.value) : 'event'),
  maxRecordBytes: SENTRY_LIMITS.maxItemBytes,
  notApplicable: {
    rate_limit_wait:
      "Sentry's SDK contract drops data while a 429's limit lasts (counted as rate_limited) instead of resending it after the wait; held by 'a 429 drops data until the limit ends' tests below",
  },
});

beforeAll(() => {
  // the CLI tests run dist/, which `npm test` builds (npm run build) before vitest
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
});
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function receiver(
  opts: Partial<ConstructorParameters<typeof SentryReceiver>[0]> = {},
): Promise<SentryReceiver> {
  const r = new SentryReceiver({ publicKey: 'abc123def456', projectId: '4509876', ...opts });
  open.push(r);
  return r.start();
}

const identity: Identity = {
  agentId: 'agent-a',
  workerId: 'w-1',
  hostname: 'host-1',
  instance: '0123456789abcdef',
  attributes: {},
};
const ctx = { identity, version: '1.2.3', requestTimeoutMs: 30_000 };
function configure(env: Record<string, string>) {
  const config = loadConfig({ defs: sentryDrain.settings, flags: {}, env, configPath: undefined });
  return { logs: sentryDrain.configure(config, ctx), events: sentryEventsDrain.configure(config, ctx) };
}

function sentryEnv(r: SentryReceiver, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    SENTRY_DSN: r.dsn,
    FORWARDER_AGENT_ID: 'agent-a',
    FORWARDER_WORKER_ID: 'w-1',
    FORWARDER_HOSTNAME: 'livekit.hosted.agents',
    FORWARDER_FLUSH_TIMEOUT: '15s',
    FORWARDER_BATCH_WAIT: '50ms',
    ...extra,
  });
}

const appLogs = (r: SentryReceiver) => r.logs.filter((l) => l.attributes?.stream?.value !== 'forwarder');
const envelopes = (r: SentryReceiver) =>
  r.requests
    .filter((q) => q.status === 200)
    .map((q) => parseEnvelope(q.headers['content-encoding'] === 'gzip' ? gunzipSync(q.rawBody) : q.rawBody));

describe('sentry: DSN', () => {
  it.each([
    [
      'https://abc123@o4501.ingest.us.sentry.io/4509876',
      'https://o4501.ingest.us.sentry.io/api/4509876/envelope/',
    ],
    ['https://abc123@o4501.ingest.de.sentry.io/17', 'https://o4501.ingest.de.sentry.io/api/17/envelope/'],
    ['https://abc123@o4501.ingest.sentry.io/17', 'https://o4501.ingest.sentry.io/api/17/envelope/'],
    ['https://abc123:legacysecret@sentry.example.com/3', 'https://sentry.example.com/api/3/envelope/'],
    ['http://abc123@sentry.internal:9000/sentry/3', 'http://sentry.internal:9000/sentry/api/3/envelope/'],
    ['https://abc123@example.com:8443/a/b/c/42/', 'https://example.com:8443/a/b/c/api/42/envelope/'],
  ])('%s → %s', (dsn, url) => {
    const c = configure({ SENTRY_DSN: dsn }).logs!;
    expect(sentryDrain.endpoint(c)).toBe(url);
    expect(c.headers['x-sentry-auth']).toMatch(
      /^Sentry sentry_version=7, sentry_key=abc123, (sentry_secret=legacysecret, )?sentry_client=forwarder\/1\.2\.3$/,
    );
  });

  it.each([
    ['not a url', /not a URL/],
    ['https://sentry.io/42', /public key/],
    ['https://abc@sentry.io/', /numeric project id/],
    ['https://abc@sentry.io/project-x', /numeric project id/],
    ['ftp://abc@sentry.io/4', /scheme must be https or http/],
    ['https://abc@sentry.io/4?x=1', /no query/],
  ])('malformed %s is a config error naming SENTRY_DSN', (dsn, why) => {
    expect(() => configure({ SENTRY_DSN: dsn })).toThrow(why);
    expect(() => configure({ SENTRY_DSN: dsn })).toThrow(/^SENTRY_DSN is not a valid Sentry DSN/);
    expect(typeof parseDsn(dsn)).toBe('string');
  });

  it('is enabled by SENTRY_DSN only; SENTRY_EVENTS_LEVEL adds the events drain', () => {
    expect(configure({})).toEqual({ logs: undefined, events: undefined });
    const dsn = 'https://abc123@o1.ingest.sentry.io/1';
    expect(configure({ SENTRY_DSN: dsn }).events).toBeUndefined();
    const both = configure({ SENTRY_DSN: dsn, SENTRY_EVENTS_LEVEL: 'error' });
    expect(both.logs).toBeDefined();
    expect(both.events).toEqual(both.logs); // the same config: the same trace id, with no state shared
  });
});

describe('sentry: rate limits (X-Sentry-Rate-Limits, Retry-After, 60 s)', () => {
  const now = 1_000_000;
  /** the end of the pauses an answer announces, per scope the two drains obey */
  const limitsOf = (headers: Record<string, string>, status: number) => {
    const board = new PauseBoard();
    for (const p of sentryRateLimitPauses(headers, status, now)) board.pause(p.scope, p.until);
    const c = {} as never;
    return [board.until(sentryDrain.pauseScopes!(c)), board.until(sentryEventsDrain.pauseScopes!(c))];
  };

  it('the header wins on any status; per category; max deadline kept; unknown categories ignored', () => {
    expect(
      limitsOf(
        { 'x-sentry-rate-limits': '60:log_item;log_byte:organization:quota_exceeded, 2700:transaction:key' },
        200,
      ),
    ).toEqual([now + 60_000, 0]);
    expect(limitsOf({ 'x-sentry-rate-limits': '10.5:error:project', 'retry-after': '999' }, 429)).toEqual([
      0,
      now + 10_500,
    ]);
    expect(limitsOf({ 'x-sentry-rate-limits': '5:log_item, 60:log_byte' }, 200)).toEqual([now + 60_000, 0]);
    expect(limitsOf({ 'x-sentry-rate-limits': '120::organization' }, 200)).toEqual([
      now + 120_000,
      now + 120_000,
    ]);
  });

  it('429 without the header: Retry-After for all categories, else 60 s; nothing on other statuses', () => {
    expect(limitsOf({ 'retry-after': '30' }, 429)).toEqual([now + 30_000, now + 30_000]);
    expect(limitsOf({}, 429)).toEqual([now + 60_000, now + 60_000]);
    expect(limitsOf({ 'retry-after': '30' }, 503)).toEqual([0, 0]);
  });

  it('classify is pure: it announces limits as pauses, and drops (never retries) a 429', () => {
    const c = configure({ SENTRY_DSN: 'https://abc123@o1.ingest.sentry.io/1' }).logs!;
    const res = (status: number, headers: Record<string, string> = {}): Outcome => ({
      kind: 'http',
      status,
      headers,
      body: '{}',
    });
    const batch = { events: [], records: [], body: '', bytes: 0, raw: Buffer.alloc(0) };
    const classify = (o: Outcome) => sentryDrain.classify!(o, c, batch, 1, now);
    expect(classify(res(200, { 'x-sentry-rate-limits': '60:log_item' }))).toEqual({
      action: 'ok',
      pause: [{ scope: 'sentry:log_item', until: now + 60_000 }],
    });
    // the same answer twice gives the same verdict: nothing was recorded in the config
    expect(classify(res(200))).toEqual({ action: 'ok' });
    const ev = new LogEvent(now, 'x', INFO, 'stdout', 1, undefined, undefined);
    expect(sentryDrain.admit).toBeUndefined();
    expect(sentryEventsDrain.admit!(ev, c, now)).toBeNull(); // below SENTRY_EVENTS_LEVEL
    expect(classify(res(429))).toMatchObject({
      action: 'reject',
      reason: 'rate_limited',
      pause: [{ scope: 'sentry:all', until: now + 60_000 }],
    });
    expect(classify(res(503)).action).toBe('retry');
    expect(classify(res(413)).action).toBe('split');
    expect(classify(res(403)).action).toBe('reject');
    expect(sentryDrain.hint!(res(403), c)).toMatch(/check SENTRY_DSN/);
  });
});

describe('sentry: encode and frame', () => {
  const c = configure({
    SENTRY_DSN: 'https://abc123@o1.ingest.sentry.io/1',
    SENTRY_ENVIRONMENT: 'production',
    SENTRY_RELEASE: 'app@2.0.0',
    SENTRY_EVENTS_LEVEL: 'warn',
  }).logs!;
  const ev = new LogEvent(1795250460123, 'failed to connect', ERROR, 'stderr', 7, undefined, undefined);

  it('a log: seconds, per-process trace id, Sentry level and severity, body, identity attributes', () => {
    expect(JSON.parse(sentryDrain.encode(ev, c, ctx))).toEqual({
      timestamp: 1795250460.123,
      trace_id: c.traceId,
      level: 'error',
      severity_number: 17,
      body: 'failed to connect',
      attributes: {
        stream: { value: 'stderr', type: 'string' },
        agent_id: { value: 'agent-a', type: 'string' },
        worker_id: { value: 'w-1', type: 'string' },
        hostname: { value: 'host-1', type: 'string' },
        'sentry.environment': { value: 'production', type: 'string' },
        'sentry.release': { value: 'app@2.0.0', type: 'string' },
        'sentry.sdk.name': { value: 'forwarder', type: 'string' },
        'sentry.sdk.version': { value: '1.2.3', type: 'string' },
      },
    });
    expect(c.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('frames one log item with item_count and length, sent_at and sdk in the header', () => {
    const records = [sentryDrain.encode(ev, c, ctx), sentryDrain.encode(ev, c, ctx)];
    const body = (sentryDrain.frame as (r: readonly string[], c: unknown) => string)(records, c);
    const env = parseEnvelope(Buffer.from(body));
    expect(env.header).toEqual({
      sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      sdk: { name: 'forwarder', version: '1.2.3' },
    });
    expect(env.items).toHaveLength(1);
    expect(env.items[0]!.header).toEqual({
      type: 'log',
      item_count: 2,
      content_type: 'application/vnd.sentry.items.log+json',
      length: env.items[0]!.payload.length,
    });
    // what core counts against the 1 MiB item limit is exactly the item payload
    expect(env.items[0]!.payload.length).toBe(
      Buffer.byteLength(records.join(',')) + (sentryDrain.frameOverheadBytes as number),
    );
  });

  it('an error event: warning (not warn), event_id in the envelope header, tags and trace context', () => {
    const warn = new LogEvent(1795250460123, 'disk almost full', WARN, 'stdout', 8, undefined, undefined);
    expect(
      sentryEventsDrain.admit!(new LogEvent(1, 'x', INFO, 'stdout', 1, undefined, undefined), c, 0),
    ).toBeNull();
    expect(sentryEventsDrain.admit!(warn, c, 0)).toBeUndefined();
    const record = sentryEventsDrain.encode(warn, c, ctx);
    const body = (sentryEventsDrain.frame as (r: readonly string[], c: unknown) => string)([record], c);
    const env = parseEnvelope(Buffer.from(body));
    const event = JSON.parse(env.items[0]!.payload.toString());
    expect(env.header.event_id).toBe(event.event_id);
    expect(env.items[0]!.header).toEqual({ type: 'event', length: env.items[0]!.payload.length });
    expect(event).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      timestamp: 1795250460.123,
      platform: 'other',
      level: 'warning',
      logger: 'stdout',
      message: { formatted: 'disk almost full' },
      server_name: 'host-1',
      environment: 'production',
      release: 'app@2.0.0',
      contexts: { trace: { trace_id: c.traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) } },
      extra: {},
      sdk: { name: 'forwarder', version: '1.2.3' },
      tags: { agent_id: 'agent-a', worker_id: 'w-1', stream: 'stdout' },
    });
  });
});

describe('forwarder run → sentry (built CLI)', () => {
  it('ships exact log items to a self-hosted DSN with a path prefix and port', async () => {
    const r = await receiver({ pathPrefix: '/sentry/ingest' });
    expect(r.dsn).toMatch(/^http:\/\/abc123def456@127\.0\.0\.1:\d+\/sentry\/ingest\/4509876$/);
    const before = Date.now() / 1000;
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("hello"); console.error("careful")'], {
      env: sentryEnv(r, {
        SENTRY_ENVIRONMENT: 'production',
        SENTRY_RELEASE: 'agent@1.0.0',
        FORWARDER_STDERR_LEVEL: 'warn',
      }),
    });
    expect(res.code).toBe(0);
    expect(r.rejected).toEqual([]);
    const logs = appLogs(r);
    const attrs = (stream: string) => ({
      stream: { value: stream, type: 'string' },
      agent_id: { value: 'agent-a', type: 'string' },
      worker_id: { value: 'w-1', type: 'string' },
      hostname: { value: 'livekit.hosted.agents', type: 'string' },
      'sentry.environment': { value: 'production', type: 'string' },
      'sentry.release': { value: 'agent@1.0.0', type: 'string' },
      'sentry.sdk.name': { value: 'forwarder', type: 'string' },
      'sentry.sdk.version': { value: expect.any(String), type: 'string' },
    });
    expect(logs).toEqual([
      {
        timestamp: expect.any(Number),
        trace_id: expect.any(String),
        level: 'info',
        severity_number: 9,
        body: 'hello',
        attributes: attrs('stdout'),
      },
      {
        timestamp: expect.any(Number),
        trace_id: expect.any(String),
        level: 'warn',
        severity_number: 13,
        body: 'careful',
        attributes: attrs('stderr'),
      },
    ]);
    for (const l of r.logs) {
      expect(l.trace_id).toBe(logs[0]!.trace_id);
      expect(l.timestamp).toBeGreaterThan(before - 1);
      expect(l.timestamp).toBeLessThan(Date.now() / 1000 + 1);
    }
    expect(r.logs[0]!.body).toMatch(/^forwarder: started node/);
    for (const q of r.requests) {
      expect(q.path).toBe('/sentry/ingest/api/4509876/envelope/');
      expect(q.headers['x-sentry-auth']).toMatch(
        /^Sentry sentry_version=7, sentry_key=abc123def456, sentry_client=forwarder\//,
      );
      expect(q.headers['content-encoding']).toBe('gzip');
    }
    expect(r.events).toEqual([]);
  });

  it('250 lines: envelopes of at most 100 logs, one log item each, in order within each envelope', async () => {
    const r = await receiver();
    const res = await runCli(
      ['run', '--', NODE, '-e', 'for (let i = 0; i < 250; i++) console.log("line " + i)'],
      {
        env: sentryEnv(r, { FORWARDER_BATCH_WAIT: '30s' }),
      },
    );
    expect(res.code).toBe(0);
    expect(r.rejected).toEqual([]);
    // Two requests may be in flight at once, so envelopes can arrive in either order; inside one
    // envelope the logs keep the app's order.
    const n = (body: string): number => Number(body.slice('line '.length));
    const bodies = appLogs(r).map((l) => l.body);
    expect([...bodies].sort((a, b) => n(a) - n(b))).toEqual(
      Array.from({ length: 250 }, (_, i) => `line ${i}`),
    );
    const counts = envelopes(r).map((e) => {
      expect(e.items).toHaveLength(1);
      const inEnvelope = (JSON.parse(e.items[0]!.payload.toString()) as { items: { body: string }[] }).items
        .map((l) => n(l.body))
        .filter((x) => !Number.isNaN(x));
      expect(inEnvelope).toEqual([...inEnvelope].sort((a, b) => a - b));
      return e.items[0]!.header.item_count as number;
    });
    expect(Math.max(...counts)).toBe(100);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(r.logs.length);
  });

  it('SENTRY_EVENTS_LEVEL=error: error lines and grouped stack traces also become error events', async () => {
    const r = await receiver();
    const app = [
      'console.log("all good")',
      'console.error("WARN low disk")',
      'console.error("Error: boom\\n    at foo (/app/x.js:1:1)\\n    at bar (/app/y.js:2:2)")',
    ].join(';');
    const res = await runCli(['run', '--', NODE, '-e', app], {
      env: sentryEnv(r, { SENTRY_EVENTS_LEVEL: 'error' }),
    });
    expect(res.code).toBe(0);
    expect(r.rejected).toEqual([]);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({
      level: 'error',
      platform: 'other',
      logger: 'stderr',
      message: { formatted: 'Error: boom\n    at foo (/app/x.js:1:1)\n    at bar (/app/y.js:2:2)' },
      server_name: 'livekit.hosted.agents',
      tags: { agent_id: 'agent-a', worker_id: 'w-1', stream: 'stderr' },
      contexts: { trace: { trace_id: r.logs[0]!.trace_id } },
    });
    // the same lines still go to Logs
    // (stdout and stderr are separate lanes: their relative order is not fixed)
    const shipped = appLogs(r).map((l) => [l.level, l.body.split('\n')[0]]);
    expect(shipped).toHaveLength(3);
    expect(shipped).toEqual(
      expect.arrayContaining([
        ['info', 'all good'],
        ['warn', 'WARN low disk'],
        ['error', 'Error: boom'],
      ]),
    );
  });
});

/** `forwarder pipe` with a stdin the test writes to, so it can wait for the receiver between lines. */
function pipeCli(env: NodeJS.ProcessEnv): {
  write(s: string): void;
  end(): Promise<CliResult>;
  stderrMatches(pattern: RegExp): Promise<void>;
} {
  const child = spawn(NODE, [CLI, 'pipe'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const errWaiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => {
    err.push(b);
    const all = Buffer.concat(err).toString();
    for (const w of errWaiters.splice(0)) w.pattern.test(all) ? w.resolve() : errWaiters.push(w);
  });
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }),
    ),
  );
  return {
    stderrMatches: (pattern) =>
      new Promise((resolve) => {
        if (pattern.test(Buffer.concat(err).toString())) resolve();
        else errWaiters.push({ pattern, resolve });
      }),
    write: (s) => child.stdin.write(s),
    end: () => {
      child.stdin.end();
      return result;
    },
  };
}

describe('forwarder pipe → sentry: rate limits honoured (built CLI)', () => {
  it('a 429 limiting log_item: that envelope and every later log are dropped and counted, never sent; events still go', async () => {
    const r = await receiver({
      rateLimits: [
        { retryAfterS: 600, categories: ['log_item'], scope: 'organization', reason: 'quota_exceeded' },
      ],
    });
    const cli = pipeCli(sentryEnv(r, { SENTRY_EVENTS_LEVEL: 'error' }));
    // pipe's "started" event makes the first envelope; the lines are written once the forwarder has
    // read the refusal (the receiver having sent it is not enough on a busy machine)
    await r.waitFor(() => r.requests.some((q) => q.status === 429));
    await cli.stderrMatches(/drain sentry rejected \d+ records \(HTTP 429\)/);
    cli.write('first line\nsecond line\nthird line\nERROR fatal-ish failure\n');
    const res = await cli.end();
    expect(res.code).toBe(0);
    expect(r.rateLimitViolations).toEqual([]);
    expect(r.logs).toEqual([]);
    // one envelope of logs reached Sentry (the one answered 429); later ones were discarded here
    const logRequests = r.requests.filter((q) => q.status === 429);
    expect(logRequests).toHaveLength(1);
    expect(r.events.map((e) => e.message)).toEqual([{ formatted: 'ERROR fatal-ish failure' }]);
    const summary = res.stderr.toString();
    const m = /sentry: delivered 0, retried 0, dropped (\d+) \(rate_limited (\d+)\)/.exec(summary);
    expect(m, summary).not.toBeNull();
    // started + 4 lines + stopped, + the final flush's `dropped` notice (issue 13 item 11), itself limited
    expect(Number(m![2])).toBe(7);
    expect(summary).toMatch(/sentry_events: delivered 1, retried 0, dropped 0/);
  });

  it('X-Sentry-Rate-Limits on a 200 is honoured too: later logs are not sent until the deadline', async () => {
    const r = await receiver({ rateLimitsHeader: '60:log_item;log_byte:organization:quota_exceeded' });
    const cli = pipeCli(sentryEnv(r));
    // pipe's "started" event makes the first envelope, accepted with the header
    await r.waitFor(() => r.requests.some((q) => q.status === 200));
    cli.write('first line\nsecond line\n');
    const res = await cli.end();
    expect(res.code).toBe(0);
    expect(r.requests).toHaveLength(1);
    expect(r.logs.map((l) => l.body)).toEqual(['forwarder: reading standard input']);
    // the two lines and the "stopped" event, + the final flush's `dropped` notice (issue 13 item 11), itself limited
    expect(res.stderr.toString()).toMatch(/sentry: delivered 1, retried 0, dropped 4 \(rate_limited 4\)/);
  });
});

describe('forwarder check → sentry (built CLI)', () => {
  it('exits 0 when Sentry accepts the verification log', async () => {
    const r = await receiver({ pathPrefix: '/self/hosted' });
    const res = await runCli(['check'], { env: sentryEnv(r) });
    expect(res.stdout.toString()).toMatch(
      /sentry\s+http:\/\/127\.0\.0\.1:\d+\/self\/hosted\/api\/4509876\/envelope\/\s+accepted \(HTTP 200\)/,
    );
    expect(res.code).toBe(0);
    expect(r.logs.map((l) => l.body)).toEqual(['forwarder connection test']);
  });

  it('exits 1 with a hint when the key is wrong (403), without printing the key', async () => {
    const r = await receiver();
    const res = await runCli(['check'], {
      env: sentryEnv(r, { SENTRY_DSN: r.dsn.replace('abc123def456', 'ffff0000eeee') }),
    });
    expect(res.code).toBe(1);
    expect(res.stdout.toString()).toMatch(/reject: HTTP 403.*check SENTRY_DSN/);
    expect(res.stdout.toString() + res.stderr.toString()).not.toContain('ffff0000eeee');
  });

  it('exits 1 naming SENTRY_DSN when the DSN is malformed', async () => {
    const res = await runCli(['check'], { env: cleanEnv({ SENTRY_DSN: 'https://o1.ingest.sentry.io/42' }) });
    expect(res.code).toBe(1);
    expect(res.stdout.toString()).toMatch(
      /sentry\s+-\s+misconfigured\s+-\s+SENTRY_DSN is not a valid Sentry DSN: the public key/,
    );
  });
});
