/**
 * Issue 13, smaller things: error text names its code once (`ENOSPC: ENOSPC: ENOSPC:` and
 * `ECONNREFUSED: ECONNREFUSED:` before), in the log line and in `forwarder check`'s table.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../receivers/rsyslog.js';

describe('error text', () => {
  it('a write error is named once: (ENOSPC: no space left on device, write)', async () => {
    const res = await runCli(['run', '--', 'echo', 'hi'], {
      env: cleanEnv({ FORWARDER_FILE: '/dev/full', FORWARDER_FLUSH_TIMEOUT: '3s' }),
    });
    const err = res.stderr.toString();
    expect(err).toContain('drain file will retry 3 records in');
    expect(err).toMatch(/ms \(ENOSPC: no space left on device, write\)\n/);
    expect(err).not.toMatch(/ENOSPC: ENOSPC/);
  });

  // 3 s of flush: on a busy machine the first attempt (which logs the line) must come before the cut
  it('a refused connection is named once, in the log line and in `check`', async () => {
    const port = await freePort();
    const env = cleanEnv({ WEBHOOK_URL: `http://127.0.0.1:${port}/`, FORWARDER_FLUSH_TIMEOUT: '3s' });
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

  it('a TLS version refusal is one line in `check` and in the log: the OpenSSL reason, not its dump', async () => {
    const dir = tempDir('fwd-tls11-');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        dir.file('key.pem'),
        '-out',
        dir.file('cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = createServer(
      {
        key: readFileSync(dir.file('key.pem')),
        cert: readFileSync(dir.file('cert.pem')),
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT:@SECLEVEL=0',
      },
      (_req, res) => res.end('ok'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const env = cleanEnv({ WEBHOOK_URL: url, FORWARDER_FLUSH_TIMEOUT: '3s' });
      const [check, run] = await Promise.all([
        runCli(['check'], { env }),
        runCli(['run', '--', 'true'], { env }),
      ]);
      const rows = check.stdout.toString().trimEnd().split('\n');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatch(
        /^webhook +https:\/\/127\.0\.0\.1:\d+\/ +reject: ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION +\d+ ms +ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: tlsv1 alert protocol version$/,
      );
      expect(run.stderr.toString()).toMatch(
        /drain webhook rejected \d+ records \(ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION\): tlsv1 alert protocol version\n/,
      );
      for (const text of [check.stdout.toString(), run.stderr.toString()])
        expect(text).not.toContain(':error:');
    } finally {
      server.close();
      dir.cleanup();
    }
  });
});
