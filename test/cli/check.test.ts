import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, readEvents, runCli, tempDir } from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('forwarder check', () => {
  it('writes one verification event to the file drain and exits 0', async () => {
    const path = tmp.file('check.ndjson');
    const res = await runCli(['check'], {
      env: cleanEnv({ FORWARDER_FILE: path, FORWARDER_AGENT_ID: 'svc' }),
    });
    expect(res.code).toBe(0);
    expect(res.stdout.toString()).toMatch(
      /^DRAIN +ENDPOINT +RESULT +LATENCY +HINT\nfile +\/.*check\.ndjson +accepted \(written\) +\d+ ms +-\n$/,
    );
    const [ev] = readEvents(path);
    expect(ev).toMatchObject({
      stream: 'verification',
      message: 'forwarder connection test',
      agent_id: 'svc',
      lifecycle: { kind: 'verification' },
    });
  });

  it('reports a failing drain with its cause and exits 1', async () => {
    const res = await runCli(['check'], { env: cleanEnv({ FORWARDER_FILE: '/dev/full' }) });
    expect(res.code).toBe(1);
    expect(res.stdout.toString()).toMatch(/file +\/dev\/full +retry: ENOSPC/);
  });

  it('lists a misconfigured drain as a failed row naming the setting', async () => {
    const path = tmp.file('ok.ndjson');
    const res = await runCli(['check'], {
      env: cleanEnv({ FORWARDER_FILE: path, WEBHOOK_URL: 'ftp://example' }),
    });
    expect(res.code).toBe(1);
    const out = res.stdout.toString();
    expect(out).toMatch(/webhook +- +misconfigured +- +WEBHOOK_URL is not an http\(s\) URL/);
    expect(out).toMatch(/file +.*accepted/);
  });

  it('says so when there is nothing to check', async () => {
    const res = await runCli(['check'], { env: cleanEnv() });
    expect(res.code).toBe(1);
    expect(res.stderr.toString()).toContain('forwarder: check: no drain is configured');
  });
});
