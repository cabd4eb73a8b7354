/**
 * Issue 13, smaller things: error text names its code once (`ENOSPC: ENOSPC: ENOSPC:` and
 * `ECONNREFUSED: ECONNREFUSED:` before), in the log line and in `forwarder check`'s table.
 */
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { freePort } from '../receivers/rsyslog.js';

describe('error text', () => {
  it('a write error is named once: (ENOSPC: no space left on device, write)', async () => {
    const res = await runCli(['run', '--', 'echo', 'hi'], {
      env: cleanEnv({ FORWARDER_FILE: '/dev/full', FORWARDER_FLUSH_TIMEOUT: '500ms' }),
    });
    const err = res.stderr.toString();
    expect(err).toContain('drain file will retry 3 records in');
    expect(err).toMatch(/ms \(ENOSPC: no space left on device, write\)\n/);
    expect(err).not.toMatch(/ENOSPC: ENOSPC/);
  });

  it('a refused connection is named once, in the log line and in `check`', async () => {
    const port = await freePort();
    const env = cleanEnv({ WEBHOOK_URL: `http://127.0.0.1:${port}/`, FORWARDER_FLUSH_TIMEOUT: '500ms' });
    const [run, check] = await Promise.all([
      runCli(['run', '--', 'echo', 'hi'], { env }),
      runCli(['check'], { env }),
    ]);
    expect(run.stderr.toString()).toMatch(
      new RegExp(
        `drain webhook will retry \\d+ records in \\d+ ms \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)\n`,
      ),
    );
    const out = check.stdout.toString();
    expect(out).toContain(`retry: ECONNREFUSED`);
    expect(out).toContain(`connect ECONNREFUSED 127.0.0.1:${port}; nothing is listening at WEBHOOK_URL`);
    for (const text of [out, run.stderr.toString()])
      expect(text).not.toMatch(/ECONNREFUSED: (connect )?ECONNREFUSED/);
  });
});
