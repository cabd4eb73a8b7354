/**
 * The OTLP, Loki and Elasticsearch drains (issue 16) in /metrics: records sent, requests and
 * their latency, and drops by reason, per drain, like every other drain.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { APPS, cleanEnv, NODE, startCli } from '../helpers/cli.js';
import { ElasticsearchReceiver } from '../receivers/elasticsearch.js';
import type { HttpReceiver } from '../receivers/http-receiver.js';
import { LokiReceiver } from '../receivers/loki.js';
import { OtlpReceiver } from '../receivers/otlp.js';

// biome-ignore lint/suspicious/noExplicitAny: receivers of three vendors
const open: HttpReceiver<any>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function metricsWhen(url: string, ok: (text: string) => boolean): Promise<string> {
  const end = Date.now() + 20_000;
  for (;;) {
    const res = await request(url);
    const text = await res.body.text();
    if (ok(text) || Date.now() > end) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('metrics of the new drains', () => {
  it('otlp, loki and elasticsearch report sent records, requests, latency and drops by reason', async () => {
    const otlp = await new OtlpReceiver({
      failWhen: (r) => (r.body === 'ready' ? 'not this one' : undefined),
    }).start();
    const loki = await new LokiReceiver().start();
    const es = await new ElasticsearchReceiver().start();
    open.push(otlp, loki, es);
    const run = startCli(['run', '--metrics-addr', '127.0.0.1:0', '--', NODE, `${APPS}/trap-term.mjs`], {
      env: cleanEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        LOKI_URL: loki.url,
        ELASTICSEARCH_URL: es.url,
        FORWARDER_BATCH_WAIT: '50ms',
        FORWARDER_LOG_LEVEL: 'debug',
      }),
    });
    const [, base] = await run.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    await run.waitForStdout('ready\n');
    const text = await metricsWhen(
      `${base}/metrics`,
      (t) =>
        t.includes('forwarder_drain_dropped_records_total{drain="otlp",reason="otlp_rejected"} 1') &&
        /forwarder_drain_sent_records_total\{drain="loki"\} [1-9]/.test(t) &&
        /forwarder_drain_sent_records_total\{drain="elasticsearch"\} [1-9]/.test(t),
    );
    for (const drain of ['otlp', 'loki', 'elasticsearch']) {
      expect(text).toMatch(new RegExp(`forwarder_drain_sent_records_total\\{drain="${drain}"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`forwarder_drain_requests_total\\{drain="${drain}"\\} [1-9]`));
      expect(text).toMatch(
        new RegExp(`forwarder_drain_request_duration_seconds_count\\{drain="${drain}"\\} [1-9]`),
      );
    }
    expect(text).toContain('forwarder_drain_dropped_records_total{drain="otlp",reason="otlp_rejected"} 1');
    run.child.kill('SIGTERM');
    expect((await run.result).code).toBe(0);
  });
});
