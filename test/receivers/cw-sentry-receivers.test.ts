/**
 * Tests of the CloudWatch Logs (+STS) and Sentry loopback receivers themselves: a receiver that
 * accepts what the vendor refuses would make every drain test worthless.
 */
import { createHash, createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AwsCredentialStore,
  type AwsTestCredentials,
  CloudWatchLogsReceiver,
  cloudWatchFaults,
  StsReceiver,
  TEST_AWS_CREDENTIALS,
  verifySigV4,
} from './cloudwatch-logs.js';
import { buildEnvelope, SentryReceiver } from './sentry.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function started<T extends { start(): Promise<T>; close(): Promise<void> }>(r: T): Promise<T> {
  open.push(r);
  return r.start();
}

// ---------------------------------------------------------------------------------------------
// SigV4 verifier against AWS's published test-suite vectors (AKIDEXAMPLE, 20150830T123600Z,
// us-east-1, service "service"): independent of both our code and the SDK.

describe('verifySigV4: AWS SigV4 test-suite vectors', () => {
  const store = new AwsCredentialStore([
    { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  ]);
  const opts = {
    service: 'service',
    region: 'us-east-1',
    credentials: store,
    now: Date.UTC(2015, 7, 30, 12, 36, 0),
  };
  const auth = (sig: string) =>
    `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${sig}`;
  const vector = (method: string, query: string, sig: string) => ({
    method,
    path: '/',
    query,
    headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', authorization: auth(sig) },
    body: Buffer.alloc(0),
  });

  it.each([
    ['get-vanilla', 'GET', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    [
      'get-vanilla-query-order-key-case',
      'GET',
      'Param2=value2&Param1=value1',
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ],
    ['post-vanilla', 'POST', '', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ])('%s verifies', (_name, method, query, sig) => {
    const r = verifySigV4(vector(method, query, sig), opts);
    expect(r).toMatchObject({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('get-vanilla: the canonical request matches the suite', () => {
    const r = verifySigV4(
      vector('GET', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'),
      opts,
    );
    expect(r.ok && r.canonicalRequest).toBe(
      'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('a one-bit change anywhere fails with InvalidSignatureException', () => {
    const good = vector('GET', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    expect(verifySigV4({ ...good, method: 'POST' }, opts)).toMatchObject({
      ok: false,
      type: 'InvalidSignatureException',
    });
    expect(verifySigV4({ ...good, query: 'a=1' }, opts)).toMatchObject({
      ok: false,
      type: 'InvalidSignatureException',
    });
    expect(verifySigV4({ ...good, body: Buffer.from('x') }, opts)).toMatchObject({
      ok: false,
      type: 'InvalidSignatureException',
    });
    const wrongSecret = new AwsCredentialStore([
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ' },
    ]);
    expect(verifySigV4(good, { ...opts, credentials: wrongSecret })).toMatchObject({
      ok: false,
      type: 'InvalidSignatureException',
    });
  });

  it('checks scope, clock window and key before the HMAC', () => {
    const good = vector('GET', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    expect(verifySigV4(good, { ...opts, region: 'us-west-2' })).toMatchObject({
      type: 'InvalidSignatureException',
    });
    expect(verifySigV4(good, { ...opts, service: 'logs' })).toMatchObject({
      message: "Credential should be scoped to correct service: 'logs'.",
    });
    expect(verifySigV4(good, { ...opts, now: opts.now + 6 * 60_000 })).toMatchObject({
      type: 'InvalidSignatureException',
      message:
        'Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)',
    });
    expect(verifySigV4(good, { ...opts, now: opts.now - 6 * 60_000 })).toMatchObject({
      message: expect.stringMatching(/^Signature not yet current/),
    });
    expect(verifySigV4(good, { ...opts, credentials: new AwsCredentialStore() })).toMatchObject({
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const { authorization: _a, ...noAuth } = good.headers;
    expect(verifySigV4({ ...good, headers: noAuth }, opts)).toMatchObject({
      type: 'MissingAuthenticationTokenException',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// A minimal test-side signer, written separately from the verifier (fixed header set, path '/'),
// so the receiver's rules can be exercised without the SDK. The vectors above anchor the verifier.

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const mac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();

function signedHeaders(
  url: string,
  target: string,
  body: string,
  creds: AwsTestCredentials,
  at = Date.now(),
  region = 'us-west-2',
) {
  const amzDate = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const h: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: new URL(url).host,
    'x-amz-date': amzDate,
    'x-amz-target': `Logs_20140328.${target}`,
  };
  if (creds.sessionToken) h['x-amz-security-token'] = creds.sessionToken;
  const names = Object.keys(h).sort();
  const creq = `POST\n/\n\n${names.map((n) => `${n}:${h[n]}\n`).join('')}\n${names.join(';')}\n${sha(body)}`;
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/logs/aws4_request`;
  const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha(creq)}`;
  const key = mac(mac(mac(mac(`AWS4${creds.secretAccessKey}`, day), region), 'logs'), 'aws4_request');
  const sig = createHmac('sha256', key).update(sts).digest('hex');
  h.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${sig}`;
  const { host: _host, ...rest } = h;
  return rest;
}

async function cw(
  r: CloudWatchLogsReceiver,
  target: string,
  input: unknown,
  creds: AwsTestCredentials = TEST_AWS_CREDENTIALS,
  at?: number,
) {
  const body = JSON.stringify(input);
  const res = await fetch(r.url, {
    method: 'POST',
    headers: signedHeaders(r.url, target, body, creds, at),
    body,
  });
  return {
    status: res.status,
    errorType: res.headers.get('x-amzn-errortype'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

const G = '/forwarder/A_123';
const S = 'W_9';
const put = (
  r: CloudWatchLogsReceiver,
  logEvents: { timestamp: number; message: string }[],
  creds?: AwsTestCredentials,
) => cw(r, 'PutLogEvents', { logGroupName: G, logStreamName: S, logEvents }, creds);
const events = (n: number, t = Date.now(), msg = 'x') =>
  Array.from({ length: n }, (_, i) => ({ timestamp: t + i, message: msg }));

describe('CloudWatchLogsReceiver', () => {
  const withStream = () => started(new CloudWatchLogsReceiver({ logGroups: { [G]: [S] } }));

  it('stores a good batch and answers nextSequenceToken', async () => {
    const r = await withStream();
    const res = await put(r, [{ timestamp: Date.now(), message: 'héllo' }]);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ nextSequenceToken: expect.any(String) });
    expect(r.records).toEqual([
      { logGroupName: G, logStreamName: S, timestamp: expect.any(Number), message: 'héllo' },
    ]);
  });

  it('missing group / stream → ResourceNotFoundException; Create* twice → ResourceAlreadyExistsException', async () => {
    const r = await started(new CloudWatchLogsReceiver());
    const res = await put(r, events(1));
    expect(res).toMatchObject({
      status: 400,
      json: { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' },
    });
    expect(res.errorType).toBe(
      'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/',
    );
    expect((await cw(r, 'CreateLogGroup', { logGroupName: G })).status).toBe(200);
    expect((await put(r, events(1))).json.message).toBe('The specified log stream does not exist.');
    expect((await cw(r, 'CreateLogStream', { logGroupName: G, logStreamName: S })).status).toBe(200);
    expect((await cw(r, 'CreateLogGroup', { logGroupName: G })).json.__type).toBe(
      'ResourceAlreadyExistsException',
    );
    expect((await cw(r, 'CreateLogStream', { logGroupName: G, logStreamName: S })).json.__type).toBe(
      'ResourceAlreadyExistsException',
    );
    expect((await put(r, events(1))).status).toBe(200);
    expect(r.rejected).toHaveLength(4);
  });

  it('rejects bad names with InvalidParameterException', async () => {
    const r = await started(new CloudWatchLogsReceiver());
    expect((await cw(r, 'CreateLogGroup', { logGroupName: 'a b' })).json.__type).toBe(
      'InvalidParameterException',
    );
    expect((await cw(r, 'CreateLogGroup', { logGroupName: 'x'.repeat(513) })).json.__type).toBe(
      'InvalidParameterException',
    );
    await cw(r, 'CreateLogGroup', { logGroupName: 'ok' });
    expect((await cw(r, 'CreateLogStream', { logGroupName: 'ok', logStreamName: 'a:b' })).json.__type).toBe(
      'InvalidParameterException',
    );
    expect((await cw(r, 'CreateLogStream', { logGroupName: 'ok', logStreamName: 'a*b' })).json.__type).toBe(
      'InvalidParameterException',
    );
  });

  it('enforces the PutLogEvents batch rules', async () => {
    const r = await withStream();
    const now = Date.now();
    const bad = async (evs: { timestamp: number; message: string }[], msg: RegExp) => {
      const res = await put(r, evs);
      expect(res.status).toBe(400);
      expect(res.json.__type).toBe('InvalidParameterException');
      expect(res.json.message).toMatch(msg);
    };
    await bad(
      [
        { timestamp: now, message: 'b' },
        { timestamp: now - 1, message: 'a' },
      ],
      /chronological order/,
    );
    await bad(events(10_001, now - 20_000), /less than or equal to 10000/);
    await bad([], /greater than or equal to 1/);
    await bad([{ timestamp: now, message: '' }], /logEvents\.1\.member\.message/);
    // two events of 600,000 bytes: each fits, the batch (1,200,052 bytes with overhead) does not
    await bad(
      events(2, now, 'm'.repeat(600_000)),
      /Upload too large: 1200052 bytes exceeds limit of 1048576/,
    );
    await bad(events(1, now, 'm'.repeat(1_048_551)), /Log event too large: 1048577 bytes/);
    await bad(
      [
        { timestamp: now - 25 * 3_600_000, message: 'a' },
        { timestamp: now, message: 'b' },
      ],
      /span more than 24 hours/,
    );
    expect(r.recordCount).toBe(0);
    // exactly at the limits is fine: 1,048,576 bytes = message of 1,048,550 bytes + 26
    expect((await put(r, events(1, now, 'm'.repeat(1_048_550)))).status).toBe(200);
    expect((await put(r, events(10_000, now - 20_000))).status).toBe(200);
    expect(r.recordCount).toBe(10_001);
  });

  it('reports too-old and too-new events in rejectedLogEventsInfo and stores the rest', async () => {
    const r = await withStream();
    const now = Date.now();
    const res = await put(r, [
      { timestamp: now - 15 * 86_400_000, message: 'old0' },
      { timestamp: now - 15 * 86_400_000 + 1, message: 'old1' },
      { timestamp: now, message: 'ok' },
      { timestamp: now + 3 * 3_600_000, message: 'new' },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.rejectedLogEventsInfo).toEqual({
      tooOldLogEventEndIndex: 2,
      tooNewLogEventStartIndex: 3,
    });
    expect(r.records.map((x) => x.message)).toEqual(['ok']);
  });

  it('answers auth failures the way AWS does', async () => {
    const r = await withStream();
    const wrongSecret = await put(r, events(1), { ...TEST_AWS_CREDENTIALS, secretAccessKey: 'nope' });
    expect(wrongSecret).toMatchObject({ status: 400, json: { __type: 'InvalidSignatureException' } });
    expect(String(wrongSecret.json.message)).toMatch(
      /^The request signature we calculated does not match the signature you provided\./,
    );
    expect((await put(r, events(1), { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' })).json).toEqual({
      __type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const stale = await cw(
      r,
      'PutLogEvents',
      { logGroupName: G, logStreamName: S, logEvents: events(1) },
      TEST_AWS_CREDENTIALS,
      Date.now() - 10 * 60_000,
    );
    expect(stale.json.message).toMatch(/^Signature expired: /);
    const unsigned = await fetch(r.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Logs_20140328.PutLogEvents' },
      body: '{}',
    });
    expect(((await unsigned.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
    expect(r.recordCount).toBe(0);
  });

  it('session-token credentials: token required, signed, and expiry enforced', async () => {
    const store = new AwsCredentialStore([TEST_AWS_CREDENTIALS]);
    const r = await started(new CloudWatchLogsReceiver({ credentials: store, logGroups: { [G]: [S] } }));
    const temp = store.issueTemporary(60_000);
    expect((await put(r, events(1), temp)).status).toBe(200);
    expect((await put(r, events(1), { ...temp, sessionToken: 'forged' })).json.__type).toBe(
      'UnrecognizedClientException',
    );
    const { sessionToken: _t, ...noToken } = temp;
    expect((await put(r, events(1), noToken)).json.__type).toBe('UnrecognizedClientException');
    const expired = store.add({ ...store.issueTemporary(60_000), expiresAt: Date.now() - 1 });
    expect((await put(r, events(1), expired)).json.__type).toBe('ExpiredTokenException');
  });

  it('throttling and 5xx faults carry AWS bodies; keepRecords:false only counts', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { [G]: [S] }, keepRecords: false }));
    r.setFaults([cloudWatchFaults.throttling(1), cloudWatchFaults.serviceUnavailable(1)]);
    expect(await put(r, events(3))).toMatchObject({
      status: 400,
      errorType: expect.stringMatching(/^ThrottlingException:/),
      json: { __type: 'ThrottlingException', message: 'Rate exceeded' },
    });
    expect(await put(r, events(3))).toMatchObject({
      status: 500,
      json: { __type: 'ServiceUnavailableException' },
    });
    expect((await put(r, events(3))).status).toBe(200);
    expect(r.recordCount).toBe(3);
    expect(r.records).toHaveLength(0);
  });

  it('StsReceiver issues web-identity credentials the CloudWatch receiver then accepts', async () => {
    const store = new AwsCredentialStore();
    let token = 'jwt-1';
    const sts = await started(
      new StsReceiver({
        credentials: store,
        roleArn: 'arn:aws:iam::123456789012:role/fwd',
        webIdentityToken: () => token,
      }),
    );
    const r = await started(new CloudWatchLogsReceiver({ credentials: store, logGroups: { [G]: [S] } }));
    const assume = (t: string, role = 'arn:aws:iam::123456789012:role/fwd') =>
      fetch(sts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Action: 'AssumeRoleWithWebIdentity',
          Version: '2011-06-15',
          RoleArn: role,
          RoleSessionName: 's1',
          WebIdentityToken: t,
        }).toString(),
      });
    const ok = await assume('jwt-1');
    const text = await ok.text();
    expect(ok.status).toBe(200);
    const field = (n: string) => new RegExp(`<${n}>([^<]*)</${n}>`).exec(text)?.[1] ?? '';
    const creds = {
      accessKeyId: field('AccessKeyId'),
      secretAccessKey: field('SecretAccessKey'),
      sessionToken: field('SessionToken'),
    };
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(field('Expiration'))).toBeGreaterThan(Date.now());
    expect((await put(r, events(1), creds)).status).toBe(200);
    token = 'jwt-2'; // rotated token file: the old token no longer works
    expect((await assume('jwt-1')).status).toBe(400);
    expect((await assume('jwt-2', 'arn:aws:iam::123456789012:role/other')).status).toBe(403);
  });
});

// ---------------------------------------------------------------------------------------------
// The same receiver against the real SDK (a hard dependency: a missing SDK fails here).

describe('CloudWatchLogsReceiver × @aws-sdk/client-cloudwatch-logs', () => {
  it('accepts the SDK signature with static and temporary keys, and rejects a wrong secret', async () => {
    const sdk = await import('@aws-sdk/client-cloudwatch-logs');
    const store = new AwsCredentialStore([TEST_AWS_CREDENTIALS]);
    const r = await started(
      new CloudWatchLogsReceiver({
        credentials: store,
        requiredSignedHeaders: ['content-type', 'x-amz-target'],
      }),
    );
    const client = (credentials: AwsTestCredentials) =>
      new sdk.CloudWatchLogsClient({ region: 'us-west-2', endpoint: r.url, credentials, maxAttempts: 1 });
    const c = client(TEST_AWS_CREDENTIALS);
    await c.send(new sdk.CreateLogGroupCommand({ logGroupName: G }));
    await c.send(new sdk.CreateLogStreamCommand({ logGroupName: G, logStreamName: S }));
    await c.send(new sdk.PutLogEventsCommand({ logGroupName: G, logStreamName: S, logEvents: events(2) }));
    await client(store.issueTemporary(60_000)).send(
      new sdk.PutLogEventsCommand({ logGroupName: G, logStreamName: S, logEvents: events(1) }),
    );
    await expect(
      client({ ...TEST_AWS_CREDENTIALS, secretAccessKey: 'wrong' }).send(
        new sdk.PutLogEventsCommand({ logGroupName: G, logStreamName: S, logEvents: events(1) }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(r.recordCount).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// Sentry

const KEY = 'abc123def456';
const PROJECT = '4509876';
const TRACE = '5b8efff798038103d269b633813fc60c';
const EVENT_ID = '9ec79c33ec9942ab8353589fcb2e04dc';
const envHeader = (extra: Record<string, unknown> = {}) => ({
  sent_at: new Date().toISOString(),
  sdk: { name: 'forwarder', version: '0.1.0' },
  ...extra,
});
const log = (over: Record<string, unknown> = {}) => ({
  timestamp: 1795250460.123,
  trace_id: TRACE,
  level: 'error',
  severity_number: 17,
  body: 'failed to connect',
  attributes: {
    agent_id: { value: 'A_123', type: 'string' },
    'sentry.release': { value: '1.0', type: 'string' },
    n: { value: 3, type: 'integer' },
  },
  ...over,
});
const logItem = (logs: unknown[], count = logs.length) => ({
  header: { type: 'log', item_count: count, content_type: 'application/vnd.sentry.items.log+json' },
  payload: JSON.stringify({ items: logs }),
});
const eventItem = (over: Record<string, unknown> = {}) => ({
  header: { type: 'event' },
  payload: JSON.stringify({
    event_id: EVENT_ID,
    timestamp: 1795250460.123,
    platform: 'other',
    level: 'error',
    message: { formatted: 'boom' },
    ...over,
  }),
});
const AUTH = `Sentry sentry_version=7, sentry_key=${KEY}, sentry_client=forwarder/0.1.0`;

async function send(
  r: SentryReceiver,
  body: Buffer,
  opts: { auth?: string | null; path?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    'content-type': 'application/x-sentry-envelope',
    ...opts.headers,
  };
  if (opts.auth !== null) headers['x-sentry-auth'] = opts.auth ?? AUTH;
  const res = await fetch(`${r.url}${opts.path ?? r.envelopePath}`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('SentryReceiver', () => {
  const sentry = (o: Partial<ConstructorParameters<typeof SentryReceiver>[0]> = {}) =>
    started(new SentryReceiver({ publicKey: KEY, projectId: PROJECT, ...o }));

  it('accepts a good log envelope (header auth, gzip) and records the logs', async () => {
    const r = await sentry();
    const body = gzipSync(
      buildEnvelope(envHeader(), [
        logItem([log(), log({ level: 'warn', severity_number: 13, body: 'a\nb' })]),
      ]),
    );
    const res = await send(r, body, { headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.json.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.logs.map((l) => l.body)).toEqual(['failed to connect', 'a\nb']);
    expect(r.recordCount).toBe(2);
  });

  it('accepts query-string auth and envelope-dsn auth, with a self-hosted path prefix', async () => {
    const r = await sentry({ pathPrefix: '/sentry' });
    expect(r.envelopePath).toBe(`/sentry/api/${PROJECT}/envelope/`);
    const body = buildEnvelope(envHeader(), [logItem([log()])]);
    expect(
      (await send(r, body, { auth: null, path: `${r.envelopePath}?sentry_key=${KEY}&sentry_version=7` }))
        .status,
    ).toBe(200);
    expect(
      (await send(r, buildEnvelope(envHeader({ dsn: r.dsn }), [logItem([log()])]), { auth: null })).status,
    ).toBe(200);
    expect(r.dsn).toMatch(new RegExp(`^http://${KEY}@127\\.0\\.0\\.1:\\d+/sentry/${PROJECT}$`));
  });

  it('rejects bad auth and wrong paths', async () => {
    const r = await sentry();
    const body = buildEnvelope(envHeader(), [logItem([log()])]);
    expect(await send(r, body, { auth: null })).toMatchObject({
      status: 401,
      json: { detail: 'missing authorization information' },
    });
    expect((await send(r, body, { auth: 'Sentry sentry_version=7, sentry_key=wrongkey' })).status).toBe(403);
    expect((await send(r, body, { auth: 'Bearer x' })).status).toBe(401);
    expect(
      (
        await send(r, buildEnvelope(envHeader({ dsn: `https://other@h/${PROJECT}` }), [logItem([log()])]), {
          auth: null,
        })
      ).status,
    ).toBe(403);
    expect((await send(r, body, { path: `/api/${PROJECT}/envelope` })).status).toBe(404);
    expect((await send(r, body, { path: '/api/999/envelope/' })).status).toBe(403);
    expect((await send(r, body, { headers: { 'content-encoding': 'zstd' } })).status).toBe(415);
    expect(r.recordCount).toBe(0);
    expect(r.rejected).toHaveLength(7);
  });

  it.each([
    [
      'more than 100 logs',
      () => buildEnvelope(envHeader(), [logItem(Array.from({ length: 101 }, () => log()))]),
      /101 logs \(at most 100/,
    ],
    [
      'item_count mismatch',
      () => buildEnvelope(envHeader(), [logItem([log(), log()], 3)]),
      /item_count 3 but 2 logs/,
    ],
    [
      'log mixed with an event',
      () => buildEnvelope(envHeader({ event_id: EVENT_ID }), [logItem([log()]), eventItem()]),
      /mixed with other item types/,
    ],
    ['two log items', () => buildEnvelope(envHeader(), [logItem([log()]), logItem([log()])]), /2 log items/],
    [
      'level "warning" on a log',
      () => buildEnvelope(envHeader(), [logItem([log({ level: 'warning', severity_number: 13 })])]),
      /level "warning" is not one of/,
    ],
    [
      'millisecond timestamp',
      () => buildEnvelope(envHeader(), [logItem([log({ timestamp: 1795250460123 })])]),
      /looks like milliseconds/,
    ],
    [
      'uppercase trace_id',
      () => buildEnvelope(envHeader(), [logItem([log({ trace_id: TRACE.toUpperCase() })])]),
      /trace_id/,
    ],
    [
      'attribute value of the wrong type',
      () =>
        buildEnvelope(envHeader(), [logItem([log({ attributes: { n: { value: 1.5, type: 'integer' } } })])]),
      /is not a integer/,
    ],
    [
      'severity_number off its level',
      () => buildEnvelope(envHeader(), [logItem([log({ severity_number: 9 })])]),
      /does not fit level error/,
    ],
    [
      'unknown log field',
      () => buildEnvelope(envHeader(), [logItem([log({ message: 'typo' })])]),
      /unknown field "message"/,
    ],
    [
      'length too long',
      () =>
        buildEnvelope(envHeader(), [
          { ...logItem([log()]), header: { ...logItem([log()]).header, length: 9999 } },
        ]),
      /length 9999 but only/,
    ],
    [
      'length too short',
      () => {
        const it = logItem([log()]);
        return buildEnvelope(envHeader(), [
          { ...it, header: { ...it.header, length: Buffer.byteLength(it.payload) - 1 } },
        ]);
      },
      /not followed by a newline/,
    ],
    [
      'missing sent_at',
      () => buildEnvelope({ sdk: { name: 'f', version: '1' } }, [logItem([log()])]),
      /sent_at is required/,
    ],
    [
      'event without envelope event_id',
      () => buildEnvelope(envHeader(), [eventItem()]),
      /event_id \(32 lowercase hex\) is required/,
    ],
    [
      'event level "warn"',
      () => buildEnvelope(envHeader({ event_id: EVENT_ID }), [eventItem({ level: 'warn' })]),
      /level "warn" is not one of fatal\|error\|warning/,
    ],
    [
      'unknown item type',
      () => buildEnvelope(envHeader(), [{ header: { type: 'transaction' }, payload: '{}' }]),
      /unsupported item type/,
    ],
  ])('rejects %s with a 400 naming it', async (_name, make, detail) => {
    const r = await sentry();
    const res = await send(r, make());
    expect(res.status).toBe(400);
    expect(String(res.json.detail)).toMatch(/^invalid envelope: /);
    expect(String(res.json.detail)).toMatch(detail);
    expect(r.rejected).toHaveLength(1);
    expect(r.recordCount).toBe(0);
  });

  it('accepts an error event (level "warning", message.formatted) and an item without length', async () => {
    const r = await sentry();
    expect(
      (await send(r, buildEnvelope(envHeader({ event_id: EVENT_ID }), [eventItem({ level: 'warning' })])))
        .json,
    ).toEqual({ id: EVENT_ID });
    const it = logItem([log()]);
    const noLength = Buffer.from(
      `${JSON.stringify(envHeader())}\n${JSON.stringify(it.header)}\n${it.payload}\n`,
    );
    expect((await send(r, noLength)).status).toBe(200);
    expect(r.events).toHaveLength(1);
    expect(r.logs).toHaveLength(1);
  });

  it('sends X-Sentry-Rate-Limits on a 200, 429s limited data, and records data sent after the announcement', async () => {
    const r = await sentry({
      rateLimits: [{ retryAfterS: 60, categories: ['error'], reason: 'quota_exceeded' }],
    });
    const logs = buildEnvelope(envHeader(), [logItem([log()])]);
    const ok = await send(r, logs);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-sentry-rate-limits')).toMatch(/^(60|59):error:organization:quota_exceeded$/);
    // the client was told "error" is limited: an event now is a violation
    const ev = await send(r, buildEnvelope(envHeader({ event_id: EVENT_ID }), [eventItem()]));
    expect(ev.status).toBe(429);
    expect(Number(ev.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(r.rateLimitViolations).toHaveLength(1);
    expect(r.events).toHaveLength(0);

    r.setRateLimits([{ retryAfterS: 30, categories: ['log_item', 'log_byte'] }]);
    expect((await send(r, logs)).status).toBe(429); // first sight of the limit: not a violation
    expect(r.rateLimitViolations).toHaveLength(1);
    r.setRateLimits([]);
    expect((await send(r, logs)).headers.get('x-sentry-rate-limits')).toBeNull();
  });

  it('429 faults carry Retry-After, and a raw header is passed through verbatim', async () => {
    const r = await sentry({
      rateLimitsHeader: '2.5:log_item;unknown:key:quota:ns, 2700::key',
      keepRecords: false,
    });
    r.setFaults([{ status: 429, retryAfter: 7 }]);
    const logs = buildEnvelope(envHeader(), [logItem([log()])]);
    const limited = await send(r, logs);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const ok = await send(r, logs);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-sentry-rate-limits')).toBe('2.5:log_item;unknown:key:quota:ns, 2700::key');
    expect(r.recordCount).toBe(1);
    expect(r.logs).toHaveLength(0);
  });
});
