// Issue 17 through the built CLI: a real pino app's lines reach the file drain and the strict vendor
// receivers with their message, fields, own time, trace ids and error mapped per destination.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv } from '../drains/contract.js';
import { APPS, NODE, runCli } from '../helpers/cli.js';
import { fileEvents as fileEventsOf, pipedEvents as piped } from '../helpers/piped.js';
import { DatadogReceiver } from '../receivers/datadog.js';
import { NewRelicReceiver, newRelicView } from '../receivers/new-relic.js';
import { SentryReceiver } from '../receivers/sentry.js';
import { SplunkHecReceiver } from '../receivers/splunk-hec.js';

const APP = join(APPS, 'structured-app.mjs');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const DD_KEY = 'abcdef0123456789abcdef0123456789';
const NR_KEY = 'abcdef0123456789abcdef0123456789abcdNRAL';
const HEC = '11111111-2222-3333-4444-555555555555';
const SENTRY_KEY = 'abc123def456';

const dir = mkdtempSync(join(tmpdir(), 'fwd-structured-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Canonical = Record<string, unknown> & { message: string; stream: string };

/** The file drain's events, in order. */
const fileEvents = (file: string) => fileEventsOf<Canonical>(file);

/** `lines` through `forwarder pipe` into the file drain (`name` in the test folder): the app's events, in order. */
const pipedEvents = (name: string, lines: readonly string[]) => piped<Canonical>(join(dir, name), lines);

describe('structured events through the CLI', () => {
  it('file, Datadog, Splunk, New Relic and Sentry get each structured part where it belongs', async () => {
    const dd = await new DatadogReceiver({ apiKeys: [DD_KEY] }).start();
    const nr = await new NewRelicReceiver({ keys: [NR_KEY] }).start();
    const hec = await new SplunkHecReceiver({ tokens: [HEC] }).start();
    const sentry = await new SentryReceiver({ publicKey: SENTRY_KEY, projectId: '42' }).start();
    try {
      const file = join(dir, 'events.ndjson');
      const before = Date.now();
      const res = await runCli(['run', '--', NODE, APP], {
        env: baseEnv({
          FORWARDER_FILE: file,
          FORWARDER_REDACT: 'default',
          DATADOG_TOKEN: DD_KEY,
          DATADOG_URL: `${dd.url}/api/v2/logs`,
          NEW_RELIC_LICENSE_KEY: NR_KEY,
          NEW_RELIC_URL: nr.url,
          LOGS_ENABLE_SPLUNK: '1',
          SPLUNK_HEC_TOKEN: HEC,
          SPLUNK_HEC_URL: hec.url,
          SENTRY_DSN: `${sentry.url.replace('://', `://${SENTRY_KEY}@`)}/42`,
          SENTRY_EVENTS_LEVEL: 'error',
        }),
      });
      const after = Date.now();
      expect(res.code, res.stderr.toString()).toBe(0);
      for (const rx of [dd, nr, hec, sentry]) expect(rx.rejected).toEqual([]);

      // file: the canonical shape
      const events = fileEvents(file).filter((e) => e.stream !== 'forwarder');
      const by = (m: string | RegExp) =>
        events.find((e) => (typeof m === 'string' ? e.message === m : m.test(e.message)))!;
      const req = by('request completed');
      expect(req).toMatchObject({
        level: 'info',
        fields: { pid: 4242, hostname: 'web-1', reqId: 'r-1', res: { statusCode: 200 }, tags: ['a', 'b'] },
      });
      expect(req.timestamp).toBeGreaterThanOrEqual(before);
      expect(req.timestamp).toBeLessThanOrEqual(req.observed_timestamp as number);
      expect(req.observed_timestamp).toBeLessThanOrEqual(after);
      expect(by('traced')).toMatchObject({ trace_id: TRACE, span_id: SPAN });
      expect(by('traced').fields).toEqual({ pid: 4242, hostname: 'web-1' });
      // redaction reaches the fields
      expect(by('login')).toMatchObject({ level: 'warn', fields: { password: '[REDACTED]', user: 'ann' } });
      expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
      // a 2020 time is not trusted: the read time is used and the app's time stays in fields
      const old = by('old clock');
      expect(old).toMatchObject({ level: 'error', fields: { time: '2020-01-01T00:00:00Z', job: 'nightly' } });
      expect(old.timestamp).toBe(old.observed_timestamp);
      expect(by(/^INFO proxied/)).toMatchObject({ trace_id: TRACE, span_id: SPAN });
      const crash = by(/^TypeError: cannot read config/);
      expect(crash).toMatchObject({
        level: 'error',
        stream: 'stderr',
        error: { kind: 'TypeError', message: 'cannot read config' },
      });
      expect((crash.error as { stack: string }).stack).toContain('at ');

      // Datadog: dd.trace_id in decimal, Error Tracking attributes, fields nested
      const traced = dd.records.find((r) => r.message === 'traced')!;
      expect(traced.dd).toEqual({
        trace_id: BigInt(`0x${TRACE.slice(16)}`).toString(),
        span_id: BigInt(`0x${SPAN}`).toString(),
      });
      const ddCrash = dd.records.find((r) => r.message.startsWith('TypeError'))!;
      expect(ddCrash).toMatchObject({
        status: 'error',
        error: { kind: 'TypeError', message: 'cannot read config' },
      });
      expect(dd.records.find((r) => r.message === 'request completed')!.fields).toMatchObject({
        reqId: 'r-1',
      });

      // Splunk: inside the event
      const hecTraced = hec.records
        .map((r) => r.event as Record<string, unknown>)
        .find((e) => e.message === 'traced')!;
      expect(hecTraced).toMatchObject({ trace_id: TRACE, span_id: SPAN, fields: { pid: 4242 } });

      // New Relic: logs-in-context names, error.class, flattened fields (arrays as text)
      const nrView = nr.records.map(newRelicView);
      expect(nrView.find((v) => v.message === 'traced')).toMatchObject({
        'trace.id': TRACE,
        'span.id': SPAN,
      });
      expect(nrView.find((v) => v.message === 'request completed')).toMatchObject({
        'fields.reqId': 'r-1',
        'fields.tags': '["a","b"]',
      });
      expect(nrView.find((v) => String(v.message).startsWith('TypeError'))).toMatchObject({
        'error.class': 'TypeError',
      });

      // Sentry: the log's own trace id; the error event's exception with frames
      const logs = sentry.records.flatMap((r) => (r.type === 'log' ? [r.log] : []));
      expect(logs.find((l) => l.body === 'traced')).toMatchObject({ trace_id: TRACE, span_id: SPAN });
      const sentryEvents = sentry.records.flatMap((r) => (r.type === 'event' ? [r.event] : []));
      const exc = sentryEvents.find((e) => JSON.stringify(e).includes('TypeError')) as unknown as {
        exception: { values: { type: string; value: string; stacktrace?: { frames: unknown[] } }[] };
      };
      expect(exc.exception.values[0]).toMatchObject({ type: 'TypeError', value: 'cannot read config' });
      expect(exc.exception.values[0]!.stacktrace!.frames.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([dd.close(), nr.close(), hec.close(), sentry.close()]);
    }
  });

  it("the pod's identity reaches every event as k8s.* attributes; FORWARDER_ATTRIBUTES wins", async () => {
    const podinfo = join(dir, 'podinfo');
    mkdirSync(podinfo);
    writeFileSync(join(podinfo, 'labels'), 'app="orders"\n');
    const file = join(dir, 'k8s.ndjson');
    const res = await runCli(['run', '--', NODE, join(APPS, 'emit.mjs'), 'out:hello'], {
      env: baseEnv({
        FORWARDER_FILE: file,
        POD_NAME: 'orders-7d9f',
        POD_NAMESPACE: 'shop',
        CONTAINER_NAME: 'app',
        FORWARDER_K8S_PODINFO_DIR: podinfo,
        FORWARDER_ATTRIBUTES: 'k8s.namespace.name=override,team=core',
      }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const ev = fileEvents(file).find((e) => e.message === 'hello')!;
    expect(ev.attributes).toEqual({
      'k8s.pod.name': 'orders-7d9f',
      'k8s.namespace.name': 'override',
      'k8s.container.name': 'app',
      'k8s.pod.label.app': 'orders',
      team: 'core',
    });
  });

  it('--no-structured ships the lines as text', async () => {
    const file = join(dir, 'plain.ndjson');
    const res = await runCli(['run', '--no-structured', '--', NODE, APP], {
      env: baseEnv({ FORWARDER_FILE: file }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const events = fileEvents(file).filter((e) => e.stream === 'stdout');
    expect(events[0]!.message).toMatch(/^\{"level":30/);
    expect(events.every((e) => e.fields === undefined && e.trace_id === undefined)).toBe(true);
  });

  it('hclog, loguru, klog ErrorS, tracing-subscriber and Log4j2 lines piped in: message, level, own time, error', async () => {
    const t = Date.now() - 60_000;
    const iso = new Date(t).toISOString();
    const lines = [
      JSON.stringify({
        '@level': 'warn',
        '@message': 'no seal configuration found',
        '@module': 'core',
        '@timestamp': iso,
      }),
      JSON.stringify({
        text: 'x | ERROR | __main__:main:12 - Division failed\nTraceback (most recent call last):\n  File "/app/main.py", line 10, in main\nZeroDivisionError: division by zero\n',
        record: {
          exception: { type: 'ZeroDivisionError', value: 'division by zero', traceback: true },
          level: { icon: 'x', name: 'ERROR', no: 40 },
          message: 'Division failed',
          module: 'main',
          time: { repr: iso, timestamp: t / 1000 },
        },
      }),
      JSON.stringify({
        ts: t,
        caller: 'node_lifecycle.go:715',
        msg: 'Failed to update node status',
        err: 'timeout',
      }),
      JSON.stringify({
        timestamp: iso,
        level: 'INFO',
        fields: { message: 'some message', key: 'value' },
        target: 'app',
      }),
      JSON.stringify({
        instant: { epochSecond: Math.floor(t / 1000), nanoOfSecond: (t % 1000) * 1e6 },
        level: 'ERROR',
        message: 'Request failed',
        thrown: {
          name: 'java.lang.IllegalStateException',
          message: 'boom',
          extendedStackTrace: [{ class: 'a.B', method: 'c', file: 'B.java', line: 7 }],
        },
      }),
    ];
    const events = await pipedEvents('libs.ndjson', lines);
    expect(events.map((e) => [e.message, e.level, e.timestamp])).toEqual([
      ['no seal configuration found', 'warn', t],
      ['Division failed', 'error', t],
      ['Failed to update node status', 'error', t],
      ['some message', 'info', t],
      ['Request failed', 'error', t],
    ]);
    expect(events[1]!.error).toMatchObject({ kind: 'ZeroDivisionError', message: 'division by zero' });
    expect(events[1]!.fields).toMatchObject({ record: { module: 'main' } });
    expect(events[2]!.error).toMatchObject({ message: 'timeout' });
    expect(events[3]!.fields).toEqual({ fields: { key: 'value' }, target: 'app' });
    expect(events[4]!.error).toEqual({
      kind: 'java.lang.IllegalStateException',
      message: 'boom',
      stack: 'java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:7)',
    });
  });

  it('real-world shapes piped in: a pretty-printed OpenTelemetry record is one NDJSON event; Lambda, MongoDB, journald, slog offsets', async () => {
    const t = Date.now() - 60_000;
    const iso = new Date(t).toISOString();
    const pretty = JSON.stringify(
      {
        body: 'Anonymous player is rolling the dice: 3',
        severity_number: '<SeverityNumber.WARN: 13>',
        severity_text: 'WARNING',
        attributes: { otelServiceName: 'dice-server' },
        timestamp: iso,
        trace_id: `0x${TRACE}`,
        span_id: `0x${SPAN}`,
        trace_flags: 1,
      },
      null,
      4,
    );
    const lines = [
      pretty,
      JSON.stringify({
        timestamp: iso,
        level: 'ERROR',
        requestId: '79b4f56e-95b1-4643-9700-2807f4e68189',
        message: {
          errorType: 'ReferenceError',
          errorMessage: 'hello is not defined',
          stackTrace: [
            'ReferenceError: hello is not defined',
            '    at Runtime.handler (file:///var/task/index.mjs:3:3)',
          ],
        },
      }),
      JSON.stringify({
        t: { $date: iso },
        s: 'W',
        c: 'NETWORK',
        id: 23016,
        msg: 'slow query',
        attr: { ms: 912 },
      }),
      JSON.stringify({
        __REALTIME_TIMESTAMP: String(t * 1000),
        PRIORITY: '3',
        MESSAGE: 'Failed to start nginx.service',
        _SYSTEMD_UNIT: 'nginx.service',
      }),
      `time=${iso} level=DEBUG-4 msg="entering into function"`,
    ];
    // one event per line of the file, however the record was printed
    const events = await pipedEvents('realworld.ndjson', lines);
    expect(events.map((e) => [e.message, e.level, e.timestamp])).toEqual([
      ['Anonymous player is rolling the dice: 3', 'warn', t],
      [lines[1], 'error', t],
      ['slow query', 'warn', t],
      ['Failed to start nginx.service', 'error', t],
      ['entering into function', 'trace', t],
    ]);
    expect(events[0]).toMatchObject({
      trace_id: TRACE,
      span_id: SPAN,
      fields: { severity_number: '<SeverityNumber.WARN: 13>', trace_flags: 1 },
    });
    expect(events[1]!.error).toMatchObject({ kind: 'ReferenceError', message: 'hello is not defined' });
    expect(events[2]!.fields).toEqual({ c: 'NETWORK', id: 23016, attr: { ms: 912 } });
    expect(events[3]!.fields).toEqual({ _SYSTEMD_UNIT: 'nginx.service' });
  });

  it('round-2 shapes piped in: zerolog frames as the stack, consola and MySQL levels, X-Cloud-Trace-Context, Python created, structlog key=repr', async () => {
    const t = Date.now() - 60_000;
    const iso = new Date(t).toISOString();
    const lines = [
      JSON.stringify({
        level: 'error',
        stack: [{ func: 'inner', line: '20', source: 'errors.go' }],
        error: 'boom',
        time: Math.floor(t / 1000),
      }),
      JSON.stringify({ date: iso, args: ['Build ready'], type: 'info', level: 3, tag: '' }),
      `{ "prio" : 2, "msg" : "CA certificate ca.pem is self signed.", "time" : "${iso}", "err_symbol" : "ER_CA_SELF_SIGNED", "label" : "Warning" }`,
      JSON.stringify({
        severity: 'INFO',
        message: 'GET /',
        'X-Cloud-Trace-Context': `${TRACE}/2947402951238473920;o=1`,
      }),
      `{"created": ${t / 1000}, "levelname": "WARNING", "message": "cache miss"}`,
      `timestamp='${iso}' level='error' event='bad input' data={'a': 1}`,
    ];
    const events = await pipedEvents('realworld-2.ndjson', lines);
    expect(events.map((e) => [e.message, e.level])).toEqual([
      [lines[0], 'error'],
      ['Build ready', 'info'],
      ['CA certificate ca.pem is self signed.', 'warn'],
      ['GET /', 'info'],
      ['cache miss', 'warn'],
      ['bad input', 'error'],
    ]);
    const appTimes = [Math.floor(t / 1000) * 1000, t, t, undefined, t, t];
    // the GCP record carries no time: the read time is its timestamp
    expect(events.map((e, i) => appTimes[i] ?? e.observed_timestamp)).toEqual(events.map((e) => e.timestamp));
    expect(events[3]!.timestamp).not.toBe(t);
    expect(events[0]!.error).toEqual({ kind: '', message: 'boom', stack: 'boom\ninner\n\terrors.go:20' });
    expect(events[3]).toMatchObject({ trace_id: TRACE, span_id: '28e7475e3e81d8c0' });
    expect(events[5]!.fields).toEqual({ data: "{'a': 1}" });
  });

  it("the app's own fields that look like roles stay in fields: s, a second severity, a request body, a job's start_time, a job's priority, an error's code; a console.log object is one text event", async () => {
    const t = Date.now() - 60_000;
    const started = new Date(t - 3_600_000).toISOString();
    const lines = [
      JSON.stringify({ level: 'info', time: t, msg: 'retry', s: '2s' }),
      JSON.stringify({ level: 'warn', time: t, msg: 'vulnerability found', severity: 'high' }),
      JSON.stringify({ level: 'info', time: t, method: 'POST', body: '{"user":1}' }),
      JSON.stringify({ message: 'job done', start_time: started }),
      // Node's console.log of an object: util.inspect's text, not JSON
      "{\n  user: 'bob',\n  roles: [ 'admin' ]\n}",
      JSON.stringify({ level: 'info', time: t, msg: 'after' }),
      // a job queue's own priority (1: urgent) is no syslog severity (journald writes PRIORITY)
      JSON.stringify({ time: t, msg: 'enqueued', priority: 1 }),
      // an error's code after its level word is no slog offset (slog writes ERROR+n, never ERROR-n)
      JSON.stringify({ level: 'ERROR-1045', time: t, msg: 'access denied' }),
    ];
    const events = await pipedEvents('app-fields.ndjson', lines);
    expect(events.map((e) => [e.message, e.level])).toEqual([
      ['retry', 'info'],
      ['vulnerability found', 'warn'],
      [lines[2], 'info'],
      ['job done', 'info'],
      [lines[4], 'info'],
      ['after', 'info'],
      ['enqueued', 'info'],
      ['access denied', 'error'],
    ]);
    expect(events.map((e) => e.fields)).toEqual([
      { s: '2s' },
      { severity: 'high' },
      { method: 'POST', body: '{"user":1}' },
      { start_time: started },
      undefined,
      undefined,
      { priority: 1 },
      undefined,
    ]);
    // the job's record was read when it was written, not when its job started
    expect(events[3]!.timestamp).toBe(events[3]!.observed_timestamp);
  });

  it("round-3 shapes from a real Python app: an indent-0 record is one event; Lambda's error keys, a {Type, Value} body, status and severity read by the record's other keys", async () => {
    const file = join(dir, 'round-3.ndjson');
    const t = Date.now() - 60_000;
    const iso = new Date(t).toISOString();
    // python3 prints each record as json.dumps writes it; the first one with indent=0 (every line at column 0)
    const script = [
      'import json, sys',
      `iso = ${JSON.stringify(iso)}`,
      'print(json.dumps({"level": "error", "time": iso, "msg": "disk {full}", "mounts": ["/", "/data"]}, indent=0))',
      'print(json.dumps({"level": "info", "time": iso, "msg": "form rejected", "errorType": "none", "errorMessage": "Email is required"}))',
      'print(json.dumps({"errorMessage": "division by zero", "errorType": "ZeroDivisionError", "stackTrace": ["  File \\"/var/task/f.py\\", line 5, in h\\n"]}))',
      'print(json.dumps({"level": "info", "time": iso, "method": "POST", "body": {"Type": "form", "Value": "alice@example.com"}}))',
      'print(json.dumps({"level": "info", "time": iso, "msg": "job finished", "job": "backup", "status": "error"}))',
      'print(json.dumps({"id": "BUG-1042", "title": "Login broken", "severity": 3, "status": "open"}))',
      'print(json.dumps({"status": "warn", "service": "web", "message": "slow response"}))',
      // generic keys that are the app's own: a duration under time, "no error", an order number under trace_id
      'print(json.dumps({"level": "info", "msg": "request", "time": 12.5, "error": "none", "trace_id": "12345"}))',
      'sys.stdout.flush()',
    ].join('\n');
    const res = await runCli(['run', '--', 'python3', '-c', script], {
      env: baseEnv({ FORWARDER_FILE: file }),
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const events = fileEvents(file).filter((e) => e.stream === 'stdout');
    const post = JSON.stringify({
      level: 'info',
      time: iso,
      method: 'POST',
      body: { Type: 'form', Value: 'alice@example.com' },
    })
      .replace(/,"/g, ', "')
      .replace(/":/g, '": ');
    expect(events.map((e) => [e.message, e.level])).toEqual([
      ['disk {full}', 'error'],
      ['form rejected', 'info'],
      [expect.stringContaining('"errorType": "ZeroDivisionError"'), 'error'],
      [post, 'info'],
      ['job finished', 'info'],
      [expect.stringContaining('"BUG-1042"'), 'info'],
      ['slow response', 'warn'],
      ['request', 'info'],
    ]);
    expect(events[7]).toMatchObject({ fields: { time: 12.5, error: 'none', trace_id: '12345' } });
    expect(events[7]!.timestamp).toBe(events[7]!.observed_timestamp);
    expect(events[7]!.trace_id).toBeUndefined();
    expect(events[7]!.error).toBeUndefined();
    expect(events[0]).toMatchObject({ timestamp: t, fields: { mounts: ['/', '/data'] } });
    expect(events.map((e) => (e.error as { kind?: string } | undefined)?.kind)).toEqual([
      undefined,
      undefined,
      'ZeroDivisionError',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(events[1]!.fields).toEqual({ errorType: 'none', errorMessage: 'Email is required' });
    expect(events[3]!.fields).toEqual({ method: 'POST', body: { Type: 'form', Value: 'alice@example.com' } });
    expect(events[4]!.fields).toEqual({ job: 'backup', status: 'error' });
    expect(events[5]!.fields).toEqual({ id: 'BUG-1042', title: 'Login broken', severity: 3, status: 'open' });
  });
  it("round-4 shapes piped in: a small numeric level on the scale its record names (or none), an error's mention on an info record, the library's time of two, log4js' logEvent", async () => {
    const t = Date.now() - 60_000;
    const iso = new Date(t).toISOString();
    const jobStart = new Date(t - 3_600_000).toISOString();
    const lines = [
      // .NET's LogLevel serialized as its number (2 Information), GELF's syslog 3, a scale no key names
      JSON.stringify({ Category: 'Api', LogLevel: 2, EventId: { Id: 0, Name: null }, Message: 'served' }),
      JSON.stringify({ version: '1.1', host: 'h', short_message: 'db down', timestamp: t / 1000, level: 3 }),
      JSON.stringify({ level: 0, time: iso, msg: 'an unknown scale is no emergency' }),
      // a handled error's message on an info record; the same at error; a caught exception with its trace
      JSON.stringify({ level: 'info', time: iso, msg: 'retrying', err: { message: 'socket hang up' } }),
      JSON.stringify({ level: 'error', time: iso, msg: 'gave up', error: 'socket hang up' }),
      JSON.stringify({
        level: 30,
        time: t,
        msg: 'handled',
        err: {
          type: 'TypeError',
          message: 'x is undefined',
          stack: 'TypeError: x is undefined\n    at f (/app/a.js:1:1)',
        },
      }),
      // winston: the app's `time` (its job's start) before format.timestamp()'s own; a duration as text
      JSON.stringify({ level: 'info', message: 'job done', time: jobStart, timestamp: iso }),
      JSON.stringify({ level: 'info', msg: 'took', time: '42' }),
      // log4js' logEvent as JSON (its docs' own layout): data, level.levelStr, startTime
      JSON.stringify({
        startTime: iso,
        categoryName: 'json-test',
        data: ['cheese is too ripe!', 3],
        level: { level: 40000, levelStr: 'ERROR' },
        context: {},
      }),
    ];
    const events = await pipedEvents('round-4.ndjson', lines);
    expect(events.map((e) => [e.message, e.level])).toEqual([
      ['served', 'info'],
      ['db down', 'error'],
      ['an unknown scale is no emergency', 'info'],
      ['retrying', 'info'],
      ['gave up', 'error'],
      ['handled', 'info'],
      ['job done', 'info'],
      ['took', 'info'],
      ['cheese is too ripe! 3', 'error'],
    ]);
    expect(events[2]!.fields).toEqual({ level: 0 });
    expect(events.map((e) => (e.error as { message?: string } | undefined)?.message)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'socket hang up',
      'x is undefined',
      undefined,
      undefined,
      undefined,
    ]);
    expect(events[3]!.fields).toEqual({ err: { message: 'socket hang up' } });
    expect(events[6]).toMatchObject({ timestamp: t, fields: { time: jobStart } });
    expect(events[7]!.timestamp).toBe(events[7]!.observed_timestamp);
    expect(events[7]!.fields).toEqual({ time: '42' });
    expect(events[8]).toMatchObject({ timestamp: t, fields: { categoryName: 'json-test', context: {} } });
  });

  it("round-5 shapes piped in: HTTP dates as the time, rsyslog's jsonmesg, NLog's ordinal level and a CRLF .NET exception, log4net's date, Telegraf's letters, zapr, Fluent Bit, Go's untagged keys, a UUID trace id", async () => {
    const t = Math.floor((Date.now() - 60_000) / 1000) * 1000;
    const http = new Date(t).toUTCString();
    const iso = new Date(t).toISOString();
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const d = new Date(t);
    // NLog's ${longdate}: the host's time, four fraction digits
    const longdate = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.0000`;
    const exc = 'System.TimeoutException: timed out.\r\n   at Acme.Orders.Place()';
    const lines = [
      JSON.stringify({ severity: 'ERROR', time: http, message: 'mailer crashed' }),
      `time="${http}" level=warning msg="retrying" attempt=2`,
      JSON.stringify({
        msg: 'Out of memory',
        rawmsg: '<3>kernel: Out of memory',
        timereported: iso,
        syslogfacility: '0',
        syslogseverity: '3',
        programname: 'kernel',
      }),
      JSON.stringify({
        time: longdate,
        level: 4,
        logger: 'Acme.Orders',
        message: 'order failed',
        exception: exc,
      }),
      JSON.stringify({ date: iso, level: 'WARN', logger: 'App', thread: '1', message: 'slow' }),
      `${iso.slice(0, 19)}Z E! [outputs.influxdb] write failed`,
      // rsyslog's msg keeps the space after the tag; zapr's V(2); Fluent Bit's json_lines; Go's untagged
      // struct keys; a UUID as the trace id
      JSON.stringify({
        timereported: iso,
        programname: 'app',
        'syslogseverity-text': 'warning',
        msg: ' disk full',
      }),
      JSON.stringify({ level: 'Level(-2)', ts: t / 1000, logger: 'controller', msg: 'Reconciling' }),
      JSON.stringify({ date: t / 1000, log: 'GET /health 200' }),
      JSON.stringify({ Time: iso, Level: 'WARN', Msg: 'cache miss', Key: 'user:42' }),
      JSON.stringify({
        time: iso,
        level: 'INFO',
        msg: 'checkout',
        trace_id: '4bf92f35-77b3-4da6-a3ce-929d0e0e4736',
      }),
    ];
    const events = await pipedEvents('round-5.ndjson', lines);
    expect(events.map((e) => [e.message, e.level])).toEqual([
      ['mailer crashed', 'error'],
      ['retrying', 'warn'],
      ['Out of memory', 'error'],
      ['order failed', 'error'],
      ['slow', 'warn'],
      [lines[5], 'error'],
      ['disk full', 'warn'],
      ['Reconciling', 'trace'],
      ['GET /health 200', 'info'],
      ['cache miss', 'warn'],
      ['checkout', 'info'],
    ]);
    expect(events[9]!.fields).toEqual({ Key: 'user:42' });
    expect(events[10]).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(events[10]!.fields).toBeUndefined();
    for (const e of events) expect(e.timestamp, e.message).toBe(t);
    expect(events[0]!.fields).toBeUndefined();
    expect(events[1]!.fields).toEqual({ attempt: '2' });
    expect(events[2]!.fields).toEqual({
      rawmsg: '<3>kernel: Out of memory',
      syslogfacility: '0',
      programname: 'kernel',
    });
    expect(events[3]!.error).toMatchObject({ kind: 'System.TimeoutException', message: 'timed out.' });
    expect(events[4]!.fields).toEqual({ logger: 'App', thread: '1' });
  });

  it("text headers piped in with the host's zone set: Go, nginx, syslog, RFC 5424, klog, Ruby, Apache, Tomcat, Redis give the event their time", async () => {
    // Asia/Kolkata: +05:30 all year, so a zoneless header written there is t + 5.5 h in UTC digits
    const t = Date.now() - 60_000;
    const at = new Date(t + 19_800_000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const Y = at.getUTCFullYear();
    const M = p2(at.getUTCMonth() + 1);
    const D = p2(at.getUTCDate());
    const clock = `${p2(at.getUTCHours())}:${p2(at.getUTCMinutes())}:${p2(at.getUTCSeconds())}`;
    const ms = String(at.getUTCMilliseconds()).padStart(3, '0');
    const mon = at.toUTCString().slice(8, 11);
    const dow = at.toUTCString().slice(0, 3);
    const sec = t - (t % 1000);
    const lines = [
      `${Y}/${M}/${D} ${clock}.${ms}123 main.go:42: listening on :8080`,
      `${Y}/${M}/${D} ${clock} [error] 7#0: *1 connect() failed (111: Connection refused)`,
      `${mon} ${String(at.getUTCDate()).padStart(2, ' ')} ${clock} web-1 app[1]: started`,
      `<34>1 ${new Date(t).toISOString()} web-1 app 1 - - started`,
      `I${M}${D} ${clock}.${ms}345       1 main.go:61] "Starting controller"`,
      `I, [${Y}-${M}-${D}T${clock}.${ms}456 #1234]  INFO -- : Completed 200 OK`,
      `[${dow} ${mon} ${D} ${clock}.${ms}789 ${Y}] [core:error] [pid 35708] AH00124: Request exceeded the limit`,
      `${D}-${mon}-${Y} ${clock}.${ms} INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [1234] milliseconds`,
      `1:M ${D} ${mon} ${Y} ${clock}.${ms} * Ready to accept connections tcp`,
      'The worker started',
    ];
    const file = join(dir, 'headers.ndjson');
    const res = await runCli(['pipe'], {
      env: baseEnv({ FORWARDER_FILE: file, TZ: 'Asia/Kolkata' }),
      input: `${lines.join('\n')}\n`,
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const events = fileEvents(file).filter((e) => e.stream === 'stdout');
    expect(events.map((e) => e.message)).toEqual(lines);
    expect(events.slice(0, 9).map((e) => e.timestamp)).toEqual([t, sec, sec, t, t, t, t, t, t]);
    // <34>: facility auth, severity 2 (critical)
    expect(events.map((e) => e.level)).toEqual([
      'info',
      'error',
      'info',
      'fatal',
      'info',
      'info',
      'error',
      'info',
      'info',
      'info',
    ]);
    expect(events[9]!.timestamp).toBe(events[9]!.observed_timestamp);
    expect(events.slice(0, 9).every((e) => (e.observed_timestamp as number) >= t)).toBe(true);
  });
  it("round-6 shapes piped in with the host's zone set: a record after a kubectl time prefix or a syslog tag, a time of day, WebLogic, host- and IPv6-led access logs, Roarr, katip, funcr, a Python LogRecord", async () => {
    // Asia/Kolkata: +05:30 all year, so a zoneless time written there is t + 5.5 h in UTC digits
    const t = Date.now() - 60_000;
    const sec = t - (t % 1000);
    const at = new Date(t + 19_800_000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const clock = `${p2(at.getUTCHours())}:${p2(at.getUTCMinutes())}:${p2(at.getUTCSeconds())}`;
    const ms = String(at.getUTCMilliseconds()).padStart(3, '0');
    const utc = new Date(t);
    const iso = utc.toISOString();
    const mon = utc.toUTCString().slice(8, 11);
    const h12 = utc.getUTCHours() % 12 === 0 ? 12 : utc.getUTCHours() % 12;
    const ampm = utc.getUTCHours() < 12 ? 'AM' : 'PM';
    const clf = `${p2(utc.getUTCDate())}/${mon}/${utc.getUTCFullYear()}:${p2(utc.getUTCHours())}:${p2(utc.getUTCMinutes())}:${p2(utc.getUTCSeconds())} +0000`;
    const lines = [
      `${iso.slice(0, -1)}123456Z {"level":"error","msg":"connection refused","error":"dial tcp: refused","db":"orders"}`,
      `${iso.slice(0, -1)}123456Z stdout F level=warn msg="disk low" pct=91`,
      `${clock}.${ms} [main] WARN  c.e.App - pool exhausted`,
      `[${clock} ERR] payment failed`,
      `<${mon} ${utc.getUTCDate()}, ${utc.getUTCFullYear()} ${h12}:${p2(utc.getUTCMinutes())}:${p2(utc.getUTCSeconds())},${String(utc.getUTCMilliseconds()).padStart(3, '0')} ${ampm} UTC> <Error> <HTTP> <BEA-101017> <Root cause>`,
      `::1 - - [${clf}] "GET /server-status HTTP/1.1" 200 1024`,
      `example.com:443 203.0.113.7 - - [${clf}] "GET / HTTP/1.1" 200 512`,
      `{"context":{"logLevel":40,"package":"slonik"},"message":"pool exhausted","sequence":"0","time":${t},"version":"2.0.0"}`,
      `{"at":"${iso}","ns":["MyApp"],"data":{},"msg":"request served","sev":"Notice","thread":"5"}`,
      '{"logger":"ctrl","level":2,"msg":"cache synced","kind":"Pod"}',
      `{"name":"app","msg":"user %s failed %d times","args":["bob",3],"levelname":"WARNING","levelno":30,"created":${(t / 1000).toFixed(6)},"lineno":10}`,
      '00:00:05 elapsed',
      `${at.toUTCString().slice(8, 11)} ${String(at.getUTCDate()).padStart(2, ' ')} ${clock} web-1 app[1]: {"level":"error","msg":"payment failed","order":42}`,
    ];
    const file = join(dir, 'round6.ndjson');
    const res = await runCli(['pipe'], {
      env: baseEnv({ FORWARDER_FILE: file, TZ: 'Asia/Kolkata' }),
      input: `${lines.join('\n')}\n`,
    });
    expect(res.code, res.stderr.toString()).toBe(0);
    const events = fileEvents(file).filter((e) => e.stream === 'stdout');
    expect(events.map((e) => [e.message, e.level])).toEqual([
      ['connection refused', 'error'],
      ['disk low', 'warn'],
      [lines[2], 'warn'],
      [lines[3], 'error'],
      [lines[4], 'error'],
      [lines[5], 'info'],
      [lines[6], 'info'],
      ['pool exhausted', 'warn'],
      ['request served', 'info'],
      ['cache synced', 'debug'],
      ['user bob failed 3 times', 'warn'],
      ['00:00:05 elapsed', 'info'],
      ['payment failed', 'error'],
    ]);
    expect(events[12]!.fields).toEqual({ order: 42 });
    expect(events.map((e) => e.timestamp)).toEqual([
      t,
      t,
      t,
      sec,
      t,
      sec,
      sec,
      t,
      t,
      events[9]!.observed_timestamp,
      t,
      events[11]!.observed_timestamp,
      sec,
    ]);
    expect(events[0]!.fields).toEqual({ error: 'dial tcp: refused', db: 'orders' });
    expect(events[0]!.error).toEqual({ kind: '', message: 'dial tcp: refused', stack: '' });
    expect(events[1]!.fields).toEqual({ pct: '91' });
    expect(events[7]!.fields).toEqual({ context: { package: 'slonik' }, sequence: '0', version: '2.0.0' });
  });
});
