/**
 * Issue 9, reliability: SIGTERM to the forwarder in the middle of a burst. The forwarder forwards it
 * to the app, which finishes writing its remaining lines (its last words) and exits 0 well within the
 * flush deadline: every line the app wrote, the last words included, is delivered before the
 * forwarder exits, and nothing is counted as dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, NODE, startCli } from '../helpers/cli.js';
import type { HttpReceiver } from '../receivers/http-receiver.js';
import { coverage, lineNo, RELIABILITY_APPS, summaryOf } from './helpers.js';
import { VENDORS } from './vendors.js';

// biome-ignore lint/suspicious/noExplicitAny: receivers of every vendor
const open: HttpReceiver<any>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

describe('reliability: SIGTERM during a burst', () => {
  it('delivers everything the app wrote, its last words included, before exiting', async () => {
    // the webhook (canonical, seq-checked) and one vendor shape, if registered
    const picked = VENDORS.filter((v) => v.id === 'webhook' || v.id === 'splunk_hec');
    const env: Record<string, string> = {};
    const rx = [];
    for (const v of picked) {
      const r = await v.receiver({ trackIds: true }).start();
      open.push(r);
      Object.assign(env, v.env(r.url));
      rx.push({ v, r });
    }
    const run = startCli(['run', '--', NODE, `${RELIABILITY_APPS}/burst-term.mjs`, '5000'], {
      env: cleanEnv({ ...env, FORWARDER_FLUSH_TIMEOUT: '30s' }),
    });
    // mid-burst: a few thousand lines out, the app still writing
    await run.waitForStdout('line=000003000');
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    const stdout = res.stdout.toString();
    const total = Number(/burst done total=(\d+)/.exec(stdout)?.[1]);
    expect(total).toBeGreaterThan(8000);
    const stderr = res.stderr.toString();
    for (const { v, r } of rx) {
      const s = summaryOf(stderr, v.id);
      const messages = r.records.map((rec: unknown) => v.message(rec));
      const { missing, duplicates } = coverage(messages.map(lineNo), total);
      expect({ id: v.id, missing: missing.slice(0, 10), dropped: s.dropped, cut: s.cut }).toEqual({
        id: v.id,
        missing: [],
        dropped: 0,
        cut: false,
      });
      expect(messages).toContain(`burst done total=${total}`);
      expect(duplicates).toBe(0);
    }
    console.log(`sigterm: app wrote ${total} lines; all delivered to ${rx.map((x) => x.v.id).join(', ')}`);
  }, 60_000);
});
