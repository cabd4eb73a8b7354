// Issue 17: when the pod's labels / annotations change, every drain that sends attributes takes its
// rebuilt identity parts once (Drain.reconfigure): afterwards its records and body are exactly what a
// drain configured with the new attributes from the start would send. A drain whose output does
// not depend on the attributes (syslog, CloudWatch) needs no identityParts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { CORE_SETTINGS } from '../../../src/config/settings.js';
import { Drain } from '../../../src/drains/core/drain.js';
import { Framing } from '../../../src/drains/core/framing.js';
import type { DrainContext, DrainSpec } from '../../../src/drains/core/types.js';
import { DRAIN_SPECS, drainSettings } from '../../../src/drains/registry.js';
import { type Identity, LogEvent } from '../../../src/pipeline/event.js';

const dir = mkdtempSync(join(tmpdir(), 'fwd-identity-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Enough of each drain's settings to turn it on (no network is used). */
const ENABLE: Record<string, Record<string, string>> = {
  file: { FORWARDER_FILE: join(dir, 'events.ndjson') },
  webhook: { WEBHOOK_URL: 'http://127.0.0.1:9/hook' },
  cloudwatch_logs: {
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'us-east-1',
  },
  sentry: { SENTRY_DSN: 'http://abc123def456@127.0.0.1:9/42' },
  sentry_events: { SENTRY_DSN: 'http://abc123def456@127.0.0.1:9/42', SENTRY_EVENTS_LEVEL: 'error' },
  syslog: { SYSLOG_ENDPOINT: 'tcp://127.0.0.1:9' },
  datadog: { DATADOG_TOKEN: 'abcdef0123456789abcdef0123456789', DATADOG_URL: 'http://127.0.0.1:9' },
  splunk_hec: { LOGS_ENABLE_SPLUNK: '1', SPLUNK_HEC_TOKEN: 'tok', SPLUNK_HEC_URL: 'http://127.0.0.1:9' },
  new_relic: {
    NEW_RELIC_LICENSE_KEY: 'abcdef0123456789abcdef0123456789abcdNRAL',
    NEW_RELIC_URL: 'http://127.0.0.1:9',
  },
  axiom: { AXIOM_TOKEN: 'xaat-1', AXIOM_DATASET: 'logs', AXIOM_URL: 'http://127.0.0.1:9' },
  otlp: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
  loki: { LOKI_URL: 'http://127.0.0.1:9' },
  elasticsearch: { ELASTICSEARCH_URL: 'http://127.0.0.1:9' },
};

const OLD = { 'k8s.pod.name': 'p-1', 'k8s.pod.label.version': '1', 'k8s.pod.annotation.team': 'core' };
const NEW = { 'k8s.pod.name': 'p-1', 'k8s.pod.label.version': '2', 'k8s.pod.label.tier': 'web' };

function contextWith(attributes: Record<string, string>): DrainContext {
  const identity: Identity = {
    agentId: 'agent',
    workerId: 'worker',
    hostname: 'host',
    instance: 'i-1',
    attributes,
  };
  return { identity, version: '0.0.0-test', requestTimeoutMs: 30_000 };
}

function configure(spec: DrainSpec<unknown, unknown>, env: Record<string, string>, ctx: DrainContext) {
  const config = loadConfig({
    defs: [...CORE_SETTINGS, ...drainSettings()],
    flags: {},
    env,
    configPath: undefined,
  });
  return spec.configure(config, ctx);
}

/** One error event as the drain would send it: its record, and the body (or payload) of a batch of it. */
function wire(spec: DrainSpec<unknown, unknown>, c: unknown, ctx: DrainContext): string {
  const ev = new LogEvent(Date.now(), 'boom', 50, 'stderr', 7, undefined, undefined);
  const record = spec.encode(ev, c, ctx);
  const batch = new Framing(spec, c).batch([ev], [record]);
  const out = spec.payload ? spec.payload(batch, c) : batch.body;
  const text = Buffer.isBuffer(out)
    ? out.toString('latin1')
    : typeof out === 'string'
      ? out
      : JSON.stringify(out);
  return `${record}\n${text}`.replace(/[0-9a-f]{32}/g, '<id>');
}

describe('identity parts: a change of the attributes reaches every drain that sends them', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_790_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('every drain is covered', () => {
    expect(Object.keys(ENABLE).sort()).toEqual(DRAIN_SPECS.map((s) => s.id).sort());
  });

  const cases: [DrainSpec<unknown, unknown>, Record<string, string>, string][] = [
    ...(DRAIN_SPECS as readonly DrainSpec<unknown, unknown>[]).map(
      (s) => [s, ENABLE[s.id]!, s.id] as [DrainSpec<unknown, unknown>, Record<string, string>, string],
    ),
    [
      DRAIN_SPECS.find((s) => s.id === 'otlp') as DrainSpec<unknown, unknown>,
      { ...ENABLE.otlp, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      'otlp (http/json)',
    ],
  ];
  for (const [spec, env, name] of cases) {
    it(name, async () => {
      const ctx = contextWith(OLD);
      const c = configure(spec, env, ctx);
      expect(c, `${spec.id} enabled`).toBeDefined();
      const before = wire(spec, c, ctx);
      const expected = configure(spec, env, contextWith(NEW));
      const afterCtx = contextWith(NEW);
      const wanted = wire(spec, expected, afterCtx);
      if (wanted === before) {
        // it sends no attributes: nothing to take on a change
        expect(spec.identityParts).toBeUndefined();
        return;
      }
      // (Loki writes attribute names as its OTLP intake does: `k8s_pod_label_version`)
      expect(before).toMatch(/k8s[._]pod[._]label[._]version/);
      expect(spec.identityParts, `${spec.id} sends attributes, so it lists its identityParts`).toBeDefined();
      const drain = new Drain(spec, c, {
        ...ctx,
        bufferBytes: 1 << 20,
        batchWaitMs: 10,
        logger: pino({ level: 'silent' }),
        nextSeq: () => 0,
      });
      try {
        expect(drain.sendsAttributes).toBe(true);
        ctx.identity.attributes = NEW;
        drain.reconfigure(configure(spec, env, ctx));
        // the next ms: Loki's entry clock counts the entries of a ms, and a fresh drain's must agree
        vi.setSystemTime(Date.now() + 1);
        const after = wire(spec, c, ctx);
        expect(after).toBe(wire(spec, configure(spec, env, contextWith(NEW)), afterCtx));
        expect(after).toMatch(/k8s[._]pod[._]label[._]tier/);
        expect(after).not.toMatch(/k8s[._]pod[._]annotation[._]team/);
      } finally {
        await drain.close(Date.now() + 1000);
      }
    });
  }
});
