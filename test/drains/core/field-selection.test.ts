import { describe, expect, it } from 'vitest';
import { axiomDrain } from '../../../src/drains/axiom.js';
import {
  checkFieldSelection,
  parseFields,
  withFieldSelection,
} from '../../../src/drains/core/field-selection.js';
import type { DrainSpec } from '../../../src/drains/core/types.js';
import { datadogDrain } from '../../../src/drains/datadog.js';
import { syslogDrain } from '../../../src/drains/syslog.js';
import { LogEvent } from '../../../src/pipeline/event.js';
import { WARN } from '../../../src/pipeline/levels.js';

const spec = {
  id: 'vendor',
  envPrefix: 'VENDOR_',
  fieldKeys: { level: ['status'], stream: ['stream'], hostname: ['host'] },
  encode: (ev: LogEvent) =>
    JSON.stringify({
      message: ev.message,
      status: 'warn',
      timestamp: ev.timestamp,
      stream: ev.stream,
      host: 'h',
      source: 'app',
    }),
} as unknown as DrainSpec<undefined>;

describe('field selection', () => {
  it('leaves out the record keys of unselected fields, keeping timestamp, message and vendor metadata', () => {
    const ev = new LogEvent(1_700_000_000_000, 'hi', WARN, 'stdout', 1, undefined, undefined);
    const slim = withFieldSelection(spec, ['level']);
    const ctx = {} as never;
    expect(JSON.parse(slim.encode(ev, undefined, ctx))).toEqual({
      message: 'hi',
      status: 'warn',
      timestamp: 1_700_000_000_000,
      source: 'app',
    });
    expect(withFieldSelection(spec, ['level', 'stream', 'hostname'])).toBe(spec);
  });

  it("reaches into nested objects (Splunk's event, New Relic's attributes)", () => {
    const nested = {
      ...spec,
      fieldKeys: { level: ['event.level'], stream: ['event.stream'] },
      encode: () => '{"time":1.5,"host":"h","event":{"message":"m","stream":"stdout","level":"info"}}',
    } as unknown as DrainSpec<undefined>;
    const ev = new LogEvent(1, 'm', WARN, 'stdout', 1, undefined, undefined);
    expect(JSON.parse(withFieldSelection(nested, ['level']).encode(ev, undefined, {} as never))).toEqual({
      time: 1.5,
      host: 'h',
      event: { message: 'm', level: 'info' },
    });
  });

  it('parses the list against canonical names, naming the setting when wrong', () => {
    expect(parseFields(' timestamp, level ,message', 'X_FIELDS')).toEqual(['timestamp', 'level', 'message']);
    expect(() => parseFields('level,msg', 'X_FIELDS')).toThrow(/^X_FIELDS: unknown field "msg"/);
    expect(() => parseFields(' , ', 'X_FIELDS')).toThrow(/^X_FIELDS is empty/);
  });

  it('is possible for JSON drains and refused, with the reason, for fixed-shape ones', () => {
    expect(() => checkFieldSelection(datadogDrain, 'DATADOG_FIELDS')).not.toThrow();
    expect(() => checkFieldSelection(axiomDrain, 'AXIOM_FIELDS')).not.toThrow();
    expect(() => checkFieldSelection(syslogDrain, 'SYSLOG_FIELDS')).toThrow(
      /^SYSLOG_FIELDS: the syslog drain's records have a fixed vendor shape/,
    );
  });
});
