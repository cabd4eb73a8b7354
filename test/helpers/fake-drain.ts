import type { DrainLimits, DrainSpec, Transport } from '../../src/drains/core/types.js';
import type { LogEvent } from '../../src/pipeline/event.js';

/**
 * A drain spec with no vendor behind it, for engine and runner tests: its records are what `encode`
 * makes (the message as a JSON string unless told otherwise), sent by the given transport.
 */
export function fakeDrainSpec(
  transport: Transport,
  opts: { limits?: Partial<DrainLimits>; encode?: (ev: LogEvent) => string } = {},
): DrainSpec<object> {
  return {
    id: 'fake',
    description: 'test drain',
    settings: [],
    envPrefix: 'TEST_',
    configure: () => ({}),
    endpoint: () => 'fake://',
    limits: () => ({
      maxBatchBytes: 1 << 20,
      maxBatchRecords: 1000,
      maxRecordBytes: 1 << 16,
      concurrency: 1,
      ...opts.limits,
    }),
    encode: opts.encode ?? ((ev) => JSON.stringify(ev.message)),
    transport: () => transport,
  };
}
