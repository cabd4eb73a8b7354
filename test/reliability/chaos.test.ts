/**
 * Issue 9, reliability: the vendor drains under a burst while their receivers misbehave at random
 * (5xx, 429 with Retry-After, connection resets, stalls past the request timeout). Every line must
 * arrive; a stalled or reset request may have been processed before its answer was lost, so
 * duplicates are allowed (at-least-once) and counted. The webhook drain's version of this test
 * lives in test/drains/core/engine.test.ts; here all the vendor drains run at once, in one forwarder.
 * Vendor records carry no seq/instance, so lines are identified by the `line=N` the app writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APPS, cleanEnv, NODE, runCli } from '../helpers/cli.js';
import type { HttpReceiver } from '../receivers/http-receiver.js';
import { coverage, lineNo, summaryOf } from './helpers.js';
import { MISSING, VENDORS } from './vendors.js';

// biome-ignore lint/suspicious/noExplicitAny: receivers of every vendor
const open: HttpReceiver<any>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const vendors = VENDORS.filter((v) => v.id !== 'webhook');

describe('reliability: chaos under a burst', () => {
  it(`every line reaches every vendor drain (${vendors.map((v) => v.id).join(', ')}); duplicates counted`, async () => {
    if (MISSING.length > 0) console.log(`chaos: drains not registered, skipped: ${MISSING.join(', ')}`);
    expect(vendors.length).toBeGreaterThan(0);
    const lines = 20_000;
    const env: Record<string, string> = {
      FORWARDER_REQUEST_TIMEOUT: '500ms',
      FORWARDER_FLUSH_TIMEOUT: '60s',
    };
    const rx = vendors.map((v, i) => {
      const r = v.receiver({ trackIds: true, idOf: (rec: unknown) => lineNo(v.message(rec)) });
      // a few large batches per drain: the first answer is a scripted 503 so that every drain meets a
      // fault whatever the seed draws; the random faults follow
      r.setFaults([{ status: 503 }]);
      r.chaos({ p5xx: 0.15, p429: 0.07, retryAfterS: 1, pReset: 0.04, pStall: 0.04, seed: 11 + i });
      open.push(r);
      return { v, r };
    });
    for (const { v, r } of rx) {
      await r.start();
      Object.assign(env, v.env(r.url));
    }
    const res = await runCli(['run', '--', NODE, `${APPS}/lines.mjs`, String(lines)], { env: cleanEnv(env) });
    expect(res.code).toBe(0);
    const stderr = res.stderr.toString();
    const report: string[] = [];
    for (const { v, r } of rx) {
      const s = summaryOf(stderr, v.id);
      const { missing, duplicates } = coverage(
        r.records.map((rec: unknown) => lineNo(v.message(rec))),
        lines,
      );
      report.push(
        `${v.id}: ${r.requests.length} requests, ${r.faultCount} faults, ${s.retried} retried, ${duplicates} duplicate lines (receiver: ${r.duplicates})`,
      );
      expect({
        id: v.id,
        missing: missing.slice(0, 10),
        rejected: r.rejected.length,
        dropped: s.dropped,
      }).toEqual({
        id: v.id,
        missing: [],
        rejected: 0,
        dropped: 0,
      });
      expect(r.faultCount, `${v.id}: chaos injected no fault`).toBeGreaterThan(0);
    }
    console.log(`chaos (${lines} lines):\n  ${report.join('\n  ')}`);
  }, 120_000);
});
