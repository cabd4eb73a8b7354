/**
 * The cloudwatch_logs drain: pure parts (encode/limits accounting, names, classify, the transport's
 * sort/span/rejected helpers), the engine + transport against the SigV4-verifying receiver, and
 * the built CLI end to end (`npm run build` first; `npm test` does it).
 */
import { existsSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { cloudwatchLogsDrain } from '../../src/drains/cloudwatch-logs/cloudwatch-logs.js';
import {
  addRejected,
  chunkBySpan,
  MAX_SPAN_MS,
  PutLogEventsTransport,
  sortByTime,
  toOutcome,
} from '../../src/drains/cloudwatch-logs/put-log-events-transport.js';
import { errorOutcome } from '../../src/drains/core/classify.js';
import { Drain } from '../../src/drains/core/drain.js';
import { Framing } from '../../src/drains/core/framing.js';
import type { Batch, Outcome } from '../../src/drains/core/types.js';
import { type Identity, LogEvent } from '../../src/pipeline/event.js';
import { INFO } from '../../src/pipeline/levels.js';
import { CLI, cleanEnv, NODE, runCli, tempDir } from '../helpers/cli.js';
import {
  AwsCredentialStore,
  awsErrorHeaders,
  type CloudWatchLogRecord,
  CloudWatchLogsReceiver,
  CWL_LIMITS,
  cloudWatchFaults,
  StsReceiver,
  TEST_AWS_CREDENTIALS,
} from '../receivers/cloudwatch-logs.js';
import { AGENT, drainContract, WORKER } from './contract.js';

const tmp = tempDir('fwd-cwl-');
afterAll(() => tmp.cleanup());

/** An AWS error answer as the service sends it (status 400, x-amzn-ErrorType, {"__type","message"}). */
const awsError = (type: string, message: string, times = 1) => ({
  status: 400,
  times,
  body: JSON.stringify({ __type: type, message }),
  headers: awsErrorHeaders(type),
});
const contractAwsEnv = (url: string, secret: string = TEST_AWS_CREDENTIALS.secretAccessKey) => ({
  AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: secret,
  AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
  AWS_CONFIG_FILE: tmp.file('no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: tmp.file('no-aws-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
});
drainContract<CloudWatchLogRecord>({
  id: 'cloudwatch_logs',
  // the group and stream exist, as in a set-up account (creating them on first use has its own tests)
  receiver: (o) => new CloudWatchLogsReceiver({ logGroups: { [AGENT]: [WORKER] }, ...o }),
  env: (url) => contractAwsEnv(url),
  badKeyEnv: (url) => contractAwsEnv(url, 'not-the-secret-key'),
  hint403: /InvalidSignatureException.*check AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY/,
  message: (r) => r.message,
  isLifecycle: (r) => r.message.startsWith('forwarder: '),
  maxRecordBytes: CWL_LIMITS.maxEventBytes,
  // AWS answers a throttle with 400 ThrottlingException, an outage with 5xx
  transientFaults: [cloudWatchFaults.serviceUnavailable(), cloudWatchFaults.throttling()],
  finalFault: awsError('InvalidParameterException', 'Log event field is not valid', Number.POSITIVE_INFINITY),
  splitFault: awsError(
    'InvalidParameterException',
    'Upload too large: 1048577 bytes exceeds limit of 1048576',
  ),
  notApplicable: {
    rate_limit_wait:
      'CloudWatch Logs sends no Retry-After or reset time with ThrottlingException, so there is no asked-for wait to honour: a throttled batch is retried with core backoff (retry_transient runs one)',
  },
});
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function started<T extends { start(): Promise<T>; close(): Promise<void> }>(r: T): Promise<T> {
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
const ctx = { identity, version: '0.0.0-test', requestTimeoutMs: 30_000 };

function configure(env: Record<string, string>, id: Identity = identity) {
  const config = loadConfig({ defs: cloudwatchLogsDrain.settings, flags: {}, env, configPath: undefined });
  return cloudwatchLogsDrain.configure(config, { ...ctx, identity: id });
}

/** Env for the built CLI: the receiver's endpoint, no shared AWS files, no IMDS. */
function awsEnv(
  r: CloudWatchLogsReceiver,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return cleanEnv({
    AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_AWS_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: r.url,
    AWS_CONFIG_FILE: tmp.file('no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: tmp.file('no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    FORWARDER_AGENT_ID: 'agent-a',
    FORWARDER_WORKER_ID: 'w-1',
    FORWARDER_FLUSH_TIMEOUT: '15s',
    FORWARDER_BATCH_WAIT: '50ms',
    ...extra,
  });
}

/** Bodies of the PutLogEvents requests the receiver accepted. */
function putBodies(r: CloudWatchLogsReceiver): { logEvents: { timestamp: number; message: string }[] }[] {
  return r.requests
    .filter((q) => q.info?.operation === 'PutLogEvents' && q.status === 200)
    .map((q) => JSON.parse(q.body.toString('utf8')));
}

const appLines = (r: CloudWatchLogsReceiver) => r.records.filter((x) => !x.message.startsWith('forwarder: '));

describe('cloudwatch_logs: configuration', () => {
  it('is enabled by both keys, by FORWARDER_CLOUDWATCH=1 alone, and disabled by FORWARDER_CLOUDWATCH=0', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'secret-x' };
    expect(configure({})).toBeUndefined();
    expect(configure(keys)).toMatchObject({
      region: 'us-west-2',
      logGroupName: 'agent-a',
      logStreamName: 'w-1',
      credentials: { accessKeyId: 'AKIAX', secretAccessKey: 'secret-x' },
    });
    expect(configure({ FORWARDER_CLOUDWATCH: '1' })).toMatchObject({ credentials: undefined });
    expect(configure({ ...keys, FORWARDER_CLOUDWATCH: '0' })).toBeUndefined();
    expect(configure({ ...keys, AWS_SESSION_TOKEN: 'tok-123' })?.credentials).toEqual({
      accessKeyId: 'AKIAX',
      secretAccessKey: 'secret-x',
      sessionToken: 'tok-123',
    });
    expect(configure({ ...keys, AWS_REGION: 'eu-central-1' })?.region).toBe('eu-central-1');
    expect(() => configure({ AWS_ACCESS_KEY_ID: 'AKIAX' })).toThrow(
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together/,
    );
    expect(() => configure({ ...keys, AWS_REGION: 'oregon' })).toThrow(/AWS_REGION is not an AWS region/);
  });

  it('sanitises the agent/worker id defaults to AWS name rules and rejects invalid explicit names', () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'secret-x' };
    const odd: Identity = { ...identity, agentId: 'my agent:v2 (prod)', workerId: 'pod:1*' };
    expect(configure(keys, odd)).toMatchObject({
      logGroupName: 'my_agent_v2__prod_',
      logStreamName: 'pod_1_',
    });
    expect(configure(keys, { ...identity, agentId: 'x'.repeat(600) })?.logGroupName).toHaveLength(512);
    expect(
      configure({ ...keys, CLOUDWATCH_LOG_GROUP: '/livekit/agents', CLOUDWATCH_LOG_STREAM: 'A_123/W 9' }),
    ).toMatchObject({
      logGroupName: '/livekit/agents',
      logStreamName: 'A_123/W 9',
    });
    expect(() => configure({ ...keys, CLOUDWATCH_LOG_GROUP: 'bad group' })).toThrow(
      /CLOUDWATCH_LOG_GROUP is not a valid log group name/,
    );
    expect(() => configure({ ...keys, CLOUDWATCH_LOG_STREAM: 'a:b' })).toThrow(
      /CLOUDWATCH_LOG_STREAM is not a valid log stream name/,
    );
  });
});

describe('cloudwatch_logs: encoding and limits', () => {
  const c = configure({ AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'secret-x' })!;
  const ev = (message: string, ts = 1795250460123) =>
    new LogEvent(ts, message, INFO, 'stdout', 1, undefined, undefined);

  it('hands the SDK its input events {timestamp, message}: the message is the line, nothing else', () => {
    const e = ev('a "quoted" line\twith tab');
    const record = cloudwatchLogsDrain.encode(e, c, ctx);
    expect(record).toBe('a "quoted" line\twith tab');
    const batch = new Framing(cloudwatchLogsDrain, c).batch([e], [record]);
    expect(cloudwatchLogsDrain.payload!(batch, c)).toEqual([
      { timestamp: 1795250460123, message: 'a "quoted" line\twith tab' },
    ]);
  });

  it("core's byte count is AWS's Σ(message + 26), exactly", () => {
    const limits = cloudwatchLogsDrain.limits(c);
    expect(limits).toMatchObject({
      maxBatchBytes: CWL_LIMITS.maxBatchBytes,
      maxBatchRecords: CWL_LIMITS.maxEvents,
    });
    const messages = ['x', 'é', '日本語', '\u0001', 'a'.repeat(1000), '"\\"', '😀'];
    const events = messages.map((m) => ev(m, 1));
    const records = events.map((e) => cloudwatchLogsDrain.encode(e, c, ctx));
    const aws = messages.reduce((sum, m) => sum + Buffer.byteLength(m) + CWL_LIMITS.perEventOverheadBytes, 0);
    expect(new Framing(cloudwatchLogsDrain, c).batch(events, records).bytes).toBe(aws);
    // one record alone fits a batch, and its message then fits AWS's event limit
    expect(limits.maxRecordBytes + CWL_LIMITS.perEventOverheadBytes).toBeLessThanOrEqual(
      limits.maxBatchBytes,
    );
    expect(limits.maxRecordBytes + CWL_LIMITS.perEventOverheadBytes).toBeLessThanOrEqual(
      CWL_LIMITS.maxEventBytes,
    );
  });

  it('never sends an empty message (skipped, not counted)', () => {
    expect(cloudwatchLogsDrain.admit!(ev(''), c, 0)).toBeNull();
    expect(cloudwatchLogsDrain.admit!(ev(' '), c, 0)).toBeUndefined();
  });
});

describe('cloudwatch_logs: classify', () => {
  const c = configure({ AWS_ACCESS_KEY_ID: 'AKIAX', AWS_SECRET_ACCESS_KEY: 'secret-x' })!;
  const batch = (n: number): Batch => ({
    events: Array.from({ length: n }, () => new LogEvent(1, 'x', INFO, 'stdout', 1, undefined, undefined)),
    records: [],
    body: '',
    bytes: 0,
    raw: Buffer.alloc(0),
  });
  const aws = (status: number, type: string, message = 'm'): Outcome =>
    toOutcome(
      Object.assign(new Error(message), {
        name: type,
        $fault: status >= 500 ? 'server' : 'client',
        $metadata: { httpStatusCode: status },
      }),
    );
  const classify = (o: Outcome, n = 3, attempt = 1) =>
    cloudwatchLogsDrain.classify!(o, c, batch(n), attempt, Date.now());

  it.each([
    ['ThrottlingException', 400, 'retry'],
    ['ServiceUnavailableException', 500, 'retry'],
    ['InternalFailure', 500, 'retry'],
    ['UnrecognizedClientException', 400, 'reject'],
    ['InvalidSignatureException', 400, 'reject'],
    ['AccessDeniedException', 400, 'reject'],
    ['InvalidParameterException', 400, 'reject'],
    ['ResourceNotFoundException', 400, 'reject'],
    ['DataAlreadyAcceptedException', 400, 'ok'],
  ])('%s (HTTP %i) → %s, on the error type, not the status', (type, status, action) => {
    expect(classify(aws(status, type)).action).toBe(action);
  });

  it('bad credentials are final, with a hint naming the variables', () => {
    const o = aws(
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
    expect(classify(o)).toMatchObject({ action: 'reject', reason: 'credentials' });
    expect(cloudwatchLogsDrain.hint!(o, c)).toMatch(/AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY/);
    const chain = configure({ FORWARDER_CLOUDWATCH: '1' })!;
    expect(cloudwatchLogsDrain.hint!(o, chain)).toMatch(/AWS_WEB_IDENTITY_TOKEN_FILE/);
  });

  it('an expired token is retried a few times (a refreshing source renews it), then rejected', () => {
    const o = aws(400, 'ExpiredTokenException');
    expect(classify(o, 3, 1).action).toBe('retry');
    expect(classify(o, 3, 3)).toMatchObject({ action: 'reject', reason: 'credentials' });
  });

  it('rejected events become a partial verdict counted by reason', () => {
    const ok = (rejected: Record<string, number>): Outcome => ({ kind: 'ok', rejected });
    expect(classify(ok({}))).toEqual({ action: 'ok' });
    expect(classify(ok({ too_old: 2, too_new: 1 }), 10)).toMatchObject({
      action: 'partial',
      accepted: 7,
      rejected: 3,
      rejectedReasons: { too_old: 2, too_new: 1 },
    });
  });

  it('credential-chain failures are final; transient ones and network errors are retried', () => {
    const credentials = (permanent: boolean): Outcome => ({
      kind: 'error',
      code: 'AWS_CREDENTIALS',
      permanent,
      message: 'none',
    });
    expect(classify(credentials(true)).action).toBe('reject');
    expect(classify(credentials(false)).action).toBe('retry');
    const refused = errorOutcome(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    expect(classify(refused).action).toBe('retry');
    expect(cloudwatchLogsDrain.hint!(refused, c)).toMatch(/AWS_ENDPOINT_URL_CLOUDWATCH_LOGS/);
  });
});

describe('put-log-events-transport helpers', () => {
  const e = (timestamp: number, message = String(timestamp)) => ({ timestamp, message });

  it('sorts stably by timestamp and cuts runs spanning 24 h or more', () => {
    const sorted = sortByTime([e(5, 'a'), e(1), e(5, 'b'), e(3)]);
    expect(sorted.map((x) => x.message)).toEqual(['1', '3', 'a', 'b']);
    const chunks = chunkBySpan([e(0), e(MAX_SPAN_MS - 1), e(MAX_SPAN_MS), e(MAX_SPAN_MS + 5)]);
    expect(chunks.map((ch) => ch.map((x) => x.timestamp))).toEqual([
      [0, MAX_SPAN_MS - 1],
      [MAX_SPAN_MS, MAX_SPAN_MS + 5],
    ]);
  });

  it('reads rejectedLogEventsInfo as counts (end indexes exclusive, start index inclusive)', () => {
    const into: Record<string, number> = {};
    addRejected(into, { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 9 }, 10);
    addRejected(into, { expiredLogEventEndIndex: 3, tooOldLogEventEndIndex: 1 }, 5);
    expect(into).toEqual({ too_old: 3, too_new: 1, expired: 2 });
  });
});

describe('cloudwatch_logs: engine + transport against the receiver', () => {
  it('sorts an unordered batch, splits it on the 24 h rule, and counts rejected events by reason', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }));
    const c = configure({
      AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_AWS_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: r.url,
    })!;
    const drain = new Drain(cloudwatchLogsDrain, c, {
      ...ctx,
      bufferBytes: 1 << 20,
      batchWaitMs: 10_000,
      logger: pino({ level: 'silent' }),
      nextSeq: () => 0,
    });
    const now = Date.now();
    const h = 3_600_000;
    const at = {
      tooOld: now - 15 * 24 * h,
      b: now - 30 * h,
      c: now - 29 * h,
      d: now - h,
      tooNew: now + 3 * h,
    };
    for (const [name, ts] of [
      ['d', at.d],
      ['b', at.b],
      ['tooNew', at.tooNew],
      ['tooOld', at.tooOld],
      ['c', at.c],
    ] as const) {
      drain.push(new LogEvent(ts, name, INFO, 'stdout', 1, undefined, undefined));
    }
    await drain.close(Date.now() + 10_000);
    // + the final flush's `dropped` notice for too_old / too_new (issue 13 item 11)
    expect(r.records.map((x) => x.message)).toEqual([
      'b',
      'c',
      'd',
      'forwarder dropped 2 events for drain cloudwatch_logs: too_old 1, too_new 1',
    ]);
    expect(putBodies(r).map((b) => b.logEvents.map((x) => x.message))).toEqual([
      ['tooOld'],
      ['b', 'c'],
      ['d', 'tooNew'],
      ['forwarder dropped 2 events for drain cloudwatch_logs: too_old 1, too_new 1'],
    ]);
    expect(drain.stats).toMatchObject({ delivered: 4, dropped: { too_old: 1, too_new: 1 }, requests: 2 });
    expect(r.rejected).toEqual([]);
  });
});

describe('cloudwatch_logs: transport, two first batches at once (concurrency 2)', () => {
  const emptyBatch = (): Batch => ({ events: [], records: [], bytes: 0, body: '', raw: Buffer.alloc(0) });
  const creates = (r: CloudWatchLogsReceiver) => r.operations.filter((op) => op !== 'PutLogEvents');

  /**
   * Two batches sent at once; the first PutLogEvents to arrive is answered "missing" (as it was on
   * arrival) only once `release(r)` holds, by when the other call has found the stream missing too
   * and created it, or is creating it.
   */
  async function twoFirstBatches(
    release: (r: CloudWatchLogsReceiver) => boolean,
  ): Promise<CloudWatchLogsReceiver> {
    const r = new CloudWatchLogsReceiver();
    const missing = awsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    r.setFaults([{ ...missing, until: r.waitFor(() => release(r), 25_000) }]);
    await started(r);
    const t = new PutLogEventsTransport({
      region: r.region,
      logGroupName: 'agent-a',
      logStreamName: 'w-1',
      endpoint: r.url,
      credentials: TEST_AWS_CREDENTIALS,
    });
    try {
      const now = Date.now();
      const signal = new AbortController().signal;
      const outcomes = await Promise.all([
        t.send([{ timestamp: now, message: 'first' }], emptyBatch(), signal),
        t.send([{ timestamp: now, message: 'second' }], emptyBatch(), signal),
      ]);
      expect(outcomes).toEqual([
        { kind: 'ok', rejected: {} },
        { kind: 'ok', rejected: {} },
      ]);
    } finally {
      await t.close();
    }
    expect(r.requests[0]!.fault).toBe('status');
    // the stream first (the group is missing: ResourceNotFoundException), then the group, then the stream
    expect(creates(r)).toEqual(['CreateLogStream', 'CreateLogGroup', 'CreateLogStream']);
    expect(r.requests.filter((q) => q.error?.startsWith('ResourceAlreadyExistsException'))).toEqual([]);
    expect(r.records.map((x) => x.message).sort()).toEqual(['first', 'second']);
    return r;
  }

  it('both find the stream missing while it is being created: they share one creation', async () => {
    await twoFirstBatches((r) => r.operations.includes('CreateLogStream'));
  });

  it('one is answered "missing" after the other created the stream and delivered: it just goes again', async () => {
    const r = await twoFirstBatches((r) => r.records.length === 1);
    expect(r.operations).toEqual([
      'PutLogEvents',
      'CreateLogStream',
      'CreateLogGroup',
      'CreateLogStream',
      'PutLogEvents',
      'PutLogEvents',
    ]);
  });
});

describe('forwarder run → cloudwatch_logs (built CLI)', () => {
  it('creates the group and stream on first write and ships each line as {timestamp, message}', async () => {
    const r = await started(new CloudWatchLogsReceiver());
    const before = Date.now();
    const res = await runCli(
      ['run', '--', NODE, '-e', 'console.log("hello"); console.error("oops: \\"quoted\\"")'],
      {
        env: awsEnv(r, { FORWARDER_AGENT_ID: 'my agent', FORWARDER_WORKER_ID: 'pod:7' }),
      },
    );
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('hello\n');
    // no ResourceAlreadyExistsException: nothing is created twice
    expect(r.rejected.filter((q) => !q.error?.startsWith('ResourceNotFoundException'))).toEqual([]);
    // The lines may make one batch or two (the start-up event alone, when the app is slow to
    // start), and two go out at once: however many found the stream missing, it is created once.
    expect(r.operations[0]).toBe('PutLogEvents');
    expect(r.operations.filter((op) => op !== 'PutLogEvents')).toEqual([
      'CreateLogStream',
      'CreateLogGroup',
      'CreateLogStream',
    ]);
    expect(r.hasLogStream('my_agent', 'pod_7')).toBe(true);
    const lines = appLines(r);
    // stdout and stderr are two pipes, and two batches may arrive in either order
    expect(
      lines.map(({ timestamp, ...rest }) => rest).sort((a, b) => a.message.localeCompare(b.message)),
    ).toEqual([
      { logGroupName: 'my_agent', logStreamName: 'pod_7', message: 'hello' },
      { logGroupName: 'my_agent', logStreamName: 'pod_7', message: 'oops: "quoted"' },
    ]);
    for (const x of r.records) {
      expect(Number.isSafeInteger(x.timestamp)).toBe(true);
      expect(x.timestamp).toBeGreaterThanOrEqual(before - 1000);
      expect(x.timestamp).toBeLessThanOrEqual(Date.now());
    }
    // lifecycle events go along, as lines of their own
    expect(r.records.filter((x) => /^forwarder: started node/.test(x.message))).toHaveLength(1);
    for (const q of r.requests) {
      expect(q.headers['x-amz-target']).toMatch(/^Logs_20140328\./);
      expect(q.info?.accessKeyId).toBe(TEST_AWS_CREDENTIALS.accessKeyId);
    }
    expect(res.stderr.toString()).toMatch(/cloudwatch_logs: delivered 4, retried 0, dropped 0/);
  });

  it('an existing group is used as it is: only the stream is created', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { 'agent-a': [] } }));
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("one")'], { env: awsEnv(r) });
    expect(res.code).toBe(0);
    // one batch or two (see above): the stream is created once either way
    expect(r.operations[0]).toBe('PutLogEvents');
    expect(r.operations.filter((op) => op !== 'PutLogEvents')).toEqual(['CreateLogStream']);
    expect(r.rejected.filter((q) => !q.error?.startsWith('ResourceNotFoundException'))).toEqual([]);
    expect(appLines(r).map((x) => x.message)).toEqual(['one']);
  });

  it('10,050 short lines: several batches, none over 10,000 events, in order, nothing lost', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }));
    const n = 10_050;
    const res = await runCli(
      ['run', '--', NODE, '-e', `let s='';for(let i=0;i<${n};i++)s+='l'+i+'\\n';process.stdout.write(s)`],
      {
        // a long batch wait: only the limits (and the final flush) cut batches
        env: awsEnv(r, { FORWARDER_BATCH_WAIT: '30s' }),
      },
    );
    expect(res.code).toBe(0);
    expect(r.rejected).toEqual([]);
    // two requests may be in flight at once, so batches can arrive in either order; within one, order holds
    const index = (m: string) => Number(m.slice(1));
    const got = appLines(r).map((x) => index(x.message));
    expect([...got].sort((a, z) => a - z)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const b of putBodies(r)) {
      const ids = b.logEvents.filter((e) => /^l\d+$/.test(e.message)).map((e) => index(e.message));
      expect([...ids].sort((a, z) => a - z)).toEqual(ids);
    }
    const sizes = putBodies(r).map((b) => b.logEvents.length);
    // (core also cuts a batch when its queue estimate, message + 160 B per event, reaches 1 MiB:
    // with lines this short that comes first, at ~6,300 events)
    expect(sizes.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CWL_LIMITS.maxEvents);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(r.records.length);
  });

  it('3,000 lines of 1 KB: batches stop at 1,048,576 bytes counting 26 per event, in chronological order', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }));
    const n = 3000;
    const res = await runCli(
      [
        'run',
        '--',
        NODE,
        '-e',
        `let s='';for(let i=0;i<${n};i++)s+=String(i).padStart(6,'0')+'x'.repeat(1018)+'\\n';process.stdout.write(s)`,
      ],
      { env: awsEnv(r, { FORWARDER_BATCH_WAIT: '30s' }) },
    );
    expect(res.code).toBe(0);
    expect(r.rejected).toEqual([]);
    const lines = appLines(r);
    // batches may arrive in either order (two in flight); each is in order, and every line arrived once
    expect(lines.map((x) => x.message.slice(0, 6)).sort()).toEqual(
      Array.from({ length: n }, (_, i) => String(i).padStart(6, '0')),
    );
    const bodies = putBodies(r);
    const awsBytes = bodies.map((b) =>
      b.logEvents.reduce((s, e) => s + Buffer.byteLength(e.message) + 26, 0),
    );
    expect(Math.max(...awsBytes)).toBeLessThanOrEqual(CWL_LIMITS.maxBatchBytes);
    expect(Math.max(...awsBytes)).toBeGreaterThan(CWL_LIMITS.maxBatchBytes * 0.95);
    for (const b of bodies) {
      const ts = b.logEvents.map((e) => e.timestamp);
      expect([...ts].sort((a, z) => a - z)).toEqual(ts);
    }
  });

  it('a 1.5 MB line is cut to the event limit with the visible marker', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }));
    const res = await runCli(
      ['run', '--', NODE, '-e', `process.stdout.write('B'.repeat(1500000)+'\\nafter\\n')`],
      {
        env: awsEnv(r, { FORWARDER_MAX_LINE_BYTES: '4MiB' }),
      },
    );
    expect(res.code).toBe(0);
    expect(r.rejected).toEqual([]);
    const [big, after] = appLines(r);
    expect(big!.message).toMatch(/^B+…\[truncated \d+ bytes\]$/);
    const kept = big!.message.indexOf('…');
    expect(big!.message).toContain(`[truncated ${1_500_000 - kept} bytes]`);
    expect(Buffer.byteLength(big!.message) + 26).toBeLessThanOrEqual(CWL_LIMITS.maxEventBytes);
    expect(kept).toBeGreaterThan(1_000_000);
    expect(after!.message).toBe('after');
  });

  it('ThrottlingException (HTTP 400) is retried with backoff until accepted, without duplicates', async () => {
    const r = await started(
      new CloudWatchLogsReceiver({
        logGroups: { 'agent-a': ['w-1'] },
        faults: [cloudWatchFaults.throttling(2)],
      }),
    );
    // One batch, sent at exit: it meets both throttles and goes whole once accepted. With batches
    // 50 ms apart, a busy machine can read "a" and "b" apart and send them in two batches, and the
    // one holding "b" overtakes the one held back for "a" (concurrent calls are allowed).
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("a"); console.log("b")'], {
      env: awsEnv(r, { FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code).toBe(0);
    expect(r.faultCount).toBe(2);
    expect(appLines(r).map((x) => x.message)).toEqual(['a', 'b']);
    expect(res.stderr.toString()).toMatch(
      /will retry \d+ records in \d+ ms \(ThrottlingException: Rate exceeded\)/,
    );
    expect(res.stderr.toString()).toMatch(/cloudwatch_logs: delivered 4, retried \d+, dropped 0/);
  });

  it('bad credentials: reported once with a hint, each batch tried once, never retried', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }));
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("a"); console.log("b")'], {
      env: awsEnv(r, { AWS_SECRET_ACCESS_KEY: 'not-the-secret-key' }),
    });
    expect(res.code).toBe(0);
    const stderr = res.stderr.toString();
    const reports = stderr.split('\n').filter((l) => l.includes('rejected'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/InvalidSignatureException.*check AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY/);
    expect(stderr).not.toContain('not-the-secret-key');
    expect(stderr).not.toMatch(/will retry/);
    // started, a, b, exited, + the final flush's `dropped` notice (issue 13 item 11), refused the same way
    expect(stderr).toMatch(/cloudwatch_logs: delivered 0, retried 0, dropped 5 \(credentials 5\)/);
    // one request per batch: nothing was sent twice
    expect(r.requests.length).toBeGreaterThanOrEqual(1);
    expect(r.requests.length).toBeLessThanOrEqual(5);
    expect(r.records).toEqual([]);
  });

  it('temporary credentials: AWS_SESSION_TOKEN is sent and signed', async () => {
    const r = await started(new CloudWatchLogsReceiver({ logGroups: { 'agent-a': ['w-1'] } }));
    const temp = r.credentials.issueTemporary(3_600_000);
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("with token")'], {
      env: awsEnv(r, {
        AWS_ACCESS_KEY_ID: temp.accessKeyId,
        AWS_SECRET_ACCESS_KEY: temp.secretAccessKey,
        AWS_SESSION_TOKEN: temp.sessionToken,
      }),
    });
    expect(res.code).toBe(0);
    expect(r.rejected).toEqual([]);
    expect(appLines(r).map((x) => x.message)).toEqual(['with token']);
    for (const q of r.requests) {
      expect(q.info?.accessKeyId).toBe(temp.accessKeyId);
      expect(q.info?.signedHeaders).toContain('x-amz-security-token');
    }
  });

  it('web identity (IRSA): FORWARDER_CLOUDWATCH=1 with no keys assumes the role through STS', async () => {
    const store = new AwsCredentialStore();
    const r = await started(
      new CloudWatchLogsReceiver({ credentials: store, logGroups: { 'agent-a': ['w-1'] } }),
    );
    const roleArn = 'arn:aws:iam::123456789012:role/forwarder';
    const sts = await started(
      new StsReceiver({ credentials: store, roleArn, webIdentityToken: 'eyJ.web-identity.token' }),
    );
    const tokenFile = tmp.file('web-identity-token');
    writeFileSync(tokenFile, 'eyJ.web-identity.token');
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("via irsa")'], {
      env: awsEnv(r, {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        FORWARDER_CLOUDWATCH: '1',
        AWS_ROLE_ARN: roleArn,
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ROLE_SESSION_NAME: 'forwarder-test',
        AWS_ENDPOINT_URL_STS: sts.url,
      }),
    });
    expect(res.code).toBe(0);
    expect(sts.records, res.stderr.toString() + sts.summary()).toHaveLength(1);
    expect(sts.records[0]).toMatchObject({ roleArn, roleSessionName: 'forwarder-test' });
    expect(r.rejected).toEqual([]);
    expect(appLines(r).map((x) => x.message)).toEqual(['via irsa']);
    for (const q of r.requests) expect(q.info?.accessKeyId).toBe(sts.records[0]!.accessKeyId);
  });

  it('FORWARDER_CLOUDWATCH=0 turns the drain off even when keys are present', async () => {
    const r = await started(new CloudWatchLogsReceiver());
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("stay here")'], {
      env: awsEnv(r, { FORWARDER_CLOUDWATCH: '0' }),
    });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('stay here\n');
    expect(res.stderr.toString()).toMatch(/no drain is configured/);
    expect(res.stderr.toString()).toMatch(
      /cloudwatch_logs is off \(FORWARDER_CLOUDWATCH=0\) although AWS keys are set/,
    );
    expect(r.requests).toEqual([]);
  });
});

describe('forwarder check → cloudwatch_logs (built CLI)', () => {
  it('exits 0 when CloudWatch accepts the verification event', async () => {
    const r = await started(new CloudWatchLogsReceiver());
    const res = await runCli(['check'], { env: awsEnv(r) });
    expect(res.stdout.toString()).toMatch(
      /cloudwatch_logs\s+http:\/\/127\.0\.0\.1:\d+\/? agent-a:w-1\s+accepted \(written\)/,
    );
    expect(res.code).toBe(0);
    expect(r.records.map((x) => x.message)).toEqual(['forwarder connection test']);
  });

  it('exits 1 with a hint naming the variables when the key is unknown', async () => {
    const r = await started(new CloudWatchLogsReceiver());
    const res = await runCli(['check'], { env: awsEnv(r, { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000' }) });
    expect(res.code).toBe(1);
    const out = res.stdout.toString();
    expect(out).toMatch(/reject: UnrecognizedClientException/);
    expect(out).toMatch(/UnrecognizedClientException/);
    expect(out).toMatch(/check AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY/);
    expect(out).not.toContain(TEST_AWS_CREDENTIALS.secretAccessKey);
  });

  it('a multi-line AWS message stays on its table row (issue 13)', async () => {
    const r = await started(new CloudWatchLogsReceiver());
    r.setFaults([
      {
        status: 400,
        headers: { 'x-amzn-errortype': 'AccessDeniedException' },
        body: JSON.stringify({
          __type: 'AccessDeniedException',
          message:
            'User: arn:aws:iam::123456789012:user/x\nis not authorized to perform: logs:PutLogEvents\n  on resource: g',
        }),
        times: Number.POSITIVE_INFINITY,
      },
    ]);
    const res = await runCli(['check'], { env: awsEnv(r) });
    expect(res.code).toBe(1);
    const rows = res.stdout.toString().trimEnd().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      /^cloudwatch_logs .* User: arn:aws:iam::123456789012:user\/x is not authorized to perform: logs:PutLogEvents on resource: g; the credentials lack IAM permissions/,
    );
  });
});

beforeAll(() => {
  // the CLI tests run dist/, which `npm test` builds (npm run build) before vitest
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
});
