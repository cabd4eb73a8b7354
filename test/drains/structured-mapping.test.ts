// Issue 17: where each structured part of an event goes, per destination (pure encoders; the CLI
// test in test/cli/structured.test.ts sends them to the strict receivers).
import { describe, expect, it } from 'vitest';
import { axiomDrain } from '../../src/drains/axiom.js';
import { cloudwatchLogsDrain } from '../../src/drains/cloudwatch-logs/cloudwatch-logs.js';
import { withFieldSelection } from '../../src/drains/core/field-selection.js';
import { datadogDrain } from '../../src/drains/datadog.js';
import { elasticsearchDrain } from '../../src/drains/elasticsearch.js';
import { newRelicDrain } from '../../src/drains/new-relic.js';
import { otlpDrain } from '../../src/drains/otlp/otlp.js';
import { sentryEventsDrain } from '../../src/drains/sentry.js';
import { splunkHecDrain } from '../../src/drains/splunk-hec.js';
import { syslogDrain } from '../../src/drains/syslog.js';
import { webhookDrain } from '../../src/drains/webhook.js';
import { LogEvent } from '../../src/pipeline/event.js';
import { AGENT, configureFrom, HOST, WORKER } from './contract.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const LINE = `{"level":"error","time":1795250460000,"msg":"boom","trace_id":"${T}","span_id":"${S}","user":{"id":7}}`;
const ctx = {
  identity: { agentId: AGENT, workerId: WORKER, hostname: HOST, instance: 'i-1', attributes: {} },
  version: '0.0.0-test',
  requestTimeoutMs: 30_000,
};

function structured(): LogEvent {
  return new LogEvent(
    1795250460000,
    'boom',
    50,
    'stdout',
    7,
    undefined,
    undefined,
    1795250461234,
    LINE,
    '{"user":{"id":7}}',
    T,
    S,
    {
      kind: 'TypeError',
      message: 'boom',
      stack: 'TypeError: boom\n    at f (/a.js:1:1)',
    },
  );
}

describe('structured parts per destination', () => {
  it('the canonical event (file, webhook) carries them all; a plain event only observed_timestamp more', () => {
    const c = configureFrom(webhookDrain, { WEBHOOK_URL: 'http://127.0.0.1:9/hook' })!;
    expect(JSON.parse(webhookDrain.encode(structured(), c, ctx))).toMatchObject({
      timestamp: 1795250460000,
      observed_timestamp: 1795250461234,
      message: 'boom',
      level: 'error',
      trace_id: T,
      span_id: S,
      error: { kind: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at f (/a.js:1:1)' },
      fields: { user: { id: 7 } },
    });
    const plain = JSON.parse(
      webhookDrain.encode(new LogEvent(5, 'x', 30, 'stdout', 1, undefined, undefined), c, ctx),
    );
    expect(Object.keys(plain)).not.toContain('fields');
    expect(plain.observed_timestamp).toBe(5);
  });

  it('field selection can leave each new canonical field out', () => {
    const c = configureFrom(webhookDrain, { WEBHOOK_URL: 'http://127.0.0.1:9/hook' })!;
    const spec = withFieldSelection(webhookDrain, ['level']);
    const rec = JSON.parse(spec.encode(structured(), c, ctx));
    expect(Object.keys(rec).sort()).toEqual(['level', 'message', 'timestamp']);
    const dd = configureFrom(datadogDrain, { DATADOG_TOKEN: 'k', DATADOG_URL: 'http://127.0.0.1:9' })!;
    const ddRec = JSON.parse(withFieldSelection(datadogDrain, ['level']).encode(structured(), dd, ctx));
    for (const k of ['dd', 'trace_id', 'span_id', 'error', 'fields']) expect(ddRec).not.toHaveProperty(k);
  });

  it("an error with no type (zap's `error` text) sends no empty kind: Datadog, New Relic, Splunk, Axiom; the canonical event keeps its shape", () => {
    const untyped = (): LogEvent => {
      const ev = structured();
      ev.error = { kind: '', message: 'connection reset', stack: '' };
      return ev;
    };
    const dd = configureFrom(datadogDrain, { DATADOG_TOKEN: 'k', DATADOG_URL: 'http://127.0.0.1:9' })!;
    expect(JSON.parse(datadogDrain.encode(untyped(), dd, ctx)).error).toEqual({
      message: 'connection reset',
    });
    const typed = JSON.parse(datadogDrain.encode(structured(), dd, ctx)).error;
    expect(typed).toEqual({
      kind: 'TypeError',
      message: 'boom',
      stack: 'TypeError: boom\n    at f (/a.js:1:1)',
    });
    const nr = configureFrom(newRelicDrain, {
      NEW_RELIC_LICENSE_KEY: 'ffffff0123456789abcdef0123456789abcdNRAL',
      NEW_RELIC_URL: 'http://127.0.0.1:9',
    })!;
    const nrRec = JSON.parse(newRelicDrain.encode(untyped(), nr, ctx)).attributes;
    expect(Object.keys(nrRec).filter((k) => k.startsWith('error.'))).toEqual(['error.message']);
    expect(nrRec['error.message']).toBe('connection reset');
    expect(JSON.parse(newRelicDrain.encode(structured(), nr, ctx)).attributes['error.class']).toBe(
      'TypeError',
    );
    const hec = configureFrom(splunkHecDrain, {
      LOGS_ENABLE_SPLUNK: '1',
      SPLUNK_HEC_TOKEN: 't',
      SPLUNK_HEC_URL: 'http://127.0.0.1:9',
    })!;
    expect(JSON.parse(splunkHecDrain.encode(untyped(), hec, ctx)).event.error).toEqual({
      message: 'connection reset',
    });
    const ax = configureFrom(axiomDrain, { AXIOM_TOKEN: 'xaat-1', AXIOM_DATASET: 'd' })!;
    expect(JSON.parse(axiomDrain.encode(untyped(), ax, ctx)).error).toEqual({ message: 'connection reset' });
    const hook = configureFrom(webhookDrain, { WEBHOOK_URL: 'http://127.0.0.1:9/hook' })!;
    expect(JSON.parse(webhookDrain.encode(untyped(), hook, ctx)).error).toEqual({
      kind: '',
      message: 'connection reset',
      stack: '',
    });
  });

  it('an error with no type and no stack trace: OpenTelemetry and Elasticsearch get its message only, no empty exception.type / stacktrace', () => {
    const untyped = (): LogEvent => {
      const ev = structured();
      ev.error = { kind: '', message: 'connection reset', stack: '' };
      return ev;
    };
    const otlp = configureFrom(otlpDrain, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    })!;
    const exception = (ev: LogEvent): Record<string, unknown> =>
      Object.fromEntries(
        (
          JSON.parse(otlpDrain.encode(ev, otlp, ctx)).attributes as {
            key: string;
            value: { stringValue?: string };
          }[]
        )
          .filter((a) => a.key.startsWith('exception.'))
          .map((a) => [a.key, a.value.stringValue]),
      );
    expect(exception(untyped())).toEqual({ 'exception.message': 'connection reset' });
    expect(Object.keys(exception(structured()))).toEqual([
      'exception.type',
      'exception.message',
      'exception.stacktrace',
    ]);
    const es = configureFrom(elasticsearchDrain, { ELASTICSEARCH_URL: 'http://127.0.0.1:9' })!;
    const ecs = (ev: LogEvent): string[] =>
      Object.keys(JSON.parse(`${elasticsearchDrain.encode(ev, es, ctx)}}`)).filter((k) =>
        k.startsWith('error.'),
      );
    expect(ecs(untyped())).toEqual(['error.message']);
    expect(ecs(structured())).toEqual(['error.type', 'error.message', 'error.stack_trace']);
  });

  it("Datadog gets the app's time inside its intake window (18 h back, 2 h ahead), else the read time", () => {
    const dd = configureFrom(datadogDrain, { DATADOG_TOKEN: 'k', DATADOG_URL: 'http://127.0.0.1:9' })!;
    const at = (app: number, read: number) =>
      JSON.parse(
        datadogDrain.encode(new LogEvent(app, 'm', 30, 'stdout', 1, undefined, undefined, read), dd, ctx),
      ).timestamp;
    const read = 1795250461234;
    const h = 3600_000;
    expect(at(read - 17 * h, read)).toBe(read - 17 * h);
    expect(at(read - 19 * h, read)).toBe(read);
    expect(at(read + 1 * h, read)).toBe(read + h);
    expect(at(read + 3 * h, read)).toBe(read);
  });

  it('syslog keeps the app line and carries the ids as structured data', () => {
    const c = configureFrom(syslogDrain, { SYSLOG_ENDPOINT: '127.0.0.1:6514' })!;
    const frame = syslogDrain.encode(structured(), c, ctx);
    expect(frame).toContain(` - [trace@32473 trace_id="${T}" span_id="${S}"] ${LINE}`);
    const plain = syslogDrain.encode(new LogEvent(5, 'hello', 30, 'stdout', 1, undefined, undefined), c, ctx);
    expect(plain).toMatch(/ - - hello$/);
  });

  it("Sentry error events: the exception with frames, the line's trace and fields in contexts (a `$&` in them stays as written)", () => {
    const c = configureFrom(sentryEventsDrain, {
      SENTRY_DSN: 'http://abc123def456@127.0.0.1:9/42',
      SENTRY_EVENTS_LEVEL: 'error',
    })!;
    const ev = structured();
    ev.fieldsJson = '{"price":"$& $1 $$"}';
    const rec = JSON.parse(sentryEventsDrain.encode(ev, c, ctx));
    expect(rec.exception.values[0]).toMatchObject({ type: 'TypeError', value: 'boom' });
    expect(rec.exception.values[0].stacktrace.frames[0]).toMatchObject({
      function: 'f',
      filename: '/a.js',
      lineno: 1,
    });
    expect(rec.contexts.trace).toEqual({ trace_id: T, span_id: S });
    expect(rec.contexts.fields).toEqual({ price: '$& $1 $$' });
  });

  it('CloudWatch keeps the app line, in read-time order', () => {
    const c = configureFrom(cloudwatchLogsDrain, {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'x'.repeat(40),
    })!;
    const ev = structured();
    const record = cloudwatchLogsDrain.encode(ev, c, ctx);
    expect(record).toBe(LINE);
    const batch = { events: [ev], records: [record] } as unknown as Parameters<
      NonNullable<typeof cloudwatchLogsDrain.payload>
    >[0];
    expect(cloudwatchLogsDrain.payload!(batch, c)).toEqual([{ timestamp: 1795250461234, message: LINE }]);
  });
});
