import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { APPS, cleanEnv, NODE, runCli, summaryOf } from '../helpers/cli.js';
import { verifyWebhookSignature, type WebhookEvent, WebhookReceiver } from '../receivers/webhook.js';
import { drainContract } from './contract.js';

const CONTRACT_SECRET = 'contract-secret-9f2e';
drainContract<WebhookEvent>({
  id: 'webhook',
  // signed requests only: a wrong WEBHOOK_SECRET is the refused credential
  receiver: (o) => new WebhookReceiver({ path: '/hook', secret: CONTRACT_SECRET, ...o }),
  env: (url) => ({ WEBHOOK_URL: `${url}/hook`, WEBHOOK_SECRET: CONTRACT_SECRET }),
  badKeyEnv: (url) => ({ WEBHOOK_URL: `${url}/hook`, WEBHOOK_SECRET: 'not-the-shared-secret' }),
  hint403:
    /the receiver refused our credentials: check WEBHOOK_URL's user:password, WEBHOOK_SECRET and WEBHOOK_HEADERS/,
  message: (r) => r.message,
  stream: (r) => r.stream,
  maxRecordBytes: 1024 * 1024 - 2,
});

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(
  opts: ConstructorParameters<typeof WebhookReceiver>[0] = {},
): Promise<WebhookReceiver> {
  const r = await new WebhookReceiver({ path: '/hook', ...opts }).start();
  receivers.push(r);
  return r;
}

describe('webhook drain', () => {
  it('posts JSON arrays of canonical events, signed so an independent receiver can verify them', async () => {
    const secret = 'hook-secret-7c1d';
    const hook = await receiver({ secret });
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:hello', 'err:ERROR: broke'], {
      env: cleanEnv({
        WEBHOOK_URL: `${hook.url}/hook`,
        WEBHOOK_SECRET: secret,
        FORWARDER_AGENT_ID: 'a1',
        FORWARDER_WORKER_ID: 'w1',
      }),
    });
    expect(res.code).toBe(0);
    expect(hook.rejected).toEqual([]);
    const app = hook.records.filter((e) => e.stream !== 'forwarder');
    expect(app.map((e) => [e.stream, e.message, e.level])).toEqual(
      expect.arrayContaining([
        ['stdout', 'hello', 'info'],
        ['stderr', 'ERROR: broke', 'error'],
      ]),
    );
    for (const e of hook.records)
      expect(e).toMatchObject({ agent_id: 'a1', worker_id: 'w1', attributes: {} });
    for (const req of hook.requests) {
      expect(req.headers['content-type']).toBe('application/json');
      const ts = String(req.headers['x-webhook-timestamp']);
      expect(
        verifyWebhookSignature(secret, ts, String(req.headers['x-webhook-signature']), req.rawBody),
      ).toBe(true);
      expect(
        verifyWebhookSignature('other-secret', ts, String(req.headers['x-webhook-signature']), req.rawBody),
      ).toBe(false);
    }
    expect(res.stderr.toString()).not.toContain(secret);
  });

  it('gzips bodies with WEBHOOK_GZIP=1, signing the bytes on the wire, and sends WEBHOOK_HEADERS', async () => {
    const hook = await receiver({ secret: 's3cret-value' });
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:zipped'], {
      env: cleanEnv({
        WEBHOOK_URL: `${hook.url}/hook`,
        WEBHOOK_SECRET: 's3cret-value',
        WEBHOOK_GZIP: '1',
        WEBHOOK_HEADERS: 'x-team=core,x-api-key=k-123456',
      }),
    });
    expect(res.code).toBe(0);
    expect(hook.rejected).toEqual([]);
    const req = hook.requests[0]!;
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.headers['x-team']).toBe('core');
    expect(req.headers['x-api-key']).toBe('k-123456');
    expect(JSON.parse(gunzipSync(req.rawBody).toString())).toBeInstanceOf(Array);
    expect(hook.records.some((e) => e.message === 'zipped')).toBe(true);
  });

  it('keeps to WEBHOOK_BATCH_SIZE events per request under a burst', async () => {
    const hook = await receiver();
    const res = await runCli(['run', '--', NODE, `${APPS}/lines.mjs`, '5000'], {
      env: cleanEnv({ WEBHOOK_URL: `${hook.url}/hook`, WEBHOOK_BATCH_SIZE: '100' }),
    });
    expect(res.code).toBe(0);
    expect(hook.rejected).toEqual([]);
    expect(hook.recordCount).toBe(5002);
    for (const req of hook.requests)
      expect((JSON.parse(req.body.toString()) as unknown[]).length).toBeLessThanOrEqual(100);
  });

  it('`forwarder check` sends one verification event and prints a table; exit 0 only if every drain accepted', async () => {
    const hook = await receiver({ secret: 'right-secret' });
    const ok = await runCli(['check'], {
      env: cleanEnv({ WEBHOOK_URL: `${hook.url}/hook`, WEBHOOK_SECRET: 'right-secret' }),
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout.toString()).toMatch(
      /^DRAIN +ENDPOINT +RESULT +LATENCY +HINT\nwebhook +http:\/\/127\.0\.0\.1:\d+\/hook +accepted \(HTTP 200\) +\d+ ms/,
    );
    const verification = hook.records[0]!;
    expect(verification).toMatchObject({
      stream: 'verification',
      message: 'forwarder connection test',
      lifecycle: { kind: 'verification' },
    });

    const bad = await runCli(['check'], {
      env: cleanEnv({ WEBHOOK_URL: `${hook.url}/hook`, WEBHOOK_SECRET: 'wrong-secret' }),
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout.toString()).toMatch(/webhook .* reject: HTTP 401 .*check .*WEBHOOK_SECRET/);
    expect(bad.stdout.toString() + bad.stderr.toString()).not.toContain('wrong-secret');
  });

  it('`forwarder check` names a refused connection', async () => {
    const hook = await receiver();
    const url = `${hook.url}/hook`;
    await hook.close();
    const res = await runCli(['check'], { env: cleanEnv({ WEBHOOK_URL: url }) });
    expect(res.code).toBe(1);
    expect(res.stdout.toString()).toMatch(/webhook .*ECONNREFUSED.*nothing is listening at WEBHOOK_URL/);
  });

  it('a bad WEBHOOK_URL disables the drain with one line naming the variable', async () => {
    const res = await runCli(['run', '--', 'true'], { env: cleanEnv({ WEBHOOK_URL: 'not a url' }) });
    expect(res.code).toBe(0);
    expect(res.stderr.toString()).toContain(
      'drain webhook is disabled: WEBHOOK_URL is not a URL (value hidden: it may hold credentials); it contains a space',
    );
  });

  it("sends WEBHOOK_URL's user:password@ as HTTP Basic auth, percent-decoded, and never in the URL (issue 13 item 14)", async () => {
    const hook = await receiver({ basicAuth: { user: 'svc', password: 'p#ss w@rd' } });
    const url = hook.url.replace('://', '://svc:p%23ss%20w%40rd@');
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:authed'], {
      env: cleanEnv({ WEBHOOK_URL: `${url}/hook` }),
    });
    expect(res.code).toBe(0);
    expect(hook.rejected).toEqual([]);
    expect(hook.records.some((e) => e.message === 'authed')).toBe(true);
    for (const req of hook.requests) expect(req.path).toBe('/hook');
    const out = res.stdout.toString() + res.stderr.toString();
    expect(out).not.toContain('p#ss w@rd');
    expect(out).not.toContain(Buffer.from('svc:p#ss w@rd').toString('base64'));

    const both = await runCli(['run', '--', 'true'], {
      env: cleanEnv({ WEBHOOK_URL: `${url}/hook`, WEBHOOK_HEADERS: 'authorization=Bearer abcdef' }),
    });
    expect(both.stderr.toString()).toContain(
      'drain webhook is disabled: WEBHOOK_URL has user:password@ and WEBHOOK_HEADERS sets authorization: keep one',
    );
  });

  it('WEBHOOK_HEADERS: names with _ and . are accepted; a User-Agent replaces ours, sent once', async () => {
    const hook = await receiver();
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:one'], {
      env: cleanEnv({
        WEBHOOK_URL: `${hook.url}/hook`,
        WEBHOOK_HEADERS: 'X_Team=core,x.trace=t1,User-Agent=mine/1',
        FORWARDER_STRICT: '1',
      }),
    });
    expect(res.code).toBe(0);
    expect(hook.rejected).toEqual([]);
    const req = hook.requests[0]!;
    expect(req.headers.x_team).toBe('core');
    expect(req.headers['x.trace']).toBe('t1');
    const sent = (name: string): string[] =>
      req.rawHeaders.filter((_, i) => i % 2 === 1 && req.rawHeaders[i - 1]!.toLowerCase() === name);
    expect(sent('user-agent')).toEqual(['mine/1']);
    expect(sent('content-type')).toEqual(['application/json']);
  });

  it('WEBHOOK_HEADERS that no request could carry are a config error naming the header, value hidden (issue 13 item 8)', async () => {
    const hook = await receiver();
    const cases: [string, string][] = [
      ['x-a=b\rinjected', 'the value of header x-a contains a line break (CR or LF)'],
      ['x-a=b\ninjected', 'the value of header x-a contains a line break (CR or LF)'],
      ['x-a=bé€injected', 'the value of header x-a contains a character outside Latin-1'],
      ['x-a=b\u0001injected', 'the value of header x-a contains a control character'],
      ['x a=injected', 'has a header name that HTTP does not allow: "x a"'],
      ['connection=injected', 'sets connection, which the HTTP client sets itself'],
      ['Content-Type=text/plain', 'sets Content-Type, which forwarder sets on every request itself'],
      ['content-encoding=br', 'sets content-encoding, which forwarder sets on every request itself'],
      [
        'X-Webhook-Signature=injected',
        'sets X-Webhook-Signature, which forwarder sets on every request itself',
      ],
    ];
    const results = await Promise.all(
      cases.map(([headers]) =>
        runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:one'], {
          env: cleanEnv({ WEBHOOK_URL: `${hook.url}/hook`, WEBHOOK_HEADERS: headers, FORWARDER_STRICT: '1' }),
        }),
      ),
    );
    results.forEach((res, i) => {
      const stderr = res.stderr.toString();
      expect(res.code).toBe(78);
      expect(stderr).toContain(
        `WEBHOOK_HEADERS${cases[i]![1].startsWith('the') ? ': ' : ' '}${cases[i]![1]}`,
      );
      expect(stderr).not.toContain('injected');
      expect(stderr.split('\n').filter((l) => l.includes('WEBHOOK_HEADERS'))).toHaveLength(1);
    });
    expect(hook.requests).toEqual([]);
  });

  it('drops during the final flush reach the receiver as a `dropped` notice (issue 13 item 11)', async () => {
    const hook = await receiver();
    // the app's lines go out in one batch at exit: it is refused (400, final), then the notice is accepted
    hook.setFaults([{ status: 400, times: 1 }]);
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:one', 'out:two'], {
      env: cleanEnv({ WEBHOOK_URL: `${hook.url}/hook`, FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code).toBe(0);
    const notice = hook.records.find((e) => e.lifecycle?.kind === 'dropped');
    expect(notice?.message).toMatch(/^forwarder dropped \d+ events for drain webhook: http_400 \d+$/);
    expect(res.stderr.toString()).not.toContain('drops not told');
  });

  it('the summary says so when the final `dropped` notice cannot be delivered (issue 13 item 11)', async () => {
    const hook = await receiver();
    hook.setFaults([{ status: 400, times: Number.POSITIVE_INFINITY }]);
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:one', 'out:two'], {
      env: cleanEnv({ WEBHOOK_URL: `${hook.url}/hook`, FORWARDER_BATCH_WAIT: '60s' }),
    });
    expect(res.code).toBe(0);
    const totals = summaryOf(res.stderr.toString(), 'webhook');
    expect(totals.delivered).toBe(0);
    expect(res.stderr.toString()).toMatch(
      new RegExp(
        `webhook: .*, ${totals.dropped} drops not told to webhook \\(its dropped notice was not delivered\\)`,
      ),
    );
  });
});
