/**
 * Issue 13: a drain's settings set without what turns it on name the missing variable (before,
 * only "no drain is configured").
 */
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../helpers/cli.js';

describe('drains that are off although some of their settings are set', () => {
  it('each names what it needs; shared AWS_* variables say nothing', async () => {
    const cases: [Record<string, string>, string][] = [
      [
        { SPLUNK_HEC_TOKEN: 'tok-123456' },
        'drain splunk_hec: not enabled: SPLUNK_HEC_TOKEN is set, but the drain needs LOGS_ENABLE_SPLUNK=1 with SPLUNK_HEC_TOKEN and SPLUNK_HEC_URL',
      ],
      [
        { SPLUNK_HEC_TOKEN: 'tok-123456', SPLUNK_HEC_URL: 'https://splunk.example:8088' },
        'drain splunk_hec: not enabled: SPLUNK_HEC_TOKEN and SPLUNK_HEC_URL are set, but Splunk forwarding also needs LOGS_ENABLE_SPLUNK=1',
      ],
      [
        { WEBHOOK_SECRET: 'sec-123456' },
        'drain webhook: not enabled: WEBHOOK_SECRET is set, but the drain needs WEBHOOK_URL',
      ],
      [
        { DATADOG_REGION: 'eu', DATADOG_SERVICE: 'api' },
        'drain datadog: not enabled: DATADOG_REGION, DATADOG_SERVICE are set, but the drain needs DATADOG_TOKEN (or DD_API_KEY)',
      ],
      [
        { SENTRY_EVENTS_LEVEL: 'error' },
        'drain sentry: not enabled: SENTRY_EVENTS_LEVEL is set, but the drain needs SENTRY_DSN',
      ],
    ];
    const results = await Promise.all(
      cases.map(([env]) => runCli(['run', '--', 'true'], { env: cleanEnv(env) })),
    );
    results.forEach((res, i) => {
      expect(res.code).toBe(0);
      expect(res.stderr.toString()).toMatch(
        new RegExp(`^forwarder: (warn: )?${escapeRe(cases[i]![1])}$`, 'm'),
      );
    });
    const aws = await runCli(['run', '--', 'true'], { env: cleanEnv({ AWS_REGION: 'eu-west-1' }) });
    expect(aws.stderr.toString()).not.toContain('not enabled');
  });
});

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
