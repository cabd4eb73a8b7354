import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src/drains/core/event-filter.js';
import { type Identity, LogEvent } from '../../../src/pipeline/event.js';
import { DEBUG, ERROR, INFO, WARN } from '../../../src/pipeline/levels.js';

const identity: Identity = {
  agentId: 'api',
  workerId: 'w-1',
  hostname: 'host-a',
  instance: 'abc123',
  attributes: { env: 'prod' },
};

const ev = (message: string, level = INFO, stream = 'stdout', seq = 1, kind?: string): LogEvent =>
  new LogEvent(1_700_000_000_000, message, level, stream, seq, kind, undefined);

const compile = (filter: unknown) => compileFilter(JSON.stringify(filter), 'WEBHOOK_FILTER', identity);
const where = (key: string, operator: string, value: unknown) => ({ where: { key, operator, value } });

describe('Logpush filter', () => {
  it("keeps events matching one condition (the issue's healthcheck example)", () => {
    const f = compile(where('message', '!contains', 'healthcheck'));
    expect(f(ev('GET /healthcheck 200'))).toBe(false);
    expect(f(ev('GET /orders 200'))).toBe(true);
  });

  it('compares levels by severity, from their words', () => {
    const geq = compile(where('level', 'geq', 'warn'));
    expect([DEBUG, INFO, WARN, ERROR].map((l) => geq(ev('x', l)))).toEqual([false, false, true, true]);
    expect(compile(where('level', 'lt', 'info'))(ev('x', DEBUG))).toBe(true);
    expect(compile(where('level', 'in', ['error', 'fatal']))(ev('x', ERROR))).toBe(true);
    expect(compile(where('level', '!eq', 'info'))(ev('x', INFO))).toBe(false);
  });

  it('supports every text operator', () => {
    const m = ev('payment failed for order 17');
    const cases: [string, unknown, boolean][] = [
      ['eq', 'payment failed for order 17', true],
      ['!eq', 'payment failed for order 17', false],
      ['startsWith', 'payment', true],
      ['!startsWith', 'payment', false],
      ['endsWith', 'order 17', true],
      ['!endsWith', 'order 17', false],
      ['contains', 'failed', true],
      ['!contains', 'failed', false],
      ['in', ['a', 'payment failed for order 17'], true],
      ['!in', ['a', 'b'], true],
    ];
    for (const [op, value, expected] of cases)
      expect([op, compile(where('message', op, value))(m)]).toEqual([op, expected]);
  });

  it('compares numbers, also given as strings (Logpush writes "30")', () => {
    expect(compile(where('seq', 'gt', '30'))(ev('x', INFO, 'stdout', 31))).toBe(true);
    expect(compile(where('seq', 'leq', 30))(ev('x', INFO, 'stdout', 31))).toBe(false);
    expect(compile(where('timestamp', 'geq', 1_700_000_000_000))(ev('x'))).toBe(true);
  });

  it('nests and/or groups, and reads identity, attributes and kind', () => {
    const f = compile({
      where: {
        and: [
          { key: 'attributes.env', operator: 'eq', value: 'prod' },
          { key: 'hostname', operator: 'startsWith', value: 'host-' },
          {
            or: [
              { key: 'stream', operator: 'eq', value: 'stderr' },
              { key: 'level', operator: 'geq', value: 'error' },
              { key: 'kind', operator: 'eq', value: 'exited' },
            ],
          },
        ],
      },
    });
    expect(f(ev('a', INFO, 'stderr'))).toBe(true);
    expect(f(ev('a', ERROR, 'stdout'))).toBe(true);
    expect(f(ev('a', INFO, 'forwarder', 1, 'exited'))).toBe(true);
    expect(f(ev('a', INFO, 'stdout'))).toBe(false);
    expect(compile(where('attributes.team', 'eq', ''))(ev('a'))).toBe(true);
  });

  it("reads attributes.<name> as they are now: the pod's labels can change while running (issue 17)", () => {
    const live: Identity = { ...identity, attributes: { 'k8s.pod.label.track': 'stable' } };
    const f = compileFilter(
      JSON.stringify(where('attributes.k8s.pod.label.track', 'eq', 'canary')),
      'WEBHOOK_FILTER',
      live,
    );
    expect(f(ev('a'))).toBe(false);
    live.attributes = { 'k8s.pod.label.track': 'canary' };
    expect(f(ev('a'))).toBe(true);
  });

  it('refuses a bad filter with one line naming the setting and the cause', () => {
    const bad: [string, RegExp][] = [
      ['{"where":', /^WEBHOOK_FILTER is not valid JSON/],
      ['{"key":"message"}', /^WEBHOOK_FILTER must be a JSON object with a "where" condition/],
      [JSON.stringify(where('message', 'like', 'x')), /unknown operator "like" for key "message"/],
      [JSON.stringify(where('msg', 'eq', 'x')), /unknown key "msg"/],
      [JSON.stringify(where('message', 'lt', 'x')), /"lt" compares numbers; "message" is text/],
      [JSON.stringify(where('seq', 'contains', '1')), /"contains" applies to text; "seq" is a number/],
      [JSON.stringify(where('seq', 'gt', 'many')), /"seq" is a number; "many" is not/],
      [JSON.stringify(where('level', 'eq', 'loud')), /"loud" is not a level/],
      [JSON.stringify(where('message', 'in', 'x')), /"in" on "message" needs a non-empty array/],
      [JSON.stringify(where('message', 'eq', ['x'])), /"eq" on "message" needs a single value/],
      ['{"where":{"and":[]}}', /"and" must be the only key of its object and hold a non-empty array/],
      ['{"where":{"key":"message","operator":"eq","value":"x","extra":1}}', /unknown property "extra"/],
    ];
    for (const [text, message] of bad) {
      expect(() => compileFilter(text, 'WEBHOOK_FILTER', identity)).toThrow(message);
      try {
        compileFilter(text, 'WEBHOOK_FILTER', identity);
      } catch (err) {
        expect((err as Error).message).toContain('WEBHOOK_FILTER');
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });

  it('bounds how deep and how large a filter may be', () => {
    let deep: unknown = where('message', 'eq', 'x').where;
    for (let i = 0; i < 10; i++) deep = { and: [deep, { key: 'seq', operator: 'gt', value: 0 }] };
    expect(() => compile({ where: deep })).toThrow(/deeper than 8/);
    const wide = {
      where: { or: Array.from({ length: 65 }, (_, i) => ({ key: 'seq', operator: 'eq', value: i })) },
    };
    expect(() => compile(wide)).toThrow(/more than 64 conditions/);
  });
});
