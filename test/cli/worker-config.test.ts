import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { loadAll } from '../../src/settings-catalogue.js';
import { configFromSnapshot, snapshotConfig } from '../../src/supervisor/config-snapshot.js';

describe('the configuration handed to the pipeline thread', () => {
  it('survives structured cloning with the same values, origins, secrets and errors', () => {
    const config = loadAll({
      mode: 'run',
      flags: { flushTimeout: '3s' },
      env: {
        WEBHOOK_URL: 'https://svc:pa55word@hooks.example.com/x',
        WEBHOOK_SECRET: 'hmac-secret-value',
        WEBHOOK_BATCH_SIZE: 'many',
        FORWARDER_ATTRIBUTES: 'team=core',
      },
      configPath: undefined,
    });
    // What postMessage / workerData does to it.
    const copy = configFromSnapshot(structuredClone(snapshotConfig(config)));
    expect(copy.get('flush_timeout')).toBe(3000);
    expect(copy.origin('flush_timeout')).toBe('flag --flush-timeout');
    expect(copy.get('attributes')).toEqual({ team: 'core' });
    const secret = copy.get<Secret>('webhook.secret');
    expect(secret).toBeInstanceOf(Secret);
    expect(secret!.reveal()).toBe('hmac-secret-value');
    expect(String(secret)).not.toContain('hmac');
    expect(() => copy.get('webhook.batch_size')).toThrow(
      (() => {
        try {
          config.get('webhook.batch_size');
        } catch (err) {
          return (err as Error).message;
        }
        return 'no error';
      })(),
    );
    expect(copy.get('webhook.url')).toBe(config.get('webhook.url'));
  });
});
