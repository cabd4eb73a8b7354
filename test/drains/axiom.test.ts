/**
 * The Axiom drain (issue 5) through the built CLI against AxiomReceiver, plus pure tests of its
 * configuration and of how it reads ingest status and rate limits. `npm run build` first.
 */
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { axiomDrain } from '../../src/drains/axiom.js';
import { DEFAULTS } from '../../src/drains/core/defaults.js';
import type { Batch, Verdict } from '../../src/drains/core/types.js';
import { NODE, runCli } from '../helpers/cli.js';
import { type AxiomEvent, AxiomReceiver, type AxiomReceiverOptions } from '../receivers/axiom.js';
import { AGENT, baseEnv, configureFrom, drainContract, EMIT, HOST, summaryOf, WORKER } from './contract.js';

const TOKEN = 'xaat-01234567-89ab-cdef-0123-456789abcdef';
const DATASET = 'app-logs';
const env = (url: string, extra: Record<string, string> = {}) => ({
  AXIOM_TOKEN: TOKEN,
  AXIOM_DATASET: DATASET,
  AXIOM_URL: url,
  ...extra,
});

drainContract<AxiomEvent>({
  id: 'axiom',
  receiver: (o) => new AxiomReceiver({ tokens: [TOKEN], dataset: DATASET, ...o }),
  env,
  badKeyEnv: (url) => env(url, { AXIOM_TOKEN: 'xaat-wrong' }),
  hint403: /403 from Axiom: AXIOM_TOKEN was refused/,
  message: (r) => r.message as string,
  stream: (r) => r.stream as string,
  maxRecordBytes: 1_000_000,
  // Axiom's own 429: X-RateLimit-Reset (epoch seconds) and no Retry-After
  rateLimitFault: { status: 429 },
});

describe('axiom: records, field by field', () => {
  const open: AxiomReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const start = async (o: Partial<AxiomReceiverOptions> = {}) => {
    const r = new AxiomReceiver({ tokens: [TOKEN], dataset: DATASET, ...o });
    open.push(r);
    return r.start();
  };

  it('_time, message, level, stream, ids and AXIOM_ATTRIBUTES under attributes', async () => {
    const rx = await start();
    const before = Date.now();
    const res = await runCli(['run', '--', NODE, EMIT, 'err:ERROR broke', 'out:plain'], {
      env: baseEnv(env(rx.url, { AXIOM_ATTRIBUTES: 'team=core,region=eu-west' })),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    expect(rx.rejected).toEqual([]);
    const r = rx.records.find((x) => x.message === 'ERROR broke')!;
    expect(r).toEqual({
      _time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      message: 'ERROR broke',
      level: 'error',
      stream: 'stderr',
      agent_id: AGENT,
      worker_id: WORKER,
      hostname: HOST,
      attributes: { team: 'core', region: 'eu-west' },
    });
    expect(Date.parse(r._time as string)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(r._time as string)).toBeLessThanOrEqual(Date.now());
    const req = rx.requests.find((q) => q.status === 200)!;
    expect(req.path).toBe(`/v1/datasets/${DATASET}/ingest`);
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['content-type']).toBe('application/x-ndjson');
    expect(req.headers['content-encoding']).toBe('gzip');
  });

  it('reads failed/failures from a 200: those events are counted as dropped and never resent', async () => {
    const rx = await start({
      failWhen: (ev) => ((ev.message as string).startsWith('bad') ? 'field too long' : undefined),
    });
    const res = await runCli(
      ['run', '--', NODE, EMIT, 'out:good 1', 'out:bad 1', 'out:good 2', 'out:bad 2'],
      {
        env: baseEnv({ ...env(rx.url), FORWARDER_BATCH_WAIT: '60s' }),
      },
    );
    expect(res.code, res.stderr.toString()).toBe(0);
    const stderr = res.stderr.toString();
    expect(stderr).toMatch(/rejected 2 of \d+ records \(axiom_failed\): field too long/);
    const s = summaryOf('axiom', stderr);
    expect(s.reasons).toBe('axiom_failed 2');
    expect(s.delivered).toBe(rx.recordCount);
    // the batch, then the final flush's `dropped` notice (issue 13 item 11)
    expect(rx.requests).toHaveLength(2);
    expect(rx.records.at(-1)?.message).toBe('forwarder dropped 2 events for drain axiom: axiom_failed 2');
    expect(rx.records.map((x) => x.message)).toEqual(expect.arrayContaining(['good 1', 'good 2']));
  });

  it('a missing dataset is a config problem naming it', async () => {
    const res = await runCli(['check'], { env: baseEnv({ AXIOM_TOKEN: TOKEN }) });
    expect(res.code).not.toBe(0);
    expect(res.stdout.toString() + res.stderr.toString()).toContain(
      'AXIOM_TOKEN is set but AXIOM_DATASET is missing',
    );
  });
});

describe('axiom: configuration and answers (pure)', () => {
  const url = (e: Record<string, string>) => {
    const c = configureFrom(axiomDrain, e);
    return c && axiomDrain.endpoint(c);
  };
  const base = { AXIOM_TOKEN: TOKEN, AXIOM_DATASET: DATASET };

  it.each([
    [{}, `https://api.axiom.co/v1/datasets/${DATASET}/ingest`],
    [{ AXIOM_URL: 'https://api.eu.axiom.co' }, `https://api.eu.axiom.co/v1/datasets/${DATASET}/ingest`],
    [
      { AXIOM_URL: 'https://eu-central-1.aws.edge.axiom.co' },
      `https://eu-central-1.aws.edge.axiom.co/v1/ingest/${DATASET}`,
    ],
    [{ AXIOM_URL: 'http://proxy/custom/ingest' }, 'http://proxy/custom/ingest'],
  ])('%o → %s', (e, expected) => {
    expect(url({ ...base, ...e })).toBe(expected);
  });

  it('429: waits until X-RateLimit-Reset; Retry-After wins when present', () => {
    // a fake clock: on the real one a millisecond could pass between classify and waitOf
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 29, 4, 0, 0, 250) });
    onTestFinished(() => void vi.useRealTimers());
    const c = configureFrom(axiomDrain, base)!;
    const batch: Batch = { events: [], records: [], body: '', bytes: 0, raw: Buffer.alloc(0) };
    const reset = String(Math.ceil(Date.now() / 1000) + 5);
    const v = axiomDrain.classify!(
      {
        kind: 'http',
        status: 429,
        headers: { 'x-ratelimit-reset': reset },
        body: '{"message":"rate limit exceeded"}',
      },
      c,
      batch,
      1,
      Date.now(),
    );
    expect(v.action).toBe('retry');
    expect(waitOf(v)).toBeGreaterThan(3_000);
    expect(waitOf(v)).toBeLessThanOrEqual(6_000);
    const w = axiomDrain.classify!(
      {
        kind: 'http',
        status: 429,
        headers: { 'x-ratelimit-reset': reset, 'retry-after': '2' },
        body: '',
      },
      c,
      batch,
      1,
      Date.now(),
    );
    expect(waitOf(w)).toBe(2_000);
  });

  it('X-RateLimit-Reset on a fake clock: exact wait, a past reset is now, garbage is ignored, a far one capped', () => {
    const NOW = Date.UTC(2026, 10, 29, 4, 0, 0, 250);
    vi.useFakeTimers({ now: NOW });
    try {
      const c = configureFrom(axiomDrain, base)!;
      const batch: Batch = { events: [], records: [], body: '', bytes: 0, raw: Buffer.alloc(0) };
      const waitFor = (headers: Record<string, string>) =>
        axiomDrain.classify!({ kind: 'http', status: 429, headers, body: '' }, c, batch, 1, Date.now());
      const epochS = (ms: number) => String(ms / 1000);
      expect(waitOf(waitFor({ 'x-ratelimit-reset': epochS(NOW + 4750) }))).toBe(4750);
      expect(waitOf(waitFor({ 'x-ingestlimit-reset': epochS(NOW + 1750) }))).toBe(1750);
      expect(waitOf(waitFor({ 'x-ratelimit-reset': epochS(NOW - 10_000) }))).toBe(0);
      expect(waitOf(waitFor({ 'x-ratelimit-reset': epochS(NOW + 3_600_000) }))).toBe(
        DEFAULTS.retryAfterMaxMs,
      );
      for (const garbage of ['soon', '', 'NaN']) {
        const v = waitFor({ 'x-ratelimit-reset': garbage });
        expect(v.action, garbage).toBe('retry');
        expect(v, garbage).not.toHaveProperty('pause');
      }
      // the clock moves, the reset does not
      vi.advanceTimersByTime(4000);
      expect(waitOf(waitFor({ 'x-ratelimit-reset': epochS(NOW + 4750) }))).toBe(750);
    } finally {
      vi.useRealTimers();
    }
  });
});

/** How long a verdict's `drain` pause makes the drain wait, from now. */
function waitOf(v: Verdict): number {
  const until = v.pause?.find((p) => p.scope === 'drain')?.until;
  return until === undefined ? Number.NaN : until - Date.now();
}
