import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, NODE } from '../helpers/cli.js';
import { CloudWatchLogsReceiver, TEST_AWS_CREDENTIALS } from '../receivers/cloudwatch-logs.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

describe('probe', () => {
  it('ships', async () => {
    const r = await new CloudWatchLogsReceiver().start();
    open.push(r);
    const env = cleanEnv({
      AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_AWS_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: r.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      FORWARDER_AGENT_ID: 'agent a',
      FORWARDER_WORKER_ID: 'w:1',
      FORWARDER_FLUSH_TIMEOUT: '10s',
    });
    const res = await runCli(['run', '--', NODE, '-e', 'console.log("hello"); console.error("oops")'], { env });
    console.log(res.code, res.stdout.toString(), res.stderr.toString());
    console.log(r.summary(), r.operations, r.records, r.rejected.map((q) => q.error));
  });
});
