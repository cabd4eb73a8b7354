/**
 * The pipeline on the main thread (issue 15, one isolate): its work comes in bounded turns, so a
 * large chunk never holds the event loop (and the app's pass-through) for its whole length, and a
 * throw in drain code stops shipping without reaching the caller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { identityFrom } from '../../src/config/index.js';
import type { Transport } from '../../src/drains/core/types.js';
import type { ConfiguredDrain } from '../../src/drains/registry.js';
import { loadAll } from '../../src/settings-catalogue.js';
import type { FromPipeline } from '../../src/supervisor/messages.js';
import { type PipelinePort, startPipelineRunner } from '../../src/supervisor/pipeline-runner.js';
import { fakeDrainSpec } from '../helpers/fake-drain.js';

const inputs = {
  mode: 'run' as const,
  flags: {},
  env: { FORWARDER_BATCH_WAIT: '10ms' },
  configPath: undefined,
};
const config = loadAll(inputs);
const identity = identityFrom(config, inputs);

/** A drain that keeps the messages it is sent, or whose encoder throws. */
function fakeDrain(sent: string[], opts: { encodeThrows?: boolean } = {}): ConfiguredDrain {
  const transport: Transport = {
    send: async (_payload, batch) => {
      for (const e of (batch as { events: readonly { message: string }[] }).events) sent.push(e.message);
      return { kind: 'http', status: 200, headers: {}, body: '' };
    },
    close: async () => undefined,
  };
  const spec = fakeDrainSpec(transport, {
    encode: (ev) => {
      if (opts.encodeThrows) throw new Error('encoder bug');
      return ev.message;
    },
  });
  return { spec: spec as never, config: {}, control: undefined };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

let port: PipelinePort | undefined;
afterEach(() => {
  port?.stop();
  port = undefined;
});

describe('the pipeline runner, on the main thread', () => {
  it('frames a large chunk over several turns of the event loop, and ships every line of it', async () => {
    const sent: string[] = [];
    const seen: FromPipeline[] = [];
    const flow = { consumed: 0, fullReadAt: Number.NEGATIVE_INFINITY };
    port = startPipelineRunner(
      { config, identity, mode: 'run', drains: [fakeDrain(sent)], block: false },
      (m) => seen.push(m),
      flow,
    );
    const lines = 20_000;
    const text = Array.from({ length: lines }, (_, i) => `line ${i} ${'x'.repeat(100)}`).join('\n');
    const bytes = new Uint8Array(Buffer.from(`${text}\n`));
    await until(() => seen.some((m) => m.t === 'ready'));
    port.post({ t: 'chunk', stream: 'stdout', bytes, readAt: Date.now() });
    // the next poll phase comes after at most one bounded turn: part of the chunk is framed, not all
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(flow.consumed).toBeGreaterThan(0);
    expect(flow.consumed).toBeLessThan(bytes.length);
    await until(() => flow.consumed === bytes.length);
    port.post({ t: 'finish', deadlineAt: Date.now() + 5000 });
    await until(() => seen.some((m) => m.t === 'done'));
    expect(sent.length).toBe(lines);
    expect(sent[lines - 1]).toBe(`line ${lines - 1} ${'x'.repeat(100)}`);
  });

  it('a throw in drain code stops the pipeline with one report; the caller never sees it', async () => {
    const seen: FromPipeline[] = [];
    port = startPipelineRunner(
      { config, identity, mode: 'run', drains: [fakeDrain([], { encodeThrows: true })], block: false },
      (m) => seen.push(m),
      { consumed: 0, fullReadAt: Number.NEGATIVE_INFINITY },
    );
    await until(() => seen.some((m) => m.t === 'ready'));
    expect(() =>
      port!.post({ t: 'chunk', stream: 'stdout', bytes: new Uint8Array(Buffer.from('a\nb\n')), readAt: 0 }),
    ).not.toThrow();
    await until(() => seen.some((m) => m.t === 'failed'));
    expect(seen.filter((m) => m.t === 'failed')).toEqual([{ t: 'failed', message: 'encoder bug' }]);
    // stopped: what comes after is not handled, and nothing more is reported
    port.post({ t: 'finish', deadlineAt: Date.now() });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.some((m) => m.t === 'done')).toBe(false);
  });
});

/**
 * An exception or rejection that escapes drain code asynchronously (a timer, an unawaited promise)
 * reaches the process, not a catch: the runner's process-wide guard must take it. vitest guards
 * its own process the same way, so this runs in a child node process against the built runner.
 */
describe('the pipeline runner guards the process while it runs', () => {
  const dist = new URL('../../dist/', import.meta.url).href;
  const script = (source: 'timer' | 'rejection'): string => `
    import { identityFrom } from '${dist}config/index.js';
    import { loadAll } from '${dist}settings-catalogue.js';
    import { startPipelineRunner } from '${dist}supervisor/pipeline-runner.js';
    const inputs = { mode: 'run', flags: {}, env: { FORWARDER_BATCH_WAIT: '10ms' }, configPath: undefined };
    const config = loadAll(inputs);
    const transport = {
      send: async () => {
        ${source === 'timer' ? "setTimeout(() => { throw new Error('late bug'); }, 0);" : "Promise.reject(new Error('late bug'));"}
        return { kind: 'http', status: 200, headers: {}, body: '' };
      },
      close: async () => undefined,
    };
    const spec = {
      id: 'fake', description: 'test drain', settings: [], envPrefix: 'TEST_', configure: () => ({}),
      endpoint: () => 'fake://',
      limits: () => ({ maxBatchBytes: 1 << 20, maxBatchRecords: 1000, maxRecordBytes: 1 << 16, concurrency: 1 }),
      encode: (ev) => JSON.stringify(ev.message), transport: () => transport,
    };
    let port;
    port = startPipelineRunner(
      { config, identity: identityFrom(config, inputs), mode: 'run', drains: [{ spec, config: {} }], block: false },
      (m) => {
        if (m.t === 'ready') setImmediate(() => port.post({ t: 'chunk', stream: 'stdout', bytes: new Uint8Array(Buffer.from('a\\n')), readAt: 0 }));
        if (m.t === 'failed') {
          console.log('failed: ' + m.message);
          // the process carries on: the app's pass-through and exit code are the supervisor's, not ours
          setTimeout(() => { console.log('still running'); process.exit(3); }, 20);
        }
      },
      { consumed: 0, fullReadAt: Number.NEGATIVE_INFINITY },
    );
  `;

  for (const source of ['timer', 'rejection'] as const) {
    it(`an uncaught ${source === 'timer' ? 'exception from a timer' : 'rejection'} in drain code stops shipping, not the process`, async () => {
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(source)], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('failed: late bug\nstill running\n');
      expect(r.status).toBe(3);
    });
  }
});
