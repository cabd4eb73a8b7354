import { afterEach, describe, it } from 'vitest';
import { cleanEnv, runCli, NODE } from '../helpers/cli.js';
import { SentryReceiver } from '../receivers/sentry.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

describe('probe', () => {
  it('ships', async () => {
    const r = await new SentryReceiver({ publicKey: 'abc123', projectId: '42', pathPrefix: '/sentry' }).start();
    open.push(r);
    const env = cleanEnv({
      SENTRY_DSN: r.dsn,
      SENTRY_EVENTS_LEVEL: 'error',
      SENTRY_ENVIRONMENT: 'prod',
      FORWARDER_AGENT_ID: 'agent a',
      FORWARDER_WORKER_ID: 'w:1',
      FORWARDER_FLUSH_TIMEOUT: '10s',
    });
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("hello"); console.error("ERROR oops")'], { env });
    console.log(res.code, res.stdout.toString(), res.stderr.toString());
    console.log(r.summary(), JSON.stringify(r.logs, null, 1), JSON.stringify(r.events, null, 1), r.rejected.map((q) => q.error));
    const c = await runCli(['check'], { env });
    console.log(c.code, c.stdout.toString(), c.stderr.toString());
    const bad = await runCli(['check'], { env: { ...env, SENTRY_DSN: r.dsn.replace('abc123', 'zzz999') } });
    console.log(bad.code, bad.stdout.toString(), bad.stderr.toString());
    const mal = await runCli(['check'], { env: { ...env, SENTRY_DSN: 'https://sentry.io/x' } });
    console.log(mal.code, mal.stdout.toString(), mal.stderr.toString());
  });
});
