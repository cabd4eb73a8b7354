import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { APPS, cleanEnv, NODE, startCli } from '../helpers/cli.js';
import { kubeletWrite } from '../helpers/podinfo.js';
import { WebhookReceiver } from '../receivers/webhook.js';

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await request(url);
  return { status: res.statusCode, text: await res.body.text() };
}

/** Asks until the answer satisfies `ok`, one request at a time, up to a deadline. */
async function until(
  url: string,
  ok: (r: { status: number; text: string }) => boolean,
  deadlineMs = 15_000,
): Promise<{ status: number; text: string }> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const r = await get(url);
    if (ok(r) || Date.now() > end) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('metrics and health', () => {
  it('serves Prometheus metrics, /healthz and /readyz on --metrics-addr', async () => {
    const hook = await new WebhookReceiver().start();
    receivers.push(hook);
    const run = startCli(['run', '--metrics-addr', '127.0.0.1:0', '--', NODE, `${APPS}/trap-term.mjs`], {
      env: cleanEnv({ WEBHOOK_URL: hook.url, FORWARDER_LOG_LEVEL: 'debug', FORWARDER_BATCH_WAIT: '50ms' }),
    });
    const [, base] = await run.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    await run.waitForStdout('ready\n');
    await hook.waitFor(() => hook.records.some((e) => e.message === 'ready'));
    const metrics = await until(`${base}/metrics`, (r) =>
      r.text.includes('forwarder_drain_sent_records_total{drain="webhook"} 2'),
    );
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('forwarder_input_lines_total{stream="stdout"} 1');
    expect(metrics.text).toContain('forwarder_input_bytes_total{stream="stdout"} 6');
    expect(metrics.text).toMatch(/forwarder_drain_request_duration_seconds_count\{drain="webhook"\} \d+/);
    expect(metrics.text).toContain('forwarder_drain_queue_bytes{drain="webhook"} 0');
    expect(metrics.text).toMatch(/forwarder_drain_last_success_timestamp_seconds\{drain="webhook"\} 1\d{9}/);
    expect(await get(`${base}/healthz`)).toEqual({ status: 200, text: 'ok\n' });
    expect(await get(`${base}/readyz`)).toEqual({ status: 200, text: 'ready\n' });
    run.child.kill('SIGTERM');
    expect((await run.result).code).toBe(0);
  });

  it("forwarder_k8s_podinfo_cut_total counts what reading the pod's labels / annotations files cut (issue 17)", async () => {
    const hook = await new WebhookReceiver().start();
    receivers.push(hook);
    const podinfo = mkdtempSync(join(tmpdir(), 'fwd-metrics-podinfo-'));
    try {
      // 70 labels (6 past the 64 kept) and one annotation of 300 characters (cut at 256)
      const labels = Array.from({ length: 70 }, (_, i) => `l${i}="v"`).join('\n');
      kubeletWrite(podinfo, { labels: `${labels}\n`, annotations: `note="${'a'.repeat(300)}"\n` });
      const run = startCli(['run', '--metrics-addr', '127.0.0.1:0', '--', NODE, `${APPS}/trap-term.mjs`], {
        env: cleanEnv({
          WEBHOOK_URL: hook.url,
          POD_NAME: 'orders-7d9f',
          FORWARDER_K8S_PODINFO_DIR: podinfo,
          FORWARDER_LOG_LEVEL: 'debug',
        }),
      });
      const [, base] = await run.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
      await run.waitForStdout('ready\n');
      const metrics = await until(`${base}/metrics`, (r) =>
        r.text.includes('forwarder_k8s_podinfo_cut_total{what="entry"} 6'),
      );
      expect(metrics.text).toContain('forwarder_k8s_podinfo_cut_total{what="entry"} 6');
      expect(metrics.text).toContain('forwarder_k8s_podinfo_cut_total{what="value"} 1');
      expect(metrics.text).toContain('forwarder_k8s_podinfo_cut_total{what="file"} 0');
      run.child.kill('SIGTERM');
      const res = await run.result;
      expect(res.code).toBe(0);
      expect(res.stderr.toString()).toMatch(/has over 64 entries: the rest are left out/);
    } finally {
      rmSync(podinfo, { recursive: true, force: true });
    }
  });

  it('forwarder_events_total{stream,level} counts the events made from the app lines (issue 17)', async () => {
    const hook = await new WebhookReceiver({ allowUnknownFields: false }).start();
    receivers.push(hook);
    const app = [
      `process.stdout.write('{"level":"error","msg":"a"}\\n{"level":"error","msg":"b"}\\nplain\\ntime=2020-01-01T00:00:00Z level=warn msg=x\\n');`,
      `process.stderr.write('ERROR boom\\n');`,
      `process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);`,
    ].join('');
    const run = startCli(['run', '--metrics-addr', '127.0.0.1:0', '--', NODE, '-e', app], {
      env: cleanEnv({ WEBHOOK_URL: hook.url, FORWARDER_LOG_LEVEL: 'debug', FORWARDER_BATCH_WAIT: '50ms' }),
    });
    const [, base] = await run.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    // Every line's event, not the stderr one alone: the two pipes are read (and their last lines'
    // groups closed) in no set order, so stderr's event can be counted before stdout's last ones.
    const counted = [
      'forwarder_events_total{stream="stderr",level="error"} 1',
      'forwarder_events_total{stream="stdout",level="error"} 2',
      'forwarder_events_total{stream="stdout",level="warn"} 1',
      'forwarder_events_total{stream="stdout",level="info"} 1',
    ];
    const metrics = await until(`${base}/metrics`, (r) => counted.every((line) => r.text.includes(line)));
    for (const line of counted) expect(metrics.text).toContain(line);
    expect(metrics.text).toContain('forwarder_events_total{stream="stdout",level="fatal"} 0');
    expect(metrics.text).toContain('forwarder_structured_lines_total{format="json"} 2');
    expect(metrics.text).toContain('forwarder_structured_lines_total{format="logfmt"} 1');
    expect(metrics.text).toContain('forwarder_structured_cut_total{reason="time_untrusted"} 1');
    run.child.kill('SIGTERM');
    expect((await run.result).code).toBe(0);
  });

  it('/readyz fails while a drain holds events and delivers nothing for FORWARDER_UNHEALTHY_AFTER', async () => {
    const hook = await new WebhookReceiver().start();
    receivers.push(hook);
    hook.setFaults([{ status: 503, times: Number.POSITIVE_INFINITY }]);
    const run = startCli(['run', '--metrics-addr', '0', '--', NODE, `${APPS}/trap-term.mjs`], {
      env: cleanEnv({
        WEBHOOK_URL: hook.url,
        FORWARDER_LOG_LEVEL: 'debug',
        FORWARDER_UNHEALTHY_AFTER: '1s',
        FORWARDER_FLUSH_TIMEOUT: '1s',
      }),
    });
    const [, base] = await run.waitForStderr(/metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    const ready = await until(`${base}/readyz`, (r) => r.status === 503);
    expect(ready).toEqual({ status: 503, text: 'not delivering: webhook\n' });
    // readiness can turn before the first attempt was answered on a busy machine: wait for the retry
    const retried = /forwarder_drain_retried_records_total\{drain="webhook"\} [1-9]/;
    const metrics = await until(`${base}/metrics`, (r) => retried.test(r.text));
    expect(metrics.text).toMatch(retried);
    // issue 13 item 11: the events being retried are held, not 0
    expect(metrics.text).toMatch(/forwarder_drain_queue_events\{drain="webhook"\} [1-9]/);
    expect(metrics.text).toMatch(/forwarder_drain_queue_bytes\{drain="webhook"\} [1-9]/);
    run.child.kill('SIGTERM');
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(res.stderr.toString()).toMatch(/webhook: delivered 0, .*flush_deadline/);
  });

  it('a metrics address that cannot be served is one error line, not a crash', async () => {
    const hook = await new WebhookReceiver().start();
    receivers.push(hook);
    // The receiver already holds its port: the address is in use.
    const run = startCli(
      ['run', '--metrics-addr', `127.0.0.1:${hook.port}`, '--', NODE, `${APPS}/emit.mjs`, 'out:fine'],
      {
        env: cleanEnv({ WEBHOOK_URL: hook.url }),
      },
    );
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('fine\n');
    expect(res.stderr.toString()).toContain(
      `forwarder: error: cannot serve metrics on 127.0.0.1:${hook.port} (EADDRINUSE); check FORWARDER_METRICS_ADDR`,
    );
  });

  it('--metrics-addr with no drain says that nothing is served, instead of serving nothing silently (issue 13)', async () => {
    const run = startCli(['run', '--metrics-addr', '0', '--', NODE, `${APPS}/emit.mjs`, 'out:fine'], {
      env: cleanEnv(),
    });
    const res = await run.result;
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toBe('fine\n');
    expect(res.stderr.toString()).toContain(
      'forwarder: warn: --metrics-addr is set but no drain is configured: nothing is served there\n',
    );
  });
});
